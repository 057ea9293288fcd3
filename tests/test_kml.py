"""KML and KMZ for Google Earth: styled as the map, and right on a globe.

A globe draws each edge as a great circle and fills a ring on the sphere; GIS
tools (GDAL) draw straight lon/lat edges on a plane. Both readings are checked
against ``pyproj.Geod``: sample points are inside the file's band, read either
way, exactly when their geodesic distance from the site is between the radii.
The globe's reading is reproduced with a gnomonic projection, which turns
great circles into straight lines, centred on each piece of the fill.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile

import numpy as np
import pyogrio
import pytest
import shapely
from pyproj import Geod, Transformer

import rangeviz
from rangeviz import Scenario
from rangeviz.errors import InputError
from rangeviz.export import kml_document, write_bands
from rangeviz.plot.style import fill_alpha

GEOD = Geod(ellps="WGS84")
NS = {"k": "http://www.opengis.net/kml/2.2"}
EARTH_R = 6_371_000.0


def _coords(text: str) -> np.ndarray:
    return np.array([[float(v) for v in c.split(",")[:2]] for c in text.split()])


def _placemarks(text: str) -> list[dict]:
    root = ET.fromstring(text)
    styles = {}
    for st in root.iter(f"{{{NS['k']}}}Style"):
        styles["#" + st.get("id")] = {
            "line": st.find("k:LineStyle/k:color", NS).text,
            "width": float(st.find("k:LineStyle/k:width", NS).text),
            "poly": st.find("k:PolyStyle/k:color", NS).text,
            "outline": st.find("k:PolyStyle/k:outline", NS).text,
        }
    out = []
    for pm in root.iter(f"{{{NS['k']}}}Placemark"):
        polygons = []
        for poly in pm.iter(f"{{{NS['k']}}}Polygon"):
            rings = [_coords(c.text) for c in poly.iter(f"{{{NS['k']}}}coordinates")]
            polygons.append(rings)
        lines = [
            _coords(ls.find("k:coordinates", NS).text) for ls in pm.iter(f"{{{NS['k']}}}LineString")
        ]
        data = {d.get("name"): d.text or "" for d in pm.iter(f"{{{NS['k']}}}SimpleData")}
        out.append(
            {
                "name": pm.find("k:name", NS).text,
                "description": pm.find("k:description", NS).text,
                "style": styles[pm.find("k:styleUrl", NS).text],
                "polygons": polygons,
                "lines": lines,
                "data": data,
            }
        )
    return out


def _unit(lon, lat):
    lo, la = np.radians(lon), np.radians(lat)
    return np.stack((np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)), axis=-1)


def _on_a_globe(polygons: list[list[np.ndarray]], lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Which points a globe fills: great-circle edges, each piece read on the sphere."""
    inside = np.zeros(lon.size, dtype=bool)
    pts = _unit(lon, lat)
    for rings in polygons:
        c = _unit(rings[0][:, 0], rings[0][:, 1]).sum(axis=0)
        c /= np.linalg.norm(c)
        clon, clat = np.degrees(np.arctan2(c[1], c[0])), np.degrees(np.arcsin(c[2]))
        # every vertex within a hemisphere round the centre: the gnomonic view holds the piece
        for ring in rings:
            assert (_unit(ring[:, 0], ring[:, 1]) @ c).min() > 0.02, "a piece wider than a globe"
        gnom = Transformer.from_crs(
            "EPSG:4326", f"+proj=gnom +lon_0={clon} +lat_0={clat} +R={EARTH_R}", always_xy=True
        )
        shape = shapely.Polygon(
            np.column_stack(gnom.transform(rings[0][:, 0], rings[0][:, 1])),
            [np.column_stack(gnom.transform(r[:, 0], r[:, 1])) for r in rings[1:]],
        )
        near = pts @ c > 0.02
        x, y = gnom.transform(lon[near], lat[near])
        inside[np.flatnonzero(near)] |= shapely.contains_xy(shape, x, y)
    return inside


def _samples(site, radii, n=6000, seed=5):
    """Points over the whole globe and crowded near the rings."""
    rng = np.random.default_rng(seed)
    z = rng.uniform(-1, 1, n)
    lon = rng.uniform(-180, 180, n)
    lat = np.degrees(np.arcsin(z))
    near_lon, near_lat = [], []
    for r in radii:
        az = rng.uniform(0, 360, 1500)
        dist = (r + rng.uniform(-30, 30, 1500)) * 1000
        dist = np.clip(dist, 1, None)
        plon, plat, _ = GEOD.fwd(np.full(1500, site[0]), np.full(1500, site[1]), az, dist)
        near_lon.append(plon)
        near_lat.append(plat)
    lon = np.concatenate([lon, *near_lon])
    lat = np.concatenate([lat, *near_lat])
    _, _, d = GEOD.inv(np.full(lon.size, site[0]), np.full(lon.size, site[1]), lon, lat)
    return lon, lat, np.asarray(d) / 1000


CASES = {
    # the INF band round Kaliningrad: a hole, and a polar cap
    "kaliningrad": ((20.51, 54.71), 500.0, 5500.0),
    # across the antimeridian into Alaska
    "petropavlovsk": ((158.65, 53.02), 500.0, 5500.0),
    # beyond a hemisphere: both poles inside, the outside a cap round the antipode
    "moscow-17000": ((37.62, 55.75), 0.0, 17000.0),
    # a ring passing 2 km from the North Pole (5,017.02 km from 45°N), where lon/lat
    # edges and great circles part ways most
    "grazing-the-pole": ((10.0, 45.0), 0.0, 5015.0),
}


@pytest.mark.parametrize("case", list(CASES))
def test_the_band_is_right_on_a_globe_and_in_gdal(tmp_path, case):
    site, inner, outer = CASES[case]
    gdf = rangeviz.bands([site], inner_km=inner, outer_km=outer)
    gdf["site"] = case
    path = tmp_path / f"{case}.kml"
    write_bands(gdf, path)
    (mark,) = _placemarks(path.read_text(encoding="utf-8"))
    radii = [r for r in (inner, outer) if r > 0]
    lon, lat, d = _samples(site, radii)
    truth = (d >= inner) & (d <= outer)
    clear = np.all([np.abs(d - r) > 0.2 for r in radii], axis=0)
    # as a globe fills it
    globe = _on_a_globe(mark["polygons"], lon, lat)
    wrong = clear & (globe != truth)
    assert not wrong.any(), f"globe: {wrong.sum()} points wrong, e.g. {lon[wrong][:3]}"
    # as GDAL reads it (straight lon/lat edges)
    back = pyogrio.read_dataframe(path)
    parts = shapely.get_parts(back.geometry.values)
    fill = shapely.union_all(parts[shapely.get_type_id(parts) == 3])
    wrong = clear & (shapely.contains_xy(fill, lon, lat) != truth)
    assert not wrong.any(), f"GDAL: {wrong.sum()} points wrong, e.g. {lon[wrong][:3]}"
    # the outline, drawn along great circles, stays on the rings
    for line in mark["lines"]:
        a, b = line[:-1], line[1:]
        for t in (0.25, 0.5, 0.75):
            # the great circle's point a fraction t along each edge
            pa, pb = _unit(a[:, 0], a[:, 1]), _unit(b[:, 0], b[:, 1])
            omega = np.arccos(np.clip((pa * pb).sum(axis=1), -1, 1))
            s = np.where(omega > 1e-12, np.sin(omega), 1.0)
            w1 = np.where(omega > 1e-12, np.sin((1 - t) * omega) / s, 1 - t)
            w2 = np.where(omega > 1e-12, np.sin(t * omega) / s, t)
            p = w1[:, None] * pa + w2[:, None] * pb
            plon = np.degrees(np.arctan2(p[:, 1], p[:, 0]))
            plat = np.degrees(np.arcsin(p[:, 2] / np.linalg.norm(p, axis=1)))
            n = plon.size
            _, _, dd = GEOD.inv(np.full(n, site[0]), np.full(n, site[1]), plon, plat)
            off = np.min([np.abs(np.asarray(dd) / 1000 - r) for r in radii], axis=0)
            assert off.max() < 0.15, f"an outline edge strays {off.max():.3f} km"


def test_placemarks_are_named_and_styled_as_on_the_map(tmp_path):
    s = Scenario(["Kaliningrad"], ranges=["INF", "SSC-8"])
    path = tmp_path / "bands.kml"
    write_bands(s.bands(), path)
    marks = _placemarks(path.read_text(encoding="utf-8"))
    assert [m["name"] for m in marks] == ["Kaliningrad — INF Treaty band", "Kaliningrad — 9M729"]
    for mark, layer in zip(marks, s.spec.layers, strict=True):
        colour = layer.color.lstrip("#").lower()
        bgr = colour[4:6] + colour[2:4] + colour[0:2]
        style = mark["style"]
        assert style["line"] == "ff" + bgr
        assert style["poly"] == f"{round(fill_alpha(layer.color) * 255):02x}" + bgr
        assert style["outline"] == "0" and style["width"] == 2.0
        text = mark["description"]
        assert layer.range_words.replace("class", "").strip() in text or "500–5,500 km" in text
        assert f"Source: {layer.sources[0]}" in text
        if layer.claimant:
            assert f"Claimant: {layer.claimant}" in text
        assert mark["data"]["outer_km"] == "5500.0"
    # GDAL reads the same placemarks, with the data typed
    back = pyogrio.read_dataframe(path)
    assert list(back["Name"]) == [m["name"] for m in marks]
    assert back["outer_km"].dtype.kind == "f"


def test_kmz_is_the_same_kml_zipped(tmp_path):
    gdf = Scenario(["Kaliningrad"]).bands()
    write_bands(gdf, tmp_path / "bands.kml")
    write_bands(gdf, tmp_path / "bands.kmz")
    with zipfile.ZipFile(tmp_path / "bands.kmz") as archive:
        assert archive.namelist() == ["doc.kml"]
        inside = archive.read("doc.kml").decode("utf-8")
    assert inside == (tmp_path / "bands.kml").read_text(encoding="utf-8")
    assert (tmp_path / "bands.kmz").stat().st_size < (tmp_path / "bands.kml").stat().st_size / 2
    back = pyogrio.read_dataframe(f"/vsizip/{tmp_path / 'bands.kmz'}/doc.kml")
    assert list(back["Name"]) == ["Kaliningrad — INF Treaty band"]
    # the same bands give the same bytes
    (tmp_path / "again").mkdir()
    write_bands(gdf, tmp_path / "again" / "bands.kmz")
    assert (tmp_path / "again" / "bands.kmz").read_bytes() == (tmp_path / "bands.kmz").read_bytes()


def test_user_text_stays_text():
    gdf = rangeviz.bands([(20.51, 54.71)], inner_km=0, outer_km=300)
    gdf["site"] = "<b>Base</b> & <script>"
    (mark,) = _placemarks(kml_document(gdf))
    assert mark["name"] == "<b>Base</b> & <script>"
    assert "&lt;b&gt;Base&lt;/b&gt; &amp; &lt;script&gt;" in mark["description"]


def test_the_command_line_writes_kmz(tmp_path, monkeypatch, capsys):
    from rangeviz.cli import main

    monkeypatch.chdir(tmp_path)
    assert main(["export", "--site", "Kaliningrad", "-o", "k.kmz"]) == 0
    assert zipfile.is_zipfile(tmp_path / "k.kmz")
    capsys.readouterr()
    assert main(["export", "--site", "Kaliningrad", "-o", "k.kmx"]) == 2
    err = capsys.readouterr().err
    assert ".kmz" in err and len(err.strip().splitlines()) == 1
    with pytest.raises(InputError, match=r"\.kmz"):
        write_bands(rangeviz.bands([(0, 0)], inner_km=0, outer_km=50), tmp_path / "x.kmx")


@pytest.mark.parametrize("zipped", [False, True])
def test_a_kml_that_reads_back_short_is_refused_and_the_old_file_kept(
    tmp_path, monkeypatch, zipped
):
    """The read-back check counts placemarks and polygons in the KML, inside a KMZ too."""
    from rangeviz import export
    from rangeviz.errors import OutputError

    target = tmp_path / ("b.kmz" if zipped else "b.kml")
    target.write_bytes(b"old")
    gdf = rangeviz.bands([(0, 0), (40, 40)], inner_km=0, outer_km=50)
    real = export.kml_document

    def one_short(frame, **kwargs):  # as if the disk filled after the first placemark
        return real(frame.iloc[:1], **kwargs)

    monkeypatch.setattr(export, "kml_document", one_short)
    with pytest.raises(OutputError, match="reads back with 1 placemarks and 1 polygons, not 2"):
        rangeviz.write_bands(gdf, target)
    assert target.read_bytes() == b"old"
