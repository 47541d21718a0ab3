"""Readable row labels for parameters that have no label of their own.

When a parameter has no home in the target schema it becomes a custom row, and the row
needs a label a reader understands: ``vice_president_date2`` reads "Vice President (from)",
``birth_place`` "Place of birth", ``population_density_km2`` "Population density km²".
The rules are data, all in this module:

1. the group number at the end (``leader_name2``) is dropped: the rows keep their order;
   names written with capitals (``ICD10``, ``eMedicineSubj``) are identifiers or labels
   already and keep their number and spelling, only ``_`` and ``-`` become spaces;
2. a whole name found in :data:`PHRASES` takes that label;
3. a known suffix (:data:`SUFFIXES`, such as ``_start`` → "(from)") is split off and shown
   after the label of the rest; ``_date`` after an event word (:data:`EVENT_WORDS`,
   ``release_date``) is a plain "Release date", after anything else (an office) "(from)";
4. otherwise the rest is split into words at ``_``, ``-`` and spaces; words in
   :data:`WORDS` are written as given (abbreviations, units, proper names), and the first
   letter is capitalized.

When the source template's TemplateData is known (see :func:`templatedata_labels`), its
labels win over these rules.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

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

_NUMBER = re.compile(r"(?<=\D)_?\d+$")
_SEPARATORS = re.compile(r"[\s_\-]+")


def _words(name: str) -> str:
    if any(c.isupper() for c in name):
        # Written with capitals already (ICD10, eMedicineSubj, Lieutenant Governor): an
        # identifier or a label; only the separators become spaces.
        return " ".join(_SEPARATORS.split(name.strip()))
    words = []
    for word in _SEPARATORS.split(name):
        words.append(WORDS.get(word, word))
    text = " ".join(w for w in words if w)
    return text[:1].upper() + text[1:]


def _base(name: str) -> str:
    key = name.strip().casefold().replace(" ", "_").replace("-", "_")
    return PHRASES.get(key) or _words(name)


def readable_label(name: str) -> str:
    """A label readers understand for a parameter called ``name`` (see the module rules)."""
    stripped = name.strip()
    core = stripped
    last_word = _SEPARATORS.split(stripped)[-1]
    if not any(c.isupper() for c in stripped) and last_word not in WORDS:
        core = _NUMBER.sub("", stripped) or stripped
    key = core.casefold().replace(" ", "_").replace("-", "_")
    if key in PHRASES:
        return PHRASES[key]
    for suffix, qualifier in SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix):
            rest = core[: len(core) - len(suffix)]
            rest_key = key[: len(key) - len(suffix)]
            if suffix == "_date" and rest_key.rsplit("_", 1)[-1] in EVENT_WORDS:
                return f"{_base(rest)} date"
            return f"{_base(rest)} {qualifier}"
    return _base(core)


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


def label_for(name: str, known: Mapping[str, str] | None = None) -> str:
    """The label of ``name``: from ``known`` (TemplateData labels) if listed, else the rules."""
    if known:
        label = known.get(name.strip())
        if label:
            return label
    return readable_label(name)
