"""Infobox conversion onto clean templates defined by schemas in ``templates/``.

The public API::

    from wikitools.infobox import convert_infobox, render_template

    result = convert_infobox(text)                 # or convert_infobox(text, "person")
    result.text, result.fixes, result.diagnostics  # converted text, Fix objects, findings
    render_template(schema, "classic")             # also "portable" and "templatedata"
"""

from __future__ import annotations

from wikitools.infobox.convert import ConversionResult, InfoboxConversion, convert_infobox
from wikitools.infobox.flatten import FlattenContext, flatten_value
from wikitools.infobox.registry import (
    SchemaRegistry,
    builtin_dir,
    default_registry,
    load_schema,
)
from wikitools.infobox.render import Flavor, render_template
from wikitools.infobox.schema import Param, Schema, Section, parse_schema

__all__ = [
    "ConversionResult",
    "FlattenContext",
    "Flavor",
    "InfoboxConversion",
    "Param",
    "Schema",
    "SchemaRegistry",
    "Section",
    "builtin_dir",
    "convert_infobox",
    "default_registry",
    "flatten_value",
    "load_schema",
    "parse_schema",
    "render_template",
]
