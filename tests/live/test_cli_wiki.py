"""``wikitools pull``, ``push`` and ``fix --wiki`` end to end against a real wiki."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from typer.testing import Result

from wikitools.mediawiki import Wiki


def test_pull_edit_push_round_trip(
    run: Callable[..., Result],
    sandbox_wiki: Any,
    client: Wiki,
    unique: Callable[[str], str],
    tmp_path: Path,
) -> None:
    api = sandbox_wiki.api_url
    stem = unique("Cli")
    client.edit(f"{stem}/one", "First page.", summary="setup")
    client.edit(f"{stem}/two", "Second page.", summary="setup")
    client.edit(f"Template:{stem}", "A template.", summary="setup")
    out = tmp_path / "pages"
    result = run(
        "pull", "--wiki", api, f"Template:{stem}", "--prefix", stem, "-o", str(out), "--depth", "0"
    )
    assert result.exit_code == 0, result.output
    assert f"Template:{stem}: written -> " in result.output
    assert "3 written, 0 up to date, 0 missing or skipped" in result.output
    template_file = out / "Template" / f"{stem.replace(' ', '_')}.wiki"
    assert template_file.read_text(encoding="utf-8") == "A template."

    template_file.write_text("A better template.", encoding="utf-8")
    # Credentials go to the wiki named with --wiki, never to the one a manifest names.
    result = run("push", str(out), "--summary", "Improve", "--diff", "--wiki", api)
    assert result.exit_code == 0, result.output
    assert f"Template:{stem}: would change [+7 characters]" in result.output
    assert "-A template." in result.output and "+A better template." in result.output
    assert "dry run: nothing saved; use --apply" in result.output
    assert client.read_page(f"Template:{stem}").text == "A template."

    result = run("push", str(out), "--summary", "Improve", "--apply", "--wiki", api)
    assert result.exit_code == 0, result.output
    assert f"Template:{stem}: changed" in result.output
    assert "1 changed, 2 unchanged" in result.output
    assert client.read_page(f"Template:{stem}").text == "A better template."
    assert not latest_is_minor(client, f"Template:{stem}")  # minor only with --minor


def test_cli_errors_are_one_line(
    run: Callable[..., Result], sandbox_wiki: Any, tmp_path: Path, unique: Callable[[str], str]
) -> None:
    api = sandbox_wiki.api_url
    result = run("pull", "-o", str(tmp_path), "Foo")
    assert result.exit_code == 2 and "error: --wiki is required" in result.output
    result = run("pull", "--wiki", "http://127.0.0.1:9/api.php", "Foo", "-o", str(tmp_path))
    assert result.exit_code == 2
    assert "error: cannot connect to 127.0.0.1:9; check the --wiki URL" in result.output
    result = run("pull", "--wiki", api, "-o", str(tmp_path))
    assert result.exit_code == 2 and "no pages selected" in result.output
    # A missing directory is the first error, before the summary is even looked at.
    result = run("push", str(tmp_path / "nothing"), "--apply")
    assert result.exit_code == 2 and "nothing: no such directory" in result.output
    (tmp_path / "empty").mkdir()
    result = run("push", str(tmp_path / "empty"), "--summary", "s")
    assert result.exit_code == 2 and "was not made by 'wikitools pull'" in result.output
    pulled = tmp_path / "pulled"
    run("pull", "--wiki", api, "Main Page", "-o", str(pulled))
    result = run("push", str(pulled), "--wiki", api)  # a dry run needs no summary
    assert result.exit_code == 0 and "dry run: nothing saved" in result.output
    result = run("push", str(pulled), "--apply")
    assert result.exit_code == 2 and "--summary is required with --apply" in result.output
    result = run("push", str(pulled), "--summary", "s", "--apply", login=False)
    assert result.exit_code == 2 and "--apply needs a login" in result.output
    result = run("fix", "--category", "Foo")  # a live-wiki option: 'fix' has none of them now
    assert result.exit_code == 2 and "option of 'wikitools fix-wiki'" in result.output
    for line in result.output.splitlines():
        assert "Traceback" not in line


def test_fix_on_the_live_wiki(
    run: Callable[..., Result],
    sandbox_wiki: Any,
    client: Wiki,
    unique: Callable[[str], str],
) -> None:
    api = sandbox_wiki.api_url
    category = unique("Needs fixing")
    broken, clean = unique("Broken"), unique("Clean")
    client.edit(broken, f"Text.}}}}\n[[Category:{category}]]", summary="setup")
    client.edit(clean, f"Fine.\n[[Category:{category}]]", summary="setup")
    missing = unique("Missing")

    result = run("fix", "--wiki", api, "--category", category, missing, "--diff")
    assert result.exit_code == 1, result.output  # the missing page needs attention
    assert f"{broken}: would change (1 fix: B101) [-2 characters]" in result.output
    assert f"{clean}: unchanged" in result.output
    assert f"{missing}: skipped (the page does not exist)" in result.output
    assert "+Text." in result.output
    assert client.read_page(broken).text.startswith("Text.}}")

    result = run(
        "fix", "--wiki", api, "--category", category, "--apply", "--verify", "--format", "json"
    )
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)
    assert {r["title"]: r["status"] for r in records} == {broken: "changed", clean: "unchanged"}
    assert client.read_page(broken).text == f"Text.\n[[Category:{category}]]"
    assert not latest_is_minor(client, broken)  # the same default as push


def latest_is_minor(client: Wiki, title: str) -> bool:
    answer = client.request(
        {"action": "query", "prop": "revisions", "titles": title, "rvprop": "flags"}
    )
    return bool(answer["query"]["pages"][0]["revisions"][0].get("minor"))
