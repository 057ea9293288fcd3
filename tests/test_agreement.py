"""One model, three ways in: the CLI, a scenario file and Python agree.

The same input gives the same bands, labels, defaults and error messages
whether it comes through ``rangeviz ...``, a TOML scenario or the Python API.
"""

from __future__ import annotations

import inspect
import json
from pathlib import Path

import pytest
import shapely

import rangeviz
from rangeviz import Scenario, plot_bands
from rangeviz.cli import main
from rangeviz.errors import InputError
from rangeviz.model import DEFAULTS, MapOptions
from rangeviz.scenario_file import load_scenario, scenario_from_dict

SMALL = {"size": (6.4, 3.6), "dpi": 40}


def _legend(ax):
    legends = [lg for lg in ax.figure.legends if lg.get_gid() == "legend"]
    return [t.get_text() for t in (legends[0] if legends else ax.get_legend()).get_texts()]


def test_the_same_system_gets_the_same_band_every_way(tmp_path, capsys):
    # Python
    from_python = Scenario(["Kaliningrad"], ranges=["SSC-8"]).bands()
    # a scenario file
    toml = tmp_path / "s.toml"
    toml.write_text('sites = ["Kaliningrad"]\nranges = ["SSC-8"]\n', encoding="utf-8")
    from_file = load_scenario(toml).bands()
    # the command line
    out = tmp_path / "b.geojson"
    assert main(["export", "--site", "Kaliningrad", "--system", "SSC-8", "-o", str(out)]) == 0
    capsys.readouterr()
    doc = json.loads(out.read_text())
    (feature,) = doc["features"]
    for frame in (from_python, from_file):
        (row,) = frame.itertuples()
        assert row.label == feature["properties"]["label"] == "9M729 (SSC-8 Screwdriver)"
        assert row.outer_km == feature["properties"]["outer_km"]
        assert row.source == feature["properties"]["source"]
        written = shapely.geometry.shape(feature["geometry"])
        # GeoJSON keeps 7 decimals (1 cm): the same polygon, to that precision
        assert shapely.hausdorff_distance(row.geometry, written) < 1e-6
    # and the map through plot_bands(systems=) names it the same way
    ax = plot_bands(["Kaliningrad"], systems=["SSC-8"], **SMALL)
    assert _legend(ax)[0] == "9M729 (SSC-8 Screwdriver) 500–5,500 km class (US State Dept)"
    via_scenario = Scenario(["Kaliningrad"], ranges=["SSC-8"], **SMALL).plot()
    assert _legend(via_scenario)[0] == _legend(ax)[0]


def test_defaults_are_one_set():
    # plot_bands and plot_map default to the model's options, as the CLI and TOML do
    for function in (rangeviz.plot_bands, rangeviz.plot_map):
        params = inspect.signature(function).parameters
        for name in ("projection", "extent", "size", "dpi", "labels", "highlight", "tolerance_km"):
            assert params[name].default == getattr(DEFAULTS, name), (function.__name__, name)
    assert Scenario(["54.71N 20.51E"]).options == DEFAULTS
    assert scenario_from_dict({"sites": ["54.71N 20.51E"]}).options == DEFAULTS
    # the INF band and its source wording
    via_api = rangeviz.plot_bands([(20.51, 54.71)], **SMALL)
    via_scenario = Scenario([(20.51, 54.71)], **SMALL).plot()

    def source(ax):
        return [t.get_text() for t in ax.figure.texts if t.get_gid() == "source"]

    assert source(via_api) == source(via_scenario) != []
    source = source(via_api)
    assert "INF Treaty (1987), Art. II" in " ".join(source).replace("\n", " ")


@pytest.mark.parametrize(
    ("option", "value", "words"),
    [
        ("radials", True, "radials True is not a whole number from 1 to 72"),
        ("radials", 0, "radials 0 must be a whole number from 1 to 72"),
        ("dpi", 0, "dpi 0 must be a whole number from 10 to 1200"),
        ("rings_km", 5, "rings_km 5 must be at least 10"),
        ("rings_km", 10, "rings_km 10 would draw 550 rings"),
        ("labels", "cities", "labels 'cities' is not known; choose one of: capitals"),
        ("projection", "eurpoe", "projection 'eurpoe' is not known"),
    ],
)
def test_one_check_one_message_every_way(tmp_path, capsys, option, value, words):
    with pytest.raises(InputError, match=words):
        Scenario(["54.71N 20.51E"], **{option: value})
    with pytest.raises(InputError, match=words):
        rangeviz.plot_bands([(20.51, 54.71)], **{option: value})
    with pytest.raises(InputError, match=f"s.toml: map.{words}"):
        scenario_from_dict({"sites": ["54.71N 20.51E"], "map": {option: value}}, name="s.toml")
    # the command line names its own option, and the value as argparse read it
    flags = {"rings_km": "--rings", "radials": "--radials", "dpi": "--dpi"}
    if option in ("projection", "dpi", "rings_km") or (option == "radials" and value == 0):
        flag = flags.get(option, f"--{option}")
        code = main(["map", "--site", "54.71N 20.51E", flag, str(value), "-o", "x.png"])
        err = capsys.readouterr().err
        shown = {repr(value), f"{value!r}.0"}  # argparse reads --rings as a float
        expected = {words.replace(f"{option} {value!r}", f"{flag} {v}") for v in shown}
        assert code == 2 and any(e in err for e in expected) and err.count("\n") == 1, err


def test_render_checks_every_scenario_before_drawing_any(tmp_path, capsys):
    good = tmp_path / "a.toml"
    good.write_text('sites = ["54.71N 20.51E"]\noutput = "a.png"\n', encoding="utf-8")
    bad = tmp_path / "b.toml"
    bad.write_text('sites = ["54.71N 20.51E"]\n[map]\nrings_km = 10\n', encoding="utf-8")
    assert main(["render", str(good), str(bad)]) == 2
    assert "b.toml: map.rings_km 10 would draw" in capsys.readouterr().err
    assert not (tmp_path / "a.png").exists()


def test_scenario_is_frozen_and_checked_once():
    s = Scenario(["Kaliningrad"], ranges=["INF", "SSC-8"], rings_km=1000)
    with pytest.raises(AttributeError):
        s.sites = ()  # type: ignore[misc]
    assert isinstance(s.options, MapOptions)
    assert [layer.label for layer in s.spec.layers] == [
        "INF Treaty band",
        "9M729 (SSC-8 Screwdriver)",
    ]
    # the geometry is computed once and shared by the map, the export and the report
    assert s.geometry is s.geometry
    assert s.bands().geometry.iloc[0].equals(s.geometry.layers[0].union)


# --------------------------------------------------------------------------
# one set of defaults, every way in: dpi, page, projection, source wording


def _png_size(path):
    import struct

    data = Path(path).read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def _svg_texts(path, gid):
    import re

    svg = Path(path).read_text(encoding="utf-8")
    start = svg.index(f'id="{gid}"')
    group = svg[start : svg.index("</g>", start)]
    return " ".join(re.findall(r"<text[^>]*>([^<]*)</text>", group))


@pytest.mark.slow
def test_the_default_map_is_the_same_every_way(tmp_path, capsys):
    """CLI, Scenario, TOML and plot_bands + save_figure: one page, dpi, projection, source line."""
    toml = tmp_path / "s.toml"
    toml.write_text('sites = ["54.71,20.51"]\noutput = "toml.png"\n', encoding="utf-8")
    outputs = {
        "cli": tmp_path / "cli.png",
        "scenario": tmp_path / "scenario.png",
        "api": tmp_path / "api.png",
        "toml": tmp_path / "toml.png",
    }
    assert main(["map", "--site", "54.71,20.51", "-o", str(outputs["cli"])]) == 0
    assert main(["render", str(toml)]) == 0
    capsys.readouterr()
    Scenario(["54.71,20.51"]).save(outputs["scenario"])
    rangeviz.save_figure(plot_bands([(20.51, 54.71)]).figure, outputs["api"])
    width, height = DEFAULTS.inches
    expected = (round(width * DEFAULTS.dpi), round(height * DEFAULTS.dpi))
    for way, path in outputs.items():
        assert _png_size(path) == pytest.approx(expected, abs=2), way
    # the source line: projection and sources, word for word
    svgs = {way: tmp_path / f"{way}.svg" for way in ("cli", "api")}
    assert main(["map", "--site", "54.71,20.51", "-o", str(svgs["cli"])]) == 0
    rangeviz.save_figure(plot_bands([(20.51, 54.71)]).figure, svgs["api"])
    scenario_svg = tmp_path / "scenario.svg"
    Scenario(["54.71,20.51"]).save(scenario_svg)
    lines = {
        way: _svg_texts(path, "source") for way, path in {**svgs, "scenario": scenario_svg}.items()
    }
    assert lines["cli"] == lines["api"] == lines["scenario"] != ""
    assert "EPSG:3035" in lines["cli"] and "INF Treaty (1987), Art. II" in lines["cli"]


def test_a_band_of_your_own_is_the_same_every_way(tmp_path, capsys):
    out = tmp_path / "b.geojson"
    assert main(["export", "--site", "54.71,20.51", "--outer", "2000", "-o", str(out)]) == 0
    capsys.readouterr()
    (feature,) = json.loads(out.read_text())["features"]
    toml = scenario_from_dict(
        {"sites": ["54.71,20.51"], "ranges": [{"inner_km": 0, "outer_km": 2000}]}
    ).bands()
    python = Scenario(["54.71,20.51"], ranges=[(0, 2000)]).bands()
    for frame in (toml, python):
        (row,) = frame.itertuples()
        assert (
            (row.label, row.inner_km, row.outer_km)
            == (
                feature["properties"]["label"],
                feature["properties"]["inner_km"],
                feature["properties"]["outer_km"],
            )
            == ("0–2,000 km", 0.0, 2000.0)
        )


def test_the_report_is_the_same_every_way(tmp_path, capsys):
    from rangeviz.report import format_report

    out = tmp_path / "r.json"
    argv = ["report", "--site", "Kaliningrad", "--within", "EU@2004", "-o", str(out)]
    assert main(argv) == 0
    capsys.readouterr()
    python = format_report(Scenario(["Kaliningrad"]), fmt="json", within="EU@2004")
    assert json.loads(out.read_text()) == json.loads(python)
    toml = tmp_path / "s.toml"
    toml.write_text('sites = ["Kaliningrad"]\n', encoding="utf-8")
    assert load_scenario(toml).report(fmt="json", within="EU@2004") == python
