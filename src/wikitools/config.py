"""Configuration: ``wikitools.toml`` or ``[tool.wikitools]`` in pyproject.toml.

Example::

    select = ["B", "A", "R"]          # codes, prefixes or rule names; "ALL" is every rule
    ignore = ["R103"]
    unsafe-fixes = false
    extend-safe-fixes = ["B102"]      # promote these rules' fixes to safe
    extend-unsafe-fixes = ["A102"]    # demote these rules' fixes to unsafe

    [templates."Ka icon"]             # per-template policies (see the README)
    action = "remove"

Every key is used; any other key or table is a :class:`ConfigError` naming it and the
file, so a typo never silently does nothing. ``[templates]`` is the one table; the
module that reads it validates its entries
(:func:`wikitools.rules.templates.template_policies`, which the CLI calls on load).

Discovery (:func:`find_config`) walks up from the target path (or the current directory)
to the first directory holding ``wikitools.toml``, or a ``pyproject.toml`` with a
``[tool.wikitools]`` table, and stops there: in one directory ``wikitools.toml`` wins
over ``pyproject.toml``, and settings are never merged across directories. An explicit
file (``--config``) wins over discovery.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from wikitools.errors import ConfigError

CONFIG_FILENAME = "wikitools.toml"
PYPROJECT = "pyproject.toml"

_LIST_KEYS = ("select", "ignore", "extend-safe-fixes", "extend-unsafe-fixes")
_BOOL_KEYS = ("unsafe-fixes",)
#: Tables of the config; each is read by the module that owns it (``templates``:
#: :mod:`wikitools.rules.policies`, through the T and M rules).
SECTIONS = frozenset({"templates"})
_TOML_POSITION = re.compile(r"^(?P<msg>.*) \(at line (?P<line>\d+), column (?P<col>\d+)\)$")


def _freeze(value: Any) -> Any:
    if isinstance(value, dict):
        return MappingProxyType({k: _freeze(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value


@dataclass(frozen=True)
class Config:
    """Settings for a run; immutable, built by :func:`load_config` or directly."""

    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    unsafe_fixes: bool = False
    extend_safe_fixes: tuple[str, ...] = ()
    extend_unsafe_fixes: tuple[str, ...] = ()
    sections: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    source: Path | None = None
    """The file the settings came from, for error messages."""

    def section(self, name: str) -> Mapping[str, Any]:
        """A feature's raw table (e.g. ``templates``), empty when absent."""
        value = self.sections.get(name)
        return value if isinstance(value, Mapping) else MappingProxyType({})

    def with_overrides(
        self,
        select: Sequence[str] | None = None,
        ignore: Sequence[str] | None = None,
        unsafe_fixes: bool | None = None,
    ) -> Config:
        """A copy with command-line overrides applied (None keeps the file's value)."""
        return replace(
            self,
            select=tuple(select) if select else self.select,
            ignore=(*self.ignore, *ignore) if ignore else self.ignore,
            unsafe_fixes=self.unsafe_fixes if unsafe_fixes is None else unsafe_fixes,
        )


def config_from_mapping(
    data: Mapping[str, Any], source: Path | None = None, *, prefix: str = ""
) -> Config:
    """Validate a parsed TOML table into a Config; unknown keys raise ConfigError.

    ``prefix`` is where the table sits in its file (``tool.wikitools.`` in a
    pyproject.toml), so an error names the key as the user wrote it.
    """
    where = f"{source}: " if source else ""
    values: dict[str, Any] = {}
    sections: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if key in _LIST_KEYS:
            if isinstance(value, str):
                value = [part.strip() for part in value.split(",") if part.strip()]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{where}'{name}' must be a list of rule codes or names")
            values[key.replace("-", "_")] = tuple(value)
        elif key in _BOOL_KEYS:
            if not isinstance(value, bool):
                raise ConfigError(f"{where}'{name}' must be true or false")
            values[key.replace("-", "_")] = value
        elif key in SECTIONS:
            if not isinstance(value, dict):
                raise ConfigError(f"{where}'{name}' must be a table")
            sections[key] = _freeze(value)
        elif isinstance(value, dict):
            known = ", ".join(f"[{prefix}{s}]" for s in sorted(SECTIONS))
            raise ConfigError(f"{where}unknown table [{name}] (known: {known})")
        else:
            known = ", ".join(sorted((*_LIST_KEYS, *_BOOL_KEYS)))
            raise ConfigError(f"{where}unknown setting '{name}' (known: {known})")
    return Config(**values, sections=MappingProxyType(sections), source=source)


def _read_toml(path: Path) -> dict[str, Any]:
    """The parsed file; every failure is one ConfigError line naming the file (and line)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such config file") from None
    except IsADirectoryError:
        raise ConfigError(f"{path}: is a directory, not a config file") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror})") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ConfigError(
            f"{path}:{line}: not valid UTF-8 at byte {exc.start}; TOML files are UTF-8"
        ) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = _TOML_POSITION.match(message)
        if match:
            raise ConfigError(
                f"{path}:{match['line']}: invalid TOML: {match['msg']} (column {match['col']})"
            ) from None
        if message.endswith(" (at end of document)"):
            line = text.count("\n") + (0 if text.endswith("\n") else 1)
            message = message.removesuffix(" (at end of document)")
            raise ConfigError(f"{path}:{line}: invalid TOML: {message} (at end of file)") from None
        raise ConfigError(f"{path}: invalid TOML: {message}") from None


def _pyproject_table(path: Path) -> dict[str, Any] | None:
    """The ``[tool.wikitools]`` table of a pyproject.toml, or None when it has none."""
    tool = _read_toml(path).get("tool")
    table = tool.get("wikitools") if isinstance(tool, dict) else None
    if table is None:
        return None
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: 'tool.wikitools' must be a table")
    return table


def _pyproject_has_table(path: Path) -> bool:
    """Whether a pyproject.toml holds ``[tool.wikitools]`` (cheap text check, then parsed)."""
    try:
        head = path.read_bytes()
    except OSError:
        return False
    if b"wikitools" not in head:
        return False
    return _pyproject_table(path) is not None


def find_config(start: Path | None = None) -> Path | None:
    """The config file that applies to ``start`` (a file or directory; default: cwd).

    Walks up from ``start`` (from its directory, for a file) through every parent and
    returns the first ``wikitools.toml``, or ``pyproject.toml`` holding a
    ``[tool.wikitools]`` table; ``wikitools.toml`` wins within one directory. A
    ``pyproject.toml`` without that table is passed over. None when no file applies.
    """
    here = Path(start) if start is not None else Path.cwd()
    here = here.absolute()
    if not here.is_dir():
        here = here.parent
    for directory in (here, *here.parents):
        candidate = directory / CONFIG_FILENAME
        if candidate.is_file():
            return candidate
        pyproject = directory / PYPROJECT
        if pyproject.is_file() and _pyproject_has_table(pyproject):
            return pyproject
    return None


def load_config(path: Path | None = None, start: Path | None = None) -> Config:
    """Load settings from ``path``, else from the file :func:`find_config` finds from ``start``.

    ``start`` (a file or directory) defaults to the current directory. With no file at
    all, defaults apply. Any problem with the file is a one-line :class:`ConfigError`.
    """
    if path is None:
        path = find_config(start)
        if path is None:
            return Config()
    path = Path(path)
    if path.name == PYPROJECT:
        table = _pyproject_table(path)
        return config_from_mapping(table or {}, path, prefix="tool.wikitools.")
    return config_from_mapping(_read_toml(path), path)
