"""Coordinates as people type them: decimal, hemisphere letters, DMS.

A bare pair is ``LAT,LON`` -- the order map apps copy -- (``"54.71,20.51"``,
``"54.71 20.51"``); with hemisphere letters the letters decide the axis, in
either order (``"54.71N 20.51E"``, ``"20.51E, 54.71N"``); degrees, minutes
and seconds are accepted (``54°42'36"N 20°30'36"E``, ``54°42.6'N 20°30.6'E``,
``54 42 36 N 20 30 36 E``).

A bare pair copied from a source that writes longitude first (GeoJSON, many
GIS tools) is read the wrong way round without an error whenever both
numbers are below 90. :func:`check_order` catches the cases where it can be
told -- the reading as given lies at sea or far from every named place while
the swapped one lies on land near one -- and says so with a
:class:`SwappedCoordinatesWarning` (the rule: :func:`implausible_order`).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from rangeviz._checks import show
from rangeviz._text import coord_label
from rangeviz.errors import InputError, RangevizWarning

__all__ = [
    "FORMS",
    "MAX_DIGITS",
    "MAX_LENGTH",
    "Reading",
    "SwappedCoordinatesWarning",
    "check_order",
    "implausible_order",
    "looks_like_coordinates",
    "parse_coordinates",
    "read_point",
]

#: The longest number accepted in coordinate text (characters): a coordinate
#: needs no more than a dozen; a thousand digits is a mistake or an attack.
MAX_DIGITS = 50
#: The longest coordinate text accepted (characters).
MAX_LENGTH = 200

FORMS = (
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


_NOT_A_NUMBER = re.compile(r"(?i)(?<![a-z])(nan|inf(inity)?)(?![a-z])")


def looks_like_coordinates(text: str) -> bool:
    """Whether ``text`` can only be coordinates, not a place name.

    NaN and infinity count as numbers when there are two values (``"nan,0"``),
    so that they are refused as coordinates rather than looked up as places;
    a lone ``"Nan"`` is a town in Thailand.
    """
    numeric = _NOT_A_NUMBER.sub("0", text)
    if _COORD_TEXT.fullmatch(numeric) is None:
        return False
    if any(c.isdigit() for c in text):
        return True
    return numeric != text and len(re.findall(r"\d+", numeric)) >= 2


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
        raise InputError(f"coordinates {show(text)} must be text; {FORMS}")
    where = f"coordinates {show(text)}"
    if len(text) > MAX_LENGTH:
        raise InputError(
            f"coordinates are {len(text):,} characters long; at most {MAX_LENGTH}; {FORMS}"
        )
    clean = text.translate(_TRANSLATE).replace("''", '"').strip().strip("()[]").strip()
    if not clean:
        raise InputError(f"coordinates {text!r} are empty; {FORMS}")
    if re.search(r"nan|inf", clean, re.IGNORECASE):
        raise InputError(f"{where}: NaN and infinity are not coordinates; {FORMS}")
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
            raise InputError(f"{where} cannot be read: unexpected {bad!r}; {FORMS}")
        kind = match.lastgroup or ""
        if kind == "num" and len(match.group(kind)) > MAX_DIGITS:
            raise InputError(
                f"{where} holds a number of {len(match.group(kind)):,} characters; "
                f"at most {MAX_DIGITS}"
            )
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
            f"{where} needs two values, a latitude and a longitude, found {len(groups)}; {FORMS}"
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
            raise InputError(f"{where} cannot be read: unexpected {value!r}; {FORMS}")
    if not parts:
        raise InputError(f"{where}: the hemisphere letter {hemi!r} has no number; {FORMS}")
    numbers_by_slot: dict[int, str] = {}
    last = -1
    for value, slot in parts:
        slot = last + 1 if slot is None else slot
        if slot <= last or slot > 2:
            raise InputError(
                f"{where}: cannot tell degrees, minutes and seconds apart in "
                f"{' '.join(v for _, v in group)!r}; {FORMS}"
            )
        numbers_by_slot[slot] = value
        last = slot
    if 0 not in numbers_by_slot:
        raise InputError(f"{where}: a value has minutes or seconds but no degrees; {FORMS}")
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
# a bare pair typed the wrong way round

#: The rule of :func:`implausible_order`, in km (and degrees for the coast).
COAST_DEG = 0.1  # "on land": within this of a Natural Earth 1:50m country
SEA_KM = 50.0  # at sea and farther than this from every named place...
SEA_SWAPPED_KM = 300.0  # ...while the swapped reading is on land this near one
REMOTE_KM = 300.0  # on land but farther than this from every named place...
REMOTE_SWAPPED_KM = 100.0  # ...while the swapped reading is this near one
REMOTE_RATIO = 10.0  # ...and at least this many times nearer


class SwappedCoordinatesWarning(RangevizWarning):
    """A bare ``LAT,LON`` pair reads more plausibly the other way round.

    ``given`` and ``swapped`` are the two readings as ``(lon, lat)``; the
    given one is used.
    """

    def __init__(
        self,
        message: str,
        given: tuple[float, float] = (0.0, 0.0),
        swapped: tuple[float, float] = (0.0, 0.0),
    ) -> None:
        super().__init__(message)
        self.given = given
        self.swapped = swapped


@dataclass(frozen=True)
class Reading:
    """What is at a point: the nearest named place and whether it is on land.

    Attributes
    ----------
    lon, lat : float
    near_km : float
        Geodesic distance to the nearest gazetteer place (Natural Earth's
        populated places and the catalog's reported sites).
    place : str
        That place, with its country.
    on_land : bool
        Within :data:`COAST_DEG` of a Natural Earth 1:50m country.
    country : str
        The country the point lies in (``""`` at sea).
    """

    lon: float
    lat: float
    near_km: float
    place: str
    on_land: bool
    country: str = ""


def implausible_order(given: Reading, swapped: Reading) -> bool:
    """Whether ``given`` reads more plausibly as ``swapped``: the rule, stated.

    The swapped reading must lie on land. Then the given one is implausible
    if it lies at sea farther than :data:`SEA_KM` from every named place while
    the swapped one is within :data:`SEA_SWAPPED_KM` of one; or if it lies on
    land farther than :data:`REMOTE_KM` from every named place while the
    swapped one is within :data:`REMOTE_SWAPPED_KM` of one and
    :data:`REMOTE_RATIO` times nearer. Where both readings are plausible
    nothing can be told, and nothing is said.

    >>> sea = Reading(52.52, 13.40, 183.0, "Socotra", on_land=False)  # Berlin, swapped
    >>> berlin = Reading(13.40, 52.52, 0.2, "Berlin (Germany)", on_land=True)
    >>> implausible_order(sea, berlin), implausible_order(berlin, sea)
    (True, False)
    """
    if not swapped.on_land:
        return False
    if not given.on_land:
        return given.near_km > SEA_KM and swapped.near_km <= SEA_SWAPPED_KM
    return (
        given.near_km > REMOTE_KM
        and swapped.near_km <= REMOTE_SWAPPED_KM
        and given.near_km > REMOTE_RATIO * max(swapped.near_km, 1.0)
    )


@functools.lru_cache(maxsize=2)
def _index(folder: str) -> tuple[Any, Any, list[str], tuple[Any, list[str]]]:
    """The gazetteer's positions and labels, and a tree of the countries."""
    import numpy as np
    import shapely

    from rangeviz import geodata, names
    from rangeviz.sites.gazetteer import gazetteer

    places = [p for p in gazetteer().places if p.lon is not None and p.lat is not None]
    lon = np.array([p.lon for p in places], dtype=float)
    lat = np.array([p.lat for p in places], dtype=float)
    labels = [f"{p.name} ({p.country})" if p.country else p.name for p in places]
    layer = geodata.read_layer("countries", "50m")
    named = names.country_names()
    countries = [
        named.get(str(c), str(n)) for c, n in zip(layer["adm0_a3"], layer["name"], strict=True)
    ]
    geoms = np.asarray(layer.geometry.values, dtype=object)
    return lon, lat, labels, (shapely.STRtree(geoms), countries)


def read_point(lon: float, lat: float) -> Reading:
    """The nearest named place to a point, and whether it lies on land.

    >>> r = read_point(20.51, 54.71)
    >>> r.place, r.on_land, r.near_km < 5
    ('Kaliningrad (Russia)', True, True)
    """
    import numpy as np
    import shapely
    from pyproj import Geod

    from rangeviz import geodata

    plon, plat, labels, (tree, countries) = _index(str(geodata.data_dir()))
    # a sphere finds the candidates, the ellipsoid measures them
    p1, p2 = np.radians(lat), np.radians(plat)
    h = (
        np.sin((p2 - p1) / 2) ** 2
        + np.cos(p1) * np.cos(p2) * np.sin(np.radians(plon - lon) / 2) ** 2
    )
    near = np.argsort(h)[:5]
    _, _, d = Geod(ellps="WGS84").inv(
        np.full(len(near), lon), np.full(len(near), lat), plon[near], plat[near]
    )
    best = int(np.argmin(d))
    point = shapely.Point(lon, lat)
    on_land = len(tree.query(point, predicate="dwithin", distance=COAST_DEG)) > 0
    inside = tree.query(point, predicate="intersects")
    country = countries[int(inside[0])] if len(inside) else ""
    return Reading(lon, lat, float(d[best]) / 1000.0, labels[int(near[best])], on_land, country)


def check_order(text: str, lon: float, lat: float) -> SwappedCoordinatesWarning | None:
    """A warning if the bare pair ``text``, read as ``(lon, lat)``, looks swapped.

    Only a pair without hemisphere letters can be swapped; a pair whose
    swapped reading is no point (a first number beyond 90) or is within 50 km
    of the given one is not checked.

    >>> check_order("54.71N 20.51E", 20.51, 54.71) is None
    True
    >>> w = check_order("20.51,54.71", 54.71, 20.51)  # Kaliningrad, longitude first
    >>> w.swapped
    (20.51, 54.71)
    """
    if re.search(r"[NSEWnsew]", text) or abs(lon) > 90 or abs(lat - lon) < 0.5:
        return None
    given, swapped = read_point(lon, lat), read_point(lat, lon)
    if not implausible_order(given, swapped):
        return None
    where = f"in {given.country}" if given.country else "at sea"
    other = coord_label(lat, lon)
    typed = f"{lon:g},{lat:g}"
    return SwappedCoordinatesWarning(
        f"coordinates {show(text)} read as {coord_label(lon, lat)} (a bare pair is LAT,LON), "
        f"{where} {given.near_km:,.0f} km from the nearest named place; the other way round, "
        f"{other} is {swapped.near_km:,.0f} km from {swapped.place}: if you meant that, "
        f"give {typed!r}",
        given=(lon, lat),
        swapped=(lat, lon),
    )
