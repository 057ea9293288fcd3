"""Map projections, extents and clipping for drawing bands (no matplotlib here).

- :mod:`~rangeviz.maps.projections`: names to CRSs, azimuthal centres and views;
- :mod:`~rangeviz.maps.frame`: :class:`MapFrame`, which projects lon/lat
  geometries safely (clipped to what the projection can show, densified so
  drawn edges stay true, cut to the map);
- :mod:`~rangeviz.maps.extent`: :func:`make_frame`, the extent that shows the
  bands, grown to the page.

Examples
--------
>>> frame = make_frame("europe", extent="europe", aspect=16 / 9)
>>> frame.crs.to_epsg()
3035
>>> round(frame.width / frame.height, 3)
1.778
"""

from __future__ import annotations

from rangeviz._checks import choice as lookup
from rangeviz.maps.extent import check_shown, make_frame
from rangeviz.maps.frame import MapFrame
from rangeviz.maps.projections import (
    GEOD,
    choose_scale,
    resolve_extent,
    resolve_projection,
)
from rangeviz.model import EXTENTS, PROJECTIONS

__all__ = [
    "EXTENTS",
    "GEOD",
    "MapFrame",
    "PROJECTIONS",
    "check_shown",
    "choose_scale",
    "lookup",
    "make_frame",
    "resolve_extent",
    "resolve_projection",
]
