"""Projections, extents and clipping against the truth: pyproj's Geod and CRS.

Drawn edges are inverse-projected and measured with Geod.inv; filled areas are
sampled on a grid in the map plane and compared with exact distances. Nothing
here checks rangeviz against itself.
"""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import CRS, Geod
from shapely.geometry import MultiLineString, Polygon, box

from rangeviz import maps
from rangeviz.errors import InputError, UnknownNameError
from rangeviz.geodesic import band, ring
from rangeviz.maps import EXTENTS, PROJECTIONS, MapFrame, make_frame

GEOD = Geod(ellps="WGS84")
KALININGRAD = (20.51, 54.71)
PETROPAVLOVSK = (158.65, 53.02)
MOSCOW = (37.62, 55.75)
SLIDE = 13.333 / 7.5


def true_km(site, lon, lat):
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    n = lon.size
    _, _, m = GEOD.inv(np.full(n, site[0]), np.full(n, site[1]), lon.ravel(), lat.ravel())
    return (np.asarray(m) / 1000.0).reshape(lon.shape)


def frame_for(projection, site, outer_km, extent=None):
    return make_frame(
        projection,
        sites=[site],
        fit=[ring(*site, radius_km=outer_km, tolerance_km=1.0)],
        extent=extent,
        aspect=SLIDE,
    )


def sample_lines(lines, per_segment=7):
    """Points along every drawn segment (not only the vertices)."""
    out = []
    for part in shapely.get_parts(lines):
        xy = np.asarray(part.coords)
        t = np.linspace(0.0, 1.0, per_segment)[:, None, None]
        pts = xy[:-1][None] + t * (xy[1:] - xy[:-1])[None]
        out.append(pts.reshape(-1, 2))
    return np.concatenate(out)


# --------------------------------------------------------------------------
# names, projections, extents


def test_projection_names():
    assert maps.resolve_projection("europe").to_epsg() == 3035
    assert maps.resolve_projection(" EUROPE ").to_epsg() == 3035
    aeqd = maps.resolve_projection("aeqd", center=KALININGRAD)
    assert "Azimuthal Equidistant" in aeqd.coordinate_operation.method_name
    polar = maps.resolve_projection("polar", center=PETROPAVLOVSK)
    params = {p.name: p.value for p in polar.coordinate_operation.params}
    assert params["Latitude of natural origin"] == 90
    assert params["Longitude of natural origin"] == pytest.approx(158.65)
    assert maps.resolve_projection("polar").coordinate_operation.params[1].value == 20


@pytest.mark.parametrize("given", ["EPSG:3857", 3857, CRS.from_epsg(3857), "+proj=merc"])
def test_any_crs_pyproj_accepts(given):
    assert maps.resolve_projection(given).is_projected


def test_unknown_projection_lists_choices():
    with pytest.raises(UnknownNameError) as err:
        maps.resolve_projection("eurpoe")
    message = str(err.value)
    assert "'eurpoe'" in message
    for name in PROJECTIONS:
        assert name in message
    assert "EPSG" in message


def test_aeqd_needs_a_site():
    with pytest.raises(InputError, match="first site"):
        maps.resolve_projection("aeqd")


def test_extent_presets_and_boxes():
    assert maps.resolve_extent(None) is None
    assert maps.resolve_extent("Europe") == EXTENTS["europe"]
    assert maps.resolve_extent([10, 50, 20, 60]) == (10.0, 50.0, 20.0, 60.0)
    # across the antimeridian (Kamchatka to Alaska)
    assert maps.resolve_extent((150, 45, -150, 70)) == (150.0, 45.0, 210.0, 70.0)


@pytest.mark.parametrize(
    ("extent", "match"),
    [
        ("asia", "choose one of: europe, wide"),
        ((10, 50, 20), "has 3 numbers, not 4"),
        ((10, "x", 20, 60), "not a preset name or four numbers"),
        ((10, 50, 20, float("nan")), "lat_max nan is not a finite number"),
        ((50, 10, 60, 95), r"lat_max 95.0 is outside \[-90, 90\]"),
        ((50, 100, 60, 120), "did you swap lat and lon"),
        ((10, 60, 20, 50), "lat_min 60.0 must be smaller than lat_max 50.0"),
        ((200, 10, 210, 20), r"lon_min 200.0 is outside \[-180, 180\]"),
        ((10, 10, 10, 20), "lon_min and lon_max are both 10.0"),
    ],
)
def test_bad_extents_say_what_is_allowed(extent, match):
    with pytest.raises(InputError, match=match):
        maps.resolve_extent(extent)


def test_bad_frame_arguments():
    with pytest.raises(InputError, match="nothing to fit"):
        make_frame("europe")
    with pytest.raises(InputError, match="aspect"):
        make_frame("europe", extent="europe", aspect=0)
    with pytest.raises(InputError, match="site"):
        make_frame("europe", sites=[(20.0, 95.0)])


# --------------------------------------------------------------------------
# frames


PLACES = {
    "Reykjavik": (-21.94, 64.15),
    "Yekaterinburg": (60.60, 56.84),
    "North Cape": (25.78, 71.17),
    "Algiers": (3.06, 36.75),
    "Tripoli": (13.19, 32.89),
    "Lisbon": (-9.14, 38.72),
}


def test_europe_preset_shows_iceland_to_the_urals():
    frame = make_frame("europe", extent="europe", aspect=SLIDE)
    lon, lat = np.array(list(PLACES.values())).T
    assert frame.contains_xy(*frame.project_points(lon, lat)).all()
    assert frame.is_rectangular
    assert frame.width / frame.height == pytest.approx(SLIDE)
    # and not the whole world: New York, Lagos and Delhi are off the map
    far = np.array([(-74.0, 40.7), (3.4, 6.5), (77.2, 28.6)])
    assert not frame.contains_xy(*frame.project_points(far[:, 0], far[:, 1])).any()


def test_wide_preset_adds_the_middle_east_and_north_atlantic():
    frame = make_frame("europe", extent="wide", aspect=SLIDE)
    more = np.array([(46.7, 24.7), (51.4, 35.7), (-52.7, 47.6), (44.2, 15.4)])
    assert frame.contains_xy(*frame.project_points(more[:, 0], more[:, 1])).all()


@pytest.mark.parametrize("projection", ["europe", "aeqd", "polar"])
def test_fitted_frame_shows_the_whole_kaliningrad_band(projection):
    frame = frame_for(projection, KALININGRAD, 5500)
    outline = ring(*KALININGRAD, radius_km=5500, tolerance_km=1.0)
    xy = shapely.get_coordinates(outline)
    x, y = frame.project_points(xy[:, 0], xy[:, 1])
    inside = frame.contains_xy(x, y)
    if projection == "polar":
        # the far south of the band (near the equator) leaves a hemisphere map
        lat = xy[:, 1]
        assert inside[lat > 10].all()
    else:
        assert inside.all()
        assert frame.is_rectangular
    # the map is not much larger than the band (a margin, not the world)
    ring_w = np.nanmax(x) - np.nanmin(x)
    ring_h = np.nanmax(y) - np.nanmin(y)
    assert frame.height <= 1.25 * ring_h
    assert frame.width <= max(1.25 * ring_w, SLIDE * frame.height * 1.001)


def test_a_hemisphere_band_gets_a_disc_shaped_map():
    # Moscow, 0-12,000 km: beyond a hemisphere; shown as far as a map can
    frame = frame_for("polar", MOSCOW, 12000)
    assert not frame.is_rectangular
    hemisphere = 2 * 6371e3 * np.sin(np.radians(45)) * 1.01
    xy = np.asarray(frame.region.exterior.coords)
    assert np.hypot(xy[:, 0], xy[:, 1]).max() <= hemisphere
    # the view stops at the equator: points beyond are not projected at all
    x, _ = frame.project_points([37.62, 37.62], [10.0, -30.0])
    assert np.isfinite(x[0]) and np.isnan(x[1])


def test_aeqd_is_centred_on_the_site():
    frame = frame_for("aeqd", KALININGRAD, 5500)
    x, y = frame.project_points([KALININGRAD[0]], [KALININGRAD[1]])
    assert abs(x[0]) < 1e-6 and abs(y[0]) < 1e-6
    assert frame.center == pytest.approx(KALININGRAD)


@pytest.mark.parametrize(
    "projection", ["EPSG:3857", "ESRI:54030", "+proj=robin +lon_0=60", "EPSG:4326"]
)
def test_world_maps_end_where_the_world_does(projection):
    from pyproj import Transformer

    frame = make_frame(
        projection,
        sites=[KALININGRAD],
        fit=[band(*KALININGRAD, inner_km=500, outer_km=5500, tolerance_km=1.0)],
        aspect=SLIDE,
        crop=True,
    )
    # the world as the projection draws it, from a dense lon/lat grid
    fwd = Transformer.from_crs("EPSG:4326", frame.crs, always_xy=True)
    lat_max = 85.0 if "3857" in projection else 90.0
    lon, lat = np.meshgrid(np.linspace(-180, 180, 721), np.linspace(-lat_max, lat_max, 361))
    x, y = fwd.transform(lon.ravel(), lat.ravel())
    x, y = np.asarray(x), np.asarray(y)
    ok = np.isfinite(x) & np.isfinite(y)
    x0, y0, x1, y1 = frame.bounds
    slack = 1e-3 * (x1 - x0)
    assert x0 >= x[ok].min() - slack and x1 <= x[ok].max() + slack
    assert y0 >= y[ok].min() - slack and y1 <= y[ok].max() + slack
    # the page is filled: the map has about the page's shape
    assert 0.75 * SLIDE <= (x1 - x0) / (y1 - y0) <= 1.3 * SLIDE
    # and every point of the drawn region is a point of the world
    bx, by = sample_lines(frame.region.boundary).T
    blon, blat = frame.inverse.transform(bx, by)
    bx2, by2 = fwd.transform(np.asarray(blon), np.asarray(blat))
    assert np.allclose(bx2, bx, atol=slack) and np.allclose(by2, by, atol=slack)


def test_fit_is_the_default_extent():
    site = [KALININGRAD]
    fit = [ring(*KALININGRAD, radius_km=2000, tolerance_km=1.0)]
    fitted = make_frame("europe", extent="fit", sites=site, fit=fit)
    assert fitted.bounds == make_frame("europe", sites=site, fit=fit).bounds


@pytest.mark.parametrize("outer", [7_500, 12_000, 16_000, 19_500])
def test_a_far_band_gets_a_map_that_shows_its_edge(outer):
    geom = band(*KALININGRAD, inner_km=0, outer_km=outer, tolerance_km=1.0)
    frame = make_frame(
        "auto",
        sites=[KALININGRAD],
        fit=[geom],
        aspect=SLIDE,
        crop=True,
        focus=[KALININGRAD],
        reach_km=outer,
    )
    assert frame.name == "aeqd" and frame.center == KALININGRAD
    edge = ring(*KALININGRAD, radius_km=outer, tolerance_km=1.0)
    x, y = frame.project_points(*shapely.get_coordinates(edge).T)
    shown = frame.contains_xy(x, y)
    assert shown.mean() > 0.15, f"only {shown.mean():.0%} of the {outer:,} km edge is on the map"


def test_a_single_site_still_gets_a_map():
    frame = make_frame("europe", sites=[KALININGRAD], aspect=1.0)
    assert frame.width >= 400_000 and frame.height >= 400_000


def test_a_non_azimuthal_crs_works_within_its_area_of_use():
    frame = make_frame("EPSG:3857", extent="europe", aspect=SLIDE)
    assert frame.center is None
    assert frame.domain.bounds[1] >= -85.1 and frame.domain.bounds[3] <= 85.1
    land = frame.project_layer([box(-10, 35, 30, 60)])
    assert land.size == 1 and land[0].area > 0


@pytest.mark.parametrize(
    ("extent", "scale"),
    [("europe", "50m"), ((5, 45, 15, 50), "10m"), ((-100, 30, -95, 35), "50m")],
)
def test_scale_follows_the_extent(extent, scale):
    frame = make_frame("europe", extent=extent, aspect=SLIDE)
    assert maps.choose_scale(frame, coverage_10m=(-30.0, 20.0, 70.0, 75.0)) == scale


def test_world_views_use_110m():
    frame = frame_for("polar", MOSCOW, 12000)
    assert maps.choose_scale(frame) == "110m"


# --------------------------------------------------------------------------
# drawn edges against the true rings


@pytest.mark.parametrize(
    ("projection", "site", "radius"),
    [
        ("europe", KALININGRAD, 5500),
        ("europe", KALININGRAD, 500),
        ("aeqd", KALININGRAD, 5500),
        ("polar", KALININGRAD, 5500),
        ("polar", PETROPAVLOVSK, 5500),
        ("polar", MOSCOW, 12000),
        ("+proj=lcc +lat_1=40 +lat_2=65 +lon_0=20", KALININGRAD, 5500),
        ("+proj=robin +lon_0=60", KALININGRAD, 5500),
        ("EPSG:3857", PETROPAVLOVSK, 5500),
    ],
)
def test_projected_ring_edges_stay_within_tolerance(projection, site, radius):
    tol = 0.1
    world = projection.startswith(("+", "EPSG"))
    frame = frame_for(projection, site, max(radius, 5500), (-180, -60, 180, 90) if world else None)
    drawn = frame.project_lines(
        ring(*site, radius_km=radius, tolerance_km=tol / 2), tolerance_km=tol / 2
    )
    assert not drawn.is_empty
    pts = sample_lines(drawn)
    lon, lat = frame.inverse.transform(pts[:, 0], pts[:, 1])
    err = np.abs(true_km(site, lon, lat) - radius)
    assert err.max() <= tol, f"worst stray {err.max():.3f} km"


def test_densify_adds_vertices_where_projection_bends_edges():
    frame = frame_for("polar", KALININGRAD, 5500)
    # one straight lon/lat edge along 60N: a circle arc round the pole on the map
    (xy,) = frame.densify([np.array([[-60.0, 60.0], [60.0, 60.0]])], tolerance_km=0.05)
    assert len(xy) > 100
    _, lat = frame.inverse.transform(*sample_lines(shapely.LineString(xy)).T)
    assert np.abs(np.asarray(lat) - 60.0).max() < 0.05 / 111 * 1.5


# --------------------------------------------------------------------------
# filled bands against exact distances


def grid_in(frame, n=90):
    x0, y0, x1, y1 = frame.bounds
    e = 1e-6 * (x1 - x0)  # inside the edges, where the fill's own edge runs
    gx, gy = np.meshgrid(np.linspace(x0 + e, x1 - e, n), np.linspace(y0 + e, y1 - e, n))
    gx, gy = gx.ravel(), gy.ravel()
    keep = frame.contains_xy(gx, gy)
    return gx[keep], gy[keep]


@pytest.mark.parametrize(
    ("projection", "site", "inner", "outer"),
    [
        ("europe", KALININGRAD, 500, 5500),
        ("polar", PETROPAVLOVSK, 500, 5500),
        ("polar", MOSCOW, 0, 12000),
        # a conic tears the world along the meridian opposite its centre (160°W here),
        # right where this band crosses over the pole
        ("+proj=lcc +lat_1=40 +lat_2=65 +lon_0=20", KALININGRAD, 500, 5500),
        ("+proj=robin +lon_0=60", KALININGRAD, 500, 5500),
        ("EPSG:3857", KALININGRAD, 500, 5500),
        ("EPSG:4326", PETROPAVLOVSK, 500, 5500),
    ],
)
def test_filled_band_covers_exactly_the_right_area(projection, site, inner, outer):
    tol = 0.1
    world = projection.startswith(("+", "EPSG"))
    frame = frame_for(projection, site, outer, extent=(-180, -60, 180, 90) if world else None)
    fill = frame.project_fill(
        band(*site, inner_km=inner, outer_km=outer, tolerance_km=tol / 2), tolerance_km=tol / 2
    )
    assert fill.is_valid and not fill.is_empty
    gx, gy = grid_in(frame)
    lon, lat = frame.inverse.transform(gx, gy)
    d = true_km(site, lon, lat)
    truth = (d >= inner) & (d <= outer)
    drawn = shapely.contains_xy(fill, gx, gy)
    near_edge = (np.abs(d - inner) < 1.0) | (np.abs(d - outer) < 1.0)
    wrong = (drawn != truth) & ~near_edge
    assert not wrong.any(), f"{wrong.sum()} of {len(gx)} grid points misclassified"
    assert truth.sum() > 100 and (~truth).sum() > 100


def test_pole_enclosing_band_has_no_slit_along_the_seam():
    """On the Europe map the seam and the pole line lie inside the fill."""
    frame = frame_for("europe", KALININGRAD, 5500)
    fill = frame.project_fill(band(*KALININGRAD, tolerance_km=0.05))
    # the seam, from where the band's outer ring crosses it up to the pole
    lat = np.linspace(78.0, 89.99, 60)
    for lon in (180.0, -180.0):
        x, y = frame.project_points(np.full(lat.size, lon), lat)
        assert shapely.contains_xy(fill, x, y).all()
    px, py = frame.project_points([0.0], [90.0])
    assert shapely.contains_xy(fill, px, py).all()
    # and no boundary vertex lies on the projected seam above the ring
    bxy = shapely.get_coordinates(fill.boundary)
    blon, blat = frame.inverse.transform(bxy[:, 0], bxy[:, 1])
    on_seam = (np.abs(np.abs(np.asarray(blon)) - 180.0) < 1e-6) & (np.asarray(blat) > 78.0)
    assert not on_seam.any()


# --------------------------------------------------------------------------
# world layers: clipped before projecting, nothing smeared, nothing dropped


def test_layers_near_the_antipode_do_not_smear():
    frame = make_frame("europe", extent="europe", aspect=SLIDE)
    # a polygon round the antipode of the projection centre (52N 10E)
    antipodal = box(-175.0, -60.0, -165.0, -45.0)
    # and one that wraps the world south of 60S, with seam and pole edges
    antarctica = box(-180.0, -90.0, 180.0, -60.0)
    out = frame.project_layer([antipodal, antarctica])
    assert out.size == 0


def test_large_polygons_are_kept_not_dropped():
    frame = frame_for("europe", KALININGRAD, 5500)
    eurasia = box(-10.0, 0.0, 179.0, 80.0)  # far bigger than a bounded CRS allows
    (out,) = frame.project_layer([eurasia])
    rng = np.random.default_rng(3)
    lon = rng.uniform(-180, 180, 4000)
    lat = np.degrees(np.arcsin(rng.uniform(-1, 1, 4000)))
    x, y = frame.project_points(lon, lat)
    shown = frame.contains_xy(x, y)
    inside = (lon > -10 + 0.5) & (lon < 179 - 0.5) & (lat > 0.5) & (lat < 79.5)
    outside = (lon < -10 - 0.5) | (lon > 179 + 0.5) | (lat < -0.5) | (lat > 80.5)
    got = shapely.contains_xy(out, x[shown], y[shown])
    assert got[inside[shown]].all()
    assert not got[outside[shown]].any()


def test_layers_are_cut_to_the_map():
    frame = make_frame("europe", extent=(5, 45, 15, 50), aspect=SLIDE)
    out = frame.project_layer([box(-20, 30, 40, 70), shapely.LineString([(-20, 47), (40, 47)])])
    x0, y0, x1, y1 = frame.bounds
    pad = 1e-3 * frame.width * 1.01
    for geom in out:
        b = geom.bounds
        assert b[0] >= x0 - pad and b[2] <= x1 + pad and b[1] >= y0 - pad and b[3] <= y1 + pad


def test_disc_maps_cut_layers_to_the_disc():
    frame = frame_for("polar", MOSCOW, 12000)
    out = frame.project_layer([box(-180, -89, 180, 89)])
    assert out.size == 1
    assert out[0].area == pytest.approx(frame.region.area, rel=1e-3)


def test_graticule_lies_on_meridians_and_parallels():
    frame = frame_for("polar", KALININGRAD, 5500)
    step, lines = frame.graticule()
    assert step == 10
    assert isinstance(lines, MultiLineString) and len(lines.geoms) > 20
    pts = sample_lines(lines, per_segment=3)
    lon, lat = (np.asarray(v) for v in frame.inverse.transform(pts[:, 0], pts[:, 1]))
    on_meridian = np.abs(((lon + 5) % 10) - 5) < 0.02
    on_parallel = np.abs(((lat + 5) % 10) - 5) < 0.02
    near_pole = lat > 89.9
    assert (on_meridian | on_parallel | near_pole).all()


@pytest.mark.parametrize(
    ("projection", "site", "outer", "extent"),
    [
        ("europe", KALININGRAD, 5500, None),
        ("europe", KALININGRAD, 5500, "wide"),
        ("aeqd", PETROPAVLOVSK, 5500, None),  # across the antimeridian
        ("aeqd", PETROPAVLOVSK, 12_000, None),
        ("polar", MOSCOW, 3000, None),
        ("aeqd", (-70.0, -60.0), 3000, None),  # the far south
        ("europe", MOSCOW, 400, None),  # a close-up, 1-degree lines
    ],
)
def test_graticule_draws_every_meridian_and_parallel_the_map_shows(projection, site, outer, extent):
    """Whatever longitudes the lines are made for, none the map shows is missing."""
    frame = frame_for(projection, site, outer, extent)
    step, lines = frame.graticule()
    lon = np.arange(-180.0, 180.0, step)
    lat = np.arange(-90.0 + step, 90.0, step)
    fine = np.linspace(-180.0, 180.0, 3601)
    meridians = [(x, y) for x in lon for y in np.linspace(-80.0, 80.0, 801)]
    parallels = [(x, y) for y in lat if abs(y) <= 80 for x in fine]
    lonlat = np.array(meridians + parallels)
    x, y = (np.asarray(v) for v in frame.forward.transform(lonlat[:, 0], lonlat[:, 1]))
    inner = frame.region.buffer(-0.01 * max(frame.width, frame.height))
    keep = np.isfinite(x) & np.isfinite(y)
    keep[keep] = shapely.contains_xy(inner, x[keep], y[keep])
    assert keep.sum() > 100
    gap = shapely.distance(lines, shapely.points(x[keep], y[keep]))
    assert gap.max() < 0.003 * max(frame.width, frame.height)


def test_frame_is_a_value():
    frame = make_frame("europe", extent="europe")
    assert isinstance(frame, MapFrame)
    assert isinstance(frame.region, Polygon)
    with pytest.raises(AttributeError):
        frame.bounds = (0, 0, 1, 1)


# --- the direct pipelines agree with PROJ's own operation search -------------

_STRINGS = [
    "EPSG:3035",
    "+proj=aeqd +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m +no_defs",
    "+proj=laea +lat_0=90 +lon_0={lon} +datum=WGS84 +units=m +no_defs",
    "+proj=ortho +lat_0={lat} +lon_0={lon} +ellps=WGS84 +units=m +no_defs",
    "+proj=lcc +lat_1=35 +lat_2=65 +lat_0=52 +lon_0={lon} +datum=WGS84 +units=m",
    "+proj=robin +lon_0={lon} +datum=WGS84",
    "+proj=stere +lat_0=90 +lat_ts=70 +lon_0={lon} +ellps=WGS84",
]


@settings(max_examples=40, deadline=None)
@given(
    center=st.tuples(st.floats(-180, 180), st.floats(-89.5, 89.5)),
    points=st.lists(st.tuples(st.floats(-180, 180), st.floats(-90, 90)), min_size=1, max_size=20),
    which=st.sampled_from(_STRINGS),
)
def test_direct_pipelines_give_what_from_crs_gives(center, points, which):
    """The fast transformers (no proj.db search) match ``Transformer.from_crs``
    both ways, anywhere on the globe, and refuse (inf) the same points."""
    from pyproj import Transformer
    from pyproj.enums import TransformDirection

    from rangeviz.maps.projections import _projection_step, transformer

    crs = CRS.from_user_input(which.format(lon=center[0], lat=center[1]))
    assert _projection_step(crs) is not None
    fast = transformer(crs)
    slow = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    lon, lat = np.array(points).T
    fx, fy = fast.transform(lon, lat)
    sx, sy = slow.transform(lon, lat)
    np.testing.assert_array_equal(np.isfinite(fx), np.isfinite(sx))
    ok = np.isfinite(sx) & np.isfinite(sy)
    # a micrometre, or 1e-12 of the distance from the origin (PROJ prints the
    # centre to 15 digits; points near a far pole lie 1e11 m out)
    error = np.hypot(fx[ok] - sx[ok], fy[ok] - sy[ok])
    assert np.all(error <= 1e-6 + 1e-12 * np.hypot(sx[ok], sy[ok]))
    back = fast.transform(sx[ok], sy[ok], direction=TransformDirection.INVERSE)
    again = slow.transform(sx[ok], sy[ok], direction=TransformDirection.INVERSE)
    # the same place (a pole's longitude is any), to a micrometre
    _, _, apart = Geod(ellps="WGS84").inv(*back, *again)
    assert np.nanmax(np.abs(apart), initial=0.0) < 1e-6


@pytest.mark.parametrize(
    "given",
    [
        "EPSG:3857",
        "+proj=laea +lat_0=52 +lon_0=10 +ellps=GRS80 +towgs84=1,2,3,0,0,0,0",
        "+proj=merc +datum=WGS84 +units=km",
        "+proj=aeqd +lat_0=52 +lon_0=10 +ellps=clrk66",
        "+proj=tmerc +lon_0=9 +datum=WGS84 +axis=neu",
    ],
)
def test_other_crss_go_through_the_operation_search(given):
    """Datum shifts, other ellipsoids, other units and axis orders are left to PROJ."""
    from rangeviz.maps.projections import _projection_step

    assert _projection_step(CRS.from_user_input(given)) is None


@settings(max_examples=60, deadline=None)
@given(
    radii=st.lists(st.floats(1.0, 1e7), min_size=3, max_size=300),
    n=st.integers(2, 800),
)
def test_boundary_samples_are_where_geos_interpolates_them(radii, n):
    """The one-pass sampling lands where ``shapely.line_interpolate_point`` does."""
    from shapely.geometry import LineString

    from rangeviz.maps.frame import sample_boundary

    angle = np.linspace(0.0, 2 * np.pi, len(radii), endpoint=False)
    poly = Polygon(np.column_stack((radii * np.cos(angle), radii * np.sin(angle))))
    ring = LineString(poly.exterior.coords)
    expected = shapely.get_coordinates(
        shapely.line_interpolate_point(ring, np.linspace(0.0, ring.length, n))
    )
    got = sample_boundary(poly, n)
    assert got.shape == (n + len(poly.exterior.coords), 2)
    np.testing.assert_allclose(got[:n], expected, rtol=0, atol=1e-6 * max(radii))
    np.testing.assert_array_equal(got[n:], np.asarray(poly.exterior.coords))
