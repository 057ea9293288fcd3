"""Scenario: sites, range bands and map options -- one briefing figure.

A scenario is built from Python or read from a TOML file, and everything else
(the map, the exported bands, the coverage report) is derived from it::

    from rangeviz import Scenario
    s = Scenario(["Kaliningrad"], ranges=["SSC-8"], title="9M729 from Kaliningrad")
    s.bands()      # GeoDataFrame: one row per site and band
    s.save("map.png")

The TOML form (see ``examples/*.toml``)::

    title = "The INF band around Kaliningrad"
    sites = ["Kaliningrad", { name = "Base", lat = 54.71, lon = 20.51 }]
    ranges = ["INF", { system = "SSC-8" }, { label = "Test", inner_km = 0, outer_km = 900 }]

    [map]
    projection = "europe"
    extent = "europe"
    labels = "capitals"
"""

from __future__ import annotations

import dataclasses
import math
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rangeviz._checks import band_radii as _check_band
from rangeviz.errors import InputError

if TYPE_CHECKING:
    import pandas as pd
    from geopandas import GeoDataFrame
    from matplotlib.axes import Axes

    from rangeviz.sites import Site

__all__ = ["Band", "Scenario", "load_scenario"]


@dataclass(frozen=True)
class Band:
    """A range band to draw: a label, radii in km and where the figures come from.

    Parameters
    ----------
    label : str
        Legend text, e.g. ``"SSC-8 (9M729)"``.
    inner_km, outer_km : float
        Geodesic radii, ``0 <= inner_km < outer_km``.
    system : str, optional
        The catalog name of the system the band stands for, if any.
    sources : tuple of str
        Where the range comes from (URLs or citations).
    note : str
        The spread of published estimates or another caveat.

    Examples
    --------
    >>> Band("INF Treaty band", 500, 5500).outer_km
    5500.0
    >>> Band("bad", 600, 500)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    rangeviz.errors.InputError: inner_km 600.0 must be smaller than outer_km 500.0 ...
    """

    label: str
    inner_km: float
    outer_km: float
    system: str = ""
    sources: tuple[str, ...] = ()
    note: str = ""

    def __post_init__(self) -> None:
        inner, outer = _check_band(self.inner_km, self.outer_km)
        object.__setattr__(self, "inner_km", inner)
        object.__setattr__(self, "outer_km", outer)
        if not isinstance(self.label, str) or not self.label.strip():
            raise InputError(f"band label {self.label!r} must be a non-empty string")
        object.__setattr__(self, "sources", tuple(self.sources))

    @property
    def radii_text(self) -> str:
        """``"500–5,500 km"`` (or ``"0–2,500 km"``)."""
        return f"{_km(self.inner_km)}–{_km(self.outer_km)} km"

    @classmethod
    def from_system(cls, system: Any) -> Band:
        """The band of a catalog :class:`~rangeviz.systems.System`."""
        inner, outer = system.band_km
        name = system.name
        label = name if not getattr(system, "nato_name", "") else f"{name} ({system.nato_name})"
        return cls(
            label=label,
            inner_km=inner,
            outer_km=outer,
            system=name,
            sources=tuple(system.sources),
            note=getattr(system, "range_note", "") or "",
        )


def _km(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def inf_band() -> Band:
    """The INF Treaty band: ground-launched missiles of 500-5,500 km range."""
    from rangeviz.systems import INF_BAND

    # the treaty's band is a definition, not an estimate: no range note
    return dataclasses.replace(Band.from_system(INF_BAND), note="")


def resolve_band(spec: Any, where: str = "ranges") -> Band:
    """A :class:`Band` from a Band, a System, a catalog name, a (inner, outer) pair
    or a mapping with ``system`` or ``inner_km``/``outer_km`` (and ``label``)."""
    from rangeviz import systems

    if isinstance(spec, Band):
        return spec
    if hasattr(spec, "band_km"):
        return Band.from_system(spec)
    if isinstance(spec, str):
        if spec.strip().lower() in {"inf", "inf band", "inf treaty", "inf treaty band"}:
            return inf_band()
        return Band.from_system(systems.get_system(spec))
    if isinstance(spec, Sequence) and len(spec) == 2:
        inner, outer = spec
        band = Band(f"{_km(float(inner))}–{_km(float(outer))} km", inner, outer)
        return band
    if isinstance(spec, Mapping):
        _check_keys(spec, {"system", "label", "inner_km", "outer_km", "sources", "note"}, where)
        if "system" in spec:
            base = resolve_band(str(spec["system"]), where)
            changes = {k: spec[k] for k in ("label", "inner_km", "outer_km", "note") if k in spec}
            if "sources" in spec:
                changes["sources"] = tuple(spec["sources"])
            return dataclasses.replace(base, **changes) if changes else base
        missing = [k for k in ("inner_km", "outer_km") if k not in spec]
        if missing:
            raise InputError(
                f"{where}: give 'system' or both 'inner_km' and 'outer_km' (missing {missing[0]!r})"
            )
        inner, outer = spec["inner_km"], spec["outer_km"]
        for key, value in (("inner_km", inner), ("outer_km", outer)):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise InputError(f"{where}.{key}: {value!r} is not a number of kilometres")
        label = spec.get("label") or f"{_km(float(inner))}–{_km(float(outer))} km"
        try:
            return Band(
                str(label),
                inner,
                outer,
                sources=tuple(spec.get("sources", ())),
                note=str(spec.get("note", "")),
            )
        except InputError as exc:
            raise InputError(f"{where}: {exc}") from None
    raise InputError(
        f"{where}: {spec!r} is not a band; give a system name, (inner_km, outer_km) "
        "or a table with 'system' or 'inner_km' and 'outer_km'"
    )


def _resolve_site(spec: Any, where: str) -> Site:
    from rangeviz import sites as _sites

    if hasattr(spec, "lon") and hasattr(spec, "lat") and hasattr(spec, "name"):
        return spec
    if isinstance(spec, str):
        return _sites.resolve_site(spec)
    if isinstance(spec, Sequence) and len(spec) == 2:
        lon, lat = spec
        return _sites.Site(_sites_name(lon, lat), float(lon), float(lat))
    if isinstance(spec, Mapping):
        _check_keys(spec, {"name", "lat", "lon", "at", "note", "source"}, where)
        name = spec.get("name")
        if "at" in spec:
            lon, lat = _sites.parse_coordinates(str(spec["at"]))
        elif "lat" in spec or "lon" in spec:
            missing = [k for k in ("lat", "lon") if k not in spec]
            if missing:
                raise InputError(f"{where}: {missing[0]!r} is missing (give both lat and lon)")
            lat, lon = spec["lat"], spec["lon"]
        elif name:
            return _sites.resolve_site(str(name))
        else:
            raise InputError(f"{where}: give 'name', 'at' or 'lat' and 'lon'")
        try:
            return _sites.Site(
                str(name or _sites_name(lon, lat)),
                float(lon),
                float(lat),
                **{k: str(spec[k]) for k in ("note", "source") if k in spec},
            )
        except (TypeError, ValueError) as exc:
            raise InputError(f"{where}: {exc}") from None
    raise InputError(
        f"{where}: {spec!r} is not a site; give a place name, coordinates "
        '("54.71N 20.51E") or a table with name/lat/lon'
    )


def _sites_name(lon: Any, lat: Any) -> str:
    from rangeviz._text import coord_label

    try:
        return coord_label(float(lon), float(lat))
    except (TypeError, ValueError):
        return str((lon, lat))


MAP_KEYS = {
    "projection": str,
    "extent": (str, list),
    "size": str,
    "dpi": int,
    "labels": str,
    "highlight": str,
    "rings_km": (int, float),
    "radials": int,
    "title": str,
    "subtitle": str,
}


@dataclass
class Scenario:
    """Sites, the bands to draw around them, and how to draw the map.

    Parameters
    ----------
    sites : iterable
        Launch sites: :class:`~rangeviz.sites.Site` objects, place names or
        coordinate strings (resolved through the gazetteer), or ``(lon, lat)``.
    ranges : iterable, optional
        Bands: :class:`Band` objects, catalog system names or aliases
        (``"SSC-8"``), ``(inner_km, outer_km)`` pairs, or ``"INF"``. Default:
        the INF Treaty band, 500-5,500 km.
    targets : iterable, optional
        Target mode: places for which to draw the launch area -- the band
        around the target, where a launcher would have to stand.
    title, subtitle : str, optional
        Map title (default: names the sites and bands) and subtitle.
    projection, extent, size, dpi, labels, highlight, rings_km, radials
        Map options, passed to :func:`rangeviz.plot.plot_scenario`.
    """

    sites: list[Any] = field(default_factory=list)
    ranges: list[Any] = field(default_factory=list)
    targets: list[Any] = field(default_factory=list)
    title: str | None = None
    subtitle: str | None = None
    projection: Any = "auto"
    extent: Any = None
    size: str = "slide"
    dpi: int = 200
    labels: str | None = None
    highlight: str | None = None
    rings_km: float | None = None
    radials: int | None = None
    dissolve: bool = False
    output: str | None = None

    def __post_init__(self) -> None:
        if isinstance(self.sites, (str, bytes)):
            self.sites = [self.sites]
        if isinstance(self.ranges, (str, bytes, Band)):
            self.ranges = [self.ranges]
        if isinstance(self.targets, (str, bytes)):
            self.targets = [self.targets]
        self.sites = [_resolve_site(s, f"sites[{i}]") for i, s in enumerate(self.sites)]
        self.targets = [_resolve_site(s, f"targets[{i}]") for i, s in enumerate(self.targets)]
        ranges = list(self.ranges) or [inf_band()]
        self.ranges = [resolve_band(r, f"ranges[{i}]") for i, r in enumerate(ranges)]
        if not self.sites and not self.targets:
            raise InputError("a scenario needs at least one site (or a target)")
        from rangeviz import maps

        first = self.launch_points[0]
        maps.resolve_projection(self.projection, center=(first.lon, first.lat))
        maps.resolve_extent(self.extent)
        if self.dpi is not None and (not isinstance(self.dpi, int) or not 10 <= self.dpi <= 1200):
            raise InputError(f"dpi {self.dpi!r} must be a whole number from 10 to 1200")
        if self.rings_km is not None:
            r = float(self.rings_km)
            if not math.isfinite(r) or r < 10:
                raise InputError(f"rings_km {self.rings_km!r} must be at least 10 (kilometres)")
        if self.radials is not None and not 1 <= int(self.radials) <= 72:
            raise InputError(f"radials {self.radials!r} must be from 1 to 72")
        for name, allowed in (
            ("labels", {"capitals", "none"}),
            ("highlight", {"countries", "none"}),
        ):
            value = getattr(self, name)
            if value is not None and value not in allowed:
                raise InputError(
                    f"{name} {value!r} is not known; choose one of: {', '.join(sorted(allowed))}"
                )
            if value == "none":
                setattr(self, name, None)

    # ------------------------------------------------------------------
    # derived data

    @property
    def launch_points(self) -> list[Any]:
        """The points bands are drawn around: the sites, then the targets."""
        return [*self.sites, *self.targets]

    def bands(self) -> GeoDataFrame:
        """The bands as a GeoDataFrame (EPSG:4326).

        One row per site and band (``dissolve=False``) or per band
        (``dissolve=True``), with columns ``site``, ``system``, ``label``,
        ``inner_km``, ``outer_km``, ``source``, ``role`` (``"launch site"`` or
        ``"launch area for <target>"``) and ``geometry``.
        """
        import geopandas as gpd
        import pandas as pd

        from rangeviz.geodesic import bands as _bands

        frames = []
        groups = [("launch site", self.sites)] + [
            (f"launch area for {t.name}", [t]) for t in self.targets
        ]
        for role, points in groups:
            if not points:
                continue
            for band in self.ranges:
                gdf = _bands(
                    points,
                    inner_km=band.inner_km,
                    outer_km=band.outer_km,
                    dissolve=self.dissolve,
                )
                frames.append(
                    pd.DataFrame(
                        {
                            "site": gdf["name"].to_list(),
                            "system": band.system,
                            "label": band.label,
                            "inner_km": band.inner_km,
                            "outer_km": band.outer_km,
                            "source": " | ".join(band.sources),
                            "role": role,
                            "geometry": gdf.geometry.to_list(),
                        }
                    )
                )
        return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs="EPSG:4326")

    def default_title(self) -> str:
        names = [s.name for s in self.sites] or [t.name for t in self.targets]
        shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        if self.targets and not self.sites:
            return f"Where a launcher must stand to reach {shown}"
        what = " and ".join(b.label for b in self.ranges[:2])
        return f"{what} around {shown}"

    def plot(self, ax: Axes | None = None) -> Axes:
        """Draw the scenario's map; returns the Axes."""
        from rangeviz.plot import plot_scenario

        return plot_scenario(self, ax=ax)

    def save(self, path: str | Path | None = None, *, dpi: int | None = None) -> Path:
        """Draw and write the map (PNG, SVG or PDF by extension), atomically."""
        from rangeviz.plot import save_scenario

        target = path or self.output
        if target is None:
            raise InputError("no output path: give one, or set 'output' in the scenario")
        return save_scenario(self, target, dpi=dpi or self.dpi)

    def coverage(self, **kwargs: Any) -> pd.DataFrame:
        """Which places lie in each band; see :func:`rangeviz.coverage.coverage`."""
        from rangeviz.coverage import coverage

        return coverage(self.sites, bands=self.ranges, **kwargs)


# ----------------------------------------------------------------------
# TOML

TOP_KEYS = {
    "title",
    "subtitle",
    "sites",
    "sites_file",
    "ranges",
    "systems",
    "targets",
    "map",
    "output",
    "dissolve",
}


def _check_keys(
    spec: Mapping[str, Any],
    known: Iterable[str],
    where: str,
    *,
    prefix: str = "",
    what: str = "keys",
) -> None:
    """An unknown key is an error naming it and listing the allowed ones."""
    unknown = sorted(set(spec) - set(known))
    if unknown:
        raise InputError(
            f"{where}: unknown key '{prefix}{unknown[0]}'; allowed {what}: "
            f"{', '.join(sorted(known))}"
        )


def _listed(data: Mapping[str, Any], key: str, name: str) -> list[Any]:
    """``data[key]`` as a list: one string or table may stand for a list of one."""
    value = data.get(key, [])
    if isinstance(value, (str, Mapping)):
        value = [value]
    _check_type(value, list, f"{name}: {key}")
    return value


def _check_type(value: Any, types: Any, where: str) -> None:
    if isinstance(value, bool) and bool not in (types if isinstance(types, tuple) else (types,)):
        ok = False
    else:
        ok = isinstance(value, types)
    if not ok:
        names = " or ".join(
            t.__name__.replace("str", "string").replace("list", "array")
            for t in (types if isinstance(types, tuple) else (types,))
        )
        raise InputError(f"{where}: {value!r} should be a {names}")


def scenario_from_dict(
    data: Mapping[str, Any], *, base: Path | None = None, name: str = "scenario"
) -> Scenario:
    """A :class:`Scenario` from parsed TOML; errors name the key."""
    from rangeviz import sites as _sites

    _check_keys(data, TOP_KEYS, name, what="top-level keys")
    site_specs = [
        _resolve_site(spec, f"{name}: sites[{i}]")
        for i, spec in enumerate(_listed(data, "sites", name))
    ]
    for i, file in enumerate(_listed(data, "sites_file", name)):
        _check_type(file, str, f"{name}: sites_file[{i}]")
        path = Path(file)
        if base is not None and not path.is_absolute():
            path = base / path
        try:
            site_specs.extend(_sites.read_sites(path))
        except InputError as exc:
            raise InputError(f"{name}: sites_file[{i}]: {exc}") from None
    ranges: list[Any] = []
    for key in ("ranges", "systems"):
        for i, spec in enumerate(_listed(data, key, name)):
            ranges.append(resolve_band(spec, f"{name}: {key}[{i}]"))
    targets = [
        _resolve_site(t, f"{name}: targets[{i}]")
        for i, t in enumerate(_listed(data, "targets", name))
    ]
    options: dict[str, Any] = {}
    for key in ("title", "subtitle", "output"):
        if key in data:
            _check_type(data[key], str, f"{name}: {key}")
            options[key] = data[key]
    if "dissolve" in data:
        _check_type(data["dissolve"], bool, f"{name}: dissolve")
        options["dissolve"] = data["dissolve"]
    map_opts = data.get("map", {})
    _check_type(map_opts, dict, f"{name}: map")
    _check_keys(map_opts, MAP_KEYS, name, prefix="map.")
    for key, value in map_opts.items():
        _check_type(value, MAP_KEYS[key], f"{name}: map.{key}")
        options[key] = tuple(value) if key == "extent" and isinstance(value, list) else value
    if "output" in options and base is not None and not Path(options["output"]).is_absolute():
        options["output"] = str(base / options["output"])
    try:
        return Scenario(site_specs, ranges=ranges, targets=targets, **options)
    except InputError as exc:
        raise InputError(f"{name}: {exc}") from None


def load_scenario(path: str | Path) -> Scenario:
    """Read a scenario file (TOML). Relative paths inside it are relative to it.

    Raises
    ------
    InputError
        If the file is missing, is not valid TOML, or a key is wrong; the
        message names the file and the key.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"scenario file {str(path)!r} does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"scenario file {str(path)!r} cannot be read: {exc}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"scenario file {str(path)!r} is not valid TOML: {exc}") from None
    return scenario_from_dict(data, base=path.parent, name=path.name)
