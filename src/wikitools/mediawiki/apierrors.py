"""The one table from MediaWiki's API error codes to wikitools' typed errors.

Two kinds matter to anything that saves pages (:mod:`wikitools.mediawiki.save`):

- a **page-level refusal** (:class:`~wikitools.errors.PageRefusedError`): this page is
  protected, an edit filter or blacklist stopped this text, the page may not be created.
  The page is reported as refused and the run goes on;
- a **run-level fatal error** (:class:`~wikitools.errors.RunFatalError`): the account is
  blocked, the wiki is read-only, the session is lost, the account may not edit at all, the
  wiki stays overloaded. No later edit can succeed, so the run stops at once.

Edit conflicts (:class:`~wikitools.errors.EditConflictError`) are neither: the page is
reported as a conflict and the other edit is kept. Codes not listed are a plain
:class:`~wikitools.errors.ApiError`, which the save path treats as a page-level refusal.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from wikitools.errors import (
    ApiError,
    BlockedError,
    EditConflictError,
    EditFilterError,
    PageRefusedError,
    PermissionDeniedError,
    ProtectedPageError,
    ReadOnlyError,
    RunFatalError,
    SessionLostError,
    WikiBusyError,
)

#: Someone else changed (or deleted) the page since it was read.
CONFLICT_CODES = frozenset({"editconflict", "pagedeleted"})

#: Codes of ``action=edit`` that mean the page changed state since it was read: deleted
#: (``missingtitle`` under ``nocreate``) or created (``articleexists`` under ``createonly``).
#: Only the save path reads them so; other modules use ``missingtitle`` for plain misses.
EDIT_STATE_CODES = frozenset({"missingtitle", "articleexists"})

#: code -> error class. The one place that decides what each code means.
ERROR_CLASSES: Mapping[str, type[ApiError]] = {
    **dict.fromkeys(CONFLICT_CODES, EditConflictError),
    # run-level: blocked
    **dict.fromkeys(("blocked", "autoblocked", "abusefilter-blocked"), BlockedError),
    # run-level: read-only wiki
    **dict.fromkeys(("readonly",), ReadOnlyError),
    # run-level: the session is gone (after wikitools tried to log in again)
    **dict.fromkeys(
        (
            "assertuserfailed",
            "assertbotfailed",
            "assertnameduserfailed",
            "notloggedin",
            "mustbeloggedin",
        ),
        SessionLostError,
    ),
    # run-level: the account may not edit at all
    **dict.fromkeys(
        (
            "permissiondenied",
            "writeapidenied",
            "noapiwrite",
            "noedit",
            "noedit-anon",
            "mwoauth-invalid-authorization",
        ),
        PermissionDeniedError,
    ),
    # run-level: the wiki stayed overloaded through every retry
    **dict.fromkeys(("maxlag", "ratelimited", "actionthrottledtext"), WikiBusyError),
    # page-level: protection
    **dict.fromkeys(
        (
            "protectedpage",
            "cascadeprotected",
            "protectedtitle",
            "protectednamespace",
            "protectednamespace-interface",
            "customcssprotected",
            "customjsprotected",
            "customjsonprotected",
            "sitecssprotected",
            "sitejsprotected",
            "sitejsonprotected",
        ),
        ProtectedPageError,
    ),
    # page-level: filters and blacklists
    **dict.fromkeys(
        (
            "abusefilter-disallowed",
            "abusefilter-warning",
            "spamblacklist",
            "spamprotectiontext",
            "titleblacklist-forbidden",
            "titleblacklist-forbidden-edit",
            "captcha",
            "hookaborted",
        ),
        EditFilterError,
    ),
    # page-level: this page cannot take this edit
    **dict.fromkeys(
        (
            "contenttoobig",
            "cantcreate",
            "cantcreate-anon",
            "pagecannotexist",
            "invalidtitle",
            "noimageredirect",
            "noimageredirect-anon",
        ),
        PageRefusedError,
    ),
}

#: Every code that stops a whole run (for code that holds only a code, e.g. the verifier).
RUN_FATAL_CODES = frozenset(
    {"badtoken"} | {code for code, cls in ERROR_CLASSES.items() if issubclass(cls, RunFatalError)}
)

_ADVICE: Mapping[type[ApiError], str] = {
    BlockedError: "the account is blocked; no edit can be saved until the block ends",
    ReadOnlyError: "the wiki is read-only; try again when it is writable",
    SessionLostError: "the login was lost; log in again and rerun",
    PermissionDeniedError: "the account may not edit here; check its rights and bot grants",
    WikiBusyError: "the wiki stays overloaded; try again later or with a higher --maxlag",
}


def api_error(code: str, info: str = "", details: Mapping[str, Any] | None = None) -> ApiError:
    """The typed error for an API error ``code`` (``details``: the API's whole error object).

    A partial block (``blockinfo.blockpartial``) blocks only some pages: it is a page-level
    refusal, not a fatal error.
    """
    cls = ERROR_CLASSES.get(code, ApiError)
    if cls is BlockedError and _partial_block(details):
        cls = ProtectedPageError
        info = f"{info} (a partial block: this page only)" if info else "a partial block"
    reason = details.get("readonlyreason") if details else None
    if reason and str(reason) not in info:
        info = f"{info} (reason: {reason})" if info else f"reason: {reason}"
    advice = _ADVICE.get(cls)
    if advice is not None:
        info = f"{info}; {advice}" if info else advice
    return cls(code, info)


def _partial_block(details: Mapping[str, Any] | None) -> bool:
    if not details:
        return False
    blockinfo = details.get("blockinfo")
    return isinstance(blockinfo, Mapping) and bool(blockinfo.get("blockpartial"))
