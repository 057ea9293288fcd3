"""Places and countries to report on: bundled capitals and cities, the user's own, countries.

- :func:`places_table`: the places a coverage report lists -- the national
  capitals, capitals plus million-cities, or places the user gives (a
  DataFrame, Sites, names or ``(lon, lat)`` pairs, a CSV or GeoJSON file);
- :func:`countries`: Natural Earth's admin-0 countries (below); groups of
  them to report on (NATO, the EU on a date) are in :mod:`rangeviz.groups`;
- :func:`countries`: Natural Earth's admin-0 countries with their geodesic
  areas and densely sampled outlines, for shares in a band and distances.
  A country is judged by its **main territory** (:func:`main_territory`):
  Natural Earth counts French Guiana and Réunion in France and the Caribbean
  islands in the Netherlands, which would make France "partly" in a band
  that covers all of metropolitan France; such outlying parts are counted
  apart.

Both come from the bundled layers (:mod:`rangeviz.geodata`) and are cached per
data folder.

ISO codes are never Natural Earth's ``-99``
(:func:`rangeviz.groups.iso_codes` states the convention).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import shapely

from rangeviz import _checks, geodata, names
from rangeviz.areas import geodesic_area_km2
from rangeviz.errors import InputError
from rangeviz.groups import country_code, iso_codes

__all__ = [
    "Countries",
    "OUTLYING_KM",
    "PLACE_COLUMNS",
    "PLACE_KINDS",
    "countries",
    "main_territory",
    "places_table",
    "territories",
]

#: Named sets of places.
PLACE_KINDS = ("capitals", "cities")
#: The columns of :func:`places_table`.
PLACE_COLUMNS = ("place", "country", "iso_a2", "lon", "lat", "capital")

# Populated places come from the most detailed layer: the 1:50m one misses
# million-cities such as Cologne, Rotterdam or Katowice.
_PLACES_SCALE = "10m"
_CITY_POP = 1_000_000
# Country outlines are sampled this densely (degrees) for min_km/max_km.
_SAMPLE_STEP_DEG = 0.1
_SCALES = ("110m", "50m")

#: Parts of a country farther than this (km) from its main territory are outlying.
OUTLYING_KM = 1000.0


def _column(frame: Any, *names: str) -> Any:
    for name in names:
        if name in frame.columns:
            return frame[name]
    return None


def _lonlat_columns(frame: Any, what: str) -> tuple[np.ndarray, np.ndarray]:
    lon, lat = _column(frame, "lon", "longitude"), _column(frame, "lat", "latitude")
    if lon is not None and lat is not None:
        return lon.to_numpy(dtype=float), lat.to_numpy(dtype=float)
    geoms = getattr(frame, "geometry", None)
    if geoms is not None and hasattr(geoms, "x"):
        return geoms.x.to_numpy(dtype=float), geoms.y.to_numpy(dtype=float)
    raise InputError(f"{what} needs 'lon' and 'lat' columns or point geometries")


@functools.lru_cache(maxsize=4)
def _builtin(folder: str, kind: str) -> pd.DataFrame:
    # capitals alone need only the rows marked as capitals, read as such
    layer = geodata.read_places(_PLACES_SCALE, capitals_only=kind == "capitals")
    caps = names.capitals(layer)
    rows = caps
    if kind == "cities":
        big = layer[(layer["pop_max"] >= _CITY_POP) & ~layer.index.isin(caps.index)].copy()
        countries = names.country_names()
        big["name"] = [
            names.place_name(str(n), str(c))
            for n, c in zip(big["name"], big["adm0_a3"], strict=True)
        ]
        big["country"] = [
            countries.get(str(c), str(n))
            for c, n in zip(big["adm0_a3"], big["country"], strict=True)
        ]
        rows = pd.concat([caps, big])
    iso = [
        iso_codes(str(code), str(a2), "")[0]
        for code, a2 in zip(rows["adm0_a3"], rows["iso_a2"], strict=True)
    ]
    frame = pd.DataFrame(
        {
            "place": rows["name"].astype(str).to_numpy(),
            "country": rows["country"].astype(str).to_numpy(),
            "iso_a2": np.array(iso, dtype=object),
            "lon": rows["lon"].to_numpy(dtype=float),
            "lat": rows["lat"].to_numpy(dtype=float),
            "capital": rows.index.isin(caps.index),
        }
    )
    return frame.drop_duplicates(["place", "lon", "lat"]).reset_index(drop=True)


def places_table(places: Any) -> tuple[pd.DataFrame, str]:
    """Places as a table, and the noun a report calls them by.

    Parameters
    ----------
    places : {"capitals", "cities"}, DataFrame or sequence
        ``"capitals"``: the ~200 national capitals (Natural Earth ``adm0cap``,
        1:10m populated places); ``"cities"``: those plus every city of a
        million people or more. Or a DataFrame with a ``place`` (or ``name``)
        column and ``lon``/``lat`` columns (or point geometries), optionally
        ``country`` and ``iso_a2``; or a sequence of Sites, place names,
        coordinate text or ``(lon, lat)`` pairs.

    Returns
    -------
    (pandas.DataFrame, str)
        Columns :data:`PLACE_COLUMNS`; ``"capitals"``, ``"cities"`` or ``"places"``.

    Raises
    ------
    InputError
        For an unknown kind or a malformed place.
    """
    from rangeviz.sites import SITE_FILE_SUFFIXES, read_sites, resolve_sites

    if isinstance(places, os.PathLike) or (
        isinstance(places, str) and places.strip().lower().endswith(SITE_FILE_SUFFIXES)
    ):
        return _site_places(read_sites(places)), "places"
    if isinstance(places, str):
        kind = _checks.choice(
            "places",
            places,
            PLACE_KINDS,
            " (or a CSV or GeoJSON file of places, a DataFrame or a list of places)",
        )
        return _builtin(str(geodata.data_dir()), kind).copy(), kind
    if isinstance(places, pd.DataFrame):
        return _frame_places(places), "places"
    if isinstance(places, (bytes, Mapping)) or not isinstance(places, Iterable):
        raise InputError(
            f"places {_checks.show(places)} is not known; choose one of: "
            f"{', '.join(PLACE_KINDS)} (or give a file, a DataFrame or a list of places)"
        )
    return _site_places(resolve_sites(list(places), "places", empty=True)), "places"


def _site_places(sites: Iterable[Any]) -> pd.DataFrame:
    """Sites as places, each with its country's ISO code where the country is known."""
    rows = [
        (s.name, s.country, country_code(s.country), s.lon, s.lat, s.kind == "capital")
        for s in sites
    ]
    return pd.DataFrame(rows, columns=list(PLACE_COLUMNS))


def _frame_places(places: pd.DataFrame) -> pd.DataFrame:
    names = _column(places, "place", "name")
    if names is None:
        raise InputError("places DataFrame needs a 'place' or 'name' column")
    lon, lat = _lonlat_columns(places, "places DataFrame")
    for i, (x, y) in enumerate(zip(lon, lat, strict=True)):
        _checks.lonlat(x, y, f"places row {i}")
    country = _column(places, "country", "adm0name")
    iso = _column(places, "iso_a2")
    capital = _column(places, "capital")
    return pd.DataFrame(
        {
            "place": names.astype(str).to_numpy(),
            "country": "" if country is None else country.fillna("").astype(str).to_numpy(),
            "iso_a2": "" if iso is None else iso.fillna("").astype(str).to_numpy(),
            "lon": lon,
            "lat": lat,
            "capital": False if capital is None else capital.astype(bool).to_numpy(),
        }
    )


def main_territory(geom: Any) -> tuple[Any, Any]:
    """A country's main territory and its outlying parts (``None`` if it has none).

    The main territory is the country's largest part and every part within
    :data:`OUTLYING_KM` of it, directly or through other such parts: Corsica
    and Sicily, Kaliningrad (about 360 km from the rest of Russia), Svalbard,
    Crete, Madeira, Alaska (some 800 km from Washington State), Borneo's
    Malaysia. Farther parts -- French Guiana, Réunion, the Caribbean
    Netherlands, the Canary Islands, Hawaii -- are outlying.

    Distances between parts are measured in an azimuthal equidistant
    projection centred on the largest part: exact from its centre, within a
    few per cent at the distances that decide.

    >>> import shapely
    >>> near = shapely.box(0, 40, 1, 41)  # a degree apart: about 110 km
    >>> far = shapely.box(20, 40, 21, 41)  # about 1,700 km
    >>> main, out = main_territory(shapely.MultiPolygon([shapely.box(0, 42, 5, 47), near, far]))
    >>> len(shapely.get_parts(main)), len(shapely.get_parts(out))
    (2, 1)
    """
    parts = shapely.get_parts(geom)
    if len(parts) <= 1:
        return geom, None
    from pyproj import Proj

    centres = shapely.get_coordinates(shapely.centroid(parts))
    size = shapely.area(parts) * np.cos(np.radians(centres[:, 1]))
    first = int(np.argmax(size))
    lon0, lat0 = centres[first]
    aeqd = Proj(proj="aeqd", lat_0=lat0, lon_0=lon0, ellps="WGS84")

    def project(geoms: Any) -> Any:
        return shapely.transform(geoms, lambda xy: np.column_stack(aeqd(xy[:, 0], xy[:, 1])))

    limit = OUTLYING_KM * 1000.0
    # outlines simplified to ~2 km: a 1,000 km rule needs no more
    largest = project(shapely.simplify(parts[first], 0.02))
    # most countries: a point inside every part lies near the largest part
    if (shapely.distance(largest, project(shapely.point_on_surface(parts))) <= limit).all():
        return geom, None
    coarse = shapely.simplify(parts, 0.02)
    coarse = np.where(shapely.is_empty(coarse), shapely.centroid(parts), coarse)
    projected = project(coarse)
    tree = shapely.STRtree(projected)
    main = {first}
    queue = [first]
    while queue:
        near = tree.query(projected[queue], predicate="dwithin", distance=limit)
        queue = [int(j) for j in np.unique(near[1]) if int(j) not in main]
        main.update(queue)
    inside = np.zeros(len(parts), dtype=bool)
    inside[list(main)] = True
    if inside.all():
        return geom, None
    return shapely.multipolygons(parts[inside]), shapely.multipolygons(parts[~inside])


def territories(scale: str = "50m") -> tuple[np.ndarray, np.ndarray]:
    """Every country's main territory and outlying parts (``None`` where it has none)."""
    scale = _checks.choice("scale", scale, (*_SCALES, "10m"))
    return _territories(str(geodata.data_dir()), scale)


@functools.lru_cache(maxsize=4)
def _territories(folder: str, scale: str) -> tuple[np.ndarray, np.ndarray]:
    layer = geodata.read_layer("countries", scale)
    geoms = np.asarray(layer.geometry.values, dtype=object)
    bad = ~shapely.is_valid(geoms)
    if bad.any():
        geoms[bad] = shapely.make_valid(geoms[bad])
    main = np.empty(len(geoms), dtype=object)
    outlying = np.empty(len(geoms), dtype=object)
    for i, geom in enumerate(geoms):
        main[i], outlying[i] = main_territory(geom)
    return main, outlying


@dataclass(frozen=True)
class Countries:
    """Country polygons with what coverage needs of them.

    Attributes
    ----------
    names, iso_a3 : numpy.ndarray of str
    geoms : numpy.ndarray of shapely (Multi)Polygons
        Each country's main territory (:func:`main_territory`); valid, lon/lat.
    area_km2 : numpy.ndarray
        Their geodesic areas.
    outlying : numpy.ndarray of shapely geometries or None
        The parts beyond :data:`OUTLYING_KM` of the main territory.
    outlying_km2 : numpy.ndarray
        Their geodesic areas (0 where there are none).
    sample_x, sample_y, sample_country : numpy.ndarray
        Points along every main territory's outline (every 0.1 degree) and
        their country index.
    tree : shapely.STRtree
        Over ``geoms``.
    """

    names: np.ndarray
    iso_a3: np.ndarray
    geoms: np.ndarray
    area_km2: np.ndarray
    outlying: np.ndarray
    outlying_km2: np.ndarray
    sample_x: np.ndarray
    sample_y: np.ndarray
    sample_country: np.ndarray
    tree: shapely.STRtree


def countries(scale: str = "50m") -> Countries:
    """The bundled countries at ``scale`` ("110m" or "50m"), cached per data folder."""
    scale = _checks.choice("scale", scale, _SCALES)
    return _countries(str(geodata.data_dir()), scale)


@functools.lru_cache(maxsize=4)
def _countries(folder: str, scale: str) -> Countries:
    layer = geodata.read_layer("countries", scale)
    geoms, outlying = territories(scale)
    country = names.country_names()
    labels = np.array(
        [country.get(str(c), str(n)) for c, n in zip(layer["adm0_a3"], layer["name"], strict=True)],
        dtype=object,
    )
    # Natural Earth gives France, Norway and Kosovo (among others) iso_a3 -99
    iso = np.array(
        [
            iso_codes(str(code), "", str(a3))[1]
            for code, a3 in zip(layer["adm0_a3"], layer["iso_a3"], strict=True)
        ],
        dtype=object,
    )
    areas = np.array([geodesic_area_km2(g) for g in geoms])
    outlying_km2 = np.array([0.0 if g is None else geodesic_area_km2(g) for g in outlying])
    dense = shapely.segmentize(geoms, _SAMPLE_STEP_DEG)
    xy, index = shapely.get_coordinates(dense, return_index=True)
    return Countries(
        names=labels,
        iso_a3=iso,
        geoms=geoms,
        area_km2=areas,
        outlying=outlying,
        outlying_km2=outlying_km2,
        sample_x=xy[:, 0],
        sample_y=xy[:, 1],
        sample_country=index,
        tree=shapely.STRtree(geoms),
    )
