"""The one drawing pipeline: a resolved map and its geometry onto a page or an Axes.

:func:`draw` is what :func:`rangeviz.plot_bands`, :func:`rangeviz.plot_map`
and :meth:`rangeviz.Scenario.plot` all end in. It never resolves names or
checks options (the model did), never recomputes bands (the geometry did),
and on a caller's Axes never moves or resizes it. In order:

1. the places the map is about, with their status from exact distances;
2. the page: title block, key, small print (on a figure rangeviz makes);
3. the frame, cropped to the page where the bands are far from its shape;
4. basemap, country shading, bands, rings;
5. dots and labels by priority, then the notes for what the crop or the
   room left out, and the locator globe when a band is cropped.
"""

from __future__ import annotations

import warnings
import weakref
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely

from rangeviz import maps
from rangeviz.errors import InputError
from rangeviz.plot import bands, basemap, capitals, key, labels, layout, marks, page, style, titles

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from rangeviz.geometry import MapGeometry
    from rangeviz.maps import MapFrame
    from rangeviz.model import MapSpec

__all__ = ["draw", "frame_of", "metadata_of"]

_MAX_SMALL_LINES = 8

# what each drawn Axes shows and each page says; no state is kept on the caller's objects
_FRAMES: weakref.WeakKeyDictionary[Axes, MapFrame] = weakref.WeakKeyDictionary()
_METADATA: weakref.WeakKeyDictionary[Figure, dict[str, str]] = weakref.WeakKeyDictionary()


def frame_of(ax: Axes) -> MapFrame:
    """The :class:`~rangeviz.maps.MapFrame` (CRS, limits, region) of a drawn map.

    Use it to add your own data in the map's projection:
    ``frame_of(ax).project_points(lon, lat)``.

    Raises
    ------
    InputError
        If rangeviz drew no map on ``ax``.
    """
    try:
        return _FRAMES[ax]
    except (KeyError, TypeError):
        raise InputError(
            "this Axes holds no rangeviz map; draw one with plot_bands or plot_map"
        ) from None


def metadata_of(fig: Any) -> dict[str, str]:
    """The title, subject and references of a page rangeviz drew ({} for others)."""
    try:
        return dict(_METADATA.get(fig, {}))
    except TypeError:
        return {}


def draw(spec: MapSpec, geometry: MapGeometry, ax: Axes | None = None) -> Axes:
    """Draw a resolved map onto ``ax`` (a new page of the options' size if None)."""
    options = spec.options
    fig, ax, owned = layout.figure_and_axes(ax, options)
    import matplotlib

    rc = {**style.UNHINTED}
    if options.font:
        rc["font.family"] = [options.font, "DejaVu Sans"]
    with matplotlib.rc_context(rc):  # type: ignore[arg-type]
        if not owned:
            _draw(spec, geometry, fig, ax, owned)
            return ax
        # a page is laid out again, once, when its small print needs more lines
        with warnings.catch_warnings(record=True) as said:
            warnings.simplefilter("always")
            needed = _draw(spec, geometry, fig, ax, owned)
        if needed:
            fig.clear()
            ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
            _draw(spec, geometry, fig, ax, owned, small_lines=needed)
        else:
            for w in said:
                warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    fig.set_dpi(options.dpi)
    return ax


def _draw(
    spec: MapSpec,
    geometry: MapGeometry,
    fig: Figure,
    ax: Axes,
    owned: bool,
    small_lines: int | None = None,
) -> int:
    """Draw everything; on a page, returns the small print's lines if it needs more room
    than was reserved (0 when done)."""
    options = spec.options
    caps = capitals.capitals(geometry)
    headline = spec.title
    subject = titles.standfirst(spec, capitals.findings(spec, caps))
    statuses = set(np.unique(caps.status).tolist()) if options.labels == "capitals" else set()
    if spec.places:
        lon, lat = [p.lon for p in spec.places], [p.lat for p in spec.places]
        statuses |= set(np.unique(geometry.statuses(np.array(lon), np.array(lat))).tolist())
    handles = key.key_handles(ax, spec, statuses)
    final = small_lines is not None
    if owned and small_lines is None:
        provisional = titles.small_print(spec, None, marks.site_key(spec, spec.points))
        small_lines = page.small_print_lines(fig, provisional)
    small_lines = small_lines or 1
    if owned:
        page.title_block(fig, ax, headline, subject, handles if options.legend else [], small_lines)
    # the places the map is about: the crop keeps as many as it can
    must = caps.status <= 1
    focus = [(s.lon, s.lat) for s in (*spec.places,)]
    focus += list(zip(caps.lon[must], caps.lat[must], strict=True))
    frame = maps.make_frame(
        options.projection,
        extent=options.extent,
        sites=[(s.lon, s.lat) for s in spec.points],
        fit=[g.union for g in geometry.layers],
        aspect=layout.axes_aspect(ax),
        crop=True,
        focus=focus,
        reach_km=spec.reach_km,
    )
    if options.extent is None:
        maps.check_shown(frame, spec.points)
    layout.setup_axes(ax, frame, anchor="C" if owned else "W")
    if not owned:
        titles.above_axes(ax, headline, subject)
    scale = basemap.scale_for(frame)
    simplify = layout.pixel_size(ax, frame) * 0.5
    basemap.draw_basemap(ax, frame, scale, simplify, options.graticule)
    if options.highlight == "countries":
        basemap.draw_countries(ax, frame, scale, simplify, geometry.reach)
    drawn = _draw_bands(ax, frame, spec, geometry)
    if options.radials:
        bands.draw_radials(ax, frame, spec.sites, options.radials, spec.reach_km)
    rings = (
        bands.draw_distance_rings(ax, frame, spec.sites, options.rings_km, spec.layers)
        if options.rings_km
        else []
    )
    if options.minutes and spec.sites:
        rings += [
            (-m, lines)  # negative: minutes, not kilometres (labelled "10 min")
            for m, lines in bands.draw_isochrones(ax, frame, spec.sites, options.minutes)
        ]
    placer = labels.Placer(ax, frame)
    if not owned and options.legend:
        legend = page.key_inside(ax, handles, frame, caps, geometry)
        placer.add(legend.get_window_extent(placer.renderer))
    cropped = _cropped(frame, geometry)
    globe = cropped and owned and page.globe(fig, ax, placer, geometry, frame, caps)
    extra: list[str] = []
    marks.draw_places(ax, placer, frame, spec, geometry, caps, drawn, rings, extra, globe)
    needed = 0
    if owned:
        # at most 8 lines: beyond that, what the drawing added is given up from the last
        final = final or small_lines >= _MAX_SMALL_LINES
        needed = page.small_print(fig, ax, spec, frame, extra, small_lines, final=final)
        _METADATA[fig] = titles.metadata(spec, headline, subject)
    else:
        page.source_under(ax, titles.small_print(spec, frame, extra))
    _FRAMES[ax] = frame
    return min(needed, _MAX_SMALL_LINES)


# --------------------------------------------------------------------------
# the bands


def _draw_bands(ax: Axes, frame: MapFrame, spec: MapSpec, geometry: MapGeometry) -> dict[int, Any]:
    """One light fill (the band's colour alone, a neutral tint under several), outlines on top."""
    order = sorted(range(len(spec.layers)), key=lambda i: -spec.layers[i].outer_km)
    single = len(spec.layers) == 1
    if not single:
        bands.draw_fill(
            ax,
            frame,
            geometry.reach,
            style.NEUTRAL_FILL,
            style.fill_alpha(style.NEUTRAL_FILL),
            geometry.tolerance_km,
            zorder=3,
        )
    drawn = {}
    for rank, i in enumerate(order):
        geo = geometry.layers[i]
        colour = geo.layer.color or style.TEXT
        fill = (colour, style.fill_alpha(colour)) if single else None
        drawn[i] = bands.draw_band(ax, frame, geo, zorder=3 + 0.01 * rank, fill=fill)
    return drawn


def _cropped(frame: MapFrame, geometry: MapGeometry) -> bool:
    """Whether some band's edge leaves the map (or the map cannot show a pole it holds)."""
    for geo in geometry.layers:
        for _, outline in geo.outlines:
            xy = shapely.get_coordinates(shapely.segmentize(outline, 2.0))
            if len(xy) == 0:
                continue
            x, y = frame.project_points(xy[:, 0], xy[:, 1])
            if not frame.contains_xy(x, y).all():
                return True
    return False
