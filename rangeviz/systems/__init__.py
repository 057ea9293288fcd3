"""The missile systems catalog and the INF Treaty band.

The catalog (``rangeviz/data/systems.csv``) was collected from press,
encyclopedia and arms-control pages; every row keeps its source URLs. Read its
numbers with the caveats that come with them:

- Cold War ranges differ between sources by 10-30 %. ``max_km`` is the figure
  most sources cite; ``range_note`` gives the spread of published estimates.
- 9M729 / SSC-8: Russia declared 480 km; the Western ~2,000-2,500 km figures
  come from press reports of intelligence estimates. The catalog's 2,350 km is
  one of those.
- RK-55 Relief (SSC-X-4) has no sourced range, nor have the Typhon launcher
  and the later PrSM increments: asking for their band raises an error.
- Oreshnik's 5,500 km is a Russian claim.
- Kinzhal is air-launched, so outside the INF Treaty's scope.

Each :class:`System` carries these in ``range_note`` and ``caveat``.

A system with no sourced minimum range has the band 0-``max_km`` (everything
it can reach), not ``min_km``-``max_km``.

Examples
--------
>>> from rangeviz.systems import INF_BAND, get_system
>>> get_system("ssc8").name
'9M729'
>>> get_system("Pershing II").band_km
(0.0, 1770.0)
>>> INF_BAND.band_km
(500.0, 5500.0)
"""

from __future__ import annotations

from rangeviz.systems.bands import BAND_KEYS, resolve_band, resolve_bands
from rangeviz.systems.catalog import INF_BAND, System, get_system, inf_band, list_systems

__all__ = [
    "BAND_KEYS",
    "INF_BAND",
    "System",
    "get_system",
    "inf_band",
    "list_systems",
    "resolve_band",
    "resolve_bands",
]
