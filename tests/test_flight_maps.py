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
from pyproj import Geod

from rangeviz import flight, plot_bands
from rangeviz.errors import InputError, RangevizWarning
from rangeviz.model import MapOptions
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
