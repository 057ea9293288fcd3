"""Write bands as vector data other tools open: GeoJSON, GeoPackage, KML, Shapefile.

GeoJSON follows RFC 7946: lon/lat on WGS84, polygons cut at the antimeridian
(they already are), exterior rings counter-clockwise, holes clockwise. Every
file is written atomically.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from rangeviz._io import atomic_path, check_suffix
from rangeviz.errors import OutputError

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

_SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")


def write_bands(gdf: GeoDataFrame, path: str | os.PathLike[str]) -> Path:
    """Write a bands GeoDataFrame to ``path``; the extension picks the format.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Bands in EPSG:4326, e.g. from :meth:`rangeviz.Scenario.bands` or
        :func:`rangeviz.bands`.
    path : path-like
        ``.geojson`` (or ``.json``), ``.gpkg``, ``.kml`` or ``.shp``.

    Returns
    -------
    pathlib.Path
        The path written.
    """
    import pyogrio
    import shapely

    driver = check_suffix(path, FORMATS, "set of bands")
    out = gdf.to_crs("EPSG:4326") if gdf.crs is not None else gdf.set_crs("EPSG:4326")
    # RFC 7946 winding: exterior counter-clockwise
    out = out.set_geometry(shapely.orient_polygons(out.geometry.values))
    target = Path(path)
    options: dict[str, object] = {}
    if driver == "GeoJSON":
        options = {"layer_options": {"RFC7946": "YES", "WRITE_NAME": "NO"}}
    elif driver == "ESRI Shapefile":
        # field names are cut to 10 characters in .dbf; keep them readable
        out = out.rename(columns={c: c[:10] for c in out.columns if c != "geometry"})
        return _write_shapefile(out, target)
    with atomic_path(target) as tmp:
        tmp.unlink()  # GPKG/KML drivers refuse to write over an existing file
        pyogrio.write_dataframe(out, tmp, driver=driver, layer=target.stem, **options)
    return target


def _write_shapefile(gdf: GeoDataFrame, target: Path) -> Path:
    """A shapefile is several files: write them in a scratch folder, then move each."""
    import pyogrio

    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"output directory {str(folder)!r} does not exist")
    taken = [target.with_suffix(p) for p in _SHAPEFILE_PARTS if target.with_suffix(p).is_dir()]
    if taken:
        raise OutputError(f"output path {str(taken[0])!r} is a directory; give a file name")
    try:
        scratch = Path(tempfile.mkdtemp(prefix=f".{target.stem}.", dir=folder))
    except OSError as exc:
        raise OutputError(f"cannot write to directory {str(folder)!r}: {exc.strerror}") from None
    try:
        pyogrio.write_dataframe(
            gdf, scratch / target.name, driver="ESRI Shapefile", layer_options={"ENCODING": "UTF-8"}
        )
        for part in _SHAPEFILE_PARTS:
            made = scratch / (target.stem + part)
            if made.exists():
                os.replace(made, target.with_suffix(part))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return target
