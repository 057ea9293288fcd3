"""Notes on the map: what the eye would miss or the crop leaves out.

- a callout for the places closer than a band's inner radius ("Closer than
  500 km, inside the treaty's lower limit: Warsaw, Vilnius, Riga and Minsk");
- edge notes where a band runs off the map ("North across the Pole", "South
  to 5,500 km: Nouakchott, Niamey, ...");
- "Also in range: ..." for places in range that are on the map but could not
  be named;
- an arrow at the edge towards a launch site the map does not show.

Each note takes a free place from the label engine's :class:`Placer`, so none
covers a label, a dot or another note.
"""

from __future__ import annotations

import math
import textwrap
from typing import TYPE_CHECKING, Any

import numpy as np

from rangeviz._text import join_names, km
from rangeviz.plot import halo, style
from rangeviz.plot.labels import Placer, text_box
from rangeviz.plot.layout import page

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from rangeviz.maps import MapFrame
    from rangeviz.model import Site

__all__ = ["NAMED_PER_SIDE", "callout", "corner_note", "edge_notes", "off_map_arrows", "side_of"]

#: How many places an edge note names; the small print names them all.
NAMED_PER_SIDE = 6

_WRAP = 46  # characters per line of a note


def _box_text(
    ax: Axes,
    placer: Placer,
    text: str,
    anchors: list[tuple[float, float, str, str]],
    text_style: dict[str, Any],
    *,
    gid: str,
    framed: bool = True,
) -> Any:
    """Put a (wrapped) note at the first free anchor (display x, y, ha, va); None if none."""
    lines = textwrap.wrap(text, _WRAP, break_on_hyphens=False) or [text]
    wrapped = "\n".join(lines)
    fig = page(ax)
    w = max(placer.size(line, text_style["fontsize"])[0] for line in lines)
    h = placer.size("Ag", text_style["fontsize"])[1] * 1.2 * len(lines)
    pad = 5.0 * fig.dpi / 72.0
    inv = ax.transData.inverted()
    for px, py, ha, va in anchors:
        box = text_box(px, py, w + 2 * pad, h + 2 * pad, ha, va)
        if placer.fits(box, pad=1.0):
            cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
            x, y = inv.transform((cx, cy))
            artist = ax.text(
                float(x),
                float(y),
                wrapped,
                ha="center",
                va="center",
                linespacing=1.2,
                parse_math=False,
                zorder=25,
                gid=gid,
                bbox=(
                    {
                        "boxstyle": "round,pad=0.35",
                        "facecolor": "white",
                        "edgecolor": "#c8c8c8",
                        "alpha": 0.92,
                        "linewidth": 0.6,
                    }
                    if framed
                    else None
                ),
                **text_style,
            )
            placer.add(box)
            return artist
    return None


def side_of(frame: MapFrame, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Which side of the map a projected point lies beyond: 'N', 'S', 'W', 'E' or ''."""
    x0, y0, x1, y1 = frame.bounds
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    out = np.full(x.shape, "", dtype=object)
    ok = np.isfinite(x) & np.isfinite(y)
    # by the larger excess over the half-width or half-height
    ex = (np.abs(x - cx) - (x1 - x0) / 2) / (x1 - x0)
    ey = (np.abs(y - cy) - (y1 - y0) / 2) / (y1 - y0)
    vertical = ey >= ex
    out[ok & vertical & (y > cy)] = "N"
    out[ok & vertical & (y <= cy)] = "S"
    out[ok & ~vertical & (x > cx)] = "E"
    out[ok & ~vertical & (x <= cx)] = "W"
    return out


_WORDS = {"N": "North", "S": "South", "W": "West", "E": "East"}
_ARROWS = {"N": "↑", "S": "↓", "W": "←", "E": "→"}


def edge_notes(
    ax: Axes,
    placer: Placer,
    frame: MapFrame,
    *,
    beyond: dict[str, list[str]],
    reach_text: str,
    pole: str = "",
    globe: bool = True,
) -> list[str]:
    """Notes at the edges where the band runs off the map.

    ``beyond`` maps a side ('N', 'S', 'W', 'E') to the names of places in
    range beyond it, nearest first; ``pole`` is 'N' or 'S' when the band holds
    a pole the map does not show. Returns what could not be placed.
    """
    fig = page(ax)
    text_style = style.sized(fig, style.NOTE)
    x0, y0, x1, y1 = ax.get_window_extent(placer.renderer).extents
    inset = 6.0 * fig.dpi / 72.0
    unplaced = []
    sides = sorted(set(beyond) | ({pole} if pole else set()))
    for side in sides:
        names = beyond.get(side, [])
        parts = []
        if side == pole:
            parts.append(f"{_WORDS[side]} across the Pole" + (" (see the globe)" if globe else ""))
        if names:
            lead = f"{_WORDS[side]} to {reach_text}" if side != pole else "also in range"
            parts.append(f"{lead}: {join_names(names, most=NAMED_PER_SIDE, noun='more')}")
        text = f"{_ARROWS[side]} " + "; ".join(parts)
        if side in ("N", "S"):
            y = y1 - inset if side == "N" else y0 + inset
            va = "top" if side == "N" else "bottom"
            anchors = [(x0 + f * (x1 - x0), y, "center", va) for f in (0.5, 0.35, 0.65, 0.2, 0.8)]
        else:
            x = x1 - inset if side == "E" else x0 + inset
            ha = "right" if side == "E" else "left"
            anchors = [(x, y0 + f * (y1 - y0), ha, "center") for f in (0.5, 0.35, 0.65, 0.2, 0.8)]
        if _box_text(ax, placer, text, anchors, text_style, gid="edge-note") is None:
            unplaced.append(text)
    return unplaced


def callout(
    ax: Axes,
    placer: Placer,
    text: str,
    centre: tuple[float, float],
    radius_px: float,
    colour: str,
) -> Any:
    """A note beside a ring (centre and radius in display units), with a leader to it."""
    fig = page(ax)
    text_style = {**style.sized(fig, style.CALLOUT), "color": style.darker(colour, 0.9)}
    anchors = []
    for r in (1.35, 1.8, 2.4, 3.2, 4.2, 5.5):
        for angle in (30, 150, -30, -150, 60, 120, -60, -120, 0, 180, 90, -90, 45, 135):
            a = math.radians(angle)
            px = centre[0] + math.cos(a) * radius_px * r
            py = centre[1] + math.sin(a) * radius_px * r
            ha = "left" if math.cos(a) > 0.2 else "right" if math.cos(a) < -0.2 else "center"
            va = "bottom" if math.sin(a) > 0.2 else "top" if math.sin(a) < -0.2 else "center"
            anchors.append((px, py, ha, va))
    # the first place whose leader to the ring crosses no label, marker or note
    for anchor in anchors:
        saved = placer.snapshot()
        artist = _box_text(ax, placer, text, [anchor], text_style, gid="callout")
        if artist is None:
            continue
        bx, by = ax.transData.transform(artist.get_position())
        a = math.atan2(by - centre[1], bx - centre[0])
        rx, ry = centre[0] + math.cos(a) * radius_px, centre[1] + math.sin(a) * radius_px
        box = artist.get_window_extent(placer.renderer)
        ex, ey = _leave_box((bx, by), (rx, ry), box)
        if placer.clear_line((rx, ry), (ex, ey), start=0.12, stop=0.97):
            placer.add_line((rx, ry), (ex, ey))
            break
        artist.remove()
        placer.restore(saved)
    else:
        return None
    inv = ax.transData.inverted()
    (x0, y0), (x1, y1) = inv.transform([(rx, ry), (ex, ey)])
    ax.annotate(
        "",
        xy=(float(x0), float(y0)),
        xytext=(float(x1), float(y1)),
        arrowprops={"arrowstyle": "-", "color": style.LEADER, "lw": 0.8, "shrinkA": 4},
        zorder=24,
        gid="callout-leader",
    )
    return artist


def _leave_box(
    inside: tuple[float, float], outside: tuple[float, float], box: Any
) -> tuple[float, float]:
    """Where the segment from a point in ``box`` towards ``outside`` leaves the box."""
    (x, y), (tx, ty) = inside, outside
    dx, dy = tx - x, ty - y
    t = 1.0
    for lo, hi, p, d in ((box.x0 - 4, box.x1 + 4, x, dx), (box.y0 - 4, box.y1 + 4, y, dy)):
        if d > 0:
            t = min(t, (hi - p) / d)
        elif d < 0:
            t = min(t, (lo - p) / d)
    t = max(0.0, min(1.0, t))
    return x + t * dx, y + t * dy


def corner_note(ax: Axes, placer: Placer, text: str, *, gid: str = "also-note") -> Any:
    """A note in the first free corner of the map (bottom left first)."""
    fig = page(ax)
    x0, y0, x1, y1 = ax.get_window_extent(placer.renderer).extents
    inset = 8.0 * fig.dpi / 72.0
    anchors = [
        (x0 + inset, y0 + inset, "left", "bottom"),
        (x1 - inset, y0 + inset, "right", "bottom"),
        (x0 + inset, y1 - inset, "left", "top"),
        (x1 - inset, y1 - inset, "right", "top"),
    ]
    return _box_text(ax, placer, text, anchors, style.sized(fig, style.NOTE), gid=gid)


def off_map_arrows(
    ax: Axes, placer: Placer, frame: MapFrame, sites: tuple[Site, ...], *, gid: str = "off-map"
) -> list[Site]:
    """An arrow at the map's edge towards each site the map does not show; returns them."""
    from pyproj import Geod

    geod = Geod(ellps="WGS84")
    x, y = frame.project_points([s.lon for s in sites], [s.lat for s in sites])
    shown = frame.contains_xy(x, y)
    missing = [s for s, ok in zip(sites, shown, strict=True) if not ok]
    if not missing:
        return []
    fig = page(ax)
    bx0, by0, bx1, by1 = frame.bounds
    cx, cy = (bx0 + bx1) / 2, (by0 + by1) / 2
    clon, clat = frame.inverse.transform(cx, cy)
    text_style = style.sized(fig, style.NOTE)
    for site in missing:
        az, _, dist = geod.inv(clon, clat, site.lon, site.lat)
        # the direction on the map: towards a point 300 km along the geodesic
        plon, plat, _ = geod.fwd(clon, clat, az, 300_000.0)
        tx, ty = frame.forward.transform(plon, plat)
        dx, dy = tx - cx, ty - cy
        norm = math.hypot(dx, dy) or 1.0
        dx, dy = dx / norm, dy / norm
        # where the ray from the centre leaves the map, a little inside
        t = min(
            ((bx1 - cx) / dx) if dx > 0 else ((bx0 - cx) / dx) if dx < 0 else math.inf,
            ((by1 - cy) / dy) if dy > 0 else ((by0 - cy) / dy) if dy < 0 else math.inf,
        )
        ex, ey = cx + dx * t * 0.93, cy + dy * t * 0.93
        label = f"{site.name}, {km(round(dist / 1000.0))} km"
        halo.annotate(
            ax,
            label,
            xy=(cx + dx * t * 0.995, cy + dy * t * 0.995),
            xytext=(ex, ey),
            textcoords="data",
            ha="center",
            va="center",
            arrowprops={"arrowstyle": "-|>", "color": style.TEXT, "lw": 1.2},
            parse_math=False,
            zorder=26,
            gid=gid,
            **text_style,
        )
        px, py = ax.transData.transform((ex, ey))
        w, h = placer.size(label, text_style["fontsize"])
        placer.add(text_box(px, py, w, h, "center", "center"))
    return missing
