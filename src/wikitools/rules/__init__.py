"""Built-in rules, one module per family; importing this package registers them."""

from wikitools.rules import artifacts, braces, refs

__all__ = ["artifacts", "braces", "refs"]
