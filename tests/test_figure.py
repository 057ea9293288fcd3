"""What the figure says, read back from the figure: the SVG's text and the laid-out page.

Each case is drawn once from the bundled data, as a user would draw it. The
truth for "the places the map is about" is computed here from the national
capitals in the data and ``pyproj.Geod(ellps="WGS84").inv`` -- never from the
code that draws them. Then, on every case:

* every capital too close or in the band that lies on the map has its dot,
  and its name is on the map or in the warning (and the note) -- none is
  dropped silently;
* no two texts overlap, none leaves the page, the key covers no label;
* the same names in the same places at 100 and 300 dpi;
* the SVG keeps its text as text, the PDF embeds TrueType and has a title.
"""

from __future__ import annotations

import itertools
import re
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.text import Text
from pyproj import Geod

from rangeviz import names, plot_bands, save_figure
from rangeviz.errors import RangevizWarning
from rangeviz.geodata import read_places
from rangeviz.plot import frame_of

GEOD = Geod(ellps="WGS84")

MANY = [
    "Kaliningrad",
    "Pskov",
    "Smolensk",
    "Bryansk",
    "Kursk",
    "Belgorod",
    "Voronezh",
    "Krasnodar",
    "Murmansk",
    "Saint Petersburg",
    "Minsk",
    "Brest, Belarus",
    "Hrodna",
]
# name -> (plot_bands arguments, (inner_km, outer_km) of its one band, for the truth)
CASES = {
    "kaliningrad": (
        {"sites": ["Kaliningrad"], "labels": "capitals", "highlight": "countries"},
        (500, 5500),
    ),
    "a4": ({"sites": ["Minsk"], "labels": "capitals", "size": "a4"}, (500, 5500)),
    "far": ({"sites": ["Kaliningrad"], "inner_km": 0, "outer_km": 12_000}, None),
    "polar": (
        {"sites": ["Moscow"], "labels": "capitals", "projection": "polar", "outer_km": 9000},
        (500, 9000),
    ),
    "many": ({"sites": MANY, "labels": "capitals", "inner_km": 0, "outer_km": 1500}, (0, 1500)),
    "places": (
        {
            "sites": ["Kaliningrad"],
            "places": ["Berlin", "Paris", "London, United Kingdom", "Kyiv", "Oslo"],
            "distances": True,
        },
        None,
    ),
    "systems": ({"sites": ["Kaliningrad"], "systems": ["SSC-8", "Iskander-M"]}, None),
}
LABEL_GIDS = {
    "site-label",
    "target-label",
    "place-label",
    "capital-label",
    "ring-label",
    "distance-label",
    "edge-note",
    "callout",
    "also-note",
    "off-map",
}


def draw(args, dpi=100):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ax = plot_bands(**args, dpi=dpi)
    said = [str(w.message) for w in caught if issubclass(w.category, RangevizWarning)]
    return ax, said


@pytest.fixture(scope="module")
def drawn():
    out = {}
    yield lambda name: out.setdefault(name, draw(CASES[name][0]))
    plt.close("all")


def texts_of(fig):
    """Every visible text on the page: titles, key, labels, notes, the globe's."""
    found = list(fig.texts)
    for ax in fig.axes:
        found += ax.texts
        if ax.get_legend() is not None:
            found += ax.get_legend().get_texts()
    for legend in fig.legends:
        found += legend.get_texts()
    return [t for t in found if isinstance(t, Text) and t.get_visible() and t.get_text().strip()]


def drawn_renderer(fig):
    """The figure drawn once (legends and text boxes take their places), and its renderer.

    Drawn as rangeviz writes its files: text unhinted.
    """
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from rangeviz.plot.style import UNHINTED

    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    with matplotlib.rc_context(UNHINTED):
        fig.canvas.draw()
    return fig.canvas.get_renderer()


def boxes(fig, texts):
    renderer = drawn_renderer(fig)
    out = []
    for t in texts:
        patch = t.get_bbox_patch()
        # the text (in its box, if it has one), not an annotation's leader line
        box = patch.get_window_extent(renderer) if patch else Text.get_window_extent(t, renderer)
        out.append((box.x0, box.y0, box.x1, box.y1))
    return np.array(out)


def national_capitals():
    caps = names.capitals(read_places("10m"))
    return list(caps["name"]), caps["lon"].to_numpy(float), caps["lat"].to_numpy(float)


def must_show(ax, args, radii):
    """Capitals too close or in the band that lie on the map, by Geod distances."""
    frame = frame_of(ax)
    cap_names, lon, lat = national_capitals()
    from rangeviz import resolve_site

    sites = [resolve_site(s) for s in args["sites"]]
    d = np.full(lon.size, np.inf)
    for s in sites:
        _, _, m = GEOD.inv(np.full(lon.size, s.lon), np.full(lon.size, s.lat), lon, lat)
        d = np.minimum(d, np.asarray(m) / 1000.0)
    x, y = frame.project_points(lon, lat)
    on_map = frame.contains_xy(x, y)
    # a capital that is itself a launch site (Minsk) is drawn and named as the site
    about = (d <= radii[1]) & (d > 20.0) & on_map
    return [(cap_names[i], x[i], y[i], d[i]) for i in np.flatnonzero(about)]


# --------------------------------------------------------------------------


@pytest.mark.parametrize("name", [n for n, (_, radii) in CASES.items() if radii])
def test_every_place_the_map_is_about_is_dotted_and_named_or_listed(drawn, name):
    args, radii = CASES[name]
    ax, said = drawn(name)
    about = must_show(ax, args, radii)
    assert len(about) >= 5
    words = " ".join(t.get_text().replace("\n", " ") for t in texts_of(ax.figure))
    warned = " ".join(said)
    dots = np.concatenate(
        [line.get_xydata() for line in ax.lines if line.get_gid() == "capitals"]
        or [np.zeros((0, 2))]
    )
    for place, x, y, d in about:
        gap = np.hypot(dots[:, 0] - x, dots[:, 1] - y).min() if len(dots) else np.inf
        assert gap < 1.0, f"{place} ({d:.0f} km) has no dot"
        assert place in words or place in warned, f"{place} ({d:.0f} km) is dropped silently"
        if place not in words:  # listed: in the note on the figure too, or counted there
            assert "unnamed" in words


@pytest.mark.parametrize("name", list(CASES))
def test_no_text_overlaps_another_or_leaves_the_page(drawn, name):
    ax, _ = drawn(name)
    fig = ax.figure
    texts = texts_of(fig)
    b = boxes(fig, texts)
    page = fig.bbox
    assert (b[:, 0] >= page.x0 - 1).all() and (b[:, 2] <= page.x1 + 1).all()
    assert (b[:, 1] >= page.y0 - 1).all() and (b[:, 3] <= page.y1 + 1).all()
    tol = 1.0
    for i, j in itertools.combinations(range(len(texts)), 2):
        if texts[i].axes is not None and texts[i].axes is not texts[j].axes:
            continue  # the globe's own text sits on its own Axes
        overlap = (
            min(b[i, 2], b[j, 2]) - max(b[i, 0], b[j, 0]) > tol
            and min(b[i, 3], b[j, 3]) - max(b[i, 1], b[j, 1]) > tol
        )
        assert not overlap, f"{texts[i].get_text()!r} overlaps {texts[j].get_text()!r}"


@pytest.mark.parametrize("name", list(CASES))
def test_page_text_stays_on_the_page_when_saved_with_plain_savefig(drawn, name):
    """A notebook's ``fig.savefig`` renders with matplotlib's hinting, which sets long
    lines wider than the unhinted layout measured them: titles and small print still fit,
    at the usual 100-300 dpi."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    ax, _ = drawn(name)
    fig = ax.figure
    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    dpi = fig.dpi
    hinted = {"text.hinting": matplotlib.rcParamsDefault["text.hinting"]}
    try:
        for save_dpi in (100, 150, 300):
            fig.set_dpi(save_dpi)
            with matplotlib.rc_context(hinted):
                fig.canvas.draw()
                renderer = fig.canvas.get_renderer()
                page = fig.bbox
                for t in [t for t in fig.texts if t.get_visible() and t.get_text().strip()]:
                    box = Text.get_window_extent(t, renderer)
                    assert page.x0 - 1 <= box.x0 and box.x1 <= page.x1 + 1, (
                        save_dpi,
                        t.get_text()[-40:],
                    )
    finally:
        fig.set_dpi(dpi)


@pytest.mark.parametrize("name", list(CASES))
def test_labels_stay_on_the_map_and_the_key_off_it(drawn, name):
    ax, _ = drawn(name)
    fig = ax.figure
    renderer = drawn_renderer(fig)
    frame = ax.get_window_extent(renderer)
    labels = [t for t in ax.texts if t.get_gid() in LABEL_GIDS]
    for t, (x0, y0, x1, y1) in zip(labels, boxes(fig, labels), strict=True):
        assert x0 >= frame.x0 - 1 and x1 <= frame.x1 + 1, t.get_text()
        assert y0 >= frame.y0 - 1 and y1 <= frame.y1 + 1, t.get_text()
    # a page rangeviz lays out keeps its key above the map, off the bands
    for legend in fig.legends:
        key = legend.get_window_extent(renderer)
        assert key.y0 >= frame.y1 - 1 or key.x0 >= frame.x1 - 1


def test_a_key_inside_the_callers_axes_hides_no_label_and_no_band_edge():
    fig, ax = plt.subplots(figsize=(10, 6))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RangevizWarning)
        plot_bands(["Kaliningrad"], ax=ax, labels="capitals", size=(10, 6))
    renderer = drawn_renderer(fig)
    key = ax.get_legend().get_window_extent(renderer)
    for t in ax.texts:
        if t.get_gid() in LABEL_GIDS:
            b = t.get_window_extent(renderer)
            assert not key.overlaps(b), f"the key hides {t.get_text()!r}"
    for line in ax.lines + list(ax.collections):
        if line.get_gid() != "band-outline":
            continue
        for path in line.get_paths() if hasattr(line, "get_paths") else []:
            xy = line.get_transform().transform(path.vertices)
            inside = (
                (xy[:, 0] > key.x0 + 1)
                & (xy[:, 0] < key.x1 - 1)
                & (xy[:, 1] > key.y0 + 1)
                & (xy[:, 1] < key.y1 - 1)
            )
            assert not inside.any(), "the key covers a band edge"
    plt.close(fig)


def laid_out(ax):
    """Every text and where its middle is, as a fraction of the page."""
    fig = ax.figure
    renderer = drawn_renderer(fig)
    out = {}
    for t in texts_of(fig):
        b = t.get_window_extent(renderer)
        out[(t.get_gid(), t.get_text())] = np.array(
            [(b.x0 + b.x1) / 2 / fig.bbox.width, (b.y0 + b.y1) / 2 / fig.bbox.height]
        )
    return out


@pytest.mark.parametrize("name", ["kaliningrad", "many"])
def test_the_same_labels_in_the_same_places_at_any_dpi(name):
    args = CASES[name][0]
    low, high = (laid_out(draw(args, dpi=dpi)[0]) for dpi in (100, 300))
    assert set(low) == set(high)
    # the same places, to the width of a letter's hinting
    for key, where in low.items():
        assert np.abs(where - high[key]).max() < 0.004, key


def svg_texts(path):
    return [
        re.sub(r"\s+", " ", s).strip()
        for s in re.findall(r"<text[^>]*>([^<]*)</text>", Path(path).read_text("utf-8"))
    ]


def test_svg_keeps_every_label_as_text(drawn, tmp_path):
    ax, _ = drawn("kaliningrad")
    save_figure(ax.figure, tmp_path / "map.svg")
    words = svg_texts(tmp_path / "map.svg")
    drawn_texts = [t.get_text().split("\n")[0] for t in texts_of(ax.figure)]
    for text in drawn_texts:
        assert any(w.startswith(text.strip()[:20]) for w in words), f"{text!r} is not SVG text"
    assert "Kaliningrad" in words and "Warsaw" in " ".join(words)


def pdf_info(data, key):
    """A PDF document-information string (literal, maybe UTF-16 with a BOM)."""
    m = re.search(rb"/" + key + rb" \(((?:\\.|[^\\)])*)\)", data, re.S)
    assert m, key
    raw = re.sub(rb"\\(.)", rb"\1", m.group(1))
    return raw[2:].decode("utf-16-be") if raw.startswith(b"\xfe\xff") else raw.decode("latin-1")


def test_pdf_embeds_truetype_and_says_what_it_is(drawn, tmp_path):
    ax, _ = drawn("kaliningrad")
    save_figure(ax.figure, tmp_path / "map.pdf")
    data = (tmp_path / "map.pdf").read_bytes()
    assert b"/FontFile2" in data  # TrueType, editable
    assert b"/Subtype /Type3" not in data
    assert pdf_info(data, b"Title") == "INF Treaty band 500–5,500 km from Kaliningrad"
    subject = pdf_info(data, b"Subject")
    assert "national capitals lie in the band" in subject
    keywords = pdf_info(data, b"Keywords")  # the full reference, with its address
    assert "Intermediate-Range" in keywords and "https://" in keywords


def test_a_font_of_ones_choosing(tmp_path):
    ax, _ = draw({"sites": ["Kaliningrad"], "font": "DejaVu Serif"})
    families = {t.get_fontname() for t in texts_of(ax.figure)}
    assert families == {"DejaVu Serif"}
    save_figure(ax.figure, tmp_path / "map.svg")
    assert "DejaVu Serif" in (tmp_path / "map.svg").read_text("utf-8")
    plt.close("all")


def test_highlighted_places_carry_their_true_distance_and_renames_apply():
    from rangeviz import Scenario

    berlin, kyiv = (13.40, 52.52), (30.52, 50.45)
    s = Scenario(
        ["Kaliningrad"],
        places=["Berlin", "Kyiv"],
        labels="capitals",
        distances=True,
        rename={"Kyiv": "Kiev (as in 1987)"},
        dpi=100,
    )
    with warnings.catch_warnings():  # every capital with its distance: some go in the note
        warnings.simplefilter("ignore", RangevizWarning)
        ax = s.plot()
    words = [t.get_text() for t in texts_of(ax.figure)]
    site = s.sites[0]
    for (lon, lat), shown in ((berlin, "Berlin"), (kyiv, "Kiev (as in 1987)")):
        _, _, m = GEOD.inv(site.lon, site.lat, lon, lat)
        # Natural Earth's points lie within a few km of the city halls used here
        near = [w for w in words if w.startswith(shown + " ") and w.endswith(" km")]
        assert near, f"{shown} is not labelled with its distance"
        km = float(near[0].removeprefix(shown + " ").removesuffix(" km").replace(",", ""))
        assert abs(km - m / 1000.0) < 10.0
    assert not any(w.startswith("Kyiv") for w in words)
    # a highlighted capital is named once
    assert sum(w.startswith("Berlin") for w in words) == 1
    plt.close("all")


@pytest.mark.parametrize(("size", "share"), [("slide", 0.80), ("a4", 0.79)])
def test_the_default_map_fills_the_page(size, share):
    """Issue 14: the map takes about 80 % of a slide or an A4 page (title block, key
    and small print share the rest)."""
    ax = plot_bands(["Kaliningrad"], size=size)
    fig = ax.figure
    box = ax.get_window_extent(fig.canvas.get_renderer())
    assert box.width * box.height / (fig.bbox.width * fig.bbox.height) >= share
    plt.close(fig)


def test_two_systems_headline_by_designation_and_standfirst_as_the_key_words_it():
    ax = plot_bands(["Kaliningrad"], systems=["9M729", "SS-20"])
    fig = ax.figure
    said = {t.get_gid(): " ".join(t.get_text().split()) for t in fig.texts}
    assert said["title"] == "9M729 (SSC-8) and RSD-10 Pioneer (SS-20) from Kaliningrad"
    assert "\n" not in next(t for t in fig.texts if t.get_gid() == "title").get_text()
    # a treaty class stays a class, never "up to"; the key says the same
    assert (
        "9M729 (SSC-8 Screwdriver): 500–5,500 km class (US State Dept's figure)"
        in (said["subtitle"])
    )
    assert "RSD-10 Pioneer (SS-20 Saber): up to 5,000 km (US DoD's figure)" in said["subtitle"]
    plt.close(fig)
    # a lower bound stays a lower bound
    ax = plot_bands(["Havana"], systems=["SS-4"], projection="aeqd")
    said = {t.get_gid(): " ".join(t.get_text().split()) for t in ax.figure.texts}
    assert "more than 1,852 km (White House's figure)" in said["subtitle"]
    assert "up to 1,852" not in said["subtitle"]
    plt.close(ax.figure)


def test_a_long_source_line_takes_its_lines_and_stays_on_the_page():
    """A source of many lines gets its room: legible type, between the map and the
    page's foot."""
    source = "A very long account of where every number on this map comes from. " * 12
    ax = plot_bands(["Kaliningrad"], source=source)
    fig = ax.figure
    (small,) = [t for t in fig.texts if t.get_gid() == "source"]
    box = boxes(fig, [small])[0]
    page, map_box = fig.bbox, ax.get_window_extent(drawn_renderer(fig))
    assert box[1] >= page.y0 - 1 and box[3] <= map_box.y0 + 1
    from rangeviz.plot.style import SMALL_PRINT, text_scale

    assert small.get_fontsize() >= 0.77 * SMALL_PRINT["fontsize"] * text_scale(fig)
    assert "A very long account" in small.get_text()
    plt.close(fig)
