"""Files of sites: CSV with a header, or GeoJSON points."""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterable
from typing import Any

from rangeviz._checks import show
from rangeviz._io import check_path
from rangeviz._text import coord_label
from rangeviz.errors import InputError
from rangeviz.model import Site
from rangeviz.sites.coordinates import MAX_DIGITS

__all__ = ["MAX_FILE_BYTES", "SITE_FILE_SUFFIXES", "read_sites"]

SITE_FILE_SUFFIXES = (".csv", ".geojson", ".json")
#: A file of sites larger than this (bytes) is refused: ~500,000 rows of CSV.
MAX_FILE_BYTES = 20_000_000

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
        If the file is missing or unreadable, larger than 20 MB, has another
        extension, or a row or feature is malformed: the message names the
        file, the line (CSV) or feature index (GeoJSON), the column and the
        value -- never more of the file than a short column name.
    """
    file = check_path(path, "sites file")
    where = show(str(file), 120)
    suffix = file.suffix.lower()
    if suffix not in SITE_FILE_SUFFIXES:
        shown = f"extension {show(file.suffix, 20)}" if file.suffix else "no extension"
        raise InputError(
            f"sites file {where} has {shown}; a file of sites can be: "
            f"{', '.join(SITE_FILE_SUFFIXES)}"
        )
    try:
        if file.is_dir():
            raise InputError(f"sites file {where} is a directory; give a .csv or .geojson file")
        size = file.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(f"sites file {where} is {size:,} bytes; at most {MAX_FILE_BYTES:,}")
        with open(file, "rb") as handle:  # a FIFO or device: read no more than the limit
            raw = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise InputError(f"sites file {where} does not exist") from None
    except OSError as exc:
        raise InputError(f"sites file {where} cannot be read: {exc.strerror or exc}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise InputError(f"sites file {where} is over {MAX_FILE_BYTES:,} bytes")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"sites file {where} is not UTF-8 text (byte {exc.start}); save it as UTF-8"
        ) from None
    sites = _csv_sites(text, where) if suffix == ".csv" else _geojson_sites(text, where)
    if not sites:
        raise InputError(f"sites file {where} has no sites")
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
        return _csv_rows(reader, where)
    except csv.Error as exc:  # a field over the csv module's limit (131,072 characters)
        raise InputError(f"sites file {where}, line {reader.line_num}: {exc}") from None


def _columns(header: list[str]) -> str:
    """The columns as a message quotes them: short names only, a few of them."""
    names = [h.strip() for h in header]
    shown = [n if len(n) <= 24 else n[:23] + "…" for n in names[:6]]
    more = f" and {len(names) - 6} more" if len(names) > 6 else ""
    return ", ".join(shown) + more


def _csv_rows(reader: Any, where: str) -> list[Site]:
    try:
        header = next(reader)
    except StopIteration:
        raise InputError(f"sites file {where} is empty; give a header row: name,lat,lon") from None
    lat_col, lon_col = _column(header, _LAT_COLUMNS), _column(header, _LON_COLUMNS)
    name_col = _column(header, _NAME_COLUMNS)
    if lat_col is None or lon_col is None:
        missing = "lat" if lat_col is None else "lon"
        looks_numeric = any(_is_number(cell) for cell in header)
        hint = (
            " (the first line looks like data: the file needs a header row, e.g. name,lat,lon)"
            if looks_numeric
            else f" (columns found: {_columns(header)})"
        )
        raise InputError(f"sites file {where} has no {missing!r} column{hint}")
    kept = {key: _column(header, (key,)) for key in _KEPT_COLUMNS}
    sites = []
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise InputError(
                f"sites file {where}, line {line}: {len(row)} fields where the header "
                f"has {len(header)}"
            )
        values = {}
        for key, col, limit in (("lat", lat_col, 90), ("lon", lon_col, 180)):
            cell = row[col].strip()
            at = f"sites file {where}, line {line}, column {show(header[col].strip(), 24)}"
            try:
                value = float(cell)
            except ValueError:
                hint = "with a decimal point, not a comma" if "," in cell else "e.g. 54.71"
                raise InputError(
                    f"{at}: {show(cell, 30)} is not a number (give decimal degrees, {hint})"
                ) from None
            if len(cell) > MAX_DIGITS:
                raise InputError(
                    f"{at}: a number of {len(cell):,} characters; at most {MAX_DIGITS}"
                )
            if not -limit <= value <= limit:  # NaN fails too
                raise InputError(f"{at}: {show(cell, 30)} is outside [-{limit}, {limit}]")
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
            raise InputError(f"sites file {where}, line {line}: {exc}") from None
    return sites


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _json_number(text: str) -> float:
    if len(text) > MAX_DIGITS:
        raise InputError(f"a number of {len(text):,} characters; at most {MAX_DIGITS}")
    return float(text)


def _json_constant(text: str) -> float:
    raise InputError(f"{text} is not a number JSON allows")


def _load_json(text: str, where: str) -> Any:
    try:
        return json.loads(
            text,
            parse_int=_json_number,
            parse_float=_json_number,
            parse_constant=_json_constant,
        )
    except json.JSONDecodeError as exc:
        raise InputError(
            f"sites file {where} is not valid JSON (line {exc.lineno}, column {exc.colno}: "
            f"{exc.msg})"
        ) from None
    except InputError as exc:
        raise InputError(f"sites file {where}: {exc}") from None
    except RecursionError:
        raise InputError(f"sites file {where} nests arrays or objects too deeply") from None


def _property(value: Any, at: str, key: str) -> str:
    """A property as text: strings and numbers only."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise InputError(f"{at}: property {key!r} {show(value, 40)} must be text")
    return str(value).strip() if isinstance(value, str) else f"{value:g}"


def _geojson_sites(text: str, where: str) -> list[Site]:
    data = _load_json(text, where)
    kind = data.get("type") if isinstance(data, dict) else None
    if kind == "FeatureCollection":
        features = data.get("features")
        if not isinstance(features, list):
            raise InputError(f"sites file {where}: 'features' must be a list of features")
    elif kind == "Feature":
        features = [data]
    else:
        raise InputError(
            f"sites file {where} is GeoJSON of type {show(kind, 30)}; give a FeatureCollection "
            "of Point features"
        )
    sites = []
    for i, feature in enumerate(features):
        at = f"sites file {where}, feature {i}"
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise InputError(f"{at} is not a GeoJSON Feature")
        geometry = feature.get("geometry")
        gtype = geometry.get("type") if isinstance(geometry, dict) else None
        if gtype != "Point" or not isinstance(geometry, dict):
            raise InputError(
                f"{at} has geometry {show(gtype, 30)}; only Point features can be sites"
            )
        coords = geometry.get("coordinates")
        if (
            not isinstance(coords, list)
            or len(coords) < 2
            or not all(isinstance(c, float) for c in coords)
        ):
            raise InputError(f"{at}: coordinates {show(coords, 60)} are not [lon, lat] numbers")
        lon, lat = coords[0], coords[1]
        props = feature.get("properties") or {}
        if not isinstance(props, dict):
            raise InputError(f"{at}: properties must be an object")
        lowered = {str(k).lower(): v for k, v in props.items()}
        name = next(
            (
                _property(lowered[k], at, k)
                for k in _NAME_COLUMNS
                if lowered.get(k) not in (None, "")
            ),
            "",
        )
        extra = {
            k: _property(lowered[k], at, k) for k in _KEPT_COLUMNS if lowered.get(k) is not None
        }
        try:
            sites.append(Site(name or coord_label(lon, lat), lon, lat, **extra))
        except InputError as exc:
            raise InputError(f"{at}: {exc}") from None
    return sites
