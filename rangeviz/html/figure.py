"""A :class:`~rangeviz.html.scene.Scene` as a Bokeh plot: plain x/y in the map's projection.

Bokeh draws in the map's own projected coordinates, so whatever the static map
can show -- a polar cap, an azimuthal world map, a conic Europe -- the
interactive one shows too; no web-map tiles, no Web Mercator. Wheel zoom and
drag pan are on from the start, with a reset; hovering a place or a band says
what it is; clicking a key entry hides what it stands for; labels make room
for each other again after every zoom (``declutter.js``).
"""

from __future__ import annotations

import json
from importlib import resources
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely

from rangeviz.geometry import STATUSES
from rangeviz.plot import style

if TYPE_CHECKING:
    from bokeh.document import Document
    from bokeh.models.renderers import GlyphRenderer
    from bokeh.plotting import figure as Figure

    from rangeviz.html.scene import BandScene, Scene

__all__ = ["LABEL_FONT", "make_document", "multi_polygons", "nan_lines"]

#: Bokeh's names for the model's line styles.
_DASH = {"solid": "solid", "dashed": "dashed", "dotted": "dotted", "dashdot": "dashdot"}
#: The typeface of every label (the page's CSS uses the same stack).
LABEL_FONT = "Helvetica, Arial, sans-serif"


def multi_polygons(geoms: Any, dtype: Any = np.float32) -> tuple[list[Any], list[Any]]:
    """Polygons as one feature of Bokeh's ``multi_polygons``: [[[x rings]]] and [[[y rings]]].

    Holes follow their exterior ring in the same polygon, as Bokeh wants them.
    """
    xs: list[list[np.ndarray]] = []
    ys: list[list[np.ndarray]] = []
    arr = np.asarray(geoms, dtype=object).ravel()
    for part in shapely.get_parts(arr[~shapely.is_empty(arr)]) if arr.size else ():
        if part.geom_type != "Polygon" or part.is_empty:
            continue
        rings = [part.exterior, *part.interiors]
        coords = [np.asarray(r.coords, dtype=float)[:-1] for r in rings]
        coords = [c for c in coords if len(c) >= 3]
        if not coords:
            continue
        xs.append([c[:, 0].astype(dtype) for c in coords])
        ys.append([c[:, 1].astype(dtype) for c in coords])
    return [xs], [ys]


def nan_lines(geoms: Any, dtype: Any = np.float32) -> tuple[np.ndarray, np.ndarray]:
    """Lines (and polygon boundaries) as one x and one y array, pieces separated by NaN."""
    arr = np.asarray(geoms, dtype=object).ravel()
    arr = arr[~shapely.is_empty(arr)] if arr.size else arr
    if arr.size == 0:
        return np.zeros(0, dtype=dtype), np.zeros(0, dtype=dtype)
    polygonal = np.isin(shapely.get_type_id(arr), (3, 6))
    arr = np.where(polygonal, shapely.boundary(arr), arr)
    parts = shapely.get_parts(shapely.get_parts(arr))
    pieces = []
    for line in parts:
        xy = np.asarray(line.coords, dtype=float)[:, :2]
        if len(xy) >= 2:
            pieces.append(xy)
            pieces.append(np.full((1, 2), np.nan))
    if not pieces:
        return np.zeros(0, dtype=dtype), np.zeros(0, dtype=dtype)
    xy = np.vstack(pieces[:-1])
    return xy[:, 0].astype(dtype), xy[:, 1].astype(dtype)


def make_document(scene: Scene) -> Document:
    """The interactive map of a scene: a Bokeh document holding one figure."""
    from bokeh.document import Document
    from bokeh.models import ColumnDataSource, Range1d
    from bokeh.models.annotations import Legend, LegendItem
    from bokeh.plotting import figure

    x0, y0, x1, y1 = scene.view
    fx0, fy0, fx1, fy1 = _padded(scene.frame.bounds, (x1 - x0) / (y1 - y0))
    p = figure(
        name="rangeviz-map",
        frame_width=scene.width_px,
        frame_height=scene.height_px,
        x_range=Range1d(start=x0, end=x1, bounds=(fx0, fx1), min_interval=(x1 - x0) / 64),
        y_range=Range1d(start=y0, end=y1, bounds=(fy0, fy1), min_interval=(y1 - y0) / 64),
        tools="pan,wheel_zoom,reset,save",
        active_drag="pan",
        active_scroll="wheel_zoom",
        toolbar_location="right",
        match_aspect=True,
        background_fill_color="#ffffff",
        border_fill_color="#ffffff",
        outline_line_color=None,
        min_border=0,
    )
    p.axis.visible = False
    p.grid.visible = False
    p.toolbar.logo = None
    p.tags = [
        {
            "crs": scene.frame.crs.to_wkt(),
            "view": list(scene.view),
            "bounds": list(scene.frame.bounds),
        }
    ]
    items: list[Any] = []
    _basemap(p, scene)
    items.extend(_countries(p, scene))
    bands = [_band(p, band, i) for i, band in enumerate(scene.bands)]
    label_renderers: list[GlyphRenderer] = []
    extras = _extras(p, scene, label_renderers)
    _neatline(p, scene)
    for (fill, outlines), band in zip(bands, scene.bands, strict=True):
        rings = _ring_labels(p, band)
        label_renderers.extend(rings[1::2])
        items.append(LegendItem(label=band.label, renderers=[fill, *outlines, *rings]))
    leaders = ColumnDataSource({"x0": [], "y0": [], "x1": [], "y1": []}, name="leaders")
    p.segment("x0", "y0", "x1", "y1", source=leaders, line_color=style.LEADER, line_width=0.8)
    hovered: list[GlyphRenderer] = []
    items.extend(_places(p, scene, label_renderers, hovered))
    items.extend(extras)
    key_style: dict[str, Any] = {"padding": 4, "margin": 0, "spacing": 14, "glyph_width": 22}
    key_style.update(glyph_height=14, label_height=14)
    key_style["ncols"] = _key_columns([str(item.label.value) for item in items], scene.width_px)
    legend = Legend(
        items=items,
        **key_style,
        click_policy="hide",
        orientation="horizontal",
        location="top_left",
        label_text_font=LABEL_FONT,
        label_text_font_size="12px",
        label_text_color=style.TEXT,
        border_line_color=None,
        background_fill_alpha=0.0,
        name="rangeviz-key",
    )
    p.add_layout(legend, "above")
    _hover(p, [fill for fill, _ in bands], hovered)
    relabel = _declutter(p, label_renderers, leaders)
    doc = Document()  # last: every model added to a document is indexed again
    doc.add_root(p)
    doc.js_on_event("document_ready", relabel)
    return doc


def _key_columns(labels: list[str], width: float) -> int:
    """As many key entries to a row as fit across the map (text at ~6.2 px a character)."""
    entries = [22 + 5 + 6.2 * len(text) + 14 for text in labels]
    for ncols in range(len(entries), 1, -1):
        widths = [max(entries[i::ncols]) for i in range(ncols)]
        if sum(widths) <= width:
            return ncols
    return 1


def _padded(
    bounds: tuple[float, float, float, float], aspect: float
) -> tuple[float, float, float, float]:
    """Bounds grown to ``aspect`` (width / height), so zooming out keeps the scale square."""
    x0, y0, x1, y1 = bounds
    w, h = x1 - x0, y1 - y0
    if w / h < aspect:
        grow = (h * aspect - w) / 2
        return x0 - grow, y0, x1 + grow, y1
    grow = (w / aspect - h) / 2
    return x0, y0 - grow, x1, y1 + grow


# --------------------------------------------------------------------------
# the basemap


def _fill(p: Figure, geoms: Any, name: str, colour: str, alpha: float = 1.0) -> GlyphRenderer:
    from bokeh.models import ColumnDataSource

    xs, ys = multi_polygons(geoms)
    source = ColumnDataSource({"xs": xs, "ys": ys}, name=name)
    return p.multi_polygons(
        "xs", "ys", source=source, fill_color=colour, fill_alpha=alpha, line_color=None
    )


def _lines(p: Figure, geoms: Any, name: str, **line: Any) -> GlyphRenderer:
    from bokeh.models import ColumnDataSource

    x, y = nan_lines(geoms)
    return p.line("x", "y", source=ColumnDataSource({"x": x, "y": y}, name=name), **line)


def _basemap(p: Figure, scene: Scene) -> None:
    layers = scene.layers
    _fill(p, layers["sea"], "sea", style.SEA)
    _fill(p, layers["land"], "land", style.LAND)


def _countries(p: Figure, scene: Scene) -> list[Any]:
    """Country shading (highlight="countries"), then lakes, graticule, borders, coasts."""
    from bokeh.models.annotations import LegendItem

    layers = scene.layers
    items: list[Any] = []
    for name, colour, text in (
        ("countries-partly", style.PARTLY, "Partly"),
        ("countries-wholly", style.WHOLLY, "Country in range"),
    ):
        if name in layers and layers[name].size:
            r = _fill(p, layers[name], name, colour)
            items.insert(0, LegendItem(label=text, renderers=[r]))
    _fill(p, layers["lakes"], "lakes", style.SEA)
    if "graticule" in layers:
        _lines(p, layers["graticule"], "graticule", line_color=style.GRATICULE, line_width=0.6)
    _lines(p, layers["borders"], "borders", line_color=style.BORDER, line_width=0.7)
    _lines(p, layers["coastline"], "coastline", line_color=style.COAST, line_width=0.8)
    return items


def _neatline(p: Figure, scene: Scene) -> None:
    _lines(p, scene.layers["sea"], "neatline", line_color=style.NEATLINE, line_width=1.0)


# --------------------------------------------------------------------------
# bands, rings, radials


def _band(p: Figure, band: BandScene, index: int) -> tuple[GlyphRenderer, list[GlyphRenderer]]:
    """A band's fill (it carries the hover) and its visible rings."""
    from bokeh.models import ColumnDataSource

    xs, ys = multi_polygons([band.fill], dtype=np.float64)
    data = {
        "xs": xs,
        "ys": ys,
        "label": [band.label],
        "system": [band.system],
        "range_text": [band.range_text],
        "claimant": [band.claimant],
        "source": [band.source],
        "sites": [band.sites],
    }
    fill = p.multi_polygons(
        "xs",
        "ys",
        source=ColumnDataSource(data, name=f"band-fill-{index}"),
        fill_color=band.fill_colour,
        fill_alpha=band.fill_alpha,
        line_color=None,
        hover_fill_alpha=min(1.0, band.fill_alpha + 0.12),
        hover_line_color=None,
    )
    outlines = []
    for k, (radius, lines) in enumerate(band.outlines):
        x, y = nan_lines([lines], dtype=np.float64)
        source = ColumnDataSource({"x": x, "y": y}, name=f"band-outline-{index}-{k}")
        source.tags = [{"radius_km": None if not np.isfinite(radius) else float(radius)}]
        outlines.append(
            p.line(
                "x",
                "y",
                source=source,
                line_color=band.colour,
                line_width=2.2,
                line_dash=_DASH.get(band.linestyle, "solid"),
                line_join="round",
                line_cap="round",
            )
        )
    return fill, outlines


def _extras(p: Figure, scene: Scene, label_renderers: list[GlyphRenderer]) -> list[Any]:
    """Distance rings, isochrones and radials, thin and dashed, as on the static map."""
    from bokeh.models.annotations import LegendItem

    items = []
    if scene.rings:
        renderers = [
            _lines(
                p,
                [lines],
                f"ring-{radius:g}",
                line_color=style.EXTRA,
                line_width=0.8,
                line_dash=[4, 3],
            )
            for radius, lines in scene.rings
        ]
        step = scene.rings[0][0]
        items.append(LegendItem(label=f"Every {step:,.0f} km", renderers=renderers))
    if scene.isochrones:
        renderers = [
            _lines(
                p,
                [lines],
                f"isochrone-{minutes:g}",
                line_color=style.ISOCHRONE,
                line_width=1.2,
                line_dash=[2, 3],
            )
            for minutes, lines in scene.isochrones
        ]
        words = ", ".join(f"{m:g}" for m, _ in scene.isochrones)
        spots = _spot_labels(p, scene.isochrone_labels, style.ISOCHRONE, "isochrone-labels")
        label_renderers.extend(spots[1::2])
        renderers += spots
        items.append(LegendItem(label=f"Ballistic flight: {words} min", renderers=renderers))
    if scene.radials is not None and not scene.radials.is_empty:
        _lines(
            p, [scene.radials], "radials", line_color=style.EXTRA, line_width=0.8, line_dash=[1, 2]
        )
    return items


def _ring_labels(p: Figure, band: BandScene) -> list[GlyphRenderer]:
    """Each ring's radius written along it, in the band's colour (halo, then text)."""
    colour = "#{:02x}{:02x}{:02x}".format(*(round(255 * c) for c in style.darker(band.colour)))
    return _spot_labels(p, band.ring_labels, colour, f"ring-labels-{band.label[:40]}")


def _spot_labels(p: Figure, spots: dict[str, list[Any]], colour: str, name: str) -> list[Any]:
    """Words written along rings at candidate spots, one per ring (halo, then text)."""
    from bokeh.models import ColumnDataSource

    n = len(spots["x"])
    if n == 0:
        return []
    data = {
        **spots,
        "priority": [-500.0] * n,
        "shown": [""] * n,
        "dx": [0.0] * n,
        "dy": [0.0] * n,
        "align": ["center"] * n,
    }
    source = ColumnDataSource(data, name=name)
    halo, text = _labels(p, source, colour, bold=True, size=13, dot=0.0, angle=True)
    text.tags = [{**text.tags[0], "ring": True}]
    return [halo, text]


# --------------------------------------------------------------------------
# places and labels


def _place_source(scene: Scene, mask: np.ndarray, name: str, table: Any = None) -> Any:
    from bokeh.models import ColumnDataSource

    rows = (table or scene.places).rows(mask)
    n = len(rows["name"])
    status = rows["status"]
    rows["status_text"] = [STATUSES[s] if s >= 0 else "launch site" for s in status]
    rows["shown"] = [""] * n  # the labels that fit, set by declutter.js
    rows["dx"] = [0.0] * n
    rows["dy"] = [0.0] * n
    rows["align"] = ["left"] * n
    return ColumnDataSource(rows, name=name)


def _places(
    p: Figure, scene: Scene, label_renderers: list[GlyphRenderer], hovered: list[GlyphRenderer]
) -> list[Any]:
    """Sites and targets, then capitals by status, each with its labels; their key entries."""
    from bokeh.models.annotations import LegendItem

    items: list[Any] = []
    sites = scene.sites
    kinds = np.array(sites.kind, dtype=object)
    for prefix, marker, words, colours in (
        ("Launch site", "triangle", "Launch site", (style.TEXT, "white")),
        ("Target", "circle", "Target", ("white", style.TEXT)),
    ):
        mask = np.array([str(k).startswith(prefix) for k in kinds], dtype=bool)
        if not mask.any():
            continue
        source = _place_source(scene, mask, f"sites-{marker}", sites)
        dots = p.scatter(
            "x",
            "y",
            source=source,
            marker=marker,
            size=15 if marker == "triangle" else 12,
            fill_color=colours[0],
            line_color=colours[1] if marker == "triangle" else style.TEXT,
            line_width=1.2 if marker == "triangle" else 2.4,
        )
        hovered.append(dots)
        halo, text = _labels(p, source, style.TEXT, bold=True, size=15, dot=7.0)
        label_renderers.append(text)
        drawn: list[Any] = [dots, halo, text]
        items.append(LegendItem(label=words, renderers=drawn))
    status = np.array(scene.places.status, dtype=int)
    hollow = 1
    place_dots = []
    for s, words in scene.statuses:
        mask = status == s
        if not mask.any():
            continue
        colour = style.STATUS_COLOURS[s]
        source = _place_source(scene, mask, f"places-{STATUSES[s].replace(' ', '-')}")
        dots = p.scatter(
            "x",
            "y",
            source=source,
            size=8,
            fill_color="white" if s == hollow else colour,
            line_color=colour if s == hollow else "white",
            line_width=2.0 if s == hollow else 0.8,
            hover_fill_color=colour,
            hover_line_color=style.TEXT,
        )
        halo, text = _labels(p, source, colour, bold=False, size=12, dot=4.0)
        label_renderers.append(text)
        place_dots.append(dots)
        shown: list[Any] = [dots, halo, text]
        items.append(LegendItem(label=words, renderers=shown))
    hovered.extend(place_dots)
    return items


def _labels(
    p: Figure, source: Any, colour: Any, *, bold: bool, size: int, dot: float, angle: bool = False
) -> tuple[GlyphRenderer, GlyphRenderer]:
    """A source's labels: a white halo under the text (as on the static map), then the text."""
    from bokeh.core.properties import value
    from bokeh.models import Text

    common: dict[str, Any] = {
        "x": "x",
        "y": "y",
        "text": "shown",
        "x_offset": "dx",
        "y_offset": "dy",
        "text_align": "align",
        "text_baseline": "middle",
        "text_font": value(LABEL_FONT),
        "text_font_size": f"{size}px",
        "text_font_style": "bold" if bold else "normal",
    }
    if angle:
        common["angle"] = "angle"
    halo = p.add_glyph(
        source,
        # the halo's width and round joins are set by the page (page.py): Bokeh before
        # 3.9 has no text_outline_width
        Text(**common, text_color="white", text_outline_color="white"),
    )
    text = p.add_glyph(source, Text(**common, text_color=colour))
    font = f"{'bold ' if bold else ''}{size}px {LABEL_FONT}"
    text.tags = [{"font": font, "size": size, "dot": dot}]
    return halo, text


def _hover(p: Figure, bands: list[GlyphRenderer], places: list[GlyphRenderer]) -> None:
    """One tooltip (``tooltip.js``): the place under the pointer, else the bands under it."""
    from bokeh.models import CustomJS, HoverTool

    code = resources.files("rangeviz.html").joinpath("tooltip.js").read_text(encoding="utf-8")
    callback = CustomJS(args={"bands": bands, "places": places}, code=code)
    p.add_tools(
        HoverTool(renderers=[*bands, *places], tooltips=None, callback=callback, name="hover")
    )


def _declutter(p: Figure, renderers: list[GlyphRenderer], leaders: Any) -> Any:
    """Label again after every zoom, pan or click on the key: those that fit, by priority.

    Returns the callback, for the document to run when the page opens.
    """
    from bokeh.models import CustomJS

    code = resources.files("rangeviz.html").joinpath("declutter.js").read_text(encoding="utf-8")
    fonts = json.dumps([r.tags[0] for r in renderers])
    callback = CustomJS(
        args={
            "plot": p,
            "renderers": renderers,
            "leaders": leaders,
            "width": p.frame_width,
            "height": p.frame_height,
        },
        code=f"const fonts = {fonts};\n{code}",
    )
    for attr in ("start", "end"):
        p.x_range.js_on_change(attr, callback)
        p.y_range.js_on_change(attr, callback)
    for r in renderers:
        r.js_on_change("visible", callback)
    return callback
