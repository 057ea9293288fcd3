"""The coverage matrix at scale: sites x targets, against the floor of any such tool.

    python benchmarks/bench_matrix.py [--sites 100000] [--targets 1000] [--repeats 3]
    python benchmarks/bench_matrix.py --sites 1000000 --targets 10000 --repeats 1

Times, interleaved in one process, medians:

* floor: the geocentric angle of every pair and nothing else (one matrix
  product of unit vectors per block) -- any exact method costs at least this;
* ours: ``coverage_matrix(...)`` reduced to per-target counts, the screen plus
  Karney near the band edges;
* exact: ``Geod.inv`` for every pair of a 1 % sample, scaled up -- what the
  matrix would cost without the screen.

It prints the ratios to the floor and the share of pairs the screen left to
Karney. Sites are spread over Europe, targets over the globe.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
from pyproj import Geod

from rangeviz.batch import IN_BAND, coverage_matrix, distance_bracket_km

GEOD = Geod(ellps="WGS84")


def points(n: int, rng: np.random.Generator, europe: bool) -> np.ndarray:
    if europe:
        return np.column_stack((rng.uniform(-10, 40, n), rng.uniform(35, 70, n)))
    return np.column_stack(
        (rng.uniform(-180, 180, n), np.degrees(np.arcsin(rng.uniform(-1, 1, n))))
    )


def floor(sites: np.ndarray, targets: np.ndarray, chunk: int) -> None:
    def unit(p: np.ndarray) -> np.ndarray:
        lon, lat = np.radians(p[:, 0]), np.radians(p[:, 1])
        return np.column_stack((np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)))

    v = unit(targets)
    for i in range(0, len(sites), chunk):
        np.arccos(np.clip(unit(sites[i : i + chunk]) @ v.T, -1, 1)).sum(axis=0)


def ours(sites: np.ndarray, targets: np.ndarray, chunk: int) -> np.ndarray:
    return (coverage_matrix(sites, targets, chunk=chunk) == IN_BAND).sum(axis=0).compute()


def exact_estimate(sites: np.ndarray, targets: np.ndarray, rng: np.random.Generator) -> float:
    n = max(1, len(sites) // 100)
    s = sites[rng.choice(len(sites), n, replace=False)]
    i, j = np.meshgrid(np.arange(n), np.arange(len(targets)), indexing="ij")
    start = time.perf_counter()
    GEOD.inv(s[i.ravel(), 0], s[i.ravel(), 1], targets[j.ravel(), 0], targets[j.ravel(), 1])
    return (time.perf_counter() - start) * len(sites) / n


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=100_000)
    parser.add_argument("--targets", type=int, default=1_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--chunk", type=int, default=2_000)
    args = parser.parse_args()
    rng = np.random.default_rng(2019)
    sites = points(args.sites, rng, europe=True)
    targets = points(args.targets, rng, europe=False)
    times: dict[str, list[float]] = {"floor": [], "ours": []}
    for _ in range(args.repeats):
        for name, fn in (("floor", floor), ("ours", ours)):
            start = time.perf_counter()
            fn(sites, targets, args.chunk)
            times[name].append(time.perf_counter() - start)
    exact = exact_estimate(sites, targets, rng)
    # how many pairs the screen could not decide (a 1 % sample of sites)
    k = max(1, len(sites) // 100)
    s = sites[:k]
    i, j = np.meshgrid(np.arange(k), np.arange(len(targets)), indexing="ij")
    lo, hi = distance_bracket_km(
        s[i.ravel(), 0], s[i.ravel(), 1], targets[j.ravel(), 0], targets[j.ravel(), 1]
    )
    undecided = np.mean(((lo < 500) & (hi >= 500)) | ((lo <= 5500) & (hi > 5500)))
    f = statistics.median(times["floor"])
    o = statistics.median(times["ours"])
    print(f"{args.sites:,} sites x {args.targets:,} targets, {args.repeats} runs, medians")
    print(f"floor (angles only)   {f:8.2f} s   1.00x")
    print(f"coverage_matrix       {o:8.2f} s   {o / f:.2f}x")
    print(f"Geod.inv every pair   {exact:8.2f} s   {exact / f:.2f}x  (estimated from 1 %)")
    print(f"pairs left to Karney  {100 * undecided:.3f} %")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
