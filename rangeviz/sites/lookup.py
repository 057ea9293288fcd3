"""Looking places up by name: one place for a site, a list for a search.

A name shared by places far apart resolves to the most prominent one -- a
capital first, then the larger population -- and emits an
:class:`AmbiguousSiteWarning` naming the others; ``"London, Canada"`` or
``"London, CA"`` (a country name or ISO code after a comma) chooses.

Names are matched by :mod:`rangeviz._fuzzy`, the one matcher the systems
catalog uses too: a typo of one or two letters that points to one name alone
resolves to it with a note ("Kalinigrad" -> Kaliningrad); otherwise the
error lists the closest names, ranked by how they match, then by prominence.
"""

from __future__ import annotations

import math
import warnings

from rangeviz import _fuzzy
from rangeviz._checks import show
from rangeviz._text import coord_label
from rangeviz.errors import InputError, RangevizWarning, UnknownNameError, outside_stacklevel
from rangeviz.model import Site
from rangeviz.sites.coordinates import (
    FORMS,
    check_order,
    looks_like_coordinates,
    parse_coordinates,
)
from rangeviz.sites.gazetteer import (
    Gazetteer,
    Place,
    fold,
    gazetteer,
    loose,
    matches,
    quick_matches,
)

#: The longest site text or query looked up (characters).
_MAX_TEXT = 200

__all__ = ["AmbiguousSiteWarning", "resolve_site", "search_places"]

# Places of the same name closer than this are one place for a range map.
_SAME_PLACE_KM = 25.0


class AmbiguousSiteWarning(RangevizWarning):
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


def _distance_km(a: Place, b: Place) -> float:
    # a sphere is plenty to tell "the same place" from "another place"
    assert a.lon is not None and a.lat is not None and b.lon is not None and b.lat is not None
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dl = math.radians(b.lon - a.lon)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _keys(g: Gazetteer) -> list[str]:
    """Every name and alias of the gazetteer (names first)."""
    return [*g.names, *(k for k in g.aliases if k not in g.names)]


def _places_of(g: Gazetteer, key: str) -> list[int]:
    return [*g.names.get(key, ()), *g.aliases.get(key, ())]


def _ranked_places(g: Gazetteer, query: str) -> list[int]:
    """Places matching ``query`` in the matcher's ranking: tier, edits, then prominence."""
    best: dict[int, tuple[int, int]] = {}
    for m in _fuzzy.ranked(query, _keys(g)):
        for i in _places_of(g, m.key):
            best[i] = min(best.get(i, (m.tier, m.edits)), (m.tier, m.edits))
    located = [i for i in best if g.places[i].lon is not None]
    return sorted(located, key=lambda i: (*best[i], g.places[i].rank))


def _suggestions(g: Gazetteer, key: str, n: int = 5) -> list[str]:
    shown: list[str] = []
    for i in _ranked_places(g, key):
        place = g.places[i]
        label = f"{place.name} ({place.country})" if place.country else place.name
        if label not in shown:
            shown.append(label)
        if len(shown) == n:
            break
    return shown


def _unknown(text: str, g: Gazetteer, key: str) -> UnknownNameError:
    close = _suggestions(g, key)
    hint = f"closest matches: {'; '.join(close)}" if close else "no close matches"
    return UnknownNameError(
        f"site {show(text)} is neither coordinates nor a known place; {hint} "
        f"(search with 'rangeviz sites QUERY', or {FORMS})"
    )


def _lookup(text: str) -> tuple[list[Place], str]:
    """The matching places, most prominent first, and the country qualifier used."""
    quick = quick_matches(text)
    if quick:
        return sorted(quick, key=lambda p: p.rank), ""
    g = gazetteer()
    key = fold(text)
    hits = matches(g, key)
    qualifier = ""
    name = text
    if not hits and "," in text:
        name, _, qualifier = (part.strip() for part in text.rpartition(","))
        qkey, nkey = fold(qualifier), fold(name)
        if nkey and qkey:
            if qkey not in g.countries and (hits := _by_spelling(g, text, key)):
                return sorted((g.places[i] for i in hits), key=lambda p: p.rank), ""
            if qkey not in g.countries:
                close = [m.key for m in _fuzzy.ranked(qkey, g.spelled)][:3]
                hint = f"; closest: {', '.join(g.spelled[k] for k in close)}" if close else ""
                raise UnknownNameError(
                    f"country {qualifier!r} in site {show(text)} is not a known country name "
                    f"or ISO code{hint}"
                )
            named = matches(g, nkey) or _by_spelling(g, name, nkey, qkey)
            if not named:
                raise _unknown(name, g, nkey)
            hits = [i for i in named if qkey in g.tags[i]]
            if not hits:
                elsewhere = sorted({g.places[i].country for i in named if g.places[i].country})
                raise UnknownNameError(
                    f"no place named {name!r} in {qualifier!r}; {name!r} is in: "
                    f"{', '.join(elsewhere)}"
                )
        else:
            qualifier, name = "", text
    if not hits:
        hits = _by_spelling(g, text, key)
    if not hits:
        raise _unknown(text, g, key)
    places = sorted((g.places[i] for i in hits), key=lambda p: p.rank)
    return places, qualifier


def _by_spelling(g: Gazetteer, text: str, key: str, within: str = "") -> list[int]:
    """The places a near spelling of ``key`` stands for, with a note; [] if none or several.

    First transliteration variants ('Petropavlovsk-Kamchatsky' finds
    'Petropavlovsk Kamchatskiy', 'Jekaterinburg' 'Yekaterinburg'), then the
    one name a typo of one or two letters points to ('Kalinigrad'). The note
    names the most prominent of them in the country ``within`` (a folded
    qualifier), if given.
    """
    hits = sorted({i for k in g.loose_index.get(loose(key), ()) for i in matches(g, k)})
    if not hits:
        corrected = _fuzzy.correction(key, _keys(g))
        hits = matches(g, corrected) if corrected else []
    shown = [i for i in hits if not within or within in g.tags[i]]
    if shown:
        best = min(shown, key=lambda i: g.places[i].rank)
        warnings.warn(
            AmbiguousSiteWarning(
                f"site {show(text)} is not in the gazetteer; using the closest spelling, "
                f"{g.places[best].label()}",
                g.places[best].site(),
            ),
            stacklevel=outside_stacklevel(),
        )
    return hits


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
    SwappedCoordinatesWarning
        If a bare pair reads as a point at sea or far from every named place
        while the other way round it lies on land near one
        (:func:`rangeviz.sites.coordinates.check_order`); the pair is read as
        given.
    AmbiguousSiteWarning
        If the name (with its qualifier) matches places more than 25 km apart;
        the most prominent one -- a capital, then the largest population -- is
        returned and the message lists the others. Also when the name is a
        near spelling of one name alone -- a transliteration ("Jekaterinburg")
        or a typo of one or two letters ("Kalinigrad") -- and that place is
        used.

    Raises
    ------
    InputError
        For malformed coordinates, or a reported site the catalog has no
        position for.
    UnknownNameError
        For an unknown name; the message lists the closest matches, ranked as
        :mod:`rangeviz._fuzzy` states (how they match, then prominence).

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
        raise InputError(f"site {show(text)} must be text: a place name or coordinates; {FORMS}")
    stripped = text.strip()
    if len(stripped) > _MAX_TEXT:
        raise InputError(f"site is {len(stripped):,} characters long; at most {_MAX_TEXT}")
    if not stripped:
        raise InputError(f"site {show(text)} is empty: give a place name or coordinates; {FORMS}")
    bad = next((c for c in stripped if ord(c) < 32 or ord(c) == 127), None)
    if bad is not None:  # never read as a typo: NUL is not a letter someone meant
        raise InputError(f"site {show(text)} holds the control character {bad!r}")
    if "=" in stripped:
        name, _, rest = (part.strip() for part in stripped.partition("="))
        if not name:
            raise InputError(f"site {show(text)}: the name before '=' is empty (NAME=LAT,LON)")
        if not rest:
            raise InputError(f"site {show(text)}: nothing after '='; give NAME=LAT,LON")
        if looks_like_coordinates(rest):
            lon, lat = parse_coordinates(rest)
            _warn_if_swapped(rest, lon, lat)
            return Site(name, lon, lat)
        place, warning = _resolve_name(rest)
        if warning is not None:
            warnings.warn(warning, stacklevel=outside_stacklevel())
        return Site(
            name,
            place.lon,
            place.lat,
            source=place.source,
            note=f"at {place.name}" + (f"; {place.note}" if place.note else ""),
            country=place.country,
            kind=place.kind,
        )
    if looks_like_coordinates(stripped):
        lon, lat = parse_coordinates(stripped)
        _warn_if_swapped(stripped, lon, lat)
        return Site(coord_label(lon, lat), lon, lat)
    site, warning = _resolve_name(stripped)
    if warning is not None:
        warnings.warn(warning, stacklevel=outside_stacklevel())
    return site


def _warn_if_swapped(text: str, lon: float, lat: float) -> None:
    warning = check_order(text, lon, lat)
    if warning is not None:
        warnings.warn(warning, stacklevel=outside_stacklevel())


def _resolve_name(text: str) -> tuple[Site, AmbiguousSiteWarning | None]:
    """The most prominent place called ``text``, and a warning if others are far from it."""
    places, qualifier = _lookup(text)
    located = [p for p in places if p.lon is not None]
    if not located:
        place = places[0]
        raise InputError(
            f"site {show(text)}: the catalog lists the reported site {place.name!r} "
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
        f"site {show(text)} is ambiguous: using {chosen.label()}, the most prominent "
        f"({chosen.kind}); also: {listed}; {how}",
        site,
        tuple(p.site() for p in others),
    )
    return site, warning


def search_places(query: str, limit: int = 10) -> list[Site]:
    """Gazetteer places whose name contains or resembles ``query``.

    Exact names first, then names starting with the query, then names with a
    word starting with it, then names containing it; only if none does,
    similar spellings (a typo of one letter, two from 9 letters), fewest
    edits first. Within each, the most prominent first (a capital, then the
    larger population). Reported sites the catalog has no position for are
    not returned (:func:`resolve_site` explains them).

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
    ['Kapustin Yar - INF elimination site', 'Kapustin Yar (Znamensk) - training battalion']
    """
    if isinstance(query, str) and len(query) > _MAX_TEXT:
        raise InputError(f"query is {len(query):,} characters long; at most {_MAX_TEXT}")
    if not isinstance(query, str) or not fold(query):
        raise InputError(f"query {show(query)} is empty: give part of a place name")
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise InputError(f"limit {limit!r} must be a whole number >= 1")
    g = gazetteer()
    q = fold(query)
    country = ""
    if "," in query:
        name, _, qualifier = query.rpartition(",")
        if fold(qualifier) in g.countries and fold(name):
            q, country = fold(name), fold(qualifier)
    found = [i for i in _ranked_places(g, q) if not country or country in g.tags[i]]
    return [g.places[i].site() for i in found[:limit]]
