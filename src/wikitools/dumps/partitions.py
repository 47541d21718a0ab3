"""Cut a dump into partitions that workers read on their own, with no engine involved.

A :class:`Partition` is a small picklable value: the dump's path, a byte range of it and what
a worker needs to read that range as a dump of its own (the document header with the
``<siteinfo>``). Workers open their partitions themselves (:func:`open_partition`), so no
page text travels from a driver to a worker.

- A **multistream** ``.bz2`` (concatenated bz2 streams of 100 pages each, as Wikimedia writes
  them) with its index (``offset:page_id:title`` lines, plain or ``.bz2``): consecutive
  streams are grouped into partitions of about ``target_bytes`` of compressed input. A worker
  seeks to its first stream, decompresses stream after stream up to its end, and reads the
  root-less ``<page>`` elements wrapped in the header of the first stream (which holds the
  root element, its namespace and the site information).
- **Split dumps** (``pages-articles1.xml-p1p41242.bz2``, ``pages-articles2.xml-p…``): pass
  the files as a sequence; each file is one partition, in the order given.
- An uncompressed ``.xml`` larger than ``target_bytes``: byte ranges cut at ``<page>``
  boundaries, each wrapped like a multistream partition.
- Anything else (``.bz2`` without an index, ``.gz``, ``.xz``, a small ``.xml``): one partition.

Every byte a worker reads still goes through :mod:`wikitools.xmlsafe` (the prolog check and
the hardened parser), via :class:`~wikitools.dumps.reader.DumpReader`.
"""

from __future__ import annotations

import bz2
import io
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from wikitools.dumps.reader import DumpReader
from wikitools.errors import DumpError, InputError
from wikitools.xmlsafe import detect_compression, detect_encoding

#: About this many bytes of input (compressed, for a multistream dump) per partition.
TARGET_BYTES = 64 * 1024 * 1024

_CHUNK = 1 << 20
_PAGE_START = b"<page>"
_ROOT_END = re.compile(rb"</mediawiki>\s*\Z")
#: How far past a cut point to look for the next ``<page>`` in an uncompressed dump.
_SCAN = 1 << 22
#: Bytes read to recognize compression and encoding.
PEEK = 16
#: Where the first ``<page>`` of an uncompressed dump must start for it to be cut in ranges.
PROLOG = 1 << 20

DumpPath = str | os.PathLike[str]


@dataclass(frozen=True, slots=True)
class Partition:
    """One worker's share of a dump: ``path`` from byte ``start`` to ``end`` (``None``: EOF).

    ``kind`` is ``"file"`` (the whole file, read as it is), ``"streams"`` (whole bz2 streams
    of a multistream dump) or ``"range"`` (a byte range of uncompressed XML). For the last
    two, ``header`` is the document start to put before the pages (root element and
    ``<siteinfo>``) and ``skip`` the bytes to drop from the start of the decompressed range
    (the header itself, when the range begins at the top of the file). ``number`` orders the
    partitions of a plan; ``pages`` is the page count the index gives (0: unknown).
    """

    number: int
    path: str
    kind: str
    start: int = 0
    end: int | None = None
    header: bytes = b""
    skip: int = 0
    pages: int = 0

    @property
    def name(self) -> str:
        """A name for files derived from this partition (``part-00003``)."""
        return f"part-{self.number:05d}"

    @property
    def size(self) -> int:
        """Bytes of input this partition covers (of the file, for ``end=None``)."""
        end = self.end if self.end is not None else _file_size(self.path)
        return max(0, end - self.start)


def _file_size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def _absolute(path: DumpPath) -> str:
    if str(path) == "-":
        raise InputError("a dump read from stdin cannot be partitioned; give its file name")
    resolved = Path(path).resolve()
    if not resolved.is_file():
        raise InputError(f"{path}: no such file")
    return str(resolved)


def plan_partitions(
    dump: DumpPath | Sequence[DumpPath],
    index: DumpPath | None = None,
    target_bytes: int = TARGET_BYTES,
) -> list[Partition]:
    """The partitions of a dump, in dump order (see the module docs for how each kind is cut).

    ``dump`` is one file, or the files of a split dump in order. ``index`` is the multistream
    index of a ``.bz2`` dump; when it is ``None`` and a file named as Wikimedia names the index
    (``…-multistream-index.txt.bz2`` beside ``…-multistream.xml.bz2``) exists, that one is
    used. Raises :class:`~wikitools.errors.InputError` for missing files and
    :class:`~wikitools.errors.DumpError` for an index that does not fit the dump.
    """
    if target_bytes <= 0:
        raise ValueError("target_bytes must be positive")
    if not isinstance(dump, str | os.PathLike):
        files = [_absolute(path) for path in dump]
        if index is not None:
            raise InputError("an index belongs to one multistream file, not to a split dump")
        if not files:
            raise InputError("no dump files given")
        return [Partition(number, path, "file") for number, path in enumerate(files)]
    path = _absolute(dump)
    with open(path, "rb") as handle:
        head = handle.read(PEEK)
    compression = detect_compression(head)
    if compression == "bz2":
        index_path = str(index) if index is not None else find_index(path)
        if index_path is None:
            return [Partition(0, path, "file")]
        return _multistream(path, read_index(index_path), target_bytes)
    if index is not None:
        raise InputError(f"{dump}: an index only applies to a multistream .bz2 dump")
    if compression is None and detect_encoding(head) == "utf-8":
        return _ranges(path, target_bytes)
    return [Partition(0, path, "file")]


def find_index(dump: DumpPath) -> str | None:
    """The multistream index Wikimedia ships beside ``dump``, if it exists."""
    name = str(dump)
    if not name.endswith("multistream.xml.bz2"):
        return None
    base = name[: -len(".xml.bz2")]
    for candidate in (f"{base}-index.txt.bz2", f"{base}-index.txt"):
        if os.path.isfile(candidate):
            return candidate
    return None


def read_index(index: DumpPath) -> list[tuple[int, int]]:
    """``(offset, pages)`` of every stream a multistream index lists, in file order.

    Index lines are ``offset:page_id:title`` (titles may contain colons); the file may be
    bz2-compressed. Raises :class:`~wikitools.errors.DumpError` naming the line of a malformed
    entry or of an offset that goes backwards.
    """
    try:
        raw = open(index, "rb")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise InputError(f"{index}: cannot read the index ({exc.strerror})") from None
    with raw:
        magic = raw.read(3)
        raw.seek(0)
        stream: io.BufferedIOBase = bz2.BZ2File(raw) if magic == b"BZh" else raw
        streams: list[tuple[int, int]] = []
        try:
            for number, line in enumerate(stream, 1):
                if not line.strip():
                    continue
                offset_text, _, rest = line.partition(b":")
                page_id, sep, _title = rest.partition(b":")
                if not sep or not offset_text.strip().isdigit() or not page_id.strip().isdigit():
                    raise DumpError(f"{index}: line {number} is not 'offset:page_id:title'", number)
                offset = int(offset_text)
                if streams and offset == streams[-1][0]:
                    streams[-1] = (offset, streams[-1][1] + 1)
                elif streams and offset < streams[-1][0]:
                    raise DumpError(f"{index}: line {number}: offset {offset} goes back", number)
                else:
                    streams.append((offset, 1))
        except (OSError, EOFError) as exc:
            raise DumpError(f"{index}: cannot decompress the index ({exc})") from None
    if not streams:
        raise DumpError(f"{index}: the index lists no pages")
    return streams


def _first_stream(path: str) -> bytes:
    """The decompressed first bz2 stream of ``path`` (Wikimedia's: header and siteinfo)."""
    decompressor = bz2.BZ2Decompressor()
    out: list[bytes] = []
    with open(path, "rb") as handle:
        while not decompressor.eof:
            chunk = handle.read(1 << 16)
            if not chunk:
                raise DumpError(f"{path}: the first bz2 stream ends early (truncated file?)")
            try:
                out.append(decompressor.decompress(chunk))
            except OSError as exc:
                raise DumpError(f"{path}: cannot decompress the first stream ({exc})") from None
    return b"".join(out)


def _split_header(path: str, data: bytes) -> tuple[bytes, int]:
    """``(header, its length)``: the document start before the first ``<page>``."""
    at = data.find(_PAGE_START)
    if at < 0:
        end = re.search(rb"</mediawiki>", data)
        at = end.start() if end else len(data)
    header = data[:at]
    if b"<mediawiki" not in header:
        raise DumpError(f"{path}: the dump does not start with a <mediawiki> element")
    return header, at


def _multistream(path: str, streams: list[tuple[int, int]], target: int) -> list[Partition]:
    size = _file_size(path)
    if streams[-1][0] >= size:
        raise DumpError(f"{path}: the index lists offset {streams[-1][0]} past the end of the file")
    header, header_length = _split_header(path, _first_stream(path))
    skip = header_length if streams[0][0] == 0 else 0
    partitions: list[Partition] = []
    group_start, group_pages = streams[0][0], 0
    for number, (_offset, pages) in enumerate(streams):
        following = streams[number + 1][0] if number + 1 < len(streams) else None
        group_pages += pages
        last = following is None
        if last or (following is not None and following - group_start >= target):
            partitions.append(
                Partition(
                    len(partitions),
                    path,
                    "streams",
                    group_start,
                    following,
                    header,
                    skip if group_start == streams[0][0] else 0,
                    group_pages,
                )
            )
            if following is not None:
                group_start, group_pages = following, 0
    return partitions


def _ranges(path: str, target: int) -> list[Partition]:
    size = _file_size(path)
    with open(path, "rb") as handle:
        head = handle.read(min(size, PROLOG))
        at = head.find(_PAGE_START)
        if size <= target or at < 0:
            return [Partition(0, path, "file")]
        header = head[:at]
        cuts = [at]
        position = at + target
        while position < size:
            handle.seek(position)
            window = handle.read(_SCAN)
            found = window.find(_PAGE_START)
            if found < 0:
                break
            cuts.append(position + found)
            position = cuts[-1] + target
    ends: list[int | None] = [*cuts[1:], None]
    return [
        Partition(number, path, "range", start, end, header, 0)
        for number, (start, end) in enumerate(zip(cuts, ends, strict=True))
    ]


class _PartitionStream(io.RawIOBase):
    """The XML of one partition: header, the range's pages (decompressed), closing tag.

    A closing ``</mediawiki>`` at the very end of the range (the last stream of a dump) is
    dropped, as the wrapper closes the root itself.
    """

    def __init__(self, part: Partition) -> None:
        super().__init__()
        self._part = part
        self._file = open(part.path, "rb")  # noqa: SIM115 - closed by close()
        self._file.seek(part.start)
        self._left = None if part.end is None else part.end - part.start
        self._decompressor = bz2.BZ2Decompressor() if part.kind == "streams" else None
        self._skip = part.skip
        self._chunks = self._generate()
        self._buffer = memoryview(b"")

    def readable(self) -> bool:
        return True

    def _raw(self) -> Iterator[bytes]:
        while self._left is None or self._left > 0:
            size = _CHUNK if self._left is None else min(_CHUNK, self._left)
            data = self._file.read(size)
            if not data:
                if self._left:
                    raise DumpError(f"{self._part.path}: the file ends inside {self._part.name}")
                return
            if self._left is not None:
                self._left -= len(data)
            yield data

    def _decompressed(self) -> Iterator[bytes]:
        if self._decompressor is None:
            yield from self._raw()
            return
        for data in self._raw():
            while data:
                if self._decompressor.eof:
                    data = self._decompressor.unused_data + data
                    self._decompressor = bz2.BZ2Decompressor()
                try:
                    out = self._decompressor.decompress(data)
                except OSError as exc:
                    end = self._part.end if self._part.end is not None else "the end"
                    raise DumpError(
                        f"{self._part.path}: cannot decompress {self._part.name} "
                        f"(from byte {self._part.start} to {end}): {exc}; "
                        "does the index belong to this dump?"
                    ) from None
                data = b""
                if self._decompressor.eof and self._decompressor.unused_data:
                    data = self._decompressor.unused_data
                    self._decompressor = bz2.BZ2Decompressor()
                if out:
                    yield out
        if not self._decompressor.eof:
            raise DumpError(f"{self._part.path}: {self._part.name} ends inside a bz2 stream")

    def _generate(self) -> Iterator[bytes]:
        yield self._part.header
        tail = b""
        for data in self._decompressed():
            if self._skip:
                cut = min(self._skip, len(data))
                data, self._skip = data[cut:], self._skip - cut
            data = tail + data
            # Hold back the last bytes: they may be the closing tag of the whole dump.
            tail, data = data[-64:], data[:-64]
            if data:
                yield data
        yield _ROOT_END.sub(b"", tail)
        yield b"</mediawiki>\n"

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        view = memoryview(buffer).cast("B")
        while not self._buffer:
            try:
                self._buffer = memoryview(next(self._chunks))
            except StopIteration:
                return 0
        size = min(len(view), len(self._buffer))
        view[:size] = self._buffer[:size]
        self._buffer = self._buffer[size:]
        return size

    def close(self) -> None:
        self._file.close()
        super().close()


class _PartitionReader(DumpReader):
    """A reader that also closes the partition stream it reads."""

    def __init__(self, part: Partition) -> None:
        self._raw_stream = _PartitionStream(part)
        stream = io.BufferedReader(self._raw_stream, buffer_size=_CHUNK)
        try:
            super().__init__(stream, name=f"{part.path} ({part.name})")
        except BaseException:
            self._raw_stream.close()
            raise

    def close(self) -> None:
        super().close()
        self._raw_stream.close()


def open_partition(part: Partition) -> DumpReader:
    """A :class:`DumpReader` over the pages of one partition (use it as a context manager)."""
    if part.kind == "file":
        return DumpReader(part.path)
    return _PartitionReader(part)
