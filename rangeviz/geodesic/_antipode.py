"""Ring points near the antipodal distance, solved along geodesics from the antipode.

Within ~1,000 km of the antipodal distance the geodesics from a site stop
being shortest (the cut locus, a segment of the antipode's parallel up to
~134 km long, lies there), so ``Geod.fwd`` from the site no longer traces the
ring. Geodesics from the antipode do: along each, the distance from the site
falls steadily from ANTIPODAL_KM, and the ring point is where it meets the
radius.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from rangeviz.geodesic._distance import ANTIPODAL_KM, GEOD, wrap180

__all__ = ["points_from_antipode"]


def points_from_antipode(
    lon0: np.ndarray,
    lat0: np.ndarray,
    least_km: np.ndarray,
    beta: np.ndarray,
    radius: Callable[[np.ndarray, np.ndarray], np.ndarray],
) -> tuple[np.ndarray, np.ndarray]:
    """Ring points on the geodesics leaving each site's antipode at azimuths ``beta``.

    All arrays are per point: the site, the ring's least radius (km) and the
    azimuth (degrees) at the antipode. ``radius(k, az)`` gives the radius
    (km) of point ``k``'s ring at azimuths ``az`` from the site. Solves
    ``d(site, q(t)) = radius(azimuth from site to q(t))`` along each geodesic
    ``q(t)`` from the antipode by the Illinois (safeguarded regula falsi)
    method: the left side falls from ANTIPODAL_KM as ``t`` grows.
    """
    alon, alat = wrap180(lon0 + 180.0), -lat0

    def f(t, k):
        qlon, qlat, _ = GEOD.fwd(alon[k], alat[k], beta[k], t)
        az, _, d = GEOD.inv(lon0[k], lat0[k], qlon, qlat)
        return np.asarray(d) - 1000.0 * radius(k, np.asarray(az)), qlon, qlat

    n = len(beta)
    allk = np.arange(n)
    least = least_km
    # far enough to be inside the ring, not so far as to pass the site
    hi = 1000.0 * np.minimum(2.0 * (ANTIPODAL_KM - least) + 20.0, ANTIPODAL_KM - 0.5 * least)
    lo = np.zeros(n)
    f_lo, qlon, qlat = f(lo, allk)
    f_hi, hlon, hlat = f(hi, allk)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(f_lo > f_hi, lo - f_lo * (hi - lo) / (f_hi - f_lo), 0.5 * (lo + hi))
    t = np.clip(t, lo, hi)
    # a root at either end of the bracket
    exact_lo, exact_hi = np.abs(f_lo) < 1e-4, np.abs(f_hi) < 1e-4
    qlon = np.where(exact_hi, hlon, qlon)
    qlat = np.where(exact_hi, hlat, qlat)
    todo = np.flatnonzero(~exact_lo & ~exact_hi)
    side = np.zeros(n, dtype=np.int8)  # which end moved last: -1 lo, +1 hi
    for _ in range(100):
        if todo.size == 0:
            break
        k = todo
        ft, x, y = f(t[k], k)
        qlon[k], qlat[k] = x, y
        # keep the bracket [lo, hi] with f(lo) > 0 > f(hi); when the same end
        # moves twice running, halve the other end's value (Illinois), so
        # that end cannot stay stuck as in plain regula falsi
        left = ft > 0
        f_hi[k] = np.where(left & (side[k] == -1), 0.5 * f_hi[k], f_hi[k])
        f_lo[k] = np.where(~left & (side[k] == 1), 0.5 * f_lo[k], f_lo[k])
        lo[k] = np.where(left, t[k], lo[k])
        f_lo[k] = np.where(left, ft, f_lo[k])
        hi[k] = np.where(left, hi[k], t[k])
        f_hi[k] = np.where(left, f_hi[k], ft)
        side[k] = np.where(left, -1, 1)
        with np.errstate(divide="ignore", invalid="ignore"):
            secant = lo[k] - f_lo[k] * (hi[k] - lo[k]) / (f_hi[k] - f_lo[k])
        ok = np.isfinite(secant) & (secant > lo[k]) & (secant < hi[k])
        t[k] = np.where(ok, secant, 0.5 * (lo[k] + hi[k]))
        converged = (np.abs(ft) < 1e-4) | (hi[k] - lo[k] < 1e-6)  # 0.1 mm, 1 micrometre
        todo = k[~converged]
    return np.asarray(qlon, dtype=float), np.asarray(qlat, dtype=float)
