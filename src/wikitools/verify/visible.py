"""What a reader sees of rendered HTML: a sequence of tokens, each knowing whether it is code.

:func:`visible_tokens` takes the ``text`` of ``action=parse`` (what
:meth:`wikitools.sandbox.SandboxWiki.render` returns) and yields the words and punctuation
marks a reader sees, in reading order. Words are runs of word characters; every other
non-space character is a token of its own, so that a lost ``}`` is never hidden inside a
longer punctuation run.

Dropped, because readers do not see them: ``<style>``, ``<script>``, comments (the parser's
limit report), edit-section links, and elements hidden with ``display:none`` or ``hidden``.
Kept: everything else, the reference list included.

Each token is flagged:

- ``in_code`` inside ``<code>``, ``<pre>``, ``<tt>``, ``<kbd>``, ``<samp>`` or highlighted
  source (``.mw-highlight``);
- ``in_error`` inside an error message MediaWiki produced (class ``error``, Cite and Scribunto
  errors), which is an artifact of the page, not its content;
- ``red_link`` with the title of the missing page when it is the text of a red link that
  shows that page's own title (how a missing template renders: "Template:Ka icon").

Citation markers and back-links are numbered by MediaWiki; their digits are replaced by ``#``
so that adding one reference does not look as if every later marker changed.

The HTML parser never loads external resources; character references are decoded as a
browser decodes them, since that is what a reader sees.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import lxml.html
from lxml import etree

#: Elements whose text is code.
CODE_TAGS = frozenset({"code", "pre", "tt", "kbd", "samp"})
#: Classes whose element's text is code (SyntaxHighlight output).
CODE_CLASSES = frozenset({"mw-highlight", "mw-syntaxhighlight"})
#: Classes of the error messages MediaWiki renders.
ERROR_CLASSES = frozenset({"error", "mw-ext-cite-error", "scribunto-error"})
#: Elements readers never see.
HIDDEN_TAGS = frozenset({"style", "script", "noscript", "template", "head", "meta", "link"})
#: Classes of elements readers never see (edit links are disabled anyway, but may be present).
HIDDEN_CLASSES = frozenset({"mw-editsection"})
#: Classes whose digits MediaWiki generates (citation numbers, back-link labels).
NUMBERED_CLASSES = frozenset({"reference", "mw-cite-backlink"})
#: Elements that end a word: text on either side of them does not run together.
BLOCK_TAGS = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "caption",
        "center",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "img",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    }
)

_TOKEN = re.compile(r"\w+|[^\w\s]")
_DISPLAY_NONE = re.compile(r"(?:^|;)\s*display\s*:\s*none\b", re.IGNORECASE)
_DIGITS = re.compile(r"\d")
_SPACES = re.compile(r"[\s_]+")


@dataclass(frozen=True, slots=True)
class Token:
    """One word or punctuation mark a reader sees.

    ``block`` numbers the block of text (paragraph, list item, table cell, line of code) the
    token belongs to, in reading order; it lets a diff work line by line on huge pages.
    """

    text: str
    in_code: bool = False
    in_error: bool = False
    red_link: str | None = None
    block: int = 0

    @property
    def key(self) -> tuple[str, bool]:
        """What two renders must agree on for the token to count as unchanged."""
        return (self.text, self.in_code)


@dataclass(frozen=True, slots=True)
class _Context:
    code: bool = False
    error: bool = False
    red_link: str | None = None
    numbered: bool = False


@dataclass(slots=True)
class _Piece:
    start: int
    context: _Context
    block: int


def _classes(element: etree._Element) -> frozenset[str]:
    return frozenset(str(element.get("class") or "").split())


def _hidden(element: etree._Element, tag: str, classes: frozenset[str]) -> bool:
    if tag in HIDDEN_TAGS or classes & HIDDEN_CLASSES:
        return True
    if element.get("hidden") is not None:
        return True
    return bool(_DISPLAY_NONE.search(str(element.get("style") or "")))


def red_link_target(element: etree._Element) -> str | None:
    """The missing page a red link (``<a class="new">``) points to, spaces for underscores."""
    href = str(element.get("href") or "")
    query = parse_qs(urlsplit(href).query)
    if "redlink" not in query or "title" not in query:
        return None
    return _SPACES.sub(" ", query["title"][0]).strip()


def _self_titled_red_link(element: etree._Element, classes: frozenset[str]) -> str | None:
    if "new" not in classes:
        return None
    target = red_link_target(element)
    if target is None:
        return None
    shown = _SPACES.sub(" ", "".join(str(t) for t in element.itertext())).strip()
    return target if shown == target else None


def _enter(context: _Context, element: etree._Element, tag: str) -> _Context:
    classes = _classes(element)
    code = context.code or tag in CODE_TAGS or bool(classes & CODE_CLASSES)
    error = context.error or bool(classes & ERROR_CLASSES)
    numbered = context.numbered or bool(classes & NUMBERED_CLASSES)
    red_link = context.red_link
    if tag == "a":
        red_link = _self_titled_red_link(element, classes) or red_link
    if (code, error, numbered, red_link) == (
        context.code,
        context.error,
        context.numbered,
        context.red_link,
    ):
        return context
    return _Context(code, error, red_link, numbered)


def parse_fragment(html: str) -> etree._Element:
    """Rendered HTML as an element tree under one ``<div>``; comments are dropped."""
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)
    root: etree._Element = lxml.html.fragment_fromstring(html, create_parent="div", parser=parser)
    return root


def visible_tokens(html: str) -> tuple[Token, ...]:
    """The tokens a reader sees in rendered HTML, in reading order (see the module doc)."""
    if not html.strip():
        return ()
    root = parse_fragment(html)
    chunks: list[str] = []
    pieces: list[_Piece] = []
    length = 0
    block = 0

    def emit(text: str | None, context: _Context) -> None:
        nonlocal length
        if not text:
            return
        if context.numbered:
            text = _DIGITS.sub("#", text)
        pieces.append(_Piece(length, context, block))
        chunks.append(text)
        length += len(text)

    def boundary() -> None:
        nonlocal length, block
        block += 1
        pieces.append(_Piece(length, _Context(), block))
        chunks.append("\n")
        length += 1

    stack: list[_Context] = [_Context()]
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, element in walker:
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if event == "start":
            classes = _classes(element)
            if _hidden(element, tag, classes):
                walker.skip_subtree()
                stack.append(stack[-1])
                continue
            if tag in BLOCK_TAGS:
                boundary()
            context = _enter(stack[-1], element, tag)
            stack.append(context)
            emit(element.text, context)
            continue
        hidden = _hidden(element, tag, _classes(element))
        stack.pop()
        if tag in BLOCK_TAGS and not hidden:
            boundary()
        if element is not root:
            emit(element.tail, stack[-1])
    return tuple(_tokenize("".join(chunks), pieces))


def _tokenize(text: str, pieces: list[_Piece]) -> Iterable[Token]:
    starts = [piece.start for piece in pieces]
    for match in _TOKEN.finditer(text):
        first = bisect.bisect_right(starts, match.start()) - 1
        last = bisect.bisect_right(starts, match.end() - 1) - 1
        covering = pieces[first : last + 1]
        yield Token(
            match.group(),
            in_code=any(p.context.code for p in covering),
            in_error=any(p.context.error for p in covering),
            red_link=next((p.context.red_link for p in covering if p.context.red_link), None),
            block=covering[0].block,
        )


def text_tokens(text: str) -> tuple[str, ...]:
    """The tokens of plain text (wikitext as written), split as :func:`visible_tokens` does."""
    return tuple(match.group() for match in _TOKEN.finditer(text))


def joined(tokens: Iterable[Token]) -> str:
    """Tokens as readable text: words separated by spaces, punctuation attached."""
    out: list[str] = []
    previous_word = False
    for token in tokens:
        word = token.text[0].isalnum() or token.text[0] == "_"
        if out and word and previous_word:
            out.append(" ")
        out.append(token.text)
        previous_word = word
    return "".join(out)
