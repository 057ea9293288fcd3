"""The missile systems catalog and the INF Treaty band.

The catalog (``rangeviz/data/systems.csv``) was collected from press,
encyclopedia and arms-control pages; every row keeps its source URLs. Read its
numbers with the caveats that come with them:

- Cold War ranges differ between sources by 10-30 %. ``max_km`` is the figure
  most sources cite; ``range_note`` gives the spread of published estimates.
- 9M729 / SSC-8: Russia declared 480 km; the Western ~2,000-2,500 km figures
  come from press reports of intelligence estimates. The catalog's 2,350 km is
  one of those.
- RK-55 Relief (SSC-X-4) has no sourced range, nor have the Typhon launcher
  and the later PrSM increments: asking for their band raises an error.
- Oreshnik's 5,500 km is a Russian claim.
- Kinzhal is air-launched, so outside the INF Treaty's scope.

Each :class:`System` carries these in ``range_note`` and ``caveat``.

A system with no sourced minimum range has the band 0-``max_km`` (everything
it can reach), not ``min_km``-``max_km``.

Examples
--------
>>> from rangeviz.systems import INF_BAND, get_system
>>> get_system("ssc8").name
'9M729'
>>> get_system("Pershing II").band_km
(0.0, 1770.0)
>>> INF_BAND.band_km
(500.0, 5500.0)
"""

from __future__ import annotations

import csv
import dataclasses
import difflib
import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rangeviz import _checks
from rangeviz._text import radii
from rangeviz.errors import DataError, InputError, UnknownNameError
from rangeviz.model import Band, Source

__all__ = [
    "BAND_KEYS",
    "INF_BAND",
    "System",
    "get_system",
    "inf_band",
    "list_systems",
    "resolve_band",
    "resolve_bands",
]

DATA_DIR = Path(__file__).parent / "data"


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


#: The keys a band given as a table (TOML ``ranges``) may have.
BAND_KEYS = (
    "claimant",
    "color",
    "inner_km",
    "label",
    "linestyle",
    "note",
    "outer_km",
    "sources",
    "system",
)


def resolve_band(spec: Any, where: str = "ranges") -> Band:
    """A :class:`~rangeviz.model.Band` from however a band was given.

    Parameters
    ----------
    spec : Band, System, str, (inner_km, outer_km) or mapping
        A band; a catalog system or its name or alias (``"SSC-8"``; ``"INF"``
        is the treaty band); a pair of radii; or a table with ``system`` (and
        overrides) or ``inner_km`` and ``outer_km`` (and ``label``,
        ``sources``, ``note``, ``claimant``, ``color``, ``linestyle``).
    where : str
        How messages name it (``"ranges[1]"``, ``"--system"``).

    Raises
    ------
    InputError, UnknownNameError

    Examples
    --------
    >>> resolve_band((0, 480)).label
    '0–480 km'
    >>> resolve_band({"system": "SSC-8", "outer_km": 480, "label": "9M729 (Russia)"}).radii_text
    '0–480 km'
    """
    if isinstance(spec, Band):
        return spec
    if isinstance(spec, System):
        return spec.band()
    if hasattr(spec, "name") and hasattr(spec, "max_km"):  # a system-like object
        from rangeviz.model import BandLayer

        return BandLayer.from_system(spec).band
    if hasattr(spec, "inner_km") and hasattr(spec, "outer_km"):  # a band-like object
        inner, outer = _checks.band_radii(
            spec.inner_km, spec.outer_km, names=(f"{where}: inner_km", f"{where}: outer_km")
        )
        return Band(
            str(getattr(spec, "label", "") or radii(inner, outer)),
            inner,
            outer,
            system=str(getattr(spec, "system", "") or ""),
            sources=tuple(getattr(spec, "sources", ()) or ()),
        )
    if isinstance(spec, str):
        if _key(spec) in _INF_KEYS:
            return inf_band()
        try:
            return get_system(spec).band()
        except InputError as exc:
            raise type(exc)(f"{where}: {exc}") from None
    if isinstance(spec, Mapping):
        return _band_from_table(spec, where)
    if isinstance(spec, Iterable) and not isinstance(spec, bytes):
        values = list(spec)
        if len(values) == 2:
            inner, outer = _checks.band_radii(
                values[0], values[1], names=(f"{where} inner_km", f"{where} outer_km")
            )
            return Band(radii(inner, outer), inner, outer)
    raise InputError(
        f"{where}: {_checks.show(spec)} is not a band; give a system name, a System "
        "(with name, min_km and max_km), (inner_km, outer_km) or a table with 'system' "
        "or 'inner_km' and 'outer_km'"
    )


def resolve_bands(specs: Any, what: str = "ranges", *, empty: str = "inf") -> tuple[Band, ...]:
    """Bands from one spec or a list of them.

    None, or an empty list when ``empty="inf"`` (the default), gives the INF
    Treaty band; with ``empty="error"`` an empty list is a mistake.

    >>> [b.label for b in resolve_bands(["INF", (0, 480)])]
    ['INF Treaty band', '0–480 km']
    """
    if specs is None:
        return (inf_band(),)
    if isinstance(specs, (str, Band, System, Mapping)):
        specs = [specs]
    if (
        isinstance(specs, tuple)
        and len(specs) == 2
        and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in specs)
    ):
        specs = [specs]  # one (inner_km, outer_km) pair
    if isinstance(specs, bytes) or not isinstance(specs, Iterable):
        raise InputError(f"{what} {_checks.show(specs)} is not a band or a list of bands")
    out = tuple(resolve_band(spec, f"{what}[{i}]") for i, spec in enumerate(specs))
    if not out and empty == "error":
        raise InputError(f"{what} is empty: give at least one band, or leave it out")
    return out or (inf_band(),)


def _band_from_table(spec: Mapping[str, Any], where: str) -> Band:
    unknown = sorted(set(map(str, spec)) - set(BAND_KEYS))
    if unknown:
        raise InputError(
            f"{where}: unknown key {unknown[0]!r}; a band table may have: {', '.join(BAND_KEYS)}"
        )
    changes: dict[str, Any] = {}
    for key in ("label", "note", "claimant", "color", "linestyle"):
        if key in spec:
            changes[key] = _checks.text(spec[key], f"{where}.{key}", empty=key == "note")
    if "sources" in spec:
        changes["sources"] = _checks.strings(spec["sources"], f"{where}.sources")
    for key in ("inner_km", "outer_km"):
        if key in spec:
            changes[key] = _checks.radius(spec[key], f"{where}.{key}")
    if "system" in spec:
        base = resolve_band(_checks.text(spec["system"], f"{where}.system"), where)
        try:
            return dataclasses.replace(base, **changes) if changes else base
        except InputError as exc:
            raise InputError(f"{where}: {exc}") from None
    missing = [k for k in ("inner_km", "outer_km") if k not in spec]
    if missing:
        raise InputError(
            f"{where}: give 'system' or both 'inner_km' and 'outer_km' (missing {missing[0]!r})"
        )
    inner, outer = _checks.band_radii(
        changes.pop("inner_km"),
        changes.pop("outer_km"),
        names=(f"{where}.inner_km", f"{where}.outer_km"),
    )
    label = changes.pop("label", "") or radii(inner, outer)
    try:
        return Band(label, inner, outer, **changes)
    except InputError as exc:
        raise InputError(f"{where}: {exc}") from None


_INF_KEYS = frozenset({"inf", "infband", "inftreaty", "inftreatyband"})


def _key(text: str) -> str:
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
            hits = index.setdefault(_key(name), [])
            if system not in hits:
                hits.append(system)
        # the designation or the reporting name alone ("SSC-8", "Screwdriver")
        if " " in system.nato_name:
            for part in system.nato_name.split(maxsplit=1):
                hits = index.setdefault(_key(part), [])
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
    key = _key(name)
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
    spelled = {}
    for system in (*systems, INF_BAND):
        for alias in system.names:
            spelled.setdefault(_key(alias), alias)
    close = difflib.get_close_matches(_key(name), list(spelled), n=5, cutoff=0.6)
    known = ", ".join(s.name for s in systems)
    if close:
        shown = []
        for k in close:
            owners = " or ".join(s.name for s in index[k])
            shown.append(spelled[k] if spelled[k] == owners else f"{spelled[k]} ({owners})")
        return f"closest matches: {', '.join(shown)} (see 'rangeviz systems' for all)"
    return f"known systems: {known}, {INF_BAND.name} (INF)"
