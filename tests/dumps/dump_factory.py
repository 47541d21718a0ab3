"""Build small XML dumps in the layout each export schema version (0.3 to 0.11) uses.

The layouts follow MediaWiki's export XSDs and ``XmlDumpWriter``: which elements exist in
which version, and where (0.8 and 0.9 put ``<model>``/``<format>`` after ``<text>``, 0.10
moved them before; 0.11 adds ``<origin>`` and a ``sha1`` attribute on ``<text>``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from wikitools.dumps.model import sha1_base36

VERSIONS = ("0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9", "0.10", "0.11")

NAMESPACES = {
    -2: "Media",
    -1: "Special",
    0: "",
    1: "Talk",
    2: "User",
    4: "Wikipedia",
    6: "File",
    8: "MediaWiki",
    10: "Template",
    14: "Category",
    828: "Module",
}


def _v(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


@dataclass
class Rev:
    id: int
    text: str | None
    timestamp: str = "2020-01-02T03:04:05Z"
    parent: int | None = None
    username: str | None = "Alice"
    user_id: int | None = 7
    ip: str | None = None
    comment: str | None = "an edit"
    minor: bool = False
    model: str = "wikitext"
    format: str = "text/x-wiki"
    text_deleted: bool = False
    contributor_deleted: bool = False
    comment_deleted: bool = False


@dataclass
class Pg:
    title: str
    ns: int
    id: int
    revisions: list[Rev]
    redirect: str | None = None
    restrictions: str | None = None
    extra: str = ""
    """Raw XML appended inside <page> after the revisions (uploads, ...)."""


@dataclass
class Site:
    sitename: str = "Test Wiki"
    dbname: str = "testwiki"
    case: str = "first-letter"
    namespaces: dict[int, str] = field(default_factory=lambda: dict(NAMESPACES))
    sensitive: frozenset[int] = frozenset()


def _revision(version: str, rev: Rev) -> str:
    v = _v(version)
    out = ["    <revision>\n", f"      <id>{rev.id}</id>\n"]
    if v >= (0, 7) and rev.parent is not None:
        out.append(f"      <parentid>{rev.parent}</parentid>\n")
    out.append(f"      <timestamp>{rev.timestamp}</timestamp>\n")
    if rev.contributor_deleted:
        out.append('      <contributor deleted="deleted" />\n')
    else:
        out.append("      <contributor>\n")
        if rev.ip is not None:
            out.append(f"        <ip>{escape(rev.ip)}</ip>\n")
        else:
            out.append(f"        <username>{escape(rev.username or '')}</username>\n")
            out.append(f"        <id>{rev.user_id}</id>\n")
        out.append("      </contributor>\n")
    if rev.minor:
        out.append("      <minor/>\n")
    if rev.comment_deleted:
        out.append('      <comment deleted="deleted" />\n')
    elif rev.comment is not None:
        out.append(f"      <comment>{escape(rev.comment)}</comment>\n")
    model = f"      <model>{rev.model}</model>\n      <format>{rev.format}</format>\n"
    if v >= (0, 11):
        out.append(f"      <origin>{rev.id}</origin>\n")
    if v >= (0, 10):
        out.append(model)
    attrs = ""
    if rev.text is not None and v >= (0, 5):
        attrs += f' bytes="{len(rev.text.encode())}"'
    if rev.text is not None and v >= (0, 11):
        attrs += f' sha1="{sha1_base36(rev.text)}"'
    if rev.text_deleted:
        out.append(f'      <text{attrs} deleted="deleted" />\n')
    elif rev.text == "":
        out.append(f'      <text{attrs} xml:space="preserve" />\n')
    else:
        body = escape(rev.text or "").replace("\r", "&#13;")
        out.append(f'      <text{attrs} xml:space="preserve">{body}</text>\n')
    if (0, 8) <= v < (0, 10):
        out.append(model)
    if v >= (0, 6):
        if rev.text_deleted or rev.text is None:
            out.append("      <sha1/>\n")
        else:
            out.append(f"      <sha1>{sha1_base36(rev.text)}</sha1>\n")
    out.append("    </revision>\n")
    return "".join(out)


def page_xml(version: str, page: Pg) -> str:
    """One ``<page>`` element in the layout of ``version``."""
    v = _v(version)
    out = ["  <page>\n", f"    <title>{escape(page.title)}</title>\n"]
    if v >= (0, 6):
        out.append(f"    <ns>{page.ns}</ns>\n")
    out.append(f"    <id>{page.id}</id>\n")
    if page.redirect is not None and v >= (0, 4):
        if v >= (0, 6):
            out.append(f"    <redirect title={quoteattr(page.redirect)} />\n")
        else:
            out.append("    <redirect />\n")
    if page.restrictions is not None:
        out.append(f"    <restrictions>{escape(page.restrictions)}</restrictions>\n")
    out.extend(_revision(version, rev) for rev in page.revisions)
    out.append(page.extra)
    out.append("  </page>\n")
    return "".join(out)


def header(version: str, site: Site | None = None, lang: str = "en") -> str:
    """Root start tag and ``<siteinfo>`` in the layout of ``version``."""
    v = _v(version)
    ns = f"http://www.mediawiki.org/xml/export-{version}/"
    out = [
        f'<mediawiki xmlns="{ns}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'xsi:schemaLocation="{ns} http://www.mediawiki.org/xml/export-{version}.xsd" '
        f'version="{version}" xml:lang="{lang}">\n'
    ]
    if site is not None:
        out.append("  <siteinfo>\n")
        out.append(f"    <sitename>{escape(site.sitename)}</sitename>\n")
        if v >= (0, 9):
            out.append(f"    <dbname>{site.dbname}</dbname>\n")
        out.append("    <base>http://example.org/wiki/Main_Page</base>\n")
        out.append("    <generator>MediaWiki 1.24.1</generator>\n")
        out.append(f"    <case>{site.case}</case>\n")
        out.append("    <namespaces>\n")
        for key, name in sorted(site.namespaces.items()):
            case = ""
            if v >= (0, 4):
                sensitive = key in site.sensitive
                case = f' case="{"case-sensitive" if sensitive else "first-letter"}"'
            if name:
                out.append(f'      <namespace key="{key}"{case}>{escape(name)}</namespace>\n')
            else:
                out.append(f'      <namespace key="{key}"{case} />\n')
        out.append("    </namespaces>\n")
        out.append("  </siteinfo>\n")
    return "".join(out)


def make_dump(
    version: str,
    pages: list[Pg],
    site: Site | None = None,
    *,
    between: str = "",
    declaration: bool = False,
) -> str:
    """A whole dump; ``between`` is raw XML inserted after the pages (log items, ...)."""
    prolog = '<?xml version="1.0" encoding="UTF-8"?>\n' if declaration else ""
    body = "".join(page_xml(version, page) for page in pages)
    return f"{prolog}{header(version, site or Site())}{body}{between}</mediawiki>\n"


def sample_pages() -> list[Pg]:
    """A few pages that exercise every field."""
    return [
        Pg(
            "Main Page",
            0,
            1,
            [
                Rev(10, "Hello ''world''.", comment="first"),
                Rev(
                    11,
                    "Hello '''world''' & <friends> \"quoted\"\nline two\n",
                    parent=10,
                    minor=True,
                    timestamp="2021-05-06T07:08:09Z",
                ),
            ],
        ),
        Pg("Old name", 0, 2, [Rev(20, "#REDIRECT [[Main Page]]", ip="192.0.2.1")], "Main Page"),
        Pg(
            "Template:Box",
            10,
            3,
            [Rev(30, "<div>{{{1}}}</div>", comment=None)],
            restrictions="edit=sysop:move=sysop",
        ),
        Pg("Talk:Main Page", 1, 4, [Rev(40, "", comment="empty page")]),
        Pg(
            "Hidden",
            0,
            5,
            [
                Rev(50, "visible text"),
                Rev(
                    51,
                    None,
                    parent=50,
                    text_deleted=True,
                    contributor_deleted=True,
                    comment_deleted=True,
                ),
            ],
        ),
        Pg("Ünïcødé ☃ 日本", 0, 6, [Rev(60, "Ünïcødé ☃ 日本 — 𝄞 emoji 😀")]),
    ]
