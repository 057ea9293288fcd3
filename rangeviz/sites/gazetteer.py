"""The gazetteer: Natural Earth's populated places and the catalog's reported sites.

Every name is indexed by a folded key -- no case, accents or punctuation
(``'Kraków' -> 'krakow'``); places keep a rank (capitals first, then the
larger population) that decides between places of the same name. Built on
first use and kept.
"""

from __future__ import annotations

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


def _natural_earth_places() -> dict[str, Any]:
    """The bundled 1:10m populated places (see :mod:`rangeviz.geodata`), as clean columns.

    Text columns hold '' for missing cells, numbers their default. Added:
    ``display`` (the name in the convention of :mod:`rangeviz.names`),
    ``former`` (older forms), ``national`` (one of the national capitals) and
    ``state`` (the country's current name).
    """
    import numpy as np

    from rangeviz import geodata, names

    frame = geodata.columns("places", "10m")
    columns = ["name", "nameascii", "country", "iso_a2", "adm0cap", "featurecla"]
    columns += ["pop_max", "scalerank", "lon", "lat"]
    missing = [c for c in columns if c not in frame]
    if missing:
        raise DataError(f"the populated places layer lacks the columns {', '.join(missing)}")
    rows = len(frame["name"])
    for optional in ("namealt", "namepar", "adm0_a3"):
        if optional not in frame:  # older data: no other names, no codes
            frame[optional] = np.full(rows, "", dtype=object)
    out: dict[str, Any] = {}
    text = ["name", "nameascii", "country", "iso_a2", "featurecla", "namealt", "namepar"]
    for column in [*text, "adm0_a3"]:
        out[column] = np.array([_text(v) for v in frame[column]], dtype=object)
    for column, default in (("adm0cap", 0.0), ("pop_max", 0.0), ("scalerank", 99.0)):
        out[column] = np.array([_number(v, default) for v in frame[column]], dtype=float)
    out["lon"] = np.asarray(frame["lon"], dtype=float)
    out["lat"] = np.asarray(frame["lat"], dtype=float)
    national = np.zeros(rows, dtype=bool)
    if out["adm0_a3"].astype(bool).any():
        national[names.capital_rows(frame)[0]] = True
    else:
        national = out["adm0cap"] >= 1
    out["national"] = national
    countries = names.country_names()
    pairs = list(zip(out["name"], out["adm0_a3"], strict=True))
    out["display"] = [names.place_name(n, c) for n, c in pairs]
    out["former"] = [names.former_names(n, c) for n, c in pairs]
    out["state"] = [countries.get(c, "") for c in out["adm0_a3"]]
    return out


def _other_names(former: tuple[str, ...], alt: str, par: str, featurecla: str) -> set[str]:
    """Natural Earth's alternative and English names of a place, and its former names."""
    out = set(former)
    out.update(part.strip() for part in alt.removeprefix("Formerly ").split("|"))
    # for research stations namepar is the operating country, not a name
    if "station" not in featurecla.lower():
        out.add(par)
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


def gazetteer() -> Gazetteer:
    """The gazetteer of the current data folder, built on first use and kept."""
    from rangeviz.geodata import data_dir

    return _build(str(data_dir()))


@functools.lru_cache(maxsize=2)
def _ne_columns(folder: str) -> dict[str, Any]:
    """Natural Earth's populated places as clean columns, read once per data folder."""
    return _natural_earth_places()


def _ne_place(ne: dict[str, Any], order: int) -> Place | None:
    """The gazetteer entry of Natural Earth row ``order`` (None for a row with no name)."""
    original = ne["name"][order] or ne["nameascii"][order]
    name = ne["display"][order] or original
    names = {fold(name), fold(original), fold(ne["nameascii"][order])} - {""}
    if not names:
        return None
    capital = bool(ne["national"][order])
    featurecla = ne["featurecla"][order]
    if capital:
        kind = "capital"
    elif featurecla in ("Scientific station", "Meteorological Station", "Historic place"):
        kind = featurecla.lower()
    else:
        kind = "city"
    iso = ne["iso_a2"][order].upper()
    iso = "" if iso == "-99" else iso
    country = ne["state"][order] or ne["country"][order]
    other = _other_names(
        ne["former"][order], ne["namealt"][order], ne["namepar"][order], featurecla
    )
    return Place(
        name=name,
        lon=float(ne["lon"][order]),
        lat=float(ne["lat"][order]),
        country=country,
        iso_a2=iso,
        kind=kind,
        source=NATURAL_EARTH_SOURCE,
        note="",
        rank=(
            0 if capital else 1,
            -float(ne["pop_max"][order]),
            float(ne["scalerank"][order]),
            order,
        ),
        names=tuple(sorted(names)),
        aliases=tuple(sorted(other - names)),
    )


def _reported_place(site: Any, order: int) -> Place:
    # "Kapustin Yar (Znamensk) - training battalion" is also found without the brackets
    names = {fold(site.name), fold(re.sub(r"\([^)]*\)", " ", site.name))}
    return Place(
        name=site.name,
        lon=site.lon,
        lat=site.lat,
        country=site.country,
        iso_a2=site.iso_a2.upper(),
        kind="reported site",
        source=site.citation,
        note=f"{site.system}; {site.period}; {site.certainty}",
        rank=(1, 1.0, 99.0, order),  # after any city of the same name
        names=tuple(sorted(names)),
        aliases=tuple(fold(a) for a in site.aliases),
    )


@functools.lru_cache(maxsize=2)
def _folded(folder: str) -> tuple[Any, ...]:
    """Every Natural Earth row's folded names (name, ASCII name, display name)."""
    import numpy as np

    ne = _ne_columns(folder)

    def column(values: Any) -> Any:
        out = np.empty(len(values), dtype=object)
        for i, v in enumerate(values):
            out[i] = fold(v) if v else ""
        return out

    name = column(ne["name"])
    ascii_name = column(ne["nameascii"])
    display = column(np.asarray(ne["display"], dtype=object))
    # the rows _build keeps (a row with no name at all is skipped there)
    kept = sum(1 for i in range(len(name)) if name[i] or ascii_name[i] or display[i])
    return name, ascii_name, display, kept


def quick_matches(text: str) -> list[Place] | None:
    """The places whose own name is ``text``, without building the whole gazetteer.

    The common case -- a place typed by its name -- needs only the rows with
    that name, not the index of every alias and country spelling. Returns
    None when the full gazetteer must answer (a country after a comma, no
    place of that name, or the gazetteer already built), so the answer is
    always the one :func:`matches` would give.
    """
    from rangeviz.geodata import data_dir
    from rangeviz.sites.reported import reported_sites

    folder = str(data_dir())
    key = fold(text)
    if not key or "," in text or _build.cache_info().currsize:
        return None
    ne = _ne_columns(folder)
    name, ascii_name, display, kept = _folded(folder)
    rows = [i for i in range(len(name)) if key in (name[i], ascii_name[i], display[i])]
    found = [p for p in (_ne_place(ne, i) for i in rows) if p is not None]
    for order, site in enumerate(reported_sites(), start=kept):
        place = _reported_place(site, order)
        if key in place.names:
            found.append(place)
    return found or None


@functools.lru_cache(maxsize=2)
def _build(folder: str) -> Gazetteer:
    places: list[Place] = []
    iso_names: dict[str, set[str]] = {}
    ne = _ne_columns(folder)
    for order in range(len(ne["name"])):
        place = _ne_place(ne, order)
        if place is None:
            continue
        places.append(place)
        if place.iso_a2:
            iso_names.setdefault(place.iso_a2, set()).update(
                c for c in (place.country, ne["country"][order]) if c
            )
    from rangeviz.sites.reported import reported_sites

    for order, site in enumerate(reported_sites(), start=len(places)):
        places.append(_reported_place(site, order))
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
