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

Two readers share the files. :func:`read_layer` goes through pyogrio (GDAL)
and gives GeoDataFrames. :func:`geometries` and :func:`columns` -- what a
map needs -- read the GeoPackage's tables with SQLite and the geometries'
WKB with shapely, as NumPy arrays: importing pyogrio imports geopandas and
pandas (0.2-0.5 s), more than the rest of a map costs. Tests hold the two
readers to the same rows, values and geometries.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rangeviz.errors import DataError, InputError, UnknownNameError

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    from geopandas import GeoDataFrame

__all__ = [
    "ENV_VAR",
    "LAYERS",
    "SCALES",
    "available",
    "columns",
    "coverage_bbox",
    "data_dir",
    "geometries",
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

    Built on :func:`columns` (SQLite, no geometry parsed): the first call
    reads the file (about 30 ms for the 7,343 places at 1:10m); later calls
    return a copy of a cached table.

    Parameters
    ----------
    scale : {"110m", "50m", "10m"}, default "10m"
        1:10m has 7,343 places, 1:50m 1,249, 1:110m 243; all are worldwide.
    capitals_only : bool, default False
        Only the rows Natural Earth marks as capitals (``adm0cap`` 1: the
        200 at 1:10m, some countries having two), filtered as the file is
        read; the index then runs 0..n-1.

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
    import pandas as pd

    return pd.DataFrame(columns("places", scale, capitals_only=capitals_only))


def read_attributes(name: str, scale: str = "50m") -> pd.DataFrame:
    """A bundled layer's attribute table, without its geometries.

    For the names and codes of countries, say, without parsing their
    outlines: :func:`columns` as a DataFrame. The columns and rows are those
    of :func:`read_layer` less ``geometry``.

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
    import pandas as pd

    table = columns(name, scale)
    rows = len(geometries(name, scale)) if not table else None
    return pd.DataFrame(table, index=None if rows is None else range(rows))


def geometries(name: str, scale: str = "50m") -> np.ndarray:
    """A bundled layer's geometries, without pandas or GDAL.

    The ``geometry`` column of :func:`read_layer`, row for row, as a
    read-only NumPy array of shapely geometries (shared between calls:
    shapely geometries cannot be changed in place).

    Raises
    ------
    UnknownNameError, DataError
        As :func:`read_layer`.

    Examples
    --------
    >>> land = geometries("land", "110m")
    >>> land.dtype, land.flags.writeable, land[0].geom_type
    (dtype('O'), False, 'Polygon')
    """
    _check(name, scale)
    return _gpkg_geometries(str(data_dir()), name, scale)


def columns(name: str, scale: str = "50m", *, capitals_only: bool = False) -> dict[str, Any]:
    """A bundled layer's attributes as NumPy arrays, without pandas or GDAL.

    The columns of :func:`read_layer` less ``geometry``, row for row: text as
    object arrays (``None`` where empty), whole numbers as int64, others as
    float64 (NaN where empty). ``capitals_only`` keeps the places Natural
    Earth marks as capitals (``adm0cap`` > 0), as :func:`read_places` does.
    Each call returns copies.

    Raises
    ------
    UnknownNameError, DataError
        As :func:`read_layer`.

    Examples
    --------
    >>> caps = columns("places", "10m", capitals_only=True)
    >>> int(caps["adm0cap"].min()), len(caps["name"]) > 190
    (1, True)
    """
    _check(name, scale)
    if not isinstance(capitals_only, bool):
        raise InputError(f"capitals_only must be True or False, not {capitals_only!r}")
    if capitals_only and name != "places":
        raise InputError(f"capitals_only applies to the places layer, not {name!r}")
    table = _gpkg_columns(str(data_dir()), name, scale, capitals_only)
    return {key: values.copy() for key, values in table.items()}


# GeoPackage geometry blobs (OGC 12-128r18, 2.1.3): "GP", version, flags, srs_id,
# then an envelope of 0, 32, 48, 48 or 64 bytes (flags bits 1-3), then ISO WKB
_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}


def _connect(folder: str, name: str, scale: str) -> tuple[Any, Path]:
    import sqlite3

    path = _path(folder, scale)
    try:
        # read-only and immutable: no journal, no lock, nothing written
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
        known = con.execute(
            "SELECT 1 FROM gpkg_contents WHERE table_name = ? AND data_type = 'features'",
            (name,),
        ).fetchone()
    except sqlite3.Error as exc:
        raise DataError(f"cannot read layer {name!r} from {str(path)!r}: {exc}") from None
    if known is None:
        con.close()
        raise DataError(f"cannot read layer {name!r} from {str(path)!r}: no such layer")
    return con, path


def _table_columns(con: Any, name: str) -> tuple[str, list[tuple[str, str]]]:
    """The geometry column and the (name, declared type) of every attribute column."""
    (geometry,) = con.execute(
        "SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?", (name,)
    ).fetchone()
    info = con.execute(f'PRAGMA table_info("{name}")').fetchall()
    fields = [(row[1], str(row[2]).upper()) for row in info if row[1] != geometry and not row[5]]
    return geometry, fields


@functools.lru_cache(maxsize=32)
def _gpkg_geometries(folder: str, name: str, scale: str) -> np.ndarray:
    import sqlite3

    import numpy as np
    import shapely

    con, path = _connect(folder, name, scale)
    try:
        geometry, _ = _table_columns(con, name)
        blobs = [row[0] for row in con.execute(f'SELECT "{geometry}" FROM "{name}" ORDER BY rowid')]
        wkb: list[bytes | None] = []
        for blob in blobs:
            if blob is None:
                wkb.append(None)
                continue
            if blob[:2] != b"GP" or (blob[3] >> 1) & 7 not in _ENVELOPE_BYTES:
                raise DataError(
                    f"cannot read layer {name!r} from {str(path)!r}: "
                    "a geometry is not a GeoPackage geometry"
                )
            wkb.append(bytes(blob[8 + _ENVELOPE_BYTES[(blob[3] >> 1) & 7] :]))
        out = shapely.from_wkb(np.array(wkb, dtype=object), on_invalid="raise")
    except sqlite3.Error as exc:
        raise DataError(f"cannot read layer {name!r} from {str(path)!r}: {exc}") from None
    except shapely.errors.GEOSException as exc:
        raise DataError(f"cannot read layer {name!r} from {str(path)!r}: {exc}") from None
    finally:
        con.close()
    out.flags.writeable = False
    return out


@functools.lru_cache(maxsize=32)
def _gpkg_columns(folder: str, name: str, scale: str, capitals_only: bool) -> dict[str, Any]:
    import sqlite3

    import numpy as np

    con, path = _connect(folder, name, scale)
    try:
        _, fields = _table_columns(con, name)
        if not fields:
            return {}
        listed = ", ".join(f'"{field}"' for field, _ in fields)
        where = " WHERE adm0cap > 0" if capitals_only else ""
        rows = con.execute(f'SELECT {listed} FROM "{name}"{where} ORDER BY rowid').fetchall()
    except sqlite3.Error as exc:
        raise DataError(f"cannot read layer {name!r} from {str(path)!r}: {exc}") from None
    finally:
        con.close()
    out: dict[str, Any] = {}
    cells = list(zip(*rows, strict=True)) if rows else [() for _ in fields]
    for (field, kind), values in zip(fields, cells, strict=True):
        whole = "INT" in kind or kind == "BOOLEAN"
        if whole and None not in values:
            out[field] = np.array(values, dtype=np.int64)
        elif whole or any(k in kind for k in ("REAL", "FLOAT", "DOUBLE")):
            out[field] = np.array([np.nan if v is None else v for v in values], dtype=float)
        else:
            out[field] = np.array(values, dtype=object)
    return out


def _path(folder: str, scale: str) -> Path:
    path = Path(folder) / f"ne_{scale}.gpkg"
    if not path.exists():
        raise DataError(
            f"map data file {str(path)!r} is missing; see geodata/README.md"
            + (f" or unset {ENV_VAR}" if os.environ.get(ENV_VAR) else "")
        )
    return path


@functools.lru_cache(maxsize=32)
def _read(folder: str, name: str, scale: str) -> GeoDataFrame:
    import pyogrio

    path = _path(folder, scale)
    try:
        return pyogrio.read_dataframe(path, layer=name)
    except Exception as exc:  # pyogrio raises its own DataSourceError/DataLayerError
        raise DataError(f"cannot read layer {name!r} from {str(path)!r}: {exc}") from None
