"""Checking a rendered infobox: every non-empty field shows with its label and value text."""

from __future__ import annotations

import re
from dataclasses import dataclass

import mwparserfromhell
from lxml import html as lxml_html
from mwparserfromhell.nodes import Tag, Template

from wikitools.infobox import Schema
from wikitools.infobox.names import template_key

_SPACE = re.compile(r"\s+")
_TEMPLATE_LINK = re.compile(r"^(?:Template|Module|File|Special):", re.IGNORECASE)


def normalize(text: str) -> str:
    """Whitespace (including no-break spaces) collapsed, for comparing visible text."""
    return _SPACE.sub(" ", text.replace("\xa0", " ")).strip()


def visible_segments(value: str) -> list[str]:
    """The pieces of plain text a reader must see for a wikitext value.

    Templates (parser functions such as a live age), line breaks and footnotes (whose
    markers the wiki adds) split the value into segments; each segment must show as it is.
    """
    segments: list[str] = []
    current: list[str] = []
    for node in mwparserfromhell.parse(value).nodes:
        boundary = isinstance(node, Template) or (
            isinstance(node, Tag) and str(node.tag).casefold() in ("br", "ref")
        )
        if boundary:
            segments.append("".join(current))
            current = []
        else:
            current.append(str(node))
    segments.append("".join(current))
    plain = (mwparserfromhell.parse(s).strip_code(normalize=True, collapse=True) for s in segments)
    return [normalize(p) for p in plain if normalize(p)]


@dataclass(frozen=True)
class Field:
    """A parameter of the converted call."""

    name: str
    value: str


def call_fields(wikitext: str, template: str) -> list[Field]:
    """Named, non-empty parameters of the first call of ``template`` in ``wikitext``."""
    code = mwparserfromhell.parse(wikitext)
    for node in code.filter_templates():
        if isinstance(node, Template) and template_key(str(node.name)) == template_key(template):
            return [
                Field(str(p.name).strip(), str(p.value).strip())
                for p in node.params
                if p.showkey and str(p.value).strip()
            ]
    raise AssertionError(f"no call of {template!r} found")


@dataclass(frozen=True)
class Rendered:
    """The rendered infobox: its rows as (label, value text) and all of its text."""

    rows: list[tuple[str, str]]
    text: str
    red_links: list[str]


def rendered_infobox(page_html: str) -> Rendered:
    """The first ``table.infobox`` of rendered HTML."""
    doc = lxml_html.fromstring(page_html)
    tables = doc.xpath('//table[contains(concat(" ", normalize-space(@class), " "), " infobox ")]')
    assert tables, "no infobox table in the rendered page"
    table = tables[0]
    rows = []
    for tr in table.iter("tr"):
        label = tr.xpath("./th[@scope='row']")
        cells = tr.xpath("./td")
        rows.append(
            (
                normalize(label[0].text_content()) if label else "",
                " ".join(normalize(c.text_content()) for c in cells)
                or normalize(tr.text_content()),
            )
        )
    red = [a.get("title", "") for a in table.iter("a") if "new" in (a.get("class") or "").split()]
    return Rendered(rows, normalize(table.text_content()), red)


def check_fields(schema: Schema, fields: list[Field], shown: Rendered) -> list[str]:
    """Problems: fields whose label or value text is not visible as expected."""
    values = {f.name: f.value for f in fields}
    problems = []
    for field in fields:
        slot = schema.resolve(field.name)
        if slot is None or not slot.in_range or slot.canonical != field.name:
            problems.append(f"{field.name}: not a canonical parameter of {schema.name}")
            continue
        param, section = slot.param, slot.section
        consumers = [p for p in section.params if param.name in p.references]
        if param.display == "none" and not consumers:
            continue  # metadata such as alt text, image size, a language code
        label_of = next((p for p in consumers if p.label_from == param.name), None)
        if param.display == "none" and label_of is not None:
            data = section.name_for(label_of.name, slot.index)
            if values.get(data) and not _has_row(shown, normalize(field.value), None):
                problems.append(f"{field.name}: label {field.value!r} not shown")
            continue
        if param.display == "none" and any(param.name in (p.alt, p.size) for p in consumers):
            continue  # alt text and image sizes are not visible text
        segments = visible_segments(field.value)
        if param.type == "wiki-file-name":
            segments = [normalize(field.value)]  # no file exists on the test wiki: its name shows
        derived_into = [p for p in consumers if any(param.name in c.names for c in p.derive)]
        in_attribute = re.compile(r"<[^>]*\{" + re.escape(param.name) + r"\}[^>]*>")
        if any(in_attribute.search(c.text) for p in derived_into for c in p.derive):
            continue  # an attribute of the shown value (native_name_lang: lang="ru")
        if derived_into or param.derive:
            missing = [s for s in segments if s not in shown.text]
            if missing:
                problems.append(f"{field.name}: {missing!r} not in the heading")
            continue
        row_param = next((p for p in consumers if param.name in p.join), param)
        labels = [normalize(row_param.label), *(normalize(c.text) for c in row_param.variants)]
        if row_param.display == "stacked":
            if not any(_has_stacked(shown, label, segments) for label in labels):
                problems.append(f"{field.name}: row {labels[0]!r} with {segments!r} not shown")
            continue
        if row_param.display == "row":
            if row_param.label_from:
                name = section.name_for(row_param.label_from, slot.index)
                labels = [normalize(values.get(name, ""))]
            if not any(_has_row(shown, label or None, segments) for label in labels):
                problems.append(f"{field.name}: row {labels[0]!r} with {segments!r} not shown")
            continue
        missing = [s for s in segments if s not in shown.text]
        if missing:
            problems.append(f"{field.name}: {missing!r} not shown")
    return problems


def _has_stacked(shown: Rendered, label: str, segments: list[str]) -> bool:
    return any(
        not row_label and text.startswith(label) and all(s in text for s in segments)
        for row_label, text in shown.rows
    )


def _has_row(shown: Rendered, label: str | None, segments: list[str] | None) -> bool:
    for row_label, row_text in shown.rows:
        if label is not None and row_label != label:
            continue
        if segments is None or all(s in row_text for s in segments):
            return True
    return False


def unexpected_red_links(red_links: list[str], wikitext: str, kept: set[str]) -> list[str]:
    """Red links that are neither article links written in ``wikitext`` nor reported templates.

    Article links are red on an empty wiki; templates, modules, files and upload links must
    never be, except templates the converter reported as kept.
    """
    linked = {
        normalize(str(link.title).split("#", 1)[0]).replace("_", " ").casefold()
        for link in mwparserfromhell.parse(wikitext).filter_wikilinks()
    }
    bad = []
    for title in red_links:
        target = title.removesuffix(" (page does not exist)")
        if _TEMPLATE_LINK.match(target):
            name = target.split(":", 1)[1].casefold()
            if not target.lower().startswith("template:") or name not in kept:
                bad.append(title)
        elif target.casefold() not in linked:
            bad.append(title)
    return bad
