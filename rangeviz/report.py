"""The coverage report as text: a table for people, CSV, Markdown or JSON.

The numbers come from :mod:`rangeviz.coverage` (and, for a scenario, from the
geometry its map draws); this module only lays them out.
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
from rangeviz._text import coord_label, radii
from rangeviz.areas import EARTH_AREA_KM2
from rangeviz.coverage import COUNTRY_STATUSES, Section, layers_for, sections
from rangeviz.errors import InputError
from rangeviz.geometry import LayerGeometry, MapGeometry
from rangeviz.model import unique_sites
from rangeviz.places import OUTLYING_KM

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
    inner_km: float = 500.0,
    outer_km: float = 5500.0,
    bands: Any = None,
    countries: bool = True,
    scale: str = "50m",
) -> str:
    """The coverage report as text: a table for people, CSV, Markdown or JSON.

    Parameters
    ----------
    scenario_or_sites : Scenario or sites
        A :class:`~rangeviz.scenario.Scenario` (its ``sites`` and ``ranges``;
        targets are not launch sites and are left out), or launch sites as
        for :func:`coverage`.
    fmt : {"table", "csv", "markdown", "json"}, default "table"
        ``"table"``: fixed-width text -- per band a headline with the counts,
        the places by status, the countries with any area in the band and the
        total band area. ``"csv"``: the places rows of :func:`coverage`.
        ``"markdown"``: the table's content as Markdown. ``"json"``: an
        object with ``sites``, ``bands`` (each with ``area_km2`` and
        ``counts``), ``places``, ``countries`` (every country, per band) and
        ``band_area_km2`` (a list, one area per band in the order of
        ``bands``); numbers are numbers, missing values null.
    places : {"capitals", "cities"}, DataFrame or list, default "capitals"
        As for :func:`coverage`.
    inner_km, outer_km : float, default 500, 5500
        The band when neither ``bands`` nor a scenario gives one.
    bands : list of Band or (inner_km, outer_km), optional
        Bands to report; overrides a scenario's ``ranges``.
    countries : bool, default True
        Include the per-country analysis (the slowest part: ~0.2 s per band
        for one site once the layers are loaded).
    scale : {"110m", "50m"}, default "50m"
        Natural Earth scale of the country polygons.

    Returns
    -------
    str
        The report, ending with a newline.

    Raises
    ------
    InputError
        For an unknown ``fmt`` (the message lists the choices) or bad sites,
        bands or places.

    Examples
    --------
    >>> text = format_report([(20.51, 54.71)], places=[(13.40, 52.52)], countries=False)
    >>> "In band: 1 place, Too close: 0 places, Out of range: 0 places" in text
    True
    >>> rows = format_report([(20.51, 54.71)], fmt="csv", places=[(21.01, 52.23)]).splitlines()
    >>> rows[0].split(",")[6:11]
    ['status', 'status_site', 'status_km', 'nearest_site', 'distance_km']
    >>> rows[1].split(",")[6:11]
    ['too close', '54.71°N 20.51°E', '278.0', '54.71°N 20.51°E', '278.0']
    """
    kind = _checks.choice("fmt", fmt, FORMATS)
    countries = _checks.flag(countries, "countries")
    layers = _report_layers(scenario_or_sites, bands, inner_km, outer_km)
    secs, noun = sections(layers, places, with_countries=countries and kind != "csv", scale=scale)
    if kind == "csv":
        return _to_csv(pd.concat([sec.places for sec in secs], ignore_index=True))
    sites = unique_sites(s for geo in layers for s in geo.sites)
    if kind == "json":
        return _to_json(sites, secs)
    if kind == "markdown":
        return _to_markdown(sites, secs, noun)
    return _to_table(sites, secs, noun)


def _report_layers(source: Any, bands: Any, inner_km: Any, outer_km: Any) -> list[LayerGeometry]:
    """The layers to report: a scenario's launch layers (its geometry), or the arguments'."""
    geometry = getattr(source, "geometry", None)
    if isinstance(geometry, MapGeometry) and bands is None:
        layers = [g for g in geometry.layers if g.layer.role == "launch site"]
        if not layers:
            raise InputError(
                "the scenario has no launch sites (only targets); a coverage report needs sites"
            )
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


def _to_csv(frame: pd.DataFrame) -> str:
    out = frame.copy()
    for col, digits in (("lon", 6), ("lat", 6), ("status_km", 3), ("distance_km", 3)):
        out[col] = out[col].round(digits)
    buffer = io.StringIO()
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
    "min_km": 3,
    "max_km": 3,
}


def _records(frame: pd.DataFrame, band: str) -> list[dict[str, Any]]:
    rows = []
    for row in frame.to_dict(orient="records"):
        item = {"band": band}
        item.update({k: _json_value(v, _DIGITS.get(k)) for k, v in row.items()})
        rows.append(item)
    return rows


def _to_json(sites: Sequence[Site], sections: list[Section]) -> str:
    places = []
    countries = []
    bands = []
    for sec in sections:
        rows = sec.places.drop(columns=["band", "inner_km", "outer_km"])
        places.extend(_records(rows, sec.band.label))
        if sec.countries is not None:
            countries.extend(_records(sec.countries, sec.band.label))
        bands.append(
            {
                "label": sec.band.label,
                "inner_km": sec.band.inner_km,
                "outer_km": sec.band.outer_km,
                "system": sec.band.system,
                "sources": [dataclasses.asdict(s) for s in sec.band.sources],
                "area_km2": round(sec.area_km2, 1),
                "counts": sec.counts(),
            }
        )
    doc = {
        "sites": [{"name": s.name, "lon": round(s.lon, 6), "lat": round(s.lat, 6)} for s in sites],
        "bands": bands,
        "places": places,
        "countries": countries,
        "band_area_km2": [b["area_km2"] for b in bands],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def _clip(text: Any, width: int) -> str:
    text = str(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def _grid(headers: list[str], rows: list[list[str]], right: set[int], limit: int = 28) -> list[str]:
    cells = [[_clip(c, limit) for c in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in cells:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]

    def line(values: list[str]) -> str:
        parts = [
            v.rjust(w) if i in right else v.ljust(w)
            for i, (v, w) in enumerate(zip(values, widths, strict=True))
        ]
        return "  ".join(parts).rstrip()

    return [line(headers), line(["-" * w for w in widths]), *(line(r) for r in cells)]


def _place_rows(frame: pd.DataFrame) -> list[list[str]]:
    return [
        [
            str(r.place),
            str(r.country),
            str(r.status),
            f"{r.status_km:,.1f}",
            str(r.status_site),
        ]
        for r in frame.itertuples(index=False)
    ]


def _percent(share: float, full: bool) -> str:
    """A share as text that never rounds a part up to 100 % or down to 0 %."""
    if full:
        return "100 %"
    if 0 < share < 0.001:
        return "<0.1 %"
    return f"{min(100 * share, 99.9):.1f} %"


_PLACE_HEADERS = ["Place", "Country", "Status", "Distance km", "From site"]
_COUNTRY_HEADERS = [
    "Country",
    "ISO3",
    "Area km²",
    "In band km²",
    "Share",
    "Min km",
    "Max km",
    "Outlying km² (in band)",
]


def _outlying(area: float, in_band: float) -> str:
    return f"{area:,.0f} ({in_band:,.0f})" if area > 0 else "-"


def _country_rows(frame: pd.DataFrame) -> list[list[str]]:
    return [
        [
            str(r.country),
            str(r.iso_a3),
            f"{r.area_km2:,.0f}",
            f"{r.area_in_band_km2:,.0f}",
            _percent(r.share_in_band, r.status == COUNTRY_STATUSES[0]),
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


def _hit(frame: pd.DataFrame) -> pd.DataFrame:
    """The countries with any area in the band, main territory or outlying parts."""
    return frame[(frame["area_in_band_km2"] > 0) | (frame["outlying_in_band_km2"] > 0)]


def _area_line(area: float) -> str:
    share = 100.0 * area / EARTH_AREA_KM2
    return f"Total band area: {area:,.0f} km² ({share:.1f} % of the Earth's surface)"


def _intro(sites: Sequence[Site]) -> list[str]:
    return [
        f"Sites: {_site_text(sites)}",
        "Distances are geodesic on WGS84 (Karney); places and countries: Natural Earth.",
    ]


def _to_table(sites: Sequence[Site], sections: list[Section], noun: str) -> str:
    lines = ["Coverage report", *_intro(sites)]
    for sec in sections:
        title = f"{sec.band.label} ({radii(sec.band.inner_km, sec.band.outer_km)})"
        if sec.band.label == radii(sec.band.inner_km, sec.band.outer_km):
            title = f"Band {sec.band.label}"
        lines += ["", title, "=" * len(title), _headline(sec.counts(), noun), ""]
        lines += _grid(_PLACE_HEADERS, _place_rows(sec.places), right={3})
        if sec.countries is not None:
            hit = _hit(sec.countries)
            lines.append("")
            if len(hit):
                lines.append(
                    f"Countries with area in the band ({len(hit)} of {len(sec.countries)})"
                )
                lines += _grid(_COUNTRY_HEADERS, _country_rows(hit), right={2, 3, 4, 5, 6, 7})
                lines.append(_OUTLYING_NOTE)
            else:
                lines.append("No country has any area in the band.")
        lines += ["", _area_line(sec.area_km2)]
    return "\n".join(lines) + "\n"


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|")


def _md_table(headers: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    rule = ["---:" if i in right else "---" for i in range(len(headers))]
    out = ["| " + " | ".join(headers) + " |", "| " + " | ".join(rule) + " |"]
    out += ["| " + " | ".join(_md_escape(c) for c in row) + " |" for row in rows]
    return out


def _to_markdown(sites: Sequence[Site], sections: list[Section], noun: str) -> str:
    lines = ["# Coverage report", "", *(f"{line}  " for line in _intro(sites))]
    for sec in sections:
        span = radii(sec.band.inner_km, sec.band.outer_km)
        title = sec.band.label if sec.band.label == span else f"{sec.band.label} ({span})"
        lines += ["", f"## {title}", "", f"**{_headline(sec.counts(), noun)}**", ""]
        lines += _md_table(_PLACE_HEADERS, _place_rows(sec.places), right={3})
        if sec.countries is not None:
            hit = _hit(sec.countries)
            lines += ["", f"### Countries with area in the band ({len(hit)})", ""]
            if len(hit):
                lines += _md_table(_COUNTRY_HEADERS, _country_rows(hit), right={2, 3, 4, 5, 6, 7})
                lines += ["", _OUTLYING_NOTE]
            else:
                lines.append("No country has any area in the band.")
        lines += ["", _area_line(sec.area_km2)]
    return "\n".join(lines) + "\n"
