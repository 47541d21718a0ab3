"""Lazy re-exports for package facades: a name imports its module on first use.

A package ``__init__`` lists its public names with the module each lives in and binds the
two functions :func:`exports` returns as its module ``__getattr__`` and ``__dir__``
(PEP 562). ``import wikitools`` then costs a few microseconds, and ``wikitools.Wiki``
imports requests only when it is first asked for. The same names are imported under
``TYPE_CHECKING`` in the package, so type checkers and editors see them as usual.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any


def exports(
    package: str, names: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for ``package``, resolving ``names`` (name -> module).

    A resolved value is stored on the package, so each name is looked up once.
    """

    def __getattr__(name: str) -> Any:
        module = names.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        setattr(sys.modules[package], name, value)
        return value

    def __dir__() -> list[str]:
        return sorted(set(vars(sys.modules[package])) | set(names))

    return __getattr__, __dir__
