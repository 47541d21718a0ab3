"""``wikitools pull``, ``push`` and ``fix --wiki``: working on a live wiki.

Credentials come from ``WIKITOOLS_USERNAME``/``WIKITOOLS_PASSWORD`` or a profile in the
credentials file (see :mod:`wikitools.mediawiki.auth`), never from the command line.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from wikitools.bot.outcome import PageOutcome, Status, summary_line, tally
from wikitools.bot.pipeline import FixOptions, engine_fixer, iter_fix_pages
from wikitools.bot.pull import PulledFile, pull
from wikitools.bot.push import PushOptions, push
from wikitools.cli.common import EXIT_OK, EXIT_PROBLEMS, cli_errors, err, fail, out, write_diff
from wikitools.config import Config
from wikitools.errors import ConfigError
from wikitools.layout import Manifest
from wikitools.mediawiki import PageSelection, Wiki
from wikitools.mediawiki.auth import ENV_PASSWORD, ENV_USERNAME
from wikitools.reporting.formatters import unified_diff

WikiOpt = Annotated[
    str | None,
    typer.Option("--wiki", envvar="WIKITOOLS_WIKI", help="The wiki's api.php URL."),
]
ProfileOpt = Annotated[
    str | None,
    typer.Option("--profile", help="Credentials profile (see README); env vars win."),
]
UserAgentOpt = Annotated[
    str | None,
    typer.Option(
        "--user-agent",
        envvar="WIKITOOLS_USER_AGENT",
        help="Describe your bot and how to reach you, e.g. 'FixBot/1.0 (User:Me)'.",
    ),
]
MaxlagOpt = Annotated[int, typer.Option("--maxlag", min=0, help="Back off when lag exceeds this.")]
CategoryOpt = Annotated[
    list[str] | None, typer.Option("--category", help="Pages in this category (repeatable).")
]
DepthOpt = Annotated[int, typer.Option("--depth", min=0, help="Subcategory depth for --category.")]
PrefixOpt = Annotated[
    list[str] | None, typer.Option("--prefix", help="Pages whose title starts with this.")
]
EmbeddedOpt = Annotated[
    list[str] | None, typer.Option("--embedded-in", help="Pages that transclude this template.")
]
SearchOpt = Annotated[list[str] | None, typer.Option("--search", help="Pages the search finds.")]
TitlesFileOpt = Annotated[
    list[Path] | None, typer.Option("--titles-file", help="A file of titles, one per line.")
]
SummaryOpt = Annotated[str | None, typer.Option("--summary", help="Edit summary.")]
ApplyOpt = Annotated[
    bool, typer.Option("--apply", help="Really save. Without it nothing is written (dry run).")
]
MinorOpt = Annotated[bool, typer.Option("--minor/--no-minor", help="Mark edits as minor.")]
BotFlagOpt = Annotated[bool, typer.Option("--bot", help="Flag edits as bot edits.")]


def connect(wiki: str, profile: str | None, user_agent: str | None, maxlag: int) -> Wiki:
    """A client for ``wiki``, logged in when credentials are configured."""
    return Wiki.connect(wiki, profile=profile, user_agent=user_agent or None, maxlag=maxlag)


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
    if not client.logged_in:
        raise ConfigError(
            f"--apply needs a login: set {ENV_USERNAME} and {ENV_PASSWORD} "
            "(a bot password from Special:BotPasswords) or use --profile"
        )


@contextmanager
def progress_bar(total: int, label: str) -> Iterator[Callable[[], None]]:
    """A rich progress bar on stderr when it is a terminal; yields the advance function."""
    progress = Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )
    with progress:
        task = progress.add_task(label, total=total)
        yield lambda: progress.advance(task)


def pull_command(
    titles: Annotated[list[str] | None, typer.Argument(help="Page titles.")] = None,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Directory to write pages into.")
    ] = Path("pages"),
    wiki: WikiOpt = None,
    category: CategoryOpt = None,
    depth: DepthOpt = 0,
    prefix: PrefixOpt = None,
    embedded_in: EmbeddedOpt = None,
    search: SearchOpt = None,
    titles_file: TitlesFileOpt = None,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite files edited locally since the last pull.")
    ] = False,
    profile: ProfileOpt = None,
    user_agent: UserAgentOpt = None,
    maxlag: MaxlagOpt = 5,
) -> None:
    """Copy pages from a wiki into a directory: one .wiki file each, plus a manifest."""
    results: list[PulledFile] = []
    with cli_errors():
        if wiki is None:
            raise fail("--wiki is required (the wiki's api.php URL)")
        client = connect(wiki, profile, user_agent, maxlag)
        chosen = selection(titles, category, depth, prefix, embedded_in, search, titles_file)
        wanted = list(chosen.iter_titles(client))
        with progress_bar(len(wanted), "pulling") as advance:

            def report(result: PulledFile) -> None:
                results.append(result)
                out.print(result.line(), markup=False)
                advance()

            pull(client, wanted, output, force=force, on_page=report)
    counts = {s: sum(r.status == s for r in results) for s in ("written", "up to date")}
    problems = len(results) - sum(counts.values())
    err.print(
        f"{counts['written']} written, {counts['up to date']} up to date, "
        f"{problems} missing or skipped ({output})",
        markup=False,
    )
    raise typer.Exit(EXIT_PROBLEMS if problems else EXIT_OK)


def push_command(
    directory: Annotated[Path, typer.Argument(help="A directory made by 'wikitools pull'.")],
    summary: SummaryOpt = None,
    wiki: WikiOpt = None,
    apply: ApplyOpt = False,
    diff: Annotated[bool, typer.Option("--diff", help="Show what would change as a diff.")] = False,
    minor: MinorOpt = False,
    bot: BotFlagOpt = False,
    profile: ProfileOpt = None,
    user_agent: UserAgentOpt = None,
    maxlag: MaxlagOpt = 5,
) -> None:
    """Save the pages of a pulled directory that were edited locally (dry run unless --apply)."""
    outcomes: list[PageOutcome] = []
    with cli_errors():
        if not summary or not summary.strip():
            raise fail("--summary is required: say what the edits do")
        manifest = Manifest.load(directory)
        client = connect(wiki or manifest.wiki, profile, user_agent, maxlag)
        if apply:
            require_login(client)
        options = PushOptions(summary=summary, apply=apply, minor=minor, bot=bot)

        def report(outcome: PageOutcome) -> None:
            outcomes.append(outcome)
            if outcome.status is not Status.UNCHANGED:
                print_outcome(outcome, diff)

        push(client, directory, options, on_page=report)
    finish(outcomes, apply)


def fix_live(
    titles: Sequence[str],
    *,
    wiki: str,
    config: Config,
    unsafe: bool,
    pages: PageSelection,
    summary: str | None,
    apply: bool,
    verify: bool,
    diff: bool,
    minor: bool,
    bot: bool,
    output: str,
    profile: str | None,
    user_agent: str | None,
    maxlag: int,
) -> None:
    """``wikitools fix --wiki``: fix live pages with the live SiteContext (see the pipeline)."""
    outcomes: list[PageOutcome] = []
    with cli_errors():
        if output not in ("text", "json"):
            raise fail("with --wiki, --format is text or json")
        client = connect(wiki, profile, user_agent, maxlag)
        if apply:
            require_login(client)
        chosen = PageSelection(
            titles=tuple(titles) + tuple(pages.titles),
            categories=pages.categories,
            depth=pages.depth,
            prefixes=pages.prefixes,
            embedded_in=pages.embedded_in,
            searches=pages.searches,
            titles_files=pages.titles_files,
        )
        wanted = list(chosen.iter_titles(client))
        options = FixOptions(summary=summary, apply=apply, verify=verify, minor=minor, bot=bot)
        fixer = engine_fixer(config, unsafe=unsafe)
        with progress_bar(len(wanted), "fixing") as advance:
            for outcome in iter_fix_pages(client, wanted, fixer, options):
                outcomes.append(outcome)
                if output == "text":
                    print_outcome(outcome, diff)
                advance()
    if output == "json":
        out.print(json.dumps([outcome_record(o) for o in outcomes], indent=2), markup=False)
    finish(outcomes, apply)


def print_outcome(outcome: PageOutcome, diff: bool) -> None:
    """One line for the page, and its diff when asked and there is one."""
    line = outcome.line()
    if outcome.status in (Status.CHANGED, Status.WOULD_CHANGE) and outcome.new_text is not None:
        line += f" [{_size_change(outcome.old_text or '', outcome.new_text)}]"
    out.print(line, markup=False)
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


def finish(outcomes: Sequence[PageOutcome], apply: bool) -> None:
    """Print the summary and exit: 1 when a page needs attention (conflict, failure, skip)."""
    counts = tally(outcomes)
    note = "" if apply else " (dry run: nothing saved; use --apply)"
    err.print(f"{summary_line(counts)}{note}", markup=False)
    attention = counts[Status.CONFLICT] + counts[Status.FAILED] + counts[Status.SKIPPED]
    raise typer.Exit(EXIT_PROBLEMS if attention else EXIT_OK)


def _size_change(old: str, new: str) -> str:
    delta = len(new) - len(old)
    return f"{delta:+d} characters"
