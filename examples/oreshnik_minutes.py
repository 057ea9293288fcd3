"""Oreshnik from Krichev-6: minutes to the capitals.

Oreshnik's only published figure is the deploying side's own (Belarus: up to
5,000 km, December 2025), and its launch site near Krichev rests on imagery
analysis reported by several outlets: both are the catalog's, with sources.
The flight times are rangeviz.flight's minimum-energy ballistic free flight
(boost and re-entry not modelled: a real flight is somewhat longer; the quoted
11-17 minutes to Berlin, Paris and London include them).

    python examples/oreshnik_minutes.py [OUT_DIR] [--dpi N]

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


def make_figure(out_dir: Path = OUT, dpi: int = 200) -> Path:
    krichev = next(s for s in rangeviz.search_places("Krichev-6") if s.kind == "reported site")
    krichev = dataclasses.replace(krichev, name="Krichev-6")
    oreshnik = BandLayer.from_system(rangeviz.get_system("Oreshnik"), sites=[krichev])
    capitals = ["Berlin", "Paris", "London, United Kingdom", "Warsaw", "Brussels", "Rome"]
    capitals += ["Madrid", "Stockholm", "Helsinki", "Vilnius", "Kyiv"]
    ax = rangeviz.plot_map(
        [oreshnik],
        extent="europe",
        places=capitals,
        minutes=[5, 10, 15],
        flight_times=True,
        title="Oreshnik from Krichev-6: minutes to Europe's capitals",
        subtitle=(
            "Ballistic free flight on the minimum-energy path from the reported launch site; "
            "boost and re-entry add a few minutes more"
        ),
        dpi=dpi,
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "oreshnik_minutes.png"
    rangeviz.save_figure(ax.figure, path, dpi=dpi)
    plt.close(ax.figure)
    return path


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", nargs="?", type=Path, default=OUT)
    parser.add_argument("--dpi", type=int, default=200)
    args = parser.parse_args()
    print(f"wrote {make_figure(args.out_dir, args.dpi)}")
