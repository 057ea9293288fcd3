"""Scenario objects and TOML scenario files."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from pyproj import Geod

from rangeviz.errors import InputError, UnknownNameError
from rangeviz.model import Band
from rangeviz.scenario import Scenario
from rangeviz.scenario_file import load_scenario
from rangeviz.systems import resolve_band

GEOD = Geod(ellps="WGS84")


def write(tmp_path, text, name="s.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_default_is_the_inf_band():
    s = Scenario([(20.51, 54.71)])
    assert [(b.inner_km, b.outer_km) for b in s.ranges] == [(500.0, 5500.0)]
    assert "INF" in s.ranges[0].label
    assert s.ranges[0].sources


def test_bands_frame_rows_and_truth():
    s = Scenario(["54.71N 20.51E", (37.62, 55.75)], ranges=["INF", (0, 480)])
    gdf = s.bands()
    assert len(gdf) == 4
    assert gdf.crs.to_epsg() == 4326
    cols = ["site", "system", "label", "inner_km", "outer_km", "range", "claimant", "source"]
    cols += ["source_url", "role", "color", "geometry"]
    assert list(gdf.columns) == cols
    # membership against Geod.inv: Riga from Kaliningrad is 336 km
    row = gdf[(gdf["outer_km"] == 480) & (gdf["site"] != gdf["site"].iloc[-1])].iloc[0]
    _, _, d = GEOD.inv(20.51, 54.71, 24.11, 56.95)
    assert d / 1000 < 480
    assert row.geometry.contains(shapely.Point(24.11, 56.95))


def test_dissolve_gives_one_row_per_band():
    s = Scenario([(20.51, 54.71), (37.62, 55.75)], ranges=["INF", (0, 480)], dissolve=True)
    assert len(s.bands()) == 2


def test_system_names_resolve_with_sources():
    band = resolve_band("SSC-8")
    assert band.outer_km > 480
    assert band.system
    assert any(src.url.startswith("http") for src in band.sources)
    with pytest.raises(UnknownNameError):
        resolve_band("Nonesuch-99")


@pytest.mark.parametrize(
    ("spec", "words"),
    [
        ({"inner_km": 600, "outer_km": 500}, ["inner_km", "600", "500"]),
        ({"inner_km": 0}, ["outer_km"]),
        ({"inner_km": 0, "outer_km": "far"}, ["outer_km", "far"]),
        ({"outer_km": 100, "colour": "red"}, ["colour"]),
        (42, ["42"]),
    ],
)
def test_bad_band_specs(spec, words):
    with pytest.raises(InputError) as info:
        resolve_band(spec, "ranges[0]")
    for w in words:
        assert w in str(info.value)


def test_band_values_check_themselves():
    with pytest.raises(InputError, match="inner_km"):
        Band("x", -1, 10)
    with pytest.raises(InputError, match="label"):
        Band("", 0, 10)
    assert Band("x", 0, 2500).radii_text == "0–2,500 km"


def test_toml_full_example(tmp_path):
    (tmp_path / "bases.csv").write_text("name,lat,lon\nBase A,50.0,10.0\n")
    path = write(
        tmp_path,
        """
title = "Test figure"
subtitle = "Sub"
output = "out/fig.png"
sites = ["Kaliningrad", { name = "X", lat = 55.0, lon = 37.0 }, { at = "52N 5E" }]
sites_file = "bases.csv"
ranges = ["INF", { system = "SSC-8" }, { label = "Short", inner_km = 0, outer_km = 480 }]
targets = ["Brussels"]

[map]
projection = "aeqd"
extent = [-10, 35, 40, 70]
labels = "capitals"
size = "a4"
dpi = 120
rings_km = 1000
""",
    )
    s = load_scenario(path)
    assert s.title == "Test figure"
    assert [x.name for x in s.sites][1:] == ["X", "52.00°N 5.00°E", "Base A"]
    assert len(s.ranges) == 3
    assert s.ranges[2].label == "Short"
    assert s.extent == (-10, 35, 40, 70)
    assert s.output == str(tmp_path / "out/fig.png")
    assert s.targets[0].name.startswith("Brussels")
    roles = set(s.bands()["role"])
    assert roles == {"launch site", f"launch area for {s.targets[0].name}"}


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('sites = ["Kaliningrad"]\ncolour = "red"\n', ["colour", "allowed"]),
        ('sites = ["Kaliningrad"]\n[map]\nprojecton = "europe"\n', ["map.projecton"]),
        ('sites = ["Kaliningrad"]\n[map]\ndpi = "high"\n', ["map.dpi", "high"]),
        ('sites = [{ name = "A", lat = 91, lon = 0 }]\n', ["sites[0]", "latitude", "91"]),
        ('sites = [{ name = "A", lat = 50 }]\n', ["sites[0]", "lon"]),
        ('sites = ["Kaliningrad"]\nranges = [{ inner_km = 9, outer_km = 1 }]\n', ["ranges[0]"]),
        ('sites = ["Kaliningrad"\n', ["not valid TOML"]),
        ("title = 'no sites'\n", ["at least one site"]),
        ('sites = ["Kaliningrad"]\nsites_file = "nope.csv"\n', ["nope.csv"]),
    ],
)
def test_toml_errors_name_file_and_key(tmp_path, text, words):
    path = write(tmp_path, text, "brief.toml")
    with pytest.raises(InputError) as info:
        load_scenario(path)
    message = str(info.value)
    assert "brief.toml" in message
    for w in words:
        assert w in message, message


def test_missing_scenario_file(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        load_scenario(tmp_path / "none.toml")


def test_target_mode_is_the_band_around_the_target():
    s = Scenario([], targets=["Brussels"])
    area = s.bands().geometry.iloc[0]
    brussels = s.targets[0]
    lon = np.array([20.51, brussels.lon, -9.14])
    lat = np.array([54.71, brussels.lat, 38.72])
    _, _, d = GEOD.inv(np.full(3, brussels.lon), np.full(3, brussels.lat), lon, lat)
    truth = (d >= 500e3) & (d <= 5500e3)
    assert list(shapely.contains_xy(area, lon, lat)) == list(truth)


def test_toml_places_and_editorial_map_options(tmp_path):
    path = write(
        tmp_path,
        """
sites = ["Kaliningrad"]
places = ["Berlin", "Kyiv"]

[map]
distances = true
font = "DejaVu Serif"
rename = { Kyiv = "Kiev" }
""",
    )
    s = load_scenario(path)
    assert [p.name for p in s.places] == ["Berlin", "Kyiv"]
    assert s.options.distances and s.options.font == "DejaVu Serif"
    assert s.options.renamed("Kyiv") == "Kiev"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('sites = ["Kaliningrad"]\nplaces = 5\n', ["places"]),
        ('sites = ["Kaliningrad"]\n[map]\nrename = "Kyiv"\n', ["map.rename"]),
        ('sites = ["Kaliningrad"]\n[map]\ndistances = "yes"\n', ["map.distances"]),
    ],
)
def test_toml_editorial_options_checked(tmp_path, text, words):
    with pytest.raises(InputError) as info:
        load_scenario(write(tmp_path, text))
    for word in words:
        assert word in str(info.value)
