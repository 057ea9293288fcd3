"""Write bands as vector data other tools open: GeoJSON, GeoPackage, KML/KMZ, Shapefile.

GeoJSON follows RFC 7946: lon/lat on WGS84, polygons cut at the antimeridian
(they already are), exterior rings counter-clockwise, holes clockwise. KML
and KMZ are written for Google Earth (:func:`kml_document`). Every file is
written atomically (:func:`rangeviz._io.atomic_path`) and read back before it
replaces the old one: GDAL does not report a full disk.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from rangeviz import _checks
from rangeviz._io import atomic_path, check_path, check_suffix
from rangeviz.errors import InputError, OutputError, RangevizError

if TYPE_CHECKING:
    from geopandas import GeoDataFrame

__all__ = ["FORMATS", "kml_document", "write_bands"]

#: Output extension -> OGR driver (KML and KMZ are written by rangeviz itself).
FORMATS = {
    ".geojson": "GeoJSON",
    ".json": "GeoJSON",
    ".gpkg": "GPKG",
    ".kml": "KML",
    ".kmz": "KMZ",
    ".shp": "ESRI Shapefile",
}

#: A Shapefile's files: those GDAL writes, then indexes other tools add (stale once
#: the .shp changes, so they are removed with the old set).
_SHAPEFILE_PARTS = (".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx", ".fbn", ".fbx")


def write_bands(gdf: GeoDataFrame, path: str | os.PathLike[str]) -> Path:
    """Write a bands GeoDataFrame to ``path``; the extension picks the format.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Bands, e.g. from :meth:`rangeviz.Scenario.bands` or
        :func:`rangeviz.bands`: (Multi)Polygons. In EPSG:4326, or any CRS
        (reprojected to lon/lat); without a CRS the coordinates must be
        lon/lat degrees.
    path : path-like
        ``.geojson`` (or ``.json``), ``.gpkg``, ``.kml``, ``.kmz`` (zipped
        KML) or ``.shp``. A symlink is written through. KML and KMZ are
        styled for Google Earth as the map draws the bands; see
        :func:`kml_document`.

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    InputError
        If ``gdf`` is not a non-empty GeoDataFrame of polygons, has no CRS and
        coordinates that are not degrees, or ``path`` has another extension.
    OutputError
        If the file cannot be written (a missing folder, a full disk...): the
        old file is left as it was.
    """
    import pyogrio
    import shapely

    driver = check_suffix(path, FORMATS, "set of bands")
    target = check_path(path)
    out = _lonlat_frame(gdf)
    # RFC 7946 winding: exterior counter-clockwise
    out = out.set_geometry(shapely.orient_polygons(out.geometry.values))
    if driver in ("KML", "KMZ"):
        _write_kml(out, target, path, zipped=driver == "KMZ")
        return target
    options: dict[str, Any] = {}
    parts: tuple[str, ...] = ()
    if driver == "GeoJSON":
        options = {"layer_options": {"RFC7946": "YES", "WRITE_NAME": "NO"}}
    elif driver == "ESRI Shapefile":
        # field names are cut to 10 characters in .dbf; keep them readable
        out = out.rename(columns={c: c[:10] for c in out.columns if c != "geometry"})
        options = {"layer_options": {"ENCODING": "UTF-8"}}
        parts = _SHAPEFILE_PARTS
    else:
        options = {"layer": target.stem or "bands"}
    expected = (len(out), int(shapely.get_num_coordinates(out.geometry.values).sum()))

    def check(tmp: Path) -> None:
        _check_written(tmp, expected, path)

    with atomic_path(target, parts=parts, check=check) as tmp:
        try:
            pyogrio.write_dataframe(out, tmp, driver=driver, **options)
        except RangevizError:
            raise
        except Exception as exc:  # pyogrio raises its own errors (a full disk, a bad field)
            raise OutputError(
                f"cannot write output path {_checks.show(os.fspath(path), 300)}: {_first_line(exc)}"
            ) from None
    return target


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


def _lonlat_frame(gdf: Any) -> GeoDataFrame:
    """``gdf`` checked and in EPSG:4326: polygons, never metres read as degrees."""
    import geopandas as gpd
    import numpy as np
    import shapely

    if not isinstance(gdf, gpd.GeoDataFrame):
        raise InputError(
            f"gdf {_checks.show(gdf)} is not a GeoDataFrame of bands; give one from "
            "rangeviz.bands() or Scenario.bands()"
        )
    try:
        geoms = gdf.geometry.values
    except AttributeError:
        raise InputError("gdf has no active geometry column; nothing to write") from None
    if len(gdf) == 0:
        raise InputError("gdf has no rows; there are no bands to write")
    kinds = shapely.get_type_id(geoms)
    bad = np.flatnonzero(~np.isin(kinds, (3, 6)))  # Polygon, MultiPolygon
    if len(bad):
        geom = geoms[bad[0]]
        kind = None if geom is None else geom.geom_type
        raise InputError(
            f"gdf row {int(bad[0])}: geometry {kind!r} is not a band (Polygon or MultiPolygon)"
        )
    out = gdf.copy()
    out.columns = [str(c) for c in out.columns]
    if out.crs is None:
        x0, y0, x1, y1 = shapely.total_bounds(geoms)
        if not (x0 >= -180 and x1 <= 180 and y0 >= -90 and y1 <= 90):
            raise InputError(
                f"gdf has no CRS and coordinates out to ({x1:.6g}, {y1:.6g}), which are not "
                "lon/lat degrees; set its CRS (gdf.set_crs(...)) so they can be reprojected"
            )
        return out.set_crs("EPSG:4326")
    if out.crs.to_epsg() != 4326:
        try:
            out = out.to_crs("EPSG:4326")
        except Exception as exc:  # pyproj cannot transform it
            raise InputError(
                f"gdf's CRS cannot be turned into lon/lat: {_first_line(exc)}"
            ) from None
        coords = shapely.get_coordinates(out.geometry.values)
        if not np.all(np.isfinite(coords)):
            raise InputError(
                "gdf's bands do not fit in lon/lat once reprojected from its CRS (points "
                "outside the projection's domain); give them in EPSG:4326"
            )
    return out


def _check_written(
    source: Any,
    expected: tuple[int, int],
    shown: Any,
    nouns: tuple[str, str] = ("features", "points"),
) -> None:
    """Read the file back: GDAL writes on when the disk is full, silently.

    ``expected`` counts features and coordinates -- or, with ``nouns``
    ``("placemarks", "polygons")``, placemarks and polygons (KML).
    """
    import pyogrio
    import shapely

    try:
        back = pyogrio.read_dataframe(source)
        geoms = back.geometry.values
        if nouns[1] == "polygons":
            second = int((shapely.get_type_id(shapely.get_parts(geoms)) == 3).sum())
        else:
            second = int(shapely.get_num_coordinates(geoms).sum())
        found = (len(back), second)
    except Exception as exc:  # a truncated file does not parse
        raise OutputError(
            f"cannot write output path {_checks.show(os.fspath(shown), 300)}: the file written "
            f"does not read back ({_first_line(exc)}); is the disk full?"
        ) from None
    if found != expected:
        raise OutputError(
            f"cannot write output path {_checks.show(os.fspath(shown), 300)}: the file written "
            f"reads back with {found[0]} {nouns[0]} and {found[1]} {nouns[1]}, not "
            f"{expected[0]} and {expected[1]}; is the disk full?"
        )


# --------------------------------------------------------------------------
# KML and KMZ, for Google Earth


def _write_kml(gdf: GeoDataFrame, target: Path, shown: Any, *, zipped: bool) -> None:
    import zipfile

    text = kml_document(gdf, name=target.stem or "bands")
    expected = (len(gdf), text.count("<Polygon>"))

    def check(tmp: Path) -> None:
        source = f"/vsizip/{tmp}/doc.kml" if zipped else tmp  # a KMZ: its KML, read inside
        _check_written(source, expected, shown, ("placemarks", "polygons"))

    with atomic_path(target, check=check) as tmp:
        if zipped:  # a KMZ is a zip whose first file is the KML
            entry = zipfile.ZipInfo("doc.kml", (1980, 1, 1, 0, 0, 0))  # same bytes each time
            entry.compress_type = zipfile.ZIP_DEFLATED
            with zipfile.ZipFile(tmp, "w") as archive:
                archive.writestr(entry, text)
        else:
            tmp.write_text(text, encoding="utf-8")


#: Google Earth draws every edge as a great circle; edges are split until that arc stays
#: this close (km) to the straight lon/lat edge that GIS tools, and the map, draw.
KML_TOLERANCE_KM = 0.05
#: No piece of a fill spans more longitude than this (nor crosses the equator, if taller):
#: a piece never holds a pole or wraps round the Earth, which globes fill on the wrong side.
_KML_SECTOR_DEG = 90.0


def kml_document(gdf: Any, *, name: str = "bands") -> str:
    """Bands as a KML document for Google Earth, styled as the map draws them.

    One placemark per row, named after its site and system ("Kaliningrad —
    9M729"), with the map's style (the band's colour, its fill at the map's
    opacity, a 2-pixel outline), a description giving range, claimant,
    source and site, and every column as typed extended data. The geometry
    is drawn right on a globe:

    - the fill is cut along meridians and the equator into pieces of at most
      90° of longitude in one hemisphere, so no piece holds a pole or wraps
      round the Earth (globe viewers fill such a ring on the wrong side); the
      pieces are filled without an edge;
    - the outline is the band's own rings (without the ±180° seam or the pole
      lines the cut adds), drawn over the fill;
    - every edge is split until the great-circle arc a globe draws between
      its ends stays within :data:`KML_TOLERANCE_KM` of the straight lon/lat
      edge (which GIS tools draw), so both show the same band.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Bands, as for :func:`write_bands`; the columns ``site``, ``system``,
        ``label``, ``inner_km``, ``outer_km``, ``claimant``, ``source`` and
        ``color`` are used where present.
    name : str
        The document's name.

    Returns
    -------
    str
        The KML text (UTF-8).

    Examples
    --------
    >>> from rangeviz import bands
    >>> text = kml_document(bands([(20.51, 54.71)], inner_km=0, outer_km=480))
    >>> text.count("<Placemark>"), "<PolyStyle>" in text
    (1, True)
    """
    import xml.etree.ElementTree as ET

    import shapely

    out = _lonlat_frame(gdf)
    out = out.set_geometry(shapely.orient_polygons(out.geometry.values))
    kml = ET.Element("kml", xmlns="http://www.opengis.net/kml/2.2")
    doc = ET.SubElement(kml, "Document")
    ET.SubElement(doc, "name").text = name
    ET.SubElement(
        doc, "description"
    ).text = "Missile range bands by rangeviz: geodesic distances on the WGS84 ellipsoid."
    columns = [c for c in out.columns if c != out.geometry.name]
    schema = ET.SubElement(doc, "Schema", name="bands", id="bands")
    for column in columns:
        ET.SubElement(schema, "SimpleField", name=column, type=_kml_type(out[column]))
    styles: dict[tuple[str, str], str] = {}
    colours = _kml_colours(out)
    for i, (row, geom) in enumerate(zip(out.to_dict("records"), out.geometry, strict=True)):
        colour = colours[i]
        key = (colour, "")
        if key not in styles:
            styles[key] = f"band-{len(styles) + 1}"
            _kml_style(doc, styles[key], colour)
        mark = ET.SubElement(doc, "Placemark")
        ET.SubElement(mark, "name").text = _kml_name(row, i)
        ET.SubElement(mark, "description").text = _kml_description(row)
        ET.SubElement(mark, "styleUrl").text = f"#{styles[key]}"
        data = ET.SubElement(ET.SubElement(mark, "ExtendedData"), "SchemaData", schemaUrl="#bands")
        for column in columns:
            ET.SubElement(data, "SimpleData", name=column).text = _kml_value(row[column])
        _kml_geometry(ET.SubElement(mark, "MultiGeometry"), geom)
    ET.indent(kml, space=" ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(kml, encoding="unicode") + "\n"


def _kml_type(series: Any) -> str:
    kind = getattr(series.dtype, "kind", "O")
    return {"f": "double", "i": "int", "u": "int", "b": "bool"}.get(kind, "string")


def _kml_value(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def _kml_colours(gdf: Any) -> list[str]:
    """Each row's colour as #rrggbb: its own, else the palette's, one per band."""
    from matplotlib.colors import to_hex

    from rangeviz.model import PALETTE

    given = list(gdf["color"]) if "color" in gdf.columns else [""] * len(gdf)
    bands = list(gdf["label"] if "label" in gdf.columns else range(len(gdf)))
    order = list(dict.fromkeys(bands))
    out = []
    for colour, band in zip(given, bands, strict=True):
        try:
            out.append(to_hex(colour) if colour else PALETTE[order.index(band) % len(PALETTE)])
        except (TypeError, ValueError):
            out.append(PALETTE[order.index(band) % len(PALETTE)])
    return out


def _kml_abgr(colour: str, alpha: float) -> str:
    """KML's aabbggrr from #rrggbb and an opacity."""
    r, g, b = colour[1:3], colour[3:5], colour[5:7]
    return f"{round(alpha * 255):02x}{b}{g}{r}"


def _kml_style(doc: Any, ident: str, colour: str) -> None:
    """The map's look: the band's colour as outline, lightly as fill (the map's opacity)."""
    import xml.etree.ElementTree as ET

    from rangeviz.plot.style import fill_alpha

    style = ET.SubElement(doc, "Style", id=ident)
    line = ET.SubElement(style, "LineStyle")
    ET.SubElement(line, "color").text = _kml_abgr(colour, 1.0)
    ET.SubElement(line, "width").text = "2"
    poly = ET.SubElement(style, "PolyStyle")
    ET.SubElement(poly, "color").text = _kml_abgr(colour, fill_alpha(colour))
    ET.SubElement(poly, "fill").text = "1"
    ET.SubElement(poly, "outline").text = "0"  # the outline is the rings, drawn apart


def _kml_name(row: dict[str, Any], i: int) -> str:
    site = str(row.get("site") or "").strip() or f"Band {i + 1}"
    what = str(row.get("system") or row.get("label") or "").strip()
    return f"{site} — {what}" if what else site


def _kml_description(row: dict[str, Any]) -> str:
    """What a placemark's balloon says (HTML, every value escaped)."""
    from html import escape

    from rangeviz._text import km

    lines = []
    if row.get("label"):
        lines.append(f"<b>{escape(str(row['label']))}</b>")
    inner, outer = row.get("inner_km"), row.get("outer_km")
    if row.get("range"):  # the band's own words: a class, a lower bound, a maximum
        lines.append(f"Range: {escape(str(row['range']))}")
    elif isinstance(outer, (int, float)) and outer == outer:
        lo = float(inner) if isinstance(inner, (int, float)) and inner == inner else 0.0
        reach = f"up to {km(outer)} km" if lo == 0 else f"{km(lo)}–{km(outer)} km"
        lines.append(f"Range: {reach}")
    for key, words in (("claimant", "Claimant"), ("source", "Source"), ("site", "Around")):
        if row.get(key):
            lines.append(f"{words}: {escape(str(row[key]))}")
    for url in str(row.get("source_url") or "").split(" | "):
        if url.startswith(("http://", "https://")):
            lines.append(f'<a href="{escape(url)}">{escape(url)}</a>')
    lines.append("Geodesic distances on WGS84 (rangeviz).")
    return "<br>".join(lines)


def _kml_geometry(parent: Any, geom: Any) -> None:
    """Fill pieces (no edge) and the outline's lines, both ready for a globe."""
    import xml.etree.ElementTree as ET

    import shapely

    from rangeviz.geometry import edge_without_seams

    for piece in _kml_pieces(geom):
        poly = ET.SubElement(parent, "Polygon")
        ET.SubElement(poly, "tessellate").text = "1"
        for i, ring in enumerate([piece.exterior, *piece.interiors]):
            where = "outerBoundaryIs" if i == 0 else "innerBoundaryIs"
            linear = ET.SubElement(ET.SubElement(poly, where), "LinearRing")
            ET.SubElement(linear, "coordinates").text = _kml_coords(np.asarray(ring.coords))
    for line in shapely.get_parts(edge_without_seams(geom)):
        element = ET.SubElement(parent, "LineString")
        ET.SubElement(element, "tessellate").text = "1"
        ET.SubElement(element, "coordinates").text = _kml_coords(np.asarray(line.coords))


def _kml_pieces(geom: Any) -> list[Any]:
    """A band's polygons, each within one 90° sector of longitude and one hemisphere.

    A polygon wider or taller than that is cut along meridians and the
    equator -- great circles all, so the cuts are the same lines on a globe
    and on a lon/lat map. No piece then holds a pole or wraps round the Earth.
    """
    import shapely
    from shapely.geometry import box

    out = []
    step = _KML_SECTOR_DEG
    for poly in shapely.get_parts(geom):
        x0, y0, x1, y1 = poly.bounds
        if x1 - x0 <= step and y1 - y0 <= step:
            out.append(poly)
            continue
        for west in np.arange(-180.0, 180.0, step):
            for south in (-90.0, 0.0):
                cut = poly.intersection(box(west, south, west + step, south + 90.0))
                parts = shapely.get_parts(cut)
                out.extend(p for p in parts if p.geom_type == "Polygon" and not p.is_empty)
    return [shapely.orient_polygons(p) for p in out]


def _kml_coords(xy: np.ndarray) -> str:
    xy = _along_great_circles(xy[:, :2])
    return " ".join(f"{x:.6f},{y:.6f}" for x, y in xy)


def _along_great_circles(xy: np.ndarray, rounds: int = 24) -> np.ndarray:
    """Vertices added until each edge's great circle keeps to its straight lon/lat line.

    Edges along a pole (both ends at ±90° latitude) are one point on the globe
    and are left alone; others are first cut to 1° steps (two ends on a
    meridian can be antipodal), then split where the great circle's midpoint
    lies more than :data:`KML_TOLERANCE_KM` from the lon/lat midpoint.
    """
    from pyproj import Geod

    geod = Geod(ellps="WGS84")
    lon, lat = xy[:, 0].astype(float), xy[:, 1].astype(float)
    pole = np.abs(lat) == 90.0
    steps = np.ceil(np.maximum(np.abs(np.diff(lon)), np.abs(np.diff(lat)))).astype(int)
    steps[pole[:-1] & pole[1:]] = 1
    steps = np.maximum(steps, 1)
    t = np.concatenate([np.arange(n) / n for n in steps] + [np.zeros(1)])
    start = np.concatenate([np.repeat(np.arange(len(steps)), steps), [len(lon) - 1]])
    end = np.minimum(start + 1, len(lon) - 1)
    lon = lon[start] + t * (lon[end] - lon[start])
    lat = lat[start] + t * (lat[end] - lat[start])
    for _ in range(rounds):
        mlon, mlat = 0.5 * (lon[:-1] + lon[1:]), 0.5 * (lat[:-1] + lat[1:])
        glon, glat = _great_circle_middle(lon[:-1], lat[:-1], lon[1:], lat[1:])
        _, _, d = geod.inv(mlon, mlat, glon, glat)
        bad = (np.asarray(d) / 1000.0 > KML_TOLERANCE_KM) & ~(
            (np.abs(lat[:-1]) == 90.0) & (np.abs(lat[1:]) == 90.0)
        )
        if not bad.any():
            break
        at = np.flatnonzero(bad) + 1
        lon = np.insert(lon, at, mlon[bad])
        lat = np.insert(lat, at, mlat[bad])
    return np.column_stack((lon, lat))


def _great_circle_middle(
    lon1: np.ndarray, lat1: np.ndarray, lon2: np.ndarray, lat2: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The midpoint of the great-circle arc between two points (on the sphere)."""

    def unit(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        lo, la = np.radians(lon), np.radians(lat)
        return np.stack((np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)))

    m = unit(lon1, lat1) + unit(lon2, lat2)
    m /= np.maximum(np.linalg.norm(m, axis=0), 1e-300)
    return np.degrees(np.arctan2(m[1], m[0])), np.degrees(np.arcsin(np.clip(m[2], -1.0, 1.0)))
