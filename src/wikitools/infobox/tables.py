"""Reading hand-written infobox tables (``{| class="infobox" …``) as labelled rows."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from mwparserfromhell.nodes import Tag, Wikilink
from mwparserfromhell.wikicode import Wikicode

RowKind = Literal["title", "image", "header", "text", "field"]


@dataclass(frozen=True, slots=True)
class TableRow:
    """One row of an infobox table, classified."""

    kind: RowKind
    value: str
    label: str = ""
    caption: str = ""


_QUOTES = re.compile(r"'{2,}")
_BOLD = re.compile(r"'{3}(?:(?!'{3}).)+'{3}", re.DOTALL)
_FILE = re.compile(r"^(?:file|image)\s*:", re.IGNORECASE)


def is_infobox_table(node: object) -> bool:
    """True for a wikitable (``{|``) whose class list contains ``infobox``."""
    if not isinstance(node, Tag) or node.wiki_markup != "{|":
        return False
    for attr in node.attributes:
        if str(attr.name).strip().casefold() == "class" and attr.value is not None:
            classes = str(attr.value).split()
            return any(c.casefold() == "infobox" or c.startswith("infobox") for c in classes)
    return False


def plain_text(code: Wikicode | str) -> str:
    """The visible text of a label: markup, bold/italic quotes and a trailing colon removed."""
    text = code.strip_code() if isinstance(code, Wikicode) else str(code)
    text = _QUOTES.sub("", text)
    text = re.sub(r"<[^>]+>", "", text)
    return re.sub(r"\s+", " ", text).strip().rstrip(":").strip()


def _cells(row: Tag) -> list[Tag]:
    return [n for n in row.contents.nodes if isinstance(n, Tag) and str(n.tag) in ("td", "th")]


def _file_link(code: Wikicode) -> tuple[Wikilink | None, str]:
    """The first File:/Image: link of a cell and the cell's remaining text (the caption)."""
    for node in code.nodes:
        if isinstance(node, Wikilink) and _FILE.match(str(node.title).strip()):
            rest = str(code).replace(str(node), "", 1)
            rest = re.sub(r"^\s*(?:<br\s*/?>\s*)+", "", rest.strip(), flags=re.IGNORECASE)
            return node, rest.strip()
    return None, ""


def _is_caption(cell: Tag) -> bool:
    return str(cell.tag) == "td" and str(cell.contents).lstrip().startswith("+")


def read_table(table: Tag) -> list[TableRow]:
    """The rows of an infobox table in order: title, image, headers, fields, plain text."""
    rows: list[list[Tag]] = []
    loose: list[Tag] = []
    for node in table.contents.nodes:
        if not isinstance(node, Tag):
            continue
        tag = str(node.tag)
        if tag == "tr":
            if loose:
                rows.append(loose)
                loose = []
            rows.append(_cells(node))
        elif tag in ("td", "th"):
            if _is_caption(node):
                rows.append([node])
            else:
                loose.append(node)
    if loose:
        rows.append(loose)
    result: list[TableRow] = []
    for cells in rows:
        if not cells:
            continue
        if len(cells) == 1 and _is_caption(cells[0]):
            caption = str(cells[0].contents).lstrip()[1:]
            result.append(TableRow("title", _QUOTES.sub("", caption).strip()))
            continue
        if len(cells) >= 2:
            label = plain_text(cells[0].contents)
            value = " ".join(str(c.contents).strip() for c in cells[1:]).strip()
            if label or value:
                result.append(TableRow("field", value, label=label))
            continue
        cell = cells[0]
        content = str(cell.contents).strip()
        if not content:
            continue
        link, caption = _file_link(cell.contents)
        if link is not None:
            result.append(TableRow("image", str(link), caption=caption))
        elif str(cell.tag) == "th" or _BOLD.fullmatch(content):
            kind: RowKind = "title" if not result else "header"
            shown = plain_text(cell.contents) if kind == "header" else _QUOTES.sub("", content)
            result.append(TableRow(kind, shown.strip()))
        else:
            result.append(TableRow("text", content))
    return result
