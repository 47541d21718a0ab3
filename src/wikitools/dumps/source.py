"""Opening a dump for reading: the hardened XML entry of :mod:`wikitools.xmlsafe`.

The code lives in the core layer so that every XML reader (``--site`` exports included) uses
the same checks; this module keeps the names the dump package has always exported.
"""

from __future__ import annotations

from wikitools.xmlsafe import (
    PROLOG_LIMIT,
    DumpInput,
    Readable,
    check_prolog,
    detect_compression,
    detect_encoding,
)

__all__ = [
    "PROLOG_LIMIT",
    "DumpInput",
    "Readable",
    "check_prolog",
    "detect_compression",
    "detect_encoding",
]
