"""Short citations read as Module:Footnotes prints them."""

import pytest

from wikitools.rules.footnotes.families import FamilyKind, family_of
from wikitools.rules.footnotes.harvard import (
    HARV,
    HARVCOL,
    HARVNB,
    HARVTXT,
    SFN,
    SFNP,
    format_citation,
    format_multi,
    is_year,
)


def params(*positional: str, **named: str) -> dict[str, str]:
    values = {str(i): v for i, v in enumerate(positional, start=1)}
    values.update(named)
    return values


@pytest.mark.parametrize(
    ("call", "style", "text"),
    [
        (params("Service", "2004", p="259"), SFN, "[[#CITEREFService2004|Service 2004]], p. 259."),
        (
            params("Kotkin", "2014", pp="423–425"),
            SFN,
            "[[#CITEREFKotkin2014|Kotkin 2014]], pp. 423–425.",
        ),
        (
            params("Service", "2004", loc="ch. 3"),
            SFN,
            "[[#CITEREFService2004|Service 2004]], ch. 3.",
        ),
        (
            params("Service", "2004", p="1", loc="fn. 2"),
            SFN,
            "[[#CITEREFService2004|Service 2004]], p. 1, fn. 2.",
        ),
        (params("Smith", "Jones", "2004"), SFN, "[[#CITEREFSmithJones2004|Smith & Jones 2004]]."),
        (
            params("Smith", "Jones", "Lee", "2004"),
            SFN,
            "[[#CITEREFSmithJonesLee2004|Smith, Jones & Lee 2004]].",
        ),
        (
            params("Smith", "Jones", "Lee", "Wu", "2004"),
            SFN,
            "[[#CITEREFSmithJonesLeeWu2004|Smith et al. 2004]].",
        ),
        (params("Smith", "Jones"), SFN, "[[#CITEREFSmithJones|Smith & Jones]]."),
        (
            params("Service", "2004", p="259", ps=": a quote."),
            SFN,
            "[[#CITEREFService2004|Service 2004]], p. 259: a quote.",
        ),
        (params("Service", "2004", ps="none"), SFN, "[[#CITEREFService2004|Service 2004]]"),
        (params("Service", "n.d."), SFN, "[[#CITEREFServicen.d.|Service n.d]]."),
        (params("Service", "2004", ref="none"), SFN, "Service 2004."),
        (params("Service", "2004", ref="serv"), SFN, "[[#serv|Service 2004]]."),
        (
            params("Service", "2004", p="259"),
            SFNP,
            "[[#CITEREFService2004|Service (2004)]], p. 259.",
        ),
        (
            params("Service", "2004", p="259"),
            HARV,
            "([[#CITEREFService2004|Service 2004]], p. 259)",
        ),
        (
            params("Service", "2004", p="259"),
            HARVNB,
            "[[#CITEREFService2004|Service 2004]], p. 259",
        ),
        (
            params("Service", "2004", p="259"),
            HARVTXT,
            "[[#CITEREFService2004|Service (2004]], p. 259)",
        ),
        (params("Service", "2004", p="259"), HARVCOL, "([[#CITEREFService2004|Service 2004]]:259)"),
        (
            params(" Sebag  Montefiore ", "2007"),
            SFN,
            "[[#CITEREFSebag_Montefiore2007|Sebag Montefiore 2007]].",
        ),
    ],
)
def test_format(call: dict[str, str], style, text: str) -> None:  # type: ignore[no-untyped-def]
    assert format_citation(call, style).text == text


def test_footnote_names() -> None:
    assert format_citation(params("Service", "2004", p="259"), SFN).name == "FOOTNOTEService2004259"
    assert format_citation(params("Kotkin", "2014", pp="1–2"), SFN).name == "FOOTNOTEKotkin20141–2"
    assert format_citation(params("A", "B", "C", "D", "E"), SFN).name == "FOOTNOTEABCD"


def test_unknown_parameters_are_not_exact() -> None:
    assert format_citation(params("Service", "2004", p="1"), SFN).exact
    assert not format_citation(params("Service", "2004", quote="x"), SFN).exact
    assert not format_citation(params(), SFN).exact


def test_sfnm() -> None:
    cite = format_multi(
        params("Service", "2004", "Kotkin", "2014", **{"1p": "5", "2pp": "6–7"}), SFN
    )
    assert cite.text == (
        "[[#CITEREFService2004|Service 2004]], p. 5; [[#CITEREFKotkin2014|Kotkin 2014]], pp. 6–7."
    )
    assert cite.name == "FOOTNOTEService20045Kotkin20146–7"
    named = format_multi({"1a1": "Smith", "1a2": "Jones", "1y": "2001", "1p": "3"}, SFN)
    assert named.text == "[[#CITEREFSmithJones2001|Smith & Jones 2001]], p. 3."


@pytest.mark.parametrize(
    "value", ["2004", "2004a", "n.d.", "nd", "c. 1900", "1941–1945", "1941–45", "850"]
)
def test_years(value: str) -> None:
    assert is_year(value)


@pytest.mark.parametrize("value", ["Smith", "20045", "2004-2005", "April 2004"])
def test_not_years(value: str) -> None:
    assert not is_year(value)


def test_families() -> None:
    assert family_of("Sfn").kind is FamilyKind.FOOTNOTE
    assert family_of("harvard citation no brackets").style is HARVNB
    assert family_of("Efn-ua").group == "upper-alpha"
    assert family_of("Cite book") is None
