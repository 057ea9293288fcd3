"""A bare pair typed longitude first is caught where it can be told.

The rule (:func:`rangeviz.sites.coordinates.implausible_order`) is checked
over every place of the bundled gazetteer that can be swapped: each place's
correct reading must not be flagged, its swapped reading should be. Each
place is left out of the index when its own reading is judged, so that it
stands for a real site at that spot, not for a name in the list; distances
are measured here from scratch (a sphere to find candidates, pyproj's
ellipsoid to measure them).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import shapely
from pyproj import Geod

from rangeviz import geodata
from rangeviz.cli import main
from rangeviz.sites import SwappedCoordinatesWarning, resolve_site
from rangeviz.sites.coordinates import COAST_DEG, Reading, implausible_order, read_point
from rangeviz.sites.gazetteer import gazetteer

GEOD = Geod(ellps="WGS84")


def test_the_brief_example_is_caught_with_the_swapped_coordinates():
    with pytest.warns(SwappedCoordinatesWarning) as caught:
        site = resolve_site("20.51,54.71")  # Kaliningrad, longitude first
    assert (site.lon, site.lat) == (54.71, 20.51)  # read as given
    (w,) = [w.message for w in caught if isinstance(w.message, SwappedCoordinatesWarning)]
    assert w.swapped == (20.51, 54.71) and w.given == (54.71, 20.51)
    text = str(w)
    assert "Saudi Arabia" in text and "Kaliningrad (Russia)" in text and "'54.71,20.51'" in text


@pytest.mark.parametrize(
    "text", ["54.71,20.51", "54.71N 20.51E", "20.51E 54.71N", "Base=54.71,20.51", "52.52,13.40"]
)
def test_a_plausible_or_lettered_pair_says_nothing(text):
    with warnings.catch_warnings():
        warnings.simplefilter("error", SwappedCoordinatesWarning)
        resolve_site(text)


def test_the_command_line_says_so_on_stderr(capsys, tmp_path):
    code = main(["export", "--site", "13.40,52.52", "-o", str(tmp_path / "b.geojson")])
    err = capsys.readouterr().err
    assert code == 0
    assert "rangeviz: note: coordinates '13.40,52.52' read as 13.40°N 52.52°E" in err
    assert "at sea" in err and "Berlin (Germany)" in err


# --------------------------------------------------------------------------
# the rule over the gazetteer


def _sphere_candidates(lon, lat, plon, plat, k=5):
    p1, p2 = np.radians(lat)[:, None], np.radians(plat)[None, :]
    dl = np.radians(plon[None, :] - lon[:, None])
    h = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return h


def _nearest_km(lon, lat, plon, plat, skip=None):
    """Ellipsoidal distance from each point to its nearest place (``skip[i]`` left out)."""
    out = np.empty(len(lon))
    for s in range(0, len(lon), 400):
        h = _sphere_candidates(lon[s : s + 400], lat[s : s + 400], plon, plat)
        if skip is not None:
            h[np.arange(h.shape[0]), skip[s : s + 400]] = np.inf
        cand = np.argsort(h, axis=1)[:, :5]
        n = cand.shape[0]
        _, _, d = GEOD.inv(
            np.repeat(lon[s : s + 400], 5),
            np.repeat(lat[s : s + 400], 5),
            plon[cand].ravel(),
            plat[cand].ravel(),
        )
        out[s : s + 400] = np.asarray(d).reshape(n, 5).min(axis=1) / 1000.0
    return out


@pytest.fixture(scope="module")
def readings():
    places = [p for p in gazetteer().places if p.lon is not None and p.lat is not None]
    plon = np.array([p.lon for p in places])
    plat = np.array([p.lat for p in places])
    layer = geodata.read_layer("countries", "50m")
    tree = shapely.STRtree(np.asarray(layer.geometry.values, dtype=object))

    def on_land(lon, lat):
        hit, _ = tree.query(shapely.points(lon, lat), predicate="dwithin", distance=COAST_DEG)
        out = np.zeros(len(lon), dtype=bool)
        out[hit] = True
        return out

    swappable = np.flatnonzero((np.abs(plon) <= 90) & (np.abs(plon - plat) >= 0.5))
    lon, lat = plon[swappable], plat[swappable]
    right = (_nearest_km(lon, lat, plon, plat, skip=swappable), on_land(lon, lat))
    wrong = (_nearest_km(lat, lon, plon, plat), on_land(lat, lon))
    return lon, lat, right, wrong


def _judge(lon, lat, given, swapped, swap):
    flags = []
    for i in range(len(lon)):
        g = Reading(lon[i], lat[i], given[0][i], "", bool(given[1][i]))
        s = Reading(lat[i], lon[i], swapped[0][i], "", bool(swapped[1][i]))
        flags.append(implausible_order(g, s) if not swap else implausible_order(s, g))
    return np.array(flags)


@pytest.mark.slow
def test_the_rule_over_every_swappable_place(readings):
    lon, lat, right, wrong = readings
    assert len(lon) > 4000
    # typed correctly: the reading is the place; the other reading is the swap
    false_alarms = _judge(lon, lat, right, wrong, swap=False)
    # typed longitude first: the reading is the swap; the other reading is the place
    caught = _judge(lon, lat, right, wrong, swap=True)
    at_sea = ~wrong[1]
    # measured (5,049 places): 4 false alarms (0.08 %), 52 % caught: 96 % of the swaps
    # that land at sea, 13 % of those that land on land
    assert false_alarms.mean() < 0.002, false_alarms.sum()
    assert caught.mean() > 0.5
    assert caught[at_sea].mean() > 0.9
    # where the swap lands on land near places, nothing can be told: little is flagged
    assert caught[~at_sea].mean() < caught[at_sea].mean()


def test_read_point_measures_what_the_test_measures(readings):
    places = [p for p in gazetteer().places if p.lon is not None and p.lat is not None]
    plon = np.array([p.lon for p in places])
    plat = np.array([p.lat for p in places])
    rng = np.random.default_rng(15)
    lon, lat = rng.uniform(-90, 90, 40), rng.uniform(-60, 75, 40)
    truth = _nearest_km(lon, lat, plon, plat)
    for x, y, d in zip(lon, lat, truth, strict=True):
        assert read_point(x, y).near_km == pytest.approx(d, abs=1e-6)
