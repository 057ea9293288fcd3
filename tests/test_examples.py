"""Every example runs: scenario files, scripts, the notebook and the README's code.

Figures are drawn at a low resolution into a temporary directory, so that
none of the examples can rot without the suite noticing.
"""

from __future__ import annotations

import re
import runpy
import shlex
import tomllib
from pathlib import Path

import pytest

from rangeviz import cli, search_places

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
README = ROOT / "README.md"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
DPI = 40

SCENARIOS = sorted(p.name for p in EXAMPLES.glob("*.toml"))
SCRIPTS = sorted(
    p.name
    for p in EXAMPLES.glob("*.py")
    if p.name != "make_gallery.py" and not p.name.startswith("_")
)

pytestmark = pytest.mark.slow


def gallery_module():
    return runpy.run_path(str(EXAMPLES / "make_gallery.py"), run_name="make_gallery")


def assert_png(path: Path) -> None:
    data = Path(path).read_bytes()
    assert data[:8] == PNG_SIGNATURE, path
    assert len(data) > 5_000, f"{path} is suspiciously small ({len(data)} bytes)"


def test_there_are_examples():
    assert len(SCENARIOS) >= 4
    assert len(SCRIPTS) >= 3


@pytest.mark.parametrize("name", SCENARIOS)
def test_scenario_file_renders_with_the_cli(name, tmp_path, capsys):
    out = tmp_path / "figure.png"
    status = cli.main(["render", str(EXAMPLES / name), "-o", str(out), "--dpi", str(DPI)])
    assert status == 0, capsys.readouterr().err
    assert_png(out)


@pytest.mark.parametrize("name", SCRIPTS)
def test_script_makes_its_figure(name, tmp_path):
    script = runpy.run_path(str(EXAMPLES / name), run_name=Path(name).stem)
    path = Path(script["make_figure"](tmp_path, DPI))
    assert path.parent == tmp_path
    assert_png(path)


def test_gallery_covers_every_example_and_the_readme_shows_it():
    listed = gallery_module()["EXAMPLES"]
    assert sorted(listed) == sorted(SCENARIOS + SCRIPTS)
    readme = README.read_text(encoding="utf-8")
    for name in listed:
        png = EXAMPLES / "gallery" / f"{Path(name).stem}.png"
        assert png.exists(), f"{png} missing: run python examples/make_gallery.py"
        assert png.stat().st_size < 400_000, f"{png} is too large for the README"
        assert f"examples/gallery/{png.name}" in readme, f"README does not show {png.name}"
        assert f"examples/{name}" in readme, f"README does not mention examples/{name}"


def test_scenario_outputs_go_to_the_ignored_out_folder():
    for name in SCENARIOS:
        data = tomllib.loads((EXAMPLES / name).read_text(encoding="utf-8"))
        assert data.get("output") == f"out/{Path(name).stem}.png", name


def test_gallery_shrinks_pngs(tmp_path):
    gallery = gallery_module()
    path = Path(gallery["make_one"]("icbm_polar.toml", tmp_path, DPI))
    before = path.stat().st_size
    gallery["shrink"](path)
    assert_png(path)
    assert path.stat().st_size <= before


def _catalog_sites(name: str) -> list:
    return [s for s in search_places(name, limit=20) if s.kind == "reported site"]


@pytest.mark.parametrize("name", SCENARIOS)
def test_sites_given_by_coordinates_are_the_catalogs(name):
    """A site written out as a table must be a reported site of the catalog, as it stands."""
    data = tomllib.loads((EXAMPLES / name).read_text(encoding="utf-8"))
    for spec in data.get("sites", []):
        if not isinstance(spec, dict) or "lat" not in spec:
            continue
        matches = [
            s
            for s in _catalog_sites(spec["name"])
            if abs(s.lat - spec["lat"]) < 1e-6 and abs(s.lon - spec["lon"]) < 1e-6
        ]
        assert matches, f"{name}: {spec['name']} is not at a catalog position"
        assert spec.get("source") == matches[0].source, f"{name}: {spec['name']} source"


# --------------------------------------------------------------------------
# the notebook


def test_notebook_is_stored_without_outputs():
    nbformat = pytest.importorskip("nbformat")
    nb = nbformat.read(EXAMPLES / "quickstart.ipynb", as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


def test_notebook_runs_top_to_bottom(tmp_path, monkeypatch):
    monkeypatch.setenv("MPLBACKEND", "Agg")  # the kernel inherits it: no inline display
    monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")  # no deprecation warning from jupyter_core
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    nb = nbformat.read(EXAMPLES / "quickstart.ipynb", as_version=4)
    client = nbclient.NotebookClient(
        nb,
        timeout=120,
        startup_timeout=60,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()  # raises CellExecutionError, with the cell and traceback, on failure
    assert_png(tmp_path / "kaliningrad_slide.png")
    assert (tmp_path / "kaliningrad_9m729.pdf").read_bytes()[:5] == b"%PDF-"


# --------------------------------------------------------------------------
# the README


def _code_blocks(language: str) -> list[str]:
    text = README.read_text(encoding="utf-8")
    return re.findall(rf"^```{language}\n(.*?)^```", text, flags=re.MULTILINE | re.DOTALL)


def test_readme_starts_with_the_two_setup_commands():
    first = _code_blocks("bash")[0].splitlines()
    assert first[:2] == [
        "pip install . && rangeviz map --site Kaliningrad -o kaliningrad.png",
        'pip install -e ".[test]" && ruff check . && ruff format --check . && mypy && pytest',
    ]
    text = README.read_text(encoding="utf-8")
    assert text.index("pip install . &&") < text.index("## ")


def test_ci_runs_the_readme_test_command():
    command = _code_blocks("bash")[0].splitlines()[1]
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert command in ci.splitlines()


def test_readme_python_examples_run(tmp_path, monkeypatch):
    blocks = _code_blocks("python")
    assert blocks
    monkeypatch.chdir(tmp_path)
    namespace: dict = {"__name__": "readme"}
    for number, block in enumerate(blocks, start=1):
        try:
            exec(compile(block, f"README.md python block {number}", "exec"), namespace)
        except Exception as exc:
            raise AssertionError(f"README python block {number} fails: {exc!r}\n{block}") from exc
    for written in tmp_path.iterdir():
        if written.suffix == ".png":
            assert_png(written)


def test_readme_cli_examples_parse():
    """Every `rangeviz ...` line in the README's shell blocks is accepted by the parser."""
    parser = cli._build_parser()
    lines = [
        line.strip()
        for block in _code_blocks("bash")
        for line in block.splitlines()
        if line.strip().startswith("rangeviz ")
    ]
    assert len(lines) >= 8
    for line in lines:
        argv = shlex.split(line.split(" #")[0].split(" | ")[0])[1:]
        if argv and argv[0] in {"--help", "-h", "--version"}:
            continue
        try:
            parser.parse_args(argv)
        except SystemExit as exc:
            raise AssertionError(f"README command does not parse: {line}") from exc
