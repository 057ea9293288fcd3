"""The interactive HTML map: one offline file, true to the geodesy, tested in a real browser.

Two kinds of test. The first read the page's data back in Python (the Bokeh
document inside the file) and check it against ``pyproj.Geod`` -- never
against rangeviz: band edges on the true rings, fills covering exactly the
points in the band, hover distances equal to the exact distances. The second
open the file in headless Chromium (Debian's package, driven by Playwright)
with the network cut off, as a reader would: nothing is requested, no script
fails, the band and the labels are drawn, hovering Berlin gives its distance,
the wheel zooms, a click on the key hides a band.

Screenshots go to ``$RANGEVIZ_SCREENSHOTS`` when it is set (to look at them).
Without a browser the browser tests skip, unless ``RANGEVIZ_REQUIRE_BROWSER=1``
(``.ci/run`` sets it, after installing Chromium).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import numpy as np
import pytest
import shapely
from pyproj import CRS, Geod, Transformer

import rangeviz
from rangeviz import Scenario
from rangeviz.errors import InputError, OutputError
from rangeviz.html import render_html, to_html

GEOD = Geod(ellps="WGS84")
KALININGRAD = "Kaliningrad"


def _document(path: Path):
    """The Bokeh document a page carries, read back in Python."""
    from bokeh.document import Document

    text = path.read_text(encoding="utf-8")
    json_script = r'<script type="application/json" id="[^"]+">\s*(.*?)\s*</script>'
    found = re.search(json_script, text, re.S)
    assert found, "no Bokeh document in the page"
    docs = json.loads(found.group(1))
    return Document.from_json(next(iter(docs.values())))


def _to_lonlat(doc):
    plot = doc.select_one({"name": "rangeviz-map"})
    crs = CRS.from_wkt(plot.tags[0]["crs"])
    inverse = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    return inverse


@pytest.fixture(scope="module")
def kaliningrad(tmp_path_factory):
    """The INF band round Kaliningrad with the capitals labelled, as a page; and its scenario."""
    scenario = Scenario([KALININGRAD], labels="capitals")
    path = tmp_path_factory.mktemp("html") / "kaliningrad.html"
    scenario.save(path)
    return path, scenario


# --------------------------------------------------------------------------
# the file


def test_the_page_holds_everything_and_fetches_nothing(kaliningrad):
    path, _ = kaliningrad
    text = path.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    # no external script, style, image or font: every <script> is inline
    assert not re.search(r"<script[^>]*\bsrc\s*=", text)
    assert not re.search(r"<link[^>]*\bhref\s*=", text)
    assert not re.search(r"<img[^>]*\bsrc\s*=", text)
    assert "@import" not in text
    # the Kaliningrad figure, BokehJS included, is a few MB at most
    size = path.stat().st_size
    assert size < 3_000_000, f"{size:,} bytes"


def test_band_edges_lie_on_the_true_rings(kaliningrad):
    path, scenario = kaliningrad
    doc = _document(path)
    inverse = _to_lonlat(doc)
    site = scenario.sites[0]
    radii = set()
    for k in range(2):
        source = doc.select_one({"name": f"band-outline-0-{k}"})
        radius = source.tags[0]["radius_km"]
        radii.add(radius)
        x, y = np.asarray(source.data["x"]), np.asarray(source.data["y"])
        ok = np.isfinite(x) & np.isfinite(y)
        assert ok.sum() > 100
        lon, lat = inverse.transform(x[ok], y[ok])
        n = int(ok.sum())
        _, _, d = GEOD.inv(np.full(n, site.lon), np.full(n, site.lat), lon, lat)
        error = np.abs(np.asarray(d) / 1000 - radius)
        assert error.max() < 0.1, f"{radius} km ring: a vertex {error.max():.3f} km off"
    assert radii == {500.0, 5500.0}


def test_band_fill_covers_exactly_the_points_in_the_band(kaliningrad):
    path, scenario = kaliningrad
    doc = _document(path)
    inverse = _to_lonlat(doc)
    source = doc.select_one({"name": "band-fill-0"})
    polygons = []
    for xs, ys in zip(source.data["xs"][0], source.data["ys"][0], strict=True):
        rings = [np.column_stack((rx, ry)) for rx, ry in zip(xs, ys, strict=True)]
        polygons.append(shapely.Polygon(rings[0], rings[1:]))
    fill = shapely.MultiPolygon(polygons)
    plot = doc.select_one({"name": "rangeviz-map"})
    x0, y0, x1, y1 = plot.tags[0]["bounds"]
    rng = np.random.default_rng(13)
    x = rng.uniform(x0, x1, 4000)
    y = rng.uniform(y0, y1, 4000)
    lon, lat = inverse.transform(x, y)
    good = np.isfinite(lon) & np.isfinite(lat)
    x, y, lon, lat = x[good], y[good], np.asarray(lon)[good], np.asarray(lat)[good]
    site = scenario.sites[0]
    _, _, d = GEOD.inv(np.full(lon.size, site.lon), np.full(lon.size, site.lat), lon, lat)
    d = np.asarray(d) / 1000
    inside = shapely.contains_xy(fill, x, y)
    clear = (np.abs(d - 500) > 0.2) & (np.abs(d - 5500) > 0.2)  # not on an edge
    truth = (d >= 500) & (d <= 5500)
    wrong = clear & (inside != truth)
    assert not wrong.any(), f"{wrong.sum()} points misplaced, e.g. at {lon[wrong][:3]}"
    # the polar cap is there: the North Pole (3,900 km from Kaliningrad) is filled
    forward = Transformer.from_crs("EPSG:4326", CRS.from_wkt(plot.tags[0]["crs"]), always_xy=True)
    assert shapely.contains_xy(fill, *forward.transform(0.0, 89.99))


def test_places_carry_their_exact_distance_and_status(kaliningrad):
    path, scenario = kaliningrad
    doc = _document(path)
    site = scenario.sites[0]
    seen = 0
    sources = ("places-in-band", "places-too-close", "places-out-of-range")
    for status, name in enumerate(sources):
        data = doc.select_one({"name": name}).data
        lon, lat = np.asarray(data["lon"]), np.asarray(data["lat"])
        _, _, d = GEOD.inv(np.full(lon.size, site.lon), np.full(lon.size, site.lat), lon, lat)
        d = np.asarray(d) / 1000
        np.testing.assert_allclose(data["distance_km"], d, atol=1e-6)
        for text, exact in zip(data["distance"], d, strict=True):
            shown = float(re.match(r"([\d,]+) km from Kaliningrad", text).group(1).replace(",", ""))
            assert abs(shown - exact) <= 0.5
        truth = np.where((d >= 500) & (d <= 5500), 0, np.where(d < 500, 1, 2))
        assert (truth == status).all(), name
        seen += lon.size
    assert seen > 100  # every capital on the map


def test_isochrones_and_flight_times_as_on_the_static_map(tmp_path):
    from rangeviz import flight

    krichev = (31.72, 53.70)
    scenario = Scenario(
        [krichev], ranges=[(0, 5000)], minutes=[5, 10, 15], places=["Berlin"], flight_times=True
    )
    path = tmp_path / "minutes.html"
    scenario.save(path)
    doc = _document(path)
    inverse = _to_lonlat(doc)
    radii = flight.ballistic_range_km(np.array([5.0, 10.0, 15.0]))
    for minutes, radius in zip((5, 10, 15), radii, strict=True):
        data = doc.select_one({"name": f"isochrone-{minutes}"}).data
        x, y = np.asarray(data["x"], dtype=float), np.asarray(data["y"], dtype=float)
        ok = np.isfinite(x) & np.isfinite(y)
        lon, lat = inverse.transform(x[ok], y[ok])
        _, _, d = GEOD.inv(np.full(lon.size, krichev[0]), np.full(lon.size, krichev[1]), lon, lat)
        assert np.abs(np.asarray(d) / 1000 - radius).max() < 1.0  # float32 and 0.5 km tolerance
    spots = doc.select_one({"name": "isochrone-labels"}).data
    assert set(spots["label"]) == {"5 min", "10 min", "15 min"}
    berlin = doc.select_one({"name": "places-in-band"}).data
    i = [n.startswith("Berlin") for n in berlin["name"]].index(True)
    d = GEOD.inv(*krichev, berlin["lon"][i], berlin["lat"][i])[2] / 1000
    shown = re.search(r"· ([\d.]+) min ballistic", berlin["distance"][i]).group(1)
    assert float(shown) == pytest.approx(flight.ballistic(d).time_min, abs=0.05)
    assert "flight" in path.read_text(encoding="utf-8").lower()


def test_rotating_earth_ring_labels_sit_on_the_footprint(tmp_path):
    scenario = Scenario([KALININGRAD], ranges=["SS-20"], rotating_earth=True)
    path = tmp_path / "turning.html"
    scenario.save(path)
    doc = _document(path)
    from bokeh.models import ColumnDataSource

    spots = [m for m in doc.select({"type": ColumnDataSource}) if m.name.startswith("ring-l")]
    (data,) = [m.data for m in spots]
    assert len(data["x"]) >= 4  # candidates found on the turned ring
    # each spot lies on the footprint: at the reach in its direction, not on the circle
    from rangeviz import flight

    site = scenario.sites[0]
    lon, lat = _to_lonlat(doc).transform(np.asarray(data["x"]), np.asarray(data["y"]))
    n = lon.size
    az, _, d = GEOD.inv(np.full(n, site.lon), np.full(n, site.lat), lon, lat)
    reach = flight.reach_by_azimuth(site.lat, range_km=5000.0)(np.asarray(az))
    np.testing.assert_allclose(np.asarray(d) / 1000, reach, atol=1.0)
    assert np.abs(reach - 5000.0).max() > 50.0  # the test can tell a footprint from a circle


def test_scenario_save_cli_and_api_write_the_same_kind_of_page(tmp_path, monkeypatch, capsys):
    from rangeviz.cli import main

    monkeypatch.chdir(tmp_path)
    band = ["--inner", "0", "--outer", "300"]
    assert main(["map", "--site", "54.71,20.51", *band, "-o", "a.html"]) == 0
    assert "wrote a.html" in capsys.readouterr().out
    s = Scenario(["Base=54.71,20.51"], ranges=[(0, 300)])
    assert rangeviz.to_html(s, "b.html") == Path("b.html")
    assert rangeviz.plot.to_html(s.spec, "c.html") == Path("c.html")
    (tmp_path / "d.toml").write_text('sites = ["Base=54.71,20.51"]\noutput = "d.html"\n')
    assert main(["render", "d.toml"]) == 0
    for name in ("a.html", "b.html", "c.html", "d.html"):
        assert (tmp_path / name).read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert not list(tmp_path.glob(".*")), "temporary files left behind"


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["-o", "x.htm"], [".htm", ".html", ".png"]),
        (["-o", "no/such/dir/x.html"], ["no/such/dir"]),
    ],
)
def test_bad_outputs_are_one_line_exit_2(tmp_path, monkeypatch, capsys, argv, words):
    from rangeviz.cli import main

    monkeypatch.chdir(tmp_path)
    code = main(["map", "--site", "54.71,20.51", "--inner", "0", "--outer", "300", *argv])
    err = capsys.readouterr().err
    assert code == 2
    assert len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err
    for word in words:
        assert word in err


def test_api_errors_name_the_value(tmp_path):
    s = Scenario(["Base=54.71,20.51"], ranges=[(0, 300)])
    with pytest.raises(InputError, match=r"\.png; a web page can be written as: \.html"):
        to_html(s, tmp_path / "x.png")
    with pytest.raises(InputError, match="Scenario or MapSpec"):
        render_html("Kaliningrad")


@pytest.mark.parametrize("source", [None, "Kaliningrad", 5, [1, 2], object(), rangeviz.Site])
def test_what_is_not_a_map_is_refused(tmp_path, source):
    with pytest.raises(InputError) as info:
        to_html(source, tmp_path / "x.html")
    message = str(info.value)
    assert "\n" not in message and len(message) <= 400


@pytest.mark.parametrize(
    "path",
    [None, "", 5, "x.png", "a\0b.html", "x" * 5000 + ".html", "missing/x.html", "."],
    ids=["None", "empty", "int", "png", "nul", "long", "missing-dir", "dot"],
)
def test_bad_paths_are_refused_in_one_line(tmp_path, monkeypatch, path):
    monkeypatch.chdir(tmp_path)
    s = Scenario(["Base=54.71,20.51"], ranges=[(0, 300)])
    with pytest.raises(rangeviz.RangevizError) as info:
        to_html(s, path)
    message = str(info.value)
    assert "\n" not in message and len(message) <= 400
    assert list(tmp_path.iterdir()) == []


def test_a_failed_write_leaves_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "map.html"
    target.write_text("old page")

    def full_disk(self, *args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "write_text", full_disk)
    with pytest.raises(OutputError, match="No space left"):
        to_html(Scenario(["Base=54.71,20.51"], ranges=[(0, 300)]), target)
    monkeypatch.undo()
    assert target.read_text() == "old page"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.html"]


def test_user_text_is_escaped(tmp_path):
    evil = "<script>alert(1)</script>"
    s = Scenario([f"{evil}=54.71,20.51"], ranges=[(0, 300)], title=evil, subtitle=evil)
    path = to_html(s, tmp_path / "evil.html")
    text = path.read_text(encoding="utf-8")
    assert "<script>alert(1)" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


# --------------------------------------------------------------------------
# in a real browser


def _chromium() -> str | None:
    for name in (os.environ.get("RANGEVIZ_CHROMIUM"), "chromium", "chromium-browser"):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


@pytest.fixture(scope="module")
def browser():
    executable = _chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the test extra brings it
        executable = None
    if executable is None:
        if os.environ.get("RANGEVIZ_REQUIRE_BROWSER") == "1":
            pytest.fail("no Chromium to test the HTML maps in (apt-get install chromium)")
        pytest.skip("no Chromium here (apt-get install chromium), or no playwright")
    with sync_playwright() as p:
        # --no-sandbox: CI runs as root, where Chromium's sandbox will not start
        b = p.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        yield b
        b.close()


class Page:
    """A page opened offline, recording every request and script error."""

    def __init__(self, browser, path: Path, **context):
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context(
            offline=True, viewport={"width": 1300, "height": 1000}, **context
        )
        self.context.route(re.compile(r"^(?!file:|data:|blob:|about:)"), self._refuse)
        self.page = self.context.new_page()
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("websocket", lambda ws: self.requests.append(ws.url))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("dialog", lambda d: (self.errors.append(f"dialog: {d.message}"), d.dismiss()))
        self.page.goto(path.as_uri())
        # ready when Bokeh has drawn and the labels are placed
        self.page.wait_for_function(
            "() => window.Bokeh && Bokeh.documents.length > 0 && "
            "Bokeh.documents[0].get_model_by_name('leaders') != null && "
            "Object.values(Bokeh.index).some((v) => v.model && v.model.name === 'rangeviz-map')"
        )
        self.page.wait_for_function(_LABELS_SHOWN)

    def _refuse(self, route):
        self.requests.append(route.request.url)
        route.abort()

    def outside(self) -> list[str]:
        return [u for u in self.requests if not u.startswith(("file:", "data:", "blob:", "about:"))]

    def screen_xy(self, x: float, y: float) -> tuple[float, float]:
        """Where a point of the map's projected coordinates is on the screen."""
        return tuple(self.page.evaluate(_SCREEN_XY, [x, y]))

    def shot(self, path: Path, name: str) -> Path:
        out = Path(os.environ.get("RANGEVIZ_SCREENSHOTS") or path.parent) / f"{name}.png"
        self.page.screenshot(path=str(out))
        return out

    def close(self):
        self.context.close()


_LABELS_SHOWN = """() => {
  const doc = Bokeh.documents[0];
  const s = doc.get_model_by_name('sites-triangle');
  return s != null && s.data.shown.some((t) => t.length > 0);
}"""

_SCREEN_XY = """([x, y]) => {
  const v = Object.values(Bokeh.index).find((v) => v.model && v.model.name === 'rangeviz-map');
  const r = v.el.getBoundingClientRect();
  const f = v.frame.bbox;
  const xr = v.model.x_range, yr = v.model.y_range;
  return [r.left + f.x0 + (x - xr.start) / (xr.end - xr.start) * f.width,
          r.top + f.y0 + (yr.end - y) / (yr.end - yr.start) * f.height];
}"""

# the middle of the key's first entry's symbol, on the screen (a DOM key since Bokeh 3.5,
# drawn on the canvas before)
_FIRST_KEY_ENTRY = """() => {
  const v = Object.values(Bokeh.index).find((v) => v.model && v.model.name === 'rangeviz-map');
  const key = Bokeh.documents[0].get_model_by_name('rangeviz-key');
  const kv = v.views && v.views.find_one ? v.views.find_one(key) : v.renderer_view(key);
  const r = v.el.getBoundingClientRect();
  return [r.left + kv.bbox.x0 + key.padding + key.glyph_width / 2,
          r.top + kv.bbox.y0 + key.padding + key.glyph_height / 2];
}"""

_RANGES = """() => {
  const p = Bokeh.documents[0].get_model_by_name('rangeviz-map');
  return [p.x_range.start, p.x_range.end, p.y_range.start, p.y_range.end];
}"""


def _place(doc, name):
    for source in ("places-in-band", "places-too-close", "places-out-of-range"):
        data = doc.select_one({"name": source}).data
        if name in list(data["name"]):
            i = list(data["name"]).index(name)
            return {k: data[k][i] for k in data}
    raise KeyError(name)


def _pixels(png: Path) -> np.ndarray:
    from PIL import Image

    return np.asarray(Image.open(png).convert("RGB")).astype(int)


@pytest.mark.slow
def test_in_the_browser_offline(browser, kaliningrad):
    path, _ = kaliningrad
    page = Page(browser, path)
    try:
        assert page.errors == []
        assert page.outside() == [], "the page asked the network for something"
        png = page.shot(path, "kaliningrad")
        img = _pixels(png)
        # not blank: many colours; the band's outline colour and the labels' dark red are there
        assert len(np.unique(img.reshape(-1, 3), axis=0)) > 200
        band = np.array([0xD5, 0x5E, 0x00])  # the INF band's colour (Okabe-Ito vermillion)
        assert (np.abs(img - band).sum(axis=2) < 40).sum() > 500
        red = np.array([0xB3, 0x26, 0x1E])  # capitals in range, and their names
        assert (np.abs(img - red).sum(axis=2) < 40).sum() > 500
        # labels are drawn: the site and capitals near it are named
        doc = _document(path)
        shown = page.page.evaluate(
            "() => Bokeh.documents[0].get_model_by_name('places-in-band').data.shown"
        )
        names = list(doc.select_one({"name": "places-in-band"}).data["name"])
        named = {n for n, s in zip(names, shown, strict=True) if s}
        assert {"Berlin", "Stockholm", "Moscow"} <= named
    finally:
        page.close()


@pytest.mark.slow
def test_hovering_berlin_gives_its_exact_distance(browser, kaliningrad):
    path, scenario = kaliningrad
    page = Page(browser, path)
    try:
        berlin = _place(_document(path), "Berlin")
        sx, sy = page.screen_xy(berlin["x"], berlin["y"])
        page.page.mouse.move(sx - 40, sy - 40)
        page.page.mouse.move(sx, sy, steps=4)
        tip = page.page.locator("#rangeviz-tip")
        tip.wait_for(state="visible")
        text = tip.inner_text()
        site = scenario.sites[0]
        _, _, d = GEOD.inv(site.lon, site.lat, berlin["lon"], berlin["lat"])
        shown = re.search(r"([\d,]+) km from Kaliningrad", text)
        assert shown, text
        assert abs(float(shown.group(1).replace(",", "")) - d / 1000) <= 0.5
        assert "Berlin" in text and "Germany" in text and "in band" in text
        page.shot(path, "kaliningrad-hover-berlin")
        assert page.errors == [] and page.outside() == []
    finally:
        page.close()


@pytest.mark.slow
def test_hovering_the_band_names_it_and_its_hole_does_not(browser, kaliningrad):
    path, scenario = kaliningrad
    page = Page(browser, path)
    site = scenario.sites[0]
    doc = _document(path)
    forward = Transformer.from_crs(
        "EPSG:4326",
        CRS.from_wkt(doc.select_one({"name": "rangeviz-map"}).tags[0]["crs"]),
        always_xy=True,
    )
    tip = page.page.locator("#rangeviz-tip")
    try:
        # 3,000 km due south-west: in the band, open Atlantic-side land with no capital near
        lon, lat, _ = GEOD.fwd(site.lon, site.lat, 200.0, 3_000_000)
        sx, sy = page.screen_xy(*forward.transform(lon, lat))
        page.page.mouse.move(sx - 5, sy - 5)
        page.page.mouse.move(sx, sy, steps=3)
        tip.wait_for(state="visible")
        text = tip.inner_text()
        for words in ("INF Treaty band", "500–5,500 km", "Claimant", "Source: INF Treaty"):
            assert words in text, text
        # 250 km north-west, out over the Baltic: inside the inner ring, not in the band
        lon, lat, _ = GEOD.fwd(site.lon, site.lat, 330.0, 250_000)
        sx, sy = page.screen_xy(*forward.transform(lon, lat))
        page.page.mouse.move(sx, sy, steps=3)
        tip.wait_for(state="hidden")
    finally:
        page.close()


@pytest.mark.slow
def test_wheel_zoom_and_the_key(browser, kaliningrad):
    path, _ = kaliningrad
    page = Page(browser, path)
    try:
        before = page.page.evaluate(_RANGES)
        doc = _document(path)
        berlin = _place(doc, "Berlin")
        page.page.mouse.move(*page.screen_xy(berlin["x"], berlin["y"]))
        page.page.mouse.wheel(0, -600)
        page.page.wait_for_function(f"() => ({_RANGES})()[0] != {before[0]}")
        after = page.page.evaluate(_RANGES)
        assert after[1] - after[0] < before[1] - before[0], "wheel zoom did not zoom in"
        page.shot(path, "kaliningrad-zoomed")
        # a click on the band's key entry hides it (fill and outlines), a second shows it
        entry = page.page.evaluate(_FIRST_KEY_ENTRY)  # the band's
        page.page.evaluate("() => { window.rangevizClicked = performance.now(); }")
        page.page.mouse.click(*entry)
        renderer = (
            "Bokeh.documents[0].get_model_by_name('rangeviz-map').renderers.find("
            "(r) => r.data_source && r.data_source.name === 'band-fill-0')"
        )
        page.page.wait_for_function(f"() => !{renderer}.visible")
        page.shot(path, "kaliningrad-band-hidden")
        # a second tap within Bokeh's double-tap interval (300 ms) would be read as one
        page.page.wait_for_function("() => performance.now() - window.rangevizClicked > 400")
        page.page.mouse.click(entry[0] + 40, entry[1])
        page.page.wait_for_function(f"() => {renderer}.visible")
        assert page.errors == [] and page.outside() == []
    finally:
        page.close()


@pytest.mark.slow
def test_a_hostile_name_stays_text_in_the_browser(browser, tmp_path):
    evil = "<img src='http://example.invalid/x.png' onerror='alert(1)'>"
    s = Scenario([rangeviz.Site(evil, 20.51, 54.71)], ranges=[(0, 300)], title=evil)
    path = to_html(s, tmp_path / "evil.html")
    page = Page(browser, path)
    try:
        assert page.page.locator("h1").inner_text() == evil
        sites = page.page.evaluate(
            "() => Bokeh.documents[0].get_model_by_name('sites-triangle').data.name"
        )
        xy = page.page.evaluate(
            "() => { const d = Bokeh.documents[0].get_model_by_name('sites-triangle').data;"
            " return [d.x[0], d.y[0]]; }"
        )
        sx, sy = page.screen_xy(*xy)
        page.page.mouse.move(sx - 20, sy)
        page.page.mouse.move(sx, sy, steps=3)
        page.page.locator("#rangeviz-tip").wait_for(state="visible")
        assert evil in page.page.locator("#rangeviz-tip").inner_text()
        assert sites == [evil]
        assert page.errors == [] and page.outside() == []
    finally:
        page.close()
