"""Infobox conversion onto clean templates defined by schemas in ``templates/``.

The public API::

    from wikitools.infobox import convert_infobox, render_template

    result = convert_infobox(text)                 # or convert_infobox(text, "person")
    result.text, result.fixes, result.diagnostics  # converted text, Fix objects, findings
    render_template(schema, "classic")             # also "portable" and "templatedata"
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from wikitools._lazy import exports

if TYPE_CHECKING:
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

_EXPORTS = {
    "ConversionResult": "wikitools.infobox.convert",
    "FlattenContext": "wikitools.infobox.flatten",
    "Flavor": "wikitools.infobox.render",
    "InfoboxConversion": "wikitools.infobox.convert",
    "Param": "wikitools.infobox.schema",
    "Schema": "wikitools.infobox.schema",
    "SchemaRegistry": "wikitools.infobox.registry",
    "Section": "wikitools.infobox.schema",
    "builtin_dir": "wikitools.infobox.registry",
    "convert_infobox": "wikitools.infobox.convert",
    "default_registry": "wikitools.infobox.registry",
    "flatten_value": "wikitools.infobox.flatten",
    "load_schema": "wikitools.infobox.registry",
    "parse_schema": "wikitools.infobox.schema",
    "render_template": "wikitools.infobox.render",
}

__getattr__, __dir__ = exports(__name__, _EXPORTS)

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
