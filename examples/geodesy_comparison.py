"""Why the geodesy matters: the INF band round Kaliningrad, wrong and right.

The usual recipe buffers the site in an azimuthal-equidistant (AEQD) CRS and
converts the polygon to longitude/latitude. A 5,500 km ring round Kaliningrad
winds round the North Pole, so in lon/lat the converted ring jumps from +180°
to -180° and the polygon closes straight across the map: the polar cap is
lost. rangeviz closes the ring along the pole and cuts it at ±180° (RFC 7946).

Both polygons are drawn as they are stored in EPSG:4326 -- as GeoJSON keeps
them, and as web maps and point-in-polygon tests read them.

    python examples/geodesy_comparison.py [OUT_DIR] [--dpi N]

writes examples/out/<name>.png at 200 dpi (a 16:9 slide) unless told otherwise.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import geopandas as gpd
import matplotlib.pyplot as plt
import shapely
from matplotlib import patheffects
from pyproj import CRS

import rangeviz
from rangeviz import geodata

OUT = Path(__file__).resolve().parent / "out"
SITE = rangeviz.resolve_site("Kaliningrad")
CHECK = rangeviz.resolve_site("Longyearbyen")  # Svalbard: well inside the band


def usual_recipe(lon: float, lat: float, inner_km: float, outer_km: float):
    """Buffer in an AEQD CRS centred on the site, then convert to lon/lat."""
    aeqd = CRS.from_proj4(f"+proj=aeqd +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m")
    centre = shapely.Point(0, 0)
    ring = centre.buffer(outer_km * 1000, quad_segs=64).difference(
        centre.buffer(inner_km * 1000, quad_segs=64)
    )
    return gpd.GeoSeries([ring], crs=aeqd).to_crs("EPSG:4326").iloc[0]


def _lon_text(lon: int) -> str:
    if lon == 0 or abs(lon) == 180:
        return f"{abs(lon)}°"
    return f"{abs(lon)}°{'E' if lon > 0 else 'W'}"


def make_figure(out_dir: Path = OUT, dpi: int = 200) -> Path:
    lon, lat = SITE.lon, SITE.lat
    wrong = usual_recipe(lon, lat, 500, 5500)
    right = rangeviz.band(lon, lat, inner_km=500, outer_km=5500)
    missing = rangeviz.geodesic_area_km2(right) - rangeviz.geodesic_area_km2(
        shapely.make_valid(wrong)
    )
    d_check = rangeviz.distance_km(lon, lat, CHECK.lon, CHECK.lat)
    point = shapely.Point(CHECK.lon, CHECK.lat)

    land = geodata.read_layer("land", "110m")
    fig, axes = plt.subplots(2, 1, figsize=(13.333, 7.5), dpi=dpi)
    fig.subplots_adjust(left=0.03, right=0.97, top=0.86, bottom=0.07, hspace=0.32)
    panels = [
        (
            axes[0],
            wrong,
            "The usual recipe: buffer in an azimuthal-equidistant CRS, then to_crs(4326)",
            f"The polar cap is lost ({missing / 1e6:.1f} million km²); "
            f"{CHECK.name} ({d_check:,.0f} km away) is "
            f"{'inside' if shapely.make_valid(wrong).contains(point) else 'outside'}",
        ),
        (
            axes[1],
            right,
            "rangeviz.band(): closed along the North Pole, cut at ±180°",
            f"{CHECK.name} is {'inside' if right.contains(point) else 'outside'}, "
            "as its geodesic distance says",
        ),
    ]
    for ax, geom, title, note in panels:
        ax.set_facecolor("#e4edf2")
        land.plot(ax=ax, facecolor="#f4f2ec", edgecolor="#8aa3b3", linewidth=0.4)
        gpd.GeoSeries([geom]).plot(ax=ax, facecolor="#D55E0040", edgecolor="#D55E00", linewidth=1.2)
        ax.plot(lon, lat, marker="^", color="#222222", markersize=7)
        ax.plot(CHECK.lon, CHECK.lat, marker="o", mfc="white", mec="#222222", mew=1.5)
        for place, dy in ((SITE, -3), (CHECK, -3)):
            ax.annotate(
                place.name,
                (place.lon, place.lat),
                xytext=(7, dy),
                textcoords="offset points",
                fontsize=9.5,
                fontweight="bold",
                path_effects=[patheffects.withStroke(linewidth=3, foreground="white")],
            )
        ax.set_xlim(-180, 180)
        ax.set_ylim(0, 90)
        ax.set_xticks(range(-180, 181, 60), [_lon_text(x) for x in range(-180, 181, 60)])
        ax.set_yticks([0, 30, 60, 90], ["0°", "30°N", "60°N", "90°N"])
        ax.set_xlabel("")
        ax.set_ylabel("")
        ax.tick_params(labelsize=8, colors="#5f6b73", length=0)
        for spine in ax.spines.values():
            spine.set_color("#6b7f8c")
        ax.set_title(title, loc="left", fontsize=12.5, fontweight="bold", color="#222222")
        ax.text(
            0.01,
            0.05,
            note,
            transform=ax.transAxes,
            fontsize=10,
            color="#222222",
            bbox={"facecolor": "white", "edgecolor": "#cccccc", "alpha": 0.92},
        )
    axes[0].annotate(
        "the ring jumps from +180° to -180°\nand closes straight across the map",
        (-120, 75.5),
        xytext=(-150, 40),
        fontsize=9.5,
        color="#222222",
        arrowprops={"arrowstyle": "->", "color": "#222222", "lw": 0.8},
    )
    fig.suptitle(
        "The INF band (500–5,500 km) round Kaliningrad, as longitude/latitude polygons",
        x=0.03,
        ha="left",
        fontsize=17,
        fontweight="bold",
        color="#222222",
    )
    fig.text(
        0.03,
        0.925,
        "Both are drawn as stored in EPSG:4326 (GeoJSON), the form web maps and "
        "point-in-polygon tests read",
        fontsize=11,
        color="#5f6b73",
    )
    fig.text(0.03, 0.015, "Boundaries: Natural Earth.", fontsize=8, color="#5f6b73")
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "geodesy_comparison.png"
    rangeviz.save_figure(fig, path, dpi=dpi)
    plt.close(fig)
    return path


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", nargs="?", type=Path, default=OUT)
    parser.add_argument("--dpi", type=int, default=200)
    args = parser.parse_args()
    print(f"wrote {make_figure(args.out_dir, args.dpi)}")
