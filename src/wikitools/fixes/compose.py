"""Composing rounds of edits into one set of edits against the original text."""

from __future__ import annotations

from collections.abc import Sequence

from wikitools.fixes.model import Edit, apply_edits


def _by_position(edit: Edit) -> tuple[int, int]:
    return edit.start, edit.end


def compose(intermediate: str, first: Sequence[Edit], second: Sequence[Edit]) -> list[Edit]:
    """Edits against the original equivalent to applying ``first`` and then ``second``.

    ``intermediate`` is the text ``first`` produced; ``second`` is expressed against it.
    Where a later edit touches text an earlier one wrote, the two merge into one edit,
    so the result is sorted and disjoint.
    """
    placed: list[tuple[int, int, Edit]] = []  # first edits' replacements in the intermediate
    shift = 0
    for edit in sorted(first, key=_by_position):
        start = edit.start + shift
        placed.append((start, start + len(edit.replacement), edit))
        shift += len(edit.replacement) - (edit.end - edit.start)

    intervals: list[tuple[int, int, Edit | None]] = [*placed]
    intervals += [(edit.start, edit.end, None) for edit in second]
    intervals.sort(key=lambda item: (item[0], item[1]))

    groups: list[list[tuple[int, int, Edit | None]]] = []
    group_end = -1
    for item in intervals:
        if groups and item[0] <= group_end:
            groups[-1].append(item)
            group_end = max(group_end, item[1])
        else:
            groups.append([item])
            group_end = item[1]

    def to_original(pos: int) -> int:
        delta = 0
        for _start, end, edit in placed:
            if end > pos:
                break
            delta += len(edit.replacement) - (edit.end - edit.start)
        return pos - delta

    seconds = sorted(second, key=_by_position)
    result: list[Edit] = []
    for group in groups:
        lo = min(item[0] for item in group)
        hi = max(item[1] for item in group)
        owned = [item[2] for item in group if item[2] is not None]
        orig_lo = min([to_original(lo), *(edit.start for edit in owned)])
        orig_hi = max([to_original(hi), *(edit.end for edit in owned)])
        inner = [
            Edit(edit.start - lo, edit.end - lo, edit.replacement)
            for edit in seconds
            if lo <= edit.start and edit.end <= hi
        ]
        result.append(Edit(orig_lo, orig_hi, apply_edits(intermediate[lo:hi], inner)))
    return result


def map_to_original(edits: Sequence[Edit], pos: int) -> int:
    """Map an offset in the edited text back to the original (inside an edit: its start)."""
    shift = 0
    for edit in sorted(edits, key=_by_position):
        new_start = edit.start + shift
        new_end = new_start + len(edit.replacement)
        if pos < new_start:
            break
        if pos < new_end:
            return edit.start
        shift += len(edit.replacement) - (edit.end - edit.start)
    return pos - shift
