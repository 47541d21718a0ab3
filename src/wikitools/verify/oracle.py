"""The render oracle: MediaWiki renders the old and the new text, readers' losses are judged.

:class:`RenderOracle` wraps any renderer ``(wikitext, title) -> html``, such as
:meth:`wikitools.sandbox.SandboxWiki.render` or :func:`wiki_renderer` around the API client,
and caches renders by title and text hash, so a text is rendered once however often it is
compared.

:meth:`RenderOracle.judge_fix` decides whether a fix kept everything readers see except the
artifact it removed. It knows no rule: a fix is accepted only when

- no lost token was code;
- every other lost token is accounted for: it is literal source text the fix's edits deleted
  or replaced (a stray ``}}``, pasted "Lua error …" text), an error message MediaWiki
  rendered, or a red link that showed the title of a missing page the deleted text named
  (``{{Ka icon}}`` renders "Template:Ka icon"); or it moved: the very same tokens (same
  text, code and table depth) show elsewhere in the new render, as when a references list
  MediaWiki appended at the end now stands where the page asks for it; or it is a citation
  marker or back-link MediaWiki generates (the references themselves are text, and count);
- the new render shows no error message the old one did not.
"""

from __future__ import annotations

import difflib
import html as html_module
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from wikitools.fixes.model import Edit
from wikitools.verify.cache import RenderCache
from wikitools.verify.diff import RenderDiff, Segment, diff_tokens
from wikitools.verify.visible import Token, text_tokens, visible_tokens

Renderer = Callable[[str, str], str]
"""Render unsaved wikitext as the page ``title``: ``renderer(wikitext, title) -> html``."""


class _ParsesText(Protocol):
    def parse_text(self, text: str, title: str) -> _HasHtml: ...


class _HasHtml(Protocol):
    @property
    def html(self) -> str: ...


def wiki_renderer(wiki: _ParsesText) -> Renderer:
    """A renderer for a live wiki (:class:`wikitools.mediawiki.wiki.Wiki`): ``parse_text``."""

    def render(text: str, title: str) -> str:
        return wiki.parse_text(text, title).html

    return render


@dataclass(frozen=True, slots=True)
class Verdict:
    """The oracle's judgement of one fix.

    ``lost``/``gained`` are every change readers see; ``unexplained`` the lost segments (or
    parts of them) that are not the artifact the edits removed; ``lost_code`` the lost
    segments with code in them; ``new_errors`` error messages only the new render shows;
    ``moved`` lost segments that show unchanged elsewhere in the new render.
    """

    accepted: bool
    reason: str
    lost: tuple[Segment, ...] = ()
    gained: tuple[Segment, ...] = ()
    unexplained: tuple[Segment, ...] = ()
    lost_code: tuple[Segment, ...] = ()
    new_errors: tuple[Segment, ...] = ()
    moved: tuple[Segment, ...] = ()

    @property
    def lost_text(self) -> str:
        """Everything lost, as text (segments separated by `` | ``)."""
        return " | ".join(segment.text for segment in self.lost)

    @property
    def gained_text(self) -> str:
        """Everything gained, as text (segments separated by `` | ``)."""
        return " | ".join(segment.text for segment in self.gained)


class RenderOracle:
    """Renders wikitext through ``renderer`` and compares what readers see (see module doc).

    ``renders`` counts the calls of the renderer, ``hits`` the renders served from the cache.
    """

    def __init__(self, renderer: Renderer, cache_size: int = 4096) -> None:
        self._renderer = renderer
        self._html: RenderCache[str] = RenderCache(cache_size)
        self._tokens: RenderCache[tuple[Token, ...]] = RenderCache(cache_size)
        self.renders = 0
        self.hits = 0

    def render(self, text: str, title: str) -> str:
        """The HTML of ``text`` rendered as the page ``title`` (cached by title and hash)."""
        cached = self._html.get(title, text)
        if cached is not None:
            self.hits += 1
            return cached
        self.renders += 1
        rendered = self._renderer(text, title)
        self._html.put(title, text, rendered)
        return rendered

    def visible(self, text: str, title: str) -> tuple[Token, ...]:
        """The tokens readers see of ``text`` rendered as ``title``."""
        tokens = self._tokens.get(title, text)
        if tokens is None:
            tokens = visible_tokens(self.render(text, title))
            self._tokens.put(title, text, tokens)
        else:
            self.hits += 1
        return tokens

    def compare(self, title: str, old_text: str, new_text: str) -> RenderDiff:
        """What readers lose and gain when ``old_text`` becomes ``new_text``."""
        if old_text == new_text:
            return RenderDiff()
        return diff_tokens(self.visible(old_text, title), self.visible(new_text, title))

    def judge_fix(self, title: str, old_text: str, new_text: str, edits: Sequence[Edit]) -> Verdict:
        """Whether the fix (``edits`` against ``old_text``) lost only the artifact it removed."""
        diff = self.compare(title, old_text, new_text)
        return judge(diff, [old_text[e.start : e.end] for e in edits])


_CHAR_DIFF_LIMIT = 20_000
_SPLIT_BY = 4


def removed_text(old_text: str, new_text: str) -> list[str]:
    """The pieces of ``old_text`` that ``new_text`` deletes or replaces (a line diff, refined
    to characters inside each changed block): what a fix removed, when its edits are unknown."""
    old_lines = old_text.splitlines(keepends=True)
    new_lines = new_text.splitlines(keepends=True)
    pieces: list[str] = []
    lines = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for op, i1, i2, j1, j2 in lines.get_opcodes():
        if op == "equal":
            continue
        old_block, new_block = "".join(old_lines[i1:i2]), "".join(new_lines[j1:j2])
        if len(old_block) + len(new_block) > _CHAR_DIFF_LIMIT:
            pieces.append(old_block)  # too long to refine cheaply: all of it may be gone
            continue
        chars = difflib.SequenceMatcher(None, old_block, new_block, autojunk=False)
        # Chance matches of a letter or two ("{{Ka icon}}" -> "(in Georgian)") do not split
        # what was replaced: changes closer than _SPLIT_BY characters make one piece.
        span: list[int] | None = None
        for tag, a1, a2, _b1, _b2 in chars.get_opcodes():
            if tag == "equal":
                if span is not None and a2 - a1 >= _SPLIT_BY:
                    pieces.append(old_block[span[0] : span[1]])
                    span = None
            elif span is None:
                span = [a1, a2]
            else:
                span[1] = a2
        if span is not None:
            pieces.append(old_block[span[0] : span[1]])
    return [piece for piece in pieces if piece]


def judge(diff: RenderDiff, removed: Iterable[str], old_source: str | None = None) -> Verdict:
    """Judge a render diff against the source texts the edits deleted or replaced.

    With ``old_source``, lost text that is broken markup shown as it was typed (it holds
    ``{{`` or ``[[`` and stands verbatim in the old source, as an unclosed call does) is the
    artifact a closer repairs: the call or link now works instead of showing as text.
    """
    if diff.unchanged:
        return Verdict(True, "readers see no change")
    source = tuple(t for text in removed for t in text_tokens(html_module.unescape(text)))
    folded = tuple(t.casefold() for t in source)
    gained = _Gained(diff.gained)
    moved: list[Segment] = []
    lost_code: list[Segment] = []
    unexplained: list[Segment] = []
    shown_markup = _squeezed(old_source) if old_source is not None else ""
    for segment in diff.lost:
        rest, code, went = _account(segment, source, folded, gained)
        if rest and shown_markup and _is_shown_markup(segment.tokens, shown_markup):
            rest = []
        for tokens, out in ((rest, unexplained), (code, lost_code), (went, moved)):
            if tokens:
                out.append(Segment(tuple(tokens), segment.position))
    old_errors = {e.text for s in diff.lost for e in _errors(s)}
    new_errors = tuple(e for s in diff.gained for e in _errors(s) if e.text not in old_errors)
    problems: list[str] = []
    if lost_code:
        problems.append("lost code: " + _quote(lost_code))
    if unexplained:
        problems.append("lost text the edits did not remove: " + _quote(unexplained))
    if new_errors:
        problems.append("shows new errors: " + _quote(new_errors))
    if problems:
        return Verdict(
            False,
            "; ".join(problems),
            diff.lost,
            diff.gained,
            tuple(unexplained),
            tuple(lost_code),
            new_errors,
            tuple(moved),
        )
    reason = (
        "lost only what the edits removed: " + _quote(diff.lost)
        if diff.lost
        else "lost nothing; gained: " + _quote(diff.gained)
    )
    return Verdict(True, reason, diff.lost, diff.gained, moved=tuple(moved))


def _squeezed(text: str) -> str:
    return "".join(html_module.unescape(text).split())


def _is_shown_markup(tokens: Sequence[Token], squeezed_source: str) -> bool:
    """True for tokens that read as wikitext markup and stand verbatim in the source."""
    shown = "".join(token.text for token in tokens)
    shown = "".join(shown.split())
    return ("{{" in shown or "[[" in shown) and shown in squeezed_source


def _errors(segment: Segment) -> list[Segment]:
    """The runs of error-message tokens in a segment."""
    runs: list[Segment] = []
    current: list[Token] = []
    for token in (*segment.tokens, None):
        if token is not None and token.in_error:
            current.append(token)
        elif current:
            runs.append(Segment(tuple(current), segment.position))
            current = []
    return runs


_SEPARATOR = "\x00"


def _key_string(tokens: Sequence[Token]) -> str:
    """Tokens' keys as one string, for finding one run of tokens inside another."""
    return "".join(
        f"{_SEPARATOR}{t.text}\x01{int(t.in_code)}\x01{t.table_depth}\x02" for t in tokens
    )


def _quote(segments: Sequence[Segment], limit: int = 5) -> str:
    shown = ", ".join(repr(s.text[:120]) for s in segments[:limit])
    more = f" and {len(segments) - limit} more" if len(segments) > limit else ""
    return shown + more


#: A run of lost tokens counts as moved when at least this many show unchanged elsewhere.
MIN_MOVED = 3


class _Gained:
    """The gained segments, searchable for a run of lost tokens that shows there unchanged."""

    def __init__(self, segments: Sequence[Segment]) -> None:
        kept = [_content(s.tokens) for s in segments]
        self._whole = {_key_string(tokens) for tokens in kept}
        self._all = _SEPARATOR.join(_key_string(tokens) for tokens in kept)

    def whole(self, tokens: Sequence[Token]) -> bool:
        """Whether exactly these tokens were gained as one segment."""
        return _key_string(tokens) in self._whole

    def contains(self, tokens: Sequence[Token]) -> bool:
        """Whether these tokens show, in this order, in what was gained."""
        return _key_string(tokens) in self._all

    def longest_run(self, tokens: Sequence[Token], start: int) -> int:
        """The end of the longest run ``tokens[start:end]`` that was gained (``start``: none)."""
        return _longest_run(tokens, start, self._all)


def _longest_run(tokens: Sequence[Token], start: int, haystack: str) -> int:
    """The end of the longest run ``tokens[start:end]`` found in ``haystack`` (key string)."""
    low, high = start, len(tokens)
    while low < high:
        middle = (low + high + 1) // 2
        if _key_string(tokens[start:middle]) in haystack:
            low = middle
        else:
            high = middle - 1
    return low


def _content(tokens: Sequence[Token]) -> list[Token]:
    """The tokens that are the page's content: not MediaWiki's error messages (the problem a
    fix repairs) nor the citation numbers and back-links it generates for what is there."""
    return [t for t in tokens if not t.in_error and not t.generated]


def _account(
    segment: Segment, source: tuple[str, ...], folded: tuple[str, ...], gained: _Gained
) -> tuple[list[Token], list[Token], list[Token]]:
    """Sort a lost segment's tokens: (not accounted for, code, moved).

    Runs that show unchanged elsewhere moved (short ones only when they show in what replaced
    the segment, as when the tokens around a rewritten call stay, or a word now glued to new
    text beside it); of the others, the red
    links of missing pages the removed source named are artifacts (and so is a short run
    between two of them that shows elsewhere), and the rest must be the removed source itself,
    in order. Code tokens that did not move are lost code, artifact or not.
    """
    tokens = _content(segment.tokens)
    if gained.whole(tokens):
        return [], [], list(tokens)
    replacement = _key_string(_content(segment.counterpart))
    glued = {(t.text, t.table_depth) for t in _content(segment.counterpart) if not t.in_code}
    artifact = [t.red_link is not None and _names_page(t.red_link, folded) for t in tokens]
    rest: list[Token] = []
    code: list[Token] = []
    moved: list[Token] = []
    cursor = 0
    index = 0
    while index < len(tokens):
        end = gained.longest_run(tokens, index)
        if end - index < MIN_MOVED and not _between_artifacts(artifact, index, end):
            end = _longest_run(tokens, index, replacement)  # short: only where the change was
        if end == index and _glued(tokens[index], glued):
            end = index + 1  # the same letters, glued to the new text beside them ("d" → "dx")
        if end > index:
            moved.extend(tokens[index:end])
            index = end
            continue
        token = tokens[index]
        index += 1
        if token.in_code:
            code.append(token)
        if artifact[index - 1]:
            continue  # the red link a missing page's call rendered, and the call is gone
        try:
            cursor = source.index(token.text, cursor) + 1
        except ValueError:
            rest.append(token)
    return rest, code, moved


def _glued(token: Token, replacement: set[tuple[str, int]]) -> bool:
    """Whether a lost prose word is part of a longer word of the replacement, at the same
    table depth (``<sup>d</sup>`` followed by new text renders the word "dx")."""
    return not token.in_code and any(
        depth == token.table_depth and token.text in text and token.text != text
        for text, depth in replacement
    )


def _between_artifacts(artifact: list[bool], start: int, end: int) -> bool:
    """Whether ``[start:end]`` is a (non-empty) separator between two removed artifacts, like
    the ``/`` in "Template:Ar icon / Template:Fr icon"."""
    return (
        end > start and start > 0 and end < len(artifact) and artifact[start - 1] and artifact[end]
    )


def _names_page(title: str, folded: tuple[str, ...]) -> bool:
    """Whether the removed source names the page ``title`` (namespace prefix optional)."""
    name = title.split(":", 1)[1] if ":" in title else title
    return _is_subsequence([t.casefold() for t in text_tokens(name)], folded)


def _is_subsequence(needle: Sequence[str], haystack: Sequence[str]) -> bool:
    """Whether ``needle`` occurs in ``haystack`` in order (gaps allowed)."""
    if not needle:
        return True
    iterator = iter(haystack)
    return all(any(item == wanted for item in iterator) for wanted in needle)
