"""The import contract: lower layers never import higher ones, and packages form no cycle.

Layers, lowest first (DESIGN.md draws them; the order of ``site``/``sources``/``deps`` is
the one the code needs: rules ask the site what exists and follow module chains):

core -> parsing -> document -> site -> sources -> deps -> fixes (edit model) -> lint (runner,
fix loop) -> rules -> api/reporting -> infobox -> mediawiki -> sandbox/verify -> dumps -> bot
-> cli. Every import counts: module level, inside functions, and under ``TYPE_CHECKING``.
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from pathlib import Path

import pytest

import wikitools

PACKAGE = Path(wikitools.__file__).parent

#: Each top-level module or package of ``wikitools`` and its layer (lower imports nothing higher).
LAYERS: dict[str, int] = {
    "_lazy": 0,
    "errors": 0,
    "fileio": 0,
    "xmlsafe": 0,
    "titles": 0,
    "contentmodel": 0,
    "languages": 0,
    "config": 0,
    "version": 0,
    "layout": 0,
    "urls": 0,
    "data": 0,
    "parsing": 1,
    "document": 2,
    "site": 3,
    "sources": 4,
    "deps": 5,
    "fixes": 6,
    "lint": 7,
    "rules": 8,
    "api": 9,
    "reporting": 9,
    "registry": 9,
    "infobox": 10,
    "mediawiki": 11,
    "sandbox": 12,
    "verify": 12,
    "dumps": 13,
    "run": 13,
    "transwiki": 13,
    "bot": 14,
    "cli": 15,
}
#: The public facade re-exports from every layer; nothing inside the package imports it.
FACADE = "__init__"


#: Edges being removed; never add to this (the rule registry left lint/: none left).
TEMPORARY: set[tuple[str, str]] = set()


def _unit(module: str) -> str:
    """The top-level unit (``rules`` for ``wikitools.rules.braces``) of a dotted name."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else FACADE


def _module_name(path: Path) -> str:
    relative = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _is_unit(name: str) -> bool:
    return (PACKAGE / f"{name}.py").is_file() or (PACKAGE / name / "__init__.py").is_file()


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, imported wikitools module) for every import in the file."""
    module = _module_name(path)
    is_package = path.name == "__init__.py"
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("wikitools")]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                base = base[: len(base) - node.level + (1 if is_package else 0)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target == "wikitools":  # a submodule, or a name of the facade
                found += [
                    (node.lineno, f"wikitools.{a.name}" if _is_unit(a.name) else "wikitools")
                    for a in node.names
                ]
            elif target.startswith("wikitools."):
                found.append((node.lineno, target))
    return found


def _all_imports() -> list[tuple[str, int, str, str]]:
    """(file, line, importer unit, imported unit) across the package."""
    edges = []
    for path in sorted(PACKAGE.rglob("*.py")):
        source = _unit(_module_name(path))
        for line, target in _imports(path):
            edges.append((str(path.relative_to(PACKAGE)), line, source, _unit(target)))
    return edges


def test_every_unit_has_a_layer() -> None:
    units = {_unit(_module_name(p)) for p in PACKAGE.rglob("*.py")} - {FACADE}
    units |= {p.name for p in PACKAGE.iterdir() if p.is_dir() and not p.name.startswith("_")}
    assert units - set(LAYERS) == set(), "give new modules a layer in LAYERS"


def test_lower_layers_never_import_higher_ones() -> None:
    violations = [
        f"{file}:{line}: {source} (layer {LAYERS[source]}) imports {target} "
        f"(layer {LAYERS.get(target, 'facade')})"
        for file, line, source, target in _all_imports()
        if source != FACADE
        and (file, target) not in TEMPORARY
        and target != source
        and (target == FACADE or LAYERS[target] > LAYERS[source])
    ]
    assert violations == []


def test_no_package_level_import_cycle() -> None:
    graph: dict[str, set[str]] = defaultdict(set)
    for file, _, source, target in _all_imports():
        if (file, target) in TEMPORARY:
            continue
        if source != target and FACADE not in (source, target):
            graph[source].add(target)
    cycles = _cycles(graph)
    assert cycles == []


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one unit (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                component.append(item)
                if item == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


@pytest.mark.parametrize("library", ["pywikibot", "dask", "typer", "rich"])
def test_heavy_or_global_libraries_stay_at_the_edges(library: str) -> None:
    """pywikibot reads a user-config.py on import: only its adapter and pwb script may; typer
    and rich belong to the CLI (and the progress display), dask to the parallel dump runs."""
    allowed = {
        "pywikibot": ("bot/pywikibot_adapter.py", "bot/pwb_script.py"),
        "dask": ("dumps/",),
        "typer": ("cli/",),
        "rich": ("cli/", "reporting/"),
    }[library]
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = str(path.relative_to(PACKAGE))
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom) and not node.level
                else []
            )
            imported = any(n == library or n.startswith(library + ".") for n in names)
            if imported and not relative.startswith(allowed):
                offenders.append(f"{relative}:{node.lineno}")
    assert offenders == []


def test_the_contract_sees_imports() -> None:
    """Guard against a contract that passes because it finds nothing."""
    edges = _all_imports()
    assert len(edges) > 200
    assert any(s == "rules" and t == "lint" for _, _, s, t in edges)
