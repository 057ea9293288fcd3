"""The union of bands as rangeviz computed it before issue 12 (commit 7878b50), for comparison.

A trimmed copy of that commit's ``rangeviz/geodesic.py``: only what
``_union_of_bands`` needs. It builds an N x N site-distance matrix and samples
every ring (the outer ones twice): fine at 1,000 sites, about 4 GB at 10,000,
out of memory at 100,000. Used by ``bench_bands.py`` as the "before" column.
"""

from __future__ import annotations

import math

import numpy as np
import shapely
from pyproj import Geod
from shapely.geometry import Polygon, box
from shapely.geometry.base import BaseGeometry

from rangeviz.geodesic import ANTIPODAL_KM

GEOD = Geod(ellps="WGS84")


_WORLD = box(-180.0, -90.0, 180.0, 90.0)


_ANTIPODE_MODE_KM = 1000.0


_MAX_DLON = 20.0


_REFINE_ROUNDS = 40


_CHORD_SHARE = 0.8


def sphere_km(lon1, lat1, lon2, lat2):
    """Great-circle distance on a 6371 km sphere (a fast bound, not the truth)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dl = np.radians(np.asarray(lon2) - np.asarray(lon1))
    h = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * 6371.0088 * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def _wrap180(x: np.ndarray) -> np.ndarray:
    return (np.asarray(x) + 180.0) % 360.0 - 180.0


def _points_from_antipode(lon0, lat0, r_km, beta):
    """Points at distance ``r_km`` from each site, on rays ``beta`` from its antipode.

    All arguments are equal-length arrays. Solves d(site, q(t)) = r along each
    geodesic q(t) leaving the antipode at azimuth beta, by the Illinois
    (safeguarded regula falsi) method: d falls from ANTIPODAL_KM as t grows.
    """
    alon = _wrap180(lon0 + 180.0)
    alat = -lat0
    target = r_km * 1000.0

    def f(t):
        qlon, qlat, _ = GEOD.fwd(alon, alat, beta, t)
        _, _, d = GEOD.inv(lon0, lat0, qlon, qlat)
        return d - target, qlon, qlat

    t0 = (ANTIPODAL_KM - r_km) * 1000.0
    lo = np.zeros_like(t0)
    f_lo = np.full_like(t0, ANTIPODAL_KM * 1000.0 - target)
    hi = 2.0 * t0 + 20_000.0
    f_hi, qlon, qlat = f(hi)
    t = t0.copy()
    for _ in range(200):
        ft, qlon, qlat = f(t)
        done = np.abs(ft) < 1e-4  # 0.1 mm
        if done.all():
            break
        # keep the bracket [lo, hi] with f(lo) > 0 > f(hi)
        left = ft > 0
        lo = np.where(left, t, lo)
        f_lo = np.where(left, ft, f_lo)
        hi = np.where(~left, t, hi)
        f_hi = np.where(~left, ft, f_hi)
        with np.errstate(divide="ignore", invalid="ignore"):
            secant = lo - f_lo * (hi - lo) / (f_hi - f_lo)
        ok = np.isfinite(secant) & (secant > lo) & (secant < hi)
        # Illinois: after two steps on the same side, bisect instead
        t_new = np.where(ok, secant, 0.5 * (lo + hi))
        stalled = np.abs(t_new - t) < 1e-9
        t = np.where(done, t, np.where(stalled, 0.5 * (lo + hi), t_new))
    return qlon, qlat


def _ring_points(lon0, lat0, r_km, param):
    """Ring points for each (site, radius, parameter); arrays of equal length."""
    lon = np.empty_like(param)
    lat = np.empty_like(param)
    far = r_km > ANTIPODAL_KM - _ANTIPODE_MODE_KM
    near = ~far
    if near.any():
        lon[near], lat[near], _ = GEOD.fwd(lon0[near], lat0[near], param[near], r_km[near] * 1000.0)
    if far.any():
        lon[far], lat[far] = _points_from_antipode(lon0[far], lat0[far], r_km[far], param[far])
    return lon, lat


def _initial_count(r_km: float, tol_km: float) -> int:
    # chord sagitta of an n-gon of planar radius rho is about rho*pi^2/(2 n^2)
    rho = 6371.0 * abs(math.sin(min(r_km, ANTIPODAL_KM - r_km) / 6371.0))
    n = math.ceil(math.pi * math.sqrt(rho / (2.0 * _CHORD_SHARE * tol_km)))
    return int(min(max(n, math.ceil(360.0 / _MAX_DLON)), 2048))


def _segments_to_split(rid, param, lon, lat, tol_km) -> np.ndarray:
    """Which segments (vertex i to i+1) stray too far from the true ring.

    The straight lon/lat chord of a smooth curve strays by about
    ``|f''| h**2 / 8`` at its middle, where ``f''`` is the second derivative
    of (lon, lat) in the ring parameter and ``h`` the parameter step. ``f''``
    comes from divided differences over the vertices on either side (the
    larger wins), converted to kilometres on the ground at the chord's
    latitude. No geodesic calls: this costs far less than checking each chord
    against Geod.inv, and the test suite checks the result against Geod.inv.
    """
    same = rid[:-1] == rid[1:]
    h = np.diff(param)
    dlon = _wrap180(np.diff(lon))
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
    err = np.hypot(ex, ey)
    return same & ((err > _CHORD_SHARE * tol_km) | (np.abs(dlon) > _MAX_DLON))


def _sample_rings(
    lon0: np.ndarray, lat0: np.ndarray, r_km: np.ndarray, tol_km: float
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Adaptively sampled closed rings, one per (site, radius).

    Returns, per ring, unwrapped longitudes (continuous, may leave
    [-180, 180]) and latitudes; the last vertex repeats the first (its
    longitude differing by 0 or +-360 degrees).
    """
    nring = len(r_km)
    counts = np.array([_initial_count(r, tol_km) for r in r_km])
    rid = np.repeat(np.arange(nring), counts + 1)
    starts = np.concatenate(([0], np.cumsum(counts + 1)[:-1]))
    k = np.arange(len(rid)) - np.repeat(starts, counts + 1)
    param = 360.0 * k / np.repeat(counts, counts + 1)
    lon, lat = _ring_points(lon0[rid], lat0[rid], r_km[rid], param)
    # the closing vertex is the first one again (exactly, not recomputed)
    last = starts + counts
    lon[last], lat[last] = lon[starts], lat[starts]
    finished = []  # (rid, lon, lat) of rings that need no more vertices
    for _ in range(_REFINE_ROUNDS):
        fail = np.flatnonzero(_segments_to_split(rid, param, lon, lat, tol_km))
        active = np.zeros(nring, dtype=bool)
        active[rid[fail]] = True
        keep = active[rid]
        if not keep.all():
            finished.append((rid[~keep], lon[~keep], lat[~keep]))
        if fail.size == 0:
            break
        # a segment that fails gains a vertex at its middle parameter
        new_param = 0.5 * (param[fail] + param[fail + 1])
        new_rid = rid[fail]
        nlon, nlat = _ring_points(lon0[new_rid], lat0[new_rid], r_km[new_rid], new_param)
        at = fail + 1
        rid = np.insert(rid, at, new_rid)[np.insert(keep, at, True)]
        param = np.insert(param, at, new_param)[np.insert(keep, at, True)]
        lon = np.insert(lon, at, nlon)[np.insert(keep, at, True)]
        lat = np.insert(lat, at, nlat)[np.insert(keep, at, True)]
    else:
        finished.append((rid, lon, lat))
    rid = np.concatenate([f[0] for f in finished])
    order = np.argsort(rid, kind="stable")
    rid = rid[order]
    lon = np.concatenate([f[1] for f in finished])[order]
    lat = np.concatenate([f[2] for f in finished])[order]

    bounds = np.flatnonzero(np.diff(rid)) + 1
    rings = []
    for rlon, rlat in zip(np.split(lon, bounds), np.split(lat, bounds), strict=True):
        step = _wrap180(np.diff(rlon))
        unwrapped = rlon[0] + np.concatenate(([0.0], np.cumsum(step)))
        # close exactly: the last vertex is the first, plus 0 or +-360
        unwrapped[-1] = unwrapped[0] + 360.0 * round((unwrapped[-1] - unwrapped[0]) / 360.0)
        rings.append((unwrapped, rlat))
    return rings


def _shift(geom: BaseGeometry, dx: float) -> BaseGeometry:
    return shapely.transform(geom, lambda xy: xy + np.array([dx, 0.0]))


def _cut_at_seam(geom: BaseGeometry) -> BaseGeometry:
    """Bring a geometry drawn in unwrapped longitudes into [-180, 180]."""
    xmin, _, xmax, _ = geom.bounds
    if xmin >= -180.0 and xmax <= 180.0:
        return geom
    pieces = []
    for k in range(math.floor((xmin + 180.0) / 360.0), math.ceil((xmax - 180.0) / 360.0) + 1):
        window = box(-180.0 + 360.0 * k, -90.0, 180.0 + 360.0 * k, 90.0)
        piece = geom.intersection(window)
        if not piece.is_empty:
            pieces.append(_shift(piece, -360.0 * k) if k else piece)
    return shapely.union_all(pieces)


def _pole_cap(lon: np.ndarray, lat: np.ndarray, pole_lat: float) -> Polygon:
    """The polygon between a ring that winds once round a pole and that pole.

    The ring is rotated to start where it crosses the seam, so the polygon
    spans exactly [-180, 180] and is closed along the pole line.
    """
    if lon[-1] < lon[0]:  # make longitudes increase
        lon, lat = lon[::-1], lat[::-1]
    seam = 180.0 + 360.0 * math.floor((lon[0] - 180.0) / 360.0)
    if seam <= lon[0]:
        seam += 360.0
    # first vertex at or past the seam; interpolate the crossing latitude
    i = int(np.searchsorted(lon, seam, side="left"))
    i = min(max(i, 1), len(lon) - 1)
    frac = (seam - lon[i - 1]) / (lon[i] - lon[i - 1])
    y = lat[i - 1] + frac * (lat[i] - lat[i - 1])
    # one lap from the seam: vertices i..end, then 1..i-1 shifted a turn on
    xs = np.concatenate(([seam], lon[i:], lon[1:i] + 360.0, [seam + 360.0]))
    ys = np.concatenate(([y], lat[i:], lat[1:i], [y]))
    keep = np.concatenate(([True], np.diff(xs) != 0.0))  # drop a duplicate seam vertex
    xs, ys = xs[keep], ys[keep]
    xs = xs - (seam + 180.0)
    xs[0], xs[-1] = -180.0, 180.0  # exact, whatever the rounding
    coords = np.column_stack(
        (
            np.concatenate((xs, [180.0, -180.0])),
            np.concatenate((ys, [pole_lat, pole_lat])),
        )
    )
    poly = Polygon(coords)
    if xs.min() < -180.0 or xs.max() > 180.0:  # a ring that doubles back
        poly = _cut_at_seam(shapely.make_valid(poly))
    return poly


def _disc_from_ring(
    lon: np.ndarray, lat: np.ndarray, north_in: bool, south_in: bool
) -> BaseGeometry:
    turn = lon[-1] - lon[0]
    if abs(turn) > 180.0:  # winds round a pole: exactly one pole is inside
        return _pole_cap(lon, lat, 90.0 if north_in else -90.0)
    enclosed = Polygon(np.column_stack((lon, lat)))
    if not enclosed.is_valid:
        enclosed = shapely.make_valid(enclosed)
    enclosed = _cut_at_seam(enclosed)
    if north_in and south_in:
        return _WORLD.difference(enclosed)
    return enclosed


def _pole_distances(lon0: np.ndarray, lat0: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    n = len(lon0)
    _, _, dn = GEOD.inv(lon0, lat0, np.zeros(n), np.full(n, 90.0))
    _, _, ds = GEOD.inv(lon0, lat0, np.zeros(n), np.full(n, -90.0))
    return np.asarray(dn) / 1000.0, np.asarray(ds) / 1000.0


def _discs(
    lon0: np.ndarray, lat0: np.ndarray, r_km: np.ndarray, tol_km: float
) -> list[BaseGeometry]:
    """Discs (distance <= r) for arrays of sites and radii, as lon/lat geometries."""
    lon0 = np.asarray(lon0, dtype=float)
    lat0 = np.asarray(lat0, dtype=float)
    r_km = np.asarray(r_km, dtype=float).copy()
    dn, ds = _pole_distances(lon0, lat0)
    whole = r_km >= ANTIPODAL_KM - 1e-6
    empty = r_km <= 0
    # A ring through a pole has no defined longitude there; move it a few
    # metres off the pole (well inside any tolerance).
    nudge = 0.005
    for dpole in (dn, ds):
        close = (np.abs(r_km - dpole) < nudge) & ~empty & ~whole & (dpole > nudge)
        r_km[close] = dpole[close] + np.where(r_km[close] >= dpole[close], nudge, -nudge)
    out: list[BaseGeometry | None] = [None] * len(r_km)
    for i in np.flatnonzero(whole):
        out[i] = _WORLD
    for i in np.flatnonzero(empty):
        out[i] = Polygon()
    todo = np.flatnonzero(~whole & ~empty)
    if todo.size:
        rings = _sample_rings(lon0[todo], lat0[todo], r_km[todo], tol_km)
        for i, (lon, lat) in zip(todo, rings, strict=True):
            out[i] = _disc_from_ring(lon, lat, r_km[i] > dn[i], r_km[i] > ds[i])
    return out  # type: ignore[return-value]


def _finish(geom: BaseGeometry) -> BaseGeometry:
    """Valid, RFC 7946 oriented (exterior counter-clockwise) polygonal output."""
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    if geom.geom_type == "GeometryCollection":
        polys = [g for g in geom.geoms if g.geom_type in ("Polygon", "MultiPolygon")]
        geom = shapely.union_all(polys) if polys else Polygon()
    return shapely.orient_polygons(geom)


def _band_many(lon0, lat0, inner, outer, tol) -> list[BaseGeometry]:
    n = len(lon0)
    radii = np.concatenate((np.full(n, outer), np.full(n, inner)))
    discs = _discs(np.tile(lon0, 2), np.tile(lat0, 2), radii, tol)
    outs, ins = discs[:n], discs[n:]
    return [_finish(o if i.is_empty else o.difference(i)) for o, i in zip(outs, ins, strict=True)]


def union_of_bands(lon0, lat0, inner, outer, tol) -> BaseGeometry:
    """The union of equal bands around many sites.

    A point is in the union iff it is in some site's band. That is the union
    of the outer discs less the parts of each inner hole that no other band
    covers. A hole that lies wholly inside another site's band (by the
    triangle inequality on the site-to-site distance) needs no overlay work.
    """
    n = len(lon0)
    outers = _discs(lon0, lat0, np.full(n, outer), tol)
    union = shapely.union_all(outers) if n > 1 else outers[0]
    if inner <= 0:
        return _finish(union)
    # d_ij on a sphere, widened by a margin for the ellipsoid (< 0.6 %): the
    # tests below only need safe bounds, not exact distances.
    d = sphere_km(lon0[:, None], lat0[:, None], lon0[None, :], lat0[None, :])
    lo, hi = d * 0.994 - 1.0, d * 1.006 + 1.0
    covered = (lo - inner >= inner) & (hi + inner <= outer)
    np.fill_diagonal(covered, False)
    open_holes = np.flatnonzero(~covered.any(axis=1))
    if open_holes.size == 0:
        return _finish(union)
    inners = _discs(lon0[open_holes], lat0[open_holes], np.full(open_holes.size, inner), tol)
    # Band i never meets hole i, so "hole i less the other bands" is "hole i
    # less every band": one union of the open holes, one of the bands that
    # can reach them (d_ij - inner <= outer), and one difference.
    reach = lo[open_holes] - inner <= outer
    reaching = np.flatnonzero(reach.any(axis=0))
    holes = shapely.union_all(inners)
    if reaching.size:
        cover = shapely.union_all(_band_many(lon0[reaching], lat0[reaching], inner, outer, tol))
        holes = holes.difference(cover)
    if not holes.is_empty:
        union = union.difference(holes)
    return _finish(union)
