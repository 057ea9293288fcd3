"""A system of the catalog and its range estimates, each with its claimant and source."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from rangeviz import _checks
from rangeviz._text import km, radii
from rangeviz.errors import InputError, UnknownNameError
from rangeviz.model import Band, Source
from rangeviz.model.bands import BOUNDS

__all__ = ["Estimate", "System", "lookup_key"]


def lookup_key(text: str) -> str:
    """Lookup key: case-, accent-, space- and punctuation-insensitive ('SSC-8' == 'ssc8')."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return re.sub(r"[\W_]+", "", text)


@dataclass(frozen=True)
class Estimate:
    """One claimant's figure for a system's range, with its source.

    Parameters
    ----------
    km : float
        The range: the outer radius a map draws.
    by : str
        Who states it: ``"Russian MoD"``, ``"US State Dept"``, ``"INF Treaty"``.
    source : Source
        Where it is stated.
    min_km : float
        A stated minimum (0 when none is stated).
    bound : {"max", "at least", "class"}
        A maximum range; only "more than ``km``"; or a class the source puts
        the missile in (the INF Treaty's 1,000-5,500 km), not its range.
    date : str
        When (YYYY, YYYY-MM or YYYY-MM-DD).
    also : tuple of Source
        Further sources stating the same figure.
    note : str
        The source's words and what to keep in mind.

    Examples
    --------
    >>> e = Estimate(480, "Russian MoD", Source("briefing", org="Russian MoD"), date="2019-01-23")
    >>> e.text, e.attributed
    ('480 km', 'Russian MoD (2019): 480 km')
    """

    km: float
    by: str
    source: Source
    min_km: float = 0.0
    bound: str = "max"
    date: str = ""
    also: tuple[Source, ...] = ()
    note: str = ""

    def __post_init__(self) -> None:
        put = object.__setattr__
        put(self, "by", _checks.text(self.by, "estimate by"))
        where = f"estimate by {self.by!r}"
        inner, outer = _checks.band_radii(
            self.min_km, self.km, names=(f"{where}: min_km", f"{where}: km")
        )
        put(self, "min_km", inner)
        put(self, "km", outer)
        put(self, "bound", _checks.choice(f"{where}: bound", self.bound, BOUNDS))
        for key in ("date", "note"):
            put(self, key, _checks.text(getattr(self, key), f"{where}: {key}", empty=True))
        if not isinstance(self.source, Source):
            raise InputError(f"{where}: source {_checks.show(self.source)} must be a Source")
        put(self, "also", tuple(self.also))

    @property
    def text(self) -> str:
        """``"480 km"``, ``"more than 1,852 km"``, ``"1,000–5,500 km (class)"``."""
        if self.bound == "at least":
            return f"more than {km(self.km)} km"
        if self.bound == "class":
            return f"{radii(self.min_km, self.km)} (class, not a maximum)"
        if self.min_km > 0:
            return radii(self.min_km, self.km)
        return f"{km(self.km)} km"

    @property
    def short_text(self) -> str:
        """``"480 km"``, ``"more than 1,852 km"``, ``"1,000–5,500 km class"``."""
        if self.bound == "class":
            return f"{radii(self.min_km, self.km)} class"
        return self.text

    @property
    def attributed(self) -> str:
        """``"Russian MoD (2019): 480 km"``."""
        year = f" ({self.date[:4]})" if self.date[:4].isdigit() else ""
        return f"{self.by}{year}: {self.text}"

    @property
    def sources(self) -> tuple[Source, ...]:
        """The source and the ones that say the same."""
        return (self.source, *self.also)


@dataclass(frozen=True)
class System:
    """A missile system (or the INF Treaty band) with its range estimates and sources.

    Parameters
    ----------
    name : str
        Catalog name, e.g. ``"9M729"``.
    aliases : tuple of str
        Other names it is looked up by (``("SSC-8", ...)``).
    nato_name : str
        NATO designation and reporting name, e.g. ``"SSC-8 Screwdriver"``.
    country : str
        Who built or fields it.
    kind : str
        E.g. ``"GLCM"``, ``"GLBM (IRBM; 3 MIRV)"``, ``"treaty band"``.
    min_km, max_km : float or None
        The drawn band's radii: the default estimate's (None where no figure
        is sourced). For a system of your own, give these (and ``sources``,
        ``range_note``) instead of ``estimates``.
    range_note : str
        The other published estimates, each with its claimant.
    status : str
        Deployment or treaty status.
    sources : tuple of Source
        Every source of every estimate (the drawn one's first).
    caveat : str
        What to keep in mind when drawing it.
    estimates : tuple of Estimate
        Every sourced figure, each with its claimant.
    default : str
        The claimant (``Estimate.by``) whose figure a map draws.
    default_note, status_note : str
        Why that default; how far the status could be checked.

    Examples
    --------
    >>> System("Test", max_km=900).band_km
    (0.0, 900.0)
    >>> System("Bad", min_km=600, max_km=500)
    Traceback (most recent call last):
    ...
    rangeviz.errors.InputError: system 'Bad': min_km 600.0 must be less than max_km 500.0
    """

    name: str
    aliases: tuple[str, ...] = ()
    nato_name: str = ""
    country: str = ""
    kind: str = ""
    min_km: float | None = None
    max_km: float | None = None
    range_note: str = ""
    status: str = ""
    sources: tuple[Source, ...] = ()
    caveat: str = ""
    estimates: tuple[Estimate, ...] = ()
    default: str = ""
    default_note: str = ""
    status_note: str = ""

    def __post_init__(self) -> None:
        put = object.__setattr__
        name = _checks.text(self.name, "system name")
        put(self, "name", name)
        where = f"system {name!r}"
        if isinstance(self.aliases, str):
            raise InputError(f"{where}: aliases {self.aliases!r} must be a sequence of strings")
        put(self, "aliases", _checks.strings(self.aliases, f"{where}: aliases"))
        for key in (
            "nato_name",
            "country",
            "kind",
            "range_note",
            "status",
            "caveat",
            "default",
            "default_note",
            "status_note",
        ):
            put(self, key, _checks.text(getattr(self, key), f"{where}: {key}", empty=True))
        if isinstance(self.sources, (str, Source)):
            raise InputError(f"{where}: sources must be a sequence of citations or URLs")
        put(self, "sources", tuple(Source.parse(s) for s in self.sources))
        put(self, "estimates", tuple(self.estimates))
        if self.estimates:
            self._from_estimates(where)
        for key in ("min_km", "max_km"):
            value = getattr(self, key)
            if value is not None:
                put(self, key, _checks.radius(value, f"{where}: {key}"))
        if self.max_km is not None and self.max_km <= 0:
            raise InputError(f"{where}: max_km {self.max_km!r} must be above 0")
        if self.min_km is not None and self.max_km is not None and self.min_km >= self.max_km:
            raise InputError(
                f"{where}: min_km {self.min_km!r} must be less than max_km {self.max_km!r}"
            )

    def _from_estimates(self, where: str) -> None:
        """Radii, sources and the note on other figures, from the estimates."""
        put = object.__setattr__
        claimants = [e.by for e in self.estimates]
        if self.default and self.default not in claimants:
            raise InputError(
                f"{where}: default {self.default!r} is none of its estimates' claimants: "
                f"{', '.join(claimants)}"
            )
        chosen = self.estimate()
        put(self, "min_km", (chosen.min_km or None) if chosen else None)
        put(self, "max_km", chosen.km if chosen else None)
        sources: list[Source] = []
        for e in sorted(self.estimates, key=lambda e: e is not chosen):
            sources.extend(s for s in e.sources if s not in sources)
        put(self, "sources", tuple(sources))
        if not self.range_note:
            others = [e.attributed for e in self.estimates if e is not chosen]
            put(self, "range_note", "; ".join(others))

    def estimate(self, by: str | None = None) -> Estimate | None:
        """The estimate of claimant ``by`` (default: the catalog's default), or None.

        Raises
        ------
        UnknownNameError
            If no estimate is by ``by``; the message lists the claimants.
        """
        if not self.estimates:
            return None
        wanted = by if by is not None else self.default
        if not wanted:
            return self.estimates[0]
        for e in self.estimates:
            if lookup_key(e.by) == lookup_key(wanted):
                return e
        claimants = ", ".join(repr(e.by) for e in self.estimates)
        raise UnknownNameError(
            f"system {self.name!r} has no estimate by {wanted!r}; its claimants: {claimants}"
        )

    @property
    def band_km(self) -> tuple[float, float]:
        """``(inner_km, outer_km)``: ``(min_km, max_km)``, or ``(0, max_km)`` with no minimum.

        Raises
        ------
        InputError
            If the catalog has no sourced maximum range for this system.
        """
        if self.max_km is None:
            why = self.caveat or self.range_note
            note = f" (catalog note: {why})" if why else ""
            raise InputError(
                f"system {self.name!r} has no sourced range{note}; "
                "give the band explicitly in km (--inner/--outer, or inner_km/outer_km)"
            )
        return (0.0 if self.min_km is None else self.min_km, self.max_km)

    @property
    def names(self) -> tuple[str, ...]:
        """The name, the aliases and the NATO name: everything it is looked up by."""
        extra = (self.nato_name,) if self.nato_name else ()
        return (self.name, *self.aliases, *extra)

    @property
    def label(self) -> str:
        """How maps and reports name it: ``"9M729 (SSC-8 Screwdriver)"``."""
        return f"{self.name} ({self.nato_name})" if self.nato_name else self.name

    def band(self, by: str | None = None) -> Band:
        """The band a map draws for this system: the estimate of ``by`` (default: the catalog's).

        The band carries its claimant (the legend says whose figure it is),
        its sources, and the other estimates as its note. Every way in --
        ``--system``, a scenario's ``ranges``, ``plot_bands(systems=)`` --
        draws this same band.

        Raises
        ------
        InputError
            If the catalog has no sourced range for this system.
        UnknownNameError
            If it has no estimate by ``by``.

        Examples
        --------
        >>> from rangeviz.systems import get_system
        >>> get_system("SSC-8").band("Russian MoD").legend_label
        '9M729 (SSC-8 Screwdriver) up to 480 km (Russian MoD)'
        """
        if self.kind == "treaty band":  # a definition, not an estimate
            from rangeviz.systems.catalog import inf_band

            return inf_band()
        if not self.estimates:
            inner, outer = self.band_km
            return Band(
                self.label,
                inner,
                outer,
                system=self.name,
                sources=self.sources,
                note=self.range_note,
            )
        chosen = self.estimate(by)
        if chosen is None:
            _ = self.band_km  # raises: no sourced range
            raise AssertionError("unreachable")
        others = "; ".join(e.attributed for e in self.estimates if e is not chosen)
        # a class (the INF Treaty's 1,000-5,500 km) holds the range somewhere in it:
        # everything up to its top may be in reach, so the band is drawn from 0
        in_class = chosen.bound == "class"
        return Band(
            self.label,
            0.0 if in_class else chosen.min_km,
            chosen.km,
            system=self.name,
            sources=chosen.sources,
            note=f"{self.name}: {others}" if others else "",
            claimant=chosen.by,
            bound=chosen.bound,
            class_min_km=chosen.min_km if in_class else 0.0,
        )
