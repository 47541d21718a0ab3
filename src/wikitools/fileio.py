"""File helpers: atomic writes and reading wikitext files with clear errors."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from wikitools.errors import InputError, OutputError


def _umask() -> int:
    """The process umask (read by setting and restoring it)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


class WriteError(OutputError, OSError):
    """An atomic write failed (read-only directory, no space...); the target is untouched.

    An :class:`~wikitools.errors.OutputError` (one line naming the file and the reason,
    exit code 2 in the CLI) that is also an :class:`OSError`, so callers that catch
    OS errors around a write keep working.
    """


def write_target(path: Path) -> Path:
    """The file a write to ``path`` must replace: the end of its symlink chain, else ``path``.

    Rewriting a symlink writes through to the file it points to and keeps the link; a
    dangling link gets its target created.
    """
    path = Path(path)
    if path.is_symlink():
        return Path(os.path.realpath(path))
    return path


class UnsafePathError(InputError):
    """A path inside a folder of pages is a symbolic link, or resolves outside the folder.

    An :class:`~wikitools.errors.InputError` (exit code 2 in the CLI): wikitools never reads
    or writes a page through a link planted in a folder it works on (a pulled folder kept
    in git can hold ``Template/X.wiki -> ~/.config/...``).
    """


def _inside(real: str, root_real: str) -> bool:
    return real == root_real or real.startswith(root_real.rstrip(os.sep) + os.sep)


def safe_path(root: Path, path: Path, *, hint: str = "") -> Path:
    """``path``, after checking that it stays inside the folder ``root``; else UnsafePathError.

    ``path`` must lie below ``root`` (lexically), and neither it nor any folder between
    ``root`` and it may be a symbolic link (a dangling one included); what exists of it
    must resolve inside ``root``. The parts need not exist (a file about to be written).
    ``root`` itself may be a link: the user named it. ``hint`` is appended to the message
    (``pass --follow-symlinks to follow it``).
    """
    root = Path(root)
    path = Path(path)
    root_real = os.path.realpath(root)
    try:
        relative = path.relative_to(root)
    except ValueError:
        relative = None
    if relative is None or ".." in relative.parts:
        raise UnsafePathError(f"{path}: outside the folder {root}; refused")
    current = root
    for part in relative.parts:
        current = current / part
        if current.is_symlink():
            raise UnsafePathError(_link_message(current, root, hint))
        if not os.path.lexists(current):
            break
    real = os.path.realpath(path)
    if not _inside(real, root_real):
        raise UnsafePathError(f"{path}: resolves to {real}, outside the folder {root}; refused")
    return path


def _link_message(link: Path, root: Path, hint: str) -> str:
    try:
        target = os.readlink(link)
    except OSError:
        target = "?"
    why = f"{link}: a symbolic link (to {target}) inside the folder {root}; refused"
    return f"{why} ({hint})" if hint else why


def walk_page_folder(
    root: Path,
    is_page: Callable[[str], bool],
    *,
    follow_symlinks: bool = False,
    onerror: Callable[[OSError], None] | None = None,
    hint: str = "",
) -> list[Path]:
    """The files below ``root`` that ``is_page`` accepts by name, sorted; hidden ones skipped.

    The one walk of a folder of pages. A symbolic link among them (a page file or a
    non-hidden folder) raises :class:`UnsafePathError` naming it, unless
    ``follow_symlinks``: then linked files are read as before and linked folders are
    still not entered. Files whose name ``is_page`` refuses are never looked at.
    """
    root = Path(root)
    found: list[Path] = []
    for folder, dirs, files in os.walk(root, onerror=onerror):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        base = Path(folder)
        if not follow_symlinks:
            for name in dirs:
                if (base / name).is_symlink():
                    raise UnsafePathError(_link_message(base / name, root, hint))
        for name in files:
            if name.startswith(".") or not is_page(name):
                continue
            path = base / name
            if not follow_symlinks and path.is_symlink():  # its folders were checked above
                raise UnsafePathError(_link_message(path, root, hint))
            found.append(path)
    return sorted(found)


def _copy_owner_and_mode(source: Path, tmp_name: str) -> None:
    """Give the new file the old one's permission bits, and its owner where allowed."""
    info = source.stat()
    if hasattr(os, "chown") and (info.st_uid, info.st_gid) != _owner(tmp_name):
        with contextlib.suppress(OSError):  # only root may give a file away
            os.chown(tmp_name, info.st_uid, info.st_gid)
    os.chmod(tmp_name, info.st_mode & 0o7777)


def _owner(name: str) -> tuple[int, int]:
    info = os.stat(name)
    return info.st_uid, info.st_gid


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


@contextlib.contextmanager
def atomic_output(
    path: Path, mode: str = "wb", *, durable: bool = True, secret: bool = False
) -> Iterator[IO[bytes]]:
    """Open a temporary file beside ``path``; rename it over ``path`` only on success.

    If the block raises, the temporary file is removed and ``path`` is left as it was,
    so a failed run never leaves an output that looks complete. A symlink is written
    through (:func:`write_target`): the link stays, its target gets the new content. The
    target's permission bits are kept (a new file gets the umask's). When the temporary
    file cannot be made or renamed (a read-only directory, a full disk), nothing is
    changed, no temporary file is left, and :class:`WriteError` names the file.

    ``durable`` syncs the data to disk before the rename. Without it the rename is still
    atomic for readers, but a crash may leave the file empty: a caller that writes many
    files that way must sync (``os.sync()``) before it records them anywhere.

    ``secret`` (credentials, passwords, cookies): the file is mode 0600 from its creation
    (``mkstemp`` opens it with ``O_EXCL`` and 0600) to the rename, whatever the umask or the
    old file's mode, and is never widened: no other user can read it at any moment.
    """
    shown = Path(path)
    target = write_target(shown)
    directory = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise WriteError(
            f"{shown}: cannot write ({_reason(exc)}: the directory {directory} must be "
            "writable, the file is replaced atomically)"
        ) from None
    try:
        with os.fdopen(fd, mode) as handle:
            yield handle
            try:
                handle.flush()
                if durable:
                    os.fsync(handle.fileno())
            except OSError as exc:
                raise WriteError(f"{shown}: cannot write ({_reason(exc)})") from None
        try:
            if secret:
                pass  # mkstemp created it 0600 (O_EXCL); keep exactly that
            elif target.exists():
                _copy_owner_and_mode(target, tmp_name)
            else:
                os.chmod(tmp_name, 0o666 & ~_umask())
            os.replace(tmp_name, target)
        except OSError as exc:
            raise WriteError(f"{shown}: cannot write ({_reason(exc)})") from None
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise


BOM = "\ufeff"


def write_text_atomic(
    path: Path, text: str, *, bom: bool = False, durable: bool = True, secret: bool = False
) -> None:
    """Write ``text`` as UTF-8 to ``path`` atomically, keeping line endings as they are.

    With ``secret`` the file is mode 0600 from creation on (see :func:`atomic_output`).
    With ``bom`` the file starts with a UTF-8 byte order mark (unless ``text`` already does).
    A symlink is written through; see :func:`atomic_output` for modes and errors.
    """
    if bom and not text.startswith(BOM):
        text = BOM + text
    data = text.encode("utf-8")
    with atomic_output(path, durable=durable, secret=secret) as handle:
        try:
            handle.write(data)
        except OSError as exc:
            raise WriteError(f"{path}: cannot write ({_reason(exc)})") from None


def starts_with_bom(path: Path) -> bool:
    """Whether the file at ``path`` begins with a UTF-8 byte order mark (False if unreadable)."""
    try:
        with open(path, "rb") as handle:
            return handle.read(3) == BOM.encode("utf-8")
    except OSError:
        return False


def decode_wikitext(data: bytes, source: str) -> str:
    """Decode file bytes as UTF-8 (a BOM is allowed); raise InputError naming the offset."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{source}: not valid UTF-8 at byte {exc.start}; convert the file to UTF-8 first"
        ) from None


def read_wikitext(path: Path) -> str:
    """Read a wikitext file as UTF-8 without translating line endings."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    return decode_wikitext(data, str(path))
