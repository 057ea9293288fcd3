"""One model, three ways in: the CLI, a scenario file and Python agree.

The same input gives the same bands, labels, defaults and error messages
whether it comes through ``rangeviz ...``, a TOML scenario or the Python API.
"""

from __future__ import annotations

import inspect
import json

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
