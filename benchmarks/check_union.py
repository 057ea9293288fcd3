"""Check the union against the former one and against the truth, at the tolerance.

Run: ``python benchmarks/check_union.py [--sizes 1000] [--layouts spread global clustered]``

For each layout (as in ``bench_bands.py``) it computes ``bands(...,
dissolve=True)`` and the union as rangeviz computed it before issue 12
(``legacy_union.py``), and their symmetric difference. Every vertex of that
difference, every edge midpoint and one point inside each of its pieces is
then measured with ``Geod.inv`` against every site: if each lies within the
tolerance of some site's ring, the two unions differ only where either answer
is right -- "identical at the tolerance" -- and the script says so. It also
reports both outlines' vertex counts, and how many vertices lie inside
straight runs along the seam and the pole lines (redundant ones).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import shapely
from pyproj import Geod

sys.path.insert(0, str(Path(__file__).resolve().parent))
import legacy_union
from bench_bands import INNER, OUTER, TOL, sites

from rangeviz import bands

GEOD = Geod(ellps="WGS84")


def stray_km(xy: np.ndarray, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Each point's distance (km) from the nearest ring of any site, by Geod.inv."""
    best = np.full(len(lon), np.inf)
    for slon, slat in xy:
        _, _, d = GEOD.inv(np.full(len(lon), slon), np.full(len(lon), slat), lon, lat)
        d = np.asarray(d) / 1000.0
        best = np.minimum(best, np.minimum(np.abs(d - INNER), np.abs(d - OUTER)))
    return best


def redundant(geom) -> int:
    """Vertices with both neighbours on the same seam or pole line."""
    count = 0
    for ring in shapely.get_rings(shapely.get_parts(geom)):
        c = shapely.get_coordinates(ring)[:-1]
        p, n = np.roll(c, 1, axis=0), np.roll(c, -1, axis=0)
        seam = (np.abs(c[:, 0]) == 180) & (p[:, 0] == c[:, 0]) & (n[:, 0] == c[:, 0])
        pole = (np.abs(c[:, 1]) == 90) & (p[:, 1] == c[:, 1]) & (n[:, 1] == c[:, 1])
        count += int((seam | pole).sum())
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000])
    parser.add_argument("--layouts", nargs="+", default=["spread", "global", "clustered"])
    args = parser.parse_args()
    for layout in args.layouts:
        for n in args.sizes:
            xy = sites(layout, n)
            new = bands(xy.tolist(), inner_km=INNER, outer_km=OUTER, dissolve=True).geometry[0]
            old = legacy_union.union_of_bands(xy[:, 0], xy[:, 1], INNER, OUTER, TOL)
            diff = shapely.symmetric_difference(new, old)
            pts = [shapely.get_coordinates(diff)]
            for ring in shapely.get_rings(shapely.get_parts(diff)):
                c = shapely.get_coordinates(ring)
                pts.append(0.5 * (c[1:] + c[:-1]))
            parts = shapely.get_parts(diff)
            if len(parts):
                pts.append(shapely.get_coordinates(shapely.point_on_surface(parts)))
            p = np.vstack(pts)
            # the seam and pole lines are no one's ring
            p = p[(np.abs(p[:, 0]) < 180) & (np.abs(p[:, 1]) < 90)]
            worst = float(stray_km(xy, p[:, 0], p[:, 1]).max()) if len(p) else 0.0
            verdict = "identical at the tolerance" if worst <= TOL else "DIFFERENT"
            print(
                f"{layout:9} N={n}: symmetric difference {diff.area:.4g} sq deg in "
                f"{len(parts)} pieces; {len(p)} of its points at most {worst:.4f} km "
                f"from a ring (tolerance {TOL}): {verdict}"
            )
            for name, g in (("new", new), ("before", old)):
                print(
                    f"    {name:6} {shapely.get_num_coordinates(g):6d} vertices, "
                    f"{redundant(g):5d} of them inside seam/pole runs"
                )


if __name__ == "__main__":
    main()
