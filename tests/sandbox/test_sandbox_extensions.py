"""Loading extra extensions into sandbox wikis: folder inspection, PHP settings, and real
wikis with PortableInfobox and TemplateStyles (``--extension PATH``)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from wikitools.cli.app import app
from wikitools.errors import SandboxError
from wikitools.sandbox import SandboxWiki
from wikitools.sandbox.extensions import (
    extension_settings,
    inspect_extension,
    resolve_extensions,
)


def _extension(folder: Path, name: str, require: dict[str, str] | None = None) -> Path:
    folder.mkdir(parents=True)
    (folder / "extension.json").write_text(json.dumps({"name": name}), "utf-8")
    if require is not None:
        (folder / "composer.json").write_text(json.dumps({"require": require}), "utf-8")
    return folder


def _library(folder: Path, namespace: str) -> Path:
    (folder / "src").mkdir(parents=True)
    (folder / "src" / "Util.php").write_text(f"<?php\nnamespace {namespace};\n", "utf-8")
    return folder


def test_extension_and_library_folders(tmp_path: Path) -> None:
    ext = inspect_extension(_extension(tmp_path / "Styles", "TemplateStyles"))
    assert (ext.name, ext.is_library, ext.requires) == ("TemplateStyles", False, ())
    lib = inspect_extension(_library(tmp_path / "css-sanitizer", "Wikimedia\\CSS"))
    assert lib.is_library and lib.namespaces == (("Wikimedia\\CSS\\", str(lib.path / "src")),)
    composer = tmp_path / "lib2"
    composer.mkdir()
    (composer / "composer.json").write_text(
        json.dumps({"autoload": {"psr-4": {"Acme\\": "lib/"}}}), "utf-8"
    )
    assert inspect_extension(composer).namespaces == (("Acme\\", str(composer / "lib")),)


def test_bad_folders_and_missing_libraries_are_refused(tmp_path: Path) -> None:
    with pytest.raises(SandboxError, match="does not exist"):
        inspect_extension(tmp_path / "absent")
    (tmp_path / "empty").mkdir()
    with pytest.raises(SandboxError, match="neither a MediaWiki extension"):
        inspect_extension(tmp_path / "empty")
    needs = _extension(tmp_path / "TS", "TemplateStyles", {"wikimedia/css-sanitizer": "~4.0"})
    with pytest.raises(SandboxError, match="needs the PHP package wikimedia/css-sanitizer"):
        resolve_extensions([needs])
    library = _library(tmp_path / "css-sanitizer", "Wikimedia\\CSS")
    loaded = resolve_extensions([needs, library])
    assert [e.name for e in loaded] == ["css-sanitizer", "TemplateStyles"]  # libraries first


def test_settings_register_the_autoloader_then_load(tmp_path: Path) -> None:
    needs = _extension(tmp_path / "TS", "TemplateStyles", {"wikimedia/css-sanitizer": "~4.0"})
    library = _library(tmp_path / "css-sanitizer", "Wikimedia\\CSS")
    php = extension_settings(resolve_extensions([needs, library]))
    assert "$prefix = 'Wikimedia\\\\CSS\\\\';" in php
    assert php.index("spl_autoload_register") < php.index("wfLoadExtension( 'TemplateStyles'")
    assert f"'{needs / 'extension.json'}'" in php


def test_portable_wiki_renders_portable_infobox_and_template_styles(
    portable_wiki: SandboxWiki,
) -> None:
    names = {
        e["name"]
        for e in portable_wiki.api({"action": "query", "meta": "siteinfo", "siprop": "extensions"})[
            "query"
        ]["extensions"]
    }
    assert {"Portable Infobox", "TemplateStyles", "Scribunto"} <= names
    portable_wiki.edit(
        "Template:Ext test box",
        '<infobox><title source="name"/><data source="born"><label>Born</label></data></infobox>',
    )
    html = portable_wiki.render("{{Ext test box|name=Ada|born=1815}}")
    assert 'class="portable-infobox' in html and ">Born</h3>" in html and "1815" in html
    portable_wiki.edit("Template:Ext test box/styles.css", ".ext-test { color: #333; }")
    info = portable_wiki.api(
        {"action": "query", "titles": "Template:Ext test box/styles.css", "prop": "info"}
    )
    [page] = info["query"]["pages"]
    assert page["contentmodel"] == "sanitized-css"
    styled = portable_wiki.render('<templatestyles src="Ext test box/styles.css" />x')
    assert ".ext-test" in styled and "<templatestyles" not in styled


def test_cli_start_loads_extensions(
    tmp_path: Path, mediawiki_extensions_dir: Path | None, mediawiki_install: object
) -> None:
    folders = mediawiki_extensions_dir
    if folders is None or not (folders / "PortableInfobox").is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but the PortableInfobox folder is missing")
        pytest.skip("PortableInfobox not found (set WIKITOOLS_MEDIAWIKI_EXTENSIONS)")
    runner = CliRunner()
    directory = tmp_path / "sandbox"
    folder = mediawiki_extensions_dir / "PortableInfobox"
    try:
        started = runner.invoke(
            app, ["sandbox", "start", "--dir", str(directory), "--extension", str(folder)]
        )
        assert started.exit_code == 0, started.output
        assert f"Loaded extension Portable Infobox from {folder.resolve()}" in started.output
        api = re.search(r"API URL:\s+(\S+)", started.output)
        assert api is not None
        wiki = SandboxWiki.attach(directory)
        assert wiki.running
        assert [e.name for e in wiki.extensions] == ["Portable Infobox"]
        wiki.configure("$wgRateLimits = [];")  # an attached wiki keeps its extensions
        html = wiki.render('<infobox><data source="a"><label>A</label></data></infobox>')
        assert "&lt;infobox" not in html  # the tag is handled (an empty box renders nothing)
        box = wiki.render("{{#tag:infobox|<data><label>L</label><default>v</default></data>}}")
        assert "portable-infobox" in box
    finally:
        runner.invoke(app, ["sandbox", "stop", "--dir", str(directory)])
