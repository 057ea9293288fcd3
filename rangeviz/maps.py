"""Map projections, extents and clipping for drawing bands (no matplotlib here).

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

Examples
--------
>>> frame = make_frame("europe", extent="europe", aspect=16 / 9)
>>> frame.crs.to_epsg()
3035
>>> round(frame.width / frame.height, 3)
1.778
"""

from __future__ import annotations

import contextlib
import functools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely
from pyproj import CRS, Geod, Transformer
from pyproj.enums import TransformDirection
from pyproj.exceptions import CRSError
from shapely.geometry import LineString, MultiLineString, MultiPolygon, Polygon, box
from shapely.geometry.base import BaseGeometry

from rangeviz.errors import InputError, UnknownNameError
from rangeviz.geodesic import disc

if TYPE_CHECKING:
    import numpy.typing as npt

__all__ = [  # noqa: RUF022 (plain sorted order, as tests/test_api.py checks)
    "EXTENTS",
    "MapFrame",
    "PROJECTIONS",
    "choose_scale",
    "lookup",
    "make_frame",
    "resolve_extent",
    "resolve_projection",
]

GEOD = Geod(ellps="WGS84")

#: Named projections and what they are.
PROJECTIONS: dict[str, str] = {
    "auto": "europe for sites in and around Europe, else aeqd",
    "europe": "ETRS89-LAEA Europe (EPSG:3035)",
    "aeqd": "azimuthal equidistant centred on the first site",
    "polar": "north polar Lambert azimuthal equal-area",
}

#: Named extents as lon/lat boxes ``(lon_min, lat_min, lon_max, lat_max)``.
EXTENTS: dict[str, tuple[float, float, float, float]] = {
    # Iceland to the Urals, North Cape to the Maghreb
    "europe": (-25.0, 30.0, 62.0, 72.0),
    # with the North Atlantic (Newfoundland) and the Middle East (to Yemen, Iran)
    "wide": (-55.0, 12.0, 65.0, 75.0),
}

# Geodesic radius (km) of the most an azimuthal map shows round its centre:
# a hemisphere. Beyond it an equal-area or equidistant map is too distorted to
# brief from, and the antipode (a circle in LAEA) is not far.
_VIEW_KM = 10_000.0
# Orthographic maps show less than a hemisphere; gnomonic far less.
_VIEW_KM_BY_METHOD = {"orthographic": 9_800.0, "gnomonic": 6_500.0}
_AZIMUTHAL_WORDS = ("azimuthal", "orthographic", "stereographic", "gnomonic")
# Clipping a world layer to a cap needs no more than a coarse cap edge: the cut
# is redone exactly against the projected region.
_DOMAIN_TOLERANCE_KM = 1.0
# Longest lon/lat segment (degrees) of a world layer before projecting.
_LAYER_SEGMENT_DEG = 1.0
_SCALES = ("110m", "50m", "10m")


# --------------------------------------------------------------------------
# names


def lookup(kind: str, name: Any, choices: Mapping[str, Any] | Iterable[str], hint: str = "") -> str:
    """The canonical key for ``name`` among ``choices``, case-insensitively.

    Parameters
    ----------
    kind : str
        What is looked up, for the message ("projection", "extent", ...).
    name : Any
        What the user gave.
    choices : mapping or iterable of str
        The valid names.
    hint : str, optional
        Appended to the error message.

    Raises
    ------
    UnknownNameError
        Listing every valid choice.

    Examples
    --------
    >>> lookup("projection", " Europe", PROJECTIONS)
    'europe'
    >>> lookup("extent", "asia", EXTENTS)
    Traceback (most recent call last):
    ...
    rangeviz.errors.UnknownNameError: extent 'asia' is not known; choose one of: europe, wide
    """
    keys = list(choices)
    if isinstance(name, str):
        key = name.strip().lower()
        if key in keys:
            return key
    listed = ", ".join(keys)
    raise UnknownNameError(f"{kind} {name!r} is not known; choose one of: {listed}{hint}")


#: "auto" keeps the Europe map for sites within this distance of its centre
_AUTO_EUROPE_KM = 3500.0


def _auto_projection(sites: Sequence[tuple[float, float]]) -> str:
    """'europe' when every site is in or near Europe (52°N 10°E), else 'aeqd'."""
    if not sites:
        return "europe"
    lon = np.array([s[0] for s in sites], dtype=float)
    lat = np.array([s[1] for s in sites], dtype=float)
    _, _, d = GEOD.inv(np.full(lon.shape, 10.0), np.full(lat.shape, 52.0), lon, lat)
    return "europe" if np.max(d) / 1000.0 <= _AUTO_EUROPE_KM else "aeqd"


def resolve_projection(
    projection: Any = "europe", *, center: tuple[float, float] | None = None
) -> CRS:
    """A pyproj CRS for a projection name or anything ``pyproj.CRS`` accepts.

    Parameters
    ----------
    projection : str or pyproj.CRS or Any
        ``"europe"`` (EPSG:3035, ETRS89-LAEA), ``"aeqd"`` (azimuthal
        equidistant centred on ``center``), ``"polar"`` (north polar LAEA with
        ``center``'s longitude, or 20°E, pointing down), or any CRS pyproj
        accepts (``"EPSG:3857"``, a PROJ string, WKT, a CRS object).
    center : (lon, lat), optional
        The first launch site, degrees. Needed for ``"aeqd"``.

    Examples
    --------
    >>> resolve_projection("europe").to_epsg()
    3035
    >>> resolve_projection("polar", center=(158.65, 53.02)).to_proj4()  # doctest: +SKIP
    """
    if isinstance(projection, str) and projection.strip().lower() in PROJECTIONS:
        name = projection.strip().lower()
        if name == "auto":
            name = _auto_projection([center] if center is not None else [])
        if name == "europe":
            return CRS.from_epsg(3035)
        if name == "aeqd":
            if center is None:
                raise InputError(
                    "projection 'aeqd' is centred on the first site; give at least one site"
                )
            lon, lat = _check_point(center, "center")
            return CRS.from_proj4(
                f"+proj=aeqd +lat_0={lat:.6f} +lon_0={lon:.6f} +datum=WGS84 +units=m +no_defs"
            )
        lon = 20.0 if center is None else _check_point(center, "center")[0]
        return CRS.from_proj4(
            f"+proj=laea +lat_0=90 +lon_0={lon:.6f} +datum=WGS84 +units=m +no_defs"
        )
    crs = None
    if isinstance(projection, CRS):
        crs = projection
    else:
        with contextlib.suppress(CRSError, TypeError, ValueError):
            crs = CRS.from_user_input(projection)
    if crs is not None:
        if not (crs.is_projected or crs.is_geographic) or crs.is_geocentric:
            raise InputError(
                f"projection {projection!r} is not a map projection (a geocentric or "
                "other non-map CRS); give a projected or geographic CRS, or europe, "
                "aeqd, polar"
            )
        return crs
    hint = " or any CRS pyproj accepts (e.g. 'EPSG:3035' or a PROJ string)"
    lookup("projection", projection, PROJECTIONS, hint)
    raise AssertionError("unreachable")  # pragma: no cover


def resolve_extent(extent: Any) -> tuple[float, float, float, float] | None:
    """A lon/lat box ``(lon_min, lat_min, lon_max, lat_max)`` from a preset or box.

    ``None`` means "fit to the bands". A box whose ``lon_min`` exceeds its
    ``lon_max`` crosses the antimeridian; it comes back with ``lon_max``
    increased by 360.

    Examples
    --------
    >>> resolve_extent("wide")
    (-55.0, 12.0, 65.0, 75.0)
    >>> resolve_extent((150, 40, -160, 70))
    (150.0, 40.0, 200.0, 70.0)
    >>> resolve_extent((40, 10, 50, 95))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    rangeviz.errors.InputError: extent lat_max 95.0 is outside [-90, 90]...
    """
    if extent is None:
        return None
    if isinstance(extent, str):
        return EXTENTS[
            lookup("extent", extent, EXTENTS, " or a (lon_min, lat_min, lon_max, lat_max) box")
        ]
    form = "extent is (lon_min, lat_min, lon_max, lat_max) in degrees"
    try:
        values = [float(v) for v in extent]
    except (TypeError, ValueError):
        raise InputError(
            f"extent {extent!r} is not a preset name or four numbers; {form}"
        ) from None
    if len(values) != 4:
        raise InputError(f"extent {extent!r} has {len(values)} numbers, not 4; {form}")
    names = ("lon_min", "lat_min", "lon_max", "lat_max")
    for value, name in zip(values, names, strict=True):
        if not math.isfinite(value):
            raise InputError(f"extent {name} {value!r} is not a finite number; {form}")
    lon_min, lat_min, lon_max, lat_max = values
    for value, name in ((lat_min, "lat_min"), (lat_max, "lat_max")):
        if not -90.0 <= value <= 90.0:
            hint = " (did you swap lat and lon?)" if -180 <= value <= 180 else ""
            raise InputError(f"extent {name} {value!r} is outside [-90, 90]{hint}; {form}")
    for value, name in ((lon_min, "lon_min"), (lon_max, "lon_max")):
        if not -180.0 <= value <= 180.0:
            raise InputError(f"extent {name} {value!r} is outside [-180, 180]; {form}")
    if lat_min >= lat_max:
        raise InputError(
            f"extent lat_min {lat_min!r} must be smaller than lat_max {lat_max!r}; {form}"
        )
    if lon_min == lon_max:
        raise InputError(f"extent lon_min and lon_max are both {lon_min!r}; {form}")
    if lon_min > lon_max:  # crosses the antimeridian
        lon_max += 360.0
    return (lon_min, lat_min, lon_max, lat_max)


def choose_scale(frame: MapFrame, coverage_10m: Sequence[float] | None = None) -> str:
    """The Natural Earth scale that suits a map: ``"110m"``, ``"50m"`` or ``"10m"``.

    1:110m for (near) world views, 1:50m for Europe-sized maps, 1:10m when
    the map spans at most ~2,500 km and lies inside ``coverage_10m`` (a lon/lat
    box, the 10m data's extent) if given.
    """
    span_km = math.hypot(frame.width, frame.height) / 1000.0
    if span_km <= 2_500.0:
        if coverage_10m is None:
            return "10m"
        lon_min, lat_min, lon_max, lat_max = frame.lonlat_bounds
        c = coverage_10m
        if lon_min >= c[0] and lat_min >= c[1] and lon_max <= c[2] and lat_max <= c[3]:
            return "10m"
    if max(frame.width, frame.height) / 1000.0 >= 15_000.0:
        return "110m"
    return "50m"


# --------------------------------------------------------------------------
# the frame


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
        return _transformer(self.crs)

    @property
    def inverse(self) -> _Inverse:
        """The map's CRS to lon/lat: ``frame.inverse.transform(x, y)``."""
        return _Inverse(_transformer(self.crs))

    @cached_property
    def lonlat_bounds(self) -> tuple[float, float, float, float]:
        """Lon/lat box round the region (whole longitudes if it holds a pole)."""
        xy = _sample_boundary(self.region, 400)
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
            step = (
                10.0
                if span_km > 4_000
                else 5.0
                if span_km > 1_500
                else 2.0
                if span_km > 600
                else 1.0
            )
        _, lat_min, _, lat_max = self.lonlat_bounds
        lines = []
        lat_lo = max(-90.0, math.floor(lat_min / step) * step)
        lat_hi = min(90.0, math.ceil(lat_max / step) * step)
        fine = min(step / 4.0, 0.5)
        lons = np.arange(-180.0, 180.0, step)
        for lon in lons:
            top = 90.0 if lon % 90 == 0 else min(lat_hi, 90.0 - step / 2 if step < 10 else 80.0)
            bot = -90.0 if lon % 90 == 0 else max(lat_lo, -80.0)
            if top <= bot:
                continue
            lat = np.arange(bot, top + fine / 2, fine)
            lines.append(np.column_stack((np.full(lat.size, lon), lat)))
        for lat in np.arange(lat_lo, lat_hi + step / 2, step):
            if abs(lat) >= 90.0 or abs(lat) > 85.0:
                continue
            lon = np.arange(-180.0, 180.0 + fine / 2, fine)
            lines.append(np.column_stack((lon, np.full(lon.size, lat))))
        geom = MultiLineString(lines)
        return step, self.project_lines(geom, tolerance_km=max(0.5, self.width / 1e7))


# --------------------------------------------------------------------------
# making a frame


@functools.lru_cache(maxsize=16)
def _transformer(crs: CRS) -> Transformer:
    # one per CRS, used both ways: creating one costs tens of ms (proj.db)
    return Transformer.from_crs("EPSG:4326", crs, always_xy=True)


class _Inverse:
    """A transformer's inverse direction with the usual ``transform(x, y)``."""

    def __init__(self, forward: Transformer) -> None:
        self._forward = forward

    def transform(self, xx: Any, yy: Any) -> tuple[Any, Any]:
        return self._forward.transform(xx, yy, direction=TransformDirection.INVERSE)


def make_frame(
    projection: Any = "europe",
    *,
    extent: Any = None,
    sites: Iterable[tuple[float, float]] = (),
    fit: Iterable[BaseGeometry] = (),
    aspect: float | None = None,
    margin: float = 0.05,
) -> MapFrame:
    """The frame of a map: CRS, limits, drawable region and clipping domain.

    Parameters
    ----------
    projection : str or CRS
        See :func:`resolve_projection`; ``"aeqd"`` and ``"polar"`` centre on
        the first of ``sites``.
    extent : None, str or (lon_min, lat_min, lon_max, lat_max)
        None fits ``fit`` and ``sites`` with a ``margin``; a preset name
        (``"europe"``, ``"wide"``); or a lon/lat box.
    sites : iterable of (lon, lat)
        Launch sites: they centre ``"aeqd"``/``"polar"`` and are fitted.
    fit : iterable of lon/lat geometries
        What the fitted extent must show (e.g. the bands' outer rings). Parts
        beyond the view (a hemisphere round the projection centre) are left
        out: a 12,000 km band is shown as far as a map can show it.
    aspect : float, optional
        Width / height of the axes. The extent grows (never shrinks) to match.
    margin : float, default 0.05
        Fraction of the fitted size added on every side.

    Examples
    --------
    >>> f = make_frame("aeqd", sites=[(20.51, 54.71)], extent=(10, 50, 30, 60))
    >>> f.center
    (20.51, 54.71)
    """
    sites = [_check_point(s, "site") for s in sites]
    center_site = sites[0] if sites else None
    if isinstance(projection, str) and projection.strip().lower() == "auto":
        projection = _auto_projection(sites)
    crs = resolve_projection(projection, center=center_site)
    name = _describe(projection, crs)
    box_ll = resolve_extent(extent)
    center, view_km, method = _projection_center(crs)
    if margin < 0 or not math.isfinite(margin):
        raise InputError(f"margin {margin!r} must be a finite number >= 0")
    if aspect is not None and not (math.isfinite(aspect) and aspect > 0):
        raise InputError(f"aspect {aspect!r} must be a positive number (width / height)")

    fwd = _transformer(crs)
    if center is not None:
        view_ll = disc(center[0], center[1], radius_km=view_km, tolerance_km=_DOMAIN_TOLERANCE_KM)
        view_xy = _projected_circle(fwd, center, view_km)
    else:
        view_ll = _noncentred_domain(crs, method)
        view_xy = None

    # what must be shown, projected
    if box_ll is not None:
        lon0, lat0, lon1, lat1 = box_ll
        pieces = _lonlat_box_outline(lon0, lat0, lon1, lat1)
        margin_used = 0.0
    else:
        pieces = [g for g in fit if g is not None and not g.is_empty]
        pieces += [shapely.Point(lon, lat) for lon, lat in sites]
        margin_used = margin
        if not pieces:
            raise InputError("nothing to fit the map to: give sites, bands or an extent")
    xs, ys = _projected_extent(pieces, view_ll, fwd)
    if xs is None:
        what = f"extent {extent!r}" if box_ll is not None else "the sites and their bands"
        raise InputError(
            f"{what} lie outside what projection {name!r} can show; choose another "
            "projection (aeqd centres the map on the first site) or extent"
        )
    x0, x1, y0, y1 = xs[0], xs[1], ys[0], ys[1]
    if box_ll is None:
        pad = margin_used * max(x1 - x0, y1 - y0)
        x0, x1, y0, y1 = x0 - pad, x1 + pad, y0 - pad, y1 + pad
        # a single site (or a tiny band) still gets a map of some size
        smallest = 400_000.0 if crs.is_projected else 4.0
        x0, x1 = _at_least(x0, x1, smallest)
        y0, y1 = _at_least(y0, y1, smallest)
    if view_xy is not None and view_xy.contains(box(x0, y0, x1, y1)):
        # grow towards the aspect only while the map stays inside the view:
        # a 5,500 km band on a slide gets a rectangular map, not the far side
        # of the world in its corners
        if aspect is not None:
            x0, x1, y0, y1 = _grow_within(view_xy, (x0, x1, y0, y1), aspect)
    elif aspect is not None and view_xy is None:
        x0, x1, y0, y1 = _grow_to_aspect(x0, x1, y0, y1, aspect)
    # a map already beyond the view stays as fitted: its axes narrow instead
    if view_xy is not None:
        # never wider or taller than the view disc; a view cut by it is a disc
        vx0, vy0, vx1, vy1 = view_xy.bounds
        x0, x1 = _clamp_interval(x0, x1, vx0, vx1)
        y0, y1 = _clamp_interval(y0, y1, vy0, vy1)
        rect = box(x0, y0, x1, y1)
        region = rect.intersection(view_xy) if not view_xy.contains(rect) else rect
        if region.geom_type != "Polygon":
            region = max(shapely.get_parts(region), key=lambda g: g.area)
        domain = _domain_cap(crs, center, view_km, region)
    else:
        region = box(x0, y0, x1, y1)
        domain = view_ll
    bounds = (float(x0), float(y0), float(x1), float(y1))
    return MapFrame(
        crs=crs,
        bounds=bounds,
        center=center,
        view_km=view_km,
        region=region,
        domain=domain,
        name=name,
    )


def _describe(projection: Any, crs: CRS) -> str:
    if isinstance(projection, str) and projection.strip().lower() in PROJECTIONS:
        return projection.strip().lower()
    return crs.name


def _check_point(point: Any, what: str) -> tuple[float, float]:
    try:
        lon, lat = (float(v) for v in point)
    except (TypeError, ValueError):
        raise InputError(f"{what} {point!r} is not a (lon, lat) pair") from None
    if not (math.isfinite(lon) and math.isfinite(lat)) or abs(lat) > 90 or abs(lon) > 180:
        raise InputError(
            f"{what} {point!r} is not a (lon, lat) pair within [-180, 180] x [-90, 90]"
        )
    return lon, lat


def _projection_center(crs: CRS) -> tuple[tuple[float, float] | None, float | None, str]:
    """Centre (lon, lat) and view radius (km) of an azimuthal CRS, else Nones."""
    op = crs.coordinate_operation if crs.is_projected else None
    if op is None:
        return None, None, "geographic" if crs.is_geographic else ""
    method = op.method_name.lower()
    if not any(word in method for word in _AZIMUTHAL_WORDS):
        return None, None, method
    lat = lon = None
    for p in op.params:
        pname = p.name.lower()
        if pname.startswith("latitude of") and ("origin" in pname or "centre" in pname):
            lat = float(p.value)
        elif pname.startswith("latitude of standard parallel") and lat is None:
            lat = 90.0 if p.value > 0 else -90.0
        elif pname.startswith("longitude of") and (
            "origin" in pname or "centre" in pname or "meridian" in pname
        ):
            lon = float(p.value)
    if lat is None or lon is None:
        return None, None, method
    if "polar" in method and abs(lat) != 90.0:
        lat = 90.0 if lat > 0 else -90.0
    view = _VIEW_KM
    for word, km in _VIEW_KM_BY_METHOD.items():
        if word in method:
            view = km
    return (lon, lat), view, method


def _noncentred_domain(crs: CRS, method: str) -> BaseGeometry:
    if crs.is_geographic:
        return box(-180.0, -90.0, 180.0, 90.0)
    aou = crs.area_of_use
    lon0, lat0, lon1, lat1 = (-180.0, -90.0, 180.0, 90.0) if aou is None else aou.bounds
    if "mercator" in method and "transverse" not in method:
        lat0, lat1 = max(lat0, -85.0), min(lat1, 85.0)
    if lon0 > lon1:  # the area of use crosses the antimeridian
        return shapely.union(box(lon0, lat0, 180.0, lat1), box(-180.0, lat0, lon1, lat1))
    return box(lon0, lat0, lon1, lat1)


def _projected_circle(fwd: Transformer, center: tuple[float, float], radius_km: float) -> Polygon:
    az = np.arange(0.0, 360.0, 0.25)
    n = az.size
    lon, lat, _ = GEOD.fwd(
        np.full(n, center[0]), np.full(n, center[1]), az, np.full(n, radius_km * 1e3)
    )
    x, y = fwd.transform(np.asarray(lon), np.asarray(lat))
    return Polygon(np.column_stack((x, y)))


def _lonlat_box_outline(lon0: float, lat0: float, lon1: float, lat1: float) -> list[BaseGeometry]:
    step = 0.25
    lons = np.linspace(lon0, lon1, max(2, math.ceil((lon1 - lon0) / step) + 1))
    lats = np.linspace(lat0, lat1, max(2, math.ceil((lat1 - lat0) / step) + 1))
    ring = np.concatenate(
        (
            np.column_stack((lons, np.full(lons.size, lat0))),
            np.column_stack((np.full(lats.size, lon1), lats)),
            np.column_stack((lons[::-1], np.full(lons.size, lat1))),
            np.column_stack((np.full(lats.size, lon0), lats[::-1])),
        )
    )
    ring[:, 0] = (ring[:, 0] + 180.0) % 360.0 - 180.0
    ring[ring[:, 0] == -180.0, 0] = 180.0 if lon1 > 180 else -180.0
    # points only: the box may cross the antimeridian, and only its bounds matter
    return [shapely.MultiPoint(ring)]


def _projected_extent(
    pieces: list[BaseGeometry], view_ll: BaseGeometry, fwd: Transformer
) -> tuple[tuple[float, float] | tuple[None, None], ...]:
    arr = np.array(pieces, dtype=object)
    shapely.prepare(view_ll)
    arr = shapely.intersection(arr, view_ll)
    coords = shapely.get_coordinates(arr)
    if coords.size == 0:
        return None, None
    x, y = fwd.transform(coords[:, 0], coords[:, 1])
    x, y = np.asarray(x), np.asarray(y)
    ok = np.isfinite(x) & np.isfinite(y)
    if not ok.any():
        return None, None
    return (float(x[ok].min()), float(x[ok].max())), (float(y[ok].min()), float(y[ok].max()))


def _grow_to_aspect(x0: float, x1: float, y0: float, y1: float, aspect: float):
    w, h = x1 - x0, y1 - y0
    if w / h < aspect:
        extra = (aspect * h - w) / 2
        x0, x1 = x0 - extra, x1 + extra
    else:
        extra = (w / aspect - h) / 2
        y0, y1 = y0 - extra, y1 + extra
    return x0, x1, y0, y1


def _grow_within(
    view: Polygon, rect: tuple[float, float, float, float], aspect: float
) -> tuple[float, float, float, float]:
    """Grow ``rect`` towards ``aspect`` as far as it stays inside ``view``."""
    full = _grow_to_aspect(*rect, aspect)
    if view.contains(box(full[0], full[2], full[1], full[3])):
        return full
    lo, hi = 0.0, 1.0
    for _ in range(12):
        t = 0.5 * (lo + hi)
        x0, x1, y0, y1 = (a + t * (b - a) for a, b in zip(rect, full, strict=True))
        if view.contains(box(x0, y0, x1, y1)):
            lo = t
        else:
            hi = t
    return tuple(a + lo * (b - a) for a, b in zip(rect, full, strict=True))  # type: ignore[return-value]


def _at_least(a: float, b: float, size: float) -> tuple[float, float]:
    if b - a >= size:
        return a, b
    mid = 0.5 * (a + b)
    return mid - size / 2, mid + size / 2


def _clamp_interval(a: float, b: float, lo: float, hi: float) -> tuple[float, float]:
    """Shift [a, b] into [lo, hi]; cut it to [lo, hi] if it is longer."""
    if b - a >= hi - lo:
        return lo, hi
    if a < lo:
        return lo, lo + (b - a)
    if b > hi:
        return hi - (b - a), hi
    return a, b


def _domain_cap(
    crs: CRS, center: tuple[float, float], view_km: float, region: Polygon
) -> BaseGeometry:
    """The lon/lat cap round the centre that holds everything the region shows."""
    inv = _Inverse(_transformer(crs))
    xy = _sample_boundary(region, 720)
    lon, lat = inv.transform(xy[:, 0], xy[:, 1])
    lon, lat = np.asarray(lon), np.asarray(lat)
    ok = np.isfinite(lon) & np.isfinite(lat)
    n = int(ok.sum())
    reach = view_km
    if n:
        _, _, d = GEOD.inv(np.full(n, center[0]), np.full(n, center[1]), lon[ok], lat[ok])
        reach = float(np.max(d)) / 1000.0
    radius = min(reach, view_km) * 1.01 + 25.0
    return disc(center[0], center[1], radius_km=radius, tolerance_km=_DOMAIN_TOLERANCE_KM)


def _sample_boundary(poly: Polygon, n: int) -> np.ndarray:
    ring = LineString(poly.exterior.coords)
    d = np.linspace(0.0, ring.length, n)
    pts = shapely.line_interpolate_point(ring, d)
    return np.vstack((shapely.get_coordinates(pts), np.asarray(poly.exterior.coords)[:, :2]))


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
