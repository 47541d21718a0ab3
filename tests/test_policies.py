"""Template policies: config validation, substitution, each action, built-in defaults."""

import mwparserfromhell
import pytest

from wikitools.errors import ConfigError
from wikitools.languages import ISO_639_1, language_name, normalized_tag
from wikitools.rules.policies import (
    Action,
    TemplatePolicies,
    apply_policy,
    builtin_remedy,
    substitute,
)


def node(wikitext: str):  # type: ignore[no-untyped-def]
    return mwparserfromhell.parse(wikitext).filter_templates()[0]


@pytest.mark.parametrize(
    ("template", "params", "expected"),
    [
        ("{{{1}}} {{{2}}}", {"1": "5", "2": "km"}, "5 km"),
        ("{{{unit|m}}}", {}, "m"),
        ("{{{1|{{{text|none}}}}}}", {"text": "x"}, "x"),
        ("{{{1|{{{text|none}}}}}}", {}, "none"),
        ("[{{{missing}}}]", {}, "[]"),
        ("a {{{1}}", {"1": "x"}, "a {{{1}}"),
    ],
)
def test_substitute(template: str, params: dict[str, str], expected: str) -> None:
    assert substitute(template, params) == expected


def test_from_section_reads_all_actions() -> None:
    policies = TemplatePolicies.from_section(
        {
            "builtin-policies": False,
            "Citation needed": "remove",
            "convert": {"action": "replace", "text": "{{{1}}} {{{2}}}"},
            "Flagicon": {"action": "rename", "to": "Flag icon", "params": {"1": "country"}},
            "Nowrap": {"action": "unwrap", "param": 1},
            "Sic": {"action": "keep"},
            "* icon": {"action": "remove", "safe": False},
        }
    )
    assert not policies.builtins
    assert policies.lookup("citation_needed").action is Action.REMOVE
    assert policies.lookup("Convert").text == "{{{1}}} {{{2}}}"
    assert policies.lookup("Nowrap").param == "1"
    assert policies.lookup("Ru icon").safe is False
    assert policies.lookup("Unknown") is None


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ({"X": {"action": "explode"}}, r'templates\."X"\.action'),
        ({"X": {"action": "remove", "text": "y"}}, r"unknown key 'text'"),
        ({"X": {"action": "replace"}}, r'templates\."X"\.text'),
        ({"X": {"action": "rename"}}, r'templates\."X"\.to'),
        ({"X": {"action": "rename", "to": "Y", "params": {"1": 2}}}, r"\.params"),
        ({"X": {"action": "remove", "safe": "yes"}}, r"\.safe"),
        ({"X": 3}, r"expected a table"),
        ({"builtin-policies": "no"}, r"builtin-policies"),
    ],
)
def test_invalid_policies_name_the_key(section: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        TemplatePolicies.from_section(section, "wikitools.toml")


def test_apply_each_action() -> None:
    policies = TemplatePolicies.from_section(
        {
            "Convert": {"action": "replace", "text": "{{{1}}}&nbsp;{{{2}}}"},
            "Flagicon": {
                "action": "rename",
                "to": "Flag icon",
                "params": {"1": "country", "size": "width"},
            },
            "Nowrap": {"action": "unwrap"},
            "Cn": "remove",
            "Sic": "keep",
        }
    )
    call = node("{{convert|5|km}}")
    assert apply_policy(policies.lookup("Convert"), call, "convert").replacement == "5&nbsp;km"
    renamed = apply_policy(
        policies.lookup("Flagicon"), node("{{ flagicon |USSR| size = 20px |x=1}}"), "flagicon"
    )
    assert renamed.replacement == "{{ Flag icon |country=USSR| width = 20px |x=1}}"
    assert renamed.rename_to == "Flag icon"
    assert (
        apply_policy(policies.lookup("Nowrap"), node("{{nowrap|a b}}"), "nowrap").replacement
        == "a b"
    )
    assert apply_policy(policies.lookup("Cn"), node("{{cn|date=May}}"), "cn").replacement == ""
    assert apply_policy(policies.lookup("Sic"), node("{{sic}}"), "sic") is None


@pytest.mark.parametrize(
    ("wikitext", "replacement"),
    [
        ("{{Ka icon}}", "(in Georgian)"),
        ("{{ru icon}}", "(in Russian)"),
        ("{{In lang|ka|ru}}", "(in Georgian and Russian)"),
        ("{{in lang|de|fr|it}}", "(in German, French, and Italian)"),
        ("{{lang-ru|Иосиф Сталин}}", 'Russian: <span lang="ru">Иосиф Сталин</span>'),
        ("{{lang-fr|Paris}}", "French: <span lang=\"fr\">''Paris''</span>"),
        (
            "{{lang-ru|Москва|Moskva|lit=Moscow}}",
            "Russian: <span lang=\"ru\">Москва</span>, romanized: ''Moskva'', lit. 'Moscow'",
        ),
        ("{{lang|ka|იოსებ}}", '<span lang="ka">იოსებ</span>'),
        ("{{lang|sr-latn|Beograd}}", '<span lang="sr-Latn">Beograd</span>'),
        ("{{Reflist}}", "<references />"),
        ("{{reflist|30em|group=n}}", "<references group=n />"),  # quoting kept as written
        ('{{reflist|group="note"}}', '<references group="note" />'),
        ("{{Notelist}}", '<references group="lower-alpha" />'),
        (
            "{{reflist|refs=<ref name=a>A</ref>}}",
            "<references>\n<ref name=a>A</ref>\n</references>",
        ),
    ],
)
def test_builtin_remedies(wikitext: str, replacement: str) -> None:
    call = node(wikitext)
    name = str(call.name).strip()
    remedy = builtin_remedy(name, call, name)
    assert remedy is not None
    assert remedy.replacement == replacement
    assert remedy.safe


@pytest.mark.parametrize(
    "wikitext", ["{{Xq icon}}", "{{lang-xq|text}}", "{{lang|ka}}", "{{Infobox}}"]
)
def test_no_builtin_remedy(wikitext: str) -> None:
    call = node(wikitext)
    name = str(call.name).strip()
    assert builtin_remedy(name, call, name) is None


def test_language_names() -> None:
    assert len(ISO_639_1) == 184
    assert language_name("ka") == "Georgian"
    assert language_name("KA") == "Georgian"
    assert language_name("zh-Hant") == "Chinese"
    assert language_name("grc") == "Ancient Greek"
    assert language_name("xq") is None
    assert language_name("not a code") is None
    assert normalized_tag("ZH_hant_tw") == "zh-Hant-TW"
