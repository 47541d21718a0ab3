"""Artifacts of rendered pages pasted back into wikitext: error messages, red-link names, [edit]."""

from __future__ import annotations

import re
from collections.abc import Iterator

from wikitools.fixes.model import Applicability, Edit, Fix
from wikitools.lint.diagnostic import Diagnostic
from wikitools.lint.rule import FixAvailability, Rule, RuleContext
from wikitools.lint.scope import ARTICLES
from wikitools.rules.braces import bracket_scan
from wikitools.rules.messages import Message, iter_cite_errors, iter_script_errors
from wikitools.rules.redlinks import (
    intended_mention,
    iter_red_link_names,
    names_existing_template,
    names_templates_on_purpose,
    template_prefixes,
)

# Inside the heading only the worded link counts: "== Operator [] ==" or "=== int[] ==="
# name code on programming wikis. After the closing "=" the bare "[]" is chrome too.
# The section edit link as skins show it in several languages ("[edit | edit source]").
_EDIT_WORDS = (
    r"edit(?: source)?|bearbeiten|quelltext bearbeiten|modifier(?: le code)?"
    r"|editar(?: código(?:-fonte)?)?|modifica(?: wikitesto)?|(?:brontekst )?bewerken"
    r"|править(?: код)?|edytuj(?: kod)?"
)
_EDIT_LINK = rf"\[(?:{_EDIT_WORDS})(?: \| (?:{_EDIT_WORDS}))?\]"
_EDIT_AFTER = rf"(?:{_EDIT_LINK}|\[\])"
_HEADING_EDIT = re.compile(
    rf"^(=+)([^\n]*?)([ \t]*{_EDIT_LINK})[ \t]*(=+)[ \t]*({_EDIT_AFTER})?[ \t]*$"
    rf"|^(=+)[^\n]*?(=+)([ \t]*{_EDIT_AFTER})[ \t]*$",
    re.MULTILINE | re.IGNORECASE,
)


def _heading_edit_links(text: str) -> Iterator[re.Match[str]]:
    """``_HEADING_EDIT.finditer(text)``, tried only at lines that start with ``=``: each
    match is one line from its start, so the regex need not look anywhere else."""
    for line in _lines_starting_with(text, "="):
        match = _HEADING_EDIT.match(text, line)
        if match is not None:
            yield match


def _lines_starting_with(text: str, char: str) -> Iterator[int]:
    """Offsets of the lines of ``text`` that start with ``char``, in order."""
    if text.startswith(char):
        yield 0
    marker = "\n" + char
    found = text.find(marker)
    while found >= 0:
        yield found + 1
        found = text.find(marker, found + 1)


def _removal(text: str, start: int, end: int) -> Edit:
    """Delete ``text[start:end]`` plus one neighbouring space so no double space is left."""
    if start > 0 and text[start - 1] == " " and (end == len(text) or text[end] in " \n.,;"):
        return Edit.delete(start - 1, end)
    return Edit.delete(start, end)


class _PastedText(Rule):
    """Shared check for pasted messages (a subclass sets ``messages`` and ``what``).

    Only articles are checked: help and project pages quote such messages on purpose.
    """

    what: str
    fix_title: str
    applies_to = ARTICLES

    def messages(self, text: str) -> Iterator[Message]:
        """The messages of this rule's kind in ``text``."""
        raise NotImplementedError

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        document = ctx.document
        text = document.text
        scan = bracket_scan(document)
        for message in self.messages(text):
            start, end = message.start, message.end
            if document.is_ignored(start) or scan.inside(start):
                continue
            shown = text[start:end].strip()
            if message.certain:
                fix = Fix.of(self.fix_title, [_removal(text, start, end)])
            else:
                fix = Fix.of(
                    f"{self.fix_title} (its wording is unknown, so where it ends is a guess)",
                    [_removal(text, start, end)],
                    Applicability.DISPLAY_ONLY,
                )
            yield ctx.diagnostic(start, end, f"{self.what}: {shown!r}", fix)


class LuaErrorText(_PastedText):
    """Flags literal "Lua error in …" and "Script error: …" sentences in the wikitext.

    What it does:
    Finds Scribunto error messages that were copied from a rendered page into the
    source, such as "Lua error in package.lua at line 80: module
    'Module:Footnotes/anchor_id_list' not found."

    Why it matters:
    Readers see an error message in the middle of the prose, and it will never go
    away by fixing the module: the message is now part of the text.

    Example:
    on the Eastern Front.Lua error in package.lua at line 80: module 'Module:X' not found. Eastern

    Use instead:
    on the Eastern Front. Eastern

    Fix safety:
    Safe when the message has Scribunto's wording, which ends with a full stop: the
    message is an artifact, not content, and removing it restores the prose. A message
    of unknown wording gets a display-only suggestion, since where it ends is a guess.
    """

    code = "A101"
    name = "lua-error-text"
    summary = "Literal 'Lua error …' text copied from a rendered page"
    fix_availability = FixAvailability.ALWAYS
    fix_safety = (
        Applicability.SAFE,
        Applicability.DISPLAY_ONLY,
    )
    what = "Lua error message pasted into the text"
    fix_title = "Remove the error message"

    def messages(self, text: str) -> Iterator[Message]:
        """Scribunto's messages in ``text``."""
        return iter_script_errors(text)


class CiteErrorText(_PastedText):
    """Flags literal "Cite error: …" sentences in the wikitext.

    What it does:
    Finds Cite extension error messages copied from a rendered page into the source,
    matched by Cite's own wording ("Invalid <ref> tag; name "x" defined multiple times
    with different content", "The named reference x was invoked but never defined").

    Why it matters:
    Readers see the error text as if it were content.

    Example:
    He died in 1953. Cite error: The named reference x was invoked but never defined.

    Use instead:
    He died in 1953.

    Fix safety:
    Safe when the message has one of Cite's wordings (MediaWiki 1.39 and older ones),
    which tells exactly where it ends: the message is an artifact of rendering, not
    content. A message of unknown wording gets a display-only suggestion.
    """

    code = "A102"
    name = "cite-error-text"
    summary = "Literal 'Cite error: …' text copied from a rendered page"
    fix_availability = FixAvailability.ALWAYS
    fix_safety = (
        Applicability.SAFE,
        Applicability.DISPLAY_ONLY,
    )
    what = "Cite error message pasted into the text"
    fix_title = "Remove the error message"

    def messages(self, text: str) -> Iterator[Message]:
        """Cite's messages in ``text``."""
        return iter_cite_errors(text)


class TemplateRedLinkText(Rule):
    """Flags "Template:Name" left in prose where a missing template rendered as a red link.

    What it does:
    Finds the literal text ``Template:Name`` outside links and template calls, which is
    what a call of a missing template shows when a rendered page is copied. Pages that
    name templates on purpose are left alone: pages about a template (its ``/doc`` page,
    translations of its title), pages that link templates (``[[Template:…]]``,
    ``{{tl|…}}``), lists and labels of template names, and quoted names. With a site, a
    name that is an existing template is a mention, not a red link.

    Why it matters:
    Readers see "Template:Ka icon" in the middle of a sentence.

    Example:
    იოსებ ბესარიონის ძე სტალინი Template:Lang-ka

    Use instead:
    იოსებ ბესარიონის ძე სტალინი

    Fix safety:
    Safe only when the name's extent is certain: one word ending at the line end,
    punctuation or markup (a red link shows exactly the name, and nothing after it).
    When more words follow (``Template:Ka icon was born``), where the name ends is a
    guess, so there is no fix.
    """

    code = "A103"
    name = "template-red-link-text"
    summary = "Literal 'Template:Name' text left by a red template link"
    fix_availability = FixAvailability.SOMETIMES
    fix_safety = (Applicability.SAFE,)
    applies_to = ARTICLES

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        document = ctx.document
        names = list(iter_red_link_names(document, template_prefixes(ctx.site)))
        if not names or names_templates_on_purpose(document, ctx.site):
            return
        text = document.text
        for found in names:
            if intended_mention(text, found, names):
                continue
            if ctx.site is not None and names_existing_template(ctx.site, found):
                continue
            confirmed = " (it does not exist on this wiki)" if ctx.site is not None else ""
            if found.certain:
                yield ctx.diagnostic(
                    found.start,
                    found.end,
                    f"Name of a missing template left as text: {found.text!r}{confirmed}",
                    Fix.of("Remove the leftover template name", [_removal(text, *found.span)]),
                    subject=found.text,
                )
            else:
                shown = text[found.start : found.word_end]
                yield ctx.diagnostic(
                    found.start,
                    found.word_end,
                    f"Name of a missing template left as text: {shown!r}{confirmed}; where "
                    f"the name ends is unclear ({found.text!r} runs on into the sentence), "
                    "so remove it by hand",
                )


class HeadingEditLink(Rule):
    """Flags "[edit]" or "[]" copied along with a heading.

    What it does:
    Finds the section edit link text that rendered pages show beside headings, pasted
    into the heading line of an article: "[edit]", "[edit source]", "[edit | edit
    source]", and a bare "[]" after the closing "=". A "[]" inside the heading is left
    alone (``=== int[] ===`` names code).

    Why it matters:
    The heading reads "History[edit]" and its anchor changes, breaking links to it.

    Example:
    == Early life[edit] ==

    Use instead:
    == Early life ==

    Fix safety:
    Safe: the text is interface chrome, not content.
    """

    code = "A104"
    name = "heading-edit-link"
    summary = "'[edit]' or '[]' pasted into a heading"
    fix_availability = FixAvailability.ALWAYS
    fix_safety = (Applicability.SAFE,)
    applies_to = ARTICLES

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        text = ctx.document.text
        for match in ctx.document.ignored.filter(_heading_edit_links(text)):
            if match.group(1) is not None and not match.group(2).strip():
                continue  # "== [edit] ==": nothing else in the heading, so not chrome
            for group in (3, 5, 8):
                if match.group(group):
                    start, end = match.span(group)
                    yield ctx.diagnostic(
                        start,
                        end,
                        f"Heading contains the pasted edit link '{text[start:end].strip()}'",
                        Fix.of("Remove the edit link text", [Edit.delete(start, end)]),
                    )
