"""Single shapes round one site: discs, bands, ring outlines, regions by azimuth."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from shapely.geometry import MultiLineString, Polygon
from shapely.geometry.base import BaseGeometry

from rangeviz import _checks
from rangeviz.errors import InputError
from rangeviz.geodesic._distance import ANTIPODAL_KM
from rangeviz.geodesic._polygons import (
    WORLD,
    annulus,
    disc_from_ring,
    finish,
    split_line_at_seam,
)
from rangeviz.geodesic._rings import ring_spec, sample_rings

__all__ = [
    "band",
    "bands_each",
    "disc",
    "discs",
    "outlines",
    "region_by_azimuth",
    "ring",
]

# A radius this close to the antipodal distance (km) reaches everywhere.
_WHOLE_SLACK_KM = 1e-6


def discs(lon0: np.ndarray, lat0: np.ndarray, r_km: np.ndarray, tol: float) -> list[BaseGeometry]:
    """Discs (distance <= r) for arrays of sites and radii, as lon/lat geometries."""
    lon0 = np.asarray(lon0, dtype=float)
    lat0 = np.asarray(lat0, dtype=float)
    r_km = np.asarray(r_km, dtype=float)
    whole = r_km >= ANTIPODAL_KM - _WHOLE_SLACK_KM
    empty = r_km <= 0
    out: list[BaseGeometry] = [WORLD if w else Polygon() for w in whole]
    todo = np.flatnonzero(~whole & ~empty)
    if todo.size:
        spec = ring_spec(lon0[todo], lat0[todo], r_km[todo], tol)
        for k, (i, (lon, lat)) in enumerate(zip(todo, sample_rings(spec), strict=True)):
            out[i] = disc_from_ring(lon, lat, bool(spec.north_in[k]), bool(spec.south_in[k]))
    return out


def bands_each(
    lon0: np.ndarray, lat0: np.ndarray, inner: float, outer: float, tol: float
) -> list[BaseGeometry]:
    """One band per site, all rings sampled in one batch."""
    n = len(lon0)
    radii = np.concatenate((np.full(n, outer), np.full(n, inner)))
    both = discs(np.tile(lon0, 2), np.tile(lat0, 2), radii, tol)
    return [finish(annulus(o, i)) for o, i in zip(both[:n], both[n:], strict=True)]


def outlines(
    lon0: np.ndarray, lat0: np.ndarray, r_km: np.ndarray, tol: float
) -> list[MultiLineString]:
    """Ring outlines, cut where they cross the antimeridian; none at the antipodal radius."""
    whole = r_km >= ANTIPODAL_KM - _WHOLE_SLACK_KM
    out = [MultiLineString() for _ in r_km]
    todo = np.flatnonzero(~whole)
    if todo.size:
        spec = ring_spec(lon0[todo], lat0[todo], r_km[todo], tol)
        for i, (lon, lat) in zip(todo, sample_rings(spec), strict=True):
            out[i] = split_line_at_seam(lon, lat)
    return out


def disc(lon: float, lat: float, *, radius_km: float, tolerance_km: float = 0.1) -> BaseGeometry:
    """Compute everything within ``radius_km`` of a point, as a lon/lat (Multi)Polygon.

    Parameters
    ----------
    lon, lat : float
        The centre in degrees; longitude in [-180, 180], latitude in [-90, 90].
    radius_km : float
        Geodesic radius in kilometres, ``0 < radius_km <= ANTIPODAL_KM``
        (~20,004 km); at the antipodal distance the disc is the whole globe.
    tolerance_km : float, default 0.1
        How far (km) the drawn edge may stray from the true ring, at least
        0.001 (a metre).

    Returns
    -------
    shapely.Polygon or shapely.MultiPolygon
        EPSG:4326 degrees, cut at the antimeridian, closed along a pole it
        contains.

    Raises
    ------
    InputError
        For a point, radius or tolerance out of range.

    Examples
    --------
    >>> from shapely import Point
    >>> d = disc(20.51, 54.71, radius_km=5500)  # Kaliningrad
    >>> d.contains(Point(0, 89.9))  # the North Pole region
    True
    >>> disc(0, 0, radius_km=ANTIPODAL_KM).area  # the whole globe
    64800.0
    """
    lon, lat = _checks.lonlat(lon, lat)
    r = _checks.radius(radius_km, "radius_km", positive=True)
    tol = _checks.tolerance(tolerance_km)
    (geom,) = discs(np.array([lon]), np.array([lat]), np.array([r]), tol)
    return finish(geom)


def band(
    lon: float,
    lat: float,
    *,
    inner_km: float = 500.0,
    outer_km: float = 5500.0,
    tolerance_km: float = 0.1,
) -> BaseGeometry:
    """Compute the band of points between ``inner_km`` and ``outer_km`` from a site.

    Defaults give the INF Treaty band, 500-5,500 km.

    Parameters
    ----------
    lon, lat : float
        The launch site in degrees.
    inner_km, outer_km : float
        Geodesic radii in kilometres, ``0 <= inner_km < outer_km``.
    tolerance_km : float, default 0.1
        How far (km) the drawn edges may stray from the true rings.

    Returns
    -------
    shapely.Polygon or shapely.MultiPolygon
        EPSG:4326 degrees.

    Raises
    ------
    InputError
        For a point, radii or tolerance out of range.

    Examples
    --------
    >>> from shapely import Point
    >>> b = band(20.51, 54.71)  # Kaliningrad, INF band
    >>> berlin, warsaw = Point(13.40, 52.52), Point(21.01, 52.23)
    >>> b.contains(berlin), b.contains(warsaw)
    (True, False)
    """
    lon, lat = _checks.lonlat(lon, lat)
    inner, outer = _checks.band_radii(inner_km, outer_km)
    tol = _checks.tolerance(tolerance_km)
    return bands_each(np.array([lon]), np.array([lat]), inner, outer, tol)[0]


def ring(lon: float, lat: float, *, radius_km: float, tolerance_km: float = 0.1) -> MultiLineString:
    """Compute the circle of points exactly ``radius_km`` from a site, for drawing.

    Unlike the polygons, the outline has no seam or pole edges: it is cut into
    pieces where it crosses the antimeridian.

    Parameters
    ----------
    lon, lat : float
        The centre in degrees.
    radius_km : float
        Geodesic radius in kilometres, ``0 < radius_km <= ANTIPODAL_KM``.
    tolerance_km : float, default 0.1
        How far (km) the drawn line may stray from the true ring.

    Returns
    -------
    shapely.MultiLineString
        EPSG:4326 degrees, every piece within [-180, 180]; empty at the
        antipodal distance.

    Raises
    ------
    InputError
        For a point, radius or tolerance out of range.

    Examples
    --------
    >>> r = ring(158.65, 53.02, radius_km=5500)  # Petropavlovsk-Kamchatsky
    >>> len(r.geoms) >= 2  # it crosses the antimeridian
    True
    """
    lon, lat = _checks.lonlat(lon, lat)
    r = _checks.radius(radius_km, "radius_km", positive=True)
    tol = _checks.tolerance(tolerance_km)
    return outlines(np.array([lon]), np.array([lat]), np.array([r]), tol)[0]


def region_by_azimuth(
    lon: float,
    lat: float,
    *,
    radius_km: Callable[[np.ndarray], Any],
    tolerance_km: float = 0.1,
) -> BaseGeometry:
    """Compute the points whose distance from a site is within a radius that depends on direction.

    The region holds every point ``P`` with ``distance(site, P) <=
    radius_km(azimuth from site to P)``: a star-shaped disc, such as a
    missile's reach on the rotating Earth (longer eastward than westward).

    Parameters
    ----------
    lon, lat : float
        The site in degrees.
    radius_km : callable
        Takes a NumPy array of geodesic azimuths at the site (degrees
        clockwise from north, any real values: make it periodic) and returns
        an array of the same shape of radii in kilometres, each ``0 < r <=
        ANTIPODAL_KM``. It should be smooth (or at least continuous) in the
        azimuth; it is called many times with many azimuths at once.
    tolerance_km : float, default 0.1
        How far (km) the drawn edge may stray from the true boundary, measured
        along the geodesic from the site, at least 0.001 (a metre).

    Returns
    -------
    shapely.Polygon or shapely.MultiPolygon
        EPSG:4326 degrees, valid, cut at the antimeridian, closed along a pole
        it contains; the whole globe where every radius is antipodal.

    Raises
    ------
    InputError
        For a point or tolerance out of range, a ``radius_km`` that is not
        callable, or one that returns a radius out of range (the message
        names the azimuth).

    Notes
    -----
    Where the radius comes within about 70 km of the antipodal distance, the
    azimuth from the site is ambiguous (two or more shortest geodesics reach
    the cut locus there) and the boundary may jump: there the edge is drawn
    as well as sampling allows but is not held to ``tolerance_km``. Elsewhere
    every edge is, checked against :meth:`pyproj.Geod.inv`.

    Examples
    --------
    >>> import numpy as np
    >>> from shapely import Point
    >>> def reach(az):  # 15 % farther eastward than the mean, 15 % less westward
    ...     return 2000.0 * (1.0 + 0.15 * np.sin(np.radians(az)))
    >>> r = region_by_azimuth(20.51, 54.71, radius_km=reach)
    >>> r.contains(Point(51.0, 54.7))  # ~1,950 km due east: within 2,300
    True
    >>> r.contains(Point(-9.5, 53.0))  # ~1,970 km west: beyond 1,700
    False
    """
    lon, lat = _checks.lonlat(lon, lat)
    tol = _checks.tolerance(tolerance_km)
    fn = _radius_function(radius_km)
    if fn(np.linspace(0.0, 360.0, 721)).min() >= ANTIPODAL_KM - _WHOLE_SLACK_KM:
        return finish(WORLD)
    spec = ring_spec(np.array([lon]), np.array([lat]), np.zeros(1), tol, by_azimuth=fn)
    ((rlon, rlat),) = sample_rings(spec)
    return finish(disc_from_ring(rlon, rlat, bool(spec.north_in[0]), bool(spec.south_in[0])))


def _radius_function(fn: Any) -> Callable[[np.ndarray], np.ndarray]:
    """``fn`` wrapped to check every radius it returns (km, in (0, ANTIPODAL_KM])."""
    if not callable(fn):
        raise InputError(
            f"radius_km {_checks.show(fn)} must be a function of azimuth (degrees) "
            "returning kilometres; for a constant radius use disc()"
        )

    def checked(az: np.ndarray) -> np.ndarray:
        az = np.asarray(az, dtype=float)
        try:
            r = np.broadcast_to(np.asarray(fn(az), dtype=float), az.shape)
        except (TypeError, ValueError) as exc:
            raise InputError(
                f"radius_km must return {az.size} radii (km) for {az.size} azimuths: {exc}"
            ) from exc
        bad = ~(np.isfinite(r) & (r > 0) & (r <= ANTIPODAL_KM + 1e-9))
        if bad.any():
            k = int(np.flatnonzero(bad.ravel())[0])
            name = f"radius_km(azimuth {az.ravel()[k]:g})"
            _checks.radius(r.ravel()[k], name, positive=True)  # raises, naming the value
        return np.minimum(r, ANTIPODAL_KM)

    return checked
