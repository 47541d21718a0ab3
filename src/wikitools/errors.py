"""The one exception hierarchy of wikitools.

Findings about wikitext are values (:class:`wikitools.lint.Diagnostic`); exceptions are
for things that went wrong: bad input, bad configuration, a wiki that refused a request.
Every message names the file, page, line or key concerned and says what to do next.
"""

from __future__ import annotations


class WikitoolsError(Exception):
    """Base class of every error wikitools raises on purpose."""


class ConfigError(WikitoolsError):
    """The configuration (wikitools.toml, [tool.wikitools], CLI options) is invalid."""


class InputError(WikitoolsError):
    """An input file or stream cannot be used (missing, unreadable, not text)."""


class SiteError(WikitoolsError):
    """A site description (inventory, page directory, XML export) cannot be read."""


class DumpError(WikitoolsError):
    """An XML dump is malformed or unsafe.

    ``line`` and ``column`` (1-based) locate the problem when known.
    """

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        self.line = line
        self.column = column
        where = f" at line {line}, column {column}" if line is not None else ""
        super().__init__(f"{message}{where}")


class SchemaError(WikitoolsError):
    """A clean-template schema in templates/ is invalid."""


class ApiError(WikitoolsError):
    """The MediaWiki Action API returned an error; ``code`` and ``info`` are the API's own."""

    def __init__(self, code: str, info: str = "") -> None:
        self.code = code
        self.info = info
        super().__init__(f"{code}: {info}" if info else code)


class EditConflictError(ApiError):
    """Someone else edited the page since it was read; nothing was overwritten."""


class LoginError(ApiError):
    """Logging in failed (wrong bot password, missing rights)."""


class HttpError(WikitoolsError):
    """The wiki could not be reached, or kept failing after all retries."""


class SandboxError(WikitoolsError):
    """A local sandbox wiki could not be created, started, stopped or driven."""


class MediaWikiMissingError(SandboxError):
    """MediaWiki or one of its PHP/Lua packages is not installed.

    ``command`` is the exact shell command that installs what is missing; the message shows it.
    """

    def __init__(self, missing: list[str], command: str) -> None:
        self.missing = missing
        self.command = command
        super().__init__(
            f"MediaWiki sandbox needs packages that are not installed ({', '.join(missing)}); "
            f"install them with: {command}"
        )
