"""The codes of the infobox conversion's findings (``IB001``–``IB009``), with their docs.

They are part of the one code registry (:mod:`wikitools.registry`), so ``wikitools rule
IB002`` documents them and selectors and suppression comments accept them. They live in
the registry's layer, below ``infobox`` (which reports them), so ``api`` can check
selectors against them.
"""

from __future__ import annotations

from wikitools.fixes.model import Applicability
from wikitools.lint.codes import CodeInfo
from wikitools.lint.diagnostic import Severity

CONVERT = CodeInfo(
    "IB001",
    "infobox-convertible",
    "An infobox call can be converted onto a clean template",
    """
    What it does:
    Reports an infobox template call that ``wikitools infobox convert`` can move onto one
    of the clean templates defined by the schemas (``wikitools infobox schemas``): the
    template renamed, parameters renamed to their canonical names, nested formatting
    templates flattened to text, parameters with no home moved to custom rows. The
    message counts each kind of change; the other IB findings detail them.

    Why it matters:
    Infoboxes copied from another wiki call templates (and nested templates) the target
    wiki lacks, so readers see red links and raw parameters instead of the box.

    Example:
    {{Infobox scientist | name = A | birth_date = {{birth date|1879|3|14}} }}

    Use instead:
    {{Infobox person | name = A | birth_date = March 14, 1879 }}

    Fix safety:
    Safe: every value stays in the box (flattened to the text its template printed, or
    in a labelled custom row); text outside the infobox is not touched, and converting
    the result again changes nothing (else IB008 and the page is kept).
    """,
    Severity.INFO,
    (Applicability.SAFE,),
    origin="infobox",
)
UNMAPPED = CodeInfo(
    "IB002",
    "unmapped-parameter",
    "A parameter has no place in the clean template",
    """
    What it does:
    Reports an infobox parameter (or table row) the target schema has no parameter for.
    It is moved to a labelled custom row when the schema has an ``extra`` section with a
    free row; otherwise it stays in the call, where the clean template does not show it
    (then the finding is a warning). The finding's subject is the parameter.

    Why it matters:
    A parameter is never dropped, but one kept in the call is invisible to readers, and
    a custom row's label is made from the parameter's name, which may need rewording.

    Example:
    {{Infobox officeholder | name = A | hobbies = chess }}  (converted onto 'person')

    Use instead:
    Map the parameter in the schema (an alias), or check the custom row's label.

    Fix safety:
    No fix of its own: the move is part of the IB001/IB006 conversion.
    """,
    Severity.INFO,
    origin="infobox",
)
NESTED = CodeInfo(
    "IB003",
    "nested-template-kept",
    "A template nested in an infobox value was kept and may not exist on the target wiki",
    """
    What it does:
    Reports a template called inside an infobox value that the conversion does not know
    how to flatten, so it was kept as it is. With a target wiki (``--site``/``--wiki``),
    templates the wiki has are not reported. The finding's subject is the template name.

    Why it matters:
    A template the target wiki lacks shows readers a red link in the box.

    Example:
    | caption = A.{{sfn|Smith|2004}}

    Use instead:
    Import the template, or replace the call by the text it prints.

    Fix safety:
    No fix: what the template prints is unknown.
    """,
    Severity.WARNING,
    origin="infobox",
)
CONFLICT = CodeInfo(
    "IB004",
    "conflicting-parameters",
    "Two parameters set the same field of the clean template",
    """
    What it does:
    Reports a parameter whose name is an alias of a field another filled parameter of the
    same call already sets (``spouses`` and ``spouse``). The exact name wins; the other
    value moves to a custom row (or stays in the call, not shown). The finding's subject
    is the losing parameter.

    Why it matters:
    MediaWiki's template shows only one of them; which one readers saw depends on the
    old template's code, so a person should check the kept value.

    Example:
    {{Infobox officeholder | spouse = B | spouses = B, C }}

    Use instead:
    One parameter per field: {{Infobox officeholder | spouse = B, C }}

    Fix safety:
    No fix of its own: the move is part of the IB001 conversion.
    """,
    Severity.WARNING,
    origin="infobox",
)
OUT_OF_RANGE = CodeInfo(
    "IB005",
    "numbered-group-out-of-range",
    "A numbered parameter is past the last group the clean template shows",
    """
    What it does:
    Reports a numbered parameter (``office17``) whose number is above the groups the
    target schema's section shows (16). It moves to a custom row labelled with its group,
    or stays in the call, not shown. The finding's subject is the parameter.

    Why it matters:
    The clean template would silently hide the value.

    Example:
    {{Infobox officeholder | office17 = Mayor }}

    Use instead:
    Renumber the groups, or raise the section's maximum in the schema.

    Fix safety:
    No fix of its own: the move is part of the IB001 conversion.
    """,
    Severity.WARNING,
    origin="infobox",
)
TABLE = CodeInfo(
    "IB006",
    "infobox-table",
    "A hand-written infobox table can be converted onto a clean template",
    """
    What it does:
    Reports a table with ``class="infobox"`` that the conversion can turn into a call of
    the fallback schema's clean template: the title, image and caption rows onto their
    parameters, labelled rows onto matching fields or custom rows.

    Why it matters:
    A hand-written table repeats the layout on every page and cannot be restyled or
    queried; a template call keeps the same content in one place.

    Example:
    {| class="infobox"
    ! colspan=2 | A
    |-
    | Born || 1879
    |}

    Use instead:
    {{Infobox | title = A | label1 = Born | data1 = 1879 }}

    Fix safety:
    Safe: every row's text is kept (rows with no field become labelled custom rows).
    """,
    Severity.INFO,
    (Applicability.SAFE,),
    origin="infobox",
)
UNPARSEABLE = CodeInfo(
    "IB007",
    "infobox-page-unparseable",
    "The wikitext parser cannot reproduce the page, so no infobox was converted",
    """
    What it does:
    Reports a page the wikitext parser does not give back character for character, met
    while looking for infoboxes; nothing on it is converted. It is the conversion's
    counterpart of W001 (the lint runner's finding for the same parser failure), with
    its own code so ``--ignore IB`` covers every conversion finding.

    Why it matters:
    Conversion edits are made against the parse tree; on a page the parser cannot
    reproduce they could change text outside the infobox.

    Example:
    A page on which mwparserfromhell fails (extreme nesting) or prints different text.

    Use instead:
    Convert the infobox by hand.

    Fix safety:
    No fix: the page is left untouched.
    """,
    Severity.ERROR,
    origin="infobox",
)
UNSTABLE = CodeInfo(
    "IB008",
    "unstable-conversion",
    "Converting the page twice changed it again, so nothing was changed",
    """
    What it does:
    Reports a page whose converted text, converted again, still changes (or holds a
    different number of infoboxes). The original text is kept.

    Why it matters:
    A conversion must be a fixed point; one that is not is a bug in wikitools, and its
    result cannot be trusted to keep what readers see.

    Example:
    Any page where it happens; please report it.

    Use instead:
    Convert the infobox by hand and report the page.

    Fix safety:
    No fix: the original is kept.
    """,
    Severity.ERROR,
    origin="infobox",
)
NOT_SHOWN = CodeInfo(
    "IB009",
    "infobox-value-not-shown",
    "A value of the infobox is not kept, or kept but not shown, by the clean template",
    """
    What it does:
    Reports a piece of an infobox value that the clean template cannot show: an option of
    an image link with no parameter to go to (``thumb``, ``left``, ``link=…``), an image
    option whose parameter is already set to something else, or a parameter that the
    clean template reads only when a more specific one is empty (``state2`` next to
    ``office2``: the office gives the heading, as on Wikipedia). The finding's subject is
    the parameter.

    Why it matters:
    Nothing may disappear without a word: a person should check that the value was not
    needed, or move it somewhere the template shows.

    Example:
    {{Infobox person | image = [[File:Foo.jpg|thumb|left|200px|alt=Foo]] }}

    Use instead:
    {{Infobox person | image = Foo.jpg | image_size = 200px | alt = Foo }}

    Fix safety:
    No fix of its own: it is part of the IB001/IB006 conversion.
    """,
    Severity.INFO,
    origin="infobox",
)

#: Every code the infobox conversion reports, in code order.
INFOBOX_CODES: tuple[CodeInfo, ...] = (
    CONVERT,
    UNMAPPED,
    NESTED,
    CONFLICT,
    OUT_OF_RANGE,
    TABLE,
    UNPARSEABLE,
    UNSTABLE,
    NOT_SHOWN,
)
