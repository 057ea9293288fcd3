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

__all__ = ["SAME_PLACE_KM", "Capitals", "capitals", "findings"]


@dataclass
class Capitals:
    """Every national capital, with its status and distance to the nearest site."""

    names: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    status: np.ndarray
    distance: np.ndarray  # km to the nearest site of any layer
    edge: np.ndarray  # km to the nearest band edge (inner or outer radius)
    importance: np.ndarray  # 0 the most populous


#: A capital this close (km) to a site or target is that site or target.
SAME_PLACE_KM = 20.0


def capitals(geometry: MapGeometry) -> Capitals:
    """The national capitals but those that are a launch site or target themselves."""
    from rangeviz.names import national_capitals

    table = national_capitals()
    lon, lat, pop = table.lon, table.lat, table.pop_max
    spec = geometry.spec
    keep = np.ones(lon.size, dtype=bool)
    marked = list(spec.points)
    if marked:
        from pyproj import Geod

        geod = Geod(ellps="WGS84")
        for p in marked:
            n = lon.size
            _, _, m = geod.inv(np.full(n, p.lon), np.full(n, p.lat), lon, lat)
            keep &= np.asarray(m) > SAME_PLACE_KM * 1000.0
    lon, lat, pop, place = lon[keep], lat[keep], pop[keep], table.name[keep]
    distance = np.full(lon.size, np.inf)
    edge = np.full(lon.size, np.inf)
    for geo in geometry.layers:
        d = geo.distances_km(lon, lat).min(axis=1)
        distance = np.minimum(distance, d)
        for r in (geo.layer.inner_km, geo.layer.outer_km):
            if r > 0:
                edge = np.minimum(edge, np.abs(d - r))
    names = np.array([spec.options.renamed(n) for n in place], dtype=object)
    return Capitals(names, lon, lat, geometry.statuses(lon, lat), distance, edge, _importance(pop))


def _importance(pop: np.ndarray) -> np.ndarray:
    """0 for the most populous capital, 1 for the next...: Vienna is named before Vaduz."""
    order = np.argsort(-pop, kind="stable")
    rank = np.empty(pop.size)
    rank[order] = np.arange(pop.size)
    return rank


def findings(spec: MapSpec, caps: Capitals) -> str:
    """'83 national capitals lie in the band; Warsaw, Vilnius, Riga and Minsk are closer
    than 500 km.' -- from exact distances."""
    if not spec.sites:
        return ""
    launch = [layer for layer in spec.layers if layer.role == "launch site"]
    n_in = int((caps.status == 0).sum())
    where = "in the band" if any(layer.inner_km > 0 for layer in launch) else "within range"
    if len({(layer.inner_km, layer.outer_km) for layer in launch}) > 1:
        where = "in at least one band" if where == "in the band" else "within range of a band"
    text = f"{n_in} national capital{'s' if n_in != 1 else ''} lie {where}"
    close = caps.status == 1
    if close.any():
        order = np.argsort(caps.distance[close])
        names = [str(n) for n in caps.names[close][order]]
        inner = min(layer.inner_km for layer in launch if layer.inner_km > 0)
        verb = "is" if len(names) == 1 else "are"
        text += f"; {join_names(names, most=5, noun='more')} {verb} closer than {km(inner)} km"
    return text + "."
