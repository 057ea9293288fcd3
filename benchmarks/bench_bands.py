"""Bands dissolved into their union: rangeviz against the floor and the usual recipes.

Run: ``python benchmarks/bench_bands.py [--quick] [--sizes 1 1000 10000 100000]
[--layouts spread global clustered] [--no-memory]``

For each layout of sites -- *spread* (uniform over Europe, 10W-40E, 35-70N),
*global* (uniform over the sphere), *clustered* (uniform within 200 km of
Kaliningrad) -- and each number of sites N, the 500-5,500 km band:

* floor: ``Geod.fwd`` at 720 azimuths per site, the outer ring only, in chunks
  of 2,000 sites: the least any method that samples every ring must do;
* rangeviz: ``bands(sites, dissolve=True)`` (tolerance 0.1 km);
* before: the union as rangeviz computed it before issue 12
  (``legacy_union.py``; N <= 10^4);
* recipe A: ``Geod.fwd`` rings (720 vertices, vectorised over all sites) ->
  polygons -> ``make_valid`` -> ``shapely.union_all`` (N <= 10^4);
* recipe B: a buffer in each site's azimuthal-equidistant CRS (the same
  annulus for all, built once), reprojected to lon/lat -> ``make_valid`` ->
  ``union_all`` (N <= 10^4).

Timing: all methods of one (layout, N) run in this process, round-robin with
the order rotated each round; the table gives medians and each method's
median ratio to the floor *of the same round*. Memory: each (layout, N,
method) runs once more in a fresh subprocess, which reports its peak RSS
(``ru_maxrss``) and how far that rose above the RSS before the run. Growth:
the log-log slope of median time against N. Wrong: for N = 1,000, the
share of points (uniform, plus points near rangeviz's edges) whose membership
disagrees with ``Geod.inv`` by more than 1 km (never asserted: a benchmark).
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import resource
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import shapely
from pyproj import CRS, Geod, Transformer

sys.path.insert(0, str(Path(__file__).resolve().parent))
import legacy_union

from rangeviz import bands

GEOD = Geod(ellps="WGS84")
INNER, OUTER, TOL = 500.0, 5500.0, 0.1
METHODS = ("floor", "rangeviz", "before", "recipe A", "recipe B")
# at most this many sites (the former union needs ~4 GB at 10^4, 75 GB at 10^5)
MOST = {"before": 10_000, "recipe A": 10_000, "recipe B": 10_000}


def sites(layout: str, n: int, seed: int = 20190802) -> np.ndarray:
    """``(n, 2)`` lon/lat of a layout."""
    rng = np.random.default_rng(seed)
    if layout == "spread":
        return np.column_stack((rng.uniform(-10, 40, n), rng.uniform(35, 70, n)))
    if layout == "global":
        return np.column_stack(
            (rng.uniform(-180, 180, n), np.degrees(np.arcsin(rng.uniform(-1, 1, n))))
        )
    az, dist = rng.uniform(0, 360, n), 200e3 * np.sqrt(rng.uniform(0, 1, n))
    lon, lat, _ = GEOD.fwd(np.full(n, 20.51), np.full(n, 54.71), az, dist)
    return np.column_stack((lon, lat))


def floor(xy: np.ndarray) -> None:
    az = np.linspace(0, 360, 720, endpoint=False)
    for first in range(0, len(xy), 2000):
        c = xy[first : first + 2000]
        k = len(c)
        GEOD.fwd(
            np.repeat(c[:, 0], 720),
            np.repeat(c[:, 1], 720),
            np.tile(az, k),
            np.full(720 * k, 5.5e6),
        )


def ours(xy: np.ndarray):
    return bands(xy.tolist(), inner_km=INNER, outer_km=OUTER, tolerance_km=TOL, dissolve=True)[
        "geometry"
    ].iloc[0]


def before(xy: np.ndarray):
    # into a GeoDataFrame as bands() does, so the two compare like for like
    import geopandas as gpd

    geom = legacy_union.union_of_bands(xy[:, 0], xy[:, 1], INNER, OUTER, TOL)
    return gpd.GeoDataFrame(geometry=[geom], crs="EPSG:4326")["geometry"].iloc[0]


def recipe_a(xy: np.ndarray):
    """Naive Geod.fwd rings, 720 vertices, one polygon with a hole per site."""
    az = np.linspace(0, 360, 720, endpoint=False)
    n = len(xy)
    rings = []
    for r in (OUTER, INNER):
        x, y, _ = GEOD.fwd(
            np.repeat(xy[:, 0], 720),
            np.repeat(xy[:, 1], 720),
            np.tile(az, n),
            np.full(720 * n, r * 1e3),
        )
        coords = np.stack((np.reshape(x, (n, 720)), np.reshape(y, (n, 720))), axis=-1)
        rings.append(shapely.linearrings(coords))
    polys = shapely.polygons(rings[0], holes=np.asarray(rings[1])[:, None])
    return shapely.union_all(shapely.make_valid(polys))


def recipe_b(xy: np.ndarray):
    """The annulus in each site's AEQD CRS, reprojected to lon/lat."""
    centre = shapely.Point(0, 0)
    annulus = centre.buffer(OUTER * 1e3, quad_segs=180).difference(centre.buffer(INNER * 1e3, 64))
    polys = []
    for lon, lat in xy:
        aeqd = CRS.from_proj4(f"+proj=aeqd +lat_0={lat} +lon_0={lon} +ellps=WGS84")
        back = Transformer.from_crs(aeqd, "EPSG:4326", always_xy=True)
        polys.append(
            shapely.transform(
                annulus, lambda c, t=back: np.column_stack(t.transform(c[:, 0], c[:, 1]))
            )
        )
    return shapely.union_all(shapely.make_valid(np.asarray(polys)))


RUN = {
    "floor": floor,
    "rangeviz": ours,
    "before": before,
    "recipe A": recipe_a,
    "recipe B": recipe_b,
}


def applies(method: str, n: int, last: dict[str, tuple[int, float]], budget: float) -> bool:
    """Whether to time ``method`` at ``n`` sites: within its limit, and -- scaled
    linearly from its last median -- expected to take at most ``budget`` seconds."""
    if n > MOST.get(method, math.inf):
        return False
    if method in ("floor", "rangeviz") or method not in last:
        return True
    n0, t0 = last[method]
    return t0 * n / n0 <= budget


def rounds(n: int, quick: bool) -> int:
    if quick:
        return 3
    return 15 if n <= 10 else 5 if n <= 1000 else 3


def time_case(layout: str, n: int, quick: bool, methods: list[str]) -> tuple[dict, dict]:
    """Median seconds and median ratio to the floor per method, interleaved."""
    xy = sites(layout, n)
    times: dict[str, list[float]] = {m: [] for m in methods}
    ratios: dict[str, list[float]] = {m: [] for m in methods}
    results = {}
    for k in range(rounds(n, quick)):
        order = methods[k % len(methods) :] + methods[: k % len(methods)]
        this = {}
        for m in order:
            gc.collect()
            t0 = time.perf_counter()
            results[m] = RUN[m](xy)
            this[m] = time.perf_counter() - t0
        for m in methods:
            times[m].append(this[m])
            ratios[m].append(this[m] / this["floor"])
    med = {m: statistics.median(times[m]) for m in methods}
    rat = {m: statistics.median(ratios[m]) for m in methods}
    return {"time": med, "ratio": rat}, results


def memory(method: str, layout: str, n: int) -> dict:
    """Peak RSS of one run in a fresh subprocess (MB), and its rise over the start.

    The child reads its own high-water mark (``VmHWM``), which starts afresh
    at exec: ``ru_maxrss`` would carry over this parent's.
    """
    cmd = [sys.executable, __file__, "--child", method, layout, str(n)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        return {"peak": math.nan, "rise": math.nan, "error": out.stderr.strip().splitlines()[-1:]}
    return json.loads(out.stdout.strip().splitlines()[-1])


def peak_rss_mb() -> float:
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def child(method: str, layout: str, n: int) -> None:
    import geopandas  # noqa: F401  (imported by every method's caller: not its cost)

    xy = sites(layout, n)
    start = peak_rss_mb()
    RUN[method](xy)
    peak = peak_rss_mb()
    print(json.dumps({"peak": peak, "rise": peak - start}))


def wrong_share(geom, xy: np.ndarray, probe_edges_of, seed: int = 1) -> float:
    """Share of points whose membership disagrees with Geod.inv beyond 1 km of a ring."""
    rng = np.random.default_rng(seed)
    n = 4000
    lon = [rng.uniform(-180, 180, n)]
    lat = [np.degrees(np.arcsin(rng.uniform(-1, 1, n)))]
    edge = shapely.get_coordinates(probe_edges_of)
    edge = edge[(np.abs(edge[:, 0]) < 180) & (np.abs(edge[:, 1]) < 90)]
    if len(edge):
        pick = edge[rng.integers(0, len(edge), n)] + rng.normal(0, 0.05, (n, 2))
        lon.append((pick[:, 0] + 180) % 360 - 180)
        lat.append(np.clip(pick[:, 1], -90, 90))
    lon, lat = np.concatenate(lon), np.concatenate(lat)
    inside = np.zeros(len(lon), dtype=bool)
    margin = np.zeros(len(lon), dtype=bool)
    for slon, slat in xy:
        _, _, d = GEOD.inv(np.full(len(lon), slon), np.full(len(lon), slat), lon, lat)
        d = np.asarray(d) / 1000
        inside |= (d >= INNER) & (d <= OUTER)
        margin |= (np.abs(d - INNER) < 1) | (np.abs(d - OUTER) < 1)
    got = shapely.contains_xy(geom, lon, lat) | shapely.intersects_xy(geom, lon, lat)
    return float(((got != inside) & ~margin).mean())


def slope(ns: list[int], ts: list[float]) -> float:
    """Least-squares slope of log t against log N."""
    if len(ns) < 2:
        return math.nan
    return float(np.polyfit(np.log(ns), np.log(ts), 1)[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="N = 1 and 1,000, three rounds")
    parser.add_argument("--sizes", type=int, nargs="+", default=None)
    parser.add_argument("--layouts", nargs="+", default=["spread", "global", "clustered"])
    parser.add_argument("--no-memory", action="store_true", help="skip the subprocess runs")
    parser.add_argument(
        "--budget", type=float, default=None, help="seconds a recipe may take (60; quick: 10)"
    )
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    if args.child:
        child(args.child[0], args.child[1], int(args.child[2]))
        return
    sizes = args.sizes or ([1, 1000] if args.quick else [1, 1000, 10_000, 100_000])
    budget = args.budget or (10.0 if args.quick else 60.0)
    print(f"band {INNER:g}-{OUTER:g} km, tolerance {TOL:g} km; medians of interleaved rounds")
    head = f"{'layout':9} {'N':>7} {'method':9} {'median s':>9} {'x floor':>8}"
    head += f" {'peak MB':>8} {'rise MB':>8} {'wrong':>8}"
    print(head)
    growth: dict[tuple[str, str], tuple[list[int], list[float]]] = {}
    for layout in args.layouts:
        last: dict[str, tuple[int, float]] = {}
        for n in sizes:
            methods = [m for m in METHODS if applies(m, n, last, budget)]
            stats, results = time_case(layout, n, args.quick, methods)
            last.update({m: (n, t) for m, t in stats["time"].items()})
            wrong = {}
            if n == 1000:
                xy = sites(layout, n)
                for m in ("rangeviz", "before", "recipe A", "recipe B"):
                    if m in results:
                        wrong[m] = wrong_share(results[m], xy, results["rangeviz"])
            for m, t in stats["time"].items():
                mem = {"peak": math.nan, "rise": math.nan}
                if not args.no_memory:
                    mem = memory(m, layout, n)
                share = f"{wrong[m]:.3%}" if m in wrong else ""
                print(
                    f"{layout:9} {n:>7} {m:9} {t:9.3f} {stats['ratio'][m]:8.2f}"
                    f" {mem['peak']:8.0f} {mem['rise']:8.0f} {share:>8}",
                    flush=True,
                )
                if n >= 1000:
                    ns, ts = growth.setdefault((layout, m), ([], []))
                    ns.append(n)
                    ts.append(t)
    print("\ngrowth exponent (log-log slope of time against N, N >= 1,000):")
    for (layout, m), (ns, ts) in growth.items():
        if len(ns) >= 2:
            print(f"  {layout:9} {m:9} {slope(ns, ts):5.2f}  (N = {', '.join(map(str, ns))})")


if __name__ == "__main__":
    main()
