"""Scenario files (TOML): a briefing figure described as data, confined to its folder.

The form (see ``examples/*.toml``)::

    title = "The INF band around Kaliningrad"
    output = "out/kaliningrad.png"        # relative to this file
    sites = ["Kaliningrad", { name = "Base", lat = 54.71, lon = 20.51 }]
    sites_file = "bases.csv"              # relative to this file
    ranges = ["INF", { system = "SSC-8" }, { label = "Test", inner_km = 0, outer_km = 900 }]

    [map]
    projection = "europe"
    extent = "europe"
    labels = "capitals"

Every key is checked -- its type and its value -- and a mistake names the
file and the key (``brief.toml: map.dpi: 0 must be a whole number from 10 to
1200``). A scenario file is data: the paths it names (``output``,
``sites_file``) are relative to its folder and must stay inside it, unless the
caller allows otherwise (``rangeviz render --allow-outside``); its messages
quote no more of the files it reads than a column name.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from rangeviz import _checks
from rangeviz._io import check_path
from rangeviz.errors import InputError, RangevizError
from rangeviz.model import MapOptions
from rangeviz.scenario import Scenario

__all__ = ["MAP_KEYS", "MAX_FILE_BYTES", "TOP_KEYS", "load_scenario", "scenario_from_dict"]

#: The keys a scenario file may have at the top.
TOP_KEYS = (
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
)
#: The keys of its ``[map]`` table.
MAP_KEYS = (
    "distances",
    "dpi",
    "extent",
    "flight_times",
    "font",
    "graticule",
    "highlight",
    "labels",
    "legend",
    "minutes",
    "projection",
    "radials",
    "rename",
    "rings_km",
    "rotating_earth",
    "size",
    "source",
    "subtitle",
    "title",
)
#: A scenario file larger than this is refused (a figure fits in far less).
MAX_FILE_BYTES = 1_000_000


def _check_keys(spec: Mapping[str, Any], known: tuple[str, ...], prefix: str = "") -> None:
    unknown = sorted(set(map(str, spec)) - set(known))
    if unknown:
        raise InputError(
            f"unknown key '{prefix}{unknown[0]}'; allowed: {', '.join(prefix + k for k in known)}"
        )


def _listed(data: Mapping[str, Any], key: str) -> list[Any]:
    """``data[key]`` as a list: one string or table may stand for a list of one."""
    value = data.get(key, [])
    if isinstance(value, (str, Mapping)):
        return [value]
    if not isinstance(value, list):
        raise InputError(
            f"{key}: {_checks.show(value)} should be a list (or one entry), "
            f"not {_checks.type_name(value)}"
        )
    return value


def _inside(path: Path, base: Path, key: str, allow_outside: bool) -> Path:
    """``path`` relative to ``base``; outside ``base`` only if allowed."""
    full = path if path.is_absolute() else base / path
    if allow_outside:
        return full
    resolved = Path(os.path.realpath(full))
    root = Path(os.path.realpath(base))
    if resolved != root and root not in resolved.parents:
        raise InputError(
            f"{key}: {str(path)!r} lies outside the scenario's folder; a scenario file may "
            "only name files in its own folder (use --allow-outside to permit it)"
        )
    return full


def scenario_from_dict(
    data: Mapping[str, Any],
    *,
    base: Path | None = None,
    name: str = "scenario",
    allow_outside: bool = False,
) -> Scenario:
    """A :class:`~rangeviz.scenario.Scenario` from parsed TOML; errors name the file and key.

    Parameters
    ----------
    data : mapping
        The parsed file.
    base : Path, optional
        The scenario's folder: ``output`` and ``sites_file`` are relative to it
        and must stay inside it (unless ``allow_outside``). None: the current folder.
    name : str
        The file's name, for messages.
    allow_outside : bool, default False
        Let ``output`` and ``sites_file`` name files outside ``base``.
    """
    try:
        return _build(data, base or Path("."), allow_outside)
    except RangevizError as exc:
        raise type(exc)(f"{name}: {exc}") from None


def _build(data: Mapping[str, Any], base: Path, allow_outside: bool) -> Scenario:
    from rangeviz.sites import read_sites, resolve_sites

    _check_keys(data, TOP_KEYS)
    sites: list[Any] = list(resolve_sites(_listed(data, "sites"), "sites", empty=True))
    for i, file in enumerate(_listed(data, "sites_file")):
        where = f"sites_file[{i}]"
        path = _inside(Path(_checks.text(file, where)), base, where, allow_outside)
        try:
            sites.extend(read_sites(path))
        except InputError as exc:
            raise InputError(f"{where}: {exc}") from None
    ranges: list[Any] = []
    for key in ("ranges", "systems"):
        for i, spec in enumerate(_listed(data, key)):
            if not isinstance(spec, (str, Mapping)):
                raise InputError(
                    f"{key}[{i}]: {_checks.show(spec)} is not a band; give a system name or "
                    "a table with 'system' or 'inner_km' and 'outer_km'"
                )
            ranges.append((f"{key}[{i}]", spec))
    from rangeviz.systems import resolve_band

    bands = [resolve_band(spec, where) for where, spec in ranges]
    targets = resolve_sites(_listed(data, "targets"), "targets", empty=True)
    places = resolve_sites(_listed(data, "places"), "places", empty=True)
    map_opts = data.get("map", {})
    if not isinstance(map_opts, Mapping):
        raise InputError(f"map: {_checks.show(map_opts)} should be a table ([map])")
    _check_keys(map_opts, MAP_KEYS, "map.")
    try:
        options = MapOptions(**{str(k): v for k, v in map_opts.items()})
    except InputError as exc:  # its messages start with the option's name
        raise type(exc)(f"map.{exc}") from None
    top = {k: _checks.text(data[k], k, empty=True) for k in ("title", "subtitle") if k in data}
    output = None
    if "output" in data:
        out = Path(_checks.text(data["output"], "output"))
        output = str(_inside(out, base, "output", allow_outside))
    options = options.replace(**top) if top else options
    try:
        return Scenario(
            sites,
            ranges=bands or None,
            targets=targets,
            places=places,
            dissolve=_checks.flag(data.get("dissolve", False), "dissolve"),
            output=output,
            options=options,
        )
    except InputError as exc:  # a check across options and bands (rings_km against the radii)
        text = str(exc)
        option = next((k for k in MAP_KEYS if text.startswith(f"{k} ")), None)
        raise type(exc)(f"map.{text}" if option else text) from None


def load_scenario(path: str | os.PathLike[str], *, allow_outside: bool = False) -> Scenario:
    """Read a scenario file (TOML); relative paths inside it are relative to it.

    Parameters
    ----------
    path : path-like
        The ``.toml`` file.
    allow_outside : bool, default False
        Let the file's ``output`` and ``sites_file`` name files outside its
        folder (absolute paths, ``../``).

    Raises
    ------
    InputError
        If the file is missing, unreadable, too large or not valid TOML, or a
        key is wrong; the message names the file and the key.
    """
    file = check_path(path, "scenario path")
    allow_outside = _checks.flag(allow_outside, "allow_outside")
    shown = str(file)
    try:
        if file.is_dir():
            raise InputError(f"scenario file {shown!r} is a directory; give a .toml file")
        size = file.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(
                f"scenario file {shown!r} is {size:,} bytes; at most {MAX_FILE_BYTES:,}"
            )
        with open(file, "rb") as handle:  # a FIFO says size 0: read no more than the limit
            raw = handle.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:
            raise InputError(f"scenario file {shown!r} is over {MAX_FILE_BYTES:,} bytes")
    except InputError:
        raise
    except FileNotFoundError:
        raise InputError(f"scenario file {shown!r} does not exist") from None
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or exc
        raise InputError(f"scenario file {shown!r} cannot be read: {reason}") from None
    try:
        text = raw.decode("utf-8-sig")  # a byte-order mark is harmless
    except UnicodeDecodeError as exc:
        raise InputError(
            f"scenario file {shown!r} is not UTF-8 text (byte {exc.start}); save it as UTF-8"
        ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"scenario file {shown!r} is not valid TOML: {exc}") from None
    except RecursionError:
        raise InputError(f"scenario file {shown!r} nests arrays or tables too deeply") from None
    return scenario_from_dict(data, base=file.parent, name=file.name, allow_outside=allow_outside)
