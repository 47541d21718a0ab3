"""Comments: an unclosed ``<!--`` that hides the rest of the page."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from wikitools.document import Document
from wikitools.lint.diagnostic import Diagnostic
from wikitools.lint.rule import FixAvailability, Rule, RuleContext
from wikitools.parsing.regions import IgnoredRegions
from wikitools.rules.braces import is_fragment
from wikitools.rules.closers import CONTAINER_TAGS, Container, find_containers


class UnclosedComment(Rule):
    """Flags a comment ``<!--`` that is never closed with ``-->``.

    What it does:
    Finds the ``<!--`` that has no ``-->`` after it, and says how much of the page it
    hides: MediaWiki lets such a comment run to the end of the page, or to the end of
    the ``<ref>`` (or other extension tag) it was opened in.

    Why it matters:
    Everything after it disappears from the page: sections, references, categories. The
    page shows no error, so the loss goes unnoticed.

    Example:
    Gori is a city.<!-- check the population

    == History ==
    Gori was founded ...

    Use instead:
    Gori is a city.<!-- check the population -->

    == History ==
    Gori was founded ...

    Fix safety:
    No fix: where the author meant the comment to end is a guess, and closing it in the
    wrong place shows a note that was meant to stay hidden, or keeps text hidden.
    """

    code = "B109"
    name = "unclosed-comment"
    summary = "Comment '<!--' that is never closed and hides the rest of the page"
    fix_availability = FixAvailability.NEVER

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        document = ctx.document
        text = document.text
        if "<!--" not in text or is_fragment(document):
            return
        if not any(_suspect(text, start, end) for start, end in document.ignored.spans):
            return  # every comment closes before any extension tag's end
        containers = find_containers(text, document.ignored)
        for start, hidden_end, where in _unclosed_comments(text, containers):
            if _in_opaque_tag(document, start):
                continue
            hidden = text[start + 4 : hidden_end]
            chars, lines = len(hidden.strip()), hidden.count("\n") + 1
            if not chars:
                continue  # nothing after it: readers lose nothing
            yield ctx.diagnostic(
                start,
                start + 4,
                f"'<!--' opens a comment that is never closed with '-->'; MediaWiki hides "
                f"everything up to {where} ({_count(chars, 'character')}, "
                f"{_count(lines, 'line')})",
            )


def _unclosed_comments(text: str, containers: list[Container]) -> Iterator[tuple[int, int, str]]:
    """(start, end of what it hides, what ends it) of each comment left open: one per
    extension tag's content (it runs to the closing tag) and one for the page."""
    scopes = [(c.content_start, c.content_end, f"the closing </{c.tag}>") for c in containers]
    scopes.append((0, len(text), "the end of the page"))
    starts = [c.start for c in containers]  # containers come sorted by start
    for start, end, where in scopes:
        # The containers inside the scope: they start after its start (and before its end).
        first, stop = bisect.bisect_right(starts, start), bisect.bisect_left(starts, end)
        inner = IgnoredRegions([(c.start, c.end) for c in containers[first:stop] if c.end <= end])
        pos = start
        while True:
            opener = text.find("<!--", pos, end)
            around = _around(inner, opener)
            while around is not None:
                opener = text.find("<!--", around, end)
                around = _around(inner, opener)
            if opener < 0:
                break
            close = text.find("-->", opener + 4, end)
            if close < 0:
                yield opener, end, where
                break
            pos = close + 3


_TAG_END = re.compile(r"</(?:" + "|".join(CONTAINER_TAGS) + r")\s*>", re.IGNORECASE)


def _suspect(text: str, start: int, end: int) -> bool:
    """True for a comment that has no '-->' or that runs over the end of a <ref> (where
    MediaWiki would have ended it): only then is the slower, tag-aware look needed."""
    if not text.startswith("<!--", start):
        return False
    return not text.startswith("-->", end - 3) or bool(_TAG_END.search(text, start, end))


def _around(containers: IgnoredRegions, offset: int) -> int | None:
    """The end of the first container holding ``offset`` (none for -1)."""
    if offset < 0:
        return None
    span = containers.first_around(offset, inclusive=True)
    return None if span is None else span[1]


def _in_opaque_tag(document: Document, offset: int) -> bool:
    """True when ``offset`` lies in <nowiki>, <pre> or another tag whose text is literal."""
    span = document.ignored.first_around(offset)
    return span is not None and not document.text.startswith("<!--", span[0])


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
