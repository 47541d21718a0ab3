"""Streaming writer for MediaWiki XML export dumps (schema 0.11).

The output follows what ``dumpBackup.php`` writes, element for element, so ``importDump.php``
and ``action=import`` take it. Pages are written one at a time as they come; nothing is kept.
:func:`open_writer` writes to a temporary file that replaces the target only when the whole dump
was written, compressing with bz2, gzip or xz when the file name ends in ``.bz2``, ``.gz`` or
``.xz``.

Revisions keep every field they were read with. For a revision whose text changed (see
:meth:`wikitools.dumps.model.Revision.with_text`) the ``bytes`` count and the base-36 ``sha1`` are
recomputed, so MediaWiki's importer recognizes it as new content rather than a duplicate.
"""

from __future__ import annotations

import bz2
import contextlib
import gzip
import lzma
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, cast

from wikitools.dumps.model import Contributor, Page, Revision, SiteInfo, Slot, sha1_base36
from wikitools.errors import OutputError
from wikitools.fileio import atomic_output

SCHEMA_VERSION = "0.11"
EXPORT_NS = f"http://www.mediawiki.org/xml/export-{SCHEMA_VERSION}/"

_ATTR_ESCAPES = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "\t": "&#9;",
        "\n": "&#10;",
        "\r": "&#13;",
    }
)


def escape_text(text: str) -> str:
    """Escape character data for XML (``\\r`` as a reference, so it survives parsing)."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    return text


def escape_attribute(value: str) -> str:
    """Escape an attribute value for a double-quoted XML attribute."""
    return value.translate(_ATTR_ESCAPES)


def _element(indent: str, name: str, content: str | int | None, attributes: str = "") -> str:
    if content is None or content == "":
        return f"{indent}<{name}{attributes} />\n"
    if isinstance(content, int):
        return f"{indent}<{name}{attributes}>{content}</{name}>\n"
    return f"{indent}<{name}{attributes}>{escape_text(content)}</{name}>\n"


def _attributes(pairs: list[tuple[str, str]]) -> str:
    return "".join(f' {name}="{escape_attribute(value)}"' for name, value in pairs)


class DumpWriter:
    """Write pages as export-0.11 XML to a binary stream, one page at a time.

    The header (root element and ``<siteinfo>``) is written on construction (unless
    ``header=False``, for a part of a dump joined later); call :meth:`close` to write the
    closing tag. The stream itself is not closed.
    """

    def __init__(
        self, stream: BinaryIO, siteinfo: SiteInfo | None = None, *, header: bool = True
    ) -> None:
        self._stream = stream
        self.siteinfo = siteinfo or SiteInfo()
        self.pages_written = 0
        self.revisions_written = 0
        self._closed = False
        if header:
            self._write(self._header())

    def _write(self, text: str) -> None:
        self._stream.write(text.encode("utf-8"))

    def _header(self) -> str:
        info = self.siteinfo
        lang = escape_attribute(info.lang or "en")
        out = [
            f'<mediawiki xmlns="{EXPORT_NS}" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            f'xsi:schemaLocation="{EXPORT_NS} '
            f'http://www.mediawiki.org/xml/export-{SCHEMA_VERSION}.xsd" '
            f'version="{SCHEMA_VERSION}" xml:lang="{lang}">\n'
        ]
        fields = [
            ("sitename", info.sitename),
            ("dbname", info.dbname),
            ("base", info.base),
            ("generator", info.generator),
            ("case", info.case),
        ]
        if any(value is not None for _, value in fields) or info.namespaces:
            out.append("  <siteinfo>\n")
            for name, value in fields:
                if value is not None:
                    out.append(_element("    ", name, value))
            if info.namespaces:
                out.append("    <namespaces>\n")
                for ns in info.namespaces:
                    attrs = [("key", str(ns.key))]
                    if ns.case is not None:
                        attrs.append(("case", ns.case))
                    out.append(_element("      ", "namespace", ns.name, _attributes(attrs)))
                out.append("    </namespaces>\n")
            out.append("  </siteinfo>\n")
        return "".join(out)

    def write_page(self, page: Page) -> None:
        """Write one page with all its revisions."""
        if self._closed:
            raise ValueError("write_page() after close()")
        out = ["  <page>\n", _element("    ", "title", page.title), f"    <ns>{page.ns}</ns>\n"]
        if page.id is not None:
            out.append(f"    <id>{page.id}</id>\n")
        if page.redirect is not None:
            if page.redirect:
                out.append(f'    <redirect title="{escape_attribute(page.redirect)}" />\n')
            else:
                out.append("    <redirect />\n")
        if page.restrictions is not None:
            out.append(_element("    ", "restrictions", page.restrictions))
        for revision in page.revisions:
            self._revision(out, revision)
        for extra in page.extras:
            out.append(f"    {extra}\n")
        out.append("  </page>\n")
        self._write("".join(out))
        self.pages_written += 1
        self.revisions_written += len(page.revisions)

    def write_serialized(self, data: bytes, pages: int = 0) -> None:
        """Write pages another :class:`DumpWriter` serialized (made with ``header=False``)."""
        if self._closed:
            raise ValueError("write_serialized() after close()")
        self._stream.write(data)
        self.pages_written += pages

    def _contributor(self, out: list[str], contributor: Contributor) -> None:
        if contributor.deleted:
            out.append('      <contributor deleted="deleted" />\n')
            return
        out.append("      <contributor>\n")
        if contributor.username is not None:
            out.append(_element("        ", "username", contributor.username))
        if contributor.id is not None:
            out.append(f"        <id>{contributor.id}</id>\n")
        if contributor.ip is not None:
            out.append(_element("        ", "ip", contributor.ip))
        out.append("      </contributor>\n")

    def _text(
        self,
        out: list[str],
        indent: str,
        text: str | None,
        deleted: bool,
        size: int | None,
        sha1: str | None,
        others: tuple[tuple[str, str], ...],
    ) -> None:
        attrs: list[tuple[str, str]] = []
        if text is not None:
            size = len(text.encode("utf-8"))
        if size is not None:
            attrs.append(("bytes", str(size)))
        if sha1 is None and text is not None:
            sha1 = sha1_base36(text)
        if sha1 is not None:
            attrs.append(("sha1", sha1))
        attrs.extend(others)
        if deleted:
            attrs.append(("deleted", "deleted"))
        if text is None:
            out.append(f"{indent}<text{_attributes(attrs)} />\n")
            return
        attrs.append(("xml:space", "preserve"))
        out.append(_element(indent, "text", text, _attributes(attrs)))

    def _slot(self, out: list[str], slot: Slot) -> None:
        out.append("      <content>\n")
        out.append(_element("        ", "role", slot.role))
        if slot.origin is not None:
            out.append(f"        <origin>{slot.origin}</origin>\n")
        if slot.model is not None:
            out.append(_element("        ", "model", slot.model))
        if slot.format is not None:
            out.append(_element("        ", "format", slot.format))
        self._text(
            out,
            "        ",
            slot.text,
            slot.text_deleted,
            slot.text_bytes,
            slot.text_sha1,
            slot.text_attributes,
        )
        out.append("      </content>\n")

    def _revision(self, out: list[str], revision: Revision) -> None:
        out.append("    <revision>\n")
        if revision.id is not None:
            out.append(f"      <id>{revision.id}</id>\n")
        if revision.parent_id is not None:
            out.append(f"      <parentid>{revision.parent_id}</parentid>\n")
        out.append(_element("      ", "timestamp", revision.timestamp))
        self._contributor(out, revision.contributor)
        if revision.minor:
            out.append("      <minor />\n")
        if revision.comment_deleted:
            out.append('      <comment deleted="deleted" />\n')
        elif revision.comment:
            out.append(_element("      ", "comment", revision.comment))
        origin = revision.origin if revision.origin is not None else revision.id
        if origin is not None:
            out.append(f"      <origin>{origin}</origin>\n")
        if revision.model is not None:
            out.append(_element("      ", "model", revision.model))
        if revision.format is not None:
            out.append(_element("      ", "format", revision.format))
        self._text(
            out,
            "      ",
            revision.text,
            revision.text_deleted,
            revision.text_bytes,
            revision.text_sha1,
            revision.text_attributes,
        )
        for slot in revision.slots:
            self._slot(out, slot)
        sha1 = revision.sha1 if revision.sha1 is not None else revision.computed_sha1()
        if sha1 is None:
            out.append("      <sha1 />\n")
        else:
            out.append(f"      <sha1>{escape_text(sha1)}</sha1>\n")
        for extra in revision.extras:
            out.append(f"      {extra}\n")
        out.append("    </revision>\n")

    def close(self) -> None:
        """Write the closing root tag (once). The stream stays open."""
        if not self._closed:
            self._write("</mediawiki>\n")
            self._closed = True


def compression_for(path: str | Path) -> str | None:
    """The compression a file name asks for: ``bz2``, ``gzip``, ``xz`` or ``None``."""
    suffix = Path(path).suffix.lower()
    return {".bz2": "bz2", ".gz": "gzip", ".gzip": "gzip", ".xz": "xz"}.get(suffix)


@contextlib.contextmanager
def _compressed(handle: BinaryIO, compression: str | None, name: str) -> Iterator[BinaryIO]:
    if compression is None:
        yield handle
        return
    stream: BinaryIO
    if compression == "bz2":
        stream = bz2.BZ2File(handle, "wb", compresslevel=9)  # type: ignore[assignment]
    elif compression == "gzip":
        stream = gzip.GzipFile(  # type: ignore[assignment]
            filename=name, mode="wb", fileobj=handle, mtime=0
        )
    elif compression == "xz":
        stream = lzma.LZMAFile(handle, "wb")  # type: ignore[assignment]  # noqa: SIM115
    else:
        raise ValueError(f"unknown compression {compression!r}")
    try:
        yield stream
    finally:
        stream.close()


@contextlib.contextmanager
def open_writer(
    path: str | Path, siteinfo: SiteInfo | None = None, *, compression: str | None = None
) -> Iterator[DumpWriter]:
    """Write a dump to ``path`` (``"-"``: stdout), atomically, compressed by extension.

    The file appears only when the block completes; if it raises, no output is left behind
    (an existing file at ``path`` stays as it was).
    """
    if str(path) == "-":
        writer = DumpWriter(sys.stdout.buffer, siteinfo)
        yield writer
        writer.close()
        sys.stdout.buffer.flush()
        return
    path = Path(path)
    if compression is None:
        compression = compression_for(path)
    inner_name = path.name.rsplit(".", 1)[0] if compression else path.name
    if path.is_dir():
        raise OutputError(f"{path}: is a directory; give a file name for the dump")
    try:
        with (
            atomic_output(path) as handle,
            _compressed(cast(BinaryIO, handle), compression, inner_name) as stream,
        ):
            writer = DumpWriter(stream, siteinfo)
            yield writer
            writer.close()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise OutputError(f"{path}: cannot write the dump ({reason})") from None
