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
#: Appended to the text of damaged pages: a fixable stray ``}}`` and problems left unfixed.
DAMAGE = b"\n\nSome text }} here. [[Link}} and {{cite web|url=x"


def write_multistream(
    source: Path,
    target: Path,
    index: Path,
    *,
    per_stream: int = 100,
    compress_index: bool = True,
    damage_every: int = 0,
) -> int:
    """Write ``target`` (multistream .bz2) and ``index`` from the dump ``source``.

    With ``damage_every`` N, every Nth page's text gets :data:`DAMAGE` appended (so that
    lint finds something and fix changes something on every stream). Returns the number of
    page streams written.
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
            chunks = []
            for number, match in enumerate(group, first):
                chunk = match.group()
                if damage_every and number % damage_every == 0 and b"</text>" in chunk:
                    chunk = chunk.replace(b"</text>", DAMAGE + b"</text>", 1)
                chunks.append(chunk)
                title = html.unescape(_TITLE.search(chunk).group(1).decode())  # type: ignore[union-attr]
                page_id = _ID.search(chunk).group(1).decode()  # type: ignore[union-attr]
                lines.append(f"{offset}:{page_id}:{title}\n")
            out.write(bz2.compress(b"".join(chunks)))
            streams += 1
        out.write(bz2.compress(tail))
    text = "".join(lines).encode("utf-8")
    index.write_bytes(bz2.compress(text) if compress_index else text)
    return streams
