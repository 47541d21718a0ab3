"""wikitools.verify.verifier: the one "render old and new, refuse if worse" judgement.

Renders come from the real MediaWiki (a sandbox wiki, which is a Renderer like the live client).
"""

from __future__ import annotations

import lxml.html
import pytest

from wikitools.errors import ApiError
from wikitools.mediawiki.parse import ParseResult
from wikitools.sandbox.pytest_plugin import MakeWiki
from wikitools.sandbox.seed import SiteRenderer
from wikitools.sandbox.wiki import SandboxWiki
from wikitools.site.memory import MemorySite
from wikitools.verify.cache import RenderCache
from wikitools.verify.oracle import removed_text
from wikitools.verify.verifier import (
    DEFAULT_CRITERIA,
    Change,
    Rendered,
    Verifier,
    rendered_problems,
    visible_losses,
)

WORSE = Change("Verifier worse", "Fine text.\n", "Fine text. {{No such template here}}\n")
BETTER = Change("Verifier better", "Stray braces.}}\n", "Stray braces.\n")
SAME = Change("Verifier same", "Unchanged.\n", "Unchanged.\n")


def test_refuses_what_renders_worse_and_keeps_what_renders_better(
    sandbox_wiki: SandboxWiki,
) -> None:
    verifier = Verifier(sandbox_wiki)
    worse, better, same = verifier.judge_many([WORSE, BETTER, SAME])
    assert worse.refused
    assert worse.reason == "rendered problems would increase (missing-templates 0 -> 1)"
    assert not better.refused and better.reason == ""
    assert not same.refused
    assert verifier.renders == 4, "the unchanged page is not rendered"


def test_each_text_is_rendered_once(sandbox_wiki: SandboxWiki) -> None:
    verifier = Verifier(sandbox_wiki)
    verifier.judge_many([WORSE, WORSE, BETTER])
    verifier.judge(WORSE.title, WORSE.old_text, WORSE.new_text)
    assert verifier.renders == 4
    assert len(verifier.cache) == 4 and verifier.cache.hits >= 3
    # The title is part of the key: {{PAGENAME}} renders differently elsewhere.
    verifier.judge("Another title", WORSE.old_text, WORSE.new_text)
    assert verifier.renders == 6


def lost_visible_words(pair: Rendered) -> str | None:
    """A criterion of our own: a word readers saw before is gone after."""

    def words(html: str) -> set[str]:
        return set(str(lxml.html.fromstring(html).text_content()).split())

    lost = sorted(words(pair.before.html) - words(pair.after.html))
    return f"lost visible text: {' '.join(lost)}" if lost else None


def test_criteria_are_pluggable(sandbox_wiki: SandboxWiki) -> None:
    deletes = Change("Verifier deletes", "Keep these words.\n", "Keep words.\n")
    plain = Verifier(sandbox_wiki)
    assert not plain.judge_many([deletes])[0].refused, "no rendered error: the default accepts"
    strict = Verifier(sandbox_wiki, criteria=(*DEFAULT_CRITERIA, lost_visible_words))
    [verdict] = strict.judge_many([deletes])
    assert verdict.reasons == ("lost visible text: these",)
    both = Change(WORSE.title, "Keep these words.\n", "Keep words. {{No such template here}}\n")
    assert strict.judge_many([both])[0].reasons == (
        "rendered problems would increase (missing-templates 0 -> 1)",
        "lost visible text: these",
    )
    assert rendered_problems in DEFAULT_CRITERIA


def test_the_default_refuses_lost_code_and_accepts_a_removed_artifact(
    sandbox_wiki: SandboxWiki,
) -> None:
    code = Change(
        "Verifier code", "Run <code>t = {{1}}}</code> now.\n", "Run <code>t = {1</code> now.\n"
    )
    stray = Change("Verifier stray", "Gori}}, Georgia.\n", "Gori, Georgia.\n")
    lost_code, removed = Verifier(sandbox_wiki).judge_many([code, stray])
    assert lost_code.refused and "lost code" in lost_code.reason
    assert not removed.refused, removed.reason
    assert visible_losses in DEFAULT_CRITERIA


def test_removed_text_is_what_the_new_text_no_longer_has() -> None:
    old = "line one}}\nline two\nline [[three]]\n"
    new = "line one\nline two\nline three\n"
    assert removed_text(old, new) == ["}}", "[[", "]]"]
    assert removed_text(old, old) == []


def test_a_render_error_refuses_unless_it_is_fatal(sandbox_wiki: SandboxWiki) -> None:
    bad_title = Change("Bad [title]", "a}}", "a")
    [verdict] = Verifier(sandbox_wiki).judge_many([bad_title])
    assert verdict.refused
    assert verdict.reason.startswith("the wiki could not render the page (invalidtitle")
    with pytest.raises(ApiError) as caught:
        Verifier(sandbox_wiki, fatal={"invalidtitle"}).judge_many([bad_title])
    assert caught.value.code == "invalidtitle"


def test_threads_give_the_same_verdicts(make_wiki: MakeWiki) -> None:
    wiki = make_wiki(workers=2)
    changes = [WORSE, BETTER, SAME, Change("Verifier other", "x {{a", "x {{a}}")]
    serial = Verifier(wiki).judge_many(changes)
    threaded = Verifier(wiki, workers=2)
    assert threaded.judge_many(changes) == serial
    assert threaded.renders == 6


def test_a_site_renderer_imports_what_renderings_need(make_wiki: MakeWiki) -> None:
    site = MemorySite(
        {
            "Template:Outer": "<b>{{Inner|{{{1}}}}}</b>",
            "Template:Inner": "#REDIRECT [[Template:Innermost]]",
            "Template:Innermost": "[{{{1}}}] {{#invoke:Shout|loud|x}}",
            "Module:Shout": "return { loud = function() return 'LOUD' end }",
            "Template:Unused": "never imported",
        }
    )
    wiki = make_wiki()
    renderer = SiteRenderer(wiki, site)
    result = renderer.parse_text("{{Outer|hi}} {{Not on the site}}", "Page")
    assert result.missing_templates == ("Template:Not on the site",)
    assert "<b>[hi] LOUD</b>" in result.html
    assert sorted(renderer.imported) == [
        "Module:Shout",
        "Template:Inner",
        "Template:Innermost",
        "Template:Outer",
    ]
    verdict = Verifier(renderer).judge("Page", "{{Outer|hi}}}}", "{{Outer|hi}}")
    assert not verdict.refused


def test_the_cache_keeps_the_most_recently_used() -> None:
    cache = RenderCache(size=2)
    first, second, third = (ParseResult(title=t, html=f"<p>{t}</p>") for t in "abc")
    cache.put("a", "text a", first)
    cache.put("b", "text b", second)
    assert cache.get("a", "text a") is first  # a is now the most recent
    cache.put("c", "text c", third)
    assert cache.get("b", "text b") is None
    assert cache.get("a", "text a") is first and cache.get("c", "text c") is third
    assert len(cache) == 2


def test_a_long_batch_renders_each_text_once_even_beyond_the_cache(
    sandbox_wiki: SandboxWiki,
) -> None:
    changes = [Change(f"Verifier many {n}", f"Text {n}.}}}}\n", f"Text {n}.\n") for n in range(12)]
    verifier = Verifier(sandbox_wiki, workers=2, cache=RenderCache(size=8))
    verdicts = verifier.judge_many(changes)
    assert [v.refused for v in verdicts] == [False] * 12
    assert verifier.renders == 24
