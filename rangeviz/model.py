"""The domain model: sites, bands, layers and map options, validated once.

Everything above this module -- the geometry, the maps, the reports, the
exports, the scenario files and the command line -- works with these frozen
objects and never checks or resolves its input again:

- :class:`Site`: a named point, longitude before latitude;
- :class:`Source`: where a figure comes from (organisation, title, URL);
- :class:`Band`: a range band -- radii, label, sources, whose figure it is,
  and how it is drawn (colour, line style);
- :class:`BandLayer`: a band drawn round given sites, in a role (launch
  sites, or the launch area round a target);
- :class:`MapOptions`: how the map is drawn (projection, extent, size...),
  with the defaults the command line, scenario files and Python share;
- :class:`MapSpec`: one map -- its layers, launch sites, targets and options.

Names are resolved above (place names in :mod:`rangeviz.sites`, system names
in :mod:`rangeviz.systems`); here only values that need no lookup are
accepted: coordinates, ``(lon, lat)`` pairs, :class:`Site` objects and
GeoDataFrames of points.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeAlias

from rangeviz import _checks
from rangeviz._checks import ANTIPODAL_KM
from rangeviz._text import coord_label, join_names, km, radii
from rangeviz.errors import InputError, UnknownNameError

if TYPE_CHECKING:
    from pyproj import CRS

__all__ = [
    "ANTIPODAL_KM",
    "Band",
    "BandLayer",
    "DEFAULTS",
    "EXTENTS",
    "INF_KM",
    "LINESTYLES",
    "MapOptions",
    "MapSpec",
    "PALETTE",
    "PROJECTIONS",
    "SIZES",
    "Site",
    "SitesLike",
    "Source",
    "as_site",
    "as_sites",
    "check_projection",
    "default_title",
    "extent_box",
    "unique_sites",
]

#: The INF Treaty band, (inner_km, outer_km).
INF_KM: tuple[float, float] = (500.0, 5500.0)

#: Named projections and what they are.
PROJECTIONS: dict[str, str] = {
    "auto": "europe for sites in and around Europe, else aeqd",
    "europe": "ETRS89-LAEA Europe (EPSG:3035)",
    "aeqd": "azimuthal equidistant centred on the first site",
    "polar": "north polar Lambert azimuthal equal-area",
}

#: Named extents as lon/lat boxes ``(lon_min, lat_min, lon_max, lat_max)``.
EXTENTS: dict[str, tuple[float, float, float, float]] = {
    # Iceland to the Urals, North Cape to the Maghreb
    "europe": (-25.0, 30.0, 62.0, 72.0),
    # with the North Atlantic (Newfoundland) and the Middle East (to Yemen, Iran)
    "wide": (-55.0, 12.0, 65.0, 75.0),
}

#: Figure sizes in inches: a 16:9 slide and A4 (landscape; portrait too).
SIZES: dict[str, tuple[float, float]] = {
    "slide": (13.333, 7.5),
    "a4": (11.69, 8.27),
    "a4-portrait": (8.27, 11.69),
}

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

#: Outline styles a band may have.
LINESTYLES: tuple[str, ...] = ("solid", "dashed", "dotted", "dashdot")

_LABELS = ("capitals",)
_HIGHLIGHTS = ("countries",)


# --------------------------------------------------------------------------
# sites


@dataclass(frozen=True)
class Site:
    """A named point on the Earth, longitude before latitude.

    Parameters
    ----------
    name : str
        Label, not empty.
    lon : float
        Longitude in degrees, in [-180, 180].
    lat : float
        Latitude in degrees, in [-90, 90].
    source : str, optional
        Where the position comes from (URLs separated by ``" | "``).
    note : str, optional
        Free text, e.g. the system and period of a reported site.
    country : str, optional
        Country name as the source gives it.
    kind : str, optional
        ``"capital"``, ``"city"``, ``"reported site"``... for gazetteer
        places; empty for typed coordinates and files.

    Raises
    ------
    InputError
        If a coordinate is not a finite number in range, or the name is empty.

    Examples
    --------
    >>> Site("Kaliningrad", 20.51, 54.71)
    Site(name='Kaliningrad', lon=20.51, lat=54.71, source='', note='', country='', kind='')
    >>> Site("Swapped", 54.71, 91.0)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    rangeviz.errors.InputError: site 'Swapped': latitude 91.0 is outside [-90, 90] (did you...)
    """

    name: str
    lon: float
    lat: float
    source: str = ""
    note: str = ""
    country: str = ""
    kind: str = ""

    def __post_init__(self) -> None:
        name = _checks.text(self.name, "site name")
        where = f"site {name!r}"
        lon, lat = _checks.lonlat(self.lon, self.lat, where)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "lon", lon)
        object.__setattr__(self, "lat", lat)
        for key in ("source", "note", "country", "kind"):
            value = _checks.text(getattr(self, key), f"{where}: {key}", empty=True, limit=20_000)
            object.__setattr__(self, key, value)

    @property
    def key(self) -> tuple[float, float]:
        """The position rounded to ~0.1 m: two sites with one key are one place."""
        return (round(self.lon, 6), round(self.lat, 6))

    @classmethod
    def at(cls, lon: Any, lat: Any, name: str = "") -> Site:
        """A site named by its coordinates unless a name is given.

        >>> Site.at(20.51, 54.71).name
        '54.71°N 20.51°E'
        """
        x, y = _checks.lonlat(lon, lat)
        return cls(name or coord_label(x, y), x, y)


#: What functions taking several sites accept (names are resolved above the model).
SitesLike: TypeAlias = "Iterable[Site | tuple[float, float] | Sequence[float]] | Any"


def as_site(item: Any, where: str = "site") -> Site:
    """A :class:`Site` from a Site, an object with ``lon``/``lat``, or a ``(lon, lat)`` pair.

    >>> as_site((20.51, 54.71)).name
    '54.71°N 20.51°E'
    >>> as_site("Kaliningrad")
    Traceback (most recent call last):
    ...
    rangeviz.errors.InputError: site 'Kaliningrad' is a name; resolve it first (rangeviz.resolve_site) or give (lon, lat)
    """  # noqa: E501
    if isinstance(item, Site):
        return item
    if isinstance(item, str):
        raise InputError(
            f"{where} {_checks.show(item)} is a name; resolve it first "
            "(rangeviz.resolve_site) or give (lon, lat)"
        )
    if hasattr(item, "lon") and hasattr(item, "lat"):
        lon, lat = _checks.lonlat(item.lon, item.lat, where)
        name = getattr(item, "name", "") or ""
        if not isinstance(name, str):
            name = str(name)
        return Site(name.strip() or coord_label(lon, lat), lon, lat)
    if isinstance(item, Sequence) and not isinstance(item, (str, bytes)) and len(item) == 2:
        return Site.at(*_checks.lonlat(item[0], item[1], where))
    raise InputError(
        f"{where} {_checks.show(item)} is not a (lon, lat) pair or a Site "
        "(longitude first, in degrees)"
    )


def as_sites(sites: Any, what: str = "sites") -> tuple[Site, ...]:
    """Sites from Sites, ``(lon, lat)`` pairs, or a GeoSeries/GeoDataFrame of points.

    A GeoDataFrame is reprojected to EPSG:4326 first (a projected CRS is never
    read as degrees); its ``name`` column names its rows.

    Raises
    ------
    InputError
        For anything else, an empty collection, or a point out of range; the
        message names the position of the bad item.

    Examples
    --------
    >>> [s.name for s in as_sites([(20.51, 54.71), Site("Minsk", 27.57, 53.9)])]
    ['54.71°N 20.51°E', 'Minsk']
    """
    if isinstance(sites, Site):
        return (sites,)
    geoms = getattr(sites, "geometry", None)
    if geoms is not None and hasattr(geoms, "geom_type"):  # GeoSeries / GeoDataFrame
        return _sites_from_frame(sites, what)
    if isinstance(sites, (str, bytes, Mapping)) or not isinstance(sites, Iterable):
        raise InputError(
            f"{what} {_checks.show(sites)} is not a list of (lon, lat) pairs, Site objects "
            "or a GeoSeries/GeoDataFrame of points"
        )
    out = tuple(as_site(item, f"{what}[{i}]") for i, item in enumerate(sites))
    if not out:
        raise InputError(f"{what} is empty: give at least one launch site")
    return out


def _sites_from_frame(frame: Any, what: str) -> tuple[Site, ...]:
    crs = getattr(frame, "crs", None)
    # a projected CRS is reprojected, never read as degrees
    if crs is not None and (not crs.is_geographic or crs.to_epsg() not in (4326, None)):
        frame = frame.to_crs("EPSG:4326")
    names = None
    if hasattr(frame, "columns") and "name" in frame.columns:
        names = ["" if v is None else str(v) for v in frame["name"]]
    out = []
    for pos, geom in enumerate(frame.geometry):
        if geom is None or geom.geom_type != "Point" or geom.is_empty:
            kind = None if geom is None else geom.geom_type
            raise InputError(f"{what} row {pos}: geometry {kind!r} is not a Point")
        lon, lat = _checks.lonlat(geom.x, geom.y, f"{what} row {pos}")
        out.append(Site((names[pos] if names else "").strip() or coord_label(lon, lat), lon, lat))
    if not out:
        raise InputError(f"{what} is empty: give at least one launch site")
    return tuple(out)


def unique_sites(sites: Iterable[Site]) -> tuple[Site, ...]:
    """Sites without repeats of the same position (the first name wins)."""
    seen: dict[tuple[float, float], Site] = {}
    for site in sites:
        seen.setdefault(site.key, site)
    return tuple(seen.values())


# --------------------------------------------------------------------------
# sources and bands


@dataclass(frozen=True)
class Source:
    """Where a figure comes from: printed by organisation and title.

    Parameters
    ----------
    title : str
        E.g. ``"2019 compliance report"``, or a whole citation.
    org : str, optional
        The organisation: ``"US State Dept"``, ``"Russian MoD"``.
    url : str, optional
        The full address, kept for the catalog and the files' metadata.
    date, accessed : str, optional
        When it was published, and when it was read (YYYY-MM-DD).

    Examples
    --------
    >>> str(Source("INF Treaty, Art. II", org="US State Dept"))
    'US State Dept, INF Treaty, Art. II'
    >>> str(Source.parse("https://www.state.gov/t/avc/trty/102360.htm"))
    'state.gov'
    """

    title: str = ""
    org: str = ""
    url: str = ""
    date: str = ""
    accessed: str = ""

    def __post_init__(self) -> None:
        for key in ("title", "org", "url", "date", "accessed"):
            value = _checks.text(getattr(self, key), f"source {key}", empty=True)
            object.__setattr__(self, key, value)
        if not (self.title or self.org or self.url):
            raise InputError("a source needs a title, an organisation or a URL")

    @classmethod
    def parse(cls, value: Any) -> Source:
        """A Source from a Source, a URL or a citation text."""
        if isinstance(value, Source):
            return value
        text = _checks.text(value, "source")
        if text.startswith(("http://", "https://")):
            return cls(url=text)
        return cls(title=text)

    def __str__(self) -> str:
        if self.org or self.title:
            return ", ".join(p for p in (self.org, self.title) if p)
        return _host(self.url)

    @property
    def reference(self) -> str:
        """The full reference: citation, URL and access date."""
        parts = [str(self)] if (self.org or self.title) else []
        if self.url:
            parts.append(self.url + (f" (accessed {self.accessed})" if self.accessed else ""))
        return ". ".join(parts)


def _host(url: str) -> str:
    """A URL by its site: 'state.gov' (www. and archive prefixes dropped)."""
    import re
    from urllib.parse import urlparse

    host = urlparse(url).netloc
    host = re.sub(r"^(www\d*|\d{4}-\d{4})\.", "", host)
    return host or url


@dataclass(frozen=True)
class Band:
    """A range band to draw: radii, a label, where the figure comes from, a style.

    Parameters
    ----------
    label : str
        Legend text, e.g. ``"9M729 (SSC-8 Screwdriver)"``.
    inner_km, outer_km : float
        Geodesic radii, ``0 <= inner_km < outer_km <= ~20,004`` (the
        antipodal distance).
    system : str, optional
        The catalog name of the system the band stands for, if any.
    sources : tuple of Source or str
        Where the radii come from (citations or URLs).
    note : str, optional
        The spread of published estimates, or another caveat.
    claimant : str, optional
        Whose figure the outer radius is (``"Russian MoD"``, ``"US DNI"``).
    color : str, optional
        Any matplotlib colour; None takes the next palette colour on a map.
    linestyle : {"solid", "dashed", "dotted", "dashdot"}
        The outline; launch areas round targets are dashed.

    Examples
    --------
    >>> Band("INF Treaty band", 500, 5500).legend_label
    'INF Treaty band 500–5,500 km'
    >>> Band("Iskander-M", 0, 500).legend_label
    'Iskander-M up to 500 km'
    >>> Band("bad", 600, 500)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    rangeviz.errors.InputError: inner_km 600.0 must be smaller than outer_km 500.0 ...
    """

    label: str
    inner_km: float
    outer_km: float
    system: str = ""
    sources: tuple[Source, ...] = ()
    note: str = ""
    claimant: str = ""
    color: str | None = None
    linestyle: str = "solid"

    def __post_init__(self) -> None:
        inner, outer = _checks.band_radii(self.inner_km, self.outer_km)
        object.__setattr__(self, "inner_km", inner)
        object.__setattr__(self, "outer_km", outer)
        object.__setattr__(self, "label", _checks.text(self.label, "band label", limit=300))
        for key in ("system", "note", "claimant"):
            object.__setattr__(
                self, key, _checks.text(getattr(self, key), f"band {key}", empty=True)
            )
        sources = self.sources
        if isinstance(sources, (str, Source)):
            sources = (sources,)
        if isinstance(sources, (bytes, Mapping)) or not isinstance(sources, Iterable):
            raise InputError(
                f"band sources {_checks.show(sources)} must be a list of citations or URLs"
            )
        object.__setattr__(self, "sources", tuple(Source.parse(s) for s in sources))
        if self.color is not None:
            object.__setattr__(self, "color", _colour(self.color, f"band {self.label!r}: color"))
        style = _checks.choice(f"band {self.label!r}: linestyle", self.linestyle, LINESTYLES)
        object.__setattr__(self, "linestyle", style)

    @property
    def radii_text(self) -> str:
        """``"500–5,500 km"`` (or ``"0–2,500 km"``)."""
        return radii(self.inner_km, self.outer_km)

    @property
    def legend_label(self) -> str:
        """The label with the radii, unless the label already gives them."""
        if self.label.rstrip().endswith("km"):
            return self.label
        if self.inner_km == 0:
            return f"{self.label} up to {km(self.outer_km)} km"
        return f"{self.label} {km(self.inner_km)}–{km(self.outer_km)} km"

    @property
    def is_inf(self) -> bool:
        """Whether these are the INF Treaty's radii."""
        return (self.inner_km, self.outer_km) == INF_KM

    def around(self, sites: Any, *, role: str = "launch site") -> BandLayer:
        """This band drawn round ``sites``."""
        fields = {f.name: getattr(self, f.name) for f in dataclasses.fields(Band)}
        return BandLayer(**fields, sites=sites, role=role)

    def replace(self, **changes: Any) -> Band:
        """A copy with some fields changed (checked again)."""
        return dataclasses.replace(self, **changes)


def _colour(value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise InputError(f"{name} {_checks.show(value)} must be a colour name or #rrggbb text")
    from matplotlib.colors import is_color_like

    if not is_color_like(value):
        raise InputError(
            f"{name} {_checks.show(value)} is not a colour; give a name ('navy') or #rrggbb"
        )
    return value


@dataclass(frozen=True)
class BandLayer(Band):
    """A band drawn round given launch sites (a :class:`Band` with sites).

    Parameters
    ----------
    sites : optional
        Sites, ``(lon, lat)`` pairs or a GeoDataFrame of points; None takes the
        map's sites (:func:`rangeviz.plot_map`'s ``sites=``).
    role : str, default "launch site"
        ``"launch site"``, or ``"launch area for <target>"`` in target mode.

    Other parameters are those of :class:`Band`.

    Examples
    --------
    >>> layer = BandLayer("9M729 as declared by Russia", 0, 480, sites=[(20.51, 54.71)])
    >>> layer.legend_label, layer.sites[0].name
    ('9M729 as declared by Russia up to 480 km', '54.71°N 20.51°E')
    """

    sites: tuple[Site, ...] | None = None
    role: str = "launch site"

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.sites is not None:
            object.__setattr__(self, "sites", as_sites(self.sites, f"band {self.label!r}: sites"))
        object.__setattr__(self, "role", _checks.text(self.role, "band role"))

    @property
    def band(self) -> Band:
        """The band without its sites."""
        return Band(**{f.name: getattr(self, f.name) for f in dataclasses.fields(Band)})

    @classmethod
    def from_system(cls, system: Any, *, sites: Any = None, color: str | None = None) -> BandLayer:
        """A layer from a system-like object.

        It needs ``name`` and either ``band_km`` (``(inner, outer)``) or
        ``min_km``/``max_km`` (a missing ``min_km`` means 0); ``sources``,
        ``nato_name`` and ``range_note`` are optional. A catalog
        :class:`~rangeviz.systems.System` gives the same band as
        ``System.band()``.
        """
        band = getattr(system, "band", None)
        if callable(band):
            base = band()
        else:
            try:
                name = system.name
                lo, hi = system.min_km, system.max_km
            except AttributeError:
                raise InputError(
                    f"system {_checks.show(system)} has no name, min_km and max_km; "
                    "give a rangeviz System"
                ) from None
            if hi is None:
                raise InputError(f"system {name!r} has no sourced maximum range (max_km is None)")
            base = Band(
                str(name),
                0.0 if lo is None else lo,
                hi,
                system=str(name),
                sources=getattr(system, "sources", ()) or (),
                note=getattr(system, "range_note", "") or "",
            )
        if color is not None:
            base = base.replace(color=color)
        return base.around(sites)


# --------------------------------------------------------------------------
# map options


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

    def __post_init__(self) -> None:
        put = object.__setattr__
        put(self, "projection", check_projection(self.projection))
        put(self, "extent", extent_box(self.extent))
        put(self, "size", _size(self.size))
        put(self, "dpi", _checks.integer(self.dpi, "dpi", lo=10, hi=1200))
        for name, allowed in (("labels", _LABELS), ("highlight", _HIGHLIGHTS)):
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

    @property
    def inches(self) -> tuple[float, float]:
        """The figure size in inches."""
        return SIZES[self.size] if isinstance(self.size, str) else self.size

    def replace(self, **changes: Any) -> MapOptions:
        """A copy with some options changed (checked again)."""
        return dataclasses.replace(self, **changes)


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
    """

    layers: tuple[BandLayer, ...]
    sites: tuple[Site, ...] = ()
    targets: tuple[Site, ...] = ()
    options: MapOptions = field(default_factory=MapOptions)

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
        return f"{join_names(labels)} from {names}"
    if labels:
        return f"{len(labels)} missile ranges from {names}"
    return f"Missile ranges from {names}"


def _check_rings(rings_km: float | None, reach_km: float) -> None:
    if rings_km is not None and reach_km / rings_km > 60:
        raise InputError(
            f"rings_km {km(rings_km)} would draw {int(reach_km // rings_km)} rings out to "
            f"{km(reach_km)} km; give at least {km(math.ceil(reach_km / 60))}"
        )
