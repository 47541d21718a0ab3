"""Readable row labels for parameters that have no label of their own.

When a parameter has no home in the target schema it becomes a custom row, and the row
needs a label a reader understands: ``vice_president_date2`` reads "Vice President (from)",
``birth_place`` "Place of birth", ``population_density_km2`` "Population density km²".
The rules are data, all in this module:

1. a name in one piece with inner capitals (``ICD10``, ``DiseasesDB``, ``eMedicineSubj``) is an
   identifier and stays as written;
2. the group number at the end (``leader_name2``, ``Vice President date 2``) is dropped:
   the rows keep their order;
3. a whole name found in the source template's :data:`TEMPLATE_PHRASES` or in
   :data:`PHRASES` takes that label (names compare case-folded, ``_`` equal to spaces);
4. a known suffix (:data:`SUFFIXES`, such as ``_start`` → "(from)") is split off and shown
   after the label of the rest; ``_date`` after an event word (:data:`EVENT_WORDS`,
   ``release_date``) is a plain "Release date", after anything else (an office) "(from)";
5. otherwise the rest is split into words at ``_``, ``-`` and spaces; words written with
   capitals stay so, words in :data:`WORDS` are written as given (abbreviations, units,
   proper names), and the first letter is capitalized.

When the source template's TemplateData is known (see :func:`templatedata_labels`), its
labels win over these rules.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from wikitools.infobox.names import template_key

#: Whole names (after the group number is removed) with a fixed label.
PHRASES: Mapping[str, str] = {
    "birth_place": "Place of birth",
    "birthplace": "Place of birth",
    "death_place": "Place of death",
    "deathplace": "Place of death",
    "birth_date": "Date of birth",
    "birthdate": "Date of birth",
    "death_date": "Date of death",
    "deathdate": "Date of death",
    "birth_name": "Birth name",
    "death_cause": "Cause of death",
    "resting_place": "Resting place",
    "placeofburial": "Place of burial",
    "laterwork": "Other work",
    "alma_mater": "Alma mater",
    "term_start": "Assumed office",
    "term_end": "Left office",
    "termstart": "Assumed office",
    "termend": "Left office",
    "serviceyears": "Years of service",
    "years_active": "Years active",
    "yearsactive": "Years active",
    "known_for": "Known for",
    "notable_works": "Notable works",
    "other_names": "Other names",
    "spouse": "Spouse(s)",
    "partner": "Partner(s)",
    "parents": "Parent(s)",
    "image": "Image",
    "caption": "Caption",
    "alt": "Alt text",
    "website": "Website",
    "url": "Website",
    "hq_location": "Headquarters",
    "key_people": "Key people",
    "num_employees": "Number of employees",
    "cctld": "Internet TLD",
    "drives_on": "Driving side",
    "president": "President",
    "vice_president": "Vice President",
    "vicepresident": "Vice President",
    "prime_minister": "Prime Minister",
    "primeminister": "Prime Minister",
    "deputy_prime_minister": "Deputy Prime Minister",
    "governor_general": "Governor-General",
    "attorney_general": "Attorney General",
    "postmaster_general": "Postmaster General",
    "chief_of_staff": "Chief of Staff",
    "secretary_of_state": "Secretary of State",
}

#: Labels that hold for one source template only (key: the template name, case folded).
TEMPLATE_PHRASES: Mapping[str, Mapping[str, str]] = {
    # Wikipedia's {{Infobox U.S. Cabinet}}: departments name the office; OFFICE date N.
    "infobox u.s. cabinet": {
        "state": "Secretary of State",
        "treasury": "Secretary of the Treasury",
        "war": "Secretary of War",
        "navy": "Secretary of the Navy",
        "interior": "Secretary of the Interior",
        "defense": "Secretary of Defense",
        "agriculture": "Secretary of Agriculture",
        "commerce": "Secretary of Commerce",
        "labor": "Secretary of Labor",
        "justice": "Attorney General",
        "post": "Postmaster General",
        "hhs": "Secretary of Health and Human Services",
        "hud": "Secretary of Housing and Urban Development",
        "transportation": "Secretary of Transportation",
        "energy": "Secretary of Energy",
        "education": "Secretary of Education",
        "va": "Secretary of Veterans Affairs",
        "dhs": "Secretary of Homeland Security",
        "source": "Source",
    },
}

#: Name endings shown as a qualifier after the label of the rest of the name.
SUFFIXES: tuple[tuple[str, str], ...] = (
    ("_start", "(from)"),
    ("_begin", "(from)"),
    ("_from", "(from)"),
    ("_end", "(until)"),
    ("_until", "(until)"),
    ("_to", "(until)"),
    ("_date", "(from)"),
    ("_year", "(year)"),
    ("_ref", "(reference)"),
    ("_rank", "(rank)"),
    ("_footnotes", "(notes)"),
    ("_note", "(note)"),
)

#: Words before ``_date`` that name an event: ``release_date`` is the date of a release.
EVENT_WORDS: frozenset[str] = frozenset(
    {
        "air",
        "baptism",
        "birth",
        "census",
        "closing",
        "completion",
        "death",
        "dissolution",
        "election",
        "established",
        "estimate",
        "first",
        "founding",
        "last",
        "launch",
        "opening",
        "premiere",
        "pub",
        "publication",
        "recording",
        "release",
        "signing",
    }
)

#: Words written in a fixed way: abbreviations, units and proper names (key: lower case).
WORDS: Mapping[str, str] = {
    "us": "U.S.",
    "usa": "USA",
    "uk": "UK",
    "un": "UN",
    "eu": "EU",
    "nato": "NATO",
    "gdp": "GDP",
    "ppp": "PPP",
    "hdi": "HDI",
    "gini": "Gini",
    "isbn": "ISBN",
    "issn": "ISSN",
    "oclc": "OCLC",
    "doi": "DOI",
    "isin": "ISIN",
    "iso": "ISO",
    "url": "URL",
    "utc": "UTC",
    "dst": "DST",
    "id": "ID",
    "tv": "TV",
    "mp": "MP",
    "ceo": "CEO",
    "cfo": "CFO",
    "km2": "km²",
    "km": "km",
    "sq": "sq",
    "mi": "mi",
    "ft": "ft",
    "m": "m",
    "ha": "ha",
    "hq": "headquarters",
    "num": "number of",
    "pop": "population",
    "est": "estimate",
    "elev": "elevation",
    "img": "image",
    "dob": "date of birth",
    "dod": "date of death",
    "pokémon": "Pokémon",
    "pokedex": "Pokédex",
    "pokédex": "Pokédex",
    "english": "English",
}

_NUMBER = re.compile(r"(?<=[^\d\s_])[\s_]?\d+$")
_SEPARATORS = re.compile(r"[\s_\-]+")


def is_identifier(name: str) -> bool:
    """A name in one piece with inner capitals (``ICD10``, ``eMedicineSubj``): kept as is."""
    stripped = name.strip()
    return not _SEPARATORS.search(stripped) and any(c.isupper() for c in stripped[1:])


def _key(name: str) -> str:
    return _SEPARATORS.sub("_", name.strip()).casefold()


def _words(name: str) -> str:
    words = []
    for word in _SEPARATORS.split(name.strip()):
        if any(c.isupper() for c in word):
            words.append(word)  # written with capitals: an abbreviation or a proper name
        else:
            words.append(WORDS.get(word, word))
    text = " ".join(w for w in words if w)
    if text[1:2].isupper():
        return text  # eMedicine …
    return text[:1].upper() + text[1:]


def _base(name: str, phrases: Mapping[str, str]) -> str:
    key = _key(name)
    return phrases.get(key) or PHRASES.get(key) or _words(name)


def readable_label(name: str, template: str | None = None) -> str:
    """A label readers understand for a parameter called ``name`` (see the module rules).

    ``template``, the source template's name, selects its entry in
    :data:`TEMPLATE_PHRASES` (``State`` of ``{{Infobox U.S. Cabinet}}`` is the Secretary
    of State).
    """
    stripped = name.strip()
    if not stripped or is_identifier(stripped):
        return stripped
    phrases = TEMPLATE_PHRASES.get(template_key(template), {}) if template else {}
    core = stripped
    if _SEPARATORS.split(stripped)[-1].casefold() not in WORDS:
        core = _NUMBER.sub("", stripped) or stripped
    key = _key(core)
    if key in phrases or key in PHRASES:
        return phrases.get(key) or PHRASES[key]
    for suffix, qualifier in SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix):
            rest_key = key[: len(key) - len(suffix)].rstrip("_")
            rest = core[: len(core) - len(suffix)]
            if suffix == "_date" and rest_key.rsplit("_", 1)[-1] in EVENT_WORDS:
                return f"{_base(rest, phrases)} date"
            return f"{_base(rest, phrases)} {qualifier}"
    return _base(core, phrases)


_TEMPLATEDATA = re.compile(r"<templatedata>(.*?)</templatedata>", re.DOTALL | re.IGNORECASE)


def _label_text(label: Any, language: str) -> str | None:
    if isinstance(label, str):
        return label.strip() or None
    if isinstance(label, dict):
        for key in (language, "en", *label):
            value = label.get(key)
            if isinstance(value, str) and value.strip():
                return value.strip()
    return None


def templatedata_labels(*texts: str | None, language: str = "en") -> dict[str, str]:
    """Parameter labels (aliases included) from the ``<templatedata>`` blocks of ``texts``.

    Pass the text of a template and of its ``/doc`` page; blocks that are not valid JSON
    are ignored. Labels may be plain strings or ``{language: text}`` objects.
    """
    labels: dict[str, str] = {}
    for text in texts:
        for block in _TEMPLATEDATA.findall(text or ""):
            try:
                data = json.loads(block)
            except json.JSONDecodeError:
                continue
            params = data.get("params") if isinstance(data, dict) else None
            if not isinstance(params, dict):
                continue
            for name, spec in params.items():
                if not isinstance(spec, dict):
                    continue
                label = _label_text(spec.get("label"), language)
                if label is None:
                    continue
                labels.setdefault(name, label)
                for alias in spec.get("aliases") or ():
                    if isinstance(alias, str):
                        labels.setdefault(alias, label)
    return labels


def label_for(
    name: str, known: Mapping[str, str] | None = None, template: str | None = None
) -> str:
    """The label of ``name``: from ``known`` (TemplateData labels) if listed, else the rules.

    ``template`` is the source template's name (for :data:`TEMPLATE_PHRASES`).
    """
    if known:
        label = known.get(name.strip())
        if label:
            return label
    return readable_label(name, template)
