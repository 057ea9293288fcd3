"""Labels: sites, capitals and ring radii, placed greedily so that none overlaps.

A :class:`Placer` keeps the display boxes of what is placed; each label tries
a few positions round its point (or along its ring) and takes the first free
one. Launch sites are always named; capitals are named where they fit, most
important first.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely

from rangeviz import geodata
from rangeviz._text import km
from rangeviz.plot import style
from rangeviz.plot.layout import page, renderer

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from rangeviz.maps import MapFrame
    from rangeviz.model import Site
    from rangeviz.plot.bands import BandArtists

__all__ = [
    "ALWAYS_NAMED",
    "Capitals",
    "Placer",
    "capitals_in_view",
    "draw_capitals",
    "draw_sites",
    "label_one_ring",
    "label_rings",
    "marker_box",
]

#: Up to this many sites, every one is labelled, collisions or not.
ALWAYS_NAMED = 12

# offsets in points, (dx, dy, ha, va): right, left, above, below, diagonals
_POSITIONS = (
    (1, 0.35, "left", "center"),
    (-1, 0.35, "right", "center"),
    (0, 1, "center", "bottom"),
    (0, -1, "center", "top"),
    (0.8, 0.8, "left", "bottom"),
    (-0.8, 0.8, "right", "bottom"),
    (0.8, -0.8, "left", "top"),
    (-0.8, -0.8, "right", "top"),
)


class Placer:
    """Greedy text placement: keeps the display boxes of what is placed."""

    def __init__(self, ax: Axes, frame: MapFrame) -> None:
        self.ax = ax
        self.frame = frame
        self.renderer = renderer(page(ax))
        self.boxes: list[tuple[float, float, float, float]] = []
        self.reserved: list[tuple[float, float, float, float]] = []  # free for now
        # the drawable region in display coordinates, slightly shrunk
        region_xy = np.asarray(frame.region.exterior.coords)
        disp = ax.transData.transform(region_xy)
        self.region = shapely.Polygon(disp).buffer(-3.0)
        shapely.prepare(self.region)

    def fits(self, bbox: Any, pad: float = 2.0) -> bool:
        """Whether a box (padded) lies in the map and clear of everything placed."""
        x0, y0, x1, y1 = bbox.x0 - pad, bbox.y0 - pad, bbox.x1 + pad, bbox.y1 + pad
        if not self.region.contains(shapely.box(x0, y0, x1, y1)):
            return False
        return all(
            not (x0 < b[2] and x1 > b[0] and y0 < b[3] and y1 > b[1])
            for b in (*self.boxes, *self.reserved)
        )

    def add(self, bbox: Any) -> None:
        """Keep a box clear from now on."""
        self.boxes.append((bbox.x0, bbox.y0, bbox.x1, bbox.y1))

    def reserve(self, bbox: Any) -> None:
        """Keep a box clear until :meth:`release`."""
        self.reserved.append((bbox.x0, bbox.y0, bbox.x1, bbox.y1))

    def release(self) -> None:
        """Free the reserved boxes."""
        self.reserved.clear()

    def try_text(self, text: Any, pad: float = 2.0) -> bool:
        """Keep a text artist's box if it fits."""
        bbox = text.get_window_extent(self.renderer)
        if self.fits(bbox, pad):
            self.add(bbox)
            return True
        return False

    def block_legend(self) -> None:
        """Keep the legend's box clear."""
        leg = self.ax.get_legend()
        if leg is not None:
            self.add(leg.get_window_extent(self.renderer))


def marker_box(ax: Axes, x: float, y: float, half_pt: float) -> Any:
    """The display box of a marker ``half_pt`` points from its centre."""
    from matplotlib.transforms import Bbox

    px, py = ax.transData.transform((x, y))
    half = half_pt * page(ax).dpi / 72.0
    return Bbox([[px - half, py - half], [px + half, py + half]])


def draw_sites(
    ax: Axes, frame: MapFrame, sites: tuple[Site, ...], placer: Placer, target: bool = False
) -> None:
    """Markers and name labels for launch sites, or targets."""
    if not sites:
        return
    x, y = frame.project_points([s.lon for s in sites], [s.lat for s in sites])
    shown = frame.contains_xy(x, y)
    if not shown.any():
        return
    fig = page(ax)
    ax.plot(
        x[shown],
        y[shown],
        linestyle="none",
        zorder=8,
        gid="targets" if target else "sites",
        **style.sized(fig, style.TARGET_STYLE if target else style.SITE_STYLE),
    )
    k = style.text_scale(fig)
    for xi, yi in zip(x[shown], y[shown], strict=True):
        placer.add(marker_box(ax, xi, yi, 5.0 * k))  # the marker is 8 pt across
    # a few sites are always named; of many, those whose names fit
    required = int(shown.sum()) <= ALWAYS_NAMED
    named = [s for s, ok in zip(sites, shown, strict=True) if ok]
    for site, xi, yi in zip(named, x[shown], y[shown], strict=True):
        place_point_label(
            ax,
            placer,
            site.name,
            xi,
            yi,
            fontsize=11 * k,
            fontweight="bold",
            color=style.TEXT,
            zorder=9,
            gid="target-label" if target else "site-label",
            offset=7 * k,
            required=required,
        )


def place_point_label(
    ax: Axes,
    placer: Placer,
    name: str,
    x: float,
    y: float,
    *,
    offset: float,
    required: bool = True,
    **kwargs: Any,
) -> Any:
    """Put a label next to a point where it fits; None if nowhere (unless required)."""

    def make(dx: float, dy: float, ha: str, va: str) -> Any:
        return ax.annotate(
            name,
            (x, y),
            xytext=(dx * offset, dy * offset),
            textcoords="offset points",
            ha=ha,
            va=va,
            path_effects=style.halo(),
            annotation_clip=False,
            **kwargs,
        )

    for position in _POSITIONS:
        text = make(*position)
        if placer.try_text(text):
            return text
        text.remove()
    if required:  # a launch site is always named, collisions or not
        text = make(*_POSITIONS[0])
        placer.add(text.get_window_extent(placer.renderer))
        return text
    return None


def label_rings(
    ax: Axes,
    frame: MapFrame,
    sites: tuple[Site, ...],
    outer_km: float,
    colour: str,
    art: BandArtists,
    placer: Placer,
    labelled: set[tuple[float, tuple[tuple[float, float], ...]]],
) -> None:
    """Write each ring's radius along it, where it is visible and free.

    A ring two bands share (one's outer radius, the other's inner) is
    written once.
    """
    sx, sy = frame.project_points([sites[0].lon], [sites[0].lat])
    centre = ax.transData.transform((sx[0], sy[0])) if np.isfinite(sx[0]) else None
    where = tuple(sorted(s.key for s in sites))
    for radius, lines in art.outlines:
        if lines.is_empty or (radius, where) in labelled:
            continue
        # the outer edge at the lower left, the inner edge below the site
        bearing = -140.0 if radius == outer_km else -90.0
        text = f"{km(radius)} km"
        if label_one_ring(ax, lines, text, colour, centre, placer, bearing=bearing) is not None:
            labelled.add((radius, where))


def label_one_ring(
    ax: Axes,
    lines: Any,
    text: str,
    colour: str,
    centre: Any,
    placer: Placer,
    *,
    fontsize: float = 9.5,
    weight: str = "bold",
    bearing: float = -140.0,
) -> Any:
    """One label along a ring, upright, in the first free place nearest ``bearing``."""
    trans = ax.transData
    candidates = []
    for line in shapely.get_parts(lines):
        length = line.length
        if length <= 0:
            continue
        n = max(8, min(120, int(120 * length / max(1.0, lines.length))))
        d = (np.arange(n) + 0.5) * length / n
        pts = shapely.get_coordinates(shapely.line_interpolate_point(line, d))
        eps = min(length / n / 4, length * 0.01)
        before = shapely.get_coordinates(
            shapely.line_interpolate_point(line, np.maximum(d - eps, 0))
        )
        after = shapely.get_coordinates(
            shapely.line_interpolate_point(line, np.minimum(d + eps, length))
        )
        p = trans.transform(pts)
        b = trans.transform(before)
        a = trans.transform(after)
        ang = np.degrees(np.arctan2(a[:, 1] - b[:, 1], a[:, 0] - b[:, 0]))
        ang = (ang + 90.0) % 180.0 - 90.0  # upright
        for k in range(len(pts)):
            candidates.append((pts[k], p[k], ang[k]))
    if not candidates:
        return None

    # prefer one direction from the site (for band edges the lower left: over
    # the Atlantic on a Europe map), then the nearest free place round the ring
    def score(c: Any) -> float:
        if centre is None:
            return float(-c[1][1])
        v = c[1] - centre
        angle = math.degrees(math.atan2(v[1], v[0]))
        return abs(((angle - bearing) + 180.0) % 360.0 - 180.0)

    candidates.sort(key=score)
    label = ax.text(
        0,
        0,
        text,
        color=style.darker(colour),
        fontsize=fontsize * style.text_scale(page(ax)),
        fontweight=weight,
        ha="center",
        va="center",
        rotation_mode="anchor",
        path_effects=style.halo(3.2),
        zorder=9,
        gid="ring-label" if weight == "bold" else "distance-label",
    )
    for xy, _, angle in candidates:
        label.set_position(xy)
        label.set_rotation(angle)
        if placer.try_text(label, pad=1.0):
            return label
    # a small ring: write the radius just outside it instead of on it
    if centre is not None:
        inv = trans.inverted()
        lift = (float(label.get_fontsize()) * 0.75 + 3.0) * page(ax).dpi / 72.0
        for _, disp, angle in candidates:
            out = disp - centre
            norm = math.hypot(out[0], out[1])
            if norm == 0:
                continue
            x, y = inv.transform(disp + out / norm * lift)
            label.set_position((float(x), float(y)))
            label.set_rotation(angle)
            if placer.try_text(label, pad=1.0):
                return label
    label.remove()
    return None


class Capitals:
    """The national capitals on a map, most important first.

    Attributes
    ----------
    names : numpy.ndarray of str
    x, y : numpy.ndarray
        Projected positions.
    lon, lat : numpy.ndarray
        Degrees.
    """

    def __init__(self, frame: MapFrame, scale: str) -> None:
        places = geodata.read_places("50m" if scale == "110m" else scale)
        capitals = _capitals(places)
        lon = capitals["lon"].to_numpy(dtype=float)
        lat = capitals["lat"].to_numpy(dtype=float)
        x, y = frame.project_points(lon, lat)
        shown = frame.contains_xy(x, y)
        self.names = capitals["name"].astype(str).to_numpy()[shown]
        self.x, self.y = x[shown], y[shown]
        self.lon, self.lat = lon[shown], lat[shown]


def capitals_in_view(frame: MapFrame, scale: str) -> Capitals:
    """The national capitals a map shows."""
    return Capitals(frame, scale)


def _capitals(places: Any) -> Any:
    """Country capitals, most important first (the national-capital flag only)."""
    caps = places[places["adm0cap"].astype(float).to_numpy() > 0]
    return caps.sort_values("scalerank", kind="stable")


def draw_capitals(ax: Axes, capitals: Capitals, placer: Placer, statuses: np.ndarray) -> None:
    """Capital dots and names, most important first, where they fit.

    Each capital is coloured by its status (an index into
    :data:`rangeviz.geometry.STATUSES`), from exact geodesic distances.
    """
    colours = np.array(style.STATUS_COLOURS, dtype=object)[statuses]
    placer.release()  # the dots kept the ring labels off; now the names go
    placed = []
    k = style.text_scale(page(ax))
    for name, xi, yi, colour in zip(capitals.names, capitals.x, capitals.y, colours, strict=True):
        dot = marker_box(ax, xi, yi, 2.5 * k)
        if not placer.fits(dot, pad=0.5):
            continue
        text = place_point_label(
            ax,
            placer,
            name,
            xi,
            yi,
            offset=4 * k,
            required=False,
            fontsize=8 * k,
            color=str(colour),
            zorder=7,
            gid="capital-label",
        )
        if text is not None:
            placer.add(dot)
            placed.append((xi, yi, str(colour)))
    for colour in (style.MUTED, style.TOO_CLOSE, style.IN_RANGE):
        pts = [(px, py) for px, py, c in placed if c == colour]
        if pts:
            ax.plot(
                [p[0] for p in pts],
                [p[1] for p in pts],
                linestyle="none",
                marker="o",
                markersize=3.6 * k,
                markerfacecolor=colour,
                markeredgecolor="white",
                markeredgewidth=0.6,
                zorder=7,
                gid="capitals",
            )
