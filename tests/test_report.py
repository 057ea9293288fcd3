"""The report as an analyst's tool: filters, groups, targets, every table in every format.

Truth comes from outside rangeviz: distances from ``pyproj.Geod(ellps="WGS84")``,
NATO and EU membership as nato.int and europa.eu list it (typed here, names
and dates, independently of ``rangeviz/data/memberships.toml``).
"""

from __future__ import annotations

import csv
import io
import json
import tomllib

import numpy as np
import pytest
from pyproj import Geod

from rangeviz import Scenario, format_report
from rangeviz.errors import InputError, UnknownNameError
from rangeviz.groups import country_code, country_group, iso_codes
from rangeviz.places import places_table

GEOD = Geod(ellps="WGS84")
KALININGRAD = (20.51, 54.71)
BRUSSELS = (4.35, 50.85)

# nato.int, "NATO member countries": the 32 Allies and the year each joined
NATO = {
    "Albania": 2009,
    "Belgium": 1949,
    "Bulgaria": 2004,
    "Canada": 1949,
    "Croatia": 2009,
    "Czechia": 1999,
    "Denmark": 1949,
    "Estonia": 2004,
    "Finland": 2023,
    "France": 1949,
    "Germany": 1955,
    "Greece": 1952,
    "Hungary": 1999,
    "Iceland": 1949,
    "Italy": 1949,
    "Latvia": 2004,
    "Lithuania": 2004,
    "Luxembourg": 1949,
    "Montenegro": 2017,
    "Netherlands": 1949,
    "North Macedonia": 2020,
    "Norway": 1949,
    "Poland": 1999,
    "Portugal": 1949,
    "Romania": 2004,
    "Slovakia": 2004,
    "Slovenia": 2004,
    "Spain": 1982,
    "Sweden": 2024,
    "Türkiye": 1952,
    "United Kingdom": 1949,
    "United States": 1949,
}
# europa.eu, "EU countries": the 27 members and the year each joined (the
# founding six from 1958)
EU = {
    "Austria": 1995,
    "Belgium": 1958,
    "Bulgaria": 2007,
    "Croatia": 2013,
    "Cyprus": 2004,
    "Czechia": 2004,
    "Denmark": 1973,
    "Estonia": 2004,
    "Finland": 1995,
    "France": 1958,
    "Germany": 1958,
    "Greece": 1981,
    "Hungary": 2004,
    "Ireland": 1973,
    "Italy": 1958,
    "Latvia": 2004,
    "Lithuania": 2004,
    "Luxembourg": 1958,
    "Malta": 2004,
    "Netherlands": 1958,
    "Poland": 2004,
    "Portugal": 1986,
    "Romania": 2007,
    "Slovakia": 2004,
    "Slovenia": 2004,
    "Spain": 1986,
    "Sweden": 1995,
}


def _codes(names):
    codes = {country_code(n) for n in names}
    assert "" not in codes
    return codes


# --------------------------------------------------------------------------
# the dated membership list


@pytest.mark.parametrize(("group", "truth"), [("NATO", NATO), ("EU", EU)])
def test_the_membership_lists_are_the_sources(group, truth):
    now = country_group(group)
    assert now.iso_a2 == _codes(truth)
    assert now.on == "2026-12-02"
    (source,) = now.sources
    assert source.url.startswith(
        "https://www.nato.int/" if group == "NATO" else "https://european-union.europa.eu/"
    )
    for year in (1950, 1960, 1985, 1995, 2005, 2020, 2024):
        members = {n for n, joined in truth.items() if joined <= year}
        if group == "EU" and 1973 <= year <= 2019:
            members.add("United Kingdom")  # a member from 1973 to 31 January 2020
        if not members:  # the EU before 1958
            with pytest.raises(InputError, match="no members"):
                country_group(f"{group}@{year}")
            continue
        assert country_group(f"{group}@{year}").iso_a2 == _codes(members), (group, year)


def test_the_file_states_its_counts_date_and_sources():
    from rangeviz import groups

    data = tomllib.loads(groups._MEMBERSHIPS.read_text(encoding="utf-8"))
    for key, truth in (("nato", NATO), ("eu", EU)):
        assert data[key]["count"] == len(truth) == len(data[key]["member"])
        assert data[key]["as_of"] == "2026-12-02"
    assert {s["org"] for s in data["source"]} == {"NATO", "European Union"}


def test_membership_changes_fall_on_their_days():
    assert "FI" not in country_group("NATO@2023-04-03").iso_a2
    assert "FI" in country_group("NATO@2023-04-04").iso_a2
    assert "SE" in country_group("NATO@2024-03-07").iso_a2
    assert "GB" in country_group("EU@2020-01-31").iso_a2  # its last day
    assert "GB" not in country_group("EU@2020-02-01").iso_a2


@pytest.mark.parametrize(
    ("spec", "words"),
    [
        ("NATO@2031", ["2026-12-02", "later"]),
        ("NATO@1940", ["no members"]),
        ("EU@1987-13-01", ["1987-13-01", "year"]),
        ("Atlantis", ["'Atlantis'", "NATO", "EU"]),
        ("DE,Mordor", ["'Mordor'"]),
    ],
)
def test_bad_groups_say_what_is_allowed(spec, words):
    with pytest.raises((InputError, UnknownNameError)) as info:
        country_group(spec, "--within")
    message = str(info.value)
    assert message.startswith("--within")
    for word in words:
        assert word in message


# --------------------------------------------------------------------------
# ISO codes


def test_iso_codes_are_never_minus_99():
    assert iso_codes("KOS", "-99", "-99") == ("XK", "XKX")
    assert iso_codes("FRA", "-99", "-99") == ("FR", "FRA")
    assert iso_codes("SOL", "-99", "-99") == ("", "SOL")
    for kind in ("capitals", "cities"):
        table, _ = places_table(kind)
        assert "-99" not in set(table["iso_a2"])
        assert table.loc[table["place"] == "Pristina", "iso_a2"].tolist() == ["XK"]
    doc = json.loads(format_report([KALININGRAD], fmt="json", places="cities"))
    assert all(c["iso_a3"] != "-99" and c["iso_a2"] != "-99" for c in doc["countries"])
    codes = {c["country"]: (c["iso_a2"], c["iso_a3"]) for c in doc["countries"]}
    assert codes["Kosovo"] == ("XK", "XKX")
    assert codes["Somaliland"] == ("", "SOL")
    assert codes["Norway"] == ("NO", "NOR")


# --------------------------------------------------------------------------
# what a report lists


def _km(site, lon, lat):
    _, _, d = GEOD.inv(np.full(len(lon), site[0]), np.full(len(lon), site[1]), lon, lat)
    return np.asarray(d) / 1000.0


def test_within_nato_lists_the_nato_capitals_by_true_distance():
    doc = json.loads(format_report([KALININGRAD], fmt="json", within="NATO"))
    places = doc["places"]
    capitals, _ = places_table("capitals")
    nato = capitals[capitals["iso_a2"].isin(_codes(NATO))]
    assert sorted(p["place"] for p in places) == sorted(nato["place"])
    assert len(places) == 32  # one capital per member
    d = _km(KALININGRAD, nato["lon"].to_numpy(), nato["lat"].to_numpy())
    truth = dict(
        zip(
            nato["place"],
            np.where(d < 500, "too close", np.where(d <= 5500, "in band", "out of range")),
            strict=True,
        )
    )
    assert {p["place"]: p["status"] for p in places} == truth
    assert {c["iso_a2"] for c in doc["countries"]} == _codes(NATO)
    assert doc["within"]["name"] == "NATO" and doc["within"]["on"] == "2026-12-02"
    text = format_report([KALININGRAD], within="NATO", countries=False)
    assert "Only NATO members on 2026-12-02 (32 countries; source: NATO" in text


def test_a_readable_default_and_all_on_request():
    text = format_report([KALININGRAD], countries=False)
    capitals, _ = places_table("capitals")
    d = _km(KALININGRAD, capitals["lon"].to_numpy(), capitals["lat"].to_numpy())
    rows = [line.split("  ")[0].strip() for line in text.splitlines()]
    listed = set(rows)
    in_or_close = set(capitals["place"][d <= 5500])
    assert in_or_close <= listed
    out = capitals[d > 5500].assign(d=d[d > 5500]).sort_values("d")
    assert set(out["place"][:10]) <= listed  # the ten nearest out of range
    assert not set(out["place"][10:]) & listed  # and no more: no Wellington
    assert f"… and {len(out) - 10} more capitals out of range" in text
    # in band and too close first, then out of range, nearest first
    status_rows = [line for line in text.splitlines() if "out of range" in line and "…" not in line]
    assert [line.split("  ")[0].strip() for line in status_rows] == list(out["place"][:10])
    everything = format_report([KALININGRAD], countries=False, out_of_range=None)
    assert "Wellington" in everything and "more capitals out of range" not in everything


def test_csv_holds_places_then_countries_per_band():
    text = format_report([KALININGRAD], fmt="csv", bands=[(0, 1000), (500, 5500)])
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0])[:3] == ["table", "place", "country"]
    kinds = [(r["band"], r["table"]) for r in rows]
    # per band: its places, then its countries
    order = list(dict.fromkeys(kinds))
    assert order == [
        ("0–1,000 km", "place"),
        ("0–1,000 km", "country"),
        ("500–5,500 km", "place"),
        ("500–5,500 km", "country"),
    ]
    countries = [r for r in rows if r["table"] == "country" and r["band"] == "500–5,500 km"]
    czechia = next(r for r in countries if r["country"] == "Czechia")
    assert (czechia["iso_a2"], czechia["iso_a3"], czechia["status"]) == (
        "CZ",
        "CZE",
        "fully in band",
    )
    assert float(czechia["share_in_band"]) == 1.0
    doc = json.loads(format_report([KALININGRAD], fmt="json", bands=[(500, 5500)]))
    assert len(countries) == len(doc["countries"])


def test_target_mode_reports_where_a_launcher_must_stand():
    scenario = Scenario([], targets=["Brussels"], ranges=[(500, 2350)])
    doc = json.loads(format_report(scenario, fmt="json"))
    assert doc["sites"] == [] and doc["targets"][0]["name"] == "Brussels"
    (band,) = doc["bands"]
    assert band["role"] == "launch area for Brussels"
    lon = np.array([p["lon"] for p in doc["places"]])
    lat = np.array([p["lat"] for p in doc["places"]])
    target = (doc["targets"][0]["lon"], doc["targets"][0]["lat"])
    d = _km(target, lon, lat)
    truth = np.where(d < 500, "too close", np.where(d <= 2350, "in band", "out of range"))
    assert [p["status"] for p in doc["places"]] == truth.tolist()
    text = format_report(scenario, countries=False)
    assert "Launch area for Brussels" in text and "To target" in text


def test_places_from_a_file_and_a_list(tmp_path):
    path = tmp_path / "towns.csv"
    path.write_text("name,lat,lon\nRamstein,49.437,7.6\nDeveselu,44.08,24.41\n", encoding="utf-8")
    doc = json.loads(format_report([KALININGRAD], fmt="json", places=path, countries=False))
    d = _km(KALININGRAD, np.array([7.6, 24.41]), np.array([49.437, 44.08]))
    assert [p["place"] for p in doc["places"]] == ["Ramstein", "Deveselu"][
        :: 1 if d[0] < d[1] else -1
    ]
    assert [
        round(p["distance_km"], 3) for p in sorted(doc["places"], key=lambda p: p["distance_km"])
    ] == [round(x, 3) for x in sorted(d)]
    listed = json.loads(
        format_report([KALININGRAD], fmt="json", places=["Berlin", "Warsaw"], countries=False)
    )
    assert {p["place"]: p["iso_a2"] for p in listed["places"]} == {"Berlin": "DE", "Warsaw": "PL"}


def test_tables_never_cut_a_word():
    text = format_report([KALININGRAD], out_of_range=None)
    for name in (
        "Central African Republic",
        "Saint Vincent and the Grenadines",
        "Bosnia and Herzegovina",
    ):
        assert name in text
    assert "…" not in text.replace("… and", "")
