"""The words of the model: named projections, extents, sizes, colours, line styles."""

from __future__ import annotations

__all__ = [
    "EXTENTS",
    "HIGHLIGHTS",
    "INF_KM",
    "LABELS",
    "LINESTYLES",
    "PALETTE",
    "PROJECTIONS",
    "SIZES",
]

#: The INF Treaty band, (inner_km, outer_km).
INF_KM: tuple[float, float] = (500.0, 5500.0)

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

#: Figure sizes in inches: a 16:9 slide and A4 (landscape; portrait too).
SIZES: dict[str, tuple[float, float]] = {
    "slide": (13.333, 7.5),
    "a4": (11.69, 8.27),
    "a4-portrait": (8.27, 11.69),
}

#: Okabe–Ito colours (colour-blind safe), in the order bands get them.
PALETTE: tuple[str, ...] = (
    "#D55E00",  # vermillion
    "#0072B2",  # blue
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#000000",  # black
)

#: Outline styles a band may have.
LINESTYLES: tuple[str, ...] = ("solid", "dashed", "dotted", "dashdot")

LABELS = ("capitals",)
HIGHLIGHTS = ("countries",)
