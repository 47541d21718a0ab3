"""File helpers: atomic writes and reading wikitext files with clear errors."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from wikitools.errors import InputError


def _umask() -> int:
    """The process umask (read by setting and restoring it)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_output(path: Path, mode: str = "wb") -> Iterator[IO[bytes]]:
    """Open a temporary file beside ``path``; rename it over ``path`` only on success.

    If the block raises, the temporary file is removed and ``path`` is left as it was,
    so a failed run never leaves an output that looks complete.
    """
    path = Path(path)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
    try:
        with os.fdopen(fd, mode) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(tmp_name, path.stat().st_mode & 0o7777)
        else:
            os.chmod(tmp_name, 0o666 & ~_umask())
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise


BOM = "\ufeff"


def write_text_atomic(path: Path, text: str, *, bom: bool = False) -> None:
    """Write ``text`` as UTF-8 to ``path`` atomically, keeping line endings as they are.

    With ``bom`` the file starts with a UTF-8 byte order mark (unless ``text`` already does).
    """
    if bom and not text.startswith(BOM):
        text = BOM + text
    with atomic_output(path) as handle:
        handle.write(text.encode("utf-8"))


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
