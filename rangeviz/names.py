"""Names as rangeviz writes them: one convention for maps, reports and the gazetteer.

The convention (:data:`CONVENTION`): **current English names.** Countries as
Natural Earth names them, written out in full ("Bosnia and Herzegovina", not
"Bosnia and Herz."), updated where the name has changed since Natural Earth's
2017 data as the country notified the UN (North Macedonia, Eswatini,
Türkiye); places in their established English form (Copenhagen, Nuremberg,
Gothenburg) and Ukrainian places in Ukraine's own romanization, as the US
Board on Geographic Names adopted it (Kyiv, Odesa, Lviv). Every change from
Natural Earth is a row of ``rangeviz/data/names.csv`` with its source; the old
forms stay findable (``--site Kiev`` finds Kyiv).

National capitals: one per country (Natural Earth's "Admin-0 capital" of a
sovereign state; where a country has several, the one named in the table),
so Hamilton (Bermuda, a territory) and Hargeysa (Somaliland, recognised by no
state) are not shown as national capitals.
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from rangeviz import geodata
from rangeviz.errors import DataError

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CONVENTION",
    "NAMES_FILE",
    "NationalCapitals",
    "Rename",
    "capital_rows",
    "capitals",
    "country_names",
    "former_names",
    "national_capitals",
    "place_name",
    "renames",
]

NAMES_FILE = Path(__file__).resolve().parent / "data" / "names.csv"

#: The naming convention in one sentence, for documents and figures' metadata.
CONVENTION = (
    "Names are current English names: countries as Natural Earth writes them in full, "
    "updated to later changes notified to the UN (North Macedonia, Eswatini, Türkiye); "
    "places in their established English form (Copenhagen, Nuremberg) and Ukrainian "
    "places as Ukraine romanizes them (Kyiv, Odesa). Changes and their sources: "
    "rangeviz/data/names.csv."
)

# Natural Earth types of admin-0 units whose capital is a national capital
_STATES = ("Sovereign country", "Country", "Disputed")


@dataclass(frozen=True)
class Rename:
    """One row of the names table: Natural Earth's name, ours, the old forms, the source."""

    kind: str  # "country", "place" or "capital"
    code: str  # Natural Earth adm0_a3
    natural_earth: str
    name: str
    former: tuple[str, ...]
    source: str
    url: str


@functools.cache
def renames() -> tuple[Rename, ...]:
    """The names table (``rangeviz/data/names.csv``)."""
    try:
        with NAMES_FILE.open(newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
    except OSError as exc:
        raise DataError(f"cannot read the names table {str(NAMES_FILE)!r}: {exc}") from None
    out = []
    for number, row in enumerate(rows, start=2):
        try:
            out.append(
                Rename(
                    kind=row["kind"].strip(),
                    code=row["code"].strip(),
                    natural_earth=row["natural_earth"].strip(),
                    name=row["name"].strip(),
                    former=tuple(p.strip() for p in row["former"].split(";") if p.strip()),
                    source=row["source"].strip(),
                    url=row["url"].strip(),
                )
            )
        except (KeyError, AttributeError):
            raise DataError(f"{NAMES_FILE.name} line {number} is malformed") from None
    return tuple(out)


@functools.cache
def _places_table() -> dict[tuple[str, str], Rename]:
    return {(r.code, r.natural_earth): r for r in renames() if r.kind == "place"}


def place_name(name: str, code: str) -> str:
    """A place's name in the convention, from Natural Earth's name and country code.

    >>> place_name("Kiev", "UKR"), place_name("Berlin", "DEU")
    ('Kyiv', 'Berlin')
    """
    row = _places_table().get((code, name))
    return row.name if row is not None else name


def former_names(name: str, code: str) -> tuple[str, ...]:
    """Natural Earth's and older forms of a place the convention renames (for look-ups)."""
    row = _places_table().get((code, name))
    return (row.natural_earth, *row.former) if row is not None else ()


def country_names() -> dict[str, str]:
    """Natural Earth country code (``adm0_a3``) -> the country's name in the convention."""
    return dict(_country_names(str(geodata.data_dir())))


@functools.lru_cache(maxsize=2)
def _country_names(folder: str) -> tuple[tuple[str, str], ...]:
    layer = geodata.columns("countries", "50m")
    names: dict[str, str] = {}
    if not {"adm0_a3", "name"} <= set(layer):  # no country layer to name from
        return tuple((r.code, r.name) for r in renames() if r.kind == "country")
    longs = layer["name_long"] if "name_long" in layer else layer["name"]
    for code, short, long in zip(layer["adm0_a3"], layer["name"], longs, strict=True):
        # "Bosnia and Herz." and "Dem. Rep. Congo" are abbreviations for small maps
        names[str(code)] = str(long) if "." in str(short) else str(short)
    for row in renames():
        if row.kind == "country":
            names[row.code] = row.name
    return tuple(names.items())


def capitals(places: pd.DataFrame) -> pd.DataFrame:
    """The national capitals among Natural Earth places, one per country, named by the convention.

    Parameters
    ----------
    places : pandas.DataFrame
        A places layer (:func:`rangeviz.geodata.read_places`).

    Returns
    -------
    pandas.DataFrame
        The capitals' rows with ``name`` and ``country`` in the convention,
        most important first (Natural Earth's ``scalerank``).
    """
    cols = {c: places[c].to_numpy() for c in _CAPITAL_COLUMNS if c in places.columns}
    order, named, countries = capital_rows(cols)
    caps = places.iloc[order].copy()
    caps["name"] = named
    caps["country"] = countries
    return caps


@dataclass(frozen=True)
class NationalCapitals:
    """The national capitals as NumPy columns, most important first (see :func:`capitals`)."""

    name: np.ndarray  # in the convention
    country: np.ndarray  # in the convention
    adm0_a3: np.ndarray
    iso_a2: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    pop_max: np.ndarray
    scalerank: np.ndarray


def national_capitals() -> NationalCapitals:
    """:func:`capitals` of the bundled 1:10m places, without pandas, once per data folder.

    One row per name and position (two countries naming one city at one
    point give one row). The arrays are read-only.

    >>> caps = national_capitals()
    >>> "Kyiv" in caps.name and "Hargeysa" not in caps.name
    True
    """
    return _national_capitals(str(geodata.data_dir()))


@functools.lru_cache(maxsize=2)
def _national_capitals(folder: str) -> NationalCapitals:
    cols = geodata.columns("places", "10m", capitals_only=True)
    order, named, countries = capital_rows(cols)
    seen: set[tuple[str, float, float]] = set()
    keep = []
    for i, (n, row) in enumerate(zip(named, order, strict=True)):
        key = (n, float(cols["lon"][row]), float(cols["lat"][row]))
        if key not in seen:
            seen.add(key)
            keep.append(i)
    rows = order[keep]
    out = NationalCapitals(
        name=np.array(named, dtype=object)[keep],
        country=np.array(countries, dtype=object)[keep],
        adm0_a3=np.array([str(c) for c in cols["adm0_a3"][rows]], dtype=object),
        iso_a2=np.array([str(c) for c in cols["iso_a2"][rows]], dtype=object),
        lon=cols["lon"][rows].astype(float),
        lat=cols["lat"][rows].astype(float),
        pop_max=cols["pop_max"][rows].astype(float),
        scalerank=cols["scalerank"][rows].astype(float),
    )
    for array in vars(out).values():
        array.flags.writeable = False
    return out


_CAPITAL_COLUMNS = ("adm0cap", "featurecla", "adm0_a3", "name", "country", "pop_max", "scalerank")


def capital_rows(cols: Mapping[str, Any]) -> tuple[np.ndarray, list[str], list[str]]:
    """The rule of :func:`capitals` on columns (``adm0cap``, ``featurecla``,
    ``adm0_a3``, ``name``, ``country``, ``pop_max``, ``scalerank``): the chosen
    rows' positions, most important first, and their names and countries in
    the convention. No pandas needed."""
    types = _country_types(str(geodata.data_dir()))
    chosen = {r.code: r.natural_earth for r in renames() if r.kind == "capital"}
    code = [str(c) for c in cols["adm0_a3"]]
    name = [str(n) for n in cols["name"]]
    cla = cols["featurecla"]
    capital = np.asarray(cols["adm0cap"], dtype=float) > 0
    candidates = [
        i
        for i in range(len(name))
        if capital[i]
        and cla[i] == "Admin-0 capital"
        and types.get(code[i], "Country") in _STATES
        # where the table names none of a country's capitals, the most populous one
        and chosen.get(code[i], name[i]) == name[i]
    ]
    pop = np.asarray(cols["pop_max"], dtype=float)
    candidates.sort(key=lambda i: -pop[i])  # stable: file order among equals
    first: dict[str, int] = {}
    for i in candidates:
        first.setdefault(code[i], i)
    rows = list(first.values())
    countries = country_names()
    named = [place_name(name[i], code[i]) for i in rows]
    country = [countries.get(code[i], str(cols["country"][i])) for i in rows]
    rank = np.asarray(cols["scalerank"], dtype=float)
    order = sorted(range(len(rows)), key=lambda k: (rank[rows[k]], named[k]))
    return (
        np.array([rows[k] for k in order], dtype=np.intp),
        [named[k] for k in order],
        [country[k] for k in order],
    )


@functools.lru_cache(maxsize=2)
def _country_types(folder: str) -> dict[str, str]:
    layer = geodata.columns("countries", "50m")
    if not {"adm0_a3", "type"} <= set(layer):  # older data: every unit is a state
        return {}
    return {str(c): str(t) for c, t in zip(layer["adm0_a3"], layer["type"], strict=True)}
