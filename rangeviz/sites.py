"""Launch sites: coordinates as people type them, a gazetteer, files of sites.

A :class:`Site` is a name and a position, longitude before latitude. Sites come
from three places:

- typed coordinates, read by :func:`parse_coordinates`: a bare pair is
  ``LAT,LON`` -- the order map apps copy -- (``"54.71,20.51"``,
  ``"54.71 20.51"``); with hemisphere letters the letters decide the axis, in
  either order (``"54.71N 20.51E"``, ``"20.51E, 54.71N"``); degrees, minutes
  and seconds are accepted (``54°42'36"N 20°30'36"E``, ``54°42.6'N 20°30.6'E``,
  ``54 42 36 N 20 30 36 E``). ``NAME=LAT,LON`` names the point
  (``"Base=54.71,20.51"``);
- the gazetteer, searched by :func:`resolve_site` and :func:`search_places`:
  the Natural Earth 1:10m populated places plus the reported missile sites of
  the project's catalog (``rangeviz/data/sites.csv``, each with its sources);
- files, read by :func:`read_sites`: CSV with a header, or GeoJSON points.

Gazetteer lookups ignore case, accents and punctuation (``"krakow"`` finds
Kraków). A name shared by places far apart resolves to the most prominent one
-- a capital first, then the larger population -- and emits an
:class:`AmbiguousSiteWarning` naming the others; ``"London, Canada"`` or
``"London, CA"`` (a country name or ISO code after a comma) chooses.

Importing this module is cheap: the gazetteer is loaded on first use and kept.
"""

from __future__ import annotations

import csv
import difflib
import functools
import json
import math
import numbers
import os
import re
import unicodedata
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rangeviz.errors import DataError, InputError, UnknownNameError

__all__ = [
    "AmbiguousSiteWarning",
    "Site",
    "parse_coordinates",
    "read_sites",
    "resolve_site",
    "search_places",
]

DATA_DIR = Path(__file__).parent / "data"
NATURAL_EARTH_SOURCE = "Natural Earth 1:10m populated places"
SITE_FILE_SUFFIXES = (".csv", ".geojson", ".json")

# Places of the same name closer than this are one place for a range map.
_SAME_PLACE_KM = 25.0


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
        if not isinstance(self.name, str) or not self.name.strip():
            raise InputError(f"site name {self.name!r} must be a non-empty string")
        where = f"site {self.name!r}"
        lon = _finite(self.lon, "longitude", where)
        lat = _finite(self.lat, "latitude", where)
        # the hint only where swapping would give a valid point
        swapped = abs(lon) <= 90 and abs(lat) <= 180
        hint = " (did you swap lat and lon?)" if swapped else ""
        if not -90 <= lat <= 90:
            raise InputError(f"{where}: latitude {lat!r} is outside [-90, 90]{hint}")
        if not -180 <= lon <= 180:
            raise InputError(f"{where}: longitude {lon!r} is outside [-180, 180]")
        object.__setattr__(self, "lon", lon)
        object.__setattr__(self, "lat", lat)
        for key in ("source", "note", "country", "kind"):
            if not isinstance(getattr(self, key), str):
                raise InputError(f"{where}: {key} {getattr(self, key)!r} must be a string")


def _finite(value: Any, what: str, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise InputError(f"{where}: {what} {value!r} is not a number of degrees")
    value = float(value)
    if not math.isfinite(value):
        raise InputError(f"{where}: {what} {value!r} is not a finite number of degrees")
    return value


def _coord_label(lon: float, lat: float) -> str:
    ns = "N" if lat >= 0 else "S"
    ew = "E" if lon >= 0 else "W"
    return f"{abs(lat):.2f}°{ns} {abs(lon):.2f}°{ew}"


# --------------------------------------------------------------------------
# typed coordinates

_FORMS = (
    'give LAT,LON ("54.71,20.51"), hemisphere letters ("54.71N 20.51E") '
    "or degrees-minutes-seconds (54°42'36\"N 20°30'36\"E)"
)
_TRANSLATE = str.maketrans(
    {
        "′": "'",
        "’": "'",
        "‘": "'",
        "´": "'",
        "″": '"',
        "“": '"',
        "”": '"',
        "º": "°",
        "˚": "°",
        "−": "-",
    }
)
_TOKEN = re.compile(
    r"""\s*(?:
        (?P<num>[+-]?(?:\d+(?:\.\d*)?|\.\d+))
      | (?P<mark>[°'"])
      | (?P<hemi>[NSEWnsew])
      | (?P<sep>[,;])
    )""",
    re.VERBOSE,
)
# characters that can only be coordinates: used to tell them from place names
_COORD_TEXT = re.compile(r"""[\s\d.,;+\-−°º˚'"′″’‘´“”NSEWnsew()\[\]]*""")
_SLOT = {"°": 0, "'": 1, '"': 2}
_SLOT_NAME = ("degrees", "minutes", "seconds")


def _looks_like_coordinates(text: str) -> bool:
    return any(c.isdigit() for c in text) and _COORD_TEXT.fullmatch(text) is not None


def parse_coordinates(text: str) -> tuple[float, float]:
    """Read a position typed by a person; return ``(lon, lat)`` in degrees.

    A bare pair of numbers is **latitude first**, ``LAT,LON`` -- the order
    map apps copy. With hemisphere letters (N, S, E, W, before or after each
    number) the letters decide which number is which, so either order works.
    Each coordinate is decimal degrees or degrees, minutes and seconds, marked
    (``54°42'36"``, ``54°42.6'``; Unicode primes ′ ″ too) or separated by
    spaces before a letter (``54 42 36 N``). A minus sign or S/W gives
    negative values, not both.

    Parameters
    ----------
    text : str
        E.g. ``"54.71,20.51"``, ``"54.71N 20.51E"`` or
        ``"54°42'36\\"N 20°30'36\\"E"``.

    Returns
    -------
    (lon, lat) : tuple of float

    Raises
    ------
    InputError
        If the text is not two coordinates, a latitude is outside [-90, 90],
        a longitude outside [-180, 180], minutes or seconds are 60 or more,
        both numbers carry N/S (or both E/W), or a value has both a minus
        sign and a hemisphere letter.

    Examples
    --------
    >>> parse_coordinates("54.71,20.51")
    (20.51, 54.71)
    >>> parse_coordinates("20.51E 54.71N")
    (20.51, 54.71)
    >>> parse_coordinates("33°52'S 151°12'E")
    (151.2, -33.86666666666667)
    >>> parse_coordinates("91,20")
    Traceback (most recent call last):
    ...
    rangeviz.errors.InputError: coordinates '91,20': latitude 91.0 is outside [-90, 90] (a bare pair is LAT,LON; did you swap them?)
    """  # noqa: E501
    if not isinstance(text, str):
        raise InputError(f"coordinates {text!r} must be text; {_FORMS}")
    where = f"coordinates {text!r}"
    clean = text.translate(_TRANSLATE).replace("''", '"').strip().strip("()[]").strip()
    if not clean:
        raise InputError(f"coordinates {text!r} are empty; {_FORMS}")
    if re.search(r"nan|inf", clean, re.IGNORECASE):
        raise InputError(f"{where}: NaN and infinity are not coordinates; {_FORMS}")
    tokens = _tokenize(clean, where)
    groups = _group(tokens, where)
    values = [_component(group, where) for group in groups]
    letters = [hemi for _, hemi in values]
    if all(letters):
        axes = ["lat" if h in "NS" else "lon" for h in letters]
        if axes[0] == axes[1]:
            pair = "N/S" if axes[0] == "lat" else "E/W"
            other = "E/W" if axes[0] == "lat" else "N/S"
            raise InputError(
                f"{where}: both values carry {pair} letters; one needs {other} "
                "(one latitude N/S and one longitude E/W)"
            )
        signed = {axis: v for (v, _), axis in zip(values, axes, strict=True)}
        lat, lon = signed["lat"], signed["lon"]
        hint = ""
    else:
        (lat, _), (lon, _) = values
        hint = (
            " (a bare pair is LAT,LON; did you swap them?)"
            if abs(lat) <= 180 and abs(lon) <= 90
            else ""
        )
    if not -90 <= lat <= 90:
        raise InputError(f"{where}: latitude {lat!r} is outside [-90, 90]{hint}")
    if not -180 <= lon <= 180:
        raise InputError(f"{where}: longitude {lon!r} is outside [-180, 180]")
    return (lon, lat)


def _tokenize(clean: str, where: str) -> list[tuple[str, str]]:
    tokens = []
    pos = 0
    while pos < len(clean):
        if clean[pos:].isspace():
            break
        match = _TOKEN.match(clean, pos)
        if match is None:
            bad = clean[pos:].lstrip()[:1]
            raise InputError(f"{where} cannot be read: unexpected {bad!r}; {_FORMS}")
        kind = match.lastgroup or ""
        tokens.append((kind, match.group(kind)))
        pos = match.end()
    return tokens


def _group(tokens: list[tuple[str, str]], where: str) -> list[list[tuple[str, str]]]:
    """Split the tokens into the two coordinates."""
    seps = sum(kind == "sep" for kind, _ in tokens)
    hemis = [i for i, (kind, _) in enumerate(tokens) if kind == "hemi"]
    groups: list[list[tuple[str, str]]] = []
    if seps > 1:
        raise InputError(f"{where} has {seps} separators; give two values, e.g. LAT,LON")
    if seps == 1:
        cut = next(i for i, (kind, _) in enumerate(tokens) if kind == "sep")
        groups = [tokens[:cut], tokens[cut + 1 :]]
    elif hemis:
        prefix = tokens[0][0] == "hemi"
        current: list[tuple[str, str]] = []
        for token in tokens:
            if token[0] == "hemi" and prefix and current:
                groups.append(current)
                current = []
            current.append(token)
            if token[0] == "hemi" and not prefix:
                groups.append(current)
                current = []
        if current:
            groups.append(current)
    elif any(kind == "mark" for kind, _ in tokens):
        for i, token in enumerate(tokens):
            starts = token[0] == "num" and i + 1 < len(tokens) and tokens[i + 1][1] == "°"
            if not groups or (starts and any(k == "num" for k, _ in groups[-1])):
                groups.append([])
            groups[-1].append(token)
    else:
        groups = [[token] for token in tokens]
        if len(groups) > 2:
            raise InputError(
                f"{where} has {len(groups)} numbers and no hemisphere letters; "
                "give LAT,LON in decimal degrees or mark each value with N/S and E/W"
            )
    groups = [g for g in groups if g]
    if len(groups) != 2:
        raise InputError(
            f"{where} needs two values, a latitude and a longitude, found {len(groups)}; {_FORMS}"
        )
    with_letter = [any(kind == "hemi" for kind, _ in g) for g in groups]
    if any(with_letter) and not all(with_letter):
        raise InputError(
            f"{where}: only one value has a hemisphere letter; "
            "give N/S and E/W on both values or on neither (then it is LAT,LON)"
        )
    return groups


def _component(group: list[tuple[str, str]], where: str) -> tuple[float, str]:
    """One coordinate: (signed degrees, hemisphere letter or '')."""
    hemi = ""
    parts: list[tuple[str, int | None]] = []
    for i, (kind, value) in enumerate(group):
        if kind == "hemi":
            if hemi or (0 < i < len(group) - 1):
                raise InputError(
                    f"{where}: misplaced hemisphere letter {value!r}; put one letter "
                    "before or after each value"
                )
            hemi = value.upper()
        elif kind == "num":
            parts.append((value, None))
        elif kind == "mark":
            if not parts or parts[-1][1] is not None:
                raise InputError(f"{where}: {value!r} must follow a number")
            parts[-1] = (parts[-1][0], _SLOT[value])
        else:  # a separator inside a value
            raise InputError(f"{where} cannot be read: unexpected {value!r}; {_FORMS}")
    if not parts:
        raise InputError(f"{where}: the hemisphere letter {hemi!r} has no number; {_FORMS}")
    numbers_by_slot: dict[int, str] = {}
    last = -1
    for value, slot in parts:
        slot = last + 1 if slot is None else slot
        if slot <= last or slot > 2:
            raise InputError(
                f"{where}: cannot tell degrees, minutes and seconds apart in "
                f"{' '.join(v for _, v in group)!r}; {_FORMS}"
            )
        numbers_by_slot[slot] = value
        last = slot
    if 0 not in numbers_by_slot:
        raise InputError(f"{where}: a value has minutes or seconds but no degrees; {_FORMS}")
    negative = numbers_by_slot[0].startswith("-")
    if negative and hemi:
        raise InputError(
            f"{where}: {numbers_by_slot[0]}{hemi} has both a minus sign and a hemisphere "
            "letter; use one of them (e.g. 54S or -54, not -54S)"
        )
    total = 0.0
    for slot, value in sorted(numbers_by_slot.items()):
        if slot > 0 and value[0] in "+-":
            raise InputError(f"{where}: {_SLOT_NAME[slot]} {value} cannot carry a sign")
        if slot < last and "." in value:
            raise InputError(
                f"{where}: {_SLOT_NAME[slot]} {value} must be whole when "
                f"{_SLOT_NAME[slot + 1]} follow"
            )
        number = abs(float(value))
        if slot > 0 and number >= 60:
            raise InputError(f"{where}: {_SLOT_NAME[slot]} {value} must be below 60")
        total += number / 60**slot
    if negative or hemi in ("S", "W"):
        total = -total
    return total, hemi


# --------------------------------------------------------------------------
# the gazetteer


class AmbiguousSiteWarning(UserWarning):
    """A place name matched places far apart; the most prominent one was used.

    The message names the choice and the alternatives, and how to choose
    (``"London, Canada"``). ``chosen`` is the :class:`Site` returned and
    ``alternatives`` the other matches, most prominent first.
    """

    def __init__(
        self, message: str, chosen: Site | None = None, alternatives: tuple[Site, ...] = ()
    ) -> None:
        super().__init__(message)
        self.chosen = chosen
        self.alternatives = alternatives


_NON_WORD = re.compile(r"[\W_]+")
_FOLD = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th"})


@functools.lru_cache(maxsize=65536)
def _fold(text: str) -> str:
    """Lookup key: no case, accents or punctuation ('Kraków' -> 'krakow')."""
    if text.isascii():  # most names: no accents to strip
        return " ".join(_NON_WORD.sub(" ", text.casefold()).split())
    text = unicodedata.normalize("NFKD", text.casefold().translate(_FOLD))
    text = "".join(c for c in text if not unicodedata.combining(c)).translate(_FOLD)
    return " ".join(_NON_WORD.sub(" ", text).split())


# Country names people type that Natural Earth spells otherwise.
_COUNTRY_ALIASES = {
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
class _Place:
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
        where = "" if self.lon is None or self.lat is None else _coord_label(self.lon, self.lat)
        country = f", {self.country}" if self.country else ""
        return f"{self.name}{country} ({where})" if where else f"{self.name}{country}"


@dataclass
class _Gazetteer:
    places: list[_Place]
    names: dict[str, list[int]]
    aliases: dict[str, list[int]]
    countries: dict[str, set[str]]  # folded country name or code -> ISO codes / names
    tags: list[set[str]]  # per place: the folded country keys it matches
    spelled: dict[str, str]  # folded country key -> a spelling to show


def _natural_earth_places() -> list[dict[str, Any]]:
    """Rows of the bundled 1:10m populated places (see :mod:`rangeviz.geodata`)."""
    from rangeviz.geodata import read_places

    frame = read_places("10m")
    columns = ["name", "nameascii", "country", "iso_a2", "adm0cap", "featurecla"]
    columns += ["pop_max", "scalerank", "lon", "lat"]
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataError(f"the populated places layer lacks the columns {', '.join(missing)}")
    return frame[columns].to_dict("records")


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


@functools.cache
def _gazetteer() -> _Gazetteer:
    places: list[_Place] = []
    iso_names: dict[str, set[str]] = {}
    for order, row in enumerate(_natural_earth_places()):
        capital = _number(row.get("adm0cap")) >= 1
        featurecla = _text(row.get("featurecla"))
        if capital:
            kind = "capital"
        elif featurecla in ("Scientific station", "Meteorological Station", "Historic place"):
            kind = featurecla.lower()
        else:
            kind = "city"
        name = _text(row.get("name")) or _text(row.get("nameascii"))
        names = {_fold(name), _fold(_text(row.get("nameascii")))} - {""}
        if not names:
            continue
        iso = _text(row.get("iso_a2")).upper()
        iso = "" if iso == "-99" else iso
        country = _text(row.get("country"))
        if iso and country:
            iso_names.setdefault(iso, set()).add(country)
        places.append(
            _Place(
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
                aliases=(),
            )
        )
    for order, row in enumerate(_catalog_sites(), start=len(places)):
        lat, lon = row["lat"].strip(), row["lon"].strip()
        name = row["name"].strip()
        # "Kapustin Yar (Znamensk) - training battalion" is also found without the brackets
        names = {_fold(name), _fold(re.sub(r"\([^)]*\)", " ", name))}
        places.append(
            _Place(
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
                aliases=tuple(_fold(a) for a in _split(row["aliases"], ";")),
            )
        )
    for iso, extra in _COUNTRY_ALIASES.items():
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
            key = _fold(spelling)
            if key:
                tag.add(key)
                spelled.setdefault(key, spelling.strip())
        tags.append(tag)
        for key in tag:
            countries.setdefault(key, set()).add(place.iso_a2 or place.country)
    return _Gazetteer(places, index_names, index_aliases, countries, tags, spelled)


def _matches(g: _Gazetteer, key: str) -> list[int]:
    """Places whose name is ``key``; failing that, places with that alias."""
    return list(g.names.get(key) or g.aliases.get(key) or [])


def _distance_km(a: _Place, b: _Place) -> float:
    # a sphere is plenty to tell "the same place" from "another place"
    assert a.lon is not None and a.lat is not None and b.lon is not None and b.lat is not None
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dl = math.radians(b.lon - a.lon)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _suggestions(g: _Gazetteer, key: str, n: int = 5) -> list[str]:
    keys = list(g.names) + list(g.aliases)
    close = difflib.get_close_matches(key, keys, n=n, cutoff=0.6)
    shown = []
    for k in close:
        best = min(_matches(g, k), key=lambda i: g.places[i].rank)
        place = g.places[best]
        country = f" ({place.country})" if place.country else ""
        label = f"{place.name}{country}"
        if label not in shown:
            shown.append(label)
    return shown


def _unknown(text: str, g: _Gazetteer, key: str) -> UnknownNameError:
    close = _suggestions(g, key)
    hint = f"closest matches: {'; '.join(close)}" if close else "no close matches"
    return UnknownNameError(
        f"site {text!r} is neither coordinates nor a known place; {hint} "
        f"(search with 'rangeviz sites QUERY', or {_FORMS})"
    )


def _lookup(text: str) -> tuple[list[_Place], str]:
    """The matching places, most prominent first, and the country qualifier used."""
    g = _gazetteer()
    key = _fold(text)
    hits = _matches(g, key)
    qualifier = ""
    if not hits and "," in text:
        name, _, qualifier = (part.strip() for part in text.rpartition(","))
        qkey, nkey = _fold(qualifier), _fold(name)
        if nkey and qkey:
            if qkey not in g.countries:
                close = difflib.get_close_matches(qkey, list(g.spelled), n=3, cutoff=0.6)
                hint = f"; closest: {', '.join(g.spelled[k] for k in close)}" if close else ""
                raise UnknownNameError(
                    f"country {qualifier!r} in site {text!r} is not a known country name "
                    f"or ISO code{hint}"
                )
            named = _matches(g, nkey)
            if not named:
                raise _unknown(name, g, nkey)
            hits = [i for i in named if qkey in g.tags[i]]
            if not hits:
                elsewhere = sorted({g.places[i].country for i in named if g.places[i].country})
                raise UnknownNameError(
                    f"no place named {name!r} in {qualifier!r}; {name!r} is in: "
                    f"{', '.join(elsewhere)}"
                )
    if not hits:
        hits = _near_spelling(g, key)
        if hits:
            best = min(hits, key=lambda i: g.places[i].rank)
            warnings.warn(
                AmbiguousSiteWarning(
                    f"site {text!r} is not in the gazetteer; using the closest spelling, "
                    f"{g.places[best].label()}",
                    g.places[best].site(),
                ),
                stacklevel=4,
            )
    if not hits:
        raise _unknown(text, g, key)
    places = sorted((g.places[i] for i in hits), key=lambda p: p.rank)
    return places, qualifier


def _near_spelling(g: _Gazetteer, key: str) -> list[int]:
    """Places whose name differs from ``key`` only by transliteration.

    'Petropavlovsk-Kamchatsky' finds 'Petropavlovsk Kamchatskiy', 'Jekaterinburg'
    'Yekaterinburg'; a misspelling ('Kalinigrad') stays unknown and gets
    suggestions instead.
    """
    loose = _loose(key)
    hits = [i for k in _loose_index(g).get(loose, ()) for i in _matches(g, k)]
    return sorted(set(hits))


_LOOSE = (("iy", "y"), ("ij", "y"), ("yy", "y"), ("j", "y"), ("kh", "h"), ("ck", "k"))


def _loose(key: str) -> str:
    for old, new in _LOOSE:
        key = key.replace(old, new)
    return key


def _loose_index(g: _Gazetteer) -> dict[str, list[str]]:
    """Loose spelling -> gazetteer keys, built on first use and kept on ``g``."""
    index = g.__dict__.get("_loose_index")
    if index is None:
        index = {}
        for k in [*g.names, *g.aliases]:
            index.setdefault(_loose(k), []).append(k)
        g.__dict__["_loose_index"] = index
    return index


def resolve_site(text: str | Site) -> Site:
    """A :class:`Site` from coordinates or a place name.

    Parameters
    ----------
    text : str
        One of

        - coordinates, read by :func:`parse_coordinates` (a bare pair is
          ``LAT,LON``): ``"54.71,20.51"``, ``"54.71N 20.51E"``;
        - ``NAME=LAT,LON`` to name them: ``"Base=54.71,20.51"`` (also
          ``NAME=PLACE`` to relabel a gazetteer place);
        - a place name: a Natural Earth populated place or a reported site
          from the catalog (``"Kaliningrad"``, ``"Kraków"``, ``"Kapustin
          Yar"``), optionally with a country name or ISO code after a comma
          (``"London, Canada"``, ``"London, CA"``).

        A :class:`Site` is returned as it is.

    Returns
    -------
    Site
        For a place name, with ``country``, ``kind`` and ``source`` filled in.

    Warns
    -----
    AmbiguousSiteWarning
        If the name (with its qualifier) matches places more than 25 km apart;
        the most prominent one -- a capital, then the largest population -- is
        returned and the message lists the others.

    Raises
    ------
    InputError
        For malformed coordinates, or a reported site the catalog has no
        position for.
    UnknownNameError
        For an unknown name; the message lists the closest matches.

    Examples
    --------
    >>> resolve_site("Base=54.71,20.51")
    Site(name='Base', lon=20.51, lat=54.71, source='', note='', country='', kind='')
    >>> site = resolve_site("Krakow")
    >>> site.name, site.country, round(site.lon, 2), round(site.lat, 2)
    ('Kraków', 'Poland', 19.96, 50.06)
    """
    if isinstance(text, Site):
        return text
    if not isinstance(text, str):
        raise InputError(f"site {text!r} must be text: a place name or coordinates; {_FORMS}")
    stripped = text.strip()
    if not stripped:
        raise InputError(f"site {text!r} is empty: give a place name or coordinates; {_FORMS}")
    if "=" in stripped:
        name, _, rest = (part.strip() for part in stripped.partition("="))
        if not name:
            raise InputError(f"site {text!r}: the name before '=' is empty (NAME=LAT,LON)")
        if not rest:
            raise InputError(f"site {text!r}: nothing after '='; give NAME=LAT,LON")
        if _looks_like_coordinates(rest):
            lon, lat = parse_coordinates(rest)
            return Site(name, lon, lat)
        place, warning = _resolve_name(rest)
        if warning is not None:
            warnings.warn(warning, stacklevel=2)
        return Site(
            name,
            place.lon,
            place.lat,
            source=place.source,
            note=f"at {place.name}" + (f"; {place.note}" if place.note else ""),
            country=place.country,
            kind=place.kind,
        )
    if _looks_like_coordinates(stripped):
        lon, lat = parse_coordinates(stripped)
        return Site(_coord_label(lon, lat), lon, lat)
    site, warning = _resolve_name(stripped)
    if warning is not None:
        warnings.warn(warning, stacklevel=2)
    return site


def _resolve_name(text: str) -> tuple[Site, AmbiguousSiteWarning | None]:
    """The most prominent place called ``text``, and a warning if others are far from it."""
    places, qualifier = _lookup(text)
    located = [p for p in places if p.lon is not None]
    if not located:
        place = places[0]
        raise InputError(
            f"site {text!r}: the catalog lists the reported site {place.name!r} "
            f"({place.note}) but has no position for it (source: {place.source}); "
            f"give its coordinates as NAME=LAT,LON"
        )
    chosen = located[0]
    others = [p for p in located[1:] if _distance_km(chosen, p) > _SAME_PLACE_KM]
    site = chosen.site()
    if not others:
        return site, None
    listed = "; ".join(p.label() for p in others[:5])
    if len(others) > 5:
        listed += f"; and {len(others) - 5} more"
    other = next((p for p in others if p.country != chosen.country), None)
    if other is not None and not qualifier:
        how = f"add a country to choose, e.g. {other.name + ', ' + other.country!r}"
    else:
        how = "give coordinates to choose another"
    warning = AmbiguousSiteWarning(
        f"site {text!r} is ambiguous: using {chosen.label()}, the most prominent "
        f"({chosen.kind}); also: {listed}; {how}",
        site,
        tuple(p.site() for p in others),
    )
    return site, warning


def search_places(query: str, limit: int = 10) -> list[Site]:
    """Gazetteer places whose name contains or resembles ``query``.

    Exact names first, then names starting with the query, then names with a
    word starting with it, then names containing it, then similar spellings;
    within each, the most prominent first. Reported sites the catalog has no
    position for are not returned (:func:`resolve_site` explains them).

    Parameters
    ----------
    query : str
        Part of a name; case, accents and punctuation do not matter. A
        country after a comma narrows (``"London, CA"``).
    limit : int
        At most this many places, >= 1.

    Returns
    -------
    list of Site
        With ``country``, ``kind`` (``"capital"``, ``"city"``, ``"reported
        site"``...) and ``source``.

    Examples
    --------
    >>> [s.name for s in search_places("kapustin", limit=2)]
    ['Kapustin Yar (Znamensk) - training battalion', 'Kapustin Yar - launch site']
    """
    if not isinstance(query, str) or not _fold(query):
        raise InputError(f"query {query!r} is empty: give part of a place name")
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise InputError(f"limit {limit!r} must be a whole number >= 1")
    g = _gazetteer()
    q = _fold(query)
    country = ""
    if "," in query:
        name, _, qualifier = query.rpartition(",")
        if _fold(qualifier) in g.countries and _fold(name):
            q, country = _fold(name), _fold(qualifier)
    tiers: dict[int, int] = {}
    for index in (g.names, g.aliases):
        for key, hits in index.items():
            if key == q:
                tier = 0
            elif key.startswith(q):
                tier = 1
            elif f" {q}" in f" {key}":
                tier = 2
            elif q in key:
                tier = 3
            else:
                continue
            for i in hits:
                tiers[i] = min(tiers.get(i, tier), tier)
    if len(tiers) < limit:
        keys = list(g.names) + list(g.aliases)
        for key in difflib.get_close_matches(q, keys, n=limit, cutoff=0.75):
            for i in _matches(g, key):
                tiers.setdefault(i, 4)
    found = [
        i for i in tiers if g.places[i].lon is not None and (not country or country in g.tags[i])
    ]
    found.sort(key=lambda i: (tiers[i], g.places[i].rank))
    return [g.places[i].site() for i in found[:limit]]


# --------------------------------------------------------------------------
# files of sites

_NAME_COLUMNS = ("name", "site", "label")
_LAT_COLUMNS = ("lat", "latitude")
_LON_COLUMNS = ("lon", "lng", "long", "longitude")
_KEPT_COLUMNS = ("source", "note", "country")


def read_sites(path: str | os.PathLike[str]) -> list[Site]:
    """Sites from a CSV or GeoJSON file.

    CSV (``.csv``): a header row is required, with columns ``lat`` and
    ``lon`` (also ``latitude``/``longitude``; any case) in decimal degrees,
    and usually ``name``; ``source``, ``note`` and ``country`` are kept, other
    columns ignored. Comma or semicolon separated, UTF-8. A row without a name
    is named by its coordinates; blank lines are skipped.

    GeoJSON (``.geojson``, ``.json``): a FeatureCollection (or one Feature) of
    Point features, ``[lon, lat]`` as RFC 7946 says, with a ``name`` property
    (``source``, ``note``, ``country`` kept).

    Parameters
    ----------
    path : path-like

    Returns
    -------
    list of Site
        In file order.

    Raises
    ------
    InputError
        If the file is missing or unreadable, has another extension, or a row
        or feature is malformed: the message names the file, the line (CSV)
        or feature index (GeoJSON), the column and the value.
    """
    file = Path(path)
    suffix = file.suffix.lower()
    if suffix not in SITE_FILE_SUFFIXES:
        shown = f"extension {file.suffix!r}" if file.suffix else "no extension"
        raise InputError(
            f"sites file {str(path)!r} has {shown}; a file of sites can be: "
            f"{', '.join(SITE_FILE_SUFFIXES)}"
        )
    if not file.exists():
        raise InputError(f"sites file {str(path)!r} does not exist")
    if file.is_dir():
        raise InputError(f"sites file {str(path)!r} is a directory; give a .csv or .geojson file")
    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"sites file {str(path)!r} is not UTF-8 text (byte {exc.start}); save it as UTF-8"
        ) from None
    except OSError as exc:
        raise InputError(
            f"sites file {str(path)!r} cannot be read: {exc.strerror or exc}"
        ) from None
    sites = _csv_sites(text, str(path)) if suffix == ".csv" else _geojson_sites(text, str(path))
    if not sites:
        raise InputError(f"sites file {str(path)!r} has no sites")
    return sites


def _column(header: list[str], names: Iterable[str]) -> int | None:
    folded = [h.strip().lower() for h in header]
    for name in names:
        if name in folded:
            return folded.index(name)
    return None


def _csv_sites(text: str, where: str) -> list[Site]:
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(text.splitlines(), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise InputError(
            f"sites file {where!r} is empty; give a header row: name,lat,lon"
        ) from None
    lat_col, lon_col = _column(header, _LAT_COLUMNS), _column(header, _LON_COLUMNS)
    name_col = _column(header, _NAME_COLUMNS)
    if lat_col is None or lon_col is None:
        missing = "lat" if lat_col is None else "lon"
        looks_numeric = any(_is_number(cell) for cell in header)
        hint = (
            " (the first line looks like data: the file needs a header row, e.g. name,lat,lon)"
            if looks_numeric
            else f" (columns found: {', '.join(h.strip() for h in header)})"
        )
        raise InputError(f"sites file {where!r} has no {missing!r} column{hint}")
    kept = {key: _column(header, (key,)) for key in _KEPT_COLUMNS}
    sites = []
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise InputError(
                f"sites file {where!r}, line {line}: {len(row)} fields where the header "
                f"has {len(header)}"
            )
        values = {}
        for key, col, limit in (("lat", lat_col, 90), ("lon", lon_col, 180)):
            cell = row[col].strip()
            at = f"sites file {where!r}, line {line}, column {header[col].strip()!r}"
            try:
                value = float(cell)
            except ValueError:
                hint = "with a decimal point, not a comma" if "," in cell else "e.g. 54.71"
                raise InputError(
                    f"{at}: {cell!r} is not a number (give decimal degrees, {hint})"
                ) from None
            if not -limit <= value <= limit:  # NaN fails too
                raise InputError(f"{at}: {cell!r} is outside [-{limit}, {limit}]")
            values[key] = value
        name = row[name_col].strip() if name_col is not None else ""
        extra = {k: row[c].strip() for k, c in kept.items() if c is not None}
        try:
            sites.append(
                Site(
                    name or _coord_label(values["lon"], values["lat"]),
                    values["lon"],
                    values["lat"],
                    **extra,
                )
            )
        except InputError as exc:
            raise InputError(f"sites file {where!r}, line {line}: {exc}") from None
    return sites


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _geojson_sites(text: str, where: str) -> list[Site]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"sites file {where!r} is not valid JSON (line {exc.lineno}, column {exc.colno}: "
            f"{exc.msg})"
        ) from None
    kind = data.get("type") if isinstance(data, dict) else None
    if kind == "FeatureCollection":
        features = data.get("features")
        if not isinstance(features, list):
            raise InputError(f"sites file {where!r}: 'features' must be a list of features")
    elif kind == "Feature":
        features = [data]
    else:
        raise InputError(
            f"sites file {where!r} is GeoJSON of type {kind!r}; give a FeatureCollection "
            "of Point features"
        )
    sites = []
    for i, feature in enumerate(features):
        at = f"sites file {where!r}, feature {i}"
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise InputError(f"{at} is not a GeoJSON Feature")
        geometry = feature.get("geometry")
        gtype = geometry.get("type") if isinstance(geometry, dict) else None
        if gtype != "Point":
            raise InputError(f"{at} has geometry {gtype!r}; only Point features can be sites")
        coords = geometry.get("coordinates")
        if (
            not isinstance(coords, list)
            or len(coords) < 2
            or not all(isinstance(c, (int, float)) and not isinstance(c, bool) for c in coords)
        ):
            raise InputError(f"{at}: coordinates {coords!r} are not [lon, lat] numbers")
        lon, lat = float(coords[0]), float(coords[1])
        props = feature.get("properties") or {}
        if not isinstance(props, dict):
            raise InputError(f"{at}: properties must be an object")
        lowered = {str(k).lower(): v for k, v in props.items()}
        name = next(
            (str(lowered[k]).strip() for k in _NAME_COLUMNS if lowered.get(k) not in (None, "")),
            "",
        )
        extra = {k: str(lowered[k]) for k in _KEPT_COLUMNS if lowered.get(k) is not None}
        try:
            sites.append(Site(name or _coord_label(lon, lat), lon, lat, **extra))
        except InputError as exc:
            raise InputError(f"{at}: {exc}") from None
    return sites
