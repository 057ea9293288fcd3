"""Making a frame: the extent that shows the bands, grown to the page, cut to the view."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import shapely
from pyproj import CRS, Transformer
from shapely.geometry import Polygon, box
from shapely.geometry.base import BaseGeometry

from rangeviz import _checks
from rangeviz.errors import InputError
from rangeviz.geodesic import ANTIPODAL_KM, disc
from rangeviz.maps.frame import MapFrame, sample_boundary
from rangeviz.maps.projections import (
    GEOD,
    Inverse,
    auto_projection,
    central_meridian,
    describe,
    noncentred_domain,
    projection_center,
    resolve_extent,
    resolve_projection,
    transformer,
)

__all__ = ["check_shown", "make_frame"]

# Clipping a world layer to a cap needs no more than a coarse cap edge: the cut
# is redone exactly against the projected region.
_DOMAIN_TOLERANCE_KM = 1.0


def make_frame(
    projection: Any = "europe",
    *,
    extent: Any = None,
    sites: Iterable[tuple[float, float]] = (),
    fit: Iterable[BaseGeometry] = (),
    aspect: float | None = None,
    margin: float = 0.05,
    crop: bool = False,
    focus: Iterable[tuple[float, float]] = (),
    reach_km: float | None = None,
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
    crop : bool, default False
        With a fitted extent and an ``aspect``: when the bands are much
        taller (or wider) than the page, show their full width (or height)
        and crop the other way, keeping the sites and as many ``focus``
        points as possible, rather than leaving the page half empty.
    focus : iterable of (lon, lat)
        The places the map is about, for ``crop``.
    reach_km : float, optional
        The largest band radius. ``"auto"`` leaves the Europe map for an
        azimuthal equidistant one when it is large, and an azimuthal
        equidistant map then shows as far as the bands reach (up to the
        whole world), so that their edges are on the map.

    Examples
    --------
    >>> f = make_frame("aeqd", sites=[(20.51, 54.71)], extent=(10, 50, 30, 60))
    >>> f.center
    (20.51, 54.71)
    """
    sites = [_checks.lonlat(*s, "site") for s in sites]
    center_site = sites[0] if sites else None
    if isinstance(projection, str) and projection.strip().lower() == "auto":
        projection = auto_projection(sites, reach_km)
    crs = resolve_projection(projection, center=center_site)
    name = describe(projection, crs)
    box_ll = resolve_extent(extent)
    center, view_km, method = projection_center(crs)
    if reach_km is not None and view_km is not None and center is not None and box_ll is None:
        # far enough from the centre for every band edge: an equidistant map can show
        # the whole world, an equal-area one (the polar map) up to the 45th parallel
        # beyond the equator, where its shapes are still readable
        far = max((_distance_km(center, s) for s in sites), default=0.0) + reach_km
        limit = ANTIPODAL_KM - 1.0 if "equidistant" in method else _EQUAL_AREA_VIEW_KM
        if "equidistant" in method or "equal area" in method:
            view_km = min(max(view_km, far * 1.06 + 200.0), limit)
    if margin < 0 or not math.isfinite(margin):
        raise InputError(f"margin {margin!r} must be a finite number >= 0")
    if aspect is not None and not (math.isfinite(aspect) and aspect > 0):
        raise InputError(f"aspect {aspect!r} must be a positive number (width / height)")

    fwd = transformer(crs)
    view_xy: Polygon | None = None
    if center is not None and view_km is not None:
        view_ll = disc(center[0], center[1], radius_km=view_km, tolerance_km=_DOMAIN_TOLERANCE_KM)
        view_xy = _projected_circle(fwd, center, view_km, "equidistant" in method)
    else:
        view_ll = noncentred_domain(crs, method)

    # what must be shown, projected
    if box_ll is not None:
        lon0, lat0, lon1, lat1 = box_ll
        pieces = _lonlat_box_outline(lon0, lat0, lon1, lat1)
        margin_used = 0.0
    else:
        fit_list = [g for g in fit if g is not None and not g.is_empty]
        pieces = list(fit_list)
        pieces += [shapely.Point(lon, lat) for lon, lat in sites]
        margin_used = margin
        if not pieces:
            raise InputError("nothing to fit the map to: give sites, bands or an extent")
    limits = _projected_extent(pieces, view_ll, fwd)
    if limits is None:
        what = f"extent {extent!r}" if box_ll is not None else "the sites and their bands"
        raise InputError(
            f"{what} lie outside what projection {name!r} can show; choose another "
            "projection (aeqd centres the map on the first site) or extent"
        )
    x0, x1, y0, y1 = limits
    if box_ll is None:
        pad = margin_used * max(x1 - x0, y1 - y0)
        x0, x1, y0, y1 = x0 - pad, x1 + pad, y0 - pad, y1 + pad
        # a single site (or a tiny band) still gets a map of some size
        smallest = 400_000.0 if crs.is_projected else 4.0
        x0, x1 = _at_least(x0, x1, smallest)
        y0, y1 = _at_least(y0, y1, smallest)
        # a band of regional size is shown whole, with more around it; only a
        # continental one is cropped to the page (its edges still on the map)
        big = crs.is_projected and max(x1 - x0, y1 - y0) > _CROP_ABOVE_M
        if aspect is not None and crop and big:
            edges = [_edge_points(g, view_ll, fwd) for g in fit_list]
            # a polar map keeps its pole, whatever else the page can hold
            keep = [*sites, center] if name == "polar" and center is not None else sites
            x0, x1, y0, y1 = _crop_to_aspect(
                (x0, x1, y0, y1),
                aspect,
                _projected(fwd, keep),
                _projected(fwd, list(focus)),
                edges,
            )
    if view_xy is not None and view_xy.contains(box(x0, y0, x1, y1)):
        # grow towards the aspect only while the map stays inside the view:
        # a 5,500 km band on a slide gets a rectangular map, not the far side
        # of the world in its corners
        if aspect is not None:
            x0, x1, y0, y1 = _grow_within(view_xy, (x0, x1, y0, y1), aspect)
    elif aspect is not None and view_xy is None:
        x0, x1, y0, y1 = _grow_to_aspect(x0, x1, y0, y1, aspect)
    # a map already beyond the view stays as fitted: its axes narrow instead
    if view_xy is not None and center is not None and view_km is not None:
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
        world = _world_outline(fwd, crs, view_ll)
        if world is not None:
            # a world map ends where the world does: no blank beyond ±180° or the poles
            wx0, wy0, wx1, wy1 = world.bounds
            x0, x1 = _clamp_interval(x0, x1, wx0, wx1)
            y0, y1 = _clamp_interval(y0, y1, wy0, wy1)
            x0, x1, y0, y1 = max(x0, wx0), min(x1, wx1), max(y0, wy0), min(y1, wy1)
            if aspect is not None and box_ll is None:
                x0, x1, y0, y1 = _trim_to_aspect((x0, x1, y0, y1), aspect, _projected(fwd, sites))
            rect = box(x0, y0, x1, y1)
            region = rect if world.contains(rect) else rect.intersection(world)
            if region.geom_type != "Polygon":
                region = max(shapely.get_parts(region), key=lambda g: g.area)
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


def _world_outline(fwd: Transformer, crs: CRS, domain: BaseGeometry) -> Polygon | None:
    """The outline of what a non-azimuthal projection shows of the world, projected.

    None where the outline does not project or is not one area.
    """
    lon0, lat0, lon1, lat1 = domain.bounds
    if lon1 - lon0 > 359.0:  # the whole way round: from the cut to the cut
        mid = central_meridian(crs)
        outline = box(mid - 180.0 + 1e-6, lat0, mid + 180.0 - 1e-6, lat1)
    else:
        parts = [p for p in shapely.get_parts(domain) if p.geom_type == "Polygon"]
        if len(parts) != 1:
            return None
        outline = parts[0]
    ring = shapely.get_coordinates(shapely.segmentize(outline.exterior, 0.5))
    x, y = fwd.transform(ring[:, 0], ring[:, 1])
    xy = np.column_stack((np.asarray(x, dtype=float), np.asarray(y, dtype=float)))
    if not np.isfinite(xy).all():
        return None
    outline = shapely.make_valid(Polygon(xy))
    if outline.geom_type != "Polygon" or outline.area <= 0:
        return None
    return outline


def _trim_to_aspect(
    limits: tuple[float, float, float, float], aspect: float, sites: np.ndarray
) -> tuple[float, float, float, float]:
    """Cut a box clamped to the world back to the page's shape, round its middle.

    The sites stay on the map where the cut allows it.
    """
    x0, x1, y0, y1 = limits
    w, h = x1 - x0, y1 - y0
    if w / h < aspect / _CROP_RATIO:  # too tall: keep the width, cut the height
        new = w / aspect
        mid = 0.5 * (y0 + y1)
        if len(sites):
            mid = float(
                np.clip(mid, sites[:, 1].max() - 0.45 * new, sites[:, 1].min() + 0.45 * new)
            )
        lo = min(max(mid - new / 2, y0), y1 - new)
        return x0, x1, lo, lo + new
    if w / h > aspect * _CROP_RATIO:  # too wide: keep the height, cut the width
        new = h * aspect
        mid = 0.5 * (x0 + x1)
        if len(sites):
            mid = float(
                np.clip(mid, sites[:, 0].max() - 0.45 * new, sites[:, 0].min() + 0.45 * new)
            )
        lo = min(max(mid - new / 2, x0), x1 - new)
        return lo, lo + new, y0, y1
    return limits


#: How far from its centre an equal-area azimuthal map is drawn at most (km).
_EQUAL_AREA_VIEW_KM = 15_000.0


def _distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    _, _, m = GEOD.inv(a[0], a[1], b[0], b[1])
    return float(m) / 1000.0


def _projected_circle(
    fwd: Transformer, center: tuple[float, float], radius_km: float, equidistant: bool
) -> Polygon:
    """The view's edge on the map: the projected geodesic circle round the centre.

    On an azimuthal equidistant map it is a true circle by construction (and
    near the antipode, where geodesics from the centre cross, the only
    reliable way to draw it).
    """
    if equidistant:
        cx, cy = fwd.transform(center[0], center[1])
        return shapely.Point(float(cx), float(cy)).buffer(radius_km * 1000.0, quad_segs=360)
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
) -> tuple[float, float, float, float] | None:
    """(x0, x1, y0, y1) of what the view shows of ``pieces``; None if nothing."""
    arr = np.array(pieces, dtype=object)
    shapely.prepare(view_ll)
    arr = shapely.intersection(arr, view_ll)
    coords = shapely.get_coordinates(arr)
    if coords.size == 0:
        return None
    x, y = fwd.transform(coords[:, 0], coords[:, 1])
    x, y = np.asarray(x), np.asarray(y)
    ok = np.isfinite(x) & np.isfinite(y)
    if not ok.any():
        return None
    return float(x[ok].min()), float(x[ok].max()), float(y[ok].min()), float(y[ok].max())


def _projected(fwd: Transformer, points: list[tuple[float, float]]) -> np.ndarray:
    """Projected (n, 2) array of lon/lat points (those the projection cannot show dropped)."""
    if not points:
        return np.zeros((0, 2))
    x, y = fwd.transform([p[0] for p in points], [p[1] for p in points])
    xy = np.column_stack((np.asarray(x, dtype=float), np.asarray(y, dtype=float)))
    return xy[np.isfinite(xy).all(axis=1)]


def _edge_points(geom: BaseGeometry, view_ll: BaseGeometry, fwd: Transformer) -> np.ndarray:
    """Projected points along a band's edges (its boundary less the ±180 and pole lines)."""
    from rangeviz.geometry import edge_without_seams

    edge = edge_without_seams(geom) if geom.geom_type in ("Polygon", "MultiPolygon") else geom
    edge = shapely.intersection(shapely.segmentize(edge, 1.0), view_ll)
    xy = shapely.get_coordinates(edge)
    if len(xy) == 0:
        return np.zeros((0, 2))
    return _projected(fwd, [(float(x), float(y)) for x, y in xy[::3]])


def _grow_to_aspect(
    x0: float, x1: float, y0: float, y1: float, aspect: float
) -> tuple[float, float, float, float]:
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
    x0, x1, y0, y1 = (a + lo * (b - a) for a, b in zip(rect, full, strict=True))
    return x0, x1, y0, y1


# a fitted map this much taller (or wider) than its page is cropped to the page
_CROP_RATIO = 1.25
# ... when it spans more than this (m): smaller maps grow to the page's shape instead
_CROP_ABOVE_M = 6_000_000.0


def _crop_to_aspect(
    limits: tuple[float, float, float, float],
    aspect: float,
    must: np.ndarray,
    want: np.ndarray,
    edges: list[np.ndarray],
) -> tuple[float, float, float, float]:
    """Crop a fitted box that is far from the page's shape, keeping what matters.

    The long side is cut to the page's aspect, so that the map keeps the
    bands' whole width (or height) -- their edges stay on the map -- and fills
    the page. The window along the long side shows some edge of every band
    (``edges``: projected points along each band's boundary) and holds every
    site and the most ``focus`` points, the nearer ones weighing more (ties:
    nearest the first site). ``must`` and ``want`` are projected (n, 2) arrays.
    """
    x0, x1, y0, y1 = limits
    w, h = x1 - x0, y1 - y0
    if aspect * _CROP_RATIO < w / h:  # too wide: crop x
        axis, lo, hi, length = 0, x0, x1, h * aspect
    elif w / h < aspect / _CROP_RATIO:  # too tall: crop y
        axis, lo, hi, length = 1, y0, y1, w / aspect
    else:
        return limits
    sites, focus = must[:, axis], want[:, axis]
    keep = (focus >= lo) & (focus <= hi)
    focus = focus[keep]
    # nearer places matter more: a map of a band is first a map of its site's region
    if len(must):
        d = np.hypot(want[keep, 0] - must[0, 0], want[keep, 1] - must[0, 1])
        weight = np.exp(-d / max(length, 1.0))
    else:
        weight = np.ones(focus.size)
    if sites.size and np.ptp(sites) > length:
        return limits  # the sites alone need the whole length: no crop
    starts = np.concatenate((focus, focus - length, sites - length * 0.5, [lo, hi - length]))
    if sites.size:
        # every site well inside, with room for its marker and name
        margin = min(0.1 * length, max(0.0, (length - np.ptp(sites)) / 2))
        starts = np.clip(starts, sites.max() - length + margin, sites.min() - margin)
    starts = np.clip(starts, lo, hi - length)
    # a place too near the edge cannot be named: count those well inside
    edge = 0.04 * length
    inside = (focus[None, :] >= starts[:, None] + edge) & (
        focus[None, :] <= starts[:, None] + length - edge
    )
    centre = sites[0] if sites.size else 0.5 * (lo + hi)
    score = (inside * weight[None, :]).sum(axis=1)
    # how many bands show some edge in each window: all of them, if possible
    shows = np.zeros(starts.size)
    for points in edges:
        e = points[:, axis]
        e = e[(e >= lo) & (e <= hi)]
        if e.size:
            shows += (
                (e[None, :] >= starts[:, None]) & (e[None, :] <= starts[:, None] + length)
            ).any(axis=1)
    order = np.lexsort((np.abs(starts + length / 2 - centre), -np.round(score, 6), -shows))
    a = float(starts[order[0]])
    if axis == 0:
        return a, a + length, y0, y1
    return x0, x1, a, a + length


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
    inv = Inverse(transformer(crs))
    xy = sample_boundary(region, 720)
    lon, lat = inv.transform(xy[:, 0], xy[:, 1])
    lon, lat = np.asarray(lon), np.asarray(lat)
    ok = np.isfinite(lon) & np.isfinite(lat)
    n = int(ok.sum())
    reach = view_km
    if n:
        _, _, d = GEOD.inv(np.full(n, center[0]), np.full(n, center[1]), lon[ok], lat[ok])
        reach = float(np.max(d)) / 1000.0
    radius = min(min(reach, view_km) * 1.01 + 25.0, ANTIPODAL_KM)
    return disc(center[0], center[1], radius_km=radius, tolerance_km=_DOMAIN_TOLERANCE_KM)


def check_shown(frame: MapFrame, points: Sequence[Any]) -> None:
    """Refuse a map that cannot show all its sites: name them and say what to do.

    ``points`` have ``name``, ``lon`` and ``lat`` (sites and targets).
    """
    if not points:
        return
    x, y = frame.project_points([s.lon for s in points], [s.lat for s in points])
    ok = np.isfinite(x) & np.isfinite(y)
    ok[ok] = frame.contains_xy(x[ok], y[ok])
    missing = [s.name for s, shown in zip(points, ok, strict=True) if not shown]
    if missing:
        raise InputError(
            f"site(s) {', '.join(missing)} lie beyond what the {frame.name} map can show "
            "(about a hemisphere); choose --projection aeqd or another CRS, "
            "draw them on separate maps, or give --extent to crop them out on purpose"
        )
