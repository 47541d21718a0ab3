"""One entry point for the three renderings of a schema."""

from __future__ import annotations

import enum

from wikitools.infobox.classic import render_classic
from wikitools.infobox.portable import render_portable
from wikitools.infobox.schema import Schema
from wikitools.infobox.templatedata import render_templatedata


class Flavor(enum.Enum):
    """What to render a schema as."""

    CLASSIC = "classic"
    """A wikitable template needing only MediaWiki core and ParserFunctions."""
    PORTABLE = "portable"
    """Fandom Portable Infobox markup."""
    TEMPLATEDATA = "templatedata"
    """TemplateData JSON describing the parameters."""


def render_template(schema: Schema, flavor: Flavor | str = Flavor.CLASSIC) -> str:
    """Render ``schema`` as a template page (classic or portable) or as TemplateData JSON."""
    flavor = Flavor(flavor)
    if flavor is Flavor.CLASSIC:
        return render_classic(schema)
    if flavor is Flavor.PORTABLE:
        return render_portable(schema)
    return render_templatedata(schema)
