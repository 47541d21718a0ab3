"""Magic words: the ``{{…}}`` names that are parser functions or variables, not templates.

The built-in table (``wikitools/data/magicwords-1.39.json``) is MediaWiki 1.39's own answer
to ``meta=siteinfo&siprop=magicwords|functionhooks|variables`` on a stock wiki with
Scribunto, ParserFunctions, Cite and TemplateData. A live wiki can supply its own answer
(localized synonyms, more extensions) through :meth:`MagicWords.from_siteinfo`.

The matching follows ``Parser::braceSubstitution``: ``subst:``/``safesubst:`` and
``msg:``/``msgnw:``/``raw:`` modifiers are stripped first; a call without arguments whose
whole name is a variable (``{{PAGENAME}}``, ``{{!}}``) is a variable; a name with a colon
whose part before the colon is a function synonym (``#if``, ``formatnum``,
``DEFAULTSORT``) is a parser function; anything else is a page to transclude.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

#: Function hooks core registers with ``Parser::SFH_NO_HASH`` (CoreParserFunctions, 1.39):
#: written ``{{lc:…}}`` rather than ``{{#lc:…}}``. Every other hook takes a ``#``.
NO_HASH_FUNCTIONS: frozenset[str] = frozenset(
    {
        "ns",
        "nse",
        "urlencode",
        "lcfirst",
        "ucfirst",
        "lc",
        "uc",
        "localurl",
        "localurle",
        "fullurl",
        "fullurle",
        "canonicalurl",
        "canonicalurle",
        "formatnum",
        "grammar",
        "gender",
        "plural",
        "bidi",
        "numberofpages",
        "numberofusers",
        "numberofactiveusers",
        "numberofarticles",
        "numberoffiles",
        "numberofadmins",
        "numberingroup",
        "numberofedits",
        "language",
        "padleft",
        "padright",
        "anchorencode",
        "defaultsort",
        "filepath",
        "pagesincategory",
        "pagesize",
        "protectionlevel",
        "protectionexpiry",
        "namespace",
        "namespacee",
        "namespacenumber",
        "talkspace",
        "talkspacee",
        "subjectspace",
        "subjectspacee",
        "pagename",
        "pagenamee",
        "fullpagename",
        "fullpagenamee",
        "rootpagename",
        "rootpagenamee",
        "basepagename",
        "basepagenamee",
        "subpagename",
        "subpagenamee",
        "talkpagename",
        "talkpagenamee",
        "subjectpagename",
        "subjectpagenamee",
        "pageid",
        "revisionid",
        "revisionday",
        "revisionday2",
        "revisionmonth",
        "revisionmonth1",
        "revisionyear",
        "revisiontimestamp",
        "revisionuser",
        "cascadingsources",
        "int",
        "displaytitle",
        "pagesinnamespace",
    }
)

_SUBST = ("subst", "safesubst")
_MSG = ("msgnw", "msg", "raw")


@dataclass(frozen=True, slots=True)
class _Synonyms:
    exact: frozenset[str]
    folded: frozenset[str]

    def has(self, text: str) -> bool:
        return text in self.exact or text.lower() in self.folded


@dataclass(frozen=True, slots=True)
class _Prefixes:
    """Modifier synonyms such as ``SUBST:``, matched at the start of a name."""

    exact: tuple[str, ...]
    folded: tuple[str, ...]

    def strip(self, text: str) -> tuple[bool, str]:
        for syn in self.exact:
            if text.startswith(syn):
                return True, text[len(syn) :]
        lowered = text.lower()
        for syn in self.folded:
            if lowered.startswith(syn):
                return True, text[len(syn) :]
        return False, text


@dataclass(frozen=True)
class MagicWords:
    """Which ``{{…}}`` names a wiki treats as variables, parser functions and modifiers."""

    variables: _Synonyms
    functions: _Synonyms
    subst: _Prefixes
    msg: _Prefixes

    @classmethod
    def from_siteinfo(
        cls,
        magicwords: Iterable[Mapping[str, Any]],
        functionhooks: Iterable[str],
        variables: Iterable[str],
        no_hash: frozenset[str] = NO_HASH_FUNCTIONS,
    ) -> MagicWords:
        """Build from the ``magicwords``, ``functionhooks`` and ``variables`` siteinfo props."""
        words = {str(m["name"]): m for m in magicwords}
        hooks, var_ids = set(functionhooks), set(variables)

        def synonyms(ids: Iterable[str], hash_for: set[str] | None) -> _Synonyms:
            exact: set[str] = set()
            folded: set[str] = set()
            for word_id in ids:
                word = words.get(word_id)
                if word is None:
                    continue
                sensitive = bool(word.get("case-sensitive", False))
                for alias in word.get("aliases", ()):
                    syn = str(alias)
                    if hash_for is not None:
                        syn = syn.removesuffix(":")
                        if word_id in hash_for and not syn.startswith("#"):
                            syn = "#" + syn
                    (exact if sensitive else folded).add(syn if sensitive else syn.lower())
            return _Synonyms(frozenset(exact), frozenset(folded))

        def prefixes(ids: Sequence[str]) -> _Prefixes:
            exact: list[str] = []
            folded: list[str] = []
            for word_id in ids:
                word = words.get(word_id)
                for alias in (word or {}).get("aliases", ()):
                    if (word or {}).get("case-sensitive", False):
                        exact.append(str(alias))
                    else:
                        folded.append(str(alias).lower())
            return _Prefixes(tuple(exact), tuple(folded))

        return cls(
            variables=synonyms(var_ids, None),
            functions=synonyms(hooks, {h for h in hooks if h not in no_hash}),
            subst=prefixes(_SUBST),
            msg=prefixes(_MSG),
        )

    def strip_modifiers(self, name: str) -> str:
        """Remove ``subst:``/``safesubst:`` then ``msgnw:``/``msg:`` and ``raw:`` prefixes."""
        text = name.strip()
        _, text = self.subst.strip(text)
        found, text = self.msg.strip(text)
        if found:
            text = text.lstrip()
            _, text = self.msg.strip(text)
        return text.strip()

    def is_variable(self, name: str) -> bool:
        """True when ``{{name}}`` (without arguments) is a magic variable such as PAGENAME."""
        return self.variables.has(name.strip())

    def is_function(self, name: str) -> bool:
        """True when ``{{name…}}`` calls a parser function (``#if:``, ``formatnum:``, ``int:``)."""
        head, colon, _ = name.strip().partition(":")
        return bool(colon) and self.functions.has(head)

    def function_name(self, name: str) -> str | None:
        """The parser function a name calls (``#invoke:Foo`` → ``#invoke``), if any."""
        head, colon, _ = name.strip().partition(":")
        if colon and self.functions.has(head):
            return head.lower()
        return None


@functools.cache
def builtin() -> MagicWords:
    """The magic words of a stock MediaWiki 1.39 with ParserFunctions and Scribunto."""
    data = json.loads(
        resources.files("wikitools.data").joinpath("magicwords-1.39.json").read_text("utf-8")
    )
    return MagicWords.from_siteinfo(data["magicwords"], data["functionhooks"], data["variables"])
