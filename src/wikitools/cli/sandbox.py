"""``wikitools sandbox start|status|stop``: a local MediaWiki to rehearse bot runs on."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from wikitools.cli.common import PlainCommand, PlainGroup, finish, term

if TYPE_CHECKING:
    from wikitools.sandbox.wiki import SandboxWiki

app = typer.Typer(
    cls=PlainGroup,
    help="A local sandbox MediaWiki (SQLite, Scribunto, ParserFunctions, Cite, TemplateData) "
    "to rehearse bot runs before touching a live wiki.",
    no_args_is_help=True,
)

DEFAULT_DIR = Path(".wikitools-sandbox")

DirOption = Annotated[
    Path,
    typer.Option(
        "--dir",
        "-d",
        metavar="DIR",
        help="Directory holding the sandbox wiki (created on first start, kept after stop).",
    ),
]


def _describe(wiki: SandboxWiki) -> None:
    from wikitools.sandbox.wiki import read_credentials

    out = term.out
    credentials = read_credentials(wiki.credentials_path)
    out.print(f"API URL:     {wiki.api_url}", markup=False)
    out.print(f"Admin user:  {wiki.admin_username}", markup=False)
    if "WIKITOOLS_USERNAME" in credentials:
        out.print(f"Bot user:    {credentials['WIKITOOLS_USERNAME']}", markup=False)
    out.print(f"Credentials: {wiki.credentials_path} (mode 0600)", markup=False)


@app.command(cls=PlainCommand)
def start(
    directory: DirOption = DEFAULT_DIR,
    port: Annotated[
        int | None,
        typer.Option(
            "--port",
            "-p",
            metavar="PORT",
            min=1,
            max=65535,
            help="Port on 127.0.0.1 (default: free).",
        ),
    ] = None,
    extension: Annotated[
        list[Path] | None,
        typer.Option(
            "--extension",
            "-e",
            metavar="PATH",
            envvar="WIKITOOLS_SANDBOX_EXTENSIONS",
            help="Also load this extension folder (with extension.json), or a PHP library an "
            "extension needs (e.g. css-sanitizer for TemplateStyles). Repeatable; also "
            "$WIKITOOLS_SANDBOX_EXTENSIONS (paths separated by ':').",
        ),
    ] = None,
) -> None:
    """Start the sandbox wiki in the background and print where it is.

    Passwords are never printed: they are in the credentials file, as WIKITOOLS_USERNAME /
    WIKITOOLS_PASSWORD (a bot password) and WIKITOOLS_SANDBOX_ADMIN_* (the admin account).
    """
    from wikitools.reporting.run import RunReport
    from wikitools.sandbox.wiki import SandboxWiki, read_credentials

    out = term.out
    wiki = SandboxWiki(directory, port=port, extensions=extension or ())
    if SandboxWiki.is_sandbox(wiki.directory):
        existing = SandboxWiki.attach(directory)
        if existing.running:
            out.print("The sandbox wiki is already running.", markup=False)
            _describe(existing)
            finish(RunReport())
    wiki.start(detach=True)
    if "WIKITOOLS_USERNAME" not in read_credentials(wiki.credentials_path):
        wiki.create_bot_password("wikitools", save=True)
    out.print(f"Sandbox wiki running in {wiki.directory}", markup=False)
    for loaded in wiki.extensions:
        kind = "library" if loaded.is_library else "extension"
        out.print(f"Loaded {kind} {loaded.name} from {loaded.path}", markup=False)
    _describe(wiki)
    out.print(f"Load the credentials with: set -a; . {wiki.credentials_path}; set +a", markup=False)
    out.print(f"Stop it with: wikitools sandbox stop --dir {directory}", markup=False)
    finish(RunReport())


@app.command(cls=PlainCommand)
def status(directory: DirOption = DEFAULT_DIR) -> None:
    """Say whether the sandbox wiki is running (exit code 1 if not)."""
    from wikitools.reporting.run import CheckReport
    from wikitools.sandbox.wiki import SandboxWiki

    wiki = SandboxWiki.attach(directory)
    report = CheckReport(checked=1, failed=0 if wiki.running else 1)
    if not wiki.running:
        term.line(f"The sandbox wiki in {wiki.directory} is not running.")
        finish(report)
    term.line(f"The sandbox wiki in {wiki.directory} is running.")
    _describe(wiki)
    finish(report)


@app.command(cls=PlainCommand)
def stop(directory: DirOption = DEFAULT_DIR) -> None:
    """Stop the sandbox wiki (its pages are kept for the next start)."""
    from wikitools.reporting.run import RunReport
    from wikitools.sandbox.wiki import SandboxWiki

    wiki = SandboxWiki.attach(directory)
    if not wiki.running:
        term.line(f"The sandbox wiki in {wiki.directory} was not running.")
    else:
        wiki.stop()
        term.line(f"Stopped the sandbox wiki in {wiki.directory}.")
    finish(RunReport())


@app.command("import", cls=PlainCommand)
def import_(
    dump: Annotated[
        Path,
        typer.Argument(
            help="XML export (.xml, .xml.gz, .xml.bz2), e.g. from Special:Export.", metavar="DUMP"
        ),
    ],
    directory: DirOption = DEFAULT_DIR,
) -> None:
    """Import pages from an XML export into the sandbox wiki (importDump.php)."""
    from wikitools.reporting.run import RunReport
    from wikitools.sandbox.wiki import SandboxWiki

    wiki = SandboxWiki.attach(directory)
    wiki.import_dump(dump)
    term.line(f"Imported {dump} into the sandbox wiki in {wiki.directory}.")
    finish(RunReport())
