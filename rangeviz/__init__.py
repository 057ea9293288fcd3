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
from typing import TYPE_CHECKING, Any

from rangeviz.errors import (
    DataError,
    InputError,
    OutputError,
    RangevizError,
    UnknownNameError,
)

if TYPE_CHECKING:
    from rangeviz.coverage import (
        band_area_km2,
        country_coverage,
        format_report,
        geodesic_area_km2,
    )
    from rangeviz.export import write_bands
    from rangeviz.geodesic import ANTIPODAL_KM, band, bands, disc, distance_km, ring
    from rangeviz.plot import BandLayer, plot_bands, plot_map, save_figure
    from rangeviz.scenario import Band, Scenario, load_scenario
    from rangeviz.sites import (
        AmbiguousSiteWarning,
        Site,
        parse_coordinates,
        read_sites,
        resolve_site,
        search_places,
    )
    from rangeviz.systems import INF_BAND, System, get_system, list_systems

__version__ = "0.1.0"

_LAZY = {
    "ANTIPODAL_KM": "geodesic",
    "band": "geodesic",
    "bands": "geodesic",
    "disc": "geodesic",
    "distance_km": "geodesic",
    "ring": "geodesic",
    "AmbiguousSiteWarning": "sites",
    "Site": "sites",
    "parse_coordinates": "sites",
    "read_sites": "sites",
    "resolve_site": "sites",
    "search_places": "sites",
    "INF_BAND": "systems",
    "System": "systems",
    "get_system": "systems",
    "list_systems": "systems",
    "Band": "scenario",
    "Scenario": "scenario",
    "load_scenario": "scenario",
    "BandLayer": "plot",
    "plot_bands": "plot",
    "plot_map": "plot",
    "save_figure": "plot",
    "band_area_km2": "coverage",
    "country_coverage": "coverage",
    "format_report": "coverage",
    "geodesic_area_km2": "coverage",
    "write_bands": "export",
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
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'rangeviz' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"rangeviz.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
