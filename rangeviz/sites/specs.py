"""Some sites, however they were given: the one reader every entry point shares.

The command line (``--site``), scenario files (``sites = [...]``) and Python
(``plot_bands(["Kaliningrad", (20.5, 54.7)])``) all hand their sites to
:func:`resolve_sites`, so the same text gives the same site, and the same
mistake the same message, whichever way it came in.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from typing import Any

from rangeviz import _checks
from rangeviz._text import coord_label
from rangeviz.errors import InputError
from rangeviz.model import Site, as_site, as_sites
from rangeviz.sites.coordinates import FORMS, parse_coordinates
from rangeviz.sites.lookup import resolve_site

__all__ = ["SITE_KEYS", "resolve_sites"]

#: The keys a site given as a table (TOML) may have.
SITE_KEYS = ("at", "country", "lat", "lon", "name", "note", "source")


def resolve_sites(specs: Any, what: str = "sites", *, empty: bool = False) -> tuple[Site, ...]:
    """Sites from place names, coordinate text, Sites, ``(lon, lat)`` pairs or tables.

    Parameters
    ----------
    specs : str, Site, sequence or GeoDataFrame
        One site or several. Each may be a place name or coordinate text (see
        :func:`~rangeviz.sites.resolve_site`), a :class:`Site`, a ``(lon,
        lat)`` pair, or a table with ``name`` and ``at`` (coordinate text) or
        ``lat`` and ``lon`` (and ``note``, ``source``, ``country``). A
        GeoSeries/GeoDataFrame of points is read by
        :func:`~rangeviz.model.as_sites`.
    what : str
        How the message names the input (``"sites"``, ``"--site"``,
        ``"brief.toml: sites"``).
    empty : bool, default False
        Whether no site at all is allowed.

    Returns
    -------
    tuple of Site

    Raises
    ------
    InputError, UnknownNameError
        Naming the item (``sites[2]``) and what is wrong with it.

    Examples
    --------
    >>> [s.name for s in resolve_sites(["Base=54.71,20.51", (27.57, 53.9)])]
    ['Base', '53.90°N 27.57°E']
    >>> resolve_sites([{"name": "Pad", "lat": 91, "lon": 0}])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    rangeviz.errors.InputError: sites[0]: latitude 91.0 is outside [-90, 90]...
    """
    if specs is None:
        specs = ()
    if isinstance(specs, (str, Site, Mapping)):
        specs = [specs]
    geoms = getattr(specs, "geometry", None)
    if geoms is not None and hasattr(geoms, "geom_type"):
        return as_sites(specs, what)
    if isinstance(specs, bytes) or not isinstance(specs, Iterable):
        raise InputError(
            f"{what} {_checks.show(specs)} is not a site or a list of sites; give place "
            f"names, coordinates or (lon, lat) pairs; {FORMS}"
        )
    out = tuple(_one(spec, f"{what}[{i}]") for i, spec in enumerate(specs))
    if not out and not empty:
        raise InputError(f"{what} is empty: give at least one site")
    return out


def _one(spec: Any, where: str) -> Site:
    if isinstance(spec, str):
        try:
            return resolve_site(spec)
        except InputError as exc:
            raise type(exc)(f"{where}: {exc}") from None
    if isinstance(spec, Mapping):
        return _from_table(spec, where)
    return as_site(spec, where)


def _from_table(spec: Mapping[str, Any], where: str) -> Site:
    unknown = sorted(set(map(str, spec)) - set(SITE_KEYS))
    if unknown:
        raise InputError(
            f"{where}: unknown key {unknown[0]!r}; a site table may have: {', '.join(SITE_KEYS)}"
        )
    extra = {
        k: _checks.text(spec[k], f"{where}.{k}", empty=True)
        for k in ("note", "source", "country")
        if k in spec
    }
    name = _checks.text(spec["name"], f"{where}.name") if "name" in spec else ""
    if "at" in spec:
        if "lat" in spec or "lon" in spec:
            raise InputError(f"{where}: give 'at' or 'lat' and 'lon', not both")
        lon, lat = parse_coordinates(_checks.text(spec["at"], f"{where}.at"))
    elif "lat" in spec or "lon" in spec:
        missing = [k for k in ("lat", "lon") if k not in spec]
        if missing:
            raise InputError(f"{where}: {missing[0]!r} is missing (give both lat and lon)")
        lon, lat = _checks.lonlat(spec["lon"], spec["lat"], where)
    elif name:
        site = resolve_site(name)
        return dataclasses.replace(site, **extra) if extra else site  # type: ignore[arg-type]
    else:
        raise InputError(f"{where}: give 'name', 'at' or 'lat' and 'lon'")
    return Site(name or coord_label(lon, lat), lon, lat, **extra)
