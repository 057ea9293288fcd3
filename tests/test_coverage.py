"""Coverage analysis against the truth: pyproj.Geod(ellps="WGS84") and closed forms.

Distances are checked against Geod.inv at the same coordinates and against
published figures; statuses against distances computed here; areas against
the closed-form ellipsoidal zone area, dense Geod.fwd rings and an equal-area
projection. A few checks also tie outputs together (several sites against
one, country distances against shares), on top of those truths.
"""

from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Geod, Transformer
from shapely.geometry import Polygon, box

from rangeviz import coverage as cov
from rangeviz.coverage import (
    EARTH_AREA_KM2,
    STATUSES,
    band_area_km2,
    country_coverage,
    coverage,
    geodesic_area_km2,
)
from rangeviz.errors import InputError
from rangeviz.geodata import read_layer
from rangeviz.geodesic import band, disc, sphere_km
from rangeviz.report import format_report

GEOD = Geod(ellps="WGS84")
KALININGRAD = (20.51, 54.71)
MOSCOW = (37.62, 55.75)
LISBON_SITE = (-9.14, 38.72)
PETROPAVLOVSK = (158.65, 53.02)

# place (as Natural Earth spells it), published distance from Kaliningrad (km), status
PUBLISHED = [
    ("Berlin", 529.6, "in band"),
    ("Lisbon", 2844.5, "in band"),
    ("Warsaw", 278.0, "too close"),
    ("Vilnius", 307.5, "too close"),
    ("Riga", 336.2, "too close"),
    ("Minsk", 467.5, "too close"),
    ("Washington, D.C.", 7026.6, "out of range"),
    ("Ottawa", 6411.2, "out of range"),
]


def true_km(lon1, lat1, lon2, lat2):
    """Geod.inv in km, broadcasting."""
    arrays = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (lon1, lat1, lon2, lat2)))
    _, _, m = GEOD.inv(*(np.ascontiguousarray(a).ravel() for a in arrays))
    return (np.asarray(m) / 1000.0).reshape(arrays[0].shape)


def ellipsoid_area_km2():
    a, f = GEOD.a, GEOD.f
    b, e = a * (1 - f), math.sqrt(f * (2 - f))
    return (2 * math.pi * a**2 + math.pi * b**2 / e * math.log((1 + e) / (1 - e))) / 1e6


def polar_cap_km2(lat_deg):
    """Closed form: area of the ellipsoid north of latitude ``lat_deg`` (km²)."""
    a, f = GEOD.a, GEOD.f
    b, e = a * (1 - f), math.sqrt(f * (2 - f))

    def zone(phi):  # equator to phi, all longitudes
        s = math.sin(phi)
        return (
            math.pi * b**2 * (s / (1 - e**2 * s**2) + math.log((1 + e * s) / (1 - e * s)) / (2 * e))
        )

    return (zone(math.pi / 2) - zone(math.radians(lat_deg))) / 1e6


def ring_disc(lon, lat, r_km, n=20000):
    """(area, perimeter) in km², km of a dense Geod.fwd ring.

    The ring runs counter-clockwise, so the disc is on its left.
    """
    az = np.linspace(360.0, 0.0, n + 1)[:-1]
    x, y, _ = GEOD.fwd(np.full(n, lon), np.full(n, lat), az, np.full(n, r_km * 1000.0))
    raw, perimeter = GEOD.polygon_area_perimeter(x, y)
    raw /= 1e6
    return (raw if raw > 0 else raw + ellipsoid_area_km2()), perimeter / 1000.0


def ring_disc_km2(lon, lat, r_km):
    return ring_disc(lon, lat, r_km)[0]


# band() keeps its edges within 0.1 km of the true rings (chords cut inside
# a circle), so an area may be short by up to tolerance x perimeter
TOLERANCE_KM = 0.1


_CEA = Transformer.from_crs("EPSG:4326", "+proj=cea +ellps=WGS84", always_xy=True)


def cea_area_km2(geom):
    """Equal-area projection of the polygon, densified in lon/lat first."""
    dense = shapely.segmentize(geom, 0.05)
    return shapely.transform(dense, lambda xy: np.column_stack(_CEA.transform(*xy.T))).area / 1e6


@dataclass(frozen=True)
class FakeBand:
    label: str
    inner_km: float
    outer_km: float


@dataclass(frozen=True)
class FakeSite:
    name: str
    lon: float
    lat: float


@pytest.fixture(scope="module")
def kaliningrad_capitals():
    return coverage([FakeSite("Kaliningrad", *KALININGRAD)]).set_index("place")


@pytest.fixture(scope="module")
def kaliningrad_countries():
    return country_coverage([KALININGRAD]).set_index("iso_a3")


# --------------------------------------------------------------------------
# places


@pytest.mark.parametrize(("place", "published_km", "status"), PUBLISHED)
def test_published_distances_from_kaliningrad(kaliningrad_capitals, place, published_km, status):
    row = kaliningrad_capitals.loc[place]
    truth = true_km(*KALININGRAD, row["lon"], row["lat"])
    assert row["distance_km"] == pytest.approx(truth, abs=1e-6)
    # Natural Earth's coordinates sit up to ~3 km from those behind the figures
    assert row["distance_km"] == pytest.approx(published_km, abs=3.0)
    assert row["status"] == status
    assert row["nearest_site"] == row["status_site"] == "Kaliningrad"


def test_every_capital_status_matches_geod(kaliningrad_capitals):
    df = kaliningrad_capitals
    # one national capital per sovereign state (no Hamilton, Bermuda; no Hargeysa)
    assert 190 <= len(df) <= 200
    assert not {"Hamilton", "Hargeysa", "Sucre", "Cape Town"} & set(df.index)
    d = true_km(*KALININGRAD, df["lon"].to_numpy(), df["lat"].to_numpy())
    expected = np.where(d < 500, "too close", np.where(d <= 5500, "in band", "out of range"))
    assert (df["status"].to_numpy() == expected).all()
    assert df["capital"].all()
    assert set(df["status"]) == set(STATUSES)


def test_rows_sorted_by_status_then_distance(kaliningrad_capitals):
    df = kaliningrad_capitals.reset_index()
    rank = df["status"].map({s: i for i, s in enumerate(STATUSES)})
    assert rank.is_monotonic_increasing
    for _, group in df.groupby("status"):
        assert group["status_km"].is_monotonic_increasing


def test_required_columns(kaliningrad_capitals):
    df = kaliningrad_capitals.reset_index()
    for col in ("place", "country", "lon", "lat", "nearest_site", "distance_km", "status"):
        assert col in df.columns
    assert df.loc[df["place"] == "Berlin", "country"].item() == "Germany"
    assert df["band"].unique().tolist() == ["500–5,500 km"]


def test_nearest_site_among_several():
    sites = [FakeSite("Kaliningrad", *KALININGRAD), FakeSite("Moscow", *MOSCOW)]
    sites.append(FakeSite("Lisbon", *LISBON_SITE))
    df = coverage(sites, inner_km=500, outer_km=2000)
    slon = np.array([s.lon for s in sites])
    slat = np.array([s.lat for s in sites])
    d = true_km(
        slon[None, :], slat[None, :], df["lon"].to_numpy()[:, None], df["lat"].to_numpy()[:, None]
    )
    names = np.array([s.name for s in sites])
    assert (df["nearest_site"].to_numpy() == names[d.argmin(axis=1)]).all()
    np.testing.assert_allclose(df["distance_km"], d.min(axis=1), atol=1e-6)
    inside = (d >= 500) & (d <= 2000)
    expected = np.where(
        inside.any(axis=1), "in band", np.where(d.min(axis=1) < 500, "too close", "out of range")
    )
    assert (df["status"].to_numpy() == expected).all()
    # the deciding site for an in-band place is the nearest one that has it in band
    in_band = df["status"].to_numpy() == "in band"
    via = np.where(inside, d, np.inf).argmin(axis=1)
    assert (df["status_site"].to_numpy()[in_band] == names[via][in_band]).all()
    np.testing.assert_allclose(
        df["status_km"].to_numpy()[in_band], d[in_band, via[in_band]], atol=1e-6
    )


def test_in_band_beats_too_close_across_sites():
    warsaw = (21.01, 52.23)  # 278 km from Kaliningrad, ~1,150 km from Moscow
    df = coverage([FakeSite("K", *KALININGRAD), FakeSite("M", *MOSCOW)], places=[warsaw])
    row = df.iloc[0]
    assert row["status"] == "in band"
    assert row["nearest_site"] == "K"
    assert row["distance_km"] == pytest.approx(true_km(*KALININGRAD, *warsaw), abs=1e-6)
    assert row["status_site"] == "M"
    assert row["status_km"] == pytest.approx(true_km(*MOSCOW, *warsaw), abs=1e-6)
    # too close to one site and out of range of the other: too close
    far = (-120.0, 40.0)
    df = coverage([FakeSite("K", *KALININGRAD), FakeSite("F", *far)], places=[warsaw])
    assert df["status"].item() == "too close"
    assert df["status_site"].item() == "K"


def test_band_edges_are_inclusive():
    lon, lat, _ = GEOD.fwd(*KALININGRAD, 77.0, 800_000.0)
    d = float(true_km(*KALININGRAD, lon, lat))
    places = pd.DataFrame({"place": ["p"], "lon": [lon], "lat": [lat]})
    status = {
        (inner, outer): coverage([KALININGRAD], inner_km=inner, outer_km=outer, places=places)[
            "status"
        ].item()
        for inner, outer in [(d, d + 100), (d - 100, d), (d + 1e-6, d + 100), (d - 100, d - 1e-6)]
    }
    assert list(status.values()) == ["in band", "in band", "too close", "out of range"]


def test_several_bands_long_format():
    bands = [FakeBand("SRBM", 0, 500), FakeBand("INF", 500, 5500), FakeBand("ICBM", 5500, 16000)]
    places = [FakeSite("Warsaw", 21.01, 52.23), FakeSite("Paris", 2.35, 48.86)]
    places.append(FakeSite("Washington", -77.04, 38.90))
    df = coverage([KALININGRAD], bands=bands, places=places)
    assert len(df) == 9
    assert df["band"].drop_duplicates().tolist() == ["SRBM", "INF", "ICBM"]
    wide = df.pivot(index="place", columns="band", values="status")
    assert wide.loc["Warsaw", "SRBM"] == "in band"
    assert wide.loc["Warsaw", "INF"] == "too close"
    assert wide.loc["Warsaw", "ICBM"] == "too close"
    assert wide.loc["Paris", "SRBM"] == "out of range"
    assert wide.loc["Paris", "INF"] == "in band"
    assert wide.loc["Paris", "ICBM"] == "too close"
    assert wide.loc["Washington", "ICBM"] == "in band"
    assert wide.loc["Washington", "INF"] == "out of range"


def test_cities_include_capitals_and_million_cities(kaliningrad_capitals):
    cities = coverage([KALININGRAD], places="cities")
    assert set(kaliningrad_capitals.index) <= set(cities["place"])
    assert {"Hamburg", "Cologne", "Milan", "St. Petersburg"} <= set(cities["place"])
    assert len(cities) > 2 * len(kaliningrad_capitals)


def test_places_as_dataframe_with_geometry_and_country():
    import geopandas as gpd

    gdf = gpd.GeoDataFrame(
        {"name": ["Gdańsk", "Kyiv"], "country": ["Poland", "Ukraine"]},
        geometry=gpd.points_from_xy([18.65, 30.52], [54.35, 50.45]),
        crs="EPSG:4326",
    )
    df = coverage([KALININGRAD], places=gdf).set_index("place")
    assert df.loc["Gdańsk", "status"] == "too close"
    assert df.loc["Kyiv", "status"] == "in band"
    assert df.loc["Kyiv", "country"] == "Ukraine"
    assert df.loc["Kyiv", "distance_km"] == pytest.approx(
        true_km(*KALININGRAD, 30.52, 50.45), abs=1e-6
    )


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (
            {"places": "villages"},
            r"places 'villages' is not known; choose one of: capitals, cities",
        ),
        ({"places": pd.DataFrame({"x": [1]})}, "'place' or 'name' column"),
        ({"places": [(0, 95)]}, r"places\[0\]: latitude 95\.0 is outside \[-90, 90\]"),
        ({"bands": [FakeBand("x", 600, 500)]}, r"bands\[0\]: inner_km 600\.0 must be smaller"),
        ({"bands": []}, "bands is empty"),
        ({"inner_km": -1}, "inner_km -1.0 must be >= 0"),
    ],
)
def test_bad_input_names_the_parameter(kwargs, match):
    with pytest.raises(InputError, match=match):
        coverage([KALININGRAD], **kwargs)


# --------------------------------------------------------------------------
# areas


def test_earth_area_matches_closed_form():
    assert pytest.approx(ellipsoid_area_km2(), rel=1e-12) == EARTH_AREA_KM2
    assert pytest.approx(510.0656e6, rel=1e-6) == EARTH_AREA_KM2
    assert geodesic_area_km2(box(-180, -90, 180, 90)) == pytest.approx(EARTH_AREA_KM2, rel=1e-9)


@pytest.mark.parametrize("lat", [0.0, 30.0, 60.0, 89.0, -45.0])
def test_polar_zone_boxes_match_closed_form(lat):
    north = box(-180, lat, 180, 90)
    # geodesic edges 0.1 degree long stray ~1 m from the parallel
    assert geodesic_area_km2(north) == pytest.approx(polar_cap_km2(lat), rel=1e-6)
    # more than half the Earth: pyproj's signed area wraps, the answer must not
    south = box(-180, -90, 180, lat)
    assert geodesic_area_km2(south) == pytest.approx(EARTH_AREA_KM2 - polar_cap_km2(lat), rel=1e-6)


def test_orientation_and_holes():
    outer = [(10, 40), (30, 40), (30, 60), (10, 60)]
    hole = [(15, 45), (15, 55), (25, 55), (25, 45)]
    ccw, cw = Polygon(outer), Polygon(outer[::-1])
    assert geodesic_area_km2(cw) == pytest.approx(geodesic_area_km2(ccw), rel=1e-12)
    truth_outer = cea_area_km2(ccw)
    truth_hole = cea_area_km2(Polygon(hole))
    for shell, holes in ((outer, [hole]), (outer[::-1], [hole[::-1]]), (outer, [hole[::-1]])):
        assert geodesic_area_km2(Polygon(shell, holes)) == pytest.approx(
            truth_outer - truth_hole, rel=1e-6
        )


@pytest.mark.parametrize("r_km", [100.0, 1000.0, 5500.0, 10001.965729])
def test_disc_around_north_pole_is_the_polar_cap(r_km):
    _, lat, _ = GEOD.fwd(0.0, 90.0, 180.0, r_km * 1000.0)
    # the ring is a parallel: straight in lon/lat, so no chord error
    area = geodesic_area_km2(disc(0.0, 90.0, radius_km=r_km))
    assert area == pytest.approx(polar_cap_km2(lat), rel=1e-6)


def test_hemisphere():
    quarter = true_km(0, 0, 0, 90)
    north = geodesic_area_km2(disc(0.0, 90.0, radius_km=quarter))
    assert north == pytest.approx(EARTH_AREA_KM2 / 2, rel=1e-6)
    assert north == pytest.approx(255.03e6, rel=1e-4)
    # around Kaliningrad the same radius gives almost, not exactly, half
    k = geodesic_area_km2(disc(*KALININGRAD, radius_km=quarter))
    truth, perimeter = ring_disc(*KALININGRAD, quarter)
    assert k == pytest.approx(truth, abs=TOLERANCE_KM * perimeter)
    assert k == pytest.approx(EARTH_AREA_KM2 / 2, rel=1e-3)


@pytest.mark.parametrize(
    ("site", "r_km"), [(KALININGRAD, 5500.0), (PETROPAVLOVSK, 3000.0), ((-70.0, -80.0), 1500.0)]
)
def test_disc_area_against_dense_ring(site, r_km):
    truth, perimeter = ring_disc(*site, r_km)
    area = geodesic_area_km2(disc(*site, radius_km=r_km))
    assert truth - TOLERANCE_KM * perimeter <= area <= truth + 1.0


def test_band_area_kaliningrad():
    outer, p_outer = ring_disc(*KALININGRAD, 5500.0)
    inner, p_inner = ring_disc(*KALININGRAD, 500.0)
    truth = outer - inner
    slack = TOLERANCE_KM * (p_outer + p_inner)
    assert band_area_km2([KALININGRAD]) == pytest.approx(truth, abs=slack)
    assert slack / truth < 5e-5
    assert truth == pytest.approx(88.51e6, rel=1e-3)


def test_band_area_of_several_sites_counts_overlap_once():
    one = band_area_km2([KALININGRAD], inner_km=0, outer_km=800)
    assert band_area_km2([KALININGRAD, KALININGRAD], inner_km=0, outer_km=800) == pytest.approx(
        one, rel=1e-9
    )
    far = (-100.0, 40.0)
    both = band_area_km2([KALININGRAD, far], inner_km=0, outer_km=800)
    k_area, k_perimeter = ring_disc(*KALININGRAD, 800.0)
    f_area, f_perimeter = ring_disc(*far, 800.0)
    slack = TOLERANCE_KM * (k_perimeter + f_perimeter)
    assert both == pytest.approx(k_area + f_area, abs=slack)
    assert both == pytest.approx(2 * one, rel=1e-3)
    # overlapping discs: less than the sum
    assert band_area_km2([KALININGRAD, MOSCOW], inner_km=0, outer_km=800) < 1.99 * one


def test_band_across_antimeridian_area():
    area = band_area_km2([PETROPAVLOVSK], inner_km=500, outer_km=3000)
    outer, p_outer = ring_disc(*PETROPAVLOVSK, 3000.0)
    inner, p_inner = ring_disc(*PETROPAVLOVSK, 500.0)
    assert area == pytest.approx(outer - inner, abs=TOLERANCE_KM * (p_outer + p_inner))
    assert shapely.bounds(band(*PETROPAVLOVSK, inner_km=500, outer_km=3000))[2] == 180.0


# --------------------------------------------------------------------------
# countries


def test_country_areas_against_equal_area_projection():
    layer = read_layer("countries", "50m").set_index("name")
    for name in ("Russia", "Fiji", "Antarctica", "Germany", "Canada"):
        geom = layer.loc[name, "geometry"]
        assert geodesic_area_km2(geom) == pytest.approx(cea_area_km2(geom), rel=1e-5), name


def test_country_table_basics(kaliningrad_countries):
    df = kaliningrad_countries
    assert len(df) > 200
    rus = df.loc["RUS"]
    # Natural Earth's generalised Russia: published 17.1 million km² with inland water
    assert rus["area_km2"] == pytest.approx(17.1e6, rel=0.02)
    assert 0.5 < rus["share_in_band"] < 0.9
    assert rus["min_km"] == 0.0  # Kaliningrad is in Russia
    assert rus["status"] == "partly in band"
    assert df.loc["FJI", "area_km2"] == pytest.approx(18_270, rel=0.03)
    # iso_a3 -99 in Natural Earth: adm0_a3 instead. Metropolitan France is 551,500 km²
    # (IGN); the overseas départements 89,000 (French Guiana 83,500 of them)
    assert df.loc["FRA", "area_km2"] == pytest.approx(551_500, rel=0.02)
    assert df.loc["FRA", "outlying_km2"] == pytest.approx(89_000, rel=0.05)
    assert ((df["share_in_band"] >= 0) & (df["share_in_band"] <= 1)).all()
    np.testing.assert_allclose(df["area_in_band_km2"], df["share_in_band"] * df["area_km2"])
    assert df["share_in_band"].is_monotonic_decreasing


def test_country_fully_in_band_and_far_away(kaliningrad_countries):
    df = kaliningrad_countries
    for iso in ("CZE", "HUN", "ITA", "GRL"):
        assert df.loc[iso, "share_in_band"] == 1.0
        assert df.loc[iso, "status"] == "fully in band"
    for iso in ("NZL", "AUS", "ARG", "ATA"):
        assert df.loc[iso, "share_in_band"] == 0.0
        assert df.loc[iso, "status"] == "not in band"
    # Lithuania lies wholly within 500 km: too close everywhere, none in band
    assert df.loc["LTU", "max_km"] < 500
    assert df.loc["LTU", "share_in_band"] == 0.0


def test_countries_are_judged_by_their_main_territory(kaliningrad_countries):
    df = kaliningrad_countries
    # all of metropolitan France and the European Netherlands lie in the band;
    # French Guiana, Réunion and the Caribbean islands are counted apart
    for iso in ("FRA", "NLD"):
        assert df.loc[iso, "status"] == "fully in band", iso
        assert df.loc[iso, "share_in_band"] == 1.0
        assert df.loc[iso, "outlying_km2"] > 0
        assert df.loc[iso, "outlying_in_band_km2"] == 0.0
    # the Canary Islands (about 5,000 km from Kaliningrad) are Spain's outlying part
    assert df.loc["ESP", "outlying_km2"] == pytest.approx(7_450, rel=0.05)
    # Kaliningrad, Corsica and Sicily belong to their main territory
    for iso in ("RUS", "ITA", "DEU", "POL", "GBR", "NOR"):
        assert df.loc[iso, "outlying_km2"] == 0.0, iso


def test_main_territory_keeps_near_islands_and_exclaves():
    from rangeviz.places import main_territory

    layer = read_layer("countries", "50m").set_index("iso_a3")
    main, outlying = main_territory(layer.loc["RUS", "geometry"])
    assert outlying is None
    assert main.covers(shapely.Point(20.51, 54.71))  # Kaliningrad
    france = read_layer("countries", "50m").set_index("adm0_a3").loc["FRA", "geometry"]
    main, outlying = main_territory(france)
    assert main.covers(shapely.Point(9.1, 42.1))  # Corsica
    assert outlying.covers(shapely.Point(-53.0, 4.0))  # French Guiana
    assert not main.intersects(shapely.box(-60, -30, 60, 20))  # nothing overseas stays


@pytest.mark.parametrize("iso", ["POL", "LTU", "DEU", "ESP", "CAN"])
def test_country_min_max_against_geod(kaliningrad_countries, iso):
    layer = read_layer("countries", "50m").set_index("iso_a3")
    geom = layer.loc[iso, "geometry"]
    if iso == "ESP":  # the Iberian part and the Balearics (the Canaries count apart)
        geom = geom.intersection(shapely.box(-20, 34, 10, 45))
    # the truth: every 0.01 degree along the outline (~1 km apart)
    xy = shapely.get_coordinates(shapely.segmentize(geom, 0.01))
    d = true_km(*KALININGRAD, xy[:, 0], xy[:, 1])
    row = kaliningrad_countries.loc[iso]
    # documented accuracy: s**2 / (8 d) for samples s <= ~11 km apart
    slack = 0.01 + 11.2**2 / (8 * max(d.min(), 11.2))
    assert d.min() - 0.01 <= row["min_km"] <= d.min() + slack
    assert d.max() - slack <= row["max_km"] <= d.max() + 0.01


def test_min_max_consistent_with_share(kaliningrad_countries):
    df = kaliningrad_countries
    clear = 2.0  # stay off the band edges by more than tolerance and sampling
    assert (df.loc[df["max_km"] < 500 - clear, "share_in_band"] == 0).all()
    assert (df.loc[df["min_km"] > 5500 + clear, "share_in_band"] == 0).all()
    inside = (df["min_km"] > 500 + clear) & (df["max_km"] < 5500 - clear)
    assert inside.sum() > 50
    assert (df.loc[inside, "share_in_band"] == 1.0).all()
    partial = (df["min_km"] < 500 - clear) & (df["max_km"] > 500 + clear)
    assert ((df.loc[partial, "share_in_band"] > 0) & (df.loc[partial, "share_in_band"] < 1)).all()


def test_several_sites_min_is_min_over_sites(kaliningrad_countries):
    both = country_coverage(
        [FakeSite("K", *KALININGRAD), FakeSite("M", *MOSCOW)], inner_km=500, outer_km=5500
    ).set_index("iso_a3")
    moscow = country_coverage([MOSCOW]).set_index("iso_a3")
    idx = kaliningrad_countries.index
    expected = np.minimum(kaliningrad_countries["min_km"], moscow.loc[idx, "min_km"])
    np.testing.assert_allclose(both.loc[idx, "min_km"], expected, atol=1e-9)
    assert both.loc["KAZ", "nearest_site"] == "M"
    assert both.loc["DEU", "nearest_site"] == "K"
    # the union covers at least what either band covers
    assert (
        both.loc[idx, "area_in_band_km2"] >= kaliningrad_countries["area_in_band_km2"] - 1e-6
    ).all()


def test_nearest_site_pruning_matches_brute_force():
    # the sphere only rules sites out; near-ties, where the sphere and the
    # ellipsoid disagree on the order, must still get the exact answer
    rng = np.random.default_rng(5)
    slon, slat = rng.uniform(10, 30, 40), rng.uniform(45, 60, 40)
    lon = np.concatenate((rng.uniform(-180, 180, 3000), rng.uniform(5, 35, 3000)))
    lat = np.concatenate(
        (np.degrees(np.arcsin(rng.uniform(-1, 1, 3000))), rng.uniform(40, 65, 3000))
    )
    d, idx = cov.nearest_km(lon, lat, slon, slat)
    truth = true_km(slon[None, :], slat[None, :], lon[:, None], lat[:, None])
    np.testing.assert_allclose(d, truth.min(axis=1), rtol=0, atol=1e-9)
    np.testing.assert_array_equal(idx, truth.argmin(axis=1))
    sphere_order = sphere_km(lon[:, None], lat[:, None], slon[None, :], slat[None, :])
    assert (sphere_order.argmin(axis=1) != idx).sum() > 10  # the case is exercised


def test_countries_across_the_antimeridian_and_the_pole():
    fiji = country_coverage([(178.44, -18.14)], inner_km=0, outer_km=1000).set_index("iso_a3")
    assert fiji.loc["FJI", "status"] == "fully in band"  # pieces on both sides of 180°
    kam = country_coverage([PETROPAVLOVSK], inner_km=0, outer_km=2000).set_index("iso_a3")
    assert 0.05 < kam.loc["RUS", "share_in_band"] < 0.5
    assert kam.loc["USA", "share_in_band"] > 0  # the Aleutians, west of 180°
    pole = country_coverage([(0.0, -90.0)], inner_km=0, outer_km=3500).set_index("iso_a3")
    assert pole.loc["ATA", "status"] == "fully in band"
    # Natural Earth closes Antarctica at 89.9989°S, ~120 m short of the pole
    assert pole.loc["ATA", "min_km"] == pytest.approx(true_km(0, -90, 0, -89.99892578), abs=1e-3)
    north_tip = shapely.bounds(
        read_layer("countries", "50m").set_index("iso_a3").loc["ATA", "geometry"]
    )[3]
    assert pole.loc["ATA", "max_km"] == pytest.approx(true_km(0, -90, 0, north_tip), abs=0.01)


def test_bad_scale():
    with pytest.raises(InputError, match=r"scale '1m' is not known; choose one of: 110m, 50m"):
        country_coverage([KALININGRAD], scale="1m")


# --------------------------------------------------------------------------
# reports


@pytest.fixture(scope="module")
def scenario():
    return SimpleNamespace(
        sites=[FakeSite("Kaliningrad", *KALININGRAD)],
        ranges=[FakeBand("INF Treaty band", 500, 5500)],
        targets=[],
    )


def _truth_counts(places):
    d = true_km(*KALININGRAD, places["lon"].to_numpy(), places["lat"].to_numpy())
    return (
        int(((d >= 500) & (d <= 5500)).sum()),
        int((d < 500).sum()),
        int((d > 5500).sum()),
    )


def test_table_report(scenario, kaliningrad_capitals):
    text = format_report(scenario)
    n_in, n_close, n_out = _truth_counts(kaliningrad_capitals)
    assert n_close == 4
    assert (
        f"In band: {n_in} capitals, Too close: {n_close} capitals, Out of range: {n_out} capitals"
    ) in text
    assert "INF Treaty band (500–5,500 km)" in text
    assert "Kaliningrad (54.71°N 20.51°E)" in text
    berlin = next(line for line in text.splitlines() if line.startswith("Berlin "))
    assert "in band" in berlin
    assert "529.4" in berlin
    assert "Total band area: 88,5" in text
    countries = text.split("Countries with area in the band")[1]
    assert "Czechia " in countries
    assert "New Zealand" not in countries  # no area in the band


def test_csv_report_parses_back(scenario, kaliningrad_capitals):
    rows = list(csv.DictReader(io.StringIO(format_report(scenario, fmt="csv"))))
    rows = [r for r in rows if r["table"] == "place"]  # then the countries
    assert len(rows) == len(kaliningrad_capitals)
    by_place = {r["place"]: r for r in rows}
    for place, _, status in PUBLISHED:
        row = by_place[place]
        assert row["status"] == status
        truth = true_km(*KALININGRAD, float(row["lon"]), float(row["lat"]))
        assert float(row["distance_km"]) == pytest.approx(truth, abs=2e-3)
        assert row["band"] == "INF Treaty band"


def test_json_report_parses_back(scenario, kaliningrad_capitals):
    doc = json.loads(format_report(scenario, fmt="json"))
    assert set(doc) == {
        "sites",
        "targets",
        "within",
        "bands",
        "places",
        "countries",
        "band_area_km2",
    }
    assert doc["sites"] == [{"name": "Kaliningrad", "lon": 20.51, "lat": 54.71}]
    (b,) = doc["bands"]
    assert (b["label"], b["inner_km"], b["outer_km"]) == ("INF Treaty band", 500.0, 5500.0)
    n_in, n_close, n_out = _truth_counts(kaliningrad_capitals)
    assert b["counts"] == {"in band": n_in, "too close": n_close, "out of range": n_out}
    truth = ring_disc_km2(*KALININGRAD, 5500.0) - ring_disc_km2(*KALININGRAD, 500.0)
    assert doc["band_area_km2"] == [pytest.approx(truth, rel=5e-5)]
    places = {p["place"]: p for p in doc["places"]}
    assert isinstance(places["Berlin"]["distance_km"], float)
    assert places["Berlin"]["capital"] is True
    assert places["Lisbon"]["distance_km"] == pytest.approx(2844.5, abs=3)
    countries = {c["iso_a3"]: c for c in doc["countries"]}
    assert countries["CZE"]["share_in_band"] == 1.0
    assert countries["NZL"]["share_in_band"] == 0.0
    assert all(c["band"] == "INF Treaty band" for c in doc["countries"])


def test_markdown_report(scenario):
    text = format_report(scenario, fmt="markdown", places=[FakeSite("A|B", 13.40, 52.52)])
    assert text.startswith("# Coverage report")
    assert "## INF Treaty band (500–5,500 km)" in text
    assert "**In band: 1 place, Too close: 0 places, Out of range: 0 places**" in text
    assert "| A\\|B | " in text
    assert "| --- | --- | --- | ---: | --- |" in text


def test_report_with_several_bands_and_sites():
    sites = [FakeSite("K", *KALININGRAD), FakeSite("M", *MOSCOW)]
    bands = [FakeBand("Short", 0, 500), FakeBand("Long", 500, 5500)]
    doc = json.loads(format_report(sites, bands=bands, fmt="json", countries=False))
    assert [b["label"] for b in doc["bands"]] == ["Short", "Long"]
    assert len(doc["band_area_km2"]) == 2
    assert doc["countries"] == []
    minsk = {p["band"]: p for p in doc["places"] if p["place"] == "Minsk"}
    assert minsk["Short"]["status"] == "in band"
    assert minsk["Long"]["status"] == "in band"  # 677 km from Moscow
    assert minsk["Long"]["status_site"] == "M"
    assert minsk["Long"]["nearest_site"] == "K"


def test_unknown_format_lists_choices(scenario):
    with pytest.raises(
        InputError,
        match=r"fmt 'xml' is not known; choose one of: csv, json, markdown, table",
    ):
        format_report(scenario, fmt="xml")


def test_scenario_without_sites_is_an_error():
    only_targets = SimpleNamespace(sites=[], ranges=[FakeBand("x", 0, 100)], targets=["Brussels"])
    with pytest.raises(InputError, match="no launch sites"):
        format_report(only_targets)
