"""A locator globe: the whole band on an orthographic globe, and the map's frame on it.

Drawn when the map crops a band, so the reader sees where it runs on (across
the Pole, into Africa) and which part the map shows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import shapely

from rangeviz import geodata
from rangeviz.maps import make_frame
from rangeviz.plot import style
from rangeviz.plot.paths import add_path, region_patch

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from rangeviz.geometry import MapGeometry
    from rangeviz.maps import MapFrame

__all__ = ["draw_globe"]


def draw_globe(
    fig: Figure, rect: tuple[float, float, float, float], geometry: MapGeometry, main: MapFrame
) -> Axes:
    """An orthographic globe in ``rect`` (figure fraction) centred on the first site."""
    spec = geometry.spec
    site = (spec.points or spec.layers[0].sites or ())[0]
    # centred between the site and the pole when the band holds it: both show
    lat0 = site.lat
    if any(g.union.intersects(shapely.Point(0.0, 90.0)) for g in geometry.layers):
        lat0 = max(lat0, 45.0)
    crs = f"+proj=ortho +lat_0={lat0:.4f} +lon_0={site.lon:.4f} +ellps=WGS84 +units=m +no_defs"
    from rangeviz.geodesic import disc

    frame = make_frame(
        crs, fit=[disc(site.lon, lat0, radius_km=9700.0, tolerance_km=5.0)], margin=0.01
    )
    ax = fig.add_axes(rect, gid="globe")
    ax.set_xlim(frame.bounds[0], frame.bounds[2])
    ax.set_ylim(frame.bounds[1], frame.bounds[3])
    ax.set_aspect("equal", adjustable="box", anchor="NE")
    ax.set_axis_off()
    ax.add_artist(region_patch(frame, facecolor=style.SEA, edgecolor="none", zorder=0))
    land = frame.project_layer(geodata.geometries("land", "110m"), simplify=20_000.0)
    add_path(ax, land, gid="globe-land", facecolor="#e4e0d8", edgecolor="none", zorder=1)
    for geo in geometry.layers:
        colour = geo.layer.color or style.TEXT
        fill = frame.project_fill(geo.union, tolerance_km=20.0)
        add_path(
            ax, [fill], gid="globe-band", facecolor=colour, alpha=0.35, edgecolor="none", zorder=2
        )
        for radius, outline in geo.outlines:
            if np.isfinite(radius):
                lines = frame.project_lines(outline, tolerance_km=20.0)
                add_path(
                    ax,
                    [lines],
                    gid="globe-ring",
                    facecolor="none",
                    edgecolor=colour,
                    lw=0.9,
                    zorder=3,
                )
    # the main map's frame, as a dark outline
    outline = _frame_outline(main)
    if outline is not None:
        lines = frame.project_lines(outline, tolerance_km=20.0)
        add_path(
            ax, [lines], gid="globe-frame", facecolor="none", edgecolor=style.TEXT, lw=1.0, zorder=4
        )
    px, py = frame.project_points([site.lon], [site.lat])
    if np.isfinite(px[0]):
        ax.plot(px, py, linestyle="none", zorder=5, **style.sized(fig, style.SITE_STYLE, 0.6))
    for pole in (90.0, -90.0):
        qx, qy = frame.project_points([0.0], [pole])
        if np.isfinite(qx[0]) and frame.contains_xy(qx, qy)[0]:
            ax.plot(qx, qy, marker="+", color=style.TEXT, markersize=7, mew=1.2, zorder=5)
    ax.add_artist(region_patch(frame, facecolor="none", edgecolor=style.NEATLINE, lw=0.8, zorder=6))
    return ax


def _frame_outline(main: MapFrame) -> Any:
    """The main map's region as lon/lat lines (cut where they cross ±180)."""
    ring = shapely.segmentize(main.region.exterior, max(main.width, main.height) / 240)
    xy = shapely.get_coordinates(ring)
    lon, lat = main.inverse.transform(xy[:, 0], xy[:, 1])
    lon, lat = np.asarray(lon), np.asarray(lat)
    ok = np.isfinite(lon) & np.isfinite(lat)
    if ok.sum() < 2:
        return None
    lon, lat = lon[ok], lat[ok]
    pieces = []
    start = 0
    i: Any
    for i in np.flatnonzero(np.abs(np.diff(lon)) > 180.0):
        pieces.append(np.column_stack((lon[start : i + 1], lat[start : i + 1])))
        start = i + 1
    pieces.append(np.column_stack((lon[start:], lat[start:])))
    return shapely.MultiLineString([p for p in pieces if len(p) >= 2])
