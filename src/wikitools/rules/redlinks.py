"""Red-link template names left in prose: where a name starts and ends, and when it is meant.

A call of a missing template renders as a red link whose text is the template's title,
``Template:Ka icon``, and nothing else. Copying a rendered page back into wikitext leaves
that title in the prose. The title may hold spaces, so where it ends is only certain when
the name is one word that ends at the line end, punctuation or markup; ``Template:Ka icon
was born in Gori`` could be the template "Ka" followed by prose, or "Ka icon", or longer.

Pages also name templates on purpose (documentation, lists of templates, translations of
a template's title); :func:`names_templates_on_purpose` and :func:`intended_mention` tell
those apart.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from wikitools.document import Document
from wikitools.parsing.brackets import LINK, TEMPLATE
from wikitools.rules.braces import bracket_scan
from wikitools.site.context import SiteContext
from wikitools.titles import DEFAULT_NAMESPACES

_TEMPLATE_NS = 10
#: At most this many words are tried as the name; a longer run is prose.
MAX_WORDS = 6
_WORD = re.compile(r"[^\s\[\]{}|<>#]+")
_TRAILING = '.,;:!?"»”’)'
_MARKUP_AFTER = "[]{}|<>#"
_QUOTES = "\"'“‘«„‚`"
_LIST_MARK = re.compile(r"^[ \t]*[*#:;]+[ \t]*$")
_SEPARATOR = re.compile(r"^\s*(?:[,;/·•|]|and|or|und|et|y|и)?\s*$", re.IGNORECASE)
#: Links to template pages and template-link templates: the page talks about templates.
_TEMPLATE_TALK = re.compile(
    r"\[\[\s*:?\s*Template\s*:"
    r"|\{\{\s*(?:tl|tlx|tlp|tl2|tlc|tld|tlf|tls|tnull|tlg|tlu|tlsp|temp|template link[^|{}]*)"
    r"\s*\|",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class RedLinkName:
    """One ``Template:Name`` in the text.

    ``start``..``word_end`` covers the prefix and the first word, ``start``..``end`` the
    run of words up to the line end, punctuation or markup (at most :data:`MAX_WORDS`).
    ``names`` are the possible template names (one word, two words, …).
    """

    start: int
    word_end: int
    end: int
    names: tuple[str, ...]
    text: str
    terminated: bool

    @property
    def span(self) -> tuple[int, int]:
        """``(start, end)`` of the whole run."""
        return self.start, self.end

    @property
    def certain(self) -> bool:
        """True when the name is one word that ends where the run ends."""
        return self.terminated and len(self.names) == 1


def template_prefixes(site: SiteContext | None) -> tuple[str, ...]:
    """Namespace names a red template link may show: ``Template`` and the site's own."""
    names = {DEFAULT_NAMESPACES[_TEMPLATE_NS]}
    if site is not None:
        local = site.namespaces.names.get(_TEMPLATE_NS)
        if local:
            names.add(local)
        names.update(alias for alias, ns in site.namespaces.aliases.items() if ns == _TEMPLATE_NS)
    return tuple(sorted(names, key=len, reverse=True))


#: A ``Template:`` prefix right after one of these is part of a link, call or title.
_NOT_AFTER = re.compile(r"[\[\w:{|/=#]")


@functools.lru_cache(maxsize=32)
def _prefix_pattern(prefixes: tuple[str, ...]) -> re.Pattern[str]:
    # No lookbehind in front: a pattern that starts with a literal is searched for by the
    # regex engine's fast scan; :func:`_iter_prefixes` checks the character before.
    alternatives = "|".join(re.escape(p) for p in prefixes)
    return re.compile(rf"(?:{alternatives}):(?=[^\W_])")


def _iter_prefixes(text: str, prefixes: tuple[str, ...]) -> Iterator[re.Match[str]]:
    """Every ``Prefix:`` followed by a letter or digit and not preceded by
    ``[``, a word character, ``:``, ``{``, ``|``, ``/``, ``=`` or ``#``, in text order."""
    pattern = _prefix_pattern(prefixes)
    pos = 0
    while (match := pattern.search(text, pos)) is not None:
        start = match.start()
        if start and _NOT_AFTER.match(text, start - 1):
            pos = start + 1  # no match here; one may start inside this one
            continue
        yield match
        pos = match.end()


def _word_at(text: str, pos: int) -> tuple[str, bool]:
    """The name word starting at ``pos`` and whether the name ends with it."""
    match = _WORD.match(text, pos)
    if match is None:
        return "", True
    word = match.group(0)
    cut = word.find("''")
    terminated = cut >= 0
    if terminated:
        word = word[:cut]
    end = len(word)
    while end and word[end - 1] in _TRAILING:
        if word[end - 1] == ")" and word[: end - 1].count("(") >= word[:end].count(")"):
            break  # "Foo (bar)": the parenthesis belongs to the name
        end -= 1
    return word[:end], terminated or end < len(word)


def _scan_name(text: str, start: int, name_start: int) -> RedLinkName | None:
    words: list[str] = []
    pos = name_start
    word_end = name_start
    terminated = False
    while len(words) < MAX_WORDS:
        word, ends = _word_at(text, pos)
        if not word:
            terminated = True
            break
        if "_" in word:
            return None  # a rendered title shows spaces, never underscores: typed, not pasted
        words.append(word)
        pos += len(word)
        if not words[1:]:
            word_end = pos
        if ends or pos >= len(text) or text[pos] in "\r\n" or text[pos] in _MARKUP_AFTER:
            terminated = True
            break
        if text[pos] != " " or pos + 1 >= len(text) or not _WORD.match(text, pos + 1):
            terminated = True
            break
        if text[pos + 1] in _QUOTES:
            terminated = True
            break
        pos += 1
    if not words:
        return None
    end = word_end
    names = []
    cursor = name_start
    for word in words:
        cursor = text.index(word, cursor) + len(word)
        names.append(text[name_start:cursor])
        end = cursor
    return RedLinkName(start, word_end, end, tuple(names), text[start:end], terminated)


def iter_red_link_names(document: Document, prefixes: tuple[str, ...]) -> Iterator[RedLinkName]:
    """Every ``Template:Name`` outside links, calls, comments and nowiki."""
    text = document.text
    scan = bracket_scan(document)
    for match in document.ignored.filter(_iter_prefixes(text, prefixes)):
        if scan.inside(match.start(), (TEMPLATE, LINK)):
            continue
        found = _scan_name(text, match.start(), match.end())
        if found is not None:
            yield found


def names_templates_on_purpose(document: Document, site: SiteContext | None) -> bool:
    """True for pages that name templates as their subject.

    These are pages about a template (a ``/doc`` page, the translation of a template's
    title such as ``Translations:Template:Bag2/Page display title/fr``, any title that
    names a template page) and pages that link templates (``[[Template:X]]``,
    ``{{tl|X}}``).
    """
    title = document.title or ""
    prefixes = template_prefixes(site)
    if any(re.search(rf"(?:^|:)\s*{re.escape(p)}\s*:", title, re.IGNORECASE) for p in prefixes):
        return True
    if title.endswith("/doc") or "/doc/" in title:
        return True
    if site is not None and title and site.namespaces.namespace_of(title) != 0:
        return True
    found = _TEMPLATE_TALK.search(document.text)
    return found is not None and not document.is_ignored(found.start())


def intended_mention(text: str, found: RedLinkName, others: list[RedLinkName]) -> bool:
    """True when the name is quoted, labelled, starts a list item, or is one of a list."""
    line_start = text.rfind("\n", 0, found.start) + 1
    before = text[line_start : found.start]
    if before and before[-1] in _QUOTES:
        return True
    if before.rstrip().endswith(":") or _LIST_MARK.match(before):
        return True
    for other in others:
        if other is found:
            continue
        low, high = sorted((found, other), key=lambda r: r.start)
        between = text[low.end : high.start]
        if "\n" not in between and _SEPARATOR.match(between):
            return True
    return False


def names_existing_template(site: SiteContext, found: RedLinkName) -> bool:
    """True when one of the possible names is a template (or redirect) on the site."""
    titles = [site.normalize(f"Template:{name}", _TEMPLATE_NS) for name in found.names]
    return any(site.exists(titles).values())
