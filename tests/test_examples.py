"""Every example runs: scenario files, scripts, the notebook and the README's code.

Figures are drawn at a low resolution into a temporary directory, so that
none of the examples can rot without the suite noticing.
"""

from __future__ import annotations

import re
import runpy
import shlex
import shutil
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


# what a cell must not print under its figure: the repr of a matplotlib object
STRAY = re.compile(r"^(<(Axes|Figure|matplotlib)|Text\(|\[<matplotlib)")


def test_notebook_runs_top_to_bottom(tmp_path, monkeypatch):
    """The notebook runs in a kernel, shows figures and nothing stray, writes only to out/."""
    import nbclient
    import nbformat

    # the inline backend, as in Jupyter: figures become image outputs
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")  # no deprecation warning from jupyter_core
    before = sorted(p.relative_to(EXAMPLES) for p in EXAMPLES.rglob("*"))
    nb = nbformat.read(EXAMPLES / "quickstart.ipynb", as_version=4)
    client = nbclient.NotebookClient(
        nb,
        timeout=120,
        startup_timeout=60,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()  # raises CellExecutionError, with the cell and traceback, on failure
    figures = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for output in cell.outputs:
            assert output.output_type != "stream" or output.name != "stderr", output.text
            data = output.get("data", {})
            text = "" if "image/png" in data else data.get("text/plain", "")  # an image's alt
            assert not STRAY.match(text), f"stray output {text!r} in\n{cell.source}"
        images = [o for o in cell.outputs if "image/png" in o.get("data", {})]
        assert len(images) <= 1, cell.source
        figures += len(images)
    assert figures == 3  # the three figures drawn on the reader's own Axes
    assert_png(tmp_path / "out" / "kaliningrad_slide.png")
    assert (tmp_path / "out" / "kaliningrad_9m729.pdf").read_bytes()[:5] == b"%PDF-"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert sorted(p.relative_to(EXAMPLES) for p in EXAMPLES.rglob("*")) == before


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


def _commands(text: str) -> list[str]:
    """The ``rangeviz ...`` commands in a shell block or a help epilog, one per line."""
    found = []
    for line in text.splitlines():
        for part in line.split("&&"):
            part = part.strip()
            if part.startswith("rangeviz "):
                found.append(part)
    return found


def _help_epilogs() -> list[str]:
    parser = cli._build_parser()
    subparsers = next(a for a in parser._actions if a.choices and "map" in a.choices)
    return [p.epilog or "" for p in subparsers.choices.values()]


def _copy_examples(to: Path) -> Path:
    """The example files a command may name: scenario files, sample sites, out/."""
    target = to / "examples"
    (target / "out").mkdir(parents=True)
    for path in [*EXAMPLES.glob("*.toml"), *EXAMPLES.glob("*.csv"), EXAMPLES / "out/.gitignore"]:
        shutil.copy(path, target / path.relative_to(EXAMPLES))
    return target


@pytest.mark.parametrize("where", ["README", "--help"])
def test_every_command_runs_as_written(where, tmp_path, monkeypatch, capsys):
    """Each ``rangeviz`` command of the README or of a --help epilog, run in a fresh folder.

    The folder holds a copy of examples/ (what the commands name), as a
    checkout does; every command must succeed and write what it says.
    """
    texts = _code_blocks("bash") if where == "README" else _help_epilogs()
    commands = [c for text in texts for c in _commands(text)]
    assert len(commands) >= (15 if where == "README" else 8)
    _copy_examples(tmp_path)
    monkeypatch.chdir(tmp_path)
    for command in commands:
        argv = []
        for word in shlex.split(command)[1:]:  # the shell expands globs
            argv += sorted(str(p) for p in Path().glob(word)) if "*" in word else [word]
        code = cli.main(argv)
        err = capsys.readouterr().err
        assert code == 0, f"{command}: {err}"
        assert "error" not in err, f"{command}: {err}"
    written = {p.name for p in tmp_path.rglob("*.png")}
    if where == "README":
        assert {"kaliningrad.png", "kaliningrad_inf.png", "ssc8.pdf"} <= written | {
            p.name for p in tmp_path.rglob("*.pdf")
        }


def test_render_writes_beside_the_scenario_from_any_folder(tmp_path, monkeypatch, capsys):
    examples = _copy_examples(tmp_path / "checkout")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    scenario = Path("..") / "checkout" / "examples" / "kaliningrad_inf.toml"
    assert cli.main(["render", str(scenario), "--dpi", str(DPI)]) == 0, capsys.readouterr().err
    assert_png(examples / "out" / "kaliningrad_inf.png")
    assert list(elsewhere.iterdir()) == []


def test_sample_sites_are_the_catalogs():
    """examples/bases.csv: every row is a reported site of the catalog, position and source."""
    from rangeviz import read_sites
    from rangeviz.sites.reported import reported_sites

    sites = read_sites(EXAMPLES / "bases.csv")
    assert len(sites) >= 5
    catalog = reported_sites()
    for site in sites:
        same = [c for c in catalog if site.note.endswith(f"catalog: {c.name}")]
        assert same, f"{site.name} does not name a catalog site"
        assert (same[0].lon, same[0].lat) == (site.lon, site.lat), site.name
        assert site.source == same[0].citation, site.name


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
