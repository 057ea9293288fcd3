"""What lies in a band: places, countries, areas and distances.

Everything here is decided by exact geodesic distances on WGS84 (Karney's
algorithm through :func:`rangeviz.geodesic.distance_km`), never by testing a
point against a drawn polygon:

* a place is ``"in band"`` if some site has ``inner_km <= d <= outer_km``,
  else ``"too close"`` if some site has ``d < inner_km`` (inside the
  minimum range, and in no site's band), else ``"out of range"`` (every site
  has ``d > outer_km``);
* a country's share in the band is the geodesic area of its intersection with
  the band polygon of :func:`rangeviz.geodesic.bands`, over its own geodesic
  area. Both are lon/lat polygons, so the intersection is exact up to the
  band's 0.1 km tolerance; areas are geodesic (pyproj's Karney polygon
  areas after densifying the edges in lon/lat, see :func:`geodesic_area_km2`).

Places and countries come from the bundled Natural Earth layers
(:func:`rangeviz.geodata.read_layer`): national capitals (``adm0cap``) and
cities of a million people or more from the 1:10m populated places, country
polygons at 1:50m by default.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import shapely
from pyproj import Geod

from rangeviz._checks import band_radii as _check_band
from rangeviz._checks import lonlat as _check_lonlat
from rangeviz._text import coord_label as _coord_name
from rangeviz.errors import InputError
from rangeviz.geodesic import bands as _bands
from rangeviz.geodesic import distance_km, sphere_km
from rangeviz.model import as_sites

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

__all__ = [
    "EARTH_AREA_KM2",
    "FORMATS",
    "STATUSES",
    "band_area_km2",
    "country_coverage",
    "coverage",
    "format_report",
    "geodesic_area_km2",
]

_GEOD = Geod(ellps="WGS84")


def _ellipsoid_area_m2(geod: Geod) -> float:
    # closed form for an oblate ellipsoid of revolution
    a, b, e = geod.a, geod.b, math.sqrt(geod.es)
    return 2.0 * math.pi * a * a + math.pi * b * b / e * math.log((1.0 + e) / (1.0 - e))


_EARTH_M2 = _ellipsoid_area_m2(_GEOD)


def _site_records(sites: Any) -> list[tuple[str, float, float]]:
    return [(s.name, s.lon, s.lat) for s in as_sites(sites)]


#: Surface area of the WGS84 ellipsoid (km²), about 510.07 million.
EARTH_AREA_KM2: float = _EARTH_M2 / 1e6

#: The place statuses, in the order reports list them.
STATUSES: tuple[str, ...] = ("in band", "too close", "out of range")

#: The report formats :func:`format_report` writes.
FORMATS: tuple[str, ...] = ("csv", "json", "markdown", "table")

_PLACE_KINDS = ("capitals", "cities")
# Populated places come from the most detailed layer: the 1:50m one misses
# million-cities such as Cologne, Rotterdam or Katowice.
_PLACES_SCALE = "10m"
_CITY_POP = 1_000_000
# Edges are densified to this many degrees before geodesic areas are taken,
# so that a geodesic edge follows the straight lon/lat edge within ~1.2 m.
_AREA_STEP_DEG = 0.1
# Country outlines are sampled this densely (degrees) for min_km/max_km.
_SAMPLE_STEP_DEG = 0.1
# Authalic radius squared (m²): a sphere of the ellipsoid's area.
_AUTHALIC_R2 = _EARTH_M2 / (4.0 * math.pi)


def _site_records(sites: Any) -> list[tuple[str, float, float]]:
    return [(s.name, s.lon, s.lat) for s in as_sites(sites)]


# --------------------------------------------------------------------------
# data


def _data_key() -> str:
    """The data folder: caches here are per folder, as geodata's are."""
    from rangeviz.geodata import data_dir

    return str(data_dir())


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


def _builtin_places(kind: str) -> pd.DataFrame:
    return _builtin_places_cached(_data_key(), kind)


@functools.lru_cache(maxsize=4)
def _builtin_places_cached(folder: str, kind: str) -> pd.DataFrame:
    from rangeviz.geodata import read_places

    layer = read_places(_PLACES_SCALE)
    lon, lat = _lonlat_columns(layer, "the places layer")
    capital = layer["adm0cap"].to_numpy(dtype=float) > 0
    keep = capital
    if kind == "cities":
        keep = capital | (layer["pop_max"].to_numpy(dtype=float) >= _CITY_POP)
    country = _column(layer, "country", "adm0name")
    iso = _column(layer, "iso_a2")
    frame = pd.DataFrame(
        {
            "place": layer["name"].astype(str).to_numpy()[keep],
            "country": ("" if country is None else country.astype(str).to_numpy()[keep]),
            "iso_a2": "" if iso is None else iso.astype(str).to_numpy()[keep],
            "lon": lon[keep],
            "lat": lat[keep],
            "capital": capital[keep],
        }
    )
    return frame.drop_duplicates(["place", "lon", "lat"]).reset_index(drop=True)


def _places_table(places: Any) -> tuple[pd.DataFrame, str]:
    """Places as (frame with place, country, iso_a2, lon, lat, capital; noun)."""
    if isinstance(places, str):
        kind = places.strip().lower()
        if kind not in _PLACE_KINDS:
            raise InputError(
                f"places {places!r} is not known; choose one of: {', '.join(_PLACE_KINDS)} "
                "(or give a DataFrame or a list of places)"
            )
        return _builtin_places(kind).copy(), kind
    if isinstance(places, pd.DataFrame):
        names = _column(places, "place", "name")
        if names is None:
            raise InputError("places DataFrame needs a 'place' or 'name' column")
        lon, lat = _lonlat_columns(places, "places DataFrame")
        for i, (x, y) in enumerate(zip(lon, lat, strict=True)):
            _check_lonlat(x, y, f"places row {i}")
        country = _column(places, "country", "adm0name")
        iso = _column(places, "iso_a2")
        capital = _column(places, "capital")
        frame = pd.DataFrame(
            {
                "place": names.astype(str).to_numpy(),
                "country": "" if country is None else country.fillna("").astype(str).to_numpy(),
                "iso_a2": "" if iso is None else iso.fillna("").astype(str).to_numpy(),
                "lon": lon,
                "lat": lat,
                "capital": False if capital is None else capital.astype(bool).to_numpy(),
            }
        )
        return frame, "places"
    if isinstance(places, (bytes, Mapping)) or not isinstance(places, Iterable):
        raise InputError(
            f"places {places!r} is not known; choose one of: {', '.join(_PLACE_KINDS)} "
            "(or give a DataFrame or a list of places)"
        )
    rows = []
    for i, item in enumerate(places):
        if hasattr(item, "lon") and hasattr(item, "lat"):
            lon, lat = _check_lonlat(item.lon, item.lat, f"place {i}")
            name = str(getattr(item, "name", "") or _coord_name(lon, lat))
            country = str(getattr(item, "country", "") or "")
        elif isinstance(item, Sequence) and not isinstance(item, str) and len(item) == 2:
            lon, lat = _check_lonlat(item[0], item[1], f"place {i}")
            name, country = _coord_name(lon, lat), ""
        else:
            raise InputError(f"place {i} {item!r} is not a (lon, lat) pair or a Site-like object")
        rows.append((name, country, "", lon, lat, False))
    columns = ["place", "country", "iso_a2", "lon", "lat", "capital"]
    return pd.DataFrame(rows, columns=columns), "places"


@dataclass(frozen=True)
class _Countries:
    names: np.ndarray
    iso_a3: np.ndarray
    geoms: np.ndarray  # valid shapely (Multi)Polygons, lon/lat
    area_km2: np.ndarray
    sample_x: np.ndarray  # points along every outline, densified
    sample_y: np.ndarray
    sample_country: np.ndarray  # index into names for each sample point
    tree: shapely.STRtree


def _countries(scale: str) -> _Countries:
    return _countries_cached(_data_key(), scale)


@functools.lru_cache(maxsize=4)
def _countries_cached(folder: str, scale: str) -> _Countries:
    from rangeviz.geodata import read_layer

    layer = read_layer("countries", scale)
    geoms = np.asarray(layer.geometry.values, dtype=object)
    bad = ~shapely.is_valid(geoms)
    if bad.any():
        geoms[bad] = shapely.make_valid(geoms[bad])
    names = layer["name"].astype(str).to_numpy()
    iso = _column(layer, "iso_a3")
    iso = (
        np.array(["-99"] * len(names), dtype=object) if iso is None else iso.astype(str).to_numpy()
    )
    # Natural Earth gives France and Norway (among others) iso_a3 -99
    adm0 = _column(layer, "adm0_a3")
    if adm0 is not None:
        iso = np.where(iso == "-99", adm0.astype(str).to_numpy(), iso)
    areas = np.array([geodesic_area_km2(g) for g in geoms])
    dense = shapely.segmentize(geoms, _SAMPLE_STEP_DEG)
    xy, index = shapely.get_coordinates(dense, return_index=True)
    return _Countries(
        names=names,
        iso_a3=iso,
        geoms=geoms,
        area_km2=areas,
        sample_x=xy[:, 0],
        sample_y=xy[:, 1],
        sample_country=index,
        tree=shapely.STRtree(geoms),
    )


# --------------------------------------------------------------------------
# areas


def geodesic_area_km2(geom: BaseGeometry) -> float:
    """Area on the WGS84 ellipsoid (km²) of a lon/lat polygon.

    The polygon's edges are taken as straight lines in longitude/latitude --
    how shapely intersects them and how :func:`rangeviz.geodesic.band` builds
    them -- not as geodesics: every edge is first cut into pieces of at most
    0.1 degree (where a geodesic and the lon/lat line part by at most
    ~1.2 m), then each ring's area is computed by
    :meth:`pyproj.Geod.polygon_area_perimeter`, as
    :meth:`pyproj.Geod.geometry_area_perimeter` does, but with the signs
    sorted out: rings are oriented first (exteriors counter-clockwise, holes
    clockwise), and a ring holding more than half the Earth, whose signed
    area pyproj reports modulo the Earth's area (the whole globe comes back
    as 0), gets the right multiple of that area back. Edges along a pole line
    and along the antimeridian need no special care.

    Parameters
    ----------
    geom : shapely.Polygon, MultiPolygon or GeometryCollection
        EPSG:4326 degrees, longitude first; other parts (lines, points) of a
        collection count for nothing.

    Returns
    -------
    float
        Square kilometres, >= 0.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> round(geodesic_area_km2(box(-180, 0, 180, 90)) / 1e6, 3)  # a hemisphere
    255.033
    >>> round(geodesic_area_km2(box(-180, -90, 180, 90)) / 1e6, 3)  # the Earth
    510.066
    >>> round(geodesic_area_km2(box(0, 0, 1, 1)), 1)  # one degree square at the equator
    12308.5
    """
    if geom is None or geom.is_empty:
        return 0.0
    kind = geom.geom_type
    if kind == "GeometryCollection":
        return sum(geodesic_area_km2(g) for g in geom.geoms)
    if kind not in ("Polygon", "MultiPolygon"):
        if kind in ("Point", "MultiPoint", "LineString", "MultiLineString", "LinearRing"):
            return 0.0
        raise InputError(f"geom of type {kind!r} has no area; give a Polygon or MultiPolygon")
    geom = shapely.orient_polygons(shapely.segmentize(geom, _AREA_STEP_DEG))
    total = 0.0
    for poly in getattr(geom, "geoms", [geom]):
        for ring in (poly.exterior, *poly.interiors):
            total += _ring_area_m2(np.asarray(ring.coords))
    return max(total, 0.0) / 1e6


def _ring_area_m2(xy: np.ndarray) -> float:
    """Signed area of a closed ring (counter-clockwise in lon/lat is positive).

    pyproj's area is signed and reduced to (-A/2, A/2] for an Earth of area A:
    a counter-clockwise ring holding more than half the Earth comes back
    negative, and one holding it all comes back as 0. Which multiple of A to
    add is decided by the ring's area on the authalic sphere (the shoelace
    formula in (longitude, sin latitude)), which is within a fraction of a
    per cent of the truth.
    """
    lon, lat = xy[:, 0], xy[:, 1]
    raw, _ = _GEOD.polygon_area_perimeter(lon, lat)
    x, y = np.radians(lon), np.sin(np.radians(lat))
    estimate = 0.5 * float(np.sum(x[:-1] * y[1:] - x[1:] * y[:-1])) * _AUTHALIC_R2
    turns = round((estimate - raw) / _EARTH_M2)
    return raw + turns * _EARTH_M2


# --------------------------------------------------------------------------
# distances


def _nearest(
    lon: np.ndarray, lat: np.ndarray, slon: np.ndarray, slat: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Exact distance (km) from each point to its nearest site, and that site's index.

    With many sites, distances on a sphere (within 0.6 % of the ellipsoid's)
    rule out the sites that cannot be nearest; only the rest get Geod.inv.
    """
    n = len(lon)
    if len(slon) == 1 or n == 0:
        d = np.atleast_1d(distance_km(lon, lat, slon[0], slat[0])) if n else np.zeros(0)
        return d, np.zeros(n, dtype=int)
    out_d = np.empty(n)
    out_i = np.empty(n, dtype=int)
    step = max(1, 2_000_000 // len(slon))
    for start in range(0, n, step):
        x, y = lon[start : start + step], lat[start : start + step]
        s = sphere_km(x[:, None], y[:, None], slon[None, :], slat[None, :])
        bound = (s * 1.006 + 1.0).min(axis=1)
        rows, cols = np.nonzero(s * 0.994 - 1.0 <= bound[:, None])
        d = np.atleast_1d(distance_km(x[rows], y[rows], slon[cols], slat[cols]))
        order = np.lexsort((d, rows))
        first = order[np.concatenate(([True], np.diff(rows[order]) != 0))]
        out_d[start + rows[first]] = d[first]
        out_i[start + rows[first]] = cols[first]
    return out_d, out_i


# --------------------------------------------------------------------------
# bands


@dataclass(frozen=True)
class _Spec:
    label: str
    inner_km: float
    outer_km: float
    system: str = ""
    sources: tuple[str, ...] = ()


def _km_text(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _radii_text(inner: float, outer: float) -> str:
    return f"{_km_text(inner)}–{_km_text(outer)} km"


def _band_specs(bands: Any, inner_km: Any, outer_km: Any) -> list[_Spec]:
    if bands is None:
        inner, outer = _check_band(inner_km, outer_km)
        return [_Spec(_radii_text(inner, outer), inner, outer)]
    if isinstance(bands, (str, bytes)) or hasattr(bands, "inner_km"):
        bands = [bands]
    if not isinstance(bands, Iterable):
        raise InputError(f"bands {bands!r} is not a list of Band objects or (inner_km, outer_km)")
    specs = []
    for i, item in enumerate(bands):
        try:
            if hasattr(item, "inner_km") and hasattr(item, "outer_km"):
                inner, outer = _check_band(item.inner_km, item.outer_km)
                label = str(getattr(item, "label", "") or _radii_text(inner, outer))
                system = str(getattr(item, "system", "") or "")
                sources = tuple(str(s) for s in getattr(item, "sources", ()) or ())
                specs.append(_Spec(label, inner, outer, system, sources))
            elif isinstance(item, Sequence) and not isinstance(item, str) and len(item) == 2:
                inner, outer = _check_band(*item)
                specs.append(_Spec(_radii_text(inner, outer), inner, outer))
            else:
                raise InputError(
                    f"{item!r} is not a band; give a Band object or (inner_km, outer_km)"
                )
        except InputError as exc:
            raise InputError(f"bands[{i}]: {exc}") from None
    if not specs:
        raise InputError("bands is empty: give at least one band, or leave it None")
    return specs


def _band_geometry(records: list[tuple[str, float, float]], inner: float, outer: float) -> Any:
    gdf = _bands([(r[1], r[2]) for r in records], inner_km=inner, outer_km=outer, dissolve=True)
    return gdf.geometry.iloc[0]


# --------------------------------------------------------------------------
# places


_PLACE_COLUMNS = [
    "place",
    "country",
    "iso_a2",
    "lon",
    "lat",
    "capital",
    "status",
    "status_site",
    "status_km",
    "nearest_site",
    "distance_km",
    "band",
    "inner_km",
    "outer_km",
]


def _places_coverage(
    records: list[tuple[str, float, float]], specs: list[_Spec], table: pd.DataFrame
) -> pd.DataFrame:
    names = np.array([r[0] for r in records], dtype=object)
    slon = np.array([r[1] for r in records])
    slat = np.array([r[2] for r in records])
    n = len(table)
    if n == 0:
        return pd.DataFrame({c: [] for c in _PLACE_COLUMNS})
    plon, plat = table["lon"].to_numpy(dtype=float), table["lat"].to_numpy(dtype=float)
    d = np.asarray(distance_km(plon[:, None], plat[:, None], slon[None, :], slat[None, :]))
    d = d.reshape(n, len(slon))
    rows = np.arange(n)
    nearest = np.argmin(d, axis=1)
    d_near = d[rows, nearest]
    frames = []
    for spec in specs:
        inside = (d >= spec.inner_km) & (d <= spec.outer_km)
        any_in = inside.any(axis=1)
        # the site that decides the status: the nearest one that has the place
        # in band, else the nearest of all
        via = np.where(any_in, np.argmin(np.where(inside, d, np.inf), axis=1), nearest)
        status = np.where(
            any_in, STATUSES[0], np.where(d_near < spec.inner_km, STATUSES[1], STATUSES[2])
        )
        frame = table.copy()
        frame["status"] = status
        frame["status_site"] = names[via]
        frame["status_km"] = d[rows, via]
        frame["nearest_site"] = names[nearest]
        frame["distance_km"] = d_near
        frame["band"] = spec.label
        frame["inner_km"] = spec.inner_km
        frame["outer_km"] = spec.outer_km
        frame["_band"] = len(frames)
        frames.append(frame)
    out = pd.concat(frames, ignore_index=True)
    out["_rank"] = out["status"].map({s: i for i, s in enumerate(STATUSES)})
    out = out.sort_values(["_band", "_rank", "status_km", "place"], kind="stable")
    return out[_PLACE_COLUMNS].reset_index(drop=True)


def coverage(
    sites: Any,
    *,
    inner_km: float = 500.0,
    outer_km: float = 5500.0,
    bands: Any = None,
    places: Any = "capitals",
) -> pd.DataFrame:
    """Which places lie in the band, which too close, which out of range.

    Each place's status comes from its exact geodesic distance to every site
    (:func:`rangeviz.geodesic.distance_km`), not from a point-in-polygon test:
    ``"in band"`` if some site has ``inner_km <= d <= outer_km``, else
    ``"too close"`` if some site has ``d < inner_km``, else ``"out of range"``.

    Parameters
    ----------
    sites : iterable of (lon, lat) or Site, or GeoDataFrame of points
        Launch sites, as for :func:`rangeviz.geodesic.bands`.
    inner_km, outer_km : float, default 500, 5500
        The band's radii (km); ignored when ``bands`` is given.
    bands : list of Band or (inner_km, outer_km), optional
        Several bands at once (e.g. :attr:`rangeviz.scenario.Scenario.ranges`):
        objects with ``inner_km``, ``outer_km`` and optionally ``label``.
    places : {"capitals", "cities"}, DataFrame or list, default "capitals"
        ``"capitals"``: the ~200 national capitals (Natural Earth ``adm0cap``,
        1:10m populated places); ``"cities"``: those plus every city with a
        population (``pop_max``) of a million or more. Or a DataFrame with a
        ``place`` (or ``name``) column and ``lon``/``lat`` columns (or point
        geometries), optionally ``country`` and ``iso_a2``; or a list of
        ``(lon, lat)`` pairs or objects with ``name``, ``lon``, ``lat``.

    Returns
    -------
    pandas.DataFrame
        Long format: one row per place and band, sorted by band (in the
        order given), status (in band, too close, out of range), then
        ``status_km``. Columns:

        - ``place``, ``country``, ``iso_a2``, ``lon``, ``lat``, ``capital``
        - ``status``: one of :data:`STATUSES`
        - ``status_site``, ``status_km``: the site that decides the status and
          the distance to it -- the nearest site that has the place in band,
          else the nearest site
        - ``nearest_site``, ``distance_km``: the nearest site and the exact
          geodesic distance to it (km)
        - ``band``, ``inner_km``, ``outer_km``: the band's label and radii

        Pivot ``status`` on ``band`` for one column per band.

    Examples
    --------
    >>> df = coverage([(20.51, 54.71)])  # Kaliningrad, the INF band
    >>> df.set_index("place").loc[["Berlin", "Warsaw", "Ottawa"], "status"].tolist()
    ['in band', 'too close', 'out of range']
    >>> print(round(df.set_index("place").loc["Lisbon", "distance_km"], 1))
    2844.5
    >>> two = coverage([(20.51, 54.71)], bands=[(0, 300), (500, 5500)], places=[(13.40, 52.52)])
    >>> two[["band", "status"]].values.tolist()
    [['0–300 km', 'out of range'], ['500–5,500 km', 'in band']]
    """
    records = _site_records(sites)
    specs = _band_specs(bands, inner_km, outer_km)
    table, _ = _places_table(places)
    return _places_coverage(records, specs, table)


# --------------------------------------------------------------------------
# countries


_COUNTRY_STATUSES = ("fully in band", "partly in band", "not in band")


@dataclass(frozen=True)
class _Reach:
    """Distance from each country to the nearest site (independent of the band)."""

    min_km: np.ndarray
    max_km: np.ndarray
    nearest_site: np.ndarray


def _country_reach(records: list[tuple[str, float, float]], data: _Countries) -> _Reach:
    names = np.array([r[0] for r in records], dtype=object)
    slon = np.array([r[1] for r in records])
    slat = np.array([r[2] for r in records])
    count = len(data.names)
    d, site = _nearest(data.sample_x, data.sample_y, slon, slat)
    idx = data.sample_country
    min_km = np.full(count, np.inf)
    max_km = np.full(count, -np.inf)
    np.minimum.at(min_km, idx, d)
    np.maximum.at(max_km, idx, d)
    order = np.lexsort((d, idx))
    first = order[np.concatenate(([True], np.diff(idx[order]) != 0))]
    nearest = np.full(count, "", dtype=object)
    nearest[idx[first]] = names[site[first]]
    # A site inside a country is 0 km from it; an antipode inside a country
    # can be its farthest point, and lies inside, not on the outline.
    points = shapely.points(slon, slat)
    pos, hit = data.tree.query(points, predicate="intersects")
    for p, c in zip(pos, hit, strict=True):
        min_km[c] = 0.0
        nearest[c] = names[p]
    alon = (slon + 360.0) % 360.0 - 180.0
    apos, ahit = data.tree.query(shapely.points(alon, -slat), predicate="intersects")
    if len(apos):
        da, _ = _nearest(alon[apos], -slat[apos], slon, slat)
        np.maximum.at(max_km, ahit, da)
    return _Reach(min_km=min_km, max_km=max_km, nearest_site=nearest)


def _country_frame(data: _Countries, band_geom: Any, reach: _Reach) -> pd.DataFrame:
    count = len(data.names)
    in_band = np.zeros(count)
    status = np.full(count, _COUNTRY_STATUSES[2], dtype=object)
    if not band_geom.is_empty:
        shapely.prepare(band_geom)
        for i in data.tree.query(band_geom, predicate="intersects"):
            geom = data.geoms[i]
            if band_geom.covers(geom):
                in_band[i] = data.area_km2[i]
                status[i] = _COUNTRY_STATUSES[0]
            else:
                in_band[i] = geodesic_area_km2(shapely.intersection(geom, band_geom))
                if in_band[i] > 0:
                    status[i] = _COUNTRY_STATUSES[1]
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(data.area_km2 > 0, in_band / data.area_km2, 0.0)
    frame = pd.DataFrame(
        {
            "country": data.names,
            "iso_a3": data.iso_a3,
            "area_km2": data.area_km2,
            "area_in_band_km2": in_band,
            "share_in_band": np.clip(share, 0.0, 1.0),
            "status": status,
            "min_km": reach.min_km,
            "max_km": reach.max_km,
            "nearest_site": reach.nearest_site,
        }
    )
    frame = frame.sort_values(
        ["share_in_band", "min_km", "country"], ascending=[False, True, True], kind="stable"
    )
    return frame.reset_index(drop=True)


def country_coverage(
    sites: Any,
    *,
    inner_km: float = 500.0,
    outer_km: float = 5500.0,
    scale: str = "50m",
) -> pd.DataFrame:
    """How much of each country lies in the band, and how near it comes.

    Parameters
    ----------
    sites : iterable of (lon, lat) or Site, or GeoDataFrame of points
        Launch sites; with several, the band is their union.
    inner_km, outer_km : float, default 500, 5500
        The band's radii (km).
    scale : {"110m", "50m"}, default "50m"
        Natural Earth scale of the country polygons.

    Returns
    -------
    pandas.DataFrame
        One row per Natural Earth admin-0 country (overseas parts included,
        e.g. French Guiana in France), sorted by ``share_in_band`` (largest
        first), then ``min_km``. Columns:

        - ``country``, ``iso_a3`` (Natural Earth's ``adm0_a3`` where
          ``iso_a3`` is -99, as for France and Norway)
        - ``area_km2``: geodesic area of the country polygon on WGS84
        - ``area_in_band_km2``: geodesic area of its intersection with the band
        - ``share_in_band``: their ratio, 0 to 1
        - ``status``: ``"fully in band"`` (the band polygon covers the
          country; up to the band's 0.1 km tolerance), ``"partly in band"``
          or ``"not in band"``
        - ``min_km``, ``max_km``: the least and greatest distance from a
          point of the country to its nearest site: ``min_km`` is 0 if a site
          lies inside. Taken over the outline sampled every 0.1 degree (so
          within ~0.1 km once a site is 300 km away, ~6 km at worst) plus
          the sites' antipodes inside the country; with three or more sites
          an interior point equidistant from several could lie farther than
          ``max_km``. The 1:50m outlines are themselves generalised by a
          few km.
        - ``nearest_site``: the site at ``min_km``

    Examples
    --------
    >>> df = country_coverage([(20.51, 54.71)]).set_index("iso_a3")
    >>> print(df.loc["CZE", "status"], df.loc["CZE", "share_in_band"])
    fully in band 1.0
    >>> print(df.loc["DEU", "status"], round(df.loc["DEU", "share_in_band"], 3))  # Rügen: < 500 km
    partly in band 0.957
    >>> print(df.loc["RUS", "min_km"], df.loc["NZL", "status"])  # Kaliningrad is in Russia
    0.0 not in band
    """
    records = _site_records(sites)
    inner, outer = _check_band(inner_km, outer_km)
    data = _countries(_check_scale(scale))
    geom = _band_geometry(records, inner, outer)
    return _country_frame(data, geom, _country_reach(records, data))


def _check_scale(scale: Any) -> str:
    allowed = ("110m", "50m")
    if scale not in allowed:
        raise InputError(f"scale {scale!r} is not available; choose one of: {', '.join(allowed)}")
    return scale


def band_area_km2(sites: Any, *, inner_km: float = 500.0, outer_km: float = 5500.0) -> float:
    """Geodesic area (km²) of the band around the sites, overlaps counted once.

    Parameters
    ----------
    sites : iterable of (lon, lat) or Site, or GeoDataFrame of points
        Launch sites.
    inner_km, outer_km : float, default 500, 5500
        The band's radii (km).

    Returns
    -------
    float
        The area of the union of the sites' bands on WGS84, within the
        band's 0.1 km edge tolerance times its perimeter.

    Examples
    --------
    >>> round(band_area_km2([(20.51, 54.71)]) / 1e6, 2)  # Kaliningrad, million km²
    88.51
    >>> one = band_area_km2([(20.51, 54.71)], inner_km=0, outer_km=1000)
    >>> two = band_area_km2([(20.51, 54.71), (20.51, 54.71)], inner_km=0, outer_km=1000)
    >>> abs(one - two) < 1
    True
    """
    records = _site_records(sites)
    inner, outer = _check_band(inner_km, outer_km)
    return geodesic_area_km2(_band_geometry(records, inner, outer))


# --------------------------------------------------------------------------
# reports


@dataclass
class _Section:
    spec: _Spec
    places: pd.DataFrame
    countries: pd.DataFrame | None
    area_km2: float

    def counts(self) -> dict[str, int]:
        values = self.places["status"].value_counts()
        return {s: int(values.get(s, 0)) for s in STATUSES}


def _noun(kind: str, n: int) -> str:
    singular = {"capitals": "capital", "cities": "city", "places": "place"}[kind]
    return singular if n == 1 else kind


def _headline(counts: Mapping[str, int], kind: str) -> str:
    parts = [f"{s.capitalize()}: {n} {_noun(kind, n)}" for s, n in counts.items()]
    return ", ".join(parts)


def format_report(
    scenario_or_sites: Any,
    *,
    fmt: str = "table",
    places: Any = "capitals",
    inner_km: float = 500.0,
    outer_km: float = 5500.0,
    bands: Any = None,
    countries: bool = True,
    scale: str = "50m",
) -> str:
    """The coverage report as text: a table for people, CSV, Markdown or JSON.

    Parameters
    ----------
    scenario_or_sites : Scenario or sites
        A :class:`~rangeviz.scenario.Scenario` (its ``sites`` and ``ranges``;
        targets are not launch sites and are left out), or launch sites as
        for :func:`coverage`.
    fmt : {"table", "csv", "markdown", "json"}, default "table"
        ``"table"``: fixed-width text -- per band a headline with the counts,
        the places by status, the countries with any area in the band and the
        total band area. ``"csv"``: the places rows of :func:`coverage`.
        ``"markdown"``: the table's content as Markdown. ``"json"``: an
        object with ``sites``, ``bands`` (each with ``area_km2`` and
        ``counts``), ``places``, ``countries`` (every country, per band) and
        ``band_area_km2`` (a list, one area per band in the order of
        ``bands``); numbers are numbers, missing values null.
    places : {"capitals", "cities"}, DataFrame or list, default "capitals"
        As for :func:`coverage`.
    inner_km, outer_km : float, default 500, 5500
        The band when neither ``bands`` nor a scenario gives one.
    bands : list of Band or (inner_km, outer_km), optional
        Bands to report; overrides a scenario's ``ranges``.
    countries : bool, default True
        Include the per-country analysis (the slowest part: ~0.2 s per band
        for one site once the layers are loaded).
    scale : {"110m", "50m"}, default "50m"
        Natural Earth scale of the country polygons.

    Returns
    -------
    str
        The report, ending with a newline.

    Raises
    ------
    InputError
        For an unknown ``fmt`` (the message lists the choices) or bad sites,
        bands or places.

    Examples
    --------
    >>> text = format_report([(20.51, 54.71)], places=[(13.40, 52.52)], countries=False)
    >>> "In band: 1 place, Too close: 0 places, Out of range: 0 places" in text
    True
    >>> rows = format_report([(20.51, 54.71)], fmt="csv", places=[(21.01, 52.23)]).splitlines()
    >>> rows[0].split(",")[6:11]
    ['status', 'status_site', 'status_km', 'nearest_site', 'distance_km']
    >>> rows[1].split(",")[6:11]
    ['too close', '54.71°N 20.51°E', '278.0', '54.71°N 20.51°E', '278.0']
    """
    kind = fmt.strip().lower() if isinstance(fmt, str) else fmt
    if kind not in FORMATS:
        raise InputError(f"fmt {fmt!r} is not a report format; choose one of: {', '.join(FORMATS)}")
    sites = scenario_or_sites
    if hasattr(scenario_or_sites, "sites") and hasattr(scenario_or_sites, "ranges"):
        sites = list(scenario_or_sites.sites)
        if not sites:
            raise InputError(
                "the scenario has no launch sites (only targets); a coverage report needs sites"
            )
        if bands is None:
            bands = list(scenario_or_sites.ranges) or None
    records = _site_records(sites)
    specs = _band_specs(bands, inner_km, outer_km)
    table, noun = _places_table(places)
    per_band = [_places_coverage(records, [spec], table) for spec in specs]
    if kind == "csv":
        return _to_csv(pd.concat(per_band, ignore_index=True))
    sections = []
    data = reach = None
    if countries:
        data = _countries(_check_scale(scale))
        reach = _country_reach(records, data)
    for spec, rows in zip(specs, per_band, strict=True):
        geom = _band_geometry(records, spec.inner_km, spec.outer_km)
        frame = None if data is None or reach is None else _country_frame(data, geom, reach)
        sections.append(_Section(spec, rows, frame, geodesic_area_km2(geom)))
    if kind == "json":
        return _to_json(records, sections)
    if kind == "markdown":
        return _to_markdown(records, sections, noun)
    return _to_table(records, sections, noun)


def _site_text(records: list[tuple[str, float, float]]) -> str:
    parts = []
    for name, lon, lat in records:
        where = _coord_name(lon, lat)
        parts.append(where if name == where else f"{name} ({where})")
    if len(parts) > 8:
        parts = [*parts[:8], f"and {len(parts) - 8} more"]
    return "; ".join(parts)


def _to_csv(frame: pd.DataFrame) -> str:
    out = frame.copy()
    for col, digits in (("lon", 6), ("lat", 6), ("status_km", 3), ("distance_km", 3)):
        out[col] = out[col].round(digits)
    buffer = io.StringIO()
    out.to_csv(buffer, index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    return buffer.getvalue()


def _json_value(value: Any, digits: int | None = None) -> Any:
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, (np.integer, int)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        number = float(value)
        if not math.isfinite(number):
            return None
        return round(number, digits) if digits is not None else number
    return value


_DIGITS = {
    "lon": 6,
    "lat": 6,
    "status_km": 3,
    "distance_km": 3,
    "area_km2": 1,
    "area_in_band_km2": 1,
    "share_in_band": 6,
    "min_km": 3,
    "max_km": 3,
}


def _records(frame: pd.DataFrame, band: str) -> list[dict[str, Any]]:
    rows = []
    for row in frame.to_dict(orient="records"):
        item = {"band": band}
        item.update({k: _json_value(v, _DIGITS.get(k)) for k, v in row.items()})
        rows.append(item)
    return rows


def _to_json(records: list[tuple[str, float, float]], sections: list[_Section]) -> str:
    places = []
    countries = []
    bands = []
    for sec in sections:
        rows = sec.places.drop(columns=["band", "inner_km", "outer_km"])
        places.extend(_records(rows, sec.spec.label))
        if sec.countries is not None:
            countries.extend(_records(sec.countries, sec.spec.label))
        bands.append(
            {
                "label": sec.spec.label,
                "inner_km": sec.spec.inner_km,
                "outer_km": sec.spec.outer_km,
                "system": sec.spec.system,
                "sources": list(sec.spec.sources),
                "area_km2": round(sec.area_km2, 1),
                "counts": sec.counts(),
            }
        )
    doc = {
        "sites": [{"name": n, "lon": round(x, 6), "lat": round(y, 6)} for n, x, y in records],
        "bands": bands,
        "places": places,
        "countries": countries,
        "band_area_km2": [b["area_km2"] for b in bands],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def _clip(text: Any, width: int) -> str:
    text = str(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def _grid(headers: list[str], rows: list[list[str]], right: set[int], limit: int = 28) -> list[str]:
    cells = [[_clip(c, limit) for c in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in cells:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]

    def line(values: list[str]) -> str:
        parts = [
            v.rjust(w) if i in right else v.ljust(w)
            for i, (v, w) in enumerate(zip(values, widths, strict=True))
        ]
        return "  ".join(parts).rstrip()

    return [line(headers), line(["-" * w for w in widths]), *(line(r) for r in cells)]


def _place_rows(frame: pd.DataFrame) -> list[list[str]]:
    return [
        [
            str(r.place),
            str(r.country),
            str(r.status),
            f"{r.status_km:,.1f}",
            str(r.status_site),
        ]
        for r in frame.itertuples(index=False)
    ]


def _percent(share: float, full: bool) -> str:
    """A share as text that never rounds a part up to 100 % or down to 0 %."""
    if full:
        return "100 %"
    if 0 < share < 0.001:
        return "<0.1 %"
    return f"{min(100 * share, 99.9):.1f} %"


_PLACE_HEADERS = ["Place", "Country", "Status", "Distance km", "From site"]
_COUNTRY_HEADERS = ["Country", "ISO3", "Area km²", "In band km²", "Share", "Min km", "Max km"]


def _country_rows(frame: pd.DataFrame) -> list[list[str]]:
    return [
        [
            str(r.country),
            str(r.iso_a3),
            f"{r.area_km2:,.0f}",
            f"{r.area_in_band_km2:,.0f}",
            _percent(r.share_in_band, r.status == _COUNTRY_STATUSES[0]),
            f"{r.min_km:,.0f}",
            f"{r.max_km:,.0f}",
        ]
        for r in frame.itertuples(index=False)
    ]


def _area_line(area: float) -> str:
    share = 100.0 * area / EARTH_AREA_KM2
    return f"Total band area: {area:,.0f} km² ({share:.1f} % of the Earth's surface)"


def _intro(records: list[tuple[str, float, float]]) -> list[str]:
    return [
        f"Sites: {_site_text(records)}",
        "Distances are geodesic on WGS84 (Karney); places and countries: Natural Earth.",
    ]


def _to_table(records: list[tuple[str, float, float]], sections: list[_Section], noun: str) -> str:
    lines = ["Coverage report", *_intro(records)]
    for sec in sections:
        title = f"{sec.spec.label} ({_radii_text(sec.spec.inner_km, sec.spec.outer_km)})"
        if sec.spec.label == _radii_text(sec.spec.inner_km, sec.spec.outer_km):
            title = f"Band {sec.spec.label}"
        lines += ["", title, "=" * len(title), _headline(sec.counts(), noun), ""]
        lines += _grid(_PLACE_HEADERS, _place_rows(sec.places), right={3})
        if sec.countries is not None:
            hit = sec.countries[sec.countries["area_in_band_km2"] > 0]
            lines.append("")
            if len(hit):
                lines.append(
                    f"Countries with area in the band ({len(hit)} of {len(sec.countries)})"
                )
                lines += _grid(_COUNTRY_HEADERS, _country_rows(hit), right={2, 3, 4, 5, 6})
            else:
                lines.append("No country has any area in the band.")
        lines += ["", _area_line(sec.area_km2)]
    return "\n".join(lines) + "\n"


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|")


def _md_table(headers: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    rule = ["---:" if i in right else "---" for i in range(len(headers))]
    out = ["| " + " | ".join(headers) + " |", "| " + " | ".join(rule) + " |"]
    out += ["| " + " | ".join(_md_escape(c) for c in row) + " |" for row in rows]
    return out


def _to_markdown(
    records: list[tuple[str, float, float]], sections: list[_Section], noun: str
) -> str:
    lines = ["# Coverage report", "", *(f"{line}  " for line in _intro(records))]
    for sec in sections:
        radii = _radii_text(sec.spec.inner_km, sec.spec.outer_km)
        title = sec.spec.label if sec.spec.label == radii else f"{sec.spec.label} ({radii})"
        lines += ["", f"## {title}", "", f"**{_headline(sec.counts(), noun)}**", ""]
        lines += _md_table(_PLACE_HEADERS, _place_rows(sec.places), right={3})
        if sec.countries is not None:
            hit = sec.countries[sec.countries["area_in_band_km2"] > 0]
            lines += ["", f"### Countries with area in the band ({len(hit)})", ""]
            if len(hit):
                lines += _md_table(_COUNTRY_HEADERS, _country_rows(hit), right={2, 3, 4, 5, 6})
            else:
                lines.append("No country has any area in the band.")
        lines += ["", _area_line(sec.area_km2)]
    return "\n".join(lines) + "\n"
