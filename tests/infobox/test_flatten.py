"""Flattening nested templates into text that reads the same."""

from __future__ import annotations

import mwparserfromhell
import pytest

from wikitools.infobox import FlattenContext, flatten_value
from wikitools.infobox.dates import Date, age_range, date_from_parts, parse_date_text
from wikitools.infobox.magic import is_builtin
from wikitools.languages import language_name


def flat(text: str, **options: object) -> str:
    return flatten_value(text, FlattenContext(**options))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{birth date|1878|12|18|df=y}}", "18 December 1878"),
        ("{{Birth date|df=yes|1885|4|3}}", "3 April 1885"),
        ("{{birth date|1878|12|18}}", "December 18, 1878"),
        ("{{birth date|mf=yes|1905|02|02}}", "February 2, 1905"),
        ("{{birth date|1878|12}}", "December 1878"),
        ("{{birth date|1878}}", "1878"),
        ("{{birth date|1878|Dec|18|df=y}}", "18 December 1878"),
        ("{{dob|1900|1|1}}", "January 1, 1900"),
        ("{{start date|1861|3|4}}", "March 4, 1861"),
        ("{{end date|1865|4|15|df=y}}", "15 April 1865"),
        ("{{death date|1942|1|7}}", "January 7, 1942"),
        ("{{death date and age|1942|1|7|1878|12|18|df=y}}", "7 January 1942 (aged 63)"),
        ("{{death date and age|1953|3|5|1878|12|18|df=y}}", "5 March 1953 (aged 74)"),
        ("{{death date and age|1953|12|17|1878|12|18}}", "December 17, 1953 (aged 74)"),
        ("{{death date and age|1953|12|18|1878|12|18}}", "December 18, 1953 (aged 75)"),
        ("{{dda|1865|4|15|1809|2|12}}", "April 15, 1865 (aged 56)"),
        ("{{death date and age|1942|1|7|1878}}", "January 7, 1942 (aged 63–64)"),
        ("{{death date and age|1942|1|7|1878|1}}", "January 7, 1942 (aged 63–64)"),
        ("{{death year and age|2000|1950}}", "2000 (aged 49–50)"),
        ("{{death-date|Spring 1900}}", "Spring 1900"),
        ("{{death-date and age|7 January 1942|18 December 1878}}", "7 January 1942 (aged 63)"),
        ("{{age|1878|12|18|1953|3|5}}", "74"),
        ("{{date|1878-12-18}}", "18 December 1878"),
        ("{{circa|1850}}", "c. 1850"),
        ("{{fl.|1200}}", "fl. 1200"),
    ],
)
def test_dates_and_ages(source: str, expected: str) -> None:
    assert flat(source) == expected


def test_date_style_option_applies_without_df_or_mf() -> None:
    assert flat("{{birth date|1878|12|18}}", date_style="dmy") == "18 December 1878"
    assert flat("{{birth date|1878|12|18|mf=y}}", date_style="dmy") == "December 18, 1878"


def test_living_age_is_a_live_expression_without_angle_brackets() -> None:
    value = flat("{{birth date and age|1950|6|15|df=y}}")
    assert value.startswith("15 June 1950 (age {{#expr:{{CURRENTYEAR}}-1950-")
    assert "<" not in value and ">" not in value
    expr = mwparserfromhell.parse(value).filter_templates(recursive=False)
    assert [str(t.name).split(":")[0] for t in expr] == ["#expr"]
    assert "{{CURRENTMONTH}}*100+{{CURRENTDAY}}" in value


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("{{birth date|1878|13|18}}", "no month 13"),
        ("{{birth date|1878|2|30}}", "no 30 February"),
        ("{{birth date|c. 1878}}", "not a year"),
        ("{{death date and age|1942|1|7}}", "no birth date"),
    ],
)
def test_malformed_dates_are_kept_and_reported(source: str, reason: str) -> None:
    ctx = FlattenContext()
    assert flatten_value(source, ctx) == source, reason
    assert len(ctx.kept) == 1 and not ctx.flattened


def test_date_helpers() -> None:
    assert date_from_parts("2000", "2", "29") == Date(2000, 2, 29)
    assert date_from_parts("1900", "2", "29") is None
    assert parse_date_text("December 18, 1878") == Date(1878, 12, 18)
    assert parse_date_text("18 Dec. 1878") == Date(1878, 12, 18)
    assert parse_date_text("1878-12") == Date(1878, 12)
    assert parse_date_text("sometime") is None
    assert age_range(Date(1878, 12, 18), Date(1942, 1, 7)) == (63, 63)
    assert age_range(Date(1878), Date(1942, 1, 7)) == (63, 64)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{plainlist|\n* [[A]]\n* [[B]]\n}}", "[[A]]<br />[[B]]"),
        ("{{Plainlist|\n*A\n** A1\n*B}}", "A<br />A1<br />B"),
        ("{{flatlist|\n* a\n* b\n}}", "a<br />b"),
        ("{{ubl|[[A]] (1906–1907)|[[B]] (1919–1932)}}", "[[A]] (1906–1907)<br />[[B]] (1919–1932)"),
        ("{{unbulleted list|a||b|class=x}}", "a<br />b"),
        ("{{hlist|chess|sailing}}", "chess<br />sailing"),
        ("{{ordered list|x|y}}", "1. x<br />2. y"),
        ("{{collapsible list|title=Works|A|B}}", "Works<br />A<br />B"),
        (
            "{{Plainlist}}\n* A<br />{{small|(1832)}}\n* B\nNote.",
            "A<br /><small>(1832)</small><br />B<br />Note.",
        ),
        ("\n* A\n* B", "A<br />B"),
        ("* only", "only"),
        ("#1 hit", "#1 hit"),
    ],
)
def test_lists_become_lines(source: str, expected: str) -> None:
    assert flat(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{lang|ru|Иосиф Сталин}}", "Иосиф Сталин"),
        ("{{lang|ka|ი}} {{Ka icon}}", "ი (in Georgian)"),
        ("{{lang-ru|Москва}}", "Russian: Москва"),
        ("{{lang-ru|Москва|Moskva}}", "Russian: Москва, romanized: Moskva"),
        ("{{langx|de|Haus}}", "German: Haus"),
        ("{{transl|ru|Moskva}}", "Moskva"),
        ("{{native name|ru|Иосиф}}", "Иосиф (Russian)"),
        ("{{native name|ru|Иосиф|paren=omit}}", "Иосиф"),
        ("{{In lang|ka|ru}}", "(in Georgian and Russian)"),
        ("{{in lang|en|fr|de}}", "(in English, French and German)"),
        ("{{En icon}}", "(in English)"),
        ("Title {{xq icon}} here", "Title here"),
        ("{{nihongo|Tokyo|東京|Tōkyō}}", "Tokyo (東京, Tōkyō)"),
    ],
)
def test_languages(source: str, expected: str) -> None:
    assert flat(source) == expected


def test_language_names_come_from_iso_639() -> None:
    assert language_name("ka") == "Georgian"
    assert language_name("kat") == "Georgian"
    assert language_name("geo") == "Georgian"
    assert language_name("en-GB") == "English"
    assert language_name("grc") == "Ancient Greek"
    assert language_name("el") == "Greek"
    assert language_name("zz") is None


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{nowrap|[[Princeton, New Jersey]], U.S.}}", "[[Princeton, New Jersey]], U.S."),
        ("{{small|(1861–1865)}}", "<small>(1861–1865)</small>"),
        ("{{big|x}}", "<big>x</big>"),
        ('{{abbr|UK|United "Kingdom"}}', '<abbr title="United &quot;Kingdom&quot;">UK</abbr>'),
        ("a{{nbsp}}b{{ndash}}c{{mdash}}d", "a&nbsp;b–c—d"),
        ("a{{snd}}b", "a&nbsp;– b"),
        (
            "{{marriage|Mary Todd|November 4, 1842|1865|reason=his death}}",
            "Mary Todd (m. 1842; died 1865)",
        ),
        ("{{marriage|Frank O'Connor|1929|1979|end=w.}}", "Frank O'Connor (m. 1929; w. 1979)"),
        ("{{marriage|A|1929|1935}}", "A (m. 1929–1935)"),
        ("{{marriage|A|1929}}", "A (m. 1929)"),
        ("{{URL|example.com}}", "[http://example.com example.com]"),
        ("{{URL|https://example.com/|Example}}", "[https://example.com/ Example]"),
        ("{{official website|https://example.org}}", "[https://example.org Official website]"),
        ("{{convert|6|ft|4|in}}", "6 ft 4 in"),
        ("{{convert|1|-|2|km}}", "1–2 km"),
        ("{{coord|51|30|N|0|7|W}}", "51°30′N 0°7′W"),
        ("{{flagcountry|Germany}}", "Germany"),
        ("{{flag|United States|1912}}", "United States"),
        ("{{flagicon|USA}} United States", "United States"),
        ("{{post-nominals|country=GBR|KG|OM}}", "KG OM"),
        ("{{sortname|Joseph|Stalin}}", "[[Joseph Stalin]]"),
        ("{{ill|Iosif Stalin|de|Josef Stalin}}", "[[Iosif Stalin]]"),
        ("{{ubl|{{small|a}}|{{lang|ka|ბ}}}}", "<small>a</small><br />ბ"),
    ],
)
def test_formatting_and_links(source: str, expected: str) -> None:
    assert flat(source) == expected


def test_builtins_refs_and_unknown_templates_are_left_alone() -> None:
    source = (
        "{{PAGENAME}} {{#if:{{{x|}}}|{{birth date|1900|1|1}}}} {{formatnum:1234}}"
        " <ref>{{cite book|title=T}} {{birth date|1900|1|1}}</ref> {{sfn|Service|2004}}"
    )
    ctx = FlattenContext()
    value = flatten_value(source, ctx)
    assert value == (
        "{{PAGENAME}} {{#if:{{{x|}}}|January 1, 1900}} {{formatnum:1234}}"
        " <ref>{{cite book|title=T}} {{birth date|1900|1|1}}</ref> {{sfn|Service|2004}}"
    )
    assert ctx.flattened == ["birth date"]
    assert ctx.kept == ["cite book", "birth date", "sfn"]  # inside refs: reported, not touched


def test_templates_known_to_exist_are_not_reported() -> None:
    ctx = FlattenContext(exists=lambda name: name.casefold() == "sfn")
    flatten_value("{{sfn|A|2000}} {{efn|note}}", ctx)
    assert ctx.kept == ["efn"]


def test_flattening_is_idempotent_on_its_output() -> None:
    sources = [
        "{{birth date and age|1950|6|15}}",
        "{{plainlist|\n* a\n* b}}",
        "{{lang|ka|ი}} {{Ka icon}}",
        "{{URL|example.com}}",
        "{{marriage|A|1929|1935}}",
    ]
    for source in sources:
        once = flat(source)
        assert flat(once) == once


def test_builtin_detection() -> None:
    for name in ("#if:x", "PAGENAME", "!", "formatnum:12", "lc:X", "#expr:1+1", "DEFAULTSORT:x"):
        assert is_builtin(name), name
    for name in ("Infobox", "birth date", "Lang", "small", "subst:foo"):
        assert not is_builtin(name), name
