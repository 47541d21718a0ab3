"""The pywikibot script ``pwb wikitools_fix``: the wikitools repair as a pywikibot bot.

pywikibot's launcher finds the script through the ``pywikibot`` entry point of wikitools
(:mod:`wikitools_pwb`); this module does the work. Everything pywikibot users expect is
pywikibot's own: :func:`pywikibot.handle_args` reads the global options (``-simulate``,
``-site:``, ``-user:``, ``-pt:`` for the put throttle, ``-dir:``...),
:class:`~pywikibot.pagegenerators.GeneratorFactory` the page generators (``-cat:``,
``-page:``, ``-ns:``, ``-search:``...), pywikibot's config and throttle apply, and
``-always`` saves on pywikibot's put-queue thread, as every pywikibot bot does.

What wikitools adds:

- **every page's outcome is recorded when its save is done**: the save (and, after an
  edit conflict, the re-applied fix) runs as one job on pywikibot's put-queue thread,
  ``Page.save`` reports through its save callback, and only then is the outcome
  recorded, never when the save is queued (``-always`` saves asynchronously): a page is
  *changed* only when the wiki stored a new revision;
- **under ``-simulate`` nothing is sent**: a page to fix is reported as *would change*,
  never counted as done;
- saves go through the one save path (:mod:`wikitools.bot.pywikibot_adapter`): against
  the revision read (an edit conflict never overwrites a concurrent edit; the fixes are
  re-applied to the latest revision once), never blanking, ``{{bots}}`` honoured;
- a block or a read-only wiki stops the run at once with one line (exit status 1).

The edit summary comes from the i18n message ``wikitools-fix-summary`` of the messages
package ``pwb`` sets for us (:mod:`wikitools_pwb.i18n`), with an English fallback.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import pywikibot
from pywikibot import config, i18n, pagegenerators
from pywikibot.bot import CurrentPageBot, suggest_help
from pywikibot.exceptions import Error as PywikibotError

from wikitools.bot.outcome import PageOutcome, Status, summary_line, tally
from wikitools.bot.pipeline import FixOptions, TextFixer, engine_fixer
from wikitools.bot.pywikibot_adapter import (
    PreparedFix,
    PywikibotSink,
    PywikibotSiteContext,
    prepare_fix,
    save_fix,
    simulating,
    typed_error,
)
from wikitools.errors import LoginError, RunFatalError
from wikitools.site.context import SiteContext

#: The i18n key of the edit summary (bundle ``wikitools`` of :mod:`wikitools_pwb.i18n`).
SUMMARY_KEY = "wikitools-fix-summary"
#: The summary when no translation is found (the same words as ``wikitools fix --wiki``).
SUMMARY_FALLBACK = "wikitools: fix broken wikitext (%(fixes)s)"

#: ``-help`` shows the script's docstring with this replaced by the generator options.
docuReplacements = {"&params;": pagegenerators.parameterHelp}  # pywikibot reads this name


class StopRun(Exception):
    """The run stopped: the wiki refuses every further edit (blocked, read-only...), or
    nobody can answer the confirmation; ``status`` is the exit status."""

    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.status = status


class FixBot(CurrentPageBot):  # type: ignore[misc]  # pywikibot is untyped
    """Fix every page of the generator; record each outcome when it is final.

    Bot options: ``always`` (save without asking, asynchronously), ``summary`` (instead
    of the i18n summary), ``minor``, ``unsafe`` (apply unsafe fixes too), ``tags``.
    """

    update_options = {  # noqa: RUF012 (pywikibot's class attribute)
        "summary": "",
        "minor": False,
        "unsafe": False,
        "tags": "",
    }

    def __init__(self, *, fixer: TextFixer | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._lock = threading.Lock()
        self._fixer = _serialized(fixer or engine_fixer(unsafe=self.opt.unsafe or None))
        self._sites: dict[int, tuple[SiteContext, PywikibotSink]] = {}
        self.options = FixOptions(
            summary=self.opt.summary or None,
            apply=True,
            minor=self.opt.minor,
            bot=True,
            tags=tuple(t.strip() for t in self.opt.tags.split(",") if t.strip()),
        )
        #: Every page's final outcome, in the order the outcomes became final.
        self.outcomes: list[PageOutcome] = []
        #: Set when the wiki refused every further edit; the run stops.
        self.fatal: Exception | None = None

    def treat_page(self) -> None:
        """Fix the current page; save it (queued under ``-always``) unless simulating."""
        if self.fatal is not None:
            raise StopRun(str(self.fatal))
        page = self.current_page
        context, _ = self._site(page.site)
        try:
            prepared = prepare_fix(page, self._fixer, context)
        except PywikibotError as exc:  # pywikibot retried and gave up
            error = typed_error(exc)
            if isinstance(error, RunFatalError):
                self.fatal = error
                raise StopRun(str(error)) from None
            self.record(PageOutcome(page.title(), Status.SKIPPED, f"not read: {_reason(exc)}"))
            return
        if isinstance(prepared, PageOutcome):
            self.record(prepared)
            return
        pywikibot.showDiff(prepared.old_text, prepared.text)
        if simulating():
            self._save(prepared)  # a dry run: nothing is sent, "would change"
            return
        try:
            accepted = self.user_confirm("Do you want to accept these changes?")
        except EOFError:
            raise StopRun(
                "no answer to 'Do you want to accept these changes?' (standard input is "
                "closed); give -always to save without asking",
                status=2,
            ) from None
        if not accepted:
            self.record(PageOutcome(prepared.title, Status.SKIPPED, "declined"))
            return
        if self.opt.always:
            pywikibot.async_request(self._save, prepared)
        else:
            self._save(prepared)
        if self.fatal is not None:
            raise StopRun(str(self.fatal))

    def summary(self, fixes: Sequence[str], site: Any) -> str:
        """The edit summary: ``-summary:``, else the i18n message naming the fixes (in the
        language of ``site``)."""
        if self.options.summary:
            return self.options.summary
        listed = ", ".join(fixes) if fixes else "wikitext repairs"
        return str(
            i18n.twtranslate(site, SUMMARY_KEY, {"fixes": listed}, fallback_prompt=SUMMARY_FALLBACK)
        )

    def record(self, outcome: PageOutcome) -> None:
        """Keep one final outcome and print its line (called from either thread)."""
        with self._lock:
            self.outcomes.append(outcome)
            if outcome.status is Status.CHANGED:
                self.counter["write"] += 1
        pywikibot.stdout(outcome.line())

    def result_line(self) -> str:
        """``wikitools_fix: 2 changed, 1 unchanged`` (or ``would change`` when simulating)."""
        with self._lock:
            counts = tally(self.outcomes)
        return f"wikitools_fix: {summary_line(counts)}"

    def _site(self, site: Any) -> tuple[SiteContext, PywikibotSink]:
        found = self._sites.get(id(site))
        if found is None:
            found = self._sites[id(site)] = (PywikibotSiteContext(site), PywikibotSink(site))
        return found

    def _save(self, prepared: PreparedFix) -> None:
        """Save one fix and record its outcome; on the put-queue thread under ``-always``.

        Nothing may escape: an exception would end pywikibot's put-queue thread.
        """
        title = prepared.title
        try:
            if self.fatal is not None:
                outcome = PageOutcome(title, Status.SKIPPED, f"not saved: {self.fatal}")
            else:
                site = prepared.page.site
                context, sink = self._site(site)
                outcome = save_fix(
                    prepared,
                    self.options,
                    fixer=self._fixer,
                    site_context=context,
                    sink=sink,
                    summarize=lambda fixes: self.summary(fixes, site),
                )
        except (RunFatalError, LoginError) as exc:
            self.fatal = exc
            outcome = PageOutcome(title, Status.SKIPPED, f"not saved: {exc}")
        except Exception as exc:  # one page's failure must not end the run or the thread
            pywikibot.log(f"{title}: saving failed", exc_info=True)
            outcome = PageOutcome(title, Status.SKIPPED, f"error: {type(exc).__name__}: {exc}")
        self.record(outcome)


def _reason(exc: Exception) -> str:
    """What went wrong, on one line: the API's error, or pywikibot's message."""
    if isinstance(exc, PywikibotError):
        typed = typed_error(exc)
        if typed.code != "editfailed":  # the API's own code, or pywikibot gave up retrying
            return str(typed)
    return " ".join(str(exc).split()).removeprefix("ERROR: ")


def _serialized(fixer: TextFixer) -> TextFixer:
    """``fixer`` called by one thread at a time (the rules and site cache are shared with
    the put-queue thread, which re-applies fixes after an edit conflict)."""
    lock = threading.Lock()

    def fix(text: str, title: str, site: SiteContext) -> Any:
        with lock:
            return fixer(text, title, site)

    return fix


def build_bot(args: Sequence[str], *, fixer: TextFixer | None = None) -> FixBot | None:
    """The bot for a command line (pywikibot's global options are read here first), or
    None after printing what is wrong with it."""
    local_args = pywikibot.handle_args(list(args))
    factory = pagegenerators.GeneratorFactory()
    local_args = factory.handle_args(local_args)
    options: dict[str, Any] = {}
    unknown = []
    for arg in local_args:
        name, _, value = arg.partition(":")
        if name in ("-always", "-minor", "-unsafe") and not value:
            options[name[1:]] = True
        elif name in ("-summary", "-tags") and value:
            options[name[1:]] = value
        elif name == "-passwordfile" and value:
            config.password_file = value  # read by pywikibot's login
        else:
            unknown.append(arg)
    generator = factory.getCombinedGenerator(preload=True)
    if suggest_help(unknown_parameters=unknown, missing_generator=generator is None):
        return None
    return FixBot(generator=generator, fixer=fixer, **options)


def login(site: Any) -> None:
    """Log in with pywikibot's settings (``-user:``, the password file); a dry run may go on
    logged out."""
    try:
        site.login()
    except PywikibotError as exc:
        if not simulating():
            raise
        pywikibot.warning(f"not logged in ({_reason(exc)}); the simulated run reads anonymously")


def main(*args: str) -> None:
    """Run ``pwb wikitools_fix`` with ``args`` (``sys.argv`` by default, as pwb passes it)."""
    try:
        bot = build_bot(args)
        if bot is None:
            raise SystemExit(2)
        login(pywikibot.Site())
    except (PywikibotError, OSError) as exc:  # OSError: requests' connection errors
        pywikibot.error(f"cannot start: {_reason(exc)}")
        raise SystemExit(2) from None
    stopped: StopRun | None = None
    try:
        bot.run()  # waits for the put queue: every outcome is recorded after it
    except StopRun as exc:
        stopped = exc
    except (PywikibotError, OSError) as exc:  # reading failed after pywikibot's retries
        stopped = StopRun(_reason(exc))
    pywikibot.info(bot.result_line())
    if bot.fatal is not None:
        pywikibot.error(f"the run stopped: {bot.fatal}")
        raise SystemExit(1)
    if stopped is not None:
        pywikibot.error(f"the run stopped: {stopped}")
        raise SystemExit(stopped.status)
