"""``load_site``: turn a ``--site`` argument into a :class:`SiteContext`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from wikitools.errors import SiteError

if TYPE_CHECKING:
    from wikitools.site.context import SiteContext

_XML_SUFFIXES = (".xml", ".xml.bz2", ".xml.gz", ".bz2", ".gz")


def _looks_like_xml(path: Path) -> bool:
    from wikitools.site.xmlexport import open_maybe_compressed

    with open_maybe_compressed(path) as stream:
        head = stream.read(512)
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


def load_site(spec: str | Path) -> SiteContext:
    """The site a ``--site`` argument describes.

    * a directory: one file per page (:mod:`wikitools.site.pagedir`);
    * ``*.xml``, ``*.xml.bz2``, ``*.xml.gz`` (or any file starting with ``<``): an XML
      export (:mod:`wikitools.site.xmlexport`);
    * any other file: an inventory, one title per line (:mod:`wikitools.site.inventory`).

    Raises :class:`SiteError` naming the path when it cannot be read. Each backend is
    imported when it is chosen (the XML one needs lxml).
    """
    text = str(spec)
    if text.startswith(("http://", "https://")):
        raise SiteError(
            f"{text}: live wikis are not supported by --site yet; "
            "export the wiki's templates and modules (Special:Export) and pass the XML file"
        )
    path = Path(spec)
    if path.is_dir():
        from wikitools.site.pagedir import DirectorySite

        return DirectorySite.from_directory(path)
    if not path.exists():
        raise SiteError(f"{path}: no such file or directory")
    if path.name.lower().endswith(_XML_SUFFIXES) or _looks_like_xml(path):
        from wikitools.site.xmlexport import XmlExportSite

        return XmlExportSite.from_file(path)
    from wikitools.site.inventory import InventorySite

    return InventorySite.from_file(path)
