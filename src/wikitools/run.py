"""Library entry points for local runs: lint or fix the files and folders a command names.

``lint_paths`` and ``fix_paths`` are what ``wikitools lint`` and ``wikitools fix`` do, as
functions: pages come from :mod:`wikitools.sources` (so a file is the same page to every
command), one :class:`~wikitools.lint.runner.Linter` serves the whole run, and fixed files are
replaced atomically (their byte order mark kept). They return values; printing and exit codes
are the caller's (see :mod:`wikitools.reporting.run`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wikitools.config import Config
    from wikitools.infobox import ConversionResult, Schema, SchemaRegistry
    from wikitools.infobox.dates import DateStyle
    from wikitools.lint.diagnostic import Diagnostic
    from wikitools.lint.fixloop import FixResult
    from wikitools.site.context import SiteContext
    from wikitools.sources import LocalPage, SourceError
    from wikitools.verify.verifier import Verifier

logger = logging.getLogger(__name__)

#: Told after each page: how many are done, of how many.
ProgressCallback = Callable[[int, int], None]
#: Opens the verifier a ``--verify`` run renders with (called only when a fix changed text).
VerifierFactory = Callable[[], AbstractContextManager["Verifier"]]

#: The title a page is rendered as for verification when its file name gives none.
RENDER_TITLE = "Sandbox"


@dataclass(frozen=True, slots=True)
class PageLint:
    """One page's findings."""

    page: LocalPage
    diagnostics: list[Diagnostic]


@dataclass(frozen=True, slots=True)
class PageFix:
    """One page's fix: the text it has now, what was applied and what remains.

    When verification refused the fix (``refused`` says why), ``text`` is the original
    and ``diagnostics`` are the original's findings; otherwise ``diagnostics`` are the
    engine's problems and the findings left in the fixed text.
    """

    page: LocalPage
    result: FixResult
    refused: str | None = None
    diagnostics: tuple[Diagnostic, ...] = ()

    @property
    def text(self) -> str:
        """The page's text after the run."""
        return self.page.text if self.refused is not None else self.result.text

    @property
    def changed(self) -> bool:
        """True when the run changed (or would change) the page."""
        return self.text != self.page.text

    @property
    def applied(self) -> tuple[Diagnostic, ...]:
        """The findings whose fixes are in :attr:`text`."""
        return () if self.refused is not None else self.result.applied


def read_local_pages(
    paths: Sequence[str | Path],
    site: SiteContext | None = None,
    errors: list[SourceError] | None = None,
    *,
    follow_symlinks: bool = False,
) -> list[LocalPage]:
    """The pages that ``paths`` (files, folders, ``-``) name, identified for ``site``'s wiki.

    Files and folders that cannot be read are appended to ``errors`` when it is given
    (the run goes on without them), else the first one raises. A symbolic link inside a
    folder raises :class:`~wikitools.fileio.UnsafePathError` unless ``follow_symlinks``;
    a file named in ``paths`` is read even when it is a link.
    """
    from wikitools.sources import read_pages
    from wikitools.titles import DEFAULT

    namespaces = site.namespaces if site is not None else DEFAULT
    return read_pages(paths, namespaces, errors=errors, follow_symlinks=follow_symlinks)


def lint_paths(
    paths: Sequence[str | Path],
    config: Config,
    site: SiteContext | None = None,
    *,
    progress: ProgressCallback | None = None,
    errors: list[SourceError] | None = None,
    follow_symlinks: bool = False,
) -> Iterator[PageLint]:
    """Lint every page ``paths`` name, in order (files are read before the first result;
    see :func:`read_local_pages` for ``errors`` and ``follow_symlinks``)."""
    from wikitools.api import Linter

    pages = read_local_pages(paths, site, errors, follow_symlinks=follow_symlinks)
    linter = Linter(config, site)
    logger.info("linting %d file(s)", len(pages))
    for done, page in enumerate(pages, 1):
        started = time.perf_counter()
        diagnostics = linter.check(page.document())
        logger.debug(
            "%s: %d finding(s) in %.3f s",
            page.name,
            len(diagnostics),
            time.perf_counter() - started,
        )
        yield PageLint(page, diagnostics)
        if progress is not None:
            progress(done, len(pages))


def fix_paths(
    paths: Sequence[str | Path],
    config: Config,
    site: SiteContext | None = None,
    *,
    write: bool = False,
    verifier: VerifierFactory | None = None,
    progress: ProgressCallback | None = None,
    errors: list[SourceError] | None = None,
    follow_symlinks: bool = False,
) -> list[PageFix]:
    """Fix every page ``paths`` name; with ``write``, replace the changed files atomically.

    Safe fixes are applied, unsafe ones too when ``config.unsafe_fixes``. With ``verifier``,
    the changed pages are rendered before and after (one batch) and a fix whose page renders
    worse is not kept. Standard input is never written: its text is the caller's to print.
    Links: see :func:`read_local_pages` (a file named in ``paths`` that is a link is
    written through, atomically).
    """
    from wikitools.api import Linter, fix_text

    pages = read_local_pages(paths, site, errors, follow_symlinks=follow_symlinks)
    linter = Linter(config, site)
    logger.info("fixing %d file(s)", len(pages))
    results: list[FixResult] = []
    for done, page in enumerate(pages, 1):
        result = fix_text(
            page.text,
            title=page.title,
            namespace=page.namespace,
            model=page.model,
            linter=linter,
            unsafe=config.unsafe_fixes,
        )
        logger.debug("%s: %d fix(es) applied", page.name, len(result.applied))
        results.append(result)
        if progress is not None:
            progress(done, len(pages))
    reasons: list[str | None] = [None] * len(pages)
    if verifier is not None:
        reasons = _verify(pages, results, verifier)
    fixes = []
    for page, result, reason in zip(pages, results, reasons, strict=True):
        if reason is not None:
            fixes.append(PageFix(page, result, reason, tuple(linter.check(page.document()))))
        else:
            fixes.append(PageFix(page, result, None, (*result.problems, *result.remaining)))
    if write:
        for fix in fixes:
            if fix.changed and fix.page.path is not None:
                write_page(fix.page.path, fix.text)
    return fixes


@dataclass(frozen=True, slots=True)
class PageConversion:
    """One page's infobox conversion (see :func:`wikitools.infobox.convert_infobox`)."""

    page: LocalPage
    result: ConversionResult

    @property
    def changed(self) -> bool:
        """True when the conversion changed (or would change) the page."""
        return self.result.text != self.page.text


def convert_paths(
    paths: Sequence[str | Path],
    schema: Schema | None = None,
    *,
    registry: SchemaRegistry | None = None,
    site: SiteContext | None = None,
    date_style: DateStyle = "mdy",
    fallback: bool = True,
    tables: bool = True,
    write: bool = False,
) -> Iterator[PageConversion]:
    """Convert the infoboxes of every wikitext page ``paths`` name onto clean templates.

    Options as for :func:`~wikitools.infobox.convert_infobox`; with ``write``, a changed file
    is replaced atomically before its result is yielded. Pages that are not wikitext (a
    module, a stylesheet) hold no infobox call and are left out.
    """
    from wikitools.infobox import convert_infobox

    for page in read_local_pages(paths, site):
        if not page.is_wikitext:
            continue
        result = convert_infobox(
            page.text,
            schema,
            registry=registry,
            date_style=date_style,
            fallback=fallback,
            tables=tables,
            site=site,
        )
        conversion = PageConversion(page, result)
        if write and conversion.changed and page.path is not None:
            write_page(page.path, result.text)
        yield conversion


def write_page(path: Path, text: str) -> None:
    """Replace the file at ``path`` with ``text`` atomically, keeping its byte order mark."""
    from wikitools.fileio import starts_with_bom, write_text_atomic

    write_text_atomic(path, text, bom=starts_with_bom(path))


def _verify(
    pages: Sequence[LocalPage], results: Sequence[FixResult], verifier: VerifierFactory
) -> list[str | None]:
    """Why each page's fix is refused (None: kept); renders only the pages that changed."""
    from wikitools.verify.verifier import Change

    changes = [
        Change(page.title or RENDER_TITLE, page.text, result.text)
        for page, result in zip(pages, results, strict=True)
    ]
    if all(change.old_text == change.new_text for change in changes):
        return [None] * len(changes)
    with verifier() as judge:
        verdicts = judge.judge_many(changes)
    return [verdict.reason if verdict.refused else None for verdict in verdicts]
