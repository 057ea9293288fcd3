"""Files of sites: CSV with a header, or GeoJSON points."""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterable
from pathlib import Path

from rangeviz._text import coord_label
from rangeviz.errors import InputError
from rangeviz.model import Site

__all__ = ["SITE_FILE_SUFFIXES", "read_sites"]

SITE_FILE_SUFFIXES = (".csv", ".geojson", ".json")

_NAME_COLUMNS = ("name", "site", "label")
_LAT_COLUMNS = ("lat", "latitude")
_LON_COLUMNS = ("lon", "lng", "long", "longitude")
_KEPT_COLUMNS = ("source", "note", "country")


def read_sites(path: str | os.PathLike[str]) -> list[Site]:
    """Sites from a CSV or GeoJSON file.

    CSV (``.csv``): a header row is required, with columns ``lat`` and
    ``lon`` (also ``latitude``/``longitude``; any case) in decimal degrees,
    and usually ``name``; ``source``, ``note`` and ``country`` are kept, other
    columns ignored. Comma or semicolon separated, UTF-8. A row without a name
    is named by its coordinates; blank lines are skipped.

    GeoJSON (``.geojson``, ``.json``): a FeatureCollection (or one Feature) of
    Point features, ``[lon, lat]`` as RFC 7946 says, with a ``name`` property
    (``source``, ``note``, ``country`` kept).

    Parameters
    ----------
    path : path-like

    Returns
    -------
    list of Site
        In file order.

    Raises
    ------
    InputError
        If the file is missing or unreadable, has another extension, or a row
        or feature is malformed: the message names the file, the line (CSV)
        or feature index (GeoJSON), the column and the value.
    """
    file = Path(path)
    suffix = file.suffix.lower()
    if suffix not in SITE_FILE_SUFFIXES:
        shown = f"extension {file.suffix!r}" if file.suffix else "no extension"
        raise InputError(
            f"sites file {str(path)!r} has {shown}; a file of sites can be: "
            f"{', '.join(SITE_FILE_SUFFIXES)}"
        )
    if not file.exists():
        raise InputError(f"sites file {str(path)!r} does not exist")
    if file.is_dir():
        raise InputError(f"sites file {str(path)!r} is a directory; give a .csv or .geojson file")
    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"sites file {str(path)!r} is not UTF-8 text (byte {exc.start}); save it as UTF-8"
        ) from None
    except OSError as exc:
        raise InputError(
            f"sites file {str(path)!r} cannot be read: {exc.strerror or exc}"
        ) from None
    sites = _csv_sites(text, str(path)) if suffix == ".csv" else _geojson_sites(text, str(path))
    if not sites:
        raise InputError(f"sites file {str(path)!r} has no sites")
    return sites


def _column(header: list[str], names: Iterable[str]) -> int | None:
    folded = [h.strip().lower() for h in header]
    for name in names:
        if name in folded:
            return folded.index(name)
    return None


def _csv_sites(text: str, where: str) -> list[Site]:
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(text.splitlines(), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise InputError(
            f"sites file {where!r} is empty; give a header row: name,lat,lon"
        ) from None
    lat_col, lon_col = _column(header, _LAT_COLUMNS), _column(header, _LON_COLUMNS)
    name_col = _column(header, _NAME_COLUMNS)
    if lat_col is None or lon_col is None:
        missing = "lat" if lat_col is None else "lon"
        looks_numeric = any(_is_number(cell) for cell in header)
        hint = (
            " (the first line looks like data: the file needs a header row, e.g. name,lat,lon)"
            if looks_numeric
            else f" (columns found: {', '.join(h.strip() for h in header)})"
        )
        raise InputError(f"sites file {where!r} has no {missing!r} column{hint}")
    kept = {key: _column(header, (key,)) for key in _KEPT_COLUMNS}
    sites = []
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise InputError(
                f"sites file {where!r}, line {line}: {len(row)} fields where the header "
                f"has {len(header)}"
            )
        values = {}
        for key, col, limit in (("lat", lat_col, 90), ("lon", lon_col, 180)):
            cell = row[col].strip()
            at = f"sites file {where!r}, line {line}, column {header[col].strip()!r}"
            try:
                value = float(cell)
            except ValueError:
                hint = "with a decimal point, not a comma" if "," in cell else "e.g. 54.71"
                raise InputError(
                    f"{at}: {cell!r} is not a number (give decimal degrees, {hint})"
                ) from None
            if not -limit <= value <= limit:  # NaN fails too
                raise InputError(f"{at}: {cell!r} is outside [-{limit}, {limit}]")
            values[key] = value
        name = row[name_col].strip() if name_col is not None else ""
        extra = {k: row[c].strip() for k, c in kept.items() if c is not None}
        try:
            sites.append(
                Site(
                    name or coord_label(values["lon"], values["lat"]),
                    values["lon"],
                    values["lat"],
                    **extra,
                )
            )
        except InputError as exc:
            raise InputError(f"sites file {where!r}, line {line}: {exc}") from None
    return sites


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _geojson_sites(text: str, where: str) -> list[Site]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"sites file {where!r} is not valid JSON (line {exc.lineno}, column {exc.colno}: "
            f"{exc.msg})"
        ) from None
    kind = data.get("type") if isinstance(data, dict) else None
    if kind == "FeatureCollection":
        features = data.get("features")
        if not isinstance(features, list):
            raise InputError(f"sites file {where!r}: 'features' must be a list of features")
    elif kind == "Feature":
        features = [data]
    else:
        raise InputError(
            f"sites file {where!r} is GeoJSON of type {kind!r}; give a FeatureCollection "
            "of Point features"
        )
    sites = []
    for i, feature in enumerate(features):
        at = f"sites file {where!r}, feature {i}"
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise InputError(f"{at} is not a GeoJSON Feature")
        geometry = feature.get("geometry")
        gtype = geometry.get("type") if isinstance(geometry, dict) else None
        if gtype != "Point" or not isinstance(geometry, dict):
            raise InputError(f"{at} has geometry {gtype!r}; only Point features can be sites")
        coords = geometry.get("coordinates")
        if (
            not isinstance(coords, list)
            or len(coords) < 2
            or not all(isinstance(c, (int, float)) and not isinstance(c, bool) for c in coords)
        ):
            raise InputError(f"{at}: coordinates {coords!r} are not [lon, lat] numbers")
        lon, lat = float(coords[0]), float(coords[1])
        props = feature.get("properties") or {}
        if not isinstance(props, dict):
            raise InputError(f"{at}: properties must be an object")
        lowered = {str(k).lower(): v for k, v in props.items()}
        name = next(
            (str(lowered[k]).strip() for k in _NAME_COLUMNS if lowered.get(k) not in (None, "")),
            "",
        )
        extra = {k: str(lowered[k]) for k in _KEPT_COLUMNS if lowered.get(k) is not None}
        try:
            sites.append(Site(name or coord_label(lon, lat), lon, lat, **extra))
        except InputError as exc:
            raise InputError(f"{at}: {exc}") from None
    return sites
