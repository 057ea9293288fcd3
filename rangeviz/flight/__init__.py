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

from rangeviz.flight._kepler import (
    EARTH_RADIUS_KM,
    LONGEST_FLIGHT_MIN,
    MAX_APOGEE_KM,
    MODEL_NOTE,
    MU_KM3_S2,
    OMEGA_RAD_S,
    Trajectory,
    ballistic,
    ballistic_range_km,
    cruise_minutes,
    isochrone,
    minutes_over,
)
from rangeviz.flight._rotating import Reach, footprint, reach_by_azimuth, reach_km

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
    "minutes_over",
    "reach_by_azimuth",
    "reach_km",
]
