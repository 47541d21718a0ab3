"""The pywikibot adapter against a real wiki: same fixes, same conflict safety."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

# pywikibot would look for a user-config.py at import time; tell it there is none.
os.environ.setdefault("PYWIKIBOT_NO_USER_CONFIG", "2")
# ...and keep its caches, cookies and throttle file out of the working tree.
os.environ.setdefault("PYWIKIBOT_DIR", tempfile.mkdtemp(prefix="wikitools-pywikibot-"))

import pywikibot
from livewiki import BotAccount
from pywikibot import config, family

from wikitools.bot.outcome import Status
from wikitools.bot.pipeline import FixOptions
from wikitools.bot.pywikibot_adapter import (
    PywikibotSiteContext,
    fix_page,
    fix_pages,
)
from wikitools.errors import RunFatalError
from wikitools.lint.fixloop import FixResult
from wikitools.mediawiki import Wiki
from wikitools.site.context import PageInfo, SiteContext


@pytest.fixture(scope="session")
def pwb_site(sandbox_wiki: Any, bot: BotAccount, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A logged-in pywikibot site for the sandbox wiki (a programmatic Family)."""
    host = sandbox_wiki.api_url.split("//", 1)[1].split("/", 1)[0]

    class SandboxFamily(family.Family):  # type: ignore[misc]
        name = "wikitoolssandbox"
        langs = {"en": host}  # noqa: RUF012

        def scriptpath(self, code: str) -> str:
            return ""

        def protocol(self, code: str) -> str:
            return "http"

    user, appid = bot.credentials.username.split("@", 1)
    home: Path = tmp_path_factory.mktemp("pwb")
    # Cookies, throttle files and caches go here, not into the working directory.
    config.base_dir = str(home)
    passwords = home / "passwords"
    passwords.write_text(f"({user!r}, BotPassword({appid!r}, {bot.credentials.password!r}))\n")
    passwords.chmod(0o600)
    config.usernames["wikitoolssandbox"]["en"] = user
    config.password_file = str(passwords)
    config.put_throttle = 0
    site = pywikibot.Site("en", SandboxFamily())
    site.login()
    assert site.user() == user
    return site


def test_dry_run_apply_and_unchanged(
    pwb_site: Any, client: Wiki, unique: Callable[[str], str]
) -> None:
    broken, clean = unique("Pwb broken"), unique("Pwb clean")
    client.edit(broken, "Text.}}\nMore.", summary="setup")
    client.edit(clean, "Clean text.", summary="setup")
    clean_revid = client.read_page(clean).revid

    dry = fix_page(pywikibot.Page(pwb_site, broken))
    assert dry.status is Status.WOULD_CHANGE
    assert dry.new_text == "Text.\nMore." and dry.fixes == ("B101",)
    assert client.read_page(broken).text == "Text.}}\nMore."

    outcomes = list(
        fix_pages(
            [pywikibot.Page(pwb_site, broken), pywikibot.Page(pwb_site, clean)],
            FixOptions(apply=True, summary="pywikibot run"),
        )
    )
    assert [o.status for o in outcomes] == [Status.CHANGED, Status.UNCHANGED]
    assert client.read_page(broken).text == "Text.\nMore."
    assert client.read_page(clean).revid == clean_revid
    missing = fix_page(pywikibot.Page(pwb_site, unique("Pwb missing")))
    assert (missing.status, missing.reason) == (Status.SKIPPED, "the page does not exist")


def test_conflict_is_rebased_and_the_other_edit_survives(
    pwb_site: Any, client: Wiki, other_editor: Wiki, unique: Callable[[str], str]
) -> None:
    title = unique("Pwb busy")
    client.edit(title, "Intro.}}\nEnd.", summary="setup")
    page = pywikibot.Page(pwb_site, title)
    page.get()  # the bot has read the page...
    other_editor.edit(title, "Intro, theirs.}}\nEnd.", summary="x")  # ...someone edits it
    outcome = fix_page(page, FixOptions(apply=True))
    assert outcome.status is Status.CHANGED
    assert outcome.rebased
    assert client.read_page(title).text == "Intro, theirs.\nEnd."


def test_site_context_batches_existence_and_redirects(
    pwb_site: Any, client: Wiki, unique: Callable[[str], str]
) -> None:
    name = unique("Pwb icon")
    client.edit(f"Template:{name}", "icon", summary="setup")
    client.edit(f"Template:{name} alias", f"#REDIRECT [[Template:{name}]]", summary="setup")
    context = PywikibotSiteContext(pwb_site)
    t = f"Template:{name}"
    assert context.page_info([t, f"{t} alias", f"{t} gone"]) == {
        t: PageInfo(t, True),
        f"{t} alias": PageInfo(f"{t} alias", True, t),
        f"{t} gone": PageInfo(f"{t} gone", False),
    }
    assert context.texts([t, f"{t} gone"]) == {t: "icon", f"{t} gone": None}
    assert context.requests == 2


def test_the_save_policy_holds_through_pywikibot(
    pwb_site: Any, client: Wiki, unique: Callable[[str], str]
) -> None:
    def blank(text: str, title: str, site: SiteContext) -> FixResult:
        return FixResult(original=text, text="")

    title = unique("Pwb blank")
    client.edit(title, "A page with text.", summary="setup")
    outcome = fix_page(pywikibot.Page(pwb_site, title), FixOptions(apply=True), fixer=blank)
    assert outcome.status is Status.REFUSED
    assert "would blank the page" in outcome.reason
    assert client.read_page(title).text == "A page with text."


def test_a_read_only_wiki_stops_a_pywikibot_run(
    pwb_site: Any, sandbox_wiki: Any, client: Wiki, unique: Callable[[str], str]
) -> None:
    titles = [unique("Pwb read only"), unique("Pwb read only")]
    for title in titles:
        client.edit(title, "Text.}}", summary="setup")
    pages = [pywikibot.Page(pwb_site, title) for title in titles]
    for page in pages:
        page.get()
    retries = (config.max_retries, config.retry_wait, config.retry_max)
    config.max_retries, config.retry_wait, config.retry_max = 1, 0, 0
    sandbox_wiki.configure("$wgReadOnly = 'Maintenance for a pywikibot test';")
    try:
        with pytest.raises(RunFatalError):
            list(fix_pages(pages, FixOptions(apply=True)))
    finally:
        sandbox_wiki.configure("")
        config.max_retries, config.retry_wait, config.retry_max = retries
    for title in titles:
        assert client.read_page(title).text == "Text.}}"


def test_pywikibot_api_errors_get_the_same_types(pwb_site: Any) -> None:
    from pywikibot.exceptions import APIError, Error, OtherPageSaveError

    from wikitools.bot.pywikibot_adapter import _typed
    from wikitools.errors import BlockedError, ProtectedPageError

    page = pywikibot.Page(pwb_site, "Some page")
    blocked = APIError("blocked", "You are blocked.")
    assert isinstance(_typed(blocked), BlockedError)
    assert isinstance(_typed(OtherPageSaveError(page, blocked)), BlockedError)
    assert isinstance(_typed(APIError("protectedpage", "Protected.")), ProtectedPageError)
    try:  # pywikibot words some codes as a plain Error raised from the API's error
        try:
            raise APIError("writeapidenied", "No.")
        except APIError:
            raise Error("User X is not authorized to edit on Y wiki") from None
    except Error as exc:
        typed = _typed(exc)
    assert typed.code == "writeapidenied" and isinstance(typed, RunFatalError)


def test_simulate_is_a_dry_run_even_with_apply(
    pwb_site: Any, client: Wiki, unique: Callable[[str], str]
) -> None:
    """pywikibot's -simulate (config.simulate): nothing is sent, and the page is reported
    as would change, never as changed (pywikibot would answer a blocked save as success)."""
    title = unique("Pwb simulate")
    client.edit(title, "Text.}}", summary="setup")
    revid = client.read_page(title).revid
    config.simulate = True
    try:
        outcome = fix_page(pywikibot.Page(pwb_site, title), FixOptions(apply=True))
    finally:
        config.simulate = False
    assert outcome.status is Status.WOULD_CHANGE
    assert outcome.new_text == "Text." and outcome.revid is None
    assert client.read_page(title).revid == revid


def test_nobots_pages_are_skipped_before_saving(
    pwb_site: Any, client: Wiki, unique: Callable[[str], str]
) -> None:
    title = unique("Pwb nobots")
    client.edit(title, "Text.}}\n{{nobots}}", summary="setup")
    revid = client.read_page(title).revid
    outcome = fix_page(pywikibot.Page(pwb_site, title), FixOptions(apply=True))
    assert (outcome.status, outcome.reason) == (
        Status.SKIPPED,
        "{{bots}}/{{nobots}} on the page excludes this bot",
    )
    assert client.read_page(title).revid == revid
