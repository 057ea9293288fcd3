"""After the INF Treaty: planned US long-range fires in Germany beside Oreshnik in Belarus.

The United States plans episodic deployments of Tomahawk, SM-6 and Dark Eagle
to Germany from 2026 (the launch sites are not announced; Wiesbaden is the
headquarters of the 2nd Multi-Domain Task Force). Russia reports Oreshnik on
combat duty in Belarus from December 2025, most likely at Krichev-6. Each
site has its own systems, so the figure is drawn from BandLayer objects.
Sites and ranges come from the catalog (rangeviz/data), with its sources.

    python examples/after_inf_2026.py [OUT_DIR] [--dpi N]

writes examples/out/<name>.png at 200 dpi (a 16:9 slide) unless told otherwise.
"""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path

import matplotlib.pyplot as plt

import rangeviz
from rangeviz import BandLayer

OUT = Path(__file__).resolve().parent / "out"


def reported_site(name: str, label: str | None = None) -> rangeviz.Site:
    """The catalog's reported site ``name`` (a bare name may find a town instead)."""
    for site in rangeviz.search_places(name, limit=20):
        if site.kind == "reported site":
            return dataclasses.replace(site, name=label or name)
    raise LookupError(f"no reported site {name!r} in the catalog")


def make_figure(out_dir: Path = OUT, dpi: int = 200) -> Path:
    # the 2nd Multi-Domain Task Force's headquarters: the launch sites are not announced
    wiesbaden = reported_site("Mainz-Kastel", "Wiesbaden (HQ)")
    krichev = reported_site("Krichev-6")
    groups = [  # (catalog name, the site, colour): each with the catalog's default figure
        ("Oreshnik", krichev, "#D55E00"),
        ("Dark Eagle", wiesbaden, "#56B4E9"),
        ("Tomahawk (ground-launched)", wiesbaden, "#0072B2"),
        ("SM-6 (ground-launched)", wiesbaden, "#009E73"),
    ]
    layers = [
        BandLayer.from_system(rangeviz.get_system(name), sites=[site], color=colour)
        for name, site, colour in groups
    ]
    # the small print credits each figure's source by organisation, and the
    # legend says whose figure each band is; the PDF/SVG metadata keep the URLs
    ax = rangeviz.plot_map(
        layers,
        extent="europe",
        labels=None,
        places=["Berlin", "Warsaw", "Paris", "London, United Kingdom", "Kyiv", "Moscow"],
        title="After the INF Treaty: long-range fires in Germany and Belarus",
        subtitle=(
            "US deployments planned from 2026 (launch sites not announced; Wiesbaden is the "
            "headquarters) · Oreshnik reported at Krichev-6 from December 2025"
        ),
        dpi=dpi,
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "after_inf_2026.png"
    rangeviz.save_figure(ax.figure, path, dpi=dpi)
    plt.close(ax.figure)
    return path


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", nargs="?", type=Path, default=OUT)
    parser.add_argument("--dpi", type=int, default=200)
    args = parser.parse_args()
    print(f"wrote {make_figure(args.out_dir, args.dpi)}")
