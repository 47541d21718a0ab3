"""The pywikibot scripts of wikitools, run with pywikibot's launcher: ``pwb wikitools_fix``.

pywikibot (9.4 and later) finds scripts of installed packages through the ``scriptspath``
entry point of the ``pywikibot`` group, declared in wikitools' ``pyproject.toml``::

    [project.entry-points.pywikibot]
    scriptspath = "wikitools_pwb:base_dir"

Its launcher (``pywikibot.scripts.wrapper.find_filename``) loads :data:`base_dir`, runs
``base_dir / "<script>.py"`` when it exists, and then imports ``<base_dir.name>.i18n``
(here :mod:`wikitools_pwb.i18n`), a regular package, as its messages package (the
``{bundle}/{lang}.json`` files of ``pywikibot.i18n.twtranslate``). That is why the
scripts live in a top-level package of their own, holding nothing but scripts: every
``.py`` file here is a command of ``pwb``. The work is done in
:mod:`wikitools.bot.pwb_script`.
"""

from __future__ import annotations

from pathlib import Path

#: The folder ``pwb`` searches for scripts (the ``scriptspath`` entry point).
base_dir = Path(__file__).parent
