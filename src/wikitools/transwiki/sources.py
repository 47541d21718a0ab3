"""The source and the target of a dependency import: a live wiki, a dump, a ``pull`` directory.

:class:`ApiSource` reads current revisions (text, hex SHA-1, content model, user, comment)
``batch_size`` titles a request, the ``templatelinks`` of pages (``prop=templates``, the
table ``generator=templates`` reads: flattened, with ``require``d modules and TemplateStyles
pages) and prefix listings (``list=allpages``). :class:`OfflineSource` answers the same
from an XML export or dump, or a directory of page files. :class:`ApiTarget` reads the
target's hashes and what it can render: ``siteinfo`` (extensions, extension tags, parser
function hooks, namespaces) and the content models ``paraminfo`` lists for ``action=edit``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from wikitools.contentmodel import default_model
from wikitools.deps.closure import SourcePage, text_sha1
from wikitools.deps.plan import SiteFeatures, TargetPage
from wikitools.errors import SiteError
from wikitools.mediawiki.pages import batched
from wikitools.mediawiki.wiki import Wiki
from wikitools.parsing.magicwords import MagicWords, builtin
from wikitools.site.memory import MemorySite
from wikitools.titles import Namespaces
from wikitools.urls import display_url

logger = logging.getLogger(__name__)

_RVPROP = "ids|timestamp|content|sha1|user|comment|contentmodel"


def _magic_words(wiki: Wiki) -> MagicWords | None:
    info = wiki.siteinfo
    if not info.magicwords:
        return None
    return MagicWords.from_siteinfo(info.magicwords, info.functionhooks, info.variables)


def _revisions(wiki: Wiki, titles: Sequence[str]) -> dict[str, dict[str, Any]]:
    """The current main-slot revision of each title that exists (normalized → entry)."""
    found: dict[str, dict[str, Any]] = {}
    normalized: dict[str, str] = {}
    for batch in batched(list(titles), wiki.batch_size):
        params = {"prop": "revisions", "rvprop": _RVPROP, "rvslots": "main", "titles": batch}
        for answer in wiki.query(params):
            query = answer.get("query", {})
            for item in query.get("normalized", []):
                normalized[item["to"]] = item["from"]
            for page in query.get("pages", []):
                revisions = page.get("revisions") or ()
                if page.get("missing") or page.get("invalid") or not revisions:
                    continue
                revision = revisions[0]
                slot = revision.get("slots", {}).get("main", {})
                if not isinstance(slot.get("content"), str):
                    continue
                found[str(page["title"])] = {**revision, "slot": slot}
    return found


class ApiSource:
    """A live source wiki (read anonymously unless the client is logged in)."""

    def __init__(self, wiki: Wiki) -> None:
        self.wiki = wiki
        self.name = display_url(wiki.api_url)
        self.namespaces: Namespaces = wiki.namespaces
        self.magic_words: MagicWords = _magic_words(wiki) or builtin()

    def read(self, titles: Sequence[str]) -> dict[str, SourcePage]:
        """Current revisions; redirect pages come back as themselves."""
        pages: dict[str, SourcePage] = {}
        for title, rev in _revisions(self.wiki, titles).items():
            slot = rev["slot"]
            model = str(
                slot.get("contentmodel")
                or default_model(self.namespaces.namespace_of(title), title, self.namespaces)
            )
            text = str(slot["content"])
            pages[self.namespaces.normalize(title)] = SourcePage(
                title=title,
                text=text,
                model=model,
                sha1=str(slot.get("sha1") or text_sha1(text)),
                revid=rev.get("revid"),
                timestamp=rev.get("timestamp"),
                user=rev.get("user"),
                comment=rev.get("comment"),
            )
        return pages

    def templates(self, titles: Sequence[str]) -> dict[str, list[str]]:
        """``templatelinks`` of each title: ``generator=templates`` over it, one title a
        query so each page's list is its own (continued until complete)."""
        found: dict[str, list[str]] = {}
        for title in titles:
            links = found.setdefault(self.namespaces.normalize(title), [])
            params = {"generator": "templates", "gtllimit": "max", "titles": title}
            for answer in self.wiki.query(params):
                links.extend(str(p["title"]) for p in answer.get("query", {}).get("pages", []))
        return found

    def prefix_titles(self, prefix: str) -> list[str]:
        """``list=allpages`` with the prefix, in its namespace."""
        ns_id, rest = self.namespaces.split(prefix)
        return [
            str(item["title"])
            for item in self.wiki.iter_list(
                "allpages", {"apprefix": rest, "apnamespace": ns_id, "aplimit": "max"}
            )
        ]

    def page_url(self, title: str, revid: int | None) -> str:
        """The page's address on the source (an exact revision when known)."""
        base = self.wiki.api_url.rsplit("/", 1)[0] + "/index.php"
        if revid:
            return f"{base}?oldid={revid}"
        return f"{base}?title={title.replace(' ', '_')}"


class OfflineSource:
    """A source read from a file or folder: an XML export or dump (``.bz2``/``.gz`` too), or a
    directory of page files (the ``pull`` layout). It has no ``templatelinks``."""

    def __init__(
        self, site: MemorySite, name: str, models: Mapping[str, str] | None = None
    ) -> None:
        self.site = site
        self.name = name
        self.namespaces = site.namespaces
        self.magic_words = site.magic_words
        self.models = dict(models or {})
        """Content models recorded by the source (a pull manifest), by normalized title."""
        self.revisions: dict[str, SourcePage] = {}
        """Revisions as a dump records them (model, id, author), by normalized title."""

    @classmethod
    def open(cls, path: Path) -> OfflineSource:
        """Read ``path``: a directory of pages, else an XML export or dump."""
        path = Path(path)
        if path.is_dir():
            return cls.from_directory(path)
        if not path.exists():
            raise SiteError(f"{path}: no such file or directory")
        return cls.from_dump(path)

    @classmethod
    def from_dump(cls, path: Path) -> OfflineSource:
        """An XML export or dump: the last revision of each page, with its content model,
        id, timestamp, author and comment (for the attribution of what is imported)."""
        from wikitools.dumps.reader import DumpReader

        with DumpReader(path) as dump:
            site = MemorySite(namespaces=dump.siteinfo.to_namespaces(), name=str(path))
            source = cls(site, str(path))
            for page in dump:
                latest = page.latest
                if latest is None or latest.text is None:
                    continue
                stored = site.add(page.title, latest.text, origin=str(path))
                source.revisions[stored.title] = SourcePage(
                    stored.title,
                    latest.text,
                    page.model,
                    revid=latest.id,
                    timestamp=latest.timestamp or None,
                    user=latest.contributor.username or latest.contributor.ip,
                    comment=latest.comment,
                )
        return source

    @classmethod
    def from_directory(cls, root: Path) -> OfflineSource:
        """A ``pull`` directory (its manifest gives titles and models) or a site directory."""
        from wikitools.sources import read_pages

        site = MemorySite(name=str(root))
        models: dict[str, str] = {}
        for page in read_pages([root]):
            if page.title is None:
                continue
            stored = site.add(page.title, page.text, origin=page.name)
            models[stored.title] = page.model
        return cls(site, str(root), models)

    def read(self, titles: Sequence[str]) -> dict[str, SourcePage]:
        """Pages held with their text (content model as recorded, else MediaWiki's default)."""
        pages: dict[str, SourcePage] = {}
        for title in titles:
            stored = self.site.pages.get(self.namespaces.normalize(title))
            if stored is None:
                continue
            if stored.title in self.revisions:
                pages[stored.title] = self.revisions[stored.title]
                continue
            text = stored.text
            if text is None and stored.redirect_target is not None:
                text = f"#REDIRECT [[{stored.redirect_target}]]"
            if text is None:
                continue
            ns_id = self.namespaces.namespace_of(stored.title)
            model = self.models.get(stored.title) or default_model(
                ns_id, stored.title, self.namespaces
            )
            pages[stored.title] = SourcePage(stored.title, text, model, user=None)
        return pages

    def templates(self, titles: Sequence[str]) -> dict[str, list[str]]:
        """None: files carry no link tables (the static scan does the work)."""
        return {}

    def prefix_titles(self, prefix: str) -> list[str]:
        """Titles held that start with ``prefix``."""
        start = self.namespaces.normalize(prefix)
        if prefix.endswith("/") and not start.endswith("/"):
            start += "/"
        return [t for t in self.site.pages if t.startswith(start)]

    def page_url(self, title: str, revid: int | None) -> str:
        """Where the page was read."""
        return f"{self.name} ({title})"


def open_source(spec: str, **options: Any) -> ApiSource | OfflineSource:
    """A source from ``--from``: an ``api.php`` URL, or a dump/export file or ``pull`` folder."""
    if spec.startswith(("http://", "https://")):
        return ApiSource(Wiki(spec, **options))
    return OfflineSource.open(Path(spec))


class ApiTarget:
    """The target wiki: content hashes and what it can render and store."""

    def __init__(self, wiki: Wiki) -> None:
        self.wiki = wiki
        self.name = display_url(wiki.api_url)
        self.namespaces: Namespaces = wiki.namespaces
        self._features: SiteFeatures | None = None

    def read(self, titles: Sequence[str]) -> dict[str, TargetPage]:
        """Existing titles with hash, text and model."""
        found: dict[str, TargetPage] = {}
        for title, rev in _revisions(self.wiki, titles).items():
            slot = rev["slot"]
            text = str(slot["content"])
            found[self.namespaces.normalize(title)] = TargetPage(
                title, str(slot.get("sha1") or text_sha1(text)), text, slot.get("contentmodel")
            )
        return found

    def features(self) -> SiteFeatures:
        """``siteinfo`` extensions/extensiontags/functionhooks and ``paraminfo`` edit models."""
        if self._features is None:
            answer = self.wiki.request(
                {
                    "action": "query",
                    "meta": "siteinfo",
                    "siprop": "extensions|extensiontags|functionhooks|magicwords",
                }
            )
            query = answer.get("query", {})
            info = self.wiki.request({"action": "paraminfo", "modules": "edit"})
            models: set[str] = set()
            for module in info.get("paraminfo", {}).get("modules", []):
                for param in module.get("parameters", []):
                    if param.get("name") == "contentmodel" and isinstance(param.get("type"), list):
                        models.update(str(m) for m in param["type"])
            self._features = SiteFeatures(
                extensions=frozenset(str(e.get("name", "")) for e in query.get("extensions", [])),
                tags=frozenset(str(t).strip("<>").lower() for t in query.get("extensiontags", [])),
                functions=_function_names(query),
                models=frozenset(models),
            )
        return self._features

    @property
    def can_import(self) -> bool:
        """True when the session may upload export XML (``importupload``)."""
        return self.wiki.logged_in and "importupload" in self.wiki.userinfo.rights


def _function_names(query: Mapping[str, Any]) -> frozenset[str]:
    """Parser function hook ids and every spelling of them (``pagesincat``, localized names),
    lowercased and without the ``#``."""
    hooks = {str(f).lower() for f in query.get("functionhooks", [])}
    names = set(hooks)
    for word in query.get("magicwords", []):
        if str(word.get("name", "")).lower() in hooks:
            names.update(str(alias).lstrip("#").lower() for alias in word.get("aliases", []))
    return frozenset(names)
