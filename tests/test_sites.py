"""Sites: the coordinate parser, the gazetteer and files of sites."""

from __future__ import annotations

import json
import math
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rangeviz.errors import InputError, UnknownNameError
from rangeviz.sites import (
    AmbiguousSiteWarning,
    Site,
    parse_coordinates,
    read_sites,
    resolve_site,
    search_places,
)
from rangeviz.sites.reported import reported_sites

DATA = Path(__file__).resolve().parents[1] / "rangeviz" / "data"

lats = st.floats(min_value=-90, max_value=90, allow_nan=False)
lons = st.floats(min_value=-180, max_value=180, allow_nan=False)


# --------------------------------------------------------------------------
# the parser: fixed examples


@pytest.mark.parametrize(
    "text",
    [
        "54.71,20.51",
        "54.71, 20.51",
        "54.71 20.51",
        "54.71;20.51",
        "(54.71, 20.51)",
        "54.71N 20.51E",
        "54.71N, 20.51E",
        "54.71 N 20.51 E",
        "54.71n 20.51e",
        "20.51E 54.71N",
        "N54.71 E20.51",
        "E20.51, N54.71",
        "54°42'36\"N 20°30'36\"E",
        "54°42'36''N 20°30'36''E",
        "54°42′36″N 20°30′36″E",
        "20°30'36\"E 54°42'36\"N",
        "54°42.6'N 20°30.6'E",
        "54 42 36 N 20 30 36 E",
        "54 42.6 N, 20 30.6 E",
        "54°42'36\" 20°30'36\"",
    ],
)
def test_the_forms_people_type(text):
    lon, lat = parse_coordinates(text)
    assert lon == pytest.approx(20.51, abs=1e-9)
    assert lat == pytest.approx(54.71, abs=1e-9)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("-33.87,151.21", (151.21, -33.87)),
        ("33.87S 151.21E", (151.21, -33.87)),
        ("40.71N 74.01W", (-74.01, 40.71)),
        ("40.71,-74.01", (-74.01, 40.71)),
        ("33°52'S 151°12'E", (151.2, -(33 + 52 / 60))),
        ("0°30'S 0°30'W", (-0.5, -0.5)),  # the sign of a value under one degree
        ("-0 30 0, 0 30 0", (0.5, -0.5)),
        ("90N 180W", (-180.0, 90.0)),
        ("-90,180", (180.0, -90.0)),
    ],
)
def test_signs_and_hemispheres(text, expected):
    assert parse_coordinates(text) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("91,20", ["latitude 91.0", "[-90, 90]", "swap"]),
        ("91N 20E", ["latitude 91.0"]),
        ("54,400", ["longitude 400.0", "[-180, 180]"]),
        ("20.51E 540N", ["latitude 540.0"]),
        ("abc", ["'abc'", "LAT,LON"]),
        ("", ["empty"]),
        ("   ", ["empty"]),
        ("nan,20", ["NaN"]),
        ("54,inf", ["infinity"]),
        ("NaN NaN", ["NaN"]),
        ("54N 20N", ["N/S", "E/W"]),
        ("20E 54E", ["E/W", "N/S"]),
        ("54S 20N", ["N/S"]),
        ("-54N 20E", ["-54N", "minus"]),
        ("54N -20E", ["-20E", "minus"]),
        ("54°60'N 20°E", ["minutes 60", "below 60"]),
        ("54 42 75 N 20 E", ["seconds 75", "below 60"]),
        ("54.5 30 N 20 E", ["degrees 54.5", "whole"]),
        ("54°-30'N 20E", ["minutes -30"]),
        ("54.71N 20.51", ["one value"]),
        ("54.71", ["two values"]),
        ("1,2,3", ["separators"]),
        ("54 42 36 20 30 36", ["no hemisphere letters"]),
        ("54:42N 20E", ["':'"]),
    ],
)
def test_rejections_name_the_value(text, words):
    with pytest.raises(InputError) as info:
        parse_coordinates(text)
    message = str(info.value)
    assert repr(text) in message
    for word in words:
        assert word in message, (word, message)


@pytest.mark.parametrize("bad", [None, 54.71, (54.71, 20.51)])
def test_parser_takes_text_only(bad):
    with pytest.raises(InputError):
        parse_coordinates(bad)


# --------------------------------------------------------------------------
# the parser: properties over the globe


def _dms(value: float, positive: str, negative: str, primes: tuple[str, str] = ("'", '"')) -> str:
    """``value`` as D°M'S.SS"H, rounded to 0.01 arc-second."""
    hundredths = round(abs(value) * 360000)
    degrees, rest = divmod(hundredths, 360000)
    minutes, rest = divmod(rest, 6000)
    letter = positive if value >= 0 else negative
    return f"{degrees}°{minutes}{primes[0]}{rest / 100:.2f}{primes[1]}{letter}"


@given(lat=lats, lon=lons, sep=st.sampled_from([",", ", ", " ", " , ", ";"]))
def test_round_trip_decimal_pair_is_lat_lon(lat, lon, sep):
    lon2, lat2 = parse_coordinates(f"{lat:.7f}{sep}{lon:.7f}")
    assert abs(lat2 - lat) <= 1e-7
    assert abs(lon2 - lon) <= 1e-7


@given(
    lat=lats,
    lon=lons,
    lon_first=st.booleans(),
    prefix=st.booleans(),
    sep=st.sampled_from([" ", ", ", ","]),
    lower=st.booleans(),
)
def test_round_trip_hemisphere_letters(lat, lon, lon_first, prefix, sep, lower):
    ns = "N" if lat >= 0 else "S"
    ew = "E" if lon >= 0 else "W"
    if lower:
        ns, ew = ns.lower(), ew.lower()
    parts = [(f"{abs(lat):.6f}", ns), (f"{abs(lon):.6f}", ew)]
    if lon_first:
        parts.reverse()
    text = sep.join(f"{h}{v}" if prefix else f"{v}{h}" for v, h in parts)
    lon2, lat2 = parse_coordinates(text)
    assert abs(lat2 - lat) <= 1e-6
    assert abs(lon2 - lon) <= 1e-6


@given(
    lat=lats,
    lon=lons,
    lon_first=st.booleans(),
    primes=st.sampled_from([("'", '"'), ("′", "″"), ("'", "''")]),
)
def test_round_trip_dms(lat, lon, lon_first, primes):
    parts = [_dms(lat, "N", "S", primes), _dms(lon, "E", "W", primes)]
    if lon_first:
        parts.reverse()
    lon2, lat2 = parse_coordinates(" ".join(parts))
    tolerance = 0.005 / 3600 + 1e-12  # half the 0.01" rounding
    assert abs(lat2 - lat) <= tolerance
    assert abs(lon2 - lon) <= tolerance


@given(lat=lats, lon=lons)
def test_round_trip_spaced_dms(lat, lon):
    def spaced(value: float, pos: str, neg: str) -> str:
        seconds = round(abs(value) * 3600)
        d, rest = divmod(seconds, 3600)
        m, s = divmod(rest, 60)
        return f"{d} {m} {s} {pos if value >= 0 else neg}"

    lon2, lat2 = parse_coordinates(f"{spaced(lat, 'N', 'S')} {spaced(lon, 'E', 'W')}")
    assert abs(lat2 - lat) <= 0.5 / 3600 + 1e-12
    assert abs(lon2 - lon) <= 0.5 / 3600 + 1e-12


@given(
    lat=st.floats(min_value=90.001, max_value=1e6) | st.floats(min_value=-1e6, max_value=-90.001),
    lon=lons,
)
def test_latitude_beyond_a_pole_is_rejected(lat, lon):
    with pytest.raises(InputError, match="latitude"):
        parse_coordinates(f"{lat:.4f},{lon:.4f}")
    ns = "N" if lat >= 0 else "S"
    ew = "E" if lon >= 0 else "W"
    with pytest.raises(InputError, match="latitude"):
        parse_coordinates(f"{abs(lon):.4f}{ew} {abs(lat):.4f}{ns}")


@given(lat=lats, lon=st.floats(min_value=180.001, max_value=1e6))
def test_longitude_beyond_the_antimeridian_is_rejected(lat, lon):
    with pytest.raises(InputError, match="longitude"):
        parse_coordinates(f"{lat:.4f},{lon:.4f}")
    with pytest.raises(InputError, match="longitude"):
        parse_coordinates(f"{lat:.4f},{-lon:.4f}")


@given(a=st.floats(min_value=0, max_value=90), b=st.floats(min_value=0, max_value=90))
@pytest.mark.parametrize("letters", [("N", "N"), ("S", "N"), ("E", "E"), ("W", "E")])
def test_two_values_on_one_axis_are_rejected(a, b, letters):
    with pytest.raises(InputError, match="both values"):
        parse_coordinates(f"{a:.3f}{letters[0]} {b:.3f}{letters[1]}")


@given(text=st.text(alphabet="0123456789.,;:-+ °'\"NSEWnsewxyz", max_size=20))
def test_parser_returns_valid_coordinates_or_input_error(text):
    try:
        lon, lat = parse_coordinates(text)
    except InputError:
        return
    assert -180 <= lon <= 180
    assert -90 <= lat <= 90


# --------------------------------------------------------------------------
# Site


def test_site_checks_itself():
    site = Site("K", 20, 54)
    assert (site.lon, site.lat) == (20.0, 54.0)
    assert isinstance(site.lon, float)
    with pytest.raises(InputError, match=r"latitude 91\.0 is outside \[-90, 90\]"):
        Site("K", 20.5, 91)
    with pytest.raises(InputError, match="swap"):
        Site("K", 54.7, 120.5)  # lat and lon given the wrong way round
    with pytest.raises(InputError, match=r"longitude 400\.0 is outside \[-180, 180\]"):
        Site("K", 400, 54)
    with pytest.raises(InputError, match="finite"):
        Site("K", math.nan, 54)
    with pytest.raises(InputError, match="finite"):
        Site("K", 20, math.inf)
    with pytest.raises(InputError, match="not a number"):
        Site("K", "20", 54)
    with pytest.raises(InputError, match="not a number"):
        Site("K", True, 54)
    with pytest.raises(InputError, match="name"):
        Site("  ", 20, 54)


# --------------------------------------------------------------------------
# resolve_site and the gazetteer


def test_coordinates_resolve_to_a_site_named_by_them():
    site = resolve_site("54.71N 20.51E")
    assert (site.lon, site.lat) == (20.51, 54.71)
    assert site.name == "54.71°N 20.51°E"


def test_name_equals_coordinates():
    site = resolve_site("Base=54.71,20.51")
    assert (site.name, site.lon, site.lat) == ("Base", 20.51, 54.71)
    site = resolve_site(" Forward base = 54°42'36\"N 20°30'36\"E ")
    assert site.name == "Forward base"
    assert site.lat == pytest.approx(54.71)
    with pytest.raises(InputError, match="name before '='"):
        resolve_site("=54.71,20.51")
    with pytest.raises(InputError, match="latitude 91"):
        resolve_site("Base=91,20")


def test_name_equals_place_relabels_it():
    site = resolve_site("HQ=Minsk")
    assert site.name == "HQ"
    assert site.country == "Belarus"
    assert (site.lon, site.lat) == pytest.approx((27.57, 53.90), abs=0.1)


def test_a_site_passes_through():
    site = Site("X", 1, 2)
    assert resolve_site(site) is site


# Reference positions: Wikipedia city coordinates (the gazetteer's are within ~0.1°).
@pytest.mark.parametrize(
    ("text", "name", "lon", "lat"),
    [
        ("Kaliningrad", "Kaliningrad", 20.51, 54.71),
        ("kaliningrad", "Kaliningrad", 20.51, 54.71),
        ("Krakow", "Kraków", 19.94, 50.06),
        ("KRAKÓW", "Kraków", 19.94, 50.06),
        ("Lodz", "Łódź", 19.46, 51.78),
        ("Paris, France", "Paris", 2.35, 48.86),
        ("Paris, FR", "Paris", 2.35, 48.86),
        ("London, Canada", "London", -81.25, 42.98),
        ("London, CA", "London", -81.25, 42.98),
        ("London, United Kingdom", "London", -0.13, 51.51),
        ("London, UK", "London", -0.13, 51.51),
        ("Washington, D.C.", "Washington, D.C.", -77.04, 38.91),
        ("Minsk", "Minsk", 27.56, 53.90),
    ],
)
def test_gazetteer_places(text, name, lon, lat):
    site = resolve_site(text)
    assert site.name == name
    assert site.lon == pytest.approx(lon, abs=0.1)
    assert site.lat == pytest.approx(lat, abs=0.1)
    assert "Natural Earth" in site.source
    assert site.kind in ("capital", "city")


def test_capitals_are_marked():
    assert resolve_site("Moscow").kind == "capital"
    assert resolve_site("Kaliningrad").kind == "city"


def test_ambiguous_name_picks_the_capital_and_warns():
    with pytest.warns(AmbiguousSiteWarning) as record:
        site = resolve_site("London")
    assert site.country == "United Kingdom"
    assert site.kind == "capital"
    [warning] = record
    message = str(warning.message)
    assert "London, United Kingdom" in message
    assert "Canada" in message
    assert "'London, Canada'" in message  # how to choose
    assert warning.message.chosen == site
    assert {s.country for s in warning.message.alternatives} >= {"Canada"}
    assert warning.filename == __file__  # stacklevel points at the caller


def test_a_capital_outranks_a_larger_city():
    # San Jose, California has more people than San José, Costa Rica's capital
    with pytest.warns(AmbiguousSiteWarning, match="United States"):
        site = resolve_site("San Jose")
    assert (site.name, site.country, site.kind) == ("San José", "Costa Rica", "capital")


def test_ambiguous_name_without_a_capital_picks_the_largest():
    with pytest.warns(AmbiguousSiteWarning, match="Venezuela"):
        site = resolve_site("Barcelona")
    assert site.country == "Spain"


def test_qualifier_narrows_but_may_stay_ambiguous():
    with pytest.warns(AmbiguousSiteWarning, match="give coordinates") as record:
        site = resolve_site("Aberdeen, US")
    assert site.country == "United States"
    assert all(s.country == site.country for s in record[0].message.alternatives)


def test_unambiguous_names_do_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        resolve_site("Kaliningrad")
        resolve_site("Barnaul")  # a city and a reported site at the same place
        resolve_site("Kapustin Yar")  # three catalog rows at the same place


def test_unknown_name_lists_closest_matches():
    with pytest.raises(UnknownNameError) as info:
        resolve_site("Kaliningra")  # part of a name: suggested, not guessed
    message = str(info.value)
    assert "'Kaliningra'" in message
    assert "Kaliningrad (Russia)" in message
    assert "LAT,LON" in message


def test_unknown_name_without_close_matches():
    with pytest.raises(UnknownNameError, match="no close matches"):
        resolve_site("Qqqqxxzzv")


def test_place_not_in_the_qualifying_country():
    with pytest.raises(UnknownNameError) as info:
        resolve_site("Paris, US")
    assert "'Paris'" in str(info.value)
    assert "France" in str(info.value)


def test_unknown_country_qualifier_suggests_one():
    with pytest.raises(UnknownNameError) as info:
        resolve_site("Paris, Fraance")
    assert "'Fraance'" in str(info.value)
    assert "France" in str(info.value)


@pytest.mark.parametrize("bad", ["", "   ", None])
def test_empty_site(bad):
    with pytest.raises(InputError):
        resolve_site(bad)


# --------------------------------------------------------------------------
# the reported sites of the catalog


@pytest.mark.parametrize("site", reported_sites(), ids=lambda s: s.name[:30])
def test_every_catalog_site_resolves_by_name_with_its_sources(site):
    if site.lat is None:
        with pytest.raises(InputError, match="no position") as info:
            resolve_site(site.name)
        assert site.sources[0].org in str(info.value)
        return
    found = resolve_site(site.name)
    if found.kind == "reported site":
        assert found.name == site.name
        assert found.source == site.citation
        assert site.system in found.note and site.certainty in found.note
    # a Natural Earth city of the same name may answer, but at the same place
    assert found.lon == pytest.approx(site.lon, abs=0.2)
    assert found.lat == pytest.approx(site.lat, abs=0.2)


@pytest.mark.parametrize(
    ("text", "lon", "lat", "source"),
    [
        ("Kapustin Yar", 45.74, 48.58, "US DoD On-Site Inspection Agency"),
        ("kapustin-yar", 45.74, 48.58, "US DoD On-Site Inspection Agency"),
        ("Kapustin Yar - launch site", 45.74, 48.58, "Ukrainian Air Force"),
        ("Krichev-6", 31.72, 53.70, "RFE/RL"),
        ("Greenham Common", -1.28, 51.38, "UK Parliament (Hansard)"),
        ("Mutlangen", 9.80, 48.82, "Reuters"),
        ("Wüschheim", 7.44, 50.04, "Christian Science Monitor"),
        ("Kapustin Yar, Russia", 45.74, 48.58, "US DoD On-Site Inspection Agency"),
        ("Mutlangen, DE", 9.80, 48.82, "Reuters"),
        ("Deveselu", 24.41, 44.08, "NATO"),
        ("Redzikowo", 17.10, 54.48, "NATO"),
        ("Büchel", 7.063, 50.174, "NTI"),
        ("Ramstein", 7.60, 49.437, "NATO Allied Air Command"),
    ],
)
def test_reported_sites_by_short_name(text, lon, lat, source):
    site = resolve_site(text)
    assert site.kind == "reported site"
    assert (site.lon, site.lat) == (lon, lat)
    assert source in site.source


def test_reported_site_without_position_says_so():
    with pytest.raises(InputError) as info:
        resolve_site("Bradshaw Training Area")
    message = str(info.value)
    assert "no position" in message
    assert "NAME=LAT,LON" in message
    assert not isinstance(info.value, UnknownNameError)


# --------------------------------------------------------------------------
# search


def test_search_finds_by_part_of_a_name():
    found = search_places("Kalinin")
    assert found[0].name == "Kaliningrad"
    assert all(isinstance(s, Site) for s in found)
    assert len(found) <= 10


def test_search_lists_reported_sites_with_sources():
    found = search_places("kapustin", limit=5)[:3]  # then similar spellings
    assert [s.name for s in found] == [
        "Kapustin Yar - INF elimination site",
        "Kapustin Yar (Znamensk) - training battalion",
        "Kapustin Yar - launch site",
    ]
    assert all(s.kind == "reported site" for s in found)
    assert all(s.source for s in found)  # cited by organisation


def test_search_ranks_exact_then_prominent_and_honours_limit():
    found = search_places("london", limit=3)
    assert [s.name for s in found] == ["London"] * 3
    assert found[0].country == "United Kingdom"
    assert [s.country for s in search_places("London, CA", limit=2)] == ["Canada"]


def test_search_tolerates_misspellings():
    assert "Kraków" in [s.name for s in search_places("Krakov")]


@pytest.mark.parametrize(("query", "limit"), [("", 10), ("  ", 10), ("x", 0), ("x", -1)])
def test_search_rejects_bad_arguments(query, limit):
    with pytest.raises(InputError):
        search_places(query, limit=limit)


# --------------------------------------------------------------------------
# files of sites


def test_read_csv(tmp_path):
    path = tmp_path / "bases.csv"
    path.write_text(
        "Name,Latitude,Longitude,Source,Comment\n"
        "Kaliningrad,54.71,20.51,Wikipedia,ignored\n"
        "\n"
        ",50,-10,,\n",
        encoding="utf-8",
    )
    sites = read_sites(path)
    assert sites == [
        Site("Kaliningrad", 20.51, 54.71, source="Wikipedia"),
        Site("50.00°N 10.00°W", -10.0, 50.0),
    ]


def test_read_csv_with_semicolons_and_a_bom(tmp_path):
    path = tmp_path / "bases.csv"
    path.write_bytes("\ufeffname;lat;lon\nA;54.71;20.51\n".encode())
    assert read_sites(str(path)) == [Site("A", 20.51, 54.71)]


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("name,lat,lon\nA,54.7,20.5\nB,north,20.5\n", ["line 3", "'lat'", "'north'"]),
        ("name,lat,lon\nA,54.7,20.5\n\nB,54.7,east\n", ["line 4", "'lon'", "'east'"]),
        ("name,lat,lon\nA,91,20.5\n", ["line 2", "'lat'", "'91'", "[-90, 90]"]),
        ("name,lat,lon\nA,54.7,400\n", ["line 2", "'lon'", "'400'", "[-180, 180]"]),
        ("name,lat,lon\nA,nan,20\n", ["line 2", "'nan'"]),
        ("name,lat,lon\nA,54.7\n", ["line 2", "2 fields", "3"]),
        ('name,lat,lon\nA,"54,7",20\n', ["line 2", "'54,7'", "decimal point"]),
        ("54.7,20.5\n", ["header"]),
        ("name,latitude\nA,54.7\n", ["'lon'", "name, latitude"]),
        ("name,lat,lon\n", ["no sites"]),
        ("", ["empty"]),
    ],
)
def test_malformed_csv_names_file_line_column_value(tmp_path, content, words):
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_sites(path)
    message = str(info.value)
    assert "bad.csv" in message
    for word in words:
        assert word in message, (word, message)


def _feature(geometry, **properties):
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def test_read_geojson(tmp_path):
    path = tmp_path / "sites.geojson"
    collection = {
        "type": "FeatureCollection",
        "features": [
            _feature({"type": "Point", "coordinates": [20.51, 54.71]}, name="K", note="n"),
            _feature({"type": "Point", "coordinates": [-10, 50, 12.0]}, Name="With height"),
            _feature({"type": "Point", "coordinates": [1, 2]}),
        ],
    }
    path.write_text(json.dumps(collection), encoding="utf-8")
    assert read_sites(path) == [
        Site("K", 20.51, 54.71, note="n"),
        Site("With height", -10.0, 50.0),
        Site("2.00°N 1.00°E", 1.0, 2.0),
    ]


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (
            {
                "type": "FeatureCollection",
                "features": [
                    _feature({"type": "Point", "coordinates": [1, 2]}, name="ok"),
                    _feature({"type": "LineString", "coordinates": [[1, 2], [3, 4]]}),
                ],
            },
            ["feature 1", "LineString", "Point"],
        ),
        (
            {"type": "FeatureCollection", "features": [_feature(None)]},
            ["feature 0", "None"],
        ),
        (
            {
                "type": "FeatureCollection",
                "features": [_feature({"type": "Point", "coordinates": [54.7, 95]}, name="x")],
            },
            ["feature 0", "latitude 95.0"],
        ),
        (
            {
                "type": "FeatureCollection",
                "features": [_feature({"type": "Point", "coordinates": ["a", 1]})],
            },
            ["feature 0", "[lon, lat]"],
        ),
        ({"type": "Point", "coordinates": [1, 2]}, ["'Point'", "FeatureCollection"]),
        ([1, 2], ["FeatureCollection"]),
    ],
)
def test_malformed_geojson_names_the_feature(tmp_path, data, words):
    path = tmp_path / "bad.geojson"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_sites(path)
    for word in ["bad.geojson", *words]:
        assert word in str(info.value), (word, str(info.value))


def test_invalid_json(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"type": "FeatureCollection",\n "features": [}', encoding="utf-8")
    with pytest.raises(InputError, match=r"not valid JSON \(line 2"):
        read_sites(path)


def test_missing_file_and_unknown_extension(tmp_path):
    with pytest.raises(InputError, match=r"'nowhere\.csv' does not exist"):
        read_sites("nowhere.csv")
    path = tmp_path / "sites.xlsx"
    path.write_bytes(b"")
    with pytest.raises(InputError) as info:
        read_sites(path)
    for word in (".xlsx", ".csv", ".geojson"):
        assert word in str(info.value)


def test_non_utf8_file(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("name,lat,lon\nKraków,50.06,19.94\n".encode("latin-1"))
    with pytest.raises(InputError, match="UTF-8"):
        read_sites(path)


# --------------------------------------------------------------------------
# import cost


def test_import_is_light():
    code = (
        "import sys, rangeviz.sites, rangeviz.systems\n"
        "heavy = [m for m in ('pandas', 'geopandas', 'matplotlib', 'pyogrio') "
        "if m in sys.modules]\n"
        "print(','.join(heavy))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_transliteration_variant_resolves_with_a_note():
    from rangeviz.sites import AmbiguousSiteWarning, resolve_site

    with pytest.warns(AmbiguousSiteWarning, match="closest spelling"):
        site = resolve_site("Petropavlovsk-Kamchatsky")
    assert site.country == "Russia"
    assert abs(site.lon - 158.65) < 0.1
    with pytest.warns(AmbiguousSiteWarning, match="closest spelling"):  # one typo: guessed
        assert resolve_site("Kalinigrad").name == "Kaliningrad"


def test_the_quick_path_answers_as_the_full_gazetteer():
    """A name looked up before the gazetteer is built gets the very places it would after."""
    from rangeviz.geodata import data_dir
    from rangeviz.sites import gazetteer as gz

    ne = gz._ne_columns(str(data_dir()))
    texts = [ne["name"][i] for i in range(0, len(ne["name"]), 37) if ne["name"][i]]
    texts += [s.name for s in reported_sites()]
    texts += ["Moscow", "moscow", "Paris", "London", "Portland", "Kiev", "Kyiv", "Lodz", "Vilnius"]
    gz._build.cache_clear()
    quick = {text: gz.quick_matches(text) for text in texts}
    assert gz._build.cache_info().currsize == 0, "the quick path built the gazetteer"
    assert sum(v is not None for v in quick.values()) > 0.9 * len(texts)
    g = gz.gazetteer()
    for text, places in quick.items():
        full = sorted((g.places[i] for i in gz.matches(g, gz.fold(text))), key=lambda p: p.rank)
        if places is None:
            continue  # the full path answers (an alias, a typo)
        assert sorted(places, key=lambda p: p.rank) == full, text
    assert gz.quick_matches("Moscow") is None  # built now: one index, no second path
