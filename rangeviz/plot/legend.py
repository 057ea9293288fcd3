"""The legend: bands as drawn, shading, markers and capital statuses."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from rangeviz.plot import style
from rangeviz.plot.layout import MIN_FREE_IN, PANEL_GAP_IN, page, renderer

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from rangeviz.model import MapSpec

__all__ = ["draw_legend"]


def _handles(ax: Axes, spec: MapSpec) -> list[Any]:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    fig = page(ax)
    handles: list[Any] = [
        Patch(
            facecolor=style.with_alpha(layer.color or style.TEXT, style.FILL_ALPHA),
            edgecolor=layer.color or style.TEXT,
            linewidth=1.3,
            linestyle=cast(Any, layer.linestyle),
            label=layer.legend_label,
        )
        for layer in spec.layers
    ]
    options = spec.options
    if options.highlight == "countries":
        handles.append(
            Patch(facecolor=style.WHOLLY, edgecolor="none", label="Country wholly in range")
        )
        handles.append(
            Patch(facecolor=style.PARTLY, edgecolor="none", label="Country partly in range")
        )
    if spec.sites:
        handles.append(
            Line2D(
                [], [], linestyle="none", label="Launch site", **style.sized(fig, style.SITE_STYLE)
            )
        )
    if spec.targets:
        handles.append(
            Line2D([], [], linestyle="none", label="Target", **style.sized(fig, style.TARGET_STYLE))
        )
    if options.labels == "capitals":
        dot: dict[str, Any] = {
            "linestyle": "none",
            "marker": "o",
            "markersize": 5 * style.text_scale(fig),
            "markeredgecolor": "white",
        }
        statuses = [(style.IN_RANGE, "Capital in band")]
        if any(layer.inner_km > 0 for layer in spec.layers):
            statuses.append((style.TOO_CLOSE, "Capital too close (inside inner ring)"))
        statuses.append((style.MUTED, "Capital out of range"))
        for colour, text in statuses:
            handles.append(Line2D([], [], markerfacecolor=colour, label=text, **dot))
    return handles


def draw_legend(
    ax: Axes,
    spec: MapSpec,
    *,
    panel_y: float | None = None,
    below_ok: bool = False,
    owned: bool = True,
) -> Any:
    """The legend: in the side panel, beside the map, below it, or inside it.

    Returns the legend when it went below the map (the source line follows
    it), else None.
    """
    fig = page(ax)
    pos = ax.get_position()
    free_in = (1.0 - pos.x1) * fig.get_size_inches()[0]
    common = {
        "handles": _handles(ax, spec),
        "fontsize": 10 * style.text_scale(fig),
        "frameon": True,
        "framealpha": 0.92,
        "edgecolor": "#cccccc",
        "fancybox": False,
        "borderpad": 0.7,
        "handlelength": 1.8,
    }
    if panel_y is not None:  # in the side panel, under the subtitle
        x = pos.x1 + PANEL_GAP_IN / fig.get_size_inches()[0]
        leg = ax.legend(
            loc="upper left",
            bbox_to_anchor=(x, panel_y),
            bbox_transform=fig.transFigure,
            borderaxespad=0,
            **common,
        )
    elif owned and free_in >= MIN_FREE_IN:  # beside the map, at the top
        leg = ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0, **common)
    else:
        leg = ax.legend(loc="lower left", **common)
        if below_ok:  # under the map, when a tall page leaves room there
            height = leg.get_window_extent(renderer(fig)).height / fig.dpi
            if pos.y0 * fig.get_size_inches()[1] >= height + 0.75:
                leg.remove()
                leg = ax.legend(
                    loc="upper left",
                    bbox_to_anchor=(0.0, -0.015),
                    bbox_transform=ax.transAxes,
                    borderaxespad=0,  # flush with the map's left edge
                    **common,
                )
                leg.set_zorder(30)
                leg.set_gid("legend")
                return leg
    leg.set_zorder(30)
    leg.set_gid("legend")
    return None
