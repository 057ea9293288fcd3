"""Areas on the WGS84 ellipsoid of lon/lat polygons, as rangeviz builds them."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import shapely
from pyproj import Geod

from rangeviz.errors import InputError

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

__all__ = ["EARTH_AREA_KM2", "geodesic_area_km2"]

_GEOD = Geod(ellps="WGS84")


def _ellipsoid_area_m2(geod: Geod) -> float:
    # closed form for an oblate ellipsoid of revolution
    a, b, e = geod.a, geod.b, math.sqrt(geod.es)
    return 2.0 * math.pi * a * a + math.pi * b * b / e * math.log((1.0 + e) / (1.0 - e))


_EARTH_M2 = _ellipsoid_area_m2(_GEOD)
# Authalic radius squared (m²): a sphere of the ellipsoid's area.
_AUTHALIC_R2 = _EARTH_M2 / (4.0 * math.pi)
# Edges are densified to this many degrees before geodesic areas are taken,
# so that a geodesic edge follows the straight lon/lat edge within ~1.2 m.
_AREA_STEP_DEG = 0.1

#: Surface area of the WGS84 ellipsoid (km²), about 510.07 million.
EARTH_AREA_KM2: float = _EARTH_M2 / 1e6


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
