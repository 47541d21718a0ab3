"""Configuration: ``wikitools.toml`` or ``[tool.wikitools]`` in pyproject.toml.

Example::

    select = ["B", "A", "R"]          # codes, prefixes or rule names; "ALL" is every rule
    ignore = ["R103"]
    unsafe-fixes = false
    extend-safe-fixes = ["B102"]      # promote these rules' fixes to safe
    extend-unsafe-fixes = ["A102"]    # demote these rules' fixes to unsafe

    [templates."Ka icon"]             # per-template policies (see the README)
    action = "remove"

Unknown keys are errors, so a typo never silently does nothing.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from wikitools.errors import ConfigError

CONFIG_FILENAME = "wikitools.toml"

_LIST_KEYS = ("select", "ignore", "extend-safe-fixes", "extend-unsafe-fixes")
_BOOL_KEYS = ("unsafe-fixes",)
#: Tables owned by feature modules; each validates its own table when it reads it.
SECTIONS = frozenset({"templates", "modules", "citations", "infobox", "dump", "wiki", "bot"})


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


def config_from_mapping(data: Mapping[str, Any], source: Path | None = None) -> Config:
    """Validate a parsed TOML table into a Config; unknown keys raise ConfigError."""
    where = f"{source}: " if source else ""
    values: dict[str, Any] = {}
    sections: dict[str, Any] = {}
    for key, value in data.items():
        if key in _LIST_KEYS:
            if isinstance(value, str):
                value = [part.strip() for part in value.split(",") if part.strip()]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{where}'{key}' must be a list of rule codes or names")
            values[key.replace("-", "_")] = tuple(value)
        elif key in _BOOL_KEYS:
            if not isinstance(value, bool):
                raise ConfigError(f"{where}'{key}' must be true or false")
            values[key.replace("-", "_")] = value
        elif key in SECTIONS:
            if not isinstance(value, dict):
                raise ConfigError(f"{where}'{key}' must be a table")
            sections[key] = _freeze(value)
        else:
            known = ", ".join(sorted((*_LIST_KEYS, *_BOOL_KEYS, *SECTIONS)))
            raise ConfigError(f"{where}unknown setting '{key}' (known: {known})")
    return Config(**values, sections=MappingProxyType(sections), source=source)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such config file") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML ({exc})") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror})") from None


def load_config(path: Path | None = None, start: Path | None = None) -> Config:
    """Load settings from ``path``, else ``wikitools.toml`` or ``pyproject.toml`` in ``start``.

    ``start`` defaults to the current directory. With no file at all, defaults apply.
    """
    if path is not None:
        data = _read_toml(path)
        if path.name == "pyproject.toml":
            data = data.get("tool", {}).get("wikitools", {})
        return config_from_mapping(data, path)
    directory = start or Path.cwd()
    candidate = directory / CONFIG_FILENAME
    if candidate.is_file():
        return config_from_mapping(_read_toml(candidate), candidate)
    pyproject = directory / "pyproject.toml"
    if pyproject.is_file():
        table = _read_toml(pyproject).get("tool", {}).get("wikitools")
        if isinstance(table, dict):
            return config_from_mapping(table, pyproject)
    return Config()
