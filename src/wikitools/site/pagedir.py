"""A directory of pages: one file per page, the title encoded in the file name.

Encoding (portable to Windows, macOS and Linux file systems):

* A page file ends in ``.wiki``, ``.wikitext``, ``.mediawiki``, ``.txt`` or ``.lua``; that
  one suffix is dropped. Other files (``README.md``, dot-files) are ignored.
* The rest of the file name is the title, percent-encoded: ``%2F`` is ``/``, ``%3A`` is
  ``:``, ``%25`` is ``%`` (also ``%5C %2A %3F %22 %3C %3E %7C`` for ``\\ * ? " < > |``).
  ``_`` and space are the same in titles; :func:`encode_filename` writes ``_``.
* A file directly in the directory carries its full title: ``Template%3ASfn.wiki`` is
  ``Template:Sfn``; without a namespace prefix the page is in the main namespace.
* A file in a sub-directory named after a namespace (``Template/``, ``Module/``, or any
  name or alias the wiki knows) is in that namespace: ``Module/Footnotes%2Fanchor_id_list.lua``
  is ``Module:Footnotes/anchor id list``. This is how :func:`write_page` lays pages out.
* A file whose text starts with ``#REDIRECT [[Target]]`` is a redirect.
* An optional ``siteinfo.json`` (the API's ``meta=siteinfo`` answer with ``namespaces``,
  ``namespacealiases`` and optionally ``magicwords``/``functionhooks``/``variables``)
  describes the wiki's namespaces and magic words; without it the defaults of a stock
  MediaWiki 1.39 apply.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any

from wikitools.errors import SiteError
from wikitools.fileio import UnsafePathError, safe_path, walk_page_folder, write_text_atomic
from wikitools.parsing.magicwords import MagicWords
from wikitools.site.memory import MemorySite
from wikitools.titles import DEFAULT, MAIN, Namespaces

logger = logging.getLogger(__name__)

#: File suffixes that mark page files (one of them is dropped to get the title).
PAGE_SUFFIXES: tuple[str, ...] = (".wiki", ".wikitext", ".mediawiki", ".txt", ".lua")
SITEINFO_FILE = "siteinfo.json"

_UNSAFE = set('%/\\:*?"<>|')
_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")


def encode_filename(name: str) -> str:
    """Percent-encode a title (or page name) for a file name: ``a/b:c`` → ``a%2Fb%3Ac``."""
    out = []
    for char in name.replace(" ", "_"):
        if char in _UNSAFE or ord(char) < 0x20:
            out.append("".join(f"%{b:02X}" for b in char.encode("utf-8")))
        else:
            out.append(char)
    return "".join(out)


def decode_filename(stem: str) -> str:
    """Undo :func:`encode_filename` (any ``%XX`` escape is decoded as UTF-8)."""
    data = bytearray()
    cursor = 0
    for match in _ESCAPE.finditer(stem):
        data += stem[cursor : match.start()].encode("utf-8")
        data.append(int(match.group(1), 16))
        cursor = match.end()
    data += stem[cursor:].encode("utf-8")
    return data.decode("utf-8", errors="strict")


def page_suffix(filename: str) -> str | None:
    """The page suffix of a file name, or None when the file is not a page file."""
    if filename.startswith("."):
        return None
    lowered = filename.lower()
    for suffix in PAGE_SUFFIXES:
        if lowered.endswith(suffix) and len(filename) > len(suffix):
            return filename[-len(suffix) :]
    return None


def page_path(root: Path, title: str, namespaces: Namespaces = DEFAULT) -> Path:
    """Where :func:`write_page` stores ``title``: ``root/Namespace/encoded name.ext``.

    Lua modules get ``.lua`` (their ``/doc`` pages do not), everything else ``.wiki``;
    main-namespace pages lie in ``root``.
    """
    # Imported here: wikitools.sources reads this layout.
    from wikitools.contentmodel import SCRIBUNTO, default_model

    ns_id, name = namespaces.split(title)
    suffix = ".lua" if default_model(ns_id, title) == SCRIBUNTO else ".wiki"
    if ns_id == MAIN:
        return Path(root) / (encode_filename(name) + suffix)
    folder = encode_filename(namespaces.prefix_of(ns_id))
    return Path(root) / folder / (encode_filename(name) + suffix)


def write_page(root: Path, title: str, text: str, namespaces: Namespaces = DEFAULT) -> Path:
    """Write one page file atomically (creating the namespace directory); returns its path."""
    path = safe_path(root, page_path(root, title, namespaces))
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(path, text)
    return path


def _read_siteinfo(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise SiteError(f"{path}: not a readable siteinfo JSON file ({exc})") from None
    if isinstance(data, dict) and "query" in data:
        data = data["query"]
    if not isinstance(data, dict) or "namespaces" not in data:
        raise SiteError(f"{path}: expected the meta=siteinfo answer with 'namespaces'")
    return data


def siteinfo_context(info: dict[str, Any]) -> tuple[Namespaces, MagicWords | None]:
    """Namespaces and (when present) magic words from a siteinfo answer."""
    try:
        namespaces = Namespaces.from_siteinfo(info["namespaces"], info.get("namespacealiases", []))
        magic = None
        if "magicwords" in info:
            magic = MagicWords.from_siteinfo(
                info["magicwords"], info.get("functionhooks", []), info.get("variables", [])
            )
    except (KeyError, TypeError, ValueError) as exc:
        raise SiteError(f"siteinfo: unexpected structure ({exc!r})") from None
    return namespaces, magic


def directory_namespaces(root: Path) -> Namespaces:
    """The namespaces a site directory's ``siteinfo.json`` describes (stock ones without it)."""
    if not (Path(root) / SITEINFO_FILE).is_file():
        return DEFAULT
    return siteinfo_context(_read_siteinfo(Path(root) / SITEINFO_FILE))[0]


class DirectorySite(MemorySite):
    """A site read from a directory of page files (see the module docstring for the layout)."""

    @classmethod
    def from_directory(cls, root: Path) -> DirectorySite:
        """Read every page file under ``root``."""
        root = Path(root)
        if not root.is_dir():
            raise SiteError(f"{root}: not a directory")
        namespaces: Namespaces = DEFAULT
        magic: MagicWords | None = None
        _check(root, root / SITEINFO_FILE)
        if (root / SITEINFO_FILE).is_file():
            namespaces, magic = siteinfo_context(_read_siteinfo(root / SITEINFO_FILE))
        site = cls(namespaces=namespaces, magic_words=magic, name=str(root))
        origins: dict[str, Path] = {}
        for path in _walk(root):
            if not path.is_file():
                continue
            suffix = page_suffix(path.name) or ""
            title = site._title_of(root, path, suffix)
            normalized = site.normalize(title)
            if normalized in origins:
                raise SiteError(
                    f"{path}: page {normalized!r} is already defined by {origins[normalized]}"
                )
            origins[normalized] = path
            try:
                text = path.read_bytes().decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                raise SiteError(f"{path}: not valid UTF-8 at byte {exc.start}") from None
            except OSError as exc:
                raise SiteError(f"{path}: cannot read ({exc.strerror})") from None
            site.add(title, text, origin=str(path))
        logger.info("%s: %d pages", root, len(site))
        return site

    def _title_of(self, root: Path, path: Path, suffix: str) -> str:
        return layout_title(path.relative_to(root).parts, suffix, self.namespaces, str(path))


def _walk(root: Path) -> list[Path]:
    """Every page file below ``root``, sorted; a folder that cannot be read is a SiteError.

    (A site missing the pages of an unreadable folder would report their templates and
    modules as missing, so it is never read silently in part.) A symbolic link inside
    ``root`` is a SiteError too: a site is read only from the folder named.
    """

    def failed(exc: OSError) -> None:
        where = exc.filename or root
        raise SiteError(f"{where}: cannot read ({exc.strerror or exc})")

    def is_page(name: str) -> bool:
        if page_suffix(name) is None:
            if name != SITEINFO_FILE:
                logger.debug("%s/%s: not a page file, ignored", root, name)
            return False
        return True

    try:
        return walk_page_folder(root, is_page, onerror=failed)
    except UnsafePathError as exc:
        raise SiteError(str(exc)) from None


def _check(root: Path, path: Path) -> None:
    """SiteError unless ``path`` stays inside ``root`` (see :func:`wikitools.fileio.safe_path`)."""
    try:
        safe_path(root, path)
    except UnsafePathError as exc:
        raise SiteError(str(exc)) from None


def layout_title(
    parts: tuple[str, ...], suffix: str, namespaces: Namespaces = DEFAULT, where: str = ""
) -> str:
    """The title a page file's path (relative to the site directory) stands for.

    ``parts`` are the path components below the directory, at most two (a namespace
    folder and the file name), and ``suffix`` is the file's :func:`page_suffix`. Raises
    :class:`SiteError` (naming ``where``) when the path does not follow the layout.
    """
    where = where or "/".join(parts)
    try:
        name = decode_filename(parts[-1][: -len(suffix)] if suffix else parts[-1])
    except UnicodeDecodeError:
        raise SiteError(f"{where}: the %-escapes in the file name are not UTF-8") from None
    if len(parts) == 1:
        title = name
    elif len(parts) == 2:
        try:
            folder = decode_filename(parts[0])
        except UnicodeDecodeError:
            folder = parts[0]
        ns_id = namespaces.id_of(folder)
        if ns_id is None:
            raise SiteError(
                f"{where}: directory {parts[0]!r} is not a namespace name "
                "(use Template/, Module/, … or put the page at the top level)"
            )
        title = f"{namespaces.prefix_of(ns_id)}:{name}" if ns_id != MAIN else f":{name}"
    else:
        raise SiteError(f"{where}: page files lie at most one directory deep")
    if namespaces.parse(title) is None:
        raise SiteError(f"{where}: {title!r} is not a valid page title")
    return title
