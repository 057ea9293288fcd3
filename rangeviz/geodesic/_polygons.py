"""From sampled rings to lon/lat polygons: seam cuts, pole caps, tidy output.

Rings arrive with unwrapped (continuous) longitudes. A ring whose longitude
turns by 360 degrees winds round a pole: the polygon between it and that
pole is closed along the pole line. Any other ring encloses its inside
directly. Everything is then cut into [-180, 180] at the antimeridian.
"""

from __future__ import annotations

import math

import numpy as np
import shapely
from shapely.geometry import MultiLineString, Polygon, box
from shapely.geometry.base import BaseGeometry

__all__ = [
    "WORLD",
    "annulus",
    "cut_at_seam",
    "disc_from_ring",
    "drop_seam_vertices",
    "finish",
    "pole_cap",
    "split_line_at_seam",
]

#: The whole globe in lon/lat.
WORLD = box(-180.0, -90.0, 180.0, 90.0)


def _shift(geom: BaseGeometry, dx: float) -> BaseGeometry:
    return shapely.transform(geom, lambda xy: xy + np.array([dx, 0.0]))


def _snap(xy: np.ndarray) -> np.ndarray:
    # GEOS computes a cut's crossing with x = 180 as 179.99999999999994 at
    # times; the seam and pole lines must be exact for stitching and tidying
    x, y = xy[:, 0], xy[:, 1]
    x = np.where(np.abs(np.abs(x) - 180.0) < 1e-9, np.copysign(180.0, x), x)
    y = np.where(np.abs(np.abs(y) - 90.0) < 1e-9, np.copysign(90.0, y), y)
    return np.column_stack((x, y))


def cut_at_seam(geom: BaseGeometry) -> BaseGeometry:
    """Bring a geometry drawn in unwrapped longitudes into [-180, 180]."""
    xmin, _, xmax, _ = geom.bounds
    if xmin >= -180.0 and xmax <= 180.0:
        return geom
    pieces = []
    for k in range(math.floor((xmin + 180.0) / 360.0), math.ceil((xmax - 180.0) / 360.0) + 1):
        window = box(-180.0 + 360.0 * k, -90.0, 180.0 + 360.0 * k, 90.0)
        piece = geom.intersection(window)
        if not piece.is_empty:
            piece = _shift(piece, -360.0 * k) if k else piece
            pieces.append(shapely.transform(piece, _snap))
    return shapely.union_all(pieces)


def pole_cap(lon: np.ndarray, lat: np.ndarray, pole_lat: float) -> BaseGeometry:
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
    poly: BaseGeometry = Polygon(coords)
    if xs.min() < -180.0 or xs.max() > 180.0:  # a ring that doubles back
        poly = cut_at_seam(shapely.make_valid(poly))
    return poly


def disc_from_ring(
    lon: np.ndarray, lat: np.ndarray, north_in: bool, south_in: bool
) -> BaseGeometry:
    """The inside of one sampled ring, given which poles it holds."""
    turn = lon[-1] - lon[0]
    if abs(turn) > 180.0:  # winds round a pole: exactly one pole is inside
        return pole_cap(lon, lat, 90.0 if north_in else -90.0)
    enclosed: BaseGeometry = Polygon(np.column_stack((lon, lat)))
    if not enclosed.is_valid:
        enclosed = shapely.make_valid(enclosed)
    enclosed = cut_at_seam(enclosed)
    if north_in and south_in:
        return WORLD.difference(enclosed)
    return enclosed


def annulus(outer: BaseGeometry, inner: BaseGeometry) -> BaseGeometry:
    """The outer disc less the inner one.

    A hole of no area (a ring far inside the tolerance round a pole site
    lies all on the pole line) is no hole: overlaying it can break GEOS.
    """
    if inner.is_empty or inner.area == 0.0:
        return outer
    return outer.difference(inner)


def finish(geom: BaseGeometry) -> BaseGeometry:
    """Valid, RFC 7946 oriented (exterior counter-clockwise) polygonal output.

    Coordinates within a nanodegree of the seam or a pole line are put on it,
    and vertices inside straight runs along those lines are dropped.
    """
    geom = shapely.transform(geom, _snap)
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    if geom.geom_type == "GeometryCollection":
        polys = [g for g in geom.geoms if g.geom_type in ("Polygon", "MultiPolygon")]
        geom = shapely.union_all(polys) if polys else Polygon()
    return shapely.orient_polygons(drop_seam_vertices(geom))


def drop_seam_vertices(geom: BaseGeometry) -> BaseGeometry:
    """Drop vertices inside straight runs along the seam (lon +-180) or a pole line.

    A union stitches many pieces together along these lines; each piece
    leaves its corners behind, though the lines carry no shape. Only a run's
    two ends are kept.
    """
    if geom.is_empty:
        return geom
    parts = shapely.get_parts(geom)
    out = []
    for part in parts:
        rings = [_thin(np.asarray(part.exterior.coords))]
        rings += [_thin(np.asarray(r.coords)) for r in part.interiors]
        out.append(Polygon(rings[0], rings[1:]))
    return out[0] if len(out) == 1 and geom.geom_type == "Polygon" else shapely.MultiPolygon(out)


def _thin(xy: np.ndarray) -> np.ndarray:
    """A closed ring without the middle vertices of seam and pole-line runs."""
    body = xy[:-1]
    n = len(body)
    if n < 4:
        return xy
    prev, nxt = np.roll(body, 1, axis=0), np.roll(body, -1, axis=0)
    x, y = body[:, 0], body[:, 1]
    on_seam = (np.abs(x) == 180.0) & (prev[:, 0] == x) & (nxt[:, 0] == x)
    on_pole = (np.abs(y) == 90.0) & (prev[:, 1] == y) & (nxt[:, 1] == y)
    drop = on_seam | on_pole
    if not drop.any():
        return xy
    body = body[~drop]
    return np.vstack((body, body[:1]))


def split_line_at_seam(lon: np.ndarray, lat: np.ndarray) -> MultiLineString:
    """Split an unwrapped polyline where it crosses lon = 180 + 360k."""
    k = np.floor((lon + 180.0) / 360.0)
    pieces = []
    xs, ys = [lon[0]], [lat[0]]
    for j in range(1, len(lon)):
        if k[j] != k[j - 1]:
            seam = 180.0 + 360.0 * min(k[j], k[j - 1])
            frac = (seam - lon[j - 1]) / (lon[j] - lon[j - 1])
            y = lat[j - 1] + frac * (lat[j] - lat[j - 1])
            xs.append(seam)
            ys.append(y)
            pieces.append((np.array(xs), np.array(ys), k[j - 1]))
            xs, ys = [seam], [y]
        xs.append(lon[j])
        ys.append(lat[j])
    pieces.append((np.array(xs), np.array(ys), k[-1]))
    # a lap that never crossed the seam closes on itself: merge its two ends
    if len(pieces) > 1 and pieces[0][2] == pieces[-1][2]:
        x0, y0, k0 = pieces.pop(0)
        x1, y1, _ = pieces.pop()
        pieces.append((np.concatenate((x1, x0[1:])), np.concatenate((y1, y0[1:])), k0))
    lines = []
    for x, y, kk in pieces:
        x = np.clip(x - 360.0 * kk, -180.0, 180.0)
        # a piece that only touches the seam (a ring round a pole, starting on it)
        if len(x) >= 2 and (np.ptp(x) > 0 or np.ptp(y) > 0):
            lines.append(np.column_stack((x, y)))
    return MultiLineString(lines)
