"""Find the modules a Scribunto Lua module loads: ``require`` and ``mw.loadData`` calls.

A small Lua tokenizer (comments, short and long strings, names, punctuation) is enough to
find the calls reliably: text inside comments and strings is never mistaken for code, and
every call form Lua allows is understood::

    require('Module:Arguments')        require "Module:Arguments"     require [[Module:X]]
    mw.loadData('Module:Footnotes/anchor_id_list')    mw.loadJsonData("Module:X/data.json")
    pcall(require, 'Module:Optional')  -- optional: a missing module is not an error

Only string-literal arguments can be followed; ``require(name)`` or
``require('Module:X/' .. lang)`` are reported as dynamic. Each dependency also says
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

    def argument(self, i: int) -> tuple[str | None, bool]:
        """The literal argument of a call whose argument list starts at ``i``.

        Returns (name or None for dynamic, whether this is a call at all).
        """
        tok = self.at(i)
        if _is(tok, TokenKind.STRING):
            assert tok is not None
            return tok.value, True
        if _is(tok, TokenKind.OP, "("):
            arg, close = self.at(i + 1), self.at(i + 2)
            if _is(arg, TokenKind.STRING) and _is(close, TokenKind.OP, ")"):
                assert arg is not None
                return arg.value, True
            return None, True
        return None, False

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
            name, is_call = self.argument(loader[1])
            if is_call:
                self.found.append(
                    LuaDependency(loader[0], name, self.line_of(tok.start), False, in_function)
                )
        return self.found


def find_dependencies(source: str) -> list[LuaDependency]:
    """Every ``require``/``mw.loadData``/``mw.loadJsonData`` call in Lua ``source``."""
    return _Scanner(source).scan()


def is_builtin_library(name: str) -> bool:
    """True for names Scribunto resolves from its own Lua library (``libraryUtil``, ``strict``)."""
    return name in BUILTIN_LIBRARIES
