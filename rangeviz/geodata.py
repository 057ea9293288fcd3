"""The bundled Natural Earth layers: one loader, cached.

The data directory is, in order: the ``RANGEVIZ_DATA_DIR`` environment
variable; ``rangeviz/_geodata`` in an installed wheel (the repository's
``geodata/`` is mapped there at build time); the repository's ``geodata/``
next to the package in a source checkout. Files are GeoPackages, one per
scale (``ne_110m.gpkg``, ``ne_50m.gpkg``, ``ne_10m.gpkg``), one layer per
theme; ``geodata/build.py`` rebuilds them from the raw Natural Earth files.

The 1:10m land, lakes, coastline and borders cover only
:func:`coverage_bbox` ``("10m")`` (Europe, the Middle East and North Africa);
map code falls back to 1:50m outside it. The 1:10m lakes are Natural Earth's
``lakes_europe`` supplement plus the 1:50m lakes in that box.

Loaded layers are cached per (data folder, layer, scale); every call returns
a fresh copy, so callers may modify what they get. Importing this module
imports neither geopandas nor matplotlib: they are imported on first read.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import TYPE_CHECKING

from rangeviz.errors import DataError, InputError, UnknownNameError

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
    "read_attributes",
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

    Looked for, in order: the folder named by the ``RANGEVIZ_DATA_DIR``
    environment variable (when set and not empty); ``_geodata`` inside the
    installed package (where the wheel puts the repository's ``geodata/``);
    ``geodata/`` beside the package in a source checkout.

    Returns
    -------
    pathlib.Path
        The data folder. With the environment variable it is returned as
        given (user-expanded), whether or not it holds every file.

    Raises
    ------
    DataError
        If ``RANGEVIZ_DATA_DIR`` names a missing folder, or neither packaged
        location holds the data (the message lists the paths tried).

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
    """The layer names bundled at ``scale``, sorted.

    Parameters
    ----------
    scale : {"110m", "50m", "10m"} or None, default None
        None lists every layer name, at any scale (see :data:`LAYERS` for
        which scales have which layer).

    Returns
    -------
    list of str

    Raises
    ------
    UnknownNameError
        If ``scale`` is not one of :data:`SCALES`.

    Examples
    --------
    >>> available()
    ['borders', 'coastline', 'countries', 'lakes', 'land', 'ocean', 'places']
    >>> available("10m")
    ['borders', 'coastline', 'lakes', 'land', 'places']
    """
    if scale is None:
        return sorted(LAYERS)
    if scale not in SCALES:
        raise UnknownNameError(f"scale {scale!r} is not known; choose one of: {', '.join(SCALES)}")
    return sorted(n for n, scales in LAYERS.items() if scale in scales)


def coverage_bbox(scale: str) -> tuple[float, float, float, float]:
    """The lon/lat box a scale's land, lakes, coastline and borders cover.

    Parameters
    ----------
    scale : {"110m", "50m", "10m"}

    Returns
    -------
    (lon_min, lat_min, lon_max, lat_max) : tuple of float
        Degrees. ``(-180, -90, 180, 90)`` for 1:110m and 1:50m; the clip box
        of the 1:10m data otherwise (its places are worldwide all the same).

    Raises
    ------
    UnknownNameError
        If ``scale`` is not one of :data:`SCALES`.

    Examples
    --------
    >>> coverage_bbox("50m")
    (-180.0, -90.0, 180.0, 90.0)
    >>> coverage_bbox("10m")
    (-35.0, 20.0, 75.0, 85.0)
    """
    if scale not in _COVERAGE:
        raise UnknownNameError(f"scale {scale!r} is not known; choose one of: {', '.join(SCALES)}")
    return _COVERAGE[scale]


def read_layer(name: str, scale: str = "50m") -> GeoDataFrame:
    """One bundled layer as a GeoDataFrame in EPSG:4326.

    Read once per data folder, layer and scale, then served from a cache; each
    call returns a copy (a fraction of a millisecond), so it may be modified.

    Parameters
    ----------
    name : str
        ``land``, ``ocean``, ``lakes``, ``coastline``, ``countries``,
        ``borders`` or ``places`` (see :data:`LAYERS` for their scales).
    scale : {"110m", "50m", "10m"}, default "50m"
        ``110m`` (world views), ``50m`` (Europe-wide) or ``10m`` (zoomed in;
        covers :func:`coverage_bbox` only, except places).

    Returns
    -------
    geopandas.GeoDataFrame
        Valid geometries in EPSG:4326 with a ``geometry`` column and

        - countries: ``name``, ``name_long``, ``iso_a2``, ``iso_a3``,
          ``adm0_a3``, ``continent``, ``pop_est`` (Natural Earth writes
          ``-99`` for a missing code: France and Norway have ``iso_a3`` -99,
          ``adm0_a3`` is always set), sorted by ``adm0_a3``;
        - places: ``name``, ``nameascii``, ``country``, ``iso_a2``,
          ``adm0cap`` (1 for a national capital, else 0), ``featurecla``,
          ``pop_max``, ``scalerank``, ``rank_max``, ``lon``, ``lat``
          (points), sorted by country and name;
        - every other layer: the geometry only, (Multi)Polygons for land,
          ocean and lakes, (Multi)LineStrings for coastline and borders.

    Raises
    ------
    UnknownNameError
        If ``name`` or ``scale`` is not known, or the layer is not bundled
        at that scale (the message lists the choices).
    DataError
        If the data folder or file is missing or cannot be read.

    Examples
    --------
    >>> countries = read_layer("countries", "110m")
    >>> "Germany" in set(countries["name"])
    True
    """
    _check(name, scale)
    return _read(str(data_dir()), name, scale).copy()


def read_places(scale: str = "10m", *, capitals_only: bool = False) -> pd.DataFrame:
    """The populated places as a plain DataFrame, without geometries.

    The gazetteer's fast path: no geometry is parsed. The first call reads
    the file (about 30 ms for the 7,343 places at 1:10m, plus the one-off
    import of pyogrio); later calls return a copy of a cached table.

    Parameters
    ----------
    scale : {"110m", "50m", "10m"}, default "10m"
        1:10m has 7,343 places, 1:50m 1,249, 1:110m 243; all are worldwide.
    capitals_only : bool, default False
        Only the rows Natural Earth marks as capitals (``adm0cap`` 1: the
        200 at 1:10m, some countries having two), filtered as the file is
        read (about 5 ms instead of 30); the index then runs 0..n-1.

    Returns
    -------
    pandas.DataFrame
        Columns ``name``, ``nameascii``, ``country``, ``iso_a2`` (``-99``
        when Natural Earth has none), ``adm0cap`` (int, 1 for a national
        capital), ``featurecla``, ``pop_max``, ``scalerank``, ``rank_max``,
        ``lon``, ``lat`` (degrees, from the point geometries), sorted by
        country and name: the columns and rows of ``read_layer("places",
        scale)`` less the geometry.

    Raises
    ------
    UnknownNameError
        If ``scale`` is not known.
    DataError
        If the data folder or file is missing or cannot be read.

    Examples
    --------
    >>> places = read_places()
    >>> places.loc[places["name"] == "Kaliningrad", ["lon", "lat"]].round(1).values.tolist()
    [[20.5, 54.7]]
    """
    _check("places", scale)
    if not isinstance(capitals_only, bool):
        raise InputError(f"capitals_only must be True or False, not {capitals_only!r}")
    return _read_places(str(data_dir()), scale, capitals_only).copy()


def read_attributes(name: str, scale: str = "50m") -> pd.DataFrame:
    """A bundled layer's attribute table, without its geometries.

    For the names and codes of countries, say, without parsing their
    outlines (3 ms instead of 13 for the 1:50m countries). The columns and
    rows are those of :func:`read_layer` less ``geometry``.

    Raises
    ------
    UnknownNameError
        If ``name`` or ``scale`` is not known, or the layer is not bundled
        at that scale.
    DataError
        If the data folder or file is missing or cannot be read.

    Examples
    --------
    >>> "geometry" in read_attributes("countries").columns
    False
    """
    _check(name, scale)
    return _read_table(str(data_dir()), name, scale).copy()


@functools.lru_cache(maxsize=32)
def _read(folder: str, name: str, scale: str) -> GeoDataFrame:
    return _read_file(folder, name, scale, read_geometry=True)


@functools.lru_cache(maxsize=16)
def _read_table(folder: str, name: str, scale: str) -> pd.DataFrame:
    return _read_file(folder, name, scale, read_geometry=False)


@functools.lru_cache(maxsize=8)
def _read_places(folder: str, scale: str, capitals_only: bool = False) -> pd.DataFrame:
    where = "adm0cap > 0" if capitals_only else None
    return _read_file(folder, "places", scale, read_geometry=False, where=where)


def _read_file(
    folder: str, name: str, scale: str, *, read_geometry: bool, where: str | None = None
) -> pd.DataFrame:
    import pyogrio

    path = Path(folder) / f"ne_{scale}.gpkg"
    if not path.exists():
        raise DataError(
            f"map data file {str(path)!r} is missing; see geodata/README.md"
            + (f" or unset {ENV_VAR}" if os.environ.get(ENV_VAR) else "")
        )
    try:
        return pyogrio.read_dataframe(path, layer=name, read_geometry=read_geometry, where=where)
    except Exception as exc:  # pyogrio raises its own DataSourceError/DataLayerError
        raise DataError(f"cannot read layer {name!r} from {str(path)!r}: {exc}") from None
