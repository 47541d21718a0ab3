"""An inventory file: the titles that exist on a wiki, one per line.

Format (UTF-8)::

    # Comments start with '#'; blank lines are ignored.
    Template:Sfn
    Module:Footnotes
    Template:Harvnb -> Template:Harvard citation no brackets

A line ``Title -> Target`` declares a redirect (``>`` can never occur in a title, so the
arrow is unambiguous). Titles are normalized as MediaWiki does (``template:sfn`` and
``Template:Sfn`` are one page); a title without a namespace prefix is in the main
namespace. An inventory knows existence only, never page texts, so rules that read
template bodies or module sources find nothing to follow.
"""

from __future__ import annotations

from pathlib import Path

from wikitools.errors import SiteError
from wikitools.parsing.magicwords import MagicWords
from wikitools.site.memory import MemorySite
from wikitools.titles import DEFAULT, Namespaces

ARROW = "->"


class InventorySite(MemorySite):
    """A site known from an inventory file (existence and redirects only)."""

    @classmethod
    def from_text(
        cls,
        text: str,
        *,
        name: str = "inventory",
        namespaces: Namespaces = DEFAULT,
        magic_words: MagicWords | None = None,
    ) -> InventorySite:
        """Parse inventory text; ``name`` labels errors (``name:line: …``)."""
        site = cls(namespaces=namespaces, magic_words=magic_words, name=name)
        for number, line in enumerate(text.splitlines(), start=1):
            entry = line.strip()
            if not entry or entry.startswith("#"):
                continue
            where = f"{name}:{number}"
            source, arrow, target = entry.partition(ARROW)
            source, target = source.strip(), target.strip()
            if site.namespaces.parse(source) is None:
                raise SiteError(f"{where}: {source!r} is not a valid page title")
            if arrow:
                if site.namespaces.parse(target) is None:
                    raise SiteError(f"{where}: redirect target {target!r} is not a valid title")
                site.add_redirect(source, target, origin=where)
            else:
                site.add(source, None, origin=where)
        return site

    @classmethod
    def from_file(
        cls,
        path: Path,
        *,
        namespaces: Namespaces = DEFAULT,
        magic_words: MagicWords | None = None,
    ) -> InventorySite:
        """Read an inventory file (UTF-8)."""
        try:
            text = Path(path).read_text("utf-8-sig")
        except FileNotFoundError:
            raise SiteError(f"{path}: no such file") from None
        except UnicodeDecodeError as exc:
            raise SiteError(f"{path}: not valid UTF-8 at byte {exc.start}") from None
        except OSError as exc:
            raise SiteError(f"{path}: cannot read ({exc.strerror})") from None
        return cls.from_text(text, name=str(path), namespaces=namespaces, magic_words=magic_words)
