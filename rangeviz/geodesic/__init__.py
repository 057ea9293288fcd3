"""Geodesic rings, discs and bands on the WGS84 ellipsoid.

Every geometry returned here is in EPSG:4326 degrees, longitude first, with
longitudes in [-180, 180]: cut at the antimeridian (RFC 7946) and closed along
a pole where the shape contains it. A point ``(lon, lat)`` tested with shapely
in plain longitude/latitude lies in ``band(lon0, lat0, inner_km=a,
outer_km=b)`` iff its geodesic distance from ``(lon0, lat0)`` lies in
``[a, b]`` -- except within ``tolerance_km`` of either radius. Every edge of
every ring is within ``tolerance_km`` of the true ring: estimated where the
estimate is reliable, measured with :meth:`pyproj.Geod.inv` where it is not.

The package has one job per module (the why is in DESIGN.md):

* ``_distance``: exact distances (Karney, via pyproj), a fast close one
  (Andoyer-Lambert, with a measured error bound) and a sphere bound;
* ``_rings``: adaptive ring sampling, constant or azimuth-dependent radius
  (``_antipode`` solves the rings near the antipodal distance);
* ``_polygons``: rings to lon/lat polygons (seam cuts, pole caps, tidying);
* ``_shapes``: one site's disc, band, outline, region by azimuth;
* ``_screen`` and ``_union``: the union of many bands in near-linear time
  and bounded memory, with a progress hook;
* ``_bands``: many sites' bands, as geometries or a GeoDataFrame (geopandas
  imported lazily, for :func:`bands` only).

It imports only numpy, pyproj and shapely (geopandas lazily, for
:func:`bands`); it knows nothing of maps, files or plotting.
"""

from __future__ import annotations

from rangeviz.geodesic._bands import band_shapes, bands
from rangeviz.geodesic._distance import ANTIPODAL_KM, distance_km, sphere_km
from rangeviz.geodesic._shapes import band, disc, region_by_azimuth, ring

__all__ = [
    "ANTIPODAL_KM",
    "band",
    "band_shapes",
    "bands",
    "disc",
    "distance_km",
    "region_by_azimuth",
    "ring",
    "sphere_km",
]
