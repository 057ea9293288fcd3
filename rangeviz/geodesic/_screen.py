"""How deep a point lies inside some other site's band: the screening behind unions.

A point ``P`` lies inside site ``j``'s band by the *depth*
``min(d - inner, outer - d)`` for its distance ``d`` from ``j`` (one term when
the band has no hole, or no outer edge). Depth is 1-Lipschitz in ``P``, so a
point at depth ``m`` has a whole geodesic disc of radius ``m`` round it inside
the band: that is what lets a union skip the arcs it cannot see.

Finding the deepest band for each of millions of points without a site-by-
site matrix: points are binned into 3-D cells on the unit (auxiliary)
sphere; the first point in each cell is a *probe*, compared with every site
once (in blocks, so memory stays bounded); every point of the cell then tries
the probe's best site. Cells run from 300 km down to ~19 km, finer only where
coarser ones left an arc unproven. Depth is bounded from the Andoyer-Lambert
distance (within metres of the WGS84 distance, at a fraction of the cost) and
measured with Geod.inv only where those metres are what fails.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rangeviz.geodesic._distance import (
    ANTIPODAL_KM,
    GEOD,
    SPHERE_KM,
    andoyer_km,
    andoyer_slack_km,
    reduced_vectors,
)
from rangeviz.geodesic._rings import Vertices

__all__ = ["Coverage", "Depths", "covered_arcs"]

# Probe-by-site blocks hold about this many float32 values (~32 MB).
_BLOCK = 1 << 23
# Probe cells (km), coarsest first: a point is tried in coarse cells first and
# in finer ones (down to a third of its arc's length) only while uncovered.
_CELLS_KM = (300.0, 150.0, 75.0, 37.5, 18.75)
# Arcs are not halved below this length (km) to prove them covered.
_SHORTEST_KM = 1.0


class Coverage:
    """Depths of points inside the bands ``[inner, outer]`` round many sites.

    Parameters
    ----------
    lon0, lat0 : numpy.ndarray
        The sites, degrees.
    inner, outer : float
        The band's radii (km); ``inner`` may be 0 (no hole), ``outer`` the
        antipodal distance (no outer edge), not both.
    """

    def __init__(self, lon0: np.ndarray, lat0: np.ndarray, inner: float, outer: float) -> None:
        self.lon0, self.lat0 = lon0, lat0
        self.inner, self.outer = inner, outer
        self.has_hole = inner > 0
        self.has_edge = outer < ANTIPODAL_KM
        self.xyz = reduced_vectors(lon0, lat0)
        self._xyz32 = self.xyz.astype(np.float32)
        self.sites = len(lon0)
        # the deepest point of a band lies midway between its radii
        mid = 0.5 * (inner + outer) if self.has_hole and self.has_edge else 0.0
        self._mid_cos = np.float32(np.cos(mid / SPHERE_KM))
        self._cells: dict[float, tuple[np.ndarray, np.ndarray]] = {}
        # Sites that won a probe in the coarsest cells. Finer probes search
        # only these: the deepest band for a point rarely changes between
        # neighbouring coarse probes, and where it does the runner-up is close
        # behind. A worse choice costs only work (a longer arc stays open),
        # never correctness: every cover is proved with the site it names.
        self._winners = np.empty(0, dtype=np.int64)

    def depth(self, d_lo: np.ndarray, d_hi: np.ndarray) -> np.ndarray:
        """The least depth (km) over distances in ``[d_lo, d_hi]``; negative outside."""
        out = np.full(np.shape(d_lo), np.inf)
        if self.has_hole:
            out = np.minimum(out, d_lo - self.inner)
        if self.has_edge:
            out = np.minimum(out, self.outer - d_hi)
        return out

    def best_sites(self, xyz: np.ndarray, cell_km: float) -> np.ndarray:
        """For each point, the site its cell's probe found deepest (index into the sites)."""
        h = cell_km / SPHERE_KM
        ijk = np.floor(xyz / h).astype(np.int64) + (1 << 20)
        key = (ijk[:, 0] << 42) | (ijk[:, 1] << 21) | ijk[:, 2]
        keys, best = self._cells.get(cell_km, (np.empty(0, np.int64), np.empty(0, np.int64)))
        pos = np.clip(np.searchsorted(keys, key), 0, max(len(keys) - 1, 0))
        known = (keys[pos] == key) if len(keys) else np.zeros(len(key), dtype=bool)
        if not known.all():
            new_keys, first = np.unique(key[~known], return_index=True)
            coarse = cell_km >= _CELLS_KM[0] or len(self._winners) == 0
            pool = None if coarse else self._winners
            new_best = self._probe(xyz[~known][first], pool)
            if coarse:
                self._winners = np.union1d(self._winners, new_best)
            keys = np.concatenate((keys, new_keys))
            best = np.concatenate((best, new_best))
            order = np.argsort(keys)
            keys, best = keys[order], best[order]
            self._cells[cell_km] = (keys, best)
            pos = np.searchsorted(keys, key)
        return best[pos]

    def _probe(self, xyz: np.ndarray, pool: np.ndarray | None) -> np.ndarray:
        """The site deepest-placed for each probe (by sphere distance), in blocks.

        ``pool`` limits the search to those sites (default: all).
        """
        q = xyz.astype(np.float32)
        sites = self._xyz32 if pool is None else self._xyz32[pool]
        out = np.empty(len(q), dtype=np.int64)
        step = max(1, _BLOCK // max(len(sites), 1))
        for first in range(0, len(q), step):
            dots = q[first : first + step] @ sites.T
            if self.has_hole and self.has_edge:
                dots -= self._mid_cos
                np.abs(dots, out=dots)
                out[first : first + step] = dots.argmin(axis=1)
            elif self.has_edge:  # a disc: the nearest site
                out[first : first + step] = dots.argmax(axis=1)
            else:  # a hole in the globe: the farthest site
                out[first : first + step] = dots.argmin(axis=1)
        return out if pool is None else pool[out]

    def fast_distance(self, xyz: np.ndarray, site: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Distances (km) of points (:func:`reduced_vectors`) from ``site``, and error bounds.

        By the Andoyer-Lambert formula: within metres of Geod.inv, far faster.
        """
        d = andoyer_km(xyz, self.xyz[site])
        return d, andoyer_slack_km(d)

    def exact_distance(self, lon: np.ndarray, lat: np.ndarray, site: np.ndarray) -> np.ndarray:
        """Each point's distance (km) from ``site``, from Geod.inv."""
        _, _, m = GEOD.inv(self.lon0[site], self.lat0[site], lon, lat)
        return np.asarray(m) / 1000.0

    def covers(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """Whether some band holds each point (Geod.inv decides every close call).

        A float32 dot product on the auxiliary sphere ranks every site for a
        block of points at once; its angle times the equatorial radius is
        within 0.34 % (plus float32 rounding) of the WGS84 distance, so only
        sites within that margin of a band's edge are measured.
        """
        lon = np.atleast_1d(np.asarray(lon, dtype=float))
        lat = np.atleast_1d(np.asarray(lat, dtype=float))
        q = reduced_vectors(lon, lat)
        out = np.zeros(len(q), dtype=bool)
        step = max(1, _BLOCK // max(self.sites, 1))
        for first in range(0, len(q), step):
            dots = q[first : first + step].astype(np.float32) @ self._xyz32.T
            d = 6378.137 * np.arccos(np.clip(dots, -1.0, 1.0))
            slack = 0.005 * d + 5.0
            out[first : first + step] = (self.depth(d - slack, d + slack) >= 0).any(axis=1)
            maybe = self.depth(d + slack, d - slack) >= 0
            for row in np.flatnonzero(~out[first : first + step] & maybe.any(axis=1)):
                k = first + row
                j = np.flatnonzero(maybe[row])
                exact = self.exact_distance(np.full(j.size, lon[k]), np.full(j.size, lat[k]), j)
                out[k] = (self.depth(exact, exact) >= 0).any()
        return out


@dataclass
class Depths:
    """What screening knows of each vertex, kept aligned with the vertices.

    ``dist`` is the vertex's distance (km) from site ``site``, to within
    ``slack`` (0 where measured with Geod.inv); ``m`` the safe lower bound of
    its depth in that site's band and ``estimate`` the depth at ``dist``;
    ``cell`` is the finest probe cell (km) tried so far.
    """

    xyz: np.ndarray
    m: np.ndarray
    estimate: np.ndarray
    site: np.ndarray
    dist: np.ndarray
    slack: np.ndarray
    cell: np.ndarray

    @classmethod
    def start(cls, v: Vertices) -> Depths:
        """Nothing known yet, for vertices ``v``."""
        n = len(v.lon)
        none = np.full(n, -np.inf)
        return cls(
            reduced_vectors(v.lon, v.lat),
            none,
            none.copy(),
            np.zeros(n, np.int64),
            np.zeros(n),
            np.full(n, np.inf),
            np.full(n, np.inf),
        )

    def split(self, v: Vertices, at: np.ndarray) -> Depths:
        """After ``split_segments`` inserted a vertex after each of ``at``: room for them."""
        pos = at + 1
        k = len(at)
        new = pos + np.arange(k)  # where the new vertices sit now
        xyz = np.insert(self.xyz, pos, 0.0, axis=0)
        xyz[new] = reduced_vectors(v.lon[new], v.lat[new])
        return Depths(
            xyz,
            np.insert(self.m, pos, -np.inf),
            np.insert(self.estimate, pos, -np.inf),
            np.insert(self.site, pos, 0),
            np.insert(self.dist, pos, 0.0),
            np.insert(self.slack, pos, np.inf),
            np.insert(self.cell, pos, np.inf),
        )

    def keep(self, mask: np.ndarray) -> Depths:
        """The rows of the vertices kept by ``mask``."""
        return Depths(*(getattr(self, f)[mask] for f in self.__dataclass_fields__))


def covered_arcs(
    cover: Coverage,
    v: Vertices,
    depths: Depths,
    open_: np.ndarray,
    own: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Which open segments' arcs other bands hold, and which might once halved.

    Returns two per-segment masks: *covered* (the ring's arc between the two
    vertices lies inside other bands) and *promising* (open, but with both
    ends inside other bands: shorter arcs could be covered). ``own`` is the
    site of each vertex's ring: its own band never counts. ``depths`` is
    updated in place. Two proofs, from depths at the two ends:

    * Lipschitz: a point of the arc at arc length ``l`` from one end is
      within ``l`` of it and within ``L - l`` of the other (``L`` the arc's
      length), and a vertex at depth ``m`` has the disc of radius ``m`` round
      it inside one band: the arc is covered when ``m_a + m_b >= L``.
    * Along the ring: round site ``i`` the distance to another site ``j``
      changes at the rate ``sin(phi)``, ``phi`` the angle at the point
      between the geodesics to ``i`` and ``j`` (Gauss's lemma), and by the
      sine rule ``sin(phi) <= sin(d_ij) / sin(d_jP)`` (distances as angles).
      Near sites see each other's rings almost parallel: the arc stays in
      ``j``'s band when ``g_a + g_b >= s * L`` for its depths ``g`` in that
      band at the two ends and ``s`` that bound (10 % to spare for the
      ellipsoid).
    """
    seg = np.flatnonzero(open_ & (v.rid[:-1] == v.rid[1:]))
    covered = np.zeros(len(open_), dtype=bool)
    promising = np.zeros(len(open_), dtype=bool)
    if seg.size == 0:
        return covered, promising
    a, b = seg, seg + 1
    # a ring's arc is within 1.2 % of its chord up to a twelfth of a turn
    chord = andoyer_km(depths.xyz[a], depths.xyz[b])
    arc = 1.03 * (chord + andoyer_slack_km(chord))
    done = np.zeros(len(seg), dtype=bool)
    for cell in _CELLS_KM:
        # coarse cells first; down to about a third of the arc's length
        todo = ~done & ((arc <= 6.0 * cell) | (cell == _CELLS_KM[0]))
        if not todo.any():
            continue
        ends = np.zeros(len(v.lon), dtype=bool)
        ends[a[todo]] = True
        ends[b[todo]] = True
        ends &= depths.cell > cell
        idx = np.flatnonzero(ends)
        changed = np.zeros(len(v.lon), dtype=bool)
        if idx.size:
            changed[_probe_depths(cover, depths, idx, own[idx], cell)] = True
        ok = todo & _holds(depths.m[a], depths.m[b], arc)
        # where the bound's few metres of slack are what fails, measure
        hopeful = todo & ~ok & _holds(depths.estimate[a], depths.estimate[b], arc)
        if hopeful.any():
            mark = np.zeros(len(v.lon), dtype=bool)
            mark[a[hopeful]] = True
            mark[b[hopeful]] = True
            redo = np.flatnonzero(mark & (depths.slack > 0) & np.isfinite(depths.estimate))
            d = cover.exact_distance(v.lon[redo], v.lat[redo], depths.site[redo])
            depths.dist[redo], depths.slack[redo] = d, 0.0
            depths.m[redo] = depths.estimate[redo] = cover.depth(d, d)
            changed[redo] = True
            ok |= hopeful & _holds(depths.m[a], depths.m[b], arc)
        # the second proof, where an end has a new site to try
        rest = np.flatnonzero(todo & ~ok & (changed[a] | changed[b]))
        if rest.size:
            ok[rest] = _along(cover, depths, a[rest], b[rest], arc[rest], own[a[rest]])
        covered[seg[ok]] = True
        done |= ok
        if done.all():
            break
    hope = ~done & (depths.estimate[a] > 0) & (depths.estimate[b] > 0)
    promising[seg[hope & (arc > _SHORTEST_KM)]] = True
    return covered, promising


def _along(
    cover: Coverage,
    depths: Depths,
    a: np.ndarray,
    b: np.ndarray,
    arc: np.ndarray,
    own: np.ndarray,
) -> np.ndarray:
    """Arcs that stay inside one other band: the second proof of :func:`covered_arcs`."""
    ok = np.zeros(len(a), dtype=bool)
    for j, this, that in ((depths.site[a], a, b), (depths.site[b], b, a)):
        use = (j != own) & np.isfinite(depths.estimate[this])
        if this is b:
            use &= depths.site[a] != depths.site[b]  # else done in the first pass
        if not use.any():
            continue
        k = np.flatnonzero(use)
        j, this, that = j[k], this[k], that[k]
        d_this, s_this = depths.dist[this], depths.slack[this]
        d_that, s_that = depths.dist[that], depths.slack[that]
        other = depths.site[that] != j
        if other.any():
            d_that = d_that.copy()
            s_that = s_that.copy()
            w = that[other]
            d_that[other], s_that[other] = cover.fast_distance(depths.xyz[w], j[other])
        g = cover.depth(d_this - s_this, d_this + s_this)
        h = cover.depth(d_that - s_that, d_that + s_that)
        # the sites' distance is at most the equatorial radius times their
        # angle on the auxiliary sphere (Andoyer-Lambert only subtracts from
        # that, and is within metres; the bound below has 10 % to spare)
        chord = np.linalg.norm(cover.xyz[own[k]] - cover.xyz[j], axis=1)
        d_ij = 6378.137 * 2.0 * np.arcsin(np.clip(0.5 * chord, 0.0, 1.0))
        # the distance from j along the arc, and the sine bound over that range
        lo = (np.minimum(d_this, d_that) - 0.5 * arc[k] - s_this - s_that) / SPHERE_KM
        hi = (np.maximum(d_this, d_that) + 0.5 * arc[k] + s_this + s_that) / SPHERE_KM
        far = np.minimum(d_ij / SPHERE_KM, 0.5 * np.pi)
        with np.errstate(divide="ignore", invalid="ignore"):
            s = (1.1 * np.sin(far) + 0.002) / np.minimum(np.sin(lo), np.sin(hi))
        s = np.where((lo > 0) & (hi < np.pi) & np.isfinite(s), np.minimum(s, 1.0), 1.0)
        ok[k] |= (g > 0) & (h > 0) & (g + h >= s * arc[k])
    return ok


def _probe_depths(
    cover: Coverage,
    depths: Depths,
    idx: np.ndarray,
    own: np.ndarray,
    cell: float,
) -> np.ndarray:
    """Try the best site of each vertex's probe cell; keep it where it does better.

    Returns the vertices (indices) that took a new site.
    """
    site = cover.best_sites(depths.xyz[idx], cell)
    d, slack = cover.fast_distance(depths.xyz[idx], site)
    estimate = cover.depth(d, d)
    estimate[site == own] = -np.inf
    better = estimate > depths.estimate[idx]
    j = idx[better]
    depths.site[j] = site[better]
    depths.dist[j] = d[better]
    depths.slack[j] = slack[better]
    depths.estimate[j] = estimate[better]
    depths.m[j] = cover.depth(d[better] - slack[better], d[better] + slack[better])
    depths.cell[idx] = cell
    return j


def _holds(m_a: np.ndarray, m_b: np.ndarray, arc: np.ndarray) -> np.ndarray:
    return (m_a >= 0) & (m_b >= 0) & (m_a + m_b >= arc)
