"""The page: a title block across the top, the map filling the rest, small print below.

On a figure rangeviz makes (a slide, an A4 page) the layout is the same for
every projection, so a deck of maps matches::

    +----------------------------------------------------------------+
    | Headline                                                       |
    | Standfirst, in plain language                                  |
    | [key, one row]                                                 |
    | +------------------------------------------------------------+ |
    | |                                                  (globe)   | |
    | |                     the map, edge to edge                  | |
    | +------------------------------------------------------------+ |
    | small print: distances, projection, sources                    |
    +----------------------------------------------------------------+

Text is laid out at a fixed resolution (:data:`LAYOUT_DPI`): what fits and
where is the same whatever dpi the file is written at. On the caller's own
Axes nothing is moved: the title goes above it (its type shrinks to fit) and
the key inside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from rangeviz.plot.style import text_scale

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from rangeviz.maps import MapFrame
    from rangeviz.model import MapOptions

__all__ = [
    "LAYOUT_DPI",
    "Margins",
    "axes_aspect",
    "figure_and_axes",
    "margins",
    "page",
    "pixel_size",
    "renderer",
    "setup_axes",
]

#: The resolution text is measured and placed at (the file's dpi is applied on saving).
LAYOUT_DPI = 100.0


@dataclass(frozen=True)
class Margins:
    """Page margins and gaps, inches."""

    side: float
    top: float
    bottom: float
    gap: float


def margins(fig: Figure) -> Margins:
    """The margins of a page, scaled with its type."""
    k = text_scale(fig)
    return Margins(side=0.12 * k + 0.02, top=0.10 * k, bottom=0.08 * k, gap=0.07 * k)


def page(ax: Axes) -> Figure:
    """The figure an Axes is on (the root figure, if it sits in a subfigure)."""
    fig = ax.figure
    return cast("Figure", getattr(fig, "figure", None) or fig)


def renderer(fig: Figure) -> Any:
    """The figure's renderer, for measuring text before the figure is drawn."""
    canvas = fig.canvas
    if hasattr(canvas, "get_renderer"):
        return canvas.get_renderer()
    # a canvas without one (a bare Figure): matplotlib's own fallback, as tight_layout uses
    return fig._get_renderer()  # type: ignore[attr-defined]


def figure_and_axes(ax: Axes | None, options: MapOptions) -> tuple[Figure, Axes, bool]:
    """The caller's Axes (not owned), or a new page of the options' size (owned).

    A new page is laid out at :data:`LAYOUT_DPI`; :func:`rangeviz.plot.draw.draw`
    gives it the options' dpi when the drawing is done.
    """
    if ax is not None:
        return page(ax), ax, False
    import matplotlib.pyplot as plt

    width, height = options.inches
    fig = plt.figure(figsize=(width, height), dpi=LAYOUT_DPI)
    return fig, fig.add_axes((0.0, 0.0, 1.0, 1.0)), True


def axes_aspect(ax: Axes) -> float:
    """Width / height of the Axes' box on the page."""
    fig = page(ax)
    pos = ax.get_position()
    w_in, h_in = fig.get_size_inches()
    return float(pos.width * w_in) / float(pos.height * h_in)


def setup_axes(ax: Axes, frame: MapFrame, anchor: str = "C") -> None:
    """Limits, equal aspect and no axis furniture: a map."""
    x0, y0, x1, y1 = frame.bounds
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal", adjustable="box", anchor=anchor)
    ax.set_axis_off()
    ax.apply_aspect()


def pixel_size(ax: Axes, frame: MapFrame) -> float:
    """Projected metres per pixel at 200 dpi or the figure's, whichever is finer."""
    fig = page(ax)
    width_in = ax.get_position().width * fig.get_size_inches()[0]
    return frame.width / (width_in * max(float(fig.dpi), 200.0))
