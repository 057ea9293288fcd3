"""The band engine against the truth: pyproj.Geod(ellps="WGS84").inv.

Nothing here compares rangeviz with itself. Membership of points, edges of the
polygons and published distances are all checked against Karney's geodesics.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pyproj import Geod
from shapely.geometry import Point

import rangeviz
from rangeviz import geodesic
from rangeviz.errors import InputError, RangevizError
from rangeviz.geodesic import ANTIPODAL_KM, band, bands, disc, distance_km, ring
from rangeviz.geodesic._rings import ring_spec, sample_rings

GEOD = Geod(ellps="WGS84")
KALININGRAD = (20.51, 54.71)
PETROPAVLOVSK = (158.65, 53.02)
MOSCOW = (37.62, 55.75)

# (lon, lat), published distance from Kaliningrad (km), in the INF band?
CITIES = {
    "Berlin": ((13.40, 52.52), 529.6, True),
    "Lisbon": ((-9.14, 38.72), 2844.5, True),
    "Warsaw": ((21.01, 52.23), 278.0, False),
    "Vilnius": ((25.28, 54.69), 307.5, False),
    "Minsk": ((27.57, 53.90), 467.5, False),
    "Washington": ((-77.04, 38.90), 7026.6, False),
}


def true_km(lon0, lat0, lon, lat):
    lon = np.atleast_1d(np.asarray(lon, dtype=float))
    lat = np.atleast_1d(np.asarray(lat, dtype=float))
    _, _, m = GEOD.inv(np.full(lon.shape, lon0), np.full(lat.shape, lat0), lon, lat)
    return np.asarray(m) / 1000.0


def probe_points(lon0, lat0, radii, rng, n=3000):
    """Points spread over the globe plus points close to each ring."""
    z = rng.uniform(-1, 1, n)
    lons = [rng.uniform(-180, 180, n)]
    lats = [np.degrees(np.arcsin(z))]
    for r in radii:
        if r <= 0:
            continue
        az = rng.uniform(0, 360, n)
        dist = np.clip(r + rng.uniform(-30, 30, n), 0.001, ANTIPODAL_KM - 0.001)
        lo, la, _ = GEOD.fwd(np.full(n, lon0), np.full(n, lat0), az, dist * 1000)
        lons.append(np.asarray(lo))
        lats.append(np.asarray(la))
    # the poles, the seam and the site itself
    lons.append(np.array([0.0, 0.0, 180.0, -180.0, lon0, 90.0, -90.0]))
    lats.append(np.array([90.0, -90.0, lat0, -lat0, lat0, 89.999, -89.999]))
    return np.concatenate(lons), np.concatenate(lats)


def assert_membership(geom, lon0, lat0, inner, outer, tol, rng):
    lon, lat = probe_points(lon0, lat0, (inner, outer), rng)
    d = true_km(lon0, lat0, lon, lat)
    truth = (d >= inner) & (d <= outer)
    got = shapely.contains_xy(geom, lon, lat) | shapely.intersects_xy(geom, lon, lat)
    unsure = (np.abs(d - inner) <= tol) | (np.abs(d - outer) <= tol)
    wrong = (got != truth) & ~unsure
    assert not wrong.any(), (
        f"{wrong.sum()} points misclassified, e.g. {lon[wrong][:3]}, {lat[wrong][:3]} "
        f"at {d[wrong][:3]} km"
    )


def assert_well_formed(geom, lon0, lat0, radii, tol):
    """Valid, in [-180, 180], and every edge within tolerance of a ring.

    Edges along the seam (lon = +-180) or a pole line (lat = +-90) are the only
    others allowed. Each edge is checked at nine points, not only its ends.
    """
    assert geom.is_valid, shapely.is_valid_reason(geom)
    assert geom.geom_type in ("Polygon", "MultiPolygon")
    xy = shapely.get_coordinates(geom)
    if len(xy) == 0:
        return
    assert xy[:, 0].min() >= -180 and xy[:, 0].max() <= 180
    assert xy[:, 1].min() >= -90 and xy[:, 1].max() <= 90
    radii = [r for r in radii if 0 < r < ANTIPODAL_KM]
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
        d = true_km(lon0, lat0, p[:, 0], p[:, 1])
        err = np.min([np.abs(d - r) for r in radii], axis=0)
        assert err.max() <= tol, f"an edge strays {err.max():.4f} km from the rings"


# --------------------------------------------------------------------------
# worked cases


def test_kaliningrad_band_contains_north_pole_and_right_cities():
    g = band(*KALININGRAD, inner_km=500, outer_km=5500)
    assert g.contains(Point(0, 89.99)) and g.intersects(Point(123.0, 90.0))
    for name, ((lon, lat), published, in_band) in CITIES.items():
        d = true_km(*KALININGRAD, lon, lat)[0]
        assert d == pytest.approx(published, abs=1.0), name
        assert g.contains(Point(lon, lat)) is in_band, name
    assert_well_formed(g, *KALININGRAD, (500, 5500), 0.1)


def test_distance_km_matches_published_and_geod():
    lon, lat = CITIES["Berlin"][0]
    assert distance_km(*KALININGRAD, lon, lat) == pytest.approx(529.6, abs=0.1)
    lons = np.array([c[0][0] for c in CITIES.values()])
    lats = np.array([c[0][1] for c in CITIES.values()])
    got = distance_km(KALININGRAD[0], KALININGRAD[1], lons, lats)
    assert got.shape == lons.shape
    np.testing.assert_allclose(got, true_km(*KALININGRAD, lons, lats), rtol=1e-12)
    # broadcasting 2-D
    grid = distance_km(0.0, 0.0, lons[:, None], lats[None, :])
    assert grid.shape == (len(lons), len(lats))
    assert distance_km(0, 0, 0, 0) == 0.0


def test_petropavlovsk_crosses_antimeridian_and_contains_pole():
    g = band(*PETROPAVLOVSK)
    assert g.contains(Point(0, 89.9))
    # the outer ring crosses the seam: the cap spans all longitudes
    xs = shapely.get_coordinates(g)[:, 0]
    assert xs.min() == -180.0 and xs.max() == 180.0
    # points just east of the antimeridian (Alaska side) are in range
    assert g.contains(Point(-170.0, 60.0))  # ~1,800 km away
    assert true_km(*PETROPAVLOVSK, -170.0, 60.0)[0] < 5500
    assert_membership(g, *PETROPAVLOVSK, 500, 5500, 0.1, np.random.default_rng(1))
    assert_well_formed(g, *PETROPAVLOVSK, (500, 5500), 0.1)


def test_moscow_12000_km_disc_contains_north_pole_not_south():
    # The brief lists this case as "contains both poles"; the truth says
    # otherwise: Moscow is 3,810 km from the North Pole, 16,190 from the South.
    assert true_km(*MOSCOW, 0.0, -90.0)[0] > 16000
    g = disc(*MOSCOW, radius_km=12000)
    assert g.intersects(Point(0, 90))
    assert g.contains(Point(100, 89.9))
    assert not g.intersects(Point(0, -90))
    assert_membership(g, *MOSCOW, 0, 12000, 0.1, np.random.default_rng(2))
    assert_well_formed(g, *MOSCOW, (12000,), 0.1)


def test_moscow_17000_km_disc_contains_both_poles():
    g = disc(*MOSCOW, radius_km=17000)
    assert g.intersects(Point(0, 90))
    assert g.intersects(Point(0, -90))
    assert g.contains(Point(0, 89.9))
    assert g.contains(Point(0, -89.9))
    # the hole is the cap round the antipode (in the South Pacific)
    assert not g.contains(Point(MOSCOW[0] - 180, -MOSCOW[1]))
    assert_membership(g, *MOSCOW, 0, 17000, 0.1, np.random.default_rng(2))
    assert_well_formed(g, *MOSCOW, (17000,), 0.1)


@pytest.mark.parametrize("pole", [90.0, -90.0])
def test_site_at_pole_gives_band_between_parallels(pole):
    g = band(45.0, pole, inner_km=500, outer_km=5500)
    # the band's edges are parallels: distance from a pole depends on lat only
    for lon in (-179.0, -60.0, 0.0, 120.0, 179.9):
        lat_in = math.copysign(80.0, pole)  # ~1,100 km from the pole
        lat_near = math.copysign(89.0, pole)  # ~110 km: too close
        assert g.contains(Point(lon, lat_in))
        assert not g.contains(Point(lon, lat_near))
    lats = shapely.get_coordinates(g)[:, 1]
    d_edges = {round(float(true_km(0.0, pole, 0.0, y)[0]), 1) for y in lats if abs(y) < 90}
    assert all(abs(d - 500) <= 0.1 or abs(d - 5500) <= 0.1 for d in d_edges)
    assert_well_formed(g, 45.0, pole, (500, 5500), 0.1)


@pytest.mark.parametrize("offset_km", [-5.0, 5.0])
def test_ring_grazing_pole(offset_km):
    d_pole = true_km(*KALININGRAD, 0.0, 90.0)[0]
    outer = d_pole + offset_km
    g = band(*KALININGRAD, inner_km=500, outer_km=outer)
    assert g.contains(Point(0, 90)) or g.intersects(Point(0, 90)) is (offset_km > 0)
    assert bool(g.intersects(Point(0.0, 90.0))) is (offset_km > 0)
    assert_membership(g, *KALININGRAD, 500, outer, 0.1, np.random.default_rng(3))
    assert_well_formed(g, *KALININGRAD, (500, outer), 0.1)


def test_antipodal_radius_is_whole_globe_and_beyond_is_refused():
    assert disc(10, 20, radius_km=ANTIPODAL_KM).area == pytest.approx(360 * 180)
    g = band(10, 20, inner_km=19990, outer_km=ANTIPODAL_KM)  # a small cap at the antipode
    assert g.contains(Point(-170, -20))
    assert_membership(g, 10, 20, 19990, ANTIPODAL_KM, 0.1, np.random.default_rng(4))
    # nothing is farther than the antipode: a larger radius is a mistake, not a globe
    with pytest.raises(InputError, match="beyond the antipodal distance"):
        disc(10, 20, radius_km=ANTIPODAL_KM + 1)
    with pytest.raises(InputError, match=r"inner_km .* beyond the antipodal"):
        band(10, 20, inner_km=25000, outer_km=30000)
    # metres given as kilometres: name the likely slip
    with pytest.raises(InputError, match=r"outer_km 5500000\.0 .* not metres"):
        band(10, 20, inner_km=0, outer_km=5_500_000)


def test_antipodal_distance_is_half_meridian():
    assert pytest.approx(20003.93, abs=0.01) == ANTIPODAL_KM


# --------------------------------------------------------------------------
# the whole globe, by hypothesis

lons = st.floats(-180, 180, allow_nan=False)
lats = st.one_of(
    st.floats(-90, 90, allow_nan=False),
    st.sampled_from([90.0, -90.0, 89.999, -89.99, 0.0]),
)


@st.composite
def radii(draw):
    outer = draw(
        st.one_of(
            st.floats(1.0, ANTIPODAL_KM),
            st.floats(ANTIPODAL_KM - 100, ANTIPODAL_KM),
        )
    )
    inner = draw(st.one_of(st.just(0.0), st.floats(0.0, outer)))
    assume(inner < outer - 0.5)
    return inner, outer


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lon=lons, lat=lats, r=radii(), seed=st.integers(0, 2**32 - 1))
def test_band_membership_matches_geod_inv_everywhere(lon, lat, r, seed):
    inner, outer = r
    g = band(lon, lat, inner_km=inner, outer_km=outer)
    assert_membership(g, lon, lat, inner, outer, 0.1, np.random.default_rng(seed))
    assert_well_formed(g, lon, lat, (inner, outer), 0.1)


@settings(max_examples=100, deadline=None)
@given(
    lon=lons,
    lat=st.floats(-85, 85),
    pole=st.sampled_from([90.0, -90.0]),
    offset=st.floats(-20.0, 20.0),
    seed=st.integers(0, 2**32 - 1),
)
def test_rings_passing_near_a_pole(lon, lat, pole, offset, seed):
    d_pole = true_km(lon, lat, 0.0, pole)[0]
    outer = d_pole + offset
    assume(outer > 1.0)
    g = disc(lon, lat, radius_km=outer)
    assert_membership(g, lon, lat, 0.0, outer, 0.1, np.random.default_rng(seed))
    assert_well_formed(g, lon, lat, (outer,), 0.1)


@settings(max_examples=40, deadline=None)
@given(
    sites=st.lists(st.tuples(lons, st.floats(-89, 89)), min_size=2, max_size=5),
    r=radii(),
    seed=st.integers(0, 2**32 - 1),
)
def test_union_is_in_some_band(sites, r, seed):
    inner, outer = r
    assume(outer < ANTIPODAL_KM)
    union = bands(sites, inner_km=inner, outer_km=outer, dissolve=True).geometry[0]
    assert union.is_valid
    rng = np.random.default_rng(seed)
    lon, lat = probe_points(*sites[0], (inner, outer), rng, n=1500)
    lon2, lat2 = probe_points(*sites[-1], (inner, outer), rng, n=1500)
    lon, lat = np.concatenate((lon, lon2)), np.concatenate((lat, lat2))
    d = np.array([true_km(slon, slat, lon, lat) for slon, slat in sites])
    truth = ((d >= inner) & (d <= outer)).any(axis=0)
    unsure = ((np.abs(d - inner) <= 0.1) | (np.abs(d - outer) <= 0.1)).any(axis=0)
    got = shapely.contains_xy(union, lon, lat) | shapely.intersects_xy(union, lon, lat)
    assert not ((got != truth) & ~unsure).any()


def test_union_keeps_a_hole_covered_by_another_band():
    # B's hole lies wholly inside A's band: no "outer minus inner" here
    a, b = (0.0, 50.0), (0.0, 60.0)  # ~1,113 km apart
    union = bands([a, b], inner_km=300, outer_km=3000, dissolve=True).geometry[0]
    assert union.contains(Point(*b))  # b's own hole, covered by a's band
    assert union.contains(Point(*a))  # and a's hole inside b's band
    # two sites 333 km apart: between them, too close to both
    near = bands([(0.0, 50.0), (0.0, 53.0)], inner_km=300, outer_km=3000, dissolve=True)
    assert not near.geometry[0].contains(Point(0.0, 51.5))
    assert near.geometry[0].contains(Point(0.0, 50.0))  # 333 km from the other
    # and a hole in a wholly different place stays open
    far = bands([(0.0, 50.0), (100.0, 0.0)], inner_km=300, outer_km=3000, dissolve=True)
    assert not far.geometry[0].contains(Point(100.0, 0.0))


def test_union_of_many_european_sites_matches_truth():
    rng = np.random.default_rng(7)
    sites = list(zip(rng.uniform(-10, 40, 40), rng.uniform(35, 70, 40), strict=True))
    union = bands(sites, dissolve=True).geometry[0]
    lon, lat = probe_points(20, 50, (500, 5500), rng, n=4000)
    d = np.array([true_km(slon, slat, lon, lat) for slon, slat in sites])
    truth = ((d >= 500) & (d <= 5500)).any(axis=0)
    unsure = ((np.abs(d - 500) <= 0.1) | (np.abs(d - 5500) <= 0.1)).any(axis=0)
    got = shapely.contains_xy(union, lon, lat) | shapely.intersects_xy(union, lon, lat)
    assert not ((got != truth) & ~unsure).any()


# --------------------------------------------------------------------------
# adaptivity, outlines, inputs


def test_vertex_count_adapts_to_tolerance():
    coarse = shapely.get_num_coordinates(band(*KALININGRAD, tolerance_km=1.0))
    fine = shapely.get_num_coordinates(band(*KALININGRAD, tolerance_km=0.01))
    assert fine > 2.5 * coarse  # error ~ h^2: 100x tighter needs ~10x vertices
    for tol in (1.0, 0.01):
        g = band(*KALININGRAD, tolerance_km=tol)
        assert_well_formed(g, *KALININGRAD, (500, 5500), tol)


def test_vertices_crowd_where_a_ring_passes_near_a_pole():
    lon, lat = 0.0, 45.0
    d_pole = true_km(lon, lat, 0.0, 90.0)[0]
    spec = ring_spec(np.array([lon]), np.array([lat]), np.array([d_pole - 10.0]), 0.1)
    ((ring_lon, ring_lat),) = sample_rings(spec)
    near = ring_lat > 89.0
    # along-ring spacing near the pole is much finer than elsewhere
    seg = (
        np.array(
            [
                GEOD.inv(ring_lon[i], ring_lat[i], ring_lon[i + 1], ring_lat[i + 1])[2]
                for i in range(len(ring_lon) - 1)
            ]
        )
        / 1000
    )
    near_seg = near[:-1] & near[1:]
    assert near_seg.any()
    assert np.median(seg[near_seg]) < np.median(seg[~near_seg]) / 3


def test_ring_outline_is_cut_and_on_the_ring():
    out = ring(*PETROPAVLOVSK, radius_km=5500)
    assert out.geom_type == "MultiLineString" and len(out.geoms) == 2
    xy = shapely.get_coordinates(out)
    assert xy[:, 0].min() >= -180 and xy[:, 0].max() <= 180
    d = true_km(*PETROPAVLOVSK, xy[:, 0], xy[:, 1])
    assert np.abs(d - 5500).max() <= 0.1
    # no segment runs along the pole line or jumps across the map
    for line in out.geoms:
        c = np.asarray(line.coords)
        assert np.abs(np.diff(c[:, 0])).max() < 30
    simple = ring(*KALININGRAD, radius_km=500)
    assert len(simple.geoms) == 1 and simple.geoms[0].is_closed
    assert ring(0, 0, radius_km=ANTIPODAL_KM).is_empty


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"lon": 20, "lat": 91}, ["latitude", "91", "[-90, 90]"]),
        ({"lon": 200, "lat": 10}, ["longitude", "200", "[-180, 180]"]),
        ({"lon": float("nan"), "lat": 10}, ["longitude", "nan"]),
        ({"lon": 10, "lat": float("inf")}, ["latitude", "inf"]),
        ({"lon": 10, "lat": 10, "inner_km": -1}, ["inner_km", "-1", ">= 0"]),
        (
            {"lon": 10, "lat": 10, "inner_km": 600, "outer_km": 500},
            ["inner_km 600", "outer_km 500"],
        ),
        ({"lon": 10, "lat": 10, "inner_km": 500, "outer_km": 500}, ["smaller"]),
        ({"lon": 10, "lat": 10, "outer_km": "far"}, ["outer_km", "'far'"]),
        ({"lon": 10, "lat": 10, "tolerance_km": 0}, ["tolerance_km", "0"]),
    ],
)
def test_bad_input_names_parameter_value_and_range(kwargs, words):
    lon, lat = kwargs.pop("lon"), kwargs.pop("lat")
    with pytest.raises(InputError) as info:
        band(lon, lat, **kwargs)
    assert isinstance(info.value, (RangevizError, ValueError))
    for w in words:
        assert w in str(info.value)


def test_swapped_lat_lon_hint():
    with pytest.raises(InputError, match="swap"):
        disc(54.71, 120.0, radius_km=100)
    with pytest.raises(InputError, match="radius_km"):
        disc(0, 0, radius_km=0)


def test_bands_accepts_tuples_sites_and_geoseries():
    import geopandas as gpd

    class Site:
        def __init__(self, name, lon, lat):
            self.name, self.lon, self.lat = name, lon, lat

    from_tuples = bands([KALININGRAD, MOSCOW])
    from_sites = bands([Site("Kaliningrad", *KALININGRAD), Site("Moscow", *MOSCOW)])
    gdf = gpd.GeoDataFrame(
        {"name": ["Kaliningrad", "Moscow"]},
        geometry=gpd.points_from_xy([KALININGRAD[0], MOSCOW[0]], [KALININGRAD[1], MOSCOW[1]]),
        crs="EPSG:4326",
    )
    from_gdf = bands(gdf)
    from_geoseries = bands(gdf.geometry)
    for out in (from_tuples, from_sites, from_gdf, from_geoseries):
        assert list(out.columns) == [
            "name",
            "lon",
            "lat",
            "inner_km",
            "outer_km",
            "geometry",
        ]
        assert out.crs.to_epsg() == 4326
        assert len(out) == 2
        assert out.geometry.iloc[0].contains(Point(13.40, 52.52))  # Berlin from Kaliningrad
    assert list(from_sites["name"]) == ["Kaliningrad", "Moscow"]
    assert list(from_gdf["name"]) == ["Kaliningrad", "Moscow"]
    assert from_tuples["name"][0] == "54.71°N 20.51°E"
    dissolved = bands([KALININGRAD, MOSCOW], inner_km=0, outer_km=1000, dissolve=True)
    assert len(dissolved) == 1 and dissolved["name"][0].count(";") == 1


@pytest.mark.parametrize("bad", [[], "Kaliningrad", [(1, 2, 3)], [(20, 95)], 42])
def test_bands_rejects_bad_sites(bad):
    with pytest.raises(InputError):
        bands(bad)


def test_exported_api():
    for name in ("band", "bands", "disc", "distance_km", "ring"):
        assert getattr(rangeviz, name) is getattr(geodesic, name)


def test_union_of_clustered_sites_with_overlapping_holes():
    # 60 sites within ~200 km: every hole overlaps others, none is covered whole
    rng = np.random.default_rng(11)
    sites = list(zip(rng.uniform(20, 23, 60), rng.uniform(53, 55, 60), strict=True))
    union = bands(sites, inner_km=500, outer_km=2000, dissolve=True).geometry[0]
    assert union.is_valid
    lon, lat = probe_points(21.5, 54.0, (500, 2000), rng, n=3000)
    d = np.array([true_km(slon, slat, lon, lat) for slon, slat in sites])
    truth = ((d >= 500) & (d <= 2000)).any(axis=0)
    unsure = ((np.abs(d - 500) <= 0.1) | (np.abs(d - 2000) <= 0.1)).any(axis=0)
    got = shapely.contains_xy(union, lon, lat) | shapely.intersects_xy(union, lon, lat)
    assert not ((got != truth) & ~unsure).any()
    assert not union.contains(Point(21.5, 54.0))  # the middle is too close to all


@pytest.mark.parametrize("lon", [0.0, -180.0, 180.0, 45.0])
def test_ring_round_a_pole_site_is_valid_without_empty_pieces(lon):
    out = ring(lon, 90.0, radius_km=5500)
    assert out.is_valid
    assert all(piece.length > 0 for piece in out.geoms)
    d = true_km(lon, 90.0, *shapely.get_coordinates(out).T)
    assert np.abs(d - 5500).max() <= 0.1
