"""mwparserfromhell parsing with a round-trip guard, and node spans."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import mwparserfromhell
from mwparserfromhell.nodes import Argument, Heading, Node, Template, Wikilink
from mwparserfromhell.wikicode import Wikicode

from wikitools.errors import WikitoolsError


class RoundTripError(WikitoolsError):
    """mwparserfromhell did not reproduce the text exactly; the page must not be fixed."""


def parse(text: str, *, skip_style_tags: bool = True) -> Wikicode:
    """Parse wikitext, raising RoundTripError if ``str(tree) != text``."""
    try:
        tree = mwparserfromhell.parse(text, skip_style_tags=skip_style_tags)
    except Exception as exc:  # the parser's own failures (RecursionError, ParserError)
        raise RoundTripError(f"the wikitext parser failed: {type(exc).__name__}") from None
    if str(tree) != text:
        raise RoundTripError("the wikitext parser does not reproduce this page exactly")
    return tree


def _children_with_offsets(node: Node, start: int) -> Iterator[tuple[Wikicode, int]]:
    """Child wikicodes of ``node`` with the offset where each starts."""
    if isinstance(node, Template):
        cursor = start + 2
        yield node.name, cursor
        cursor += len(str(node.name))
        for param in node.params:
            cursor += 1  # "|"
            if param.showkey:
                yield param.name, cursor
                cursor += len(str(param.name)) + 1  # "="
            yield param.value, cursor
            cursor += len(str(param.value))
        return
    if isinstance(node, Argument):
        cursor = start + 3
        yield node.name, cursor
        if node.default is not None:
            yield node.default, cursor + len(str(node.name)) + 1
        return
    if isinstance(node, Wikilink):
        yield node.title, start + 2
        if node.text is not None:
            yield node.text, start + 2 + len(str(node.title)) + 1
        return
    if isinstance(node, Heading):
        yield node.title, start + node.level
        return
    source = str(node)
    cursor = 0
    for child in node.__children__():
        child_text = str(child)
        found = source.find(child_text, cursor)
        if found < 0:
            continue
        yield child, start + found
        cursor = found + len(child_text)


def iter_node_spans(code: Wikicode, start: int = 0) -> Iterator[tuple[Node, int, int]]:
    """Every node in ``code`` (depth first, parents before children) with its span."""
    cursor = start
    for node in code.nodes:
        length = len(str(node))
        yield node, cursor, cursor + length
        for child, child_start in _children_with_offsets(node, cursor):
            yield from iter_node_spans(child, child_start)
        cursor += length


def template_name(node: Any) -> str:
    """The called name of a template node, stripped of comments and whitespace."""
    name = node.name
    return str(name.strip_code() if hasattr(name, "strip_code") else name).strip()
