"""Title, subtitle and the source line: what the figure says in words."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Any

from rangeviz.plot import style
from rangeviz.plot.layout import PANEL_GAP_IN, SIDE_IN, page, renderer

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from rangeviz.maps import MapFrame
    from rangeviz.model import MapSpec

__all__ = [
    "draw_side_titles",
    "draw_source",
    "draw_titles",
    "projection_text",
    "source_line",
    "source_lines",
    "subtitle",
    "wrap",
]


def subtitle(spec: MapSpec, frame: MapFrame) -> str:
    """The options' subtitle, or one that says how the map was made."""
    if spec.options.subtitle is not None:
        return spec.options.subtitle
    return (
        "Areas within range, from geodesic distances on the WGS84 ellipsoid · "
        f"{projection_text(frame)}"
    )


def source_line(spec: MapSpec) -> str:
    """``Boundaries: Natural Earth. Ranges: ...`` with each band's spread of estimates."""
    source = spec.options.source
    if source is None:
        parts: list[str] = []
        for layer in spec.layers:
            for src in layer.sources:
                text = str(src)
                if text not in parts:
                    parts.append(text)
        source = "; ".join(parts) if parts else "radii as given"
    line = f"Boundaries: Natural Earth. Ranges: {source.rstrip('.')}."
    notes: dict[str, str] = {}  # note -> the first label that carries it
    for layer in spec.layers:
        if layer.note:
            notes.setdefault(layer.note.rstrip("."), layer.label)
    if notes:
        line += " Published estimates differ — " + " ".join(
            f"{label}: {note}." for note, label in notes.items()
        )
    return line


def draw_titles(
    ax: Axes, spec: MapSpec, frame: MapFrame, *, side: bool = False, owned: bool = True
) -> float | None:
    """Title and subtitle above the map (or in the side panel).

    Returns the height (figure fraction) under which a side-panel legend
    goes (None above the map).
    """
    title, sub = spec.title, subtitle(spec, frame)
    if side:
        return draw_side_titles(ax, title, sub)
    fig = page(ax)
    rend = renderer(fig)
    pos = ax.get_position()
    # on the caller's own figure, keep within this Axes' width (panels side by side)
    span = (1.0 - pos.x0) if owned else pos.width
    width_px = (span * fig.get_size_inches()[0] - 0.3) * fig.dpi
    # on the caller's Axes, which is never moved, the type shrinks (to half at
    # most) until title and subtitle fit between the map and the page's top
    room_pt = (fig.bbox.height - ax.get_window_extent(rend).y1) * 72.0 / fig.dpi - 4.0
    for shrink in (1.0, 0.85, 0.7, 0.6, 0.5):
        for artist in [t for t in ax.texts if t.get_gid() in ("title", "subtitle")]:
            artist.remove()
        offset = 8.0 * shrink  # points above the map, growing upwards
        for text, text_style, gid in (
            (sub, style.SUBTITLE, "subtitle"),
            (title, style.TITLE, "title"),
        ):
            if not text:
                continue
            sized = style.sized(fig, text_style)
            sized["fontsize"] *= shrink
            artist = ax.annotate(
                text,
                (0, 1),
                xycoords="axes fraction",
                xytext=(0, offset),
                textcoords="offset points",
                gid=gid,
                annotation_clip=False,
                **sized,
            )
            _fit_width(artist, text, width_px, rend)
            offset += artist.get_window_extent(rend).height * 72.0 / fig.dpi + 5.0 * shrink
        if owned or offset <= room_pt:
            break
    return None


def source_lines(ax: Axes, line: str, *, owned: bool = True) -> str:
    """The source line wrapped to the map's width (at most four lines)."""
    fig = page(ax)
    pos = ax.get_position()
    width_pt = ((1.0 - pos.x0) if owned else pos.width) * fig.get_size_inches()[0] * 72.0 - 20.0
    return wrap(line, width_pt, 8 * style.text_scale(fig), max_lines=4)


def draw_source(ax: Axes, line: str, *, side: bool, under: Any = None, owned: bool = True) -> None:
    """The source line: under the map, under a legend below it, or in the panel."""
    fig = page(ax)
    fig_w = fig.get_size_inches()[0]
    pos = ax.get_position()
    text_style = style.sized(fig, style.SOURCE)
    if side:
        x = pos.x1 + PANEL_GAP_IN / fig_w
        width_pt = ((1.0 - x) * fig_w - SIDE_IN) * 72.0
        artist = ax.annotate(
            line,
            (x, pos.y0),
            xycoords="figure fraction",
            va="bottom",
            gid="source",
            annotation_clip=False,
            **text_style,
        )
        _fit_width(artist, line, width_pt * fig.dpi / 72.0, renderer(fig))
        return
    # long source lists wrap rather than run off the page
    text = source_lines(ax, line, owned=owned)
    if under is not None:
        box = under.get_window_extent(renderer(fig))
        xy = fig.transFigure.inverted().transform((box.x0, box.y0))
        ax.annotate(
            text,
            (pos.x0, xy[1]),
            xycoords="figure fraction",
            xytext=(0, -8),
            textcoords="offset points",
            va="top",
            gid="source",
            annotation_clip=False,
            **text_style,
        )
        return
    ax.annotate(
        text,
        (0, 0),
        xycoords="axes fraction",
        xytext=(0, -6),
        textcoords="offset points",
        va="top",
        gid="source",
        annotation_clip=False,
        **text_style,
    )


def wrap(text: str, width_pt: float, fontsize: float, max_lines: int = 6) -> str:
    """Text wrapped to about ``width_pt`` points at ``fontsize``."""
    chars = max(24, int(width_pt / (fontsize * 0.56)))
    return "\n".join(textwrap.wrap(text, chars, break_on_hyphens=False)[:max_lines])


def _fit_width(artist: Any, text: str, width_px: float, rend: Any) -> None:
    """Wrap a text artist's string until it is no wider than ``width_px``."""
    chars = len(text)
    while chars > 12:
        artist.set_text("\n".join(textwrap.wrap(text, chars, break_on_hyphens=False)))
        if artist.get_window_extent(rend).width <= width_px:
            return
        chars = int(chars * 0.9)


def draw_side_titles(ax: Axes, title: str, sub: str) -> float:
    """Title and subtitle in the panel right of a narrow map; returns the y under them."""
    fig = page(ax)
    fig_w, fig_h = fig.get_size_inches()
    pos = ax.get_position()
    x = pos.x1 + PANEL_GAP_IN / fig_w
    width_pt = ((1.0 - x) * fig_w - SIDE_IN) * 72.0
    rend = renderer(fig)
    y = pos.y1  # figure fraction, moving down
    for text, text_style, gid, gap in (
        (title, style.TITLE, "title", 8),
        (sub, style.SUBTITLE, "subtitle", 16),
    ):
        if not text:
            continue
        artist = ax.annotate(
            text,
            (x, y),
            xycoords="figure fraction",
            gid=gid,
            annotation_clip=False,
            **{**style.sized(fig, text_style), "va": "top", "linespacing": 1.25},
        )
        _fit_width(artist, text, width_pt * fig.dpi / 72.0, rend)
        height = artist.get_window_extent(rend).height
        y -= (height + gap * fig.dpi / 72.0) / (fig_h * fig.dpi)
    return y


def projection_text(frame: MapFrame) -> str:
    """The projection in words, for the subtitle."""
    if frame.name == "europe":
        return "Lambert azimuthal equal-area projection (EPSG:3035)"
    if frame.name == "aeqd":
        return "azimuthal equidistant projection centred on the site"
    if frame.name == "polar":
        return "north polar Lambert azimuthal equal-area projection"
    name = frame.crs.name
    if name in ("", "unknown") and frame.crs.coordinate_operation is not None:
        return f"{frame.crs.coordinate_operation.method_name} projection"
    return name
