"""Flight times on maps: isochrone rings and labels with minutes.

The physics is checked against a numerical integration in tests/test_flight.py;
here the map must draw and say what the flight module computes, at the true
geodesic distances (``Geod.inv``).
"""

from __future__ import annotations

import re
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pytest
import shapely
from pyproj import Geod

from rangeviz import flight, plot_bands
from rangeviz.errors import InputError, RangevizWarning
from rangeviz.model import MapOptions, Site
from rangeviz.plot import frame_of

GEOD = Geod(ellps="WGS84")
KRICHEV = (31.72, 53.70)


def draw(**kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RangevizWarning)
        return plot_bands([KRICHEV], outer_km=5000, inner_km=0, dpi=60, **kwargs)


def test_isochrones_lie_at_the_ranges_of_their_minutes():
    ax = draw(minutes=[5, 10, 15])
    frame = frame_of(ax)
    rings = [a for a in ax.patches + ax.collections if a.get_gid() == "isochrone"]
    assert len(rings) == 3
    radii = flight.ballistic_range_km(np.array([5.0, 10.0, 15.0]))
    for artist, radius in zip(rings, radii, strict=True):
        paths = artist.get_paths() if hasattr(artist, "get_paths") else [artist.get_path()]
        xy = np.concatenate([p.vertices for p in paths])
        lon, lat = frame.inverse.transform(xy[:, 0], xy[:, 1])
        ok = np.isfinite(lon)
        d = GEOD.inv(
            np.full(ok.sum(), KRICHEV[0]), np.full(ok.sum(), KRICHEV[1]), lon[ok], lat[ok]
        )[2]
        assert np.abs(np.asarray(d) / 1000.0 - radius).max() < 1.0
    labels = sorted(t.get_text() for t in ax.texts if t.get_gid() == "isochrone-label")
    assert labels == ["10 min", "15 min", "5 min"]
    plt.close("all")


def test_labels_carry_the_flight_time_at_the_true_distance():
    places = {"Berlin": (13.40, 52.52), "Paris": (2.35, 48.86), "Warsaw": (21.01, 52.23)}
    ax = draw(places=list(places), flight_times=True)
    texts = [t.get_text() for t in ax.texts if t.get_gid() == "place-label"]
    for name, (lon, lat) in places.items():
        (text,) = [t for t in texts if t.startswith(name + " ")]
        km, minutes = re.fullmatch(rf"{name} ([\d,]+) km · ([\d.]+) min", text).groups()
        d = GEOD.inv(KRICHEV[0], KRICHEV[1], lon, lat)[2] / 1000.0
        assert (
            abs(float(km.replace(",", "")) - d) < 15.0
        )  # Natural Earth's point, not the city hall
        assert float(minutes) == pytest.approx(flight.ballistic(d).time_min, abs=0.1)
    source = next(t.get_text() for t in ax.figure.texts if t.get_gid() == "source")
    assert "minimum-energy" in source and "boost" in source
    plt.close("all")


@pytest.mark.parametrize(
    ("minutes", "words"),
    [
        ("5", "list"),
        ([0], "above 0"),
        ([-3], "above 0"),
        ([True], r"minutes\[0\]"),
        (list(range(1, 20)), "12"),
    ],
)
def test_minutes_are_checked(minutes, words):
    with pytest.raises(InputError, match=words):
        MapOptions(minutes=minutes)


def test_minutes_beyond_the_longest_flight_are_refused_before_drawing():
    with pytest.raises(InputError, match="longest ballistic flight"):
        draw(minutes=[50])
    plt.close("all")


# --------------------------------------------------------------------------
# rotating-Earth footprints on maps (the reach itself is checked against an
# inertial integration in tests/test_flight.py)

KALININGRAD = (20.51, 54.71)


def _rotating(**kwargs):
    from rangeviz import Scenario
    from rangeviz.geometry import MapGeometry

    scenario = Scenario([Site("Kaliningrad", *KALININGRAD)], rotating_earth=True, **kwargs)
    return scenario, MapGeometry(scenario.spec)


def _around(reach, margin_km):
    """Points ``margin_km`` beyond (> 0) or short of (< 0) each reach, along its azimuth."""
    n = len(reach.range_km)
    lon, lat, _ = GEOD.fwd(
        np.full(n, KALININGRAD[0]),
        np.full(n, KALININGRAD[1]),
        reach.azimuth_deg,
        (reach.range_km + margin_km) * 1000.0,
    )
    return np.asarray(lon), np.asarray(lat)


def test_rotating_earth_statuses_follow_the_reach_in_each_direction():
    from rangeviz.geometry import STATUSES

    _, geo = _rotating()
    launch = np.arange(0.0, 360.0, 15.0)
    outer = flight.reach_km(KALININGRAD[1], launch, range_km=5500.0)
    inner = flight.reach_km(KALININGRAD[1], launch, range_km=500.0)
    for reach, margin, want in (
        (outer, -20.0, "in band"),
        (outer, 20.0, "out of range"),
        (inner, 5.0, "in band"),
        (inner, -5.0, "too close"),
    ):
        lon, lat = _around(reach, margin)
        got = [STATUSES[s] for s in geo.statuses(lon, lat)]
        assert got == [want] * len(lon), (margin, want)
        # the drawn band says the same as the statuses
        inside = shapely.contains_xy(geo.layers[0].union, lon, lat)
        assert inside.tolist() == [want == "in band"] * len(lon)


def test_rotating_earth_reaches_farther_east_than_west():
    from rangeviz import Scenario
    from rangeviz.geometry import STATUSES, MapGeometry

    # 5,650 km due east and due west: beyond the circle, inside the eastern reach only
    lon, lat, _ = GEOD.fwd([KALININGRAD[0]] * 2, [KALININGRAD[1]] * 2, [90.0, 270.0], [5.65e6] * 2)
    still = MapGeometry(Scenario([Site("Kaliningrad", *KALININGRAD)]).spec)
    _, turning = _rotating()
    assert [STATUSES[s] for s in still.statuses(lon, lat)] == ["out of range"] * 2
    assert [STATUSES[s] for s in turning.statuses(lon, lat)] == ["in band", "out of range"]
    east, west = flight.reach_by_azimuth(KALININGRAD[1], range_km=5500.0)([90.0, 270.0])
    assert east > 5650.0 and west < 5500.0


def test_rotating_earth_keeps_cruise_missiles_circles():
    from rangeviz import geodesic

    _, geo = _rotating(ranges=["9M729", "SS-20"])
    cruise, ballistic = geo.layers
    assert not cruise.rotating and ballistic.rotating
    (disc,) = cruise.per_site
    truth = geodesic.band(
        *KALININGRAD,
        inner_km=cruise.layer.inner_km,
        outer_km=cruise.layer.outer_km,
        tolerance_km=cruise.tolerance_km,
    )
    assert disc.symmetric_difference(truth).area < 1e-6
    (shape,) = ballistic.per_site
    footprint = flight.footprint(
        *KALININGRAD, range_km=ballistic.layer.outer_km, tolerance_km=ballistic.tolerance_km
    )
    assert shape.symmetric_difference(footprint).area < 1e-6


def test_rotating_earth_map_says_which_bands_turned(tmp_path):
    from rangeviz.cli import main

    out = tmp_path / "rot.svg"
    argv = ["map", "--site", "Kaliningrad", "--system", "9M729", "--system", "SS-20"]
    assert main([*argv, "--rotating-earth", "-o", str(out)]) == 0
    # the words of the SVG, whichever lines the small print wraps them onto
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", out.read_text(encoding="utf-8")))
    assert "Rotating Earth: RSD-10 Pioneer" in text
    assert "9M729 (SSC-8 Screwdriver): circles (not ballistic)" in text
    plt.close("all")


def test_rotating_earth_in_the_report(capsys):
    from rangeviz.cli import main

    lon, lat = GEOD.fwd([KALININGRAD[0]] * 2, [KALININGRAD[1]] * 2, [90.0, 270.0], [5.65e6] * 2)[:2]
    places = [f"{y:.4f},{x:.4f}" for x, y in zip(lon, lat, strict=True)]  # LAT,LON
    argv = ["report", "--site", "Kaliningrad", f"--place={places[0]}", f"--place={places[1]}"]
    assert main([*argv, "--format", "csv", "--rotating-earth"]) == 0
    rows = [r for r in capsys.readouterr().out.splitlines() if r.startswith("place,")]
    assert [("in band" in r, "out of range" in r) for r in rows] == [(True, False), (False, True)]
    assert main([*argv, "--rotating-earth"]) == 0
    assert "Rotating Earth: INF Treaty band as ballistic footprints" in capsys.readouterr().out
    assert main([*argv, "--format", "csv"]) == 0  # a still Earth: both beyond 5,500 km
    rows = [r for r in capsys.readouterr().out.splitlines() if r.startswith("place,")]
    assert all("out of range" in r for r in rows) and len(rows) == 2


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--site", "0,0", "--outer", "15000"], "antipode"),
        (["--site", "Kaliningrad", "--rotating-earth=yes"], "--rotating-earth"),
    ],
)
def test_rotating_earth_refusals_are_one_line(tmp_path, capsys, argv, words):
    from rangeviz.cli import main

    out = tmp_path / "x.png"
    code = 0
    try:
        code = main(["map", *argv, "--rotating-earth", "-o", str(out)])
    except SystemExit as exc:
        code = exc.code
    err = capsys.readouterr().err
    assert code == 2 and words in err and len(err.strip().splitlines()) == 1
    assert not out.exists()


def test_rotating_earth_in_toml_must_be_true_or_false(tmp_path):
    from rangeviz.scenario_file import load_scenario

    path = tmp_path / "bad.toml"
    path.write_text('sites = ["Kaliningrad"]\n[map]\nrotating_earth = "yes"\n', encoding="utf-8")
    with pytest.raises(InputError, match="rotating_earth 'yes' must be true or false"):
        load_scenario(path)


def test_rotating_earth_export_holds_what_the_map_draws(tmp_path):
    import geopandas as gpd

    from rangeviz.cli import main

    out = tmp_path / "turned.geojson"
    argv = ["export", "--site", "Kaliningrad", "--system", "SS-20", "--rotating-earth"]
    assert main([*argv, "-o", str(out)]) == 0
    (shape,) = gpd.read_file(out).geometry
    lon, lat, _ = GEOD.fwd([KALININGRAD[0]] * 2, [KALININGRAD[1]] * 2, [90.0, 270.0], [5.15e6] * 2)
    # 5,150 km: inside the eastern reach of a 5,000 km footprint, beyond the western one
    assert shapely.contains_xy(shape, lon, lat).tolist() == [True, False]
    plt.close("all")
