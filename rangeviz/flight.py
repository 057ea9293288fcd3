"""Flight time: minutes to target, isochrones and rotating-Earth footprints.

The model, which every figure quoting a flight time should state (print
:data:`MODEL_NOTE` next to it):

* **Free flight in vacuum** on a **spherical Earth** of radius
  :data:`EARTH_RADIUS_KM` (6,371.0 km) with gravitational parameter
  :data:`MU_KM3_S2` (398,600.4418 km³/s²): a Kepler ellipse through two points
  on the surface. **Burnout is at the surface** and re-entry ends there: the
  boost phase (a few minutes for long-range missiles) and atmospheric drag on
  re-entry are not modelled, so real total flight times are somewhat longer.
* :func:`ballistic` follows Bate, Mueller & White, *Fundamentals of
  Astrodynamics* (Dover, 1971), ch. 6: the free-flight range equation, the
  minimum-energy trajectory (flight-path angle ``45° - Ψ/4`` for a central
  angle ``Ψ``) and the time of free flight from Kepler's equation; see also
  Wheelon (1959), "Free flight of a ballistic missile", *ARS Journal* 29.
  Without an apogee the trajectory is the **minimum-energy** one (the least
  burnout speed that reaches the range); with one, it is the lofted (higher)
  or depressed (lower) ellipse through the same two points.
* On the **non-rotating** Earth, ground range is ``R * Ψ``. rangeviz draws on
  WGS84: a ground range on the sphere is taken as the same number of
  kilometres of **geodesic distance on WGS84** (1:1 in km). Ranges therefore
  stop at :data:`~rangeviz.geodesic.ANTIPODAL_KM` (20,003.9 km, the longest
  geodesic on WGS84), a little short of the sphere's half circumference
  ``π R`` (20,015.1 km); :data:`LONGEST_FLIGHT_MIN` is the minimum-energy
  flight time to that range.
* On the **rotating** Earth (:func:`reach_km`, :func:`footprint`), the missile
  keeps the burnout speed *relative to the ground* that gives ``range_km`` on
  the non-rotating Earth; for each launch azimuth the flight-path angle that
  gives the longest ground range is chosen; the inertial velocity adds
  ``ω × r`` (:data:`OMEGA_RAD_S`); the Earth turns under the ellipse during
  the flight; the ground range is the great-circle distance on the sphere from
  the launch point to the impact point, and the footprint is drawn with that
  range along the azimuth (from the site) of the impact point. The site's
  geodetic latitude is used as the latitude on the sphere.
* :func:`cruise_minutes` is distance over a constant ground speed (cruise
  missiles, glide vehicles at an average speed).

Everything is vectorised over ranges (or azimuths): arrays in, arrays out;
scalars in, floats out. Only numpy is used at run time (and
:mod:`rangeviz.geodesic` for the polygons).

>>> round(ballistic(1770).time_min, 1)  # Pershing II's range, minimum energy
10.9
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from rangeviz import _checks
from rangeviz._checks import ANTIPODAL_KM
from rangeviz.errors import InputError

if TYPE_CHECKING:
    import numpy.typing as npt
    from shapely.geometry.base import BaseGeometry

    #: A float for scalar input, else an array of the input's shape.
    FloatOrArray = float | npt.NDArray[np.float64]

__all__ = [
    "EARTH_RADIUS_KM",
    "LONGEST_FLIGHT_MIN",
    "MAX_APOGEE_KM",
    "MODEL_NOTE",
    "MU_KM3_S2",
    "OMEGA_RAD_S",
    "Reach",
    "Trajectory",
    "ballistic",
    "ballistic_range_km",
    "cruise_minutes",
    "footprint",
    "isochrone",
    "reach_km",
]

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
_GOLDEN = (math.sqrt(5.0) - 1.0) / 2.0
# Flight-path angles searched for the longest range on the rotating Earth:
# a coarse grid finds the peak, golden sections refine it to ~1e-7 rad (the
# range is flat at its peak: an angle 1e-7 rad off costs far under a metre).
_GAMMA_GRID = 32
_GAMMA_STEPS = 40


# --------------------------------------------------------------------------
# results


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
# checks


def _array(value: Any, name: str, unit: str) -> tuple[np.ndarray, bool]:
    """A float array of finite numbers and whether the input was a scalar."""
    if isinstance(value, numbers.Number) or (
        getattr(value, "ndim", None) == 0 and hasattr(value, "item")
    ):
        return np.asarray(_checks.number(value, name, unit=unit)), True
    try:
        arr = np.asarray(value)
        if arr.dtype == bool or arr.dtype.kind not in "iuf":
            raise TypeError
        arr = arr.astype(float)
    except (TypeError, ValueError):
        raise InputError(
            f"{name} {_checks.show(value)} is not a number or an array of numbers of {unit}"
        ) from None
    bad = np.flatnonzero(~np.isfinite(arr.ravel()))
    if bad.size:
        i = np.unravel_index(bad[0], arr.shape)
        _checks.number(float(arr[i]), f"{name}[{', '.join(map(str, i))}]", unit=unit)
    return arr, False


def _first_bad(arr: np.ndarray, bad: np.ndarray, name: str) -> tuple[str, float]:
    """The name (with index, for an array) and value of the first bad element."""
    j = np.unravel_index(np.flatnonzero(bad.ravel())[0], arr.shape)
    where = f"{name}[{', '.join(map(str, j))}]" if arr.ndim else name
    return where, float(arr[j])


def _ranges(value: Any, name: str = "range_km") -> tuple[np.ndarray, bool]:
    """Ranges in km, each ``0 < r <= ANTIPODAL_KM``; a message names the first bad one."""
    arr, scalar = _array(value, name, "kilometres")
    bad = ~((arr > 0) & (arr <= ANTIPODAL_KM))
    if bad.any():
        where, r = _first_bad(arr, bad, name)
        _checks.radius(r, where, positive=True)  # raises, in the shared wording
    return arr, scalar


def _apogees(value: Any) -> np.ndarray:
    arr, _ = _array(value, "apogee_km", "kilometres")
    bad = ~((arr > 0) & (arr <= MAX_APOGEE_KM))
    if bad.any():
        where, h = _first_bad(arr, bad, "apogee_km")
        if h <= 0:
            raise InputError(
                f"{where} {h!r} must be > 0 (kilometres above the surface): every "
                "trajectory between two points on the surface rises above it"
            )
        raise InputError(
            f"{where} {h!r} is above {MAX_APOGEE_KM:,.0f} km, far higher than any "
            "missile flies; give kilometres, not metres"
        )
    return arr


def _out(x: np.ndarray, scalar: bool) -> Any:
    return float(x) if scalar else x


# --------------------------------------------------------------------------
# free flight on the non-rotating sphere


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


def _free_flight(psi: np.ndarray, h: np.ndarray) -> tuple[np.ndarray, ...]:
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


def _min_energy_apogee(psi: np.ndarray) -> np.ndarray:
    """Apogee height (km) of the minimum-energy ellipse, ``R (sin(psi/2) + cos(psi/2) - 1) / 2``."""
    return _R * (np.sin(psi / 2.0) - 2.0 * np.sin(psi / 4.0) ** 2) / 2.0


def _min_energy(psi: np.ndarray) -> tuple[np.ndarray, ...]:
    return _free_flight(psi, _min_energy_apogee(psi))


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
    rng, scalar = _ranges(range_km)
    psi = rng / _R
    if apogee_km is None:
        h = _min_energy_apogee(psi)
    else:
        apo = _apogees(apogee_km)
        scalar = scalar and apo.ndim == 0
        psi, h = np.broadcast_arrays(psi, apo)
    t, v, g = _free_flight(psi, h)
    return Trajectory(
        range_km=_out(psi * _R, scalar),
        time_min=_out(t / 60.0, scalar),
        apogee_km=_out(h, scalar),
        burnout_speed_km_s=_out(v, scalar),
        flight_path_angle_deg=_out(np.degrees(g), scalar),
    )


#: The minimum-energy flight time to the antipodal distance, ~42.2 minutes:
#: the longest :func:`ballistic_range_km` accepts.
LONGEST_FLIGHT_MIN: float = float(_min_energy(np.asarray(_PSI_MAX))[0]) / 60.0


def ballistic_range_km(minutes: npt.ArrayLike) -> FloatOrArray:
    """Compute the ground range a minimum-energy missile covers in a time.

    The inverse of ``ballistic(range_km).time_min``, which grows with the
    range from 0 to :data:`LONGEST_FLIGHT_MIN` (~42.2 minutes) at
    :data:`~rangeviz.geodesic.ANTIPODAL_KM` (the cap; the sphere's half
    circumference would be a few seconds further).

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
    t_min, scalar = _array(minutes, "minutes", "minutes")
    bad = ~((t_min > 0) & (t_min <= LONGEST_FLIGHT_MIN))
    if bad.any():
        where, m = _first_bad(t_min, bad, "minutes")
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
        short = _min_energy(mid)[0] < target
        lo = np.where(short, mid, lo)
        hi = np.where(short, hi, mid)
    return _out(np.minimum(0.5 * (lo + hi) * _R, ANTIPODAL_KM), scalar)


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
    rng, scalar = _ranges(range_km)
    speed = _checks.number(speed_km_h, "speed_km_h", unit="km/h")
    if not 0 < speed < _MAX_SPEED_KM_H:
        raise InputError(
            f"speed_km_h {speed!r} must be > 0 and below {_MAX_SPEED_KM_H:,.0f} "
            "(the escape speed, 11.2 km/s)"
        )
    return _out(rng / speed * 60.0, scalar)


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
    from rangeviz.geodesic import disc

    lon, lat = _checks.lonlat(lon, lat)
    t = _checks.number(minutes, "minutes", unit="minutes")
    radius = ballistic_range_km(t)
    return disc(lon, lat, radius_km=radius, tolerance_km=tolerance_km)


# --------------------------------------------------------------------------
# the rotating Earth


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
    az, scalar = _array(azimuth_deg, "azimuth_deg", "degrees")
    rng = _checks.radius(range_km, "range_km", positive=True)
    _checks.flag(rotating, "rotating")
    launch = np.mod(az, 360.0)
    shape = launch.shape
    psi = np.asarray(rng / _R)
    t0, v0, g0 = _min_energy(psi)
    if not rotating:
        full = np.full_like(launch, 1.0)
        return Reach(
            range_km=_out(rng * full, scalar),
            azimuth_deg=_out(launch, scalar),
            launch_azimuth_deg=_out(launch, scalar),
            flight_path_angle_deg=_out(np.degrees(g0) * full, scalar),
            time_min=_out(t0 / 60.0 * full, scalar),
            reaches_antipode=False if scalar else np.zeros(shape, dtype=bool),
        )
    gamma, (angle, azimuth, t), past = _longest(
        math.radians(lat), np.radians(launch.ravel()), float(v0), OMEGA_RAD_S
    )
    km = np.minimum(angle * _R, ANTIPODAL_KM)

    def out(x):
        return _out(x.reshape(shape), scalar)

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


def _radius_by_impact_azimuth(lat: float, range_km: float) -> Callable[[np.ndarray], np.ndarray]:
    """Reach (km) as a function of the impact azimuth from the site (degrees).

    The impact azimuth turns once, steadily, with the launch azimuth (a few
    degrees apart) while no track comes near the antipode; that is checked on
    a grid of launch azimuths. For each azimuth asked, the launch azimuth that
    lands there is bracketed on the grid and refined by Newton steps with the
    bracket's slope, then its reach evaluated.
    """
    lat_rad = math.radians(lat)
    speed = float(_min_energy(np.asarray(range_km / _R))[1])

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
        # Newton steps with the bracket's slope: each gains ~3 digits
        for _ in range(20):
            angle, b, _ = landing(alpha)
            km = angle * _R
            # the landing azimuth unwrapped next to beta[i]
            f = np.mod(b - beta[i] + np.pi, 2.0 * np.pi) - np.pi + beta[i] - target
            if np.all(np.abs(f) < 1e-9):
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
    from rangeviz import geodesic

    lon, lat = _checks.lonlat(lon, lat)
    rng = _checks.radius(range_km, "range_km", positive=True)
    _checks.flag(rotating, "rotating")
    if not rotating:
        return geodesic.disc(lon, lat, radius_km=rng, tolerance_km=tolerance_km)
    tol = _checks.tolerance(tolerance_km)
    region_by_azimuth = getattr(geodesic, "region_by_azimuth", None)
    if region_by_azimuth is None:  # pragma: no cover - until the geo branch is merged
        raise NotImplementedError(
            "footprint(rotating=True) needs rangeviz.geodesic.region_by_azimuth"
        )
    radius = _radius_by_impact_azimuth(lat, rng)
    return region_by_azimuth(lon, lat, radius_km=radius, tolerance_km=tol)
