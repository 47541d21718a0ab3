"""Diagnostic codes: what each code reported by wikitools means, in one registry.

Every code has a :class:`CodeInfo`: rule codes (``B101``...) and the codes of the engine and
the transforms (``W001``, ``IB002``...) alike. A :class:`CodeRegistry` holds a set of them;
``--select``, ``--ignore``, the config's ``select``/``ignore``, suppression comments and
``wikitools rule CODE`` all look codes up in one registry, with one matching rule
(:meth:`CodeInfo.matches`), so they accept exactly the same selectors.

This module only defines the types; the packages that report codes declare them, and the
full registry is assembled above them (:mod:`wikitools.registry`).
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from wikitools.errors import ConfigError
from wikitools.fixes.model import Applicability
from wikitools.lint.diagnostic import Severity

#: The sections every code's documentation has, in this order.
DOC_SECTIONS = ("What it does", "Why it matters", "Example", "Use instead", "Fix safety")

#: The selector that matches every code.
ALL = "ALL"

_CODE = re.compile(r"^[A-Z]{1,3}\d{3}$")
_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def doc_sections(doc: str) -> dict[str, str]:
    """A documentation text split into its ``Section:`` parts (see :data:`DOC_SECTIONS`)."""
    sections: dict[str, str] = {}
    current: str | None = None
    for line in inspect.cleandoc(doc).splitlines():
        heading = line.rstrip().removesuffix(":")
        if line.rstrip().endswith(":") and heading in DOC_SECTIONS:
            current = heading
            sections[current] = ""
        elif current is not None:
            sections[current] += line + "\n"
    return {k: v.strip("\n") for k, v in sections.items()}


def selector_matches(selector: str, code: str, name: str, aliases: Sequence[str] = ()) -> bool:
    """Whether ``selector`` (``ALL``, a code, a code prefix or a name) picks this code."""
    if selector == ALL:
        return True
    if selector.lower() == name:
        return True
    return any(c.startswith(selector.upper()) for c in (code, *aliases))


@dataclass(frozen=True)
class CodeInfo:
    """What one diagnostic code means: its name, summary, documentation and fix safety."""

    code: str
    """Family letters and three digits: ``B101``, ``W001``, ``IB002``."""
    name: str
    """Kebab-case, unique across the registry; selectors accept it like the code."""
    summary: str
    """One line, no final full stop."""
    doc: str
    """The documentation, with the sections of :data:`DOC_SECTIONS`."""
    severity: Severity = Severity.ERROR
    """The severity of its findings (a rule may report some findings lower)."""
    fix_safety: tuple[Applicability, ...] = ()
    """The applicabilities its fixes can have; empty when it never comes with a fix."""
    aliases: tuple[str, ...] = ()
    """Old codes, still accepted by selectors."""
    origin: str = "rule"
    """Who reports it: ``rule``, ``engine`` (the lint runner and fix loop) or ``infobox``."""

    def __post_init__(self) -> None:
        for code in (self.code, *self.aliases):
            if not _CODE.match(code):
                raise ValueError(f"code {code!r} must be family letters + three digits")
        if not _NAME.match(self.name):
            raise ValueError(f"code name {self.name!r} must be kebab-case")
        object.__setattr__(self, "doc", inspect.cleandoc(self.doc))

    def sections(self) -> dict[str, str]:
        """The documentation split into its sections."""
        return doc_sections(self.doc)

    def matches(self, selector: str) -> bool:
        """Whether ``selector`` (``ALL``, a code, a prefix of a code or old code, a name)
        picks this code."""
        return selector_matches(selector, self.code, self.name, self.aliases)

    @property
    def fix_label(self) -> str:
        """The fix safety in a word or two: ``safe``, ``unsafe``, ``safe/unsafe``, ``none``."""
        if not self.fix_safety:
            return "none"
        order = list(Applicability)
        return "/".join(a.value for a in sorted(self.fix_safety, key=order.index))


class CodeRegistry:
    """A set of codes, unique by code, name and old code; iterates in code order."""

    def __init__(self, codes: Iterable[CodeInfo]) -> None:
        self._codes: dict[str, CodeInfo] = {}
        keys: dict[str, str] = {}
        for info in codes:
            for key in (info.code, info.name, *info.aliases):
                if key in keys:
                    raise ValueError(f"{info.code} {info.name}: '{key}' is taken by {keys[key]}")
                keys[key] = info.code
            self._codes[info.code] = info
        self._codes = dict(sorted(self._codes.items()))

    def __iter__(self) -> Iterator[CodeInfo]:
        return iter(self._codes.values())

    def __len__(self) -> int:
        return len(self._codes)

    def __contains__(self, code: object) -> bool:
        return code in self._codes

    def get(self, code: str) -> CodeInfo | None:
        """The code's info, None when the registry does not hold it."""
        return self._codes.get(code)

    def find(self, key: str) -> CodeInfo:
        """The one code with this code, old code or name; ConfigError if there is none."""
        for info in self:
            if key.upper() in (info.code, *info.aliases) or key.lower() == info.name:
                return info
        raise ConfigError(f"no rule or code '{key}'; run 'wikitools rules' to list them")

    def check_selectors(self, selectors: Iterable[str]) -> None:
        """Raise ConfigError for a selector that matches no code."""
        for selector in selectors:
            if not any(info.matches(selector) for info in self):
                raise ConfigError(
                    f"unknown rule selector '{selector}'; run 'wikitools rules' to list the codes"
                )

    def matches(self, selector: str, code: str, name: str) -> bool:
        """Whether ``selector`` picks a finding of ``code``/``name`` (old codes count)."""
        info = self.get(code)
        if info is not None:
            return info.matches(selector)
        return selector_matches(selector, code, name)
