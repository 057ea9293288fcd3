"""Write bands as vector data other tools open: GeoJSON, GeoPackage, KML, Shapefile.

GeoJSON follows RFC 7946: lon/lat on WGS84, polygons cut at the antimeridian
(they already are), exterior rings counter-clockwise, holes clockwise. Every
file is written atomically (:func:`rangeviz._io.atomic_path`) and read back
before it replaces the old one: GDAL does not report a full disk.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rangeviz import _checks
from rangeviz._io import atomic_path, check_path, check_suffix
from rangeviz.errors import InputError, OutputError, RangevizError

if TYPE_CHECKING:
    from geopandas import GeoDataFrame

__all__ = ["FORMATS", "write_bands"]

#: Output extension -> OGR driver.
FORMATS = {
    ".geojson": "GeoJSON",
    ".json": "GeoJSON",
    ".gpkg": "GPKG",
    ".kml": "KML",
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
        ``.geojson`` (or ``.json``), ``.gpkg``, ``.kml`` or ``.shp``. A
        symlink is written through.

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


def _check_written(path: Path, expected: tuple[int, int], shown: Any) -> None:
    """Read the file back: GDAL writes on when the disk is full, silently."""
    import pyogrio
    import shapely

    try:
        back = pyogrio.read_dataframe(path)
        found = (len(back), int(shapely.get_num_coordinates(back.geometry.values).sum()))
    except Exception as exc:  # a truncated file does not parse
        raise OutputError(
            f"cannot write output path {_checks.show(os.fspath(shown), 300)}: the file written "
            f"does not read back ({_first_line(exc)}); is the disk full?"
        ) from None
    if found != expected:
        raise OutputError(
            f"cannot write output path {_checks.show(os.fspath(shown), 300)}: the file written "
            f"reads back with {found[0]} features and {found[1]} points, not {expected[0]} and "
            f"{expected[1]}; is the disk full?"
        )
