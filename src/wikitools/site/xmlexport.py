"""A MediaWiki XML export (Special:Export, dumpBackup.php) read as a site description.

A simple streaming reader: titles, redirects and the text of the last revision of each
page. It reads through :mod:`wikitools.xmlsafe`, the dump reader's hardened entry, so an export
declaring entities or an external DTD, or using an entity reference, is refused as a dump is.
The full dump reader (all revisions, schema checks, writing) lives in :mod:`wikitools.dumps`.
"""

from __future__ import annotations

import bz2
import gzip
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, cast

from wikitools.errors import SiteError
from wikitools.site.memory import MemorySite, parse_redirect
from wikitools.titles import DEFAULT, MAIN, Namespaces

logger = logging.getLogger(__name__)


@contextmanager
def open_maybe_compressed(path: Path) -> Iterator[IO[bytes]]:
    """Open ``path`` for reading bytes, decompressing ``.bz2`` and ``.gz`` by magic bytes."""
    try:
        raw = Path(path).open("rb")  # noqa: SIM115 - closed by the with-block below
    except FileNotFoundError:
        raise SiteError(f"{path}: no such file") from None
    except OSError as exc:
        raise SiteError(f"{path}: cannot read ({exc.strerror})") from None
    with raw:
        head = raw.peek(3)[:3] if hasattr(raw, "peek") else b""
        if head.startswith(b"BZh"):
            with bz2.open(raw, "rb") as stream:
                yield stream
        elif head.startswith(b"\x1f\x8b"):
            with gzip.open(raw, "rb") as gz_stream:
                yield cast(IO[bytes], gz_stream)
        else:
            yield raw


def _local(tag: Any) -> str:
    text = str(tag)
    return text.rsplit("}", 1)[-1]


def keep_non_articles(ns_id: int) -> bool:
    """Default text filter: keep texts of every namespace but the main (article) one."""
    return ns_id != MAIN


class XmlExportSite(MemorySite):
    """A site read from an XML export: every page exists; texts kept for templates & co."""

    @classmethod
    def from_file(
        cls, path: Path, *, keep_text: Callable[[int], bool] = keep_non_articles
    ) -> XmlExportSite:
        """Read an export (plain, ``.bz2`` or ``.gz``).

        ``keep_text(namespace_id)`` decides which page texts are kept in memory; by default
        all but articles (templates, modules and other transcludable pages are what rules
        read), so a large export stays small in memory.
        """
        # Only here: the rest of the site layer reads no XML. The export goes through the one
        # hardened XML entry (the dump reader's): prolog check, no entities, no DTD.
        from lxml import etree

        from wikitools.errors import DumpError, InputError
        from wikitools.xmlsafe import DumpInput, entity_error, iterparse

        site = cls(name=str(path))
        namespaces: Namespaces = DEFAULT
        have_siteinfo = False
        source: DumpInput | None = None
        try:
            source = DumpInput(path)
            for _event, elem in iterparse(source):
                name = _local(elem.tag)
                if name == "siteinfo":
                    namespaces = _namespaces_of(elem)
                    site.namespaces = namespaces
                    have_siteinfo = True
                    elem.clear()
                elif name == "page":
                    site._add_page(elem, keep_text)
                    elem.clear()
                    parent = elem.getparent()
                    while parent is not None and elem.getprevious() is not None:
                        del parent[0]
            if source.failure is not None:
                raise SiteError(f"{path}: cannot read the export ({source.failure})")
        except etree.XMLSyntaxError as exc:
            refused = None if source is None or source.failure else entity_error(exc, str(path))
            if refused is not None:
                raise SiteError(str(refused)) from None
            line = exc.position[0] if exc.position else "?"
            raise SiteError(f"{path}:{line}: not well-formed XML ({exc.msg})") from None
        except (DumpError, InputError) as exc:
            raise SiteError(str(exc)) from None
        except (OSError, EOFError) as exc:
            raise SiteError(f"{path}: cannot read the export ({exc})") from None
        finally:
            if source is not None:
                source.close()
        if not have_siteinfo:
            logger.info("%s: no <siteinfo>; assuming the default namespaces", path)
        return site

    def _add_page(self, page: Any, keep_text: Callable[[int], bool]) -> None:
        from wikitools.xmlsafe import element_text

        title = redirect = text = None
        ns_id = MAIN
        for child in page:
            name = _local(child.tag)
            if name == "title":
                title = element_text(child, self.name)
            elif name == "ns":
                try:
                    ns_id = int(child.text or 0)
                except ValueError:
                    ns_id = MAIN
            elif name == "redirect":
                redirect = child.get("title")
            elif name == "revision":
                for part in child:
                    if _local(part.tag) == "text":
                        text = element_text(part, self.name)
        if not title:
            return
        if redirect is None and text is not None:
            redirect = parse_redirect(text)
        kept = text if keep_text(ns_id) or redirect is not None else None
        if redirect is not None:
            self.add_redirect(title, redirect, origin=self.name)
            if kept is not None:
                stored = self.pages[self.normalize(title)]
                self.pages[stored.title] = type(stored)(
                    stored.title, kept, stored.redirect_target, stored.origin
                )
        else:
            self.add(title, kept, origin=self.name)


def _namespaces_of(siteinfo: Any) -> Namespaces:
    names: dict[int, str] = {}
    sensitive: set[int] = set()
    for elem in siteinfo.iter():
        if _local(elem.tag) == "namespace":
            try:
                ns_id = int(elem.get("key", ""))
            except ValueError:
                continue
            names[ns_id] = elem.text or ""
            if elem.get("case") == "case-sensitive":
                sensitive.add(ns_id)
    if not names:
        return DEFAULT
    return Namespaces(names=names, case_sensitive=frozenset(sensitive))
