"""Local pages: files, folders and standard input as pages with title, namespace and model.

Every local command (``lint``, ``fix``, ``infobox convert``, ``push``) gets its pages here,
so a file is the same page to all of them. A file's identity (:class:`PageIdentity`) comes
from the first of these that knows it:

1. the manifest (``wikitools-pull.json``) of a directory written by ``pull``
   (:mod:`wikitools.layout`): the title, namespace and content model the wiki reported;
2. the ``pull`` folder layout: ``(Main)/Name.wiki``, ``Template/Name.wiki``, names
   percent-encoded, under a directory with a manifest or in a ``(Main)`` folder;
3. the site-directory layout (:mod:`wikitools.site.pagedir`): a file in a folder named
   after a namespace (``Module/Footnotes%2Fanchor_id_list.lua``);
4. a ``Name:Title.wiki`` file name (``Template:Infobox.wiki``, ``Template%3AInfobox.wiki``).

Any other file is a page of the main namespace without a title. The content model, when no
manifest or dump records it, is the one MediaWiki gives the title by default
(:func:`default_model`); a file whose own suffix names code (``.lua``, ``.css``, ``.js``,
``.json``) holds that code. Pages that are not wikitext are never linted or changed.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from wikitools.contentmodel import (
    CSS,
    JAVASCRIPT,
    JSON,
    SCRIBUNTO,
    WIKITEXT,
    default_model,
    is_wikitext_model,
)
from wikitools.errors import InputError, SiteError
from wikitools.fileio import decode_wikitext, read_wikitext, walk_page_folder
from wikitools.layout import MAIN_DIR, MANIFEST, Manifest, title_from_path
from wikitools.site.pagedir import SITEINFO_FILE, directory_namespaces, layout_title, page_suffix
from wikitools.titles import DEFAULT, MAIN, Namespaces

if TYPE_CHECKING:
    from wikitools.document import Document

#: Suffixes of the files a directory is searched for.
WIKITEXT_SUFFIXES = (".wiki", ".mediawiki", ".wikitext")
#: File suffixes that say what code a file holds, whatever its title.
CODE_SUFFIXES: dict[str, str] = {
    ".lua": SCRIBUNTO,
    ".css": CSS,
    ".js": JAVASCRIPT,
    ".json": JSON,
}
STDIN = "-"
STDIN_NAME = "<stdin>"


@dataclass(frozen=True, slots=True)
class PageIdentity:
    """What a local file is on the wiki.

    ``origin`` names the source that decided: ``manifest``, ``pull layout``,
    ``site layout``, ``file name`` or ``default``.
    """

    title: str | None
    namespace: int
    model: str
    origin: str

    @property
    def is_wikitext(self) -> bool:
        """True when the page holds wikitext (the linter and fixes may look at it)."""
        return is_wikitext_model(self.model)


@dataclass(frozen=True, slots=True)
class LocalPage:
    """One input page: its text, where it came from, and what it is on the wiki."""

    name: str
    """What reports call it: the path as given, or ``<stdin>``."""
    text: str
    path: Path | None
    identity: PageIdentity

    @property
    def title(self) -> str | None:
        """The page title, when the source says it."""
        return self.identity.title

    @property
    def namespace(self) -> int:
        """The namespace id (0 when nothing says otherwise)."""
        return self.identity.namespace

    @property
    def model(self) -> str:
        """The content model (``wikitext``, ``Scribunto``, ``css``, ``javascript``...)."""
        return self.identity.model

    @property
    def is_wikitext(self) -> bool:
        """True when the page holds wikitext."""
        return self.identity.is_wikitext

    def document(self, text: str | None = None) -> Document:
        """A :class:`~wikitools.document.Document` of this page (of ``text`` if given)."""
        from wikitools.document import Document  # here: Document asks this module for models

        identity = self.identity
        return Document(
            self.text if text is None else text,
            identity.title,
            identity.namespace,
            model=identity.model,
        )


@dataclass
class Sources:
    """Identifies local files as pages; caches the manifests it reads.

    ``namespaces`` are the target wiki's (from ``--site``, say); without them a stock
    MediaWiki's apply, plus what a pulled directory's manifest or a site directory's
    ``siteinfo.json`` tells.
    """

    namespaces: Namespaces = DEFAULT
    _manifests: dict[Path, Manifest | None] = field(default_factory=dict)
    _folders: dict[Path, dict[str, int]] = field(default_factory=dict)
    _siteinfo: dict[Path, Namespaces] = field(default_factory=dict)

    def identify(self, path: Path) -> PageIdentity:
        """Title, namespace and content model of the file at ``path`` (see the module docs)."""
        path = Path(path)
        root = path.parent.parent
        manifest = self._manifest(root)
        relative = PurePosixPath(path.parent.name, path.name).as_posix()
        if manifest is not None:
            entry = manifest.pages.get(relative)
            if entry is not None:
                ns = entry.ns
                if ns is None:
                    in_main = path.parent.name == MAIN_DIR
                    ns = MAIN if in_main else self._namespace(root, entry.title)
                model = entry.model or _file_model(
                    path, default_model(ns, entry.title, self.namespaces)
                )
                return PageIdentity(entry.title, ns, model, "manifest")
        if manifest is not None or path.parent.name == MAIN_DIR:
            title = self._pull_title(relative)
            if title is not None:
                in_main = path.parent.name == MAIN_DIR
                ns = MAIN if in_main else self._namespace(root, title)
                return self._identity(path, title, ns, "pull layout")
        suffix = page_suffix(path.name) or ""
        folder_title = self._site_title(root, (path.parent.name, path.name), suffix)
        if folder_title is not None:
            known = self._site_namespaces(root)
            ns, name = known.split(folder_title)
            title = known.normalize(folder_title) if ns != MAIN else name
            return self._identity(path, title, ns, "site layout")
        named = self._site_title(path.parent, (path.name,), suffix)
        if named is not None:
            known = self._site_namespaces(path.parent)
            ns = known.namespace_of(named)
            if ns != MAIN:
                return self._identity(path, known.normalize(named), ns, "file name")
        return PageIdentity(None, MAIN, _file_model(path, WIKITEXT), "default")

    def read(self, path: Path, name: str | None = None) -> LocalPage:
        """The page in the file at ``path`` (read as UTF-8, line endings kept)."""
        path = Path(path)
        return LocalPage(name or str(path), read_wikitext(path), path, self.identify(path))

    def pulled(self, manifest: Manifest, relative: str) -> LocalPage:
        """The page a manifest entry's file holds now (the file must exist)."""
        path = manifest.file(relative)
        self._manifests.setdefault(manifest.directory.resolve(), manifest)
        return self.read(path)

    def _identity(self, path: Path, title: str, ns: int, origin: str) -> PageIdentity:
        model = _file_model(path, default_model(ns, title, self.namespaces))
        return PageIdentity(title, ns, model, origin)

    def _manifest(self, directory: Path) -> Manifest | None:
        key = directory.resolve()
        if key not in self._manifests:
            found = Manifest.load(directory) if (directory / MANIFEST).is_file() else None
            self._manifests[key] = found
        return self._manifests[key]

    def _pull_title(self, relative: str) -> str | None:
        try:
            return title_from_path(relative, self.namespaces)
        except UnicodeDecodeError:
            return None

    def _site_title(self, root: Path, parts: tuple[str, ...], suffix: str) -> str | None:
        try:
            return layout_title(parts, suffix, self._site_namespaces(root))
        except SiteError:
            return None

    def _site_namespaces(self, root: Path) -> Namespaces:
        """The namespaces of a site directory: its ``siteinfo.json``, else the given ones."""
        key = root.resolve()
        if key not in self._siteinfo:
            found = self.namespaces
            if (root / SITEINFO_FILE).is_file():
                found = directory_namespaces(root)
            self._siteinfo[key] = found
        return self._siteinfo[key]

    def _namespace(self, root: Path, title: str) -> int:
        """The namespace of a pulled title: by name, else as the manifest's folder says."""
        ns, _ = self.namespaces.split(title)
        if ns != MAIN or ":" not in title:
            return ns
        folder = title.split(":", 1)[0].replace(" ", "_")
        return self._folder_namespaces(root).get(folder, MAIN)

    def _folder_namespaces(self, root: Path) -> dict[str, int]:
        """Namespace folders of a pulled directory whose entries record their namespace."""
        key = root.resolve()
        if key not in self._folders:
            manifest = self._manifest(root)
            folders: dict[str, int] = {}
            for relative, entry in manifest.pages.items() if manifest else ():
                if entry.ns is not None:
                    folders.setdefault(PurePosixPath(relative).parts[0], entry.ns)
            self._folders[key] = folders
        return self._folders[key]


def _file_model(path: Path, model: str) -> str:
    """``model``, unless it is wikitext and the file's own suffix says it holds code."""
    if model != WIKITEXT:
        return model
    return CODE_SUFFIXES.get(path.suffix.lower(), WIKITEXT)


@dataclass(frozen=True, slots=True)
class SourceError:
    """A file or folder a run could not read: skipped, and counted as an error of the run."""

    path: Path
    reason: str
    """What the system said (``Permission denied``...)."""

    def __str__(self) -> str:
        return f"{self.path}: cannot read ({self.reason}); skipped"


def _source_error(path: Path, exc: OSError) -> SourceError:
    return SourceError(Path(exc.filename) if exc.filename else path, exc.strerror or str(exc))


def _unreadable(error: SourceError, errors: list[SourceError] | None) -> None:
    """Record ``error``, or raise it as InputError when the caller keeps no list."""
    if errors is None:
        raise InputError(f"{error.path}: cannot read ({error.reason})")
    errors.append(error)


#: What a refused link inside a folder tells the user of ``lint`` and ``fix``.
FOLLOW_HINT = "lint and fix follow links inside folders with --follow-symlinks"


def _directory_files(
    root: Path, errors: list[SourceError] | None, *, follow_symlinks: bool, hint: str
) -> list[Path]:
    """The page files under ``root`` (hidden folders and files skipped), sorted.

    A symbolic link inside ``root`` raises :class:`~wikitools.fileio.UnsafePathError`
    unless ``follow_symlinks`` (see :func:`~wikitools.fileio.walk_page_folder`).
    """

    def failed(exc: OSError) -> None:
        _unreadable(_source_error(root, exc), errors)

    found = walk_page_folder(
        root,
        lambda name: Path(name).suffix in WIKITEXT_SUFFIXES,
        follow_symlinks=follow_symlinks,
        onerror=failed,
        hint=hint,
    )
    return [path for path in found if path.is_file()]


def page_files(
    paths: Iterable[Path],
    errors: list[SourceError] | None = None,
    *,
    follow_symlinks: bool = False,
    hint: str = FOLLOW_HINT,
) -> list[Path]:
    """Expand files and directories into page files.

    A directory is searched recursively for ``*.wiki``, ``*.mediawiki`` and
    ``*.wikitext`` files (hidden folders skipped), sorted; a file named on its own is
    taken whatever its suffix. Raises :class:`InputError` for a path that does not exist.
    A folder that cannot be read is added to ``errors`` (and skipped); without a list it
    raises :class:`InputError`, so nothing is ever skipped silently. A symbolic link inside
    a directory (a page file or a folder) raises :class:`~wikitools.fileio.UnsafePathError`
    naming it (``hint`` says what to do), unless ``follow_symlinks``; a file or directory
    named in ``paths`` may itself be a link (the user named it).
    """
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(_directory_files(path, errors, follow_symlinks=follow_symlinks, hint=hint))
        elif path.exists():
            found.append(path)
        else:
            raise InputError(f"{path}: no such file or directory")
    return found


def read_pages(
    paths: Sequence[str | Path],
    namespaces: Namespaces = DEFAULT,
    *,
    stdin_title: str | None = None,
    errors: list[SourceError] | None = None,
    follow_symlinks: bool = False,
) -> list[LocalPage]:
    """Every page the PATH arguments of a command name, in order.

    ``-`` reads standard input (a page titled ``stdin_title``, else a main-namespace
    page without a title); directories are searched as :func:`page_files` does. Raises
    :class:`InputError` when nothing is found. Files and folders that cannot be read
    (no permission) go to ``errors`` as :class:`SourceError` and are skipped, for the
    caller to report and count; without ``errors`` the first one raises
    :class:`InputError`. A file that is not UTF-8 always raises, and so does a symbolic
    link inside a directory unless ``follow_symlinks`` (:func:`page_files`).
    """
    sources = Sources(namespaces)
    pages: list[LocalPage] = []
    if any(str(p) == STDIN for p in paths):
        text = decode_wikitext(sys.stdin.buffer.read(), STDIN_NAME)
        pages.append(LocalPage(STDIN_NAME, text, None, identify_title(stdin_title, namespaces)))
    skipped = len(errors) if errors is not None else 0
    for path in page_files(
        [Path(p) for p in paths if str(p) != STDIN], errors, follow_symlinks=follow_symlinks
    ):
        try:
            data = path.read_bytes()
        except IsADirectoryError:
            raise InputError(f"{path}: is a directory") from None
        except OSError as exc:
            _unreadable(_source_error(path, exc), errors)
            continue
        text = decode_wikitext(data, str(path))
        pages.append(LocalPage(str(path), text, path, sources.identify(path)))
    if not pages and (errors is None or len(errors) == skipped):
        raise InputError("no wikitext files found (looked for *.wiki, *.mediawiki, *.wikitext)")
    return pages


def identify_title(title: str | None, namespaces: Namespaces = DEFAULT) -> PageIdentity:
    """The identity of a page known only by its title (``None``: an untitled article)."""
    if not title:
        return PageIdentity(None, MAIN, WIKITEXT, "default")
    ns = namespaces.namespace_of(title)
    return PageIdentity(title, ns, default_model(ns, title, namespaces), "default")


__all__ = [
    "CODE_SUFFIXES",
    "FOLLOW_HINT",
    "LocalPage",
    "PageIdentity",
    "SourceError",
    "Sources",
    "identify_title",
    "page_files",
    "read_pages",
]
