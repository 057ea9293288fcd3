"""Reported sites: the bases, launch, test and elimination sites a briefing names.

Read from ``rangeviz/data/sites.toml``. Each site names its system, its
period, how certain its reporting is (:data:`CERTAINTIES`) and its sources
(entries of the catalog's ``[[source]]`` lists); where a position is known,
how far the point may be off (``uncertainty_km``) and where it comes from.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rangeviz import _checks
from rangeviz.errors import DataError, InputError
from rangeviz.model import Source

__all__ = ["CERTAINTIES", "SITES_FILE", "ReportedSite", "reported_sites"]

SITES_FILE = Path(__file__).resolve().parent.parent / "data" / "sites.toml"

#: How well a site is attested: a government said so; several outlets reported
#: it independently; one report (often relayed by others).
CERTAINTIES = ("announced", "reported by several outlets", "single report")

_KEYS = {
    "name",
    "aliases",
    "system",
    "country",
    "iso_a2",
    "lat",
    "lon",
    "uncertainty_km",
    "coord_basis",
    "period",
    "certainty",
    "sources",
    "note",
}


@dataclass(frozen=True)
class ReportedSite:
    """One reported site, with how well it is attested and where that is said."""

    name: str
    system: str
    country: str
    iso_a2: str
    certainty: str
    sources: tuple[Source, ...]
    aliases: tuple[str, ...] = ()
    lat: float | None = None
    lon: float | None = None
    uncertainty_km: float | None = None
    coord_basis: str = ""
    period: str = ""
    note: str = ""

    def __post_init__(self) -> None:
        put = object.__setattr__
        where = f"site {self.name!r}"
        for key in ("name", "system", "country", "iso_a2"):
            put(self, key, _checks.text(getattr(self, key), f"{where}: {key}"))
        for key in ("coord_basis", "period", "note"):
            put(self, key, _checks.text(getattr(self, key), f"{where}: {key}", empty=True))
        put(self, "certainty", _checks.choice(f"{where}: certainty", self.certainty, CERTAINTIES))
        put(self, "aliases", _checks.strings(self.aliases, f"{where}: aliases"))
        if not self.sources:
            raise InputError(f"{where} has no source")
        if (self.lat is None) != (self.lon is None):
            raise InputError(f"{where}: give both lat and lon, or neither")
        if self.lat is not None and self.lon is not None:
            lon, lat = _checks.lonlat(self.lon, self.lat, where)
            put(self, "lon", lon)
            put(self, "lat", lat)
        if self.uncertainty_km is not None:
            radius = _checks.radius(self.uncertainty_km, f"{where}: uncertainty_km")
            put(self, "uncertainty_km", radius)

    @property
    def citation(self) -> str:
        """Its sources, short: ``"US European Command (via UPI), 1988; ..."``."""
        return "; ".join(s.short for s in self.sources)


@functools.cache
def reported_sites() -> tuple[ReportedSite, ...]:
    """Every reported site of the catalog, in file order."""
    from rangeviz.systems.catalog import catalog_sources, read_sources, read_toml

    data = read_toml(SITES_FILE)
    sources = {**catalog_sources(), **read_sources(data, SITES_FILE)}
    out = []
    for number, entry in enumerate(data.get("site", []), start=1):
        where = f"{SITES_FILE.name}: site {number} ({_name(entry)!r})"
        if not isinstance(entry, Mapping):
            raise DataError(f"{where} is not a table")
        unknown = sorted(set(entry) - _KEYS)
        if unknown:
            raise DataError(f"{where}: unknown key {unknown[0]!r}")
        ids = entry.get("sources", [])
        missing = [i for i in ids if i not in sources]
        if missing:
            raise DataError(f"{where}: no [[source]] with id {missing[0]!r}")
        fields = {k: v for k, v in entry.items() if k != "sources"}
        try:
            out.append(ReportedSite(**fields, sources=tuple(sources[i] for i in ids)))
        except (TypeError, InputError) as exc:
            raise DataError(f"{where}: {exc}") from None
    return tuple(out)


def _name(entry: Any) -> str:
    return str(entry.get("name", "?")) if isinstance(entry, Mapping) else "?"
