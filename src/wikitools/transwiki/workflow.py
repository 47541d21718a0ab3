"""The whole of ``deps plan`` / ``deps import`` as library calls (the CLI only prints)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from wikitools.deps.plan import Plan, make_plan
from wikitools.errors import ConfigError
from wikitools.mediawiki.wiki import Wiki
from wikitools.site.context import SiteContext
from wikitools.transwiki.importer import (
    ImportOutcome,
    ImportStatus,
    Method,
    choose_method,
    run_import,
)
from wikitools.transwiki.report import DepsReport
from wikitools.transwiki.sources import ApiSource, ApiTarget, OfflineSource
from wikitools.transwiki.verify import RenderCheck, verify_render


@dataclass
class DepsRun:
    """A plan and what was done with it."""

    plan: Plan
    method: Method | None = None
    outcomes: list[ImportOutcome] = field(default_factory=list)
    checks: list[RenderCheck] = field(default_factory=list)
    report: DepsReport = field(default_factory=DepsReport)


def seed_titles(
    source: ApiSource | OfflineSource, titles: Sequence[str], categories: Sequence[str]
) -> list[str]:
    """The seeds: titles, plus the members of categories on a live source."""
    seeds = list(titles)
    if categories:
        if not isinstance(source, ApiSource):
            raise ConfigError("--category needs a live source wiki (an api.php URL)")
        from wikitools.mediawiki.sources import category_members

        for category in categories:
            seeds.extend(category_members(source.wiki, category))
    if not seeds:
        raise ConfigError("name at least one seed page (TITLE or --category)")
    return seeds


def plan_run(
    source: ApiSource | OfflineSource,
    target: ApiTarget,
    seeds: Sequence[str],
    *,
    include_doc: bool = False,
) -> DepsRun:
    """Compute the plan and count it."""
    plan = make_plan(source, target, seeds, include_partial=include_doc)
    run = DepsRun(plan)
    run.report.planned.update({k: v for k, v in plan.counts().items() if v})
    run.report.prerequisites = len(plan.prerequisites)
    run.report.not_portable = len(plan.not_portable)
    return run


def import_run(
    run: DepsRun,
    source: ApiSource | OfflineSource,
    target: ApiTarget,
    *,
    apply: bool,
    method: str = "auto",
    interwiki_prefix: str = "imported",
    verify: bool = True,
    on_page: Callable[[ImportOutcome], None] | None = None,
) -> DepsRun:
    """Write the plan's new pages (dry run unless ``apply``), then render the seeds."""
    run.report.applied = apply
    run.method = choose_method(target, method)
    if apply and not target.wiki.logged_in:
        raise ConfigError(
            "--apply needs a login on the target: set WIKITOOLS_USERNAME and "
            "WIKITOOLS_PASSWORD (a bot password) or use --profile"
        )

    def count(outcome: ImportOutcome) -> None:
        run.report.written[outcome.status.value] += 1
        if outcome.status is ImportStatus.IMPORTED:
            run.report.writes += 1
        if on_page is not None:
            on_page(outcome)

    run.outcomes = run_import(
        run.plan,
        target,
        source,
        apply=apply,
        method=run.method,
        interwiki_prefix=interwiki_prefix,
        on_page=count,
    )
    if apply and verify:
        run.checks = check_render(target.wiki, run.plan, source)
        run.report.render_problems = sum(1 for c in run.checks if not c.ok)
    return run


def check_render(wiki: Wiki, plan: Plan, source: ApiSource | OfflineSource) -> list[RenderCheck]:
    """Render the seeds on the target (see :mod:`wikitools.transwiki.verify`)."""
    return verify_render(wiki, plan, source.namespaces)


def import_before_fixing(
    client: Wiki,
    source_spec: str,
    titles: Sequence[str],
    *,
    apply: bool,
    on_line: Callable[[str], None],
) -> SiteContext | None:
    """``fix-wiki --import-from``: bring what the pages need from the source first.

    With ``apply`` the new pages are imported (the fixer then finds them on the wiki);
    in a dry run the site the fixer asks is the wiki plus the planned pages. Either way a
    missing template or module the source has is imported, not rewritten. Returns the site
    the fixer should use (None: the live wiki as it now is).
    """
    from wikitools.deps.overlay import OverlaySite
    from wikitools.mediawiki.live_site import ApiSiteContext
    from wikitools.transwiki.sources import open_source

    source = open_source(source_spec, maxlag=client.transport.maxlag)
    target = ApiTarget(client)
    run = plan_run(source, target, titles)
    for prerequisite in run.plan.prerequisites:
        on_line(prerequisite.line())
    for entry in run.plan.entries:
        if not entry.seed and entry.status.value != "identical":
            on_line(f"import {entry.line()}")
    if apply:
        import_run(
            run, source, target, apply=True, verify=False, on_page=lambda o: on_line(o.line())
        )
        return None
    pages = {e.target_title: e.page.text for e in run.plan.to_import}
    return OverlaySite(ApiSiteContext(client), pages)
