"""The geometry of one map, computed once and shared by the map, export and report.

A :class:`MapGeometry` is built from a :class:`~rangeviz.model.MapSpec`. It
computes, on first use and once:

- each layer's band round its sites: one polygon per site and their union
  (lon/lat, EPSG:4326, as :mod:`rangeviz.geodesic` makes them);
- each layer's visible outline: the rings that bound the union, cut exactly
  where another site's band begins (with many sites, the union's own edge);
- the status of any place -- in band, too close, out of range -- from exact
  geodesic distances, by the one rule the coverage report uses too
  (:func:`classify`).

The drawing, the files written by :mod:`rangeviz.export` and the tables of
:mod:`rangeviz.report` all read these, so what a map shows is what a file
holds and what a report lists.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
import shapely
from pyproj import Geod
from shapely.geometry import MultiLineString

from rangeviz import flight, geodesic
from rangeviz.errors import InputError
from rangeviz.geodesic import ANTIPODAL_KM
from rangeviz.systems import get_system

if TYPE_CHECKING:
    import numpy.typing as npt
    from geopandas import GeoDataFrame
    from shapely.geometry.base import BaseGeometry

    from rangeviz.model import BandLayer, MapSpec, Site

__all__ = [
    "LayerGeometry",
    "MAX_RING_SITES",
    "MapGeometry",
    "STATUSES",
    "classify",
    "edge_without_seams",
    "turns_with_the_earth",
]

_WGS84 = Geod(ellps="WGS84")

#: The place statuses, in the order reports list them.
STATUSES: tuple[str, ...] = ("in band", "too close", "out of range")

#: Up to this many sites a layer's outline is drawn from each site's rings;
#: beyond, from the union's own edge (cheaper than cutting every ring).
MAX_RING_SITES = 20


def classify(
    d_km: npt.ArrayLike, inner_km: npt.ArrayLike, outer_km: npt.ArrayLike
) -> tuple[np.ndarray, np.ndarray]:
    """The status of places from their distances to every site: the one rule.

    A place is *in band* if some site has ``inner_km <= d <= outer_km``, else
    *too close* if some site has ``d < inner_km`` (inside the minimum range
    and in no site's band), else *out of range* (every site has
    ``d > outer_km``).

    Parameters
    ----------
    d_km : array_like, shape (n_places, n_sites)
        Exact geodesic distances (km).
    inner_km, outer_km : float or array_like
        The band's radii: numbers, or arrays that broadcast to ``d_km``'s
        shape (radii that depend on the direction, as on the rotating Earth).

    Returns
    -------
    status : numpy.ndarray of int, shape (n_places,)
        Index into :data:`STATUSES`.
    via : numpy.ndarray of int, shape (n_places,)
        The site that decides the status: the nearest one that has the place
        in band, else the nearest of all.

    Examples
    --------
    >>> status, via = classify([[278.0, 900.0], [6000.0, 7000.0]], 500, 5500)
    >>> [STATUSES[s] for s in status], via.tolist()
    (['in band', 'out of range'], [1, 0])
    """
    d = np.atleast_2d(np.asarray(d_km, dtype=float))
    inner = np.broadcast_to(np.asarray(inner_km, dtype=float), d.shape)
    outer = np.broadcast_to(np.asarray(outer_km, dtype=float), d.shape)
    inside = (d >= inner) & (d <= outer)
    any_in = inside.any(axis=1)
    nearest = np.argmin(d, axis=1)
    rows = np.arange(len(d))
    via = np.where(any_in, np.argmin(np.where(inside, d, np.inf), axis=1), nearest)
    status = np.where(any_in, 0, np.where(d[rows, nearest] < inner[rows, nearest], 1, 2))
    return status, via


def edge_without_seams(geom: BaseGeometry) -> MultiLineString:
    """A lon/lat polygon's boundary without its ±180 seam and pole segments.

    Those segments are exact (``|lon| == 180`` or ``|lat| == 90`` at both
    ends) because the band engine builds them so.

    >>> from shapely.geometry import box
    >>> edge_without_seams(box(170, 60, 180, 90)).wkt
    'MULTILINESTRING ((170 90, 170 60, 180 60))'
    """
    lines = []
    for ring_ in shapely.get_rings(shapely.get_parts(geom)):
        xy = np.asarray(ring_.coords)[:, :2]
        on_seam = np.abs(xy[:, 0]) == 180.0
        at_pole = np.abs(xy[:, 1]) == 90.0
        bad = (on_seam[:-1] & on_seam[1:]) | (at_pole[:-1] & at_pole[1:])
        if not bad.any():
            lines.append(xy)
            continue
        # rotate so the ring starts with a bad segment; runs of good ones remain
        first = int(np.flatnonzero(bad)[0])
        xy = np.vstack((xy[first:-1], xy[: first + 1]))
        bad = np.concatenate((bad[first:], bad[:first]))
        edges = np.flatnonzero(np.diff(np.r_[0, (~bad).astype(int), 0]))
        for a, b in zip(edges[::2], edges[1::2], strict=True):
            lines.append(xy[a : b + 1])
    return MultiLineString([ln for ln in lines if len(ln) >= 2])


def turns_with_the_earth(layer: BandLayer) -> bool:
    """Whether ``rotating_earth`` draws this band as ballistic footprints.

    Yes for a ballistic system of the catalog (GLBM, ALBM), for a treaty band
    and for radii given without a system; no for cruise missiles, glide
    vehicles and launchers, whose flight the Earth's rotation barely moves.

    >>> from rangeviz.model import Band
    >>> turns_with_the_earth(Band("9M729", 0, 480, system="9M729"))
    False
    >>> turns_with_the_earth(Band("1,000 km", 0, 1000))
    True
    """
    if not layer.system:
        return True
    try:
        kind = get_system(layer.system).kind
    except InputError:
        return True
    return kind in ("", "treaty band") or kind.startswith(("GLBM", "ALBM"))


def _lineal(geom: BaseGeometry) -> list[BaseGeometry]:
    return [g for g in shapely.get_parts(geom) if g.geom_type == "LineString" and not g.is_empty]


@dataclass(frozen=True, eq=False)
class LayerGeometry:
    """One layer's band, computed on first use.

    Attributes
    ----------
    layer : BandLayer
        The band and its sites.
    tolerance_km : float
        How far any edge may stray from the true rings.
    rotating : bool, default False
        Draw the band as a ballistic missile's footprints on the rotating
        Earth (:func:`rangeviz.flight.footprint` at both radii) instead of
        geodesic circles. Statuses then test each place against the reach in
        its direction.
    progress : callable, optional
        ``progress(done, total)`` while the bands and their union are
        computed (see :func:`rangeviz.geodesic.bands`), for a progress bar.
    """

    layer: BandLayer
    tolerance_km: float
    rotating: bool = False
    progress: Callable[[int, int], None] | None = None

    @property
    def sites(self) -> tuple[Site, ...]:
        """The layer's sites."""
        return self.layer.sites or ()

    def _lonlat(self) -> tuple[np.ndarray, np.ndarray]:
        return (
            np.array([s.lon for s in self.sites], dtype=float),
            np.array([s.lat for s in self.sites], dtype=float),
        )

    @cached_property
    def per_site(self) -> tuple[BaseGeometry, ...]:
        """One band polygon per site."""
        if self.rotating:
            inner, outer = self.layer.inner_km, self.layer.outer_km
            out = []
            for site in self.sites:
                shape = self._footprint(site, outer)
                if inner > 0:
                    shape = shape.difference(self._footprint(site, inner))
                out.append(shape)
            return tuple(out)
        return tuple(
            geodesic.band_shapes(
                self.sites,
                inner_km=self.layer.inner_km,
                outer_km=self.layer.outer_km,
                tolerance_km=self.tolerance_km,
                progress=self.progress,
            )
        )

    @cached_property
    def union(self) -> BaseGeometry:
        """The union of the sites' bands: where some site has the band."""
        if len(self.sites) == 1:
            return self.per_site[0]
        if self.rotating:
            return shapely.union_all(self.per_site)
        (union,) = geodesic.band_shapes(
            self.sites,
            inner_km=self.layer.inner_km,
            outer_km=self.layer.outer_km,
            dissolve=True,
            tolerance_km=self.tolerance_km,
            progress=self.progress,
        )
        return union

    @cached_property
    def outlines(self) -> tuple[tuple[float, MultiLineString], ...]:
        """The visible rings, ``(radius_km, lon/lat lines)`` per radius.

        Each site's ring at each radius, less the parts inside another site's
        band: what bounds the union. With more than :data:`MAX_RING_SITES`
        sites, one entry (radius ``nan``) holds the union's edge without its
        seam and pole lines.
        """
        if len(self.sites) > MAX_RING_SITES:
            return ((float("nan"), edge_without_seams(self.union)),)
        radii = [r for r in (self.layer.inner_km, self.layer.outer_km) if 0 < r < ANTIPODAL_KM]
        lon0, lat0 = self._lonlat()
        others = self._others() if len(self.sites) > 1 else None
        out = []
        for radius in radii:
            pieces: list[BaseGeometry] = []
            for k in range(len(lon0)):
                if self.rotating:
                    outline = edge_without_seams(self._footprint(self.sites[k], radius))
                else:
                    outline = geodesic.ring(
                        lon0[k], lat0[k], radius_km=radius, tolerance_km=self.tolerance_km
                    )
                if others is not None:
                    # only what bounds the union: cut exactly where other bands begin
                    pieces.extend(_lineal(outline.difference(others[k])))
                else:
                    pieces.extend(shapely.get_parts(outline))
            out.append((radius, MultiLineString(pieces)))
        return tuple(out)

    def _footprint(self, site: Site, range_km: float) -> BaseGeometry:
        if range_km >= ANTIPODAL_KM:
            return geodesic.disc(site.lon, site.lat, radius_km=range_km)  # the whole Earth
        try:
            return flight.footprint(
                site.lon, site.lat, range_km=range_km, tolerance_km=self.tolerance_km
            )
        except InputError as exc:
            raise InputError(f"{self.layer.label} from {site.name}: {exc}") from None

    def radii_km(
        self, lon: npt.ArrayLike, lat: npt.ArrayLike
    ) -> tuple[np.ndarray | float, np.ndarray | float]:
        """The band's inner and outer radii (km) towards places, shape (n_places, n_sites).

        Numbers on a still Earth; on the rotating Earth, the reach along each
        place's geodesic azimuth from each site (:func:`classify` takes either).
        """
        inner, outer = self.layer.inner_km, self.layer.outer_km
        if not self.rotating:
            return inner, outer
        plon = np.atleast_1d(np.asarray(lon, dtype=float))[:, None]
        plat = np.atleast_1d(np.asarray(lat, dtype=float))[:, None]
        slon, slat = self._lonlat()
        shape = (plon.size, slon.size)
        a, b, c, d = (np.broadcast_to(v, shape).ravel() for v in (slon, slat, plon, plat))
        az, _, _ = _WGS84.inv(a, b, c, d)
        az = np.asarray(az, dtype=float).reshape(shape)
        radii = []
        for r in (inner, outer):
            reaches = self._reaches.get(r)
            if reaches is None:
                radii.append(np.full(az.shape, r))
                continue
            out = np.empty(az.shape)
            for k, reach in enumerate(reaches):
                out[:, k] = reach(az[:, k])
            radii.append(out)
        return radii[0], radii[1]

    @cached_property
    def _reaches(self) -> dict[float, list[Callable[[npt.ArrayLike], np.ndarray]]]:
        """The rotating-Earth reach by azimuth for each radius and site, made once."""
        out: dict[float, list[Callable[[npt.ArrayLike], np.ndarray]]] = {}
        for r in (self.layer.inner_km, self.layer.outer_km):
            if 0 < r < ANTIPODAL_KM and r not in out:
                out[r] = []
                for site in self.sites:
                    try:
                        out[r].append(flight.reach_by_azimuth(site.lat, range_km=r))
                    except InputError as exc:
                        raise InputError(f"{self.layer.label} from {site.name}: {exc}") from None
        return out

    def _others(self) -> list[BaseGeometry]:
        """For each site k, the union of every other site's band."""
        polys = list(self.per_site)
        return [shapely.union_all(polys[:k] + polys[k + 1 :]) for k in range(len(polys))]

    def distances_km(self, lon: npt.ArrayLike, lat: npt.ArrayLike) -> np.ndarray:
        """Exact geodesic distances (km) from places to the sites, (n_places, n_sites)."""
        plon = np.atleast_1d(np.asarray(lon, dtype=float))
        plat = np.atleast_1d(np.asarray(lat, dtype=float))
        slon, slat = self._lonlat()
        if plon.size == 0:
            return np.zeros((0, len(slon)))
        d = geodesic.distance_km(plon[:, None], plat[:, None], slon[None, :], slat[None, :])
        return np.asarray(d).reshape(plon.size, len(slon))


@dataclass(frozen=True, eq=False)
class MapGeometry:
    """Everything a map, its export and its report compute, computed once.

    Parameters
    ----------
    spec : MapSpec
        The resolved map.
    progress : callable, optional
        ``progress(label, done, total)`` while a layer's bands are computed
        (the layer's label, sites done, sites in all), for a progress bar.

    Examples
    --------
    >>> from rangeviz.model import Band, MapSpec, Site
    >>> spec = MapSpec((Band("INF", 500, 5500).around([Site("K", 20.51, 54.71)]),))
    >>> geo = MapGeometry(spec)
    >>> [STATUSES[s] for s in geo.statuses([13.40, 21.01], [52.52, 52.23])]
    ['in band', 'too close']
    """

    spec: MapSpec
    progress: Callable[[str, int, int], None] | None = None

    @cached_property
    def tolerance_km(self) -> float:
        """Half the map's tolerance: the other half is the projection's."""
        return self.spec.options.tolerance_km / 2

    @cached_property
    def layers(self) -> tuple[LayerGeometry, ...]:
        """One :class:`LayerGeometry` per layer, in the spec's order."""
        rotating = self.spec.options.rotating_earth
        hook = self.progress
        return tuple(
            LayerGeometry(
                layer,
                self.tolerance_km,
                rotating and turns_with_the_earth(layer),
                None if hook is None else functools.partial(hook, layer.label),
            )
            for layer in self.spec.layers
        )

    @cached_property
    def reach(self) -> BaseGeometry:
        """Everything in some band of some layer (lon/lat)."""
        return shapely.union_all([g.union for g in self.layers])

    def statuses(self, lon: npt.ArrayLike, lat: npt.ArrayLike) -> np.ndarray:
        """Each place's status over every layer, as an index into :data:`STATUSES`.

        In some layer's band wins, then too close to some layer's sites, then
        out of range -- the rule of :func:`classify`, layer by layer.
        """
        best = None
        for geo in self.layers:
            status, _ = classify(geo.distances_km(lon, lat), *geo.radii_km(lon, lat))
            best = status if best is None else np.minimum(best, status)
        assert best is not None
        return best

    def frame(self, *, dissolve: bool = False) -> GeoDataFrame:
        """The bands as a GeoDataFrame (EPSG:4326): what :mod:`rangeviz.export` writes.

        One row per layer and site (``dissolve=False``) or per layer (``dissolve=True``),
        with columns ``site``, ``system``, ``label``, ``inner_km``, ``outer_km``,
        ``range`` (in words: ``"up to 480 km"``, ``"500–5,500 km class"``),
        ``claimant``, ``source`` (citations), ``source_url``, ``role``,
        ``color`` and ``geometry``.
        """
        import geopandas as gpd

        rows = []
        geoms = []
        for geo in self.layers:
            layer = geo.layer
            common = {
                "system": layer.system,
                "label": layer.label,
                "inner_km": layer.inner_km,
                "outer_km": layer.outer_km,
                "range": layer.range_words,
                "claimant": layer.claimant,
                "source": "; ".join(str(s) for s in layer.sources),
                "source_url": " | ".join(s.url for s in layer.sources if s.url),
                "role": layer.role,
                "color": layer.color or "",
            }
            if dissolve:
                rows.append({"site": "; ".join(s.name for s in geo.sites), **common})
                geoms.append(geo.union)
            else:
                for site, poly in zip(geo.sites, geo.per_site, strict=True):
                    rows.append({"site": site.name, **common})
                    geoms.append(poly)
        return gpd.GeoDataFrame(rows, geometry=geoms, crs="EPSG:4326")
