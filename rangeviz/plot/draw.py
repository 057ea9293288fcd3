"""The one drawing pipeline: a resolved map and its geometry onto an Axes.

:func:`draw` is what :func:`rangeviz.plot_bands`, :func:`rangeviz.plot_map`
and :meth:`rangeviz.Scenario.plot` all end in. It never resolves names or
checks options (the model did), never recomputes bands (the geometry did),
and on a caller's Axes never moves or resizes it.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING

import numpy as np

from rangeviz import maps
from rangeviz._text import km
from rangeviz.errors import InputError
from rangeviz.plot import bands, basemap, labels, layout, legend, style, titles

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from rangeviz.geometry import MapGeometry
    from rangeviz.maps import MapFrame
    from rangeviz.model import MapSpec, Site

__all__ = ["draw", "frame_of"]

# the frame each drawn Axes shows; no state is kept on the caller's objects
_FRAMES: weakref.WeakKeyDictionary[Axes, MapFrame] = weakref.WeakKeyDictionary()


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


def draw(spec: MapSpec, geometry: MapGeometry, ax: Axes | None = None) -> Axes:
    """Draw a resolved map onto ``ax`` (a new figure of the options' size if None)."""
    options = spec.options
    _, ax, owned = layout.figure_and_axes(ax, options)
    aspect = layout.axes_aspect(ax)
    frame = maps.make_frame(
        options.projection,
        extent=options.extent,
        sites=[(s.lon, s.lat) for s in spec.points],
        fit=[g.union for g in geometry.layers],
        aspect=aspect,
    )
    if options.extent is None:
        _check_all_shown(frame, spec.points)
    # a map much narrower than the slide (a band round the pole can only be
    # so wide) takes the full height, with title and legend in a side panel
    side = owned and frame.width / frame.height < 0.8 * aspect
    if side:
        layout.side_layout(ax, frame)
    # a map smaller than its slot sits under the title (portrait pages), centred
    layout.setup_axes(ax, frame, anchor="N" if owned else "W")
    legend_y = titles.draw_titles(ax, spec, frame, side=side, owned=owned)
    line = titles.source_line(spec)
    if owned and not side:  # keep title and source on the page (never the caller's Axes)
        layout.fit_under_titles(ax)
        layout.fit_over_source(ax, titles.source_lines(ax, line).count("\n") + 1)
    scale = basemap.scale_for(frame)
    simplify = layout.pixel_size(ax, frame) * 0.5
    basemap.draw_basemap(ax, frame, scale, simplify, options.graticule)
    if options.highlight == "countries":
        basemap.draw_countries(ax, frame, scale, simplify, geometry.reach)

    # bands: largest first so small ones stay on top
    order = sorted(range(len(spec.layers)), key=lambda i: -spec.layers[i].outer_km)
    drawn = {}
    for rank, i in enumerate(order):
        drawn[i] = bands.draw_band(ax, frame, geometry.layers[i], zorder=3 + 0.01 * rank)
    if options.radials:
        bands.draw_radials(ax, frame, spec.sites, options.radials, spec.reach_km)
    rings = (
        bands.draw_distance_rings(ax, frame, spec.sites, options.rings_km, spec.layers)
        if options.rings_km
        else []
    )

    placer = labels.Placer(ax, frame)
    labels.draw_sites(ax, frame, spec.sites, placer)
    labels.draw_sites(ax, frame, spec.targets, placer, target=True)
    below = None
    if options.legend:
        below = legend.draw_legend(
            ax, spec, panel_y=legend_y, below_ok=owned and not side, owned=owned
        )
        placer.block_legend()
    titles.draw_source(ax, line, side=side, under=below, owned=owned)
    capitals = None
    if options.labels == "capitals":
        capitals = labels.capitals_in_view(frame, scale)
        # ring labels keep off the capitals' dots (their names can move)
        for cx, cy in zip(capitals.x, capitals.y, strict=True):
            placer.reserve(labels.marker_box(ax, cx, cy, 2.5))
    labelled: set[tuple[float, tuple[tuple[float, float], ...]]] = set()
    for i in order:
        layer = spec.layers[i]
        labels.label_rings(
            ax,
            frame,
            layer.sites or (),
            layer.outer_km,
            layer.color or style.TEXT,
            drawn[i],
            placer,
            labelled,
        )
    if rings and spec.sites:
        sx, sy = frame.project_points([spec.sites[0].lon], [spec.sites[0].lat])
        centre = ax.transData.transform((sx[0], sy[0])) if np.isfinite(sx[0]) else None
        for radius, lines in rings:
            labels.label_one_ring(
                ax,
                lines,
                f"{km(radius)} km",
                style.MUTED,
                centre,
                placer,
                fontsize=7.5,
                weight="normal",
                bearing=-60.0,
            )
    if capitals is not None:
        statuses = geometry.statuses(capitals.lon, capitals.lat)
        labels.draw_capitals(ax, capitals, placer, statuses)
    _FRAMES[ax] = frame
    return ax


def _check_all_shown(frame: MapFrame, points: tuple[Site, ...]) -> None:
    """A fitted map must show every site; say which it cannot, and what to do."""
    if not points:
        return
    x, y = frame.project_points([s.lon for s in points], [s.lat for s in points])
    ok = np.isfinite(x) & np.isfinite(y)
    ok[ok] = frame.contains_xy(x[ok], y[ok])
    missing = [s.name for s, shown in zip(points, ok, strict=True) if not shown]
    if missing:
        raise InputError(
            f"site(s) {', '.join(missing)} lie beyond what the {frame.name} map can show "
            "(about a hemisphere); choose --projection polar or another CRS, "
            "draw them on separate maps, or give --extent to crop them out on purpose"
        )
