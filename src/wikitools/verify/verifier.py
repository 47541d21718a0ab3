"""Do no harm: render a page's old and new text and refuse a fix whose rendering is worse.

One judgement for every path that changes pages: the live bot (``fix --wiki --verify``),
local files (``fix PATH --verify``) and dumps (``dump fix --verify``). A :class:`Renderer`
turns wikitext into a :class:`~wikitools.mediawiki.parse.ParseResult`; the live
:class:`~wikitools.mediawiki.wiki.Wiki` client and :class:`~wikitools.sandbox.SandboxWiki`
both are one. A :class:`Verifier` renders only what changed, caches renders by title and text
hash, and asks each :class:`Criterion` whether the new rendering is worse than the old one.

The criteria are pluggable: :data:`DEFAULT_CRITERIA` holds :func:`rendered_problems` (no kind
of rendered problem may increase: script and cite errors, missing templates and modules,
other errors, braces shown as text) and :func:`visible_losses` (readers lose no code and no
text but what the edits removed, as the render oracle judges it,
:func:`wikitools.verify.oracle.judge`).

>>> verifier = Verifier(wiki)                                  # doctest: +SKIP
>>> verdict = verifier.judge("Page", old_text, new_text)       # doctest: +SKIP
>>> verdict.refused, verdict.reason                            # doctest: +SKIP
(True, 'rendered problems would increase (missing-templates 0 -> 1)')
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Protocol

from wikitools.errors import ApiError
from wikitools.mediawiki.parse import ParseResult
from wikitools.verify.cache import RenderCache, text_key
from wikitools.verify.diff import diff_tokens
from wikitools.verify.oracle import judge, removed_text
from wikitools.verify.visible import visible_tokens


class Renderer(Protocol):
    """Renders unsaved wikitext as the page ``title`` would show it; nothing is saved."""

    def parse_text(self, text: str, title: str) -> ParseResult:
        """The rendering of ``text`` as page ``title`` and the problems visible in it."""
        ...


@dataclass(frozen=True, slots=True)
class Rendered:
    """One page before and after a fix: both texts and both renderings."""

    title: str
    old_text: str
    new_text: str
    before: ParseResult
    after: ParseResult


class Criterion(Protocol):
    """One way a rendering can get worse: the reason to refuse the fix, or None if not worse."""

    def __call__(self, pair: Rendered) -> str | None: ...


def rendered_problems(pair: Rendered) -> str | None:
    """Refuse when any kind of rendered problem increases (:meth:`ParseResult.worse_than`)."""
    worse = pair.after.worse_than(pair.before)
    return f"rendered problems would increase ({'; '.join(worse)})" if worse else None


def visible_losses(pair: Rendered) -> str | None:
    """Refuse when readers would lose code, or text the edits did not remove (the oracle)."""
    diff = diff_tokens(visible_tokens(pair.before.html), visible_tokens(pair.after.html))
    verdict = judge(diff, removed_text(pair.old_text, pair.new_text), pair.old_text)
    return None if verdict.accepted else f"readers would lose what they saw ({verdict.reason})"


#: The criteria a :class:`Verifier` applies unless told otherwise.
DEFAULT_CRITERIA: tuple[Criterion, ...] = (rendered_problems, visible_losses)


@dataclass(frozen=True, slots=True)
class Change:
    """A fix to judge: page ``title`` would go from ``old_text`` to ``new_text``."""

    title: str
    old_text: str
    new_text: str


@dataclass(frozen=True, slots=True)
class ChangeVerdict:
    """The judgement on one change: ``reasons`` is empty when the fix may be kept."""

    title: str
    reasons: tuple[str, ...] = ()

    @property
    def refused(self) -> bool:
        """True when the fix must not be kept."""
        return bool(self.reasons)

    @property
    def reason(self) -> str:
        """All reasons in one line (empty when accepted)."""
        return "; ".join(self.reasons)


BeforeLoader = Callable[[], ParseResult | None]
"""Renders the old text another way (a live page by revision id); None: nothing to compare."""


class Verifier:
    """Judges fixes by rendering old and new text with ``renderer`` (see the module docs).

    ``criteria`` decide what "worse" means (default :data:`DEFAULT_CRITERIA`). ``workers`` > 1
    renders a batch in that many threads (use it with a sandbox served by as many PHP workers;
    a live wiki should get one request at a time). A render error (an :class:`ApiError`)
    refuses the fix, except for codes in ``fatal``, which are raised: they stop a whole run.
    """

    def __init__(
        self,
        renderer: Renderer,
        *,
        criteria: Sequence[Criterion] = DEFAULT_CRITERIA,
        workers: int = 1,
        fatal: Iterable[str] = (),
        cache: RenderCache[ParseResult] | None = None,
    ) -> None:
        self.renderer = renderer
        self.criteria = tuple(criteria)
        self.workers = max(1, workers)
        self.fatal = frozenset(fatal)
        self.cache: RenderCache[ParseResult] = cache if cache is not None else RenderCache()
        #: How many texts were rendered (cache misses that reached the renderer).
        self.renders = 0
        self._count_lock = threading.Lock()

    def render(self, text: str, title: str) -> ParseResult:
        """The rendering of ``text`` as ``title``, from the cache when rendered before."""
        found = self.cache.get(title, text)
        if found is None:
            found = self.renderer.parse_text(text, title)
            with self._count_lock:
                self.renders += 1
            self.cache.put(title, text, found)
        return found

    def judge(
        self,
        title: str,
        old_text: str,
        new_text: str,
        *,
        before: BeforeLoader | None = None,
    ) -> ChangeVerdict:
        """Whether ``title`` may change from ``old_text`` to ``new_text``.

        ``before`` replaces rendering ``old_text`` (the live pipeline renders the saved
        revision); when it returns None there is nothing to compare and the fix is accepted.
        """
        if old_text == new_text:
            return ChangeVerdict(title)
        try:
            old = before() if before is not None else self.render(old_text, title)
            new = self.render(new_text, title)
        except ApiError as exc:
            if exc.code in self.fatal:
                raise
            return ChangeVerdict(title, (f"the wiki could not render the page ({exc})",))
        if old is None:
            return ChangeVerdict(title)
        return self.compare(Rendered(title, old_text, new_text, old, new))

    def compare(self, pair: Rendered) -> ChangeVerdict:
        """Apply every criterion to renderings already made."""
        reasons = [reason for criterion in self.criteria if (reason := criterion(pair))]
        return ChangeVerdict(pair.title, tuple(reasons))

    def judge_many(self, changes: Sequence[Change]) -> list[ChangeVerdict]:
        """Judge a batch of changes (one verdict each, in order); unchanged pages cost nothing.

        Every distinct text is rendered once; with ``workers`` > 1 the renders run in threads.
        Long batches are judged in chunks that fit in the cache.
        """
        chunk = max(1, self.cache.size // 4)
        verdicts: list[ChangeVerdict] = []
        for start in range(0, len(changes), chunk):
            verdicts.extend(self._judge_chunk(changes[start : start + chunk]))
        return verdicts

    def _judge_chunk(self, changes: Sequence[Change]) -> list[ChangeVerdict]:
        wanted: dict[tuple[str, str], tuple[str, str]] = {}
        for change in changes:
            if change.old_text == change.new_text:
                continue
            for text in (change.old_text, change.new_text):
                wanted.setdefault(text_key(change.title, text), (text, change.title))
        jobs = list(wanted.values())
        if self.workers > 1 and len(jobs) > 1:
            self._prerender(jobs)
        return [self.judge(c.title, c.old_text, c.new_text) for c in changes]

    def _prerender(self, jobs: list[tuple[str, str]]) -> None:
        def render(job: tuple[str, str]) -> None:
            # On an API error judge() renders the text again and turns the error into a verdict.
            with contextlib.suppress(ApiError):
                self.render(*job)

        render(jobs[0])  # the first request fetches what the client caches (siteinfo)
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            list(pool.map(render, jobs[1:]))
