"""Maps as drawn: artists, a plain-matplotlib twin, image baselines, output files.

Three layers, as in geopandas' and cartopy's suites:

* assertions on the artists (counts, colours, limits, legend, source line, no
  stroke along a seam or pole line -- every stroked band vertex lies on a true
  ring, checked with Geod.inv);
* ``check_figures_equal``: a simple map against the same drawn with plain
  matplotlib from pyproj-projected rings;
* a few small image baselines with the text removed (``tests/baseline``;
  regenerate with ``RANGEVIZ_REGEN_BASELINES=1``).

Most tests draw over small synthetic layers (fast, and independent of the
bundled data); the baselines and a smoke test use the real data.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from types import SimpleNamespace

import geopandas as gpd
import matplotlib.pyplot as plt
import numpy as np
import pytest
import shapely
from matplotlib.colors import to_rgba
from matplotlib.testing.compare import compare_images
from matplotlib.testing.decorators import check_figures_equal
from pyproj import Geod, Transformer
from shapely.geometry import LineString, box

from rangeviz import plot
from rangeviz.errors import InputError, OutputError, UnknownNameError
from rangeviz.geodesic import ring
from rangeviz.plot import PALETTE, BandLayer, plot_bands, plot_map, save_figure

# the small test figures cannot name every place; tests of the warning itself are below
pytestmark = pytest.mark.filterwarnings("ignore::rangeviz.errors.RangevizWarning")

GEOD = Geod(ellps="WGS84")
BASELINE = Path(__file__).parent / "baseline"
KALININGRAD = SimpleNamespace(name="Kaliningrad", lon=20.51, lat=54.71)
PETROPAVLOVSK = SimpleNamespace(name="Petropavlovsk-Kamchatsky", lon=158.65, lat=53.02)
MOSCOW = SimpleNamespace(name="Moscow", lon=37.62, lat=55.75)
SMALL = {"size": (6.4, 3.6), "dpi": 60}

CAPITALS = {
    "Berlin": (13.40, 52.52),
    "Warsaw": (21.01, 52.23),
    "Vilnius": (25.28, 54.69),
    "Riga": (24.11, 56.95),
    "Minsk": (27.57, 53.90),
    "Prague": (14.42, 50.09),
    "Vienna": (16.37, 48.21),
    "Copenhagen": (12.57, 55.68),
    "Stockholm": (18.07, 59.33),
    "Tallinn": (24.75, 59.44),
    "Helsinki": (24.94, 60.17),
    "Moscow": (37.62, 55.75),
    "Paris": (2.35, 48.86),
    "London": (-0.13, 51.51),
    "Bratislava": (17.11, 48.15),
    "Budapest": (19.04, 47.50),
}


def _fake_layers():
    land = [
        box(-10, 35, 30, 60),
        box(30, 40, 180, 75),  # ends on the seam
        box(-180, 50, -165, 72),
        box(-180, -90, 180, -65),  # seam and pole edges, as Antarctica has
    ]
    coast = [LineString([(-10, 35), (30, 35), (30, 40), (180, 40)])]
    names = [*CAPITALS, "Gdansk"]
    lon = [c[0] for c in CAPITALS.values()] + [18.65]
    lat = [c[1] for c in CAPITALS.values()] + [54.35]
    places = gpd.GeoDataFrame(
        {
            "name": names,
            "nameascii": names,
            "namealt": [""] * len(names),
            "namepar": [""] * len(names),
            "country": ["Testland"] * len(names),
            "adm0_a3": [f"C{i:02d}" for i in range(len(names))],
            "iso_a2": ["TL"] * len(names),
            "adm0cap": [1] * len(CAPITALS) + [0],
            "featurecla": ["Admin-0 capital"] * len(CAPITALS) + ["Populated place"],
            "pop_max": [1_000_000] * len(names),
            "scalerank": [*range(len(CAPITALS)), 0],
            "rank_max": [10] * len(names),
            "lon": lon,
            "lat": lat,
        },
        geometry=gpd.points_from_xy(lon, lat),
        crs=4326,
    )
    return {
        "land": gpd.GeoDataFrame(geometry=land, crs=4326),
        "lakes": gpd.GeoDataFrame(geometry=[box(30, 60, 33, 62)], crs=4326),
        "borders": gpd.GeoDataFrame(
            geometry=[LineString([(10, 45), (10, 55)]), LineString([(20, 45), (20, 58)])],
            crs=4326,
        ),
        "coastline": gpd.GeoDataFrame(geometry=coast, crs=4326),
        "places": places,
        "countries": gpd.GeoDataFrame(
            {
                "name": ["Inside", "Straddling", "Far"],
                "name_long": ["Inside", "Straddling", "Far"],
                "iso_a3": ["INS", "STR", "FAR"],
                "adm0_a3": ["INS", "STR", "FAR"],
                "type": ["Sovereign country"] * 3,
            },
            geometry=[box(5, 45, 12, 50), box(20, 45, 40, 60), box(-100, 30, -90, 40)],
            crs=4326,
        ),
    }


@pytest.fixture(scope="session")
def fake_data_dir(tmp_path_factory):
    """A data folder of small synthetic layers, at every scale (RANGEVIZ_DATA_DIR)."""
    import pyogrio

    folder = tmp_path_factory.mktemp("fake-geodata")
    for scale in ("110m", "50m", "10m"):
        for name, frame in _fake_layers().items():
            pyogrio.write_dataframe(frame, folder / f"ne_{scale}.gpkg", layer=name, append=True)
    return folder


@pytest.fixture
def fake_data(fake_data_dir, monkeypatch):
    """Small synthetic layers instead of the bundled data; records what is read."""
    from rangeviz import geodata

    monkeypatch.setenv(geodata.ENV_VAR, str(fake_data_dir))
    calls = []
    read = geodata.geometries

    def recording(name, scale="50m"):
        calls.append((name, scale))
        return read(name, scale)

    monkeypatch.setattr(geodata, "geometries", recording)
    return calls


def by_gid(ax, gid):
    """Artists with a gid on the map's Axes, or (titles, key, small print) on its page."""
    found = [a for a in ax.get_children() if a.get_gid() == gid]
    found += [t for t in ax.texts if t.get_gid() == gid and t not in found]
    fig = ax.figure
    found += [t for t in fig.texts if t.get_gid() == gid and t not in found]
    found += [lg for lg in fig.legends if lg.get_gid() == gid and lg not in found]
    return found


def legend_of(ax):
    """The key: the page's (a figure rangeviz made) or the Axes' own (the caller's)."""
    legends = [lg for lg in ax.figure.legends if lg.get_gid() == "legend"]
    return legends[0] if legends else ax.get_legend()


def legend_texts(ax):
    legend = legend_of(ax)
    return [] if legend is None else [t.get_text() for t in legend.get_texts()]


def flat(text):
    """A text artist's string with its line breaks undone."""
    return " ".join(text.get_text().split())


def frame_of(ax):
    return plot.frame_of(ax)


def true_km(site, lon, lat):
    lon = np.asarray(lon, dtype=float).ravel()
    lat = np.asarray(lat, dtype=float).ravel()
    n = lon.size
    _, _, m = GEOD.inv(np.full(n, site.lon), np.full(n, site.lat), lon, lat)
    return np.asarray(m) / 1000.0


# --------------------------------------------------------------------------
# (a) artists


def test_default_map_has_every_layer_once(fake_data):
    ax = plot_bands([KALININGRAD], **SMALL)
    for gid in ("sea", "land", "lakes", "graticule", "borders", "coastline", "frame"):
        assert len(by_gid(ax, gid)) == 1, gid
    assert len(by_gid(ax, "band-fill")) == 1
    outlines = by_gid(ax, "band-outline")
    assert len(outlines) == 2  # the 500 km and the 5,500 km ring
    assert len(by_gid(ax, "sites")) == 1
    assert [t.get_text() for t in by_gid(ax, "site-label")] == ["Kaliningrad"]
    # Europe-wide map: 1:50m layers
    assert ("land", "50m") in fake_data


def test_band_colours_fill_without_edge_and_crisp_outlines(fake_data):
    ax = plot_bands([KALININGRAD], **SMALL)
    (fill,) = by_gid(ax, "band-fill")
    assert fill.get_facecolor() == pytest.approx(
        to_rgba(PALETTE[0], plot.style.fill_alpha(PALETTE[0]))
    )
    # the fill's boundary holds seam and pole lines: it must never be stroked
    assert fill.get_linewidth() == 0 or fill.get_edgecolor()[3] == 0
    for outline in by_gid(ax, "band-outline"):
        assert outline.get_edgecolor() == pytest.approx(to_rgba(PALETTE[0]))
        assert outline.get_facecolor()[3] == 0
        assert outline.get_linewidth() >= 1.0


def test_legend_title_subtitle_and_source(fake_data):
    ax = plot_bands([KALININGRAD], **SMALL)
    assert legend_texts(ax) == ["INF Treaty band 500–5,500 km", "Launch site"]
    (title,) = by_gid(ax, "title")
    assert flat(title) == "INF Treaty band 500–5,500 km from Kaliningrad"
    # the standfirst in plain language, the technical notes in the small print
    (subtitle,) = by_gid(ax, "subtitle")
    assert flat(subtitle).startswith("The INF Treaty (1987–2019) banned")
    (source,) = by_gid(ax, "source")
    assert "WGS84" in flat(source) and "EPSG:3035" in flat(source)
    assert "Boundaries: Natural Earth. Ranges: INF Treaty" in flat(source)


def test_titles_can_be_set_or_left_out(fake_data):
    ax = plot_bands([KALININGRAD], title="Briefing", subtitle="", source="Jane's", **SMALL)
    assert [flat(t) for t in by_gid(ax, "title")] == ["Briefing"]
    assert by_gid(ax, "subtitle") == []
    (source,) = by_gid(ax, "source")
    assert "Boundaries: Natural Earth. Ranges: Jane's." in flat(source)
    ax = plot_bands([KALININGRAD], title="", legend=False, **SMALL)
    assert by_gid(ax, "title") == [] and legend_of(ax) is None


def test_radius_labels_sit_on_their_rings_inside_the_map(fake_data):
    ax = plot_bands([KALININGRAD], **SMALL)
    labels = {t.get_text(): t for t in by_gid(ax, "ring-label")}
    assert set(labels) == {"500 km", "5,500 km"}
    frame = frame_of(ax)
    outlines = {}
    for patch in by_gid(ax, "band-outline"):
        xy = patch.get_path().vertices
        lon, lat = frame.inverse.transform(xy[:, 0], xy[:, 1])
        outlines[round(float(np.median(true_km(KALININGRAD, lon, lat))))] = xy
    assert sorted(outlines) == [500, 5500]
    for text, radius in (("500 km", 500), ("5,500 km", 5500)):
        x, y = labels[text].get_position()
        assert frame.contains_xy([x], [y]).all()
        # on its ring, or (a ring too small to write on) just outside it
        px = ax.transData.transform([(x, y)])
        ring_px = ax.transData.transform(outlines[radius])
        gap = np.hypot(*(ring_px - px).T).min()
        assert gap <= (labels[text].get_fontsize() * 0.75 + 4) * ax.figure.dpi / 72


def test_limits_are_the_frame_and_the_map_fills_the_slide(fake_data):
    ax = plot_bands([KALININGRAD], extent="europe", size="slide", dpi=40)
    frame = frame_of(ax)
    assert ax.get_xlim() == pytest.approx((frame.bounds[0], frame.bounds[2]))
    assert ax.get_ylim() == pytest.approx((frame.bounds[1], frame.bounds[3]))
    assert tuple(ax.figure.get_size_inches()) == pytest.approx((13.333, 7.5))
    assert frame.is_rectangular
    # a preset extent on a slide: the map spans the width; the key sits above it
    fig_w = ax.figure.get_size_inches()[0]
    assert ax.get_position().width * fig_w > 12.5
    legend_box = legend_of(ax).get_window_extent()
    assert legend_box.y0 >= ax.get_window_extent().y1


def test_two_systems_get_palette_colours_and_one_legend_entry_each(fake_data):
    systems = [
        SimpleNamespace(name="Iskander-M", min_km=0, max_km=500, sources=("CSIS",)),
        SimpleNamespace(name="9M729", min_km=500, max_km=2500, sources=["US DoS 2019"]),
    ]
    ax = plot_bands([KALININGRAD], systems=systems, **SMALL)
    # nested bands: one light fill under them all, each band an outline in its colour
    (fill,) = by_gid(ax, "band-fill")
    assert fill.get_facecolor() == pytest.approx(
        to_rgba(plot.style.NEUTRAL_FILL, plot.style.fill_alpha(plot.style.NEUTRAL_FILL))
    )
    outlines = by_gid(ax, "band-outline")
    colours = {tuple(np.round(o.get_edgecolor(), 3)) for o in outlines}
    assert colours == {tuple(np.round(to_rgba(c), 3)) for c in PALETTE[:2]}
    assert legend_texts(ax) == ["Iskander-M up to 500 km", "9M729 500–2,500 km", "Launch site"]
    (source,) = by_gid(ax, "source")
    assert "Boundaries: Natural Earth. Ranges: CSIS; US DoS 2019." in flat(source)
    # the shared 500 km ring is written once
    texts = [t.get_text() for t in by_gid(ax, "ring-label")]
    assert sorted(texts) == ["2,500 km", "500 km"]
    # the smaller band's outline is drawn on top
    small = next(o for o in outlines if o.get_edgecolor()[:3] == to_rgba(PALETTE[0])[:3])
    large = next(o for o in outlines if o.get_edgecolor()[:3] == to_rgba(PALETTE[1])[:3])
    assert small.get_zorder() > large.get_zorder()


def test_plot_map_layers_with_their_own_sites_and_colours(fake_data):
    layers = [
        BandLayer("North", 0, 800, sites=[(20.51, 54.71)], color="#000000"),
        BandLayer("East", 0, 1200, sites=[(37.62, 55.75)], sources="ref"),
    ]
    ax = plot_map(layers, **SMALL)
    names = sorted(t.get_text() for t in by_gid(ax, "site-label"))
    assert names == ["54.71°N 20.51°E", "55.75°N 37.62°E"]
    colours = {tuple(np.round(o.get_edgecolor()[:3], 3)) for o in by_gid(ax, "band-outline")}
    assert tuple(np.round(to_rgba("#000000")[:3], 3)) in colours
    assert tuple(np.round(to_rgba(PALETTE[0])[:3], 3)) in colours


@pytest.mark.parametrize(
    ("site", "projection", "inner", "outer"),
    [
        (KALININGRAD, "europe", 500, 5500),
        (KALININGRAD, "aeqd", 500, 5500),
        (PETROPAVLOVSK, "polar", 500, 5500),
        (MOSCOW, "polar", 0, 12000),
    ],
)
def test_every_stroked_band_vertex_lies_on_a_true_ring(fake_data, site, projection, inner, outer):
    """No stroke along the ±180 seam, a pole line or the map edge: only rings."""
    ax = plot_bands([site], inner_km=inner, outer_km=outer, projection=projection, **SMALL)
    frame = frame_of(ax)
    radii = np.array([r for r in (inner, outer) if r > 0])
    outlines = by_gid(ax, "band-outline")
    assert len(outlines) == len(radii)
    for patch in outlines:
        xy = patch.get_path().vertices
        lon, lat = frame.inverse.transform(xy[:, 0], xy[:, 1])
        d = true_km(site, lon, lat)
        stray = np.min(np.abs(d[:, None] - radii[None, :]), axis=1)
        assert stray.max() < 0.1, f"stroke {stray.max():.1f} km off the rings"


@pytest.mark.parametrize(
    ("site", "projection"), [(KALININGRAD, "europe"), (PETROPAVLOVSK, "polar")]
)
def test_no_stroked_segment_runs_along_the_seam_or_a_pole(fake_data, site, projection):
    ax = plot_bands([site], projection=projection, **SMALL)
    frame = frame_of(ax)
    for artist in ax.get_children():
        if artist.get_gid() in (None, "graticule", "frame", "sea") or not artist.get_visible():
            continue
        if not hasattr(artist, "get_path") or not hasattr(artist, "get_edgecolor"):
            continue
        if artist.get_linewidth() == 0 or to_rgba(artist.get_edgecolor())[3] == 0:
            continue
        path = artist.get_path()
        xy, codes = path.vertices, path.codes
        if len(xy) < 2:
            continue
        lon, lat = (np.asarray(v) for v in frame.inverse.transform(xy[:, 0], xy[:, 1]))
        joined = np.ones(len(xy) - 1, dtype=bool) if codes is None else codes[1:] == 2
        on_seam = np.abs(np.abs(lon) - 180.0) < 1e-6
        at_pole = np.abs(lat) > 90.0 - 1e-6
        seam_seg = joined & on_seam[:-1] & on_seam[1:] & (np.abs(np.diff(lat)) > 1e-6)
        pole_seg = joined & at_pole[:-1] & at_pole[1:]
        assert not seam_seg.any(), artist.get_gid()
        assert not pole_seg.any(), artist.get_gid()


def test_many_sites_outline_the_union_on_true_rings(fake_data):
    rng = np.random.default_rng(7)
    lon = rng.uniform(10, 40, 25)
    lat = rng.uniform(45, 60, 25)
    ax = plot_bands(list(zip(lon, lat, strict=True)), **SMALL)
    frame = frame_of(ax)
    (outline,) = by_gid(ax, "band-outline")
    xy = outline.get_path().vertices
    plon, plat = frame.inverse.transform(xy[:, 0], xy[:, 1])
    _, _, m = GEOD.inv(
        np.repeat(lon, len(xy)), np.repeat(lat, len(xy)), np.tile(plon, 25), np.tile(plat, 25)
    )
    d = np.asarray(m).reshape(25, -1) / 1000.0
    # each stroked vertex lies on some site's ring, and inside no band's interior
    on_ring = (np.abs(d - 500) < 0.1) | (np.abs(d - 5500) < 0.1)
    assert on_ring.any(axis=0).all()
    strictly_inside = (d > 500 + 0.1) & (d < 5500 - 0.1)
    assert not strictly_inside.any(axis=0).any()


def test_capital_labels_do_not_collide(fake_data):
    ax = plot_bands([KALININGRAD], labels="capitals", extent=(5, 45, 40, 62), size=(8, 4.5), dpi=72)
    placed = by_gid(ax, "capital-label")
    assert 3 <= len(placed) <= len(CAPITALS)
    renderer = ax.figure.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in placed]
    boxes += [t.get_window_extent(renderer) for t in by_gid(ax, "site-label")]
    boxes += [t.get_window_extent(renderer) for t in by_gid(ax, "ring-label")]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b)
    axes_box = ax.get_window_extent(renderer)
    for b in boxes:
        assert axes_box.contains(b.x0, b.y0) and axes_box.contains(b.x1, b.y1)
    assert "Gdansk" not in {t.get_text() for t in placed}  # not a capital
    assert "Closer than 500 km" in legend_texts(ax)
    # every placed capital is coloured by its true status (Geod.inv distances)
    geod = Geod(ellps="WGS84")
    expected = {
        "in": plot.style.IN_RANGE,
        "close": plot.style.TOO_CLOSE,
        "out": plot.style.MUTED,
    }
    seen = set()
    for t in placed:
        lon, lat = CAPITALS[t.get_text()]
        d = geod.inv(KALININGRAD.lon, KALININGRAD.lat, lon, lat)[2] / 1000
        status = "in" if 500 <= d <= 5500 else "close" if d < 500 else "out"
        assert t.get_color() == expected[status], t.get_text()
        seen.add(status)
    assert {"in", "close"} <= seen


def test_sizes_and_dpi(fake_data):
    ax = plot_bands([KALININGRAD], size="a4", dpi=30)
    assert tuple(ax.figure.get_size_inches()) == pytest.approx((11.69, 8.27))
    assert ax.figure.dpi == 30
    ax = plot_bands([KALININGRAD], size="A4-portrait", dpi=30)
    assert tuple(ax.figure.get_size_inches()) == pytest.approx((8.27, 11.69))


def test_draws_into_a_given_axes(fake_data):
    _, (left, right) = plt.subplots(1, 2, figsize=(8, 3), dpi=40)
    got = plot_bands([KALININGRAD], ax=right, projection="aeqd")
    assert got is right
    assert by_gid(right, "band-fill") and not by_gid(left, "band-fill")


def test_geodataframe_sites_and_several_sites(fake_data):
    sites = gpd.GeoDataFrame(
        {"name": ["Kaliningrad", "Moscow"]},
        geometry=gpd.points_from_xy([20.51, 37.62], [54.71, 55.75]),
        crs=4326,
    )
    ax = plot_bands(sites, **SMALL)
    assert sorted(t.get_text() for t in by_gid(ax, "site-label")) == ["Kaliningrad", "Moscow"]
    assert len(by_gid(ax, "band-fill")) == 1  # the union
    (title,) = by_gid(ax, "title")
    assert "Kaliningrad and Moscow" in flat(title)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"labels": "cities"}, UnknownNameError, "capitals"),
        ({"size": "poster"}, UnknownNameError, "slide, a4, a4-portrait"),
        ({"size": (0, 4)}, InputError, "inches"),
        ({"dpi": 5}, InputError, "dpi"),
        ({"inner_km": 6000}, InputError, "inner_km"),
        ({"systems": []}, InputError, "systems is empty"),
        ({"systems": [object()]}, InputError, "min_km"),
        ({"projection": "mercator"}, UnknownNameError, "europe, aeqd, polar"),
        ({"extent": "asia"}, UnknownNameError, "europe, wide"),
        ({"tolerance_km": 0}, InputError, "tolerance_km"),
    ],
)
def test_bad_arguments_raise_clear_errors(fake_data, kwargs, error, match):
    with pytest.raises(error, match=match):
        plot_bands([KALININGRAD], **kwargs)


def test_band_layer_checks_itself():
    with pytest.raises(InputError, match="did you swap"):
        BandLayer("x", 5500, 500)
    with pytest.raises(InputError, match="label"):
        BandLayer("", 0, 500)
    with pytest.raises(InputError, match="outer_km"):
        BandLayer("x", 0, float("inf"))
    layer = BandLayer.from_system(
        SimpleNamespace(name="Pershing II", min_km=0, max_km=1770, sources="INF MOU")
    )
    assert (
        tuple(map(str, layer.sources)) == ("INF MOU",)
        and layer.legend_label == "Pershing II up to 1,770 km"
    )


def test_highlight_shades_countries_wholly_and_partly_in_range(fake_data):
    ax = plot_bands([KALININGRAD], highlight="countries", labels="capitals", **SMALL)
    (wholly,) = by_gid(ax, "countries-wholly")
    (partly,) = by_gid(ax, "countries-partly")
    frame = frame_of(ax)
    # "Inside" (760-1,500 km away) is wholly in the band; "Straddling" holds the hole
    x, y = frame.project_points([8.0, 30.0], [47.5, 50.0])
    assert wholly.get_path().contains_point((x[0], y[0]))
    assert partly.get_path().contains_point((x[1], y[1]))
    legend = legend_texts(ax)
    assert "Country in range" in legend and "Capital in range" in legend
    # capitals within the band are marked as such, by exact distance
    colours = {t.get_text(): t.get_color() for t in by_gid(ax, "capital-label")}
    if "Berlin" in colours:
        assert colours["Berlin"] == plot.style.IN_RANGE
    if "Vilnius" in colours:  # 307 km: inside the 500 km hole
        assert colours["Vilnius"] == plot.style.TOO_CLOSE


def test_distance_rings_and_radials(fake_data):
    layers = [BandLayer("INF", 500, 5500)]
    ax = plot_map(layers, sites=[KALININGRAD], rings_km=1000, radials=8, **SMALL)
    frame = frame_of(ax)
    rings = by_gid(ax, "distance-ring")
    assert len(rings) == 5  # 1,000 ... 5,000 km; 5,500 is the band edge
    for patch, radius in zip(rings, (1000, 2000, 3000, 4000, 5000), strict=True):
        xy = patch.get_path().vertices
        lon, lat = frame.inverse.transform(xy[:, 0], xy[:, 1])
        assert np.abs(true_km(KALININGRAD, lon, lat) - radius).max() < 1.0
    (radials,) = by_gid(ax, "radials")
    xy = radials.get_path().vertices
    lon, lat = frame.inverse.transform(xy[:, 0], xy[:, 1])
    az, _, _ = GEOD.inv(
        np.full(len(xy), KALININGRAD.lon), np.full(len(xy), KALININGRAD.lat), lon, lat
    )
    d = true_km(KALININGRAD, lon, lat)
    az = np.asarray(az)[d > 1]
    # every vertex lies on one of the 8 geodesics (azimuths 0, 45, ... at the site)
    off = np.radians(np.abs(((az + 22.5) % 45.0) - 22.5))
    assert (np.sin(off) * d[d > 1]).max() < 1.0  # km
    with pytest.raises(InputError, match="rings_km"):
        plot_map(layers, sites=[KALININGRAD], rings_km=5)
    with pytest.raises(InputError, match="radials"):
        plot_map(layers, sites=[KALININGRAD], radials=0)


def test_targets_are_marked_apart_from_launch_sites(fake_data):
    berlin = SimpleNamespace(name="Berlin", lon=13.40, lat=52.52)
    layers = [
        BandLayer("INF", 500, 5500),
        BandLayer("Launch area", 500, 5500, sites=[berlin], linestyle="dashed"),
    ]
    ax = plot_map(layers, sites=[KALININGRAD], targets=[berlin], **SMALL)
    assert [t.get_text() for t in by_gid(ax, "target-label")] == ["Berlin"]
    assert [t.get_text() for t in by_gid(ax, "site-label")] == ["Kaliningrad"]
    assert legend_texts(ax)[-2:] == ["Launch site", "Target"]
    dashed = [p for p in by_gid(ax, "band-outline") if p.get_linestyle() in ("--", "dashed")]
    assert len(dashed) == 2


def _scenario(**options):
    from rangeviz import Band, Scenario

    base = {
        "sites": [KALININGRAD],
        "ranges": [Band("INF Treaty band", 500.0, 5500.0, sources=("X",))],
        "projection": "europe",
        "size": (6.4, 3.6),
        "dpi": 60,
    }
    base.update(options)
    return Scenario(**base)


def test_plot_and_save_a_scenario(fake_data, tmp_path):
    ax = _scenario().plot()
    assert [flat(t) for t in by_gid(ax, "title")] == [
        "INF Treaty band 500–5,500 km from Kaliningrad"
    ]
    assert "Ranges: X." in flat(by_gid(ax, "source")[0])
    path = _scenario(title="T").save(tmp_path / "s.svg")
    assert path == tmp_path / "s.svg" and path.read_bytes().startswith(b"<?xml")
    with pytest.raises(InputError, match="png"):
        _scenario().save(tmp_path / "s.gif")
    berlin = SimpleNamespace(name="Berlin", lon=13.40, lat=52.52)
    ax = _scenario(sites=[], targets=[berlin]).plot()
    legend = legend_texts(ax)
    assert legend[0].startswith("Launch area") and "Launch site" not in legend


def test_plot_needs_no_matplotlib_until_called():
    import subprocess
    import sys

    code = "import sys, rangeviz.plot, rangeviz.maps; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --------------------------------------------------------------------------
# (b) the same drawing in plain matplotlib


def _simple_map_matches_plain_matplotlib(fig_test, fig_ref, monkeypatch):
    from rangeviz.plot import basemap

    # no basemap layers -- patched where the drawing takes them, not in geodata, whose
    # readers' caches (country names and types) would keep the empty layer for later tests
    monkeypatch.setattr(basemap, "projected_layer", lambda *a, **k: np.array([], dtype=object))
    fig_test.set_size_inches(4, 3)
    fig_ref.set_size_inches(4, 3)
    # room below for the source line; about as wide as the band, so nothing is cropped
    rect = (0.05, 0.15, 0.6, 0.8)
    ax = fig_test.add_axes(rect)
    plot_bands(
        [KALININGRAD],
        inner_km=300,
        outer_km=1000,
        ax=ax,
        projection="aeqd",
        legend=False,
        graticule=False,
        title="",  # no titles: the Axes keeps the caller's rectangle
        subtitle="",
    )
    for text in list(ax.texts):
        text.remove()

    ref = fig_ref.add_axes(rect)
    crs = "+proj=aeqd +lat_0=54.71 +lon_0=20.51 +datum=WGS84 +units=m +no_defs"
    fwd = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    rings = []
    for radius in (1000, 300):
        xy = shapely.get_coordinates(ring(20.51, 54.71, radius_km=radius, tolerance_km=0.05))
        rings.append(np.column_stack(fwd.transform(xy[:, 0], xy[:, 1])))
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    ref.add_patch(
        plt.Rectangle((x0, y0), x1 - x0, y1 - y0, facecolor=plot.style.SEA, edgecolor="none")
    )
    from matplotlib.path import Path as MplPath

    outer, inner = rings
    verts = np.concatenate((outer, inner[::-1]))
    codes = np.full(len(verts), MplPath.LINETO)
    codes[[0, len(outer)]] = MplPath.MOVETO
    ref.add_patch(
        plt.matplotlib.patches.PathPatch(
            MplPath(verts, codes),
            facecolor=PALETTE[0],
            alpha=plot.style.fill_alpha(PALETTE[0]),
            edgecolor="none",
            lw=0,
        )
    )
    for xy in rings:
        ref.plot(xy[:, 0], xy[:, 1], color=PALETTE[0], lw=1.6, solid_capstyle="round")
    ref.plot(
        [0],
        [0],
        linestyle="none",
        marker="^",
        markersize=10 * plot.style.text_scale(fig_ref),  # sizes shrink on small figures
        markerfacecolor=plot.style.TEXT,
        markeredgecolor="white",
        markeredgewidth=1.2,
    )
    ref.add_patch(
        plt.Rectangle(
            (x0, y0), x1 - x0, y1 - y0, facecolor="none", edgecolor=plot.style.NEATLINE, lw=0.8
        )
    )
    ref.set_xlim(x0, x1)
    ref.set_ylim(y0, y1)
    ref.set_aspect("equal", adjustable="box", anchor="W")
    ref.set_axis_off()


# check_figures_equal makes its result_images/ folder in the working directory
# when it decorates; make it in the temporary directory, not in the checkout.
with contextlib.chdir(tempfile.gettempdir()):
    test_simple_map_matches_plain_matplotlib = check_figures_equal(extensions=["png"], tol=0.5)(
        _simple_map_matches_plain_matplotlib
    )


# --------------------------------------------------------------------------
# (c) image baselines (real data, small, text removed)


def _stack() -> dict[str, str]:
    """The versions an image baseline depends on (rendering, projection database, GEOS)."""
    import matplotlib
    import pyproj

    return {
        "matplotlib": matplotlib.__version__,
        "PROJ": pyproj.proj_version_str,
        "GEOS": shapely.geos_version_string,
    }


def _baseline(name, tmp_path, draw):
    import json

    recorded = BASELINE / "versions.json"
    regen = bool(os.environ.get("RANGEVIZ_REGEN_BASELINES"))
    if not regen and recorded.exists() and json.loads(recorded.read_text()) != _stack():
        # other renderers or another EPSG database draw other pixels; the artist
        # and plain-matplotlib tests above check the drawing on every stack
        pytest.skip(f"baselines were drawn with {recorded.read_text().strip()}")
    ax = draw()
    fig = ax.figure
    for text in list(ax.texts) + list(fig.texts):
        text.remove()
    if ax.get_legend() is not None:
        ax.get_legend().remove()
    actual = tmp_path / f"{name}.png"
    fig.savefig(actual, dpi=fig.dpi)
    expected = BASELINE / f"{name}.png"
    if os.environ.get("RANGEVIZ_REGEN_BASELINES") or not expected.exists():
        if not os.environ.get("RANGEVIZ_REGEN_BASELINES"):
            pytest.fail(f"no baseline {expected}; run with RANGEVIZ_REGEN_BASELINES=1")
        BASELINE.mkdir(exist_ok=True)
        expected.write_bytes(actual.read_bytes())
        recorded.write_text(json.dumps(_stack(), indent=1) + "\n")
    result = compare_images(str(expected), str(actual), tol=4.0)
    assert result is None, result


@pytest.mark.slow
def test_baseline_kaliningrad_europe(tmp_path):
    _baseline(
        "kaliningrad_europe", tmp_path, lambda: plot_bands([KALININGRAD], size=(4, 2.25), dpi=50)
    )


@pytest.mark.slow
def test_baseline_moscow_polar(tmp_path):
    _baseline(
        "moscow_polar",
        tmp_path,
        lambda: plot_bands(
            [MOSCOW], inner_km=0, outer_km=12000, projection="polar", size=(4, 2.25), dpi=50
        ),
    )


@pytest.mark.slow
def test_baseline_two_systems_zoomed(tmp_path):
    systems = [
        SimpleNamespace(name="a", min_km=0, max_km=300, sources=()),
        SimpleNamespace(name="b", min_km=300, max_km=700, sources=()),
    ]
    _baseline(
        "two_systems_baltic",
        tmp_path,
        lambda: plot_bands([KALININGRAD], systems=systems, size=(4, 2.25), dpi=50),
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    ("site", "projection", "outer", "scale"),
    [
        (KALININGRAD, "europe", 5500, "50m"),
        (PETROPAVLOVSK, "polar", 5500, "50m"),
        (MOSCOW, "polar", 12000, "110m"),
    ],
)
def test_real_layers_stay_on_the_map(site, projection, outer, scale, monkeypatch):
    """Bundled data: nothing smears in from the antipode, nothing is dropped."""
    pytest.importorskip("rangeviz.geodata")
    calls = []
    from rangeviz import geodata

    read = geodata.geometries
    monkeypatch.setattr(
        geodata, "geometries", lambda n, s="50m": calls.append((n, s)) or read(n, s)
    )
    ax = plot_bands([site], outer_km=outer, projection=projection, size=(8, 4.5), dpi=40)
    assert ("land", scale) in calls
    frame = frame_of(ax)
    x0, y0, x1, y1 = frame.bounds
    pad = 2e-3 * max(frame.width, frame.height)
    for gid in ("land", "lakes", "borders", "coastline", "band-fill", "band-outline"):
        artists = by_gid(ax, gid)
        assert artists, gid
        xy = np.concatenate([a.get_path().vertices for a in artists])
        assert len(xy), f"{gid} is empty"
        assert (xy[:, 0] >= x0 - pad).all() and (xy[:, 0] <= x1 + pad).all(), gid
        assert (xy[:, 1] >= y0 - pad).all() and (xy[:, 1] <= y1 + pad).all(), gid
    # the land under the map: well over a few thousand vertices, all on the map,
    # filling land and leaving the sea
    (land,) = by_gid(ax, "land")
    assert len(land.get_path().vertices) > 1000
    sea = {"North Atlantic": (-30.0, 45.0), "Norwegian Sea": (2.0, 70.0), "Pacific": (-150, 30)}
    ground = {"Moscow": (37.6, 55.8), "Madrid": (-3.7, 40.4), "Beijing": (116.4, 39.9)}
    for name, (lon, lat) in {**sea, **ground}.items():
        x, y = frame.project_points([lon], [lat])
        if frame.contains_xy(x, y)[0]:
            assert land.get_path().contains_point((x[0], y[0])) == (name in ground), name
    # Moscow's polar map is a disc: land stays inside it too
    if not frame.is_rectangular:
        xy = land.get_path().vertices
        inside = shapely.contains_xy(frame.region.buffer(pad), xy[:, 0], xy[:, 1])
        assert inside.all()


# --------------------------------------------------------------------------
# output files


@pytest.fixture
def small_figure():
    fig, ax = plt.subplots(figsize=(2, 1), dpi=40)
    ax.plot([0, 1], [0, 1])
    return fig


@pytest.mark.parametrize(
    ("ext", "magic"), [(".png", b"\x89PNG"), (".svg", b"<?xml"), (".pdf", b"%PDF")]
)
def test_save_figure_writes_each_format(tmp_path, small_figure, ext, magic):
    path = tmp_path / f"map{ext}"
    assert save_figure(small_figure, path) == path
    assert path.read_bytes().startswith(magic)
    assert os.listdir(tmp_path) == [path.name]  # no temporary file left


def test_save_figure_accepts_an_axes_and_a_dpi(tmp_path, small_figure):
    path = tmp_path / "map.PNG"
    save_figure(small_figure.axes[0], path, dpi=80)
    import matplotlib.image as mpimg

    assert mpimg.imread(path).shape[:2] == (80, 160)


def test_save_figure_rejects_unknown_extensions(tmp_path, small_figure):
    with pytest.raises(InputError, match=r"\.pdf, \.png, \.svg") as err:
        save_figure(small_figure, tmp_path / "map.jpg")
    assert "map.jpg" in str(err.value)
    assert not os.listdir(tmp_path)


def test_save_figure_names_a_missing_directory(tmp_path, small_figure):
    target = tmp_path / "nowhere" / "map.png"
    with pytest.raises(OutputError, match="nowhere"):
        save_figure(small_figure, target)


def test_save_figure_never_destroys_the_previous_file(tmp_path, small_figure, monkeypatch):
    path = tmp_path / "map.png"
    path.write_bytes(b"the old map")

    def broken(target, **kwargs):
        target.write(b"half a ma")  # a write that dies midway
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(small_figure, "savefig", broken)
    with pytest.raises(OutputError, match="No space left"):
        save_figure(small_figure, path)
    assert path.read_bytes() == b"the old map"
    assert os.listdir(tmp_path) == ["map.png"]

    def crash(target, **kwargs):
        target.write(b"half")
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(small_figure, "savefig", crash)
    with pytest.raises(RuntimeError):
        save_figure(small_figure, path)
    assert path.read_bytes() == b"the old map"
    assert os.listdir(tmp_path) == ["map.png"]


def test_save_figure_unwritable_directory(small_figure):
    # /proc refuses new files even to root, so this runs in CI too
    with pytest.raises(OutputError, match="/proc"):
        save_figure(small_figure, "/proc/map.png")


def test_range_note_is_written_under_the_map(fake_data):
    layer = BandLayer("9M729", 0, 2350, note="Russia (Jan 2019): 480 km")
    ax = plot_map([layer], sites=[KALININGRAD], dpi=40)
    texts = " ".join(t.get_text() for t in by_gid(ax, "source"))
    assert "Russia (Jan 2019): 480 km" in texts.replace("\n", " ")
    assert "Boundaries: Natural Earth" in texts


def test_titles_stay_on_the_page_on_the_callers_axes(fake_data):
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(8, 3.5), dpi=60)
    plot_bands([KALININGRAD], ax=axes[0], title="A rather long title for a small panel")
    plot_bands([KALININGRAD], ax=axes[1], outer_km=2000, title="Second panel")
    renderer = fig.canvas.get_renderer()
    for ax in axes:
        assert ax.get_legend() is not None
        leg = ax.get_legend().get_window_extent(renderer)
        box = ax.get_window_extent(renderer)
        assert leg.x1 <= box.x1 + 1  # the legend stays inside its own panel
        for t in ax.texts:
            if t.get_gid() in ("title", "subtitle"):
                ext = t.get_window_extent(renderer)
                assert ext.y1 <= fig.bbox.height + 1
    sources = [t for ax in axes for t in ax.texts if t.get_gid() == "source"]
    boxes = [t.get_window_extent(renderer) for t in sources]
    assert len(boxes) == 2
    assert not boxes[0].overlaps(boxes[1])


def test_sites_may_be_place_names():
    ax = plot_bands(["Kaliningrad", "54.7N 37.6E"], dpi=30)
    names = [t.get_text() for t in ax.texts if t.get_gid() == "site-label"]
    assert names == ["Kaliningrad", "54.70°N 37.60°E"]


def test_many_sites_are_labelled_only_where_names_fit(fake_data):
    rng = np.random.default_rng(3)
    sites = [
        SimpleNamespace(name=f"S{i}", lon=lo, lat=la)
        for i, (lo, la) in enumerate(
            zip(rng.uniform(-5, 40, 40), rng.uniform(38, 62, 40), strict=True)
        )
    ]
    ax = plot_bands(sites, dpi=80)
    # more sites than a map can name: numbers on the map, the names in a key
    labels = [t for t in ax.texts if t.get_gid() == "site-label"]
    assert {t.get_text() for t in labels} <= {str(n) for n in range(1, 41)}
    assert len(labels) >= 0.8 * len(sites)
    renderer = ax.figure.canvas.get_renderer()
    from matplotlib.text import Text

    boxes = [Text.get_window_extent(t, renderer) for t in labels]  # not their leader lines
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b)
    (source,) = by_gid(ax, "source")
    assert "Sites: 1 S0; 2 S1;" in flat(source)


def test_three_bands_leave_their_figures_to_the_key():
    """With three or more systems the standfirst does not repeat what the key says."""
    import warnings

    import matplotlib.pyplot as plt

    from rangeviz import plot_bands
    from rangeviz.errors import RangevizWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RangevizWarning)
        ax = plot_bands(["Kaliningrad"], systems=["9M729", "SS-20", "Oreshnik"], dpi=60)
    fig = ax.figure
    (subtitle,) = [t.get_text() for t in fig.texts if t.get_gid() == "subtitle"]
    assert subtitle.startswith("Published ranges of 3 systems; the key gives each one's source.")
    legend = fig.legends[0] if fig.legends else ax.get_legend()
    key = " ".join(t.get_text() for t in legend.get_texts())
    for who in ("US State Dept", "US DoD", "Belarusian authorities"):
        assert who in key and who not in subtitle.replace("\n", " ")
    plt.close(fig)


def test_an_edge_two_bands_share_is_labelled_once_in_the_text_colour(fake_data):
    systems = [
        SimpleNamespace(name="A", min_km=0, max_km=500, sources=()),
        SimpleNamespace(name="B", min_km=0, max_km=2500, sources=()),
        SimpleNamespace(name="C", min_km=0, max_km=2500, sources=()),
    ]
    ax = plot_bands([KALININGRAD], systems=systems, **SMALL)
    colours = {t.get_text(): to_rgba(t.get_color()) for t in by_gid(ax, "ring-label")}
    assert sorted(colours) == ["2,500 km", "500 km"]
    shade = plot.style.darker  # labels are set a shade darker than their line
    assert colours["2,500 km"] == to_rgba(shade(plot.style.TEXT))  # B's and C's: neither's
    assert colours["500 km"] == to_rgba(shade(PALETTE[0]))  # A's alone: A's colour
