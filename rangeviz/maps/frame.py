"""The frame of a map: CRS, limits, drawable region, and safe projection into it.

A :class:`MapFrame` is everything a drawing needs to know about a map before
any artist exists: the CRS, the extent in projected metres, the part of the
globe the projection can show and the drawable region. Its methods take
lon/lat geometries (EPSG:4326, cut at ±180 like everything rangeviz makes)
to projected ones that are safe to draw:

* world layers are clipped to a geodesic cap round the projection centre
  *before* projecting, so nothing smears in from the antipode and no polygon
  is dropped, then cut to the map's region;
* band fills and outlines are densified adaptively in lon/lat until every
  straight projected segment stays within a tolerance (km, on the ground) of
  the lon/lat edge it stands for, then made valid (a pole line becomes a
  point in an azimuthal projection and the ±180 seam a slit: both vanish);
* graticule lines are densified and clipped the same way.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely
from pyproj import CRS, Transformer
from shapely.geometry import MultiLineString, MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from rangeviz.maps.projections import GEOD, Inverse, transformer

if TYPE_CHECKING:
    import numpy.typing as npt

__all__ = ["MapFrame", "sample_boundary"]

# Longest lon/lat segment (degrees) of a world layer before projecting.
_LAYER_SEGMENT_DEG = 1.0


@dataclass(frozen=True, eq=False)
class MapFrame:
    """A projection, an extent and the part of the globe a map shows.

    Attributes
    ----------
    crs : pyproj.CRS
        The map's CRS (projected metres, or degrees for a geographic CRS).
    bounds : (xmin, ymin, xmax, ymax)
        The axes limits, in the CRS's units.
    center : (lon, lat) or None
        Centre of an azimuthal projection; None for other projections.
    view_km : float or None
        Geodesic radius round ``center`` beyond which nothing is shown.
    region : shapely.Polygon
        The drawable area in projected coordinates: ``bounds``, less what lies
        beyond ``view_km`` (a hemisphere map is a disc).
    domain : shapely geometry
        Lon/lat area that world layers are clipped to before projecting: a
        cap round ``center`` just larger than ``region`` (or a lon/lat box).
    """

    crs: CRS
    bounds: tuple[float, float, float, float]
    center: tuple[float, float] | None
    view_km: float | None
    region: Polygon
    domain: BaseGeometry
    name: str = ""

    @property
    def width(self) -> float:
        """Extent width in projected units."""
        return self.bounds[2] - self.bounds[0]

    @property
    def height(self) -> float:
        """Extent height in projected units."""
        return self.bounds[3] - self.bounds[1]

    @cached_property
    def key(self) -> tuple[Any, ...]:
        """A hashable identity of what the frame shows (for caches)."""
        return (self.crs.srs, self.bounds, self.region.wkb, self.domain.wkb)

    @property
    def is_rectangular(self) -> bool:
        """True when the region is the whole extent rectangle."""
        return bool(abs(self.region.area - self.width * self.height) <= 1e-9 * self.region.area)

    @property
    def forward(self) -> Transformer:
        """Lon/lat (EPSG:4326) to the map's CRS, ``always_xy``."""
        return transformer(self.crs)

    @property
    def inverse(self) -> Inverse:
        """The map's CRS to lon/lat: ``frame.inverse.transform(x, y)``."""
        return Inverse(transformer(self.crs))

    @cached_property
    def lonlat_bounds(self) -> tuple[float, float, float, float]:
        """Lon/lat box round the region (whole longitudes if it holds a pole)."""
        xy = sample_boundary(self.region, 400)
        lon, lat = self.inverse.transform(xy[:, 0], xy[:, 1])
        lon, lat = np.asarray(lon), np.asarray(lat)
        ok = np.isfinite(lon) & np.isfinite(lat)
        lon, lat = lon[ok], lat[ok]
        lat_min, lat_max = float(lat.min()), float(lat.max())
        lon_min, lon_max = float(lon.min()), float(lon.max())
        for pole in (90.0, -90.0):
            px, py = self.forward.transform(0.0, pole)
            if np.isfinite(px) and self.region.contains(shapely.Point(px, py)):
                lat_min, lat_max = min(lat_min, pole), max(lat_max, pole)
                lon_min, lon_max = -180.0, 180.0
        # a region crossing the antimeridian jumps there: take whole longitudes
        if lon_max - lon_min > 180.0 and np.any(np.abs(np.diff(lon)) > 180.0):
            lon_min, lon_max = -180.0, 180.0
        return (lon_min, lat_min, lon_max, lat_max)

    def project_points(
        self, lon: npt.ArrayLike, lat: npt.ArrayLike
    ) -> tuple[np.ndarray, np.ndarray]:
        """Project lon/lat arrays; points outside the view come back as NaN."""
        lon = np.atleast_1d(np.asarray(lon, dtype=float))
        lat = np.atleast_1d(np.asarray(lat, dtype=float))
        x, y = self.forward.transform(lon, lat)
        x, y = np.array(x, dtype=float), np.array(y, dtype=float)
        if self.center is not None and self.view_km is not None:
            n = len(lon)
            _, _, d = GEOD.inv(np.full(n, self.center[0]), np.full(n, self.center[1]), lon, lat)
            far = np.asarray(d) / 1000.0 > self.view_km
            x[far] = np.nan
            y[far] = np.nan
        bad = ~(np.isfinite(x) & np.isfinite(y))
        x[bad] = np.nan
        y[bad] = np.nan
        return x, y

    def contains_xy(self, x: npt.ArrayLike, y: npt.ArrayLike) -> np.ndarray:
        """Which projected points lie in the drawable region."""
        x = np.asarray(x, dtype=float)
        y = np.asarray(y, dtype=float)
        ok = np.isfinite(x) & np.isfinite(y)
        out = np.zeros(x.shape, dtype=bool)
        if ok.any():
            if self.is_rectangular:
                x0, y0, x1, y1 = self.bounds
                out[ok] = (x[ok] >= x0) & (x[ok] <= x1) & (y[ok] >= y0) & (y[ok] <= y1)
            else:
                out[ok] = shapely.contains_xy(self.region, x[ok], y[ok])
        return out

    # -- world layers ---------------------------------------------------

    def project_layer(self, geoms: Any, *, simplify: float = 0.0) -> np.ndarray:
        """Clip lon/lat geometries to the domain, project them, cut to the region.

        Parameters
        ----------
        geoms : array_like of shapely geometries (or a GeoSeries)
            Lon/lat (EPSG:4326) polygons or lines.
        simplify : float, default 0
            Douglas-Peucker tolerance in projected units after projecting
            (e.g. half a pixel); 0 keeps every vertex.

        Returns
        -------
        numpy.ndarray of shapely geometries
            Projected, non-empty, in the region. Fills may be invalid where
            the cut touches itself; they are for drawing, not for analysis.
        """
        arr = np.asarray(getattr(geoms, "values", geoms), dtype=object)
        arr = arr[~shapely.is_missing(arr)]
        arr = arr[~shapely.is_empty(arr)]
        if arr.size == 0:
            return arr
        lon_min, lat_min, lon_max, lat_max = self.lonlat_bounds
        # cheap lon/lat prefilter: bounding boxes clear of the region's box
        b = shapely.bounds(arr)
        pad = 1.0
        keep = (b[:, 3] >= lat_min - pad) & (b[:, 1] <= lat_max + pad)
        if lon_max <= 180.0 and lon_min >= -180.0:
            keep &= (b[:, 2] >= lon_min - pad) & (b[:, 0] <= lon_max + pad)
        arr = arr[keep]
        arr = self._clip_to_domain(arr)
        if arr.size == 0:
            return arr
        arr = shapely.segmentize(arr, _LAYER_SEGMENT_DEG)
        arr = self._transform(arr)
        arr = self._cut_to_region(arr)
        if simplify > 0:
            arr = shapely.simplify(arr, simplify, preserve_topology=False)
            arr = arr[~shapely.is_empty(arr)]
        return arr

    def _clip_to_domain(self, arr: np.ndarray) -> np.ndarray:
        domain = self.domain
        shapely.prepare(domain)
        inside = shapely.contains_properly(domain, arr)
        touching = ~inside & shapely.intersects(domain, arr)
        out = arr[inside | touching].copy()
        cut = touching[inside | touching]
        if cut.any():
            out[cut] = shapely.intersection(out[cut], domain)
        out = out[~shapely.is_empty(out)]
        return out

    def _transform(self, arr: np.ndarray) -> np.ndarray:
        forward = self.forward

        def fn(xy: np.ndarray) -> np.ndarray:
            x, y = forward.transform(xy[:, 0], xy[:, 1])
            return np.column_stack((x, y))

        return shapely.transform(arr, fn)

    def _cut_to_region(self, arr: np.ndarray) -> np.ndarray:
        x0, y0, x1, y1 = self.bounds
        # a hair beyond the limits, so strokes along the edge are not cut
        pad = 1e-3 * max(self.width, self.height)
        if self.is_rectangular:
            out = shapely.clip_by_rect(arr, x0 - pad, y0 - pad, x1 + pad, y1 + pad)
        else:
            b = shapely.bounds(arr)
            inside = (b[:, 0] >= x0) & (b[:, 2] <= x1) & (b[:, 1] >= y0) & (b[:, 3] <= y1)
            shapely.prepare(self.region)
            inside &= shapely.contains_properly(self.region, arr)
            out = arr.copy()
            rest = ~inside
            if rest.any():
                out[rest] = shapely.intersection(_valid(out[rest]), self.region)
        return out[~shapely.is_empty(out)]

    # -- bands ----------------------------------------------------------

    def project_fill(self, geom: BaseGeometry, *, tolerance_km: float = 0.05) -> BaseGeometry:
        """Project a lon/lat band (or any polygon) for filling.

        Densified so every projected edge stays within ``tolerance_km`` of the
        lon/lat edge it replaces, made valid in projected coordinates (pole
        lines collapse to points, the ±180 seam to slits), cut to the region.
        Fill it without an edge: its boundary still runs along the map edge.
        """
        if geom is None or geom.is_empty:
            return Polygon()
        geom = self._clip_to_domain(np.array([geom], dtype=object))
        if geom.size == 0:
            return Polygon()
        polys = [p for p in shapely.get_parts(geom[0]) if p.geom_type == "Polygon"]
        rings: list[np.ndarray] = []
        sizes: list[int] = []
        for p in polys:
            parts = [p.exterior, *p.interiors]
            sizes.append(len(parts))
            rings.extend(np.asarray(r.coords)[:, :2] for r in parts)
        projected = self.densify(rings, tolerance_km=tolerance_km)
        out = []
        i = 0
        for n in sizes:
            shell, holes = projected[i], projected[i + 1 : i + n]
            i += n
            if len(shell) >= 4:
                out.append(Polygon(shell, [h for h in holes if len(h) >= 4]))
        result = _valid(np.array([MultiPolygon(out)], dtype=object))
        result = self._cut_to_region(result)
        if result.size == 0:
            return Polygon()
        return _polygonal(result[0])

    def project_lines(self, lines: BaseGeometry, *, tolerance_km: float = 0.05) -> MultiLineString:
        """Project lon/lat lines (a ring outline, a graticule line) for stroking.

        Clipped to the domain, densified like :meth:`project_fill`, cut to the
        region.
        """
        if lines is None or lines.is_empty:
            return MultiLineString()
        clipped = self._clip_to_domain(np.array([lines], dtype=object))
        if clipped.size == 0:
            return MultiLineString()
        parts = [
            np.asarray(g.coords)[:, :2]
            for g in shapely.get_parts(shapely.line_merge(clipped[0]))
            if g.geom_type == "LineString" and len(g.coords) >= 2
        ]
        projected = self.densify(parts, tolerance_km=tolerance_km)
        ml = MultiLineString([p for p in projected if len(p) >= 2])
        cut = self._cut_to_region(np.array([ml], dtype=object))
        if cut.size == 0:
            return MultiLineString()
        return _lineal(cut[0])

    def densify(
        self, parts: Sequence[np.ndarray], *, tolerance_km: float = 0.05, rounds: int = 24
    ) -> list[np.ndarray]:
        """Project lon/lat polylines, adding vertices where projection bends edges.

        Every segment's lon/lat midpoint is projected; where the straight
        projected chord passes farther than ``tolerance_km`` (geodesic, on
        the ground: the chord's midpoint is inverse-projected and measured
        with ``Geod.inv``) from that point, the midpoint becomes a vertex.
        Repeats until no segment fails.

        Parameters
        ----------
        parts : sequence of (n, 2) arrays
            Lon/lat vertices of each polyline (no segment crossing ±180).
        tolerance_km : float
            Allowed stray of a drawn segment, km.

        Returns
        -------
        list of (m, 2) arrays
            Projected vertices, one array per part.
        """
        if not parts:
            return []
        sizes = np.array([len(p) for p in parts])
        pid = np.repeat(np.arange(len(parts)), sizes)
        lon = np.concatenate([p[:, 0] for p in parts]).astype(float)
        lat = np.concatenate([p[:, 1] for p in parts]).astype(float)
        fwd, inv = self.forward, self.inverse
        x, y = (np.asarray(v, dtype=float) for v in fwd.transform(lon, lat))
        check = pid[:-1] == pid[1:]
        for _ in range(rounds):
            seg = np.flatnonzero(check)
            if seg.size == 0:
                break
            mlon = 0.5 * (lon[seg] + lon[seg + 1])
            mlat = 0.5 * (lat[seg] + lat[seg + 1])
            mx, my = (np.asarray(v, dtype=float) for v in fwd.transform(mlon, mlat))
            cx = 0.5 * (x[seg] + x[seg + 1])
            cy = 0.5 * (y[seg] + y[seg + 1])
            clon, clat = (np.asarray(v, dtype=float) for v in inv.transform(cx, cy))
            # a chord whose midpoint has no inverse (far beyond the view) fails
            err = np.full(seg.size, np.inf)
            ok = np.isfinite(clon) & np.isfinite(clat)
            if ok.any():
                _, _, d = GEOD.inv(clon[ok], clat[ok], mlon[ok], mlat[ok])
                err[ok] = np.asarray(d) / 1000.0
            # a chord near a pole or tiny: nothing more to gain
            tiny = np.hypot(x[seg + 1] - x[seg], y[seg + 1] - y[seg]) < 1.0
            fail = (err > tolerance_km) & ~tiny & np.isfinite(mx) & np.isfinite(my)
            if not fail.any():
                break
            at = seg[fail] + 1
            new_check = np.zeros(len(check) + at.size, dtype=bool)
            # the two halves of a split segment are checked again, nothing else
            positions = at + np.arange(at.size)  # where the new vertices land
            new_check[positions - 1] = True
            new_check[positions] = True
            lon = np.insert(lon, at, mlon[fail])
            lat = np.insert(lat, at, mlat[fail])
            x = np.insert(x, at, mx[fail])
            y = np.insert(y, at, my[fail])
            pid = np.insert(pid, at, pid[seg[fail]])
            check = new_check & (pid[:-1] == pid[1:])
        bounds = np.flatnonzero(np.diff(pid)) + 1
        xy = np.column_stack((x, y))
        return [p for p in np.split(xy, bounds)]

    # -- graticule --------------------------------------------------------

    def graticule(self, step: float | None = None) -> tuple[float, MultiLineString]:
        """Meridians and parallels every ``step`` degrees, projected and cut.

        Returns the step used (chosen from the map's size when None) and the
        lines. Meridians stop short of the poles except every 90°.
        """
        if step is None:
            span_km = max(self.width, self.height) / 1000.0
            if self.crs.is_geographic:  # degrees, not metres
                span_km = max(self.width, self.height) * 111.0
            step = (
                10.0
                if span_km > 4_000
                else 5.0
                if span_km > 1_500
                else 2.0
                if span_km > 600
                else 1.0
            )
        lon_min, lat_min, lon_max, lat_max = self.lonlat_bounds
        lines = []
        lat_lo = max(-90.0, math.floor(lat_min / step) * step)
        lat_hi = min(90.0, math.ceil(lat_max / step) * step)
        # only the longitudes the map shows, a step to spare each side (the box
        # comes from samples of the edge): the rest would be cut off anyway
        lon_lo = max(-180.0, math.floor(lon_min / step) * step - step)
        lon_hi = min(180.0, math.ceil(lon_max / step) * step + step)
        fine = min(step / 4.0, 0.5)
        lons = np.arange(-180.0, 180.0, step)
        shown = (lons >= lon_lo) & (lons <= lon_hi)
        if lon_hi >= 180.0:
            shown |= lons == -180.0  # the antimeridian, whichever side it is named from
        for lon in lons[shown]:
            top = 90.0 if lon % 90 == 0 else min(lat_hi, 90.0 - step / 2 if step < 10 else 80.0)
            bot = -90.0 if lon % 90 == 0 else max(lat_lo, -80.0)
            if top <= bot:
                continue
            lat = np.arange(bot, top + fine / 2, fine)
            lines.append(np.column_stack((np.full(lat.size, lon), lat)))
        for parallel in np.arange(lat_lo, lat_hi + step / 2, step):
            if abs(parallel) >= 90.0 or abs(parallel) > 85.0:
                continue
            along = np.arange(lon_lo, lon_hi + fine / 2, fine)
            lines.append(np.column_stack((along, np.full(along.size, parallel))))
        geom = MultiLineString(lines)
        return step, self.project_lines(geom, tolerance_km=max(0.5, self.width / 1e7))


def sample_boundary(poly: Polygon, n: int) -> np.ndarray:
    """``n`` points evenly spaced along the outer ring, then the ring's own vertices.

    Interpolated along the cumulative length in one pass (GEOS's
    ``line_interpolate_point`` walks the ring afresh for every point).
    """
    xy = np.asarray(poly.exterior.coords)[:, :2]
    along = np.concatenate(([0.0], np.cumsum(np.hypot(*np.diff(xy, axis=0).T))))
    d = np.linspace(0.0, along[-1], n)
    sampled = np.column_stack((np.interp(d, along, xy[:, 0]), np.interp(d, along, xy[:, 1])))
    return np.vstack((sampled, xy))


def _valid(arr: np.ndarray) -> np.ndarray:
    bad = ~shapely.is_valid(arr)
    if bad.any():
        arr = arr.copy()
        arr[bad] = shapely.make_valid(arr[bad])
    return arr


def _polygonal(geom: BaseGeometry) -> BaseGeometry:
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    polys = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(polys) if polys else Polygon()


def _lineal(geom: BaseGeometry) -> MultiLineString:
    lines = [g for g in shapely.get_parts(geom) if g.geom_type == "LineString" and not g.is_empty]
    return MultiLineString(lines) if lines else MultiLineString()
