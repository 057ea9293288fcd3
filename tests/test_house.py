"""The house keeps its shape: one-way imports, no private names across modules, small rooms.

These read the source (with :mod:`ast`), so a change that breaks the layout of
the package fails here, not in a review.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "rangeviz"

# Lowest first. A module may import modules of its own layer or of lower ones,
# never of a higher one -- not even lazily inside a function.
LAYERS: list[set[str]] = [
    {"errors"},
    {"_checks", "_text", "_io", "_fuzzy"},
    {"model"},
    {"geodesic", "areas"},
    {"geodata", "names", "systems", "sites", "maps", "geometry", "flight", "places", "groups"},
    {"coverage", "report", "plot", "export", "html"},
    {"scenario"},
    {"scenario_file"},
    {"_commands", "cli", "__init__", "__main__", "batch"},
]
RANK = {name: rank for rank, names in enumerate(LAYERS) for name in names}
MAX_LINES = 550  # "no module over about 500 lines"


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "_geodata" not in p.parts)


def _top(path: Path) -> str:
    """The first-level name a file belongs to: 'plot' for rangeviz/plot/labels.py."""
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return parts[0]


def _imports(tree: ast.AST) -> list[tuple[str, list[str]]]:
    """(rangeviz module imported, names taken from it) for every import in the file."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "rangeviz" or node.module.startswith("rangeviz."):
                found.append((node.module, [a.name for a in node.names]))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("rangeviz."):
                    found.append((alias.name, []))
    return found


def test_every_module_has_a_layer():
    missing = {_top(p) for p in _modules()} - set(RANK)
    assert not missing, f"add these to LAYERS in tests/test_house.py: {missing}"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_down_and_take_no_private_names(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = _top(path)
    for module, names in _imports(tree):
        parts = module.split(".")
        if len(parts) == 1:  # "from rangeviz import x": x is a module (private ones too)
            targets = [(n, "") for n in names]
        else:
            targets = [(parts[1], n) for n in names] or [(parts[1], "")]
        for target, name in targets:
            if target not in RANK:
                continue  # a name from rangeviz/__init__, e.g. __version__
            assert RANK[target] <= RANK[here], f"{here} imports {target}, which sits above it"
            if target != here and name.startswith("_") and not name.startswith("__"):
                raise AssertionError(f"{here} takes the private name {name} from {target}")
    # no reaching into another module's private names either: module._name
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
            and isinstance(node.value, ast.Name)
            and node.value.id in RANK
            and node.value.id != here
            and node.value.id not in ("_checks", "_text", "_io")
        ):
            raise AssertionError(f"{here} uses {node.value.id}.{node.attr}")


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_rooms_stay_small(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.name} has {lines} lines; split it by job"


def test_only_plot_imports_matplotlib_at_module_level():
    for path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top_level = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
        for node in top_level:
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module]
            for name in names:
                assert not (name or "").startswith("matplotlib"), path


def test_the_version_is_written_once():
    import tomllib

    import rangeviz

    pyproject = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text())
    assert rangeviz.__version__ == pyproject["project"]["version"]
    for path in _modules():
        assert pyproject["project"]["version"] not in path.read_text(encoding="utf-8"), path


def test_every_imported_package_is_declared():
    import sys
    import tomllib

    pyproject = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text())

    def names(spec: str) -> set[str]:
        """'dask[array,distributed]>=2024.1' -> {'dask', 'distributed'} (an extra's packages)."""
        base = spec.split(">")[0].split("=")[0].strip().lower()
        name, _, extras = base.partition("[")
        return {name} | ({"distributed"} if "distributed" in extras else set())

    declared = {n for d in pyproject["project"]["dependencies"] for n in names(d)}
    # an optional extra's package may only be imported where it is needed, never at the top
    optional = {n for d in pyproject["project"]["optional-dependencies"]["batch"] for n in names(d)}
    stdlib = set(sys.stdlib_module_names)
    for path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                roots = (
                    [a.name.split(".")[0] for a in node.names]
                    if isinstance(node, ast.Import)
                    else [(node.module or "").split(".")[0]]
                )
                assert not set(roots) & optional, (
                    f"{path.name} imports an optional package at the top"
                )
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                roots = [a.name.split(".")[0] for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                roots = [node.module.split(".")[0]]
            else:
                continue
            for root in roots:
                if root in stdlib or root == "rangeviz":
                    continue
                assert root.lower() in declared | optional, (
                    f"{path.name} imports {root}, not declared"
                )
