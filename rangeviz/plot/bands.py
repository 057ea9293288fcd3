"""Bands on the map: fills without edges, outlines from the true rings, radials and rings.

Band fills are projected, densified and made valid, and drawn *without* an
edge (their boundary holds ±180 seam and pole lines); the crisp outlines are
the layer's visible rings (:attr:`rangeviz.geometry.LayerGeometry.outlines`),
which hold no such lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely
from pyproj import Geod

from rangeviz import geodesic
from rangeviz.geodesic import ANTIPODAL_KM
from rangeviz.plot import style
from rangeviz.plot.paths import add_path

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from rangeviz.geometry import LayerGeometry
    from rangeviz.maps import MapFrame
    from rangeviz.model import BandLayer, Site

__all__ = [
    "BandArtists",
    "draw_band",
    "draw_distance_rings",
    "draw_fill",
    "draw_radials",
    "site_rings",
    "split_at_seam",
]

_GEOD = Geod(ellps="WGS84")


@dataclass
class BandArtists:
    """A drawn band: its fill patch and its outlines, ``(radius_km, projected lines)``."""

    fill: Any
    outlines: list[tuple[float, Any]] = field(default_factory=list)


def draw_fill(
    ax: Axes,
    frame: MapFrame,
    area: Any,
    colour: str,
    alpha: float,
    tolerance_km: float,
    zorder: float,
) -> Any:
    """A band's area (lon/lat), filled without an edge."""
    fill = frame.project_fill(area, tolerance_km=tolerance_km)
    return add_path(
        ax,
        [fill],
        gid="band-fill",
        facecolor=colour,
        alpha=alpha,
        edgecolor="none",
        linewidth=0,
        zorder=zorder,
    )


def draw_band(
    ax: Axes,
    frame: MapFrame,
    geo: LayerGeometry,
    zorder: float,
    fill: tuple[str, float] | None = None,
) -> BandArtists:
    """The layer's visible rings, and its area filled in ``fill`` (colour, alpha) if given."""
    layer = geo.layer
    colour = layer.color or style.TEXT
    tol = geo.tolerance_km
    patch = None
    if fill is not None:
        patch = draw_fill(ax, frame, geo.union, fill[0], fill[1], tol, zorder)
    art = BandArtists(fill=patch)
    line_style: dict[str, Any] = {
        "gid": "band-outline",
        "facecolor": "none",
        "edgecolor": colour,
        "linewidth": 1.6,
        "linestyle": layer.linestyle,
        "capstyle": "round",
        "joinstyle": "round",
        "zorder": zorder + 1,
    }
    for radius, outline in geo.outlines:
        lines = frame.project_lines(outline, tolerance_km=tol)
        if not lines.is_empty:
            add_path(ax, [lines], **line_style)
        if np.isfinite(radius):  # the union's own edge (many sites) carries no label
            art.outlines.append((radius, lines))
    return art


def draw_radials(
    ax: Axes, frame: MapFrame, sites: tuple[Site, ...], count: int, reach_km: float
) -> None:
    """``count`` geodesics from each site, out to ``reach_km``."""
    length = min(reach_km, ANTIPODAL_KM - 1.0) * 1000.0
    steps = np.linspace(0.0, length, 1000)
    parts = []
    for site in sites:
        for az in np.arange(count) * 360.0 / count:
            n = steps.size
            plon, plat, _ = _GEOD.fwd(
                np.full(n, site.lon), np.full(n, site.lat), np.full(n, az), steps
            )
            parts.extend(split_at_seam(np.asarray(plon), np.asarray(plat)))
    lines = frame.project_lines(shapely.MultiLineString(parts), tolerance_km=1.0)
    if not lines.is_empty:
        add_path(
            ax,
            [lines],
            gid="radials",
            facecolor="none",
            edgecolor=style.EXTRA,
            linewidth=0.6,
            linestyle=(0, (1, 2)),
            zorder=3.6,
        )


def draw_distance_rings(
    ax: Axes,
    frame: MapFrame,
    sites: tuple[Site, ...],
    step_km: float,
    layers: tuple[BandLayer, ...],
) -> list[tuple[float, Any]]:
    """Thin rings every ``step_km`` round each site, skipping the band edges."""
    reach_km = max(layer.outer_km for layer in layers)
    edges = {layer.inner_km for layer in layers} | {layer.outer_km for layer in layers}
    radii = [
        k * step_km
        for k in range(1, int(reach_km // step_km) + 1)
        if k * step_km < ANTIPODAL_KM and all(abs(k * step_km - e) > 1e-6 for e in edges)
    ]
    drawn = []
    for radius in radii:
        lines = site_rings(frame, sites, radius)
        if lines.is_empty:
            continue
        add_path(
            ax,
            [lines],
            gid="distance-ring",
            facecolor="none",
            edgecolor=style.EXTRA,
            linewidth=0.6,
            linestyle=(0, (4, 3)),
            zorder=3.5,
        )
        drawn.append((radius, lines))
    return drawn


def draw_isochrones(
    ax: Axes, frame: MapFrame, sites: tuple[Site, ...], minutes: tuple[float, ...]
) -> list[tuple[float, Any]]:
    """Dotted rings at the minimum-energy ballistic range of each flight time.

    Returns ``(minutes, projected lines)`` per ring drawn, for the labels.
    """
    from rangeviz import flight

    radii = np.atleast_1d(flight.ballistic_range_km(np.asarray(minutes, dtype=float)))
    drawn = []
    for m, radius in zip(minutes, radii, strict=True):
        lines = site_rings(frame, sites, float(radius))
        if lines.is_empty:
            continue
        add_path(
            ax,
            [lines],
            gid="isochrone",
            facecolor="none",
            edgecolor=style.ISOCHRONE,
            linewidth=1.0,
            linestyle=(0, (1.2, 2.2)),
            zorder=3.6,
        )
        drawn.append((float(m), lines))
    return drawn


def site_rings(frame: MapFrame, sites: tuple[Site, ...], radius_km: float) -> Any:
    """The geodesic ring of ``radius_km`` round each site, projected (0.5 km tolerance).

    Distance rings and isochrones are thin guides: half a kilometre is far
    below a line's width on any page.
    """
    pieces = []
    for site in sites:
        ring = geodesic.ring(site.lon, site.lat, radius_km=radius_km, tolerance_km=0.5)
        pieces.extend(shapely.get_parts(ring))
    return frame.project_lines(shapely.MultiLineString(pieces), tolerance_km=0.5)


def split_at_seam(lon: np.ndarray, lat: np.ndarray) -> list[np.ndarray]:
    """A sampled geodesic in [-180, 180], split where it crosses ±180 or a pole.

    At the antimeridian the crossing latitude is interpolated; a path over a
    pole (its longitude flips by ~180° there) ends at the pole and starts
    again from it on the other meridian.

    >>> [p.tolist() for p in split_at_seam(np.array([170.0, -170.0]), np.array([0.0, 10.0]))]
    [[[170.0, 0.0], [180.0, 5.0]], [[-180.0, 5.0], [-170.0, 10.0]]]
    >>> [p.tolist() for p in split_at_seam(np.array([20.0, -160.0]), np.array([89.9, 89.9]))]
    [[[20.0, 89.9], [20.0, 90.0]], [[-160.0, 90.0], [-160.0, 89.9]]]
    """
    out = []
    start = 0
    lead: list[list[float]] = []
    dlon = np.abs(np.diff(lon))
    over_pole = (dlon > 90.0) & (np.abs(lat[:-1] + lat[1:]) > 170.0)
    for j in np.flatnonzero(over_pole | (dlon > 180.0)):
        a, b = lon[j], lon[j + 1]
        if over_pole[j]:
            pole = 90.0 if lat[j] > 0 else -90.0
            end, lead_next = [[a, pole]], [[b, pole]]
        else:
            seam = 180.0 if a > 0 else -180.0
            b_unwrapped = b + 360.0 if seam > 0 else b - 360.0
            y = lat[j] + (seam - a) / (b_unwrapped - a) * (lat[j + 1] - lat[j])
            end, lead_next = [[seam, y]], [[-seam, y]]
        body = np.column_stack((lon[start : j + 1], lat[start : j + 1]))
        out.append(np.vstack([*lead, body, end]))
        lead = lead_next
        start = int(j) + 1
    tail = np.column_stack((lon[start:], lat[start:]))
    out.append(np.vstack([*lead, tail]))
    return [p for p in out if len(p) >= 2]
