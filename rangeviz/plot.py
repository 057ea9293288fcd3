"""Draw range bands over a quiet basemap: the only module that imports matplotlib.

matplotlib is imported inside the functions, so importing rangeviz (or asking
the command line for ``--help``) stays fast.

:func:`plot_bands` draws one band (the INF Treaty's 500–5,500 km by default)
or one band per system round some sites; :func:`plot_map` draws any list of
:class:`BandLayer` (what a command line with several ``--system`` or a
scenario file needs); :func:`save_figure` writes PNG, SVG or PDF atomically.

How the drawing stays correct (the reasons are in :mod:`rangeviz.maps`):
band fills are projected, densified and made valid, and drawn *without* an
edge (their boundary holds ±180 seam and pole lines); the crisp outlines are
the rings from :func:`rangeviz.geodesic.ring`, which hold no such lines.
"""

from __future__ import annotations

import math
import os
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely

from rangeviz import geodesic, maps
from rangeviz.errors import InputError, OutputError
from rangeviz.maps import GEOD, MapFrame, choose_scale, lookup, make_frame
from rangeviz.model import as_sites

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.path import Path as MplPath

__all__ = [  # noqa: RUF022 (plain sorted order, as tests/test_api.py checks)
    "BandLayer",
    "PALETTE",
    "SIZES",
    "plot_bands",
    "plot_map",
    "plot_scenario",
    "save_figure",
    "save_scenario",
]

#: Okabe–Ito colours (colour-blind safe), in the order bands get them.
PALETTE: tuple[str, ...] = (
    "#D55E00",  # vermillion
    "#0072B2",  # blue
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#000000",  # black
)

#: Figure sizes in inches: a 16:9 slide and A4 (landscape; portrait too).
SIZES: dict[str, tuple[float, float]] = {
    "slide": (13.333, 7.5),
    "a4": (11.69, 8.27),
    "a4-portrait": (8.27, 11.69),
}

_FORMATS = {".pdf": "pdf", ".png": "png", ".svg": "svg"}

# quiet basemap colours
_SEA = "#e4edf2"
_LAND = "#f4f2ec"
_COAST = "#8aa3b3"
_BORDER = "#a3a3a3"
_GRATICULE = "#c3d1da"
_NEATLINE = "#6b7f8c"
_TEXT = "#222222"
_MUTED = "#5f6b73"
_FILL_ALPHA = 0.22
_WHOLLY = "#c8b08c"  # countries wholly within range (with highlight="countries")
_PARTLY = "#e6ddcc"  # partly within range
_IN_RANGE = "#7a1f00"  # capital dots within range
_TOO_CLOSE = "#0b5d8f"  # capital dots inside an inner ring only
_EXTRA = "#4d5a62"  # distance rings and radials
_INF = (500.0, 5500.0)
_MAX_RING_SITES = 20  # more sites: outline the union, not each ring
_MIN_FREE_IN = 2.3  # width (in) beside a map that holds the legend
_PANEL_GAP_IN = 0.45  # between a narrow map and its side panel
_SIDE_IN = 0.3  # figure margin (in) left, right, above and below a side-panel map


# --------------------------------------------------------------------------
# what to draw


@dataclass(frozen=True)
class BandLayer:
    """One range band on a map: a system, or a plain pair of radii.

    Parameters
    ----------
    label : str
        Legend name, e.g. ``"INF Treaty band"`` or a system's name; the radii
        are appended ("INF Treaty band 500–5,500 km").
    inner_km, outer_km : float
        Geodesic radii, ``0 <= inner_km < outer_km``.
    sites : optional
        Launch sites of this band (anything :func:`rangeviz.bands` accepts);
        None uses the map's sites.
    sources : tuple of str
        Where the ranges come from, for the source line.
    color : str, optional
        Any matplotlib colour; None takes the next palette colour.
    linestyle : str, default "solid"
        Outline style (matplotlib); launch areas round targets are dashed.
    note : str, optional
        The spread of published estimates, written under the map after the
        sources (e.g. 9M729: "Russia (Jan 2019): 480 km; ...").

    Examples
    --------
    >>> BandLayer("INF Treaty band", 500, 5500).legend_label
    'INF Treaty band 500–5,500 km'
    >>> BandLayer("Iskander-M", 0, 500).legend_label
    'Iskander-M up to 500 km'
    """

    label: str
    inner_km: float
    outer_km: float
    sites: Any = None
    sources: tuple[str, ...] = ()
    color: str | None = None
    linestyle: str = "solid"
    note: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.label, str) or not self.label.strip():
            raise InputError(f"band label {self.label!r} must be a non-empty string")
        for name in ("inner_km", "outer_km"):
            value = getattr(self, name)
            try:
                number = float(value)
            except (TypeError, ValueError):
                raise InputError(f"{name} {value!r} is not a number (kilometres)") from None
            if not math.isfinite(number) or number < 0:
                raise InputError(f"{name} {value!r} must be a finite number >= 0 (kilometres)")
            object.__setattr__(self, name, number)
        if self.inner_km >= self.outer_km:
            raise InputError(
                f"inner_km {self.inner_km!r} must be smaller than outer_km "
                f"{self.outer_km!r} (did you swap them?)"
            )
        sources = self.sources
        if isinstance(sources, str):
            sources = (sources,)
        object.__setattr__(self, "sources", tuple(str(s) for s in sources or ()))

    @classmethod
    def from_system(cls, system: Any, *, sites: Any = None, color: str | None = None) -> BandLayer:
        """A layer from a system-like object.

        It needs ``name`` and either ``band_km`` (``(inner, outer)``) or
        ``min_km``/``max_km`` (a missing ``min_km`` means 0); ``sources`` is
        optional.
        """
        try:
            name = system.name
            if getattr(system, "band_km", None) is not None:
                lo, hi = system.band_km
            else:
                lo, hi = system.min_km, system.max_km
        except AttributeError:
            raise InputError(
                f"system {system!r} has no name, min_km and max_km; give a rangeviz System"
            ) from None
        if hi is None:
            raise InputError(f"system {name!r} has no sourced maximum range (max_km is None)")
        lo = 0.0 if lo is None else lo
        return cls(
            str(name),
            lo,
            hi,
            sites=sites,
            sources=getattr(system, "sources", ()),
            color=color,
            note=getattr(system, "range_note", "") or "",
        )

    @property
    def legend_label(self) -> str:
        """The label with the radii, unless the label already gives them."""
        if self.label.rstrip().endswith("km"):
            return self.label
        if self.inner_km == 0:
            return f"{self.label} up to {_km(self.outer_km)} km"
        return f"{self.label} {_km(self.inner_km)}–{_km(self.outer_km)} km"


def _km(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _default_label(inner_km: float, outer_km: float) -> str:
    return "INF Treaty band" if (inner_km, outer_km) == _INF else "Range band"


# --------------------------------------------------------------------------
# public drawing functions


def plot_bands(
    sites: Any,
    *,
    inner_km: float = 500.0,
    outer_km: float = 5500.0,
    systems: Sequence[Any] | None = None,
    ax: Axes | None = None,
    projection: Any = "europe",
    extent: Any = None,
    title: str | None = None,
    subtitle: str | None = None,
    labels: str | None = None,
    highlight: str | None = None,
    rings_km: float | None = None,
    radials: int | None = None,
    size: str | tuple[float, float] = "slide",
    dpi: float = 150.0,
    tolerance_km: float = 0.1,
    legend: bool = True,
    graticule: bool = True,
    source: str | None = None,
) -> Axes:
    """Draw the band between two radii round launch sites on a map.

    Parameters
    ----------
    sites : iterable of (lon, lat) or Site, or GeoSeries/GeoDataFrame of points
        Launch sites: anything :func:`rangeviz.bands` accepts, or place names
        and coordinate text (see :func:`rangeviz.resolve_site`); several
        sites draw the union of their bands.
    inner_km, outer_km : float, default 500, 5500
        Geodesic radii in km (the INF Treaty band by default).
    systems : sequence of System-like, optional
        One band per system (objects with ``name``, ``min_km``, ``max_km``
        and ``sources``), each in its own palette colour; replaces
        ``inner_km``/``outer_km``.
    ax : matplotlib Axes, optional
        Draw into this Axes; by default a new figure of ``size``.
    projection : str or CRS, default "europe"
        ``"europe"`` (EPSG:3035), ``"aeqd"`` (centred on the first site),
        ``"polar"`` (north polar LAEA) or any CRS pyproj accepts.
    extent : None, str or (lon_min, lat_min, lon_max, lat_max)
        None fits the bands and sites; ``"europe"`` or ``"wide"``; or a box.
    title, subtitle : str, optional
        None writes a default; ``""`` writes none.
    labels : {None, "capitals"}
        Also label the capitals on the map (those that fit without colliding).
    highlight : {None, "countries"}
        Shade countries wholly / partly within range; capital labels then
        show whether each capital is in range.
    rings_km : float, optional
        Thin labelled distance rings every ``rings_km`` km round each site.
    radials : int, optional
        That many geodesic radials from each site (e.g. 8).
    size : {"slide", "a4", "a4-portrait"} or (width, height) in inches
        Figure size when a new figure is made.
    dpi : float, default 150
        Figure resolution (pass the output resolution to :func:`save_figure`).
    tolerance_km : float, default 0.1
        How far drawn ring edges may stray from the true geodesic rings.
    legend : bool, default True
        Draw the legend.
    graticule : bool, default True
        Draw meridians and parallels (every 10° on large maps).
    source : str, optional
        The "Ranges: ..." part of the source line; by default from the systems.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_bands([(20.51, 54.71)], size=(8, 4.5), dpi=50)  # doctest: +SKIP
    """
    if systems is not None:
        systems = list(systems)
        if not systems:
            raise InputError("systems is empty: give at least one system, or None")
        from rangeviz.systems import get_system

        layers = [
            BandLayer.from_system(get_system(s) if isinstance(s, str) else s) for s in systems
        ]
    else:
        layers = [BandLayer(_default_label(inner_km, outer_km), inner_km, outer_km)]
    return plot_map(
        layers,
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
    )


def plot_map(
    layers: Sequence[BandLayer],
    *,
    sites: Any = None,
    targets: Any = None,
    ax: Axes | None = None,
    projection: Any = "europe",
    extent: Any = None,
    title: str | None = None,
    subtitle: str | None = None,
    labels: str | None = None,
    highlight: str | None = None,
    rings_km: float | None = None,
    radials: int | None = None,
    size: str | tuple[float, float] = "slide",
    dpi: float = 150.0,
    tolerance_km: float = 0.1,
    legend: bool = True,
    graticule: bool = True,
    source: str | None = None,
) -> Axes:
    """Draw several bands (one :class:`BandLayer` each) on one map.

    Parameters
    ----------
    layers : sequence of BandLayer
        Drawn largest first, so smaller bands stay on top; the legend keeps
        the given order. Layers without colours take the palette in order.
    sites : optional
        Launch sites (anything :func:`rangeviz.bands` accepts) of the layers
        whose ``sites`` is None; drawn as launch-site markers.
    targets : optional
        Places drawn as targets rather than launch sites (target mode: the
        layers round them are launch areas).
    highlight : {None, "countries"}
        Shade countries wholly and partly within any band (and colour
        capital labels by whether they are in range).
    rings_km : float, optional
        Thin labelled distance rings every ``rings_km`` round each launch site.
    radials : int, optional
        That many geodesics from each launch site, evenly spaced in azimuth,
        out to the largest band radius.

    Other parameters are those of :func:`plot_bands`.

    Returns
    -------
    matplotlib.axes.Axes
    """
    layers = list(layers)
    if not layers or not all(isinstance(layer, BandLayer) for layer in layers):
        raise InputError("layers must be a non-empty list of BandLayer")
    if labels is not None:
        labels = lookup("labels", labels, ("capitals",), " or None")
    if highlight is not None:
        highlight = lookup("highlight", highlight, ("countries",), " or None")
    rings_km = _check_rings(rings_km, max(layer.outer_km for layer in layers))
    radials = _check_radials(radials)
    tol = _check_tolerance(tolerance_km)
    map_sites = _records(sites) if sites is not None else []
    target_recs = _records(targets) if targets is not None else []
    resolved: list[tuple[BandLayer, list[tuple[str, float, float]], str]] = []
    free_colours = iter([c for c in PALETTE if c not in {la.color for la in layers}])
    for layer in layers:
        if layer.sites is not None:
            recs = _records(layer.sites)
        elif map_sites:
            recs = map_sites
        else:
            raise InputError(f"band {layer.label!r} has no sites: pass sites=")
        colour = layer.color or next(free_colours, PALETTE[-1])
        resolved.append((layer, recs, colour))
    target_keys = {_key(r) for r in target_recs}
    launch_sites = _unique_sites(
        [r for r in map_sites + [r for _, recs, _ in resolved for r in recs]]
    )
    launch_sites = [r for r in launch_sites if _key(r) not in target_keys]
    target_recs = _unique_sites(target_recs)

    _, ax, owned = _figure_and_axes(ax, size, dpi)
    aspect = _axes_aspect(ax)
    # the bands (in lon/lat) decide the fitted extent
    half = tol / 2
    geoms = [
        geodesic.bands(
            [(lon, lat) for _, lon, lat in recs],
            inner_km=layer.inner_km,
            outer_km=layer.outer_km,
            dissolve=True,
            tolerance_km=half,
        ).geometry.iloc[0]
        for layer, recs, _ in resolved
    ]
    frame = make_frame(
        projection,
        extent=extent,
        sites=[(lon, lat) for _, lon, lat in launch_sites + target_recs],
        fit=geoms,
        aspect=aspect,
    )
    if extent is None or (isinstance(extent, str) and extent.strip().lower() == "fit"):
        _check_all_shown(frame, launch_sites + target_recs)
    # a map much narrower than the slide (a band round the pole can only be
    # so wide) takes the full height, with title and legend in a side panel
    side = owned and frame.width / frame.height < 0.8 * aspect
    if side:
        _side_layout(ax, frame)
    # a map smaller than its slot sits under the title (portrait pages), centred
    _setup_axes(ax, frame, anchor="N" if owned else "W")
    legend_y, source_line = _draw_titles(
        ax,
        resolved,
        launch_sites or target_recs,
        frame,
        title,
        subtitle,
        source,
        side=side,
        owned=owned,
    )
    if not side:  # on the caller's figure too: keep title and source on the page
        _fit_under_titles(ax)
        _fit_over_source(ax, source_line)
    scale = _scale_for(frame)
    simplify = _pixel_size(ax, frame) * 0.5
    _draw_basemap(ax, frame, scale, simplify, graticule)
    if highlight == "countries":
        _draw_countries(ax, frame, scale, simplify, shapely.union_all(geoms))

    # bands: largest first so small ones stay on top
    order = sorted(range(len(resolved)), key=lambda i: -resolved[i][0].outer_km)
    handles = {}
    for rank, i in enumerate(order):
        layer, recs, colour = resolved[i]
        handles[i] = _draw_band(
            ax, frame, layer, recs, geoms[i], colour, tol, zorder=3 + 0.01 * rank
        )
    reach_km = max(layer.outer_km for layer in layers)
    if radials:
        _draw_radials(ax, frame, launch_sites, radials, reach_km)
    distance_rings = (
        _draw_distance_rings(ax, frame, launch_sites, rings_km, reach_km, layers)
        if rings_km
        else []
    )

    placer = _Placer(ax, frame)
    _draw_sites(ax, frame, launch_sites, placer)
    _draw_sites(ax, frame, target_recs, placer, target=True)
    below = None
    if legend:
        below = _draw_legend(
            ax,
            [(resolved[i][0], resolved[i][2]) for i in range(len(resolved))],
            labels=labels,
            highlight=highlight,
            targets=bool(target_recs),
            launch_sites=bool(launch_sites),
            panel_y=legend_y,
            below_ok=owned and not side,
            owned=owned,
        )
        placer.block_legend()
    _draw_source(ax, source_line, side=side, under=below, owned=owned)
    if labels == "capitals":
        capitals = _capitals_in_view(frame, scale)
        # ring labels keep off the capitals' dots (their names can move)
        for cx, cy in zip(capitals[1], capitals[2], strict=True):
            placer.reserve(_marker_box(ax, cx, cy, 2.5))
    labelled: set[tuple[float, tuple[tuple[float, float], ...]]] = set()
    for i in order:
        layer, recs, colour = resolved[i]
        _label_rings(ax, frame, layer, recs, colour, handles[i], placer, labelled)
    if distance_rings and launch_sites:
        sx, sy = frame.project_points([launch_sites[0][1]], [launch_sites[0][2]])
        centre = ax.transData.transform((sx[0], sy[0])) if np.isfinite(sx[0]) else None
        for radius, lines in distance_rings:
            _label_one_ring(
                ax,
                lines,
                f"{_km(radius)} km",
                _MUTED,
                centre,
                placer,
                fontsize=7.5,
                weight="normal",
                bearing=-60.0,
            )
    if labels == "capitals":
        _draw_capitals(ax, capitals, placer, resolved)
    ax._rangeviz_frame = frame  # for callers that want the projection (tests, export)
    return ax


def _check_all_shown(frame: MapFrame, recs: list[tuple[str, float, float]]) -> None:
    """A fitted map must show every site; say which it cannot, and what to do."""
    if not recs:
        return
    x, y = frame.project_points([r[1] for r in recs], [r[2] for r in recs])
    ok = np.isfinite(x) & np.isfinite(y)
    ok[ok] = frame.contains_xy(x[ok], y[ok])
    missing = [r[0] for r, shown in zip(recs, ok, strict=True) if not shown]
    if missing:
        raise InputError(
            f"site(s) {', '.join(missing)} lie beyond what the {frame.name} map can show "
            "(about a hemisphere); choose --projection polar or another CRS, "
            "draw them on separate maps, or give --extent to crop them out on purpose"
        )


def _records(sites: Any) -> list[tuple[str, float, float]]:
    """(name, lon, lat) of sites; place names and coordinate text are resolved."""
    from rangeviz.sites import resolve_site

    if isinstance(sites, str):
        sites = [sites]
    if isinstance(sites, (list, tuple)):
        sites = [resolve_site(s) if isinstance(s, str) else s for s in sites]
    return [(s.name, s.lon, s.lat) for s in as_sites(sites)]


def _names(places: list[Any]) -> str:
    names = [str(getattr(p, "name", p)) for p in places]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def plot_scenario(scenario: Any, *, ax: Axes | None = None) -> Axes:
    """Draw a :class:`rangeviz.scenario.Scenario`: one layer per band.

    Bands round the scenario's sites are launch bands; bands round its
    targets are the launch areas from which a target is in range (dashed).
    """
    sites = list(getattr(scenario, "sites", []) or [])
    targets = list(getattr(scenario, "targets", []) or [])
    layers: list[BandLayer] = []
    for band in scenario.ranges:
        if sites:
            layers.append(
                BandLayer(
                    band.label,
                    band.inner_km,
                    band.outer_km,
                    sites=sites,
                    sources=band.sources,
                    note=getattr(band, "note", ""),
                )
            )
    for band in scenario.ranges:
        if targets:
            layers.append(
                BandLayer(
                    f"Launch area for {_names(targets)}: {band.label}",
                    band.inner_km,
                    band.outer_km,
                    sites=targets,
                    sources=band.sources,
                    linestyle="dashed",
                    note="" if sites else getattr(band, "note", ""),
                )
            )
    title = scenario.title
    if title is None and hasattr(scenario, "default_title"):
        title = scenario.default_title()
    return plot_map(
        layers,
        sites=sites or None,
        targets=targets or None,
        ax=ax,
        projection=scenario.projection,
        extent=scenario.extent,
        title=title,
        subtitle=scenario.subtitle,
        labels=scenario.labels,
        highlight=getattr(scenario, "highlight", None),
        rings_km=getattr(scenario, "rings_km", None),
        radials=getattr(scenario, "radials", None),
        size=scenario.size,
        dpi=scenario.dpi or 150.0,
    )


def save_scenario(scenario: Any, path: str | os.PathLike[str], *, dpi: float | None = None) -> Path:
    """Draw a scenario and write it to ``path`` (PNG, SVG or PDF), atomically."""
    from rangeviz._io import check_suffix

    check_suffix(path, _FORMATS, "map")  # fail before the work
    ax = plot_scenario(scenario)
    fig = ax.figure
    try:
        save_figure(fig, path, dpi=dpi)
    finally:
        import matplotlib.pyplot as plt

        plt.close(fig)
    return Path(path)


def save_figure(
    fig: Figure, path: str | os.PathLike[str], *, dpi: float | None = None
) -> os.PathLike[str] | str:
    """Write a figure to PNG, SVG or PDF, atomically.

    The figure is written to a temporary file in the same directory, then
    renamed onto ``path``: a failure never leaves a half-written file and
    never destroys the previous one.

    Parameters
    ----------
    fig : matplotlib Figure (or an Axes, whose figure is saved)
    path : path-like
        Ends in ``.png``, ``.svg`` or ``.pdf``.
    dpi : float, optional
        Resolution (PNG, and raster parts of PDF/SVG); the figure's by default.

    Returns
    -------
    The path written.

    Raises
    ------
    InputError
        If the extension is not one of png, svg, pdf.
    OutputError
        If the directory does not exist or cannot be written.
    """
    from rangeviz._io import atomic_path, check_suffix

    if not hasattr(fig, "savefig"):  # an Axes: save its figure
        fig = fig.figure
    fmt = check_suffix(path, _FORMATS, "map")
    kwargs: dict[str, Any] = {"format": fmt, "metadata": _metadata(fmt)}
    if fmt == "png":  # zlib level 3: ~20 % faster than the default, ~5 % larger
        kwargs["pil_kwargs"] = {"compress_level": 3}
    if dpi is not None:
        kwargs["dpi"] = _check_dpi(dpi)
    with atomic_path(path) as tmp:
        try:
            fig.savefig(tmp, **kwargs)
        except OSError as exc:
            raise OutputError(
                f"cannot write output path {os.fspath(path)!r}: {exc.strerror or exc}"
            ) from None
    return path


def _metadata(fmt: str) -> dict[str, Any]:
    # no timestamps: the same map gives the same bytes (SVG, PDF)
    if fmt == "svg":
        return {"Date": None}
    if fmt == "pdf":
        return {"CreationDate": None}
    return {"Software": "rangeviz"}


def _check_dpi(dpi: Any) -> float:
    try:
        value = float(dpi)
    except (TypeError, ValueError):
        raise InputError(f"dpi {dpi!r} is not a number") from None
    if not (math.isfinite(value) and 10 <= value <= 1200):
        raise InputError(f"dpi {dpi!r} must be between 10 and 1200")
    return value


# --------------------------------------------------------------------------
# figure and axes


def _text_scale(fig: Figure) -> float:
    """Font and marker sizes shrink on figures smaller than a page (notebooks)."""
    w, h = fig.get_size_inches()
    return float(np.clip(math.sqrt(w * h / (11.0 * 6.2)), 0.55, 1.0))


def _sized(fig: Figure, style: dict[str, Any]) -> dict[str, Any]:
    k = _text_scale(fig)
    return {key: (v * k if key in ("fontsize", "markersize") else v) for key, v in style.items()}


def _check_tolerance(value: Any) -> float:
    try:
        tol = float(value)
    except (TypeError, ValueError):
        raise InputError(f"tolerance_km {value!r} is not a number") from None
    if not math.isfinite(tol) or tol < 0.002:
        raise InputError(f"tolerance_km {value!r} must be a finite number >= 0.002 (km)")
    return tol


def _figure_and_axes(ax: Axes | None, size: Any, dpi: float) -> tuple[Figure, Axes, bool]:
    if ax is not None:
        return ax.figure, ax, False
    if isinstance(size, str):
        size = SIZES[lookup("size", size, SIZES, " or (width, height) in inches")]
    try:
        width, height = (float(v) for v in size)
    except (TypeError, ValueError):
        raise InputError(
            f"size {size!r} is not a preset (slide, a4, a4-portrait) or (width, height) in inches"
        ) from None
    if not (0 < width <= 100 and 0 < height <= 100):
        raise InputError(f"size {size!r} must be (width, height) in inches, each in (0, 100]")
    dpi = _check_dpi(dpi)
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(width, height), dpi=dpi)
    # room for title and subtitle above and the source line below, in inches
    k = _text_scale(fig)
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


def _axes_aspect(ax: Axes) -> float:
    fig = ax.figure
    pos = ax.get_position()
    w_in, h_in = fig.get_size_inches()
    return float(pos.width * w_in) / float(pos.height * h_in)


def _setup_axes(ax: Axes, frame: MapFrame, anchor: str = "W") -> None:
    x0, y0, x1, y1 = frame.bounds
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal", adjustable="box", anchor=anchor)
    ax.set_axis_off()
    ax.apply_aspect()


def _fit_under_titles(ax: Axes) -> None:
    """Lower the map's top if a wrapped title would leave the page."""
    fig = ax.figure
    renderer = _renderer(fig)
    tops = [t.get_window_extent(renderer).y1 for t in ax.texts if t.get_gid() == "title"]
    limit = fig.bbox.height - 0.15 * fig.dpi
    if not tops or max(tops) <= limit:
        return
    slot = ax.get_position(original=True)
    # never below 70 % of the slot: a title that long is the caller's to shorten
    shrink = min((max(tops) - limit) / fig.bbox.height, 0.3 * slot.height)
    ax.set_position((slot.x0, slot.y0, slot.width, slot.height - shrink), which="original")
    ax.apply_aspect()


def _fit_over_source(ax: Axes, line: str) -> None:
    """Raise the map's bottom if the wrapped source line needs more room."""
    fig = ax.figure
    k = _text_scale(fig)
    width_pt = (1.0 - ax.get_position().x0) * fig.get_size_inches()[0] * 72.0 - 20.0
    lines = _wrap(line, width_pt, 8 * k, max_lines=4).count("\n") + 1
    need_in = (6 + lines * 8 * k * 1.25) / 72.0 + 0.08
    pos = ax.get_position()
    have_in = pos.y0 * fig.get_size_inches()[1]
    if need_in <= have_in:
        return
    slot = ax.get_position(original=True)
    lift = min((need_in - have_in) / fig.get_size_inches()[1], 0.2 * slot.height)
    ax.set_position((slot.x0, slot.y0 + lift, slot.width, slot.height - lift), which="original")
    ax.apply_aspect()


def _side_layout(ax: Axes, frame: MapFrame) -> None:
    """Give a narrow map the figure's full height, leaving a panel on the right."""
    fig = ax.figure
    fig_w, fig_h = fig.get_size_inches()
    aspect = frame.width / frame.height
    map_h = fig_h - 2 * _SIDE_IN
    map_w = map_h * aspect
    if map_w > 0.64 * fig_w:
        map_w = 0.64 * fig_w
        map_h = map_w / aspect
    bottom = (fig_h - map_h) / 2
    ax.set_position((_SIDE_IN / fig_w, bottom / fig_h, map_w / fig_w, map_h / fig_h))


def _pixel_size(ax: Axes, frame: MapFrame) -> float:
    """Projected metres per pixel at the figure's dpi (at least 200 dpi)."""
    fig = ax.figure
    width_in = ax.get_position().width * fig.get_size_inches()[0]
    return frame.width / (width_in * max(float(fig.dpi), 200.0))


def _read_layer(name: str, scale: str) -> Any:
    """A Natural Earth layer (GeoDataFrame, EPSG:4326) from the bundled data."""
    from rangeviz import geodata

    return geodata.read_layer(name, scale)


_PROJECTED: dict[tuple[Any, ...], Any] = {}  # (layer, scale, frame, simplify) -> geometries


def _projected_layer(name: str, scale: str, frame: MapFrame, simplify: float) -> Any:
    """A layer clipped, projected and simplified for ``frame``; the last few are kept.

    Redrawing the same map (a notebook, a scenario rendered twice) skips the
    clipping and projecting.
    """
    # the reader is part of the key: tests swap it for synthetic layers
    key = (_read_layer, name, scale, frame.key, round(simplify, 3))
    if key not in _PROJECTED:
        if len(_PROJECTED) >= 12:
            _PROJECTED.pop(next(iter(_PROJECTED)))
        geoms = _read_layer(name, scale).geometry
        _PROJECTED[key] = frame.project_layer(geoms, simplify=simplify)
    return _PROJECTED[key]


def _coverage_10m() -> tuple[float, float, float, float] | None:
    from rangeviz import geodata

    return tuple(geodata.coverage_bbox("10m"))


def _scale_for(frame: MapFrame) -> str:
    return choose_scale(frame, _coverage_10m())


# --------------------------------------------------------------------------
# shapely -> matplotlib


def _path(geoms: Any) -> MplPath:
    """One compound matplotlib Path for polygons and/or lines.

    Polygon rings are oriented (shells counter-clockwise, holes clockwise) so
    matplotlib's non-zero fill leaves holes open, and closed; lines are open.
    """
    from matplotlib.path import Path

    arr = np.asarray(getattr(geoms, "values", geoms), dtype=object).ravel()
    if arr.size == 0:
        return Path(np.zeros((0, 2)))
    parts = shapely.get_parts(arr[~shapely.is_missing(arr)])
    parts = parts[~shapely.is_empty(parts)]  # a band wholly outside the view
    polys = parts[np.isin(shapely.get_type_id(parts), (3,))]
    lines = parts[np.isin(shapely.get_type_id(parts), (1, 2))]
    verts, codes = [], []
    if polys.size:
        rings = shapely.get_rings(shapely.orient_polygons(polys))
        xy, idx = shapely.get_coordinates(rings, return_index=True)
        code = np.full(len(xy), Path.LINETO, dtype=Path.code_type)
        starts = np.r_[0, np.flatnonzero(np.diff(idx)) + 1]
        code[starts] = Path.MOVETO
        code[np.r_[starts[1:] - 1, len(xy) - 1]] = Path.CLOSEPOLY
        verts.append(xy)
        codes.append(code)
    if lines.size:
        xy, idx = shapely.get_coordinates(lines, return_index=True)
        code = np.full(len(xy), Path.LINETO, dtype=Path.code_type)
        code[np.r_[0, np.flatnonzero(np.diff(idx)) + 1]] = Path.MOVETO
        verts.append(xy)
        codes.append(code)
    if not verts:
        return Path(np.zeros((0, 2)))
    return Path(np.concatenate(verts), np.concatenate(codes))


def _add_path(ax: Axes, geoms: Any, *, gid: str, **kwargs: Any) -> Any:
    from matplotlib.patches import PathPatch

    patch = PathPatch(_path(geoms), gid=gid, **kwargs)
    # add_artist, not add_patch: the limits are the frame's, and add_patch would
    # spend long on the extents of paths with many vertices
    ax.add_artist(patch)
    return patch


# --------------------------------------------------------------------------
# basemap


def _draw_basemap(ax: Axes, frame: MapFrame, scale: str, simplify: float, graticule: bool) -> None:
    ax.add_artist(_region_patch(frame, facecolor=_SEA, edgecolor="none", zorder=0, gid="sea"))
    land = _projected_layer("land", scale, frame, simplify)
    _add_path(ax, land, gid="land", facecolor=_LAND, edgecolor="none", zorder=1)
    lakes = _projected_layer("lakes", scale, frame, simplify)
    _add_path(ax, lakes, gid="lakes", facecolor=_SEA, edgecolor="none", zorder=1.1)
    if graticule:
        _, grat = frame.graticule()
        _add_path(
            ax,
            [grat],
            gid="graticule",
            facecolor="none",
            edgecolor=_GRATICULE,
            lw=0.45,
            zorder=1.5,
        )
    border_scale = "50m" if scale == "110m" else scale
    borders = _projected_layer("borders", border_scale, frame, simplify)
    _add_path(ax, borders, gid="borders", facecolor="none", edgecolor=_BORDER, lw=0.5, zorder=2)
    coast = _projected_layer("coastline", scale, frame, simplify)
    lake_shores = shapely.boundary(lakes) if lakes.size else lakes
    _add_path(
        ax,
        np.concatenate((coast, lake_shores)),
        gid="coastline",
        facecolor="none",
        edgecolor=_COAST,
        lw=0.55,
        zorder=2.1,
    )
    ax.add_artist(
        _region_patch(frame, facecolor="none", edgecolor=_NEATLINE, lw=0.8, zorder=20, gid="frame")
    )


def _region_patch(frame: MapFrame, **kwargs: Any) -> Any:
    from matplotlib.patches import PathPatch

    return PathPatch(_path([frame.region]), **kwargs)


# --------------------------------------------------------------------------
# bands


@dataclass
class _BandArtists:
    fill: Any
    outlines: list[tuple[float, Any]] = field(default_factory=list)  # (radius_km, MultiLineString)


def _draw_band(
    ax: Axes,
    frame: MapFrame,
    layer: BandLayer,
    recs: list[tuple[str, float, float]],
    geom: Any,
    colour: str,
    tol: float,
    zorder: float,
) -> _BandArtists:
    """Fill (no edge) of the union of the sites' bands, and the visible rings."""
    half = tol / 2
    fill = frame.project_fill(geom, tolerance_km=half)
    patch = _add_path(
        ax,
        [fill],
        gid="band-fill",
        facecolor=colour,
        alpha=_FILL_ALPHA,
        edgecolor="none",
        linewidth=0,
        zorder=zorder,
    )
    art = _BandArtists(fill=patch)
    style = {
        "gid": "band-outline",
        "facecolor": "none",
        "edgecolor": colour,
        "linewidth": 1.3,
        "linestyle": layer.linestyle,
        "capstyle": "round",
        "joinstyle": "round",
        "zorder": zorder + 1,
    }
    if len(recs) > _MAX_RING_SITES:
        # many sites: stroke the union's own edge, less its seam and pole lines
        # (cheaper than testing every ring against every other band)
        lines = frame.project_lines(_edge_without_seams(geom), tolerance_km=half)
        if not lines.is_empty:
            _add_path(ax, [lines], **style)
        return art
    radii = [r for r in (layer.inner_km, layer.outer_km) if 0 < r < geodesic.ANTIPODAL_KM]
    lon0 = np.array([lon for _, lon, _ in recs])
    lat0 = np.array([lat for _, _, lat in recs])
    others = _bands_of_others(lon0, lat0, layer, half) if len(recs) > 1 else None
    for radius in radii:
        pieces = []
        for k in range(len(recs)):
            outline = geodesic.ring(lon0[k], lat0[k], radius_km=radius, tolerance_km=half)
            if others is not None:
                # only what bounds the union: cut exactly where other bands begin
                outline = maps._lineal(outline.difference(others[k]))
            pieces.extend(shapely.get_parts(outline))
        lines = frame.project_lines(shapely.MultiLineString(pieces), tolerance_km=half)
        if not lines.is_empty:
            _add_path(ax, [lines], **style)
        art.outlines.append((radius, lines))
    return art


def _edge_without_seams(geom: Any) -> Any:
    """A lon/lat polygon's boundary without its ±180 seam and pole segments.

    Those segments are exact (``|lon| == 180`` or ``|lat| == 90`` at both
    ends) because the band engine builds them so.

    >>> from shapely.geometry import box
    >>> _edge_without_seams(box(170, 60, 180, 90)).wkt
    'MULTILINESTRING ((170 90, 170 60, 180 60))'
    """
    lines = []
    for ring_ in shapely.get_rings(shapely.get_parts(geom)):
        xy = np.asarray(ring_.coords)[:, :2]
        on_seam = np.abs(xy[:, 0]) == 180.0
        at_pole = np.abs(xy[:, 1]) == 90.0
        bad = (on_seam[:-1] & on_seam[1:]) | (at_pole[:-1] & at_pole[1:])
        if not bad.any():
            lines.append(xy)
            continue
        # rotate so the ring starts with a bad segment; runs of good ones remain
        first = int(np.flatnonzero(bad)[0])
        xy = np.vstack((xy[first:-1], xy[: first + 1]))
        bad = np.concatenate((bad[first:], bad[:first]))
        edges = np.flatnonzero(np.diff(np.r_[0, (~bad).astype(int), 0]))
        for a, b in zip(edges[::2], edges[1::2], strict=True):
            lines.append(xy[a : b + 1])
    return shapely.MultiLineString([ln for ln in lines if len(ln) >= 2])


def _bands_of_others(lon0: np.ndarray, lat0: np.ndarray, layer: BandLayer, tol: float) -> list[Any]:
    """For each site k, the union of every other site's band (lon/lat)."""
    polys = [
        geodesic.band(lo, la, inner_km=layer.inner_km, outer_km=layer.outer_km, tolerance_km=tol)
        for lo, la in zip(lon0, lat0, strict=True)
    ]
    return [shapely.union_all(polys[:k] + polys[k + 1 :]) for k in range(len(polys))]


def _draw_countries(ax: Axes, frame: MapFrame, scale: str, simplify: float, reach: Any) -> None:
    """Shade countries wholly and partly within ``reach`` (lon/lat)."""
    countries = _read_layer("countries", "110m" if scale == "110m" else "50m")
    geoms = np.asarray(countries.geometry.values, dtype=object)
    shapely.prepare(reach)
    touching = shapely.intersects(reach, geoms)
    wholly = touching & shapely.covers(reach, geoms)
    partly = touching & ~wholly
    for mask, colour, gid in (
        (partly, _PARTLY, "countries-partly"),
        (wholly, _WHOLLY, "countries-wholly"),
    ):
        if mask.any():
            shapes = frame.project_layer(geoms[mask], simplify=simplify)
            _add_path(ax, shapes, gid=gid, facecolor=colour, edgecolor="none", zorder=1.05)


def _draw_radials(
    ax: Axes,
    frame: MapFrame,
    sites: list[tuple[str, float, float]],
    count: int,
    reach_km: float,
) -> None:
    """``count`` geodesics from each site, out to ``reach_km``."""
    length = min(reach_km, geodesic.ANTIPODAL_KM - 1.0) * 1000.0
    steps = np.linspace(0.0, length, 1000)
    parts = []
    for _, lon, lat in sites:
        for az in np.arange(count) * 360.0 / count:
            n = steps.size
            plon, plat, _ = GEOD.fwd(np.full(n, lon), np.full(n, lat), np.full(n, az), steps)
            parts.extend(_split_at_seam(np.asarray(plon), np.asarray(plat)))
    lines = frame.project_lines(shapely.MultiLineString(parts), tolerance_km=1.0)
    if not lines.is_empty:
        _add_path(
            ax,
            [lines],
            gid="radials",
            facecolor="none",
            edgecolor=_EXTRA,
            linewidth=0.6,
            linestyle=(0, (1, 2)),
            zorder=3.6,
        )


def _draw_distance_rings(
    ax: Axes,
    frame: MapFrame,
    sites: list[tuple[str, float, float]],
    step_km: float,
    reach_km: float,
    layers: list[BandLayer],
) -> list[tuple[float, Any]]:
    """Thin rings every ``step_km`` round each site, skipping the band edges."""
    edges = {layer.inner_km for layer in layers} | {layer.outer_km for layer in layers}
    radii = [
        k * step_km
        for k in range(1, int(reach_km // step_km) + 1)
        if k * step_km < geodesic.ANTIPODAL_KM and all(abs(k * step_km - e) > 1e-6 for e in edges)
    ]
    drawn = []
    for radius in radii:
        pieces = []
        for _, lon, lat in sites:
            pieces.extend(
                shapely.get_parts(geodesic.ring(lon, lat, radius_km=radius, tolerance_km=0.5))
            )
        lines = frame.project_lines(shapely.MultiLineString(pieces), tolerance_km=0.5)
        if lines.is_empty:
            continue
        _add_path(
            ax,
            [lines],
            gid="distance-ring",
            facecolor="none",
            edgecolor=_EXTRA,
            linewidth=0.6,
            linestyle=(0, (4, 3)),
            zorder=3.5,
        )
        drawn.append((radius, lines))
    return drawn


def _split_at_seam(lon: np.ndarray, lat: np.ndarray) -> list[np.ndarray]:
    """A sampled geodesic in [-180, 180], split where it crosses ±180 or a pole.

    At the antimeridian the crossing latitude is interpolated; a path over a
    pole (its longitude flips by ~180° there) ends at the pole and starts
    again from it on the other meridian.

    >>> [p.tolist() for p in _split_at_seam(np.array([170.0, -170.0]), np.array([0.0, 10.0]))]
    [[[170.0, 0.0], [180.0, 5.0]], [[-180.0, 5.0], [-170.0, 10.0]]]
    >>> [p.tolist() for p in _split_at_seam(np.array([20.0, -160.0]), np.array([89.9, 89.9]))]
    [[[20.0, 89.9], [20.0, 90.0]], [[-160.0, 90.0], [-160.0, 89.9]]]
    """
    out = []
    start = 0
    lead: list[list[float]] = []
    dlon = np.abs(np.diff(lon))
    over_pole = (dlon > 90.0) & (np.abs(lat[:-1] + lat[1:]) > 170.0)
    for j in np.flatnonzero(over_pole | (dlon > 180.0)):
        a, b = lon[j], lon[j + 1]
        if over_pole[j]:
            pole = 90.0 if lat[j] > 0 else -90.0
            end, lead_next = [[a, pole]], [[b, pole]]
        else:
            seam = 180.0 if a > 0 else -180.0
            b_unwrapped = b + 360.0 if seam > 0 else b - 360.0
            y = lat[j] + (seam - a) / (b_unwrapped - a) * (lat[j + 1] - lat[j])
            end, lead_next = [[seam, y]], [[-seam, y]]
        body = np.column_stack((lon[start : j + 1], lat[start : j + 1]))
        out.append(np.vstack([*lead, body, end]))
        lead = lead_next
        start = j + 1
    tail = np.column_stack((lon[start:], lat[start:]))
    out.append(np.vstack([*lead, tail]))
    return [p for p in out if len(p) >= 2]


def _check_rings(rings_km: Any, reach_km: float) -> float | None:
    if rings_km is None:
        return None
    try:
        value = float(rings_km)
    except (TypeError, ValueError):
        raise InputError(f"rings_km {rings_km!r} is not a number (kilometres)") from None
    if not math.isfinite(value) or value < 10:
        raise InputError(f"rings_km {rings_km!r} must be at least 10 (kilometres)")
    if reach_km / value > 60:
        raise InputError(
            f"rings_km {rings_km!r} would draw {int(reach_km // value)} rings out to "
            f"{_km(reach_km)} km; give at least {_km(math.ceil(reach_km / 60))}"
        )
    return value


def _check_radials(radials: Any) -> int | None:
    if radials is None:
        return None
    if isinstance(radials, bool) or not isinstance(radials, (int, np.integer)):
        raise InputError(f"radials {radials!r} must be a whole number from 1 to 72")
    if not 1 <= int(radials) <= 72:
        raise InputError(f"radials {radials!r} must be from 1 to 72")
    return int(radials)


def _key(rec: tuple[str, float, float]) -> tuple[float, float]:
    return (round(rec[1], 6), round(rec[2], 6))


# --------------------------------------------------------------------------
# label placement


class _Placer:
    """Greedy text placement: keeps the display boxes of what is placed."""

    def __init__(self, ax: Axes, frame: MapFrame) -> None:
        self.ax = ax
        self.frame = frame
        self.fig = ax.figure
        self.renderer = _renderer(self.fig)
        self.boxes: list[Any] = []
        self.reserved: list[Any] = []  # kept free for now, released later
        # the drawable region in display coordinates, slightly shrunk
        region_xy = np.asarray(frame.region.exterior.coords)
        disp = ax.transData.transform(region_xy)
        self.region = shapely.Polygon(disp).buffer(-3.0)
        shapely.prepare(self.region)

    def fits(self, bbox: Any, pad: float = 2.0) -> bool:
        x0, y0, x1, y1 = bbox.x0 - pad, bbox.y0 - pad, bbox.x1 + pad, bbox.y1 + pad
        if not self.region.contains(shapely.box(x0, y0, x1, y1)):
            return False
        return all(
            not (x0 < b[2] and x1 > b[0] and y0 < b[3] and y1 > b[1])
            for b in (*self.boxes, *self.reserved)
        )

    def add(self, bbox: Any) -> None:
        self.boxes.append((bbox.x0, bbox.y0, bbox.x1, bbox.y1))

    def reserve(self, bbox: Any) -> None:
        self.reserved.append((bbox.x0, bbox.y0, bbox.x1, bbox.y1))

    def try_text(self, text: Any, pad: float = 2.0) -> bool:
        bbox = text.get_window_extent(self.renderer)
        if self.fits(bbox, pad):
            self.add(bbox)
            return True
        return False

    def block_legend(self) -> None:
        leg = self.ax.get_legend()
        if leg is not None:
            self.add(leg.get_window_extent(self.renderer))


def _renderer(fig: Figure) -> Any:
    canvas = fig.canvas
    if hasattr(canvas, "get_renderer"):
        return canvas.get_renderer()
    return fig._get_renderer()  # pragma: no cover - non-Agg canvases


def _halo(width: float = 3.0) -> list[Any]:
    from matplotlib import patheffects

    return [patheffects.withStroke(linewidth=width, foreground="white")]


_ALWAYS_NAMED = 12  # up to this many sites, every one is labelled, collisions or not
_SITE_STYLE = {
    "marker": "^",
    "markersize": 8,
    "markerfacecolor": _TEXT,
    "markeredgecolor": "white",
    "markeredgewidth": 1.0,
}
_TARGET_STYLE = {
    "marker": "o",
    "markersize": 7.5,
    "markerfacecolor": "white",
    "markeredgecolor": _TEXT,
    "markeredgewidth": 2.0,
}


def _draw_sites(
    ax: Axes,
    frame: MapFrame,
    sites: list[tuple[str, float, float]],
    placer: _Placer,
    target: bool = False,
) -> None:
    """Markers and (always) name labels for launch sites, or targets."""
    if not sites:
        return
    lon = np.array([s[1] for s in sites])
    lat = np.array([s[2] for s in sites])
    x, y = frame.project_points(lon, lat)
    shown = frame.contains_xy(x, y)
    if not shown.any():
        return
    ax.plot(
        x[shown],
        y[shown],
        linestyle="none",
        zorder=8,
        gid="targets" if target else "sites",
        **_sized(ax.figure, _TARGET_STYLE if target else _SITE_STYLE),
    )
    k = _text_scale(ax.figure)
    for xi, yi in zip(x[shown], y[shown], strict=True):
        placer.add(_marker_box(ax, xi, yi, 5.0 * k))  # the marker is 8 pt across
    # a few sites are always named; of many, those whose names fit
    required = int(shown.sum()) <= _ALWAYS_NAMED
    for (name, _, _), xi, yi in zip(
        [s for s, ok in zip(sites, shown, strict=True) if ok], x[shown], y[shown], strict=True
    ):
        _place_point_label(
            ax,
            placer,
            name,
            xi,
            yi,
            fontsize=11 * k,
            fontweight="bold",
            color=_TEXT,
            zorder=9,
            gid="target-label" if target else "site-label",
            offset=7 * k,
            required=required,
        )


def _marker_box(ax: Axes, x: float, y: float, half_pt: float) -> Any:
    from matplotlib.transforms import Bbox

    px, py = ax.transData.transform((x, y))
    half = half_pt * ax.figure.dpi / 72.0
    return Bbox([[px - half, py - half], [px + half, py + half]])


# offsets in points, (dx, dy, ha, va): right, left, above, below, diagonals
_POSITIONS = (
    (1, 0.35, "left", "center"),
    (-1, 0.35, "right", "center"),
    (0, 1, "center", "bottom"),
    (0, -1, "center", "top"),
    (0.8, 0.8, "left", "bottom"),
    (-0.8, 0.8, "right", "bottom"),
    (0.8, -0.8, "left", "top"),
    (-0.8, -0.8, "right", "top"),
)


def _place_point_label(
    ax: Axes,
    placer: _Placer,
    name: str,
    x: float,
    y: float,
    *,
    offset: float,
    required: bool = True,
    **kwargs: Any,
) -> Any:
    """Put a label next to a point where it fits; None if nowhere (unless required)."""
    text = None
    for dx, dy, ha, va in _POSITIONS:
        text = ax.annotate(
            name,
            (x, y),
            xytext=(dx * offset, dy * offset),
            textcoords="offset points",
            ha=ha,
            va=va,
            path_effects=_halo(),
            annotation_clip=False,
            **kwargs,
        )
        if placer.try_text(text):
            return text
        text.remove()
    if required:  # a launch site is always named, collisions or not
        dx, dy, ha, va = _POSITIONS[0]
        text = ax.annotate(
            name,
            (x, y),
            xytext=(dx * offset, dy * offset),
            textcoords="offset points",
            ha=ha,
            va=va,
            path_effects=_halo(),
            annotation_clip=False,
            **kwargs,
        )
        placer.add(text.get_window_extent(placer.renderer))
        return text
    return None


def _label_rings(
    ax: Axes,
    frame: MapFrame,
    layer: BandLayer,
    recs: list[tuple[str, float, float]],
    colour: str,
    art: _BandArtists,
    placer: _Placer,
    labelled: set[tuple[float, tuple[tuple[float, float], ...]]],
) -> None:
    """Write each ring's radius along it, where it is visible and free.

    A ring two bands share (one's outer radius, the other's inner) is
    written once.
    """
    sx, sy = frame.project_points([recs[0][1]], [recs[0][2]])
    centre = ax.transData.transform((sx[0], sy[0])) if np.isfinite(sx[0]) else None
    where = tuple(sorted((round(lon, 6), round(lat, 6)) for _, lon, lat in recs))
    for radius, lines in art.outlines:
        if lines.is_empty or (radius, where) in labelled:
            continue
        # the outer edge at the lower left, the inner edge below the site
        bearing = -140.0 if radius == layer.outer_km else -90.0
        text = f"{_km(radius)} km"
        if _label_one_ring(ax, lines, text, colour, centre, placer, bearing=bearing) is not None:
            labelled.add((radius, where))


def _label_one_ring(
    ax: Axes,
    lines: Any,
    text: str,
    colour: str,
    centre: Any,
    placer: _Placer,
    *,
    fontsize: float = 9.5,
    weight: str = "bold",
    bearing: float = -140.0,
) -> Any:
    trans = ax.transData
    candidates = []
    for line in shapely.get_parts(lines):
        length = line.length
        if length <= 0:
            continue
        n = max(8, min(120, int(120 * length / max(1.0, lines.length))))
        d = (np.arange(n) + 0.5) * length / n
        pts = shapely.get_coordinates(shapely.line_interpolate_point(line, d))
        eps = min(length / n / 4, length * 0.01)
        before = shapely.get_coordinates(
            shapely.line_interpolate_point(line, np.maximum(d - eps, 0))
        )
        after = shapely.get_coordinates(
            shapely.line_interpolate_point(line, np.minimum(d + eps, length))
        )
        p = trans.transform(pts)
        b = trans.transform(before)
        a = trans.transform(after)
        ang = np.degrees(np.arctan2(a[:, 1] - b[:, 1], a[:, 0] - b[:, 0]))
        ang = (ang + 90.0) % 180.0 - 90.0  # upright
        for k in range(len(pts)):
            candidates.append((pts[k], p[k], ang[k]))
    if not candidates:
        return None

    # prefer one direction from the site (for band edges the lower left: over
    # the Atlantic on a Europe map), then the nearest free place round the ring
    def score(c: Any) -> float:
        if centre is None:
            return -c[1][1]
        v = c[1] - centre
        angle = math.degrees(math.atan2(v[1], v[0]))
        return abs(((angle - bearing) + 180.0) % 360.0 - 180.0)

    candidates.sort(key=score)
    label = ax.text(
        0,
        0,
        text,
        color=_darker(colour),
        fontsize=fontsize * _text_scale(ax.figure),
        fontweight=weight,
        ha="center",
        va="center",
        rotation_mode="anchor",
        path_effects=_halo(3.2),
        zorder=9,
        gid="ring-label" if weight == "bold" else "distance-label",
    )
    for xy, _, angle in candidates:
        label.set_position(xy)
        label.set_rotation(angle)
        if placer.try_text(label, pad=1.0):
            return label
    # a small ring: write the radius just outside it instead of on it
    if centre is not None:
        inv = trans.inverted()
        lift = (label.get_fontsize() * 0.75 + 3.0) * ax.figure.dpi / 72.0
        for _, disp, angle in candidates:
            out = disp - centre
            norm = math.hypot(out[0], out[1])
            if norm == 0:
                continue
            label.set_position(inv.transform(disp + out / norm * lift))
            label.set_rotation(angle)
            if placer.try_text(label, pad=1.0):
                return label
    label.remove()
    return None


def _darker(colour: str, factor: float = 0.8) -> tuple[float, float, float]:
    from matplotlib.colors import to_rgb

    r, g, b = to_rgb(colour)
    return (r * factor, g * factor, b * factor)


def _capitals_in_view(frame: MapFrame, scale: str) -> tuple[Any, np.ndarray, np.ndarray, Any]:
    """Names, projected x, y and lon/lat of the capitals on the map, most important first."""
    capitals = _capitals(_read_layer("places", "50m" if scale == "110m" else scale))
    if capitals is None or len(capitals) == 0:
        empty = np.zeros(0)
        return np.zeros(0, dtype=object), empty, empty, (empty, empty)
    lon = capitals.geometry.x.to_numpy()
    lat = capitals.geometry.y.to_numpy()
    x, y = frame.project_points(lon, lat)
    shown = frame.contains_xy(x, y)
    names = capitals["name"].astype(str).to_numpy()[shown]
    return names, x[shown], y[shown], (lon[shown], lat[shown])


def _draw_capitals(
    ax: Axes,
    capitals: tuple[Any, np.ndarray, np.ndarray, Any],
    placer: _Placer,
    status: list[tuple[BandLayer, list[tuple[str, float, float]], str]] | None = None,
) -> None:
    """Capital dots and names, most important first, where they fit.

    With ``status`` (the layers), each capital is coloured by its status from
    exact geodesic distances, as :mod:`rangeviz.coverage` reports it: in a
    band (dark red), else too close -- inside an inner ring (blue) -- else out
    of range (grey).
    """
    names, x, y, (lon, lat) = capitals
    in_band = np.zeros(len(x), dtype=bool)
    too_close = np.zeros(len(x), dtype=bool)
    for layer, recs, _ in status or []:
        for _, slon, slat in recs:
            d = geodesic.distance_km(slon, slat, lon, lat)
            in_band |= (d >= layer.inner_km) & (d <= layer.outer_km)
            too_close |= d < layer.inner_km
    colours = np.where(in_band, _IN_RANGE, np.where(too_close, _TOO_CLOSE, _MUTED))
    placer.reserved.clear()  # the dots kept the ring labels off; now the names go
    placed = []
    k = _text_scale(ax.figure)
    for name, xi, yi, colour in zip(names, x, y, colours, strict=True):
        dot = _marker_box(ax, xi, yi, 2.5 * k)
        if not placer.fits(dot, pad=0.5):
            continue
        text = _place_point_label(
            ax,
            placer,
            name,
            xi,
            yi,
            offset=4 * k,
            required=False,
            fontsize=8 * k,
            color=str(colour),
            zorder=7,
            gid="capital-label",
        )
        if text is not None:
            placer.add(dot)
            placed.append((xi, yi, str(colour)))
    for colour in (_MUTED, _TOO_CLOSE, _IN_RANGE):
        pts = [(px, py) for px, py, c in placed if c == colour]
        if pts:
            ax.plot(
                [p[0] for p in pts],
                [p[1] for p in pts],
                linestyle="none",
                marker="o",
                markersize=3.6 * k,
                markerfacecolor=colour,
                markeredgecolor="white",
                markeredgewidth=0.6,
                zorder=7,
                gid="capitals",
            )


def _capitals(places: Any) -> Any:
    """Country capitals, most important first."""
    cols = set(places.columns)
    # the national-capital flag, as the coverage report uses ("Admin-0 capital
    # alt" places such as The Hague or Kyoto are not capitals)
    if "adm0cap" in cols:
        mask = places["adm0cap"].astype(float) > 0
    elif "featurecla" in cols:
        mask = places["featurecla"].astype(str).str.fullmatch("Admin-0 capital", case=False)
    elif "capital" in cols:
        mask = places["capital"].astype(bool)
    else:
        return None
    caps = places[mask.to_numpy()]
    keys = [c for c in ("scalerank", "rank_max", "pop_max") if c in cols]
    if "scalerank" in keys:
        caps = caps.sort_values("scalerank", kind="stable")
    elif "pop_max" in keys:
        caps = caps.sort_values("pop_max", ascending=False, kind="stable")
    return caps


# --------------------------------------------------------------------------
# legend and titles


def _draw_legend(
    ax: Axes,
    items: list[tuple[BandLayer, str]],
    *,
    labels: str | None = None,
    highlight: str | None = None,
    targets: bool = False,
    launch_sites: bool = True,
    panel_y: float | None = None,
    below_ok: bool = False,
    owned: bool = True,
) -> Any:
    """The legend: in the side panel, beside the map, below it, or inside it.

    Returns the legend when it went below the map (the source line follows
    it), else None.
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles: list[Any] = [
        Patch(
            facecolor=_with_alpha(colour, _FILL_ALPHA),
            edgecolor=colour,
            linewidth=1.3,
            linestyle=layer.linestyle,
            label=layer.legend_label,
        )
        for layer, colour in items
    ]
    if highlight == "countries":
        handles.append(Patch(facecolor=_WHOLLY, edgecolor="none", label="Country wholly in range"))
        handles.append(Patch(facecolor=_PARTLY, edgecolor="none", label="Country partly in range"))
    if launch_sites:
        handles.append(
            Line2D([], [], linestyle="none", label="Launch site", **_sized(ax.figure, _SITE_STYLE))
        )
    if targets:
        handles.append(
            Line2D([], [], linestyle="none", label="Target", **_sized(ax.figure, _TARGET_STYLE))
        )
    if labels == "capitals":
        dot = {
            "linestyle": "none",
            "marker": "o",
            "markersize": 5 * _text_scale(ax.figure),
            "markeredgecolor": "white",
        }
        statuses = [(_IN_RANGE, "Capital in band")]
        if any(layer.inner_km > 0 for layer, _ in items):
            statuses.append((_TOO_CLOSE, "Capital too close (inside inner ring)"))
        statuses.append((_MUTED, "Capital out of range"))
        for colour, text in statuses:
            handles.append(Line2D([], [], markerfacecolor=colour, label=text, **dot))
    fig = ax.figure
    pos = ax.get_position()
    free_in = (1.0 - pos.x1) * fig.get_size_inches()[0]
    common = {
        "handles": handles,
        "fontsize": 10 * _text_scale(fig),
        "frameon": True,
        "framealpha": 0.92,
        "edgecolor": "#cccccc",
        "fancybox": False,
        "borderpad": 0.7,
        "handlelength": 1.8,
    }
    if panel_y is not None:  # in the side panel, under the subtitle
        x = pos.x1 + _PANEL_GAP_IN / fig.get_size_inches()[0]
        leg = ax.legend(
            loc="upper left",
            bbox_to_anchor=(x, panel_y),
            bbox_transform=fig.transFigure,
            borderaxespad=0,
            **common,
        )
    elif owned and free_in >= _MIN_FREE_IN:  # beside the map, at the top
        leg = ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0, **common)
    else:
        leg = ax.legend(loc="lower left", **common)
        if below_ok:  # under the map, when a tall page leaves room there
            height = leg.get_window_extent(_renderer(fig)).height / fig.dpi
            if pos.y0 * fig.get_size_inches()[1] >= height + 0.75:
                leg.set_loc("upper left")
                leg.set_bbox_to_anchor((0.0, -0.015), transform=ax.transAxes)
                leg._borderaxespad = 0  # flush with the map's left edge
                leg.set_zorder(30)
                leg.set_gid("legend")
                return leg
    leg.set_zorder(30)
    leg.set_gid("legend")
    return None


def _with_alpha(colour: str, alpha: float) -> tuple[float, float, float, float]:
    from matplotlib.colors import to_rgba

    return to_rgba(colour, alpha)


def _draw_titles(
    ax: Axes,
    resolved: list[tuple[BandLayer, list[tuple[str, float, float]], str]],
    sites: list[tuple[str, float, float]],
    frame: MapFrame,
    title: str | None,
    subtitle: str | None,
    source: str | None,
    side: bool = False,
    owned: bool = True,
) -> tuple[float | None, str]:
    """Title and subtitle above the map (or in the side panel).

    Returns the height (figure fraction) under which a side-panel legend
    goes (None above the map) and the source line to write.
    """
    names = _join_names([s[0] for s in sites])
    if title is None:
        if len(resolved) == 1:
            title = f"{resolved[0][0].legend_label} from {names}"
        else:
            title = f"Missile ranges from {names}"
    if subtitle is None:
        subtitle = (
            "Areas within range, from geodesic distances on the WGS84 ellipsoid · "
            f"{_projection_text(frame)}"
        )
    if source is None:
        parts: list[str] = []
        for layer, _, _ in resolved:
            for s in layer.sources:
                s = _short_source(s)
                if s not in parts:
                    parts.append(s)
        if not parts:
            inf = any((la.inner_km, la.outer_km) == _INF for la, _, _ in resolved)
            parts = ["INF Treaty (1987), Art. II" if inf else "radii as given"]
        source = "; ".join(parts)
    line = f"Boundaries: Natural Earth. Ranges: {source.rstrip('.')}."
    notes: dict[str, str] = {}  # note -> the first label that carries it
    for layer, _, _ in resolved:
        if layer.note:
            notes.setdefault(layer.note.rstrip("."), layer.label)
    if notes:
        line += " Published estimates differ — " + " ".join(
            f"{label}: {note}." for note, label in notes.items()
        )
    if side:
        return _draw_side_titles(ax, title, subtitle), line
    fig = ax.figure
    renderer = _renderer(fig)
    pos = ax.get_position()
    # on the caller's own figure, keep within this Axes' width (panels side by side)
    span = (1.0 - pos.x0) if owned else pos.width
    width_px = (span * fig.get_size_inches()[0] - 0.3) * fig.dpi
    offset = 8.0  # points above the map, growing upwards
    for text, style, gid in ((subtitle, _SUBTITLE, "subtitle"), (title, _TITLE, "title")):
        if not text:
            continue
        artist = ax.annotate(
            text,
            (0, 1),
            xycoords="axes fraction",
            xytext=(0, offset),
            textcoords="offset points",
            gid=gid,
            annotation_clip=False,
            **_sized(fig, style),
        )
        _fit_width(artist, text, width_px, renderer)
        offset += artist.get_window_extent(renderer).height * 72.0 / fig.dpi + 5.0
    return None, line


def _draw_source(ax: Axes, line: str, *, side: bool, under: Any = None, owned: bool = True) -> None:
    """The source line: under the map, under a legend below it, or in the panel."""
    fig = ax.figure
    fig_w = fig.get_size_inches()[0]
    pos = ax.get_position()
    if side:
        x = pos.x1 + _PANEL_GAP_IN / fig_w
        width_pt = ((1.0 - x) * fig_w - _SIDE_IN) * 72.0
        artist = ax.annotate(
            line,
            (x, pos.y0),
            xycoords="figure fraction",
            va="bottom",
            gid="source",
            annotation_clip=False,
            **_sized(fig, _SOURCE),
        )
        _fit_width(artist, line, width_pt * fig.dpi / 72.0, _renderer(fig))
        return
    # long source lists (URLs) wrap rather than run off the page
    width_pt = ((1.0 - pos.x0) if owned else pos.width) * fig_w * 72.0 - 20.0
    text = _wrap(line, width_pt, 8 * _text_scale(fig), max_lines=4)
    if under is not None:
        box = under.get_window_extent(_renderer(fig))
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
            **_sized(fig, _SOURCE),
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
        **_sized(fig, _SOURCE),
    )


_TITLE = {"fontsize": 18, "fontweight": "bold", "color": _TEXT, "ha": "left", "va": "bottom"}
_SUBTITLE = {"fontsize": 11.5, "color": _MUTED, "ha": "left", "va": "bottom"}
_SOURCE = {"fontsize": 8, "color": _MUTED, "ha": "left"}


def _short_source(source: str) -> str:
    """A source as a slide shows it: a URL by its site, a citation as given.

    >>> _short_source("https://www.state.gov/t/avc/trty/102360.htm")
    'state.gov'
    >>> _short_source("https://2009-2017.state.gov/t/avc/trty/102360.htm")  # an archive
    'state.gov'
    """
    import re
    from urllib.parse import urlparse

    text = source.strip()
    if text.startswith(("http://", "https://")):
        host = urlparse(text).netloc
        # "www." and archive prefixes such as "2009-2017." say nothing on a slide
        host = re.sub(r"^(www\d*|\d{4}-\d{4})\.", "", host)
        return host or text
    return text


def _wrap(text: str, width_pt: float, fontsize: float, max_lines: int = 6) -> str:
    chars = max(24, int(width_pt / (fontsize * 0.56)))
    return "\n".join(textwrap.wrap(text, chars, break_on_hyphens=False)[:max_lines])


def _fit_width(artist: Any, text: str, width_px: float, renderer: Any) -> None:
    """Wrap a text artist's string until it is no wider than ``width_px``."""
    chars = len(text)
    while chars > 12:
        artist.set_text("\n".join(textwrap.wrap(text, chars, break_on_hyphens=False)))
        if artist.get_window_extent(renderer).width <= width_px:
            return
        chars = int(chars * 0.9)


def _draw_side_titles(ax: Axes, title: str, subtitle: str) -> float:
    """Title and subtitle in the panel right of a narrow map; returns the y under them."""
    fig = ax.figure
    fig_w, fig_h = fig.get_size_inches()
    pos = ax.get_position()
    x = pos.x1 + _PANEL_GAP_IN / fig_w
    width_pt = ((1.0 - x) * fig_w - _SIDE_IN) * 72.0
    renderer = _renderer(fig)
    y = pos.y1  # figure fraction, moving down
    for text, style, gid, gap in (
        (title, _TITLE, "title", 8),
        (subtitle, _SUBTITLE, "subtitle", 16),
    ):
        if not text:
            continue
        artist = ax.annotate(
            text,
            (x, y),
            xycoords="figure fraction",
            gid=gid,
            annotation_clip=False,
            **{**_sized(fig, style), "va": "top", "linespacing": 1.25},
        )
        _fit_width(artist, text, width_pt * fig.dpi / 72.0, renderer)
        height = artist.get_window_extent(renderer).height
        y -= (height + gap * fig.dpi / 72.0) / (fig_h * fig.dpi)
    return y


def _projection_text(frame: MapFrame) -> str:
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


def _join_names(names: Sequence[str]) -> str:
    names = list(dict.fromkeys(names))
    if len(names) <= 3:
        return " and ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else names[0]
    return f"{', '.join(names[:2])} and {len(names) - 2} more sites"


def _unique_sites(
    records: Iterable[tuple[str, float, float]],
) -> list[tuple[str, float, float]]:
    seen: dict[tuple[float, float], tuple[str, float, float]] = {}
    for rec in records:
        seen.setdefault(_key(rec), rec)
    return list(seen.values())
