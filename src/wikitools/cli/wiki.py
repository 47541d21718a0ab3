"""``wikitools pull``, ``push`` and ``fix-wiki``: working on a live wiki.

Credentials come from ``WIKITOOLS_USERNAME``/``WIKITOOLS_PASSWORD`` or a profile in the
credentials file (see :mod:`wikitools.mediawiki.auth`), never from the command line,
and go only to the wiki they are for: ``push`` without ``--wiki`` logs in to the manifest's
wiki only when a profile names it. Plain ``http://`` logins to another machine need
``--allow-insecure-login``; URLs with ``user:password@`` in them are refused.
``fix-wiki`` was spelled ``fix --wiki`` before; that spelling still works (with a
deprecation line on stderr).
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from wikitools.cli import options as opt
from wikitools.cli.common import ProgressDisplay, fail, finish, term, write_diff

if TYPE_CHECKING:
    from wikitools.bot.botrun import BotControls
    from wikitools.bot.outcome import PageOutcome
    from wikitools.bot.pull import PulledFile
    from wikitools.mediawiki import PageSelection, Wiki
    from wikitools.site.context import SiteContext

AllowInsecureLoginOpt = Annotated[
    bool,
    typer.Option(
        "--allow-insecure-login",
        help="Log in over plain http:// to a machine other than this one (the password "
        "crosses the network unencrypted). Also: WIKITOOLS_ALLOW_INSECURE_LOGIN=1.",
    ),
]


def connect(
    wiki: str,
    profile: str | None,
    user_agent: str | None,
    maxlag: int,
    *,
    origin: str | None = None,
    allow_insecure_login: bool = False,
) -> Wiki:
    """A client for ``wiki``, logged in when credentials for it are configured.

    ``origin`` says where the URL was read when the user did not name it (a manifest):
    then only a profile naming that wiki gives it credentials. A read-only wiki stops the
    command at once with one ``error:`` line instead of being waited for.
    """
    from wikitools.mediawiki import Wiki
    from wikitools.mediawiki.retry import STOP_ON_READ_ONLY

    return Wiki.connect(
        wiki,
        profile=profile,
        user_agent=user_agent or None,
        maxlag=maxlag,
        origin=origin,
        allow_insecure_login=allow_insecure_login,
        retry=STOP_ON_READ_ONLY,
    )


def selection(
    titles: Sequence[str] | None,
    category: Sequence[str] | None,
    depth: int,
    prefix: Sequence[str] | None,
    embedded_in: Sequence[str] | None,
    search: Sequence[str] | None,
    titles_file: Sequence[Path] | None,
) -> PageSelection:
    """The pages chosen on the command line."""
    from wikitools.mediawiki import PageSelection

    return PageSelection(
        titles=tuple(titles or ()),
        categories=tuple(category or ()),
        depth=depth,
        prefixes=tuple(prefix or ()),
        embedded_in=tuple(embedded_in or ()),
        searches=tuple(search or ()),
        titles_files=tuple(titles_file or ()),
    )


def require_login(client: Wiki) -> None:
    """Refuse to save anonymously."""
    from wikitools.errors import ConfigError
    from wikitools.mediawiki.auth import ENV_PASSWORD, ENV_USERNAME

    if not client.logged_in:
        raise ConfigError(
            f"--apply needs a login: set {ENV_USERNAME} and {ENV_PASSWORD} "
            "(a bot password from Special:BotPasswords) or use --profile"
        )


def pull_command(
    titles: Annotated[
        list[str] | None, typer.Argument(help="Page titles.", metavar="TITLE")
    ] = None,
    output: Annotated[
        Path,
        typer.Option("--output", "-o", metavar="DIR", help="Directory to write pages into."),
    ] = Path("pages"),
    wiki: opt.WikiOpt = None,
    category: opt.CategoryOpt = None,
    depth: opt.DepthOpt = 0,
    prefix: opt.PrefixOpt = None,
    embedded_in: opt.EmbeddedOpt = None,
    search: opt.SearchOpt = None,
    titles_file: opt.TitlesFileOpt = None,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite files edited locally since the last pull.")
    ] = False,
    profile: opt.ProfileOpt = None,
    user_agent: opt.UserAgentOpt = None,
    maxlag: opt.MaxlagOpt = 5,
    allow_insecure_login: AllowInsecureLoginOpt = False,
) -> None:
    """Copy pages from a wiki into a directory: one .wiki file each, plus a manifest.

    One line per page on stdout; exit code 1 when a page was missing or skipped.
    """
    from wikitools.bot.pull import pull
    from wikitools.reporting.run import PullReport

    if wiki is None:
        raise fail("--wiki is required (the wiki's api.php URL)")
    report = PullReport(directory=str(output))
    client = connect(wiki, profile, user_agent, maxlag, allow_insecure_login=allow_insecure_login)
    chosen = selection(titles, category, depth, prefix, embedded_in, search, titles_file)
    wanted = list(chosen.iter_titles(client))
    with ProgressDisplay("pulling") as progress:

        def show(result: PulledFile) -> None:
            report.add(result.status)
            term.line(result.line())
            progress(sum(report.statuses.values()), len(wanted))

        pull(client, wanted, output, force=force, on_page=show)
    finish(report)


def push_command(
    directory: Annotated[
        Path, typer.Argument(help="A directory made by 'wikitools pull'.", metavar="DIR")
    ],
    summary: opt.SummaryOpt = None,
    wiki: opt.WikiOpt = None,
    apply: opt.ApplyOpt = False,
    diff: Annotated[bool, typer.Option("--diff", help="Show what would change as a diff.")] = False,
    create: opt.CreateOpt = False,
    allow_blanking: opt.AllowBlankingOpt = False,
    minor: opt.MinorOpt = False,
    bot: opt.BotFlagOpt = False,
    profile: opt.ProfileOpt = None,
    user_agent: opt.UserAgentOpt = None,
    maxlag: opt.MaxlagOpt = 5,
    allow_insecure_login: AllowInsecureLoginOpt = False,
) -> None:
    """Save the pages of a pulled directory that were edited locally (dry run unless --apply).

    New files are reported, and created only with --create. A block or a read-only wiki
    stops the run (exit 2) after the summary of what was done.
    """
    from wikitools.bot.outcome import Status
    from wikitools.bot.push import PushOptions, open_pulled, push, push_target
    from wikitools.errors import RunFatalError
    from wikitools.reporting.run import EditReport

    manifest = open_pulled(directory)
    if apply and (not summary or not summary.strip()):
        raise fail("--summary is required with --apply: say what the edits do")
    target, origin = push_target(manifest, wiki)
    client = connect(
        target,
        profile,
        user_agent,
        maxlag,
        origin=origin,
        allow_insecure_login=allow_insecure_login,
    )
    if apply:
        require_login(client)
    options = PushOptions(
        summary=summary or "",
        apply=apply,
        minor=minor,
        bot=bot,
        create=create,
        allow_blanking=allow_blanking,
    )
    report = EditReport(applied=apply)

    def show(outcome: PageOutcome) -> None:
        report.add(outcome.status.value)
        if outcome.status is not Status.UNCHANGED:
            print_outcome(outcome, diff)

    try:
        push(client, directory, options, on_page=show)
    except RunFatalError as exc:
        report.fatal = f"stopped: {exc}"
    finish(report)


JournalOpt = Annotated[
    Path | None,
    typer.Option(
        "--journal",
        metavar="FILE",
        help="Record each save (intent before, outcome after) in this SQLite file; rerun "
        "with the same file to resume: done pages are skipped, interrupted saves settled.",
    ),
]
ThrottleOpt = Annotated[
    float | None,
    typer.Option(
        "--throttle",
        metavar="SECONDS",
        help="Seconds between saves, shared by every wikitools run against this wiki "
        "(default: 10, or 0 for a wiki on this machine).",
    ),
]
LimitOpt = Annotated[
    int | None,
    typer.Option("--limit", metavar="N", help="Make at most N edits, then stop."),
]
StopPageOpt = Annotated[
    str | None,
    typer.Option(
        "--stop-page",
        metavar="TITLE",
        help="Go on only while this page says 'true'; anything else, or a page that is "
        "missing or cannot be read, stops the run.",
    ),
]
StopEveryOpt = Annotated[
    int,
    typer.Option(
        "--stop-check-every",
        metavar="N",
        help="Check the stop page and talk page again after every N saves (default 1).",
    ),
]
StopIntervalOpt = Annotated[
    float,
    typer.Option(
        "--stop-check-interval",
        metavar="SECONDS",
        help="Also check again once SECONDS seconds passed since the last check (default 60).",
    ),
]
IgnoreTalkOpt = Annotated[
    bool,
    typer.Option(
        "--ignore-talk-messages",
        help="Do not stop when the bot account gets a message on its talk page.",
    ),
]
IgnoreBotsOpt = Annotated[
    bool,
    typer.Option("--ignore-nobots", help="Edit pages whose {{bots}}/{{nobots}} exclude this bot."),
]
TagOpt = Annotated[
    list[str] | None,
    typer.Option("--tag", metavar="TAG", help="Add this change tag to each edit (repeatable)."),
]
RecentOpt = Annotated[
    float | None,
    typer.Option("--recent-changes", metavar="HOURS", help="Pages edited in the last HOURS hours."),
]
NamespaceOpt = Annotated[
    list[int] | None,
    typer.Option(
        "--namespace",
        metavar="NS",
        help="Only pages in this namespace number (repeatable); --all-pages lists it.",
    ),
]
AllPagesOpt = Annotated[
    bool,
    typer.Option("--all-pages", help="Every page of --namespace (default: the main namespace)."),
]
CandidatesOpt = Annotated[
    Path | None,
    typer.Option(
        "--candidates-from",
        metavar="DUMP",
        help="Lint this XML dump offline and fix the live pages it finds problems in.",
    ),
]
ReportOpt = Annotated[
    Path | None,
    typer.Option(
        "--report", metavar="FILE", help="Append every page outcome to FILE as JSON lines."
    ),
]


def fix_wiki_command(
    titles: Annotated[
        list[str] | None, typer.Argument(help="Page titles.", metavar="TITLE")
    ] = None,
    wiki: opt.WikiOpt = None,
    category: opt.CategoryOpt = None,
    depth: opt.DepthOpt = 0,
    prefix: opt.PrefixOpt = None,
    embedded_in: opt.EmbeddedOpt = None,
    search: opt.SearchOpt = None,
    titles_file: opt.TitlesFileOpt = None,
    recent_changes: RecentOpt = None,
    namespace: NamespaceOpt = None,
    all_pages: AllPagesOpt = False,
    candidates_from: CandidatesOpt = None,
    config: opt.ConfigOpt = None,
    select: opt.SelectOpt = None,
    ignore: opt.IgnoreOpt = None,
    output: Annotated[
        str, typer.Option("--format", metavar="FORMAT", help="Output: text or json.")
    ] = "text",
    unsafe_fixes: opt.UnsafeFixesOpt = False,
    diff: Annotated[bool, typer.Option("--diff", help="Show each change as a diff.")] = False,
    summary: opt.SummaryOpt = None,
    apply: opt.ApplyOpt = False,
    verify: Annotated[
        bool,
        typer.Option(
            "--verify", help="Render before and after on the wiki; refuse saves that render worse."
        ),
    ] = False,
    minor: opt.MinorOpt = False,
    bot: opt.BotFlagOpt = False,
    tag: TagOpt = None,
    journal: JournalOpt = None,
    throttle: ThrottleOpt = None,
    limit: LimitOpt = None,
    stop_page: StopPageOpt = None,
    stop_check_every: StopEveryOpt = 1,
    stop_check_interval: StopIntervalOpt = 60.0,
    ignore_talk_messages: IgnoreTalkOpt = False,
    ignore_nobots: IgnoreBotsOpt = False,
    report_file: ReportOpt = None,
    profile: opt.ProfileOpt = None,
    user_agent: opt.UserAgentOpt = None,
    maxlag: opt.MaxlagOpt = 5,
    allow_insecure_login: AllowInsecureLoginOpt = False,
    import_from: ImportFromOpt = None,
) -> None:
    """Fix pages of a live wiki with what the wiki itself knows (a dry run unless --apply).

    Pages are chosen by title and the selection options; one line per page on stdout
    (or a JSON list with --format json), a progress bar on a terminal, and the run's
    statistics on stderr. Exit code 1 when a page needs attention (skipped, edit conflict,
    refused by the wiki); 2 when the run stopped (a block, a read-only wiki, the stop page).
    """
    import json

    from wikitools.bot.botrun import BotRun
    from wikitools.bot.pipeline import FixOptions, engine_fixer
    from wikitools.bot.stats import RunStats
    from wikitools.errors import RunFatalError
    from wikitools.reporting.run import EditReport

    if wiki is None:
        raise fail("--wiki is required (the wiki's api.php URL)")
    if output not in ("text", "json"):
        raise fail(f"unknown format {output!r} for fix-wiki (choose text or json)")
    if limit is not None and limit < 0:
        raise fail("--limit must be 0 or more")
    if throttle is not None and throttle < 0:
        raise fail("--throttle must be 0 or more seconds")
    if recent_changes is not None and recent_changes <= 0:
        raise fail("--recent-changes needs a positive number of hours")
    if candidates_from is not None and not candidates_from.is_file():
        raise fail(f"{candidates_from}: no such dump file")
    settings = opt.load_settings(config, select, ignore)
    settings = settings.with_overrides(unsafe_fixes=unsafe_fixes or None)
    client = connect(wiki, profile, user_agent, maxlag, allow_insecure_login=allow_insecure_login)
    if apply:
        require_login(client)
    chosen = selection(titles, category, depth, prefix, embedded_in, search, titles_file)
    extra = []
    if candidates_from is not None:
        from wikitools.bot.candidates import dump_candidates

        extra.append(dump_candidates(candidates_from, settings))
    chosen = dataclasses.replace(
        chosen,
        recent_hours=recent_changes,
        all_pages=all_pages,
        namespaces=tuple(namespace) if namespace else None,
        extra=tuple(extra),
    )
    options = FixOptions(
        summary=summary,
        apply=apply,
        verify=verify,
        minor=minor,
        bot=bot,
        tags=tuple(tag or ()),
        honour_bots=not ignore_nobots,
    )
    fixer = engine_fixer(settings, unsafe=settings.unsafe_fixes)
    report = EditReport(applied=apply)
    stats = RunStats()
    records = []
    with contextlib.ExitStack() as stack:
        controls = _controls(
            client,
            stack,
            journal=journal,
            throttle=throttle,
            limit=limit,
            stop_page=stop_page,
            every=stop_check_every,
            interval=stop_check_interval,
            hasmsg=apply and not ignore_talk_messages,
            candidates=candidates_from is not None,
        )
        log = None
        if report_file is not None:
            from wikitools.bot.report import OutcomeLog

            run_id = controls.journal.run_id if controls.journal is not None else None
            log = stack.enter_context(OutcomeLog(report_file, run_id=run_id))
        wanted = list(chosen.iter_titles(client))
        site = import_first(client, import_from, wanted, apply)  # --import-from (deps import)
        run = BotRun(client, fixer, options, controls, site=site)
        with ProgressDisplay("fixing") as progress:
            try:
                for done, outcome in enumerate(run.run(wanted), 1):
                    report.add(outcome.status.value)
                    stats.add(outcome)
                    if log is not None:
                        log.add(outcome)
                    if output == "text":
                        print_outcome(outcome, diff)
                    else:
                        records.append(outcome_record(outcome))
                    progress(done, len(wanted))
            except RunFatalError as exc:
                report.fatal = f"stopped: {exc}"
        if run.ended is not None:
            term.note(f"stopped: {run.ended}")
    if output == "json":
        term.out.print(json.dumps(records, indent=2), markup=False)
    for line in stats.lines():
        term.note(line)
    finish(report)


def _controls(
    client: Wiki,
    stack: contextlib.ExitStack,
    *,
    journal: Path | None,
    throttle: float | None,
    limit: int | None,
    stop_page: str | None,
    every: int,
    interval: float,
    hasmsg: bool,
    candidates: bool,
) -> BotControls:
    """The bot-run controls of the command line's options."""
    from wikitools.bot.botrun import BotControls
    from wikitools.bot.journal import Journal
    from wikitools.bot.stopcheck import StopCheck
    from wikitools.mediawiki.throttle import Throttle, default_interval

    pace = throttle if throttle is not None else default_interval(client.api_url)
    opened = None
    if journal is not None:
        opened = stack.enter_context(Journal(journal, client.api_url))
    stop = None
    if stop_page is not None or hasmsg:
        stop = StopCheck(client, stop_page=stop_page, hasmsg=hasmsg, every=every, interval=interval)
    return BotControls(
        journal=opened,
        limit=limit,
        throttle=Throttle(client.api_url, pace) if pace > 0 else None,
        stop=stop,
        candidates=candidates,
    )


# -- fix-wiki --import-from: import missing templates and modules instead of rewriting calls --

ImportFromOpt = Annotated[
    str | None,
    typer.Option(
        "--import-from",
        metavar="SOURCE",
        help="Import the templates and modules the pages lack from SOURCE (an api.php URL, "
        "a dump or a pull directory) instead of rewriting their calls ('wikitools deps').",
    ),
]


def import_first(
    client: Wiki, source: str | None, titles: Sequence[str], apply: bool
) -> SiteContext | None:
    """The site the fixer asks: after importing from ``source`` (or a dry run's view of it)."""
    if source is None:
        return None
    from wikitools.transwiki.workflow import import_before_fixing

    return import_before_fixing(client, source, titles, apply=apply, on_line=term.note)


def print_outcome(outcome: PageOutcome, diff: bool) -> None:
    """One line for the page, and its diff when asked and there is one."""
    from wikitools.bot.outcome import Status
    from wikitools.reporting.formatters import unified_diff

    line = outcome.line()
    if outcome.status in (Status.CHANGED, Status.WOULD_CHANGE) and outcome.new_text is not None:
        line += f" [{_size_change(outcome.old_text or '', outcome.new_text)}]"
    term.line(line)
    shown = (Status.CHANGED, Status.WOULD_CHANGE, Status.CONFLICT)
    if diff and outcome.status in shown and outcome.old_text is not None:
        new = outcome.new_text or ""
        write_diff(unified_diff(outcome.title, outcome.old_text, new))


def outcome_record(outcome: PageOutcome) -> dict[str, object]:
    """The JSON form of an outcome."""
    from wikitools.bot.report import outcome_record as record

    return record(outcome)


def _size_change(old: str, new: str) -> str:
    delta = len(new) - len(old)
    return f"{delta:+d} characters"
