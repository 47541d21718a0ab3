"""The render oracle: what readers see of a page, and whether a fix kept it.

- :mod:`~wikitools.verify.visible`: rendered HTML → the tokens a reader sees;
- :mod:`~wikitools.verify.diff`: lost and gained segments between two renders;
- :mod:`~wikitools.verify.oracle`: :class:`RenderOracle` (cached renders) and its
  judgement of a fix, :meth:`RenderOracle.judge_fix`;
- :mod:`~wikitools.dumps.support`: a sandbox wiki with a dump's templates and modules;
- :mod:`~wikitools.verify.attribution`: fixing rule by rule, to put a loss down to a rule;
- :mod:`~wikitools.verify.inject`: breaks injected into clean pages.

>>> from wikitools.sandbox import SandboxWiki  # doctest: +SKIP
>>> with SandboxWiki() as wiki:  # doctest: +SKIP
...     oracle = RenderOracle(wiki.render)
...     verdict = oracle.judge_fix("Page", old, result.text, result.edits)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from wikitools._lazy import exports

if TYPE_CHECKING:
    from wikitools.verify.diff import RenderDiff, Segment, diff_tokens
    from wikitools.verify.oracle import Renderer, RenderOracle, Verdict, judge, wiki_renderer
    from wikitools.verify.visible import Token, visible_tokens

_EXPORTS = {
    "RenderDiff": "wikitools.verify.diff",
    "RenderOracle": "wikitools.verify.oracle",
    "Renderer": "wikitools.verify.oracle",
    "Segment": "wikitools.verify.diff",
    "Token": "wikitools.verify.visible",
    "Verdict": "wikitools.verify.oracle",
    "diff_tokens": "wikitools.verify.diff",
    "judge": "wikitools.verify.oracle",
    "visible_tokens": "wikitools.verify.visible",
    "wiki_renderer": "wikitools.verify.oracle",
}

__getattr__, __dir__ = exports(__name__, _EXPORTS)

__all__ = [
    "RenderDiff",
    "RenderOracle",
    "Renderer",
    "Segment",
    "Token",
    "Verdict",
    "diff_tokens",
    "judge",
    "visible_tokens",
    "wiki_renderer",
]
