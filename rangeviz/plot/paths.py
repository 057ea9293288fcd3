"""Shapely geometries as matplotlib paths: one compound path per layer."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import shapely

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.path import Path as MplPath

    from rangeviz.maps import MapFrame

__all__ = ["add_path", "path", "region_patch"]


def path(geoms: Any) -> MplPath:
    """One compound matplotlib Path for polygons and/or lines.

    Polygon rings are oriented (shells counter-clockwise, holes clockwise) so
    matplotlib's non-zero fill leaves holes open, and closed; lines are open.
    """
    from matplotlib.path import Path

    arr = np.asarray(getattr(geoms, "values", geoms), dtype=object).ravel()
    if arr.size == 0:
        return Path(np.zeros((0, 2)))
    parts = shapely.get_parts(arr[~shapely.is_missing(arr)])
    parts = parts[~shapely.is_empty(parts)]  # a band wholly outside the view
    polys = parts[np.isin(shapely.get_type_id(parts), (3,))]
    lines = parts[np.isin(shapely.get_type_id(parts), (1, 2))]
    verts, codes = [], []
    if polys.size:
        rings = shapely.get_rings(shapely.orient_polygons(polys))
        xy, idx = shapely.get_coordinates(rings, return_index=True)
        code = np.full(len(xy), Path.LINETO, dtype=Path.code_type)
        starts = np.r_[0, np.flatnonzero(np.diff(idx)) + 1]
        code[starts] = Path.MOVETO
        code[np.r_[starts[1:] - 1, len(xy) - 1]] = Path.CLOSEPOLY
        verts.append(xy)
        codes.append(code)
    if lines.size:
        xy, idx = shapely.get_coordinates(lines, return_index=True)
        code = np.full(len(xy), Path.LINETO, dtype=Path.code_type)
        code[np.r_[0, np.flatnonzero(np.diff(idx)) + 1]] = Path.MOVETO
        verts.append(xy)
        codes.append(code)
    if not verts:
        return Path(np.zeros((0, 2)))
    return Path(np.concatenate(verts), np.concatenate(codes))


def add_path(ax: Axes, geoms: Any, *, gid: str, **kwargs: Any) -> Any:
    """Add geometries to ``ax`` as one PathPatch (no change to the axes' limits)."""
    from matplotlib.patches import PathPatch

    patch = PathPatch(path(geoms), gid=gid, **kwargs)
    # add_artist, not add_patch: the limits are the frame's, and add_patch would
    # spend long on the extents of paths with many vertices
    ax.add_artist(patch)
    return patch


def region_patch(frame: MapFrame, **kwargs: Any) -> Any:
    """A patch of the map's drawable region (the sea, the neat line)."""
    from matplotlib.patches import PathPatch

    return PathPatch(path([frame.region]), **kwargs)
