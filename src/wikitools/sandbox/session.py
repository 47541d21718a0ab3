"""A minimal logged-in admin session on a sandbox wiki, for setting up test content.

This is deliberately not the wikitools API client (``wikitools.mediawiki``): no retries, no
maxlag, no conflict handling. Tests use it to put pages on a wiki and to look at the result
with the wiki's own parser; the code under test uses the real client.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import requests

from wikitools.errors import ApiError, LoginError, SandboxError
from wikitools.version import __version__

logger = logging.getLogger(__name__)

USER_AGENT = f"wikitools-sandbox/{__version__} (local test wiki setup)"

Params = Mapping[str, str | int | bool]


class AdminSession:
    """An admin logged in (``action=clientlogin``) to a local wiki through plain requests."""

    def __init__(self, api_url: str, username: str, password: str, *, timeout: float = 60) -> None:
        self.api_url = api_url
        self.username = username
        self._password = password
        self._timeout = timeout
        self._csrf: str | None = None
        self.http = requests.Session()
        self.http.trust_env = False  # loopback traffic never goes through a proxy
        self.http.headers["User-Agent"] = USER_AGENT
        self._logged_in = False

    def __repr__(self) -> str:
        return f"AdminSession({self.api_url!r}, {self.username!r})"

    def close(self) -> None:
        """Close the HTTP session."""
        self.http.close()

    def api(self, params: Params, *, post: bool = False) -> dict[str, Any]:
        """One Action API request (JSON, formatversion 2); raise ApiError on an API error."""
        data: dict[str, str | int] = {"format": "json", "formatversion": 2}
        for key, value in params.items():
            if isinstance(value, bool):
                if value:
                    data[key] = 1
            else:
                data[key] = value
        try:
            if post:
                response = self.http.post(self.api_url, data=data, timeout=self._timeout)
            else:
                response = self.http.get(self.api_url, params=data, timeout=self._timeout)
        except requests.RequestException as exc:
            raise SandboxError(f"{self.api_url}: request failed ({type(exc).__name__})") from None
        if response.status_code != 200:
            raise SandboxError(f"{self.api_url}: HTTP {response.status_code}")
        try:
            body: dict[str, Any] = response.json()
        except ValueError:
            raise SandboxError(f"{self.api_url}: the answer is not JSON") from None
        if "error" in body:
            error = body["error"]
            raise ApiError(str(error.get("code", "unknown")), str(error.get("info", "")))
        return body

    def login(self) -> None:
        """Log the admin in with ``action=clientlogin`` (idempotent)."""
        if self._logged_in:
            return
        token = self.api({"action": "query", "meta": "tokens", "type": "login"})["query"]["tokens"][
            "logintoken"
        ]
        result = self.api(
            {
                "action": "clientlogin",
                "username": self.username,
                "password": self._password,
                "logintoken": token,
                "loginreturnurl": "http://127.0.0.1/",
            },
            post=True,
        )["clientlogin"]
        if result.get("status") != "PASS":
            raise LoginError("login-failed", f"{self.username}: {result.get('message', '')}")
        self._logged_in = True
        self._csrf = None

    def csrf_token(self) -> str:
        """The CSRF token of the logged-in admin."""
        self.login()
        if self._csrf is None:
            self._csrf = str(
                self.api({"action": "query", "meta": "tokens"})["query"]["tokens"]["csrftoken"]
            )
        return self._csrf

    def edit(self, title: str, text: str, summary: str = "wikitools sandbox setup") -> int:
        """Save ``text`` as ``title``; return the new revision id (the old one if unchanged)."""
        result = self.api(
            {
                "action": "edit",
                "title": title,
                "text": text,
                "summary": summary,
                "token": self.csrf_token(),
            },
            post=True,
        )["edit"]
        if result.get("result") != "Success":
            raise SandboxError(f"{title}: edit failed: {result}")
        revid = result.get("newrevid", result.get("oldrevid"))
        if revid is None:
            revid = self._latest_revid(title)
        return int(revid)

    def _latest_revid(self, title: str) -> int:
        pages = self.api({"action": "query", "prop": "info", "titles": title})["query"]["pages"]
        return int(pages[0].get("lastrevid", 0))

    def edit_many(
        self, pages: Mapping[str, str], summary: str = "wikitools sandbox setup"
    ) -> dict[str, int]:
        """Save several pages; return their revision ids by title."""
        return {title: self.edit(title, text, summary) for title, text in pages.items()}

    def parse(
        self, wikitext: str, title: str = "Sandbox", prop: str = "text|templates|categories"
    ) -> dict[str, Any]:
        """``action=parse`` of unsaved wikitext; the API's ``parse`` object."""
        result = self.api(
            {
                "action": "parse",
                "text": wikitext,
                "title": title,
                "contentmodel": "wikitext",
                "prop": prop,
                "disablelimitreport": True,
                "disableeditsection": True,
            },
            post=True,
        )
        parsed: dict[str, Any] = result["parse"]
        return parsed

    def render(self, wikitext: str, title: str = "Sandbox") -> str:
        """The HTML the wiki renders for ``wikitext`` (as if it were page ``title``)."""
        return str(self.parse(wikitext, title, prop="text")["text"])

    def page_text(self, title: str) -> str | None:
        """The current wikitext of ``title``, or None if the page does not exist."""
        pages = self.api(
            {
                "action": "query",
                "prop": "revisions",
                "rvprop": "content",
                "rvslots": "main",
                "titles": title,
            }
        )["query"]["pages"]
        page = pages[0]
        if page.get("missing") or "revisions" not in page:
            return None
        return str(page["revisions"][0]["slots"]["main"]["content"])
