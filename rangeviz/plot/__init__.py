"""Draw range bands over a quiet basemap: the only package that imports matplotlib.

matplotlib is imported inside the functions, so importing rangeviz (or asking
the command line for ``--help``) stays fast.

:func:`plot_bands` draws one band (the INF Treaty's 500–5,500 km by default)
or one band per system round some sites; :func:`plot_map` draws any list of
:class:`~rangeviz.model.BandLayer`; :func:`save_figure` writes PNG, SVG or PDF
atomically; :func:`frame_of` gives a drawn map's projection and limits.

Each entry point resolves its input once into the model
(:class:`~rangeviz.model.MapSpec`), computes the geometry once
(:class:`~rangeviz.geometry.MapGeometry`) and hands both to one pipeline,
:func:`rangeviz.plot.draw.draw`. The rooms:

========================  ===================================================
:mod:`~.plot.layout`      the page: figure, where the map sits, room for text
:mod:`~.plot.basemap`     sea, land, borders, graticule, country shading
:mod:`~.plot.bands`       band fills and outlines, radials, distance rings
:mod:`~.plot.labels`      sites, capitals and ring radii, never overlapping
:mod:`~.plot.legend`      the key
:mod:`~.plot.titles`      title, subtitle, source line
:mod:`~.plot.paths`       shapely geometries as matplotlib paths
:mod:`~.plot.style`       colours, type and markers
:mod:`~.plot.output`      PNG, SVG and PDF files, atomically
========================  ===================================================
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rangeviz import _checks
from rangeviz.errors import InputError
from rangeviz.model import PALETTE, SIZES, BandLayer, MapOptions, MapSpec
from rangeviz.plot.draw import frame_of
from rangeviz.plot.output import FORMATS as FIGURE_FORMATS
from rangeviz.plot.output import save_figure

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "BandLayer",
    "FORMATS",
    "PALETTE",
    "SIZES",
    "frame_of",
    "plot_bands",
    "plot_map",
    "plot_spec",
    "save_figure",
    "to_html",
]

#: A map's output extensions: a figure (PNG, SVG, PDF) or an interactive page (HTML).
FORMATS = {**FIGURE_FORMATS, ".html": "html"}


def to_html(source: Any, path: Any, *, geometry: Any = None) -> Any:
    """Write a map as one offline, interactive HTML file; see :func:`rangeviz.html.to_html`."""
    from rangeviz.html import to_html as write

    return write(source, path, geometry=geometry)


def plot_bands(
    sites: Any,
    *,
    inner_km: float = 500.0,
    outer_km: float = 5500.0,
    systems: Sequence[Any] | None = None,
    ax: Axes | None = None,
    projection: Any = "auto",
    extent: Any = None,
    title: str | None = None,
    subtitle: str | None = None,
    labels: str | None = None,
    highlight: str | None = None,
    rings_km: float | None = None,
    radials: int | None = None,
    size: str | tuple[float, float] = "slide",
    dpi: int = 200,
    tolerance_km: float = 0.1,
    legend: bool = True,
    graticule: bool = True,
    source: str | None = None,
    places: Any = None,
    distances: bool = False,
    rename: Any = (),
    font: str | None = None,
    minutes: Any = (),
    flight_times: bool = False,
) -> Axes:
    """Draw the band between two radii round launch sites on a map.

    Parameters
    ----------
    sites : str, sequence or GeoDataFrame
        Launch sites: place names and coordinate text (see
        :func:`rangeviz.resolve_site`), :class:`~rangeviz.Site` objects,
        ``(lon, lat)`` pairs, or a GeoSeries/GeoDataFrame of points; several
        sites draw the union of their bands.
    inner_km, outer_km : float, default 500, 5500
        Geodesic radii in km (the INF Treaty band by default).
    systems : sequence of str or System, optional
        One band per system -- catalog names or aliases (``"SSC-8"``) or
        :class:`~rangeviz.System` objects -- each in its own palette colour;
        replaces ``inner_km``/``outer_km``. The bands are those the command
        line's ``--system`` draws.
    ax : matplotlib Axes, optional
        Draw into this Axes (it is never moved); by default a new figure of
        ``size``.
    projection : str or CRS, default "auto"
        ``"auto"`` (``"europe"`` for sites in and around Europe, else
        ``"aeqd"``), ``"europe"`` (EPSG:3035), ``"aeqd"`` (centred on the
        first site), ``"polar"`` (north polar LAEA) or any CRS pyproj accepts.
    extent : None, str or (lon_min, lat_min, lon_max, lat_max)
        None or ``"fit"`` fits the bands and sites; ``"europe"`` or
        ``"wide"``; or a box.
    title, subtitle : str, optional
        None writes a default; ``""`` writes none.
    labels : {None, "capitals"}
        Also label the capitals on the map (those that fit without colliding),
        coloured by status.
    highlight : {None, "countries"}
        Shade countries wholly / partly within range.
    rings_km : float, optional
        Thin labelled distance rings every ``rings_km`` km round each site.
    radials : int, optional
        That many geodesic radials from each site (e.g. 8).
    size : {"slide", "a4", "a4-portrait"} or (width, height) in inches
        Figure size when a new figure is made.
    dpi : int, default 200
        Figure resolution, as the command line's.
    tolerance_km : float, default 0.1
        How far drawn ring edges may stray from the true geodesic rings.
    legend : bool, default True
        Draw the legend.
    graticule : bool, default True
        Draw meridians and parallels (every 10° on large maps).
    source : str, optional
        The "Ranges: ..." part of the small print; by default the bands'
        sources by organisation.
    places : optional
        Places to highlight (names, Sites or ``(lon, lat)``): always named,
        with their distance from the nearest site ("Berlin 530 km").
    distances : bool, default False
        Write every named capital's distance too.
    rename : mapping, optional
        Labels to write otherwise, e.g. ``{"Kyiv": "Kiev"}`` for a map of 1983.
    font : str, optional
        An installed font family for every text of the map.
    minutes : sequence of float, optional
        Isochrones: rings at the ranges a ballistic missile covers in that
        many minutes of free flight (minimum energy), e.g. ``[5, 10, 15]``.
    flight_times : bool, default False
        Add each named place's minimum-energy flight time ("Berlin 528 km ·
        5.6 min").

    Returns
    -------
    matplotlib.axes.Axes
        :func:`frame_of` gives its projection and limits.

    Raises
    ------
    InputError, UnknownNameError
        For a bad site, band or option: the message names it and what is
        allowed.

    Examples
    --------
    >>> ax = plot_bands([(20.51, 54.71)], size=(8, 4.5), dpi=50)  # doctest: +SKIP
    """
    from rangeviz.systems import inf_band, resolve_band, resolve_bands

    if systems is not None:
        systems = [systems] if isinstance(systems, str) else list(systems)
        if not systems:
            raise InputError("systems is empty: give at least one system, or None")
        bands = resolve_bands(systems, "systems")
    elif (inner_km, outer_km) == (500.0, 5500.0):
        bands = (inf_band(),)
    else:
        bands = (resolve_band((inner_km, outer_km), "inner_km/outer_km"),)
    return plot_map(
        list(bands),
        sites=sites,
        ax=ax,
        projection=projection,
        extent=extent,
        title=title,
        subtitle=subtitle,
        labels=labels,
        highlight=highlight,
        rings_km=rings_km,
        radials=radials,
        size=size,
        dpi=dpi,
        tolerance_km=tolerance_km,
        legend=legend,
        graticule=graticule,
        source=source,
        places=places,
        distances=distances,
        rename=rename,
        font=font,
        minutes=minutes,
        flight_times=flight_times,
    )


def plot_map(
    layers: Sequence[Any],
    *,
    sites: Any = None,
    targets: Any = None,
    ax: Axes | None = None,
    projection: Any = "auto",
    extent: Any = None,
    title: str | None = None,
    subtitle: str | None = None,
    labels: str | None = None,
    highlight: str | None = None,
    rings_km: float | None = None,
    radials: int | None = None,
    size: str | tuple[float, float] = "slide",
    dpi: int = 200,
    tolerance_km: float = 0.1,
    legend: bool = True,
    graticule: bool = True,
    source: str | None = None,
    places: Any = None,
    distances: bool = False,
    rename: Any = (),
    font: str | None = None,
    minutes: Any = (),
    flight_times: bool = False,
) -> Axes:
    """Draw several bands (one :class:`~rangeviz.model.BandLayer` each) on one map.

    Parameters
    ----------
    layers : sequence of BandLayer or Band
        Drawn largest first, so smaller bands stay on top; the legend keeps
        the given order. Layers without colours take the palette in order; a
        plain :class:`~rangeviz.model.Band` (or a layer without sites) is
        drawn round ``sites``.
    sites : optional
        Launch sites (as for :func:`plot_bands`) of the layers that have none;
        drawn as launch-site markers.
    targets : optional
        Places drawn as targets rather than launch sites (target mode: the
        layers round them are launch areas).

    Other Parameters
    ----------------
    ax, projection, extent, title, subtitle, labels, highlight, rings_km, radials : optional
        As for :func:`plot_bands`.
    size, dpi, tolerance_km, legend, graticule, source, places, distances, rename, font : optional
        As for :func:`plot_bands`.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    InputError, UnknownNameError
        For a bad layer, site or option.
    """
    from rangeviz.model import Band
    from rangeviz.sites import resolve_sites

    options = MapOptions(
        projection=projection,
        extent=extent,
        size=size,
        dpi=dpi,
        labels=labels,
        highlight=highlight,
        rings_km=rings_km,
        radials=radials,
        title=title,
        subtitle=subtitle,
        source=source,
        legend=legend,
        graticule=graticule,
        tolerance_km=tolerance_km,
        distances=distances,
        rename=rename,
        font=font,
        minutes=minutes,
        flight_times=flight_times,
    )
    if isinstance(layers, (str, bytes)) or not isinstance(layers, Sequence):
        raise InputError("layers must be a non-empty list of BandLayer")
    resolved = []
    for layer in layers:
        if isinstance(layer, Band) and not isinstance(layer, BandLayer):
            layer = layer.around(None)
        resolved.append(layer)
    spec = MapSpec(
        tuple(resolved),
        sites=resolve_sites(sites, "sites", empty=True),
        targets=resolve_sites(targets, "targets", empty=True),
        options=options,
        places=resolve_sites(places, "places", empty=True),
    )
    return plot_spec(spec, ax=ax)


def plot_spec(spec: MapSpec, *, ax: Axes | None = None, geometry: Any = None) -> Axes:
    """Draw a resolved :class:`~rangeviz.model.MapSpec` (and its geometry, if computed)."""
    from rangeviz.geometry import MapGeometry
    from rangeviz.plot.draw import draw

    if not isinstance(spec, MapSpec):
        raise InputError(f"spec {_checks.show(spec)} must be a MapSpec")
    if ax is not None:
        from matplotlib.axes import Axes as MplAxes

        if not isinstance(ax, MplAxes):
            raise InputError(f"ax {_checks.show(ax)} is not a matplotlib Axes")
    return draw(spec, geometry if geometry is not None else MapGeometry(spec), ax)
