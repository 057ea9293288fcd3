"""One naming convention -- current English names -- for maps, reports and the gazetteer.

Positions are checked against coordinates published independently of Natural
Earth (the places' own city-hall or national-survey coordinates, rounded), so
a name that finds the wrong town fails here.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from pyproj import Geod

from rangeviz import names, resolve_site
from rangeviz.geodata import read_layer, read_places
from rangeviz.places import places_table

GEOD = Geod(ellps="WGS84")

# (typed, shown, country, lat, lon): the English name, the old or local form, both find it
CURRENT = [
    ("Copenhagen", "Copenhagen", "Denmark", 55.676, 12.568),
    ("København", "Copenhagen", "Denmark", 55.676, 12.568),
    ("Kyiv", "Kyiv", "Ukraine", 50.450, 30.523),
    ("Kiev", "Kyiv", "Ukraine", 50.450, 30.523),
    ("Nuremberg", "Nuremberg", "Germany", 49.454, 11.077),
    ("Nürnberg", "Nuremberg", "Germany", 49.454, 11.077),
    ("Gothenburg", "Gothenburg", "Sweden", 57.709, 11.975),
    ("Göteborg", "Gothenburg", "Sweden", 57.709, 11.975),
    ("Lviv", "Lviv", "Ukraine", 49.839, 24.029),
    ("Antwerp", "Antwerp", "Belgium", 51.219, 4.402),
    ("Skopje", "Skopje", "North Macedonia", 41.998, 21.425),
    ("Ankara", "Ankara", "Türkiye", 39.934, 32.860),
    ("Mbabane", "Mbabane", "Eswatini", -26.305, 31.136),
    ("Praha", "Prague", "Czechia", 50.075, 14.437),
    ("Moskva", "Moscow", "Russia", 55.756, 37.617),
]


@pytest.mark.parametrize(("typed", "shown", "country", "lat", "lon"), CURRENT)
def test_names_are_found_in_every_form_and_shown_in_the_current_one(
    typed, shown, country, lat, lon
):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Odessa, Texas and the like are another test
        site = resolve_site(typed)
    assert (site.name, site.country) == (shown, country)
    _, _, metres = GEOD.inv(lon, lat, site.lon, site.lat)
    assert metres < 25_000, f"{typed} found {site.name} {metres / 1000:.0f} km away"


def test_country_qualifiers_take_old_and_new_names():
    assert resolve_site("Ankara, Turkey") == resolve_site("Ankara, Türkiye")
    assert resolve_site("Skopje, Macedonia") == resolve_site("Skopje, North Macedonia")


def test_one_national_capital_per_country_and_only_of_states():
    caps = names.capitals(read_places("10m"))
    assert caps["adm0_a3"].is_unique
    shown = set(caps["name"])
    # territories' and unrecognised states' capitals are not national capitals
    assert not {"Hamilton", "Hargeysa", "Nuuk", "Tórshavn"} & shown
    # where a country has several capitals, the table's choice
    assert {"Pretoria", "Kyiv", "Copenhagen", "Amsterdam"} <= shown
    assert not {"Kiev", "København", "Cape Town", "Bloemfontein"} & shown
    # about the UN's 193 members and 2 observers, give or take Natural Earth's choices
    assert 185 <= len(caps) <= 200


def test_capital_and_country_tables_spell_countries_alike():
    caps = names.capitals(read_places("10m"))
    countries = names.country_names()
    layer = read_layer("countries", "50m")
    # every capital's country but the smallest (Tuvalu) has a shape at 1:50m
    assert len(set(caps["adm0_a3"]) - set(layer["adm0_a3"])) <= 2
    for code, country in zip(caps["adm0_a3"], caps["country"], strict=True):
        assert country == countries.get(code, country)
    # and no abbreviations made for small maps ("Bosnia and Herz.")
    assert not [n for n in caps["country"] if "." in n]


def test_report_and_places_use_the_convention():
    table, _ = places_table("capitals")
    shown = set(table["place"])
    assert {"Kyiv", "Copenhagen", "Skopje"} <= shown
    assert not {"Kiev", "København"} & shown
    assert set(table.loc[table["place"] == "Skopje", "country"]) == {"North Macedonia"}


def test_every_change_has_a_source_and_matches_the_data():
    places = read_places("10m")
    codes = set(read_layer("countries", "50m")["adm0_a3"])
    pairs = set(zip(places["adm0_a3"], places["name"], strict=True))
    for row in names.renames():
        assert row.kind in ("country", "place", "capital"), row
        assert row.source, f"{row.name}: no source"
        assert row.code in codes, f"{row.name}: no country {row.code}"
        if row.kind in ("place", "capital"):
            assert (row.code, row.natural_earth) in pairs, f"{row.natural_earth} not in the data"


def test_national_capitals_are_the_capitals_the_report_lists():
    """The map's pandas-free table and the report's DataFrame hold the same capitals."""
    from rangeviz import geodata
    from rangeviz.names import capitals, national_capitals
    from rangeviz.places import places_table

    fast = national_capitals()
    frame = capitals(geodata.read_places("10m"))
    report, _ = places_table("capitals")
    assert fast.name.tolist() == frame["name"].tolist() == report["place"].tolist()
    assert fast.country.tolist() == frame["country"].tolist()
    np.testing.assert_array_equal(fast.lon, report["lon"].to_numpy())
    np.testing.assert_array_equal(fast.lat, report["lat"].to_numpy())
    assert "Kyiv" in fast.name and "Hargeysa" not in fast.name and "Hamilton" not in fast.name
    assert not fast.lon.flags.writeable
