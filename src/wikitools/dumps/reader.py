"""Streaming reader for MediaWiki XML export dumps (schemas 0.3 to 0.11).

Pages are parsed with :func:`lxml.etree.iterparse` and cleared as soon as they are turned into
:class:`~wikitools.dumps.model.Page` values, so memory stays flat whatever the dump's size (one
page with its revisions is held at a time). The export namespace is taken from the root element.

Safety: the input is opened and parsed through :mod:`wikitools.xmlsafe`, the one hardened XML
entry: the prolog is checked before parsing and the parser itself resolves no entities, loads
no DTD and never touches the network.
"""

from __future__ import annotations

import contextlib
import copy
import logging
import os
import re
from collections.abc import Iterator
from types import TracebackType
from typing import BinaryIO

from lxml import etree

from wikitools.dumps.model import Contributor, NamespaceInfo, Page, Revision, SiteInfo, Slot
from wikitools.errors import DumpError
from wikitools.xmlsafe import DumpInput, entity_child, entity_error, iterparse

logger = logging.getLogger(__name__)

Source = str | os.PathLike[str] | BinaryIO
"""A dump to read: a path (``"-"`` for stdin) or a binary stream."""

_EXPORT_NS = re.compile(r"^http://www\.mediawiki\.org/xml/export-(\d+\.\d+)/?$")
SUPPORTED_VERSIONS = ("0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9", "0.10", "0.11")
_TOP_LEVEL = ("{*}siteinfo", "{*}page", "{*}logitem")
_SPLIT_POSITION = re.compile(r",? line (\d+), column (\d+)\s*$")
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _line(element: etree._Element) -> int | None:
    """The source line of an element, when lxml knows it."""
    line = element.sourceline
    return line if isinstance(line, int) else None


class DumpReader:
    """Read a dump page by page. Use as a context manager, then iterate.

    ``siteinfo`` is available as soon as the reader is open. ``bytes_read`` and
    ``total_bytes`` (``None`` for pipes) drive progress bars; ``pages_read``,
    ``revisions_read`` and ``skipped`` (log items and other top-level elements) count what
    went by.

    >>> with DumpReader("dump.xml.bz2") as dump:  # doctest: +SKIP
    ...     for page in dump:
    ...         print(page.title, len(page.revisions))
    """

    def __init__(self, source: Source, *, name: str | None = None) -> None:
        self._input = DumpInput(source, name)
        self.name = self._input.name
        self._events = iterparse(self._input, tag=_TOP_LEVEL)
        self._root: etree._Element | None = None
        self._ns = ""
        self.version: str | None = None
        self.pages_read = 0
        self.revisions_read = 0
        self.skipped: dict[str, int] = {}
        self._last_title: str | None = None
        self._pending: Page | None = None
        self._finished = False
        self.siteinfo = SiteInfo()
        self._namespaces = self.siteinfo.to_namespaces()
        try:
            self._prime()
        except BaseException:
            self.close()
            raise

    # -- context manager and iteration -------------------------------------------------------

    def __enter__(self) -> DumpReader:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the input file (if the reader opened it)."""
        self._finished = True
        self._input.close()

    @property
    def bytes_read(self) -> int:
        """Bytes of the input file consumed so far (compressed bytes for compressed input)."""
        return self._input.bytes_read

    @property
    def total_bytes(self) -> int | None:
        """Size of the input file, or ``None`` when reading a pipe."""
        return self._input.total_bytes

    @property
    def compression(self) -> str | None:
        """``"bz2"``, ``"gzip"``, ``"xz"`` or ``None``."""
        return self._input.compression

    def __iter__(self) -> Iterator[Page]:
        if self._pending is not None:
            page, self._pending = self._pending, None
            yield page
        while not self._finished:
            page_or_none = self._next_page()
            if page_or_none is None:
                return
            yield page_or_none

    # -- event loop ---------------------------------------------------------------------------

    def _prime(self) -> None:
        """Read up to the site information (or the first page, for dumps without one)."""
        while True:
            event = self._next_event()
            if event is None:
                return
            if event.tag == self._ns + "siteinfo":
                self.siteinfo = self._siteinfo(event)
                self._namespaces = self.siteinfo.to_namespaces()
                self._release(event)
                return
            page = self._handle(event)
            if page is not None:
                self._pending = page
                return

    def _next_page(self) -> Page | None:
        while True:
            event = self._next_event()
            if event is None:
                return None
            page = self._handle(event)
            if page is not None:
                return page

    def _next_event(self) -> etree._Element | None:
        try:
            _, element = next(self._events)
            assert isinstance(element, etree._Element)
        except StopIteration:
            self._finish()
            return None
        except etree.XMLSyntaxError as exc:
            self._finished = True
            raise self._syntax_error(exc) from None
        if self._root is None:
            self._start(element.getroottree().getroot())
        return element

    def _finish(self) -> None:
        if self._input.failure is not None:
            raise DumpError(f"{self.name}: {self._input.failure}")
        if self._root is None:
            root = getattr(self._events, "root", None)
            if root is None:
                raise DumpError(f"{self.name}: no XML document found")
            self._start(root)
        self._finished = True

    def _start(self, root: etree._Element) -> None:
        """Check the root element and take the export namespace from it."""
        qname = etree.QName(root)
        if qname.localname != "mediawiki":
            raise DumpError(
                f"{self.name}: the root element is <{qname.localname}>, not <mediawiki>; "
                "this is not a MediaWiki XML export",
                _line(root),
            )
        namespace = qname.namespace or ""
        match = _EXPORT_NS.match(namespace)
        if namespace and match is None:
            raise DumpError(
                f"{self.name}: unknown XML namespace {namespace!r} on <mediawiki>; "
                "expected http://www.mediawiki.org/xml/export-0.N/",
                _line(root),
            )
        self.version = match.group(1) if match else root.get("version")
        if self.version not in SUPPORTED_VERSIONS:
            logger.warning(
                "%s: export schema %s is outside 0.3-0.11; reading it anyway",
                self.name,
                self.version or "(none)",
            )
        docinfo = root.getroottree().docinfo
        dtd = docinfo.internalDTD
        if dtd is not None and any(True for _ in dtd.iterentities()):  # type: ignore[attr-defined]
            raise DumpError(f"{self.name}: the DOCTYPE declares entities; refusing it", 1)
        self._root = root
        self._ns = "{" + namespace + "}" if namespace else ""
        lang = root.get(_XML_LANG) or "en"
        self.siteinfo = SiteInfo(version=self.version, lang=lang)

    def _handle(self, element: etree._Element) -> Page | None:
        if element.getparent() is not self._root:
            return None
        tag = element.tag
        if tag == self._ns + "page":
            page = self._page(element)
            self._release(element)
            self.pages_read += 1
            self.revisions_read += len(page.revisions)
            self._last_title = page.title
            return page
        local = etree.QName(element).localname
        self.skipped[local] = self.skipped.get(local, 0) + 1
        if tag == self._ns + "siteinfo":
            logger.warning("%s: a second <siteinfo> at line %s ignored", self.name, _line(element))
        self._release(element)
        return None

    def _release(self, element: etree._Element) -> None:
        """Free a handled top-level element and everything before it."""
        element.clear(keep_tail=True)  # type: ignore[call-arg]
        root = self._root
        if root is not None:
            while element.getprevious() is not None:
                del root[0]

    def _syntax_error(self, exc: etree.XMLSyntaxError) -> DumpError:
        message = str(exc.msg or exc)
        message = _SPLIT_POSITION.sub("", message).strip()
        line, column = exc.position if exc.position else (None, None)
        if self._input.failure is not None:
            return DumpError(f"{self.name}: {self._input.failure}; the XML stops", line, column)
        refused = entity_error(exc, self.name)
        if refused is not None:
            return refused
        where = self._current_page_hint()
        if self._input.eof:
            return DumpError(
                f"{self.name}: the XML ends before the dump is complete{where} "
                f"(truncated file?): {message}",
                line,
                column,
            )
        return DumpError(f"{self.name}: malformed XML{where}: {message}", line, column)

    def _current_page_hint(self) -> str:
        root = self._root
        if root is not None and len(root):
            last = root[-1]
            if last.tag == self._ns + "page":
                title = last.findtext(self._ns + "title")
                if title:
                    return f" in page {title!r}"
        if self._last_title is not None:
            return f" after page {self._last_title!r}"
        return ""

    # -- element conversion -------------------------------------------------------------------

    def _local(self, element: etree._Element) -> str | None:
        tag = element.tag
        if not isinstance(tag, str):
            return None
        ns = self._ns
        if ns:
            return tag[len(ns) :] if tag.startswith(ns) else ""
        return tag if tag[0] != "{" else ""

    def _text(self, element: etree._Element) -> str:
        if len(element):
            self._reject_children(element)
        return element.text or ""

    def _reject_children(self, element: etree._Element) -> None:
        entity = entity_child(element)
        if entity is not None:
            raise DumpError(
                f"{self.name}: entity reference {entity.text} is not allowed in a dump",
                _line(entity) or _line(element),
            )
        child = element[0]
        raise DumpError(
            f"{self.name}: unexpected element <{etree.QName(child).localname}> inside "
            f"<{etree.QName(element).localname}>",
            _line(child),
        )

    def _int(self, element: etree._Element, what: str) -> int | None:
        text = self._text(element).strip()
        if not text:
            return None
        try:
            return int(text)
        except ValueError:
            raise DumpError(
                f"{self.name}: {what} {text!r} is not a number", _line(element)
            ) from None

    def _fragment(self, element: etree._Element) -> str:
        """Serialize an element we keep opaque, without the export namespace."""
        clone = copy.deepcopy(element)
        clone.tail = None
        ns = self._ns
        if ns:
            for node in clone.iter():
                if isinstance(node.tag, str) and node.tag.startswith(ns):
                    node.tag = node.tag[len(ns) :]
            etree.cleanup_namespaces(clone)
        return etree.tostring(clone, encoding="unicode")

    def _siteinfo(self, element: etree._Element) -> SiteInfo:
        fields: dict[str, str] = {}
        namespaces: list[NamespaceInfo] = []
        for child in element:
            local = self._local(child)
            if local == "namespaces":
                for ns in child:
                    if self._local(ns) != "namespace":
                        continue
                    key = ns.get("key")
                    try:
                        ns_id = int(key) if key is not None else None
                    except ValueError:
                        ns_id = None
                    if ns_id is None:
                        raise DumpError(
                            f"{self.name}: namespace key {key!r} is not a number", _line(ns)
                        )
                    namespaces.append(NamespaceInfo(ns_id, self._text(ns), ns.get("case")))
            elif local in {"sitename", "dbname", "base", "generator", "case"}:
                fields[local] = self._text(child)
        return SiteInfo(
            sitename=fields.get("sitename"),
            dbname=fields.get("dbname"),
            base=fields.get("base"),
            generator=fields.get("generator"),
            case=fields.get("case"),
            namespaces=tuple(namespaces),
            version=self.siteinfo.version,
            lang=self.siteinfo.lang,
        )

    def _page(self, element: etree._Element) -> Page:
        title: str | None = None
        ns: int | None = None
        page_id: int | None = None
        redirect: str | None = None
        restrictions: str | None = None
        revisions: list[Revision] = []
        extras: list[str] = []
        for child in element:
            local = self._local(child)
            if local == "revision":
                revisions.append(self._revision(child))
            elif local == "title":
                title = self._text(child)
            elif local == "ns":
                ns = self._int(child, "namespace")
            elif local == "id":
                page_id = self._int(child, "page id")
            elif local == "redirect":
                redirect = child.get("title", "")
            elif local == "restrictions":
                restrictions = self._text(child)
            elif local is not None:
                extras.append(self._fragment(child))
        if title is None:
            raise DumpError(f"{self.name}: a <page> has no <title>", _line(element))
        if ns is None:
            ns = self._namespaces.split(title)[0]
        return Page(
            title=title,
            ns=ns,
            id=page_id,
            redirect=redirect,
            restrictions=restrictions,
            revisions=tuple(revisions),
            extras=tuple(extras),
        )

    def _contributor(self, element: etree._Element) -> Contributor:
        if element.get("deleted") == "deleted":
            return Contributor(deleted=True)
        username: str | None = None
        user_id: int | None = None
        ip: str | None = None
        for child in element:
            local = self._local(child)
            if local == "username":
                username = self._text(child)
            elif local == "id":
                user_id = self._int(child, "user id")
            elif local == "ip":
                ip = self._text(child)
        return Contributor(username=username, id=user_id, ip=ip)

    def _text_element(
        self, element: etree._Element
    ) -> tuple[str | None, bool, int | None, str | None, tuple[tuple[str, str], ...]]:
        """``(text, deleted, bytes, sha1, other attributes)`` of a ``<text>`` element."""
        deleted = False
        size: int | None = None
        sha1: str | None = None
        others: list[tuple[str, str]] = []
        for name, value in element.attrib.items():
            if name == "bytes":
                try:
                    size = int(str(value))
                except ValueError:
                    raise DumpError(
                        f"{self.name}: text bytes {value!r} is not a number", _line(element)
                    ) from None
            elif name == "sha1":
                sha1 = str(value)
            elif name == "deleted":
                deleted = value == "deleted"
            elif name != _XML_SPACE:
                others.append((str(name), str(value)))
        content = self._text(element)
        text: str | None = content
        if deleted:
            text = None
        elif not content and size != 0 and any(name in {"id", "location"} for name, _ in others):
            text = None  # a stub dump: the text lives elsewhere
        return text, deleted, size, sha1, tuple(others)

    def _slot(self, element: etree._Element) -> Slot:
        role = ""
        origin: int | None = None
        model: str | None = None
        fmt: str | None = None
        text: str | None = None
        deleted = False
        size: int | None = None
        sha1: str | None = None
        others: tuple[tuple[str, str], ...] = ()
        for child in element:
            local = self._local(child)
            if local == "role":
                role = self._text(child)
            elif local == "origin":
                origin = self._int(child, "slot origin")
            elif local == "model":
                model = self._text(child)
            elif local == "format":
                fmt = self._text(child)
            elif local == "text":
                text, deleted, size, sha1, others = self._text_element(child)
        return Slot(role, text, origin, model, fmt, deleted, sha1, size, others)

    def _revision(self, element: etree._Element) -> Revision:
        rev_id: int | None = None
        parent_id: int | None = None
        timestamp = ""
        contributor = Contributor()
        minor = False
        comment: str | None = None
        comment_deleted = False
        origin: int | None = None
        model: str | None = None
        fmt: str | None = None
        text: str | None = None
        sha1: str | None = None
        text_deleted = False
        text_bytes: int | None = None
        text_sha1: str | None = None
        text_attributes: tuple[tuple[str, str], ...] = ()
        slots: list[Slot] = []
        extras: list[str] = []
        for child in element:
            local = self._local(child)
            if local == "text":
                text, text_deleted, text_bytes, text_sha1, text_attributes = self._text_element(
                    child
                )
            elif local == "id":
                rev_id = self._int(child, "revision id")
            elif local == "parentid":
                parent_id = self._int(child, "parent revision id")
            elif local == "timestamp":
                timestamp = self._text(child)
            elif local == "contributor":
                contributor = self._contributor(child)
            elif local == "minor":
                minor = True
            elif local == "comment":
                if child.get("deleted") == "deleted":
                    comment_deleted = True
                else:
                    comment = self._text(child)
            elif local == "origin":
                origin = self._int(child, "revision origin")
            elif local == "model":
                model = self._text(child)
            elif local == "format":
                fmt = self._text(child)
            elif local == "sha1":
                sha1 = self._text(child) or None
            elif local == "content":
                slots.append(self._slot(child))
            elif local is not None:
                extras.append(self._fragment(child))
        return Revision(
            id=rev_id,
            parent_id=parent_id,
            timestamp=timestamp,
            contributor=contributor,
            minor=minor,
            comment=comment,
            comment_deleted=comment_deleted,
            origin=origin,
            model=model,
            format=fmt,
            text=text,
            sha1=sha1,
            text_deleted=text_deleted,
            text_bytes=text_bytes,
            text_sha1=text_sha1,
            text_attributes=text_attributes,
            slots=tuple(slots),
            extras=tuple(extras),
        )


def iter_pages(source: Source, *, name: str | None = None) -> Iterator[Page]:
    """Stream the pages of a dump (path, ``"-"`` for stdin, or binary stream).

    Raises :class:`~wikitools.errors.DumpError` (with line and column) on malformed or unsafe
    input, and :class:`~wikitools.errors.InputError` when the file cannot be opened.
    """
    with DumpReader(source, name=name) as reader:
        yield from reader


def read_siteinfo(source: Source, *, name: str | None = None) -> SiteInfo:
    """The site information of a dump, reading no further than needed."""
    with contextlib.closing(DumpReader(source, name=name)) as reader:
        return reader.siteinfo
