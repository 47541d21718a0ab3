"""Import hygiene: the lint path loads no network, XML or bot stack, and facades stay lazy.

Each check runs in a fresh interpreter (the test process has imported everything already)
and reads ``sys.modules`` after the import.
"""

from __future__ import annotations

import importlib
import inspect
import json
import subprocess
import sys

import pytest

#: Packages the lint path must never load: the HTTP client, the XML parser, the bot
#: framework, the parallel runner, and the parts of wikitools that need them.
HEAVY = (
    "requests",
    "urllib3",
    "lxml",
    "pywikibot",
    "dask",
    "typer",
    "rich",
    "wikitools.cli",
    "wikitools.mediawiki",
    "wikitools.dumps",
    "wikitools.sandbox",
    "wikitools.verify",
    "wikitools.infobox",
)

#: The package facades that resolve their names lazily.
FACADES = (
    "wikitools",
    "wikitools.dumps",
    "wikitools.infobox",
    "wikitools.mediawiki",
    "wikitools.sandbox",
    "wikitools.site",
    "wikitools.verify",
)


def modules_after(code: str) -> set[str]:
    """The names in ``sys.modules`` after running ``code`` in a fresh interpreter."""
    script = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    return set(json.loads(done.stdout.splitlines()[-1]))


def loaded(modules: set[str], package: str) -> bool:
    return package in modules or any(name.startswith(package + ".") for name in modules)


def test_import_wikitools_loads_nothing_else() -> None:
    modules = modules_after("import wikitools; assert wikitools.__version__")
    ours = {name for name in modules if loaded({name}, "wikitools")}
    assert ours == {"wikitools", "wikitools._lazy", "wikitools.version"}
    assert "mwparserfromhell" not in modules


@pytest.mark.parametrize(
    "code",
    [
        "from wikitools import lint_text; lint_text('{{Infobox x\\n| a = <ref>b</ref>\\n')",
        "from wikitools import fix_text; fix_text('[[a}} <ref>b')",
        "import wikitools.api; wikitools.api.Linter()",
        "from wikitools.sources import read_pages; from wikitools.site import load_site",
        "from wikitools.config import load_config; from wikitools.titles import DEFAULT",
    ],
)
def test_lint_path_loads_no_heavy_package(code: str) -> None:
    modules = modules_after(code)
    assert [package for package in HEAVY if loaded(modules, package)] == []


def test_site_from_a_title_list_needs_no_xml_parser() -> None:
    code = (
        "import pathlib, tempfile\n"
        "path = pathlib.Path(tempfile.mkdtemp()) / 'titles.txt'\n"
        "path.write_text('Template:Cite web\\n')\n"
        "from wikitools.site import load_site\n"
        "assert load_site(path).exists(['Template:Cite web']) == {'Template:Cite web': True}"
    )
    assert not loaded(modules_after(code), "lxml")


@pytest.mark.parametrize("package", FACADES)
def test_facade_names_resolve_to_their_definitions(package: str) -> None:
    facade = importlib.import_module(package)
    for name in facade.__all__:
        value = getattr(facade, name)
        assert name in dir(facade)
        if inspect.isclass(value) or inspect.isfunction(value):
            # a class or function, defined inside the package
            assert value.__module__.startswith(package + "."), (name, value.__module__)
    with pytest.raises(AttributeError):
        facade.no_such_name  # noqa: B018
