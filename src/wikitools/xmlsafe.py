"""The one hardened entry for XML input: files, stdin, compression, the prolog check, the parser.

Every XML document wikitools reads (a dump for ``dump lint``/``dump fix``, an export passed as
``--site``, a dump handed to the sandbox's importer) is opened with :class:`DumpInput` and parsed
with :func:`iterparse`, so all of them refuse entities, DTDs and entity bombs the same way,
with a :class:`~wikitools.errors.DumpError` naming the file and position.

Compression is recognized by its magic bytes, not the file name, so ``dump.xml.bz2`` renamed to
``dump.xml`` or piped through stdin still reads. Before any byte reaches the XML parser, the
document prolog is checked: XML dumps never carry a DOCTYPE with entity declarations or an
external DTD, so such input is refused with its position (no expansion, no file or network
access can happen). The parser then resolves no entities, loads no DTD and never touches the
network, and :func:`element_text` refuses an entity reference left in an element's text.
"""

from __future__ import annotations

import bz2
import codecs
import gzip
import io
import logging
import lzma
import os
import re
import stat
import sys
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Protocol

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer
    from lxml import etree

from wikitools.errors import DumpError, InputError

logger = logging.getLogger(__name__)

#: Where the prolog check looks for a DOCTYPE: dumps put the root element in the first line.
PROLOG_LIMIT = 1 << 16

_COMPRESSIONS: tuple[tuple[bytes, str], ...] = (
    (b"BZh", "bz2"),
    (b"\x1f\x8b", "gzip"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"\x28\xb5\x2f\xfd", "zstd"),
)
_UNSUPPORTED = {"7z", "zstd"}
_DECOMPRESSION_ERRORS = (EOFError, OSError, lzma.LZMAError, zlib.error, ValueError)


class Readable(Protocol):
    """What the reader needs from a binary stream."""

    def read(self, size: int = -1, /) -> bytes: ...


class _Counting(io.RawIOBase):
    """A raw stream that counts the bytes read through it (for progress bars)."""

    def __init__(self, inner: BinaryIO) -> None:
        super().__init__()
        self._inner = inner
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        view = memoryview(buffer).cast("B")
        data = self._inner.read(len(view))
        size = len(data)
        view[:size] = data
        self.count += size
        return size


def _regular_file_size(raw: BinaryIO) -> int | None:
    try:
        info = os.fstat(raw.fileno())
    except (OSError, AttributeError, ValueError, io.UnsupportedOperation):
        return None
    return info.st_size if stat.S_ISREG(info.st_mode) else None


def detect_compression(head: bytes) -> str | None:
    """The compression format the first bytes of a file announce, or ``None`` for plain."""
    for magic, name in _COMPRESSIONS:
        if head.startswith(magic):
            return name
    return None


def detect_encoding(head: bytes) -> str:
    """The text encoding of an XML document from its first bytes (BOM or ``<?xml`` pattern)."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith(codecs.BOM_UTF16_LE) or head.startswith(b"<\x00?\x00"):
        return "utf-16-le"
    if head.startswith(codecs.BOM_UTF16_BE) or head.startswith(b"\x00<\x00?"):
        return "utf-16-be"
    return "utf-8"


_ROOT_OR_DOCTYPE = re.compile(r"<!DOCTYPE|<(?![?!])")
_ROOT_START = re.compile(r"<(?![?!])")
_ROOT_NAME = re.compile(r"<([^\s/>]+)")
_ENTITY_DECL = re.compile(
    r"<!ENTITY\s+(?:%\s+)?(?P<name>[^\s>]*)(?:\s+(?P<external>SYSTEM|PUBLIC)\b)?"
)
_EXTERNAL_ID = re.compile(r"<!DOCTYPE\s+[^\s\[>]+\s+(SYSTEM|PUBLIC)\b")


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def check_prolog(head: bytes, name_of_source: str) -> None:
    """Refuse a document whose prolog declares entities or points at an external DTD, or
    whose root element is not ``<mediawiki>``.

    ``head`` is the start of the decompressed document. Raises :class:`DumpError` naming the
    line and column of the offending declaration or element.
    """
    encoding = detect_encoding(head)
    text = codecs.getincrementaldecoder(encoding)(errors="replace").decode(head)
    text = text.removeprefix("\ufeff")
    match = _ROOT_OR_DOCTYPE.search(text)
    root = match
    if match is not None and match.group() == "<!DOCTYPE":
        root = _ROOT_START.search(text, match.start() + 1)
        _check_doctype(text, match.start(), root, name_of_source, len(head) >= PROLOG_LIMIT)
    if root is None:
        return
    name = _ROOT_NAME.match(text, root.start())
    if name is not None and name.group(1).rpartition(":")[2] != "mediawiki":
        line, column = _position(text, root.start())
        raise DumpError(
            f"{name_of_source}: the root element is <{name.group(1)}>, not <mediawiki>; "
            "this is not a MediaWiki XML export",
            line,
            column,
        )


def _check_doctype(
    text: str,
    doctype_start: int,
    root: re.Match[str] | None,
    name_of_source: str,
    head_is_full: bool,
) -> None:
    entity = _ENTITY_DECL.search(text, doctype_start)
    if entity is not None and (root is None or entity.start() < root.start()):
        line, column = _position(text, entity.start())
        name = entity.group("name")
        if entity.group("external"):
            problem = (
                f"declares the external entity '{name}', a way to read local files "
                "or reach the network"
            )
        else:
            problem = f"declares the entity '{name}', whose expansion can exhaust memory"
        raise DumpError(
            f"{name_of_source}: the DOCTYPE {problem}; MediaWiki dumps never declare entities, "
            "so the file is refused",
            line,
            column,
        )
    if _EXTERNAL_ID.match(text, doctype_start):
        line, column = _position(text, doctype_start)
        raise DumpError(
            f"{name_of_source}: the DOCTYPE refers to an external DTD, "
            "which MediaWiki dumps never do; refusing to read it",
            line,
            column,
        )
    if root is None and head_is_full:
        line, column = _position(text, doctype_start)
        raise DumpError(
            f"{name_of_source}: the DOCTYPE is longer than {PROLOG_LIMIT} bytes, "
            "which MediaWiki dumps never are; refusing it",
            line,
            column,
        )


class DumpInput:
    """A readable dump: decompressed, counted, prolog-checked, never raising from ``read``.

    Decompression errors (a truncated ``.bz2`` or ``.gz``) are recorded in ``failure`` and end
    the stream, so the XML parser reports where the document broke off; the reader then
    combines both into one :class:`DumpError`.
    """

    def __init__(self, source: str | os.PathLike[str] | BinaryIO, name: str | None = None) -> None:
        self._owned: BinaryIO | None = None
        raw: BinaryIO
        self.total_bytes: int | None = None
        if isinstance(source, str | os.PathLike):
            path = Path(source)
            if str(source) == "-":
                raw = sys.stdin.buffer
                self.name = name or "<stdin>"
            else:
                self.name = name or str(path)
                try:
                    raw = open(path, "rb")  # noqa: SIM115 - closed by close()
                except FileNotFoundError:
                    raise InputError(f"{path}: no such file") from None
                except IsADirectoryError:
                    raise InputError(f"{path}: is a directory, not a dump file") from None
                except OSError as exc:
                    raise InputError(f"{path}: cannot read ({exc.strerror})") from None
                self._owned = raw
        else:
            raw = source
            self.name = name or str(getattr(source, "name", "<stream>"))
        self.total_bytes = _regular_file_size(raw)
        self._counter = _Counting(raw)
        buffered = io.BufferedReader(self._counter, buffer_size=1 << 16)
        magic = buffered.peek(8)[:8]
        self.compression = detect_compression(magic)
        if self.compression in _UNSUPPORTED:
            self.close()
            raise InputError(
                f"{self.name}: {self.compression} archives cannot be read directly; "
                f"decompress first, or pipe the XML in: `7z e -so FILE | wikitools dump … -`"
            )
        self._stream: Readable
        if self.compression == "bz2":
            self._stream = bz2.BZ2File(buffered, "rb")
        elif self.compression == "gzip":
            self._stream = gzip.GzipFile(fileobj=buffered, mode="rb")
        elif self.compression == "xz":
            self._stream = lzma.LZMAFile(buffered, "rb")  # noqa: SIM115
        else:
            self._stream = buffered
        self.failure: str | None = None
        self.eof = False
        self.decompressed_bytes = 0
        self._head = self._read_raw(PROLOG_LIMIT)
        if self.failure is not None:
            self.close()
            raise DumpError(f"{self.name}: {self.failure}")
        if not self._head:
            self.close()
            raise DumpError(f"{self.name}: the file is empty")
        self.encoding = detect_encoding(self._head)
        try:
            check_prolog(self._head, self.name)
        except DumpError:
            self.close()
            raise

    @property
    def bytes_read(self) -> int:
        """Bytes consumed from the file so far (compressed bytes for compressed input)."""
        return self._counter.count

    def _read_raw(self, size: int) -> bytes:
        if self.eof:
            return b""
        try:
            data = self._stream.read(size)
        except _DECOMPRESSION_ERRORS as exc:
            self.failure = self._describe(exc)
            self.eof = True
            return b""
        if not data:
            self.eof = True
        self.decompressed_bytes += len(data)
        return data

    def _describe(self, exc: BaseException) -> str:
        kind = self.compression or "input"
        at = f"after byte {self.bytes_read}"
        if isinstance(exc, EOFError):
            return f"the {kind} data ends early, {at} (truncated file?)"
        detail = str(exc) or type(exc).__name__
        return f"cannot decompress the {kind} data {at}: {detail}"

    def read(self, size: int = -1) -> bytes:
        """Read decompressed bytes; returns ``b""`` at the end or after a decompression error."""
        if self._head:
            if size < 0 or size >= len(self._head):
                data, self._head = self._head, b""
                if size < 0:
                    data += self._read_raw(-1)
                return data
            data, self._head = self._head[:size], self._head[size:]
            return data
        return self._read_raw(size)

    def close(self) -> None:
        """Close the file if this object opened it."""
        if self._owned is not None:
            self._owned.close()
            self._owned = None


#: The options every XML parse in wikitools uses: nothing is loaded from outside the document.
PARSER_OPTIONS: dict[str, bool] = {
    "resolve_entities": False,
    "load_dtd": False,
    "no_network": True,
    "huge_tree": True,
    "remove_comments": True,
    "remove_pis": True,
}


def iterparse(
    source: DumpInput, *, tag: tuple[str, ...] | None = None
) -> Iterator[tuple[str, etree._Element]]:
    """Stream ``("end", element)`` pairs from a prolog-checked input, with the hardened options.

    Only a :class:`DumpInput` is accepted, so no document reaches the parser unchecked.
    """
    from lxml import etree

    if not isinstance(source, DumpInput):
        raise TypeError("iterparse reads a DumpInput (the prolog-checked entry), not a raw stream")
    etree.clear_error_log()  # so a failure's log holds this document's errors only
    options: dict[str, Any] = dict(PARSER_OPTIONS)
    if tag is not None:
        options["tag"] = tag
    events: Iterator[tuple[str, etree._Element]] = etree.iterparse(
        source, events=("end",), **options
    )
    return events


def entity_child(element: etree._Element) -> etree._Element | None:
    """The first entity reference among ``element``'s children, if any (left unresolved)."""
    from lxml import etree

    for child in element:
        if isinstance(child, etree._Entity):
            found: etree._Element = child
            return found
    return None


def element_text(element: etree._Element, name_of_source: str) -> str:
    """The text of a leaf element; raises :class:`DumpError` on an entity reference inside it.

    An unresolved entity splits the text, and ``element.text`` alone would silently drop
    everything after it.
    """
    entity = entity_child(element)
    if entity is not None:
        line = entity.sourceline if isinstance(entity.sourceline, int) else element.sourceline
        raise DumpError(
            f"{name_of_source}: entity reference {entity.text} is not allowed in an XML export",
            line if isinstance(line, int) else None,
        )
    return element.text or ""


def entity_error(exc: etree.XMLSyntaxError, name_of_source: str) -> DumpError | None:
    """A clear error for a parse that failed on an undeclared entity reference, else ``None``.

    lxml reports such a failure as ``no element found`` at line 0; its error log has the
    real cause and position.
    """
    log: Iterable[Any] = exc.error_log  # type: ignore[assignment]  # iterable; stubs lack it
    entries = [entry for entry in log if entry.level_name == "FATAL"]
    if not entries:
        return None
    entry = entries[-1]  # the log may still hold earlier parses' errors: the last one is ours
    if "ENTITY" not in entry.type_name:
        return None
    return DumpError(
        f"{name_of_source}: entity reference refused ({entry.message}); "
        "MediaWiki dumps use only the five XML entities and character references",
        entry.line or None,
        entry.column or None,
    )


def check_file(path: str | os.PathLike[str]) -> None:
    """Open ``path`` through the hardened entry and parse it to the end, keeping nothing.

    For XML handed to another program (the sandbox's ``importDump.php``): raises
    :class:`DumpError` or :class:`InputError` for anything the dump reader would refuse.
    """
    from lxml import etree

    source = DumpInput(path)
    try:
        try:
            for _event, element in iterparse(source):
                if entity_child(element) is not None:
                    element_text(element, source.name)
                element.clear(keep_tail=True)  # type: ignore[call-arg]
        except etree.XMLSyntaxError as exc:
            refused = entity_error(exc, source.name)
            if refused is not None:
                raise refused from None
            line, column = exc.position if exc.position else (None, None)
            raise DumpError(f"{source.name}: malformed XML: {exc.msg}", line, column) from None
        if source.failure is not None:
            raise DumpError(f"{source.name}: {source.failure}")
    finally:
        source.close()
