"""``fix`` and ``lint`` over a directory written by ``wikitools pull`` from a real wiki.

Module and Template pages are code: ``fix`` leaves them byte-identical and ``lint`` reports
nothing on them, while the article beside them (a stray ``}}`` MediaWiki shows as text) is
reported and repaired.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from typer.testing import Result

from wikitools.layout import MANIFEST
from wikitools.mediawiki import Wiki

LUA = """local p = {}
local rows = {{1, 2}, {3, 4}}

function p.hello(frame)
    local keys = {"name"}
    return "Hello " .. (frame.args[keys[1]] or "world") .. rows[1][2]
end

return p
"""
HELLO = "Hello {{{name|world}}}!<noinclude>\n{{Documentation}}</noinclude>"
TABLE_START = '{| class="wikitable"\n|-\n! {{{title|Title}}}\n'
TABLE_END = "|}<noinclude>Closes the table {{{opened by the start template}}}.</noinclude>"
CALL_START = "{{#if:{{{1|}}}|<span>{{{1}}}"
STYLES = ".hello { color: red; }\n.x::after { content: '}}'; }\n"


def _snapshot(directory: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(directory)): p.read_bytes()
        for p in sorted(directory.rglob("*.wiki"))
        if p.is_file()
    }


def test_fix_over_pulled_directory_leaves_code_pages_alone(
    run: Callable[..., Result],
    sandbox_wiki: Any,
    client: Wiki,
    unique: Callable[[str], str],
    tmp_path: Path,
) -> None:
    stem = unique("Pulled code")
    article = f"{stem} article"
    pages = {
        f"Module:{stem}": LUA,
        # A module's doc page documents code: its calls and parameters stay as written.
        f"Module:{stem}/doc": "Says hello: {{{name|world}}}, called as {{#invoke:X|hello}}}}.",
        f"Template:{stem} hello": HELLO,
        f"Template:{stem} start": TABLE_START,
        f"Template:{stem} end": TABLE_END,
        f"Template:{stem} call": CALL_START,
        f"Template:{stem}/styles.css": STYLES,
        article: f"The greeting {{{{#invoke:{stem}|hello|name=you}}}} is shown.}}}}\n\nMore.",
    }
    for title, text in pages.items():
        client.edit(title, text, summary="setup")
    # The stray '}}' is real: MediaWiki shows it as text.
    assert "shown.}}" in sandbox_wiki.render(pages[article], title=article)

    out = tmp_path / "pulled"
    result = run("pull", "--wiki", sandbox_wiki.api_url, *pages, "-o", str(out))
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))["pages"]
    models = {entry["title"]: (entry["ns"], entry["model"]) for entry in manifest.values()}
    assert models[f"Module:{stem}"] == (828, "Scribunto")
    assert models[f"Module:{stem}/doc"] == (828, "wikitext")
    assert models[f"Template:{stem} hello"] == (10, "wikitext")
    assert models[article] == (0, "wikitext")
    before = _snapshot(out)
    article_file = next(out / rel for rel, entry in manifest.items() if entry["title"] == article)

    lint = run("lint", str(out), "--format", "json")
    assert lint.exit_code == 1, lint.output
    found = json.loads(lint.stdout)
    assert {Path(d["path"]).resolve() for d in found} == {article_file.resolve()}
    assert [d["code"] for d in found] == ["B101"]

    fixed = run("fix", str(out))
    assert fixed.exit_code == 0, fixed.output
    after = _snapshot(out)
    changed = {rel for rel in before if before[rel] != after[rel]}
    assert changed == {str(article_file.relative_to(out))}
    assert article_file.read_text(encoding="utf-8") == pages[article].replace("shown.}}", "shown.")

    # What fix wrote renders as the wiki showed it, without the stray braces.
    html = sandbox_wiki.render(article_file.read_text(encoding="utf-8"), title=article)
    assert "}}" not in html and "Hello you2" in html

    # Push sends the repaired article only.
    api = sandbox_wiki.api_url
    pushed = run("push", str(out), "--summary", "Remove stray braces", "--wiki", api)
    assert pushed.exit_code == 0, pushed.output
    assert f"{article}: would change" in pushed.output
    assert f"1 would change, {len(pages) - 1} unchanged" in pushed.output
