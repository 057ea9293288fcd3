"""Bands: radii, a label, whose figure it is and where it comes from, and a style."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from rangeviz import _checks
from rangeviz._text import km, radii
from rangeviz.errors import InputError
from rangeviz.model.sites import Site, as_sites
from rangeviz.model.vocabulary import INF_KM, LINESTYLES

__all__ = ["BOUNDS", "Band", "BandLayer", "Source"]

#: What a band's outer radius may be: a maximum, a lower bound, a class.
BOUNDS = ("max", "at least", "class")


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
    cite : str, optional
        A short citation for a figure's small print (``"INF Treaty (1987),
        Art. II"``); by default the organisation and the year.
    quote, note : str, optional
        What the source says, in its words; how it was read.

    Examples
    --------
    >>> str(Source("INF Treaty, Art. II", org="US State Dept"))
    'US State Dept, INF Treaty, Art. II'
    >>> Source("Compliance report", org="US State Dept", date="2019-04-15").short
    'US State Dept, 2019'
    >>> str(Source.parse("https://www.state.gov/t/avc/trty/102360.htm"))
    'state.gov'
    """

    title: str = ""
    org: str = ""
    url: str = ""
    date: str = ""
    accessed: str = ""
    cite: str = ""
    quote: str = ""
    note: str = ""

    def __post_init__(self) -> None:
        for key in ("title", "org", "url", "date", "accessed", "cite", "quote", "note"):
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
    def short(self) -> str:
        """The citation for a small print: ``cite``, else organisation and year."""
        if self.cite:
            return self.cite
        if self.org:
            year = self.date[:4] if self.date[:4].isdigit() else ""
            return f"{self.org}, {year}" if year else self.org
        return str(self)

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
        Whose figure the outer radius is (``"Russian MoD"``, ``"US DNI"``);
        the legend says so.
    bound : {"max", "at least", "class"}
        What the outer radius is: a maximum range (``"up to 480 km"``), a
        lower bound (``"more than 1,852 km"``: the source says only that), or
        the top of a class the source puts the missile in (the INF Treaty's
        ``"1,000–5,500 km class"``: its range lies somewhere in it, so the
        band is drawn from 0 to the top of the class, and ``class_min_km``
        gives the class's bottom for the legend).
    class_min_km : float
        The bottom of a ``"class"`` band's class (0 otherwise).
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
    >>> Band("9M729", 0, 480, claimant="Russian MoD").legend_label
    '9M729 up to 480 km (Russian MoD)'
    >>> Band("SS-4", 0, 1852, bound="at least").legend_label
    'SS-4 more than 1,852 km'
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
    bound: str = "max"
    class_min_km: float = 0.0

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
        bound = _checks.choice(f"band {self.label!r}: bound", self.bound, BOUNDS)
        object.__setattr__(self, "bound", bound)
        floor = _checks.radius(self.class_min_km, f"band {self.label!r}: class_min_km")
        object.__setattr__(self, "class_min_km", floor)

    @property
    def radii_text(self) -> str:
        """``"500–5,500 km"`` (or ``"0–2,500 km"``)."""
        return radii(self.inner_km, self.outer_km)

    @property
    def range_words(self) -> str:
        """``"up to 480 km"``, ``"500–5,500 km"``, ``"more than 1,852 km"``, ``"… km class"``."""
        if self.bound == "at least":
            return f"more than {km(self.outer_km)} km"
        if self.bound == "class":
            return f"{radii(self.class_min_km, self.outer_km)} class"
        if self.inner_km == 0:
            return f"up to {km(self.outer_km)} km"
        return self.radii_text

    @property
    def legend_label(self) -> str:
        """The label with the radii (unless it gives them) and whose figure it is."""
        text = self.label
        if not text.rstrip().endswith(("km", "km class")):
            text = f"{text} {self.range_words}"
        if self.claimant and self.claimant not in text:
            text = f"{text} ({self.claimant})"
        return text

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
