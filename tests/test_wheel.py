"""The built wheel carries the bundled data and draws a map from it alone."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (path,) = out.glob("rangeviz-*.whl")
    return path


def test_wheel_contains_geodata_and_package_data(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    data = [n for n in names if n.startswith("rangeviz/_geodata/")]
    assert any(n.endswith("README.md") for n in data)
    assert len([n for n in data if n.endswith(".gpkg")]) == 3
    assert "rangeviz/py.typed" in names
    assert any(n.startswith("rangeviz/data/") and n.endswith(".csv") for n in names)
    assert not any("/tests/" in n or n.startswith("tests/") for n in names)


def test_installed_wheel_draws_a_map_offline(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    env = {k: v for k, v in os.environ.items() if k != "RANGEVIZ_DATA_DIR"}
    env["PYTHONPATH"] = str(site)
    env["MPLBACKEND"] = "Agg"
    code = (
        "import rangeviz, rangeviz.geodata as g; "
        "print(rangeviz.__file__); print(g.data_dir()); "
        "from rangeviz.cli import main; "
        "raise SystemExit(main(['map', '--site', 'Kaliningrad', '--dpi', '40', '-o', 'm.png']))"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    module_file, data_dir = run.stdout.splitlines()[:2]
    assert Path(module_file).is_relative_to(site)
    assert Path(data_dir).is_relative_to(site)
    assert (tmp_path / "m.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
