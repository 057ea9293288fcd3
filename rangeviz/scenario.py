"""Scenario: sites, range bands and map options -- one briefing figure, frozen.

A scenario is built from Python, from the command line, or read from a TOML
file (:mod:`rangeviz.scenario_file`); all three build the same objects of the
model (:mod:`rangeviz.model`), checked once. Everything else derives from it,
computed once and shared: the map (:meth:`Scenario.save`), the exported bands
(:meth:`Scenario.bands`) and the coverage report (:meth:`Scenario.report`)
read the same :class:`~rangeviz.geometry.MapGeometry`::

    from rangeviz import Scenario
    s = Scenario(["Kaliningrad"], ranges=["SSC-8"], title="9M729 from Kaliningrad")
    s.bands()      # GeoDataFrame: one row per site and band
    s.save("map.png")
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rangeviz import _checks
from rangeviz._text import join_names
from rangeviz.errors import InputError
from rangeviz.geometry import MapGeometry
from rangeviz.model import Band, BandLayer, MapOptions, MapSpec, Site, default_title
from rangeviz.sites import resolve_sites
from rangeviz.systems import resolve_bands

if TYPE_CHECKING:
    import pandas as pd
    from geopandas import GeoDataFrame
    from matplotlib.axes import Axes

__all__ = ["Band", "Scenario"]

_OPTION_NAMES = tuple(f.name for f in dataclasses.fields(MapOptions))


@dataclass(frozen=True, init=False)
class Scenario:
    """Sites, the bands to draw around them, and how to draw the map.

    Parameters
    ----------
    sites : str, sequence or GeoDataFrame
        Launch sites: place names or coordinate text (resolved through the
        gazetteer), :class:`~rangeviz.Site` objects, ``(lon, lat)`` pairs or
        tables (``{"name": ..., "lat": ..., "lon": ...}``).
    ranges : optional
        Bands: :class:`~rangeviz.model.Band` objects, catalog system names or
        aliases (``"SSC-8"``), ``(inner_km, outer_km)`` pairs, tables, or
        ``"INF"``. Default: the INF Treaty band, 500-5,500 km.
    targets : optional
        Target mode: places for which to draw the launch area -- the band
        around the target, where a launcher would have to stand.
    places : optional
        Places to highlight on the map: always named, with their distance
        to the nearest site (names, coordinates or Sites, as for ``sites``).
    dissolve : bool, default False
        Exported bands: one feature per band (the union over sites).
    output : str, optional
        Where :meth:`save` writes without a path.
    options : MapOptions, optional
        All map options at once; or give them one by one:

    Other Parameters
    ----------------
    title, subtitle, projection, extent, size, dpi, labels, highlight : optional
        As for :class:`~rangeviz.model.MapOptions`.
    rings_km, radials, source, legend, graticule, tolerance_km : optional
        As for :class:`~rangeviz.model.MapOptions` (the defaults are the
        command line's).

    Raises
    ------
    InputError, UnknownNameError
        At once, for any bad site, band or option: a scenario that exists
        can be drawn.

    Examples
    --------
    >>> s = Scenario(["Base=54.71,20.51"], ranges=["INF", (0, 480)], dpi=100)
    >>> [b.label for b in s.ranges], s.dpi
    (['INF Treaty band', '0–480 km'], 100)
    >>> Scenario(["Base=54.71,20.51"], radials=True)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    rangeviz.errors.InputError: radials True is not a whole number from 1 to 72
    """

    sites: tuple[Site, ...]
    ranges: tuple[Band, ...]
    targets: tuple[Site, ...]
    places: tuple[Site, ...]
    options: MapOptions
    dissolve: bool
    output: str | None

    def __init__(
        self,
        sites: Any = (),
        ranges: Any = None,
        targets: Any = (),
        *,
        places: Any = (),
        dissolve: bool = False,
        output: str | None = None,
        options: MapOptions | None = None,
        **option_values: Any,
    ) -> None:
        unknown = sorted(set(option_values) - set(_OPTION_NAMES))
        if unknown:
            raise InputError(
                f"Scenario got an unknown option {unknown[0]!r}; options: "
                f"{', '.join(_OPTION_NAMES)}"
            )
        if options is None:
            options = MapOptions(**option_values)
        elif not isinstance(options, MapOptions):
            raise InputError(f"options {_checks.show(options)} must be MapOptions")
        elif option_values:
            options = options.replace(**option_values)
        put = object.__setattr__
        put(self, "sites", resolve_sites(sites, "sites", empty=True))
        put(self, "targets", resolve_sites(targets, "targets", empty=True))
        put(self, "places", resolve_sites(places, "places", empty=True))
        put(self, "ranges", resolve_bands(None if ranges in ((), []) else ranges, "ranges"))
        put(self, "options", options)
        put(self, "dissolve", _checks.flag(dissolve, "dissolve"))
        put(self, "output", None if output is None else _checks.text(output, "output"))
        if not self.sites and not self.targets:
            raise InputError("a scenario needs at least one site (or a target)")
        _ = self.spec  # every check at once: a scenario that exists can be drawn
        if options.minutes:  # isochrones no flight reaches
            from rangeviz import flight

            flight.ballistic_range_km(list(options.minutes))
        if options.rotating_earth:  # footprints no ballistic flight draws by azimuth
            for geo in self.geometry.layers:  # made once; the drawing reuses them
                geo.radii_km([], [])

    # the map options, read through
    title = property(lambda self: self.options.title, doc="The title (None: the default).")
    subtitle = property(lambda self: self.options.subtitle, doc="The subtitle.")
    projection = property(lambda self: self.options.projection, doc="The projection.")
    extent = property(lambda self: self.options.extent, doc="The extent (None: fit).")
    size = property(lambda self: self.options.size, doc="The figure size.")
    dpi = property(lambda self: self.options.dpi, doc="The resolution.")
    labels = property(lambda self: self.options.labels, doc="Which places are labelled.")
    highlight = property(lambda self: self.options.highlight, doc="Country shading.")
    rings_km = property(lambda self: self.options.rings_km, doc="Distance ring step (km).")
    radials = property(lambda self: self.options.radials, doc="Number of radials.")

    def replace(self, **changes: Any) -> Scenario:
        """A copy with some fields or map options changed (checked again)."""
        fields: dict[str, Any] = {
            "sites": self.sites,
            "ranges": self.ranges,
            "targets": self.targets,
            "places": self.places,
            "dissolve": self.dissolve,
            "output": self.output,
        }
        options = {k: changes.pop(k) for k in list(changes) if k in _OPTION_NAMES}
        fields.update(changes)
        return Scenario(**fields, options=self.options.replace(**options))

    # ------------------------------------------------------------------
    # derived, once

    @property
    def launch_points(self) -> tuple[Site, ...]:
        """The points bands are drawn around: the sites, then the targets."""
        return (*self.sites, *self.targets)

    @cached_property
    def spec(self) -> MapSpec:
        """The map: one layer per band round the sites, one per band round the targets."""
        layers: list[BandLayer] = [band.around(self.sites) for band in self.ranges if self.sites]
        if self.targets:
            names = join_names([t.name for t in self.targets])
            for band in self.ranges:
                area = band.replace(
                    label=f"Launch area for {names}: {band.label}",
                    linestyle="dashed",
                    note="" if self.sites else band.note,
                )
                layers.append(area.around(self.targets, role=f"launch area for {names}"))
        return MapSpec(tuple(layers), self.sites, self.targets, self.options, self.places)

    @cached_property
    def geometry(self) -> MapGeometry:
        """The bands, outlines and statuses, computed once for map, export and report."""
        return MapGeometry(self.spec)

    def bands(self, *, progress: Callable[[str, int, int], None] | None = None) -> GeoDataFrame:
        """The bands as a GeoDataFrame (EPSG:4326), as the map draws them.

        One row per site and band (``dissolve=False``) or per band
        (``dissolve=True``), with columns ``site``, ``system``, ``label``,
        ``inner_km``, ``outer_km``, ``claimant``, ``source``, ``source_url``,
        ``role`` (``"launch site"`` or ``"launch area for <target>"``),
        ``color`` and ``geometry``. ``progress(label, done, total)``, if
        given, is called while each band's sites are computed (a progress
        bar for many thousands of sites); the work is then not cached.
        """
        if progress is None:
            return self.geometry.frame(dissolve=self.dissolve)
        if not callable(progress):
            raise InputError(
                f"progress {_checks.show(progress)} must be a function (label, done, total)"
            )
        return MapGeometry(self.spec, progress).frame(dissolve=self.dissolve)

    def default_title(self) -> str:
        """The title the map gets when none is given."""
        return default_title(self.spec.layers, self.sites, self.targets)

    def plot(self, ax: Axes | None = None) -> Axes:
        """Draw the scenario's map; returns the Axes."""
        from rangeviz.plot import plot_spec

        return plot_spec(self.spec, ax=ax, geometry=self.geometry)

    def save(self, path: str | Path | None = None, *, dpi: int | None = None) -> Path:
        """Draw and write the map (PNG, SVG, PDF or interactive HTML by extension), atomically.

        ``.html`` writes one self-contained page that works offline
        (:func:`rangeviz.html.to_html`); ``dpi`` does not apply to it.

        Raises
        ------
        InputError
            Without a path (and no ``output``), or with an unknown extension
            -- before any drawing.
        OutputError
            If the file cannot be written; nothing is left half-written.
        """
        from rangeviz._io import check_suffix
        from rangeviz.plot import FORMATS, save_figure

        target = path if path is not None else self.output
        if target is None:
            raise InputError("no output path: give one, or set 'output' in the scenario")
        fmt = check_suffix(target, FORMATS, "map")  # fail before the work
        if dpi is not None:
            dpi = _checks.integer(dpi, "dpi", lo=10, hi=1200)
        if fmt == "html":
            from rangeviz.html import to_html

            return to_html(self, target)
        ax = self.plot()
        fig = ax.figure
        try:
            save_figure(fig, target, dpi=dpi or self.dpi)  # type: ignore[arg-type]
        finally:
            import matplotlib.pyplot as plt

            plt.close(fig)  # type: ignore[arg-type]
        return Path(target)

    def coverage(self, **kwargs: Any) -> pd.DataFrame:
        """Which places lie in each band; see :func:`rangeviz.coverage.coverage`."""
        from rangeviz.coverage import coverage

        if not self.sites:
            raise InputError("the scenario has no launch sites (only targets)")
        return coverage(self.sites, bands=self.ranges, **kwargs)

    def report(self, **kwargs: Any) -> str:
        """The coverage report of the scenario's bands; see :func:`rangeviz.format_report`."""
        from rangeviz.report import format_report

        return format_report(self, **kwargs)
