"""The save policy's own decisions (no wiki needed) and the one table of API error codes."""

from __future__ import annotations

import pytest

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
)
from wikitools.mediawiki.apierrors import RUN_FATAL_CODES, api_error
from wikitools.mediawiki.edit import EditRequest, EditResult
from wikitools.mediawiki.save import (
    BaseRevision,
    SavePolicy,
    SaveStatus,
    check_edit,
    edit_request,
    save_page,
)

PAGE = BaseRevision("Page", "Some text of a page.\nA second line.", 7, "2024-01-01T00:00:00Z")
MISSING = BaseRevision("New page", None, read_at="2024-01-02T00:00:00Z")


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("blocked", BlockedError),
        ("autoblocked", BlockedError),
        ("readonly", ReadOnlyError),
        ("assertuserfailed", SessionLostError),
        ("assertbotfailed", SessionLostError),
        ("writeapidenied", PermissionDeniedError),
        ("protectedpage", ProtectedPageError),
        ("cascadeprotected", ProtectedPageError),
        ("abusefilter-disallowed", EditFilterError),
        ("spamblacklist", EditFilterError),
        ("contenttoobig", PageRefusedError),
        ("editconflict", EditConflictError),
        ("somethingnew", ApiError),
    ],
)
def test_each_code_has_one_typed_error(code: str, kind: type[ApiError]) -> None:
    error = api_error(code, "info")
    assert type(error) is kind
    assert error.code == code
    assert isinstance(error, RunFatalError) == (code in RUN_FATAL_CODES)


def test_run_level_and_page_level_errors_do_not_overlap() -> None:
    fatal = api_error("blocked", "You have been blocked.")
    assert isinstance(fatal, RunFatalError) and not isinstance(fatal, PageRefusedError)
    assert "the account is blocked" in str(fatal)
    page = api_error("protectedpage", "This page has been protected.")
    assert isinstance(page, PageRefusedError) and not isinstance(page, RunFatalError)


def test_a_partial_block_refuses_the_page_only() -> None:
    partial = api_error("blocked", "Blocked from this page.", {"blockinfo": {"blockpartial": True}})
    assert isinstance(partial, PageRefusedError) and not isinstance(partial, RunFatalError)


def test_read_only_keeps_the_wikis_reason() -> None:
    error = api_error("readonly", "The wiki is read-only.", {"readonlyreason": "Upgrade"})
    assert "Upgrade" in str(error) and isinstance(error, ReadOnlyError)


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Some text of a page.\nA second line.", SaveStatus.UNCHANGED),
        ("Some text of a page.\r\nA second line.\n\n", SaveStatus.UNCHANGED),
        ("", SaveStatus.REFUSED),
        (" \n", SaveStatus.REFUSED),
        ("Some text.", SaveStatus.REFUSED),
        ("Some text of a page.", None),
        ("Some text of a page, longer now.\nA second line.", None),
    ],
)
def test_the_policy_settles_unchanged_and_blanking(text: str, status: SaveStatus | None) -> None:
    settled = check_edit(PAGE, text, SavePolicy(apply=True))
    assert (settled.status if settled else None) is status


def test_blanking_and_creation_need_explicit_options() -> None:
    assert check_edit(PAGE, "", SavePolicy(allow_blanking=True)) is None
    skipped = check_edit(MISSING, "New.", SavePolicy(apply=True))
    assert skipped is not None and skipped.status is SaveStatus.SKIPPED
    assert "--create" in skipped.reason
    assert check_edit(MISSING, "New.", SavePolicy(create=True)) is None


def test_existing_pages_use_nocreate_and_the_base_new_ones_createonly() -> None:
    update = edit_request(PAGE, "x", "s", SavePolicy())
    assert (update.nocreate, update.createonly, update.baserevid) == (True, False, 7)
    create = edit_request(MISSING, "x", "s", SavePolicy(create=True))
    assert (create.nocreate, create.createonly, create.baserevid) == (False, True, None)
    assert create.starttimestamp == "2024-01-02T00:00:00Z"


class _Refusing:
    """A sink whose every write fails with one error (for faults no test wiki can make)."""

    def __init__(self, error: ApiError) -> None:
        self.error = error
        self.sent: list[EditRequest] = []

    def read(self, titles: object) -> dict[str, BaseRevision]:
        return {}

    def submit(self, request: EditRequest) -> EditResult:
        self.sent.append(request)
        raise self.error


def test_a_dry_run_sends_nothing_and_needs_no_summary() -> None:
    sink = _Refusing(api_error("blocked"))
    result = save_page(sink, PAGE, "Other text of a page.", summary="", policy=SavePolicy())
    assert result.status is SaveStatus.WOULD_SAVE and sink.sent == []


def test_an_edit_filter_refuses_the_page_and_a_block_raises() -> None:
    policy = SavePolicy(apply=True)
    text = "Other text of a page."
    filtered = _Refusing(api_error("abusefilter-disallowed", "Disallowed by filter 3"))
    result = save_page(filtered, PAGE, text, summary="s", policy=policy)
    assert (result.status, result.code) == (SaveStatus.REFUSED, "abusefilter-disallowed")
    with pytest.raises(BlockedError):
        save_page(_Refusing(api_error("blocked")), PAGE, text, summary="s", policy=policy)
    gone = save_page(_Refusing(ApiError("missingtitle")), PAGE, text, summary="s", policy=policy)
    assert gone.status is SaveStatus.CONFLICT and "deleted" in gone.reason
