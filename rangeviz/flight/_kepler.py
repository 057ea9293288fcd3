"""Free flight on the non-rotating sphere: times, the inverse, cruise, isochrones.

See :mod:`rangeviz.flight` for the model.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from rangeviz import _checks, geodesic
from rangeviz._checks import ANTIPODAL_KM
from rangeviz.errors import InputError
from rangeviz.flight import _args
from rangeviz.flight._args import FloatOrArray

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry


#: Radius of the spherical Earth of the flight model (km), the mean radius.
EARTH_RADIUS_KM: float = 6371.0
#: The Earth's gravitational parameter GM (km³/s²), WGS84 / IERS value.
MU_KM3_S2: float = 398600.4418
#: The Earth's rotation rate (rad/s), sidereal, WGS84.
OMEGA_RAD_S: float = 7.2921159e-5
#: Highest apogee accepted (km). Far above any missile flown (North Korea's
#: lofted tests reached about 6,000-7,700 km); a larger value is most likely
#: metres given as kilometres.
MAX_APOGEE_KM: float = 100_000.0
#: The model's one-line caveat, for printing next to every flight time.
MODEL_NOTE: str = (
    "Free flight in vacuum from burnout at the surface (boost and re-entry not modelled)"
)
#: Fastest constant ground speed accepted (km/h): the escape speed at the
#: surface, 11.2 km/s. Nothing flying within the atmosphere comes close.
_MAX_SPEED_KM_H: float = 40_270.0

_R = EARTH_RADIUS_KM
_PSI_MAX = ANTIPODAL_KM / EARTH_RADIUS_KM  # the longest central angle accepted


@dataclass(frozen=True)
class Trajectory:
    """A free-flight ballistic trajectory between two points on the surface.

    Fields are floats for scalar input, else arrays of the broadcast shape.

    Attributes
    ----------
    range_km : float or numpy.ndarray
        Ground range (km) on the sphere, taken 1:1 as WGS84 geodesic distance.
    time_min : float or numpy.ndarray
        Time of free flight, burnout to impact (minutes).
    apogee_km : float or numpy.ndarray
        Highest altitude above the sphere (km).
    burnout_speed_km_s : float or numpy.ndarray
        Speed at burnout, at the surface (km/s), relative to a non-rotating
        Earth.
    flight_path_angle_deg : float or numpy.ndarray
        Angle of the burnout velocity above the local horizontal (degrees).
    """

    range_km: FloatOrArray
    time_min: FloatOrArray
    apogee_km: FloatOrArray
    burnout_speed_km_s: FloatOrArray
    flight_path_angle_deg: FloatOrArray


# --------------------------------------------------------------------------
# free flight on the non-rotating sphere


def free_flight(psi: np.ndarray, h: np.ndarray) -> tuple[np.ndarray, ...]:
    """Time (s), speed (km/s), flight-path angle (rad) for a central angle and apogee height.

    The ellipse ``r = p / (1 + e cos θ)`` has its apogee ``R + h`` at ``θ = π``
    and burnout at ``θ = π - psi/2``, so ``e = h / (h + k)`` with
    ``k = R (1 - cos(psi/2))``. Written in ``h`` and ``k`` so that nothing
    cancels for short ranges, where ``e`` tends to 1.
    """
    q = np.sin(psi / 4.0)
    k = 2.0 * _R * q**2
    e = h / (h + k)
    a = (_R + h) * (h + k) / (2.0 * h + k)
    # vis-viva, v² = μ (2/R - 1/a), with 2a - R expanded
    speed = np.sqrt(MU_KM3_S2 * (_R * k + 2.0 * h * (h + k)) / ((2.0 * h + k) * a * _R))
    gamma = np.arctan2(h * np.sin(psi / 2.0), k + 2.0 * h * q**2)
    # Kepler's equation from burnout to apogee, doubled: δ = π - E at burnout
    delta = 2.0 * np.arctan2(np.sqrt(2.0 * h + k), np.sqrt(2.0 * _R) * np.cos(psi / 4.0))
    t = 2.0 * (delta + e * np.sin(delta)) * np.sqrt(a**3 / MU_KM3_S2)
    return t, speed, gamma


def min_energy_apogee(psi: np.ndarray) -> np.ndarray:
    """Apogee height (km) of the minimum-energy ellipse, ``R (sin(psi/2) + cos(psi/2) - 1) / 2``."""
    return _R * (np.sin(psi / 2.0) - 2.0 * np.sin(psi / 4.0) ** 2) / 2.0


def min_energy(psi: np.ndarray) -> tuple[np.ndarray, ...]:
    return free_flight(psi, min_energy_apogee(psi))


def ballistic(range_km: npt.ArrayLike, *, apogee_km: npt.ArrayLike | None = None) -> Trajectory:
    """Compute the free-flight trajectory of a ballistic missile to a range.

    Parameters
    ----------
    range_km : float or array_like
        Ground range in kilometres, ``0 < range_km <= ANTIPODAL_KM``.
    apogee_km : float or array_like, optional
        Highest altitude (km above the surface), broadcast against
        ``range_km``: ``0 < apogee_km <= MAX_APOGEE_KM``. Any positive apogee
        is possible: below the minimum-energy apogee the ellipse is depressed
        (it skims the surface as the apogee goes to 0 and the burnout speed to
        orbital speed), above it lofted. None (the default) gives the
        minimum-energy trajectory.

    Returns
    -------
    Trajectory
        Range, time of free flight, apogee, burnout speed and flight-path
        angle; floats for scalar input, else arrays of the broadcast shape.

    Raises
    ------
    InputError
        If a range is not a number in ``(0, ANTIPODAL_KM]`` or an apogee not
        in ``(0, MAX_APOGEE_KM]``.

    Examples
    --------
    >>> t = ballistic(5500)  # the INF Treaty's upper limit
    >>> round(t.time_min, 1), round(t.apogee_km), round(t.burnout_speed_km_s, 2)
    (21.9, 1041, 6.08)
    >>> round(ballistic(2700, apogee_km=550).time_min, 1)  # Hwasong-12, 29 Aug 2017
    13.4
    >>> ballistic([1000, 10000]).time_min.round(1).tolist()
    [7.9, 32.2]
    """
    rng, scalar = _args.ranges(range_km)
    psi = rng / _R
    if apogee_km is None:
        h = min_energy_apogee(psi)
    else:
        apo = _args.apogees(apogee_km, MAX_APOGEE_KM)
        scalar = scalar and apo.ndim == 0
        psi, h = np.broadcast_arrays(psi, apo)
    t, v, g = free_flight(psi, h)
    return Trajectory(
        range_km=_args.out(psi * _R, scalar),
        time_min=_args.out(t / 60.0, scalar),
        apogee_km=_args.out(h, scalar),
        burnout_speed_km_s=_args.out(v, scalar),
        flight_path_angle_deg=_args.out(np.degrees(g), scalar),
    )


#: The minimum-energy flight time to the antipodal distance, ~42.2 minutes:
#: the longest :func:`ballistic_range_km` accepts.
LONGEST_FLIGHT_MIN: float = float(min_energy(np.asarray(_PSI_MAX))[0]) / 60.0


def ballistic_range_km(minutes: npt.ArrayLike) -> FloatOrArray:
    """Compute the ground range a minimum-energy missile covers in a time.

    The inverse of ``ballistic(range_km).time_min``, which grows with the
    range from 0 to :data:`LONGEST_FLIGHT_MIN` (~42.2 minutes) at
    :data:`~rangeviz.geodesic.ANTIPODAL_KM` (the cap: the sphere's half
    circumference, 11 km further, would take under a millisecond more).

    Parameters
    ----------
    minutes : float or array_like
        Time of free flight, ``0 < minutes <= LONGEST_FLIGHT_MIN``.

    Returns
    -------
    float or numpy.ndarray
        Ground range in kilometres (geodesic distance on WGS84, 1:1).

    Raises
    ------
    InputError
        If a time is not a number, not positive, or beyond the longest flight.

    Examples
    --------
    >>> round(ballistic_range_km(10))  # minimum-energy range for 10 minutes
    1524
    >>> ballistic_range_km([15, 30]).round(-1).tolist()
    [3030.0, 8920.0]
    """
    t_min, scalar = _args.array(minutes, "minutes", "minutes")
    bad = ~((t_min > 0) & (t_min <= LONGEST_FLIGHT_MIN))
    if bad.any():
        where, m = _args.first_bad(t_min, bad, "minutes")
        if m <= 0:
            raise InputError(f"{where} {m!r} must be > 0 (minutes of flight)")
        raise InputError(
            f"{where} {m!r} is beyond the longest ballistic flight, "
            f"{LONGEST_FLIGHT_MIN:.2f} minutes (minimum energy to the antipodal "
            f"distance, {ANTIPODAL_KM:,.0f} km): every point on the Earth is reached sooner"
        )
    target = t_min * 60.0
    # the time grows strictly with the central angle: bisect it (to ~1e-16 rad)
    lo = np.zeros_like(target)
    hi = np.full_like(target, _PSI_MAX)
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        short = min_energy(mid)[0] < target
        lo = np.where(short, mid, lo)
        hi = np.where(short, hi, mid)
    return _args.out(np.minimum(0.5 * (lo + hi) * _R, ANTIPODAL_KM), scalar)


def cruise_minutes(range_km: npt.ArrayLike, *, speed_km_h: float) -> FloatOrArray:
    """Compute the flight time at a constant ground speed.

    For cruise missiles and glide vehicles: the whole range flown at
    ``speed_km_h`` over the ground along the geodesic -- no climb, no
    acceleration, no detours, no winds. Give an average speed for a vehicle
    whose speed changes.

    Parameters
    ----------
    range_km : float or array_like
        Ground range in kilometres, ``0 < range_km <= ANTIPODAL_KM``.
    speed_km_h : float
        Ground speed in km/h, ``0 < speed_km_h <`` 40,270 (the escape speed).

    Returns
    -------
    float or numpy.ndarray
        Minutes, of the shape of ``range_km``.

    Raises
    ------
    InputError
        If a range or the speed is not a number in its interval.

    Examples
    --------
    >>> round(cruise_minutes(2500, speed_km_h=880))  # a subsonic cruise missile
    170
    >>> cruise_minutes([1000, 2000], speed_km_h=6000).tolist()  # Mach ~5 glide
    [10.0, 20.0]
    """
    rng, scalar = _args.ranges(range_km)
    speed = _checks.number(speed_km_h, "speed_km_h", unit="km/h")
    if not 0 < speed < _MAX_SPEED_KM_H:
        raise InputError(
            f"speed_km_h {speed!r} must be > 0 and below {_MAX_SPEED_KM_H:,.0f} "
            "(the escape speed, 11.2 km/s)"
        )
    return _args.out(rng / speed * 60.0, scalar)


def isochrone(lon: float, lat: float, *, minutes: float, tolerance_km: float = 0.1) -> BaseGeometry:
    """Compute the area a minimum-energy ballistic missile reaches in a time.

    The disc (:func:`rangeviz.geodesic.disc`, exact to ``tolerance_km``) of
    radius ``ballistic_range_km(minutes)``: the time grows with the range, so
    every point within it is reached in at most ``minutes`` of free flight.
    (The ground range on the sphere is taken as WGS84 geodesic distance, 1:1.)

    Parameters
    ----------
    lon, lat : float
        The launch site in degrees.
    minutes : float
        Time of free flight, ``0 < minutes <= LONGEST_FLIGHT_MIN``; at the
        longest flight the isochrone is the whole globe.
    tolerance_km : float, default 0.1
        How far (km) the drawn edge may stray from the true ring.

    Returns
    -------
    shapely.Polygon or shapely.MultiPolygon
        EPSG:4326 degrees, like every band.

    Raises
    ------
    InputError
        If the site, the time or the tolerance is out of range.

    Examples
    --------
    >>> from shapely import Point
    >>> area = isochrone(27.56, 53.90, minutes=15)  # from Minsk
    >>> area.contains(Point(13.40, 52.52)), area.contains(Point(-0.13, 51.51))  # Berlin, London
    (True, True)
    >>> isochrone(27.56, 53.90, minutes=10).contains(Point(-0.13, 51.51))
    False
    """
    lon, lat = _checks.lonlat(lon, lat)
    t = _checks.number(minutes, "minutes", unit="minutes")
    radius = float(ballistic_range_km(t))
    return geodesic.disc(lon, lat, radius_km=radius, tolerance_km=tolerance_km)


def minutes_over(distance_km: npt.ArrayLike, how: Any) -> np.ndarray:
    """Flight times (minutes) over geodesic distances, for a report's column.

    ``how`` is ``"ballistic"`` (the minimum-energy free flight) or a ground
    speed in km/h (:func:`cruise_minutes`). A distance of 0 (a place at the
    site) takes 0 minutes.

    >>> minutes_over([0.0, 1770.0], "ballistic").round(1).tolist()
    [0.0, 10.9]
    >>> minutes_over([880.0], 880.0).tolist()
    [60.0]
    """
    d = np.atleast_1d(np.asarray(distance_km, dtype=float))
    out = np.zeros(d.shape)
    flown = d > 0
    if not flown.any():
        return out
    if isinstance(how, str) and how.strip().lower() == "ballistic":
        out[flown] = np.atleast_1d(ballistic(d[flown]).time_min)
    elif isinstance(how, (int, float)) and not isinstance(how, bool):
        out[flown] = np.atleast_1d(cruise_minutes(d[flown], speed_km_h=float(how)))
    else:
        raise InputError(
            f"flight {how!r} must be 'ballistic' (minimum-energy free flight) or a ground "
            "speed in km/h, e.g. 880 for a subsonic cruise missile"
        )
    return out
