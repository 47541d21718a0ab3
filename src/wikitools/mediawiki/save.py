"""The one save path: every write of a page to a wiki goes through :func:`save_page`.

``push``, ``fix --wiki``, ``infobox install`` and the pywikibot adapter all save this way,
with one policy:

- **against the revision read**: the edit carries ``baserevid`` (``basetimestamp`` when the
  id is unknown) and ``starttimestamp``, so an edit made since is reported as a *conflict*
  and never overwritten; a page deleted since is a conflict too;
- **no edit made twice**: when the page already holds the new text (as MediaWiki stores it:
  LF line endings, no trailing whitespace) nothing is sent and the page is *unchanged*;
  existing pages are saved with ``nocreate`` and new ones with ``createonly``, and a page
  is created only when the policy says ``create``;
- **never blank a page**: an edit that empties a non-empty page, or removes more than
  :data:`MAX_REMOVED_SHARE` of it, is *refused* unless the policy says ``allow_blanking``;
- **page-level refusals** of the wiki (protection, edit filters) refuse that page; **run-level
  fatal errors** (:class:`~wikitools.errors.RunFatalError`: blocked, read-only, session lost,
  no right to edit) are raised, so the whole run stops at the first one;
- **dry run** unless the policy says ``apply``;
- **pace and budget** (bot runs): an :class:`EditBudget` caps the saves of a run exactly
  (only real new revisions count), a :class:`~wikitools.mediawiki.throttle.Throttle` keeps
  the pace between saves (shared by every process saving to the same wiki), and a
  :class:`SaveGate` runs right before each edit is sent (the stop checks and the journal's
  *intent* record of :mod:`wikitools.bot.botrun`).

The outcome is a value (:class:`SaveResult`). Where the pages come from and go to is a
:class:`PageSink`: :class:`WikiSink` over :class:`~wikitools.mediawiki.Wiki`, or the
pywikibot sink in :mod:`wikitools.bot.pywikibot_adapter`.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Protocol

from wikitools.errors import (
    ApiError,
    EditConflictError,
    InputError,
    LoginError,
    PageRefusedError,
    RunFatalError,
)
from wikitools.layout import comparable
from wikitools.mediawiki.apierrors import EDIT_STATE_CODES
from wikitools.mediawiki.edit import EditRequest, EditResult

if TYPE_CHECKING:
    from wikitools.mediawiki.pages import Page
    from wikitools.mediawiki.throttle import Throttle
    from wikitools.mediawiki.wiki import Wiki

#: Edits are marked minor only when asked (``--minor``), for every command that saves.
DEFAULT_MINOR = False

#: An edit that removes more than this share of a page's text is refused as blanking.
MAX_REMOVED_SHARE = 0.5


class SaveStatus(enum.Enum):
    """What :func:`save_page` did with one page."""

    SAVED = "saved"
    """A new revision was saved (or the page created)."""
    WOULD_SAVE = "would save"
    """Dry run: it would be saved."""
    UNCHANGED = "unchanged"
    """The wiki already holds this text; nothing was sent."""
    CONFLICT = "conflict"
    """Someone else edited, deleted or created the page since it was read; theirs was kept."""
    REFUSED = "refused"
    """Not saved: the policy (blanking) or the wiki (protection, a filter) refused it."""
    SKIPPED = "skipped"
    """Not attempted (a new page without ``create``)."""


@dataclass(frozen=True, slots=True)
class BaseRevision:
    """The revision an edit is made against, as it was read (``text`` None: no such page).

    ``timestamp`` is the revision's timestamp, ``read_at`` the server time of the read
    (the edit's ``starttimestamp``).
    """

    title: str
    text: str | None
    revid: int | None = None
    timestamp: str | None = None
    read_at: str | None = None
    pageid: int | None = None

    @property
    def exists(self) -> bool:
        """True when the page existed at the read."""
        return self.text is not None

    @classmethod
    def of(cls, page: Page) -> BaseRevision:
        """The base of a page read with :meth:`Wiki.read_pages`."""
        return cls(
            page.title,
            page.text if page.exists and page.invalid is None else None,
            page.revid,
            page.timestamp,
            page.read_at,
            page.pageid,
        )


class EditBudget:
    """At most ``limit`` saved revisions (``--limit``); only real new revisions count.

    Edits that change nothing, conflicts and refusals cost nothing, so a run with
    ``limit`` 3 makes exactly 3 edits when it has 3 pages to fix.
    """

    def __init__(self, limit: int) -> None:
        if limit < 0:
            raise InputError("the edit limit must be 0 or more")
        self.limit = limit
        self.spent = 0

    @property
    def exhausted(self) -> bool:
        """True once ``limit`` edits were saved."""
        return self.spent >= self.limit

    def spend(self) -> None:
        """Count one saved revision."""
        self.spent += 1


class SaveGate(Protocol):
    """Called by :func:`save_page` right before an edit is sent, and after it was saved."""

    def before_submit(self, base: BaseRevision, text: str, summary: str) -> None:
        """Last word before the edit goes out: raise (e.g. a stop) to prevent it."""
        ...

    def after_submit(self, base: BaseRevision, result: SaveResult) -> None:
        """The edit was sent and answered (saved, or no change)."""
        ...


@dataclass(frozen=True, slots=True)
class SavePolicy:
    """How pages are saved; the same defaults for every command."""

    apply: bool = False
    """Really save; otherwise a dry run."""
    minor: bool = DEFAULT_MINOR
    bot: bool = False
    tags: tuple[str, ...] = ()
    create: bool = False
    """Create pages that do not exist (with ``createonly``)."""
    allow_blanking: bool = False
    """Allow edits that empty a page or remove most of it."""
    budget: EditBudget | None = None
    """Stop saving once this many edits were made (None: no limit)."""
    throttle: Throttle | None = None
    """Wait between saves (None: no wait)."""
    gate: SaveGate | None = None
    """Checks and records right before each edit is sent (None: none)."""


@dataclass(frozen=True, slots=True)
class SaveResult:
    """The outcome of one page: its status, why, and the texts before and after."""

    title: str
    status: SaveStatus
    reason: str = ""
    code: str | None = None
    """The API's error code of a conflict or refusal by the wiki."""
    revid: int | None = None
    timestamp: str | None = None
    created: bool = False
    old_text: str | None = None
    new_text: str | None = None

    @property
    def written(self) -> bool:
        """True when a revision was saved."""
        return self.status is SaveStatus.SAVED


class PageSink(Protocol):
    """Where pages are read from and saved to (a wiki, through some client)."""

    def read(self, titles: Sequence[str]) -> Mapping[str, BaseRevision]:
        """The current revision of each title (keyed by the title as given)."""
        ...

    def submit(self, request: EditRequest) -> EditResult:
        """Send one edit; raise the typed errors of :mod:`wikitools.mediawiki.apierrors`."""
        ...


class WikiSink:
    """The native :class:`PageSink` over :class:`~wikitools.mediawiki.Wiki` (batched reads)."""

    def __init__(self, wiki: Wiki) -> None:
        self.wiki = wiki

    def read(self, titles: Sequence[str]) -> dict[str, BaseRevision]:
        """Current revisions, :attr:`Wiki.batch_size` titles a request."""
        return {page.requested: BaseRevision.of(page) for page in self.wiki.read_pages(titles)}

    def submit(self, request: EditRequest) -> EditResult:
        """:meth:`Wiki.submit`."""
        return self.wiki.submit(request)


def check_edit(base: BaseRevision, text: str, policy: SavePolicy) -> SaveResult | None:
    """The outcome of an edit the policy settles without the wiki, or None to go on."""
    title = base.title
    new = comparable(text)
    if not base.exists:
        if not policy.create:
            return SaveResult(
                title,
                SaveStatus.SKIPPED,
                "a new page; creating pages needs the create option (--create)",
                new_text=text,
            )
        if not new:
            return SaveResult(title, SaveStatus.REFUSED, "would create an empty page")
        return None
    assert base.text is not None
    old = comparable(base.text)
    if old == new:
        return SaveResult(
            title, SaveStatus.UNCHANGED, "the wiki already has this text", old_text=base.text
        )
    if policy.allow_blanking or not old:
        return None
    if not new:
        return SaveResult(
            title,
            SaveStatus.REFUSED,
            "would blank the page (allow it explicitly to save)",
            old_text=base.text,
            new_text=text,
        )
    removed = 1 - len(new) / len(old)
    if removed > MAX_REMOVED_SHARE:
        return SaveResult(
            title,
            SaveStatus.REFUSED,
            f"would remove {removed:.0%} of the page ({len(old)} -> {len(new)} characters; "
            "allow blanking explicitly to save)",
            old_text=base.text,
            new_text=text,
        )
    return None


def edit_request(base: BaseRevision, text: str, summary: str, policy: SavePolicy) -> EditRequest:
    """The API edit of ``text`` against ``base``: ``nocreate`` and the base, or ``createonly``."""
    exists = base.exists
    return EditRequest(
        title=base.title,
        text=text,
        summary=summary,
        basetimestamp=base.timestamp if exists else None,
        starttimestamp=base.read_at,
        baserevid=base.revid if exists else None,
        minor=policy.minor,
        bot=policy.bot,
        nocreate=exists,
        createonly=not exists,
        tags=policy.tags,
    )


def save_page(
    sink: PageSink, base: BaseRevision, text: str, *, summary: str, policy: SavePolicy
) -> SaveResult:
    """Save ``text`` as ``base.title`` under the one policy (see the module docs).

    Raises :class:`~wikitools.errors.RunFatalError` or a failed re-login (the run must stop) and
    :class:`~wikitools.errors.InputError` when saving without a summary.
    """
    settled = check_edit(base, text, policy)
    if settled is not None:
        return settled
    title = base.title
    if not policy.apply:
        return SaveResult(title, SaveStatus.WOULD_SAVE, old_text=base.text, new_text=text)
    if not summary.strip():
        raise InputError("an edit summary is required to save (--summary)")
    if policy.budget is not None and policy.budget.exhausted:
        return SaveResult(
            title,
            SaveStatus.SKIPPED,
            f"the edit limit ({policy.budget.limit}) is reached",
            old_text=base.text,
            new_text=text,
        )
    if policy.throttle is not None:
        policy.throttle.wait()
    if policy.gate is not None:
        policy.gate.before_submit(base, text, summary)
    try:
        result = sink.submit(edit_request(base, text, summary, policy))
    except (RunFatalError, LoginError):
        raise  # no later edit can succeed (a lost session that cannot log in again, too)
    except EditConflictError as exc:
        what = "deleted" if exc.code == "pagedeleted" else "edited"
        return _conflict(base, text, exc.code, f"{what} on the wiki meanwhile")
    except PageRefusedError as exc:
        return _refused(base, text, exc)
    except ApiError as exc:
        if exc.code in EDIT_STATE_CODES:
            what = "deleted" if exc.code == "missingtitle" else "created"
            return _conflict(base, text, exc.code, f"{what} on the wiki meanwhile")
        return _refused(base, text, exc)
    if not result.saved:
        saved = SaveResult(
            title, SaveStatus.UNCHANGED, "the wiki already has this text", old_text=base.text
        )
    else:
        if policy.budget is not None:
            policy.budget.spend()
        saved = SaveResult(
            result.title or title,
            SaveStatus.SAVED,
            revid=result.revid,
            timestamp=result.timestamp,
            created=result.created,
            old_text=base.text,
            new_text=text,
        )
    if policy.gate is not None:
        policy.gate.after_submit(base, saved)
    return saved


def save_pages(
    sink: PageSink,
    pages: Iterable[tuple[str, str]],
    *,
    summary: str,
    policy: SavePolicy,
    bases: Mapping[str, BaseRevision] | None = None,
) -> Iterator[SaveResult]:
    """:func:`save_page` for each ``(title, text)``, reading the current revisions first.

    ``bases`` may hold revisions already read (the rest is read in one batched pass). The
    first run-level fatal error stops the iteration; results so far have been yielded.
    """
    wanted = list(pages)
    known = dict(bases or {})
    missing = [title for title, _ in wanted if title not in known]
    if missing:
        known.update(sink.read(missing))
    for title, text in wanted:
        base = known.get(title) or BaseRevision(title, None)
        yield save_page(sink, base, text, summary=summary, policy=policy)


def _conflict(base: BaseRevision, text: str, code: str, what: str) -> SaveResult:
    return SaveResult(
        base.title,
        SaveStatus.CONFLICT,
        f"{what} ({code}); their edit was kept",
        code=code,
        old_text=base.text,
        new_text=text,
    )


def _refused(base: BaseRevision, text: str, exc: ApiError) -> SaveResult:
    return SaveResult(
        base.title,
        SaveStatus.REFUSED,
        f"the wiki refused the edit ({exc})",
        code=exc.code,
        old_text=base.text,
        new_text=text,
    )


def with_reason(result: SaveResult, reason: str) -> SaveResult:
    """``result`` with another reason (callers word conflicts in their own terms)."""
    return replace(result, reason=reason)
