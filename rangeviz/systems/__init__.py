"""The missile systems catalog and the INF Treaty band.

The catalog (``rangeviz/data/systems.toml``) gives each system's range as
estimates, each by a named claimant with its source: treaty texts,
governments, the Congressional Research Service, research institutes, news
agencies quoting officials. A system's ``default`` claimant's figure is what
a map draws, and the legend says whose it is; the other figures go into the
map's small print. Where the sources state only a class (the INF Treaty's
1,000-5,500 km for the Pershing II), the band is drawn and labelled as a
class; where they say only "more than", as a lower bound. Systems with no
sourced figure (the Typhon launcher, the later PrSM increments) have none:
asking for their band raises an error. The research notes are in
``rangeviz/data/README.md``.

Examples
--------
>>> from rangeviz.systems import INF_BAND, get_system
>>> get_system("ssc8").name
'9M729'
>>> [e.by for e in get_system("SSC-8").estimates]
['US State Dept', 'Russian MoD']
>>> get_system("SSC-8").band("Russian MoD").radii_text
'0–480 km'
>>> INF_BAND.band_km
(500.0, 5500.0)
"""

from __future__ import annotations

from rangeviz.systems.bands import BAND_KEYS, resolve_band, resolve_bands
from rangeviz.systems.catalog import (
    Estimate,
    System,
    catalog_sources,
    get_system,
    inf_band,
    list_systems,
)

__all__ = [
    "BAND_KEYS",
    "Estimate",
    "INF_BAND",
    "System",
    "catalog_sources",
    "get_system",
    "inf_band",
    "list_systems",
    "resolve_band",
    "resolve_bands",
]


def __getattr__(name: str) -> System:
    if name == "INF_BAND":  # read from the catalog on first use
        from rangeviz.systems import catalog

        return catalog.INF_BAND
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
