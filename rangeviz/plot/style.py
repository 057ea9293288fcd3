"""Colours, type and markers: how every map looks, in one place."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "BORDER",
    "COAST",
    "EXTRA",
    "FILL_ALPHA",
    "GRATICULE",
    "IN_RANGE",
    "LAND",
    "MUTED",
    "NEATLINE",
    "PARTLY",
    "SEA",
    "SITE_STYLE",
    "SOURCE",
    "STATUS_COLOURS",
    "SUBTITLE",
    "TARGET_STYLE",
    "TEXT",
    "TITLE",
    "TOO_CLOSE",
    "WHOLLY",
    "darker",
    "halo",
    "sized",
    "text_scale",
    "with_alpha",
]

# a quiet basemap
SEA = "#e4edf2"
LAND = "#f4f2ec"
COAST = "#8aa3b3"
BORDER = "#a3a3a3"
GRATICULE = "#c3d1da"
NEATLINE = "#6b7f8c"
TEXT = "#222222"
MUTED = "#5f6b73"
FILL_ALPHA = 0.22
WHOLLY = "#c8b08c"  # countries wholly within range (with highlight="countries")
PARTLY = "#e6ddcc"  # partly within range
IN_RANGE = "#7a1f00"  # capital dots within range
TOO_CLOSE = "#0b5d8f"  # capital dots inside an inner ring only
EXTRA = "#4d5a62"  # distance rings and radials
#: Capital colours by status (in band, too close, out of range).
STATUS_COLOURS = (IN_RANGE, TOO_CLOSE, MUTED)

TITLE: dict[str, Any] = {
    "fontsize": 18,
    "fontweight": "bold",
    "color": TEXT,
    "ha": "left",
    "va": "bottom",
}
SUBTITLE: dict[str, Any] = {"fontsize": 11.5, "color": MUTED, "ha": "left", "va": "bottom"}
SOURCE: dict[str, Any] = {"fontsize": 8, "color": MUTED, "ha": "left"}
SITE_STYLE: dict[str, Any] = {
    "marker": "^",
    "markersize": 8,
    "markerfacecolor": TEXT,
    "markeredgecolor": "white",
    "markeredgewidth": 1.0,
}
TARGET_STYLE: dict[str, Any] = {
    "marker": "o",
    "markersize": 7.5,
    "markerfacecolor": "white",
    "markeredgecolor": TEXT,
    "markeredgewidth": 2.0,
}


def text_scale(fig: Figure) -> float:
    """Font and marker sizes shrink on figures smaller than a page (notebooks)."""
    w, h = fig.get_size_inches()
    return float(np.clip(math.sqrt(w * h / (11.0 * 6.2)), 0.55, 1.0))


def sized(fig: Figure, style: dict[str, Any]) -> dict[str, Any]:
    """A text or marker style with its sizes scaled to the figure."""
    k = text_scale(fig)
    return {key: (v * k if key in ("fontsize", "markersize") else v) for key, v in style.items()}


def halo(width: float = 3.0) -> list[Any]:
    """A white outline that keeps text legible over any fill."""
    from matplotlib import patheffects

    return [patheffects.withStroke(linewidth=width, foreground="white")]


def darker(colour: str, factor: float = 0.8) -> tuple[float, float, float]:
    """A colour darkened for text on its own fill."""
    from matplotlib.colors import to_rgb

    r, g, b = to_rgb(colour)
    return (r * factor, g * factor, b * factor)


def with_alpha(colour: str, alpha: float) -> tuple[float, float, float, float]:
    """A colour with transparency, as RGBA."""
    from matplotlib.colors import to_rgba

    return to_rgba(colour, alpha)
