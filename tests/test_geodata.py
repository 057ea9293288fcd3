"""The bundled Natural Earth layers and their loader."""

from __future__ import annotations

import hashlib
import json
import os
import runpy
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely

from rangeviz import geodata
from rangeviz.errors import DataError, InputError, UnknownNameError

ROOT = Path(__file__).resolve().parent.parent
GEODATA = ROOT / "geodata"
RAW = ROOT.parent / "shared" / "naturalearth"

COUNTRY_COLUMNS = [
    "name",
    "name_long",
    "iso_a2",
    "iso_a3",
    "adm0_a3",
    "continent",
    "pop_est",
    "type",
]
PLACE_COLUMNS = [
    "name",
    "nameascii",
    "namealt",
    "namepar",
    "country",
    "adm0_a3",
    "iso_a2",
    "adm0cap",
    "featurecla",
    "pop_max",
    "scalerank",
    "rank_max",
    "lon",
    "lat",
]
GEOMETRY_TYPES = {
    "land": {"Polygon", "MultiPolygon"},
    "ocean": {"Polygon", "MultiPolygon"},
    "lakes": {"Polygon", "MultiPolygon"},
    "countries": {"Polygon", "MultiPolygon"},
    "coastline": {"LineString", "MultiLineString"},
    "borders": {"LineString", "MultiLineString"},
    "places": {"Point"},
}
EVERY_LAYER = [(n, s) for n, scales in sorted(geodata.LAYERS.items()) for s in scales]


@pytest.fixture
def clean_cache():
    caches = (geodata._read, geodata._gpkg_columns, geodata._gpkg_geometries)
    for cache in caches:
        cache.cache_clear()
    yield
    for cache in caches:
        cache.cache_clear()


@pytest.mark.parametrize(("name", "scale"), EVERY_LAYER)
def test_every_layer_loads_valid_in_wgs84(name, scale):
    gdf = geodata.read_layer(name, scale)
    assert len(gdf) > 0
    assert gdf.crs.to_epsg() == 4326
    assert set(gdf.geom_type) <= GEOMETRY_TYPES[name]
    assert shapely.is_valid(gdf.geometry.values).all()
    assert not gdf.geometry.is_empty.any()
    xmin, ymin, xmax, ymax = gdf.total_bounds
    bx0, by0, bx1, by1 = geodata.coverage_bbox(scale) if name != "places" else (-180, -90, 180, 90)
    assert bx0 - 1e-6 <= xmin and xmax <= bx1 + 1e-6
    assert by0 - 1e-6 <= ymin and ymax <= by1 + 1e-6


@pytest.mark.parametrize(("name", "scale"), EVERY_LAYER)
def test_columns_are_the_documented_ones(name, scale):
    expected = {"countries": COUNTRY_COLUMNS, "places": PLACE_COLUMNS}.get(name, [])
    assert list(geodata.read_layer(name, scale).columns) == [*expected, "geometry"]


@pytest.mark.parametrize("scale", geodata.LAYERS["countries"])
def test_countries_content(scale):
    countries = geodata.read_layer("countries", scale).set_index("adm0_a3")
    assert countries.index.is_unique
    assert countries.loc["DEU", "name"] == "Germany"
    assert countries.loc["RUS", "iso_a2"] == "RU"
    assert countries.loc["POL", "continent"] == "Europe"
    # Natural Earth 4.x has no ISO code for France: adm0_a3 is the key to use
    assert countries.loc["FRA", "iso_a3"] == "-99"
    assert 30e6 < countries.loc["POL", "pop_est"] < 45e6
    germany = countries.loc["DEU", "geometry"]
    assert germany.contains(shapely.Point(13.40, 52.52))  # Berlin
    assert not germany.contains(shapely.Point(21.01, 52.23))  # Warsaw


@pytest.mark.parametrize("scale", geodata.LAYERS["places"])
def test_places_content(scale):
    places = geodata.read_layer("places", scale)
    caps = places[places["adm0cap"] == 1]
    assert {"Berlin", "Warsaw", "Lisbon", "Moscow"} <= set(caps["name"])
    assert 150 < len(caps) <= 205
    berlin = caps[caps["name"] == "Berlin"].iloc[0]
    assert berlin["country"] == "Germany" and berlin["iso_a2"] == "DE"
    assert berlin["lon"] == pytest.approx(13.4, abs=0.05)
    assert berlin["lat"] == pytest.approx(52.52, abs=0.05)
    assert berlin["pop_max"] > 3e6
    # lon/lat are the point geometries' coordinates
    xy = shapely.get_coordinates(places.geometry.values)
    np.testing.assert_allclose(xy, places[["lon", "lat"]].to_numpy(), atol=1e-6)


def test_lon_lat_follow_the_geometry_where_the_source_table_is_wrong():
    # The raw table gives Oymyakon (Yakutia) longitude 0, latitude 0.
    places = geodata.read_places("10m").set_index("name")
    assert places.loc["Oymyakon", "lon"] == pytest.approx(142.77, abs=0.05)
    assert places.loc["Oymyakon", "lat"] == pytest.approx(63.42, abs=0.05)


@pytest.mark.parametrize(
    ("lake", "lon", "lat"),
    [
        ("Geneva", 6.5, 46.42),
        ("Constance", 9.35, 47.6),
        ("Balaton", 17.75, 46.85),
        ("Ladoga", 31.5, 61.0),
        ("Van", 42.9, 38.6),
    ],
)
def test_10m_lakes_include_the_large_lakes(lake, lon, lat):
    # lakes_europe alone lacks them (they are in Natural Earth's general lakes layer)
    lakes = geodata.read_layer("lakes", "10m").geometry.values
    assert shapely.intersects(lakes, shapely.Point(lon, lat)).sum() == 1, lake


def test_10m_lakes_do_not_overlap():
    lakes = geodata.read_layer("lakes", "10m").geometry.values
    pairs = shapely.STRtree(lakes).query(lakes, predicate="overlaps")
    assert pairs.shape == (2, 0)


def test_10m_data_fills_its_coverage_box():
    # Clipped to the box, not to something smaller: land reaches its edges.
    lon0, lat0, lon1, _ = geodata.coverage_bbox("10m")
    xmin, ymin, xmax, ymax = geodata.read_layer("land", "10m").total_bounds
    assert (xmin, ymin, xmax) == pytest.approx((lon0, lat0, lon1), abs=1e-6)
    assert ymax > 80


def test_coverage_bbox():
    assert geodata.coverage_bbox("110m") == (-180.0, -90.0, 180.0, 90.0)
    assert geodata.coverage_bbox("50m") == (-180.0, -90.0, 180.0, 90.0)
    lon0, lat0, lon1, lat1 = geodata.coverage_bbox("10m")
    # Kaliningrad, Moscow, Cairo, Reykjavik, Tehran are inside
    for lon, lat in [(20.5, 54.7), (37.6, 55.8), (31.2, 30.0), (-21.9, 64.1), (51.4, 35.7)]:
        assert lon0 <= lon <= lon1 and lat0 <= lat <= lat1
    with pytest.raises(UnknownNameError, match="choose one of: 110m, 50m, 10m"):
        geodata.coverage_bbox("20m")


def test_read_places_is_the_places_layer_without_geometry():
    df = geodata.read_places("10m")
    layer = geodata.read_layer("places", "10m")
    assert type(df).__name__ == "DataFrame"
    assert list(df.columns) == PLACE_COLUMNS
    assert len(df) == 7343
    assert df.equals(layer.drop(columns="geometry"))
    assert len(geodata.read_places("50m")) == 1249
    assert len(geodata.read_places("110m")) == 243


@pytest.mark.parametrize("scale", geodata.SCALES)
def test_capitals_only_reads_exactly_the_capital_rows(scale):
    """The filter applied by GDAL as it reads gives the rows pandas would pick."""
    every = geodata.read_places(scale)
    capitals = geodata.read_places(scale, capitals_only=True)
    expected = every[every["adm0cap"] > 0].reset_index(drop=True)
    assert len(capitals) > 100
    assert capitals.equals(expected)


def test_capitals_only_gives_the_same_national_capitals():
    from rangeviz import names

    every = names.capitals(geodata.read_places("10m")).reset_index(drop=True)
    fast = names.capitals(geodata.read_places("10m", capitals_only=True)).reset_index(drop=True)
    assert fast.equals(every)
    with pytest.raises(InputError, match="capitals_only must be True or False, not 'yes'"):
        geodata.read_places("10m", capitals_only="yes")


@pytest.mark.parametrize(("name", "scale"), EVERY_LAYER)
def test_attributes_are_the_layer_less_its_geometry(name, scale):
    table = geodata.read_attributes(name, scale)
    layer = geodata.read_layer(name, scale)
    assert type(table).__name__ == "DataFrame"
    expected = pd.DataFrame(layer.drop(columns="geometry"))
    assert list(table.columns) == list(expected.columns)
    if len(table.columns):  # land, ocean, lakes... have nothing but geometry
        assert table.equals(expected)
        table.iloc[:, 0] = None  # callers may modify what they get
        assert geodata.read_attributes(name, scale).equals(expected)


def test_cache_reads_each_layer_once_and_hands_out_copies(clean_cache, monkeypatch):
    import pyogrio

    calls = []
    real = pyogrio.read_dataframe

    def counting(*args, **kwargs):
        calls.append(kwargs.get("layer"))
        return real(*args, **kwargs)

    monkeypatch.setattr(pyogrio, "read_dataframe", counting)
    first = geodata.read_layer("land", "110m")
    first.loc[0, "geometry"] = None  # callers may modify what they get
    second = geodata.read_layer("land", "110m")
    assert second is not first
    assert second.geometry.notna().all()
    assert second.geom_equals(geodata.read_layer("land", "110m")).all()
    assert calls == ["land"]
    # the SQLite reader: one read per layer, copies handed out
    import sqlite3

    opened = []
    real_connect = sqlite3.connect
    monkeypatch.setattr(
        sqlite3, "connect", lambda *a, **k: opened.append(a) or real_connect(*a, **k)
    )
    table = geodata.read_places("110m")
    table.loc[:, "name"] = None
    assert geodata.read_places("110m")["name"].notna().all()
    geodata.geometries("land", "110m")
    geodata.geometries("land", "110m")
    assert len(opened) == 2


def test_unknown_names_list_choices():
    with pytest.raises(
        UnknownNameError,
        match=r"layer 'lnd' is not known; choose one of: "
        r"borders, coastline, countries, lakes, land, ocean, places$",
    ):
        geodata.read_layer("lnd")
    with pytest.raises(UnknownNameError, match=r"scale '1m' is not known.*110m, 50m, 10m"):
        geodata.read_layer("land", "1m")
    with pytest.raises(UnknownNameError, match=r"'countries'.*'10m'.*: 110m, 50m$"):
        geodata.read_layer("countries", "10m")
    with pytest.raises(UnknownNameError, match=r"'ocean'.*'110m'.*: 50m$"):
        geodata.read_layer("ocean", "110m")
    with pytest.raises(UnknownNameError, match="110m, 50m, 10m"):
        geodata.read_places("5m")
    with pytest.raises(UnknownNameError, match="110m, 50m, 10m"):
        geodata.available("5m")


def test_available_lists_what_each_scale_has():
    assert geodata.available() == sorted(geodata.LAYERS)
    assert geodata.available("110m") == ["coastline", "countries", "lakes", "land", "places"]
    assert geodata.available("50m") == sorted(geodata.LAYERS)
    assert geodata.available("10m") == ["borders", "coastline", "lakes", "land", "places"]


def test_default_data_dir_is_the_source_tree(monkeypatch):
    monkeypatch.delenv(geodata.ENV_VAR, raising=False)
    assert geodata.data_dir() == GEODATA


def test_env_var_override_with_one_file(tmp_path, monkeypatch, clean_cache):
    shutil.copy(GEODATA / "ne_110m.gpkg", tmp_path)
    monkeypatch.setenv(geodata.ENV_VAR, str(tmp_path))
    assert geodata.data_dir() == tmp_path
    assert len(geodata.read_layer("land", "110m")) > 0
    with pytest.raises(DataError, match=r"ne_50m\.gpkg.*missing.*RANGEVIZ_DATA_DIR"):
        geodata.read_layer("land", "50m")
    monkeypatch.setenv(geodata.ENV_VAR, str(tmp_path / "nowhere"))
    with pytest.raises(DataError, match=r"RANGEVIZ_DATA_DIR.*nowhere"):
        geodata.data_dir()
    with pytest.raises(DataError, match="RANGEVIZ_DATA_DIR"):
        geodata.read_layer("land", "110m")


def test_missing_data_names_the_paths_tried(tmp_path, monkeypatch):
    monkeypatch.delenv(geodata.ENV_VAR, raising=False)
    monkeypatch.setattr(geodata, "__file__", str(tmp_path / "pkg" / "geodata.py"))
    with pytest.raises(DataError) as info:
        geodata.data_dir()
    message = str(info.value)
    assert str(tmp_path / "pkg" / "_geodata") in message
    assert str(tmp_path / "geodata") in message
    assert "RANGEVIZ_DATA_DIR" in message


def test_corrupt_file_is_a_data_error(tmp_path, monkeypatch, clean_cache):
    (tmp_path / "ne_50m.gpkg").write_bytes(b"not a geopackage")
    monkeypatch.setenv(geodata.ENV_VAR, str(tmp_path))
    with pytest.raises(DataError, match="cannot read"):
        geodata.read_layer("land", "50m")


def test_import_loads_neither_geopandas_nor_matplotlib():
    code = (
        "import sys, rangeviz.geodata as g; g.available(); g.coverage_bbox('10m'); "
        "print(sorted({'geopandas', 'matplotlib', 'pandas', 'pyogrio'} & set(sys.modules)))"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert run.stdout.strip() == "[]"


def test_total_size_within_budget():
    total = sum(p.stat().st_size for p in GEODATA.rglob("*") if p.is_file())
    assert total <= 15e6


def _build_module() -> dict:
    return runpy.run_path(str(GEODATA / "build.py"))


def test_build_script_agrees_with_the_loader():
    build = _build_module()
    assert {t: tuple(s) for t, s in build["LAYERS"].items()} == {
        t: tuple(s) for t, s in geodata.LAYERS.items()
    }
    assert tuple(build["CLIP_10M"]) == geodata.coverage_bbox("10m")
    assert list(build["COUNTRY_COLUMNS"].values()) == COUNTRY_COLUMNS
    assert [*build["PLACE_COLUMNS"].values(), "lon", "lat"] == PLACE_COLUMNS


def test_committed_files_match_build_info():
    info = json.loads((GEODATA / "build-info.json").read_text(encoding="utf-8"))
    assert sorted(info["files"]) == sorted(p.name for p in GEODATA.glob("*.gpkg"))
    assert info["clip_10m"] == list(geodata.coverage_bbox("10m"))
    for name, entry in info["files"].items():
        data = (GEODATA / name).read_bytes()
        assert len(data) == entry["bytes"], name
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], name


@pytest.mark.skipif(not RAW.is_dir(), reason="raw Natural Earth layers are not beside the repo")
def test_build_script_reproduces_the_committed_files(tmp_path):
    import pyogrio

    _build_module()["main"](["--source", str(RAW), "--out", str(tmp_path)])
    made = sorted(p.name for p in tmp_path.glob("*.gpkg"))
    assert made == ["ne_10m.gpkg", "ne_110m.gpkg", "ne_50m.gpkg"]
    info = json.loads((GEODATA / "build-info.json").read_text(encoding="utf-8"))
    versions = (pyogrio.__gdal_version_string__, shapely.geos_version_string)
    if (info["gdal"], info["geos"]) == versions:
        for name in made:
            assert (tmp_path / name).read_bytes() == (GEODATA / name).read_bytes(), name
        new_info = json.loads((tmp_path / "build-info.json").read_text(encoding="utf-8"))
        assert new_info == info
        return
    # Another GDAL/GEOS may write other bytes; the content must still agree.
    for name in made:
        for layer, _ in pyogrio.list_layers(GEODATA / name):
            old = pyogrio.read_dataframe(GEODATA / name, layer=layer)
            new = pyogrio.read_dataframe(tmp_path / name, layer=layer)
            assert old.drop(columns="geometry").equals(new.drop(columns="geometry")), layer
            a, b = old.geometry.values, new.geometry.values
            assert shapely.equals_exact(a, b, tolerance=1e-6).all() or (
                np.allclose(shapely.area(a), shapely.area(b), rtol=1e-9, atol=1e-9)
                and np.allclose(shapely.length(a), shapely.length(b), rtol=1e-9)
                and np.allclose(shapely.bounds(a), shapely.bounds(b), atol=1e-6)
            ), layer


# --- the SQLite reader against GDAL's ---------------------------------------


@pytest.mark.parametrize(("name", "scale"), EVERY_LAYER)
def test_geometries_are_the_layers_geometries_exactly(name, scale):
    """Read with SQLite and shapely, the geometries are GDAL's, vertex for vertex."""
    ours = geodata.geometries(name, scale)
    gdal = geodata.read_layer(name, scale).geometry.to_numpy()
    assert ours.shape == gdal.shape
    assert shapely.equals_exact(ours, gdal, tolerance=0.0).all()
    assert not ours.flags.writeable


@pytest.mark.parametrize(("name", "scale"), EVERY_LAYER)
def test_columns_are_the_layers_attributes_exactly(name, scale):
    ours = geodata.columns(name, scale)
    gdal = geodata.read_layer(name, scale).drop(columns="geometry")
    assert list(ours) == list(gdal.columns)
    for column, values in ours.items():
        expected = gdal[column].to_numpy()
        assert len(values) == len(expected)
        if values.dtype.kind in "if":
            np.testing.assert_array_equal(values, expected.astype(values.dtype))
        else:
            cells = [None if pd.isna(v) else v for v in expected]
            assert values.tolist() == cells, column
    if ours:  # each call hands out copies: changing one changes nothing cached
        first = next(iter(ours))
        before = geodata.columns(name, scale)[first].tolist()
        ours[first][:] = 0
        assert geodata.columns(name, scale)[first].tolist() == before


def test_capital_columns_are_the_capital_rows():
    every = geodata.columns("places", "10m")
    caps = geodata.columns("places", "10m", capitals_only=True)
    keep = every["adm0cap"] > 0
    for column, values in caps.items():
        assert values.tolist() == every[column][keep].tolist()
    with pytest.raises(InputError, match="capitals_only applies to the places layer"):
        geodata.columns("countries", "50m", capitals_only=True)


def test_the_sqlite_reader_names_a_broken_file_in_one_line(tmp_path, monkeypatch, clean_cache):
    for scale in geodata.SCALES:
        (tmp_path / f"ne_{scale}.gpkg").write_bytes(b"not a database at all" * 100)
    monkeypatch.setenv(geodata.ENV_VAR, str(tmp_path))
    for read in (geodata.geometries, geodata.columns):
        with pytest.raises(DataError, match=r"cannot read layer 'land' from .*ne_50m\.gpkg"):
            read("land", "50m")
    (tmp_path / "ne_50m.gpkg").unlink()
    with pytest.raises(DataError, match=r"map data file .*ne_50m\.gpkg' is missing"):
        geodata.geometries("land", "50m")


def test_the_sqlite_reader_refuses_a_blob_that_is_not_a_geopackage_geometry(
    tmp_path, monkeypatch, clean_cache
):
    import sqlite3

    for scale in geodata.SCALES:
        shutil.copy(geodata.data_dir() / f"ne_{scale}.gpkg", tmp_path / f"ne_{scale}.gpkg")
    con = sqlite3.connect(tmp_path / "ne_110m.gpkg")
    con.execute("DROP TRIGGER IF EXISTS rtree_land_geom_update1")
    for (trigger,) in con.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'land'"
    ).fetchall():
        con.execute(f'DROP TRIGGER "{trigger}"')
    con.execute("UPDATE land SET geom = X'00010203040506070809' WHERE rowid = 1")
    con.commit()
    con.close()
    monkeypatch.setenv(geodata.ENV_VAR, str(tmp_path))
    with pytest.raises(DataError, match="a geometry is not a GeoPackage geometry"):
        geodata.geometries("land", "110m")


def test_a_map_needs_neither_pandas_nor_gdal():
    """The default map -- the API and the command line -- reads the data with SQLite:
    pyogrio would import geopandas and pandas, half a second before the first line."""
    script = (
        "import sys\n"
        "from rangeviz.plot import plot_bands, save_figure\n"
        "ax = plot_bands([(20.51, 54.71)], dpi=60)\n"
        "from rangeviz.cli import main\n"
        "main(['map', '--site', 'Kaliningrad', '-o', sys.argv[1], '--dpi', '60'])\n"
        "print(sorted(m for m in ('pandas', 'geopandas', 'pyogrio') if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, str(Path(tempfile.mkdtemp()) / "map.png")],
        capture_output=True,
        text=True,
        env={**os.environ, "MPLBACKEND": "Agg"},
        check=True,
    )
    assert out.stdout.strip().splitlines()[-1] == "[]"
