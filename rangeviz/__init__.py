"""rangeviz: true geodesic missile range bands on WGS84, drawn over European maps.

>>> import rangeviz
>>> g = rangeviz.band(20.51, 54.71)  # the INF band (500-5,500 km) around Kaliningrad
>>> round(rangeviz.distance_km(20.51, 54.71, 13.40, 52.52), 1)  # to Berlin
529.6

Names are re-exported lazily (PEP 562), so that ``import rangeviz`` -- and the
command line's ``--help`` -- stays fast; ``__all__`` is the public API. The
coverage table is ``rangeviz.coverage.coverage`` (or ``Scenario.coverage()``):
``rangeviz.coverage`` is the module, not shadowed by the function.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import TYPE_CHECKING, Any

from rangeviz.errors import (
    DataError,
    InputError,
    OutputError,
    RangevizError,
    UnknownNameError,
)

if TYPE_CHECKING:
    from rangeviz.areas import geodesic_area_km2
    from rangeviz.coverage import band_area_km2, country_coverage
    from rangeviz.export import write_bands
    from rangeviz.geodesic import ANTIPODAL_KM, band, bands, disc, distance_km, ring
    from rangeviz.html import to_html
    from rangeviz.model import Band, BandLayer, Site
    from rangeviz.plot import plot_bands, plot_map, save_figure
    from rangeviz.report import format_report
    from rangeviz.scenario import Scenario
    from rangeviz.scenario_file import load_scenario
    from rangeviz.sites import (
        AmbiguousSiteWarning,
        parse_coordinates,
        read_sites,
        resolve_site,
        search_places,
    )
    from rangeviz.systems import INF_BAND, System, get_system, list_systems


def _offline() -> None:
    """Pin PROJ's network off, whatever the environment says: rangeviz never fetches.

    PROJ (in pyproj, and in GDAL under pyogrio) downloads transformation grids
    when ``PROJ_NETWORK=ON``; a map would then open sockets and change with
    the network. The variable is read when PROJ makes a context, so it is set
    before either library is imported; a pyproj imported earlier is told
    directly. rangeviz hands GDAL only local file paths, never a URL.
    """
    os.environ["PROJ_NETWORK"] = "OFF"
    if "pyproj" in sys.modules:
        from pyproj.network import set_network_enabled

        set_network_enabled(False)


_offline()


def _version() -> str:
    # one source of the version: the installed package's metadata (pyproject.toml)
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("rangeviz")
    except PackageNotFoundError:  # pragma: no cover - a source tree never installed
        return "0+unknown"


# ``__version__`` is read on first use (see __getattr__): importlib.metadata and
# the search of the installed distributions cost 20-40 ms, a tenth of a map

_LAZY = {
    "ANTIPODAL_KM": "geodesic",
    "band": "geodesic",
    "bands": "geodesic",
    "disc": "geodesic",
    "distance_km": "geodesic",
    "ring": "geodesic",
    "AmbiguousSiteWarning": "sites",
    "Site": "model",
    "parse_coordinates": "sites",
    "read_sites": "sites",
    "resolve_site": "sites",
    "search_places": "sites",
    "INF_BAND": "systems",
    "System": "systems",
    "get_system": "systems",
    "list_systems": "systems",
    "Band": "model",
    "Scenario": "scenario",
    "load_scenario": "scenario_file",
    "BandLayer": "model",
    "plot_bands": "plot",
    "plot_map": "plot",
    "save_figure": "plot",
    "band_area_km2": "coverage",
    "country_coverage": "coverage",
    "format_report": "report",
    "geodesic_area_km2": "areas",
    "write_bands": "export",
    "to_html": "html",
}

__all__ = sorted(
    [
        "DataError",
        "InputError",
        "OutputError",
        "RangevizError",
        "UnknownNameError",
        "__version__",
        *_LAZY,
    ]
)


def __getattr__(name: str) -> Any:
    if name == "__version__":
        globals()[name] = version = _version()
        return version
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'rangeviz' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"rangeviz.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
