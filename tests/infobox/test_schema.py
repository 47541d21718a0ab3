"""Schema files: the shipped ones load, bad ones fail with the file and key named."""

from __future__ import annotations

import filecmp
import json
from pathlib import Path
from typing import Any

import pytest

from wikitools.errors import SchemaError
from wikitools.infobox import SchemaRegistry, builtin_dir, default_registry, load_schema
from wikitools.infobox.schema import parse_schema

from .helpers import REPO

MINIMAL: dict[str, Any] = {
    "name": "mini",
    "template": "Infobox mini",
    "sections": [{"id": "top", "params": [{"name": "name", "display": "title"}]}],
}


def _with(**changes: Any) -> dict[str, Any]:
    data = json.loads(json.dumps(MINIMAL))
    data.update(changes)
    return data


def _param(**fields: Any) -> dict[str, Any]:
    first = {"name": "name", "display": "title"}
    return _with(sections=[{"id": "top", "params": [first, fields]}])


def test_shipped_schemas_load_and_cover_the_seed_infobox() -> None:
    registry = default_registry()
    shipped = sorted(p.stem for p in (REPO / "templates").glob("*.toml"))
    assert registry.names() == shipped
    assert {"generic", "officeholder", "person", "settlement", "country", "company"} <= set(shipped)
    assert {"film", "album", "musical_artist", "book", "military_person"} <= set(shipped)
    assert registry.fallback is not None and registry.fallback.name == "generic"
    officeholder = registry.get("officeholder")
    seed = (REPO / "examples" / "joseph_stalin.wiki").read_text("utf-8")
    import mwparserfromhell

    infobox = mwparserfromhell.parse(seed).filter_templates(recursive=False)[0]
    for param in infobox.params:
        slot = officeholder.resolve(str(param.name))
        assert slot is not None and slot.in_range, str(param.name)


def test_builtin_folder_is_the_repository_templates_folder() -> None:
    """The package data the installed wikitools reads is this repository's templates/."""
    shipped = Path(str(builtin_dir()))
    names = sorted(p.name for p in shipped.iterdir() if p.suffix == ".toml")
    assert names == sorted(p.name for p in (REPO / "templates").glob("*.toml"))
    assert {"generic.toml", "officeholder.toml", "person.toml"} <= set(names)
    for name in names:
        assert filecmp.cmp(shipped / name, REPO / "templates" / name, shallow=False)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("office", ("office", 1)),
        ("office1", ("office", 1)),
        ("office3", ("office3", 3)),
        ("term_start12", ("term_start12", 12)),
        ("1namedata2", ("1namedata2", 2)),
        ("predecessor1", ("predecessor", 1)),
        ("vice_president2", ("vicepresident2", 2)),
        ("state_house3", ("state_house3", 3)),
        ("restingplace", ("resting_place", None)),
        ("Birth_date", ("birth_date", None)),
        ("Birth date", ("birth_date", None)),
        ("blank3", ("blank3", 3)),
    ],
)
def test_resolve_names(name: str, expected: tuple[str, int | None]) -> None:
    slot = default_registry().get("officeholder").resolve(name)
    assert slot is not None
    assert (slot.canonical, slot.index) == expected


def test_resolve_out_of_range_and_unknown() -> None:
    schema = default_registry().get("officeholder")
    slot = schema.resolve("office17")
    assert slot is not None and not slot.in_range
    assert schema.resolve("office0") is None
    assert schema.resolve("office02") is None
    assert schema.resolve("favourite_colour") is None


def test_source_lookup_ignores_case_underscores_prefix_and_comments() -> None:
    registry = default_registry()
    for name in ("Infobox_politician", "template:infobox President", "Infobox MP <!-- x -->"):
        schema = registry.for_source(name)
        assert schema is not None and schema.name == "officeholder", name
    assert registry.for_source("Infobox disease") is None
    assert registry.get("Infobox officeholder").name == "officeholder"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_with(nme="x"), "nme: unknown key"),
        (_with(name="other"), "name: 'other' must equal the file name 'mini'"),
        (_with(name="Mini"), "name: 'Mini' must equal"),
        (_with(template=3), "template: expected a string, got an integer"),
        (_with(format=2), "format: format 2 is not supported"),
        (_with(sections=[]), "sections: expected a non-empty list of tables"),
        (_with(sources=["Infobox a", "infobox_A"]), "sources[1]: 'infobox_A' repeats sources[0]"),
        (_param(name="born", display="rows"), "sections[0].params[1]: unknown display 'rows'"),
        (_param(name="born", type="text"), "sections[0].params[1].type: unknown type 'text'"),
        (_param(name="born", labl="Born"), "sections[0].params[1].labl: unknown key"),
        (_param(name="a|b"), "sections[0].params[1].name: 'a|b' is not a usable parameter name"),
        (_param(name="born", aliases="b"), "aliases: expected a list of strings, got a string"),
        (_param(name="name"), "the name 'name' also belongs to sections[0].params[0]"),
        (_param(name="Name"), "'Name' differs only in case or '_' from a name of"),
        (_param(name="born", label_from="nope"), "label_from: 'nope' is not a parameter of"),
        (_param(name="born", caption="name"), "caption: only images"),
        (_param(name="x", display="title"), "only one parameter can have display = 'title'"),
        (_param(name="born", required="yes"), "required: expected true or false, got a string"),
        (
            _with(extra={"section": "top", "label": "a", "value": "b"}),
            "extra.section: section 'top' must be numbered",
        ),
        (
            _with(
                sections=[
                    {"id": "top", "params": [{"name": "name"}]},
                    {
                        "id": "rows",
                        "numbered": {"max": 3, "first_unsuffixed": True},
                        "params": [{"name": "name"}],
                    },
                ]
            ),
            "the name 'name' also belongs to sections[0].params[0]",
        ),
        (
            _with(
                sections=[
                    {"id": "top", "params": [{"name": "data2"}]},
                    {"id": "rows", "numbered": {"max": 3}, "params": [{"name": "data"}]},
                ]
            ),
            "the name 'data2' also belongs to sections[0].params[0]",
        ),
        (
            _with(sections=[{"id": "r", "numbered": {"max": 0}, "params": [{"name": "a"}]}]),
            "sections[0].numbered.max: must be between 1 and 100, got 0",
        ),
    ],
)
def test_invalid_schemas_name_file_and_key(data: dict[str, Any], message: str) -> None:
    with pytest.raises(SchemaError) as caught:
        parse_schema(data, "templates/mini.toml", "mini")
    text = str(caught.value)
    assert text.startswith("templates/mini.toml: ")
    assert message in text


def test_toml_and_json_files(tmp_path: Path) -> None:
    (tmp_path / "mini.json").write_text(json.dumps(MINIMAL), "utf-8")
    assert load_schema(tmp_path / "mini.json").template == "Infobox mini"
    (tmp_path / "broken.toml").write_text('name = "broken\n', "utf-8")
    with pytest.raises(SchemaError, match=r"broken.toml: not valid TOML"):
        load_schema(tmp_path / "broken.toml")
    (tmp_path / "bad.json").write_text("{", "utf-8")
    with pytest.raises(SchemaError, match=r"bad.json: not valid JSON at line 1, column 2"):
        load_schema(tmp_path / "bad.json")
    with pytest.raises(SchemaError, match=r"missing.toml: no such schema file"):
        load_schema(tmp_path / "missing.toml")


def test_user_folder_adds_and_replaces_schemas(tmp_path: Path) -> None:
    (tmp_path / "mini.toml").write_text(
        'name = "mini"\ntemplate = "Infobox mini"\nsources = ["Infobox tiny"]\n'
        '[[sections]]\nid = "top"\nparams = [{ name = "name", display = "title" }]\n',
        "utf-8",
    )
    person = (REPO / "templates" / "person.toml").read_text("utf-8")
    (tmp_path / "person.toml").write_text(
        person.replace('template = "Infobox person"', 'template = "Person box"'), "utf-8"
    )
    registry = SchemaRegistry.load([tmp_path])
    assert registry.names() == sorted([*default_registry().names(), "mini"])
    assert registry.get("person").template == "Person box"
    tiny = registry.for_source("Infobox tiny")
    assert tiny is not None and tiny.name == "mini"


def test_two_schemas_claiming_one_source_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "mini.toml").write_text(
        'name = "mini"\ntemplate = "Infobox mini"\nsources = ["Infobox politician"]\n'
        '[[sections]]\nid = "top"\nparams = [{ name = "name" }]\n',
        "utf-8",
    )
    with pytest.raises(SchemaError, match=r"mini.toml: sources: 'infobox politician' is also"):
        SchemaRegistry.load([tmp_path])


def test_missing_folder_and_unknown_name() -> None:
    with pytest.raises(SchemaError, match=r"nowhere: not a folder of template schemas"):
        SchemaRegistry.load([Path("nowhere")])
    with pytest.raises(SchemaError, match=r"no template schema named 'nope' \(known: album, \w+"):
        default_registry().get("nope")
