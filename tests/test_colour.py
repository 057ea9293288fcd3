"""Colours that stay apart for every reader: simulated colour-vision deficiencies.

The simulation is Machado, Oliveira and Fernandes (2009), "A physiologically-
based model for simulation of color vision deficiency", IEEE TVCG 15(6), at
severity 1.0 (their published matrices, applied to linear sRGB); colour
differences are CIELAB (D65) distances, lightness is L*. The map's areas are
told apart by lightness steps first -- hue is the first thing a deficiency
takes away -- and the band colours (Okabe and Ito's) by their distance.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from matplotlib.colors import to_rgb

from rangeviz.model import PALETTE
from rangeviz.plot import style

VISION = {
    "normal": np.eye(3),
    "protanopia": np.array(
        [
            [0.152286, 1.052583, -0.204868],
            [0.114503, 0.786281, 0.099216],
            [-0.003882, -0.048116, 1.051998],
        ]
    ),
    "deuteranopia": np.array(
        [
            [0.367322, 0.860646, -0.227968],
            [0.280085, 0.672501, 0.047413],
            [-0.011820, 0.042940, 0.968881],
        ]
    ),
    "tritanopia": np.array(
        [
            [1.255528, -0.076749, -0.178779],
            [-0.078411, 0.930809, 0.147602],
            [0.004733, 0.691367, 0.303900],
        ]
    ),
}
# sRGB (D65) to XYZ, IEC 61966-2-1
SRGB_TO_XYZ = np.array(
    [
        [0.4124564, 0.3575761, 0.1804375],
        [0.2126729, 0.7151522, 0.0721750],
        [0.0193339, 0.1191920, 0.9503041],
    ]
)
WHITE = np.array([0.95047, 1.0, 1.08883])


def linear(rgb):
    c = np.asarray(rgb, dtype=float)
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def lab_as_seen(rgb, vision):
    """CIELAB of an sRGB colour as a reader with ``vision`` sees it."""
    xyz = SRGB_TO_XYZ @ np.clip(VISION[vision] @ linear(rgb), 0.0, 1.0)
    t = xyz / WHITE
    f = np.where(t > (6 / 29) ** 3, np.cbrt(t), t / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def over(top, alpha, bottom):
    """A translucent fill composited over an opaque colour."""
    return alpha * np.asarray(to_rgb(top)) + (1 - alpha) * np.asarray(to_rgb(bottom))


def test_the_simulation_is_the_published_one():
    # grey stays grey under every deficiency (each matrix row sums to 1)
    for vision, m in VISION.items():
        np.testing.assert_allclose(m.sum(axis=1), 1.0, atol=2e-6, err_msg=vision)
    # and red and green, far apart for most readers, meet for a deuteranope
    red, green = lab_as_seen(to_rgb("#d62728"), "normal"), lab_as_seen(to_rgb("#2ca02c"), "normal")
    assert np.linalg.norm(red - green) > 80
    red, green = (lab_as_seen(to_rgb(c), "deuteranopia") for c in ("#d62728", "#2ca02c"))
    assert np.linalg.norm(red - green) < 25


def areas(band_colour):
    """What touches what on a map: each area, alone and under the band's light fill."""
    a = style.fill_alpha(band_colour)
    return {
        "land": to_rgb(style.LAND),
        "land in band": over(band_colour, a, style.LAND),
        "sea": to_rgb(style.SEA),
        "sea in band": over(band_colour, a, style.SEA),
        "country partly in range": to_rgb(style.PARTLY),
        "country partly in range, in band": over(band_colour, a, style.PARTLY),
        "country in range, in band": over(band_colour, a, style.WHOLLY),
    }


# neighbours on a map, and the lightness step (L*) between them every reader must see
NEIGHBOURS = [
    ("land", "land in band", 5.0),
    ("sea", "sea in band", 5.0),
    ("country partly in range", "country partly in range, in band", 4.5),
    ("country partly in range, in band", "country in range, in band", 5.0),
    ("land", "country partly in range", 5.0),
    ("land", "sea", 3.0),  # and the coastline between them
]


@pytest.mark.parametrize("vision", VISION)
@pytest.mark.parametrize("band_colour", [*PALETTE[:6], style.NEUTRAL_FILL])
def test_areas_differ_in_lightness_for_every_reader(vision, band_colour):
    seen = {name: lab_as_seen(rgb, vision) for name, rgb in areas(band_colour).items()}
    for a, b, step in NEIGHBOURS:
        dl = abs(seen[a][0] - seen[b][0])
        assert dl >= step, f"{a} and {b}: L* {dl:.1f} apart ({vision}, fill {band_colour})"
    # countries partly and wholly in range keep their order of lightness: darker is more
    assert (
        seen["country in range, in band"][0]
        < seen["country partly in range, in band"][0]
        < seen["land in band"][0]
    )


@pytest.mark.parametrize("vision", VISION)
def test_band_colours_stay_apart(vision):
    seen = [lab_as_seen(to_rgb(c), vision) for c in PALETTE]
    for (i, a), (j, b) in itertools.combinations(enumerate(seen), 2):
        assert np.linalg.norm(a - b) >= 15.0, f"{PALETTE[i]} and {PALETTE[j]} ({vision})"


@pytest.mark.parametrize("vision", VISION)
def test_capital_statuses_stay_apart_and_stand_out(vision):
    seen = [lab_as_seen(to_rgb(c), vision) for c in style.STATUS_COLOURS]
    for a, b in itertools.combinations(seen, 2):
        assert np.linalg.norm(a - b) >= 30.0
    # every dot is darker than any ground it can sit on, by a wide step
    grounds = [lab_as_seen(rgb, vision)[0] for rgb in areas(PALETTE[0]).values()]
    assert max(s[0] for s in seen) + 10.0 <= min(grounds)
