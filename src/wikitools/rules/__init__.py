"""Built-in rules, one module per family; importing this package registers them."""

from wikitools.rules import artifacts, braces, comments, modules, refs, templates

__all__ = ["artifacts", "braces", "comments", "modules", "refs", "templates"]
