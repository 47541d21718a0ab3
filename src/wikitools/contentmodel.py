"""Content models: what a page holds (wikitext, Lua, CSS, ...) as MediaWiki decides it by title."""

from __future__ import annotations

import re

from wikitools.titles import DEFAULT, MAIN, MEDIAWIKI, MODULE, TEMPLATE, Namespaces

USER = 2

WIKITEXT = "wikitext"
SCRIBUNTO = "Scribunto"
CSS = "css"
SANITIZED_CSS = "sanitized-css"
JAVASCRIPT = "javascript"
JSON = "json"
TEXT = "text"


_MEDIAWIKI_CODE = re.compile(r"\.(css|js|json)$")
_USER_CODE = re.compile(r"/.*\.(css|js|json)$")
_CODE_MODELS = {"css": CSS, "js": JAVASCRIPT, "json": JSON}


def default_model(ns: int, title: str, namespaces: Namespaces = DEFAULT) -> str:
    """The content model MediaWiki 1.39 gives a new page of this title by default.

    As ``MainSlotRoleHandler::getDefaultModel`` decides it, with Scribunto's and
    TemplateStyles' hooks: ``Module:`` pages are Lua except ``Module:X/doc`` (wikitext)
    and ``Module:X.json`` (JSON); ``MediaWiki:`` pages ending in ``.css``, ``.js`` or
    ``.json`` and ``User:`` subpages ending so hold code; ``Template:`` pages ending in
    ``.css`` are TemplateStyles stylesheets. Everything else is wikitext. ``title`` may
    carry its namespace prefix or not.
    """
    name = namespaces.strip_prefix(title) if ns != MAIN else title
    # Scribunto's doc page name is localized ("Module:$1/dok" ...); only the English
    # default is taken here: a doc page taken for Lua is skipped, never damaged.
    if ns == MODULE:
        if name.endswith(".json"):
            return JSON
        head, slash, tail = name.rpartition("/")
        return WIKITEXT if slash and head and tail == "doc" else SCRIBUNTO
    if ns == MEDIAWIKI and (match := _MEDIAWIKI_CODE.search(name)):
        return _CODE_MODELS[match.group(1)]
    if ns == USER and (match := _USER_CODE.search(name)):
        return _CODE_MODELS[match.group(1)]
    if ns == TEMPLATE and name.endswith(".css"):
        return SANITIZED_CSS
    return WIKITEXT


def is_wikitext_model(model: str | None) -> bool:
    """Whether pages of ``model`` hold wikitext (``None``: unknown; callers decide first)."""
    return model == WIKITEXT
