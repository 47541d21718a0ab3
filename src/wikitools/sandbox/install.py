"""Find (and, as root, install) Debian's MediaWiki 1.39 with the PHP and Lua it needs."""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path

from wikitools.errors import MediaWikiMissingError, SandboxError

logger = logging.getLogger(__name__)

#: Where Debian's ``mediawiki`` package puts MediaWiki.
MEDIAWIKI_ROOT = Path("/usr/share/mediawiki")

#: Debian 12 packages a sandbox wiki needs.
PACKAGES: tuple[str, ...] = (
    "mediawiki",
    "php-cli",
    "php-sqlite3",
    "php-intl",
    "php-mbstring",
    "php-xml",
    "lua5.1",
)

#: PHP modules (as listed by ``php -m``) and the package that provides each.
_PHP_MODULES: dict[str, str] = {
    "pdo_sqlite": "php-sqlite3",
    "intl": "php-intl",
    "mbstring": "php-mbstring",
    "dom": "php-xml",
    "xmlreader": "php-xml",
}

#: Extensions every sandbox wiki loads (all bundled with Debian's package).
EXTENSIONS: tuple[str, ...] = ("Scribunto", "ParserFunctions", "Cite", "TemplateData")

_APT_ENV = {"DEBIAN_FRONTEND": "noninteractive", "APT_LISTCHANGES_FRONTEND": "none"}


@dataclass(frozen=True)
class MediaWikiInstall:
    """An installed MediaWiki and the programs that run it."""

    root: Path
    php: Path
    lua: Path
    version: str

    @property
    def maintenance(self) -> Path:
        """The directory of MediaWiki's maintenance scripts."""
        return self.root / "maintenance"


def install_command(packages: list[str] | tuple[str, ...], *, sudo: bool = True) -> str:
    """The shell command that installs ``packages`` on Debian/Ubuntu."""
    prefix = "sudo " if sudo else ""
    names = " ".join(packages)
    return f"{prefix}apt-get update && {prefix}apt-get install -y --no-install-recommends {names}"


def _php_modules(php: str) -> set[str]:
    try:
        result = subprocess.run(
            [php, "-m"], capture_output=True, text=True, timeout=30, check=False
        )
    except OSError:
        return set()
    return {line.strip().lower() for line in result.stdout.splitlines() if line.strip()}


def _mediawiki_version(root: Path) -> str | None:
    try:
        defines = (root / "includes" / "Defines.php").read_text(encoding="utf-8")
    except OSError:
        return None
    match = re.search(r"define\(\s*'MW_VERSION',\s*'([^']+)'", defines)
    return match.group(1) if match else None


def missing_packages(root: Path = MEDIAWIKI_ROOT) -> list[str]:
    """The Debian packages from :data:`PACKAGES` that are not (usably) installed."""
    missing: list[str] = []
    if not (root / "maintenance" / "install.php").is_file() or _mediawiki_version(root) is None:
        missing.append("mediawiki")
    php = shutil.which("php")
    if php is None:
        missing.append("php-cli")
        missing.extend(sorted(set(_PHP_MODULES.values())))
    else:
        modules = _php_modules(php)
        for module, package in _PHP_MODULES.items():
            if module not in modules and package not in missing:
                missing.append(package)
    if shutil.which("lua5.1") is None:
        missing.append("lua5.1")
    return [package for package in PACKAGES if package in missing]


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _apt_install(packages: list[str]) -> None:
    apt = shutil.which("apt-get")
    if apt is None:
        raise MediaWikiMissingError(packages, install_command(packages))
    env = {**os.environ, **_APT_ENV}
    logger.warning("installing %s with apt-get (takes about a minute)", " ".join(packages))
    for argv in (
        [apt, "update"],
        [apt, "install", "-y", "--no-install-recommends", *packages],
    ):
        result = subprocess.run(
            argv, env=env, capture_output=True, text=True, check=False, timeout=1800
        )
        if result.returncode != 0:
            tail = (result.stderr or result.stdout).strip().splitlines()[-3:]
            raise SandboxError(
                f"'{' '.join(argv[:2])}' failed (exit {result.returncode}): "
                + " / ".join(tail)
                + f"; install MediaWiki by hand with: {install_command(packages, sudo=False)}"
            )


_lock = threading.Lock()
_found: MediaWikiInstall | None = None


def ensure_mediawiki(*, install: bool = True, root: Path = MEDIAWIKI_ROOT) -> MediaWikiInstall:
    """Return the local MediaWiki, installing Debian's packages first when needed.

    When something is missing and the process runs as root (and ``install`` is true), this
    runs ``apt-get update`` and ``apt-get install -y --no-install-recommends`` non-interactively.
    Otherwise it raises :class:`~wikitools.errors.MediaWikiMissingError`, whose message is the
    exact command to run.
    """
    global _found
    with _lock:
        if _found is not None and _found.root == root:
            return _found
        missing = missing_packages(root)
        if missing:
            if not (install and _is_root()):
                raise MediaWikiMissingError(missing, install_command(missing, sudo=not _is_root()))
            _apt_install(missing)
            missing = missing_packages(root)
            if missing:
                raise MediaWikiMissingError(missing, install_command(missing, sudo=False))
        php = shutil.which("php")
        lua = shutil.which("lua5.1")
        version = _mediawiki_version(root)
        assert php is not None and lua is not None and version is not None
        if not version.startswith("1.39."):
            logger.warning("MediaWiki %s found; the sandbox is tested with 1.39", version)
        _found = MediaWikiInstall(root=root, php=Path(php), lua=Path(lua), version=version)
        return _found
