"""Extra MediaWiki extensions (and the PHP libraries they need) for sandbox wikis.

Debian's MediaWiki package bundles Scribunto, ParserFunctions, Cite and TemplateData; other
extensions (Fandom's PortableInfobox, TemplateStyles …) can be loaded from a folder:

- an **extension folder** holds ``extension.json``; it is loaded with ``wfLoadExtension``;
- a **library folder** (a composer package without ``vendor/``, such as css-sanitizer, which
  TemplateStyles needs) gets a PSR-4 autoloader: from its ``composer.json`` when it has one,
  else from the ``namespace`` declared by the PHP files directly in its ``src/``.

An extension whose ``composer.json`` requires a package that is neither in its own
``vendor/`` nor given as a library folder is refused with a message naming the package.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from wikitools.errors import SandboxError

_NAMESPACE = re.compile(r"^\s*namespace\s+([A-Za-z_][A-Za-z0-9_\\]*)\s*;", re.MULTILINE)


@dataclass(frozen=True)
class Extension:
    """One folder to load: an extension (``extension.json``) or a PHP library."""

    path: Path
    name: str
    """The extension's name, or the library's folder name."""
    namespaces: tuple[tuple[str, str], ...] = ()
    """For libraries: (PSR-4 namespace prefix, folder) pairs."""
    requires: tuple[str, ...] = ()
    """Composer packages an extension needs (``vendor/name``), when it has no ``vendor/``."""

    @property
    def is_library(self) -> bool:
        """True for a PHP library (autoloaded), False for an extension (``wfLoadExtension``)."""
        return bool(self.namespaces)


def _read_json(path: Path) -> dict[str, object]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SandboxError(f"{path}: not readable JSON ({exc})") from None
    if not isinstance(data, dict):
        raise SandboxError(f"{path}: expected a JSON object")
    return data


def _composer_requires(folder: Path) -> tuple[str, ...]:
    composer = folder / "composer.json"
    if not composer.is_file() or (folder / "vendor" / "autoload.php").is_file():
        return ()
    require = _read_json(composer).get("require", {})
    if not isinstance(require, dict):
        return ()
    return tuple(sorted(k for k in require if "/" in k and not k.startswith("ext-")))


def _psr4(folder: Path) -> tuple[tuple[str, str], ...]:
    composer = folder / "composer.json"
    if composer.is_file():
        autoload = _read_json(composer).get("autoload", {})
        if isinstance(autoload, dict) and isinstance(autoload.get("psr-4"), dict):
            pairs: list[tuple[str, str]] = []
            for prefix, where in autoload["psr-4"].items():
                dirs = where if isinstance(where, list) else [where]
                pairs.extend((str(prefix), str((folder / str(d)).resolve())) for d in dirs)
            if pairs:
                return tuple(pairs)
    src = folder / "src"
    if src.is_dir():
        found = set()
        for php in sorted(src.glob("*.php")):
            match = _NAMESPACE.search(php.read_text(encoding="utf-8", errors="replace"))
            if match:
                found.add(match.group(1))
        if len(found) == 1:
            return ((found.pop() + "\\", str(src.resolve())),)
    return ()


def inspect_extension(path: Path | str) -> Extension:
    """Describe the extension or library in ``path``; SandboxError when it is neither."""
    folder = Path(path).expanduser().resolve()
    if not folder.is_dir():
        raise SandboxError(f"extension folder {folder} does not exist")
    manifest = folder / "extension.json"
    if manifest.is_file():
        name = _read_json(manifest).get("name")
        if not isinstance(name, str) or not name.strip():
            raise SandboxError(f"{manifest}: no extension name")
        return Extension(folder, name, requires=_composer_requires(folder))
    namespaces = _psr4(folder)
    if not namespaces:
        raise SandboxError(
            f"{folder}: neither a MediaWiki extension (no extension.json) nor a PHP library "
            "(no composer.json autoload and no single namespace in src/)"
        )
    return Extension(folder, folder.name, namespaces=namespaces)


def resolve_extensions(paths: Iterable[Path | str]) -> list[Extension]:
    """Inspect ``paths``, check that every composer requirement is met, libraries first."""
    found = [inspect_extension(p) for p in paths]
    seen: dict[str, Path] = {}
    for ext in found:
        if ext.name in seen and seen[ext.name] != ext.path:
            raise SandboxError(f"extension {ext.name!r} given twice: {seen[ext.name]}, {ext.path}")
        seen[ext.name] = ext.path
    libraries = {e.path.name.casefold() for e in found if e.is_library}
    for ext in found:
        for package in ext.requires:
            if package.split("/", 1)[1].casefold() not in libraries:
                raise SandboxError(
                    f"extension {ext.name!r} needs the PHP package {package}: pass its folder "
                    f"too (--extension PATH/{package.split('/', 1)[1]})"
                )
    unique = list({e.path: e for e in found}.values())
    return [e for e in unique if e.is_library] + [e for e in unique if not e.is_library]


def _php(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def extension_settings(extensions: Sequence[Extension]) -> str:
    """PHP code (without ``<?php``) that loads ``extensions`` into LocalSettings."""
    lines = ["// Extensions loaded by wikitools (SandboxWiki(extensions=...))."]
    for ext in extensions:
        for prefix, where in ext.namespaces:
            lines.append(
                "spl_autoload_register( static function ( $class ) {\n"
                f"    $prefix = {_php(prefix)};\n"
                "    if ( strncmp( $class, $prefix, strlen( $prefix ) ) === 0 ) {\n"
                f"        $file = {_php(where + '/')} . str_replace( '\\\\', '/', "
                "substr( $class, strlen( $prefix ) ) ) . '.php';\n"
                "        if ( is_file( $file ) ) {\n"
                "            require $file;\n"
                "        }\n"
                "    }\n"
                "} );"
            )
    for ext in extensions:
        if ext.is_library:
            continue
        vendor = ext.path / "vendor" / "autoload.php"
        if vendor.is_file():
            lines.append(f"require_once {_php(str(vendor))};")
        manifest = str(ext.path / "extension.json")
        lines.append(f"wfLoadExtension( {_php(ext.name)}, {_php(manifest)} );")
    return "\n".join(lines) + "\n"
