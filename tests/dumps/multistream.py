"""Build a multistream dump and its index from a dump, as Wikimedia writes them.

The first bz2 stream holds the document start and the ``<siteinfo>``; then each stream holds
``per_stream`` pages; a last stream closes the root. The index has one
``offset:page_id:title`` line a page, ``offset`` being where the page's stream starts.
"""

from __future__ import annotations

import bz2
import html
import re
from pathlib import Path

_PAGE = re.compile(rb"[ \t]*<page>.*?</page>\n?", re.DOTALL)
_TITLE = re.compile(rb"<title>(.*?)</title>", re.DOTALL)
_ID = re.compile(rb"<id>(\d+)</id>")


def write_multistream(
    source: Path, target: Path, index: Path, *, per_stream: int = 100, compress_index: bool = True
) -> int:
    """Write ``target`` (multistream .bz2) and ``index`` from the dump ``source``.

    Returns the number of page streams written.
    """
    data = bz2.decompress(source.read_bytes()) if source.suffix == ".bz2" else source.read_bytes()
    pages = list(_PAGE.finditer(data))
    assert pages, "no pages in the source dump"
    header = data[: pages[0].start()]
    tail = data[pages[-1].end() :]
    lines: list[str] = []
    streams = 0
    with target.open("wb") as out:
        out.write(bz2.compress(header))
        for first in range(0, len(pages), per_stream):
            group = pages[first : first + per_stream]
            offset = out.tell()
            for match in group:
                chunk = match.group()
                title = html.unescape(_TITLE.search(chunk).group(1).decode())  # type: ignore[union-attr]
                page_id = _ID.search(chunk).group(1).decode()  # type: ignore[union-attr]
                lines.append(f"{offset}:{page_id}:{title}\n")
            out.write(bz2.compress(b"".join(match.group() for match in group)))
            streams += 1
        out.write(bz2.compress(tail))
    text = "".join(lines).encode("utf-8")
    index.write_bytes(bz2.compress(text) if compress_index else text)
    return streams
