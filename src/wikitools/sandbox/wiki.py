"""SandboxWiki: a throwaway (or kept) local MediaWiki served by PHP's built-in server."""

from __future__ import annotations

import atexit
import contextlib
import json
import logging
import re
import shutil
import subprocess
import tempfile
import threading
import time
import weakref
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

from wikitools.errors import SandboxError
from wikitools.fileio import write_text_atomic
from wikitools.mediawiki.parse import ParseResult
from wikitools.mediawiki.wiki import Wiki
from wikitools.sandbox import server, template
from wikitools.sandbox.extensions import extension_settings, resolve_extensions
from wikitools.sandbox.install import MediaWikiInstall, ensure_mediawiki
from wikitools.sandbox.session import AdminSession
from wikitools.xmlsafe import check_file

logger = logging.getLogger(__name__)

CREDENTIALS_FILE = "credentials"
METADATA_FILE = "sandbox.json"

#: Grants of the bot password made by :meth:`SandboxWiki.create_bot_password` by default.
DEFAULT_GRANTS: tuple[str, ...] = (
    "basic",
    "highvolume",
    "editpage",
    "editprotected",
    "createeditmovepage",
    "delete",
    "import",
)

_ENV_LINE = re.compile(r"^([A-Z][A-Z0-9_]*)=(.*)$")


def read_credentials(path: Path) -> dict[str, str]:
    """Read a sandbox credentials file (``NAME=value`` lines, ``#`` comments)."""
    values: dict[str, str] = {}
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return values
    for line in text.splitlines():
        match = _ENV_LINE.match(line.strip())
        if match:
            values[match.group(1)] = match.group(2)
    return values


def update_credentials(path: Path, values: Mapping[str, str]) -> None:
    """Merge ``values`` into the credentials file, written atomically with mode 0600."""
    merged = read_credentials(path)
    merged.update(values)
    lines = [
        "# wikitools sandbox wiki credentials: keep this file private.",
        "# Load into a shell with:  set -a; . ./credentials; set +a",
        *(f"{key}={value}" for key, value in merged.items()),
    ]
    write_text_atomic(path, "\n".join(lines) + "\n", secret=True)


_running: weakref.WeakSet[SandboxWiki] = weakref.WeakSet()
_running_lock = threading.Lock()


@atexit.register
def _stop_leftovers() -> None:
    with _running_lock:
        leftovers = list(_running)
    for wiki in leftovers:
        with contextlib.suppress(Exception):
            wiki.stop()


class SandboxWiki:
    """A local MediaWiki 1.39 (SQLite, Scribunto with Lua 5.1, ParserFunctions, Cite,
    TemplateData) served on ``127.0.0.1`` by PHP's built-in server.

    Without ``directory`` the wiki lives in a new temporary directory that :meth:`stop`
    deletes. With ``directory`` the wiki is created there if absent and kept after stop, so it
    can be started again later (that is what ``wikitools sandbox start`` does).

    ``extra_settings`` is PHP code (without ``<?php``) run after the wiki's settings, e.g.
    ``"$wgAPIMaxResultSize = 20000;"``; :meth:`configure` changes it while the wiki runs.
    ``workers`` > 1 lets PHP serve requests in parallel (``PHP_CLI_SERVER_WORKERS``).
    ``extensions`` are folders of extra extensions (``extension.json``) or of the PHP
    libraries they need, e.g. PortableInfobox, or TemplateStyles with css-sanitizer
    (:mod:`wikitools.sandbox.extensions`).

    Use it as a context manager, or call :meth:`start` and :meth:`stop`::

        with SandboxWiki() as wiki:
            wiki.edit("Template:Hello", "Hello {{{1}}}")
            html = wiki.render("{{Hello|world}}")

    The admin account (:attr:`admin_username`) gets a random strong password kept in the object
    and in the 0600 file :attr:`credentials_path`; it is never logged.
    """

    def __init__(
        self,
        directory: Path | str | None = None,
        *,
        port: int | None = None,
        sitename: str = template.DEFAULT_SITENAME,
        cache_dir: Path | str | None = None,
        use_template: bool = True,
        workers: int = 1,
        extra_settings: str | None = None,
        extensions: Iterable[Path | str] = (),
        mediawiki: MediaWikiInstall | None = None,
    ) -> None:
        self._requested_dir = Path(directory).resolve() if directory is not None else None
        self._requested_port = port
        self.sitename = sitename
        self._cache_dir = Path(cache_dir) if cache_dir is not None else None
        self._use_template = use_template
        self.workers = workers
        self._extra_settings = extra_settings
        #: Extra extensions and PHP libraries loaded by this wiki (see ``sandbox.extensions``).
        self.extensions = resolve_extensions(extensions)
        self._mediawiki = mediawiki
        self._directory: Path | None = self._requested_dir
        self._owns_directory = False
        self._process: subprocess.Popen[bytes] | None = None
        self._port: int | None = None
        self._password: str | None = None
        self._admin: AdminSession | None = None
        self._client: Wiki | None = None
        #: Seconds spent creating the wiki (install or template copy) and starting the server.
        self.timings: dict[str, float] = {}

    def __repr__(self) -> str:
        where = self.api_url if self.running else "stopped"
        return f"SandboxWiki({str(self._directory)!r}, {where})"

    # -- properties ---------------------------------------------------------------------

    @property
    def mediawiki(self) -> MediaWikiInstall:
        """The MediaWiki installation serving this wiki."""
        if self._mediawiki is None:
            self._mediawiki = ensure_mediawiki()
        return self._mediawiki

    @property
    def directory(self) -> Path:
        """The wiki's directory (settings, SQLite database, logs, credentials)."""
        if self._directory is None:
            raise SandboxError("the sandbox wiki has not been created yet; call start()")
        return self._directory

    @property
    def settings_path(self) -> Path:
        """The wiki's LocalSettings.php."""
        return self.directory / template.SETTINGS

    @property
    def credentials_path(self) -> Path:
        """The 0600 file holding the admin (and bot) credentials."""
        return self.directory / CREDENTIALS_FILE

    @property
    def log_path(self) -> Path:
        """The PHP server's log."""
        return self.directory / server.LOG_FILE

    @property
    def port(self) -> int:
        """The TCP port the wiki is served on."""
        if self._port is None:
            raise SandboxError("the sandbox wiki is not running; call start()")
        return self._port

    @property
    def server_url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        """The wiki's api.php URL."""
        return f"{self.server_url}/api.php"

    @property
    def index_url(self) -> str:
        """The wiki's index.php URL."""
        return f"{self.server_url}/index.php"

    @property
    def admin_username(self) -> str:
        """The admin account (sysop, bureaucrat, bot)."""
        return template.ADMIN_USER

    @property
    def admin_password(self) -> str:
        """The admin's password (random; never logged)."""
        if self._password is None:
            self._password = read_credentials(self.credentials_path).get(
                "WIKITOOLS_SANDBOX_ADMIN_PASSWORD"
            )
        if self._password is None:
            raise SandboxError(f"{self.credentials_path}: no admin password recorded")
        return self._password

    @property
    def running(self) -> bool:
        """Whether this object's server is running."""
        if self._process is not None:
            return self._process.poll() is None
        if self._directory is None or self._port is None:
            return False
        state = server.read_state(self._directory)
        return state is not None and server.is_our_server(self._directory, state.pid)

    # -- life cycle ---------------------------------------------------------------------

    def create(self) -> None:
        """Create the wiki in its directory unless one is already there."""
        started = time.monotonic()
        if self._directory is None:
            self._directory = Path(tempfile.mkdtemp(prefix="wikitools-sandbox-")).resolve()
            self._owns_directory = True
        directory = self._directory
        if self.is_sandbox(directory):
            if not (directory / template.SETTINGS).is_file():
                template.write_settings(directory, self.sitename)
            return
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        if any(directory.iterdir()):
            raise SandboxError(
                f"{directory} is not empty and holds no complete sandbox wiki; "
                "choose an empty or new directory"
            )
        mediawiki = self.mediawiki
        if self._use_template:
            source = template.ensure_template(mediawiki, self._cache_dir)
            self.timings["template"] = time.monotonic() - started
            template.copy_template(source, directory)
            template.write_settings(directory, self.sitename)
        else:
            template.install_fresh(mediawiki, directory, self.sitename)
        password = template.new_password()
        template.set_admin_password(directory, password)
        self._password = password
        update_credentials(
            self.credentials_path,
            {
                "WIKITOOLS_SANDBOX_ADMIN_USERNAME": self.admin_username,
                "WIKITOOLS_SANDBOX_ADMIN_PASSWORD": password,
            },
        )
        write_text_atomic(
            directory / METADATA_FILE,
            json.dumps(
                {
                    "sitename": self.sitename,
                    "admin": self.admin_username,
                    "mediawiki": mediawiki.version,
                    "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                },
                indent=2,
            )
            + "\n",
        )
        self.timings["create"] = time.monotonic() - started
        logger.info("created sandbox wiki in %s (%.2f s)", directory, self.timings["create"])

    def start(self, *, detach: bool = False, timeout: float = 60.0) -> SandboxWiki:
        """Create the wiki if needed and serve it; return once api.php answers.

        With ``detach`` the server keeps running after this process exits (stop it later with
        ``SandboxWiki(directory).stop()``); otherwise it is stopped at exit at the latest.
        """
        if self.running:
            return self
        try:
            self._start(detach, timeout)
        except BaseException:
            if self._owns_directory:
                self.stop()  # a temporary wiki that failed to start is deleted
            raise
        return self

    def _start(self, detach: bool, timeout: float) -> None:
        self.create()
        directory = self.directory
        if self._extra_settings is not None or self.extensions:
            self.configure(self._extra_settings or "")
        if self.extensions:
            self._record_extensions()
        state = server.read_state(directory)
        if state is not None and server.is_our_server(directory, state.pid):
            raise SandboxError(
                f"{directory}: a sandbox wiki is already running there on {state.api_url}; "
                "stop it first"
            )
        started = time.monotonic()
        attempts = 1 if self._requested_port is not None else 5
        for attempt in range(attempts):
            port = self._requested_port or server.free_port()
            if self._requested_port is not None and server.port_in_use(port):
                raise SandboxError(f"port {port} on 127.0.0.1 is already in use; choose another")
            try:
                self._process = server.start_server(
                    directory,
                    self.mediawiki,
                    port,
                    workers=self.workers,
                    timeout=timeout,
                    opcache_dir=self._opcache_dir(),
                    die_with_parent=not detach
                    and threading.current_thread() is threading.main_thread(),
                )
            except SandboxError:
                if attempt + 1 == attempts or not server.port_in_use(port):
                    raise
                continue  # someone took the free port between our check and PHP's bind
            self._port = port
            break
        self.timings["start"] = time.monotonic() - started
        update_credentials(self.credentials_path, {"WIKITOOLS_SANDBOX_API_URL": self.api_url})
        if detach:
            self._process = None
        else:
            with _running_lock:
                _running.add(self)

    def _record_extensions(self) -> None:
        """Keep the extension folders in the metadata, so :meth:`attach` loads them too."""
        path = self.directory / METADATA_FILE
        with contextlib.suppress(OSError, ValueError):
            metadata = json.loads(path.read_text(encoding="utf-8"))
            metadata["extensions"] = [str(e.path) for e in self.extensions]
            write_text_atomic(path, json.dumps(metadata, indent=2) + "\n")

    def configure(self, php: str) -> None:
        """Replace the wiki's extra settings (PHP code run after LocalSettings.php).

        Takes effect with the next request, also while the wiki runs (settings are read on
        every request). ``configure("")`` restores the defaults. The wiki's
        :attr:`extensions` stay loaded. On the shared session wiki,
        restore what you change.
        """
        loads = extension_settings(self.extensions) if self.extensions else ""
        write_text_atomic(
            self.directory / template.EXTRA_SETTINGS,
            "<?php\n// Extra settings of this sandbox wiki (SandboxWiki.configure).\n"
            + loads
            + php
            + "\n",
            secret=True,
        )

    def _opcache_dir(self) -> Path | None:
        if not self._use_template:
            return None
        return (self._cache_dir or template.default_cache_dir()) / "opcache"

    def stop(self) -> None:
        """Stop the server; delete the wiki if it lives in a temporary directory we made."""
        with _running_lock:
            _running.discard(self)
        if self._admin is not None:
            self._admin.close()
            self._admin = None
        if self._client is not None:
            self._client.transport.session.close()
            self._client = None
        if self._directory is not None:
            server.stop_server(self._directory, self._process)
        self._process = None
        self._port = None
        if self._owns_directory and self._directory is not None:
            shutil.rmtree(self._directory, ignore_errors=True)
            self._directory = None
            self._owns_directory = False

    def __enter__(self) -> SandboxWiki:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @staticmethod
    def is_sandbox(directory: Path | str) -> bool:
        """Whether ``directory`` holds a (completely created) sandbox wiki."""
        path = Path(directory)
        return (path / METADATA_FILE).is_file() and (path / template.SETTINGS_IN).is_file()

    @classmethod
    def attach(cls, directory: Path | str) -> SandboxWiki:
        """A handle on the wiki in ``directory``, running (detached) or not."""
        wiki = cls(directory)
        path = wiki.directory
        if not cls.is_sandbox(path):
            raise SandboxError(f"{path}: no sandbox wiki here (run 'wikitools sandbox start')")
        with contextlib.suppress(OSError, ValueError):
            metadata = json.loads((path / METADATA_FILE).read_text(encoding="utf-8"))
            wiki.sitename = str(metadata.get("sitename", wiki.sitename))
            try:
                wiki.extensions = resolve_extensions(metadata.get("extensions", []))
            except SandboxError as exc:
                logger.warning("%s: the extensions it was started with: %s", path, exc)
        state = server.read_state(path)
        if state is not None and server.is_our_server(path, state.pid):
            wiki._port = state.port
        return wiki

    # -- maintenance scripts ------------------------------------------------------------

    def run_maintenance(self, script: str, *args: str, timeout: float = 600.0) -> str:
        """Run ``maintenance/SCRIPT.php --conf LocalSettings.php ARGS``; return its stdout."""
        name = script.removesuffix(".php")
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", name):
            raise SandboxError(f"{script!r} is not a maintenance script name")
        if not (self.mediawiki.maintenance / f"{name}.php").is_file():
            raise SandboxError(f"MediaWiki has no maintenance script {name}.php")
        return template.run_php(
            self.mediawiki,
            name,
            [f"--conf={self.settings_path}", *args],
            cwd=self.directory,
            timeout=timeout,
        )

    def create_bot_password(
        self,
        appid: str = "wikitools",
        grants: Iterable[str] = DEFAULT_GRANTS,
        *,
        save: bool = False,
    ) -> tuple[str, str]:
        """Create a bot password for the admin; return ``(username, password)``.

        The username is ``Admin@APPID``. The password is generated by MediaWiki (it never
        appears on a command line). With ``save`` both are also stored in the credentials file
        as ``WIKITOOLS_USERNAME`` / ``WIKITOOLS_PASSWORD``, the variables the API client reads.
        """
        if not re.fullmatch(r"[A-Za-z0-9_.-]+", appid):
            raise SandboxError(f"bot password name {appid!r}: use letters, digits, _ . - only")
        grant_list = ",".join(grants)
        try:
            output = self.run_maintenance(
                "createBotPassword",
                f"--appid={appid}",
                f"--grants={grant_list}",
                self.admin_username,
            )
        except SandboxError as exc:
            raise SandboxError(f"creating bot password {appid!r} failed: {exc}") from None
        match = re.search(r"username:'([^']+)' and password:'([^']+)'", output)
        if match is None:
            raise SandboxError("createBotPassword.php did not report the new password")
        username, password = match.group(1), match.group(2)
        if save:
            update_credentials(
                self.credentials_path,
                {"WIKITOOLS_USERNAME": username, "WIKITOOLS_PASSWORD": password},
            )
        return username, password

    def export_dump(
        self, path: Path | str, *, full: bool = False, titles: Iterable[str] | None = None
    ) -> Path:
        """Write an XML export dump (``dumpBackup.php --current`` or ``--full``) to ``path``.

        ``titles`` limits the dump to those pages. The file appears only when complete.
        """
        target = Path(path)
        args = ["--full" if full else "--current", "--quiet"]
        with tempfile.TemporaryDirectory(prefix="dump-", dir=self.directory) as scratch:
            if titles is not None:
                pagelist = Path(scratch) / "pages.txt"
                pagelist.write_text("\n".join(titles) + "\n", encoding="utf-8")
                args.append(f"--pagelist={pagelist}")
            partial = Path(scratch) / "dump.xml"
            args.append(f"--output=file:{partial}")
            self.run_maintenance("dumpBackup", *args)
            if not partial.is_file():
                raise SandboxError("dumpBackup.php wrote no dump")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(partial), target)
        return target

    def import_dump(self, path: Path | str) -> str:
        """Import an XML dump with ``importDump.php`` (.gz and .bz2 too); return its report.

        The dump is first read through the hardened XML entry
        (:func:`wikitools.xmlsafe.check_file`), so one declaring entities or an external DTD
        never reaches PHP's XML reader.
        """
        source = Path(path).resolve()
        if not source.is_file():
            raise SandboxError(f"{source}: no such dump file")
        check_file(source)
        return self.run_maintenance("importDump", str(source))

    # -- setup helpers (admin session) --------------------------------------------------

    @property
    def admin(self) -> AdminSession:
        """A logged-in admin session on this wiki (plain requests; for test setup)."""
        if self._admin is None:
            self._admin = AdminSession(self.api_url, self.admin_username, self.admin_password)
            self._admin.login()
        return self._admin

    def api(self, params: Mapping[str, str | int | bool], *, post: bool = False) -> dict[str, Any]:
        """One Action API request as the admin."""
        return self.admin.api(params, post=post)

    def edit(self, title: str, text: str, summary: str = "wikitools sandbox setup") -> int:
        """Save a page as the admin; return the revision id."""
        return self.admin.edit(title, text, summary)

    def edit_many(self, pages: Mapping[str, str]) -> dict[str, int]:
        """Save several pages as the admin; return their revision ids."""
        return self.admin.edit_many(pages)

    def render(self, wikitext: str, title: str = "Sandbox") -> str:
        """The HTML the wiki renders for unsaved ``wikitext`` (``action=parse``)."""
        return self.admin.render(wikitext, title)

    def parse(self, wikitext: str, title: str = "Sandbox") -> dict[str, Any]:
        """``action=parse`` of unsaved wikitext with text, templates and categories."""
        return self.admin.parse(wikitext, title)

    def page_text(self, title: str) -> str | None:
        """The current wikitext of a page, or None if it does not exist."""
        return self.admin.page_text(title)

    # -- the API client ----------------------------------------------------------------

    @property
    def client(self) -> Wiki:
        """An anonymous :class:`~wikitools.mediawiki.wiki.Wiki` client of this wiki (reads)."""
        if self._client is None:
            self._client = Wiki(self.api_url, user_agent="wikitools-sandbox", maxlag=None)
        return self._client

    def parse_text(self, text: str, title: str) -> ParseResult:
        """Render unsaved wikitext as page ``title`` and report its problems (a Renderer)."""
        return self.client.parse_text(text, title)
