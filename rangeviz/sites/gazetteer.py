"""The gazetteer: Natural Earth's populated places and the catalog's reported sites.

Every name is indexed by a folded key -- no case, accents or punctuation
(``'Kraków' -> 'krakow'``); places keep a rank (capitals first, then the
larger population) that decides between places of the same name. Built on
first use and kept.
"""

from __future__ import annotations

import csv
import functools
import math
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rangeviz._text import coord_label
from rangeviz.errors import DataError
from rangeviz.model import Site

__all__ = [
    "COUNTRY_ALIASES",
    "DATA_DIR",
    "Gazetteer",
    "NATURAL_EARTH_SOURCE",
    "Place",
    "fold",
    "gazetteer",
    "loose",
    "matches",
]

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
NATURAL_EARTH_SOURCE = "Natural Earth 1:10m populated places"

_NON_WORD = re.compile(r"[\W_]+")
_FOLD = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th"})


@functools.lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lookup key: no case, accents or punctuation ('Kraków' -> 'krakow')."""
    if text.isascii():  # most names: no accents to strip
        return " ".join(_NON_WORD.sub(" ", text.casefold()).split())
    text = unicodedata.normalize("NFKD", text.casefold().translate(_FOLD))
    text = "".join(c for c in text if not unicodedata.combining(c)).translate(_FOLD)
    return " ".join(_NON_WORD.sub(" ", text).split())


# Country names people type that Natural Earth spells otherwise.
COUNTRY_ALIASES = {
    "US": ("USA", "U.S.", "U.S.A.", "United States", "America"),
    "GB": ("UK", "U.K.", "Britain", "Great Britain", "England", "Scotland", "Wales"),
    "RU": ("Russian Federation",),
    "CZ": ("Czechia",),
    "NL": ("Holland", "The Netherlands"),
    "MK": ("North Macedonia",),
    "BY": ("Byelorussia",),
    "CI": ("Côte d'Ivoire",),
}


@dataclass(frozen=True)
class Place:
    name: str
    lon: float | None
    lat: float | None
    country: str
    iso_a2: str
    kind: str
    source: str
    note: str
    rank: tuple[float, ...]  # smaller is more prominent
    names: tuple[str, ...]  # folded primary names
    aliases: tuple[str, ...]  # folded alternative names

    def site(self) -> Site:
        assert self.lon is not None and self.lat is not None
        return Site(
            self.name,
            self.lon,
            self.lat,
            source=self.source,
            note=self.note,
            country=self.country,
            kind=self.kind,
        )

    def label(self) -> str:
        where = "" if self.lon is None or self.lat is None else coord_label(self.lon, self.lat)
        country = f", {self.country}" if self.country else ""
        return f"{self.name}{country} ({where})" if where else f"{self.name}{country}"


@dataclass
class Gazetteer:
    places: list[Place]
    names: dict[str, list[int]]
    aliases: dict[str, list[int]]
    countries: dict[str, set[str]]  # folded country name or code -> ISO codes / names
    tags: list[set[str]]  # per place: the folded country keys it matches
    spelled: dict[str, str]  # folded country key -> a spelling to show

    @functools.cached_property
    def loose_index(self) -> dict[str, list[str]]:
        """Loose spelling -> gazetteer keys, built on first use."""
        index: dict[str, list[str]] = {}
        for k in [*self.names, *self.aliases]:
            index.setdefault(loose(k), []).append(k)
        return index


def _natural_earth_places() -> list[dict[str, Any]]:
    """Rows of the bundled 1:10m populated places (see :mod:`rangeviz.geodata`).

    Each row gains ``display`` (its name in the convention of
    :mod:`rangeviz.names`), ``national`` (one of the national capitals) and
    ``state`` (its country's current name).
    """
    from rangeviz import names
    from rangeviz.geodata import read_places

    frame = read_places("10m")
    columns = ["name", "nameascii", "country", "iso_a2", "adm0cap", "featurecla"]
    columns += ["pop_max", "scalerank", "lon", "lat"]
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataError(f"the populated places layer lacks the columns {', '.join(missing)}")
    for optional in ("namealt", "namepar", "adm0_a3"):
        if optional not in frame.columns:  # older data: no other names, no codes
            frame[optional] = ""
    national = set(names.capitals(frame).index) if frame["adm0_a3"].astype(bool).any() else None
    countries = names.country_names()
    rows = frame[[*columns, "namealt", "namepar", "adm0_a3"]].to_dict("records")
    for index, row in zip(frame.index, rows, strict=True):
        code = _text(row["adm0_a3"])
        row["display"] = names.place_name(_text(row["name"]), code)
        row["former"] = names.former_names(_text(row["name"]), code)
        row["national"] = (
            index in national if national is not None else _number(row["adm0cap"]) >= 1
        )
        row["state"] = countries.get(code, "")
    return rows


def _other_names(row: dict[str, Any]) -> set[str]:
    """Natural Earth's alternative and English names of a place, and its former names."""
    out = set(row.get("former", ()))
    alt = _text(row.get("namealt")).removeprefix("Formerly ").strip()
    out.update(part.strip() for part in alt.split("|"))
    # for research stations namepar is the operating country, not a name
    if "station" not in _text(row.get("featurecla")).lower():
        out.add(_text(row.get("namepar")))
    return {fold(n) for n in out} - {""}


def _number(value: Any, default: float = 0.0) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return default
    return number if math.isfinite(number) else default


def _text(value: Any) -> str:
    """A table cell as text: '' for None and NaN."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def _split(cell: str, sep: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split(sep) if part.strip())


def _catalog_sites() -> list[dict[str, str]]:
    path = DATA_DIR / "sites.csv"
    try:
        with path.open(newline="", encoding="utf-8") as f:
            return list(csv.DictReader(f))
    except OSError as exc:
        raise DataError(f"cannot read the reported sites {str(path)!r}: {exc}") from None


def gazetteer() -> Gazetteer:
    """The gazetteer of the current data folder, built on first use and kept."""
    from rangeviz.geodata import data_dir

    return _build(str(data_dir()))


@functools.lru_cache(maxsize=2)
def _build(folder: str) -> Gazetteer:
    places: list[Place] = []
    iso_names: dict[str, set[str]] = {}
    for order, row in enumerate(_natural_earth_places()):
        capital = bool(row.get("national"))
        featurecla = _text(row.get("featurecla"))
        if capital:
            kind = "capital"
        elif featurecla in ("Scientific station", "Meteorological Station", "Historic place"):
            kind = featurecla.lower()
        else:
            kind = "city"
        original = _text(row.get("name")) or _text(row.get("nameascii"))
        name = _text(row.get("display")) or original
        names = {fold(name), fold(original), fold(_text(row.get("nameascii")))} - {""}
        if not names:
            continue
        iso = _text(row.get("iso_a2")).upper()
        iso = "" if iso == "-99" else iso
        country = _text(row.get("state")) or _text(row.get("country"))
        if iso:
            iso_names.setdefault(iso, set()).update(
                c for c in (country, _text(row.get("country"))) if c
            )
        places.append(
            Place(
                name=name,
                lon=float(row["lon"]),
                lat=float(row["lat"]),
                country=country,
                iso_a2=iso,
                kind=kind,
                source=NATURAL_EARTH_SOURCE,
                note="",
                rank=(
                    0 if capital else 1,
                    -_number(row.get("pop_max")),
                    _number(row.get("scalerank"), 99),
                    order,
                ),
                names=tuple(sorted(names)),
                aliases=tuple(sorted(_other_names(row) - names)),
            )
        )
    for order, row in enumerate(_catalog_sites(), start=len(places)):
        lat, lon = row["lat"].strip(), row["lon"].strip()
        name = row["name"].strip()
        # "Kapustin Yar (Znamensk) - training battalion" is also found without the brackets
        names = {fold(name), fold(re.sub(r"\([^)]*\)", " ", name))}
        places.append(
            Place(
                name=name,
                lon=float(lon) if lon else None,
                lat=float(lat) if lat else None,
                country=row["country"].strip(),
                iso_a2=row["iso_a2"].strip().upper(),
                kind="reported site",
                source=row["source"].strip(),
                note=f"{row['system'].strip()}; {row['period'].strip()}",
                rank=(1, 1.0, 99.0, order),  # after any city of the same name
                names=tuple(sorted(names)),
                aliases=tuple(fold(a) for a in _split(row["aliases"], ";")),
            )
        )
    for iso, extra in COUNTRY_ALIASES.items():
        iso_names.setdefault(iso, set()).update(extra)

    index_names: dict[str, list[int]] = {}
    index_aliases: dict[str, list[int]] = {}
    countries: dict[str, set[str]] = {}
    tags: list[set[str]] = []
    spelled: dict[str, str] = {}
    for i, place in enumerate(places):
        for key in place.names:
            index_names.setdefault(key, []).append(i)
        for key in place.aliases:
            if key not in place.names:
                index_aliases.setdefault(key, []).append(i)
        # "USSR (Belarus)" matches "USSR" and "Belarus"
        spellings = [place.country, *re.split(r"[()+]", place.country)]
        if place.iso_a2:
            spellings += [place.iso_a2, *iso_names.get(place.iso_a2, ())]
        tag = set()
        for spelling in spellings:
            key = fold(spelling)
            if key:
                tag.add(key)
                spelled.setdefault(key, spelling.strip())
        tags.append(tag)
        for key in tag:
            countries.setdefault(key, set()).add(place.iso_a2 or place.country)
    return Gazetteer(places, index_names, index_aliases, countries, tags, spelled)


def matches(g: Gazetteer, key: str) -> list[int]:
    """Places whose name is ``key``; failing that, places with that alias."""
    return list(g.names.get(key) or g.aliases.get(key) or [])


_LOOSE = (("iy", "y"), ("ij", "y"), ("yy", "y"), ("j", "y"), ("kh", "h"), ("ck", "k"))


def loose(key: str) -> str:
    """A folded name with transliteration variants merged ('kamchatskiy' -> 'kamchatsky')."""
    for old, new in _LOOSE:
        key = key.replace(old, new)
    return key
