"""The text English Wikipedia's short-citation templates print, computed in Python.

``{{sfn|Service|2004|p=259}}`` renders the footnote "Service 2004, p. 259." through
Module:Footnotes; ``{{harvnb|Smith|Jones|2004}}`` renders "Smith & Jones 2004" inline.
When that module chain is broken on a wiki, wikitools replaces the calls with the text
they would have printed; this module reproduces Module:Footnotes' formatting rules:

* names: one "Smith"; two "Smith & Jones"; three "Smith, Jones & Lee"; four
  "Smith et al."; the last positional parameter is the year when it looks like one
  (``2004``, ``2004a``, ``n.d.``, ``c. 1900``, ``1941–1945``, ``1941–45``);
* in-source location: ``|p=`` → ", p. 259"; ``|pp=`` → ", pp. 1–2"; ``|loc=`` → ", loc";
* the names and year link to the full citation's ``#CITEREF…`` anchor (``|ref=`` names
  another anchor, ``|ref=none`` drops the link);
* ``{{sfn}}`` ends with ``|ps=`` (default "."; ``none`` for nothing) and is named
  ``FOOTNOTE`` + names + year + location, so identical citations share one footnote.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from wikitools.parsing.params import positional

_YEAR = re.compile(
    r"^(?:\d{3,4}[a-z]?|n\.d\.[a-z]?|nd[a-z]?|c\. \d{3,4}[a-z]?|\d{4}–\d{2,4}[a-z]?)$"
)
_LUA_SPACES = re.compile(r"[ \t\n\v\f\r]+")
_UNLINKABLE = re.compile(r"[\[\]{}|#<>]")

#: Parameters every short-citation template understands (others change the output in
#: ways not reproduced here, so a conversion with them is marked unsafe).
KNOWN_PARAMS = frozenset(
    {
        "p",
        "page",
        "pp",
        "pages",
        "loc",
        "ps",
        "postscript",
        "ref",
        "Ref",
        "ignore-err",
        "ignore_err",
    }
)


@dataclass(frozen=True, slots=True)
class HarvardStyle:
    """Brackets, separators and default postscript of one template of the family."""

    bracket_left: str = ""
    bracket_right: str = ""
    year_left: str = ""
    year_right: str = ""
    page_sep: str = ", p. "
    pages_sep: str = ", pp. "
    postscript: str = ""


#: {{sfn}}: "Service 2004, p. 259." in a footnote.
SFN = HarvardStyle(postscript=".")
#: {{sfnp}}: "Service (2004), p. 259." in a footnote.
SFNP = HarvardStyle(year_left="(", year_right=")", postscript=".")
#: {{harv}}: "(Service 2004, p. 259)".
HARV = HarvardStyle(bracket_left="(", bracket_right=")")
#: {{harvnb}}: "Service 2004, p. 259".
HARVNB = HarvardStyle()
#: {{harvtxt}} and {{harvp}}: "Service (2004, p. 259)".
HARVTXT = HarvardStyle(year_left="(", bracket_right=")")
#: {{harvcol}}: "(Service 2004:259)".
HARVCOL = HarvardStyle(bracket_left="(", bracket_right=")", page_sep=":", pages_sep=":")
#: {{harvcolnb}}: "Service 2004:259".
HARVCOLNB = HarvardStyle(page_sep=":", pages_sep=":")
#: {{harvcoltxt}}: "Service (2004:259)".
HARVCOLTXT = HarvardStyle(year_left="(", bracket_right=")", page_sep=":", pages_sep=":")


@dataclass(frozen=True, slots=True)
class ShortCitation:
    """The rendering of one short citation.

    ``text`` is the wikitext the template would print (without ``<ref>``); ``name`` the
    footnote name Module:Footnotes gives it; ``exact`` is False when the call had
    parameters whose effect is not reproduced.
    """

    text: str
    name: str
    exact: bool = True


def is_year(value: str) -> bool:
    """True for the date forms Module:Footnotes accepts as the year parameter."""
    return bool(_YEAR.match(value))


def _collapse(text: str) -> str:
    return _LUA_SPACES.sub(" ", text)


def author_date(names: list[str], style: HarvardStyle) -> tuple[str, list[str]]:
    """The "Smith & Jones 2004" part, and the values that make up the anchor."""
    p = [*names[:5], "", "", "", "", ""][:5]
    year = ""
    parts = [v for v in p if v]
    if len(parts) >= 2 and is_year(parts[-1]):
        year = parts[-1]
        people = parts[:-1]
    else:
        people = parts
    anchor = [v for v in p if v]
    if len(people) >= 4:
        head = f"{people[0]} et al."
        if len(parts) == 5 and not year:
            anchor = anchor[:4]  # a fifth value that is not a year stays out of the anchor
    elif len(people) == 3:
        head = f"{people[0]}, {people[1]} & {people[2]}"
    elif len(people) == 2:
        head = f"{people[0]} & {people[1]}"
    else:
        head = people[0] if people else ""
    if year:
        head = f"{head} {style.year_left}{year}{style.year_right}"
    return head, anchor


def _first(params: Mapping[str, str], *keys: str) -> str | None:
    for key in keys:
        if key in params:
            return params[key].strip()
    return None


def _link(result: str, anchor: list[str], ref: str) -> str:
    if ref == "none":
        return result
    target = ref if ref else "CITEREF" + "".join(anchor)
    if not target or _UNLINKABLE.search(target) or _UNLINKABLE.search(result):
        return result
    return f"[[#{_LUA_SPACES.sub('_', target.strip())}|{result}]]"


def _core(
    names: list[str],
    style: HarvardStyle,
    page: str,
    pages: str,
    location: str,
    ref: str,
    postscript: str,
) -> tuple[str, list[str]]:
    result, anchor = author_date(names, style)
    if result.endswith(".") and postscript.startswith(".") and not (page or pages or location):
        result = result[:-1]
    result = _link(result, anchor, ref)
    if page:
        result += style.page_sep + page
    elif pages:
        result += style.pages_sep + pages
    if location:
        result += ", " + location
    return _collapse(style.bracket_left + result + style.bracket_right + postscript), anchor


def format_citation(params: Mapping[str, str], style: HarvardStyle) -> ShortCitation:
    """Render ``{{sfn}}``/``{{harv…}}`` parameters (as :func:`template_params` gives them)."""
    names = positional(dict(params))
    postscript = _first(params, "postscript", "ps")
    if postscript is None:
        postscript = style.postscript
    elif postscript == "none":
        postscript = ""
    page = _first(params, "p", "page") or ""
    pages = _first(params, "pp", "pages") or ""
    location = _first(params, "loc") or ""
    ref = _first(params, "ref", "Ref") or ""
    text, anchor = _core(names, style, page, pages, location, ref, postscript)
    name = _collapse("".join(["FOOTNOTE", *anchor, page, pages, location]))
    exact = all(k in KNOWN_PARAMS or (k.isdigit() and int(k) <= 5) for k in params)
    return ShortCitation(text, name, exact and bool(names))


_SFNM_KEY = re.compile(r"^(\d+)(a[1-4]|y|p|pp|loc|ps|ref)$")


def format_multi(params: Mapping[str, str], style: HarvardStyle) -> ShortCitation:
    """Render ``{{sfnm}}``/``{{sfnmp}}``: several sources in one footnote, joined by "; "."""
    out: list[str] = []
    footnote = ["FOOTNOTE"]
    exact = True
    first_pos = 1
    n = 1
    last_index = last_ps = 0
    while f"{n}a1" in params or str(first_pos) in params:
        if f"{n}a1" in params:
            names = []
            for i in range(1, 5):
                value = params.get(f"{n}a{i}", "").strip()
                if not value:
                    break
                names.append(value)
            year = params.get(f"{n}y", "").strip()
            if year:
                names.append(year)
        else:
            names = [params[str(first_pos)].strip(), params.get(str(first_pos + 1), "").strip()]
            names = [v for v in names if v]
            first_pos += 2
        postscript = params.get(f"{n}ps", "").strip()
        if postscript == "none":
            postscript = ""
        page = params.get(f"{n}p", "").strip()
        pages = params.get(f"{n}pp", "").strip()
        location = params.get(f"{n}loc", "").strip()
        ref = params.get(f"{n}ref", "").strip()
        text, anchor = _core(names, style, page, pages, location, ref, postscript)
        out.append(text)
        footnote.extend(anchor)
        footnote.extend(v for v in (page, pages, location) if v)
        last_index = n
        if postscript:
            last_ps = n
        n += 1
    for key in params:
        if not (key.isdigit() or _SFNM_KEY.match(key) or key in ("ps", "postscript")):
            exact = False
    end_ps = _first(params, "postscript", "ps")
    if end_ps is None:
        end_ps = "."
    elif end_ps == "none":
        end_ps = ""
    text = "; ".join(out) + ("" if last_index == last_ps else end_ps)
    return ShortCitation(text, _collapse("".join(footnote)), exact and bool(out))
