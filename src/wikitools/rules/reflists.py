"""Which footnote groups a page lists: ``<references />``, ``{{#tag:references}}`` and the
wiki's own list templates (``{{Reflist}}``, ``{{Einzelnachweise}}``, ``{{Verwysings}}``…).

With a site, a template emits a list when its text (or a template or module it calls)
holds ``<references`` or ``{{#tag:references``; without one, a built-in list of common
names across languages decides. Cite (MediaWiki 1.29 and later) lists the references of
the default group by itself at the end of a page that has no list; a named group without
a list shows a Cite error instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from wikitools.document import Document
from wikitools.parsing.params import split_quoted, template_params
from wikitools.rules.braces import parse_call, template_calls
from wikitools.rules.footnotes.families import family_of
from wikitools.site.context import SiteContext
from wikitools.titles import MODULE, TEMPLATE

#: Templates that emit a references list on many wikis, by lower-case name, with the
#: group they list when the call gives none.
BUILTIN_LIST_TEMPLATES: dict[str, str] = {
    **dict.fromkeys(
        (
            "reflist",
            "references",
            "refs",
            "reference list",
            "reflist-talk",
            "notes",
            "footnotes",
            "einzelnachweise",  # de
            "verwysings",  # af
            "fotnoteliste",  # nb, nn
            "referenser",  # sv
            "referencer",  # da
            "références",  # fr
            "referencias",  # es
            "referências",  # pt
            "referenties",  # nl
            "viitteet",  # fi
            "przypisy",  # pl
            "примечания",  # ru
            "примітки",  # uk
            "kaynakça",  # tr
            "hivatkozások",  # hu
        ),
        "",
    ),
    "notelist": "lower-alpha",
    "notelist-la": "lower-alpha",
    "notelist-ua": "upper-alpha",
    "notelist-lr": "lower-roman",
    "notelist-ur": "upper-roman",
    "notelist-lg": "lower-greek",
}

_REFERENCES_TAG = re.compile(r"<references\b([^>]*)>", re.IGNORECASE)
_TAG_REFERENCES = re.compile(r"\{\{\s*#tag\s*:\s*references\s*(\|[^{}]*)?\}\}", re.IGNORECASE)
_GROUP = re.compile(r"""\bgroup\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'/>|}]+))""", re.IGNORECASE)
_EMITS = re.compile(r"<references\b|\{\{\s*#tag\s*:\s*references\b", re.IGNORECASE)
_MODULE_EMITS = re.compile(r"""extensionTag[\s\S]{0,80}?["']references["']""")
_BODY_GROUP = re.compile(
    r"""\bgroup\s*=\s*(?:"([^"{}|]*)"|'([^'{}|]*)'|([^\s"'/>|{}]+)"""
    r"""|\{\{\{\s*group\s*\|([^{}|]*)\}\}\})""",
    re.IGNORECASE,
)
_CALL = re.compile(r"(?<!\{)\{\{(?!\{)\s*([^{}|#<>\[\]\n]+?)\s*[|}]")
_INVOKE = re.compile(r"\{\{\s*#invoke\s*:\s*([^{}|\n]+?)\s*\|", re.IGNORECASE)
_DEPTH = 3


def group_of(attrs: str) -> str:
    """The ``group=`` value in tag attributes or template arguments ("" when absent)."""
    found = _GROUP.search(attrs)
    if not found:
        return ""
    return next(g for g in found.groups() if g is not None).strip()


def _body_group(body: str) -> str:
    found = _BODY_GROUP.search(body)
    if not found:
        return ""
    return next(g for g in found.groups() if g is not None).strip()


class ListTemplates:
    """Answers "does this template emit a references list, and for which group?".

    Built per site (or without one); answers are cached.
    """

    def __init__(self, site: SiteContext | None) -> None:
        self.site = site
        self._cache: dict[str, str | None] = {}

    def prefetch(self, names: list[str]) -> None:
        """Ask the site about all ``names`` (and their bodies) in one batch each."""
        site = self.site
        if site is None or not names:
            return
        titles = [site.normalize(name, TEMPLATE) for name in names]
        finals = site.resolve(titles)
        site.texts([final for final in finals.values() if final is not None])

    def default_group(self, name: str) -> str | None:
        """The group the template lists when called without ``group=``; None: no list."""
        key = name.strip().replace("_", " ")
        if key not in self._cache:
            self._cache[key] = self._find(key, _DEPTH)
        return self._cache[key]

    def _find(self, name: str, depth: int) -> str | None:
        builtin = BUILTIN_LIST_TEMPLATES.get(_strip_prefix(name).strip().lower())
        site = self.site
        if site is None:
            return builtin
        title = site.normalize(name, TEMPLATE)
        final = site.resolve([title]).get(title)
        if final is None:
            # A missing template lists nothing, but a call of a common list template's
            # name was meant as the list: the missing-template rule reports and fixes it.
            return builtin
        body = site.text(final) or ""
        if _EMITS.search(body):
            return _body_group(body)
        for module in _INVOKE.findall(body):
            if _MODULE_EMITS.search(site.text(site.normalize(module, MODULE)) or ""):
                return _body_group(body) or (builtin or "")
        if depth > 0:
            for inner in _CALL.findall(body):
                if inner.strip().lower().startswith(("subst:", "safesubst:")):
                    continue
                group = self._find(inner, depth - 1)
                if group is not None:
                    return _body_group(body) or group
        return builtin


def _tag_groups(doc: Document) -> set[str]:
    """The groups ``<references>`` tags and ``{{#tag:references}}`` calls list (one regex
    pass each, no parse)."""
    text = doc.text
    groups: set[str] = set()
    for match in doc.ignored.filter(_REFERENCES_TAG.finditer(text)):
        groups.add(group_of(match.group(1) or ""))
    for match in doc.ignored.filter(_TAG_REFERENCES.finditer(text)):
        groups.add(group_of(match.group(1) or ""))
    return groups


def list_groups(
    document: Document, site: SiteContext | None = None, wanted: set[str] | None = None
) -> set[str]:
    """The footnote groups the page already lists ("" = the default group).

    With ``wanted``, the answer may stop at the groups the page's tags list when those
    already hold every wanted group (the template calls are parsed only when needed).
    """
    tags = document.memo("reference-list-tags", _tag_groups)
    if wanted is not None and wanted <= tags:
        return tags

    def build(doc: Document) -> set[str]:
        groups = set(tags)
        lists = ListTemplates(site)
        calls = list(_calls(doc))
        lists.prefetch(
            [name for name, _ in calls if name and not name.startswith("#") and "{" not in name]
        )
        for name, call in calls:
            if re.match(r"#tag\s*:\s*references\s*$", name, re.IGNORECASE):
                groups.add(_group_argument(call))
                continue
            if not name or name.startswith("#") or "{" in name:
                continue
            if ":" in name and name.split(":", 1)[0].strip().lower() in ("subst", "safesubst"):
                continue
            # The call's group= argument is read (the call parsed) only when it counts.
            group = lists.default_group(name)
            if group is not None:
                groups.add(_group_argument(call) or group)
            elif site is None and family_of(_strip_prefix(name)) is None:
                # A template unknown here, given the group by name: most likely the
                # wiki's own list template for it (a footnote template would be known).
                explicit = _group_argument(call)
                if explicit:
                    groups.add(explicit)
        return groups

    return document.memo(f"reference-lists:{id(site)}", build)


def _calls(doc: Document) -> Iterator[tuple[str, str]]:
    """(name, wikitext) of every template call: no full parse."""
    text = doc.text
    for name, start, end in template_calls(doc):
        yield name, text[start:end]


#: A parameter's name is the text between its ``|`` and ``=``, trimmed: a call without this
#: has no ``group`` parameter, so it need not be parsed.
_GROUP_PARAM = re.compile(r"\|\s*group\s*=")


def _group_argument(call: str) -> str:
    """The unquoted ``group=`` argument of one call (parsed alone, only when it has one)."""
    node = parse_call(call) if _GROUP_PARAM.search(call) else None
    return split_quoted(template_params(node).get("group", ""))[0] if node is not None else ""


def _strip_prefix(name: str) -> str:
    head, sep, rest = name.partition(":")
    return rest if sep and head.strip().lower() == "template" else name
