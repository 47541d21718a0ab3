"""Installing a clean infobox template on a live wiki (``wikitools infobox install``).

The pages come from :func:`wikitools.infobox.install.plan_install`. They are read first;
with ``apply=True`` the changed ones are saved with the read's timestamps, so someone
else's edit in between raises :class:`~wikitools.errors.EditConflictError` instead of
being overwritten. Afterwards a sample call is rendered through the wiki to check that it
shows no script error, missing template or stray brace. Without ``apply`` nothing is
written.
"""

from __future__ import annotations

from dataclasses import dataclass

from wikitools.infobox.install import (
    DocMode,
    PlannedPage,
    doc_title,
    plan_install,
    sample_call,
    template_title,
)
from wikitools.infobox.schema import Schema
from wikitools.mediawiki import Page, Wiki


@dataclass(frozen=True)
class InstallResult:
    """What :func:`install_template` planned, saved and found when rendering a sample."""

    pages: tuple[PlannedPage, ...]
    saved: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()
    applied: bool = False


def install_template(
    wiki: Wiki,
    schema: Schema,
    *,
    summary: str,
    portable: bool = False,
    doc: DocMode = "subpage",
    apply: bool = False,
) -> InstallResult:
    """Create or update ``schema``'s template (and ``/doc``) on ``wiki``.

    Without ``apply`` nothing is written: the result holds the plan. With it, changed pages
    are saved conflict-safely, then a sample call is rendered and its problems returned.
    """
    titles = [template_title(schema)] + ([] if doc == "inline" else [doc_title(schema)])
    read: dict[str, Page] = {}
    for page in wiki.read_pages(titles):
        read[page.requested] = page
    current = {t: (read[t].text if t in read and read[t].exists else None) for t in titles}
    plan = plan_install(schema, current, portable=portable, doc=doc)
    if not apply:
        return InstallResult(tuple(plan))
    saved = []
    for planned in plan:
        if planned.action == "unchanged":
            continue
        base = read.get(planned.title)
        result = wiki.edit(
            planned.title,
            planned.text,
            summary=summary,
            basetimestamp=base.timestamp if base is not None else None,
            starttimestamp=base.read_at if base is not None else None,
            baserevid=base.revid if base is not None else None,
            createonly=planned.action == "create",
            nocreate=planned.action == "update",
        )
        if result.saved:
            saved.append(planned.title)
    problems: list[str] = []
    if not portable:
        rendered = wiki.parse_text(sample_call(schema), f"Wikitools install check {schema.name}")
        problems = [f"{kind}: {count}" for kind, count in rendered.counts().items() if count]
        problems += [f"missing template: {t}" for t in rendered.missing_templates]
    return InstallResult(tuple(plan), tuple(saved), tuple(problems), applied=True)
