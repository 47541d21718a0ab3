"""Finding schema files: the built-in ones shipped with wikitools, plus the user's own.

The built-in schemas live in the repository's top-level ``templates/`` folder. The package
reaches them as ``wikitools/infobox/templates``, a symbolic link in the source tree that
setuptools copies into wheels and sdists as ordinary package data, so an installed wikitools
reads them through :mod:`importlib.resources` and never needs the source checkout or any
other folder. Where the link did not survive (a checkout on a system without symbolic
links), the checkout's ``templates/`` folder is used directly.

Admins add templates without touching Python: put ``NAME.toml`` in a folder and pass it with
``--templates DIR`` (or ``WIKITOOLS_TEMPLATES``); a user schema with the name of a built-in one
replaces it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from wikitools.errors import SchemaError
from wikitools.infobox.names import template_key
from wikitools.infobox.schema import Schema, decode_schema_text, parse_schema

log = logging.getLogger(__name__)

SCHEMA_SUFFIXES = (".toml", ".json")


def builtin_dir() -> Traversable:
    """The folder holding the schemas shipped with wikitools."""
    packaged = resources.files("wikitools.infobox").joinpath("templates")
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[3] / "templates"
    if checkout.is_dir():
        return checkout
    raise SchemaError(
        "the built-in template schemas are missing from this installation "
        "(wikitools/infobox/templates); reinstall wikitools"
    )


def iter_schema_files(folder: Traversable) -> Iterator[Traversable]:
    """Schema files of a folder (``*.toml`` and ``*.json``) in name order."""
    files = [f for f in folder.iterdir() if f.is_file() and f.name.endswith(SCHEMA_SUFFIXES)]
    yield from sorted(files, key=lambda f: f.name)


def load_schema(path: Path | Traversable) -> Schema:
    """Read and validate one schema file (TOML or JSON)."""
    origin = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SchemaError(f"{origin}: no such schema file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SchemaError(f"{origin}: cannot read ({exc})") from None
    stem = path.name.rsplit(".", 1)[0]
    return parse_schema(decode_schema_text(text, origin), origin, stem)


class SchemaRegistry:
    """A set of schemas by name, with lookup by source template name."""

    def __init__(self, schemas: Iterable[Schema]) -> None:
        self._by_name: dict[str, Schema] = {}
        for schema in schemas:
            if schema.name in self._by_name:
                log.info("%s replaces %s", schema.origin, self._by_name[schema.name].origin)
            self._by_name[schema.name] = schema
        self._by_source: dict[str, Schema] = {}
        fallbacks: list[Schema] = []
        for schema in self._by_name.values():
            for key in sorted(schema.source_keys):
                other = self._by_source.get(key)
                if other is not None and other.name != schema.name:
                    raise SchemaError(
                        f"{schema.origin}: sources: {key!r} is also claimed by {other.origin}; "
                        "each source template maps onto one schema"
                    )
                self._by_source[key] = schema
            if schema.fallback:
                fallbacks.append(schema)
        if len(fallbacks) > 1:
            names = ", ".join(s.origin for s in fallbacks)
            raise SchemaError(f"more than one schema has fallback = true: {names}")
        self.fallback: Schema | None = fallbacks[0] if fallbacks else None

    @classmethod
    def load(cls, folders: Sequence[Path] = (), builtin: bool = True) -> SchemaRegistry:
        """Load the built-in schemas (unless ``builtin`` is False), then those in ``folders``."""
        schemas: list[Schema] = []
        sources: list[Traversable] = [builtin_dir()] if builtin else []
        for folder in folders:
            if not Path(folder).is_dir():
                raise SchemaError(f"{folder}: not a folder of template schemas")
            sources.append(Path(folder))
        for source in sources:
            schemas.extend(load_schema(f) for f in iter_schema_files(source))
        return cls(schemas)

    def names(self) -> list[str]:
        """Schema names in alphabetical order."""
        return sorted(self._by_name)

    def __iter__(self) -> Iterator[Schema]:
        return iter(self._by_name[n] for n in self.names())

    def __len__(self) -> int:
        return len(self._by_name)

    def get(self, name: str) -> Schema:
        """The schema called ``name`` (also accepted: its template name)."""
        schema = self._by_name.get(name.strip().lower())
        if schema is None:
            key = template_key(name)
            schema = next((s for s in self if template_key(s.template) == key), None)
        if schema is None:
            known = ", ".join(self.names()) or "none"
            raise SchemaError(f"no template schema named {name!r} (known: {known})")
        return schema

    def for_source(self, template_name: str) -> Schema | None:
        """The schema that converts calls of ``template_name``, if any claims it."""
        return self._by_source.get(template_key(template_name))

    @property
    def source_keys(self) -> frozenset[str]:
        """Comparison keys of every template name some schema converts."""
        return frozenset(self._by_source)

    def is_known_source(self, template_name: str) -> bool:
        """True when some schema lists ``template_name`` (or is that template)."""
        return template_key(template_name) in self._by_source


@lru_cache(maxsize=1)
def default_registry() -> SchemaRegistry:
    """The built-in schemas, loaded once."""
    return SchemaRegistry.load()
