"""The schemas added for coverage install with ``wikitools infobox install`` on a real
MediaWiki 1.39, and a converted sample call of each renders its rows with Wikipedia's
labels, loses no value, and raises no Lua or template errors.

The templates go in under test-only names (the shipped schemas otherwise), so the shared
session wiki stays usable by other tests.
"""

from __future__ import annotations

import dataclasses
import html

import mwparserfromhell
import pytest
from typer.testing import CliRunner

from wikitools.cli.app import app
from wikitools.infobox import (
    FlattenContext,
    Param,
    Schema,
    SchemaRegistry,
    Section,
    convert_infobox,
    default_registry,
    flatten_value,
)
from wikitools.mediawiki import Credentials, Wiki
from wikitools.mediawiki.live_site import ApiSiteContext
from wikitools.sandbox import SandboxWiki

from .helpers import REPO
from .visibility import call_fields, check_fields, normalize, rendered_infobox, visible_segments

PREFIX = "Coverage test "
UA = "wikitools-tests/0.1 (infobox coverage tests)"


@dataclasses.dataclass(frozen=True)
class Sample:
    """A source call as articles write it, and rows Wikipedia's template shows for it."""

    schema: str
    call: str
    rows: tuple[tuple[str, str], ...]


SAMPLES = (
    Sample(
        "settlement",
        """{{Infobox city
| name = Springfield
| settlement_type = City
| image_skyline = Springfield skyline.jpg
| image_caption = Downtown Springfield
| image_alt = Towers by a river
| image_flag = Flag of Springfield.svg
| nickname = The Spring City
| motto = Onward
| subdivision_type = Country
| subdivision_name = United States
| subdivision_type1 = State
| subdivision_name1 = Illinois
| established_title = Founded
| established_date = 1821
| established_title1 = Incorporated
| established_date1 = 1840
| government_type = Mayor–council
| leader_title = Mayor
| leader_name = Jane Doe
| area_total_km2 = 170.5
| elevation_m = 182
| population_as_of = 2020
| population_total = 114394
| population_density_km2 = 671
| timezone = CST
| utc_offset = −6
| postal_code_type = ZIP code
| postal_code = 62701
| area_code = 217
| twin_towns = Ferrara
| website = https://springfield.example.org
}}""",
        (
            ("Country", "United States"),
            ("State", "Illinois"),
            ("Founded", "1821"),
            ("Incorporated", "1840"),
            ("Mayor", "Jane Doe"),
            ("Type", "Mayor–council"),
            ("Total (km²)", "170.5"),
            ("Elevation (m)", "182"),
            ("Total", "114394"),
            ("Time zone", "CST"),
            ("ZIP code", "62701"),
            ("Twin towns", "Ferrara"),
        ),
    ),
    Sample(
        "country",
        """{{Infobox country
| conventional_long_name = Republic of Exampleland
| common_name = Exampleland
| national_motto = Unity, Work, Progress
| national_anthem = Hymn of Exampleland
| capital = Example City
| largest_city = Example City
| official_languages = Examplish
| ethnic_groups = 90% Examplers
| demonym = Examplish
| government_type = Unitary presidential republic
| leader_title1 = President
| leader_name1 = Ann Example
| leader_title2 = Prime Minister
| leader_name2 = Bob Example
| legislature = National Assembly
| sovereignty_type = Independence
| established_event1 = From Otherland
| established_date1 = 5 July 1962
| area_km2 = 2381741
| percent_water = 1.1
| population_estimate = 44700000
| population_estimate_year = 2019
| GDP_PPP = $684.689 billion
| currency = Example dinar
| currency_code = EXD
| time_zone = CET
| drives_on = right
| calling_code = +213
| cctld = .ex
}}""",
        (
            ("Capital", "Example City"),
            ("Official languages", "Examplish"),
            ("Demonym(s)", "Examplish"),
            ("Government", "Unitary presidential republic"),
            ("President", "Ann Example"),
            ("Prime Minister", "Bob Example"),
            ("Legislature", "National Assembly"),
            ("From Otherland", "5 July 1962"),
            ("Total area (km²)", "2381741"),
            ("GDP (PPP)", "$684.689 billion"),
            ("Currency", "Example dinar"),
            ("Driving side", "right"),
            ("Internet TLD", ".ex"),
        ),
    ),
    Sample(
        "company",
        """{{Infobox corporation
| name = Example Corp
| type = Public
| traded_as = EXC
| industry = Software
| founded = 1999
| founders = Ada Example
| location = Springfield
| location_country = United States
| key_people = Ada Example (CEO)
| products = Widgets
| revenue = US$1 billion
| revenue_year = 2020
| num_employees = 5000
| parent = Example Holdings
| homepage = https://corp.example.org
}}""",
        (
            ("Type", "Public"),
            ("Traded as", "EXC"),
            ("Industry", "Software"),
            ("Founded", "1999"),
            ("Founder(s)", "Ada Example"),
            ("Headquarters", "Springfield, United States"),
            ("Key people", "Ada Example (CEO)"),
            ("Revenue", "US$1 billion 2020"),
            ("Number of employees", "5000"),
            ("Parent", "Example Holdings"),
        ),
    ),
    Sample(
        "film",
        """{{Infobox movie
| name = Actrius
| image = Actrius poster.jpg
| alt = A poster with two women
| caption = Theatrical release poster
| film name = Actrices
| director = Ventura Pons
| producer = Ventura Pons
| writer = Josep Maria Benet i Jornet
| based on = E.R.
| starring = Núria Espert
| music = Carles Cases
| cinematography = Tomàs Pladevall
| editing = Pere Abadal
| production companies = Els Films de la Rambla
| distributor = Buenavista International
| released = 1997
| runtime = 100 minutes
| country = Spain
| language = Catalan
| budget = small
| gross = unknown
}}""",
        (
            ("Directed by", "Ventura Pons"),
            ("Produced by", "Ventura Pons"),
            ("Written by", "Josep Maria Benet i Jornet"),
            ("Based on", "E.R."),
            ("Starring", "Núria Espert"),
            ("Music by", "Carles Cases"),
            ("Edited by", "Pere Abadal"),
            ("Production company", "Els Films de la Rambla"),
            ("Distributed by", "Buenavista International"),
            ("Release date", "1997"),
            ("Running time", "100 minutes"),
            ("Box office", "unknown"),
        ),
    ),
    Sample(
        "album",
        """{{Infobox album
| name = Example Songs
| type = studio
| artist = The Examples
| released = 12 May 2001
| recorded = 2000
| studio = Abbey Road
| genre = Rock
| length = 42:10
| label = Example Records
| producer = Pat Producer
| prev_title = First Songs
| prev_year = 1999
| next_title = Third Songs
| next_year = 2003
}}""",
        (
            ("", "studio album by The Examples"),
            ("Released", "12 May 2001"),
            ("Recorded", "2000"),
            ("Studio", "Abbey Road"),
            ("Genre", "Rock"),
            ("Length", "42:10"),
            ("Label", "Example Records"),
            ("Producer", "Pat Producer"),
            ("Previous album", "First Songs 1999"),
            ("Next album", "Third Songs 2003"),
        ),
    ),
    Sample(
        "musical_artist",
        """{{Infobox musician
| name = Ella Example
| background = solo_singer
| birth_name = Ella Mae Example
| born = 1 January 1970
| birth_place = Springfield
| origin = Chicago
| genre = Jazz
| occupation = Singer
| instrument = Vocals
| years_active = 1990–present
| label = Example Records
| associated_acts = The Examples
| website = https://ella.example.org
}}""",
        (
            ("Birth name", "Ella Mae Example"),
            ("Born", "1 January 1970Springfield"),
            ("Origin", "Chicago"),
            ("Genres", "Jazz"),
            ("Occupation(s)", "Singer"),
            ("Instrument(s)", "Vocals"),
            ("Years active", "1990–present"),
            ("Labels", "Example Records"),
            ("Associated acts", "The Examples"),
        ),
    ),
    Sample(
        "book",
        """{{Infobox novel
| name = A Modest Example
| author = Jonathan Example
| country = Ireland
| language = English
| genre = Satire
| publisher = Example Press
| release_date = 1729
| media_type = Print
| pages = 32
| isbn = 978-0-00-000000-0
| oclc = 12345
| preceded_by = An Earlier Example
}}""",
        (
            ("Author", "Jonathan Example"),
            ("Country", "Ireland"),
            ("Language", "English"),
            ("Genre", "Satire"),
            ("Publisher", "Example Press"),
            ("Publication date", "1729"),
            ("Media type", "Print"),
            ("Pages", "32"),
            ("ISBN", "978-0-00-000000-0"),
            ("OCLC", "12345"),
            ("Preceded by", "An Earlier Example"),
        ),
    ),
    Sample(
        "military_person",
        """{{Infobox military person
| name = Albert Example
| birth_date = {{birth date|1803|2|2}}
| birth_place = Washington, Kentucky
| death_date = {{death date and age|1862|4|6|1803|2|2}}
| death_place = Shiloh, Tennessee
| placeofburial = Texas State Cemetery
| nickname = Sid
| allegiance = United States
| branch = United States Army
| serviceyears = 1826–1834
| rank = General
| unit = 2nd Cavalry
| commands = Western Department
| battles = Black Hawk War
| awards = none
| relations = William Example (son)
| laterwork = Planter
}}""",
        (
            ("Nickname(s)", "Sid"),
            ("Born", "February 2, 1803Washington, Kentucky"),
            ("Died", "April 6, 1862 (aged 59)Shiloh, Tennessee"),
            ("Place of burial", "Texas State Cemetery"),
            ("Allegiance", "United States"),
            ("Service/branch", "United States Army"),
            ("Years of service", "1826–1834"),
            ("Rank", "General"),
            ("Commands held", "Western Department"),
            ("Battles/wars", "Black Hawk War"),
            ("Relations", "William Example (son)"),
            ("Other work", "Planter"),
        ),
    ),
    Sample(
        "organization",
        """{{Infobox non-profit
| name = Example Standards Institute
| abbreviation = ESI
| formation = 1918
| type = Non-profit
| purpose = National standards
| headquarters = Washington, D.C.
| membership = 125,000 companies
| language = English
| leader_title = President
| leader_name = Sam Example
| leader_title2 = Chair
| leader_name2 = Pat Example
| num_staff = 150
| website = https://esi.example.org
}}""",
        (
            ("Abbreviation", "ESI"),
            ("Formation", "1918"),
            ("Type", "Non-profit"),
            ("Purpose", "National standards"),
            ("Headquarters", "Washington, D.C."),
            ("Membership", "125,000 companies"),
            ("Official language", "English"),
            ("President", "Sam Example"),
            ("Chair", "Pat Example"),
            ("Staff", "150"),
        ),
    ),
    Sample(
        "us_state",
        """{{Infobox U.S. state
| Name = Alabama
| Fullname = State of Alabama
| Nickname = Yellowhammer State
| Motto = We dare defend our rights
| Former = Alabama Territory
| AdmittanceDate = December 14, 1819
| AdmittanceOrder = 22nd
| Capital = Montgomery
| LargestCity = Birmingham
| Governor = Kay Ivey
| Lieutenant Governor = Will Ainsworth
| Legislature = Alabama Legislature
| Senators = Tommy Tuberville
| TotalArea = 135765
| TotalAreaUS = 52419
| PCWater = 3.20
| HighestPoint = Mount Cheaha
| HighestElev = 735.5
| 2010Pop = 4779736
| MedianHouseholdIncome = $44,765
| Demonym = Alabamian
| OfficialLang = English
| TimeZone = Central
| PostalAbbreviation = AL
| ISOCode = US-AL
| Website = https://alabama.gov
}}""",
        (
            ("Before statehood", "Alabama Territory"),
            ("Admitted to the Union", "December 14, 1819 22nd"),
            ("Capital", "Montgomery"),
            ("Largest city", "Birmingham"),
            ("Governor", "Kay Ivey"),
            ("Lieutenant Governor", "Will Ainsworth"),
            ("U.S. senators", "Tommy Tuberville"),
            ("Total (km²)", "135765"),
            ("Total (sq mi)", "52419"),
            ("Water (%)", "3.20"),
            ("Highest point", "Mount Cheaha"),
            ("Population (2010)", "4779736"),
            ("Demonym(s)", "Alabamian"),
            ("USPS abbreviation", "AL"),
            ("ISO 3166 code", "US-AL"),
        ),
    ),
    Sample(
        "spaceflight",
        """{{Infobox spaceflight
| name = Example 8
| mission_type = Crewed lunar orbiter
| operator = NASA
| COSPAR_ID = 1968-118A
| SATCAT = 3626
| mission_duration = 6 days
| spacecraft = CSM-103
| manufacturer = North American Rockwell
| launch_mass = 28817 kg
| crew_size = 3
| crew_members = Frank Borman
| launch_date = December 21, 1968
| launch_rocket = Saturn V
| launch_site = Kennedy LC-39A
| recovery_by = USS Yorktown
| landing_date = December 27, 1968
| orbit_reference = Selenocentric
| orbit_periapsis = 110.6 km
| orbit_period = 128.7 minutes
| programme = Apollo program
| previous_mission = Example 7
| next_mission = Example 9
}}""",
        (
            ("Mission type", "Crewed lunar orbiter"),
            ("COSPAR ID", "1968-118A"),
            ("SATCAT no.", "3626"),
            ("", "Spacecraft properties"),
            ("Manufacturer", "North American Rockwell"),
            ("", "Crew"),
            ("Members", "Frank Borman"),
            ("", "Start of mission"),
            ("Rocket", "Saturn V"),
            ("", "End of mission"),
            ("Recovered by", "USS Yorktown"),
            ("", "Orbital parameters"),
            ("Reference system", "Selenocentric"),
            ("Periapsis altitude", "110.6 km"),
            ("Previous mission", "Example 7"),
        ),
    ),
    Sample(
        "language_family",
        """{{Infobox language family
| name = Examplic
| region = Southeast Example
| family = One of the world's primary language families
| protoname = Proto-Examplic
| child1 = North Examplic
| child2 = South Examplic
| iso5 = exm
| glotto = exam1234
| glottorefname = Examplic
}}""",
        (
            ("Geographic distribution", "Southeast Example"),
            ("Linguistic classification", "One of the world's primary language families"),
            ("Proto-language", "Proto-Examplic"),
            ("", "Subdivisions"),
            ("Subdivision", "North Examplic"),
            ("Subdivision", "South Examplic"),
            ("ISO 639-5", "exm"),
            ("Glottolog", "exam1234 – Examplic"),
        ),
    ),
    Sample(
        "award",
        """{{Infobox award
| name = Example Award for Design
| description = Excellence in design
| presenter = Example Academy
| country = United States
| year = 1929
| holder = Pat Designer
| website = https://award.example.org
}}""",
        (
            ("Awarded for", "Excellence in design"),
            ("Presented by", "Example Academy"),
            ("Country", "United States"),
            ("First awarded", "1929"),
            ("Currently held by", "Pat Designer"),
        ),
    ),
)

#: Every schema added for coverage has a sample here.
NEW_SCHEMAS = {
    "settlement",
    "country",
    "company",
    "film",
    "album",
    "musical_artist",
    "book",
    "military_person",
    "organization",
    "us_state",
    "spaceflight",
    "language_family",
    "award",
}


def _test_schema(schema: Schema) -> Schema:
    return dataclasses.replace(
        schema, template=PREFIX + schema.template, sources=(schema.template, *schema.sources)
    )


@pytest.fixture(scope="module")
def account(sandbox_wiki: SandboxWiki) -> Credentials:
    user, password = sandbox_wiki.create_bot_password("coveragetests")
    return Credentials(user, password)


@pytest.fixture(scope="module")
def installed(
    sandbox_wiki: SandboxWiki, account: Credentials, tmp_path_factory: pytest.TempPathFactory
) -> SchemaRegistry:
    """Every sampled schema installed with ``wikitools infobox install --apply``."""
    folder = tmp_path_factory.mktemp("coverage-schemas")
    registry = default_registry()
    copies = []
    for name in sorted({s.schema for s in SAMPLES}):
        schema = registry.get(name)
        source = (REPO / "templates" / f"{name}.toml").read_text("utf-8")
        line = f'template = "{schema.template}"'
        assert line in source
        (folder / f"{name}.toml").write_text(
            source.replace(line, f'template = "{PREFIX}{schema.template}"'), "utf-8"
        )
        copies.append(_test_schema(schema))
    env = {
        "WIKITOOLS_USERNAME": account.username,
        "WIKITOOLS_PASSWORD": account.password,
        "WIKITOOLS_CREDENTIALS": str(folder / "none.toml"),
        "WIKITOOLS_USER_AGENT": UA,
    }
    runner = CliRunner(env=env)
    for copy in copies:
        args = ["infobox", "install", copy.name, "--wiki", sandbox_wiki.api_url]
        args += ["--templates", str(folder), "--apply", "--summary", "Coverage test"]
        done = runner.invoke(app, args)
        assert done.exit_code == 0, done.output
        assert f"saved Template:{copy.template}" in done.stdout
        assert f"saved Template:{copy.template}/doc" in done.stdout
    return SchemaRegistry(copies)


def test_every_new_schema_has_a_sample() -> None:
    assert {s.schema for s in SAMPLES} >= NEW_SCHEMAS
    assert set(default_registry().names()) >= NEW_SCHEMAS


def _metadata(param: Param, section: Section) -> bool:
    """A parameter readers don't see as text: never shown, or an image's alt text or size.

    (The test wiki has no files, so an image renders as a link with its name: its alt
    text has nowhere to show. The converted call keeps both; check_fields checks them.)
    """
    shown_by = [p for p in section.params if param.name in p.references]
    as_image_detail = [p for p in shown_by if param.name in (p.alt, p.size)]
    return param.display == "none" and (not shown_by or shown_by == as_image_detail)


def _source_values(call: str) -> dict[str, str]:
    [node] = mwparserfromhell.parse(call).filter_templates(recursive=False)
    return {str(p.name).strip(): str(p.value).strip() for p in node.params if str(p.value).strip()}


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.schema for s in SAMPLES])
def test_sample_converts_and_renders_with_wikipedia_rows(
    sample: Sample, sandbox_wiki: SandboxWiki, installed: SchemaRegistry
) -> None:
    result = convert_infobox(sample.call, registry=installed)
    assert not result.problems
    [conversion] = result.conversions
    assert conversion.schema == sample.schema
    schema = installed.get(sample.schema)
    parsed = sandbox_wiki.parse(result.text, title=f"Coverage {sample.schema}")
    page_html = html.unescape(parsed["text"])
    shown = rendered_infobox(parsed["text"])
    # Every field of the converted call shows with its label (or is metadata, e.g. alt).
    fields = call_fields(result.text, schema.template)
    assert check_fields(schema, fields, shown) == []
    # Wikipedia's rows, labels and groupings for these parameters.
    for label, value in sample.rows:
        assert any(
            row_label == label and normalize(value) in row_value
            for row_label, row_value in shown.rows
        ), f"row {label!r}: {value!r} not in {shown.rows}"
    # No value lost: every source value's text is visible in the rendered infobox
    # (metadata that the template never shows, such as common_name, aside), and every
    # source value is in the converted call.
    converted = {f.name: f.value for f in fields}
    moved = {m for c in result.conversions for m in c.moved}
    assert moved <= {"twin_towns"}, moved  # the one parameter with no home in the samples
    for name, value in _source_values(sample.call).items():
        flat = flatten_value(value, FlattenContext())
        assert flat in converted.values(), f"{name}: value not in the converted call"
        slot = schema.resolve(name)
        if slot is not None and _metadata(slot.param, slot.section):
            continue
        for segment in visible_segments(flat):
            assert segment in shown.text, f"{name}: {segment!r} not shown"
    # Nothing but the clean template is used; no script or template errors.
    assert "scribunto-error" not in page_html and 'class="error"' not in page_html
    used = {t["title"]: t["exists"] for t in parsed["templates"]}
    assert used == {f"Template:{schema.template}": True}
    assert not [t for t in shown.red_links if t.startswith(("Template:", "Module:"))]
    for marker in ("{{", "}}", "{{{", "{|", "|}"):
        assert marker not in shown.text, f"visible {marker!r} in {shown.text!r}"


def test_installed_templatedata_serves_the_labels(
    sandbox_wiki: SandboxWiki, installed: SchemaRegistry
) -> None:
    """The TemplateData extension accepted each schema's JSON and serves its labels."""
    titles = "|".join(f"Template:{installed.get(n).template}" for n in sorted(NEW_SCHEMAS))
    answer = sandbox_wiki.api({"action": "templatedata", "titles": titles, "format": "json"})
    pages = {p["title"]: p for p in answer["pages"].values()}
    film = pages[f"Template:{installed.get('film').template}"]
    assert film["params"]["director"]["label"]["en"] == "Directed by"
    country = pages[f"Template:{installed.get('country').template}"]
    assert country["params"]["leader_name1"]["label"]["en"].startswith("Leader")
    assert len(pages) == len(NEW_SCHEMAS)


def test_fallback_labels_come_from_the_source_templatedata(
    sandbox_wiki: SandboxWiki, account: Credentials
) -> None:
    """A source template's TemplateData on the wiki labels the custom rows of the fallback."""
    sandbox_wiki.edit(
        "Template:Infobox coverage cabinet",
        '<noinclude><templatedata>{"params": {"vp": {"label": "Vice President"}, '
        '"vp_term": {"label": {"en": "Vice President term"}, "aliases": ["vpterm"]}}}'
        "</templatedata></noinclude>",
    )
    wiki = Wiki(sandbox_wiki.api_url, user_agent=UA)
    wiki.login(account)
    site = ApiSiteContext(wiki)
    call = "{{Infobox coverage cabinet|vp=John Adams|vpterm=1789–1797|vice_president_date2=1795}}"
    converted = convert_infobox(call, site=site).text
    assert "label1=Vice President|data1=John Adams" in converted
    assert "label2=Vice President term|data2=1789–1797" in converted
    assert "label3=Vice President (from)|data3=1795" in converted  # no TemplateData: rules
    offline = convert_infobox(call).text
    assert "label1=Vp|data1=John Adams" in offline
