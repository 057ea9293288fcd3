"""Vector export and atomic writing."""

from __future__ import annotations

import json
import os

import numpy as np
import pyogrio
import pytest
import shapely
from pyproj import Geod

from rangeviz import bands
from rangeviz._io import atomic_path
from rangeviz.errors import InputError, OutputError
from rangeviz.export import write_bands

GEOD = Geod(ellps="WGS84")
PETROPAVLOVSK = (158.65, 53.02)


@pytest.fixture(scope="module")
def gdf():
    out = bands([PETROPAVLOVSK, (20.51, 54.71)])
    out["site"] = ["Petropavlovsk-Kamchatsky", "Kaliningrad"]
    out["system"] = "INF Treaty band"
    out["source"] = "INF Treaty (1987)"
    return out


@pytest.mark.parametrize("ext", [".geojson", ".gpkg", ".kml", ".shp"])
def test_round_trip_each_format(tmp_path, gdf, ext):
    path = tmp_path / f"bands{ext}"
    write_bands(gdf, path)
    back = pyogrio.read_dataframe(path)
    assert len(back) == 2
    cols = {c.lower() for c in back.columns}
    assert {"site", "system", "inner_km", "outer_km", "source"} <= cols
    # the written geometry still tells a point's membership right
    lon, lat = 13.40, 52.52  # Berlin, 529.6 km from Kaliningrad
    assert shapely.contains_xy(back.geometry.iloc[1], lon, lat)
    assert not shapely.contains_xy(back.geometry.iloc[1], 21.01, 52.23)  # Warsaw
    assert not list(tmp_path.glob(".*")), "temporary files left behind"


def test_geojson_is_rfc7946(tmp_path, gdf):
    path = tmp_path / "bands.geojson"
    write_bands(gdf, path)
    doc = json.loads(path.read_text())
    assert "crs" not in doc  # RFC 7946 drops the crs member
    for feature in doc["features"]:
        geom = shapely.geometry.shape(feature["geometry"])
        xy = shapely.get_coordinates(geom)
        assert xy[:, 0].min() >= -180
        assert xy[:, 0].max() <= 180
        for poly in shapely.get_parts(geom):
            # exterior counter-clockwise, holes clockwise
            assert poly.exterior.is_ccw
            assert all(not hole.is_ccw for hole in poly.interiors)
    kamchatka = shapely.geometry.shape(doc["features"][0]["geometry"])
    # the band around Petropavlovsk reaches Alaska across the antimeridian
    _, _, d = GEOD.inv(*PETROPAVLOVSK, -150.0, 61.2)  # Anchorage
    assert 500e3 < d < 5500e3
    assert kamchatka.contains(shapely.Point(-150.0, 61.2))
    assert doc["features"][0]["properties"]["site"] == "Petropavlovsk-Kamchatsky"


def test_bad_extension_lists_formats(tmp_path, gdf):
    with pytest.raises(InputError, match=r"\.geojson.*\.gpkg.*\.kml.*\.shp"):
        write_bands(gdf, tmp_path / "bands.csv")


def test_missing_directory_is_an_error_not_a_crash(tmp_path, gdf):
    with pytest.raises(OutputError, match="does not exist"):
        write_bands(gdf, tmp_path / "nope" / "bands.geojson")
    with pytest.raises(OutputError, match="does not exist"):
        write_bands(gdf, tmp_path / "nope" / "bands.shp")


def test_failure_keeps_the_old_file(tmp_path):
    target = tmp_path / "map.png"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_bytes(b"half")
        raise RuntimeError("boom")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.png"]
    with atomic_path(target) as tmp:
        tmp.write_bytes(b"new")
    assert target.read_bytes() == b"new"


def test_new_file_gets_normal_permissions(tmp_path):
    target = tmp_path / "new.txt"
    with atomic_path(target) as tmp:
        tmp.write_text("x")
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask


def test_unwritable_directory():
    # /proc refuses new files even to root, so this holds in CI too
    with pytest.raises(OutputError, match="cannot write"), atomic_path("/proc/rangeviz.png"):
        pass


def test_output_path_that_is_a_directory(tmp_path):
    with pytest.raises(OutputError, match="is a directory"), atomic_path(tmp_path):
        pass


def test_dissolved_export_has_one_feature(tmp_path):
    out = bands([(0.0, 50.0), (10.0, 50.0)], dissolve=True)
    write_bands(out, tmp_path / "u.gpkg")
    back = pyogrio.read_dataframe(tmp_path / "u.gpkg")
    assert len(back) == 1
    assert np.isnan(back["lon"].iloc[0])
