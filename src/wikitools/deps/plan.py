"""An import plan: the closure compared with the target wiki, page by page.

Each page is *new* (to import), *identical* (skipped: same content hash), *differs* (the
target has its own version: never overwritten, reported), or *blocked* (the target cannot
hold its content model, so importing it would fail or abort an ``action=import`` halfway).
The target's prerequisites are checked from what it reports (extensions, extension tags,
parser functions, content models): what the closure needs and the target lacks is listed
with the pages that will fail because of it. A module reading Wikidata or Commons Data is
flagged as not portable.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from wikitools.deps.closure import Closure, DepsSource, Reason, SourcePage, compute_closure
from wikitools.deps.scan import MODEL_PROVIDERS, PROVIDERS, Reference
from wikitools.layout import comparable
from wikitools.titles import MAIN, MODULE, Namespaces

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class TargetPage:
    """What the target holds under a title."""

    title: str
    sha1: str
    text: str | None = None
    model: str | None = None


@dataclass(frozen=True, slots=True)
class SiteFeatures:
    """What a wiki can render: from ``siteinfo`` and ``paraminfo``."""

    extensions: frozenset[str] = frozenset()
    tags: frozenset[str] = frozenset()
    """Extension tags, without the angle brackets (``ref``, ``templatestyles``)."""
    functions: frozenset[str] = frozenset()
    """Parser function hooks (``if``, ``invoke``, ``len``)."""
    models: frozenset[str] = frozenset()
    """Content models a page can be saved with (``action=edit&contentmodel=``)."""
    known: bool = True
    """False when the wiki could not say (then nothing is reported as lacking)."""


class DepsTarget(Protocol):
    """The wiki the pages go to (read side)."""

    name: str
    namespaces: Namespaces

    def read(self, titles: Sequence[str]) -> Mapping[str, TargetPage]:
        """Each title that exists, with its content hash (and text for diffs)."""
        ...

    def features(self) -> SiteFeatures:
        """What the target can render and store."""
        ...


class EntryStatus(enum.Enum):
    """What the plan does with one page."""

    NEW = "new"
    IDENTICAL = "identical"
    DIFFERS = "differs"
    BLOCKED = "blocked"
    KEPT = "kept"
    """A seed the target has its own text of: it is where the page lives, left as it is."""


@dataclass(frozen=True, slots=True)
class PlanEntry:
    """One page of the plan."""

    title: str
    """The title on the source."""
    target_title: str
    status: EntryStatus
    page: SourcePage
    reasons: tuple[Reason, ...] = ()
    target_text: str | None = None
    blocked_by: tuple[str, ...] = ()
    seed: bool = False

    def line(self) -> str:
        """``new: Module:Footnotes (needed by Template:Sfn (#invoke))``."""
        why = ", ".join(r.describe() for r in self.reasons[:3])
        more = f" and {len(self.reasons) - 3} more" if len(self.reasons) > 3 else ""
        text = f"{self.status.value}: {self.target_title}"
        if self.seed:
            text += " (seed)"
        elif why:
            text += f" (needed by {why}{more})"
        if self.blocked_by:
            text += f"; blocked: the target lacks {', '.join(self.blocked_by)}"
        if self.status is EntryStatus.DIFFERS:
            text += "; the target has its own version: kept, not overwritten"
        elif self.status is EntryStatus.KEPT:
            text += "; the target's own text stays"
        return text


@dataclass(frozen=True, slots=True)
class Prerequisite:
    """Something the closure needs that the target lacks, and what fails without it."""

    feature: str
    provider: str
    pages: tuple[str, ...]
    seeds: tuple[str, ...]

    def line(self) -> str:
        """One line for the report."""
        pages = ", ".join(self.pages[:5]) + (" ..." if len(self.pages) > 5 else "")
        seeds = f"; seeds affected: {', '.join(self.seeds)}" if self.seeds else ""
        return f"missing on target: {self.feature} ({self.provider}); will fail: {pages}{seeds}"


@dataclass
class Plan:
    """The closure and what to do with each page on the target."""

    source: str
    target: str
    closure: Closure
    entries: list[PlanEntry] = field(default_factory=list)
    prerequisites: list[Prerequisite] = field(default_factory=list)
    not_portable: list[str] = field(default_factory=list)

    def by_status(self, status: EntryStatus) -> list[PlanEntry]:
        """Entries with ``status``."""
        return [e for e in self.entries if e.status is status]

    @property
    def to_import(self) -> list[PlanEntry]:
        """The new pages (blocked ones excluded)."""
        return self.by_status(EntryStatus.NEW)

    def counts(self) -> dict[str, int]:
        """Pages per status."""
        return {s.value: len(self.by_status(s)) for s in EntryStatus}

    def warnings(self) -> list[str]:
        """Dynamic names, pages missing on the source too, skipped pages, foreign data."""
        out = [f"{t}: not on the source" for t in self.closure.seeds if t not in self.closure.pages]
        out.extend(d.describe() for d in self.closure.dynamic)
        for title, reasons in self.closure.missing.items():
            by = ", ".join(r.describe() for r in reasons[:3]) or "a seed"
            out.append(f"{title}: missing on the source too (needed by {by})")
        for title in self.closure.skipped:
            out.append(f"{title}: skipped (doc/sandbox/testcases; --include-doc takes it)")
        out.extend(f"not portable: {item}" for item in self.not_portable)
        return out

    @property
    def attention(self) -> bool:
        """True when something needs a person: lacking prerequisites, local versions."""
        return bool(
            self.prerequisites
            or self.by_status(EntryStatus.DIFFERS)
            or self.by_status(EntryStatus.BLOCKED)
            or self.not_portable
        )

    def to_dict(self) -> dict[str, Any]:
        """The plan as JSON-ready data."""
        return {
            "source": self.source,
            "target": self.target,
            "seeds": list(self.closure.seeds),
            "counts": self.counts(),
            "pages": [
                {
                    "title": e.target_title,
                    "source_title": e.title,
                    "status": e.status.value,
                    "model": e.page.model,
                    "sha1": e.page.sha1,
                    "source_revid": e.page.revid,
                    "seed": e.seed,
                    "needed_by": [r.describe() for r in e.reasons],
                    "blocked_by": list(e.blocked_by),
                }
                for e in self.entries
            ],
            "prerequisites": [
                {
                    "feature": p.feature,
                    "provider": p.provider,
                    "pages": list(p.pages),
                    "seeds": list(p.seeds),
                }
                for p in self.prerequisites
            ],
            "not_portable": list(self.not_portable),
            "warnings": self.warnings(),
        }


def map_title(title: str, source: Namespaces, target: Namespaces) -> str:
    """A source title in the target's namespace names (``Vorlage:X`` → ``Template:X``)."""
    ns_id, name = source.split(title)
    prefix = target.prefix_of(ns_id)
    return f"{prefix}:{name}" if prefix else name


def same_content(page: SourcePage, target: TargetPage) -> bool:
    """Identical by hash, or by text as MediaWiki stores it (line ends, trailing space)."""
    if page.sha1 == target.sha1:
        return True
    return target.text is not None and comparable(target.text) == comparable(page.text)


def _requirements(
    closure: Closure, features: SiteFeatures
) -> tuple[dict[str, tuple[str, list[str]]], dict[str, list[str]]]:
    """(feature label → (provider, pages)), (page → lacking model labels)."""
    lacking: dict[str, tuple[str, list[str]]] = {}
    blocked: dict[str, list[str]] = {}

    def need(label: str, provider: str, page: str) -> None:
        pages = lacking.setdefault(label, (provider, []))[1]
        if page not in pages:
            pages.append(page)

    for title, page in closure.pages.items():
        if features.models and page.model not in features.models:
            label = f"the content model {page.model!r}"
            need(label, MODEL_PROVIDERS.get(page.model, "an extension"), title)
            blocked.setdefault(title, []).append(label)
        scan = closure.scans.get(title)
        if scan is None:
            continue
        for item in scan.foreign:
            extension = "WikibaseClient" if "Wikidata" in item else "JsonConfig"
            if extension not in features.extensions:
                label = "Wikidata access" if extension == "WikibaseClient" else "Commons Data"
                need(f"{label} ({item.split(': ', 1)[1]})", extension, title)
        for function in sorted(scan.functions - features.functions):
            need(f"the parser function #{function}", PROVIDERS.get(function, "an extension"), title)
        for tag in sorted(scan.tags - features.tags):
            need(f"the <{tag}> tag", PROVIDERS.get(f"<{tag}>", "an extension"), title)
    return lacking, blocked


def make_plan(
    source: DepsSource,
    target: DepsTarget,
    seeds: Iterable[str],
    *,
    include_partial: bool = False,
) -> Plan:
    """Compute the closure of ``seeds`` on ``source`` and compare it with ``target``."""
    wanted = [source.namespaces.normalize(t) for t in seeds]
    seed_on_target = target.read(
        [map_title(t, source.namespaces, target.namespaces) for t in wanted]
    )
    extra: dict[str, tuple[str, str]] = {}
    for title in wanted:
        there = seed_on_target.get(map_title(title, source.namespaces, target.namespaces))
        if there is not None and there.text is not None:
            extra[title] = (there.text, there.model or "wikitext")
    closure = compute_closure(source, wanted, include_partial=include_partial, extra_texts=extra)
    return plan_closure(closure, source, target)


def plan_closure(closure: Closure, source: DepsSource, target: DepsTarget) -> Plan:
    """Compare a computed closure with the target."""
    plan = Plan(source.name, target.name, closure)
    features = target.features()
    titles = {t: map_title(t, source.namespaces, target.namespaces) for t in closure.pages}
    present = target.read(list(titles.values()))
    lacking, blocked = _requirements(closure, features) if features.known else ({}, {})
    for title, page in closure.pages.items():
        there = present.get(titles[title])
        if title in blocked and there is None:
            status = EntryStatus.BLOCKED
        elif there is None:
            status = EntryStatus.NEW
        elif same_content(page, there):
            status = EntryStatus.IDENTICAL
        elif title in closure.seeds:
            status = EntryStatus.KEPT
        else:
            status = EntryStatus.DIFFERS
        plan.entries.append(
            PlanEntry(
                title,
                titles[title],
                status,
                page,
                tuple(closure.reasons.get(title, ())),
                there.text if there is not None else None,
                tuple(blocked.get(title, ())) if status is EntryStatus.BLOCKED else (),
                seed=title in closure.seeds,
            )
        )
    for label, (provider, needing) in lacking.items():
        seeds: list[str] = []
        for name in needing:
            seeds.extend(s for s in closure.needed_by_seeds(name) if s not in seeds)
        plan.prerequisites.append(Prerequisite(label, provider, tuple(needing), tuple(seeds)))
    for title, scan in closure.scans.items():
        plan.not_portable.extend(f"{title} {item}" for item in scan.foreign)
        plan.not_portable.extend(_foreign_names(title, scan.references, target.namespaces))
    logger.info("plan %s -> %s: %s", source.name, target.name, plan.counts())
    return plan


def _foreign_names(title: str, references: Iterable[Reference], target: Namespaces) -> list[str]:
    """Lua loads whose literal name the target reads as another page (``Modul:X`` on an
    English wiki is ``Module:Modul:X``): the module must be changed there to work."""
    found: list[str] = []
    for ref in references:
        if ref.written is None:
            continue
        parsed = target.parse(ref.written, MAIN)
        if parsed is None or parsed.namespace != MODULE:
            local = target.prefix_of(MODULE)
            found.append(
                f"{title} line {ref.line}: {ref.how}({ref.written!r}) names a namespace the "
                f"target does not know (it calls it {local!r}); change the name there"
            )
    return found
