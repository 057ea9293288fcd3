"""Sites: named points, longitude before latitude."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

import numpy as np

from rangeviz import _checks
from rangeviz._text import coord_label
from rangeviz.errors import InputError

__all__ = ["Site", "SitesLike", "as_site", "as_sites", "site_arrays", "unique_sites"]


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
        name = _checks.text(self.name, "site name")
        where = f"site {name!r}"
        lon, lat = _checks.lonlat(self.lon, self.lat, where)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "lon", lon)
        object.__setattr__(self, "lat", lat)
        for key in ("source", "note", "country", "kind"):
            value = _checks.text(getattr(self, key), f"{where}: {key}", empty=True, limit=20_000)
            object.__setattr__(self, key, value)

    @property
    def key(self) -> tuple[float, float]:
        """The position rounded to ~0.1 m: two sites with one key are one place."""
        return (round(self.lon, 6), round(self.lat, 6))

    @classmethod
    def at(cls, lon: Any, lat: Any, name: str = "") -> Site:
        """A site named by its coordinates unless a name is given.

        >>> Site.at(20.51, 54.71).name
        '54.71°N 20.51°E'
        """
        x, y = _checks.lonlat(lon, lat)
        return cls(name or coord_label(x, y), x, y)


#: What functions taking several sites accept (names are resolved above the model).
SitesLike: TypeAlias = "Iterable[Site | tuple[float, float] | Sequence[float]] | Any"


def as_site(item: Any, where: str = "site") -> Site:
    """A :class:`Site` from a Site, an object with ``lon``/``lat``, or a ``(lon, lat)`` pair.

    >>> as_site((20.51, 54.71)).name
    '54.71°N 20.51°E'
    >>> import numpy as np
    >>> as_site(np.array([20.51, 54.71])).lat
    54.71
    >>> as_site("Kaliningrad")
    Traceback (most recent call last):
    ...
    rangeviz.errors.InputError: site 'Kaliningrad' is a name; resolve it first (rangeviz.resolve_site) or give (lon, lat)
    """  # noqa: E501
    if isinstance(item, Site):
        return item
    if isinstance(item, str):
        raise InputError(
            f"{where} {_checks.show(item)} is a name; resolve it first "
            "(rangeviz.resolve_site) or give (lon, lat)"
        )
    if hasattr(item, "lon") and hasattr(item, "lat"):
        lon, lat = _checks.lonlat(item.lon, item.lat, where)
        name = getattr(item, "name", "") or ""
        if not isinstance(name, str):
            name = str(name)
        return Site(name.strip() or coord_label(lon, lat), lon, lat)
    if getattr(item, "ndim", None) == 1 and hasattr(item, "tolist"):  # a row of a NumPy array
        item = item.tolist()
    if isinstance(item, Sequence) and not isinstance(item, (str, bytes)) and len(item) == 2:
        return Site.at(*_checks.lonlat(item[0], item[1], where))
    raise InputError(
        f"{where} {_checks.show(item)} is not a (lon, lat) pair or a Site "
        "(longitude first, in degrees)"
    )


def site_arrays(sites: Any, what: str = "sites") -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Longitudes, latitudes and names of sites, as :func:`as_sites` reads them.

    Many plain ``(lon, lat)`` pairs -- an ``(n, 2)`` NumPy array or a list of
    number pairs -- are checked at once, without a :class:`Site` each (for
    10⁵ sites that is most of a second saved); anything else goes through
    :func:`as_sites`. The checks and their messages are the same.

    >>> lon, lat, names = site_arrays([(20.51, 54.71), (27.57, 53.9)])
    >>> lat.tolist(), names[1]
    ([54.71, 53.9], '53.90°N 27.57°E')
    >>> site_arrays(np.array([(0.0, 0.0), (0.0, 91.0)]))
    Traceback (most recent call last):
    ...
    rangeviz.errors.InputError: sites[1]: latitude 91.0 is outside [-90, 90] (did you swap lat and lon?)
    """  # noqa: E501
    xy = _plain_pairs(sites)
    if xy is None:
        found = as_sites(sites, what)
        lon = np.array([s.lon for s in found], dtype=float)
        lat = np.array([s.lat for s in found], dtype=float)
        return lon, lat, [s.name for s in found]
    if len(xy) == 0:
        raise InputError(f"{what} is empty: give at least one launch site")
    lon, lat = xy[:, 0], xy[:, 1]
    bad = ~(np.isfinite(lon) & np.isfinite(lat) & (np.abs(lon) <= 180) & (np.abs(lat) <= 90))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        _checks.lonlat(float(lon[i]), float(lat[i]), f"{what}[{i}]")  # raises, as as_sites would
    names = [coord_label(x, y) for x, y in zip(lon.tolist(), lat.tolist(), strict=True)]
    return lon, lat, names


def _plain_pairs(sites: Any) -> np.ndarray | None:
    """An ``(n, 2)`` float array if ``sites`` are plain number pairs, else None."""
    if isinstance(sites, np.ndarray):
        if sites.ndim == 2 and sites.shape[1] == 2 and sites.dtype.kind in "fiu":
            return sites.astype(float)
        return None
    if not isinstance(sites, (list, tuple)) or len(sites) < 64:  # few: no need
        return None
    numbers = (float, int)
    for p in sites:
        if type(p) not in (tuple, list) or len(p) != 2:
            return None
        if type(p[0]) not in numbers or type(p[1]) not in numbers:
            return None
    return np.array(sites, dtype=float)


def as_sites(sites: Any, what: str = "sites") -> tuple[Site, ...]:
    """Sites from Sites, ``(lon, lat)`` pairs (an ``(n, 2)`` NumPy array too), or points
    in a GeoSeries/GeoDataFrame.

    A GeoDataFrame is reprojected to EPSG:4326 first (a projected CRS is never
    read as degrees); its ``name`` column names its rows.

    Raises
    ------
    InputError
        For anything else, an empty collection, or a point out of range; the
        message names the position of the bad item.

    Examples
    --------
    >>> [s.name for s in as_sites([(20.51, 54.71), Site("Minsk", 27.57, 53.9)])]
    ['54.71°N 20.51°E', 'Minsk']
    """
    if isinstance(sites, Site):
        return (sites,)
    geoms = getattr(sites, "geometry", None)
    if geoms is not None and hasattr(geoms, "geom_type"):  # GeoSeries / GeoDataFrame
        return _sites_from_frame(sites, what)
    if isinstance(sites, (str, bytes, Mapping)) or not isinstance(sites, Iterable):
        raise InputError(
            f"{what} {_checks.show(sites)} is not a list of (lon, lat) pairs, Site objects "
            "or a GeoSeries/GeoDataFrame of points"
        )
    out = tuple(as_site(item, f"{what}[{i}]") for i, item in enumerate(sites))
    if not out:
        raise InputError(f"{what} is empty: give at least one launch site")
    return out


def _sites_from_frame(frame: Any, what: str) -> tuple[Site, ...]:
    crs = getattr(frame, "crs", None)
    # a projected CRS is reprojected, never read as degrees
    if crs is not None and (not crs.is_geographic or crs.to_epsg() not in (4326, None)):
        frame = frame.to_crs("EPSG:4326")
    names = None
    if hasattr(frame, "columns") and "name" in frame.columns:
        names = ["" if v is None else str(v) for v in frame["name"]]
    out = []
    for pos, geom in enumerate(frame.geometry):
        if geom is None or geom.geom_type != "Point" or geom.is_empty:
            kind = None if geom is None else geom.geom_type
            raise InputError(f"{what} row {pos}: geometry {kind!r} is not a Point")
        lon, lat = _checks.lonlat(geom.x, geom.y, f"{what} row {pos}")
        out.append(Site((names[pos] if names else "").strip() or coord_label(lon, lat), lon, lat))
    if not out:
        raise InputError(f"{what} is empty: give at least one launch site")
    return tuple(out)


def unique_sites(sites: Iterable[Site]) -> tuple[Site, ...]:
    """Sites without repeats of the same position (the first name wins)."""
    seen: dict[tuple[float, float], Site] = {}
    for site in sites:
        seen.setdefault(site.key, site)
    return tuple(seen.values())


# --------------------------------------------------------------------------
# sources and bands
