"""The library's front door: lint and fix wikitext."""

from __future__ import annotations

from wikitools.config import Config
from wikitools.document import Document
from wikitools.lint.diagnostic import Diagnostic
from wikitools.lint.fixloop import FixResult, fix_loop
from wikitools.lint.runner import Linter
from wikitools.site.context import SiteContext


def lint_text(
    text: str,
    config: Config | None = None,
    site: SiteContext | None = None,
    title: str | None = None,
    namespace: int | None = None,
    model: str | None = None,
) -> list[Diagnostic]:
    """Diagnostics for one page of wikitext, sorted by position.

    ``site`` enables the rules that need to know what exists on the target wiki;
    ``title``/``namespace`` tell rules what kind of page this is (e.g. a template), and
    ``model`` its content model (default: what MediaWiki gives the title). Pages that
    are not wikitext (a Lua module, a stylesheet) get no diagnostics.
    """
    return Linter(config, site).check(Document(text, title, namespace, model=model))


def fix_text(
    text: str,
    config: Config | None = None,
    site: SiteContext | None = None,
    title: str | None = None,
    namespace: int | None = None,
    unsafe: bool | None = None,
    linter: Linter | None = None,
    model: str | None = None,
) -> FixResult:
    """Fix one page of wikitext with minimal edits; see :class:`FixResult`.

    Safe fixes are applied; unsafe ones too when ``unsafe`` (or the config's
    ``unsafe-fixes``) is true. Pass a prebuilt ``linter`` to fix many pages cheaply.
    ``title``, ``namespace`` and ``model`` say what the page is (as for :func:`lint_text`);
    a page that is not wikitext is returned unchanged.
    """
    if linter is None:
        linter = Linter(config, site)
    config = linter.config.with_overrides(unsafe_fixes=unsafe)

    def lint(current: str) -> list[Diagnostic]:
        return linter.check(Document(current, title, namespace, model=model))

    return fix_loop(text, lint, config)
