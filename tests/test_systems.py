"""The systems catalog, lookups by alias and the INF band."""

from __future__ import annotations

import math

import pytest

from rangeviz.errors import InputError, UnknownNameError
from rangeviz.systems import INF_BAND, System, get_system, list_systems


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("SSC-8", "9M729"),
        ("ssc8", "9M729"),
        ("ssc 8", "9M729"),
        ("9M729", "9M729"),
        ("9m729", "9M729"),
        ("Screwdriver", "9M729"),
        ("SSC-8 Screwdriver", "9M729"),
        ("Pershing II", "Pershing II"),
        ("pershing ii", "Pershing II"),
        ("Pershing 2", "Pershing II"),
        ("MGM-31B", "Pershing II"),
        ("Pershing 1a", "Pershing IA"),
        ("SS-20", "RSD-10 Pioneer"),
        ("RSD-10", "RSD-10 Pioneer"),
        ("SS-4", "R-12 Dvina"),
        ("SSC-X-4", "RK-55 Relief"),
        ("Iskander-M", "9K720 Iskander-M"),
        ("SS-26", "9K720 Iskander-M"),
        ("Iskander-K", "9M728"),
        ("GLCM", "BGM-109G Gryphon"),
        ("Tomahawk", "Tomahawk (ground-launched)"),
        ("Kh-47M2", "Kinzhal"),
        ("LRHW", "Dark Eagle"),
        ("oreshnik", "Oreshnik"),
        ("INF", "INF Treaty band"),
    ],
)
def test_lookup_by_any_name(query, name):
    assert get_system(query).name == name


@pytest.mark.parametrize("query", ["Iskander", "Pershing"])
def test_ambiguous_name_lists_the_candidates(query):
    with pytest.raises(UnknownNameError, match="ambiguous") as info:
        get_system(query)
    message = str(info.value)
    hits = [s.name for s in list_systems() if query.lower() in " ".join(s.names).lower()]
    assert len(hits) == 2
    for name in hits:
        assert name in message


def test_unknown_name_lists_closest_matches():
    with pytest.raises(UnknownNameError) as info:
        get_system("SSC-9")
    message = str(info.value)
    assert "'SSC-9'" in message
    assert "SSC-8" in message
    assert isinstance(info.value, LookupError)
    assert isinstance(info.value, ValueError)


def test_unknown_name_without_close_match_points_to_the_catalog():
    with pytest.raises(UnknownNameError) as info:
        get_system("zzzzzz")
    assert "'rangeviz systems' lists them" in str(info.value)
    assert len(str(info.value)) < 200


@pytest.mark.parametrize("bad", ["", "  ", None, 42])
def test_empty_or_non_string_name(bad):
    with pytest.raises(InputError):
        get_system(bad)


def test_inf_band():
    assert INF_BAND.band_km == (500.0, 5500.0)
    assert INF_BAND.kind == "treaty band"
    assert INF_BAND.sources
    assert INF_BAND not in list_systems()
    assert get_system("INF Treaty") is INF_BAND


def test_a_system_without_a_minimum_is_drawn_from_zero():
    assert get_system("RSD-10 Pioneer").band_km == (0.0, 5000.0)
    assert get_system("Iskander-M").band_km == (0.0, 500.0)  # the old 50 km had no source


@pytest.mark.parametrize("name", ["Typhon", "PrSM later increments"])
def test_no_sourced_range_cannot_make_a_band(name):
    system = get_system(name)
    assert system.max_km is None and not system.estimates
    with pytest.raises(InputError, match="no sourced range") as info:
        system.band_km
    assert name in str(info.value)
    assert "--inner" in str(info.value)


def test_an_unknown_claimant_lists_the_claimants():
    with pytest.raises(UnknownNameError) as info:
        get_system("SSC-8").band("US DNI")
    assert "'US State Dept'" in str(info.value) and "'Russian MoD'" in str(info.value)


def test_catalog_carries_its_caveats():
    assert "480" in get_system("9M729").caveat
    assert "480" in get_system("9M729").range_note
    assert "deploying side" in get_system("Oreshnik").caveat
    assert "Air-launched" in get_system("Kinzhal").caveat
    assert "INF" in get_system("Kinzhal").caveat
    assert "treaty class" in get_system("SSC-X-4").caveat


def test_every_system_has_sources_and_resolves_by_each_of_its_names():
    systems = list_systems()
    assert len(systems) == 20
    for system in systems:
        if system.estimates:
            assert system.sources, system.name
            assert all(s.url.startswith(("https://", "http://")) for s in system.sources)
        for name in system.names:
            if name in ("Iskander", "Pershing"):  # shared on purpose
                with pytest.raises(UnknownNameError, match="ambiguous"):
                    get_system(name)
            else:
                assert get_system(name) is system, (name, system.name)


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"min_km": 600, "max_km": 500}, ["min_km 600", "max_km 500"]),
        ({"min_km": 500, "max_km": 500}, ["min_km 500"]),
        ({"min_km": -1, "max_km": 500}, ["min_km -1"]),
        ({"max_km": math.nan}, ["max_km nan"]),
        ({"max_km": math.inf}, ["max_km inf"]),
        ({"max_km": 0}, ["max_km 0"]),
        ({"max_km": "900"}, ["max_km '900'"]),
        ({"max_km": True}, ["max_km True"]),
        ({"aliases": "SS-20"}, ["aliases"]),
    ],
)
def test_system_checks_itself(kwargs, words):
    with pytest.raises(InputError) as info:
        System("Test", **kwargs)
    for word in words:
        assert word in str(info.value)


def test_system_normalises_values():
    system = System("Test", aliases=["A", "B"], min_km=1, max_km=2)
    assert system.aliases == ("A", "B")
    assert system.band_km == (1.0, 2.0)
    assert isinstance(system.max_km, float)
    with pytest.raises(InputError):
        System("")
