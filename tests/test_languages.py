"""The one language table: CLDR names (langcodes) with Wikipedia's spellings as overrides."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from wikitools.languages import cldr_name, language_name, language_overrides, normalized_tag

KNOWN = Path(__file__).parent / "data" / "language_names.tsv"
_QUALIFIER = re.compile(r"\s+\([^()]*\)")


def _known() -> dict[str, str]:
    rows = (line.split("\t") for line in KNOWN.read_text("utf-8").splitlines())
    return {row[0]: row[1] for row in rows if row[0] and not row[0].startswith("#")}


def test_every_code_either_former_table_knew_resolves_to_wikipedias_spelling() -> None:
    known = _known()
    assert len(known) == 8180
    wrong = {code: (language_name(code), name) for code, name in known.items()}
    wrong = {code: pair for code, pair in wrong.items() if pair[0] != pair[1]}
    assert wrong == {}


# The 44 codes on which the two former tables disagreed, decided by what English Wikipedia's
# templates print: Module:Lang's override table (Module:Lang/data) where it has the code, else
# the first IANA registry name without its "(…)" qualifier.
DECIDED = {
    # Module:Lang/data overrides
    "ab": "Abkhaz",
    "av": "Avar",
    "ff": "Fula",
    "fy": "West Frisian",
    "kl": "Greenlandic",
    "lg": "Luganda",
    "li": "Limburgish",
    "mi": "Māori",
    "na": "Nauruan",
    "nd": "Northern Ndebele",
    "nr": "Southern Ndebele",
    "oj": "Ojibwe",
    "or": "Odia",
    "rn": "Kirundi",
    "sl": "Slovene",
    "ss": "Swazi",
    "st": "Sotho",
    "to": "Tongan",
    "arc": "Imperial Aramaic",
    "bal": "Balochi",
    "egy": "Ancient Egyptian",
    "hak": "Hakka",
    "kaa": "Karakalpak",
    "kmr": "Kurmanji",
    "lez": "Lezgian",
    "mhr": "Meadow Mari",
    "mni": "Meitei",
    "new": "Newar",
    "pal": "Middle Persian",
    "pms": "Piedmontese",
    "pnb": "Punjabi",
    "rom": "Romani",
    "tyv": "Tuvan",
    # first IANA name, qualifier dropped
    "bh": "Bihari languages",
    "dv": "Dhivehi",
    "ia": "Interlingua",
    "kj": "Kuanyama",
    "km": "Khmer",
    "ug": "Uighur",
    "kok": "Konkani",
    "lzh": "Literary Chinese",
    "nan": "Min Nan Chinese",
    "yue": "Yue Chinese",
    "zza": "Zaza",
}


def test_the_44_disagreements_are_all_decided() -> None:
    assert len(DECIDED) == 44
    assert {code: _known()[code] for code in DECIDED} == DECIDED


@pytest.mark.parametrize(("code", "name"), sorted(DECIDED.items()))
def test_a_disagreement_resolves_as_decided(code: str, name: str) -> None:
    assert language_name(code) == name


def test_the_override_table_is_small_and_every_entry_differs_from_cldr() -> None:
    overrides = language_overrides()
    assert 0 < len(overrides) < 0.02 * len(_known())
    redundant = {}
    for code, name in overrides.items():
        assert code == code.lower() and re.fullmatch(r"[a-z]{2,3}", code), code
        cldr = cldr_name(code)
        if cldr is not None and _QUALIFIER.sub("", cldr) == name:
            redundant[code] = name
    assert redundant == {}


def test_case_subtags_and_iso_639_2_synonyms_give_the_primary_language() -> None:
    assert {language_name(c) for c in ("ka", "KA", "ka-Geor", "kat", "geo", " ka ")} == {"Georgian"}
    assert language_name("zh-Hant") == language_name("zh_Hant_TW") == "Chinese"
    # a synonym takes its ISO 639-1 code's Wikipedia spelling, override included
    assert language_name("abk") == language_name("ab") == "Abkhaz"
    assert language_name("oss") == language_name("os") == "Ossetian"


def test_cldr_aliases_that_merge_languages_are_not_followed() -> None:
    # CLDR aliases hbs to sr-Latn, prs to fa-AF and tgl to fil; Wikipedia does not.
    assert language_name("hbs") == "Serbo-Croatian"
    assert language_name("prs") == "Dari"
    assert language_name("tgl") == language_name("tl") == "Tagalog"
    assert language_name("pes") == "Iranian Persian"


def test_parenthetical_qualifiers_are_dropped_as_module_lang_does() -> None:
    assert cldr_name("swh") == "Swahili (individual language)"
    assert language_name("swh") == "Swahili"


@pytest.mark.parametrize("code", ["xq", "zz", "qaa", "", "   ", "not a code", "x-foo", "e", "abcd"])
def test_unknown_codes_have_no_name(code: str) -> None:
    assert language_name(code) is None


def test_normalized_tag() -> None:
    assert normalized_tag("ZH_hant_tw") == "zh-Hant-TW"
    assert normalized_tag(" KA ") == "ka"


def _modules_after(code: str) -> set[str]:
    script = f"import sys\n{code}\nprint(' '.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_langcodes_loads_only_when_a_name_is_needed() -> None:
    imported = _modules_after("import wikitools.languages, wikitools.rules.policies")
    assert "langcodes" not in imported and "language_data" not in imported
    named = _modules_after("import wikitools.languages as l; assert l.language_name('ka')")
    assert "langcodes" in named
