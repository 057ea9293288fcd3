"""The page: the figure, where the map sits on it, and room for the text round it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from rangeviz.plot.style import text_scale

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from rangeviz.maps import MapFrame
    from rangeviz.model import MapOptions

__all__ = [
    "MIN_FREE_IN",
    "PANEL_GAP_IN",
    "SIDE_IN",
    "axes_aspect",
    "figure_and_axes",
    "fit_over_source",
    "fit_under_titles",
    "page",
    "pixel_size",
    "renderer",
    "setup_axes",
    "side_layout",
]

MIN_FREE_IN = 2.3  # width (in) beside a map that holds the legend
PANEL_GAP_IN = 0.45  # between a narrow map and its side panel
SIDE_IN = 0.3  # figure margin (in) left, right, above and below a side-panel map


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
    """The caller's Axes (not owned), or a new figure of the options' size (owned)."""
    if ax is not None:
        return page(ax), ax, False
    import matplotlib.pyplot as plt

    width, height = options.inches
    fig = plt.figure(figsize=(width, height), dpi=options.dpi)
    # room for title and subtitle above and the source line below, in inches
    k = text_scale(fig)
    top_in, bottom_in, side_in = 1.05 * k, 0.42 * k, 0.3
    ax = fig.add_axes(
        (
            side_in / width,
            bottom_in / height,
            1 - 2 * side_in / width,
            1 - (top_in + bottom_in) / height,
        )
    )
    return fig, ax, True


def axes_aspect(ax: Axes) -> float:
    """Width / height of the Axes' box on the page."""
    fig = page(ax)
    pos = ax.get_position()
    w_in, h_in = fig.get_size_inches()
    return float(pos.width * w_in) / float(pos.height * h_in)


def setup_axes(ax: Axes, frame: MapFrame, anchor: str = "W") -> None:
    """Limits, equal aspect and no axis furniture: a map."""
    x0, y0, x1, y1 = frame.bounds
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal", adjustable="box", anchor=anchor)
    ax.set_axis_off()
    ax.apply_aspect()


def fit_under_titles(ax: Axes) -> None:
    """Lower the map's top if a wrapped title would leave the page (own figures only)."""
    fig = page(ax)
    rend = renderer(fig)
    tops = [t.get_window_extent(rend).y1 for t in ax.texts if t.get_gid() == "title"]
    limit = fig.bbox.height - 0.15 * fig.dpi
    if not tops or max(tops) <= limit:
        return
    slot = ax.get_position(original=True)
    # never below 70 % of the slot: a title that long is the caller's to shorten
    shrink = min((max(tops) - limit) / fig.bbox.height, 0.3 * slot.height)
    ax.set_position((slot.x0, slot.y0, slot.width, slot.height - shrink), which="original")
    ax.apply_aspect()


def fit_over_source(ax: Axes, lines: int) -> None:
    """Raise the map's bottom if ``lines`` of source text need more room (own figures)."""
    fig = page(ax)
    k = text_scale(fig)
    need_in = (6 + lines * 8 * k * 1.25) / 72.0 + 0.08
    pos = ax.get_position()
    have_in = pos.y0 * fig.get_size_inches()[1]
    if need_in <= have_in:
        return
    slot = ax.get_position(original=True)
    lift = min((need_in - have_in) / fig.get_size_inches()[1], 0.2 * slot.height)
    ax.set_position((slot.x0, slot.y0 + lift, slot.width, slot.height - lift), which="original")
    ax.apply_aspect()


def side_layout(ax: Axes, frame: MapFrame) -> None:
    """Give a narrow map the figure's full height, leaving a panel on the right."""
    fig = page(ax)
    fig_w, fig_h = fig.get_size_inches()
    aspect = frame.width / frame.height
    map_h = fig_h - 2 * SIDE_IN
    map_w = map_h * aspect
    if map_w > 0.64 * fig_w:
        map_w = 0.64 * fig_w
        map_h = map_w / aspect
    bottom = (fig_h - map_h) / 2
    ax.set_position((SIDE_IN / fig_w, bottom / fig_h, map_w / fig_w, map_h / fig_h))


def pixel_size(ax: Axes, frame: MapFrame) -> float:
    """Projected metres per pixel at the figure's dpi (at least 200 dpi)."""
    fig = page(ax)
    width_in = ax.get_position().width * fig.get_size_inches()[0]
    return frame.width / (width_in * max(float(fig.dpi), 200.0))
