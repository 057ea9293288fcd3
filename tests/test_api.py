"""The public API is what we mean to publish, and every name resolves."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import rangeviz

PUBLIC = {
    # errors
    "DataError",
    "InputError",
    "OutputError",
    "RangevizError",
    "UnknownNameError",
    # geometry
    "ANTIPODAL_KM",
    "band",
    "bands",
    "disc",
    "distance_km",
    "ring",
    # sites and systems
    "AmbiguousSiteWarning",
    "Site",
    "parse_coordinates",
    "read_sites",
    "resolve_site",
    "search_places",
    "INF_BAND",
    "System",
    "get_system",
    "list_systems",
    # scenarios, maps, coverage, export
    "to_html",
    "Band",
    "Scenario",
    "load_scenario",
    "BandLayer",
    "plot_bands",
    "plot_map",
    "save_figure",
    "band_area_km2",
    "country_coverage",
    "format_report",
    "geodesic_area_km2",
    "write_bands",
    "__version__",
}


def test_all_is_what_we_publish():
    assert set(rangeviz.__all__) == PUBLIC
    assert rangeviz.__all__ == sorted(rangeviz.__all__)


def test_every_name_resolves_and_is_documented():
    for name in rangeviz.__all__:
        value = getattr(rangeviz, name)
        if callable(value) and not name.startswith("_"):
            assert value.__doc__, f"{name} has no docstring"
    assert "band" in dir(rangeviz)


def test_modules_have_sorted_all():
    import importlib

    for mod in (
        "geodesic",
        "sites",
        "systems",
        "scenario",
        "plot",
        "maps",
        "export",
        "geodata",
        "errors",
    ):
        module = importlib.import_module(f"rangeviz.{mod}")
        assert module.__all__ == sorted(module.__all__), mod


def test_import_is_light():
    code = (
        "import sys, rangeviz; "
        "print([m for m in ('geopandas', 'matplotlib', 'pandas', 'shapely', 'pyproj') "
        "if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "[]"


def test_coverage_module_is_not_shadowed():
    import rangeviz.coverage as cov

    assert callable(cov.coverage)
    assert rangeviz.coverage is cov


def test_sites_as_a_numpy_array_are_the_same_sites():
    import numpy as np

    import rangeviz

    xy = np.array([[20.51, 54.71], [27.57, 53.90], [-0.13, 51.51]])
    from_array = rangeviz.bands(xy, inner_km=500, outer_km=2000, dissolve=True).geometry.iloc[0]
    from_pairs = rangeviz.bands(
        [tuple(p) for p in xy.tolist()], inner_km=500, outer_km=2000, dissolve=True
    ).geometry.iloc[0]
    assert from_array.equals(from_pairs)
    assert list(rangeviz.bands(xy)["lat"]) == [54.71, 53.90, 51.51]


def _coordinate(lo, hi):
    return st.one_of(
        st.floats(lo, hi), st.sampled_from([float("nan"), float("inf"), -float("inf")])
    )


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(_coordinate(-200, 200), _coordinate(-100, 100)), min_size=64, max_size=90),
    st.booleans(),
)
def test_many_pairs_are_read_as_sites_would_be(pairs, as_array):
    """The fast path for many plain pairs gives what as_sites gives, errors included."""
    import re

    import numpy as np

    from rangeviz.errors import InputError
    from rangeviz.model import as_sites, site_arrays

    given_sites = np.array(pairs) if as_array else pairs
    message = None
    try:
        expected = as_sites([tuple(p) for p in pairs])
    except InputError as exc:
        message = str(exc)
    if message is not None:
        with pytest.raises(InputError, match=f"^{re.escape(message)}$"):
            site_arrays(given_sites)
        return
    lon, lat, names = site_arrays(given_sites)
    assert lon.tolist() == [s.lon for s in expected]
    assert lat.tolist() == [s.lat for s in expected]
    assert names == [s.name for s in expected]
