"""Bands round many sites at once, one row each or dissolved into their union."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from rangeviz import _checks
from rangeviz.errors import InputError
from rangeviz.geodesic._shapes import bands_each
from rangeviz.geodesic._union import union_of_bands
from rangeviz.model import site_arrays

if TYPE_CHECKING:
    from geopandas import GeoDataFrame
    from shapely.geometry.base import BaseGeometry

__all__ = ["band_shapes", "bands"]


def bands(
    sites: Any,
    *,
    inner_km: float = 500.0,
    outer_km: float = 5500.0,
    dissolve: bool = False,
    tolerance_km: float = 0.1,
    progress: Callable[[int, int], None] | None = None,
) -> GeoDataFrame:
    """Compute bands around several sites, as a GeoDataFrame in EPSG:4326.

    Parameters
    ----------
    sites : iterable of (lon, lat) or Site, or GeoSeries/GeoDataFrame of points
        Launch sites. Objects need ``lon`` and ``lat`` attributes (and
        optionally ``name``); a GeoDataFrame's ``name`` column names its rows.
    inner_km, outer_km : float
        Geodesic radii in kilometres, ``0 <= inner_km < outer_km``.
    dissolve : bool, default False
        One row per site (False) or one row holding the union (True).
    tolerance_km : float, default 0.1
        How far (km) the edges may stray from the true rings.
    progress : callable, optional
        Called as ``progress(done, total)`` a few dozen times at most while
        the bands are computed, ``done`` rising to ``total`` (a count of
        sites) at the end; for a progress bar.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``name``, ``lon``, ``lat``, ``inner_km``, ``outer_km`` and
        ``geometry``. Dissolved, ``name`` joins the site names and ``lon``,
        ``lat`` are NaN.

    Raises
    ------
    InputError
        For sites, radii or a tolerance out of range.

    Examples
    --------
    >>> gdf = bands([(20.51, 54.71), (37.62, 55.75)])
    >>> list(gdf.columns)
    ['name', 'lon', 'lat', 'inner_km', 'outer_km', 'geometry']
    >>> len(bands([(20.51, 54.71), (37.62, 55.75)], dissolve=True))
    1
    """
    import geopandas as gpd

    geoms, lon0, lat0, names, inner, outer = _computed(
        sites, inner_km, outer_km, dissolve, tolerance_km, progress
    )
    if dissolve:  # checked by _computed: True or False
        data = {
            "name": ["; ".join(names)],
            "lon": [np.nan],
            "lat": [np.nan],
            "inner_km": [inner],
            "outer_km": [outer],
        }
        return gpd.GeoDataFrame(data, geometry=geoms, crs="EPSG:4326")
    data = {
        "name": names,
        "lon": lon0,
        "lat": lat0,
        "inner_km": np.full(len(names), inner),
        "outer_km": np.full(len(names), outer),
    }
    return gpd.GeoDataFrame(data, geometry=geoms, crs="EPSG:4326")


def band_shapes(
    sites: Any,
    *,
    inner_km: float = 500.0,
    outer_km: float = 5500.0,
    dissolve: bool = False,
    tolerance_km: float = 0.1,
    progress: Callable[[int, int], None] | None = None,
) -> list[BaseGeometry]:
    """The geometries of :func:`bands`, without geopandas: one per site, or the union.

    Same parameters, checks and errors as :func:`bands`; what a map needs.

    Examples
    --------
    >>> [g.geom_type for g in band_shapes([(20.51, 54.71), (37.62, 55.75)])]
    ['Polygon', 'Polygon']
    """
    return _computed(sites, inner_km, outer_km, dissolve, tolerance_km, progress)[0]


def _computed(
    sites: Any,
    inner_km: float,
    outer_km: float,
    dissolve: bool,
    tolerance_km: float,
    progress: Callable[[int, int], None] | None,
) -> tuple[list[BaseGeometry], np.ndarray, np.ndarray, list[str], float, float]:
    lon0, lat0, names = site_arrays(sites)
    inner, outer = _checks.band_radii(inner_km, outer_km)
    tol = _checks.tolerance(tolerance_km)
    dissolve = _checks.flag(dissolve, "dissolve")
    if progress is not None and not callable(progress):
        raise InputError(f"progress {_checks.show(progress)} must be a function (done, total)")
    if dissolve:
        geom = union_of_bands(lon0, lat0, inner, outer, tol, progress=progress)
        return [geom], lon0, lat0, list(names), inner, outer
    geoms: list[BaseGeometry] = []
    step = 2000  # sites per batch: bounded memory, and a beat for the progress hook
    for first in range(0, len(names), step):
        geoms += bands_each(
            lon0[first : first + step], lat0[first : first + step], inner, outer, tol
        )
        if progress is not None:
            progress(len(geoms), len(names))
    return geoms, lon0, lat0, list(names), inner, outer
