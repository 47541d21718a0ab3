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

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from wikitools.cli import options as opt
from wikitools.cli.common import ProgressDisplay, fail, finish, term, write_diff

if TYPE_CHECKING:
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
    then only a profile naming that wiki gives it credentials.
    """
    from wikitools.mediawiki import Wiki

    return Wiki.connect(
        wiki,
        profile=profile,
        user_agent=user_agent or None,
        maxlag=maxlag,
        origin=origin,
        allow_insecure_login=allow_insecure_login,
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
    profile: opt.ProfileOpt = None,
    user_agent: opt.UserAgentOpt = None,
    maxlag: opt.MaxlagOpt = 5,
    allow_insecure_login: AllowInsecureLoginOpt = False,
    import_from: ImportFromOpt = None,
) -> None:
    """Fix pages of a live wiki with what the wiki itself knows (a dry run unless --apply).

    Pages are chosen by title and the selection options; one line per page on stdout
    (or a JSON list with --format json). Exit code 1 when a page needs attention
    (skipped, edit conflict, refused by the wiki).
    """
    import json

    from wikitools.bot.pipeline import FixOptions, engine_fixer, iter_fix_pages
    from wikitools.errors import RunFatalError
    from wikitools.reporting.run import EditReport

    if wiki is None:
        raise fail("--wiki is required (the wiki's api.php URL)")
    if output not in ("text", "json"):
        raise fail(f"unknown format {output!r} for fix-wiki (choose text or json)")
    settings = opt.load_settings(config, select, ignore)
    settings = settings.with_overrides(unsafe_fixes=unsafe_fixes or None)
    client = connect(wiki, profile, user_agent, maxlag, allow_insecure_login=allow_insecure_login)
    if apply:
        require_login(client)
    chosen = selection(titles, category, depth, prefix, embedded_in, search, titles_file)
    wanted = list(chosen.iter_titles(client))
    options = FixOptions(summary=summary, apply=apply, verify=verify, minor=minor, bot=bot)
    fixer = engine_fixer(settings, unsafe=settings.unsafe_fixes)
    report = EditReport(applied=apply)
    records = []
    site = import_first(client, import_from, wanted, apply)  # --import-from (deps import)
    with ProgressDisplay("fixing") as progress:
        try:
            pages = iter_fix_pages(client, wanted, fixer, options, site=site)
            for done, outcome in enumerate(pages, 1):
                report.add(outcome.status.value)
                if output == "text":
                    print_outcome(outcome, diff)
                else:
                    records.append(outcome_record(outcome))
                progress(done, len(wanted))
        except RunFatalError as exc:
            report.fatal = f"stopped: {exc}"
    if output == "json":
        term.out.print(json.dumps(records, indent=2), markup=False)
    finish(report)


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
    return {
        "title": outcome.title,
        "status": outcome.status.value,
        "reason": outcome.reason,
        "fixes": list(outcome.fixes),
        "revid": outcome.revid,
        "rebased": outcome.rebased,
    }


def _size_change(old: str, new: str) -> str:
    delta = len(new) - len(old)
    return f"{delta:+d} characters"
