"""The on-disk layout of a pulled directory: one file per page plus a manifest.

::

    DIR/
      wikitools-pull.json          the manifest (below)
      (Main)/Main_Page.wiki        pages of the main namespace
      Template/Ka_icon.wiki        Template:Ka icon
      Module/Footnotes%2Fanchor_id_list.wiki

File names: the namespace is a directory (``(Main)`` for the main namespace, else
the wiki's local name with ``_`` for spaces); the page name has ``_`` for spaces and
``%XX`` (UTF-8, upper-case hex) for ``% / \\ : * ? " < > | ~``, control characters, a
leading ``.`` and a trailing ``.``. Other characters stay as they are, so names read
naturally and decode back to the title (:func:`title_from_path`). Titles spaces cannot
hold ``_``, so the mapping is reversible. Two rare cases add a ``~`` marker, which
decoding reports as undecodable and the manifest resolves: names longer than 200 bytes
are cut and end in ``~`` plus 12 hex digits of the title's SHA-1, and titles that
differ only by letter case (colliding on case-insensitive file systems) get ``~2``,
``~3``... appended.

The manifest is JSON::

    {"format": 1, "wiki": "https://…/api.php",
     "pages": {"Template/Ka_icon.wiki": {"title": "Template:Ka icon", "revid": 12,
               "timestamp": "2024-05-01T10:00:00Z", "read_at": "2024-05-02T08:00:00Z",
               "sha1": "…", "ns": 10, "model": "wikitext"}}}

``revid`` and ``timestamp`` identify the revision that was pulled; ``read_at`` is the
server time of the read. ``push`` sends them as ``basetimestamp``/``starttimestamp`` so
an edit someone made after the pull is reported as a conflict, never overwritten.
``sha1`` is the SHA-1 of the pulled text after :func:`comparable` (line endings and
trailing whitespace do not count: MediaWiki drops them on save); a page whose file
still has that hash is unchanged and is not pushed. ``ns`` and ``model`` are the page's
namespace id and content model as the wiki reported them (:mod:`wikitools.sources` reads
them, so a Lua module is never linted as wikitext); manifests written before they were
recorded lack them and stay readable.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote

from wikitools.errors import InputError
from wikitools.fileio import write_text_atomic
from wikitools.titles import Namespaces
from wikitools.urls import CREDENTIALS_HINT, display_url, has_userinfo, same_wiki

MANIFEST = "wikitools-pull.json"
MAIN_DIR = "(Main)"
SUFFIX = ".wiki"
FORMAT = 1

_MAX_NAME_BYTES = 200
_ESCAPED = set('%/\\:*?"<>|~')


@dataclass(frozen=True, slots=True)
class PulledPage:
    """What the manifest remembers about one pulled page."""

    title: str
    revid: int
    timestamp: str
    read_at: str
    sha1: str
    ns: int | None = None
    """The namespace id on the wiki (absent in manifests of older versions)."""
    model: str | None = None
    """The content model the wiki reported (``wikitext``, ``Scribunto``, ``css``...)."""


def comparable(text: str) -> str:
    """``text`` as MediaWiki would store it: LF line endings, no trailing whitespace."""
    return text.replace("\r\n", "\n").replace("\r", "\n").rstrip()


def text_sha1(text: str) -> str:
    """SHA-1 (hex) of :func:`comparable` ``text``."""
    return hashlib.sha1(comparable(text).encode("utf-8")).hexdigest()


def encode_name(name: str) -> str:
    """A page name (or namespace name) as a file-name component (see the module docs)."""
    out: list[str] = []
    last = len(name) - 1
    for index, char in enumerate(name):
        if char == " ":
            out.append("_")
        elif (
            char in _ESCAPED
            or ord(char) < 32
            or ord(char) == 127
            or (char == "." and index in (0, last))
        ):
            out.append("".join(f"%{byte:02X}" for byte in char.encode("utf-8")))
        else:
            out.append(char)
    return "".join(out)


def decode_name(encoded: str) -> str:
    """The name an :func:`encode_name` result stands for."""
    return unquote(encoded.replace("_", " "), errors="strict")


def relative_path(title: str, namespaces: Namespaces) -> str:
    """The manifest-relative POSIX path of a page, before collision handling."""
    ns_id, name = namespaces.split(title)
    directory = MAIN_DIR if ns_id == 0 else encode_name(namespaces.names.get(ns_id, str(ns_id)))
    stem = encode_name(name)
    if len(stem.encode("utf-8")) > _MAX_NAME_BYTES:
        digest = hashlib.sha1(title.encode("utf-8")).hexdigest()[:12]
        stem = _cut(stem, _MAX_NAME_BYTES - 13) + "~" + digest
    return f"{directory}/{stem}{SUFFIX}"


def title_from_path(path: str, namespaces: Namespaces) -> str | None:
    """The title a relative path encodes, or None when it carries a ``~`` marker or is foreign."""
    parts = PurePosixPath(path).parts
    if len(parts) != 2 or not parts[1].endswith(SUFFIX) or "~" in parts[1]:
        return None
    directory, stem = parts[0], parts[1][: -len(SUFFIX)]
    name = decode_name(stem)
    if directory == MAIN_DIR:
        return name
    return f"{decode_name(directory)}:{name}"


def _cut(text: str, limit: int) -> str:
    data = text.encode("utf-8")[:limit]
    cut = data.decode("utf-8", errors="ignore")
    # Never end inside a %XX escape.
    tail = cut.rfind("%")
    if tail >= len(cut) - 2 and tail != -1:
        cut = cut[:tail]
    return cut


class Manifest:
    """The ``wikitools-pull.json`` of a pulled directory: path → :class:`PulledPage`."""

    def __init__(self, directory: Path, wiki: str, pages: dict[str, PulledPage] | None = None):
        self.directory = directory
        if has_userinfo(wiki):
            # Never stored, never used: a manifest is a plain file, often shared or in git.
            raise InputError(
                f"{self.path}: the wiki URL {display_url(wiki)} holds a user name or password; "
                f"{CREDENTIALS_HINT}"
            )
        self.wiki = wiki
        self.pages: dict[str, PulledPage] = pages or {}
        self._by_title = {page.title: rel for rel, page in self.pages.items()}
        self._taken = {rel.casefold() for rel in self.pages}

    @property
    def path(self) -> Path:
        """Where the manifest file lives."""
        return self.directory / MANIFEST

    @classmethod
    def load(cls, directory: Path) -> Manifest:
        """Read the manifest of ``directory``; raise :class:`InputError` when absent or broken."""
        file = directory / MANIFEST
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise InputError(
                f"{file}: no such file; {directory} was not made by 'wikitools pull'"
            ) from None
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise InputError(f"{file}: unreadable manifest ({exc})") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise InputError(f"{file}: unknown manifest format; pull again with this version")
        try:
            pages = {str(p): PulledPage(**entry) for p, entry in data["pages"].items()}
            return cls(directory, str(data["wiki"]), pages)
        except (KeyError, TypeError, AttributeError) as exc:
            raise InputError(f"{file}: malformed manifest ({exc})") from None

    @classmethod
    def open(cls, directory: Path, wiki: str) -> Manifest:
        """The manifest of ``directory`` for ``wiki``, new if there is none yet."""
        if not (directory / MANIFEST).exists():
            return cls(directory, wiki)
        manifest = cls.load(directory)
        if not same_wiki(manifest.wiki, wiki):
            raise InputError(
                f"{directory} holds pages pulled from {manifest.wiki}, not {display_url(wiki)}; "
                "use another directory"
            )
        return manifest

    def save(self) -> None:
        """Write the manifest atomically."""
        data: dict[str, Any] = {
            "format": FORMAT,
            "wiki": self.wiki,
            "pages": {p: asdict(self.pages[p]) for p in sorted(self.pages)},
        }
        write_text_atomic(self.path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")

    def path_of(self, title: str) -> str | None:
        """The relative path already assigned to ``title``, if any."""
        return self._by_title.get(title)

    def record(self, relative: str, page: PulledPage) -> None:
        """Remember (or update) the entry for ``relative``."""
        self.pages[relative] = page
        self._by_title[page.title] = relative
        self._taken.add(relative.casefold())

    def assign(self, title: str, namespaces: Namespaces) -> str:
        """The relative path for ``title``: its existing one, else a new collision-free one."""
        existing = self.path_of(title)
        if existing is not None:
            return existing
        base = relative_path(title, namespaces)
        candidate, n = base, 1
        while candidate.casefold() in self._taken:
            n += 1
            candidate = f"{base[: -len(SUFFIX)]}~{n}{SUFFIX}"
        return candidate

    def file(self, relative: str) -> Path:
        """The absolute path of a manifest entry (refusing paths that leave the directory)."""
        rel = PurePosixPath(relative)
        if rel.is_absolute() or ".." in rel.parts:
            raise InputError(f"{self.path}: unsafe path {relative!r} in manifest")
        return self.directory.joinpath(*rel.parts)

    def __iter__(self) -> Iterator[tuple[str, PulledPage]]:
        return iter(sorted(self.pages.items(), key=lambda item: item[1].title))
