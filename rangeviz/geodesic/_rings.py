"""Adaptive sampling of closed geodesic rings: the engine under every shape.

A ring is the boundary of a star-shaped disc round a site: for each azimuth
``a`` at the site, the point at distance ``R(a)`` along the geodesic that
leaves the site at ``a``. ``R`` is constant for discs and bands and a
function of the azimuth for :func:`rangeviz.geodesic.region_by_azimuth`.

* Vertices come from :meth:`pyproj.Geod.fwd`; the ring parameter is the
  azimuth at the site. Within :data:`ANTIPODE_MODE_KM` of the antipodal
  distance, where geodesics from the site stop being shortest (the cut locus,
  ~70 km long, lies there), vertices are found instead by solving along
  geodesics from the antipode, and the parameter is the azimuth there.
* A chord -- the straight lon/lat line between neighbouring vertices -- is
  split at its middle parameter until it stays within the tolerance of the
  true ring. Its error is first *estimated* from divided differences, with no
  geodesic calls. Where that estimate cannot be trusted (near the antipode,
  near a pole, for a radius that varies with azimuth) every accepted chord is
  then *measured* with :meth:`pyproj.Geod.inv` at three interior points, and
  split again until it passes.
* A ring that would pass within a quarter of the tolerance of a pole is moved
  that far off it (by at most half the tolerance, should both poles be that
  close) and sampled to the remaining tolerance: on the pole its longitude,
  and so its winding round the pole, is undefined.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from rangeviz.geodesic._antipode import points_from_antipode
from rangeviz.geodesic._distance import ANTIPODAL_KM, GEOD, wrap180

__all__ = [
    "ANTIPODE_MODE_KM",
    "RingSpec",
    "Vertices",
    "chord_errors",
    "coarse_counts",
    "initial_counts",
    "keep_rings",
    "refine",
    "regrid",
    "ring_points",
    "ring_spec",
    "sample_rings",
    "split_flags",
    "split_segments",
    "start",
    "unwrap",
]

#: Rings beyond ``ANTIPODAL_KM - ANTIPODE_MODE_KM`` are solved from the antipode.
ANTIPODE_MODE_KM = 1000.0
# The largest longitude step between neighbouring vertices: keeps unwrapping
# unambiguous and chords near a pole short.
_MAX_DLON = 20.0
# Estimated and measured errors must stay below these shares of the
# tolerance: the estimate is good to a few per cent where it is trusted, and
# three measured points bound a smooth error profile with room to spare.
_ESTIMATE_SHARE = 0.8
_MEASURE_SHARE = 0.8
_MEASURE_AT = (0.25, 0.5, 0.75)
# Chords reaching this close to a pole (degrees of latitude) are measured:
# there the lon/lat metric changes too fast along a chord for the estimate.
_POLE_ZONE_DEG = 80.0
_ROUNDS = 80
# Refinement stops for a ring with this many vertices. Only a region by
# azimuth whose radius comes within ~100 km of the antipodal distance gets
# here: there the azimuth from the site is ambiguous (the cut locus) and the
# boundary may jump, so no chord across the jump ever passes.
_MAX_VERTICES = 40_000
# How far (km) a ring is moved off a pole at most: a quarter of the tolerance.
_POLE_SHARE = 0.25


@dataclass(frozen=True)
class RingSpec:
    """What a batch of rings is: centres, radii and how to sample each.

    The radius of ring ``k`` at azimuth ``a`` is ``radius_km[k]`` plus
    ``by_azimuth(a)`` when that is given (it is then shared by all rings).
    """

    lon0: np.ndarray
    lat0: np.ndarray
    radius_km: np.ndarray
    tol_km: np.ndarray
    #: solved from the antipode (see the module docstring)
    far: np.ndarray
    #: every chord is measured, not only estimated
    measure: np.ndarray
    #: which poles lie inside each ring
    north_in: np.ndarray
    south_in: np.ndarray
    least_km: np.ndarray
    largest_km: np.ndarray
    by_azimuth: Callable[[np.ndarray], np.ndarray] | None = None

    def radius(self, rid: np.ndarray, az: np.ndarray) -> np.ndarray:
        """The radius (km) of rings ``rid`` at azimuths ``az`` (degrees)."""
        r = self.radius_km[rid]
        if self.by_azimuth is not None:
            r = r + self.by_azimuth(az)
        return r


@dataclass(frozen=True)
class Vertices:
    """Vertices of many closed rings, ring after ring, each in parameter order.

    Each ring runs from parameter 0 to 360 (degrees); its last vertex repeats
    its first exactly. Segment ``i`` joins vertex ``i`` to ``i + 1`` when both
    belong to the same ring.
    """

    rid: np.ndarray
    param: np.ndarray
    lon: np.ndarray
    lat: np.ndarray


def ring_spec(
    lon0: np.ndarray,
    lat0: np.ndarray,
    radius_km: np.ndarray,
    tol_km: float,
    *,
    by_azimuth: Callable[[np.ndarray], np.ndarray] | None = None,
) -> RingSpec:
    """Describe rings round sites, moved off the poles where they graze one.

    ``radius_km`` is the radius of each ring, or with ``by_azimuth`` (one
    function for all rings) an offset added to it (usually 0).
    """
    lon0 = np.asarray(lon0, dtype=float)
    lat0 = np.asarray(lat0, dtype=float)
    base = np.asarray(radius_km, dtype=float).copy()
    n = len(base)
    az_n, _, d_n = GEOD.inv(lon0, lat0, np.zeros(n), np.full(n, 90.0))
    az_s, _, d_s = GEOD.inv(lon0, lat0, np.zeros(n), np.full(n, -90.0))
    d_n, d_s = np.asarray(d_n) / 1000.0, np.asarray(d_s) / 1000.0
    if by_azimuth is None:
        r_n, r_s = base.copy(), base.copy()
        least, largest = base.copy(), base.copy()
    else:
        r_n = base + by_azimuth(np.asarray(az_n, dtype=float))
        r_s = base + by_azimuth(np.asarray(az_s, dtype=float))
        dense = by_azimuth(np.linspace(0.0, 360.0, 721))
        least, largest = base + dense.min(), base + dense.max()
    shift = _pole_shift(r_n, r_s, d_n, d_s, _POLE_SHARE * tol_km)
    base += shift
    return RingSpec(
        lon0=lon0,
        lat0=lat0,
        radius_km=base,
        tol_km=tol_km - np.abs(shift),
        far=largest + shift > ANTIPODAL_KM - ANTIPODE_MODE_KM,
        measure=(largest + shift > ANTIPODAL_KM - ANTIPODE_MODE_KM) | (by_azimuth is not None),
        north_in=r_n + shift > d_n,
        south_in=r_s + shift > d_s,
        least_km=least + shift,
        largest_km=largest + shift,
        by_azimuth=by_azimuth,
    )


def _pole_shift(
    r_n: np.ndarray, r_s: np.ndarray, d_n: np.ndarray, d_s: np.ndarray, gap: float
) -> np.ndarray:
    """The smallest shift of each radius that keeps the ring ``gap`` off both poles.

    A pole the site sits on (or within ``gap`` of) is not a concern: only a
    ring smaller than ``2 * gap`` could pass near it.
    """
    lo_n, hi_n = d_n - r_n - gap, d_n - r_n + gap
    lo_s, hi_s = d_s - r_s - gap, d_s - r_s + gap
    use_n, use_s = d_n > gap, d_s > gap

    def allowed(s: np.ndarray) -> np.ndarray:
        bad_n = use_n & (s > lo_n) & (s < hi_n)
        bad_s = use_s & (s > lo_s) & (s < hi_s)
        return ~bad_n & ~bad_s

    best = np.zeros_like(r_n)
    ok = allowed(best)
    best_abs = np.where(ok, 0.0, np.inf)
    for cand in (lo_n, hi_n, lo_s, hi_s):
        good = allowed(cand) & (np.abs(cand) < best_abs)
        best = np.where(good, cand, best)
        best_abs = np.where(good, np.abs(cand), best_abs)
    return best


def initial_counts(spec: RingSpec) -> np.ndarray:
    """How many equal parameter steps to start each ring with.

    The sagitta of an n-gon of planar radius ``rho`` is about
    ``rho * pi**2 / (2 * n**2)``; ``rho`` is the ring's radius as seen in a
    tangent plane (small near the antipode too).
    """

    def rho(r):
        return 6371.0 * np.abs(np.sin(np.minimum(r, ANTIPODAL_KM - r) / 6371.0))

    quarter = ANTIPODAL_KM / 2.0
    spans_quarter = (spec.least_km < quarter) & (spec.largest_km > quarter)
    widest = np.where(spans_quarter, 6371.0, np.maximum(rho(spec.least_km), rho(spec.largest_km)))
    n = np.ceil(math.pi * np.sqrt(widest / (2.0 * _ESTIMATE_SHARE * spec.tol_km)))
    n = np.clip(n, math.ceil(360.0 / _MAX_DLON), 2048)
    # rounded up (by at most 1/32) to k * 2**j with k <= 64, so that coarser
    # grids nest in it: a union screens rings on those and keeps the vertices
    j = np.maximum(0.0, np.ceil(np.log2(n / 64.0)))
    return (np.ceil(n / 2.0**j) * 2.0**j).astype(np.int64)


def coarse_counts(counts: np.ndarray, least: np.ndarray) -> np.ndarray:
    """The fewest steps per ring, halving ``counts``, still at least ``least``."""
    c = counts.copy()
    while True:
        half = (c % 2 == 0) & (c // 2 >= least)
        if not half.any():
            return c
        c = np.where(half, c // 2, c)


def regrid(spec: RingSpec, v: Vertices, counts: np.ndarray) -> Vertices:
    """The rings of ``v`` on their starting grids of ``counts`` steps.

    Vertices of ``v`` that lie on a grid are kept (they were computed on a
    coarser grid nested in it); the rest of the grid is computed, and
    vertices off it are dropped. The result is what :func:`start` gives.
    """
    rings = np.unique(v.rid)
    n = counts[rings]
    rid = np.repeat(rings, n + 1)
    first = np.concatenate(([0], np.cumsum(n + 1)[:-1]))
    k = np.arange(len(rid)) - np.repeat(first, n + 1)
    param = 360.0 * k / np.repeat(n, n + 1)
    lon = np.full(len(rid), np.nan)
    lat = np.full(len(rid), np.nan)
    where = np.searchsorted(rings, v.rid)
    g = v.param * counts[v.rid] / 360.0
    on = np.abs(g - np.round(g)) < 1e-6
    at = first[where[on]] + np.round(g[on]).astype(np.int64)
    lon[at], lat[at] = v.lon[on], v.lat[on]
    missing = np.isnan(lon)
    if missing.any():
        lon[missing], lat[missing] = ring_points(spec, rid[missing], param[missing])
    last = first + n
    lon[last], lat[last] = lon[first], lat[first]
    return Vertices(rid, param, lon, lat)


def start(spec: RingSpec, counts: np.ndarray, rings: np.ndarray | None = None) -> Vertices:
    """Rings ``rings`` (default: all) with ``counts`` equal parameter steps each."""
    rings = np.arange(len(spec.radius_km)) if rings is None else np.asarray(rings)
    counts = np.asarray(counts, dtype=np.int64)
    rid = np.repeat(rings, counts + 1)
    first = np.concatenate(([0], np.cumsum(counts + 1)[:-1]))
    k = np.arange(len(rid)) - np.repeat(first, counts + 1)
    param = 360.0 * k / np.repeat(counts, counts + 1)
    lon, lat = ring_points(spec, rid, param)
    # the closing vertex is the first one again, exactly
    last = first + counts
    lon[last], lat[last] = lon[first], lat[first]
    return Vertices(rid, param, lon, lat)


def ring_points(
    spec: RingSpec, rid: np.ndarray, param: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The vertex of ring ``rid`` at each parameter (degrees)."""
    lon = np.empty(len(param))
    lat = np.empty(len(param))
    far = spec.far[rid]
    near = ~far
    if near.any():
        i, a = rid[near], param[near]
        x, y, _ = GEOD.fwd(spec.lon0[i], spec.lat0[i], a, spec.radius(i, a) * 1000.0)
        lon[near], lat[near] = x, y
    if far.any():
        i = rid[far]
        lon[far], lat[far] = points_from_antipode(
            spec.lon0[i],
            spec.lat0[i],
            spec.least_km[i],
            param[far],
            lambda k, az: spec.radius(i[k], az),
        )
    return lon, lat


def _estimated_errors(v: Vertices) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Estimated stray (km) of each segment's chord, its longitude step, same-ring mask.

    The straight lon/lat chord of a smooth curve strays by about
    ``|f''| h**2 / 8`` at its middle, where ``f''`` is the second derivative
    of (lon, lat) in the ring parameter and ``h`` the parameter step. ``f''``
    comes from divided differences over the vertices on either side (the
    larger wins), converted to kilometres on the ground at the chord's
    latitude.
    """
    rid, param, lon, lat = v.rid, v.param, v.lon, v.lat
    same = rid[:-1] == rid[1:]
    h = np.diff(param)
    dlon = wrap180(np.diff(lon))
    dlat = np.diff(lat)
    with np.errstate(divide="ignore", invalid="ignore"):
        slon, slat = dlon / h, dlat / h
        span = 0.5 * (h[1:] + h[:-1])
        # second derivative at interior vertex i+1 (triple i, i+1, i+2)
        d2lon = np.abs(np.diff(slon)) / span
        d2lat = np.abs(np.diff(slat)) / span
    triple = same[1:] & same[:-1]
    d2lon = np.where(triple, d2lon, 0.0)
    d2lat = np.where(triple, d2lat, 0.0)
    # a segment borrows the larger estimate from the vertices at its two ends
    zero = np.zeros(1)
    c_lon = np.maximum(np.concatenate((zero, d2lon)), np.concatenate((d2lon, zero)))
    c_lat = np.maximum(np.concatenate((zero, d2lat)), np.concatenate((d2lat, zero)))
    mid_lat = np.radians(0.5 * (lat[1:] + lat[:-1]))
    ex = c_lon * h**2 / 8.0 * 111.32 * np.cos(mid_lat)
    ey = c_lat * h**2 / 8.0 * 110.57
    # No point of a chord is farther from the ring than half the chord's
    # length (its ends lie on the ring): this bounds the estimate, which
    # otherwise never settles where a ring has a corner.
    half = 0.5 * np.hypot(dlon * 111.33 * np.cos(mid_lat), dlat * 111.7)
    return np.where(same, np.minimum(np.hypot(ex, ey), half), 0.0), dlon, same


def chord_errors(spec: RingSpec, v: Vertices, seg: np.ndarray) -> np.ndarray:
    """Measured stray (km) of the chords of segments ``seg``, by Geod.inv.

    A chord point's stray is bounded by ``|d - R(a)|`` for its distance ``d``
    and azimuth ``a`` from the site (the ring point at that azimuth is that
    far along the same geodesic), and by its distance to either end of the
    chord (both lie on the ring). The second bound matters only where the
    azimuth is ill-defined: on the cut locus near the antipode, where the
    boundary of a region by azimuth may jump.
    """
    rid = v.rid[seg]
    lon_a, lat_a = v.lon[seg], v.lat[seg]
    lon_b, lat_b = v.lon[seg + 1], v.lat[seg + 1]
    dlon = wrap180(lon_b - lon_a)
    dlat = lat_b - lat_a
    t = np.asarray(_MEASURE_AT)[None, :]
    x = wrap180(lon_a[:, None] + t * dlon[:, None]).ravel()
    y = (lat_a[:, None] + t * dlat[:, None]).ravel()
    k = np.repeat(rid, len(_MEASURE_AT))
    az, _, d = GEOD.inv(spec.lon0[k], spec.lat0[k], x, y)
    err = np.abs(np.asarray(d) / 1000.0 - spec.radius(k, np.asarray(az)))
    far = np.flatnonzero(err > _MEASURE_SHARE * spec.tol_km[k])
    if far.size:
        j = far // len(_MEASURE_AT)
        _, _, da = GEOD.inv(lon_a[j], lat_a[j], x[far], y[far])
        _, _, db = GEOD.inv(lon_b[j], lat_b[j], x[far], y[far])
        err[far] = np.minimum(err[far], np.minimum(da, db) / 1000.0)
    return err.reshape(len(seg), -1).max(axis=1)


def split_segments(spec: RingSpec, v: Vertices, split: np.ndarray) -> tuple[Vertices, np.ndarray]:
    """Insert a vertex at the middle parameter of each segment in ``split``.

    Returns the new vertices and the indices (before insertion) of the split
    segments, for :func:`split_flags`.
    """
    at = np.flatnonzero(split)
    new_param = 0.5 * (v.param[at] + v.param[at + 1])
    new_rid = v.rid[at]
    nlon, nlat = ring_points(spec, new_rid, new_param)
    pos = at + 1
    out = Vertices(
        np.insert(v.rid, pos, new_rid),
        np.insert(v.param, pos, new_param),
        np.insert(v.lon, pos, nlon),
        np.insert(v.lat, pos, nlat),
    )
    return out, at


def split_flags(flag: np.ndarray, at: np.ndarray, value: bool) -> np.ndarray:
    """A per-segment flag after :func:`split_segments`: both halves of a split get ``value``."""
    f = flag.copy()
    f[at] = value
    return np.insert(f, at + 1, value)


def refine(spec: RingSpec, v: Vertices, active: np.ndarray | None = None) -> Vertices:
    """Split the ``active`` segments (default: all) until each chord is within tolerance.

    Rings with nothing left to do are set aside each round, so the work per
    round follows the rings still being refined.
    """
    nseg = max(len(v.rid) - 1, 0)
    active = np.ones(nseg, dtype=bool) if active is None else active.copy()
    measured = np.zeros(nseg, dtype=bool)
    finished: list[Vertices] = []
    for _ in range(_ROUNDS):
        err, dlon, same = _estimated_errors(v)
        srid = v.rid[:-1]
        tol = spec.tol_km[srid]
        work = same & active
        split = work & ((err > _ESTIMATE_SHARE * tol) | (np.abs(dlon) > _MAX_DLON))
        busy = np.zeros(len(spec.radius_km), dtype=bool)
        busy[srid[split]] = True
        # rings whose estimates all pass: measure the chords the estimate
        # cannot vouch for (once each; a split chord is measured again)
        pole = np.maximum(np.abs(v.lat[:-1]), np.abs(v.lat[1:])) > _POLE_ZONE_DEG
        untrusted = spec.measure[srid] | pole
        todo = np.flatnonzero(work & ~measured & ~busy[srid] & untrusted)
        if todo.size:
            bad = chord_errors(spec, v, todo) > _MEASURE_SHARE * tol[todo]
            measured[todo[~bad]] = True
            split[todo[bad]] = True
            busy[srid[todo[bad]]] = True
        busy &= np.bincount(v.rid, minlength=len(busy)) < _MAX_VERTICES
        if not busy.all():
            finished.append(keep_rings(v, ~busy)[0])
            if not busy[v.rid].any():
                return _merge(finished)
            v, (active, measured, split) = keep_rings(v, busy, active, measured, split)
        v, at = split_segments(spec, v, split)
        active = split_flags(active, at, True)
        measured = split_flags(measured, at, False)
    finished.append(v)
    return _merge(finished)


def keep_rings(
    v: Vertices, keep: np.ndarray, *flags: np.ndarray
) -> tuple[Vertices, list[np.ndarray]]:
    """The vertices of the rings marked in ``keep`` (one flag per ring), and their segment flags.

    Whole rings go, so each kept vertex keeps the segment it starts (the
    last one, a join between rings, falls off the end).
    """
    mask = keep[v.rid]
    kept = np.flatnonzero(mask)
    out = Vertices(v.rid[mask], v.param[mask], v.lon[mask], v.lat[mask])
    return out, [np.append(f, False)[kept][:-1] for f in flags]


def _merge(parts: list[Vertices]) -> Vertices:
    rid = np.concatenate([p.rid for p in parts])
    order = np.argsort(rid, kind="stable")
    return Vertices(
        rid[order],
        np.concatenate([p.param for p in parts])[order],
        np.concatenate([p.lon for p in parts])[order],
        np.concatenate([p.lat for p in parts])[order],
    )


def unwrap(v: Vertices) -> list[tuple[np.ndarray, np.ndarray]]:
    """Each ring's vertices with continuous (unwrapped) longitudes.

    The last vertex repeats the first, its longitude differing by 0 or +-360
    degrees: the ring's winding round the poles.
    """
    bounds = np.flatnonzero(np.diff(v.rid)) + 1
    rings = []
    for rlon, rlat in zip(np.split(v.lon, bounds), np.split(v.lat, bounds), strict=True):
        step = wrap180(np.diff(rlon))
        unwrapped = rlon[0] + np.concatenate(([0.0], np.cumsum(step)))
        unwrapped[-1] = unwrapped[0] + 360.0 * round((unwrapped[-1] - unwrapped[0]) / 360.0)
        rings.append((unwrapped, rlat))
    return rings


def sample_rings(spec: RingSpec) -> list[tuple[np.ndarray, np.ndarray]]:
    """Every ring of ``spec`` sampled to its tolerance, unwrapped (see :func:`unwrap`)."""
    return unwrap(refine(spec, start(spec, initial_counts(spec))))
