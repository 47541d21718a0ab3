"""The whole of ``deps plan`` / ``deps import`` as library calls (the CLI only prints)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from wikitools.deps.plan import Plan, make_plan
from wikitools.errors import ConfigError
from wikitools.mediawiki.wiki import Wiki
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
