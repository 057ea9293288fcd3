"""The places a map is about: every national capital, its status and distances.

Computed once per map from exact geodesic distances (never from the drawn
polygons) and used by the crop (which capitals must show), the standfirst
(what the band finds) and the labels (which capitals must be named).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from rangeviz._text import join_names, km

if TYPE_CHECKING:
    from rangeviz.geometry import MapGeometry
    from rangeviz.model import MapSpec

__all__ = ["Capitals", "capitals", "findings"]


@dataclass
class Capitals:
    """Every national capital, with its status and distance to the nearest site."""

    names: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    status: np.ndarray
    distance: np.ndarray  # km to the nearest site of any layer
    edge: np.ndarray  # km to the nearest band edge (inner or outer radius)


def capitals(geometry: MapGeometry) -> Capitals:
    from rangeviz.places import places_table

    table, _ = places_table("capitals")
    lon = table["lon"].to_numpy(dtype=float)
    lat = table["lat"].to_numpy(dtype=float)
    distance = np.full(lon.size, np.inf)
    edge = np.full(lon.size, np.inf)
    for geo in geometry.layers:
        d = geo.distances_km(lon, lat).min(axis=1)
        distance = np.minimum(distance, d)
        for r in (geo.layer.inner_km, geo.layer.outer_km):
            if r > 0:
                edge = np.minimum(edge, np.abs(d - r))
    names = np.array([geometry.spec.options.renamed(n) for n in table["place"]], dtype=object)
    return Capitals(names, lon, lat, geometry.statuses(lon, lat), distance, edge)


def findings(spec: MapSpec, caps: Capitals) -> str:
    """'83 national capitals lie in the band; Warsaw, Vilnius, Riga and Minsk are closer
    than 500 km.' -- from exact distances."""
    if not spec.sites:
        return ""
    launch = [layer for layer in spec.layers if layer.role == "launch site"]
    n_in = int((caps.status == 0).sum())
    where = "in the band" if any(layer.inner_km > 0 for layer in launch) else "within range"
    text = f"{n_in} national capital{'s' if n_in != 1 else ''} lie {where}"
    close = caps.status == 1
    if close.any():
        order = np.argsort(caps.distance[close])
        names = [str(n) for n in caps.names[close][order]]
        inner = min(layer.inner_km for layer in launch if layer.inner_km > 0)
        verb = "is" if len(names) == 1 else "are"
        text += f"; {join_names(names, most=5, noun='more')} {verb} closer than {km(inner)} km"
    return text + "."
