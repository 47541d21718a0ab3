"""``action=edit``: parameters that prevent overwrites, and the answer as a value."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from wikitools.errors import ApiError, EditFilterError
from wikitools.mediawiki.transport import ParamValue

#: What ``assert=`` checks before the wiki accepts the edit.
Assertion = Literal["user", "bot"]


@dataclass(frozen=True, slots=True)
class EditRequest:
    """A new text for one page and how to save it.

    ``baserevid`` is the revision the text was derived from (``basetimestamp`` its
    timestamp, used only when the id is unknown) and ``starttimestamp`` the server time
    when it was read: MediaWiki then reports an edit conflict instead of overwriting a
    change made since (or a deletion), after trying to merge edits to other lines.
    ``nocreate`` refuses to create a missing page (always on for fixes); ``createonly``
    refuses to overwrite an existing one.
    """

    title: str
    text: str
    summary: str
    basetimestamp: str | None = None
    starttimestamp: str | None = None
    minor: bool = False
    bot: bool = False
    nocreate: bool = False
    createonly: bool = False
    tags: Sequence[str] = ()
    assertion: Assertion | None = None
    baserevid: int | None = None
    contentmodel: str | None = None
    """The content model of a new page (``Scribunto``, ``sanitized-css``); None: the default."""

    def params(self) -> dict[str, ParamValue]:
        """The API parameters of this edit (without the token)."""
        if self.nocreate and self.createonly:
            raise ValueError("nocreate and createonly exclude each other")
        return {
            "action": "edit",
            "title": self.title,
            "text": self.text,
            "summary": self.summary,
            # With an exact base revision, basetimestamp is left out on purpose: MediaWiki
            # (1.39) then treats *any* later revision as a conflict. With basetimestamp it
            # suppresses conflicts it believes are with oneself, and its check compares
            # timestamps with '>', so an edit by someone else in the same second as the
            # base revision is silently overwritten (verified on a 1.39 sandbox).
            "basetimestamp": None if self.baserevid else self.basetimestamp,
            "starttimestamp": self.starttimestamp,
            "baserevid": self.baserevid,
            "minor": self.minor,
            "bot": self.bot,
            "nocreate": self.nocreate,
            "createonly": self.createonly,
            "tags": list(self.tags) or None,
            "assert": self.assertion,
            "contentmodel": self.contentmodel,
            "watchlist": "nochange",
        }


@dataclass(frozen=True, slots=True)
class EditResult:
    """What the wiki did with an edit.

    ``saved`` is False when the text equalled the current one (``nochange``): no
    revision was made and ``revid``/``timestamp`` are None.
    """

    title: str
    saved: bool
    revid: int | None = None
    old_revid: int | None = None
    timestamp: str | None = None
    created: bool = False

    @property
    def nochange(self) -> bool:
        """True when the wiki already held exactly this text."""
        return not self.saved


def edit_result(answer: dict[str, Any], title: str) -> EditResult:
    """Read an ``action=edit`` answer; raise :class:`ApiError` when it did not succeed."""
    edit = answer.get("edit")
    if not isinstance(edit, dict):
        raise ApiError("badresponse", f"{title}: the wiki's answer to the edit had no result")
    if edit.get("result") != "Success":
        detail = {k: v for k, v in edit.items() if k not in ("result", "title")}
        # An extension stopped the save without an API error: a captcha, the spam blacklist.
        code = next((k for k in ("captcha", "spamblacklist", "abusefilter") if k in edit), None)
        raise EditFilterError(
            code or "editfailed",
            f"{title}: the wiki refused the edit ({edit.get('result')}: {detail}); "
            "an extension such as a captcha or abuse filter stopped it",
        )
    if edit.get("nochange"):
        return EditResult(str(edit.get("title", title)), saved=False)
    return EditResult(
        str(edit.get("title", title)),
        saved=True,
        revid=edit.get("newrevid"),
        old_revid=edit.get("oldrevid"),
        timestamp=edit.get("newtimestamp"),
        created=bool(edit.get("new", False)),
    )
