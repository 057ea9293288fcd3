"""The catalog: systems with their ranges and sources, looked up by any name."""

from __future__ import annotations

import csv
import difflib
import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from rangeviz import _checks
from rangeviz.errors import DataError, InputError, UnknownNameError
from rangeviz.model import Band, Source

__all__ = ["DATA_DIR", "INF_BAND", "System", "get_system", "inf_band", "list_systems", "lookup_key"]

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


@dataclass(frozen=True)
class System:
    """A missile system (or the INF Treaty band) with its range and sources.

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
        Minimum and maximum range in km; None where no figure is sourced.
        When both are given, ``0 <= min_km < max_km``.
    range_note : str
        The spread of published estimates.
    status : str
        Deployment or treaty status.
    sources : tuple of str
        Source URLs.
    caveat : str
        What to keep in mind when drawing it (disputed or claimed ranges,
        air-launched, no sourced range...).

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
    sources: tuple[str, ...] = ()
    caveat: str = ""

    def __post_init__(self) -> None:
        name = _checks.text(self.name, "system name")
        object.__setattr__(self, "name", name)
        where = f"system {name!r}"
        for key in ("aliases", "sources"):
            value = getattr(self, key)
            if isinstance(value, str):
                raise InputError(f"{where}: {key} {value!r} must be a sequence of strings")
            object.__setattr__(self, key, _checks.strings(value, f"{where}: {key}"))
        for key in ("nato_name", "country", "kind", "range_note", "status", "caveat"):
            value = _checks.text(getattr(self, key), f"{where}: {key}", empty=True)
            object.__setattr__(self, key, value)
        for key in ("min_km", "max_km"):
            value = getattr(self, key)
            if value is not None:
                object.__setattr__(self, key, _checks.radius(value, f"{where}: {key}"))
        if self.max_km is not None and self.max_km <= 0:
            raise InputError(f"{where}: max_km {self.max_km!r} must be above 0")
        if self.min_km is not None and self.max_km is not None and self.min_km >= self.max_km:
            raise InputError(
                f"{where}: min_km {self.min_km!r} must be less than max_km {self.max_km!r}"
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
            note = f" (catalog note: {self.range_note})" if self.range_note else ""
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

    def band(self) -> Band:
        """The band a map draws for this system, with its label, sources and note.

        Every way in -- ``--system``, a scenario's ``ranges``, ``plot_bands(systems=)``
        -- draws this same band.

        Raises
        ------
        InputError
            If the catalog has no sourced maximum range for this system.

        Examples
        --------
        >>> get_system("SSC-8").band().legend_label
        '9M729 (SSC-8 Screwdriver) up to 2,350 km'
        """
        if self == INF_BAND:
            return inf_band()
        inner, outer = self.band_km
        return Band(
            self.label,
            inner,
            outer,
            system=self.name,
            sources=tuple(Source.parse(src) for src in self.sources),
            note=self.range_note,
        )


INF_BAND = System(
    name="INF Treaty band",
    aliases=("INF", "INF band", "INF Treaty"),
    country="USA; USSR",
    kind="treaty band",
    min_km=500.0,
    max_km=5500.0,
    range_note=(
        "Ground-launched ballistic and cruise missiles with ranges between 500 and "
        "5,500 km (310-3,417 miles): shorter-range 500-1,000 km, intermediate-range "
        "1,000-5,500 km (Art. II)"
    ),
    status="Signed 8 Dec 1987; terminated 2 Aug 2019",
    sources=("https://2009-2017.state.gov/t/avc/trty/102360.htm",),
    caveat="Covers ground-launched missiles only; air- and sea-launched ones were outside it.",
)
"""The INF Treaty band, 500-5,500 km: the default band."""

_INF_SOURCE = Source(
    title="INF Treaty (1987), Art. II",
    url="https://2009-2017.state.gov/t/avc/trty/102360.htm",
)


def inf_band() -> Band:
    """The INF Treaty band, 500-5,500 km: the default band everywhere.

    The treaty's band is a definition, not an estimate: it carries no range
    note, and its source is the treaty text.

    >>> inf_band().legend_label
    'INF Treaty band 500–5,500 km'
    """
    return Band("INF Treaty band", 500.0, 5500.0, sources=(_INF_SOURCE,))


def lookup_key(text: str) -> str:
    """Lookup key: case-, accent-, space- and punctuation-insensitive ('SSC-8' == 'ssc8')."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return re.sub(r"[\W_]+", "", text)


def _split(cell: str, sep: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split(sep) if part.strip())


def _km(cell: str, where: str) -> float | None:
    cell = cell.strip()
    if not cell:
        return None
    try:
        return float(cell)
    except ValueError:
        raise DataError(f"{where}: {cell!r} is not a number of kilometres") from None


@functools.cache
def _catalog() -> tuple[tuple[System, ...], dict[str, tuple[System, ...]]]:
    """The systems, and each lookup key's systems (more than one: an ambiguous name)."""
    path = DATA_DIR / "systems.csv"
    try:
        with path.open(newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
    except OSError as exc:
        raise DataError(f"cannot read the systems catalog {str(path)!r}: {exc}") from None
    systems = []
    for number, row in enumerate(rows, start=2):
        where = f"{path.name} line {number}"
        try:
            systems.append(
                System(
                    name=row["name"].strip(),
                    aliases=_split(row["aliases"], ";"),
                    nato_name=row["nato_name"].strip(),
                    country=row["country"].strip(),
                    kind=row["kind"].strip(),
                    min_km=_km(row["min_range_km"], where),
                    max_km=_km(row["max_range_km"], where),
                    range_note=row["range_note"].strip(),
                    status=row["status"].strip(),
                    sources=_split(row["source"], "|"),
                    caveat=row["caveat"].strip(),
                )
            )
        except (KeyError, InputError) as exc:
            raise DataError(f"{where}: {exc}") from None
    index: dict[str, list[System]] = {}
    for system in (*systems, INF_BAND):
        for name in system.names:
            hits = index.setdefault(lookup_key(name), [])
            if system not in hits:
                hits.append(system)
        # the designation or the reporting name alone ("SSC-8", "Screwdriver")
        if " " in system.nato_name:
            for part in system.nato_name.split(maxsplit=1):
                hits = index.setdefault(lookup_key(part), [])
                if system not in hits:
                    hits.append(system)
    return tuple(systems), {k: tuple(v) for k, v in index.items()}


def list_systems() -> list[System]:
    """The catalog, in catalog order (the INF band, :data:`INF_BAND`, is not in it).

    Examples
    --------
    >>> len(list_systems()) > 10
    True
    """
    return list(_catalog()[0])


def get_system(name: str) -> System:
    """The catalog system called ``name``: its name, an alias or its NATO name.

    Case, spaces, hyphens and accents do not matter: ``"SSC-8"``, ``"ssc8"``
    and ``"9M729"`` are the same system. ``"INF"`` gives :data:`INF_BAND`.

    Parameters
    ----------
    name : str
        A system name or alias.

    Returns
    -------
    System

    Raises
    ------
    UnknownNameError
        If no system has that name (the message lists the closest names), or
        if the name belongs to several systems (it lists them).

    Examples
    --------
    >>> get_system("pershing 2").name
    'Pershing II'
    >>> get_system("SS-20").max_km
    5000.0
    """
    if not isinstance(name, str):
        raise InputError(f"system {name!r} must be a name (a string), e.g. 'SSC-8'")
    _, index = _catalog()
    key = lookup_key(name)
    if not key:
        raise InputError(f"system {name!r} is empty: give a name, e.g. 'SSC-8' or 'Pershing II'")
    hits = index.get(key, ())
    if len(hits) == 1:
        return hits[0]
    if hits:
        choices = " or ".join(repr(s.name) for s in hits)
        raise UnknownNameError(
            f"system {name!r} is ambiguous: it may be {choices}; give one of those names"
        )
    raise UnknownNameError(f"system {name!r} is not in the catalog; {_suggest(name)}")


def _suggest(name: str) -> str:
    systems, index = _catalog()
    spelled: dict[str, str] = {}
    for system in (*systems, INF_BAND):
        for alias in system.names:
            spelled.setdefault(lookup_key(alias), alias)
    close = difflib.get_close_matches(lookup_key(name), list(spelled), n=5, cutoff=0.6)
    known = ", ".join(s.name for s in systems)
    if close:
        shown = []
        for k in close:
            owners = " or ".join(s.name for s in index[k])
            shown.append(spelled[k] if spelled[k] == owners else f"{spelled[k]} ({owners})")
        return f"closest matches: {', '.join(shown)} (see 'rangeviz systems' for all)"
    return f"known systems: {known}, {INF_BAND.name} (INF)"
