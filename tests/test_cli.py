"""The command line, in process (``main([...])``) and as a real console script."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

import numpy as np
import pyogrio
import pytest
import shapely

from rangeviz.cli import main

PNG = b"\x89PNG\r\n\x1a\n"


def run(capsys, *argv):
    """Exit status, stdout and stderr of ``rangeviz argv``; argparse's exits included."""
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


# --------------------------------------------------------------------------
# user errors: one line on stderr, exit 2, nothing written


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["map", "--site", "91,20", "-o", "x.png"], ["latitude", "91"]),
        (["map", "--site", "54.7,400", "-o", "x.png"], ["longitude", "400"]),
        (["map", "--site", "Atlantisville", "-o", "x.png"], ["Atlantisville"]),
        (
            ["map", "--site", "Kaliningrad", "--inner", "600", "--outer", "500", "-o", "x.png"],
            ["--inner 600", "--outer 500"],
        ),
        (["map", "--site", "Kaliningrad", "--system", "Nonesuch", "-o", "x.png"], ["Nonesuch"]),
        (["map", "--site", "Kaliningrad", "-o", "x.bmp"], [".bmp", ".png", ".svg", ".pdf"]),
        (["map", "--site", "Kaliningrad", "-o", "no/such/dir/x.png"], ["no/such/dir"]),
        (
            ["map", "--site", "Kaliningrad", "--projection", "mercatorish", "-o", "x.png"],
            ["mercatorish"],
        ),
        (["map", "--site", "Kaliningrad", "--extent", "1,2,3", "-o", "x.png"], ["--extent", "4"]),
        (["map", "--site", "Kaliningrad", "--dpi", "0", "-o", "x.png"], ["dpi", "0"]),
        (["map", "-o", "x.png"], ["--site"]),
        (["map", "--sites", "missing.csv", "-o", "x.png"], ["missing.csv"]),
        (["export", "--site", "Kaliningrad", "-o", "x.csv"], [".geojson", ".kml"]),
        (["render", "missing.toml"], ["missing.toml"]),
        (["report", "--site", "Kaliningrad", "--format", "yaml"], ["yaml", "table"]),
        (["map", "--site", "Kaliningrad", "--rings", "-5", "-o", "x.png"], ["rings", "-5"]),
        (["frobnicate"], ["frobnicate"]),
    ],
)
def test_user_errors_exit_2_with_one_line(capsys, tmp_path, monkeypatch, argv, words):
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, *argv)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    for w in words:
        assert w in lines[0], (w, lines[0])
    assert not list(tmp_path.iterdir()), "a failed run left a file behind"


def test_malformed_csv_row_names_row_and_keeps_old_output(capsys, tmp_path):
    csv = tmp_path / "sites.csv"
    csv.write_text("name,lat,lon\nA,54.7,20.5\nB,north,20.5\n")
    out = tmp_path / "map.png"
    out.write_bytes(b"previous")
    code, _, err = run(capsys, "map", "--sites", str(csv), "-o", str(out))
    assert code == 2
    assert "north" in err
    assert "3" in err  # the line number
    assert out.read_bytes() == b"previous"


# --------------------------------------------------------------------------
# real work


@pytest.mark.slow
def test_map_default_inf_band_png(capsys, tmp_path):
    out = tmp_path / "k.png"
    code, stdout, err = run(capsys, "map", "--site", "Kaliningrad", "--dpi", "50", "-o", str(out))
    assert code == 0, err
    assert out.read_bytes()[:8] == PNG
    assert str(out) in stdout


@pytest.mark.slow
@pytest.mark.parametrize(("ext", "magic"), [(".svg", b"<?xml"), (".pdf", b"%PDF")])
def test_map_formats_by_extension(capsys, tmp_path, ext, magic):
    out = tmp_path / f"m{ext}"
    code, _, err = run(
        capsys,
        "map",
        "--site",
        "54.71N 20.51E",
        "--site",
        "Moscow",
        "--system",
        "SSC-8",
        "--system",
        "Pershing II",
        "--projection",
        "aeqd",
        "--title",
        "Two systems",
        "-o",
        str(out),
    )
    assert code == 0, err
    assert out.read_bytes()[: len(magic)] == magic


def test_export_geojson_properties(capsys, tmp_path):
    out = tmp_path / "b.geojson"
    code, _, err = run(
        capsys,
        "export",
        "--site",
        "Kaliningrad",
        "--system",
        "9M729",
        "--system",
        "INF",
        "-o",
        str(out),
    )
    assert code == 0, err
    doc = json.loads(out.read_text())
    props = [f["properties"] for f in doc["features"]]
    assert len(props) == 2
    assert {"site", "system", "inner_km", "outer_km", "source"} <= set(props[0])
    assert any(p["outer_km"] == 5500 and p["inner_km"] == 500 for p in props)
    assert any("http" in p["source_url"] for p in props)


def test_export_target_mode_and_dissolve(capsys, tmp_path):
    out = tmp_path / "t.gpkg"
    code, _, err = run(
        capsys, "export", "--site", "Minsk", "--site", "Moscow", "--dissolve", "-o", str(out)
    )
    assert code == 0, err
    back = pyogrio.read_dataframe(out)
    assert len(back) == 1
    out2 = tmp_path / "target.geojson"
    code, _, err = run(capsys, "export", "--target", "Brussels", "-o", str(out2))
    assert code == 0, err
    doc = json.loads(out2.read_text())
    role = doc["features"][0]["properties"]["role"]
    assert "Brussels" in role
    area = shapely.geometry.shape(doc["features"][0]["geometry"])
    # a launcher at Kaliningrad (1,170 km from Brussels) can reach it
    assert area.contains(shapely.Point(20.51, 54.71))
    assert not area.contains(shapely.Point(4.35, 50.85))  # not from Brussels itself


def test_render_scenario(capsys, tmp_path):
    scenario = tmp_path / "s.toml"
    scenario.write_text(
        'title = "Test"\nsites = ["Kaliningrad", { name = "X", lat = 55.0, lon = 37.0 }]\n'
        'ranges = ["INF", { label = "Short", inner_km = 0, outer_km = 480 }]\n'
        '[map]\nprojection = "europe"\ndpi = 40\n'
    )
    code, _, err = run(capsys, "render", str(scenario))
    assert code == 0, err
    assert (tmp_path / "s.png").read_bytes()[:8] == PNG


def test_render_bad_key_names_it(capsys, tmp_path):
    scenario = tmp_path / "bad.toml"
    scenario.write_text('sites = ["Kaliningrad"]\n[map]\nprojecton = "europe"\n')
    code, _, err = run(capsys, "render", str(scenario))
    assert code == 2
    assert "map.projecton" in err
    assert "bad.toml" in err


def test_systems_and_sites_listing(capsys):
    code, out, _ = run(capsys, "systems")
    assert code == 0
    assert "9M729" in out or "SSC-8" in out
    assert "INF Treaty band" in out
    code, out, _ = run(capsys, "systems", "--json")
    rows = json.loads(out)
    assert any("SSC-8" in r["aliases"] or r["nato_name"] == "SSC-8" for r in rows)
    code, out, _ = run(capsys, "sites", "Kalinin")
    assert code == 0
    assert "Kaliningrad" in out


def test_help_teaches_lat_lon_order(capsys):
    with pytest.raises(SystemExit) as info:
        main(["map", "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert "LAT,LON" in out
    assert "54.71N 20.51E" in out


# --------------------------------------------------------------------------
# the console script, for real


@pytest.mark.slow
def test_console_script_subprocess(tmp_path):
    exe = shutil.which("rangeviz")
    cmd = [exe] if exe else [sys.executable, "-m", "rangeviz"]
    env = {**os.environ, "MPLBACKEND": "Agg"}
    ok = subprocess.run(
        [*cmd, "map", "--site", "Kaliningrad", "--dpi", "40", "-o", str(tmp_path / "k.png")],
        capture_output=True,
        text=True,
        env=env,
    )
    assert ok.returncode == 0, ok.stderr
    bad = subprocess.run(
        [*cmd, "map", "--site", "91,20", "-o", str(tmp_path / "x.png")],
        capture_output=True,
        text=True,
        env=env,
    )
    assert bad.returncode == 2
    assert bad.stderr.count("\n") == 1
    assert "Traceback" not in bad.stderr


def test_help_is_fast_and_light():
    code = (
        "import sys; from rangeviz.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = ('geopandas', 'matplotlib', 'pandas', 'pyogrio')\n"
        "heavy = [m for m in heavy if m in sys.modules]\n"
        "print(heavy, file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0
    # what keeps --help fast: none of the heavy libraries is imported
    assert done.stderr.strip() == "[]", done.stderr


def test_version_is_looked_up_only_when_asked_for(capsys):
    import tomllib
    from pathlib import Path

    pyproject = Path(__file__).resolve().parents[1] / "pyproject.toml"
    version = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"]
    code, out, err = run(capsys, "--version")
    assert (code, out, err) == (0, f"rangeviz {version}\n", "")
    # importing rangeviz does not search the installed distributions for it
    probe = "import sys, rangeviz; print('importlib.metadata' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.stdout.strip() == "False"


def test_progress_bar_only_on_a_terminal():
    import io

    from rangeviz._commands import Progress

    class Tty(io.StringIO):
        def isatty(self):
            return True

    quiet = io.StringIO()
    p = Progress(3, "rendering", stream=quiet)
    for _ in range(3):
        p.step("x")
    assert quiet.getvalue() == ""
    loud = Tty()
    p = Progress(2, "rendering", stream=loud)
    p.step("a.toml")
    p.step("b.toml")
    text = loud.getvalue()
    assert "\r" in text
    assert "2/2" in text
    assert text.endswith("\n")


def test_render_several_scenarios(capsys, tmp_path):
    for name in ("a", "b"):
        (tmp_path / f"{name}.toml").write_text(
            f'sites = ["Kaliningrad"]\noutput = "{name}-out.png"\n[map]\ndpi = 30\n'
        )
    code, _, err = run(capsys, "render", str(tmp_path / "a.toml"), str(tmp_path / "b.toml"))
    assert code == 0, err
    assert (tmp_path / "a-out.png").exists()
    assert (tmp_path / "b-out.png").exists()
    code, _, err = run(
        capsys, "render", str(tmp_path / "a.toml"), str(tmp_path / "b.toml"), "-o", "x.png"
    )
    assert code == 2
    assert "one file" in err


def test_southern_and_western_coordinates_need_no_equals_sign(capsys, tmp_path):
    out = tmp_path / "cape.geojson"
    code, _, err = run(capsys, "export", "--site", "-33.92,18.42", "-o", str(out))
    assert code == 0, err
    doc = json.loads(out.read_text())
    assert doc["features"][0]["properties"]["site"].startswith("33.92°S")
    code, _, err = run(
        capsys,
        "map",
        "--site",
        "-33.92,-18.42",
        "--extent",
        "-40,-50,20,0",
        "--dpi",
        "30",
        "-o",
        str(tmp_path / "m.png"),
    )
    assert code == 0, err


def test_auto_projection_leaves_europe_for_far_sites():
    from rangeviz.maps import make_frame

    near = make_frame("auto", sites=[(20.51, 54.71)], extent="europe")
    assert near.crs.to_epsg() == 3035
    far = make_frame("auto", sites=[(0.0, -90.0)], extent=(-180, -90, 180, -60))
    # PROJ < 9.4 names the method "Modified Azimuthal Equidistant"
    assert far.crs.to_json_dict()["conversion"]["method"]["name"].endswith("Azimuthal Equidistant")


@pytest.mark.parametrize(
    "argv",
    [
        ["--site", "Kaliningrad", "--inner", "12000", "--outer", "16000"],  # no band in view
        ["--site", "Kaliningrad", "--inner", "0", "--outer", "100", "--extent=-10,36,3,44"],
        ["--site", "Kaliningrad", "--extent", "20,54,20.1,54.1"],  # inside the inner ring
    ],
)
def test_band_outside_the_view_still_draws(capsys, tmp_path, argv):
    out = tmp_path / "m.png"
    code, _, err = run(capsys, "map", *argv, "--dpi", "30", "-o", str(out))
    assert code == 0, err
    assert out.read_bytes()[:8] == PNG


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (
            ["--site", "Kaliningrad", "--site", "-33.87,151.21", "--projection", "europe"],
            ["33.87°S", "--projection"],
        ),
        (["--site", "Kaliningrad", "--projection", "EPSG:4978"], ["EPSG:4978", "not a map"]),
    ],
)
def test_maps_that_cannot_be_drawn_say_why(capsys, tmp_path, argv, words):
    code, _, err = run(capsys, "map", *argv, "-o", str(tmp_path / "m.png"))
    assert code == 2
    for w in words:
        assert w in err
    assert not (tmp_path / "m.png").exists()


def test_render_checks_every_output_before_drawing(capsys, tmp_path):
    (tmp_path / "ok.toml").write_text('sites = ["Kaliningrad"]\n[map]\ndpi = 30\n')
    (tmp_path / "bad.toml").write_text('sites = ["Kaliningrad"]\noutput = "x.jpg"\n')
    code, _, err = run(capsys, "render", str(tmp_path / "ok.toml"), str(tmp_path / "bad.toml"))
    assert code == 2
    assert "bad.toml" in err
    assert not (tmp_path / "ok.png").exists()


def test_shapefile_onto_a_directory_is_an_error(capsys, tmp_path):
    (tmp_path / "d.shp").mkdir()
    code, _, err = run(capsys, "export", "--site", "Kaliningrad", "-o", str(tmp_path / "d.shp"))
    assert code == 2
    assert "is a directory" in err


def test_report_format_follows_the_output_extension(capsys, tmp_path):
    out = tmp_path / "r.json"
    code, _, err = run(capsys, "report", "--site", "Kaliningrad", "-o", str(out))
    assert code == 0, err
    doc = json.loads(out.read_text())
    assert doc["sites"][0]["name"] == "Kaliningrad"


def test_map_editorial_options(capsys, tmp_path):
    out = tmp_path / "m.svg"
    code, _, err = run(
        capsys,
        "map",
        "--site",
        "Kaliningrad",
        "--place",
        "Berlin",
        "--place",
        "Kyiv",
        "--rename",
        "Kyiv=Kiev",
        "--font",
        "DejaVu Serif",
        "-o",
        str(out),
    )
    assert code == 0, err
    svg = out.read_text(encoding="utf-8")
    texts = " ".join(re.findall(r"<text[^>]*>([^<]*)</text>", svg))
    # Berlin is 528 km from Kaliningrad (Geod.inv between the two Natural Earth points)
    assert "Berlin 528 km" in texts and "Kiev 827 km" in texts and "Kyiv" not in texts
    assert "DejaVu Serif" in svg


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--rename", "Kyiv"], ["--rename", "OLD=NEW"]),
        (["--font", "No Such Font"], ["--font", "No Such Font"]),
        (["--place", "Atlantis"], ["--place", "Atlantis"]),
    ],
)
def test_map_editorial_options_refuse_bad_values(capsys, tmp_path, argv, words):
    code, _, err = run(capsys, "map", "--site", "Kaliningrad", *argv, "-o", str(tmp_path / "x.png"))
    assert code == 2 and err.count("\n") == 1
    for word in words:
        assert word in err


# --------------------------------------------------------------------------
# range options that mean what they say


def _bands(capsys, tmp_path, *argv):
    out = tmp_path / "b.geojson"
    code, _, err = run(capsys, "export", "--site", "Kaliningrad", *argv, "-o", str(out))
    assert code == 0, err
    doc = json.loads(out.read_text())
    radii = [(f["properties"]["inner_km"], f["properties"]["outer_km"]) for f in doc["features"]]
    return radii, err


def test_outer_alone_is_a_disc_from_zero(capsys, tmp_path):
    assert _bands(capsys, tmp_path, "--outer", "2000")[0] == [(0.0, 2000.0)]
    assert _bands(capsys, tmp_path, "--outer", "300")[0] == [(0.0, 300.0)]
    assert _bands(capsys, tmp_path, "--inner", "100", "--outer", "300")[0] == [(100.0, 300.0)]
    assert _bands(capsys, tmp_path)[0] == [(500.0, 5500.0)]  # nothing: the INF band


def test_a_band_of_your_own_beside_a_system_says_so(capsys, tmp_path):
    radii, err = _bands(capsys, tmp_path, "--system", "SSC-8", "--outer", "480")
    assert radii == [(0.0, 5500.0), (0.0, 480.0)]
    assert "rangeviz: note: --outer adds a band of its own (0–480 km)" in err
    assert "'SSC-8@CLAIMANT'" in err


@pytest.mark.parametrize(
    ("argv", "named", "unnamed"),
    [
        (["--inner", "300"], ["--inner 300", "needs --outer"], ["500", "5500"]),
        (["--outer", "0"], ["--outer 0"], ["--inner", "500"]),
        (["--outer", "300", "--inner", "400"], ["--inner 400", "--outer 300"], ["500"]),
        (["--label", "Mine"], ["--label 'Mine'", "--outer"], ["500"]),
        (["--inner", "nan"], ["--inner nan", "finite"], ["--outer"]),
    ],
)
def test_range_errors_name_only_what_was_given(capsys, tmp_path, argv, named, unnamed):
    code, _, err = run(capsys, "map", "--site", "Kaliningrad", *argv, "-o", str(tmp_path / "m.png"))
    assert code == 2 and err.count("\n") == 1, err
    for word in named:
        assert word in err
    for word in unnamed:
        assert word not in err.split("(")[0], (word, err)


# --------------------------------------------------------------------------
# help, overview, tables


def test_plain_rangeviz_prints_the_overview_and_exits_2(capsys):
    code, out, err = run(capsys)
    assert code == 2 and out == ""
    for command in ("map", "export", "render", "report", "systems", "sites"):
        assert command in err


def _parsers():
    from rangeviz.cli import _build_parser

    parser = _build_parser()
    sub = next(a for a in parser._actions if a.choices and "map" in a.choices)
    return [parser, *sub.choices.values()]


def test_every_positional_and_option_has_help():
    for parser in _parsers():
        for action in parser._actions:
            if action.dest in ("help", "command"):
                continue
            assert action.help and len(action.help) > 10, (parser.prog, action.dest)


def test_export_help_names_every_property(capsys):
    code, out, _ = run(capsys, "export", "--help")
    assert code == 0
    for prop in ("site", "system", "label", "inner_km", "outer_km", "source", "role"):
        assert prop in out


def test_sites_table_cuts_no_word(capsys):
    from rangeviz.sites import search_places

    for query in ("Washington", "Kapustin", "Saint"):
        code, out, _ = run(capsys, "sites", query, "--limit", "20")
        assert code == 0
        header, *lines = out.splitlines()
        assert header.split() == ["place", "country", "position", "kind", "source"]
        sites = search_places(query, limit=20)
        assert len(lines) == len(sites)
        for site, line in zip(sites, lines, strict=True):
            assert line.startswith(site.name)
            assert site.country in line and site.kind in line and site.source in line


def test_a_typo_resolves_with_a_note(capsys, tmp_path):
    out = tmp_path / "b.geojson"
    code, _, err = run(capsys, "export", "--site", "Kalinigrad", "-o", str(out))
    assert code == 0
    assert "rangeviz: note: site 'Kalinigrad' is not in the gazetteer; using the closest" in err
    code, _, err = run(capsys, "export", "--site", "Kapustin", "-o", str(out))
    assert code == 2 and "Kapustin Yar" in err and "Austin" not in err


# --------------------------------------------------------------------------
# report


def test_report_target_within_and_all(capsys, tmp_path):
    code, out, err = run(capsys, "report", "--target", "Brussels", "--system", "SSC-8")
    assert code == 0, err
    assert "Launch area for Brussels" in out and "To target" in out
    code, out, err = run(capsys, "report", "--site", "Kaliningrad", "--within", "NATO")
    assert code == 0, err
    assert "Only NATO members on 2026-12-02 (32 countries" in out
    assert "Moscow" not in out and "Berlin" in out
    code, out, _ = run(capsys, "report", "--site", "Kaliningrad", "--all", "--format", "markdown")
    assert "Wellington" in out
    code, out, _ = run(capsys, "report", "--site", "Kaliningrad")
    assert "Wellington" not in out and "more capitals out of range" in out


def test_report_places_from_names_files_and_sets(capsys, tmp_path):
    code, out, err = run(
        capsys, "report", "--site", "Kaliningrad", "--place", "Ramstein", "--format", "csv"
    )
    assert code == 0, err
    rows = [r for r in out.splitlines() if r.startswith("place,")]
    assert len(rows) == 1 and "Ramstein" in rows[0]
    assert any(r.startswith("country,") for r in out.splitlines())  # the country table too
    path = tmp_path / "mine.csv"
    path.write_text("name,lat,lon\nA,50,10\nB,51,11\n", encoding="utf-8")
    code, out, err = run(
        capsys, "report", "--site", "Kaliningrad", "--places", str(path), "--place", "Minsk"
    )
    assert code == 0, err
    assert "In band: 2 places, Too close: 1 place" in out


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--places", "villages"], ["--places 'villages'", "capitals", "cities", ".csv"]),
        (["--places", "missing.csv"], ["missing.csv"]),
        (["--within", "Warsaw Pact"], ["--within", "'Warsaw Pact'", "NATO", "EU"]),
        (["--within", "NATO@2099"], ["--within", "2099"]),
        (["--place", "Atlantis"], ["--place", "Atlantis"]),
    ],
)
def test_report_refuses_bad_filters(capsys, tmp_path, monkeypatch, argv, words):
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "report", "--site", "Kaliningrad", *argv)
    assert code == 2 and err.count("\n") == 1, err
    for word in words:
        assert word in err


def test_map_minutes_and_flight_times(capsys, tmp_path):
    out = tmp_path / "m.svg"
    code, _, err = run(
        capsys,
        "map",
        "--site",
        "Krichev-6",
        "--minutes",
        "5,10",
        "--place",
        "Berlin",
        "--flight-times",
        "-o",
        str(out),
    )
    assert code == 0, err
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", out.read_text(encoding="utf-8"))
    assert "5 min" in texts and "10 min" in texts
    assert any(re.fullmatch(r"Berlin [\d,]+ km · [\d.]+ min", t) for t in texts)


@pytest.mark.parametrize(
    ("argv", "words"),
    [(["--minutes", "5,ten"], ["--minutes", "'ten'"]), (["--minutes", "50"], ["longest"])],
)
def test_map_minutes_refused(capsys, tmp_path, argv, words):
    code, _, err = run(capsys, "map", "--site", "Kaliningrad", *argv, "-o", str(tmp_path / "x.png"))
    assert code == 2 and err.count("\n") == 1
    for word in words:
        assert word in err


def test_report_flight_times_are_the_flight_models(capsys):
    import csv as csv_module
    import io

    from pyproj import Geod

    from rangeviz import flight

    code, out, err = run(
        capsys,
        "report",
        "--site",
        "54.71,20.51",
        "--place",
        "Berlin",
        "--place",
        "Paris",
        "--flight",
        "ballistic",
        "--format",
        "csv",
    )
    assert code == 0, err
    rows = [r for r in csv_module.DictReader(io.StringIO(out)) if r["table"] == "place"]
    for row in rows:
        d = Geod(ellps="WGS84").inv(20.51, 54.71, float(row["lon"]), float(row["lat"]))[2] / 1000
        assert float(row["flight_min"]) == pytest.approx(flight.ballistic(d).time_min, abs=0.01)
    code, out, _ = run(
        capsys, "report", "--site", "Kaliningrad", "--place", "Berlin", "--flight", "880"
    )
    assert code == 0 and "Minutes" in out and "880 km/h" in out
    code, _, err = run(capsys, "report", "--site", "Kaliningrad", "--flight", "fast")
    assert code == 2 and "--flight 'fast'" in err


def test_render_on_worker_processes(capsys, tmp_path):
    pytest.importorskip("distributed")
    for name in ("a", "b"):
        (tmp_path / f"{name}.toml").write_text(f'sites = ["Minsk"]\noutput = "{name}.png"\n')
    code, _, err = run(
        capsys,
        "render",
        str(tmp_path / "a.toml"),
        str(tmp_path / "b.toml"),
        "--workers",
        "2",
        "--dpi",
        "30",
    )
    assert code == 0, err
    assert (tmp_path / "a.png").exists() and (tmp_path / "b.png").exists()
    code, _, err = run(capsys, "render", str(tmp_path / "a.toml"), "--workers", "2", "-o", "x.png")
    assert code == 2 and "--workers" in err


def test_union_progress_reaches_every_site_and_shows_only_on_a_terminal():
    import io

    from rangeviz import Scenario
    from rangeviz.batch import progress_bar
    from rangeviz.errors import InputError

    rng = np.random.default_rng(7)
    sites = list(zip(rng.uniform(10, 40, 300), rng.uniform(40, 60, 300), strict=True))
    seen = []
    gdf = Scenario(sites, dissolve=True).bands(progress=lambda *a: seen.append(a))
    assert len(gdf) == 1
    labels = {label for label, _, _ in seen}
    assert labels == {"INF Treaty band"}
    done = [d for _, d, _ in seen]
    assert done == sorted(done) and seen[-1][1:] == (300, 300)

    class Tty(io.StringIO):
        def isatty(self):
            return True

    quiet = io.StringIO()
    hook = progress_bar("bands", stream=quiet)
    for _, d, t in seen:
        hook("INF Treaty band", d, t)
    assert quiet.getvalue() == ""
    loud = Tty()
    hook = progress_bar("bands", stream=loud)
    for _, d, t in seen:
        hook("INF Treaty band", d, t)
    assert "bands: INF Treaty band" in loud.getvalue() and "300/300" in loud.getvalue()
    with pytest.raises(InputError, match="progress 5 must be a function"):
        Scenario(sites[:2]).bands(progress=5)


def test_without_tqdm_the_progress_bar_is_silent(monkeypatch):
    import io
    import sys

    from rangeviz.batch import progress_bar

    class Tty(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.setitem(sys.modules, "tqdm", None)  # the core install has no tqdm
    loud = Tty()
    progress_bar("bands", stream=loud)("INF Treaty band", 5, 10)
    assert loud.getvalue() == ""
