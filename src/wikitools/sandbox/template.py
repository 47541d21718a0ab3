"""Installing a sandbox wiki, and the cached installed template that makes new wikis fast.

``install.php`` takes about a second and the first request another half second (it builds the
localisation cache). So the first wiki is installed once into a cache directory, warmed up and
frozen as a *template*; every new wiki copies the template's SQLite files and caches, writes its
own ``LocalSettings.php`` (new secret keys, its own port) and sets a fresh admin password.
The template is keyed by MediaWiki version and by these settings, so a change rebuilds it.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import hashlib
import json
import logging
import os
import re
import secrets
import shutil
import sqlite3
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import requests

from wikitools.errors import SandboxError
from wikitools.fileio import write_text_atomic
from wikitools.sandbox import server
from wikitools.sandbox.install import EXTENSIONS, MediaWikiInstall

logger = logging.getLogger(__name__)

#: Bump when the layout or the settings of installed wikis change.
TEMPLATE_FORMAT = 1

ADMIN_USER = "Admin"
DEFAULT_SITENAME = "Sandbox Wiki"
SETTINGS_IN = "LocalSettings.in.php"
SETTINGS = "LocalSettings.php"
EXTRA_SETTINGS = "ExtraSettings.php"
DATABASE = "data/wiki.sqlite"
_READY = "template.json"

#: What every sandbox wiki adds to the installer's LocalSettings.php.
_EXTRA_SETTINGS = """
# ---- wikitools sandbox settings ----
$wgCacheDirectory = __DIR__ . '/cache';
$wgUploadDirectory = __DIR__ . '/images';
$wgEnableUploads = false;
$wgScribuntoDefaultEngine = 'luastandalone';
$wgScribuntoEngineConf['luastandalone']['luaPath'] = @@LUA@@;
$wgEnableBotPasswords = true;
$wgGroupPermissions['sysop']['importupload'] = true;
$wgGroupPermissions['sysop']['import'] = true;
$wgRateLimits = [];
$wgPasswordAttemptThrottle = [];
$wgShowExceptionDetails = true;
if (is_file(__DIR__ . '/ExtraSettings.php')) {
    require __DIR__ . '/ExtraSettings.php';
}
"""

# (pattern in the installer's file, replacement in the template); each must match once.
_SUBSTITUTIONS: tuple[tuple[str, str], ...] = (
    (r'^\$wgSitename = ".*";$', "$wgSitename = @@SITENAME@@;"),
    (r'^\$wgServer = ".*";$', "require __DIR__ . '/" + server.SERVER_SETTINGS_FILE + "';"),
    (r'^\$wgSQLiteDataDir = ".*";$', "$wgSQLiteDataDir = __DIR__ . '/data';"),
    (r'^\$wgSecretKey = ".*";$', "$wgSecretKey = @@SECRET_KEY@@;"),
    (r'^\$wgUpgradeKey = ".*";$', "$wgUpgradeKey = @@UPGRADE_KEY@@;"),
)


def default_cache_dir() -> Path:
    """Where templates are kept: ``$WIKITOOLS_SANDBOX_CACHE``, else the user's cache dir."""
    explicit = os.environ.get("WIKITOOLS_SANDBOX_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "wikitools" / "sandbox"


def template_key(mediawiki: MediaWikiInstall) -> str:
    """A short hash naming the template for this MediaWiki and these settings."""
    material = "\n".join(
        [
            str(TEMPLATE_FORMAT),
            mediawiki.version,
            str(mediawiki.root),
            str(mediawiki.php),
            str(mediawiki.lua),
            ",".join(EXTENSIONS),
            _EXTRA_SETTINGS,
            repr(_SUBSTITUTIONS),
        ]
    )
    return f"mw{mediawiki.version}-{hashlib.sha256(material.encode()).hexdigest()[:12]}"


def password_hash(password: str) -> str:
    """MediaWiki's default (pbkdf2, sha512, 30000 rounds, 64 bytes) hash of ``password``."""
    salt = secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha512", password.encode("utf-8"), salt, 30000, 64)
    encoded_salt = base64.b64encode(salt).decode()
    encoded_digest = base64.b64encode(digest).decode()
    return f":pbkdf2:sha512:30000:64:{encoded_salt}:{encoded_digest}"


def new_password() -> str:
    """A random strong password (letters and digits only, safe in shell env files)."""
    return secrets.token_hex(16) + "Aa"


def run_php(
    mediawiki: MediaWikiInstall,
    script: str,
    args: list[str],
    *,
    cwd: Path,
    timeout: float = 600.0,
    what: str | None = None,
) -> str:
    """Run a MediaWiki maintenance script; return its stdout or raise SandboxError."""
    argv = [str(mediawiki.php), str(mediawiki.maintenance / f"{script}.php"), *args]
    started = time.monotonic()
    try:
        result = subprocess.run(
            argv,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise SandboxError(f"{what or script} took longer than {timeout:.0f} s") from None
    logger.debug("%s.php ran in %.2f s", script, time.monotonic() - started)
    if result.returncode != 0:
        lines = [line for line in (result.stderr + result.stdout).splitlines() if line.strip()]
        raise SandboxError(
            f"{what or script + '.php'} failed (exit {result.returncode}): "
            + " / ".join(lines[-4:])
        )
    return result.stdout


def _literal(replacement: str) -> Callable[[re.Match[str]], str]:
    """A re.sub replacement that inserts ``replacement`` verbatim (no backslash escapes)."""
    return lambda _match: replacement


def _install(mediawiki: MediaWikiInstall, directory: Path, password: str, sitename: str) -> None:
    """Run install.php into ``directory`` and turn its settings into LocalSettings.in.php."""
    run_php(
        mediawiki,
        "install",
        [
            "--dbtype=sqlite",
            f"--dbpath={directory / 'data'}",
            "--dbname=wiki",
            "--server=http://127.0.0.1:9",
            "--scriptpath=",
            "--lang=en",
            f"--confpath={directory}",
            f"--pass={password}",
            f"--extensions={','.join(EXTENSIONS)}",
            sitename,
            ADMIN_USER,
        ],
        cwd=directory,
        what="MediaWiki's install.php",
    )
    generated = directory / SETTINGS
    text = generated.read_text(encoding="utf-8")
    for pattern, replacement in _SUBSTITUTIONS:
        text, count = re.subn(pattern, _literal(replacement), text, flags=re.MULTILINE)
        if count != 1:
            raise SandboxError(
                f"install.php wrote an unexpected LocalSettings.php ({pattern!r} matched "
                f"{count} times); this MediaWiki version is not supported by the sandbox"
            )
    text += _EXTRA_SETTINGS.replace("@@LUA@@", server.php_string(str(mediawiki.lua)))
    write_text_atomic(directory / SETTINGS_IN, text)
    generated.unlink()
    (directory / "cache").mkdir(exist_ok=True)
    (directory / "images").mkdir(exist_ok=True)


def write_settings(directory: Path, sitename: str) -> None:
    """Write ``LocalSettings.php`` (mode 0600) from the template, with new secret keys."""
    template = (directory / SETTINGS_IN).read_text(encoding="utf-8")
    text = (
        template.replace("@@SITENAME@@", server.php_string(sitename))
        .replace("@@SECRET_KEY@@", server.php_string(secrets.token_hex(32)))
        .replace("@@UPGRADE_KEY@@", server.php_string(secrets.token_hex(8)))
    )
    write_text_atomic(directory / SETTINGS, text, secret=True)


def set_admin_password(directory: Path, password: str) -> None:
    """Give the admin account ``password`` (written straight into the SQLite user table)."""
    with contextlib.closing(sqlite3.connect(directory / DATABASE, timeout=30)) as db, db:
        cursor = db.execute(
            "UPDATE user SET user_password = ?, user_token = ? WHERE user_name = ?",
            (password_hash(password), secrets.token_hex(16), ADMIN_USER),
        )
        if cursor.rowcount != 1:
            raise SandboxError(f"{directory}: the wiki has no {ADMIN_USER} account")


def _clear_object_cache(directory: Path) -> None:
    for database in sorted((directory / "data").glob("*.sqlite")):
        with contextlib.closing(sqlite3.connect(database, timeout=30)) as db, db:
            tables = {
                row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            if "objectcache" in tables:
                db.execute("DELETE FROM objectcache")


def _warm_up(mediawiki: MediaWikiInstall, directory: Path, opcache_dir: Path | None) -> None:
    """Serve the fresh install once so the localisation cache is built into the template."""
    port = server.free_port()
    process = server.start_server(directory, mediawiki, port, timeout=60, opcache_dir=opcache_dir)
    try:
        session_params = {
            "action": "parse",
            "format": "json",
            "contentmodel": "wikitext",
            "title": "Sandbox",
            "text": "{{#if:x|y}} {{#invoke:Warm-up|run}} <ref>r</ref><references/>",
        }
        with requests.Session() as session:
            session.trust_env = False
            session.post(f"http://127.0.0.1:{port}/api.php", data=session_params, timeout=60)
            session.get(f"http://127.0.0.1:{port}/index.php", timeout=60)
    finally:
        server.stop_server(directory, process)
    _clear_object_cache(directory)
    for name in (
        server.ROUTER_FILE,
        server.SERVER_SETTINGS_FILE,
        server.LOG_FILE,
        server.OPCACHE_BLACKLIST_FILE,
        SETTINGS,
    ):
        with contextlib.suppress(FileNotFoundError):
            (directory / name).unlink()


def build_template(
    mediawiki: MediaWikiInstall, directory: Path, opcache_dir: Path | None = None
) -> None:
    """Install, promote and warm up a wiki in ``directory`` (which must be empty)."""
    _install(mediawiki, directory, new_password(), DEFAULT_SITENAME)
    write_settings(directory, DEFAULT_SITENAME)
    server.write_server_files(directory, mediawiki, 9)
    run_php(
        mediawiki,
        "createAndPromote",
        [f"--conf={directory / SETTINGS}", "--force", "--bot", ADMIN_USER],
        cwd=directory,
    )
    _warm_up(mediawiki, directory, opcache_dir)


def ensure_template(mediawiki: MediaWikiInstall, cache_dir: Path | None = None) -> Path:
    """The directory of the installed template for ``mediawiki``, building it if needed.

    Safe when several processes ask at once: one builds (under a file lock), the others wait.
    """
    cache = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    key = template_key(mediawiki)
    target = cache / key
    if (target / _READY).is_file():
        return target
    cache.mkdir(parents=True, exist_ok=True, mode=0o700)
    with open(cache / f"{key}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (target / _READY).is_file():
            return target
        started = time.monotonic()
        build = Path(tempfile.mkdtemp(prefix=f"{key}.build-", dir=cache))
        try:
            build_template(mediawiki, build, cache / "opcache")
            (build / _READY).write_text(
                json.dumps({"key": key, "mediawiki": mediawiki.version}) + "\n", encoding="utf-8"
            )
            if target.exists():
                shutil.rmtree(target)
            os.replace(build, target)
        finally:
            if build.exists():
                shutil.rmtree(build, ignore_errors=True)
        logger.info("built sandbox template %s in %.1f s", target, time.monotonic() - started)
    return target


def copy_template(template: Path, directory: Path) -> None:
    """Copy the template's database, caches and settings template into ``directory``."""
    for name in ("data", "cache"):
        shutil.copytree(template / name, directory / name, dirs_exist_ok=False)
    (directory / "images").mkdir(exist_ok=True)
    shutil.copy2(template / SETTINGS_IN, directory / SETTINGS_IN)


def install_fresh(mediawiki: MediaWikiInstall, directory: Path, sitename: str) -> None:
    """Install a wiki straight into ``directory`` (no template cache).

    The admin gets a throwaway password: set the real one with :func:`set_admin_password`,
    so it never appears on a command line.
    """
    _install(mediawiki, directory, new_password(), sitename)
    write_settings(directory, sitename)
    server.write_server_files(directory, mediawiki, 9)
    run_php(
        mediawiki,
        "createAndPromote",
        [f"--conf={directory / SETTINGS}", "--force", "--bot", ADMIN_USER],
        cwd=directory,
    )
