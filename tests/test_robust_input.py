"""Every input ends in one clear line: scenario files (TOML), files of sites (CSV,
GeoJSON), coordinate text and the command line's options -- whatever their bytes.

A reader raises :class:`~rangeviz.errors.InputError` (a ``ValueError``) naming the
file, the key or option, and what is allowed; never another exception, never a
message that quotes more of a file than a short column name.
"""

from __future__ import annotations

import datetime as dt
import math
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rangeviz import load_scenario, parse_coordinates, read_sites
from rangeviz.cli import main
from rangeviz.errors import InputError
from rangeviz.scenario_file import MAP_KEYS, TOP_KEYS, scenario_from_dict


def one_line(exc: BaseException, limit: int = 400) -> str:
    message = str(exc)
    assert "\n" not in message, message
    assert 0 < len(message) <= limit, message[:500]
    return message


def run(capsys, *argv):
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def cli_error(capsys, *argv) -> str:
    code, _, err = run(capsys, *argv)
    lines = err.strip().splitlines()
    assert code == 2, err
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


# --------------------------------------------------------------------------
# scenario files: every key's type


def toml(tmp_path: Path, text: str, name: str = "brief.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


SITE = "sites = ['54.71,20.51']\n"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("sites = [['a', 'b']]\n", ["sites[0]"]),
        ("sites = [[true, false]]\n", ["sites[0]", "True", "not a number"]),
        ("sites = 5\n", ["sites", "list"]),
        ("sites = [{ name = 'a', lat = true, lon = false }]\n", ["sites[0]", "not a number"]),
        ("sites = [{ name = 5, lat = 1, lon = 2 }]\n", ["sites[0].name", "text"]),
        ("sites = [{ name = 'a', at = 5 }]\n", ["sites[0].at"]),
        ("sites = [{ name = 'a', lat = nan, lon = 0 }]\n", ["sites[0]", "finite"]),
        ("sites = [{ name = 'a', lat = 0, lon = inf }]\n", ["sites[0]", "finite"]),
        ("sites = [{ name = 'a', lat = 1, lon = 2, colour = 'red' }]\n", ["sites[0]", "colour"]),
        (SITE + "sites_file = 5\n", ["sites_file", "list"]),
        (SITE + "sites_file = [5]\n", ["sites_file[0]", "text"]),
        (SITE + "sites_file = ['']\n", ["sites_file[0]", "empty"]),
        (SITE + "targets = 5\n", ["targets", "list"]),
        (SITE + "ranges = 5\n", ["ranges", "list"]),
        (SITE + "systems = true\n", ["systems", "list"]),
        (SITE + "ranges = [5]\n", ["ranges[0]", "not a band"]),
        (SITE + "ranges = [{ system = 5 }]\n", ["ranges[0]"]),
        (SITE + "ranges = [{ label = 'x', inner_km = 0, outer_km = true }]\n", ["outer_km"]),
        (SITE + "ranges = [{ label = 'x', inner_km = 0, outer_km = 5500000 }]\n", ["metres"]),
        (SITE + "ranges = [{ label = 'x', inner_km = 0, outer_km = 25000 }]\n", ["antipodal"]),
        (SITE + "ranges = [{ label = 'x', inner_km = 0, outer_km = 100, sources = 5 }]\n", []),
        (SITE + "ranges = [{ label = 'x', inner_km = 0, outer_km = 100, note = [1, 2] }]\n", []),
        (SITE + "ranges = [{ label = 'x', inner_km = 0, outer_km = 10, color = 5 }]\n", ["color"]),
        (SITE + "ranges = [{ label = 'x', inner_km = 0, outer_km = 9, linestyle = 'x' }]\n", []),
        (SITE + "title = 5\n", ["title", "text"]),
        (SITE + "subtitle = 1979-05-27\n", ["subtitle"]),
        (SITE + 'title = "a\\u0001b"\n', ["title", "control"]),
        (SITE + "title = '" + "x" * 5000 + "'\n", ["title", "characters"]),
        (SITE + "output = 5\n", ["output", "text"]),
        (SITE + 'output = "a\\u0000.png"\n', ["output", "control"]),
        (SITE + "dissolve = 'yes'\n", ["dissolve", "true or false"]),
        (SITE + "map = 5\n", ["map", "table"]),
        (SITE + "[map]\ndpi = 0\n", ["map.dpi", "10 to 1200"]),
        (SITE + "[map]\ndpi = '200'\n", ["map.dpi"]),
        (SITE + "[map]\ndpi = 2.5\n", ["map.dpi"]),
        (SITE + "[map]\nextent = ['a', 'b', 'c', 'd']\n", ["map.extent"]),
        (SITE + "[map]\nextent = [1, 2, 3]\n", ["map.extent"]),
        (SITE + "[map]\nsize = { w = 1 }\n", ["map.size"]),
        (SITE + "[map]\nrings_km = '500'\n", ["map.rings_km"]),
        (SITE + "[map]\nradials = 2.5\n", ["map.radials"]),
        (SITE + "[map]\nlegend = 'no'\n", ["map.legend", "true or false"]),
        (SITE + "[map]\ngraticule = 1\n", ["map.graticule", "true or false"]),
        (SITE + "[map]\nlabels = ['capitals']\n", ["map.labels"]),
        (SITE + "[map]\nhighlight = 5\n", ["map.highlight"]),
        (SITE + "[map]\nprojection = { a = 1 }\n", ["map.projection"]),
        (SITE + "[map]\nsource = [1]\n", ["map.source", "text"]),
        (SITE + "[map]\ntitle = false\n", ["map.title", "text"]),
        (SITE + "[map]\ncolour = 'red'\n", ["map.colour", "allowed"]),
        (SITE + "places = 5\n", ["places", "list"]),
        (SITE + "places = [[true]]\n", ["places[0]"]),
        (SITE + "[map]\ndistances = 'yes'\n", ["map.distances", "true or false"]),
        (SITE + "[map]\nfont = 5\n", ["map.font"]),
        (SITE + "[map]\nrename = 'Kyiv'\n", ["map.rename"]),
        (SITE + "[map]\nrename = { Kyiv = 5 }\n", ["map.rename"]),
        (SITE + "[map]\nminutes = 'ten'\n", ["map.minutes"]),
        (SITE + "[map]\nminutes = [5, 'ten']\n", ["map.minutes[1]"]),
        (SITE + "[map]\nflight_times = 1\n", ["map.flight_times", "true or false"]),
        (SITE + "[map]\nrotating_earth = 1\n", ["map.rotating_earth", "true or false"]),
        ("sites = " + "[" * 5000 + "]" * 5000 + "\n", ["too deeply"]),
        ("a = " + "{ b = " * 3000 + "1" + " }" * 3000 + "\n", []),
        ("sites = [\n", ["not valid TOML"]),
    ],
)
def test_every_key_is_checked_and_named(tmp_path, text, words):
    path = toml(tmp_path, text)
    with pytest.raises(InputError) as info:
        load_scenario(path)
    message = one_line(info.value)
    assert message.startswith("brief.toml: ") or "'" + str(path) in message, message
    for word in words:
        assert word in message, (word, message)


def test_every_key_of_the_format_is_covered():
    """The list above tries a wrong type for every key a scenario file may have."""
    tried = {
        "dissolve",
        "map",
        "output",
        "places",
        "ranges",
        "sites",
        "sites_file",
        "subtitle",
        "systems",
        "targets",
        "title",
    }
    assert set(TOP_KEYS) == tried
    tried_map = {"dpi", "extent", "size", "rings_km", "radials", "legend", "graticule"}
    tried_map |= {"labels", "highlight", "projection", "source", "title", "subtitle"}
    tried_map |= {"distances", "font", "rename", "minutes", "flight_times", "rotating_earth"}
    assert set(MAP_KEYS) <= tried_map | {"subtitle"}


def test_scenario_files_that_are_not_text(tmp_path):
    cases = {
        "binary.toml": os.urandom(64) + b"\xff\xfe",
        "big.toml": b"# " + b"x" * 1_100_000 + b"\n",
        "bom.toml": b"\xef\xbb\xbf" + b"sites = ['54.71,20.51']\n",
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
    with pytest.raises(InputError, match="not UTF-8"):
        load_scenario(tmp_path / "binary.toml")
    with pytest.raises(InputError, match="at most"):
        load_scenario(tmp_path / "big.toml")
    assert load_scenario(tmp_path / "bom.toml").sites[0].lat == pytest.approx(54.71)
    with pytest.raises(InputError, match="is a directory") as info:
        load_scenario(tmp_path)
    assert "cannot be read" not in str(info.value)


# --------------------------------------------------------------------------
# scenario files stay in their folder


@pytest.fixture
def nest(tmp_path):
    """A scenario folder inside a folder holding a file it must not touch."""
    inner = tmp_path / "scenario"
    inner.mkdir()
    (tmp_path / "victim.png").write_bytes(b"victim")
    (tmp_path / "secret.csv").write_text("TOPSECRET-PASSWORD,hunter2\n1,2\n")
    return inner


@pytest.mark.parametrize(
    "line",
    [
        "output = '../victim.png'",
        "output = '{root}/victim.png'",
        "output = 'out/../../victim.png'",
        "sites_file = '../secret.csv'",
        "sites_file = '{root}/secret.csv'",
        "output = 'link/victim.png'",  # a symlinked folder pointing out
        "sites_file = 'secret-link.csv'",  # a symlink pointing out
    ],
)
def test_a_scenario_cannot_name_files_outside_its_folder(nest, capsys, line):
    root = nest.parent
    (nest / "link").symlink_to(root)
    (nest / "secret-link.csv").symlink_to(root / "secret.csv")
    path = toml(nest, SITE + line.format(root=root) + "\n")
    err = cli_error(capsys, "render", str(path))
    assert "outside the scenario's folder" in err and "--allow-outside" in err
    assert "TOPSECRET" not in err and "hunter2" not in err
    assert (root / "victim.png").read_bytes() == b"victim"


@pytest.mark.slow
def test_allow_outside_lets_the_user_choose(nest, capsys):
    path = toml(
        nest,
        SITE + "ranges = [{ label = 'x', inner_km = 0, outer_km = 200 }]\n"
        "output = '../out.png'\n[map]\ndpi = 20\n",
    )
    code, _, err = run(capsys, "render", "--allow-outside", str(path))
    assert code == 0, err
    assert (nest.parent / "out.png").read_bytes()[:4] == b"\x89PNG"
    with pytest.raises(InputError, match="allow_outside"):
        load_scenario(path, allow_outside="yes")


def test_messages_quote_no_more_of_a_file_than_short_column_names(tmp_path):
    secret = "TOPSECRET-" + "x" * 100
    (tmp_path / "inside.csv").write_text(f"{secret},hunter,a,b,c,d,e,f,g\n1,2,3,4,5,6,7,8,9\n")
    path = toml(tmp_path, "sites_file = 'inside.csv'\n")
    with pytest.raises(InputError) as info:
        load_scenario(path)
    message = one_line(info.value)
    assert "inside.csv" in message and "no 'lat' column" in message
    assert "x" * 30 not in message  # a long "column name" is cut
    assert "and 3 more" in message  # and only the first few are listed


# --------------------------------------------------------------------------
# files of sites


def sites_file(tmp_path: Path, name: str, data: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


FEATURE = (
    '{{"type":"FeatureCollection","features":[{{"type":"Feature","geometry":'
    '{{"type":"Point","coordinates":[{x},{y}]}},"properties":{props}}}]}}'
)


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("a.csv", "name,lat,lon\n" + "x" * 200_000 + ",1,2\n", ["line 2", "field"]),
        ("a.csv", "name,lat,lon,note\na,1,2," + "n" * 200_000 + "\n", ["line 2"]),
        ("a.csv", "name,lat,lon\na,1" + "0" * 400 + ",2\n", ["line 2", "at most 50"]),
        ("a.csv", "name,lat,lon\na,inf,2\n", ["line 2", "'inf'"]),
        ("a.csv", "name,lat,lon\na\0b,1,2\n", ["line 2", "control"]),
        ("a.csv", os.urandom(500) + b"\xff", ["UTF-8"]),
        ("a.csv", "name,lat,lon,c" + ",c" * 50_000 + "\na,1,2\n", ["line 2"]),
        ("a.geojson", FEATURE.format(x="1" + "0" * 400, y=2, props="{}"), ["at most 50"]),
        ("a.geojson", FEATURE.format(x="1" * 400 + ".5", y=2, props="{}"), ["at most 50"]),
        ("a.geojson", FEATURE.format(x="NaN", y=2, props="{}"), ["NaN"]),
        ("a.geojson", FEATURE.format(x="Infinity", y=2, props="{}"), ["Infinity"]),
        ("a.geojson", FEATURE.format(x="true", y="false", props="{}"), ["coordinates"]),
        ("a.geojson", FEATURE.format(x=1, y=2, props='{"name":{"a":1}}'), ["name", "text"]),
        ("a.geojson", FEATURE.format(x=1, y=2, props='{"name":"a\\u0000"}'), ["control"]),
        ("a.geojson", FEATURE.format(x=2283000, y=7300000, props="{}"), ["latitude"]),
        ("a.geojson", "[" * 200_000 + "]" * 200_000, ["too deeply"]),
        ("a.geojson", '{"a":' * 100_000 + "1" + "}" * 100_000, ["too deeply"]),
        ("a.geojson", '{"type":"FeatureCollection","features":{}}', ["list"]),
        ("a.geojson", "[1, 2]", ["FeatureCollection"]),
    ],
)
def test_files_of_sites_fail_in_one_line(tmp_path, name, data, words):
    path = sites_file(tmp_path, name, data)
    with pytest.raises(InputError) as info:
        read_sites(path)
    message = one_line(info.value)
    assert name in message
    for word in words:
        assert word in message, (word, message)


@pytest.mark.parametrize("bad", [None, 5, b"a.csv", "", "a\0.csv", ["a.csv"]])
def test_read_sites_checks_its_path(bad):
    with pytest.raises(InputError) as info:
        read_sites(bad)
    one_line(info.value, 200)


def test_a_pipe_of_sites_is_read_up_to_the_limit(tmp_path):
    import threading

    fifo = tmp_path / "sites.csv"
    os.mkfifo(fifo)

    def feed():
        with open(fifo, "w") as f:
            f.write("name,lat,lon\nA,54.71,20.51\n")

    feeder = threading.Thread(target=feed)
    feeder.start()
    assert [s.name for s in read_sites(fifo)] == ["A"]
    feeder.join(5)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".csv", ".geojson", ".toml"]))
def test_random_bytes_only_ever_give_input_errors(tmp_path_factory, data, suffix):
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / f"f{suffix}"
    path.write_bytes(data)
    try:
        load_scenario(path) if suffix == ".toml" else read_sites(path)
    except InputError as exc:
        one_line(exc, 600)


# TOML-like values: what tomllib can hand over
scalars = (
    st.text(max_size=12)
    | st.integers(-(10**20), 10**20)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.booleans()
    | st.dates()
    | st.datetimes()
    | st.times()
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
plausible = {
    "sites": st.sampled_from(["54.71,20.51", "Kaliningrad", "nan,0", "91,0"])
    | st.fixed_dictionaries({"name": values, "lat": values, "lon": values})
    | values,
    "ranges": st.lists(
        st.sampled_from(["INF", "SSC-8"])
        | st.fixed_dictionaries({"label": values, "inner_km": values, "outer_km": values})
        | values,
        max_size=3,
    ),
}


@st.composite
def scenario_tables(draw):
    keys = draw(st.lists(st.sampled_from([*TOP_KEYS, "colour"]), max_size=5, unique=True))
    table = {k: draw(plausible.get(k, values)) for k in keys}
    if draw(st.booleans()):
        options = draw(st.lists(st.sampled_from([*MAP_KEYS, "x"]), max_size=4, unique=True))
        table["map"] = {k: draw(values) for k in options}
    return table


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table=scenario_tables())
def test_random_scenarios_only_ever_give_input_errors(tmp_path_factory, table):
    base = tmp_path_factory.getbasetemp()
    try:
        scenario_from_dict(table, base=base, name="fuzz.toml")
    except InputError as exc:
        message = one_line(exc, 1000)
        assert message.startswith("fuzz.toml: "), message


def test_tomllib_values_are_what_the_fuzzer_makes():
    import tomllib

    doc = tomllib.loads("a = 1979-05-27\nb = 07:32:00\nc = 1979-05-27T07:32:00Z\nd = nan\n")
    assert isinstance(doc["a"], dt.date) and isinstance(doc["b"], dt.time)
    assert isinstance(doc["c"], dt.datetime) and math.isnan(doc["d"])


# --------------------------------------------------------------------------
# coordinate text


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("1" * 60 + ",0", ["at most 50"]),
        ("0." + "0" * 100 + "1,0", ["at most 50"]),
        ("0." + "0" * 1000 + "1,0", ["at most 200"]),
        ("1," * 50_000, ["at most 200"]),
        ("nan,0", ["NaN"]),
        ("inf,inf", ["NaN and infinity"]),
    ],
)
def test_coordinate_text_limits(text, words):
    with pytest.raises(InputError) as info:
        parse_coordinates(text)
    message = one_line(info.value)
    for word in words:
        assert word in message


def test_nan_is_not_called_an_unknown_country(capsys):
    err = cli_error(capsys, "map", "--site", "nan,0", "-o", "x.png")
    assert "NaN" in err and "country" not in err


def test_a_town_called_nan_is_still_a_place():
    from rangeviz.sites.coordinates import looks_like_coordinates

    assert not looks_like_coordinates("Nan")
    assert not looks_like_coordinates("Nan, Thailand")
    assert looks_like_coordinates("nan,0") and looks_like_coordinates("inf 5")


# --------------------------------------------------------------------------
# the command line's options


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["export", "--site", "1,2", "--outer", "5500000"], ["--outer", "metres"]),
        (["export", "--site", "1,2", "--outer", "25000"], ["--outer", "antipodal"]),
        (["export", "--site", "1,2", "--inner", "nan"], ["--inner", "finite"]),
        (["export", "--site", "1,2", "--outer", "1e400"], ["--outer", "finite"]),
        (["export", "--site", "1,2", "--inner", "0", "--outer", "9", "--label", "a\0"], ["label"]),
        (["map", "--site", "1,2", "--dpi", "0"], ["--dpi", "10 to 1200"]),
        (["map", "--site", "1,2", "--title", "a\x01b"], ["--title", "control"]),
        (["map", "--site", "1,2", "--title", "x" * 100_000], ["--title", "at most"]),
        (["map", "--site", "1,2", "--rings", "nan"], ["--rings"]),
        (["map", "--site", "1,2", "--radials", "0"], ["--radials"]),
        (["map", "--site", "1" * 400 + ",0"], ["--site", "at most"]),
        (["sites", "x" * 1_000_000], ["QUERY", "at most 200"]),
    ],
)
def test_options_fail_in_one_line_naming_the_option(capsys, tmp_path, monkeypatch, argv, words):
    monkeypatch.chdir(tmp_path)
    output = {"export": ["-o", "x.geojson"], "map": ["-o", "x.png"]}.get(argv[0], [])
    err = cli_error(capsys, *argv, *output)
    for word in words:
        assert word in err, (word, err)
    assert len(err) < 400
    assert not list(tmp_path.iterdir())


def test_render_dpi_is_named_as_typed(capsys, tmp_path):
    path = toml(tmp_path, SITE)
    err = cli_error(capsys, "render", str(path), "--dpi", "0")
    assert err.startswith("rangeviz: error: --dpi 0")


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["-o", "x.png"], [".png", ".csv", ".json", ".md", ".txt"]),
        (["--format", "json", "-o", "r.csv"], ["--format json", "r.csv", ".json"]),
        (["--format", "table", "-o", "r.md"], ["--format table", ".txt"]),
        (["-o", "a\0.csv"], ["NUL"]),
        (["-o", ""], ["empty"]),
    ],
)
def test_report_output_must_match_its_format(capsys, tmp_path, monkeypatch, argv, words):
    monkeypatch.chdir(tmp_path)
    err = cli_error(capsys, "report", "--site", "1,2", *argv)
    for word in words:
        assert word in err, (word, err)
    assert not list(tmp_path.iterdir())


def test_report_formats_by_extension_or_flag(capsys, tmp_path, monkeypatch):
    from rangeviz._commands import report_format

    assert report_format(None, None) == "table"
    assert report_format("json", None) == "json"
    assert report_format(None, "r.txt") == "table"
    assert report_format(None, "R.JSON") == "json"
    assert report_format("csv", "r.csv") == "csv"
    assert report_format("json", "/dev/stdout") == "json"
    assert report_format(None, "REPORT") == "table"
