"""The union of equal bands round many sites (placeholder: the former algorithm)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from rangeviz.geodesic._distance import sphere_km
from rangeviz.geodesic._polygons import finish
from rangeviz.geodesic._shapes import bands_each, discs

__all__ = ["union_of_bands"]


def union_of_bands(
    lon0: np.ndarray,
    lat0: np.ndarray,
    inner: float,
    outer: float,
    tol: float,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> BaseGeometry:
    """The union of equal bands around many sites."""
    n = len(lon0)
    outers = discs(lon0, lat0, np.full(n, outer), tol)
    union = shapely.union_all(outers) if n > 1 else outers[0]
    if inner <= 0:
        return finish(union)
    d = sphere_km(lon0[:, None], lat0[:, None], lon0[None, :], lat0[None, :])
    lo, hi = d * 0.994 - 1.0, d * 1.006 + 1.0
    covered = (lo - inner >= inner) & (hi + inner <= outer)
    np.fill_diagonal(covered, False)
    open_holes = np.flatnonzero(~covered.any(axis=1))
    if open_holes.size == 0:
        return finish(union)
    inners = discs(lon0[open_holes], lat0[open_holes], np.full(open_holes.size, inner), tol)
    reach = lo[open_holes] - inner <= outer
    reaching = np.flatnonzero(reach.any(axis=0))
    holes = shapely.union_all(inners)
    if reaching.size:
        cover = shapely.union_all(bands_each(lon0[reaching], lat0[reaching], inner, outer, tol))
        holes = holes.difference(cover)
    if not holes.is_empty:
        union = union.difference(holes)
    return finish(union)
