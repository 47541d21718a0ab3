"""Installing a clean infobox template on a live wiki (``wikitools infobox install``).

The pages come from :func:`wikitools.infobox.install.plan_install`. They are read first;
with ``apply=True`` the changed ones are saved through the one save path
(:func:`wikitools.mediawiki.save.save_page`): against the revision read (someone else's edit
in between is a conflict, never overwritten), ``createonly`` for new pages, never blanking
a page, and a block or a read-only wiki stops the install. Afterwards a sample call is
rendered through the wiki to check that it shows no script error, missing template or stray
brace. Without ``apply`` nothing is written.
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
from wikitools.mediawiki import Wiki
from wikitools.mediawiki.save import SavePolicy, SaveResult, SaveStatus, WikiSink, save_page


@dataclass(frozen=True)
class InstallResult:
    """What :func:`install_template` planned, saved and found when rendering a sample."""

    pages: tuple[PlannedPage, ...]
    saved: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()
    applied: bool = False
    outcomes: tuple[SaveResult, ...] = ()
    """What the save path did with each planned page (dry run: ``would save``...)."""


def install_template(
    wiki: Wiki,
    schema: Schema,
    *,
    summary: str,
    portable: bool = False,
    doc: DocMode = "subpage",
    apply: bool = False,
    allow_blanking: bool = False,
) -> InstallResult:
    """Create or update ``schema``'s template (and ``/doc``) on ``wiki``.

    Without ``apply`` nothing is written: the result holds the plan. With it, changed pages
    are saved conflict-safely, then a sample call is rendered and its problems returned
    (with the pages that were not saved: a conflict, or refused). ``allow_blanking`` lets
    the new template replace a page more than twice its size.
    """
    titles = [template_title(schema)] + ([] if doc == "inline" else [doc_title(schema)])
    sink = WikiSink(wiki)
    bases = sink.read(titles)
    current = {t: bases[t].text if t in bases else None for t in titles}
    plan = plan_install(schema, current, portable=portable, doc=doc)
    policy = SavePolicy(apply=apply, create=True, allow_blanking=allow_blanking)
    outcomes = tuple(
        save_page(sink, bases[p.title], p.text, summary=summary, policy=policy) for p in plan
    )
    if not apply:
        return InstallResult(tuple(plan), outcomes=outcomes)
    saved = tuple(o.title for o in outcomes if o.status is SaveStatus.SAVED)
    problems = [
        f"{o.title}: {o.status.value} ({o.reason})"
        for o in outcomes
        if o.status in (SaveStatus.CONFLICT, SaveStatus.REFUSED)
    ]
    if not portable:
        rendered = wiki.parse_text(sample_call(schema), f"Wikitools install check {schema.name}")
        problems += [f"{kind}: {count}" for kind, count in rendered.counts().items() if count]
        problems += [f"missing template: {t}" for t in rendered.missing_templates]
    return InstallResult(tuple(plan), saved, tuple(problems), applied=True, outcomes=outcomes)
