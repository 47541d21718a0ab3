"""Run a test step with file permissions enforced, also when the tests run as root.

Root reads and writes everything (the CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH
capabilities), so a ``chmod 000`` folder proves nothing there. :func:`as_unprivileged`
runs the step in a forked child that has dropped those two capabilities: it keeps uid 0
but obeys permission bits, exactly like an ordinary user. Linux only; elsewhere, as
root, the test is skipped (in CI it fails instead).
"""

from __future__ import annotations

import ctypes
import os
import pickle
import sys
from collections.abc import Callable
from typing import TypeVar

import pytest

T = TypeVar("T")

_CAP_DAC_OVERRIDE = 1
_CAP_DAC_READ_SEARCH = 2
_CAPABILITY_VERSION_3 = 0x20080522


class _Header(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _Data(ctypes.Structure):
    _fields_ = [
        ("effective", ctypes.c_uint32),
        ("permitted", ctypes.c_uint32),
        ("inheritable", ctypes.c_uint32),
    ]


def _drop_file_capabilities() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    header = _Header(_CAPABILITY_VERSION_3, 0)
    data = (_Data * 2)()
    if libc.capget(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capget failed")
    keep = ~((1 << _CAP_DAC_OVERRIDE) | (1 << _CAP_DAC_READ_SEARCH)) & 0xFFFFFFFF
    data[0].effective &= keep
    data[0].permitted &= keep
    if libc.capset(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capset failed")


def _skip_outside_ci(reason: str) -> None:
    """Skip with ``reason`` on a user's machine; in CI (``CI=true``) the test must run."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI must run this test)")
    pytest.skip(reason)


def as_unprivileged(step: Callable[[], T]) -> T:
    """``step()``, run where permission bits apply (a capability-less child under root)."""
    if os.geteuid() != 0:
        return step()
    if not sys.platform.startswith("linux"):
        _skip_outside_ci("running as root: permission bits are not enforced")
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        os.close(read_end)
        try:
            _drop_file_capabilities()
            outcome: tuple[str, object] = ("ok", step())
        except BaseException as exc:  # handed to the parent, raised there
            outcome = ("error", repr(exc))
        with os.fdopen(write_end, "wb") as pipe:
            pickle.dump(outcome, pipe)
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    kind, value = pickle.loads(data)
    if kind == "error":
        if "capset failed" in str(value) or "capget failed" in str(value):
            _skip_outside_ci(f"cannot drop root's file capabilities here: {value}")
        raise AssertionError(f"the unprivileged step failed: {value}")
    return value  # type: ignore[no-any-return]
