"""Which infoboxes the corpora use most, and how many calls convert onto a specific schema.

Usage: python benchmarks/infobox_coverage.py [CORPUS_DIR] [--top N] [--baseline a,b,c]
       [--before-templates DIR]

Reads every dump (``*.xml.bz2``) of the corpus folder (default ../shared/corpus next to
the checkout), the newest revision of each page, and runs the converter on it. Every
infobox the converter finds counts: calls of templates named ``Infobox …`` (and of any
template a schema lists in ``sources``), with names folded as MediaWiki folds them and
template redirects in the dump followed (``Template:Infobox city`` → ``Infobox
settlement``), and hand-written ``{| class="infobox"`` tables.

It prints the most used infoboxes with their counts and, for the built-in schemas and for
a baseline set of them (by default the ones shipped before the coverage work: person,
officeholder and the generic fallback), the share of infobox calls converted onto a
specific schema, that is onto anything but the generic fallback; once for every page and
once without template pages (the infobox templates' own table definitions and their
translation units), and once for the calls that matter to the converter: those of
templates the wiki does not define itself. A wiki's own infobox (PokéClicker's
``{{Infobox Berry}}``, defined on that wiki) renders already and is the wiki's convention, so
no schema is shipped for it; its calls are counted and listed, but they are left out of that
last share. Both registries run in this process over the same pages.
"""

from __future__ import annotations

import argparse
import bz2
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from wikitools.infobox import SchemaRegistry, convert_infobox, default_registry
from wikitools.infobox.names import template_key
from wikitools.site.memory import MemorySite

_CORPUS = Path("shared") / "corpus"
#: ../shared/corpus next to the checkout, or next to a parent of it (a git worktree).
DEFAULT = next(
    (up / _CORPUS for up in Path(__file__).resolve().parents if (up / _CORPUS).is_dir()),
    Path(__file__).resolve().parents[2] / _CORPUS,
)
#: The schemas wikitools shipped before the coverage work.
BASELINE = ("person", "officeholder", "generic")
TABLE = '{| class="infobox"'


@dataclass(frozen=True)
class Page:
    """The newest revision of one page of a dump."""

    title: str
    namespace: int
    text: str
    redirect: str | None


def iter_pages(path: Path) -> Iterator[Page]:
    """Pages of one dump, newest revision each (dumps with history keep the last one)."""
    with bz2.open(path) as handle:
        title, namespace, text, redirect = "", 0, "", None
        for _event, element in etree.iterparse(
            handle, events=("end",), resolve_entities=False, huge_tree=True
        ):
            tag = element.tag.rsplit("}", 1)[-1]
            if tag == "title":
                title = element.text or ""
            elif tag == "ns":
                namespace = int(element.text or 0)
            elif tag == "redirect":
                redirect = element.get("title")
            elif tag == "text":
                text = element.text or ""
            elif tag == "page":
                yield Page(title, namespace, text, redirect)
                title, namespace, text, redirect = "", 0, "", None
                element.clear()


def own_templates(pages: list[Page]) -> set[str]:
    """Comparison keys of the templates a dump defines itself (non-redirect pages)."""
    return {template_key(p.title) for p in pages if p.namespace == 10 and not p.redirect}


def template_redirects(pages: list[Page]) -> dict[str, str]:
    """Template redirects of a dump: title to target title."""
    return {p.title: p.redirect for p in pages if p.namespace == 10 and p.redirect}


@dataclass
class Tally:
    """Infobox calls counted by source name, and which of them found a specific schema."""

    calls: Counter[str] = field(default_factory=Counter)
    in_templates: Counter[str] = field(default_factory=Counter)
    specific_in_templates: Counter[str] = field(default_factory=Counter)
    spellings: dict[str, Counter[str]] = field(default_factory=dict)
    specific: Counter[str] = field(default_factory=Counter)
    schema_of: dict[str, str] = field(default_factory=dict)
    own: Counter[str] = field(default_factory=Counter)
    """Calls of templates the wiki defines itself."""
    specific_own: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.calls.values())

    @property
    def covered(self) -> int:
        return sum(self.specific.values())

    def outside_templates(self) -> Tally:
        """The same counts without the calls on template pages (their own definitions)."""
        return Tally(
            self.calls - self.in_templates, specific=self.specific - self.specific_in_templates
        )

    def copied(self) -> Tally:
        """The same counts without the calls of the wiki's own templates."""
        return Tally(self.calls - self.own, specific=self.specific - self.specific_own)


def is_template_page(page: Page) -> bool:
    """Template pages and their translation units (``Translations:Template:…``)."""
    return page.namespace == 10 or page.title.startswith("Translations:Template:")


def _target_key(source: str, redirects: dict[str, str]) -> str:
    """The comparison key of the template a call reaches, redirects followed."""
    if source == TABLE:
        return TABLE
    key = template_key(source)
    seen = {key}
    while key in redirects and redirects[key] not in seen:
        key = redirects[key]
        seen.add(key)
    return key


def spelled(tally: Tally, key: str) -> str:
    """The most common spelling of a template name as the pages write it."""
    names = tally.spellings.get(key)
    if not names:
        return key
    name = names.most_common(1)[0][0]
    return name[:1].upper() + name[1:]


def count(
    pages: list[Page], redirects: dict[str, str], own: set[str], registry: SchemaRegistry
) -> Tally:
    """Convert every page with ``registry`` and count the infoboxes found.

    The dump's template redirects are the conversion's site, so an alias the dump
    defines converts onto the schema of its target, as it would on that wiki.
    """
    tally = Tally()
    fallback = registry.fallback.name if registry.fallback is not None else None
    site = MemorySite(redirects=redirects) if redirects else None
    folded = {template_key(k): template_key(v) for k, v in redirects.items()}
    for page in pages:
        if page.redirect or "infobox" not in page.text.casefold():
            continue
        result = convert_infobox(page.text, registry=registry, site=site)
        for conversion in result.conversions:
            name = _target_key(conversion.source, folded)
            written = " ".join(conversion.source.replace("_", " ").split())
            tally.spellings.setdefault(name, Counter())[written] += 1
            tally.calls[name] += 1
            tally.schema_of.setdefault(name, conversion.schema)
            specific = conversion.schema != fallback
            if specific:
                tally.specific[name] += 1
            if name in own:
                tally.own[name] += 1
                if specific:
                    tally.specific_own[name] += 1
            if is_template_page(page):
                tally.in_templates[name] += 1
                if specific:
                    tally.specific_in_templates[name] += 1
    return tally


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--top", type=int, default=30, help="how many infoboxes to list")
    parser.add_argument(
        "--baseline",
        default=",".join(BASELINE),
        help="comma-separated schema names for the 'before' registry",
    )
    parser.add_argument(
        "--before-templates",
        type=Path,
        help="a folder of schema files to use as the 'before' registry instead of --baseline "
        "(e.g. the templates/ folder of an older checkout)",
    )
    args = parser.parse_args()
    dumps = sorted(args.corpus.glob("*.xml.bz2")) if args.corpus.is_dir() else []
    if not dumps:
        print(f"error: no *.xml.bz2 dumps in {args.corpus}", file=sys.stderr)
        return 2
    after = default_registry()
    wanted = {n.strip() for n in args.baseline.split(",") if n.strip()}
    unknown = wanted - set(after.names())
    if unknown:
        print(f"error: unknown baseline schema(s): {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    if args.before_templates is not None:
        before = SchemaRegistry.load([args.before_templates], builtin=False)
    else:
        before = SchemaRegistry(s for s in after if s.name in wanted)

    totals = {"before": Tally(), "after": Tally()}
    print(f"{'corpus':<52} {'infoboxes':>9} {'before':>14} {'after':>14}")
    for dump in dumps:
        pages = list(iter_pages(dump))
        redirects = template_redirects(pages)
        own = own_templates(pages)
        row = {}
        for label, registry in (("before", before), ("after", after)):
            tally = count(pages, redirects, own, registry)
            row[label] = tally
            totals[label].calls.update(tally.calls)
            totals[label].specific.update(tally.specific)
            totals[label].in_templates.update(tally.in_templates)
            totals[label].specific_in_templates.update(tally.specific_in_templates)
            totals[label].own.update(tally.own)
            totals[label].specific_own.update(tally.specific_own)
            for name, names in tally.spellings.items():
                totals[label].spellings.setdefault(name, Counter()).update(names)
            for name, schema in tally.schema_of.items():
                totals[label].schema_of.setdefault(name, schema)
        print(
            f"{dump.name:<52} {row['after'].total:>9} "
            f"{_share(row['before']):>14} {_share(row['after']):>14}"
        )
    print(
        f"{'all corpora':<52} {totals['after'].total:>9} "
        f"{_share(totals['before']):>14} {_share(totals['after']):>14}"
    )
    print()
    print(f"Most used infoboxes (top {args.top}) and the schema each converts onto:")
    after_tally = totals["after"]
    for rank, (name, calls) in enumerate(after_tally.calls.most_common(args.top), 1):
        schema = after_tally.schema_of[name]
        was = totals["before"].schema_of.get(name, "-")
        shown = spelled(after_tally, name)
        mark = "  (the wiki's own)" if name in after_tally.own else ""
        print(f"{rank:>3}. {calls:>5}  {shown:<40} {schema:<28} (before: {was}){mark}")
    print()
    for label in ("before", "after"):
        tally = totals[label]
        print(
            f"coverage {label}: {tally.covered} of {tally.total} infobox calls "
            f"({_percent(tally)}) convert onto a specific schema"
        )
    for label in ("before", "after"):
        tally = totals[label].outside_templates()
        print(
            f"coverage {label}, template pages left out: {tally.covered} of {tally.total} "
            f"({_percent(tally)})"
        )
    for label in ("before", "after"):
        tally = totals[label].copied()
        print(
            f"coverage {label}, the wikis' own templates left out: {tally.covered} of "
            f"{tally.total} ({_percent(tally)})"
        )
    return 0


def _percent(tally: Tally) -> str:
    return f"{100 * tally.covered / tally.total:.1f}%" if tally.total else "n/a"


def _share(tally: Tally) -> str:
    return f"{tally.covered}/{tally.total} {_percent(tally)}" if tally.total else "-"


if __name__ == "__main__":
    sys.exit(main())
