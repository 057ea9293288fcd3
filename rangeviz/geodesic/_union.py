"""The union of equal bands round many sites, in near-linear time and bounded memory.

A point lies in the union ``B`` iff some site's distance to it lies in
``[inner, outer]``. The boundary of ``B`` is made of arcs of the sites' rings
that no *other* band covers; of 1,000 European sites, a few dozen rings
reach it, and of those only short arcs. So:

1. Screen. Every ring is sampled on a coarse grid (a dozen to a few dozen
   vertices). An arc between two vertices is *covered* when the depths of
   its ends in other bands prove it lies inside them (see :mod:`._screen`).
   Uncovered arcs are halved and screened again, down to the sampler's
   starting grid, and further while both ends are inside other bands.
2. Refine. A site with an uncovered arc may reach the boundary: its rings are
   sampled exactly as :func:`~rangeviz.geodesic.band` samples them -- the
   coarse grids nest in the starting grid, so screened vertices are kept --
   and its band joins ``W``. Every other ring stays coarse: ~60 vertices per
   site where the floor, one ring at 720 azimuths, computes 720.
3. Assemble. ``W`` lies in ``B`` and holds its whole boundary; so each
   connected piece of the rest of the globe lies wholly in ``B`` or wholly
   outside it (up to the tolerance), and one point, tested against every
   site, says which. Sites whose rings are all covered count through those
   pieces, with no polygon work.

Sites are handled in chunks so memory stays bounded; no array grows with the
square of the number of sites.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from rangeviz.geodesic._distance import ANTIPODAL_KM, SPHERE_KM
from rangeviz.geodesic._polygons import WORLD, annulus, disc_from_ring, finish
from rangeviz.geodesic._rings import (
    Vertices,
    coarse_counts,
    initial_counts,
    keep_rings,
    refine,
    regrid,
    ring_spec,
    split_flags,
    split_segments,
    start,
    unwrap,
)
from rangeviz.geodesic._screen import Coverage, Depths, covered_arcs
from rangeviz.geodesic._shapes import bands_each

__all__ = ["union_of_bands"]

# Coarse arcs of about this length (km) to start screening with.
_COARSE_KM = 1600.0
# ... and at least this many: an arc of a twelfth of a ring is within 1.2 %
# of its chord (screening allows 3 %)
_FEWEST = 12
# Radii this close (km) to the antipodal distance reach everywhere.
_WHOLE_SLACK_KM = 1e-6


def union_of_bands(
    lon0: np.ndarray,
    lat0: np.ndarray,
    inner: float,
    outer: float,
    tol: float,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> BaseGeometry:
    """Compute the union of the bands ``[inner, outer]`` (km) round many sites.

    Parameters
    ----------
    lon0, lat0 : numpy.ndarray
        The sites, degrees.
    inner, outer : float
        Checked radii, ``0 <= inner < outer <= ANTIPODAL_KM``.
    tol : float
        How far (km) an edge may stray from the true boundary.
    progress : callable, optional
        Called as ``progress(done, total)`` with ``total`` the number of
        sites, after each chunk of sites and once at the end.

    Returns
    -------
    shapely.Polygon or shapely.MultiPolygon
        Valid, RFC 7946 oriented, cut at the seam, without redundant vertices
        along the seam and pole lines.
    """
    total = len(lon0)
    lon0, lat0 = _distinct(np.asarray(lon0, dtype=float), np.asarray(lat0, dtype=float))
    n = len(lon0)
    whole_outer = outer >= ANTIPODAL_KM - _WHOLE_SLACK_KM
    if n == 1 or (whole_outer and inner <= 0):
        geom = bands_each(lon0[:1], lat0[:1], inner, outer, tol)[0] if n == 1 else WORLD
        if progress is not None:
            progress(total, total)
        return finish(geom)
    cover = Coverage(lon0, lat0, inner, outer if not whole_outer else ANTIPODAL_KM)
    radii = ([] if whole_outer else [outer]) + ([inner] if inner > 0 else [])
    pieces: list[BaseGeometry] = []
    chunk = max(2048, min(4096, math.ceil(n / 16)))
    for first in range(0, n, chunk):
        sites = np.arange(first, min(first + chunk, n))
        pieces += _contributing_bands(cover, sites, radii, tol)
        if progress is not None:
            progress(round(total * (sites[-1] + 1) / n), total)
    inside = shapely.union_all(pieces) if pieces else shapely.Polygon()
    # each piece of the rest of the globe lies wholly in the union or out of it
    rest = np.array([p for p in shapely.get_parts(WORLD.difference(inside)) if not p.is_empty])
    if len(rest):
        xy = shapely.get_coordinates(shapely.point_on_surface(rest))
        rest = rest[cover.covers(xy[:, 0], xy[:, 1])]
    geom = finish(shapely.union_all([inside, *rest]))
    if progress is not None:
        progress(total, total)
    return geom


def _distinct(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sites without repeats (a pole is one point whatever its longitude, and -180 is 180)."""
    lon = np.where(np.abs(lat) == 90.0, 0.0, np.where(lon == -180.0, 180.0, lon))
    _, first = np.unique(np.column_stack((lon, lat)), axis=0, return_index=True)
    first.sort()
    return lon[first], lat[first]


def _contributing_bands(
    cover: Coverage, sites: np.ndarray, radii: list[float], tol: float
) -> list[BaseGeometry]:
    """The bands of those ``sites`` with a ring arc that no other band covers."""
    nr = len(radii)
    ring_site = np.tile(sites, nr)
    ring_r = np.repeat(np.asarray(radii, dtype=float), len(sites))
    spec = ring_spec(cover.lon0[ring_site], cover.lat0[ring_site], ring_r, tol)
    fine = initial_counts(spec)
    circumference = 2.0 * math.pi * _planar_radius(spec.radius_km)
    least = np.maximum(np.ceil(circumference / _COARSE_KM), _FEWEST)
    v = start(spec, coarse_counts(fine, least))
    depths = Depths.start(v)
    open_ = np.ones(len(v.rid) - 1, dtype=bool)
    while True:
        covered, promising = covered_arcs(cover, v, depths, open_, ring_site[v.rid])
        open_ &= ~covered
        # set aside the sites with every ring arc covered: they add nothing
        reaching = _reaching_sites(v, open_, ring_site, len(sites))
        if not reaching.all():
            keep = np.tile(reaching, nr)
            depths = depths.keep(keep[v.rid])
            v, (open_, promising) = keep_rings(v, keep, open_, promising)
            if len(v.rid) == 0:
                return []
        h = np.diff(v.param)
        # open arcs are halved down to the sampler's first step, and beyond
        # while both ends lie inside other bands (a near miss of the boundary)
        coarse = h > 360.0 / fine[v.rid[:-1]] * 1.0001
        wide = open_ & (v.rid[:-1] == v.rid[1:]) & (coarse | promising)
        if not wide.any():
            break
        v, at = split_segments(spec, v, wide)
        open_ = split_flags(open_, at, True)
        depths = depths.split(v, at)
    # A site with an open arc on any ring contributes its whole band, each
    # ring sampled exactly as band() samples it (on the same grid, keeping the
    # vertices screening computed on it), so the union holds every band
    site_in = _reaching_sites(v, open_, ring_site, len(sites))
    v = refine(spec, regrid(spec, v, fine))
    rings = dict(zip(np.unique(v.rid).tolist(), unwrap(v), strict=True))
    out = []
    for s in np.flatnonzero(site_in):
        discs = []
        for k in range(nr):
            r = k * len(sites) + s
            lon, lat = rings[r]
            discs.append(disc_from_ring(lon, lat, bool(spec.north_in[r]), bool(spec.south_in[r])))
        if nr == 2:
            out.append(annulus(discs[0], discs[1]))
        elif cover.has_edge:  # no hole
            out.append(discs[0])
        else:  # no outer edge: the globe less the hole
            out.append(annulus(WORLD, discs[0]))
    return out


def _reaching_sites(
    v: Vertices, open_: np.ndarray, ring_site: np.ndarray, nsites: int
) -> np.ndarray:
    """Which sites (positions in the chunk) have a ring with an open segment."""
    ring_open = np.zeros(len(ring_site), dtype=bool)
    ring_open[v.rid[:-1][open_ & (v.rid[:-1] == v.rid[1:])]] = True
    out = np.zeros(nsites, dtype=bool)
    out[np.flatnonzero(ring_open) % nsites] = True
    return out


def _planar_radius(r: np.ndarray) -> np.ndarray:
    return SPHERE_KM * np.abs(np.sin(np.minimum(r, ANTIPODAL_KM - r) / SPHERE_KM))
