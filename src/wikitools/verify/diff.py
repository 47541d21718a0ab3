"""Which visible tokens a change lost and which it gained.

:func:`diff_tokens` compares two token sequences from :func:`wikitools.verify.visible_tokens`
with :class:`difflib.SequenceMatcher` (``autojunk`` off, so frequent tokens such as ``.``
still match). The common head and tail are cut off first, which leaves only the changed middle
of a page for the matcher. When that middle is still large, the tokens are compared block by
block (paragraphs, cells, lines) first, and token by token only inside the blocks that differ,
so that the cost stays near linear on huge pages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import groupby

from wikitools.verify.visible import Token, joined

#: Above this many tokens on either side, the changed middle is compared block by block.
TOKEN_DIFF_LIMIT = 3000


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of consecutive tokens lost (or gained), and where it starts in its sequence."""

    tokens: tuple[Token, ...]
    position: int
    counterpart: tuple[Token, ...] = ()
    """The tokens on the other side of the same change: what replaced a lost segment, or
    what a gained segment replaced (empty for a pure deletion or insertion)."""

    @property
    def text(self) -> str:
        """The segment as readable text."""
        return joined(self.tokens)

    @property
    def in_code(self) -> bool:
        """Whether any token of the segment is code."""
        return any(token.in_code for token in self.tokens)


@dataclass(frozen=True, slots=True)
class RenderDiff:
    """The lost and the gained segments between an old and a new render."""

    lost: tuple[Segment, ...] = ()
    gained: tuple[Segment, ...] = ()

    @property
    def unchanged(self) -> bool:
        """True when readers see the very same tokens."""
        return not self.lost and not self.gained


def diff_tokens(
    old: Sequence[Token], new: Sequence[Token], *, limit: int = TOKEN_DIFF_LIMIT
) -> RenderDiff:
    """The segments of ``old`` that ``new`` lost and the segments ``new`` gained."""
    lost: list[Segment] = []
    gained: list[Segment] = []
    head = 0
    end = min(len(old), len(new))
    while head < end and old[head].key == new[head].key:
        head += 1
    tail = 0
    while tail < end - head and old[len(old) - 1 - tail].key == new[len(new) - 1 - tail].key:
        tail += 1
    _diff_range(old, new, head, len(old) - tail, head, len(new) - tail, limit, lost, gained)
    return RenderDiff(tuple(lost), tuple(gained))


def _diff_range(
    old: Sequence[Token],
    new: Sequence[Token],
    a0: int,
    a1: int,
    b0: int,
    b1: int,
    limit: int,
    lost: list[Segment],
    gained: list[Segment],
) -> None:
    if a0 == a1 and b0 == b1:
        return
    if a1 - a0 <= limit and b1 - b0 <= limit:
        _token_diff(old, new, a0, a1, b0, b1, lost, gained)
        return
    old_blocks = _blocks(old, a0, a1)
    new_blocks = _blocks(new, b0, b1)
    if len(old_blocks) <= 1 and len(new_blocks) <= 1:
        _token_diff(old, new, a0, a1, b0, b1, lost, gained)  # one huge block: no choice
        return
    matcher = SequenceMatcher(
        None,
        [_block_key(old, span) for span in old_blocks],
        [_block_key(new, span) for span in new_blocks],
        autojunk=False,
    )
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        start_a = old_blocks[i1][0] if i1 < i2 else _edge(old_blocks, i1, a1)
        stop_a = old_blocks[i2 - 1][1] if i1 < i2 else start_a
        start_b = new_blocks[j1][0] if j1 < j2 else _edge(new_blocks, j1, b1)
        stop_b = new_blocks[j2 - 1][1] if j1 < j2 else start_b
        if stop_a - start_a <= limit and stop_b - start_b <= limit:
            _token_diff(old, new, start_a, stop_a, start_b, stop_b, lost, gained)
        else:  # too big to align token by token: report the blocks whole
            _add_pair(lost, gained, old, new, start_a, stop_a, start_b, stop_b)


def _edge(blocks: list[tuple[int, int]], index: int, stop: int) -> int:
    return blocks[index][0] if index < len(blocks) else stop


def _blocks(tokens: Sequence[Token], start: int, stop: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    cursor = start
    for _block, group in groupby(range(start, stop), key=lambda i: tokens[i].block):
        size = sum(1 for _ in group)
        spans.append((cursor, cursor + size))
        cursor += size
    return spans


def _block_key(tokens: Sequence[Token], span: tuple[int, int]) -> tuple[tuple[str, bool, int], ...]:
    return tuple(tokens[i].key for i in range(*span))


def _token_diff(
    old: Sequence[Token],
    new: Sequence[Token],
    a0: int,
    a1: int,
    b0: int,
    b1: int,
    lost: list[Segment],
    gained: list[Segment],
) -> None:
    if a0 == a1 or b0 == b1:
        _add_pair(lost, gained, old, new, a0, a1, b0, b1)
        return
    matcher = SequenceMatcher(
        None,
        [old[i].key for i in range(a0, a1)],
        [new[j].key for j in range(b0, b1)],
        autojunk=False,
    )
    for tag, i1, i2, j1, j2 in _merge_islands(matcher.get_opcodes()):
        if tag == "equal":
            continue
        _add_pair(lost, gained, old, new, a0 + i1, a0 + i2, b0 + j1, b0 + j2)


#: Equal runs shorter than this between two changes that both lose and gain are noise.
ISLAND = 3

Opcode = tuple[str, int, int, int, int]


def _merge_islands(opcodes: Sequence[Opcode]) -> list[Opcode]:
    """Opcodes with tiny equal runs inside a larger replacement merged into it.

    When a passage is rewritten, the matcher still pairs a stray ``,`` or ``/`` of the old
    text with one of the new, which cuts a moved passage into pieces that no longer match.
    An equal run of fewer than :data:`ISLAND` tokens between changes is merged into them when
    the merged change both loses and gains tokens; a run between two pure deletions (two
    stray ``}}`` removed around a comma) stays equal.
    """
    out: list[Opcode] = []
    index = 0
    while index < len(opcodes):
        opcode = opcodes[index]
        index += 1
        tag, i1, i2, _j1, _j2 = opcode
        if (
            tag == "equal"
            and i2 - i1 < ISLAND
            and out
            and out[-1][0] != "equal"
            and index < len(opcodes)
            and opcodes[index][0] != "equal"
        ):
            before, after = out[-1], opcodes[index]
            loses = (before[2] - before[1]) + (after[2] - after[1]) > 0
            gains = (before[4] - before[3]) + (after[4] - after[3]) > 0
            if loses and gains:
                out[-1] = ("replace", before[1], after[2], before[3], after[4])
                index += 1
                continue
        out.append(opcode)
    return out


def _add_pair(
    lost: list[Segment],
    gained: list[Segment],
    old: Sequence[Token],
    new: Sequence[Token],
    a0: int,
    a1: int,
    b0: int,
    b1: int,
) -> None:
    """Record one change: ``old[a0:a1]`` lost, ``new[b0:b1]`` gained, each the other's
    counterpart."""
    was, now = tuple(old[a0:a1]), tuple(new[b0:b1])
    if was:
        lost.append(Segment(was, a0, now))
    if now:
        gained.append(Segment(now, b0, was))
