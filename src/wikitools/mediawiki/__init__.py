"""A MediaWiki Action API client on requests.

:class:`Wiki` is the facade: login with bot passwords, batched page reads, page sources,
conflict-safe edits, rendering with problems as values, XML export and import. One
:class:`Transport` under it adds the User-Agent, ``formatversion=2`` and ``maxlag`` to
every request, retries with backoff and counts requests in ``wiki.stats``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from wikitools._lazy import exports

if TYPE_CHECKING:
    from wikitools.mediawiki.auth import Credentials, Profile, credentials_from_env, find_profile
    from wikitools.mediawiki.edit import EditRequest, EditResult
    from wikitools.mediawiki.pages import Page
    from wikitools.mediawiki.parse import ParseResult, ScriptError
    from wikitools.mediawiki.retry import RetryPolicy
    from wikitools.mediawiki.siteinfo import SiteInfo, UserInfo
    from wikitools.mediawiki.sources import PageSelection
    from wikitools.mediawiki.transfer import ImportedPage
    from wikitools.mediawiki.transport import RequestStats, Transport, default_user_agent
    from wikitools.mediawiki.wiki import Wiki

_EXPORTS = {
    "Credentials": "wikitools.mediawiki.auth",
    "EditRequest": "wikitools.mediawiki.edit",
    "EditResult": "wikitools.mediawiki.edit",
    "ImportedPage": "wikitools.mediawiki.transfer",
    "Page": "wikitools.mediawiki.pages",
    "PageSelection": "wikitools.mediawiki.sources",
    "ParseResult": "wikitools.mediawiki.parse",
    "Profile": "wikitools.mediawiki.auth",
    "RequestStats": "wikitools.mediawiki.transport",
    "RetryPolicy": "wikitools.mediawiki.retry",
    "ScriptError": "wikitools.mediawiki.parse",
    "SiteInfo": "wikitools.mediawiki.siteinfo",
    "Transport": "wikitools.mediawiki.transport",
    "UserInfo": "wikitools.mediawiki.siteinfo",
    "Wiki": "wikitools.mediawiki.wiki",
    "credentials_from_env": "wikitools.mediawiki.auth",
    "default_user_agent": "wikitools.mediawiki.transport",
    "find_profile": "wikitools.mediawiki.auth",
}

__getattr__, __dir__ = exports(__name__, _EXPORTS)

__all__ = [
    "Credentials",
    "EditRequest",
    "EditResult",
    "ImportedPage",
    "Page",
    "PageSelection",
    "ParseResult",
    "Profile",
    "RequestStats",
    "RetryPolicy",
    "ScriptError",
    "SiteInfo",
    "Transport",
    "UserInfo",
    "Wiki",
    "credentials_from_env",
    "default_user_agent",
    "find_profile",
]
