"""Shared test configuration: Agg backend, closed figures, version header."""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

os.environ.setdefault("MPLBACKEND", "Agg")

# CI runs the same examples every time (a failure there is reproducible); at a
# desk, hypothesis explores anew on each run
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


def pytest_report_header(config):
    import matplotlib
    import pyproj
    import shapely

    return (
        f"pyproj {pyproj.__version__} (PROJ {pyproj.proj_version_str}), "
        f"shapely {shapely.__version__} (GEOS {shapely.geos_version_string}), "
        f"matplotlib {matplotlib.__version__}"
    )


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import sys

    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
