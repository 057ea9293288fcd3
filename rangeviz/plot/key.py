"""The key: bands as drawn, markers and capital statuses, as one designed row.

On a page rangeviz makes, the key is one row (two if it must) under the
standfirst, outside the map, so it never covers a band edge or a label. On the
caller's own Axes it goes inside, in the corner the label engine finds free.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from rangeviz._text import km, literal
from rangeviz.plot import style
from rangeviz.plot.layout import page, renderer

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.legend import Legend

    from rangeviz.model import MapSpec

__all__ = ["band_fill", "draw_key_block", "draw_key_inside", "draw_key_row", "key_handles"]


def band_fill(spec: MapSpec, colour: str) -> tuple[str, float]:
    """A band's fill colour and opacity: its own colour alone, one neutral tint for several."""
    launch = [layer for layer in spec.layers if layer.role == "launch site"]
    if len(spec.layers) > 1 and len(launch) != 1:
        return style.NEUTRAL_FILL, style.fill_alpha(style.NEUTRAL_FILL)
    return colour, style.fill_alpha(colour)


def key_handles(ax: Axes, spec: MapSpec, statuses: set[int]) -> list[Any]:
    """The key's entries: what is drawn, in the order a reader meets it."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    fig = page(ax)
    handles: list[Any] = []
    for layer in spec.layers:
        colour = layer.color or style.TEXT
        fill, alpha = band_fill(spec, colour)
        handles.append(
            Patch(
                facecolor=style.with_alpha(fill, alpha),
                edgecolor=colour,
                linewidth=1.6,
                linestyle=cast(Any, layer.linestyle),
                label=literal(layer.legend_label),
            )
        )
    options = spec.options
    if options.highlight == "countries":
        # a country wholly in range lies under the band's fill: its swatch is drawn so
        fill, alpha = band_fill(spec, spec.layers[0].color or style.TEXT)
        swatches: list[tuple[Any, str]] = [
            (style.over(fill, alpha, style.WHOLLY), "Country in range"),
            (style.PARTLY, "Partly"),
        ]
        for colour, text in swatches:
            handles.append(Patch(facecolor=colour, edgecolor="none", label=text))
    if spec.sites:
        handles.append(
            Line2D(
                [],
                [],
                linestyle="none",
                label="Launch site",
                **style.sized(fig, style.SITE_STYLE, 0.9),
            )
        )
    if spec.targets:
        handles.append(
            Line2D(
                [],
                [],
                linestyle="none",
                label="Target",
                **style.sized(fig, style.TARGET_STYLE, 0.9),
            )
        )
    if statuses:  # of the capitals (labels="capitals") and the highlighted places
        k = style.text_scale(fig)
        inner = [layer.inner_km for layer in spec.layers if layer.inner_km > 0]
        what = "Capital" if options.labels == "capitals" else "Place"
        where = "in the launch area" if spec.targets and not spec.sites else "in range"
        words = {
            0: (style.IN_RANGE, False, f"{what} {where}"),
            1: (
                style.TOO_CLOSE,
                True,
                f"Closer than {km(min(inner))} km" if inner else f"{what} too close",
            ),
            2: (style.OUT_OF_RANGE, False, "Out of range"),
        }
        for status in sorted(statuses):
            colour, hollow, text = words[status]
            handles.append(
                Line2D(
                    [],
                    [],
                    linestyle="none",
                    marker="o",
                    markersize=6.5 * k,
                    markerfacecolor="white" if hollow else colour,
                    markeredgecolor=colour if hollow else "white",
                    markeredgewidth=1.6 * k if hollow else 0.7 * k,
                    label=text,
                )
            )
    if options.rings_km:
        handles.append(
            Line2D(
                [],
                [],
                color=style.EXTRA,
                lw=0.8,
                linestyle=(0, (4, 3)),
                label=f"Every {km(options.rings_km)} km",
            )
        )
    if options.minutes:
        handles.append(
            Line2D(
                [],
                [],
                color=style.ISOCHRONE,
                lw=1.0,
                linestyle=(0, (1.2, 2.2)),
                label="Minutes of ballistic flight",
            )
        )
    return handles


def _common(fig: Figure, handles: list[Any]) -> dict[str, Any]:
    return {
        "handles": handles,
        "fontsize": style.KEY["fontsize"] * style.text_scale(fig),
        "frameon": False,
        "handlelength": 1.4,
        "handleheight": 0.8,
        "handletextpad": 0.4,
        "columnspacing": 1.1,
        "borderpad": 0.0,
        "borderaxespad": 0.0,
    }


def draw_key_row(fig: Figure, handles: list[Any], x: float, y_top: float, width: float) -> Legend:
    """The key as a row (or two) whose top left is at (x, y_top), figure fraction."""
    rend = renderer(fig)
    legend = None
    for rows in (1, 2, 3):
        if legend is not None:
            legend.remove()
        ncol = max(1, -(-len(handles) // rows))
        legend = fig.legend(
            loc="upper left",
            bbox_to_anchor=(x, y_top),
            bbox_transform=fig.transFigure,
            ncol=ncol,
            **_common(fig, handles),
        )
        if legend.get_window_extent(rend).width <= width * fig.bbox.width:
            break
    assert legend is not None
    legend.set_gid("legend")
    return legend


def draw_key_block(fig: Figure, handles: list[Any], right: float, top: float, rows: int) -> Legend:
    """The key in columns of ``rows`` entries, its top right at (right, top), figure fraction."""
    ncol = max(1, -(-len(handles) // rows))
    legend = fig.legend(
        loc="upper right",
        bbox_to_anchor=(right, top),
        bbox_transform=fig.transFigure,
        ncol=ncol,
        **{**_common(fig, handles), "labelspacing": 0.35},
    )
    legend.set_gid("legend")
    return legend


def draw_key_inside(ax: Axes, handles: list[Any], corner: str) -> Legend:
    """The key inside the caller's Axes, in ``corner`` (a matplotlib loc)."""
    fig = page(ax)
    options: dict[str, Any] = {
        **_common(fig, handles),
        "frameon": True,
        "borderpad": 0.6,
        "borderaxespad": 0.6,
    }
    legend = ax.legend(loc=corner, **options)  # type: ignore[call-overload]
    legend.get_frame().set_alpha(0.94)
    legend.get_frame().set_edgecolor("#cccccc")
    legend.set_zorder(30)
    legend.set_gid("legend")
    return legend
