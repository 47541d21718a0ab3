"""Render a schema as TemplateData JSON (what VisualEditor and tools read about a template)."""

from __future__ import annotations

import json
from typing import Any

from wikitools.infobox.schema import Param, Schema, Section

#: Numbered groups listed in TemplateData; later ones work the same way and are described.
LISTED_GROUPS = 3


def _aliases(section: Section, param: Param, index: int | None) -> list[str]:
    names = [section.name_for(a, index) for a in param.aliases]
    numbered = section.numbered
    if index == 1 and numbered is not None and numbered.first_unsuffixed:
        names += [f"{n}1" for n in (param.name, *param.aliases)]
    return names


def _param_data(section: Section, param: Param, index: int | None) -> dict[str, Any]:
    label = param.label
    description = param.description
    numbered = section.numbered
    if numbered is not None and index is not None:
        label = f"{label} ({numbered.label} {index})"
        if index == 1:
            last = section.name_for(param.name, numbered.max)
            more = f"Repeat with the group number for later groups, up to {last}."
            description = f"{description} {more}".strip()
    data: dict[str, Any] = {"label": label, "type": param.type}
    if description:
        data["description"] = description
    aliases = _aliases(section, param, index)
    if aliases:
        data["aliases"] = aliases
    if param.required:
        data["required"] = True
    if param.suggested and (index is None or index == 1):
        data["suggested"] = True
    if param.default:
        data["default"] = param.default
    if param.example:
        data["example"] = param.example
    return data


def templatedata(schema: Schema) -> dict[str, Any]:
    """The TemplateData object for ``schema`` (numbered groups listed up to the third)."""
    params: dict[str, Any] = {}
    sets: list[dict[str, Any]] = []
    for section in schema.sections:
        indexes = list(section.indexes())[:LISTED_GROUPS]
        for index in indexes:
            names = []
            for param in section.params:
                name = section.name_for(param.name, index)
                params[name] = _param_data(section, param, index)
                names.append(name)
            if section.numbered is not None:
                sets.append({"label": f"{section.numbered.label} {index}", "params": names})
    description = schema.description or f"Infobox generated from the schema {schema.name!r}."
    return {
        "description": description,
        "params": params,
        "paramOrder": list(params),
        "sets": sets,
        "format": "block",
    }


def render_templatedata(schema: Schema) -> str:
    """TemplateData as pretty-printed JSON text."""
    return json.dumps(templatedata(schema), ensure_ascii=False, indent=2) + "\n"
