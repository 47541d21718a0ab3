"""``push`` and ``pull`` against a real wiki never read or write through a symbolic link."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from typer.testing import Result

from wikitools.layout import MANIFEST
from wikitools.mediawiki import Wiki

SECRET = "password = 'hunter2-not-for-the-wiki'\n"


def _pull(run: Callable[..., Result], api: str, out: Path, *titles: str) -> None:
    result = run("pull", "--wiki", api, *titles, "-o", str(out), "--depth", "0")
    assert result.exit_code == 0, result.output


def _secret(tmp_path: Path) -> Path:
    secret = tmp_path / "private" / "credentials.toml"
    secret.parent.mkdir()
    secret.write_text(SECRET, encoding="utf-8")
    return secret


def test_push_apply_refuses_a_page_file_replaced_by_a_symlink(
    run: Callable[..., Result],
    sandbox_wiki: Any,
    client: Wiki,
    unique: Callable[[str], str],
    tmp_path: Path,
) -> None:
    api = sandbox_wiki.api_url
    title = unique("Linked")
    client.edit(title, "The page as it is.", summary="setup")
    other = unique("Edited")
    client.edit(other, "Another page.", summary="setup")
    out = tmp_path / "pages"
    _pull(run, api, out, title, other)
    page = out / "(Main)" / f"{title.replace(' ', '_')}.wiki"
    (out / "(Main)" / f"{other.replace(' ', '_')}.wiki").write_text("Edited.", encoding="utf-8")
    for target in (_secret(tmp_path), Path("/etc/passwd")):
        page.unlink()
        page.symlink_to(target)
        for mode in ("--apply", "--diff"):
            result = run("push", str(out), "--summary", "s", mode, "--wiki", api)
            assert result.exit_code == 2, result.output
            lines = [line for line in result.output.splitlines() if line.strip()]
            assert len(lines) == 1, result.output
            assert str(page) in lines[0] and "symbolic link" in lines[0]
            assert SECRET.strip() not in result.output and "root:" not in result.output
        # Nothing was saved: neither the linked page nor the honest edit beside it.
        assert client.read_page(title).text == "The page as it is."
        assert client.read_page(other).text == "Another page."


def test_push_refuses_a_symlinked_folder_new_file_or_manifest(
    run: Callable[..., Result],
    sandbox_wiki: Any,
    client: Wiki,
    unique: Callable[[str], str],
    tmp_path: Path,
) -> None:
    api = sandbox_wiki.api_url
    stem = unique("Linkfolder")
    client.edit(f"Template:{stem}", "A template.", summary="setup")
    out = tmp_path / "pages"
    _pull(run, api, out, f"Template:{stem}")
    name = f"{stem.replace(' ', '_')}.wiki"
    elsewhere = tmp_path / "elsewhere"
    (out / "Template").rename(elsewhere)
    (elsewhere / name).write_text("Edited elsewhere.", encoding="utf-8")
    (out / "Template").symlink_to(elsewhere)
    result = run("push", str(out), "--summary", "s", "--apply", "--wiki", api)
    assert result.exit_code == 2, result.output
    assert f"{out / 'Template'}: a symbolic link" in result.output
    assert client.read_page(f"Template:{stem}").text == "A template."

    (out / "Template").unlink()
    elsewhere.rename(out / "Template")
    new = out / "(Main)" / f"{stem.replace(' ', '_')}_new.wiki"
    new.parent.mkdir(exist_ok=True)
    new.symlink_to(_secret(tmp_path))
    result = run("push", str(out), "--summary", "s", "--apply", "--create", "--wiki", api)
    assert result.exit_code == 2, result.output
    assert str(new) in result.output and SECRET.strip() not in result.output
    assert not client.read_page(f"{stem} new").ok
    assert client.read_page(f"Template:{stem}").text == "A template."

    new.unlink()
    manifest = out / MANIFEST
    kept = tmp_path / "manifest.json"
    manifest.rename(kept)
    manifest.symlink_to(kept)
    result = run("push", str(out), "--summary", "s", "--apply", "--wiki", api)
    assert result.exit_code == 2, result.output
    assert f"{manifest}: a symbolic link" in result.output
    assert client.read_page(f"Template:{stem}").text == "A template."

    manifest.unlink()
    kept.rename(manifest)  # the folder as pulled: push works again
    result = run("push", str(out), "--summary", "s", "--apply", "--wiki", api)
    assert result.exit_code == 0, result.output
    assert client.read_page(f"Template:{stem}").text == "Edited elsewhere."


def test_pull_force_never_writes_through_a_symlinked_folder_or_file(
    run: Callable[..., Result],
    sandbox_wiki: Any,
    client: Wiki,
    unique: Callable[[str], str],
    tmp_path: Path,
) -> None:
    api = sandbox_wiki.api_url
    stem = unique("Pullink")
    client.edit(f"Template:{stem}", "From the wiki.", summary="setup")
    client.edit(stem, "Main page.", summary="setup")
    out = tmp_path / "pages"
    out.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (out / "Template").symlink_to(outside)  # a namespace folder that leaves the folder
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n", encoding="utf-8")
    (out / "(Main)").mkdir()
    page = out / "(Main)" / f"{stem.replace(' ', '_')}.wiki"
    page.symlink_to(victim)
    result = run(
        "pull", "--wiki", api, f"Template:{stem}", stem, "-o", str(out), "--force", "--depth", "0"
    )
    assert result.exit_code == 1, result.output
    assert "0 written" in result.output and "2 missing or skipped" in result.output
    assert f"{out / 'Template'}: a symbolic link" in result.output
    assert f"{page}: a symbolic link" in result.output
    assert os.listdir(outside) == []
    assert victim.read_text(encoding="utf-8") == "keep me\n"
    assert page.is_symlink()
    pages = json.loads((out / MANIFEST).read_text(encoding="utf-8"))["pages"]
    assert pages == {}


def test_pull_refuses_a_symlinked_manifest(
    run: Callable[..., Result],
    sandbox_wiki: Any,
    client: Wiki,
    unique: Callable[[str], str],
    tmp_path: Path,
) -> None:
    api = sandbox_wiki.api_url
    title = unique("Manilink")
    client.edit(title, "Text.", summary="setup")
    out = tmp_path / "pages"
    out.mkdir()
    victim = tmp_path / "victim.json"
    victim.write_text("keep me\n", encoding="utf-8")
    (out / MANIFEST).symlink_to(victim)
    result = run("pull", "--wiki", api, title, "-o", str(out), "--force", "--depth", "0")
    assert result.exit_code == 2, result.output
    assert f"{out / MANIFEST}: a symbolic link" in result.output
    assert victim.read_text(encoding="utf-8") == "keep me\n"
    assert sorted(os.listdir(out)) == [MANIFEST]
