"""The rows readers see in a rendered infobox, classic (``table.infobox``) or portable
(``aside.portable-infobox``), in one shape so the two can be compared."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import html as lxml_html
from lxml.html import HtmlElement

_SPACE = re.compile(r"\s+")


def _text(element: HtmlElement) -> str:
    return _SPACE.sub(" ", element.text_content().replace("\xa0", " ")).strip()


@dataclass(frozen=True)
class Row:
    """One visible row: its label ("" for headings, titles and full-width cells) and text."""

    label: str
    value: str

    @property
    def text(self) -> str:
        """Label and value as one line, as a reader reads the row."""
        return f"{self.label} {self.value}".strip()


@dataclass(frozen=True)
class Image:
    """A shown image: the file it shows (None when only its name is shown), alt, caption."""

    file: str | None
    alt: str
    caption: str


@dataclass(frozen=True)
class Box:
    """The rows of one rendered infobox, and the images it shows apart from them."""

    rows: list[Row]
    images: list[Image]

    @property
    def texts(self) -> list[str]:
        """Each row as one line."""
        return [r.text for r in self.rows]


def _document(page_html: str) -> HtmlElement:
    doc = lxml_html.fromstring(page_html)
    for br in doc.iter("br"):
        br.tail = " " + (br.tail or "")
    return doc


def _has_class(name: str) -> str:
    return f'contains(concat(" ", normalize-space(@class), " "), " {name} ")'


def _image(container: HtmlElement, caption: HtmlElement | None) -> Image:
    imgs = container.xpath(".//img")
    file = imgs[0].get("src", "").rsplit("/", 1)[-1].replace("_", " ") if imgs else None
    alt = imgs[0].get("alt", "") if imgs else ""
    return Image(file, alt, _text(caption) if caption is not None else "")


def classic_box(page_html: str) -> Box:
    """The first ``table.infobox`` of rendered HTML."""
    doc = _document(page_html)
    tables = doc.xpath(f"//table[{_has_class('infobox')}]")
    assert tables, "no infobox table in the rendered page"
    rows: list[Row] = []
    images: list[str] = []
    for tr in tables[0].iter("tr"):
        image = tr.xpath(f"./td[{_has_class('infobox-image')}]")
        if image:
            captions = image[0].xpath("./div")
            images.append(_image(image[0], captions[0] if captions else None))
            continue
        label = tr.xpath("./th[@scope='row']")
        cells = tr.xpath("./td") if label else tr.xpath("./th|./td")
        if label and len(cells) == 1 and cells[0].xpath(".//img") and not _text(cells[0]):
            images.append(_image(cells[0], label[0]))  # a labelled picture (a signature)
            continue
        value = " ".join(_text(c) for c in cells)
        rows.append(Row(_text(label[0]) if label else "", value))
    return Box(rows, images)


def portable_box(page_html: str) -> Box:
    """The first ``aside.portable-infobox`` of rendered HTML."""
    doc = _document(page_html)
    asides = doc.xpath(f"//aside[{_has_class('portable-infobox')}]")
    assert asides, "no portable infobox in the rendered page"
    rows: list[Row] = []
    images: list[str] = []
    for item in asides[0].xpath(f".//*[{_has_class('pi-item')}]"):
        if item.xpath(f"ancestor::*[{_has_class('pi-image')}]"):
            continue  # the caption of an image
        classes = set((item.get("class") or "").split())
        if "pi-image" in classes:
            captions = item.xpath(".//figcaption")
            images.append(_image(item, captions[0] if captions else None))
        elif classes & {"pi-title", "pi-header"}:
            rows.append(Row("", _text(item)))
        elif "pi-data" in classes:
            label = item.xpath(f"./*[{_has_class('pi-data-label')}]")
            value = item.xpath(f"./*[{_has_class('pi-data-value')}]")
            rows.append(Row(_text(label[0]) if label else "", _text(value[0]) if value else ""))
    return Box(rows, images)
