"""``Wiki``: the public facade of the Action API client."""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import requests

from wikitools.errors import ApiError, ConfigError, LoginError, SessionLostError
from wikitools.mediawiki import parse as parsing
from wikitools.mediawiki.auth import (
    ENV_ALLOW_INSECURE_LOGIN,
    Credentials,
    bound_credentials,
    find_profile,
    insecure_login_allowed,
)
from wikitools.mediawiki.edit import Assertion, EditRequest, EditResult, edit_result
from wikitools.mediawiki.pages import BATCH_SIZE, HIGH_BATCH_SIZE, Page, batched, read_pages
from wikitools.mediawiki.query import iter_list, iter_query
from wikitools.mediawiki.retry import RetryPolicy
from wikitools.mediawiki.siteinfo import SiteInfo, UserInfo, fetch_siteinfo, fetch_userinfo
from wikitools.mediawiki.transfer import (
    ImportedPage,
    export_params,
    import_params,
    imported_pages,
)
from wikitools.mediawiki.transport import (
    Params,
    RequestStats,
    Transport,
    default_user_agent,
)
from wikitools.titles import Namespaces, unique
from wikitools.urls import display_url, insecure_login_reason

logger = logging.getLogger(__name__)


class Wiki:
    """One MediaWiki wiki, reached through its ``api.php``.

    >>> wiki = Wiki("https://wiki.example.org/w/api.php", contact="https://wiki.example.org/wiki/User:Me")
    >>> wiki.login(Credentials("Me@wikitools", "..."))        # doctest: +SKIP
    >>> page = wiki.read_page("Main Page")                    # doctest: +SKIP

    All requests go through one :class:`Transport` (retries, maxlag, typed errors);
    ``wiki.stats`` counts them. ``sleep`` and ``clock`` are injectable for tests.
    :meth:`login` refuses plain ``http://`` to anything but loopback unless
    ``allow_insecure_login`` is set.
    """

    def __init__(
        self,
        api_url: str,
        *,
        user_agent: str | None = None,
        contact: str | None = None,
        maxlag: int | None = 5,
        retry: RetryPolicy | None = None,
        timeout: float | tuple[float, float] = (10.0, 120.0),
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
        ca_bundle: str | None = None,
        allow_insecure_login: bool = False,
    ) -> None:
        self.allow_insecure_login = allow_insecure_login
        self.transport = Transport(
            api_url,
            user_agent=user_agent or default_user_agent(contact),
            maxlag=maxlag,
            retry=retry,
            timeout=timeout,
            session=session,
            sleep=sleep,
            clock=clock,
            ca_bundle=ca_bundle,
        )
        self._credentials: Credentials | None = None
        self._tokens: dict[str, str] = {}
        self._siteinfo: SiteInfo | None = None
        self._userinfo: UserInfo | None = None
        self._tracking: frozenset[str] | None = None

    @classmethod
    def connect(
        cls,
        api_url: str,
        *,
        profile: str | None = None,
        credentials_file: Path | None = None,
        environ: Mapping[str, str] | None = None,
        user_agent: str | None = None,
        origin: str | None = None,
        allow_insecure_login: bool = False,
        **options: Any,
    ) -> Wiki:
        """A wiki, logged in when credentials are found (environment, then profile file).

        The profile is the one named ``profile``, else the one whose ``api`` is
        ``api_url``; its ``user_agent`` is used unless ``user_agent`` is given.
        Credentials are bound to wikis (:func:`~wikitools.mediawiki.auth.bound_credentials`):
        pass ``origin`` (e.g. ``"the manifest DIR/wikitools-pull.json"``) when ``api_url``
        was read from a file rather than named by the user; such a URL gets credentials only
        when a profile names it, else :class:`ConfigError` is raised before any request.
        Plain ``http://`` logins to anything but loopback need ``allow_insecure_login`` (or
        ``WIKITOOLS_ALLOW_INSECURE_LOGIN=1``).
        """
        chosen = find_profile(profile, api_url, credentials_file, environ)
        credentials = bound_credentials(api_url, chosen, origin=origin, environ=environ)
        if user_agent is None and chosen is not None:
            user_agent = chosen.user_agent
        insecure = allow_insecure_login or insecure_login_allowed(environ)
        wiki = cls(api_url, user_agent=user_agent, allow_insecure_login=insecure, **options)
        if credentials is not None:
            wiki.login(credentials)
        return wiki

    def __repr__(self) -> str:
        who = self._credentials.username if self._credentials else "anonymous"
        return f"Wiki({display_url(self.api_url)!r}, user={who!r})"

    # -- plumbing --------------------------------------------------------------------------

    @property
    def api_url(self) -> str:
        """The wiki's ``api.php`` URL."""
        return self.transport.api_url

    @property
    def stats(self) -> RequestStats:
        """Every request sent so far (see :class:`RequestStats`)."""
        return self.transport.stats

    def request(self, params: Params, *, post: bool = False) -> dict[str, Any]:
        """Send one raw API request (``format``/``formatversion``/``maxlag`` are added)."""
        return self.transport.call(params, post=post)

    def query(self, params: Params) -> Iterator[dict[str, Any]]:
        """Each answer of an ``action=query`` request, following ``continue``."""
        return iter_query(self.transport, params)

    def iter_list(
        self, name: str, params: Params, *, limit: int | None = None
    ) -> Iterator[dict[str, Any]]:
        """The items of ``list=name`` across continuations."""
        return iter_list(self.transport, name, params, limit=limit)

    # -- who and what ----------------------------------------------------------------------

    @property
    def siteinfo(self) -> SiteInfo:
        """General information and namespaces (fetched once)."""
        if self._siteinfo is None:
            self._siteinfo = fetch_siteinfo(self.transport)
        return self._siteinfo

    @property
    def namespaces(self) -> Namespaces:
        """The wiki's namespaces, for title normalization."""
        return self.siteinfo.namespaces

    @property
    def userinfo(self) -> UserInfo:
        """Who the session is and their rights (fetched once per login)."""
        if self._userinfo is None:
            self._userinfo = fetch_userinfo(self.transport)
        return self._userinfo

    @property
    def logged_in(self) -> bool:
        """True after a successful :meth:`login`."""
        return self._credentials is not None

    @property
    def batch_size(self) -> int:
        """Titles per read request: 500 with ``apihighlimits``, else 50."""
        return HIGH_BATCH_SIZE if self.userinfo.high_limits else BATCH_SIZE

    # -- login and tokens ------------------------------------------------------------------

    def login(self, credentials: Credentials) -> None:
        """Log in with a bot password (``User@AppId``); raise :class:`LoginError` on failure.

        The password and tokens are never logged and never appear in error messages.
        Plain ``http://`` to anything but loopback raises :class:`ConfigError` before any
        request unless :attr:`allow_insecure_login` is set.
        """
        insecure = insecure_login_reason(self.api_url)
        if insecure is not None and not self.allow_insecure_login:
            raise ConfigError(
                f"refusing to log in: {insecure}; use the wiki's https:// URL, or pass "
                f"--allow-insecure-login (or set {ENV_ALLOW_INSECURE_LOGIN}=1) to accept that"
            )
        self.transport.add_secret(credentials.password)
        # A fresh session: MediaWiki refuses a login inside a bot-password session.
        self.transport.session.cookies.clear()
        self._credentials = None
        self._tokens.clear()
        self._userinfo = None
        token = self._fetch_token("login")
        try:
            answer = self.transport.call(
                {
                    "action": "login",
                    "lgname": credentials.username,
                    "lgpassword": credentials.password,
                    "lgtoken": token,
                },
                post=True,
            )
        except ApiError as exc:
            raise LoginError(exc.code, f"{credentials.username}: {exc.info}") from None
        result = answer.get("login", {})
        if result.get("result") != "Success":
            reason = self.transport.redact(str(result.get("reason") or result.get("result")))
            raise LoginError(
                "loginfailed",
                f"cannot log in to {self.transport.host} as {credentials.username}: {reason} "
                "(use a bot password from Special:BotPasswords as User@AppId)",
            )
        self._credentials = credentials
        logger.info("logged in to %s as %s", self.transport.host, result.get("lgusername"))

    def logout(self) -> None:
        """End the session (needs a CSRF token, as MediaWiki requires)."""
        if self._credentials is None:
            return
        self.write({"action": "logout"})
        self._credentials = None
        self._tokens.clear()
        self._userinfo = None

    def token(self, kind: str = "csrf") -> str:
        """A token of ``kind`` (cached until a ``badtoken`` error or a new login)."""
        if kind not in self._tokens:
            self._tokens[kind] = self._fetch_token(kind)
        return self._tokens[kind]

    def _fetch_token(self, kind: str) -> str:
        answer = self.transport.call({"action": "query", "meta": "tokens", "type": kind})
        token = answer.get("query", {}).get("tokens", {}).get(f"{kind}token")
        if not isinstance(token, str):
            raise ApiError("badresponse", f"the wiki returned no {kind} token")
        if len(token) > 8:
            self.transport.add_secret(token)
        return token

    def write(
        self,
        params: Params,
        *,
        files: Mapping[str, tuple[str, bytes, str]] | None = None,
        token: str = "csrf",
    ) -> dict[str, Any]:
        """Send a request that needs a token (POST).

        On ``badtoken`` a fresh token is fetched and the request retried once; when the
        session was lost (``assert`` failed) it logs in again once and retries.
        """
        relogged = False
        refreshed = False
        while True:
            try:
                return self.transport.call(
                    {**params, "token": self.token(token)}, post=True, files=files
                )
            except SessionLostError:
                if self._credentials and not relogged:
                    logger.warning("%s: session lost; logging in again", self.transport.host)
                    self.login(self._credentials)
                    relogged = True
                    continue
                raise
            except ApiError as exc:
                if exc.code != "badtoken":
                    raise
                if refreshed:
                    raise SessionLostError(
                        "badtoken",
                        f"{exc.info}; the wiki refused a freshly fetched token too: the session "
                        "is lost (log in again and rerun)",
                    ) from None
                logger.warning("%s: token expired; fetching a new one", self.transport.host)
                self._tokens.pop(token, None)
                refreshed = True

    # -- reading ---------------------------------------------------------------------------

    def read_pages(
        self, titles: Iterable[str], *, follow_redirects: bool = False
    ) -> Iterator[Page]:
        """Current text, revision id and timestamp of many pages, :attr:`batch_size` per request."""
        return read_pages(
            self.transport, titles, batch_size=self.batch_size, follow_redirects=follow_redirects
        )

    def read_page(self, title: str, *, follow_redirects: bool = False) -> Page:
        """One page (see :meth:`read_pages`)."""
        return next(iter(self.read_pages([title], follow_redirects=follow_redirects)))

    # -- writing ---------------------------------------------------------------------------

    def edit(
        self,
        title: str,
        text: str,
        *,
        summary: str,
        basetimestamp: str | None = None,
        starttimestamp: str | None = None,
        baserevid: int | None = None,
        minor: bool = False,
        bot: bool = False,
        nocreate: bool = False,
        createonly: bool = False,
        tags: Sequence[str] = (),
        assertion: Assertion | None = None,
    ) -> EditResult:
        """Save ``text`` as ``title``.

        Pass the ``basetimestamp``/``starttimestamp`` and ``baserevid`` of the read the
        text came from: someone else's edit since then raises :class:`EditConflictError`
        and is never overwritten (MediaWiki merges edits to other lines itself).
        ``baserevid`` matters: timestamps have one-second resolution, so without it an
        edit made in the same second as the base revision goes unnoticed.
        ``assertion`` defaults to ``user`` when logged in (``bot`` for bot edits by a bot
        account), so a lost session fails instead of editing anonymously.
        """
        request = EditRequest(
            title=title,
            text=text,
            summary=summary,
            basetimestamp=basetimestamp,
            starttimestamp=starttimestamp,
            baserevid=baserevid,
            minor=minor,
            bot=bot,
            nocreate=nocreate,
            createonly=createonly,
            tags=tuple(tags),
            assertion=assertion,
        )
        return self.submit(request)

    def submit(self, request: EditRequest) -> EditResult:
        """Send one :class:`EditRequest` (see :meth:`edit`); the native page sink's write.

        Errors are typed (:mod:`wikitools.mediawiki.apierrors`): an edit conflict, a
        page-level refusal, or a run-level fatal error such as a block.
        """
        if request.assertion is None and self.logged_in:
            assertion: Assertion = "bot" if request.bot and self.userinfo.is_bot else "user"
            request = dataclasses.replace(request, assertion=assertion)
        result = edit_result(self.write(request.params()), request.title)
        if result.saved:
            logger.info("%s: saved revision %s", result.title, result.revid)
        else:
            logger.info("%s: no change", result.title)
        return result

    # -- rendering -------------------------------------------------------------------------

    def tracking_categories(self) -> frozenset[str]:
        """Names of the wiki's tracking categories, in its language (one request, cached)."""
        if self._tracking is None:
            names: set[str] = set()
            for answer in self.query(
                {
                    "meta": "allmessages",
                    "ammessages": list(parsing.TRACKING_CATEGORY_MESSAGES),
                    "amenableparser": True,
                }
            ):
                for message in answer.get("query", {}).get("allmessages", []):
                    value = str(message.get("content", "")).strip()
                    if not message.get("missing") and value and value != "-":
                        names.add(self.namespaces.split(value, 14)[1])
            self._tracking = frozenset(names)
        return self._tracking

    def parse_page(
        self, title: str | None = None, *, revid: int | None = None
    ) -> parsing.ParseResult:
        """Render a saved page (by title, or an exact revision) and report its problems."""
        answer = self.transport.call(parsing.page_params(title, revid))
        return parsing.parse_result(answer, self.namespaces, self.tracking_categories())

    def parse_text(self, text: str, title: str) -> parsing.ParseResult:
        """Render unsaved wikitext as the page ``title`` would show it; nothing is saved."""
        answer = self.transport.call(parsing.text_params(text, title), post=True)
        return parsing.parse_result(answer, self.namespaces, self.tracking_categories())

    # -- import and export -----------------------------------------------------------------

    def export(self, titles: Iterable[str]) -> Iterator[bytes]:
        """Export XML of the current revisions, one document per :attr:`batch_size` titles."""
        for batch in batched(unique(titles), self.batch_size):
            yield self.transport.call_raw(export_params(batch))

    def import_xml(
        self,
        xml: bytes,
        *,
        summary: str = "",
        interwiki_prefix: str = "import",
        full_history: bool = True,
        filename: str = "import.xml",
    ) -> list[ImportedPage]:
        """Upload export XML with ``action=import`` (needs the ``importupload`` right)."""
        files = {"xml": (filename, xml, "application/xml")}
        params = import_params(
            summary=summary, interwiki_prefix=interwiki_prefix, full_history=full_history
        )
        return imported_pages(self.write(params, files=files))
