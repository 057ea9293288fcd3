"""What lies in a band: places, countries, areas and distances.

Everything here is decided by exact geodesic distances on WGS84 (Karney's
algorithm through :func:`rangeviz.geodesic.distance_km`), never by testing a
point against a drawn polygon:

* a place's status follows the one rule of :func:`rangeviz.geometry.classify`
  (the map colours capitals by it too): ``"in band"`` if some site has
  ``inner_km <= d <= outer_km``, else ``"too close"`` if some site has
  ``d < inner_km``, else ``"out of range"``;
* a country's share in the band is the geodesic area of its main territory's
  intersection with the band polygon (the one the map draws and the export
  writes), over the main territory's geodesic area
  (:func:`rangeviz.areas.geodesic_area_km2`); parts more than
  :data:`~rangeviz.places.OUTLYING_KM` from it (French Guiana, Réunion) are
  counted apart (:func:`rangeviz.places.main_territory`).

Places and countries come from :mod:`rangeviz.places`; the text, CSV,
Markdown and JSON reports from :mod:`rangeviz.report`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import shapely

from rangeviz.areas import EARTH_AREA_KM2, geodesic_area_km2
from rangeviz.geodesic import distance_km, sphere_km
from rangeviz.geometry import STATUSES, LayerGeometry, classify
from rangeviz.places import Countries, countries, places_table

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

    from rangeviz.model import Band, Site

__all__ = [
    "COUNTRY_STATUSES",
    "EARTH_AREA_KM2",
    "STATUSES",
    "Section",
    "band_area_km2",
    "country_coverage",
    "coverage",
    "geodesic_area_km2",
    "layers_for",
    "nearest_km",
    "places_frame",
    "sections",
]

#: A country's status in a band.
COUNTRY_STATUSES: tuple[str, ...] = ("fully in band", "partly in band", "not in band")

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


def layers_for(sites: Any, bands: Any, inner_km: Any, outer_km: Any) -> list[LayerGeometry]:
    """Resolve the public functions' arguments once: one layer (and its geometry) per band."""
    from rangeviz.sites import resolve_sites
    from rangeviz.systems import resolve_band, resolve_bands

    resolved = resolve_sites(sites)
    if bands is None:
        found: tuple[Band, ...] = (resolve_band((inner_km, outer_km), "inner_km/outer_km"),)
    else:
        found = resolve_bands(bands, "bands", empty="error")
    return [LayerGeometry(band.around(resolved), 0.1) for band in found]


def nearest_km(
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
# places


def places_frame(geo: LayerGeometry, table: pd.DataFrame) -> pd.DataFrame:
    """Each place's status in one layer's band, and its distances (rows as in ``table``)."""
    sites = geo.sites
    names = np.array([s.name for s in sites], dtype=object)
    if len(table) == 0:
        return pd.DataFrame({c: [] for c in _PLACE_COLUMNS})
    d = geo.distances_km(table["lon"].to_numpy(dtype=float), table["lat"].to_numpy(dtype=float))
    rows = np.arange(len(table))
    nearest = np.argmin(d, axis=1)
    status, via = classify(d, *geo.radii_km(table["lon"], table["lat"]))
    frame = table.copy()
    frame["status"] = np.array(STATUSES, dtype=object)[status]
    frame["status_site"] = names[via]
    frame["status_km"] = d[rows, via]
    frame["nearest_site"] = names[nearest]
    frame["distance_km"] = d[rows, nearest]
    frame["band"] = geo.layer.label
    frame["inner_km"] = geo.layer.inner_km
    frame["outer_km"] = geo.layer.outer_km
    frame["_rank"] = status
    frame = frame.sort_values(["_rank", "status_km", "place"], kind="stable")
    return frame[_PLACE_COLUMNS].reset_index(drop=True)


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
    sites : sites
        Launch sites: place names, coordinate text, Sites, ``(lon, lat)``
        pairs or a GeoDataFrame of points (see :func:`rangeviz.sites.resolve_sites`).
    inner_km, outer_km : float, default 500, 5500
        The band's radii (km); ignored when ``bands`` is given.
    bands : list of Band, system names or (inner_km, outer_km), optional
        Several bands at once (e.g. :attr:`rangeviz.Scenario.ranges`).
    places : {"capitals", "cities"}, DataFrame or list, default "capitals"
        ``"capitals"``: the ~200 national capitals (Natural Earth ``adm0cap``,
        1:10m populated places); ``"cities"``: those plus every city with a
        population (``pop_max``) of a million or more. Or a DataFrame with a
        ``place`` (or ``name``) column and ``lon``/``lat`` columns (or point
        geometries), optionally ``country`` and ``iso_a2``; or a list of
        Sites, place names or ``(lon, lat)`` pairs.

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

    Raises
    ------
    InputError, UnknownNameError
        For bad sites, bands or places.

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
    layers = layers_for(sites, bands, inner_km, outer_km)
    table, _ = places_table(places)
    return pd.concat([places_frame(g, table) for g in layers], ignore_index=True)


# --------------------------------------------------------------------------
# countries


@dataclass(frozen=True)
class _Reach:
    """Distance from each country to the nearest site (independent of the band)."""

    min_km: np.ndarray
    max_km: np.ndarray
    nearest_site: np.ndarray


def _country_reach(sites: Sequence[Site], data: Countries) -> _Reach:
    names = np.array([s.name for s in sites], dtype=object)
    slon = np.array([s.lon for s in sites])
    slat = np.array([s.lat for s in sites])
    count = len(data.names)
    d, site = nearest_km(data.sample_x, data.sample_y, slon, slat)
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
    pos, hit = data.tree.query(shapely.points(slon, slat), predicate="intersects")
    for p, c in zip(pos, hit, strict=True):
        min_km[c] = 0.0
        nearest[c] = names[p]
    alon = (slon + 360.0) % 360.0 - 180.0
    apos, ahit = data.tree.query(shapely.points(alon, -slat), predicate="intersects")
    if len(apos):
        da, _ = nearest_km(alon[apos], -slat[apos], slon, slat)
        np.maximum.at(max_km, ahit, da)
    return _Reach(min_km=min_km, max_km=max_km, nearest_site=nearest)


def _country_frame(data: Countries, band_geom: BaseGeometry, reach: _Reach) -> pd.DataFrame:
    count = len(data.names)
    in_band = np.zeros(count)
    status = np.full(count, COUNTRY_STATUSES[2], dtype=object)
    if not band_geom.is_empty:
        shapely.prepare(band_geom)
        for i in data.tree.query(band_geom, predicate="intersects"):
            geom = data.geoms[i]
            if band_geom.covers(geom):
                in_band[i] = data.area_km2[i]
                status[i] = COUNTRY_STATUSES[0]
            else:
                in_band[i] = geodesic_area_km2(shapely.intersection(geom, band_geom))
                if in_band[i] > 0:
                    status[i] = COUNTRY_STATUSES[1]
    outlying_in_band = np.zeros(count)
    if not band_geom.is_empty:
        for i in np.flatnonzero(data.outlying_km2 > 0):
            if band_geom.intersects(data.outlying[i]):
                outlying_in_band[i] = geodesic_area_km2(
                    shapely.intersection(data.outlying[i], band_geom)
                )
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
            "outlying_km2": data.outlying_km2,
            "outlying_in_band_km2": np.minimum(outlying_in_band, data.outlying_km2),
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
    sites : sites
        Launch sites (as for :func:`coverage`); with several, the band is
        their union.
    inner_km, outer_km : float, default 500, 5500
        The band's radii (km).
    scale : {"110m", "50m"}, default "50m"
        Natural Earth scale of the country polygons.

    Returns
    -------
    pandas.DataFrame
        One row per Natural Earth admin-0 country, judged by its main
        territory (:func:`rangeviz.places.main_territory`: metropolitan
        France without French Guiana or Réunion), sorted by ``share_in_band``
        (largest first), then ``min_km``. Columns:

        - ``country``, ``iso_a3`` (Natural Earth's ``adm0_a3`` where
          ``iso_a3`` is -99, as for France and Norway)
        - ``area_km2``: geodesic area of the main territory on WGS84
        - ``area_in_band_km2``: geodesic area of its intersection with the band
        - ``share_in_band``: their ratio, 0 to 1
        - ``status``: ``"fully in band"`` (the band polygon covers the
          main territory; up to the band's 0.1 km tolerance), ``"partly in
          band"`` or ``"not in band"``
        - ``outlying_km2``, ``outlying_in_band_km2``: the area of the parts
          beyond :data:`~rangeviz.places.OUTLYING_KM` of the main territory,
          and how much of it lies in the band (0 where there are none)
        - ``min_km``, ``max_km``: the least and greatest distance from a
          point of the main territory to its nearest site: ``min_km`` is 0 if a site
          lies inside. Taken over the outline sampled every 0.1 degree (so
          within ~0.1 km once a site is 300 km away, ~6 km at worst) plus
          the sites' antipodes inside the country; with three or more sites
          an interior point equidistant from several could lie farther than
          ``max_km``. The 1:50m outlines are themselves generalised by a
          few km.
        - ``nearest_site``: the site at ``min_km``

    Raises
    ------
    InputError
        For bad sites, radii or scale.

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
    (geo,) = layers_for(sites, None, inner_km, outer_km)
    data = countries(scale)
    return _country_frame(data, geo.union, _country_reach(geo.sites, data))


def band_area_km2(sites: Any, *, inner_km: float = 500.0, outer_km: float = 5500.0) -> float:
    """Geodesic area (km²) of the band around the sites, overlaps counted once.

    Parameters
    ----------
    sites : sites
        Launch sites (as for :func:`coverage`).
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
    (geo,) = layers_for(sites, None, inner_km, outer_km)
    return geodesic_area_km2(geo.union)


# --------------------------------------------------------------------------
# report sections


@dataclass
class Section:
    """One band of a coverage report: its places, countries and area."""

    band: Band
    places: pd.DataFrame
    countries: pd.DataFrame | None
    area_km2: float

    def counts(self) -> dict[str, int]:
        """How many places have each status."""
        values = self.places["status"].value_counts()
        return {s: int(values.get(s, 0)) for s in STATUSES}


def sections(
    layers: Sequence[LayerGeometry],
    places: Any = "capitals",
    *,
    with_countries: bool = True,
    scale: str = "50m",
) -> tuple[list[Section], str]:
    """A report's sections, one per layer (its geometry is reused), and the places' noun."""
    table, noun = places_table(places)
    data = countries(scale) if with_countries else None
    reach = None
    if data is not None and layers:
        reach = _country_reach(layers[0].sites, data)
    out = []
    for geo in layers:
        frame = None
        if data is not None:
            if reach is None or geo.sites != layers[0].sites:
                reach = _country_reach(geo.sites, data)
            frame = _country_frame(data, geo.union, reach)
        out.append(
            Section(geo.layer, places_frame(geo, table), frame, geodesic_area_km2(geo.union))
        )
    return out, noun
