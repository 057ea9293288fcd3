"""Unions of bands against the truth: pyproj.Geod(ellps="WGS84").inv.

A point is in the union iff some site's distance to it lies in [inner, outer]
(Geod.inv). Every edge of the union, seam and pole lines aside, must lie within
the tolerance of some site's ring; seam and pole lines carry no vertices but
their ends; the progress hook is called a few times, ending at (total, total).
"""

from __future__ import annotations

import numpy as np
import shapely
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pyproj import Geod
from shapely.geometry import Point

from rangeviz.geodesic import ANTIPODAL_KM, bands

GEOD = Geod(ellps="WGS84")


def distances(sites, lon, lat):
    """Geod.inv distances (km), one row per site."""
    out = []
    for slon, slat in sites:
        _, _, m = GEOD.inv(np.full(len(lon), slon), np.full(len(lat), slat), lon, lat)
        out.append(np.asarray(m) / 1000.0)
    return np.array(out)


def probes(sites, radii, union, rng):
    """Points near the rings and the union's edges, over the globe, at the poles and seam."""
    lon = [rng.uniform(-180, 180, 2000)]
    lat = [np.degrees(np.arcsin(rng.uniform(-1, 1, 2000)))]
    xy = shapely.get_coordinates(union)
    xy = xy[(np.abs(xy[:, 0]) < 180) & (np.abs(xy[:, 1]) < 90)]
    if len(xy):
        for spread in (0.05, 0.002):
            pick = xy[rng.integers(0, len(xy), 1000)] + rng.normal(0, spread, (1000, 2))
            lon.append((pick[:, 0] + 180) % 360 - 180)
            lat.append(np.clip(pick[:, 1], -90, 90))
    per_ring = max(5, 4000 // (len(sites) * len(radii)))
    for slon, slat in sites:
        for r in radii:
            if 0 < r < ANTIPODAL_KM:
                az = rng.uniform(0, 360, per_ring)
                d = np.clip(r + rng.uniform(-20, 20, per_ring), 0.001, ANTIPODAL_KM - 0.001)
                x, y, _ = GEOD.fwd(np.full(per_ring, slon), np.full(per_ring, slat), az, d * 1000)
                lon.append(np.asarray(x))
                lat.append(np.asarray(y))
    lon.append(np.array([0.0, 0.0, 180.0, -180.0, 45.0]))
    lat.append(np.array([90.0, -90.0, 10.0, -10.0, 0.0]))
    return np.concatenate(lon), np.concatenate(lat)


def assert_union(union, sites, inner, outer, tol, rng):
    assert union.is_valid, shapely.is_valid_reason(union)
    assert union.geom_type in ("Polygon", "MultiPolygon")
    # membership
    lon, lat = probes(sites, (inner, outer), union, rng)
    d = distances(sites, lon, lat)
    truth = ((d >= inner) & (d <= outer)).any(axis=0)
    unsure = ((np.abs(d - inner) <= tol) | (np.abs(d - outer) <= tol)).any(axis=0)
    got = shapely.contains_xy(union, lon, lat) | shapely.intersects_xy(union, lon, lat)
    wrong = (got != truth) & ~unsure
    assert not wrong.any(), f"{wrong.sum()} misclassified, e.g. {lon[wrong][:3]}, {lat[wrong][:3]}"
    # every edge near some ring; seam and pole runs reduced to their ends
    radii = [r for r in (inner, outer) if 0 < r < ANTIPODAL_KM]
    for lr in shapely.get_rings(shapely.get_parts(union)):
        c = shapely.get_coordinates(lr)
        a, b = c[:-1], c[1:]
        seam = (np.abs(a[:, 0]) == 180) & (a[:, 0] == b[:, 0])
        pole = (np.abs(a[:, 1]) == 90) & (a[:, 1] == b[:, 1])
        assert not (seam[1:] & seam[:-1] & (a[1:, 0] == a[:-1, 0])).any(), "a seam run"
        assert not (pole[1:] & pole[:-1] & (a[1:, 1] == a[:-1, 1])).any(), "a pole-line run"
        a, b = a[~seam & ~pole], b[~seam & ~pole]
        if len(a) == 0:
            continue
        t = np.linspace(0.0, 1.0, 9)[:, None, None]
        p = (a[None] * (1 - t) + b[None] * t).reshape(-1, 2)
        dd = distances(sites, p[:, 0], p[:, 1])
        err = np.min([np.abs(dd - r).min(axis=0) for r in radii], axis=0)
        assert err.max() <= tol, f"an edge strays {err.max():.4f} km from every ring"


def test_union_of_a_european_cloud_and_progress_hook():
    rng = np.random.default_rng(20190802)
    sites = list(zip(rng.uniform(-10, 40, 300), rng.uniform(35, 70, 300), strict=True))
    calls = []
    union = bands(sites, dissolve=True, progress=lambda done, total: calls.append((done, total)))
    assert_union(union.geometry[0], sites, 500.0, 5500.0, 0.1, rng)
    assert 1 <= len(calls) <= 50 and calls[-1] == (300, 300)
    assert all(c[1] == 300 for c in calls)
    assert [c[0] for c in calls] == sorted(c[0] for c in calls)
    # the North Pole is in range of the northern sites, the south is not
    assert union.geometry[0].intersects(Point(0, 90))
    assert not union.geometry[0].intersects(Point(0, -90))


def test_union_of_a_tight_cluster_has_its_hole():
    rng = np.random.default_rng(5)
    az, dist = rng.uniform(0, 360, 200), 150e3 * np.sqrt(rng.uniform(0, 1, 200))
    x, y, _ = GEOD.fwd(np.full(200, 20.5), np.full(200, 54.7), az, dist)
    sites = list(zip(x, y, strict=True))
    union = bands(sites, inner_km=500, outer_km=5500, dissolve=True).geometry[0]
    assert not union.contains(Point(20.5, 54.7))  # within 500 km of every site
    assert_union(union, sites, 500.0, 5500.0, 0.1, rng)


def test_union_of_global_sites_is_the_globe():
    rng = np.random.default_rng(6)
    lat = np.degrees(np.arcsin(rng.uniform(-1, 1, 400)))
    sites = list(zip(rng.uniform(-180, 180, 400), lat, strict=True))
    union = bands(sites, inner_km=500, outer_km=5500, dissolve=True).geometry[0]
    assert union.area == 64800.0 and len(shapely.get_coordinates(union)) == 5


def test_bands_progress_without_dissolve():
    calls = []
    bands([(0, 0), (10, 10), (20, 20)], progress=lambda d, t: calls.append((d, t)))
    assert calls[-1] == (3, 3)


def test_duplicate_and_equivalent_sites():
    # the same point three ways: a pole at two longitudes, and -180 vs 180
    sites = [(10.0, 90.0), (-50.0, 90.0), (180.0, 0.0), (-180.0, 0.0), (180.0, 0.0)]
    union = bands(sites, inner_km=300, outer_km=4000, dissolve=True).geometry[0]
    assert_union(union, sites, 300.0, 4000.0, 0.1, np.random.default_rng(7))


# --------------------------------------------------------------------------
# the whole globe, by hypothesis

lons = st.one_of(st.floats(-180, 180), st.sampled_from([-180.0, 180.0, 179.9]))
lats = st.one_of(st.floats(-90, 90), st.sampled_from([90.0, -90.0, 89.9, 0.0]))


@st.composite
def site_sets(draw):
    """Sites spread over the globe, or clustered round one point (pole and seam included)."""
    n = draw(st.integers(2, 15))
    if draw(st.booleans()):
        return [(draw(lons), draw(lats)) for _ in range(n)]
    lon0, lat0 = draw(lons), draw(lats)
    spread = draw(st.sampled_from([5.0, 50.0, 300.0, 2000.0]))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    x, y, _ = GEOD.fwd(
        np.full(n, lon0), np.full(n, lat0), rng.uniform(0, 360, n), rng.uniform(0, spread * 1e3, n)
    )
    return list(zip(np.asarray(x).tolist(), np.asarray(y).tolist(), strict=True))


@st.composite
def band_radii(draw):
    outer = draw(
        st.one_of(
            st.floats(50.0, ANTIPODAL_KM),
            st.sampled_from([5500.0, 10001.0, ANTIPODAL_KM - 0.5, ANTIPODAL_KM]),
        )
    )
    inner = draw(st.one_of(st.just(0.0), st.floats(0.0, outer)))
    assume(inner < outer - 1.0)
    return inner, outer


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    sites=site_sets(),
    r=band_radii(),
    tol=st.sampled_from([1.0, 0.1, 0.01]),
    seed=st.integers(0, 2**32 - 1),
)
def test_union_matches_geod_inv_everywhere(sites, r, tol, seed):
    inner, outer = r
    union = bands(sites, inner_km=inner, outer_km=outer, dissolve=True, tolerance_km=tol)
    assert_union(union.geometry[0], sites, inner, outer, tol, np.random.default_rng(seed))
