"""Render a schema as a classic template: a table that needs only core + ParserFunctions.

The output uses no Lua, no other templates and no site CSS: an HTML table whose rows sit
inside ``{{#if:…}}``, so a row shows only when its parameter is non-empty. HTML rows need no
escaped pipes and no line starts, and the rows are joined by comments so that empty ones
leave no stray newline (which MediaWiki would turn into empty paragraphs). Images are
guarded with ``{{#ifexist:Media:…}}``, so a file missing on the wiki shows as its name
instead of a red upload link.
"""

from __future__ import annotations

from collections.abc import Iterator

from wikitools.infobox.expr import arg, condition, if_, label_expr, literal, value_expr
from wikitools.infobox.schema import Param, Schema, Section

DEFAULT_STYLE = {
    "box": (
        "float:right; clear:right; width:22em; margin:0 0 1em 1em; padding:0.2em; "
        "border:1px solid #a2a9b1; border-spacing:3px; background-color:#f8f9fa; "
        "color:#202122; font-size:88%; line-height:1.5em"
    ),
    "title": "font-size:125%; font-weight:bold; text-align:center; padding:0.2em",
    "subtitle": "text-align:center",
    "header": "text-align:center; background-color:#eaecf0; padding:0.2em 0.4em",
    "group_header": "text-align:center; background-color:#dde4f0; padding:0.2em 0.4em",
    "label": "text-align:left; vertical-align:top",
    "stacked": "text-align:center",
    "value": "",
    "image": "text-align:center; padding:0.2em",
    "caption": "font-size:95%; line-height:1.4em; padding-top:0.2em",
}

#: Joins rows in the template source without output: one row per source line, and no
#: newline in the rendered table (stray newlines there would become empty paragraphs).
JOIN = "<!--\n-->"


WIDE = 'colspan="2"'
ROW_SCOPE = 'scope="row"'


def _style(schema: Schema, slot: str) -> str:
    return literal(schema.style.get(slot, DEFAULT_STYLE[slot]))


def _attrs(schema: Schema, slot: str, extra: str = "") -> str:
    style = _style(schema, slot)
    parts = [extra] if extra else []
    if style:
        parts.append(f'style="{style}"')
    return (" " + " ".join(parts)) if parts else ""


def _file(name: str, size: str, alt: str | None, missing_style: str) -> str:
    """An image that renders only when the file exists; otherwise its name as grey text."""
    options = size + (f"|alt={arg(alt)}" if alt else "")
    shown = f"[[File:{arg(name, None)}|{options}]]"
    fallback = f'<span style="{missing_style}">{arg(name, None)}</span>'
    return f"{{{{#ifexist:Media:{arg(name, None)}|{shown}|{fallback}}}}}"


def _image(schema: Schema, section: Section, param: Param, index: int | None) -> str:
    def ref(key: str | None) -> str | None:
        return section.name_for(key, index) if key else None

    name = section.name_for(param.name, index)
    size_param = ref(param.size)
    upright = ref(param.upright)
    size = literal(param.default_size)
    if upright:
        size = if_(arg(upright), f"frameless{{{{!}}}}upright={arg(upright, None)}", size)
    if size_param:
        size = if_(arg(size_param), arg(size_param, None), size)
    picture = _file(name, size, ref(param.alt), "color:#54595d; font-size:90%")
    caption = ref(param.caption)
    if caption:
        box = f"<div{_attrs(schema, 'caption')}>{arg(caption, None)}</div>"
        picture += if_(arg(caption), box)
    return picture


def _row(cells: str, test: str | None) -> str:
    """One table row; inside ``{{#if:test|…}}`` unless ``test`` is None (always shown)."""
    row = f"<tr>{cells}</tr>"
    return row if test is None else if_(test, row)


def _param_row(schema: Schema, section: Section, param: Param, index: int | None) -> str | None:
    if param.display == "none" or param.name in section.consumed:
        return None
    test = condition(section, param, index)
    value = value_expr(section, param, index)
    if param.type == "wiki-file-name" and param.display == "row":
        name = section.name_for(param.name, index)
        alt = section.name_for(param.alt, index) if param.alt else None
        value = _file(name, literal(param.default_size), alt, "color:#54595d")
    wide = WIDE
    if param.display == "title":
        return _row(f"<th{_attrs(schema, 'title', wide)}>{value}</th>", test)
    if param.display == "subtitle":
        return _row(f"<td{_attrs(schema, 'subtitle', wide)}>{value}</td>", test)
    if param.display == "header":
        slot = "group_header" if section.numbered else "header"
        return _row(f"<th{_attrs(schema, slot, wide)}>{value}</th>", test)
    if param.display == "image":
        picture = _image(schema, section, param, index)
        attrs = _attrs(schema, "image", f'class="infobox-image" {wide}')
        return _row(f"<td{attrs}>{picture}</td>", test)
    if param.display == "stacked":
        label = f"<b>{label_expr(section, param, index)}</b>"
        return _row(f"<td{_attrs(schema, 'stacked', wide)}>{label}<br />{value}</td>", test)
    value_cell = f"<td{_attrs(schema, 'value')}>{value}</td>"
    label_cell = f"<th{_attrs(schema, 'label', ROW_SCOPE)}>"
    if param.label_from:
        label_param = section.name_for(param.label_from, index)
        labelled = f"{label_cell}{arg(label_param, None)}</th>{value_cell}"
        full = f"<td{_attrs(schema, 'subtitle', wide)}>{value}</td>"
        return _row(if_(arg(label_param), labelled, full), test)
    return _row(f"{label_cell}{label_expr(section, param, index)}</th>{value_cell}", test)


def _section_test(section: Section) -> str | None:
    """Non-empty when any row of the section shows; None when one always shows."""
    tests: list[str] = []
    for index in section.indexes():
        for param in section.params:
            if param.display == "none" or param.name in section.consumed:
                continue
            test = condition(section, param, index)
            if test is None:
                return None
            tests.append(test)
    return "".join(tests)


def _iter_rows(schema: Schema) -> Iterator[str]:
    for section in schema.sections:
        if section.header:
            cell = f"<th{_attrs(schema, 'header', WIDE)}>{literal(section.header)}</th>"
            yield _row(cell, _section_test(section))
        for index in section.indexes():
            for param in section.params:
                row = _param_row(schema, section, param, index)
                if row is not None:
                    yield row


def classic_body(schema: Schema) -> str:
    """The part of the classic template that articles transclude (no ``<noinclude>``)."""
    rows = JOIN.join(_iter_rows(schema))
    return f'<table class="infobox"{_attrs(schema, "box")}>{JOIN}{rows}{JOIN}</table>'


def render_classic(schema: Schema) -> str:
    """The wikitext of the classic template page for ``schema`` (without documentation)."""
    table = classic_body(schema)
    note = (
        f"<noinclude>\nGenerated by wikitools from the template schema ''{schema.name}''. "
        "Parameters are documented in its TemplateData.\n</noinclude>"
    )
    return table + note
