"""The Euromissiles: Pershing II and GLCM bases against SS-20 bases, 1983-88.

Each group of sites has its own range, so this figure needs one BandLayer per
group (a scenario file gives every band to every site). Sites and ranges come
from the catalog (rangeviz/data/sites.csv and systems.csv), with its sources.

    python examples/euromissiles_1983.py [OUT_DIR] [--dpi N]

writes examples/out/<name>.png at 200 dpi (a 16:9 slide) unless told otherwise.
"""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path
from urllib.parse import urlsplit

import matplotlib.pyplot as plt
import numpy as np
from matplotlib import patheffects
from pyproj import Transformer

import rangeviz
from rangeviz import BandLayer

OUT = Path(__file__).resolve().parent / "out"


def reported_site(name: str, label: str | None = None) -> rangeviz.Site:
    """The catalog's reported site ``name`` (a bare name may find a town instead)."""
    for site in rangeviz.search_places(name, limit=20):
        if site.kind == "reported site":
            return dataclasses.replace(site, name=label or name)
    raise LookupError(f"no reported site {name!r} in the catalog")


def cite(urls: list[str]) -> str:
    """Short citations for a source line: the sites' host names, once each."""
    hosts = dict.fromkeys(urlsplit(u).netloc.removeprefix("www.") for u in urls)
    return ", ".join(hosts)


def name_clusters(ax, pershing: list, glcm: list) -> None:
    """Name the crowded Western bases by group, with leader lines.

    Eight bases lie within a few hundred km of each other: at slide scale their
    names would overprint. The map is an ordinary matplotlib Axes in the map's
    CRS (EPSG:3035 for projection="europe"), so hide those names and annotate.
    """
    crowded = [s for s in pershing + glcm if s.name != "Comiso"]
    for text in ax.texts:
        if text.get_text() in {s.name for s in crowded}:
            text.set_visible(False)
    to_map = Transformer.from_crs("EPSG:4326", "EPSG:3035", always_xy=True)
    callouts = [  # (label, sites, where the label goes: lon, lat)
        ("GLCM: Greenham Common,\nMolesworth", glcm[:2], (-21.0, 54.0)),
        ("GLCM: Florennes, Woensdrecht,\nWüschheim", glcm[3:], (9.0, 61.0)),
        ("Pershing II: Mutlangen,\nHeilbronn, Neu-Ulm", pershing, (21.0, 44.5)),
    ]
    for label, sites, (lon, lat) in callouts:
        x, y = to_map.transform([s.lon for s in sites], [s.lat for s in sites])
        ax.annotate(
            label,
            (float(np.mean(x)), float(np.mean(y))),
            xytext=to_map.transform(lon, lat),
            ha="center",
            va="center",
            fontsize=10,
            fontweight="bold",
            color="#222222",
            arrowprops={"arrowstyle": "-", "color": "#222222", "lw": 0.8, "shrinkB": 6},
            path_effects=[patheffects.withStroke(linewidth=3, foreground="white")],
            zorder=10,
        )


def make_figure(out_dir: Path = OUT, dpi: int = 200) -> Path:
    pershing = [reported_site(n) for n in ("Mutlangen", "Heilbronn", "Neu-Ulm")]
    glcm = [
        reported_site("Greenham Common", "Greenham"),
        reported_site("Molesworth"),
        reported_site("Comiso"),
        reported_site("Florennes"),
        reported_site("Woensdrecht"),
        reported_site("Wueschheim", "Wüschheim"),
    ]
    ss20 = [reported_site("Postavy"), reported_site("Barnaul")]

    groups = [
        ("RSD-10 Pioneer", "SS-20", ss20, "#D55E00"),
        ("BGM-109G Gryphon", "GLCM", glcm, "#0072B2"),
        ("Pershing II", "Pershing II", pershing, "#009E73"),
    ]
    layers, citations = [], []
    for system_name, short, sites, colour in groups:
        system = rangeviz.get_system(system_name)
        layer = BandLayer.from_system(system, sites=sites, color=colour)
        layers.append(dataclasses.replace(layer, label=short))
        site_urls = [u for s in sites for u in s.source.split(" | ") if u]
        citations.append(f"{short}: {cite(list(system.sources) + site_urls)}")

    ax = rangeviz.plot_map(
        layers,
        extent=(-12, 33, 86, 58),
        title="The Euromissiles, 1983–88",
        subtitle=(
            "US Pershing II and cruise missile (GLCM) bases against two Soviet SS-20 bases "
            "· Woensdrecht: planned · published ranges differ by 10–30 %"
        ),
        source="; ".join(citations) + " (full references: rangeviz/data)",
        dpi=dpi,
    )
    name_clusters(ax, pershing, glcm)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "euromissiles_1983.png"
    rangeviz.save_figure(ax.figure, path, dpi=dpi)
    plt.close(ax.figure)
    return path


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", nargs="?", type=Path, default=OUT)
    parser.add_argument("--dpi", type=int, default=200)
    args = parser.parse_args()
    print(f"wrote {make_figure(args.out_dir, args.dpi)}")
