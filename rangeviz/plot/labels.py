"""The label engine: what the map is about is named first, and never silently dropped.

Labels are placed greedily by priority (:class:`Place` ``tier``):

0. launch sites and targets (many sites get numbers, named in a key);
1. places the user highlights (with their distance: "Berlin 530 km");
2. capitals too close (first) and in band, the most populous first, so that
   Vienna is named before Vaduz; capitals a few km apart share a label
   ("Rome, Vatican City");
3. other capitals, the most populous first.

Every dot of tiers 0-2 is drawn. A label that fits nowhere next to its dot
is moved out along a leader line; a tier 0-2 label that fits nowhere at all is
listed in a note on the map ("Also in range: ...") and in a warning. The
placement is done in points at a fixed layout resolution, so the same places
are named at any dpi and in any format. No label is set nearer another dot
than its own, and none across a leader line. Placed boxes are kept in a grid
(:mod:`rangeviz.plot.placer`), so placing n labels costs about n look-ups,
not n².
"""

from __future__ import annotations

import math
import warnings
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely

from rangeviz._text import km
from rangeviz.errors import RangevizWarning, outside_stacklevel
from rangeviz.plot import halo, style
from rangeviz.plot.layout import page
from rangeviz.plot.placer import Placer, text_box

if TYPE_CHECKING:
    from matplotlib.axes import Axes


__all__ = [
    "ALWAYS_NAMED",
    "Place",
    "Placer",
    "draw_dots",
    "label_one_ring",
    "place_labels",
    "text_box",
]

#: Up to this many launch sites are named on the map; more are numbered.
ALWAYS_NAMED = 12

# (dx, dy, ha, va) in units of the offset: right, left, above, below, diagonals
_POSITIONS = (
    (1, 0.25, "left", "center"),
    (-1, 0.25, "right", "center"),
    (0, 1, "center", "bottom"),
    (0, -1, "center", "top"),
    (0.75, 0.75, "left", "bottom"),
    (-0.75, 0.75, "right", "bottom"),
    (0.75, -0.75, "left", "top"),
    (-0.75, -0.75, "right", "top"),
    (1.8, 0.25, "left", "center"),
    (-1.8, 0.25, "right", "center"),
    (0, 1.8, "center", "bottom"),
    (0, -1.8, "center", "top"),
)
# leader lines: farther out, in these directions (degrees), nearest first
_LEADER_STEPS = (2.2, 3.2, 4.4, 5.8, 8.0, 11.0)
# a crowded place's name may shrink this much before it moves out on a leader
_SMALLER = 0.84
_LEADER_ANGLES = tuple(range(0, 360, 15))


@dataclass
class Place:
    """A point to mark and perhaps name.

    Attributes
    ----------
    name : str
        The label.
    x, y : float
        Projected position.
    tier : int
        0 sites and targets, 1 highlighted places, 2 capitals too close or in
        band, 3 other capitals.
    colour : str
        Dot and label colour.
    status : int or None
        Index into :data:`rangeviz.geometry.STATUSES` (capitals and places).
    hollow : bool
        A ring for a dot (capitals too close), so that status does not rest
        on hue alone.
    text_style : dict, optional
        The label's type; by default by tier.
    rank : float
        Order within a tier, smaller first.
    """

    name: str
    x: float
    y: float
    tier: int
    colour: str
    status: int | None = None
    hollow: bool = False
    text_style: dict[str, Any] | None = None
    rank: float = 0.0  # within a tier, smaller first
    gid: str = ""  # the label's gid; by default by tier


def draw_dots(ax: Axes, placer: Placer, places: list[Place], size_pt: float) -> None:
    """Every place's dot, each kept clear of labels."""
    fig = page(ax)
    k = style.text_scale(fig)
    groups: dict[tuple[str, bool], list[Place]] = defaultdict(list)
    if places:
        xy = ax.transData.transform([(p.x, p.y) for p in places])
        placer.dots = np.concatenate([placer.dots, xy])
    for p in places:
        groups[(p.colour, p.hollow)].append(p)
        px, py = ax.transData.transform((p.x, p.y))
        half = size_pt * k * fig.dpi / 72.0 / 2 + 1.0
        placer.add((px - half, py - half, px + half, py + half))
    for (colour, hollow), members in groups.items():
        ax.plot(
            [p.x for p in members],
            [p.y for p in members],
            linestyle="none",
            marker="o",
            markersize=size_pt * k,
            markerfacecolor="white" if hollow else colour,
            markeredgecolor=colour if hollow else "white",
            markeredgewidth=1.6 * k if hollow else 0.7 * k,
            zorder=7,
            gid="capitals",
        )


def place_labels(
    ax: Axes,
    placer: Placer,
    places: list[Place],
    *,
    offset_pt: float,
    avoid: list[Place] | None = None,
) -> list[Place]:
    """Name places in the given order; returns the tier 0-2 ones named nowhere.

    A launch site's label takes, of the free places beside it, the one that
    leaves the most room to the places in ``avoid`` (the capitals still to be
    named), so that a long site name does not cover their spots.
    """
    if avoid:
        placer.avoid = ax.transData.transform([(p.x, p.y) for p in avoid])
    fig = page(ax)
    k = style.text_scale(fig)
    styles = []
    for p in places:
        text_style = p.text_style or style.sized(
            fig, style.PLACE if p.tier <= 2 else style.PLACE_MINOR
        )
        # labels in their dot's colour; names beyond range in a darker grey, to read
        colour = style.MUTED if p.colour == style.OUT_OF_RANGE else p.colour
        styles.append({"color": colour, **text_style})
    # the places the map is about (tiers 0-2) get every chance before the others:
    # beside their dot, then a size smaller, then out on a leader line
    must = [(p, s) for p, s in zip(places, styles, strict=True) if p.tier <= 2]
    rest = [(p, s) for p, s in zip(places, styles, strict=True) if p.tier > 2]
    waiting = [
        (p, s) for p, s in must if not _place_one(ax, placer, p, s, offset_pt * k, leader=False)
    ]
    smaller = [(p, {**s, "fontsize": s["fontsize"] * _SMALLER}) for p, s in waiting]
    waiting = [
        (p, s) for p, s in smaller if not _place_one(ax, placer, p, s, offset_pt * k, leader=False)
    ]
    unplaced = [
        p
        for p, s in waiting
        if not _place_one(ax, placer, p, s, offset_pt * k, leader=True, near=False)
    ]
    for p, s in rest:
        _place_one(ax, placer, p, s, offset_pt * k, leader=False)
    return unplaced


def _place_one(
    ax: Axes,
    placer: Placer,
    p: Place,
    text_style: dict[str, Any],
    offset_pt: float,
    *,
    leader: bool,
    near: bool = True,
) -> bool:
    fig = page(ax)
    px, py = ax.transData.transform((p.x, p.y))
    w, h = placer.size(p.name, text_style["fontsize"], text_style.get("fontweight", "normal"))
    off = offset_pt * fig.dpi / 72.0
    free = []
    for rank, (dx, dy, ha, va) in enumerate(_POSITIONS if near else ()):
        box = text_box(px + dx * off, py + dy * off, w, h, ha, va)
        if placer.fits(box) and not placer.ambiguous(box, (px, py)):
            free.append((dx, dy, ha, va, box, rank))
            if p.tier > 2 or placer.avoid is None:
                break
    if free:
        # the free place that covers the fewest dots still to be named (the
        # usual order breaks ties): a label does not take a neighbour's spot
        dx, dy, ha, va, box, _ = min(
            free, key=lambda f: placer.crowding(f[4], skip=(px, py)) + 0.25 * f[5]
        )
        artist = _annotate(ax, p, text_style, dx * offset_pt, dy * offset_pt, ha, va)
        placer.add(box)
        placer.add(artist.get_window_extent(placer.renderer))
        return True
    if not leader:
        return False
    for step in _LEADER_STEPS:
        for angle in _LEADER_ANGLES:
            a = math.radians(angle)
            dx, dy = math.cos(a) * step, math.sin(a) * step
            ha = "left" if dx > 0.3 else "right" if dx < -0.3 else "center"
            va = "bottom" if dy > 0.3 else "top" if dy < -0.3 else "center"
            box = text_box(px + dx * off, py + dy * off, w, h, ha, va)
            end = (px + dx * off, py + dy * off)
            if placer.fits(box) and placer.clear_line((px, py), end):
                artist = _annotate(
                    ax, p, text_style, dx * offset_pt, dy * offset_pt, ha, va, leader=True
                )
                placer.add_line((px, py), end)
                placer.add(box)
                placer.add(artist.get_window_extent(placer.renderer))
                return True
    return False


def _annotate(
    ax: Axes,
    p: Place,
    text_style: dict[str, Any],
    dx: float,
    dy: float,
    ha: str,
    va: str,
    *,
    leader: bool = False,
) -> Any:
    extra: dict[str, Any] = {}
    if leader:
        extra["arrowprops"] = {
            "arrowstyle": "-",
            "color": style.LEADER,
            "lw": 0.7,
            "shrinkA": 0.0,
            "shrinkB": 3.0,
        }
    gid = p.gid or {0: "site-label", 1: "place-label"}.get(p.tier, "capital-label")
    return halo.annotate(
        ax,
        p.name,
        (p.x, p.y),
        xytext=(dx, dy),
        textcoords="offset points",
        ha=ha,
        va=va,
        annotation_clip=False,
        parse_math=False,
        zorder=9 if p.tier <= 1 else 8,
        gid=gid,
        **text_style,
        **extra,
    )


def label_one_ring(
    ax: Axes,
    lines: Any,
    text: str,
    colour: str,
    centre: Any,
    placer: Placer,
    *,
    text_style: dict[str, Any],
    bearing: float = -140.0,
    gid: str = "ring-label",
) -> Any:
    """One label along a ring, upright, in the first free place nearest ``bearing``."""
    trans = ax.transData
    candidates: list[Any] = []
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
        p, b, a = trans.transform(pts), trans.transform(before), trans.transform(after)
        ang = np.degrees(np.arctan2(a[:, 1] - b[:, 1], a[:, 0] - b[:, 0]))
        ang = (ang + 90.0) % 180.0 - 90.0  # upright
        candidates.extend(zip(pts, p, ang, strict=True))
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
    label = halo.text(
        ax,
        0,
        0,
        text,
        halo=3.2,
        color=style.darker(colour),
        ha="center",
        va="center",
        rotation_mode="anchor",
        parse_math=False,
        zorder=9,
        gid=gid,
        **text_style,
    )
    for xy, _, angle in candidates:
        label.set_position((float(xy[0]), float(xy[1])))
        label.set_rotation(float(angle))
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
            label.set_rotation(float(angle))
            if placer.try_text(label, pad=1.0):
                return label
    label.remove()
    return None


def warn_unnamed(names: list[str], what: str) -> None:
    """Say which places the map marks but could not name -- every one (the note may be short)."""
    if names:
        count = f"{len(names)} {what}" if len(names) != 1 else f"1 of the {what}"
        warnings.warn(
            f"no room to name {count} on the map: {', '.join(names)}; they are listed in a "
            "note on the figure (a bigger page, a closer extent or fewer labels names them)",
            RangevizWarning,
            stacklevel=outside_stacklevel(),
        )


def distance_text(name: str, d_km: float, minutes: float | None = None) -> str:
    """'Berlin 528 km', or with a flight time 'Berlin 528 km · 5.6 min'."""
    text = f"{name} {km(round(d_km))} km"
    return text if minutes is None else f"{text} · {minutes:.1f} min"
