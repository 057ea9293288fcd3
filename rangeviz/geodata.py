"""The bundled Natural Earth layers: one loader, cached.

The data directory is, in order: the ``RANGEVIZ_DATA_DIR`` environment
variable; ``rangeviz/_geodata`` in an installed wheel (the repository's
``geodata/`` is mapped there at build time); the repository's ``geodata/``
next to the package in a source checkout. Files are GeoPackages, one per
scale (``ne_110m.gpkg``, ``ne_50m.gpkg``, ``ne_10m.gpkg``), one layer per
theme; ``geodata/build.py`` rebuilds them from the raw Natural Earth files.

Importing this module imports neither geopandas nor matplotlib.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import TYPE_CHECKING

from rangeviz.errors import DataError, UnknownNameError

if TYPE_CHECKING:
    import pandas as pd
    from geopandas import GeoDataFrame

__all__ = [
    "ENV_VAR",
    "LAYERS",
    "SCALES",
    "available",
    "coverage_bbox",
    "data_dir",
    "read_layer",
    "read_places",
]

ENV_VAR = "RANGEVIZ_DATA_DIR"
SCALES = ("110m", "50m", "10m")

#: theme -> the scales that have it
LAYERS: dict[str, tuple[str, ...]] = {
    "borders": ("50m", "10m"),
    "coastline": ("110m", "50m", "10m"),
    "countries": ("110m", "50m"),
    "lakes": ("110m", "50m", "10m"),
    "land": ("110m", "50m", "10m"),
    "ocean": ("50m",),
    "places": ("110m", "50m", "10m"),
}

#: lon_min, lat_min, lon_max, lat_max covered by each scale (1:10m is clipped)
_COVERAGE = {
    "110m": (-180.0, -90.0, 180.0, 90.0),
    "50m": (-180.0, -90.0, 180.0, 90.0),
    "10m": (-35.0, 20.0, 75.0, 85.0),
}


def data_dir() -> Path:
    """The folder holding the bundled layers.

    Raises
    ------
    DataError
        If ``RANGEVIZ_DATA_DIR`` names a missing folder, or no data is found.

    Examples
    --------
    >>> (data_dir() / "ne_50m.gpkg").exists()
    True
    """
    override = os.environ.get(ENV_VAR)
    if override:
        path = Path(override).expanduser()
        if not path.is_dir():
            raise DataError(f"{ENV_VAR}={override!r} is not a folder; unset it or fix the path")
        return path
    here = Path(__file__).resolve().parent
    tried = [here / "_geodata", here.parent / "geodata"]
    for path in tried:
        if (path / "ne_50m.gpkg").exists():
            return path
    raise DataError(
        "the bundled map data is missing (looked in "
        + ", ".join(str(p) for p in tried)
        + f"); reinstall rangeviz or set {ENV_VAR} to a folder holding ne_*.gpkg"
    )


def _check(name: str, scale: str) -> None:
    if name not in LAYERS:
        raise UnknownNameError(
            f"layer {name!r} is not known; choose one of: {', '.join(sorted(LAYERS))}"
        )
    if scale not in SCALES:
        raise UnknownNameError(f"scale {scale!r} is not known; choose one of: {', '.join(SCALES)}")
    if scale not in LAYERS[name]:
        raise UnknownNameError(
            f"layer {name!r} is not bundled at scale {scale!r}; it is at: "
            + ", ".join(LAYERS[name])
        )


def available(scale: str | None = None) -> list[str]:
    """The layer names bundled at ``scale`` (all names when None).

    >>> available("10m")
    ['borders', 'coastline', 'lakes', 'land', 'places']
    """
    if scale is None:
        return sorted(LAYERS)
    if scale not in SCALES:
        raise UnknownNameError(f"scale {scale!r} is not known; choose one of: {', '.join(SCALES)}")
    return sorted(n for n, scales in LAYERS.items() if scale in scales)


def coverage_bbox(scale: str) -> tuple[float, float, float, float]:
    """The lon/lat box a scale covers: the globe, except 1:10m (Europe and around).

    >>> coverage_bbox("10m")
    (-35.0, 20.0, 75.0, 85.0)
    """
    if scale not in _COVERAGE:
        raise UnknownNameError(f"scale {scale!r} is not known; choose one of: {', '.join(SCALES)}")
    return _COVERAGE[scale]


def read_layer(name: str, scale: str = "50m") -> GeoDataFrame:
    """One bundled layer as a GeoDataFrame in EPSG:4326 (cached: do not modify it).

    Parameters
    ----------
    name : str
        ``land``, ``ocean``, ``lakes``, ``coastline``, ``countries``,
        ``borders`` or ``places``.
    scale : str, default "50m"
        ``110m`` (world views), ``50m`` (Europe-wide) or ``10m`` (zoomed in;
        covers :func:`coverage_bbox` only).

    Examples
    --------
    >>> countries = read_layer("countries", "110m")
    >>> "Germany" in set(countries["name"])
    True
    """
    _check(name, scale)
    return _read(str(data_dir()), name, scale)


@functools.lru_cache(maxsize=32)
def _read(folder: str, name: str, scale: str) -> GeoDataFrame:
    import pyogrio

    path = Path(folder) / f"ne_{scale}.gpkg"
    if not path.exists():
        raise DataError(f"map data file {str(path)!r} is missing; see geodata/README.md")
    try:
        return pyogrio.read_dataframe(path, layer=name)
    except Exception as exc:  # pyogrio raises its own DataSourceError/DataLayerError
        raise DataError(f"cannot read layer {name!r} from {str(path)!r}: {exc}") from None


def read_places(scale: str = "10m") -> pd.DataFrame:
    """The populated places as a plain DataFrame (no geometry column), cached.

    Columns: name, nameascii, country, iso_a2, adm0cap (1 for a national
    capital), featurecla, pop_max, scalerank, rank_max, lon, lat.
    """
    _check("places", scale)
    return _read_places(str(data_dir()), scale)


@functools.lru_cache(maxsize=4)
def _read_places(folder: str, scale: str) -> pd.DataFrame:
    import pyogrio

    path = Path(folder) / f"ne_{scale}.gpkg"
    if not path.exists():
        raise DataError(f"map data file {str(path)!r} is missing; see geodata/README.md")
    return pyogrio.read_dataframe(path, layer="places", read_geometry=False)
