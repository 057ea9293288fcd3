"""Reach and footprints on the rotating Earth.

See :mod:`rangeviz.flight` for the model.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from rangeviz import _checks, geodesic
from rangeviz._checks import ANTIPODAL_KM
from rangeviz.errors import InputError
from rangeviz.flight import _args
from rangeviz.flight._args import FloatOrArray
from rangeviz.flight._kepler import EARTH_RADIUS_KM, MU_KM3_S2, OMEGA_RAD_S, min_energy

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry


_R = EARTH_RADIUS_KM
_GOLDEN = (math.sqrt(5.0) - 1.0) / 2.0
# Flight-path angles searched for the longest range on the rotating Earth:
# a coarse grid finds the peak, golden sections refine it to ~1e-7 rad (the
# range is flat at its peak: an angle 1e-7 rad off costs far under a metre).
_GAMMA_GRID = 32
_GAMMA_STEPS = 40


@dataclass(frozen=True)
class Reach:
    """How far a missile reaches from a latitude, launch azimuth by azimuth.

    Fields are floats for a scalar azimuth, else arrays of its shape.

    Attributes
    ----------
    range_km : float or numpy.ndarray
        Great-circle ground distance (km) from the site to the impact point,
        taken 1:1 as WGS84 geodesic distance and at most
        :data:`~rangeviz.geodesic.ANTIPODAL_KM`.
    azimuth_deg : float or numpy.ndarray
        Azimuth (degrees clockwise from north, in [0, 360)) of the impact
        point as seen from the site; on a rotating Earth it differs from the
        launch azimuth by a few degrees (and by much more close to the
        antipode, where azimuths turn fast).
    launch_azimuth_deg : float or numpy.ndarray
        The launch azimuth given, in [0, 360).
    flight_path_angle_deg : float or numpy.ndarray
        The flight-path angle above the horizontal, relative to the ground,
        that gives the longest range (degrees).
    time_min : float or numpy.ndarray
        Time of free flight (minutes).
    reaches_antipode : bool or numpy.ndarray
        Whether the impact point comes farther from the site than the
        antipodal distance on WGS84 (within ~11 km of the sphere's antipode):
        ``range_km`` is then capped at that distance. The burnout speed plus
        the Earth's rotation is then close to orbital speed; the track could
        fly on past the antipode, so the footprint is no longer a region
        around the site.
    """

    range_km: FloatOrArray
    azimuth_deg: FloatOrArray
    launch_azimuth_deg: FloatOrArray
    flight_path_angle_deg: FloatOrArray
    time_min: FloatOrArray
    reaches_antipode: bool | npt.NDArray[np.bool_]


# --------------------------------------------------------------------------
# the rotating Earth


def _time_s(psi: np.ndarray, e: np.ndarray, a: np.ndarray) -> np.ndarray:
    """Time of free flight (s) over a central angle ``psi`` on a symmetric ellipse.

    Burnout and impact are at equal radii, at true anomalies ``π ∓ psi/2``.
    Kepler's equation from burnout to apogee, doubled, in a form with no
    cancellation for short flights: ``δ = π - E`` at burnout.
    """
    delta = 2.0 * np.arctan2(
        np.sqrt(1.0 + e) * np.sin(psi / 4.0), np.sqrt(1.0 - e) * np.cos(psi / 4.0)
    )
    return 2.0 * (delta + e * np.sin(delta)) * np.sqrt(a**3 / MU_KM3_S2)


def _track(lat_rad: float, alpha: np.ndarray, speed: float, gamma: np.ndarray, omega: float):
    """Where a free flight from the surface lands on the rotating sphere.

    ``alpha`` (launch azimuth) and ``gamma`` (flight-path angle), both in
    radians relative to the ground, broadcast. Returns the great-circle angle
    from the site to the impact point (rad, in [0, π]), the azimuth of the
    impact point from the site (rad) and the time of flight (s).
    """
    sp, cp = math.sin(lat_rad), math.cos(lat_rad)
    cg = np.cos(gamma)
    # inertial velocity = ground-relative velocity + ω × r (eastward)
    east = speed * cg * np.sin(alpha) + omega * _R * cp
    north = speed * cg * np.cos(alpha)
    up = speed * np.sin(gamma)
    horiz = np.hypot(east, north)
    v2 = horiz**2 + up**2
    q = v2 * _R / MU_KM3_S2
    # the range equation (Bate, Mueller & White 6.2) with the inertial
    # flight-path angle: tan(psi/2) = q sin γ cos γ / (1 - q cos² γ)
    sgi, cgi = up / np.sqrt(v2), horiz / np.sqrt(v2)
    psi = 2.0 * np.arctan2(q * sgi * cgi, 1.0 - q * cgi**2)
    e = np.hypot(q * cgi**2 - 1.0, q * sgi * cgi)
    t = _time_s(psi, e, _R / (2.0 - q))
    # impact in the inertial frame: psi along the inertial heading
    heading = np.arctan2(east, north)
    sin_lat1 = sp * np.cos(psi) + cp * np.sin(psi) * np.cos(heading)
    cos_lat1 = np.sqrt(np.clip(1.0 - sin_lat1**2, 0.0, None))
    dlon = np.arctan2(np.sin(heading) * np.sin(psi) * cp, np.cos(psi) - sp * sin_lat1)
    dlon = dlon - omega * t  # the Earth turns east under the missile
    # distance and azimuth from the site on the sphere, from unit vectors
    x = cos_lat1 * np.cos(dlon)
    p_east = cos_lat1 * np.sin(dlon)
    p_north = cp * sin_lat1 - sp * x
    p_up = cp * x + sp * sin_lat1
    d = np.arctan2(np.hypot(p_east, p_north), p_up)
    return d, np.arctan2(p_east, p_north), t


def _longest(lat_rad: float, alpha: np.ndarray, speed: float, omega: float):
    """The flight-path angle (rad) of the longest track for each azimuth, and the track."""

    def distance(g):
        return _track(lat_rad, alpha, speed, g, omega)[0]

    grid = np.linspace(0.0, 0.5 * np.pi, _GAMMA_GRID + 1)[1:-1]
    values = distance(grid[:, None] + np.zeros_like(alpha))
    k = np.argmax(values, axis=0)
    lo = np.where(k > 0, grid[np.maximum(k - 1, 0)], 0.0)
    hi = np.where(k < len(grid) - 1, grid[np.minimum(k + 1, len(grid) - 1)], 0.5 * np.pi)
    x1 = hi - _GOLDEN * (hi - lo)
    x2 = lo + _GOLDEN * (hi - lo)
    f1, f2 = distance(x1), distance(x2)
    for _ in range(_GAMMA_STEPS):
        right = f1 < f2  # the peak lies in [x1, hi]
        lo = np.where(right, x1, lo)
        hi = np.where(right, hi, x2)
        nx1 = np.where(right, x2, hi - _GOLDEN * (hi - lo))
        nx2 = np.where(right, lo + _GOLDEN * (hi - lo), x1)
        fresh = distance(np.where(right, nx2, nx1))
        f1, f2 = np.where(right, f2, fresh), np.where(right, fresh, f1)
        x1, x2 = nx1, nx2
    gamma = 0.5 * (lo + hi)
    track = _track(lat_rad, alpha, speed, gamma, omega)
    # farther than the longest geodesic on WGS84: within ~11 km of the antipode
    past = track[0] * _R >= ANTIPODAL_KM
    return gamma, track, past


def reach_km(
    lat: float,
    azimuth_deg: npt.ArrayLike,
    *,
    range_km: float,
    rotating: bool = True,
) -> Reach:
    """Compute how far a missile reaches along launch azimuths on a rotating Earth.

    The missile has the burnout speed (relative to the ground) of the
    minimum-energy trajectory to ``range_km`` on the non-rotating Earth. For
    each launch azimuth it flies at the flight-path angle that gives the
    longest ground range once the Earth's rotation adds ``ω × r`` to its
    velocity and turns the Earth under it during the flight; the range is the
    great-circle distance on the sphere from the site to the impact point
    (see the module's notes). Eastward launches reach farther, westward ones
    less far; the longitude does not matter.

    Parameters
    ----------
    lat : float
        Latitude of the site in degrees (geodetic, used on the sphere).
    azimuth_deg : float or array_like
        Launch azimuths, degrees clockwise from north (any real value).
    range_km : float
        Minimum-energy range on the non-rotating Earth (km),
        ``0 < range_km <= ANTIPODAL_KM``.
    rotating : bool, default True
        False gives the non-rotating Earth: ``range_km`` along every azimuth,
        at the minimum-energy flight-path angle.

    Returns
    -------
    Reach
        Range (km), impact azimuth from the site, launch azimuth, flight-path
        angle and time of flight, and whether the track reaches the
        antipode; floats for a scalar azimuth, else arrays of its shape.

    Raises
    ------
    InputError
        If the latitude, an azimuth or the range is out of range.

    Examples
    --------
    >>> r = reach_km(55.0, [90, 270], range_km=5500)  # east and west from 55°N
    >>> (r.range_km / 5500).round(3).tolist()
    [1.054, 0.957]
    >>> round(reach_km(55.0, 90, range_km=5500, rotating=False).range_km)
    5500
    """
    _, lat = _checks.lonlat(0.0, lat)
    az, scalar = _args.array(azimuth_deg, "azimuth_deg", "degrees")
    rng = _checks.radius(range_km, "range_km", positive=True)
    _checks.flag(rotating, "rotating")
    launch = np.mod(az, 360.0)
    shape = launch.shape
    psi = np.asarray(rng / _R)
    t0, v0, g0 = min_energy(psi)
    if not rotating:
        full = np.full_like(launch, 1.0)
        return Reach(
            range_km=_args.out(rng * full, scalar),
            azimuth_deg=_args.out(launch, scalar),
            launch_azimuth_deg=_args.out(launch, scalar),
            flight_path_angle_deg=_args.out(np.degrees(g0) * full, scalar),
            time_min=_args.out(t0 / 60.0 * full, scalar),
            reaches_antipode=False if scalar else np.zeros(shape, dtype=bool),
        )
    gamma, (angle, azimuth, t), past = _longest(
        math.radians(lat), np.radians(launch.ravel()), float(v0), OMEGA_RAD_S
    )
    km = np.minimum(angle * _R, ANTIPODAL_KM)

    def out(x):
        return _args.out(x.reshape(shape), scalar)

    return Reach(
        range_km=out(km),
        azimuth_deg=out(np.mod(np.degrees(azimuth), 360.0)),
        launch_azimuth_deg=out(launch),
        flight_path_angle_deg=out(np.degrees(gamma)),
        time_min=out(t / 60.0),
        reaches_antipode=bool(past[0]) if scalar else past.reshape(shape),
    )


# --------------------------------------------------------------------------
# footprints


# launch azimuths sampled to bracket the one that lands at a given azimuth
_BRACKETS = 720
_NEWTON_STEPS = 8


def _radius_by_impact_azimuth(lat: float, range_km: float) -> Callable[[np.ndarray], np.ndarray]:
    """Reach (km) as a function of the impact azimuth from the site (degrees).

    The impact azimuth turns once, steadily, with the launch azimuth (a few
    degrees apart) while no track comes near the antipode; that is checked on
    a grid of launch azimuths. For each azimuth asked, the launch azimuth that
    lands there is bracketed on the grid and refined by Newton steps with the
    bracket's slope, then its reach evaluated.
    """
    lat_rad = math.radians(lat)
    speed = float(min_energy(np.asarray(range_km / _R))[1])

    def landing(alpha):
        _, (angle, azimuth, _), past = _longest(lat_rad, alpha, speed, OMEGA_RAD_S)
        return angle, azimuth, past

    alpha_grid = np.linspace(0.0, 2.0 * np.pi, _BRACKETS + 1)
    _, beta, past = landing(alpha_grid[:-1])
    # unwrap the impact azimuths so that they rise with the launch azimuth
    beta = np.unwrap(np.append(beta, beta[0]))
    beta[-1] = beta[0] + 2.0 * np.pi * round((beta[-1] - beta[0]) / (2.0 * np.pi))
    turns_once = np.all(np.diff(beta) > 0) and math.isclose(beta[-1] - beta[0], 2.0 * np.pi)
    if past.any() or not turns_once:
        raise InputError(
            f"range_km {range_km!r} from latitude {lat!r}: on the rotating Earth some "
            "tracks come close to the antipode (burnout speed plus the Earth's rotation "
            "is near orbital), so the footprint is not a region drawn by azimuth from "
            "the site; give a shorter range or rotating=False"
        )
    slope = np.diff(beta) / np.diff(alpha_grid)  # > 0, close to 1

    def radius(azimuth_deg: np.ndarray) -> np.ndarray:
        target = np.asarray(azimuth_deg, dtype=float)
        shape = target.shape
        target = beta[0] + np.mod(np.radians(target.ravel()) - beta[0], 2.0 * np.pi)
        i = np.clip(np.searchsorted(beta, target, side="right") - 1, 0, _BRACKETS - 1)
        lo, hi = alpha_grid[i], alpha_grid[i + 1]
        alpha = lo + (target - beta[i]) / slope[i]
        km = np.zeros_like(alpha)
        # Newton steps with the bracket's slope: each gains ~3 digits, down to
        # the azimuth's noise (~3e-9 rad, from the flight-path angle's)
        for _ in range(_NEWTON_STEPS):
            angle, b, _ = landing(alpha)
            km = angle * _R
            # the landing azimuth unwrapped next to beta[i]
            f = np.mod(b - beta[i] + np.pi, 2.0 * np.pi) - np.pi + beta[i] - target
            if np.all(np.abs(f) < 1e-8):  # 0.2 mm sideways at 20,000 km
                break
            alpha = np.clip(alpha - f / slope[i], lo, hi)
        return np.minimum(km, ANTIPODAL_KM).reshape(shape)

    return radius


def footprint(
    lon: float,
    lat: float,
    *,
    range_km: float,
    rotating: bool = True,
    tolerance_km: float = 0.1,
) -> BaseGeometry:
    """Compute the area a ballistic missile reaches from a site.

    On the non-rotating Earth this is ``disc(lon, lat, radius_km=range_km)``.
    On the rotating Earth it reaches farther east than west: the outline is
    the impact point of the longest track for each launch azimuth (see
    :func:`reach_km`), drawn at the geodesic azimuth of the impact point from
    the site, with the range taken 1:1 as WGS84 geodesic distance.

    Parameters
    ----------
    lon, lat : float
        The launch site in degrees.
    range_km : float
        Minimum-energy range on the non-rotating Earth (km),
        ``0 < range_km <= ANTIPODAL_KM``.
    rotating : bool, default True
        Whether the Earth turns.
    tolerance_km : float, default 0.1
        How far (km) the drawn edge may stray from the true outline.

    Returns
    -------
    shapely.Polygon or shapely.MultiPolygon
        EPSG:4326 degrees, like every band.

    Raises
    ------
    InputError
        If an argument is out of range, or (rotating) if some track comes
        close to the antipode: the footprint is then no longer a region drawn
        by azimuth from the site. That happens from about 11,700 km on the
        equator, 13,600 km at 55° and 16,400 km at 80° of latitude.

    Examples
    --------
    >>> from shapely import Point
    >>> fixed = footprint(37.62, 55.75, range_km=5500, rotating=False)  # Moscow
    >>> fixed.contains(Point(-9.14, 38.72))  # Lisbon, ~3,900 km
    True
    """
    lon, lat = _checks.lonlat(lon, lat)
    rng = _checks.radius(range_km, "range_km", positive=True)
    _checks.flag(rotating, "rotating")
    if not rotating:
        return geodesic.disc(lon, lat, radius_km=rng, tolerance_km=tolerance_km)
    tol = _checks.tolerance(tolerance_km)
    radius = _radius_by_impact_azimuth(lat, rng)
    return geodesic.region_by_azimuth(lon, lat, radius_km=radius, tolerance_km=tol)


def reach_by_azimuth(lat: float, *, range_km: float) -> Callable[[npt.ArrayLike], np.ndarray]:
    """The rotating-Earth reach (km) as a function of the geodesic azimuth from the site.

    The radius of :func:`footprint`'s outline: a place at geodesic distance
    ``d`` and azimuth ``az`` from the site is inside the footprint iff
    ``d <= reach_by_azimuth(lat, range_km=...)(az)``. It does not depend on
    the site's longitude.

    Parameters
    ----------
    lat : float
        The site's latitude in degrees.
    range_km : float
        Minimum-energy range on the non-rotating Earth (km).

    Returns
    -------
    callable
        Azimuths in degrees (any array shape, any turn) to reaches in km.

    Raises
    ------
    InputError
        As :func:`footprint` (rotating).

    Examples
    --------
    >>> east_west = reach_by_azimuth(55.0, range_km=5500)([90.0, 270.0])
    >>> [round(km) for km in east_west]
    [5795, 5264]
    """
    _, lat = _checks.lonlat(0.0, lat)
    rng = _checks.radius(range_km, "range_km", positive=True)
    radius = _radius_by_impact_azimuth(lat, rng)
    return lambda azimuth_deg: radius(np.asarray(azimuth_deg, dtype=float))
