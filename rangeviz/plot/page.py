"""The page around the map: title block, key, small print, locator globe.

On a page rangeviz makes, the headline, standfirst and key go across the top
(the key under the text or beside it, whichever leaves the map more room) and
the small print along the bottom. On a caller's Axes nothing moves: the title
goes above it, the key into its emptiest corner, the small print under it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from rangeviz.plot import key, labels, layout, style, titles

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from rangeviz.geometry import MapGeometry
    from rangeviz.maps import MapFrame
    from rangeviz.model import MapSpec
    from rangeviz.plot.capitals import Capitals

__all__ = [
    "free_corner",
    "globe",
    "small_print",
    "small_print_lines",
    "source_under",
    "text_and_key",
    "title_block",
]


def title_block(
    fig: Figure, ax: Axes, headline: str, subject: str, handles: list[Any], small_lines: int
) -> None:
    """Headline, standfirst and key across the top -- the key under the text or beside it,
    whichever leaves the map more room -- the map below, room for the small print."""
    m = layout.margins(fig)
    w_in, h_in = fig.get_size_inches()
    x = m.side / w_in
    width = 1.0 - 2 * x
    top = 1.0 - m.top / h_in
    layouts = [False, True] if handles else [False]
    best: tuple[float, list[Any]] | None = None
    for beside in layouts:
        artists, y = text_and_key(fig, headline, subject, handles, x, width, top, beside)
        if best is None or y > best[0]:
            if best is not None:
                for artist in best[1]:
                    artist.remove()
            best = (y, artists)
        else:
            for artist in artists:
                artist.remove()
    assert best is not None
    y = best[0] - m.gap / h_in
    small = style.SMALL_PRINT["fontsize"] * style.text_scale(fig) * 1.3 * small_lines / 72.0
    bottom = (m.bottom + small + m.gap) / h_in
    ax.set_position((x, bottom, width, y - bottom))


def text_and_key(
    fig: Figure,
    headline: str,
    subject: str,
    handles: list[Any],
    x: float,
    width: float,
    top: float,
    beside: bool,
) -> tuple[list[Any], float]:
    """Draw the title block one way; return its artists and the height it ends at."""
    rend = layout.renderer(fig)
    artists: list[Any] = []
    text_width = width
    block = None
    if beside and handles:
        block = key.draw_key_block(fig, handles, x + width, top, 4)
        artists.append(block)
        text_width = width - block.get_window_extent(rend).width / fig.bbox.width - 0.02
    y = top
    for text, text_style, gid, lines in (
        (headline, style.HEADLINE, "title", 2),
        (subject, style.STANDFIRST, "subtitle", 3),
    ):
        if not text:
            continue
        artist = fig.text(
            x,
            y,
            text,
            ha="left",
            va="top",
            gid=gid,
            parse_math=False,
            **style.sized(fig, text_style),
        )
        titles.fit_lines(artist, text, text_width * fig.bbox.width, lines, rend)
        artists.append(artist)
        y -= (artist.get_window_extent(rend).height + 5.0 * fig.dpi / 72.0) / fig.bbox.height
    if block is not None:
        y = min(y, top - block.get_window_extent(rend).height / fig.bbox.height)
    elif handles:
        legend = key.draw_key_row(fig, handles, x, y - 2.0 / fig.bbox.height, width)
        artists.append(legend)
        y -= (legend.get_window_extent(rend).height + 4.0 * fig.dpi / 72.0) / fig.bbox.height
    return artists, y


def small_print_lines(fig: Figure, text: str) -> int:
    """How many lines the small print needs across the page (type at most a little smaller)."""
    artist = _small_text(fig, text)
    _fit_small(fig, artist, text, 1, min_scale=0.92)
    lines = artist.get_text().count("\n") + 1
    artist.remove()
    return max(2, min(lines, 6))


def small_print(
    fig: Figure, ax: Axes, spec: MapSpec, frame: MapFrame, extra: list[str], lines: int
) -> None:
    """The small print in the ``lines`` reserved for it, never running onto the map.

    What the drawing added (a key to numbered sites, the places left unnamed)
    is given up from the last if even the smallest type cannot fit it; the
    technical notes, which the room was reserved for, always fit.
    """
    kept = list(extra)
    while True:
        text = titles.small_print(spec, frame, kept)
        artist = _small_text(fig, text)
        _fit_small(fig, artist, text, lines, min_scale=0.78)
        if artist.get_text().count("\n") + 1 <= lines or not kept:
            return
        artist.remove()
        kept.pop()


def _small_text(fig: Figure, text: str) -> Any:
    m = layout.margins(fig)
    w_in, h_in = fig.get_size_inches()
    return fig.text(
        m.side / w_in,
        m.bottom / h_in,
        text,
        ha="left",
        va="bottom",
        gid="source",
        parse_math=False,
        linespacing=1.25,
        **style.sized(fig, style.SMALL_PRINT),
    )


def _fit_small(fig: Figure, artist: Any, text: str, lines: int, min_scale: float) -> None:
    m = layout.margins(fig)
    width = fig.bbox.width - 2 * m.side * fig.dpi
    titles.fit_lines(artist, text, width, lines, layout.renderer(fig), min_scale=min_scale)


def source_under(ax: Axes, text: str) -> None:
    """The small print under a caller's Axes, wrapped to its width."""
    fig = layout.page(ax)
    artist = ax.annotate(
        text,
        (0, 0),
        xycoords="axes fraction",
        xytext=(0, -4),
        textcoords="offset points",
        ha="left",
        va="top",
        gid="source",
        annotation_clip=False,
        parse_math=False,
        **style.sized(fig, style.SMALL_PRINT),
    )
    titles.fit_lines(
        artist, text, ax.get_position().width * fig.bbox.width, 3, layout.renderer(fig)
    )


def free_corner(ax: Axes, frame: MapFrame, caps: Capitals, spec: MapSpec) -> str:
    """The corner of the caller's Axes with the fewest places the map is about."""
    x0, y0, x1, y1 = frame.bounds
    lon = np.concatenate([caps.lon[caps.status <= 1], [s.lon for s in spec.points]])
    lat = np.concatenate([caps.lat[caps.status <= 1], [s.lat for s in spec.points]])
    x, y = frame.project_points(lon, lat)
    ok = np.isfinite(x)
    fx, fy = (x[ok] - x0) / (x1 - x0), (y[ok] - y0) / (y1 - y0)
    corners = {
        "lower left": (fx < 0.35) & (fy < 0.4),
        "lower right": (fx > 0.65) & (fy < 0.4),
        "upper left": (fx < 0.35) & (fy > 0.6),
        "upper right": (fx > 0.65) & (fy > 0.6),
    }
    return min(corners, key=lambda c: int(corners[c].sum()))


def globe(
    fig: Figure, ax: Axes, placer: labels.Placer, geometry: MapGeometry, frame: MapFrame
) -> None:
    """The locator globe in the map's top-right corner, kept clear of labels."""
    from rangeviz.plot.inset import draw_globe

    box = ax.get_window_extent(placer.renderer)
    size = min(1.55 * style.text_scale(fig) * fig.dpi, 0.32 * box.height)
    pad = 6.0 * fig.dpi / 72.0
    x1, y1 = box.x1 - pad, box.y1 - pad
    rect = (
        (x1 - size) / fig.bbox.width,
        (y1 - size) / fig.bbox.height,
        size / fig.bbox.width,
        size / fig.bbox.height,
    )
    draw_globe(fig, rect, geometry, frame)
    placer.add((x1 - size - pad, y1 - size - pad, box.x1, box.y1))
