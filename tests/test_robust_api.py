"""The public API, misused: None, wrong types, NaN, huge values, empty containers.

Each call must raise rangeviz's own error (a ``RangevizError``; ``InputError``
is also a ``ValueError``) with a one-line message of reasonable length -- never
an ``AttributeError``, ``TypeError`` or ``KeyError`` from deep inside, and
never silence.

Cases marked ``xfail(strict=True)`` need a change in a module this branch does
not own (named in the reason); when that change lands they pass, and the
strict marker fails the suite until it is removed.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
import shapely

import rangeviz
from rangeviz.coverage import coverage
from rangeviz.errors import RangevizError

NAN = float("nan")
HUGE = 1e308
LONG = "x" * 100_000


@pytest.fixture(scope="module")
def gdf():
    return rangeviz.bands([(20.51, 54.71)], inner_km=0, outer_km=300)


@pytest.fixture
def fig():
    import matplotlib.pyplot as plt

    figure, _ = plt.subplots()
    yield figure
    plt.close(figure)


def refused(call, *args, **kwargs) -> str:
    """Call; assert a RangevizError with one short line; return the message."""
    try:
        call(*args, **kwargs)
    except RangevizError as exc:
        message = str(exc)
        assert message and "\n" not in message, repr(message)
        assert len(message) <= 400, message[:500]
        return message
    except Exception as exc:  # the point of the test: say which, and where
        raise AssertionError(f"{type(exc).__name__} instead of a RangevizError: {exc}") from None
    raise AssertionError("accepted; it should have been refused")


# --------------------------------------------------------------------------
# files: write_bands, read_sites, load_scenario, save_figure


def _metres_without_crs(g):
    """The frame in Web Mercator metres with its CRS forgotten (any geopandas version)."""
    return gpd.GeoDataFrame(g.drop(columns="geometry"), geometry=list(g.to_crs(3857).geometry))


@pytest.mark.parametrize(
    "frame",
    [
        None,
        "bands",
        [1, 2],
        5,
        lambda g: g.iloc[0:0],  # empty
        lambda g: g.drop(columns="geometry"),  # a plain DataFrame
        lambda g: gpd.GeoDataFrame(geometry=[shapely.Point(0, 0)], crs=4326),  # points
        lambda g: _metres_without_crs(g),  # metres, no CRS
        lambda g: gpd.GeoDataFrame(geometry=[None], crs=4326),
    ],
    ids=["None", "str", "list", "int", "empty", "DataFrame", "points", "metres", "null"],
)
def test_write_bands_refuses_what_is_not_bands(tmp_path, gdf, frame):
    value = frame(gdf) if callable(frame) else frame
    refused(rangeviz.write_bands, value, tmp_path / "b.geojson")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("path", [None, 5, "", "a\0.geojson", "b.csv", "b", ["b.geojson"]])
def test_write_bands_checks_its_path(tmp_path, gdf, path):
    refused(rangeviz.write_bands, gdf, path)


def test_write_bands_reprojects_a_projected_crs(tmp_path, gdf):
    import pyogrio

    rangeviz.write_bands(gdf.to_crs(3857), tmp_path / "b.geojson")
    back = pyogrio.read_dataframe(tmp_path / "b.geojson")
    x0, y0, x1, y1 = back.total_bounds
    assert -180 <= x0 < x1 <= 180 and -90 <= y0 < y1 <= 90
    assert shapely.contains_xy(back.geometry.iloc[0], 21.0, 55.0)


def test_points_in_a_projected_crs_are_reprojected_not_read_as_degrees():
    points = gpd.GeoDataFrame(geometry=[shapely.Point(20.51, 54.71)], crs=4326).to_crs(3857)
    assert rangeviz.bands(points, inner_km=0, outer_km=100)["lon"].iloc[0] == pytest.approx(20.51)


@pytest.mark.parametrize("path", [None, 5, b"x.csv", "", "a\0.csv", ["a.csv"], "/dev/null"])
def test_read_sites_arguments(path):
    refused(rangeviz.read_sites, path)


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [
        ((None,), {}),
        ((5,), {}),
        (("a\0.toml",), {}),
        (("missing.toml",), {}),
        ((".",), {}),
        (("x.toml",), {"allow_outside": "yes"}),
    ],
)
def test_load_scenario_arguments(args, kwargs):
    refused(rangeviz.load_scenario, *args, **kwargs)


@pytest.mark.parametrize(
    ("path", "dpi"),
    [
        (None, None),
        (5, None),
        ("a\0.png", None),
        ("x.bmp", None),
        ("x.png", NAN),
        ("x.png", 0),
        ("x.png", "200"),
        ("x.png", HUGE),
        ("x.png", True),
    ],
)
def test_save_figure_arguments(tmp_path, fig, path, dpi):
    target = tmp_path / path if isinstance(path, str) and "\0" not in path else path
    refused(rangeviz.save_figure, fig, target, dpi=dpi)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("what", [None, 5, "figure", []])
def test_save_figure_needs_a_figure(tmp_path, what):
    refused(rangeviz.save_figure, what, tmp_path / "x.png")


# --------------------------------------------------------------------------
# sites: parse_coordinates, resolve_site, search_places


@pytest.mark.parametrize(
    "text",
    [None, 5, (54.7, 20.5), "", "nan,0", "1e400,0", "1" * 400 + ",0", "1," * 50_000, "91,0"],
)
def test_parse_coordinates_arguments(text):
    refused(rangeviz.parse_coordinates, text)


@pytest.mark.parametrize(
    "text",
    [
        None,
        5,
        [1, 2],
        "",
        "=",
        "nan,0",
        "1e400,0",
        "1" * 400 + ",0",
        "Kalin\0ingrad",
        LONG,
    ],
)
def test_resolve_site_arguments(text):
    refused(rangeviz.resolve_site, text)


@pytest.mark.parametrize(
    ("query", "limit"),
    [
        (None, 10),
        (5, 10),
        ("", 10),
        ("x", 0),
        ("x", None),
        ("x", 1.5),
        ("x", NAN),
        (LONG, 10),
    ],
)
def test_search_places_arguments(query, limit):
    refused(rangeviz.search_places, query, limit=limit)


# --------------------------------------------------------------------------
# geometry (rangeviz.geodesic; checked here, changed there)


@pytest.mark.parametrize(
    "args",
    [
        (None, 0, 0, 0),
        ("a", 0, 0, 0),
        (NAN, 0, 0, 0),
        (0, 91, 0, 0),
        (HUGE, 0, 0, 0),
        ({}, 0, 0, 0),
        ([0, 1], [0, 1, 2], 0, 0),
    ],
)
def test_distance_km_arguments(args):
    refused(rangeviz.distance_km, *args)


@pytest.mark.parametrize(
    ("call", "args", "kwargs"),
    [
        ("band", (None, 0), {}),
        ("band", (NAN, 0), {}),
        ("band", (0, 0), {"inner_km": None}),
        ("band", (0, 0), {"outer_km": 1e12}),
        ("band", (0, 0), {"outer_km": 25_000}),
        ("band", (0, 0), {"outer_km": "5"}),
        ("band", (0, 0), {"tolerance_km": 0}),
        ("disc", (None, 0), {"radius_km": 5}),
        ("disc", (0, 0), {"radius_km": NAN}),
        ("disc", (0, 0), {"radius_km": -1}),
        ("ring", (0, 0), {"radius_km": "x"}),
        ("bands", (None,), {}),
        ("bands", ([],), {}),
        ("bands", (5,), {}),
        ("bands", ([(NAN, 0)],), {}),
        ("bands", ([(1, 2, 3)],), {}),
        ("bands", ([(0, 0)],), {"dissolve": "yes"}),
        ("bands", ([(0, 0)],), {"progress": 5}),
    ],
)
def test_geometry_arguments(call, args, kwargs):
    refused(getattr(rangeviz, call), *args, **kwargs)


# --------------------------------------------------------------------------
# what is in range


@pytest.mark.parametrize(
    ("call", "args", "kwargs"),
    [
        (coverage, (None,), {}),
        (coverage, ([],), {}),
        (coverage, ([(0, 0)],), {"places": 5}),
        (coverage, ([(0, 0)],), {"inner_km": NAN}),
        (rangeviz.country_coverage, (None,), {}),
        (rangeviz.country_coverage, ([(0, 0)],), {"scale": 5}),
        (rangeviz.band_area_km2, (None,), {}),
        (rangeviz.band_area_km2, ([(0, 0)],), {"outer_km": HUGE}),
        (rangeviz.format_report, (None,), {}),
        (rangeviz.format_report, ([(0, 0)],), {"fmt": None}),
        (rangeviz.format_report, ([(0, 0)],), {"fmt": "yaml"}),
        (rangeviz.format_report, ([(0, 0)],), {"places": 5}),
        (rangeviz.format_report, ([(0, 0)],), {"countries": "no"}),
    ],
)
def test_coverage_arguments(call, args, kwargs):
    refused(call, *args, **kwargs)


# --------------------------------------------------------------------------
# the model, scenarios, systems, maps


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [
        ((None,), {}),
        ((5,), {}),
        (([],), {}),
        (({},), {}),
        (([(NAN, 0)],), {}),
        (([(0, 0)],), {"ranges": 5}),
        (([(0, 0)],), {"ranges": [None]}),
        (([(0, 0)],), {"ranges": [(1,)]}),
        (([(0, 0)],), {"targets": 5}),
        (([(0, 0)],), {"dpi": None}),
        (([(0, 0)],), {"dpi": NAN}),
        (([(0, 0)],), {"output": 5}),
        (([(0, 0)],), {"title": 5}),
        (([(0, 0)],), {"options": 5}),
        (([(0, 0)],), {"size": (HUGE, 1)}),
        (([(0, 0)],), {"extent": [NAN] * 4}),
        (([(0, 0)],), {"projection": 5}),
        (([(0, 0)],), {"projection": None}),
        (([(0, 0)],), {"colour": "red"}),
    ],
)
def test_scenario_arguments(args, kwargs):
    refused(rangeviz.Scenario, *args, **kwargs)


@pytest.mark.parametrize(
    ("call", "args", "kwargs"),
    [
        (rangeviz.Site, (None, 0, 0), {}),
        (rangeviz.Site, ("a", None, 0), {}),
        (rangeviz.Site, ("a", 0, 0), {"note": 5}),
        (rangeviz.Band, (None, 0, 1), {}),
        (rangeviz.Band, ("a", 0, 1e12), {}),
        (rangeviz.BandLayer, ("a", 0, 1), {"sites": 5}),
        (rangeviz.get_system, (None,), {}),
        (rangeviz.get_system, (5,), {}),
        (rangeviz.get_system, ("",), {}),
        (rangeviz.get_system, (LONG,), {}),
        (rangeviz.plot_bands, (None,), {}),
        (rangeviz.plot_bands, ([],), {}),
        (rangeviz.plot_bands, ([(0, 0)],), {"ax": 5}),
        (rangeviz.plot_map, (None,), {}),
        (rangeviz.plot_map, (5,), {}),
    ],
)
def test_model_systems_and_maps_arguments(call, args, kwargs):
    refused(call, *args, **kwargs)


def test_every_public_callable_is_tried():
    """A new public function needs its cases here."""
    tried = {
        "to_html",
        "write_bands",
        "read_sites",
        "load_scenario",
        "save_figure",
        "parse_coordinates",
        "resolve_site",
        "search_places",
        "distance_km",
        "band",
        "bands",
        "disc",
        "ring",
        "country_coverage",
        "band_area_km2",
        "format_report",
        "Scenario",
        "Site",
        "Band",
        "BandLayer",
        "get_system",
        "plot_bands",
        "plot_map",
    }
    # not tried: list_systems (no arguments), geodesic_area_km2 (a geometry; see test_coverage)
    untried = {"list_systems", "geodesic_area_km2"}
    callables = {
        name
        for name in rangeviz.__all__
        if (callable(getattr(rangeviz, name)) and not isinstance(getattr(rangeviz, name), type))
        or name in ("Scenario", "Site", "Band", "BandLayer")
    }
    errors = {"DataError", "InputError", "OutputError", "RangevizError", "UnknownNameError"}
    others = {"AmbiguousSiteWarning", "System", "INF_BAND"}
    assert callables - errors - others - untried == tried, callables - errors - others - untried


def test_messages_name_what_is_wrong(tmp_path, gdf):
    assert "GeoDataFrame" in refused(rangeviz.write_bands, None, tmp_path / "b.geojson")
    assert "<DataFrame>" in refused(
        rangeviz.write_bands, gdf.drop(columns="geometry"), tmp_path / "b.geojson"
    )
    assert "not lon/lat degrees" in refused(
        rangeviz.write_bands,
        _metres_without_crs(gdf),
        tmp_path / "b.geojson",
    )
    assert "Point" in refused(
        rangeviz.write_bands,
        gpd.GeoDataFrame(geometry=[shapely.Point(0, 0)], crs=4326),
        tmp_path / "b.geojson",
    )
    assert "NUL" in refused(rangeviz.read_sites, "a\0.csv")
    assert Path("missing.toml").name in refused(rangeviz.load_scenario, "missing.toml")


@pytest.mark.parametrize("source", [None, "Kaliningrad", 5, [1, 2]])
def test_to_html_needs_a_map(tmp_path, source):
    refused(rangeviz.to_html, source, tmp_path / "x.html")


@pytest.mark.parametrize("path", [None, "", 5, "x.png", "a\0b.html"])
def test_to_html_checks_its_path(tmp_path, path):
    refused(rangeviz.to_html, rangeviz.Scenario(["Base=54.71,20.51"], ranges=[(0, 300)]), path)
