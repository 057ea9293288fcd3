"""The page around the map: title block, key, small print, locator globe.

On a page rangeviz makes, the headline, standfirst and key go across the top
(the key under the text or beside it, whichever leaves the map more room) and
the small print along the bottom. On a caller's Axes nothing moves: the title
goes above it, the key into its emptiest corner, the small print under it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from rangeviz._text import Listing
from rangeviz.plot import key, labels, layout, style, titles

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from rangeviz.geometry import MapGeometry
    from rangeviz.maps import MapFrame
    from rangeviz.model import MapSpec
    from rangeviz.plot.capitals import Capitals

__all__ = [
    "key_inside",
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
    return max(1, min(lines, 6))


def small_print(
    fig: Figure,
    ax: Axes,
    spec: MapSpec,
    frame: MapFrame,
    extra: list[str],
    lines: int,
    *,
    final: bool = False,
) -> int:
    """The small print in the ``lines`` reserved for it, never running onto the map.

    Returns 0 when it fits; otherwise the lines it needs (and draws nothing),
    so that the page can be laid out again with that much room. On the
    ``final`` layout what the drawing added (a key to numbered sites, the
    places left unnamed) is given up from the last if even the smallest type
    cannot fit it; the technical notes always fit.
    """
    kept = list(extra)
    # hung from the map's lower edge: lines reserved and not used become bottom margin
    m = layout.margins(fig)
    top = ax.get_position().y0 - m.gap / fig.get_size_inches()[1]
    while True:
        text = titles.small_print(spec, frame, kept)
        artist = _small_text(fig, text, top)
        # type a little smaller rather than another layout; the last layout goes smaller still
        _fit_small(fig, artist, text, lines, min_scale=0.78 if final else 0.92)
        needed = artist.get_text().count("\n") + 1
        if needed <= lines:
            return 0
        if not final:  # another layout, with room for it all
            artist.remove()
            return needed
        if not kept:  # the technical notes stay, whatever room is left
            return 0
        artist.remove()
        # a list of names gives way name by name before it goes
        shorter = kept[-1].shorter() if isinstance(kept[-1], Listing) else None
        if shorter is not None:
            kept[-1] = shorter
        else:
            kept.pop()


def _small_text(fig: Figure, text: str, top: float | None = None) -> Any:
    """The small print's text, at the page's foot (or hung from ``top``, a figure fraction)."""
    m = layout.margins(fig)
    w_in, h_in = fig.get_size_inches()
    return fig.text(
        m.side / w_in,
        m.bottom / h_in if top is None else top,
        text,
        ha="left",
        va="bottom" if top is None else "top",
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
    # as many lines as there is room for above the next Axes below (a grid of maps)
    rend = layout.renderer(fig)
    line = float(artist.get_fontsize()) * 1.25 * fig.dpi / 72.0
    room = titles.room_below(ax) - 4.0 * fig.dpi / 72.0
    lines = int(max(1, min(3, room // line)))
    width = ax.get_position().width * fig.bbox.width
    titles.fit_lines(artist, text, width, lines, rend, min_scale=0.6)


def key_inside(
    ax: Axes, handles: list[Any], frame: MapFrame, caps: Capitals, geometry: MapGeometry
) -> Any:
    """The key in the corner of the caller's Axes where it hides least: no place the map
    is about if it can, then as few other capitals and band edges as it can."""
    spec = geometry.spec
    about = caps.status <= 1
    pairs = np.column_stack((caps.lon, caps.lat))
    marked = [(p.lon, p.lat) for p in (*spec.points, *spec.places)]
    groups = [
        (10.0, _display(ax, frame, [*map(tuple, pairs[about]), *marked])),
        (1.0, _display(ax, frame, [tuple(p) for p in pairs[~about]])),
        (0.05, _display(ax, frame, _edge_lonlat(geometry))),
    ]
    rend = layout.renderer(layout.page(ax))
    best: tuple[float, str] | None = None
    for corner in ("upper right", "upper left", "lower left", "lower right"):
        legend = key.draw_key_inside(ax, handles, corner)
        b = legend.get_window_extent(rend)
        box = (b.x0, b.y0, b.x1, b.y1)
        cost = sum(w * _inside(points, box) for w, points in groups)
        legend.remove()
        if best is None or cost < best[0]:
            best = (cost, corner)
    assert best is not None
    return key.draw_key_inside(ax, handles, best[1])


def globe(
    fig: Figure,
    ax: Axes,
    placer: labels.Placer,
    geometry: MapGeometry,
    frame: MapFrame,
    caps: Capitals,
) -> bool:
    """The locator globe in the corner of the map where it hides nothing the map is about.

    The corners are tried top right first; a corner may cover no site, target,
    highlighted place or capital too close or in the band, and covers as few
    other capitals and band edges as it can. If no corner is free the globe
    is tried smaller, then left out (the edge notes still say where the band
    runs on). Returns whether it was drawn.
    """
    from rangeviz.plot.inset import draw_globe

    spec = geometry.spec
    box = ax.get_window_extent(placer.renderer)
    base = min(1.55 * style.text_scale(fig) * fig.dpi, 0.32 * box.height)
    pad = 6.0 * fig.dpi / 72.0
    must = _display(ax, frame, [(p.lon, p.lat) for p in (*spec.points, *spec.places)])
    about = caps.status <= 1
    pairs = np.column_stack((caps.lon, caps.lat))
    must = np.concatenate([must, _display(ax, frame, [tuple(p) for p in pairs[about]])])
    others = _display(ax, frame, [tuple(p) for p in pairs[~about]])
    edges = _display(ax, frame, _edge_lonlat(geometry))
    for scale in (1.0, 0.8, 0.65):
        size = base * scale
        best: tuple[float, tuple[float, float, float, float]] | None = None
        for right, top in ((True, True), (False, True), (True, False), (False, False)):
            x0 = box.x1 - pad - size if right else box.x0 + pad
            y0 = box.y1 - pad - size if top else box.y0 + pad
            rect = (x0 - pad, y0 - pad, x0 + size + pad, y0 + size + pad)
            if _inside(must, rect):
                continue
            cost = _inside(others, rect) + 0.02 * _inside(edges, rect)
            if best is None or cost < best[0]:
                best = (cost, (x0, y0, size, size))
        if best is not None:
            x0, y0, w, h = best[1]
            rect_fig = (
                x0 / fig.bbox.width,
                y0 / fig.bbox.height,
                w / fig.bbox.width,
                h / fig.bbox.height,
            )
            draw_globe(fig, rect_fig, geometry, frame)
            placer.add((x0 - pad, y0 - pad, x0 + w + pad, y0 + h + pad))
            return True
    return False


def _display(ax: Axes, frame: MapFrame, lonlat: list[tuple[float, float]]) -> np.ndarray:
    """Lon/lat points in display units (those the map cannot show left out)."""
    if not lonlat:
        return np.zeros((0, 2))
    lon, lat = np.array(lonlat, dtype=float).T
    x, y = frame.project_points(lon, lat)
    ok = np.isfinite(x) & np.isfinite(y)
    if not ok.any():
        return np.zeros((0, 2))
    return np.asarray(ax.transData.transform(np.column_stack((x[ok], y[ok]))))


def _inside(points: np.ndarray, rect: tuple[float, float, float, float]) -> int:
    x0, y0, x1, y1 = rect
    if len(points) == 0:
        return 0
    x, y = points[:, 0], points[:, 1]
    return int(((x >= x0) & (x <= x1) & (y >= y0) & (y <= y1)).sum())


def _edge_lonlat(geometry: MapGeometry) -> list[tuple[float, float]]:
    import shapely

    pts: list[tuple[float, float]] = []
    for geo in geometry.layers:
        for _, outline in geo.outlines:
            xy = shapely.get_coordinates(shapely.segmentize(outline, 1.0))
            pts.extend(map(tuple, xy[::4]))
    return pts
