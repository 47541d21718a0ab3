"""Render a schema as a classic template: a wikitable that needs only core + ParserFunctions.

The output uses no Lua, no other templates and no site CSS: rows are plain table rows
inside ``{{#if:…}}`` (``{{!}}`` is the core magic word for a pipe), so a row shows only when
its parameter is non-empty. Images are guarded with ``{{#ifexist:Media:…}}`` so a file that
is missing on the wiki shows as its name instead of a red upload link.
"""

from __future__ import annotations

from collections.abc import Iterator

from wikitools.infobox.expr import arg, condition, if_, literal, value_expr
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
    "value": "",
    "image": "text-align:center; padding:0.2em",
    "caption": "font-size:95%; line-height:1.4em; padding-top:0.2em",
}

PIPE = "{{!}}"


def _style(schema: Schema, slot: str) -> str:
    return literal(schema.style.get(slot, DEFAULT_STYLE[slot]))


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
    size = literal(param.default_size)
    if size_param:
        size = if_(arg(size_param), arg(size_param, None), size)
    picture = _file(name, size, ref(param.alt), "color:#54595d; font-size:90%")
    caption = ref(param.caption)
    if caption:
        box = f'<div style="{_style(schema, "caption")}">{arg(caption, None)}</div>'
        picture += if_(arg(caption), box)
    return picture


def _row(lines: list[str], test: str | None) -> str:
    """One table row; inside ``{{#if:test|…}}`` unless ``test`` is None (always shown)."""
    if test is None:
        return "\n".join(line.replace(PIPE, "|") for line in lines)
    body = "\n".join(lines)
    return f"{{{{#if:{test}|\n{body}\n}}}}"


def _param_rows(schema: Schema, section: Section, param: Param, index: int | None) -> str | None:
    if param.display == "none" or param.name in section.consumed:
        return None
    test = condition(section, param, index)
    value = value_expr(section, param, index)
    if param.type == "wiki-file-name" and param.display == "row":
        name = section.name_for(param.name, index)
        alt = section.name_for(param.alt, index) if param.alt else None
        value = _file(name, literal(param.default_size), alt, "color:#54595d")
    if param.display == "title":
        return _row(
            [f"{PIPE}-", f'! colspan="2" style="{_style(schema, "title")}" {PIPE} {value}'],
            test,
        )
    if param.display == "subtitle":
        cell = f'{PIPE} colspan="2" style="{_style(schema, "subtitle")}" {PIPE} {value}'
        return _row([f"{PIPE}-", cell], test)
    if param.display == "header":
        slot = "group_header" if section.numbered else "header"
        cell = f'! colspan="2" style="{_style(schema, slot)}" {PIPE} {value}'
        return _row([f"{PIPE}-", cell], test)
    if param.display == "image":
        picture = _image(schema, section, param, index)
        cell = f'{PIPE} colspan="2" style="{_style(schema, "image")}" {PIPE} {picture}'
        return _row([f"{PIPE}-", cell], test)
    label_cell = f'! scope="row" style="{_style(schema, "label")}" {PIPE} '
    value_style = _style(schema, "value")
    value_cell = f'{PIPE} style="{value_style}" {PIPE} {value}' if value_style else f"{PIPE} {value}"
    if param.label_from:
        label_param = section.name_for(param.label_from, index)
        labelled = f"{label_cell}{arg(label_param, None)}\n{value_cell}"
        wide = f'{PIPE} colspan="2" style="{_style(schema, "subtitle")}" {PIPE} {value}'
        return _row([f"{PIPE}-", if_(arg(label_param), labelled, wide)], test)
    return _row([f"{PIPE}-", label_cell + literal(param.label), value_cell], test)


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
            cell = f'! colspan="2" style="{_style(schema, "header")}" {PIPE} '
            yield _row([f"{PIPE}-", cell + literal(section.header)], _section_test(section))
        for index in section.indexes():
            for param in section.params:
                row = _param_rows(schema, section, param, index)
                if row is not None:
                    yield row


def render_classic(schema: Schema) -> str:
    """The wikitext of the classic template page for ``schema`` (without documentation)."""
    lines = [f'{{| class="infobox" style="{_style(schema, "box")}"']
    lines.extend(_iter_rows(schema))
    lines.append("|}")
    note = (
        f"<noinclude>\nGenerated by wikitools from the template schema ''{schema.name}''. "
        "Parameters are documented in its TemplateData.\n</noinclude>"
    )
    return "\n".join(lines) + note
