"""The coverage report as text: a table for people, CSV, Markdown or JSON.

The numbers come from :mod:`rangeviz.coverage` (and, for a scenario, from the
geometry its map draws); this module chooses what to show and lays it out.
A report for people lists the places in the band and too close, then the
nearest few out of range (``out_of_range``), and the countries with area in
the band; CSV and JSON hold every row. ``within`` limits places and
countries to a group (:func:`rangeviz.groups.country_group`: NATO or the EU
on a date, or named countries).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from rangeviz import _checks
from rangeviz._text import coord_label, md_table, percent, radii, text_table
from rangeviz.areas import EARTH_AREA_KM2
from rangeviz.coverage import COUNTRY_STATUSES, STATUSES, Section, layers_for, sections
from rangeviz.errors import InputError
from rangeviz.geometry import LayerGeometry, MapGeometry
from rangeviz.groups import CountryGroup, country_group, filter_places, iso_a2_by_a3
from rangeviz.model import unique_sites
from rangeviz.places import OUTLYING_KM, places_table

if TYPE_CHECKING:
    from rangeviz.model import Site

__all__ = ["FORMATS", "format_report"]

#: The report formats :func:`format_report` writes.
FORMATS: tuple[str, ...] = ("csv", "json", "markdown", "table")


def _noun(kind: str, n: int) -> str:
    singular = {"capitals": "capital", "cities": "city", "places": "place"}[kind]
    return singular if n == 1 else kind


def _headline(counts: Mapping[str, int], kind: str) -> str:
    parts = [f"{s.capitalize()}: {n} {_noun(kind, n)}" for s, n in counts.items()]
    return ", ".join(parts)


def format_report(
    scenario_or_sites: Any,
    *,
    fmt: str = "table",
    places: Any = "capitals",
    within: Any = None,
    out_of_range: int | None = 10,
    inner_km: float = 500.0,
    outer_km: float = 5500.0,
    bands: Any = None,
    countries: bool = True,
    scale: str = "50m",
    flight: Any = None,
) -> str:
    """The coverage report as text: a table for people, CSV, Markdown or JSON.

    Parameters
    ----------
    scenario_or_sites : Scenario or sites
        A :class:`~rangeviz.scenario.Scenario` -- its bands round the launch
        sites and, for targets, its launch areas (a place "in band" of a
        launch area could launch at the target) -- or launch sites as for
        :func:`coverage`.
    fmt : {"table", "csv", "markdown", "json"}, default "table"
        ``"table"``: fixed-width text -- per band a headline with the counts,
        the places in band and too close, then the nearest out of range, the
        countries with any area in the band and the total band area.
        ``"markdown"``: the same as Markdown. ``"csv"``: every place row of
        :func:`coverage` then every country row of :func:`country_coverage`,
        per band, told apart by the first column, ``table`` (``place`` or
        ``country``). ``"json"``: an object with ``sites``, ``targets``,
        ``within``, ``bands`` (each with ``role``, ``area_km2`` and
        ``counts``), ``places``, ``countries`` (every country, per band) and
        ``band_area_km2`` (one area per band); numbers are numbers, missing
        values null.
    places : {"capitals", "cities"}, path, DataFrame or list, default "capitals"
        As for :func:`coverage`; also a CSV or GeoJSON file of places (as
        :func:`rangeviz.read_sites` reads).
    within : str, list of str or CountryGroup, optional
        Only places and countries in this group: ``"NATO"``, ``"EU"``,
        ``"NATO@1987"`` (the members on a date), or country names and ISO
        codes (``"DE, PL, LT"``); see :func:`rangeviz.groups.country_group`.
        The report names the group, its date and source; the country table
        then lists every member, in the band or not.
    out_of_range : int or None, default 10
        How many places out of range a table or Markdown report lists, the
        nearest first (None: all); CSV and JSON list all.
    inner_km, outer_km : float, default 500, 5500
        The band when neither ``bands`` nor a scenario gives one.
    bands : list of Band or (inner_km, outer_km), optional
        Bands to report; overrides a scenario's ``ranges``.
    countries : bool, default True
        Include the per-country analysis (the slowest part: ~0.2 s per band
        for one site once the layers are loaded).
    scale : {"110m", "50m"}, default "50m"
        Natural Earth scale of the country polygons.
    flight : {"ballistic"} or float, optional
        Add each place's flight time from its nearest site (``flight_min``):
        ``"ballistic"`` for the minimum-energy free flight
        (:mod:`rangeviz.flight`, whose model the report states), or a ground
        speed in km/h for a cruise missile.

    Returns
    -------
    str
        The report, ending with a newline.

    Raises
    ------
    InputError
        For an unknown ``fmt`` (the message lists the choices), bad sites,
        bands, places or group.

    Examples
    --------
    >>> text = format_report([(20.51, 54.71)], places=[(13.40, 52.52)], countries=False)
    >>> "In band: 1 place, Too close: 0 places, Out of range: 0 places" in text
    True
    >>> rows = format_report([(20.51, 54.71)], fmt="csv", places=[(21.01, 52.23)]).splitlines()
    >>> rows[0].split(",")[:3], rows[0].split(",")[8:11]
    (['table', 'place', 'country'], ['status', 'status_site', 'status_km'])
    >>> rows[1].split(",")[8:11]
    ['too close', '54.71°N 20.51°E', '278.0']
    """
    kind = _checks.choice("fmt", fmt, FORMATS)
    countries = _checks.flag(countries, "countries")
    if out_of_range is not None:
        out_of_range = _checks.integer(out_of_range, "out_of_range", lo=0, hi=100_000)
    group = None if within is None else country_group(within, "within")
    layers = _report_layers(scenario_or_sites, bands, inner_km, outer_km)
    table, noun = places_table(places)
    if group is not None:
        table = filter_places(table, group)
    secs, _ = sections(layers, table, with_countries=countries, scale=scale)
    if flight is not None:
        from rangeviz.flight import minutes_over

        for sec in secs:
            sec.places["flight_min"] = minutes_over(sec.places["distance_km"], flight)
    codes = iso_a2_by_a3()
    for sec in secs:
        if sec.countries is not None:
            frame = sec.countries
            frame.insert(2, "iso_a2", frame["iso_a3"].map(codes).fillna(""))
            if group is not None:
                sec.countries = frame[frame["iso_a2"].isin(group.iso_a2)].reset_index(drop=True)
    report = _Report(layers, secs, noun, group, out_of_range, flight)
    if kind == "csv":
        return _to_csv(secs)
    if kind == "json":
        return _to_json(report)
    if kind == "markdown":
        return _to_markdown(report)
    return _to_table(report)


@dataclasses.dataclass
class _Report:
    """What a report shows, whatever its format."""

    layers: list[LayerGeometry]
    sections: list[Section]
    noun: str
    group: CountryGroup | None
    out_of_range: int | None
    flight: Any = None

    def sites(self, target: bool) -> tuple[Site, ...]:
        return unique_sites(
            s for g in self.layers if _is_target(g.layer.role) == target for s in g.sites
        )


def _is_target(role: str) -> bool:
    return role != "launch site"


def _report_layers(source: Any, bands: Any, inner_km: Any, outer_km: Any) -> list[LayerGeometry]:
    """The layers to report: a scenario's launch layers (its geometry), or the arguments'."""
    geometry = getattr(source, "geometry", None)
    if isinstance(geometry, MapGeometry) and bands is None:
        layers = list(geometry.layers)  # round the launch sites, then the launch areas
        if not layers:
            raise InputError("the scenario has no sites or targets to report on")
        return layers
    if isinstance(geometry, MapGeometry):
        source = geometry.spec.sites
    elif hasattr(source, "sites") and hasattr(source, "ranges"):  # a scenario-like object
        bands = source.ranges if bands is None else bands
        source = source.sites
        if not source:
            raise InputError(
                "the scenario has no launch sites (only targets); a coverage report needs sites"
            )
    return layers_for(source, bands, inner_km, outer_km)


def _site_text(sites: Sequence[Site]) -> str:
    parts = []
    for site in sites:
        where = coord_label(site.lon, site.lat)
        parts.append(where if site.name == where else f"{site.name} ({where})")
    if len(parts) > 8:
        parts = [*parts[:8], f"and {len(parts) - 8} more"]
    return "; ".join(parts)


_PLACE_CSV = ["place", "country", "iso_a2", "lon", "lat", "capital"]
_COUNTRY_CSV = [
    "area_km2",
    "area_in_band_km2",
    "share_in_band",
    "outlying_km2",
    "outlying_in_band_km2",
    "min_km",
    "max_km",
]
_CSV_COLUMNS = [
    "table",
    *_PLACE_CSV,
    "iso_a3",
    "status",
    "status_site",
    "status_km",
    "nearest_site",
    "distance_km",
    "band",
    "inner_km",
    "outer_km",
    *_COUNTRY_CSV,
    "flight_min",
]


def _to_csv(sections: list[Section]) -> str:
    """Per band its place rows, then its country rows; ``table`` tells them apart."""
    parts = []
    for sec in sections:
        places = sec.places.copy()
        places.insert(0, "table", "place")
        parts.append(places)
        if sec.countries is not None:
            countries = sec.countries.copy()
            countries.insert(0, "table", "country")
            countries["band"] = sec.band.label
            countries["inner_km"] = sec.band.inner_km
            countries["outer_km"] = sec.band.outer_km
            countries["distance_km"] = countries["min_km"]
            parts.append(countries)
    out = pd.concat(parts, ignore_index=True).reindex(columns=_CSV_COLUMNS)
    for col in _CSV_COLUMNS[1:]:
        digits = _DIGITS.get(col)
        if digits is not None:
            out[col] = pd.to_numeric(out[col]).round(digits)
    buffer = io.StringIO()
    # pandas 2.0 with numpy 1.24 casts the empty cells through an integer view
    # and numpy reports it; the cells come out empty either way.
    with np.errstate(invalid="ignore"):
        out.to_csv(buffer, index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    return buffer.getvalue()


def _json_value(value: Any, digits: int | None = None) -> Any:
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, (np.integer, int)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        number = float(value)
        if not math.isfinite(number):
            return None
        return round(number, digits) if digits is not None else number
    return value


_DIGITS = {
    "lon": 6,
    "lat": 6,
    "status_km": 3,
    "distance_km": 3,
    "area_km2": 1,
    "area_in_band_km2": 1,
    "share_in_band": 6,
    "outlying_km2": 1,
    "outlying_in_band_km2": 1,
    "min_km": 3,
    "max_km": 3,
    "inner_km": 3,
    "outer_km": 3,
    "flight_min": 2,
}


def _records(frame: pd.DataFrame, band: str) -> list[dict[str, Any]]:
    rows = []
    for row in frame.to_dict(orient="records"):
        item = {"band": band}
        item.update({k: _json_value(v, _DIGITS.get(k)) for k, v in row.items()})
        rows.append(item)
    return rows


def _points(sites: Sequence[Site]) -> list[dict[str, Any]]:
    return [{"name": s.name, "lon": round(s.lon, 6), "lat": round(s.lat, 6)} for s in sites]


def _to_json(report: _Report) -> str:
    places = []
    countries = []
    bands = []
    for sec in report.sections:
        rows = sec.places.drop(columns=["band", "inner_km", "outer_km"])
        places.extend(_records(rows, sec.band.label))
        if sec.countries is not None:
            countries.extend(_records(sec.countries, sec.band.label))
        bands.append(
            {
                "label": sec.band.label,
                "role": getattr(sec.band, "role", "launch site"),
                "inner_km": sec.band.inner_km,
                "outer_km": sec.band.outer_km,
                "system": sec.band.system,
                "sources": [dataclasses.asdict(s) for s in sec.band.sources],
                "area_km2": round(sec.area_km2, 1),
                "counts": sec.counts(),
            }
        )
    group = report.group
    doc = {
        "sites": _points(report.sites(target=False)),
        "targets": _points(report.sites(target=True)),
        "within": None
        if group is None
        else {
            "name": group.name,
            "on": group.on or None,
            "iso_a2": sorted(group.iso_a2),
            "sources": [dataclasses.asdict(s) for s in group.sources],
        },
        "bands": bands,
        "places": places,
        "countries": countries,
        "band_area_km2": [b["area_km2"] for b in bands],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def _place_rows(frame: pd.DataFrame) -> list[list[str]]:
    minutes = "flight_min" in frame.columns
    return [
        [
            str(r.place),
            str(r.country),
            str(r.status),
            f"{r.status_km:,.1f}",
            str(r.status_site),
            *([f"{r.flight_min:.1f}"] if minutes else []),
        ]
        for r in frame.itertuples(index=False)
    ]


_COUNTRY_HEADERS = [
    "Country",
    "ISO",
    "Area km²",
    "In band km²",
    "Share",
    "Min km",
    "Max km",
    "Outlying km² (in band)",
]


def _place_headers(role: str) -> list[str]:
    last = "To target" if _is_target(role) else "From site"
    return ["Place", "Country", "Status", "Distance km", last]


def _outlying(area: float, in_band: float) -> str:
    return f"{area:,.0f} ({in_band:,.0f})" if area > 0 else "-"


def _country_rows(frame: pd.DataFrame) -> list[list[str]]:
    return [
        [
            str(r.country),
            str(r.iso_a2 or r.iso_a3),
            f"{r.area_km2:,.0f}",
            f"{r.area_in_band_km2:,.0f}",
            percent(r.share_in_band, r.status == COUNTRY_STATUSES[0]),
            f"{r.min_km:,.0f}",
            f"{r.max_km:,.0f}",
            _outlying(r.outlying_km2, r.outlying_in_band_km2),
        ]
        for r in frame.itertuples(index=False)
    ]


_OUTLYING_NOTE = (
    f"Countries are judged by their main territory; parts more than {OUTLYING_KM:,.0f} km "
    "from it (French Guiana, Réunion) are counted apart as outlying."
)


def _shown_places(report: _Report, sec: Section) -> tuple[pd.DataFrame, str]:
    """The rows a report for people lists, and a line on the rest ("" if none)."""
    frame = sec.places
    limit = report.out_of_range
    out = frame["status"] == STATUSES[2]
    if limit is None or out.sum() <= limit:
        return frame, ""
    shown = frame[~out | (out.cumsum() <= limit)]
    rest = frame[out].iloc[limit:]
    noun = _noun(report.noun, len(rest))
    line = (
        f"… and {len(rest)} more {noun} out of range, {rest['status_km'].min():,.0f} to "
        f"{rest['status_km'].max():,.0f} km away (all: --all, or out_of_range=None)"
    )
    return shown, line


def _countries_shown(report: _Report, sec: Section) -> tuple[pd.DataFrame, str]:
    """The country rows a report for people lists, and their heading."""
    assert sec.countries is not None
    frame = sec.countries
    if report.group is not None:
        group = report.group
        missing = len(group.iso_a2) - len(set(frame["iso_a2"]))
        note = f"; {missing} without a polygon at this scale" if missing > 0 else ""
        return frame, f"Countries: {group.label} ({len(frame)}{note})"
    hit = frame[(frame["area_in_band_km2"] > 0) | (frame["outlying_in_band_km2"] > 0)]
    return hit, f"Countries with area in the band ({len(hit)} of {len(frame)})"


def _area_line(area: float) -> str:
    share = 100.0 * area / EARTH_AREA_KM2
    return f"Total band area: {area:,.0f} km² ({share:.1f} % of the Earth's surface)"


def _intro(report: _Report) -> list[str]:
    lines = []
    sites, targets = report.sites(target=False), report.sites(target=True)
    if sites:
        lines.append(f"Sites: {_site_text(sites)}")
    if targets:
        lines.append(
            f"Targets: {_site_text(targets)} -- a place in a launch area's band is where a "
            "launcher could stand to reach the target"
        )
    lines.append("Distances are geodesic on WGS84 (Karney); places and countries: Natural Earth.")
    if report.flight is not None:
        from rangeviz.flight import MODEL_NOTE

        how = (
            f"minimum-energy ballistic trajectory, {MODEL_NOTE[0].lower()}{MODEL_NOTE[1:]}"
            if isinstance(report.flight, str)
            else f"a constant ground speed of {float(report.flight):,.0f} km/h along the geodesic"
        )
        lines.append(f"Minutes: flight time from the nearest site, {how}.")
    turned = [geo.layer.label for geo in report.layers if geo.rotating]
    if turned:
        lines.append(
            f"Rotating Earth: {', '.join(turned)} as ballistic footprints -- a place is in band "
            "by the reach in its direction (minimum-energy burnout speed for the band's radius, "
            "in vacuum; boost and re-entry not modelled); distances stay geodesic."
        )
    group = report.group
    if group is not None:
        cited = "; ".join(f"{s.org}, {s.title}, {s.url}" for s in group.sources)
        count = f"{len(group.iso_a2)} countries" + (f"; source: {cited}" if cited else "")
        lines.append(f"Only {group.label} ({count})")
    return lines


def _title(sec: Section) -> str:
    span = radii(sec.band.inner_km, sec.band.outer_km)
    return sec.band.label if sec.band.label == span else f"{sec.band.label} ({span})"


def _body(report: _Report, sec: Section, table: Any) -> list[str]:
    """One band's lines, tables drawn by ``table(headers, rows, right)``."""
    role = getattr(sec.band, "role", "launch site")
    shown, rest = _shown_places(report, sec)
    headers = _place_headers(role) + (["Minutes"] if "flight_min" in shown.columns else [])
    lines = table(headers, _place_rows(shown), {3, 5})
    if rest:
        lines += ["", rest]
    if sec.countries is not None:
        countries, heading = _countries_shown(report, sec)
        lines += ["", heading]
        if len(countries):
            lines += [""] if table is md_table else []
            lines += table(_COUNTRY_HEADERS, _country_rows(countries), {2, 3, 4, 5, 6, 7})
            lines += ["", _OUTLYING_NOTE]
        else:
            lines.append("No country has any area in the band.")
    return [*lines, "", _area_line(sec.area_km2)]


def _to_table(report: _Report) -> str:
    lines = ["Coverage report", *_intro(report)]
    for sec in report.sections:
        title = _title(sec)
        lines += ["", title, "=" * len(title), _headline(sec.counts(), report.noun), ""]
        lines += _body(report, sec, text_table)
    return "\n".join(lines) + "\n"


def _to_markdown(report: _Report) -> str:
    lines = ["# Coverage report", "", *(f"{line}  " for line in _intro(report))]
    for sec in report.sections:
        lines += ["", f"## {_title(sec)}", "", f"**{_headline(sec.counts(), report.noun)}**", ""]
        lines += _body(report, sec, md_table)
    return "\n".join(lines) + "\n"
