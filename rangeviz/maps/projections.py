"""Projections: names to CRSs, the centre and view of azimuthal maps, data scales.

Names and boxes are checked once, by the model (:class:`~rangeviz.model.MapOptions`
uses the same :func:`~rangeviz.model.extent_box`); here they become CRSs.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from pyproj import CRS, Geod, Transformer
from pyproj.enums import TransformDirection
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry

from rangeviz import _checks
from rangeviz.errors import InputError
from rangeviz.model import EXTENTS, PROJECTIONS, check_projection, extent_box

if TYPE_CHECKING:
    from rangeviz.maps.frame import MapFrame

__all__ = [
    "AUTO_EUROPE_KM",
    "AUTO_EUROPE_REACH_KM",
    "GEOD",
    "Inverse",
    "VIEW_KM",
    "auto_projection",
    "choose_scale",
    "describe",
    "central_meridian",
    "noncentred_domain",
    "projection_center",
    "resolve_extent",
    "resolve_projection",
    "transformer",
]

GEOD = Geod(ellps="WGS84")

#: "auto" keeps the Europe map for sites within this distance of its centre.
AUTO_EUROPE_KM = 3500.0

# Geodesic radius (km) of the most an azimuthal map shows round its centre:
# a hemisphere. Beyond it an equal-area or equidistant map is too distorted to
# brief from, and the antipode (a circle in LAEA) is not far.
VIEW_KM = 10_000.0
# Orthographic maps show less than a hemisphere; gnomonic far less.
_VIEW_KM_BY_METHOD = {"orthographic": 9_800.0, "gnomonic": 6_500.0}
_AZIMUTHAL_WORDS = ("azimuthal", "orthographic", "stereographic", "gnomonic")


#: "auto" leaves the Europe map for bands reaching farther than this (km): their
#: edges lie beyond what an equal-area map of Europe can show readably
AUTO_EUROPE_REACH_KM = 7000.0


def auto_projection(sites: Sequence[tuple[float, float]], reach_km: float | None = None) -> str:
    """'europe' when every site is in or near Europe (52°N 10°E) and the bands are
    no wider than a continent, else 'aeqd' (centred on the first site)."""
    if reach_km is not None and reach_km > AUTO_EUROPE_REACH_KM and sites:
        return "aeqd"
    if not sites:
        return "europe"
    lon = np.array([s[0] for s in sites], dtype=float)
    lat = np.array([s[1] for s in sites], dtype=float)
    _, _, d = GEOD.inv(np.full(lon.shape, 10.0), np.full(lat.shape, 52.0), lon, lat)
    return "europe" if np.max(d) / 1000.0 <= AUTO_EUROPE_KM else "aeqd"


def resolve_projection(
    projection: Any = "europe", *, center: tuple[float, float] | None = None
) -> CRS:
    """A pyproj CRS for a projection name or anything ``pyproj.CRS`` accepts.

    Parameters
    ----------
    projection : str or pyproj.CRS or Any
        ``"europe"`` (EPSG:3035, ETRS89-LAEA), ``"aeqd"`` (azimuthal
        equidistant centred on ``center``), ``"polar"`` (north polar LAEA with
        ``center``'s longitude, or 20°E, pointing down), ``"auto"``, or any
        CRS pyproj accepts (``"EPSG:3857"``, a PROJ string, WKT, a CRS object).
    center : (lon, lat), optional
        The first launch site, degrees. Needed for ``"aeqd"``.

    Raises
    ------
    InputError, UnknownNameError
        For an unknown name, a CRS pyproj cannot read, or a non-map CRS.

    Examples
    --------
    >>> resolve_projection("europe").to_epsg()
    3035
    """
    checked = check_projection(projection)
    if isinstance(checked, CRS):
        return checked
    name = checked
    if name == "auto":
        name = auto_projection([center] if center is not None else [])
    if name == "europe":
        return CRS.from_epsg(3035)
    if name == "aeqd":
        if center is None:
            raise InputError(
                "projection 'aeqd' is centred on the first site; give at least one site"
            )
        lon, lat = _checks.lonlat(*center, "center")
        return CRS.from_proj4(
            f"+proj=aeqd +lat_0={lat:.6f} +lon_0={lon:.6f} +datum=WGS84 +units=m +no_defs"
        )
    lon = 20.0 if center is None else _checks.lonlat(*center, "center")[0]
    return CRS.from_proj4(f"+proj=laea +lat_0=90 +lon_0={lon:.6f} +datum=WGS84 +units=m +no_defs")


def resolve_extent(extent: Any) -> tuple[float, float, float, float] | None:
    """A lon/lat box ``(lon_min, lat_min, lon_max, lat_max)`` from a preset or box.

    ``None`` (or ``"fit"``) means "fit to the bands". A box crossing the
    antimeridian comes back with ``lon_max`` increased by 360.

    Examples
    --------
    >>> resolve_extent("wide")
    (-55.0, 12.0, 65.0, 75.0)
    >>> resolve_extent((150, 40, -160, 70))
    (150.0, 40.0, 200.0, 70.0)
    """
    checked = extent_box(extent)
    if isinstance(checked, str):
        return EXTENTS[checked]
    return checked


def choose_scale(frame: MapFrame, coverage_10m: Sequence[float] | None = None) -> str:
    """The Natural Earth scale that suits a map: ``"110m"``, ``"50m"`` or ``"10m"``.

    1:110m for (near) world views, 1:50m for Europe-sized maps, 1:10m when
    the map spans at most ~2,500 km and lies inside ``coverage_10m`` (a lon/lat
    box, the 10m data's extent) if given.
    """
    span_km = math.hypot(frame.width, frame.height) / 1000.0
    if span_km <= 2_500.0:
        if coverage_10m is None:
            return "10m"
        lon_min, lat_min, lon_max, lat_max = frame.lonlat_bounds
        c = coverage_10m
        if lon_min >= c[0] and lat_min >= c[1] and lon_max <= c[2] and lat_max <= c[3]:
            return "10m"
    if max(frame.width, frame.height) / 1000.0 >= 15_000.0:
        return "110m"
    return "50m"


@functools.lru_cache(maxsize=16)
def transformer(crs: CRS) -> Transformer:
    """Lon/lat to ``crs`` (``always_xy``); one per CRS, used both ways.

    A CRS given as a plain PROJ string on the WGS84 ellipsoid (the presets,
    the locator globe, most user strings) and ETRS89-LAEA (EPSG:3035, the
    Europe map) become a PROJ pipeline directly, as PROJ itself resolves
    them: degrees to radians, then the projection. The operation search of
    ``from_crs`` would cost 15-40 ms each in proj.db for the same numbers.
    Anything else goes through ``from_crs``. Transformers are kept.
    """
    step = _projection_step(crs)
    if step is not None:
        return Transformer.from_pipeline(
            f"+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad +step {step}"
        )
    return Transformer.from_crs("EPSG:4326", crs, always_xy=True)


# ETRS89-LAEA as PROJ resolves EPSG:4326 -> EPSG:3035: ETRS89 and WGS84 are
# one datum at map scale (PROJ's transformation between them is a null one)
_EPSG_3035 = "+proj=laea +lat_0=52 +lon_0=10 +x_0=4321000 +y_0=3210000 +ellps=GRS80"
# a plain PROJ string: no datum shift, grid, axis order, prime meridian or other units
_PLAIN_STEP = re.compile(r"\+proj=(?!longlat|latlong|lonlat|latlon|geocent|cart|pipeline)\w+")
_NOT_PLAIN = ("+towgs84", "+nadgrids", "+geoidgrids", "+axis", "+pm", "+init", "+to_meter")
_DROPPED = ("+no_defs", "+type=crs", "+units=m", "+datum=WGS84", "+ellps=WGS84")


def _projection_step(crs: CRS) -> str | None:
    """The one PROJ step from WGS84 lon/lat (radians) to ``crs``, or None if not that simple."""
    srs = str(crs.srs).strip()
    if srs.upper() == "EPSG:3035":  # as the preset makes it; no search of proj.db
        return _EPSG_3035
    words = srs.split()
    if not words or not _PLAIN_STEP.fullmatch(words[0]):
        return None
    if any(w.startswith(_NOT_PLAIN) for w in words):
        return None
    if "+datum=WGS84" not in words and "+ellps=WGS84" not in words:
        return None
    if any(w.startswith(("+units=", "+vunits=")) and w != "+units=m" for w in words):
        return None
    if any(
        w.startswith(("+ellps=", "+datum=", "+a=", "+b=", "+R=", "+rf=", "+f="))
        and w not in _DROPPED
        for w in words
    ):
        return None
    keep = [w for w in words if w not in _DROPPED]
    return " ".join([*keep, "+ellps=WGS84"])


class Inverse:
    """A transformer's inverse direction with the usual ``transform(x, y)``."""

    def __init__(self, forward: Transformer) -> None:
        self._forward = forward

    def transform(self, xx: Any, yy: Any) -> tuple[Any, Any]:
        """Projected coordinates back to lon/lat."""
        return self._forward.transform(xx, yy, direction=TransformDirection.INVERSE)


def describe(projection: Any, crs: CRS) -> str:
    """A projection's short name: the preset's, else the CRS's."""
    if isinstance(projection, str) and projection.strip().lower() in PROJECTIONS:
        return projection.strip().lower()
    return str(crs.name)


def projection_center(crs: CRS) -> tuple[tuple[float, float] | None, float | None, str]:
    """Centre (lon, lat) and view radius (km) of an azimuthal CRS, else Nones; the method."""
    op = crs.coordinate_operation if crs.is_projected else None
    if op is None:
        return None, None, "geographic" if crs.is_geographic else ""
    method = op.method_name.lower()
    if not any(word in method for word in _AZIMUTHAL_WORDS):
        return None, None, method
    lat = lon = None
    for p in op.params:
        pname = p.name.lower()
        if pname.startswith("latitude of") and ("origin" in pname or "centre" in pname):
            lat = float(p.value)
        elif pname.startswith("latitude of standard parallel") and lat is None:
            lat = 90.0 if float(p.value) > 0 else -90.0
        elif pname.startswith("longitude of") and (
            "origin" in pname or "centre" in pname or "meridian" in pname
        ):
            lon = float(p.value)
    if lat is None or lon is None:
        return None, None, method
    if "polar" in method and abs(lat) != 90.0:
        lat = 90.0 if lat > 0 else -90.0
    view = VIEW_KM
    for word, km in _VIEW_KM_BY_METHOD.items():
        if word in method:
            view = km
    return (lon, lat), view, method


def central_meridian(crs: CRS) -> float:
    """The longitude a projected CRS is centred on (0 if it names none)."""
    op = crs.coordinate_operation if crs.is_projected else None
    for p in op.params if op is not None else ():
        name = p.name.lower()
        if name.startswith("longitude of") and any(
            word in name for word in ("origin", "centre", "center", "meridian")
        ):
            return float(p.value)
    return 0.0


def noncentred_domain(crs: CRS, method: str) -> BaseGeometry:
    """The lon/lat area a non-azimuthal CRS can show (its area of use).

    Cut along the meridian opposite its central one, where the projection
    tears the world apart (for a map centred on 20°E, at 160°W): a band that
    crosses it is split there, not bridged by a straight edge across the map.
    A conic's far pole (at infinity) and Mercator's (beyond 85°) are left out.
    """
    import shapely

    if crs.is_geographic:
        return box(-180.0, -90.0, 180.0, 90.0)
    aou = crs.area_of_use
    lon0, lat0, lon1, lat1 = (-180.0, -90.0, 180.0, 90.0) if aou is None else aou.bounds
    if "mercator" in method and "transverse" not in method:
        lat0, lat1 = max(lat0, -85.0), min(lat1, 85.0)
    if "conic" in method:
        north = _standard_parallels_north(crs)
        if north is not None:
            lat0, lat1 = (max(lat0, -85.0), lat1) if north else (lat0, min(lat1, 85.0))
    if lon0 > lon1:  # the area of use crosses the antimeridian
        domain = shapely.union(box(lon0, lat0, 180.0, lat1), box(-180.0, lat0, lon1, lat1))
    else:
        domain = box(lon0, lat0, lon1, lat1)
    cut = (central_meridian(crs) + 360.0) % 360.0 - 180.0  # the opposite meridian
    if -180.0 < cut < 180.0:
        domain = domain.difference(box(cut - 1e-7, -90.0, cut + 1e-7, 90.0))
    return domain


def _standard_parallels_north(crs: CRS) -> bool | None:
    op = crs.coordinate_operation
    values = [
        float(p.value)
        for p in (op.params if op is not None else ())
        if "standard parallel" in p.name.lower() or p.name.lower().startswith("latitude of")
    ]
    if not values or all(v == 0 for v in values):
        return None
    return sum(values) > 0
