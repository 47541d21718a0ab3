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


class OutputError(WikitoolsError):
    """An output file cannot be written (missing directory, no permission, disk full)."""


class SiteError(WikitoolsError):
    """A site description (inventory, page directory, XML export) cannot be read."""


class DumpError(WikitoolsError):
    """An XML dump is malformed or unsafe.

    ``line`` and ``column`` (1-based) locate the problem when known.
    """

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        self.line = line
        self.column = column
        where = ""
        if line is not None:
            where = f" at line {line}" if column is None else f" at line {line}, column {column}"
        super().__init__(f"{message}{where}")


class WorkerError(WikitoolsError):
    """A worker process died (killed, out of memory) while processing part of the input."""


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


class PageRefusedError(ApiError):
    """The wiki refused to save one page; other pages of the run may still be saved.

    :mod:`wikitools.mediawiki.apierrors` maps the API's error codes to the subclasses.
    """


class ProtectedPageError(PageRefusedError):
    """The page (or its namespace, or a cascading protection) is protected against us."""


class EditFilterError(PageRefusedError):
    """An edit filter refused the text: AbuseFilter, the spam or title blacklist, a captcha."""


class RunFatalError(ApiError):
    """No further edit can succeed: the whole run must stop (and say why)."""


class BlockedError(RunFatalError):
    """The account (or its IP address) is blocked from editing."""


class ReadOnlyError(RunFatalError):
    """The wiki is read-only (maintenance, ``$wgReadOnly``): nothing can be saved now."""


class SessionLostError(RunFatalError):
    """The login was lost and could not be restored (``assert`` failed, the token stays bad)."""


class PermissionDeniedError(RunFatalError):
    """The account lacks the right to edit (or to edit through the API) on this wiki."""


class WikiBusyError(RunFatalError):
    """The wiki kept answering "lagged" or "rate limited" after every retry."""


class RunStoppedError(RunFatalError):
    """The operator stopped the run: the stop page no longer says ``true``, or the bot
    account has a new message on its talk page (``code`` ``stoppage`` or ``hasmsg``)."""


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
