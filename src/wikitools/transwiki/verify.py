"""After an import: render the seed pages on the target and say what still fails, and why.

Counted per seed: script errors, red template or module links (``prop=templates`` with
``exists: false``) and ``{{#`` shown as text (a parser function the target lacks). Each
problem is explained from the plan: a missing extension, a dynamic ``require``, a page the
source lacks too, a local version kept, or a branch no scan could see.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import lxml.html

from wikitools.deps.plan import EntryStatus, Plan, map_title
from wikitools.errors import ApiError
from wikitools.mediawiki.wiki import Wiki
from wikitools.titles import Namespaces

_VISIBLE_FUNCTION = re.compile(r"\{\{\s*#")


@dataclass
class RenderCheck:
    """What one seed shows after the import."""

    title: str
    script_errors: int = 0
    missing_templates: tuple[str, ...] = ()
    missing_modules: tuple[str, ...] = ()
    visible_functions: int = 0
    explanations: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the seed renders without any of the counted problems."""
        return not (
            self.script_errors
            or self.missing_templates
            or self.missing_modules
            or self.visible_functions
        )

    def line(self) -> str:
        """``rendered Joe: 0 script errors, 0 red template/module links, 0 {{# shown``."""
        red = len(self.missing_templates) + len(self.missing_modules)
        return (
            f"rendered {self.title}: {self.script_errors} script error(s), {red} red "
            f"template/module link(s), {self.visible_functions} '{{{{#' shown as text"
        )


def _explain(title: str, plan: Plan, namespaces: Namespaces) -> str:
    source_ns = plan.closure
    name = title.split(":", 1)[-1]
    for item in plan.not_portable:
        if f"{name}'" in item:
            return f"{title}: {item}"
    for entry in plan.entries:
        if entry.target_title == title:
            if entry.status is EntryStatus.BLOCKED:
                return f"{title}: not imported, the target lacks {', '.join(entry.blocked_by)}"
            if entry.status is EntryStatus.DIFFERS:
                return f"{title}: the target's own version was kept"
            return f"{title}: imported, yet still missing (check the import log)"
    for missing in source_ns.missing:
        if missing == title:
            return f"{title}: missing on the source too"
    for dynamic in source_ns.dynamic:
        if dynamic.prefix is None:
            return f"{title}: probably loaded by a dynamic name ({dynamic.describe()})"
    return f"{title}: not found by the scan (a branch or name only the render takes)"


def verify_render(wiki: Wiki, plan: Plan, source_namespaces: Namespaces) -> list[RenderCheck]:
    """Render each seed on the target (its saved text, purged first) and explain what fails."""
    checks: list[RenderCheck] = []
    titles = [map_title(s, source_namespaces, wiki.namespaces) for s in plan.closure.seeds]
    if titles:
        # The seeds' cached renders predate the import: render them afresh.
        wiki.request({"action": "purge", "titles": titles, "forcelinkupdate": True}, post=True)
    for title in titles:
        try:
            result = wiki.parse_page(title)
        except ApiError as exc:
            if exc.code == "missingtitle":
                continue
            raise
        root = lxml.html.fromstring(result.html or "<div></div>")
        text = str(root.text_content())  # type: ignore[attr-defined]
        check = RenderCheck(
            title,
            script_errors=len(result.script_errors),
            missing_templates=result.missing_templates,
            missing_modules=result.missing_modules,
            visible_functions=len(_VISIBLE_FUNCTION.findall(text)),
        )
        for missing in (*result.missing_templates, *result.missing_modules):
            check.explanations.append(_explain(missing, plan, wiki.namespaces))
        for error in result.script_errors:
            for module in error.modules:
                if module not in result.missing_modules:
                    check.explanations.append(_explain(module, plan, wiki.namespaces))
            if not error.modules:
                check.explanations.append(f"script error: {error.message[:200]}")
        if check.visible_functions or (check.script_errors and plan.prerequisites):
            check.explanations.extend(p.line() for p in plan.prerequisites)
        checks.append(check)
    return checks
