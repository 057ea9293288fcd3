"""Map options and one map, resolved: what the drawing, export and report start from."""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rangeviz import _checks
from rangeviz._text import join_names, km
from rangeviz.errors import InputError, UnknownNameError
from rangeviz.model.bands import Band, BandLayer
from rangeviz.model.sites import Site, as_sites, unique_sites
from rangeviz.model.vocabulary import (
    EXTENTS,
    HIGHLIGHTS,
    LABELS,
    PALETTE,
    PROJECTIONS,
    SIZES,
)

if TYPE_CHECKING:
    from pyproj import CRS

__all__ = [
    "DEFAULTS",
    "MapOptions",
    "MapSpec",
    "check_projection",
    "default_title",
    "extent_box",
]


def check_projection(value: Any) -> str | CRS:
    """A projection name (lower case) or a checked pyproj CRS."""
    if isinstance(value, str) and value.strip().lower() in PROJECTIONS:
        return value.strip().lower()
    from pyproj import CRS
    from pyproj.exceptions import CRSError

    if isinstance(value, CRS):
        crs = value
    else:
        if isinstance(value, str):
            _checks.text(value, "projection", limit=20_000)
        try:
            crs = CRS.from_user_input(value)
        except (CRSError, TypeError, ValueError):
            hint = " or any CRS pyproj accepts (e.g. 'EPSG:3035' or a PROJ string)"
            raise UnknownNameError(
                f"projection {_checks.show(value)} is not known; choose one of: "
                f"{', '.join(PROJECTIONS)}{hint}"
            ) from None
    if not (crs.is_projected or crs.is_geographic) or crs.is_geocentric:
        raise InputError(
            f"projection {_checks.show(value)} is not a map projection (a geocentric or "
            "other non-map CRS); give a projected or geographic CRS, or one of: "
            f"{', '.join(PROJECTIONS)}"
        )
    return crs


def extent_box(extent: Any) -> str | tuple[float, float, float, float] | None:
    """None ("fit"), a preset name, or a checked lon/lat box.

    A box whose ``lon_min`` exceeds its ``lon_max`` crosses the antimeridian;
    it comes back with ``lon_max`` increased by 360.

    >>> extent_box("fit") is None, extent_box(" Wide")
    (True, 'wide')
    >>> extent_box((150, 40, -160, 70))
    (150.0, 40.0, 200.0, 70.0)
    >>> extent_box((40, 10, 50, 95))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    rangeviz.errors.InputError: extent lat_max 95.0 is outside [-90, 90]...
    """
    if extent is None:
        return None
    hint = ", fit, or a (lon_min, lat_min, lon_max, lat_max) box"
    if isinstance(extent, str):
        if extent.strip().lower() == "fit":
            return None
        return _checks.choice("extent", extent, EXTENTS, hint)
    form = "extent is (lon_min, lat_min, lon_max, lat_max) in degrees"
    if isinstance(extent, (bytes, Mapping)) or not isinstance(extent, Iterable):
        raise InputError(f"extent {_checks.show(extent)} is not a preset name or four numbers")
    values = list(extent)
    if len(values) != 4:
        raise InputError(f"extent {_checks.show(extent)} has {len(values)} numbers, not 4; {form}")
    names = ("lon_min", "lat_min", "lon_max", "lat_max")
    try:
        lon_min, lat_min, lon_max, lat_max = (
            _checks.number(v, f"extent {n}", unit="degrees")
            for v, n in zip(values, names, strict=True)
        )
    except InputError as exc:
        raise InputError(
            f"extent {_checks.show(extent)} is not a preset name or four numbers ({exc}); {form}"
        ) from None
    for value, name in ((lat_min, "lat_min"), (lat_max, "lat_max")):
        if not -90.0 <= value <= 90.0:
            swap = " (did you swap lat and lon?)" if -180 <= value <= 180 else ""
            raise InputError(f"extent {name} {value!r} is outside [-90, 90]{swap}; {form}")
    for value, name in ((lon_min, "lon_min"), (lon_max, "lon_max")):
        if not -180.0 <= value <= 180.0:
            raise InputError(f"extent {name} {value!r} is outside [-180, 180]; {form}")
    if lat_min >= lat_max:
        raise InputError(
            f"extent lat_min {lat_min!r} must be smaller than lat_max {lat_max!r}; {form}"
        )
    if lon_min == lon_max:
        raise InputError(f"extent lon_min and lon_max are both {lon_min!r}; {form}")
    if lon_min > lon_max:  # crosses the antimeridian
        lon_max += 360.0
    return (lon_min, lat_min, lon_max, lat_max)


def _size(value: Any) -> str | tuple[float, float]:
    hint = " or (width, height) in inches"
    if isinstance(value, str):
        return _checks.choice("size", value, SIZES, hint)
    if isinstance(value, (bytes, Mapping)) or not isinstance(value, Iterable):
        raise InputError(f"size {_checks.show(value)} is not a preset ({', '.join(SIZES)}){hint}")
    values = list(value)
    if len(values) != 2:
        raise InputError(f"size {_checks.show(value)} is not (width, height) in inches")
    width, height = (_checks.number(v, "size", unit="inches") for v in values)
    if not (0 < width <= 100 and 0 < height <= 100):
        raise InputError(
            f"size {_checks.show(value)} must be (width, height) in inches, each in (0, 100]"
        )
    return (width, height)


@dataclass(frozen=True)
class MapOptions:
    """How a map is drawn; the defaults are the command line's and the scenario files'.

    Parameters
    ----------
    projection : str or pyproj.CRS, default "auto"
        ``"auto"`` (``"europe"`` for sites within 3,500 km of central Europe,
        else ``"aeqd"``), ``"europe"`` (EPSG:3035), ``"aeqd"`` (centred on the
        first site), ``"polar"`` (north polar LAEA) or any CRS pyproj accepts.
    extent : None, str or (lon_min, lat_min, lon_max, lat_max)
        None or ``"fit"`` fits the bands and sites; ``"europe"``, ``"wide"``;
        or a lon/lat box.
    size : {"slide", "a4", "a4-portrait"} or (width, height), default "slide"
        Figure size (inches) when a new figure is made.
    dpi : int, default 200
        Figure resolution, 10 to 1200.
    labels : {None, "capitals"}
        Label national capitals, coloured by status.
    highlight : {None, "countries"}
        Shade countries wholly / partly in range.
    rings_km : float, optional
        Thin labelled distance rings every ``rings_km`` km (at least 10).
    radials : int, optional
        That many geodesic radials from each site (1 to 72).
    title, subtitle, source : str, optional
        None writes the default; ``""`` writes none (``source``: the "Ranges:"
        part of the source line).
    legend, graticule : bool, default True
        Draw the legend; draw meridians and parallels.
    tolerance_km : float, default 0.1
        How far drawn ring edges may stray from the true geodesic rings.
    distances : bool, default False
        Write each named capital's distance from the nearest site
        ("Berlin 530 km"); highlighted places always carry theirs.
    rename : mapping or sequence of (old, new), optional
        Labels to write otherwise, e.g. ``{"Kyiv": "Kiev"}`` for a period map.
    font : str, optional
        A font family installed on this machine for every text of the map;
        by default matplotlib's DejaVu Sans. SVG keeps the text as text and
        PDF embeds the font, so a graphics desk can edit either.
    minutes : sequence of float, optional
        Isochrones: labelled rings at the ranges a ballistic missile on its
        minimum-energy trajectory covers in that many minutes of free flight
        (:mod:`rangeviz.flight`, whose model the small print states), e.g.
        ``(5, 10, 15)``.
    flight_times : bool, default False
        Add each named place's minimum-energy ballistic flight time from the
        nearest site to its label ("Berlin 528 km · 7.8 min"); with it,
        ``distances`` is implied.
    rotating_earth : bool, default False
        Draw ballistic bands as footprints on the rotating Earth
        (:func:`rangeviz.flight.footprint` at each radius: farther east than
        west) instead of geodesic circles; places are in band by the reach in
        their direction. Cruise missiles, glide vehicles and launchers keep
        their circles; the small print says which bands turned.

    Examples
    --------
    >>> MapOptions().dpi, MapOptions().projection
    (200, 'auto')
    >>> MapOptions(labels="none").labels is None
    True
    >>> MapOptions(radials=True)
    Traceback (most recent call last):
    ...
    rangeviz.errors.InputError: radials True is not a whole number from 1 to 72
    """

    projection: Any = "auto"
    extent: Any = None
    size: Any = "slide"
    dpi: int = 200
    labels: str | None = None
    highlight: str | None = None
    rings_km: float | None = None
    radials: int | None = None
    title: str | None = None
    subtitle: str | None = None
    source: str | None = None
    legend: bool = True
    graticule: bool = True
    tolerance_km: float = 0.1
    distances: bool = False
    rename: Any = ()
    font: str | None = None
    minutes: Any = ()
    flight_times: bool = False
    rotating_earth: bool = False

    def __post_init__(self) -> None:
        put = object.__setattr__
        put(self, "projection", check_projection(self.projection))
        put(self, "extent", extent_box(self.extent))
        put(self, "size", _size(self.size))
        put(self, "dpi", _checks.integer(self.dpi, "dpi", lo=10, hi=1200))
        for name, allowed in (("labels", LABELS), ("highlight", HIGHLIGHTS)):
            value = getattr(self, name)
            if isinstance(value, str) and value.strip().lower() == "none":
                value = None
            if value is not None:
                value = _checks.choice(name, value, allowed, " or none")
            put(self, name, value)
        if self.rings_km is not None:
            rings = _checks.number(self.rings_km, "rings_km", unit="kilometres")
            if rings < 10:
                raise InputError(f"rings_km {self.rings_km!r} must be at least 10 (kilometres)")
            put(self, "rings_km", _checks.radius(rings, "rings_km"))
        if self.radials is not None:
            put(self, "radials", _checks.integer(self.radials, "radials", lo=1, hi=72))
        for name in ("title", "subtitle", "source"):
            value = getattr(self, name)
            if value is not None:
                put(self, name, _checks.text(value, name, empty=True))
        put(self, "legend", _checks.flag(self.legend, "legend"))
        put(self, "graticule", _checks.flag(self.graticule, "graticule"))
        tol = _checks.tolerance(self.tolerance_km)
        if tol < 2 * _checks.MIN_TOLERANCE_KM:
            raise InputError(f"tolerance_km {tol!r} must be >= 0.002 (km) on a map")
        put(self, "tolerance_km", tol)
        put(self, "distances", _checks.flag(self.distances, "distances"))
        put(self, "rename", _renames(self.rename))
        if self.font is not None:
            put(self, "font", _font(self.font))
        put(self, "minutes", _minutes(self.minutes))
        put(self, "flight_times", _checks.flag(self.flight_times, "flight_times"))
        if self.flight_times:
            put(self, "distances", True)
        put(self, "rotating_earth", _checks.flag(self.rotating_earth, "rotating_earth"))

    def renamed(self, name: str) -> str:
        """A label as the options want it written (``rename``)."""
        return dict(self.rename).get(name, name)

    @property
    def inches(self) -> tuple[float, float]:
        """The figure size in inches."""
        return SIZES[self.size] if isinstance(self.size, str) else self.size

    def replace(self, **changes: Any) -> MapOptions:
        """A copy with some options changed (checked again)."""
        return dataclasses.replace(self, **changes)


def _minutes(value: Any) -> tuple[float, ...]:
    """Isochrone times: positive minutes, in order, each once."""
    if value is None or (isinstance(value, (list, tuple)) and not value):
        return ()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = (value,)
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        raise InputError(
            f"minutes {_checks.show(value)} must be a list of minutes, e.g. [5, 10, 15]"
        )
    out = []
    for i, m in enumerate(value):
        minutes = _checks.number(m, f"minutes[{i}]", unit="minutes")
        if not minutes > 0:
            raise InputError(f"minutes[{i}] {m!r} must be above 0 (minutes of flight)")
        out.append(minutes)
    if len(out) > 12:
        raise InputError(f"minutes has {len(out)} values; at most 12 rings are drawn")
    return tuple(sorted(set(out)))


def _renames(value: Any) -> tuple[tuple[str, str], ...]:
    if not value:
        return ()
    pairs = value.items() if isinstance(value, Mapping) else value
    if isinstance(pairs, (str, bytes)) or not isinstance(pairs, Iterable):
        raise InputError(
            f"rename {_checks.show(value)} must be a table of old = new names, "
            "e.g. {Kyiv = 'Kiev'}"
        )
    out = []
    for i, pair in enumerate(pairs):
        if isinstance(pair, (str, bytes)) or not isinstance(pair, Iterable) or len(list(pair)) != 2:
            raise InputError(
                f"rename[{i}] {_checks.show(pair)} must be an (old, new) pair of names"
            )
        old, new = pair
        out.append(
            (_checks.text(old, f"rename[{i}] old name"), _checks.text(new, f"rename[{i}] new name"))
        )
    return tuple(out)


def _font(value: Any) -> str:
    name = _checks.text(value, "font", limit=200)
    from matplotlib import font_manager

    try:
        font_manager.findfont(font_manager.FontProperties(family=name), fallback_to_default=False)
    except ValueError:
        raise InputError(
            f"font {name!r} is not installed here; give a font family matplotlib finds "
            "(e.g. 'DejaVu Sans'), or leave it out"
        ) from None
    return name


#: The defaults every way in shares (command line, scenario files, Python).
DEFAULTS = MapOptions()


# --------------------------------------------------------------------------
# one map


@dataclass(frozen=True)
class MapSpec:
    """One map, resolved: its layers, launch sites, targets and options.

    Built by :class:`~rangeviz.scenario.Scenario` and by
    :func:`rangeviz.plot_map`; the drawing, the export and the report work
    from it. Layers without a colour take the palette in order; layers
    without sites take the map's sites.

    Parameters
    ----------
    layers : sequence of BandLayer
    sites, targets : sequence of Site
        Launch sites and targets (markers).
    options : MapOptions
    places : sequence of Site
        Places to highlight: always named, with their distance.
    """

    layers: tuple[BandLayer, ...]
    sites: tuple[Site, ...] = ()
    targets: tuple[Site, ...] = ()
    options: MapOptions = field(default_factory=MapOptions)
    places: tuple[Site, ...] = ()

    def __post_init__(self) -> None:
        layers = tuple(self.layers) if isinstance(self.layers, Iterable) else ()
        if not layers or not all(isinstance(layer, BandLayer) for layer in layers):
            raise InputError("layers must be a non-empty list of BandLayer")
        sites = as_sites(self.sites) if len(tuple(self.sites)) else ()
        targets = as_sites(self.targets, "targets") if len(tuple(self.targets)) else ()
        if not isinstance(self.options, MapOptions):
            raise InputError(f"options {_checks.show(self.options)} must be MapOptions")
        used = {layer.color for layer in layers if layer.color is not None}
        free = iter([c for c in PALETTE if c not in used])
        resolved = []
        for layer in layers:
            changes: dict[str, Any] = {}
            if layer.sites is None:
                if not sites:
                    raise InputError(f"band {layer.label!r} has no sites: pass sites=")
                changes["sites"] = sites
            if layer.color is None:
                changes["color"] = next(free, PALETTE[-1])
            resolved.append(dataclasses.replace(layer, **changes) if changes else layer)
        target_keys = {t.key for t in targets}
        launch = unique_sites([*sites, *(s for layer in resolved for s in layer.sites or ())])
        object.__setattr__(self, "layers", tuple(resolved))
        object.__setattr__(self, "sites", tuple(s for s in launch if s.key not in target_keys))
        object.__setattr__(self, "targets", unique_sites(targets))
        places = as_sites(self.places, "places") if len(tuple(self.places)) else ()
        object.__setattr__(self, "places", unique_sites(places))
        _check_rings(self.options.rings_km, max(layer.outer_km for layer in resolved))

    @property
    def points(self) -> tuple[Site, ...]:
        """Every marked point: the launch sites, then the targets."""
        return (*self.sites, *self.targets)

    @property
    def title(self) -> str:
        """The title: the options' one, or a default that names every band."""
        if self.options.title is not None:
            return self.options.title
        return default_title(self.layers, self.sites, self.targets)

    @property
    def reach_km(self) -> float:
        """The largest outer radius of any layer."""
        return max(layer.outer_km for layer in self.layers)


# "(SSC-8 Screwdriver)" -> "(SSC-8)": a NATO designation and its reporting name
_NICKNAME = re.compile(r"\((\S*\d\S*) [A-Z][A-Za-z]+\)$")


def default_title(
    layers: Sequence[Band], sites: Sequence[Site], targets: Sequence[Site] = ()
) -> str:
    """A title naming the bands and the sites (every band, or how many).

    >>> default_title([Band("INF Treaty band", 500, 5500)], [Site("Kaliningrad", 20.5, 54.7)])
    'INF Treaty band 500–5,500 km from Kaliningrad'
    """
    names = join_names([s.name for s in (sites or targets)], noun="more sites")
    if targets and not sites:
        return f"Where a launcher must stand to reach {names}"
    launch = [layer for layer in layers if getattr(layer, "role", "launch site") == "launch site"]
    labels = list(dict.fromkeys(layer.label for layer in launch))
    if len(labels) == 1:
        first = launch[0]
        return f"{first.legend_label} from {names}"
    if 1 < len(labels) <= 3:
        # the headline names each by its designation; the key keeps the nicknames
        short = [_NICKNAME.sub(r"(\1)", label) for label in labels]
        return f"{join_names(short)} from {names}"
    if labels:
        return f"{len(labels)} missile ranges from {names}"
    return f"Missile ranges from {names}"


def _check_rings(rings_km: float | None, reach_km: float) -> None:
    if rings_km is not None and reach_km / rings_km > 60:
        raise InputError(
            f"rings_km {km(rings_km)} would draw {int(reach_km // rings_km)} rings out to "
            f"{km(reach_km)} km; give at least {km(math.ceil(reach_km / 60))}"
        )
