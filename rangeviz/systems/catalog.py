"""The catalog: systems with their range estimates and sources, looked up by any name.

Read from ``rangeviz/data/systems.toml``: each system's estimates, each by a
named claimant with its source; the ``default`` claimant's figure is the
band a map draws, and the band says whose figure it is.
"""

from __future__ import annotations

import dataclasses
import functools
import tomllib
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from rangeviz import _checks, _fuzzy
from rangeviz.errors import (
    DataError,
    InputError,
    RangevizWarning,
    UnknownNameError,
    outside_stacklevel,
)
from rangeviz.model import Band, Source
from rangeviz.systems.system import Estimate, System, lookup_key

__all__ = [
    "DATA_DIR",
    "Estimate",
    "INF_BAND",  # noqa: F822 (read from the catalog on first use: __getattr__)
    "System",
    "catalog_sources",
    "get_system",
    "inf_band",
    "list_systems",
    "lookup_key",
    "read_sources",
    "read_toml",
]

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def inf_band() -> Band:
    """The INF Treaty band, 500-5,500 km: the default band everywhere.

    The treaty's band is a definition, not an estimate: it carries no range
    note, and its source is the treaty text.

    >>> inf_band().legend_label
    'INF Treaty band 500–5,500 km'
    """
    treaty = _catalog()[2]
    return Band("INF Treaty band", 500.0, 5500.0, sources=(treaty,))


def __getattr__(name: str) -> System:
    if name == "INF_BAND":  # built from the catalog's [inf_band] on first use
        return _catalog()[3]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _source(entry: Any, where: str) -> Source:
    if not isinstance(entry, Mapping):
        raise DataError(f"{where}: a [[source]] must be a table")
    unknown = sorted(set(entry) - {"id", *(f.name for f in dataclasses.fields(Source))})
    if unknown:
        raise DataError(f"{where}: unknown key {unknown[0]!r}")
    try:
        return Source(**{k: v for k, v in entry.items() if k != "id"})
    except InputError as exc:
        raise DataError(f"{where}: {exc}") from None


def read_sources(data: Mapping[str, Any], path: Path) -> dict[str, Source]:
    """The ``[[source]]`` entries of a catalog file, by id."""
    out: dict[str, Source] = {}
    for number, entry in enumerate(data.get("source", []), start=1):
        where = f"{path.name}: source {number}"
        ident = entry.get("id") if isinstance(entry, Mapping) else None
        if not isinstance(ident, str) or not ident:
            raise DataError(f"{where} has no id")
        if ident in out:
            raise DataError(f"{where}: the id {ident!r} is used twice")
        out[ident] = _source(entry, f"{path.name}: source {ident!r}")
    return out


def read_toml(path: Path) -> dict[str, Any]:
    """A catalog file, or a DataError naming it."""
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except OSError as exc:
        raise DataError(f"cannot read the catalog {str(path)!r}: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise DataError(f"the catalog {str(path)!r} is not valid TOML: {exc}") from None


def _cited(ids: Any, sources: Mapping[str, Source], where: str) -> tuple[Source, ...]:
    ids = [ids] if isinstance(ids, str) else list(ids or ())
    missing = [i for i in ids if i not in sources]
    if missing:
        raise DataError(f"{where}: no [[source]] with id {missing[0]!r}")
    return tuple(sources[i] for i in ids)


_ESTIMATE_KEYS = {"km", "min_km", "band", "lower_bound", "by", "date", "source", "also", "note"}
_SYSTEM_KEYS = {
    "name",
    "aliases",
    "nato_name",
    "country",
    "kind",
    "status",
    "status_note",
    "caveat",
    "default",
    "default_note",
    "estimates",
}


def _estimate(entry: Mapping[str, Any], sources: Mapping[str, Source], where: str) -> Estimate:
    unknown = sorted(set(entry) - _ESTIMATE_KEYS)
    if unknown:
        raise DataError(f"{where}: unknown key {unknown[0]!r}")
    if "source" not in entry:
        raise DataError(f"{where}: no source")
    (source,) = _cited(entry["source"], sources, where)
    bound = "class" if entry.get("band") else "at least" if entry.get("lower_bound") else "max"
    try:
        return Estimate(
            km=entry.get("km"),  # type: ignore[arg-type]
            by=entry.get("by"),  # type: ignore[arg-type]
            source=source,
            min_km=entry.get("min_km", 0.0),
            bound=bound,
            date=str(entry.get("date", "")),
            also=_cited(entry.get("also", ()), sources, where),
            note=entry.get("note", ""),
        )
    except InputError as exc:
        raise DataError(f"{where}: {exc}") from None


@functools.cache
def _catalog() -> tuple[
    tuple[System, ...], dict[str, tuple[System, ...]], Source, System, dict[str, Source]
]:
    """Systems; each lookup key's systems (several: an ambiguous name); the treaty's
    source; the INF band as a System; every source by id."""
    path = DATA_DIR / "systems.toml"
    data = read_toml(path)
    sources = read_sources(data, path)
    systems = []
    for number, entry in enumerate(data.get("system", []), start=1):
        where = f"{path.name}: system {number} ({entry.get('name', '?')!r})"
        unknown = sorted(set(entry) - _SYSTEM_KEYS)
        if unknown:
            raise DataError(f"{where}: unknown key {unknown[0]!r}")
        estimates = tuple(
            _estimate(e, sources, f"{where}, estimate {i}")
            for i, e in enumerate(entry.get("estimates", []), start=1)
        )
        try:
            systems.append(
                System(
                    **{k: v for k, v in entry.items() if k != "estimates"},
                    estimates=estimates,
                )
            )
        except (TypeError, InputError) as exc:
            raise DataError(f"{where}: {exc}") from None
    band = data.get("inf_band", {})
    (treaty,) = _cited(band.get("source", "inf-treaty"), sources, f"{path.name}: [inf_band]")
    inf = System(
        name="INF Treaty band",
        aliases=("INF", "INF band", "INF Treaty"),
        country="USA; USSR",
        kind="treaty band",
        min_km=float(band.get("min_km", 500.0)),
        max_km=float(band.get("max_km", 5500.0)),
        range_note=str(band.get("note", "")),
        status="Signed 8 Dec 1987; in force 1 Jun 1988; terminated 2 Aug 2019",
        sources=(treaty,),
        caveat="Covers ground-launched missiles only; air- and sea-launched ones were outside it.",
    )
    index: dict[str, list[System]] = {}
    for system in (*systems, inf):
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
    return tuple(systems), {k: tuple(v) for k, v in index.items()}, treaty, inf, sources


def catalog_sources() -> dict[str, Source]:
    """Every source of the systems catalog, by its id."""
    return dict(_catalog()[4])


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
        If no system has that name (the message lists the closest names,
        ranked by :mod:`rangeviz._fuzzy`), or if the name belongs to several
        systems (it lists them).

    Warns
    -----
    RangevizWarning
        If ``name`` is not a catalog name but a typo of one or two letters
        of exactly one (``"Pershing IIl"``): that system is returned.

    Examples
    --------
    >>> get_system("pershing 2").name
    'Pershing II'
    >>> get_system("SS-20").max_km
    5000.0
    """
    if not isinstance(name, str):
        raise InputError(f"system {_checks.show(name)} must be a name (a string), e.g. 'SSC-8'")
    index = _catalog()[1]
    key = lookup_key(name)
    if not key:
        raise InputError(
            f"system {_checks.show(name)} is empty: give a name, e.g. 'SSC-8' or 'Pershing II'"
        )
    hits = index.get(key, ())
    if len(hits) == 1:
        return hits[0]
    if hits:
        choices = " or ".join(repr(s.name) for s in hits)
        raise UnknownNameError(
            f"system {_checks.show(name)} is ambiguous: it may be {choices}; "
            "give one of those names"
        )
    corrected = _fuzzy.correction(key, index)
    if corrected is not None and len(index[corrected]) == 1:
        (system,) = index[corrected]
        warnings.warn(
            RangevizWarning(
                f"system {_checks.show(name)} is not in the catalog; using the closest "
                f"spelling, {system.name}"
            ),
            stacklevel=outside_stacklevel(),
        )
        return system
    raise UnknownNameError(f"system {_checks.show(name)} is not in the catalog; {_suggest(name)}")


def _suggest(name: str) -> str:
    """The closest catalog names to ``name``, ranked by :mod:`rangeviz._fuzzy`."""
    systems, index, _, inf, _ = _catalog()
    spelled: dict[str, str] = {}
    for system in (*systems, inf):  # catalog order: the more prominent first
        for alias in system.names:
            spelled.setdefault(lookup_key(alias), alias)
    shown: list[str] = []
    owners_seen: set[tuple[str, ...]] = set()
    for m in _fuzzy.ranked(lookup_key(name), spelled):
        owners = tuple(s.name for s in index[m.key])
        if owners in owners_seen:  # one name per system is enough
            continue
        owners_seen.add(owners)
        joined = " or ".join(owners)
        shown.append(spelled[m.key] if spelled[m.key] == joined else f"{spelled[m.key]} ({joined})")
        if len(shown) == 5:
            break
    known = ", ".join(s.name for s in systems)
    if shown:
        return f"closest matches: {', '.join(shown)} (see 'rangeviz systems' for all)"
    if len(known) <= 200:
        return f"known systems: {known}, {inf.name} (INF)"
    return f"no close match among the {len(systems)} systems: 'rangeviz systems' lists them"
