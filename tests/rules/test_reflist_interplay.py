"""M102's citation conversion and R103's references list, together on one page."""

from wikitools import fix_text
from wikitools.config import config_from_mapping
from wikitools.site.memory import MemorySite


def test_conversion_adds_no_default_list_and_r103_adds_one_when_asked() -> None:
    """Cite lists default-group refs by itself, so neither the conversion nor R103 (by
    default) adds a list; R103 selected by its code with unsafe fixes adds exactly one."""
    site = MemorySite(
        {
            "Template:Sfn": "{{#invoke:Footnotes|sfn}}",
            "Module:Footnotes": "x = require('Module:Gone')",
        }
    )
    text = "A.<ref>x</ref> B.{{sfn|Service|2004}}\n\n[[Category:X]]\n"
    result = fix_text(text, site=site)
    assert result.problems == ()
    assert "<references" not in result.text
    assert {d.code for d in result.applied} == {"M102"}
    asked = fix_text(text, config_from_mapping({"select": ["ALL", "R103"]}), site, unsafe=True)
    assert asked.text.count("<references />") == 1
    assert asked.text.count("== References ==") == 1
    assert {d.code for d in asked.applied} == {"M102", "R103"}
