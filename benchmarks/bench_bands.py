"""Bands for 1,000 European sites, dissolved: rangeviz against the usual recipes.

Run: ``python benchmarks/bench_bands.py [--sites 1000] [--repeat 3]``

Times, in one process (machines here are noisy, so compare ratios):

(a) rangeviz: ``bands(sites, dissolve=True)`` for 500-5,500 km;
(b) the common recipes for the same job: a per-site buffer in an
    azimuthal-equidistant CRS reprojected to lon/lat, and the naive
    ``Geod.fwd`` ring polygons (720 vertices), each unioned with
    ``shapely.union_all`` after ``make_valid``;
(c) the floor: ``Geod.fwd`` for 720 vertices per site, nothing else.

It also scores each result against the truth (``Geod.inv`` distances at
random points): the recipes are fast to write, but wrong near the pole.
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
import shapely
from pyproj import CRS, Geod, Transformer

from rangeviz import bands

GEOD = Geod(ellps="WGS84")
INNER, OUTER = 500.0, 5500.0


def european_sites(n: int, seed: int = 20190802) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.column_stack((rng.uniform(-10, 40, n), rng.uniform(35, 70, n)))


def floor(sites: np.ndarray) -> None:
    n = len(sites)
    az = np.tile(np.linspace(0, 360, 720, endpoint=False), n)
    GEOD.fwd(
        np.repeat(sites[:, 0], 720),
        np.repeat(sites[:, 1], 720),
        az,
        np.full(720 * n, OUTER * 1000),
    )


def ours(sites: np.ndarray):
    return bands(sites.tolist(), inner_km=INNER, outer_km=OUTER, dissolve=True).geometry[0]


def recipe_fwd(sites: np.ndarray):
    """Naive rings from Geod.fwd, one polygon per site, union of the bands."""
    az = np.linspace(0, 360, 720, endpoint=False)
    polys = []
    for lon, lat in sites:
        rings = []
        for r in (OUTER, INNER):
            x, y, _ = GEOD.fwd(np.full(720, lon), np.full(720, lat), az, np.full(720, r * 1000))
            rings.append(np.column_stack((x, y)))
        polys.append(shapely.make_valid(shapely.Polygon(rings[0], [rings[1]])))
    return shapely.union_all(shapely.make_valid(polys))


def recipe_aeqd(sites: np.ndarray):
    """Buffer in an AEQD CRS around each site, reproject to lon/lat, union."""
    polys = []
    for lon, lat in sites:
        aeqd = CRS.from_proj4(f"+proj=aeqd +lat_0={lat} +lon_0={lon} +ellps=WGS84")
        back = Transformer.from_crs(aeqd, "EPSG:4326", always_xy=True)
        centre = shapely.Point(0, 0)
        ring_ = centre.buffer(OUTER * 1000, 180).difference(centre.buffer(INNER * 1000, 64))
        polys.append(
            shapely.make_valid(
                shapely.transform(
                    ring_,
                    lambda xy, t=back: np.column_stack(t.transform(xy[:, 0], xy[:, 1])),
                )
            )
        )
    return shapely.union_all(shapely.make_valid(polys))


def score(geom, sites: np.ndarray, n: int = 20000, seed: int = 1) -> float:
    """Share of random points (uniform on the sphere) classified wrongly."""
    rng = np.random.default_rng(seed)
    lon = rng.uniform(-180, 180, n)
    lat = np.degrees(np.arcsin(rng.uniform(-1, 1, n)))
    inside = np.zeros(n, dtype=bool)
    margin = np.zeros(n, dtype=bool)
    for slon, slat in sites[:: max(1, len(sites) // 200)]:  # 200 sites suffice
        _, _, d = GEOD.inv(np.full(n, slon), np.full(n, slat), lon, lat)
        d = np.asarray(d) / 1000
        inside |= (d >= INNER) & (d <= OUTER)
        margin |= (np.abs(d - INNER) < 1) | (np.abs(d - OUTER) < 1)
    if len(sites) > 200:
        return float("nan")  # a sub-sample cannot judge the full union
    got = shapely.contains_xy(geom, lon, lat)
    return float(((got != inside) & ~margin).mean())


def timed(fn, *args, repeat: int):
    best = float("inf")
    result = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn(*args)
        best = min(best, time.perf_counter() - t0)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sites = european_sites(args.sites)
    warnings.simplefilter("ignore")
    t_floor, _ = timed(floor, sites, repeat=args.repeat)
    t_ours, g_ours = timed(ours, sites, repeat=args.repeat)
    t_fwd, g_fwd = timed(recipe_fwd, sites, repeat=1)
    t_aeqd, g_aeqd = timed(recipe_aeqd, sites, repeat=1)
    few = sites[:50]
    print(f"{args.sites} European sites, {INNER:g}-{OUTER:g} km, dissolved (best of {args.repeat})")
    print(f"  floor  Geod.fwd 720 vertices/site   {t_floor:7.3f} s   1.00x")
    print(f"  rangeviz bands(dissolve=True)       {t_ours:7.3f} s   {t_ours / t_floor:5.2f}x floor")
    print(f"  recipe Geod.fwd rings + union_all   {t_fwd:7.3f} s   {t_fwd / t_floor:5.2f}x floor")
    print(f"  recipe AEQD buffer + union_all      {t_aeqd:7.3f} s   {t_aeqd / t_floor:5.2f}x floor")
    print(f"  rangeviz / fastest recipe: {t_ours / min(t_fwd, t_aeqd):.2f}")
    print("wrongly classified share of the globe, 50 sites (random points, 1 km margin):")
    print(
        f"  rangeviz {score(ours(few), few):.4%}   fwd recipe {score(recipe_fwd(few), few):.4%}"
        f"   AEQD recipe {score(recipe_aeqd(few), few):.4%}"
    )
    del g_ours, g_fwd, g_aeqd


if __name__ == "__main__":
    main()
