"""Document: one page's text with its lazily built indexes and tree."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import cached_property
from typing import Any, TypeVar

from mwparserfromhell.nodes import Node, Template
from mwparserfromhell.wikicode import Wikicode

from wikitools.contentmodel import WIKITEXT, default_model, is_wikitext_model
from wikitools.parsing.lines import LineIndex
from wikitools.parsing.regions import IgnoredRegions
from wikitools.parsing.tree import iter_node_spans, parse
from wikitools.titles import DEFAULT, MAIN, Namespaces

T = TypeVar("T")


class Document:
    """A page's wikitext plus everything rules share about it, each built once on demand.

    The text is the truth: rules report offsets into :attr:`text`; the tree is only a
    view of it, and its construction fails (``RoundTripError``) when it would not
    reproduce the text exactly.
    """

    def __init__(
        self,
        text: str,
        title: str | None = None,
        namespace: int | None = None,
        namespaces: Namespaces = DEFAULT,
        model: str | None = None,
    ) -> None:
        self.text = text
        self.title = title
        if namespace is None:
            namespace = namespaces.namespace_of(title) if title else MAIN
        self.namespace = namespace
        if model is None:
            model = default_model(namespace, title, namespaces) if title else WIKITEXT
        #: The content model (``wikitext``, ``Scribunto``, ``css``...): as given, else the
        #: default MediaWiki gives the title (see :mod:`wikitools.sources`).
        self.model = model
        self._memo: dict[str, Any] = {}

    def memo(self, key: str, build: Callable[[Document], T]) -> T:
        """A value shared by several rules, built once per document (e.g. a scan)."""
        if key not in self._memo:
            self._memo[key] = build(self)
        value: T = self._memo[key]
        return value

    @property
    def is_wikitext(self) -> bool:
        """False for pages whose content is not wikitext (Lua modules, CSS, JS, JSON)."""
        return is_wikitext_model(self.model)

    @cached_property
    def lines(self) -> LineIndex:
        """Offset ↔ line:column index."""
        return LineIndex(self.text)

    @cached_property
    def ignored(self) -> IgnoredRegions:
        """Comments, <nowiki>, <pre>, code and math regions."""
        return IgnoredRegions.of(self.text)

    def is_ignored(self, offset: int) -> bool:
        """True when ``offset`` lies in a region rules must not look at."""
        return self.ignored.contains(offset)

    @cached_property
    def tree(self) -> Wikicode:
        """The mwparserfromhell tree; raises ``RoundTripError`` if it is not lossless."""
        return parse(self.text)

    @cached_property
    def node_spans(self) -> list[tuple[Node, int, int]]:
        """Every node of the tree with its (start, end) offsets, parents first."""
        return list(iter_node_spans(self.tree))

    def iter_templates(self) -> Iterator[tuple[Template, int, int]]:
        """Every template call (nested ones too) outside ignored regions, with its span."""
        for node, start, end in self.node_spans:
            if isinstance(node, Template) and not self.is_ignored(start):
                yield node, start, end

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of an offset."""
        return self.lines.position(offset)
