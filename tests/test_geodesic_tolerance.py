"""The tolerance is a guarantee: edges of discs and bands against Geod.inv in the hard regimes.

Within a kilometre of the antipodal distance, on rings through or grazing a
pole, and at every accepted tolerance down to a metre, every edge point must
lie within ``tolerance_km`` of the true ring (checked at nine points per edge
with pyproj.Geod(ellps="WGS84").inv), and membership must match the truth.
"""

from __future__ import annotations

import numpy as np
import shapely
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from test_geodesic import assert_membership, assert_well_formed, true_km

from rangeviz.geodesic import ANTIPODAL_KM, band, disc, ring

lons = st.one_of(st.floats(-180, 180), st.sampled_from([-180.0, 180.0, 0.0]))
lats = st.one_of(st.floats(-90, 90), st.sampled_from([90.0, -90.0, 89.9999, -89.99, 0.0]))
tolerances = st.one_of(
    st.sampled_from([0.001, 0.002, 0.01, 0.025, 0.1, 1.0]),
    st.floats(0.001, 1.0),
)
SLOW = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SLOW
@given(
    lon=lons,
    lat=lats,
    gap=st.one_of(st.floats(1e-6, 1.0), st.floats(1.0, 1000.0), st.just(1e-9)),
    tol=tolerances,
    seed=st.integers(0, 2**32 - 1),
)
def test_near_the_antipodal_distance(lon, lat, gap, tol, seed):
    r = ANTIPODAL_KM - gap
    g = disc(lon, lat, radius_km=r, tolerance_km=tol)
    assert_membership(g, lon, lat, 0.0, r, tol, np.random.default_rng(seed))
    assert_well_formed(g, lon, lat, (r,), tol)


@SLOW
@given(
    lon=lons,
    lat=st.floats(-89.9, 89.9),
    pole=st.sampled_from([90.0, -90.0]),
    share=st.one_of(st.just(0.0), st.floats(-2.0, 2.0)),
    tol=tolerances,
    seed=st.integers(0, 2**32 - 1),
)
def test_rings_through_and_grazing_a_pole(lon, lat, pole, share, tol, seed):
    # the ring passes share * tol from the pole: through it at 0
    r = true_km(lon, lat, 0.0, pole)[0] + share * tol
    assume(0.5 < r < ANTIPODAL_KM - 0.5)
    g = band(lon, lat, inner_km=min(0.25 * r, 500.0), outer_km=r, tolerance_km=tol)
    assert_membership(g, lon, lat, min(0.25 * r, 500.0), r, tol, np.random.default_rng(seed))
    assert_well_formed(g, lon, lat, (min(0.25 * r, 500.0), r), tol)
    outline = ring(lon, lat, radius_km=r, tolerance_km=tol)
    xy = shapely.get_coordinates(outline)
    assert np.abs(true_km(lon, lat, xy[:, 0], xy[:, 1]) - r).max() <= tol


@SLOW
@given(
    lon=lons,
    lat=lats,
    outer=st.one_of(st.floats(1.0, ANTIPODAL_KM), st.floats(ANTIPODAL_KM - 1.0, ANTIPODAL_KM)),
    inner_share=st.one_of(st.just(0.0), st.floats(0.0, 0.99)),
    tol=tolerances,
    seed=st.integers(0, 2**32 - 1),
)
def test_any_tolerance_anywhere(lon, lat, outer, inner_share, tol, seed):
    inner = inner_share * outer
    assume(inner < outer - 0.01)
    g = band(lon, lat, inner_km=inner, outer_km=outer, tolerance_km=tol)
    assert_membership(g, lon, lat, inner, outer, tol, np.random.default_rng(seed))
    assert_well_formed(g, lon, lat, (inner, outer), tol)
