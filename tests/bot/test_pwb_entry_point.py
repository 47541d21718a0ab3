"""How pywikibot's launcher finds ``wikitools_fix`` and its messages (no wiki needed).

pywikibot 9.4+ (``pywikibot.scripts.wrapper.find_filename``) loads every ``scriptspath``
entry point of the ``pywikibot`` group, runs ``<path>/<script>.py`` when it exists, and
then imports ``<path.name>.i18n`` (its ``__file__`` must not be None: a regular package)
as the messages package. These tests hold our side of that contract; the runs against a
wiki are in ``tests/live/test_pwb_script.py``.
"""

from __future__ import annotations

import ast
import importlib
import json
import os
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

PWB = Path(sys.executable).with_name("pwb")


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYWIKIBOT")}
    env.update(HOME=str(home), PYWIKIBOT_NO_USER_CONFIG="2")
    return env


def test_the_entry_point_names_a_folder_of_scripts_only() -> None:
    (point,) = entry_points(group="pywikibot", name="scriptspath")
    assert point.value == "wikitools_pwb:base_dir"
    folder = point.load()
    assert isinstance(folder, Path) and (folder / "wikitools_fix.py").is_file()
    # Every .py file there is a pwb command; none may shadow pywikibot's own scripts.
    assert sorted(p.name for p in folder.glob("*.py")) == ["__init__.py", "wikitools_fix.py"]
    messages = importlib.import_module(f"{folder.name}.i18n")
    assert messages.__file__ is not None  # what pwb checks before set_messages_package


def test_the_script_only_hands_over_to_the_bot_module() -> None:
    """The script file stays a shim: the work (and the pywikibot imports) live in
    wikitools.bot.pwb_script, under the layer rules."""
    import wikitools_pwb

    tree = ast.parse((wikitools_pwb.base_dir / "wikitools_fix.py").read_text("utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)} | {
        a.name for node in ast.walk(tree) if isinstance(node, ast.Import) for a in node.names
    }
    assert imported == {"wikitools.bot.pwb_script"}


def test_the_messages_are_where_twtranslate_reads_them() -> None:
    import wikitools_pwb.i18n

    bundle = Path(wikitools_pwb.i18n.__file__).parent / "wikitools"
    english = json.loads((bundle / "en.json").read_text("utf-8"))
    documented = json.loads((bundle / "qqq.json").read_text("utf-8"))
    keys = {k for k in english if not k.startswith("@")}
    assert keys == {"wikitools-fix-summary"}  # "<bundle>-<key>": the bundle is the folder
    assert keys <= set(documented)


def test_pywikibot_translates_the_summary_without_a_fallback(tmp_path: Path) -> None:
    code = (
        "from pywikibot import i18n\n"
        "i18n.set_messages_package('wikitools_pwb.i18n')\n"
        "assert i18n.messages_available()\n"
        "for lang in ('en', 'de'):\n"  # de falls back to en
        "    print(i18n.twtranslate(lang, 'wikitools-fix-summary', {'fixes': 'B101'}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["wikitools: fix broken wikitext (B101)"] * 2


def test_the_real_launcher_finds_the_script_and_shows_its_help(tmp_path: Path) -> None:
    done = subprocess.run(
        [str(PWB), "wikitools_fix", "-help"],
        cwd=tmp_path,
        env=_env(tmp_path),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout.startswith("Fix broken wikitext with wikitools, as a pywikibot bot.")
    assert "-always" in done.stdout and "-passwordfile:" in done.stdout
    # &params; was replaced by pywikibot's page generator options.
    assert "&params;" not in done.stdout and "-cat" in done.stdout
    # Without a user-config pywikibot's base directory is the working directory.
    assert (tmp_path / "logs").is_dir()


def test_loading_the_entry_point_is_cheap() -> None:
    """pwb loads every scriptspath entry point whenever a script is not in the user's own
    paths (``pwb login`` too): ours imports no wikitools and no pywikibot module."""
    code = (
        "import sys, wikitools_pwb\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('wikitools', 'pywikibot', 'requests')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "[]"
