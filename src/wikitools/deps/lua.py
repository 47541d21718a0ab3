"""Find the modules a Scribunto Lua module loads: ``require`` and ``mw.loadData`` calls.

A small Lua tokenizer (comments, short and long strings, names, punctuation) is enough to
find the calls reliably: text inside comments and strings is never mistaken for code, and
every call form Lua allows is understood::

    require('Module:Arguments')        require "Module:Arguments"     require [[Module:X]]
    mw.loadData('Module:Footnotes/anchor_id_list')    mw.loadJsonData("Module:X/data.json")
    pcall(require, 'Module:Optional')  -- optional: a missing module is not an error

Only string-literal arguments can be followed exactly; ``require('Module:X/' .. lang)``
is reported with its literal ``prefix`` (a prefix listing of the wiki finds the candidates)
and ``require(name)`` as fully dynamic. Each dependency also says
whether it sits inside a function body (loaded when that function runs) or at the top
level (loaded as soon as the module is, on every ``#invoke``).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterator
from dataclasses import dataclass

#: Libraries Scribunto loads from its own files (``lualib``), never from Module: pages.
BUILTIN_LIBRARIES: frozenset[str] = frozenset(
    {
        "bit",
        "bit32",
        "hex",
        "libraryUtil",
        "luabit.bit",
        "luabit.hex",
        "mw",
        "mw.hash",
        "mw.html",
        "mw.language",
        "mw.message",
        "mw.site",
        "mw.text",
        "mw.title",
        "mw.uri",
        "mw.ustring",
        "mwInit",
        "package",
        "strict",
        "ustring",
        "ustring.ustring",
    }
)


class TokenKind(enum.Enum):
    """Lua token kinds the scanner distinguishes."""

    NAME = "name"
    STRING = "string"
    NUMBER = "number"
    OP = "op"


@dataclass(frozen=True, slots=True)
class Token:
    """One Lua token; ``value`` is the decoded content for strings."""

    kind: TokenKind
    value: str
    start: int
    end: int


class LoadKind(enum.Enum):
    """How a module is loaded."""

    REQUIRE = "require"
    LOAD_DATA = "mw.loadData"
    LOAD_JSON_DATA = "mw.loadJsonData"


@dataclass(frozen=True, slots=True)
class LuaDependency:
    """One module load found in Lua source.

    ``name`` is the literal argument (``Module:Footnotes/anchor_id_list``), or None for a
    dynamic argument. ``optional`` marks ``pcall(require, …)``; ``in_function`` marks loads
    inside a function body; ``line`` is 1-based.
    """

    kind: LoadKind
    name: str | None
    line: int
    optional: bool = False
    in_function: bool = False
    prefix: str | None = None
    """For ``'Module:X/' .. suffix``: the literal start of the name (``name`` is None)."""


_LONG_OPEN = re.compile(r"\[(=*)\[")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NUMBER = re.compile(r"0[xX][0-9A-Fa-f.]+(?:[pP][+-]?\d+)?|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_OPS = ("...", "..", "==", "~=", "<=", ">=", "::")
_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}


def _long_bracket_end(source: str, pos: int) -> tuple[int, int] | None:
    """For a long bracket opening at ``pos``: (content start, level), or None."""
    match = _LONG_OPEN.match(source, pos)
    if not match:
        return None
    return match.end(), len(match.group(1))


def _decode_short(body: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(body):
        char = body[i]
        if char != "\\" or i + 1 >= len(body):
            out.append(char)
            i += 1
            continue
        nxt = body[i + 1]
        if nxt in _ESCAPES:
            out.append(_ESCAPES[nxt])
            i += 2
        elif nxt.isdigit():
            digits = re.match(r"\d{1,3}", body[i + 1 :])
            assert digits is not None
            out.append(chr(int(digits.group(0)) % 256))
            i += 1 + len(digits.group(0))
        elif nxt == "x" and re.match(r"[0-9A-Fa-f]{2}", body[i + 2 : i + 4]):
            out.append(chr(int(body[i + 2 : i + 4], 16)))
            i += 4
        elif nxt == "z":
            i += 2
            while i < len(body) and body[i].isspace():
                i += 1
        else:
            out.append(nxt)
            i += 2
    return "".join(out)


def tokenize(source: str) -> Iterator[Token]:
    """Lua tokens of ``source``, comments dropped. Never raises: junk becomes OP tokens."""
    pos, size = 0, len(source)
    while pos < size:
        char = source[pos]
        if char.isspace():
            pos += 1
            continue
        if source.startswith("--", pos):
            opened = _long_bracket_end(source, pos + 2)
            if opened is not None:
                content, level = opened
                close = source.find("]" + "=" * level + "]", content)
                pos = size if close < 0 else close + level + 2
            else:
                newline = source.find("\n", pos)
                pos = size if newline < 0 else newline + 1
            continue
        if char == "[":
            opened = _long_bracket_end(source, pos)
            if opened is not None:
                content, level = opened
                close = source.find("]" + "=" * level + "]", content)
                end = size if close < 0 else close + level + 2
                body = source[content : close if close >= 0 else size]
                if body.startswith("\r\n"):
                    body = body[2:]
                elif body.startswith("\n"):
                    body = body[1:]
                yield Token(TokenKind.STRING, body, pos, end)
                pos = end
                continue
        if char in "\"'":
            i = pos + 1
            while i < size and source[i] != char and source[i] != "\n":
                i += 2 if source[i] == "\\" else 1
            end = min(i + 1, size)
            yield Token(TokenKind.STRING, _decode_short(source[pos + 1 : min(i, size)]), pos, end)
            pos = end
            continue
        match = _NAME.match(source, pos)
        if match:
            yield Token(TokenKind.NAME, match.group(0), pos, match.end())
            pos = match.end()
            continue
        match = _NUMBER.match(source, pos)
        if match and match.group(0):
            yield Token(TokenKind.NUMBER, match.group(0), pos, match.end())
            pos = match.end()
            continue
        for op in _OPS:
            if source.startswith(op, pos):
                yield Token(TokenKind.OP, op, pos, pos + len(op))
                pos += len(op)
                break
        else:
            yield Token(TokenKind.OP, char, pos, pos + 1)
            pos += 1


def _is(token: Token | None, kind: TokenKind, value: str | None = None) -> bool:
    return token is not None and token.kind is kind and (value is None or token.value == value)


class _Scanner:
    def __init__(self, source: str) -> None:
        self.source = source
        self.tokens = list(tokenize(source))
        self.found: list[LuaDependency] = []

    def at(self, index: int) -> Token | None:
        return self.tokens[index] if 0 <= index < len(self.tokens) else None

    def line_of(self, offset: int) -> int:
        return self.source.count("\n", 0, offset) + 1

    def loader_at(self, i: int) -> tuple[LoadKind, int] | None:
        """If tokens at ``i`` name a loader (require / mw.loadData), its kind and next index."""
        tok = self.at(i)
        if not _is(tok, TokenKind.NAME):
            return None
        previous = self.at(i - 1)
        if _is(previous, TokenKind.OP, ".") or _is(previous, TokenKind.OP, ":"):
            return None
        assert tok is not None
        if tok.value == "require":
            return LoadKind.REQUIRE, i + 1
        if (
            tok.value == "mw"
            and _is(self.at(i + 1), TokenKind.OP, ".")
            and _is(self.at(i + 2), TokenKind.NAME)
        ):
            method = self.at(i + 2)
            assert method is not None
            if method.value == "loadData":
                return LoadKind.LOAD_DATA, i + 3
            if method.value == "loadJsonData":
                return LoadKind.LOAD_JSON_DATA, i + 3
        return None

    def argument_with_prefix(self, i: int) -> tuple[str | None, str | None, bool]:
        """The literal argument of a call whose argument list starts at ``i``.

        Returns (name, or None when dynamic; the literal prefix of ``'Module:X/' .. rest``,
        else None; whether this is a call at all)."""
        tok = self.at(i)
        if _is(tok, TokenKind.STRING):
            assert tok is not None
            return tok.value, None, True
        if _is(tok, TokenKind.OP, "("):
            arg, close = self.at(i + 1), self.at(i + 2)
            if _is(arg, TokenKind.STRING) and _is(close, TokenKind.OP, ")"):
                assert arg is not None
                return arg.value, None, True
            if _is(arg, TokenKind.STRING) and _is(close, TokenKind.OP, ".."):
                assert arg is not None
                return None, arg.value, True
            return None, None, True
        return None, None, False

    def scan(self) -> list[LuaDependency]:
        stack: list[str] = []
        for i, tok in enumerate(self.tokens):
            if tok.kind is TokenKind.NAME:
                if tok.value == "function":
                    stack.append("function")
                    continue
                if tok.value in ("do", "if", "repeat"):
                    stack.append(tok.value)
                    continue
                if tok.value == "end" and stack:
                    stack.pop()
                    continue
                if tok.value == "until" and stack:
                    stack.pop()
                    continue
            in_function = "function" in stack
            if _is(tok, TokenKind.NAME, "pcall") and _is(self.at(i + 1), TokenKind.OP, "("):
                loader = self.loader_at(i + 2)
                if loader is not None and _is(self.at(loader[1]), TokenKind.OP, ","):
                    arg = self.at(loader[1] + 1)
                    name = arg.value if arg is not None and arg.kind is TokenKind.STRING else None
                    self.found.append(
                        LuaDependency(loader[0], name, self.line_of(tok.start), True, in_function)
                    )
                continue
            loader = self.loader_at(i)
            if loader is None:
                continue
            if (
                _is(self.at(i - 1), TokenKind.OP, ",")
                and _is(self.at(i - 2), TokenKind.OP, "(")
                and _is(self.at(i - 3), TokenKind.NAME, "pcall")
            ):
                continue  # already recorded as optional
            name, prefix, is_call = self.argument_with_prefix(loader[1])
            if is_call:
                self.found.append(
                    LuaDependency(
                        loader[0], name, self.line_of(tok.start), False, in_function, prefix
                    )
                )
        return self.found


def find_dependencies(source: str) -> list[LuaDependency]:
    """Every ``require``/``mw.loadData``/``mw.loadJsonData`` call in Lua ``source``."""
    return _Scanner(source).scan()


def is_builtin_library(name: str) -> bool:
    """True for names Scribunto resolves from its own Lua library (``libraryUtil``, ``strict``)."""
    return name in BUILTIN_LIBRARIES


class ReferenceKind(enum.Enum):
    """Other ways Lua reaches a wiki page (beyond ``require``/``mw.loadData``)."""

    EXPAND_TEMPLATE = "frame:expandTemplate"
    TEMPLATESTYLES = "frame:extensionTag(templatestyles)"
    GET_CONTENT = "mw.title.new():getContent"
    WIKIBASE = "mw.wikibase"
    COMMONS_DATA = "mw.ext.data"

    @property
    def reads_foreign_data(self) -> bool:
        """True for data that lives on another wiki (Wikidata, Commons Data)."""
        return self in (ReferenceKind.WIKIBASE, ReferenceKind.COMMONS_DATA)


@dataclass(frozen=True, slots=True)
class LuaReference:
    """A page (or foreign data) a module reaches other than by loading it.

    ``name`` is the literal title as written (None when dynamic, or for foreign data);
    ``prefix`` the literal start of a name joined with ``..``; ``namespace`` the literal
    namespace argument of ``mw.title.new(name, ns)`` / ``mw.title.makeTitle(ns, name)``.
    """

    kind: ReferenceKind
    name: str | None
    line: int
    prefix: str | None = None
    namespace: str | None = None

    @property
    def dynamic(self) -> bool:
        """True when the page cannot be named from the source alone."""
        return self.name is None and not self.kind.reads_foreign_data


_OPENERS = {"(": ")", "{": "}", "[": "]"}


class _ReferenceScanner(_Scanner):
    def span(self, i: int) -> tuple[int, int]:
        """Token range ``[start, end)`` of the call arguments starting at ``i``."""
        tok = self.at(i)
        if tok is None:
            return i, i
        if tok.kind is TokenKind.STRING:
            return i, i + 1
        if tok.kind is not TokenKind.OP or tok.value not in ("(", "{"):
            return i, i
        depth = 0
        for j in range(i, len(self.tokens)):
            t = self.tokens[j]
            if t.kind is TokenKind.OP and t.value in _OPENERS:
                depth += 1
            elif t.kind is TokenKind.OP and t.value in _OPENERS.values():
                depth -= 1
                if depth == 0:
                    return i + 1, j
        return i + 1, len(self.tokens)

    def value(self, j: int) -> tuple[str | None, str | None]:
        """(literal, prefix) of the expression starting at token ``j``."""
        tok = self.at(j)
        if not _is(tok, TokenKind.STRING):
            return None, None
        assert tok is not None
        if _is(self.at(j + 1), TokenKind.OP, ".."):
            return None, tok.value
        return tok.value, None

    def field(self, start: int, end: int, key: str) -> tuple[bool, str | None, str | None]:
        """Find ``key = value`` in a table between tokens; (found, literal, prefix)."""
        for j in range(start, end - 2):
            if (
                _is(self.at(j), TokenKind.NAME, key)
                and _is(self.at(j + 1), TokenKind.OP, "=")
                and not _is(self.at(j - 1), TokenKind.OP, ".")
            ):
                literal, prefix = self.value(j + 2)
                return True, literal, prefix
        return False, None, None

    def strings(self, start: int, end: int) -> list[tuple[int, str]]:
        return [
            (j, self.tokens[j].value)
            for j in range(start, end)
            if self.tokens[j].kind is TokenKind.STRING
        ]

    def references(self) -> list[LuaReference]:
        found: list[LuaReference] = []
        for i, tok in enumerate(self.tokens):
            if tok.kind is not TokenKind.NAME:
                continue
            line = self.line_of(tok.start)
            after_colon = _is(self.at(i - 1), TokenKind.OP, ":")
            if after_colon and tok.value == "expandTemplate":
                start, end = self.span(i + 1)
                present, literal, prefix = self.field(start, end, "title")
                if present or start < end:
                    found.append(LuaReference(ReferenceKind.EXPAND_TEMPLATE, literal, line, prefix))
            elif after_colon and tok.value == "extensionTag":
                start, end = self.span(i + 1)
                args = self.strings(start, end)
                if not any(value.strip().lower() == "templatestyles" for _, value in args):
                    continue
                _, literal, prefix = self.field(start, end, "src")
                found.append(LuaReference(ReferenceKind.TEMPLATESTYLES, literal, line, prefix))
            elif tok.value == "mw" and not _is(self.at(i - 1), TokenKind.OP, "."):
                found.extend(self._mw_reference(i, line))
        return found

    def _mw_reference(self, i: int, line: int) -> list[LuaReference]:
        path = []
        j = i + 1
        while _is(self.at(j), TokenKind.OP, ".") and _is(self.at(j + 1), TokenKind.NAME):
            nxt = self.at(j + 1)
            assert nxt is not None
            path.append(nxt.value)
            j += 2
        if path[:1] == ["wikibase"]:
            return [LuaReference(ReferenceKind.WIKIBASE, None, line)]
        if path[:2] == ["ext", "data"]:
            return [LuaReference(ReferenceKind.COMMONS_DATA, None, line)]
        if path[:1] != ["title"] or len(path) != 2 or path[1] not in ("new", "makeTitle"):
            return []
        if not _is(self.at(j), TokenKind.OP, "("):
            return []
        start, end = self.span(j)
        if not (_is(self.at(end + 1), TokenKind.OP, ":") and _is(self.at(end + 2), TokenKind.NAME)):
            return []
        method = self.at(end + 2)
        assert method is not None
        if method.value not in ("getContent", "getContentModel"):
            return []
        commas = [k for k in range(start, end) if _is(self.at(k), TokenKind.OP, ",")]
        first_end = commas[0] if commas else end
        if path[1] == "new":
            literal, prefix = self.value(start) if first_end > start else (None, None)
            namespace = self.value(commas[0] + 1)[0] if commas else None
        else:
            namespace = self.value(start)[0]
            literal, prefix = self.value(commas[0] + 1) if commas else (None, None)
        return [LuaReference(ReferenceKind.GET_CONTENT, literal, line, prefix, namespace)]


def find_references(source: str) -> list[LuaReference]:
    """Pages a module reaches without loading them, and foreign data it reads.

    ``frame:expandTemplate{title = 'X'}`` (a template), ``frame:extensionTag('templatestyles',
    '', {src = 'X.css'})`` (a stylesheet), ``mw.title.new('X'):getContent()`` (any page read
    as text), ``mw.wikibase`` (Wikidata) and ``mw.ext.data`` (Commons Data). Comments and
    strings never count.
    """
    return _ReferenceScanner(source).references()
