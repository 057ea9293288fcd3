"""Groups of countries and their codes: NATO and the EU on a date, ISO codes without gaps.

- :func:`country_group`: the countries a report is limited to -- NATO or the
  EU on a date, from the dated membership list
  ``rangeviz/data/memberships.toml`` (with its sources), or the user's own
  country names and codes;
- :func:`iso_codes`: a country's ISO 3166-1 codes, never Natural Earth's
  ``-99``. Where Natural Earth has none for a country ISO codes (France,
  Norway) the ISO code is used; Kosovo is ``XK`` and ``XKX``, the
  user-assigned codes the EU and the IMF use; a territory with no code at
  all (Somaliland, Northern Cyprus) has ``iso_a2`` ``""`` and Natural
  Earth's own ``adm0_a3`` as ``iso_a3`` (``SOL``, ``CYN``).
"""

from __future__ import annotations

import datetime
import functools
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from rangeviz import _checks, _fuzzy, geodata, names
from rangeviz.errors import DataError, InputError, UnknownNameError
from rangeviz.model import Source

__all__ = [
    "GROUPS",
    "CountryGroup",
    "country_code",
    "country_group",
    "filter_places",
    "iso_a2_by_a3",
    "iso_codes",
]

# Natural Earth's -99 where ISO 3166-1 codes the country (France, Norway), and
# Kosovo's user-assigned codes as the EU and the IMF use them
_ISO_GAPS = {"FRA": ("FR", "FRA"), "NOR": ("NO", "NOR"), "KOS": ("XK", "XKX")}


def iso_codes(adm0_a3: str, iso_a2: str, iso_a3: str) -> tuple[str, str]:
    """A country's ``(iso_a2, iso_a3)`` from Natural Earth's columns, never ``-99``.

    >>> iso_codes("DEU", "DE", "DEU"), iso_codes("FRA", "-99", "-99")
    (('DE', 'DEU'), ('FR', 'FRA'))
    >>> iso_codes("KOS", "-99", "-99"), iso_codes("SOL", "-99", "-99")
    (('XK', 'XKX'), ('', 'SOL'))
    """
    known = _ISO_GAPS.get(adm0_a3, ("", adm0_a3))
    a2 = iso_a2 if iso_a2 not in ("", "-99", "nan") else known[0]
    a3 = iso_a3 if iso_a3 not in ("", "-99", "nan") else known[1]
    return a2, a3


def _key(text: str) -> str:
    return " ".join(str(text).casefold().split())


@functools.lru_cache(maxsize=2)
def _country_table(folder: str) -> tuple[tuple[str, str, str, str], ...]:
    """(name in the convention, Natural Earth name, iso_a2, iso_a3) of every country."""
    layer = geodata.read_attributes("countries", "50m")
    named = names.country_names()
    rows = []
    for code, ne_name, a2, a3 in zip(
        layer["adm0_a3"], layer["name"], layer["iso_a2"], layer["iso_a3"], strict=True
    ):
        iso2, iso3 = iso_codes(str(code), str(a2), str(a3))
        rows.append((named.get(str(code), str(ne_name)), str(ne_name), iso2, iso3))
    return tuple(rows)


@functools.lru_cache(maxsize=2)
def _codes_by_name(folder: str) -> dict[str, str]:
    """Folded country name or code -> iso_a2."""
    out: dict[str, str] = {}
    for name, ne_name, iso2, iso3 in _country_table(folder):
        if iso2:
            for text in (name, ne_name, iso2, iso3):
                out.setdefault(_key(text), iso2)
    return out


def country_code(name: str) -> str:
    """The ISO 3166-1 alpha-2 code of a country named or coded as given, or ``""``.

    >>> country_code("Germany"), country_code("Türkiye"), country_code("FRA"), country_code("Mars")
    ('DE', 'TR', 'FR', '')
    """
    return _codes_by_name(str(geodata.data_dir())).get(_key(name), "")


def iso_a2_by_a3() -> dict[str, str]:
    """``iso_a3`` (as :func:`countries` gives it) -> ``iso_a2`` (``""`` where none)."""
    return {iso3: iso2 for _, _, iso2, iso3 in _country_table(str(geodata.data_dir()))}


_MEMBERSHIPS = Path(__file__).resolve().parent / "data" / "memberships.toml"
#: The named groups :func:`country_group` knows (``rangeviz/data/memberships.toml``).
GROUPS: tuple[str, ...] = ("eu", "nato")


@dataclass(frozen=True)
class CountryGroup:
    """Countries to report on: a dated membership list, or the user's own list.

    Attributes
    ----------
    name : str
        ``"NATO"``, ``"EU"``, or the codes given (``"DE, PL, LT"``).
    iso_a2 : frozenset of str
        The members' ISO 3166-1 alpha-2 codes.
    on : str
        For a membership list, the date it holds for (ISO format); else ``""``.
    sources : tuple of Source
        Where the membership list comes from.
    """

    name: str
    iso_a2: frozenset[str]
    on: str = ""
    sources: tuple[Source, ...] = ()

    @property
    def label(self) -> str:
        """How a report names the group: ``"NATO members on 2026-12-02"``."""
        return f"{self.name} members on {self.on}" if self.on else self.name


@functools.cache
def _memberships() -> dict[str, Any]:
    try:
        with _MEMBERSHIPS.open("rb") as f:
            return tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DataError(f"cannot read {_MEMBERSHIPS.name}: {exc}") from None


def _date(text: str, where: str) -> datetime.date:
    text = text.strip()
    try:
        if len(text) == 4 and text.isdigit():  # a year: its last day
            return datetime.date(int(text), 12, 31)
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise InputError(
            f"{where}: date {text!r} is not a year (1987) or a day (1987-12-08)"
        ) from None


def _named_group(key: str, when: str, where: str) -> CountryGroup:
    data = _memberships()[key]
    as_of = datetime.date.fromisoformat(str(data["as_of"]))
    on = _date(when, where) if when else as_of
    if on > as_of:
        raise InputError(
            f"{where}: the {key.upper()} list holds as of {as_of.isoformat()}; "
            f"{on.isoformat()} is later (give an earlier date, or none)"
        )
    members = set()
    for row in [*data.get("member", ()), *data.get("former_member", ())]:
        joined = datetime.date.fromisoformat(str(row["joined"]))
        left = row.get("left")
        if joined <= on and (left is None or on <= datetime.date.fromisoformat(str(left))):
            members.add(str(row["iso_a2"]))
    if not members:
        raise InputError(f"{where}: {key.upper()} had no members on {on.isoformat()}")
    sources = tuple(
        Source(**{k: v for k, v in src.items() if k != "id"})
        for src in _memberships().get("source", ())
        if src.get("id") == data.get("source")
    )
    return CountryGroup(key.upper(), frozenset(members), on.isoformat(), sources)


def country_group(spec: Any, where: str = "within") -> CountryGroup:
    """A group of countries from a name or a list of countries.

    Parameters
    ----------
    spec : str, sequence of str or CountryGroup
        ``"NATO"`` or ``"EU"`` (any case): the members on the date of the
        dated list (``rangeviz/data/memberships.toml``, with its sources);
        ``"NATO@1987"`` or ``"EU@2004-05-01"``: the members on that day (a
        year means its last day). Or countries by name or ISO code, as a
        list or one comma-separated text: ``"DE, PL, Lithuania"``.
    where : str
        How messages name the argument (``"--within"``).

    Returns
    -------
    CountryGroup

    Raises
    ------
    InputError, UnknownNameError
        For an unknown group or country, or a date the list cannot answer.

    Examples
    --------
    >>> len(country_group("NATO").iso_a2), len(country_group("eu").iso_a2)
    (32, 27)
    >>> sorted(country_group("NATO@1987").iso_a2 - country_group("NATO@1955").iso_a2)
    ['ES']
    >>> "GB" in country_group("EU@2019").iso_a2, "GB" in country_group("EU").iso_a2
    (True, False)
    >>> sorted(country_group("Germany, pl, LTU").iso_a2)
    ['DE', 'LT', 'PL']
    """
    if isinstance(spec, CountryGroup):
        return spec
    if isinstance(spec, str):
        text = _checks.text(spec, where, limit=2000)
        name, at, when = text.partition("@")
        if _key(name) in GROUPS:
            return _named_group(_key(name), when if at else "", where)
        items = [part.strip() for part in text.split(",") if part.strip()]
    elif isinstance(spec, Iterable) and not isinstance(spec, (bytes, Mapping)):
        items = [_checks.text(item, where) for item in spec]
    else:
        raise InputError(
            f"{where} {_checks.show(spec)} is not a group ({', '.join(g.upper() for g in GROUPS)}) "
            "or a list of countries"
        )
    codes = _codes_by_name(str(geodata.data_dir()))
    found = set()
    for item in items:
        if _key(item) not in codes:
            close = [m.key for m in _fuzzy.ranked(_key(item), codes)][:3]
            hint = f"; closest: {', '.join(close)}" if close else ""
            raise UnknownNameError(
                f"{where}: {item!r} is not a group ({', '.join(g.upper() for g in GROUPS)}) "
                f"nor a country name or ISO code{hint}"
            )
        found.add(codes[_key(item)])
    if not found:
        raise InputError(f"{where} {_checks.show(spec)} names no country")
    return CountryGroup(", ".join(items), frozenset(found))


def filter_places(table: pd.DataFrame, group: CountryGroup) -> pd.DataFrame:
    """The rows of a :func:`places_table` whose country is in ``group``."""
    return table[table["iso_a2"].isin(group.iso_a2)].reset_index(drop=True)
