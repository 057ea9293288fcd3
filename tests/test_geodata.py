"""The bundled Natural Earth layers and their loader."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
import shapely

from rangeviz import geodata
from rangeviz.errors import DataError, UnknownNameError

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT.parent / "shared" / "naturalearth"


@pytest.mark.parametrize(
    ("name", "scale"), [(n, s) for n, scales in geodata.LAYERS.items() for s in scales]
)
def test_every_layer_loads_valid_in_wgs84(name, scale):
    gdf = geodata.read_layer(name, scale)
    assert len(gdf) > 0
    assert gdf.crs.to_epsg() == 4326
    assert shapely.is_valid(gdf.geometry.values).all()
    assert not gdf.geometry.is_empty.any()
    xmin, ymin, xmax, ymax = gdf.total_bounds
    bx0, by0, bx1, by1 = geodata.coverage_bbox(scale) if name != "places" else (-180, -90, 180, 90)
    assert bx0 - 1e-6 <= xmin and xmax <= bx1 + 1e-6
    assert by0 - 1e-6 <= ymin and ymax <= by1 + 1e-6


def test_columns_of_countries_and_places():
    countries = geodata.read_layer("countries", "50m")
    assert list(countries.columns) == [
        "name",
        "name_long",
        "iso_a2",
        "iso_a3",
        "adm0_a3",
        "continent",
        "pop_est",
        "geometry",
    ]
    places = geodata.read_layer("places", "10m")
    assert {"name", "country", "adm0cap", "pop_max", "lon", "lat"} <= set(places.columns)
    caps = places[places["adm0cap"] == 1]
    assert {"Berlin", "Warsaw", "Lisbon", "Moscow"} <= set(caps["name"])
    berlin = caps[caps["name"] == "Berlin"].iloc[0]
    assert berlin["lon"] == pytest.approx(13.4, abs=0.05)
    assert berlin["lat"] == pytest.approx(52.52, abs=0.05)


def test_read_places_is_light_and_matches_layer():
    df = geodata.read_places("10m")
    assert "geometry" not in df.columns
    assert len(df) == len(geodata.read_layer("places", "10m")) == 7343


def test_cache_returns_the_same_object():
    assert geodata.read_layer("land", "110m") is geodata.read_layer("land", "110m")


def test_unknown_names_list_choices():
    with pytest.raises(UnknownNameError, match="borders, coastline, countries"):
        geodata.read_layer("lnd")
    with pytest.raises(UnknownNameError, match="110m, 50m, 10m"):
        geodata.read_layer("land", "1m")
    with pytest.raises(UnknownNameError, match="110m, 50m"):
        geodata.read_layer("countries", "10m")
    assert geodata.available("10m") == ["borders", "coastline", "lakes", "land", "places"]


def test_env_var_override(tmp_path, monkeypatch):
    shutil.copy(geodata.data_dir() / "ne_110m.gpkg", tmp_path)
    shutil.copy(geodata.data_dir() / "ne_50m.gpkg", tmp_path)
    monkeypatch.setenv(geodata.ENV_VAR, str(tmp_path))
    assert geodata.data_dir() == tmp_path
    assert len(geodata.read_layer("land", "110m")) > 0
    with pytest.raises(DataError, match=r"ne_10m\.gpkg"):
        geodata.read_layer("land", "10m")
    monkeypatch.setenv(geodata.ENV_VAR, str(tmp_path / "nowhere"))
    with pytest.raises(DataError, match="RANGEVIZ_DATA_DIR"):
        geodata.data_dir()


def test_corrupt_file_is_a_data_error(tmp_path, monkeypatch):
    (tmp_path / "ne_50m.gpkg").write_bytes(b"not a geopackage")
    monkeypatch.setenv(geodata.ENV_VAR, str(tmp_path))
    with pytest.raises(DataError, match="cannot read"):
        geodata.read_layer("land", "50m")


def test_total_size_within_budget():
    folder = ROOT / "geodata"
    total = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    assert total <= 15e6


@pytest.mark.skipif(not RAW.is_dir(), reason="raw Natural Earth layers are not beside the repo")
def test_build_script_reproduces_the_committed_files(tmp_path):
    import runpy

    build = runpy.run_path(str(ROOT / "geodata" / "build.py"))
    build["main"](["--source", str(RAW), "--out", str(tmp_path)])
    for made in sorted(tmp_path.glob("ne_*.gpkg")):
        committed = ROOT / "geodata" / made.name
        assert (
            hashlib.sha256(made.read_bytes()).hexdigest()
            == hashlib.sha256(committed.read_bytes()).hexdigest()
        ), made.name
