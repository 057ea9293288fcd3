"""region_by_azimuth against the truth: pyproj.Geod(ellps="WGS84").inv.

A point P is in the region iff distance(site, P) <= R(azimuth from site to
P), both from Geod.inv. An edge point strays by |distance - R(azimuth)|,
which bounds its distance from the true boundary.
"""

from __future__ import annotations

import time

import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pyproj import Geod
from shapely.geometry import Point

from rangeviz.errors import InputError
from rangeviz.geodesic import ANTIPODAL_KM, region_by_azimuth

GEOD = Geod(ellps="WGS84")


def reach(r0, amp, phase):
    """A smooth radius: r0 * (1 + amp * sin(az - phase)), km."""

    def radius(az):
        return r0 * (1.0 + amp * np.sin(np.radians(np.asarray(az) - phase)))

    return radius


def truth(lon0, lat0, radius, lon, lat):
    """(distance km, R(azimuth) km) of each point, from Geod.inv."""
    n = len(lon)
    az, _, m = GEOD.inv(np.full(n, lon0), np.full(n, lat0), lon, lat)
    return np.asarray(m) / 1000.0, radius(np.asarray(az))


def probes(lon0, lat0, radius, rng, n=2000):
    """Points over the globe and close to the boundary, plus poles and seam."""
    z = rng.uniform(-1, 1, n)
    lon = [rng.uniform(-180, 180, n)]
    lat = [np.degrees(np.arcsin(z))]
    az = rng.uniform(0, 360, n)
    dist = np.clip(radius(az) + rng.uniform(-20, 20, n), 0.001, ANTIPODAL_KM - 0.001)
    x, y, _ = GEOD.fwd(np.full(n, lon0), np.full(n, lat0), az, dist * 1000)
    lon.append(np.asarray(x))
    lat.append(np.asarray(y))
    lon.append(np.array([0.0, 0.0, 180.0, -180.0, lon0, 90.0, -90.0]))
    lat.append(np.array([90.0, -90.0, lat0, -lat0, lat0, 89.999, -89.999]))
    return np.concatenate(lon), np.concatenate(lat)


def assert_region(geom, lon0, lat0, radius, tol, rng):
    assert geom.is_valid, shapely.is_valid_reason(geom)
    assert geom.geom_type in ("Polygon", "MultiPolygon")
    xy = shapely.get_coordinates(geom)
    assert xy[:, 0].min() >= -180 and xy[:, 0].max() <= 180
    # membership
    lon, lat = probes(lon0, lat0, radius, rng)
    d, r = truth(lon0, lat0, radius, lon, lat)
    got = shapely.contains_xy(geom, lon, lat) | shapely.intersects_xy(geom, lon, lat)
    wrong = (got != (d <= r)) & (np.abs(d - r) > tol)
    assert not wrong.any(), f"{wrong.sum()} points misclassified, e.g. {lon[wrong][:3]}"
    # every edge but seam and pole-line edges, at nine points each
    for lr in shapely.get_rings(shapely.get_parts(geom)):
        c = shapely.get_coordinates(lr)
        a, b = c[:-1], c[1:]
        seam = (np.abs(a[:, 0]) == 180) & (a[:, 0] == b[:, 0])
        pole = (np.abs(a[:, 1]) == 90) & (a[:, 1] == b[:, 1])
        a, b = a[~seam & ~pole], b[~seam & ~pole]
        if len(a) == 0:
            continue
        t = np.linspace(0.0, 1.0, 9)[:, None, None]
        p = (a[None] * (1 - t) + b[None] * t).reshape(-1, 2)
        d, r = truth(lon0, lat0, radius, p[:, 0], p[:, 1])
        assert np.abs(d - r).max() <= tol, f"an edge strays {np.abs(d - r).max():.5f} km"


def test_reach_longer_eastward_from_kaliningrad():
    radius = reach(5500.0, 0.15, 0.0)  # 6,325 km due east, 4,675 km due west
    g = region_by_azimuth(20.51, 54.71, radius_km=radius)
    east = GEOD.fwd(20.51, 54.71, 90.0, 6200e3)[:2]
    west = GEOD.fwd(20.51, 54.71, 270.0, 4800e3)[:2]
    assert g.contains(Point(*east)) and not g.contains(Point(*west))
    assert g.contains(Point(0, 89.9))  # the North Pole, ~3,900 km north
    assert_region(g, 20.51, 54.71, radius, 0.1, np.random.default_rng(0))


@pytest.mark.parametrize("lat0", [90.0, -90.0])
def test_region_round_a_pole_site(lat0):
    radius = reach(3000.0, 0.1, 30.0)
    g = region_by_azimuth(45.0, lat0, radius_km=radius)
    assert g.intersects(Point(0.0, lat0))
    assert_region(g, 45.0, lat0, radius, 0.1, np.random.default_rng(1))


def test_region_beyond_a_hemisphere_holds_both_poles():
    radius = reach(15000.0, 0.1, 200.0)
    g = region_by_azimuth(-179.5, 10.0, radius_km=radius, tolerance_km=0.01)
    assert g.intersects(Point(0, 90)) and g.intersects(Point(0, -90))
    assert_region(g, -179.5, 10.0, radius, 0.01, np.random.default_rng(2))


def test_constant_radius_function_and_scalar_return():
    g = region_by_azimuth(10.0, 20.0, radius_km=lambda az: 1000.0)
    const = lambda az: np.full(np.shape(az), 1000.0)  # noqa: E731
    assert_region(g, 10.0, 20.0, const, 0.1, np.random.default_rng(3))
    whole = region_by_azimuth(0, 0, radius_km=lambda az: np.full(az.shape, ANTIPODAL_KM))
    assert whole.area == 64800.0


def test_radius_reaching_the_antipode_is_valid_and_quick():
    # Where the radius comes within ~70 km of the antipodal distance the
    # azimuth from the site is ambiguous (the cut locus): the edge there is
    # best effort. It must still be quick and valid, and right elsewhere.
    radius = reach(ANTIPODAL_KM / 1.15, 0.15, 0.0)
    t0 = time.perf_counter()
    g = region_by_azimuth(30.0, 20.0, radius_km=radius, tolerance_km=0.01)
    assert time.perf_counter() - t0 < 60  # a hang guard, not a benchmark
    assert g.is_valid
    rng = np.random.default_rng(4)
    lon, lat = probes(30.0, 20.0, radius, rng)
    d, r = truth(30.0, 20.0, radius, lon, lat)
    _, _, to_antipode = GEOD.inv(np.full(len(lon), -150.0), np.full(len(lon), -20.0), lon, lat)
    sure = (np.abs(d - r) > 0.01) & (np.asarray(to_antipode) > 300e3)
    got = shapely.contains_xy(g, lon, lat) | shapely.intersects_xy(g, lon, lat)
    assert not ((got != (d <= r)) & sure).any()


@pytest.mark.parametrize(
    ("radius", "words"),
    [
        (1000.0, ["radius_km", "1000.0", "function of azimuth"]),
        (lambda az: -np.ones_like(az), ["radius_km(azimuth 0)", "-1.0", "> 0"]),
        (lambda az: np.full(az.shape, np.nan), ["radius_km(azimuth 0)", "nan"]),
        (lambda az: np.full(az.shape, 25000.0), ["beyond the antipodal distance"]),
        (lambda az: np.ones(3), ["radius_km must return", "azimuths"]),
    ],
)
def test_bad_radius_functions_are_named(radius, words):
    with pytest.raises(InputError) as info:
        region_by_azimuth(10.0, 20.0, radius_km=radius)
    for w in words:
        assert w in str(info.value)


# --------------------------------------------------------------------------
# the whole globe, by hypothesis

lons = st.one_of(st.floats(-180, 180), st.sampled_from([-180.0, 180.0, 179.99, 0.0]))
lats = st.one_of(st.floats(-90, 90), st.sampled_from([90.0, -90.0, 89.999, -89.99, 0.0]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    lon=lons,
    lat=lats,
    # the largest radius stays >= 100 km short of the antipodal distance
    r0=st.one_of(st.floats(1.0, (ANTIPODAL_KM - 100.0) / 1.15), st.floats(5000.0, 12000.0)),
    amp=st.floats(0.0, 0.15),
    phase=st.floats(0.0, 360.0),
    tol=st.sampled_from([1.0, 0.1, 0.01, 0.001]),
    seed=st.integers(0, 2**32 - 1),
)
def test_region_matches_geod_inv_everywhere(lon, lat, r0, amp, phase, tol, seed):
    radius = reach(r0, amp, phase)
    g = region_by_azimuth(lon, lat, radius_km=radius, tolerance_km=tol)
    assert_region(g, lon, lat, radius, tol, np.random.default_rng(seed))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    lon=lons,
    lat=st.floats(-89.0, 89.0),
    pole=st.sampled_from([90.0, -90.0]),
    offset=st.one_of(st.just(0.0), st.floats(-0.002, 0.002), st.floats(-20.0, 20.0)),
    amp=st.floats(0.0, 0.15),
    tol=st.sampled_from([0.1, 0.01, 0.001]),
    seed=st.integers(0, 2**32 - 1),
)
def test_region_boundary_through_or_near_a_pole(lon, lat, pole, offset, amp, tol, seed):
    # the boundary passes `offset` km from the pole (through it at 0)
    az_pole, _, d_pole = GEOD.inv(lon, lat, 0.0, pole)
    shape = reach(1.0, amp, 0.0)
    r0 = (d_pole / 1000.0 + offset) / shape(np.array([az_pole]))[0]
    assume(r0 * (1.0 - amp) >= 1.0 and r0 * (1.0 + amp) <= ANTIPODAL_KM - 100.0)
    radius = reach(r0, amp, 0.0)
    g = region_by_azimuth(lon, lat, radius_km=radius, tolerance_km=tol)
    assert_region(g, lon, lat, radius, tol, np.random.default_rng(seed))
