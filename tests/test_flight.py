"""Flight times and footprints against independent truth.

The truth is a numerical integration of the two-body problem
(scipy.integrate.solve_ivp, DOP853, rtol 1e-10) from burnout at the surface:
with the speed and flight-path angle rangeviz states, the trajectory must come
back to the surface at the stated range, time and apogee. On the rotating
Earth the integration runs in an inertial frame (ECI) and the impact point is
turned back by ω·t before its distance and azimuth are measured with
pyproj.Geod on the same sphere. Published flight times are checked within
their stated uncertainty. Nothing here compares rangeviz with its own
formulas.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Geod
from shapely.geometry import Point

from rangeviz import flight
from rangeviz.errors import InputError
from rangeviz.flight import (
    EARTH_RADIUS_KM,
    LONGEST_FLIGHT_MIN,
    MODEL_NOTE,
    MU_KM3_S2,
    OMEGA_RAD_S,
    ballistic,
    ballistic_range_km,
    cruise_minutes,
    footprint,
    isochrone,
    reach_km,
)
from rangeviz.geodesic import ANTIPODAL_KM, disc

integrate = pytest.importorskip("scipy.integrate")

R = 6371.0  # the model's sphere, restated here on purpose
MU = 398600.4418
OMEGA = 7.2921159e-5
SPHERE = Geod(a=R * 1000.0, b=R * 1000.0)
WGS84 = Geod(ellps="WGS84")


# --------------------------------------------------------------------------
# the truth: two-body integration


def _rhs(_t, y):
    r = y[:3]
    return np.concatenate((y[3:], -MU * r / np.linalg.norm(r) ** 3))


def _surface(_t, y):
    return np.linalg.norm(y[:3]) - R


_surface.terminal = True
_surface.direction = -1


def _apogee(_t, y):
    return np.dot(y[:3], y[3:])


_apogee.direction = -1


def fly(r0, v0):
    """Integrate from ``r0`` (km, on the surface) with inertial velocity ``v0`` (km/s).

    Returns the time of impact (s), the impact position (km) and the highest
    altitude (km) reached.
    """
    sol = integrate.solve_ivp(
        _rhs,
        (0.0, 3 * 86400.0),
        np.concatenate((r0, v0)),
        method="DOP853",
        rtol=1e-10,
        atol=1e-9,
        events=(_surface, _apogee),
    )
    assert sol.status == 1, "the trajectory never came back to the surface"
    t_hit = sol.t_events[0][0]
    apogees = [np.linalg.norm(y[:3]) - R for y in sol.y_events[1]]
    return t_hit, sol.y_events[0][0][:3], max(apogees, default=0.0)


def fly_in_plane(speed_km_s, gamma_deg):
    """Non-rotating Earth: (ground range km, time min, apogee km)."""
    g = math.radians(gamma_deg)
    r0 = np.array([R, 0.0, 0.0])
    v0 = np.array([speed_km_s * math.sin(g), speed_km_s * math.cos(g), 0.0])
    t, r1, apogee = fly(r0, v0)
    return R * math.atan2(r1[1], r1[0]) % (2 * math.pi * R), t / 60.0, apogee


def fly_rotating(lat, azimuth, speed_km_s, gamma_deg):
    """Rotating Earth from (lon 0, lat), ground-relative launch; ECI integration.

    Returns (lon, lat) of the impact in the Earth-fixed frame and the time (min).
    """
    phi, alpha, g = (math.radians(x) for x in (lat, azimuth, gamma_deg))
    up = np.array([math.cos(phi), 0.0, math.sin(phi)])
    east = np.array([0.0, 1.0, 0.0])
    north = np.array([-math.sin(phi), 0.0, math.cos(phi)])
    v_ground = speed_km_s * (
        math.cos(g) * (math.sin(alpha) * east + math.cos(alpha) * north) + math.sin(g) * up
    )
    r0 = R * up
    v0 = v_ground + np.cross([0.0, 0.0, OMEGA], r0)
    t, r1, _ = fly(r0, v0)
    # into the Earth-fixed frame: the Earth has turned by ω t
    lon = math.degrees(math.atan2(r1[1], r1[0]) - OMEGA * t)
    lat1 = math.degrees(math.asin(r1[2] / np.linalg.norm(r1)))
    return (lon + 180.0) % 360.0 - 180.0, lat1, t / 60.0


def on_sphere(lat, lon1, lat1):
    """Distance (km) and azimuth (deg, [0, 360)) from (0, lat) on the model sphere."""
    az, _, m = SPHERE.inv(0.0, lat, lon1, lat1)
    return m / 1000.0, az % 360.0


# --------------------------------------------------------------------------
# the model's constants and API


def test_all_is_sorted_and_public():
    assert flight.__all__ == sorted(flight.__all__)
    for name in flight.__all__:
        assert hasattr(flight, name)


def test_constants_are_the_stated_model():
    assert (EARTH_RADIUS_KM, MU_KM3_S2, OMEGA_RAD_S) == (R, MU, OMEGA)
    assert "vacuum" in MODEL_NOTE and "boost" in MODEL_NOTE and "re-entry" in MODEL_NOTE


def test_scalars_give_floats_and_arrays_give_arrays():
    t = ballistic(5500)
    assert all(
        type(getattr(t, f)) is float
        for f in ("range_km", "time_min", "apogee_km", "burnout_speed_km_s")
    )
    grid = ballistic(np.array([[1000.0, 2000.0], [3000.0, 4000.0]]), apogee_km=500)
    assert grid.time_min.shape == (2, 2) and grid.apogee_km.shape == (2, 2)
    assert type(ballistic_range_km(10)) is float
    assert ballistic_range_km([5, 10, 20]).shape == (3,)
    assert type(cruise_minutes(100, speed_km_h=800)) is float
    assert cruise_minutes(np.ones((2, 3)), speed_km_h=60).shape == (2, 3)
    r = reach_km(55, 90, range_km=5500)
    assert type(r.range_km) is float and type(r.reaches_antipode) is bool
    rr = reach_km(55, np.zeros((2, 2)), range_km=5500)
    assert rr.range_km.shape == (2, 2) and rr.reaches_antipode.shape == (2, 2)


def test_results_are_frozen():
    import dataclasses

    with pytest.raises(dataclasses.FrozenInstanceError):
        ballistic(1000).time_min = 1.0  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        reach_km(10, 0, range_km=1000).range_km = 1.0  # type: ignore[misc]


# --------------------------------------------------------------------------
# non-rotating Earth: integration from burnout


RANGES = [100, 500, 1000, 2700, 5500, 10000, 15000, 19000]


@pytest.mark.parametrize("range_km", RANGES)
@pytest.mark.parametrize("apogee", ["minimum energy", "lofted", "depressed"])
def test_trajectory_lands_at_the_stated_range_time_and_apogee(range_km, apogee):
    least = ballistic(range_km)
    if apogee == "minimum energy":
        t = least
    else:
        factor = 2.0 if apogee == "lofted" else 0.5
        t = ballistic(range_km, apogee_km=factor * least.apogee_km)
    flown, minutes, top = fly_in_plane(t.burnout_speed_km_s, t.flight_path_angle_deg)
    assert flown == pytest.approx(range_km, abs=1e-3)  # a metre
    assert minutes == pytest.approx(t.time_min, abs=1e-4)  # 6 ms
    assert top == pytest.approx(t.apogee_km, abs=1e-3)
    if apogee == "lofted":
        assert t.time_min > least.time_min and t.flight_path_angle_deg > least.flight_path_angle_deg
    elif apogee == "depressed":
        assert t.time_min < least.time_min and t.flight_path_angle_deg < least.flight_path_angle_deg


@settings(max_examples=25, deadline=None)
@given(
    range_km=st.floats(1.0, ANTIPODAL_KM),
    apogee_km=st.floats(1.0, 20000.0),
)
def test_any_range_and_apogee_flies_as_stated(range_km, apogee_km):
    t = ballistic(range_km, apogee_km=apogee_km)
    flown, minutes, top = fly_in_plane(t.burnout_speed_km_s, t.flight_path_angle_deg)
    # a grazing path meets the ground at a shallow angle: the integrator's radial error
    # becomes an along-track error 1/tan(angle) times larger (apogee 1 km at 11,678 km
    # meets it at 0.03 degrees)
    grazing = max(1.0, 0.05 / math.tan(math.radians(max(t.flight_path_angle_deg, 1e-6))))
    assert flown == pytest.approx(range_km, abs=2e-3 * grazing)
    assert minutes == pytest.approx(t.time_min, abs=1e-4)
    assert top == pytest.approx(apogee_km, abs=2e-3)


@pytest.mark.parametrize("range_km", [300, 2000, 5500, 12000, 19500])
def test_minimum_energy_speed_reaches_only_at_its_angle(range_km):
    t = ballistic(range_km)
    for delta in (-3.0, -0.5, 0.5, 3.0):
        flown, _, _ = fly_in_plane(t.burnout_speed_km_s, t.flight_path_angle_deg + delta)
        assert flown < range_km
    # and a slightly slower missile falls short at every angle near it
    slower = 0.999 * t.burnout_speed_km_s
    for delta in np.linspace(-2.0, 2.0, 9):
        flown, _, _ = fly_in_plane(slower, t.flight_path_angle_deg + delta)
        assert flown < range_km


def test_depressed_trajectory_tends_to_a_surface_orbit():
    # a vanishing apogee: the burnout speed tends to the circular speed
    t = ballistic(10000, apogee_km=1e-3)
    assert t.burnout_speed_km_s == pytest.approx(math.sqrt(MU / R), rel=1e-6)
    assert t.flight_path_angle_deg < 0.05
    assert t.time_min == pytest.approx(10000 / math.sqrt(MU / R) / 60, rel=1e-3)


def test_short_range_matches_the_flat_earth_projectile():
    # range v²/g at 45°, time √2 v / g: the flat-Earth limit, g = μ/R²
    g = MU / R**2
    t = ballistic(1.0)
    assert t.flight_path_angle_deg == pytest.approx(45.0, abs=0.01)
    assert t.burnout_speed_km_s == pytest.approx(math.sqrt(g * 1.0), rel=1e-3)
    assert t.time_min * 60 == pytest.approx(math.sqrt(2.0 * 1.0 / g), rel=1e-3)


# --------------------------------------------------------------------------
# published checkpoints


def test_hwasong_12_of_29_august_2017():
    # Japan and South Korea reported ~2,700 km downrange and an apogee of
    # ~550 km; issue 11 quotes a total flight of 14-15 min. The model's free
    # flight from burnout at the surface must fit inside that total leaving
    # room for a boost of up to ~4 min (the powered flight climbs slower than
    # free flight would from the surface); the reported trajectory was a
    # "regular" (not lofted) one, so its apogee is near the minimum-energy one.
    t = ballistic(2700, apogee_km=550)
    assert 14.0 - 4.0 <= t.time_min <= 15.0
    assert ballistic(2700).apogee_km == pytest.approx(550, rel=0.15)


def test_pershing_ii():
    # Orlando Sentinel, 27 June 1986, on test launches from Cape Canaveral
    # (articles.orlandosentinel.com/1986-06-27/news/8606280943_1_warhead-pershings-hitting-targets):
    # "climb to an altitude of 200 miles before hitting targets 1,100 miles
    # away about 11 minutes after its solid-fuel main engine ignites" --
    # 322 km apogee, 1,770 km, 11 min from ignition. Free flight plus a boost
    # of up to ~3 minutes must fit "about 11" (taken as at most 11.5).
    t = ballistic(1770, apogee_km=322)
    assert 11.0 - 3.0 <= t.time_min <= 11.5
    # the minimum-energy flight to the Pershing II's range: a plausible window
    assert 7.0 <= ballistic(1770).time_min <= 12.0


# --------------------------------------------------------------------------
# the inverse and the isochrone


def test_range_for_minutes_round_trips():
    minutes = np.array([0.01, 1.0, 5.0, 10.0, 20.0, 30.0, 40.0, LONGEST_FLIGHT_MIN])
    km = ballistic_range_km(minutes)
    np.testing.assert_allclose(ballistic(km).time_min, minutes, rtol=1e-10)
    ranges = np.array([1.0, 100.0, 1770.0, 5500.0, 12000.0, ANTIPODAL_KM])
    np.testing.assert_allclose(ballistic_range_km(ballistic(ranges).time_min), ranges, rtol=1e-10)
    assert ballistic_range_km(LONGEST_FLIGHT_MIN) == pytest.approx(ANTIPODAL_KM, abs=1e-6)
    assert np.all(np.diff(ballistic_range_km(np.linspace(0.1, LONGEST_FLIGHT_MIN, 400))) > 0)


def test_longest_flight_is_the_minimum_energy_flight_to_the_antipodal_distance():
    t = ballistic(ANTIPODAL_KM)
    flown, minutes, _ = fly_in_plane(t.burnout_speed_km_s, t.flight_path_angle_deg)
    assert flown == pytest.approx(ANTIPODAL_KM, abs=1e-3)
    assert minutes == pytest.approx(LONGEST_FLIGHT_MIN, abs=1e-4)
    # about half a surface orbit (the antipodal distance is a little short of πR)
    assert pytest.approx(math.pi * math.sqrt(R**3 / MU) / 60, rel=0.01) == LONGEST_FLIGHT_MIN


@pytest.mark.parametrize(("lon", "lat", "minutes"), [(27.56, 53.90, 12.0), (158.65, 53.02, 30.0)])
def test_isochrone_is_the_disc_of_the_range(lon, lat, minutes):
    got = isochrone(lon, lat, minutes=minutes)
    want = disc(lon, lat, radius_km=ballistic_range_km(minutes))
    assert got.equals(want)


def test_isochrone_of_the_longest_flight_is_the_globe():
    assert isochrone(10, 50, minutes=LONGEST_FLIGHT_MIN).area == pytest.approx(64800.0)


def test_isochrone_holds_what_is_reached_in_time():
    # Minsk to Berlin (~950 km), Paris (~1,850 km), London (~1,850 km) by
    # geodesics on WGS84; a point is inside iff its minimum-energy time fits
    site = (27.56, 53.90)
    towns = {"Berlin": (13.40, 52.52), "Paris": (2.35, 48.86), "London": (-0.13, 51.51)}
    for minutes in (8.0, 11.0, 12.0):
        area = isochrone(*site, minutes=minutes)
        for lon, lat in towns.values():
            _, _, m = WGS84.inv(*site, lon, lat)
            assert area.contains(Point(lon, lat)) == (ballistic(m / 1000).time_min <= minutes)


# --------------------------------------------------------------------------
# cruise


def test_cruise_minutes_is_distance_over_speed():
    assert cruise_minutes(2500, speed_km_h=880) == pytest.approx(2500 / 880 * 60)
    np.testing.assert_allclose(
        cruise_minutes([600.0, 1200.0], speed_km_h=7200), [5.0, 10.0], rtol=1e-12
    )


# --------------------------------------------------------------------------
# the rotating Earth: ECI integration


LATITUDES = [0.0, 30.0, 55.0, -40.0, 80.0, 89.9]
ROT_RANGES = [1000.0, 5500.0, 10000.0, 15000.0]
AZIMUTHS = np.array([0.0, 60.0, 90.0, 135.0, 180.0, 250.0, 270.0, 315.0])


@pytest.mark.parametrize("lat", LATITUDES)
@pytest.mark.parametrize("range_km", ROT_RANGES)
def test_rotating_reach_agrees_with_inertial_integration(lat, range_km):
    speed = ballistic(range_km).burnout_speed_km_s
    got = reach_km(lat, AZIMUTHS, range_km=range_km)
    for i, az in enumerate(AZIMUTHS):
        lon1, lat1, minutes = fly_rotating(lat, az, speed, got.flight_path_angle_deg[i])
        km, azimuth = on_sphere(lat, lon1, lat1)
        assert minutes == pytest.approx(got.time_min[i], abs=1e-4)
        if got.reaches_antipode[i]:
            # farther than the longest WGS84 geodesic: capped there
            assert km >= ANTIPODAL_KM - 1e-3
            assert got.range_km[i] == ANTIPODAL_KM
            continue
        assert km == pytest.approx(got.range_km[i], abs=1e-3)
        turn = (azimuth - got.azimuth_deg[i] + 180.0) % 360.0 - 180.0
        assert math.radians(abs(turn)) * km < 1e-3  # under a metre sideways
        # the chosen angle is the best one: a little more or less falls short
        for delta in (-1.0, -0.1, 0.1, 1.0):
            lon2, lat2, _ = fly_rotating(lat, az, speed, got.flight_path_angle_deg[i] + delta)
            assert on_sphere(lat, lon2, lat2)[0] < km


def test_east_reaches_farther_than_west():
    # measured here (and by the integration above): at 55°N a 5,500 km missile
    # reaches about 5.4 % farther east and 4.3 % less far west; at 10,000 km
    # +12 % / -8 % from 55°N, +21 % / -11 % from 30°N, +26 % / -13 % on the equator
    cases = {
        (55.0, 5500.0): (0.054, -0.043),
        (55.0, 10000.0): (0.121, -0.082),
        (30.0, 10000.0): (0.210, -0.114),
        (0.0, 10000.0): (0.262, -0.128),
    }
    for (lat, km), (east, west) in cases.items():
        speed = ballistic(km).burnout_speed_km_s
        r = reach_km(lat, [90.0, 270.0], range_km=km)
        for i, share in enumerate((east, west)):
            lon1, lat1, _ = fly_rotating(lat, [90.0, 270.0][i], speed, r.flight_path_angle_deg[i])
            assert on_sphere(lat, lon1, lat1)[0] / km - 1 == pytest.approx(share, abs=0.001)


def test_not_rotating_is_the_range_along_every_azimuth():
    r = reach_km(40.0, AZIMUTHS, range_km=7000, rotating=False)
    np.testing.assert_array_equal(r.range_km, 7000.0)
    np.testing.assert_array_equal(r.azimuth_deg, AZIMUTHS)
    assert np.all(r.time_min == ballistic(7000).time_min)


def test_near_the_pole_the_reach_is_the_same_every_way():
    r = reach_km(89.99, np.arange(0, 360, 15.0), range_km=8000)
    np.testing.assert_allclose(r.range_km, 8000.0, rtol=2e-4)


# --------------------------------------------------------------------------
# footprints


@pytest.mark.parametrize(("lon", "lat", "km"), [(37.62, 55.75, 5500.0), (158.65, 53.02, 10000.0)])
def test_footprint_on_a_still_earth_is_the_disc(lon, lat, km):
    assert footprint(lon, lat, range_km=km, rotating=False).equals(disc(lon, lat, radius_km=km))


@pytest.mark.parametrize(("lat", "km"), [(55.75, 5500.0), (-30.0, 11000.0), (89.0, 18000.0)])
def test_footprint_radius_by_impact_azimuth_is_the_reach(lat, km):
    # the outline's radius, asked by impact azimuth, is the reach that the
    # integration above checks by launch azimuth
    from rangeviz.flight._rotating import _radius_by_impact_azimuth

    r = reach_km(lat, np.arange(0.0, 360.0, 7.5), range_km=km)
    radius = _radius_by_impact_azimuth(lat, km)
    np.testing.assert_allclose(radius(r.azimuth_deg), r.range_km, atol=1e-4)
    np.testing.assert_allclose(radius(r.azimuth_deg + 360.0), r.range_km, atol=1e-4)


@pytest.mark.parametrize(
    ("lon", "lat", "km"), [(37.62, 55.75, 5500.0), (158.65, 53.02, 10000.0), (0.0, -89.9, 3000.0)]
)
def test_rotating_footprint_edge_is_the_reach(lon, lat, km):
    shape = footprint(lon, lat, range_km=km)
    assert shape.is_valid
    r = reach_km(lat, np.arange(0.0, 360.0, 10.0), range_km=km)
    # just inside and just outside the reach, along the impact azimuth
    for d, inside in ((r.range_km - 1.0, True), (r.range_km + 1.0, False)):
        n = len(d)
        lo, la, _ = WGS84.fwd(np.full(n, lon), np.full(n, lat), r.azimuth_deg, d * 1000.0)
        hits = shapely.contains_xy(shape, lo, la)
        assert hits.tolist() == [inside] * n


def test_rotating_footprint_that_reaches_the_antipode_is_refused():
    with pytest.raises(InputError, match=r"range_km 15000.0 from latitude 0.0.*antipode"):
        footprint(0, 0, range_km=15000)


# --------------------------------------------------------------------------
# bad input: one clear message each


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: ballistic(0), r"range_km 0.0 must be > 0 \(kilometres\)"),
        (lambda: ballistic(-5), r"range_km -5.0 must be > 0"),
        (lambda: ballistic(25000), r"range_km 25000.0 is beyond the antipodal distance"),
        (lambda: ballistic(5.5e6), r"give kilometres, not metres"),
        (lambda: ballistic([100, -1]), r"range_km\[1\] -1.0 must be > 0"),
        (lambda: ballistic([100, math.nan]), r"range_km\[1\] nan is not a finite number"),
        (lambda: ballistic("far"), r"range_km 'far' is not a number"),
        (lambda: ballistic(True), r"range_km True is not a number of kilometres"),
        (lambda: ballistic(1000, apogee_km=0), r"apogee_km 0.0 must be > 0"),
        (lambda: ballistic(1000, apogee_km=-10), r"apogee_km -10.0 must be > 0"),
        (lambda: ballistic(1000, apogee_km=550000), r"apogee_km 550000.0 is above 100,000 km"),
        (lambda: ballistic_range_km(0), r"minutes 0.0 must be > 0"),
        (lambda: ballistic_range_km(-3), r"minutes -3.0 must be > 0"),
        (lambda: ballistic_range_km(50), r"minutes 50.0 is beyond the longest ballistic flight"),
        (lambda: ballistic_range_km([10, 45]), r"minutes\[1\] 45.0 is beyond"),
        (lambda: cruise_minutes(100, speed_km_h=0), r"speed_km_h 0.0 must be > 0"),
        (lambda: cruise_minutes(100, speed_km_h=5e4), r"speed_km_h 50000.0 must be > 0 and below"),
        (lambda: isochrone(20, 91, minutes=10), r"latitude 91.0 is outside \[-90, 90\]"),
        (lambda: isochrone(20, 50, minutes=100), r"minutes 100.0 is beyond"),
        (lambda: reach_km(95, 0, range_km=1000), r"latitude 95.0 is outside"),
        (lambda: reach_km(50, [0, math.inf], range_km=1000), r"azimuth_deg\[1\] inf"),
        (lambda: reach_km(50, 0, range_km=0), r"range_km 0.0 must be > 0"),
        (lambda: reach_km(50, 0, range_km=1000, rotating="yes"), r"rotating 'yes' must be true"),
        (lambda: footprint(0, 50, range_km=-1), r"range_km -1.0 must be > 0"),
        (lambda: footprint(0, 50, range_km=10, tolerance_km=0), r"tolerance_km 0.0 must be >="),
    ],
)
def test_bad_input_is_one_clear_error(call, message):
    with pytest.raises(InputError, match=message):
        call()
