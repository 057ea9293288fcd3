"""The quiet basemap: sea, land, lakes, borders, coasts, graticule, country shading."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import shapely

from rangeviz import geodata
from rangeviz.maps import choose_scale
from rangeviz.plot import style
from rangeviz.plot.paths import add_path, region_patch

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from shapely.geometry.base import BaseGeometry

    from rangeviz.maps import MapFrame

__all__ = ["countries_in_reach", "draw_basemap", "draw_countries", "projected_layer", "scale_for"]

# (data folder, layer, scale, frame, simplify) -> projected geometries
_PROJECTED: dict[tuple[Any, ...], np.ndarray] = {}
_KEEP = 12


def projected_layer(name: str, scale: str, frame: MapFrame, simplify: float) -> np.ndarray:
    """A bundled layer clipped, projected and simplified for ``frame``.

    The last few are kept: redrawing the same map (a notebook, a scenario
    rendered twice) skips the clipping and projecting. The data folder is
    part of the key, so ``RANGEVIZ_DATA_DIR`` switches data cleanly.
    """
    key = (str(geodata.data_dir()), name, scale, frame.key, round(simplify, 3))
    if key not in _PROJECTED:
        if len(_PROJECTED) >= _KEEP:
            _PROJECTED.pop(next(iter(_PROJECTED)))
        geoms = geodata.geometries(name, scale)
        _PROJECTED[key] = frame.project_layer(geoms, simplify=simplify)
    return _PROJECTED[key]


def scale_for(frame: MapFrame) -> str:
    """The Natural Earth scale for this map (1:10m only inside its clipped box)."""
    return choose_scale(frame, geodata.coverage_bbox("10m"))


def draw_basemap(ax: Axes, frame: MapFrame, scale: str, simplify: float, graticule: bool) -> None:
    """Sea, land, lakes, graticule, borders, coastline and the neat line."""
    ax.add_artist(region_patch(frame, facecolor=style.SEA, edgecolor="none", zorder=0, gid="sea"))
    land = projected_layer("land", scale, frame, simplify)
    add_path(ax, land, gid="land", facecolor=style.LAND, edgecolor="none", zorder=1)
    lakes = projected_layer("lakes", scale, frame, simplify)
    add_path(ax, lakes, gid="lakes", facecolor=style.SEA, edgecolor="none", zorder=1.1)
    if graticule:
        _, grat = frame.graticule()
        add_path(
            ax,
            [grat],
            gid="graticule",
            facecolor="none",
            edgecolor=style.GRATICULE,
            lw=0.45,
            zorder=1.5,
        )
    border_scale = "50m" if scale == "110m" else scale
    borders = projected_layer("borders", border_scale, frame, simplify)
    add_path(ax, borders, gid="borders", facecolor="none", edgecolor=style.BORDER, lw=0.5, zorder=2)
    coast = projected_layer("coastline", scale, frame, simplify)
    lake_shores = shapely.boundary(lakes) if lakes.size else lakes
    add_path(
        ax,
        np.concatenate((coast, lake_shores)),
        gid="coastline",
        facecolor="none",
        edgecolor=style.COAST,
        lw=0.55,
        zorder=2.1,
    )
    ax.add_artist(
        region_patch(
            frame, facecolor="none", edgecolor=style.NEATLINE, lw=0.8, zorder=20, gid="frame"
        )
    )


def draw_countries(
    ax: Axes, frame: MapFrame, scale: str, simplify: float, reach: BaseGeometry
) -> None:
    """Shade countries wholly and partly within ``reach`` (lon/lat)."""
    shaded = countries_in_reach(frame, scale, simplify, reach)
    for gid, colour in (("countries-partly", style.PARTLY), ("countries-wholly", style.WHOLLY)):
        if len(shaded[gid]):
            add_path(ax, shaded[gid], gid=gid, facecolor=colour, edgecolor="none", zorder=1.05)


def countries_in_reach(
    frame: MapFrame, scale: str, simplify: float, reach: BaseGeometry
) -> dict[str, np.ndarray]:
    """Countries partly and wholly within ``reach``, projected for ``frame``.

    Keys ``countries-partly`` and ``countries-wholly``. A country is judged by
    its main territory, as coverage reports judge it
    (:func:`rangeviz.places.main_territory`); each outlying part (French
    Guiana, Réunion) by its own reach. The static and the HTML map both shade these.
    """
    from rangeviz.places import territories

    main, outlying = territories("110m" if scale == "110m" else "50m")
    parts = [shapely.get_parts(g) for g in outlying if g is not None]
    geoms = np.concatenate([main, *parts]) if parts else main
    shapely.prepare(reach)
    touching = shapely.intersects(reach, geoms)
    wholly = touching & shapely.covers(reach, geoms)
    return {
        "countries-partly": frame.project_layer(geoms[touching & ~wholly], simplify=simplify),
        "countries-wholly": frame.project_layer(geoms[wholly], simplify=simplify),
    }
