"""Colours, type and markers: how every map looks, in one place.

Type is sized for a projected 16:9 slide (13.3 x 7.5 in) and scales with the
page (:func:`text_scale`). Colours are chosen by lightness first, so that land,
countries partly and wholly in range, and the band stay apart under every
common colour-vision deficiency (``tests/test_colour.py`` simulates them); the
band colours are Okabe and Ito's (:data:`rangeviz.model.PALETTE`).
"""

from __future__ import annotations

import functools
import math
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "BORDER",
    "CALLOUT",
    "COAST",
    "EXTRA",
    "FILL_STEP",
    "GRATICULE",
    "HEADLINE",
    "IN_RANGE",
    "ISOCHRONE",
    "KEY",
    "LAND",
    "LEADER",
    "MUTED",
    "NEATLINE",
    "NEUTRAL_FILL",
    "NOTE",
    "OUT_OF_RANGE",
    "PARTLY",
    "PLACE",
    "PLACE_MINOR",
    "RING_LABEL",
    "SEA",
    "SITE_LABEL",
    "SITE_STYLE",
    "SMALL_PRINT",
    "STANDFIRST",
    "STATUS_COLOURS",
    "TARGET_STYLE",
    "TEXT",
    "TOO_CLOSE",
    "UNHINTED",
    "WHOLLY",
    "darker",
    "fill_alpha",
    "lightness",
    "over",
    "sized",
    "text_scale",
    "with_alpha",
]

# a quiet basemap, in lightness steps (CIELAB L*): sea 91, land 96
SEA = "#dfe9ef"
LAND = "#f6f4ef"
COAST = "#8aa3b3"
BORDER = "#a8a8a8"
GRATICULE = "#c9d6de"
NEATLINE = "#6b7f8c"
TEXT = "#1f1f1f"
MUTED = "#5b666e"
# countries in range (highlight="countries"): L* 88 and 79, below land's 96
PARTLY = "#e3ddd2"
WHOLLY = "#cbc2b3"
# one band: its own colour, lightly; several: one light neutral fill under their outlines.
# The fill's opacity is chosen per colour (fill_alpha) so that it darkens land by
# FILL_STEP in L*: a pale sky blue needs more than a deep blue to show at all.
FILL_STEP = 8.0
NEUTRAL_FILL = "#b08f6a"
# capitals by status: dark red in band, hollow dark blue too close, grey beyond
IN_RANGE = "#b3261e"
TOO_CLOSE = "#0b4f8a"
OUT_OF_RANGE = "#8c959c"
#: Capital colours by status (in band, too close, out of range).
STATUS_COLOURS = (IN_RANGE, TOO_CLOSE, OUT_OF_RANGE)
EXTRA = "#4d5a62"  # distance rings and radials
ISOCHRONE = "#5b3f8c"  # minutes-of-flight rings: a dark violet, apart from every band colour
LEADER = "#6d7a83"  # lines from a label to its place

#: Text is laid out and drawn unhinted: hinting snaps letters to the pixel grid, which
#: makes a line up to 3 % wider or narrower at one dpi than another (and than in a PDF
#: or SVG, which are never hinted), so labels measured at one dpi would collide at another.
UNHINTED: dict[str, Any] = {"text.hinting": "no_hinting"}

# type, in points at slide size
HEADLINE: dict[str, Any] = {"fontsize": 21, "fontweight": "bold", "color": TEXT}
STANDFIRST: dict[str, Any] = {"fontsize": 13.5, "color": "#3b4349"}
KEY: dict[str, Any] = {"fontsize": 10.5, "color": TEXT}
SMALL_PRINT: dict[str, Any] = {"fontsize": 8.5, "color": MUTED}
SITE_LABEL: dict[str, Any] = {"fontsize": 14, "fontweight": "bold", "color": TEXT}
RING_LABEL: dict[str, Any] = {"fontsize": 12, "fontweight": "bold"}
PLACE: dict[str, Any] = {"fontsize": 9.2}
PLACE_MINOR: dict[str, Any] = {"fontsize": 8.5}
NOTE: dict[str, Any] = {"fontsize": 12, "color": "#2f373c"}
CALLOUT: dict[str, Any] = {"fontsize": 12, "color": TOO_CLOSE}
SITE_STYLE: dict[str, Any] = {
    "marker": "^",
    "markersize": 10,
    "markerfacecolor": TEXT,
    "markeredgecolor": "white",
    "markeredgewidth": 1.2,
}
TARGET_STYLE: dict[str, Any] = {
    "marker": "o",
    "markersize": 9,
    "markerfacecolor": "white",
    "markeredgecolor": TEXT,
    "markeredgewidth": 2.2,
}


def text_scale(fig: Figure) -> float:
    """Type and markers shrink on pages smaller than a slide (notebooks)."""
    w, h = fig.get_size_inches()
    return float(np.clip(math.sqrt(w * h / (13.333 * 7.5)), 0.5, 1.0))


def sized(fig: Figure, style: dict[str, Any], scale: float = 1.0) -> dict[str, Any]:
    """A text or marker style with its sizes scaled to the page (and by ``scale``)."""
    k = text_scale(fig) * scale
    return {key: (v * k if key in ("fontsize", "markersize") else v) for key, v in style.items()}


def lightness(colour: Any) -> float:
    """CIELAB L* (D65) of an sRGB colour: 0 black, 100 white."""
    from matplotlib.colors import to_rgb

    c = np.asarray(to_rgb(colour), dtype=float)
    linear = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    y = float(linear @ np.array([0.2126729, 0.7151522, 0.0721750]))
    f = y ** (1 / 3) if y > (6 / 29) ** 3 else y / (3 * (6 / 29) ** 2) + 4 / 29
    return 116.0 * f - 16.0


@functools.cache
def fill_alpha(colour: str) -> float:
    """The opacity at which a band's fill darkens land by :data:`FILL_STEP` in L*.

    Between 0.12 and 0.4, so a dark colour stays a tint and a pale one still shows.
    """
    from matplotlib.colors import to_rgb

    land, top = np.asarray(to_rgb(LAND)), np.asarray(to_rgb(colour))
    target = lightness(LAND) - FILL_STEP
    lo, hi = 0.12, 0.4
    if lightness(tuple(lo * top + (1 - lo) * land)) <= target:
        return lo
    for _ in range(20):
        mid = 0.5 * (lo + hi)
        if lightness(tuple(mid * top + (1 - mid) * land)) > target:
            lo = mid
        else:
            hi = mid
    return round(hi, 3)


def over(top: str, alpha: float, bottom: str) -> tuple[float, float, float]:
    """An opaque colour: ``top`` at ``alpha`` laid over ``bottom``, as the map composites it."""
    from matplotlib.colors import to_rgb

    t, b = np.asarray(to_rgb(top)), np.asarray(to_rgb(bottom))
    r, g, bl = alpha * t + (1.0 - alpha) * b
    return (float(r), float(g), float(bl))


def darker(colour: str, factor: float = 0.75) -> tuple[float, float, float]:
    """A colour darkened for text on its own fill."""
    from matplotlib.colors import to_rgb

    r, g, b = to_rgb(colour)
    return (r * factor, g * factor, b * factor)


def with_alpha(colour: str, alpha: float) -> tuple[float, float, float, float]:
    """A colour with transparency, as RGBA."""
    from matplotlib.colors import to_rgba

    return to_rgba(colour, alpha)
