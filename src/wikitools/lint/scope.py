"""Where a rule applies: the namespaces of the pages it checks.

A rule's :attr:`~wikitools.lint.rule.Rule.applies_to` is a :class:`Scope`. The default,
:data:`CONTENT`, is every namespace whose pages readers read as pages: the main namespace,
Help, Project, User, Category, File, talk pages... It leaves out the namespaces of code:
Template, whose pages are transcluded with parameters (``{{{1}}}``, a ``{|`` closed by the
calling page, a ``}}`` that closes a call opened elsewhere are all meant there), MediaWiki
(interface messages, filled in with ``$1`` and read in pieces) and Module (Lua; its
``/doc`` pages document code, like a template's). A rule made for these namespaces says so
with :data:`TEMPLATES`, :func:`namespaces` or :data:`EVERYWHERE`.

Pages that are not wikitext (Lua, CSS, JavaScript, JSON) get no rule at all, whatever
the scope (:mod:`wikitools.sources`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wikitools.titles import DEFAULT_NAMESPACES, MAIN, MEDIAWIKI, MODULE, TEMPLATE


@dataclass(frozen=True)
class Scope:
    """A set of namespaces: ``only`` these (when given), minus ``excluded``."""

    label: str
    """Short name shown by ``wikitools rules`` (``content``, ``templates``...)."""
    description: str
    """One line for ``wikitools rule CODE``."""
    only: frozenset[int] | None = None
    excluded: frozenset[int] = frozenset()

    def includes(self, namespace: int) -> bool:
        """Whether pages of ``namespace`` are in this scope."""
        if self.only is not None and namespace not in self.only:
            return False
        return namespace not in self.excluded

    def as_dict(self) -> dict[str, Any]:
        """The JSON form: label, description and the namespace ids."""
        return {
            "label": self.label,
            "description": self.description,
            "only": sorted(self.only) if self.only is not None else None,
            "excluded": sorted(self.excluded),
        }


def _names(ids: frozenset[int]) -> str:
    return ", ".join(DEFAULT_NAMESPACES.get(i) or "(Main)" for i in sorted(ids))


def namespaces(*ids: int, label: str | None = None) -> Scope:
    """A scope of exactly these namespace ids."""
    only = frozenset(ids)
    return Scope(label or _names(only).lower(), f"pages in the namespaces {_names(only)}", only)


#: Content pages: every namespace but Template, MediaWiki and Module (the default).
CONTENT = Scope(
    "content",
    "content pages: every namespace but Template, MediaWiki and Module",
    excluded=frozenset({TEMPLATE, MEDIAWIKI, MODULE}),
)
#: Articles: the main namespace only.
ARTICLES = Scope("articles", "articles: the main namespace only", frozenset({MAIN}))
#: Templates: the Template namespace only.
TEMPLATES = Scope("templates", "templates: the Template namespace only", frozenset({TEMPLATE}))
#: Every wikitext page, templates and interface messages included.
EVERYWHERE = Scope("all", "every wikitext page, templates, messages and module docs included")
