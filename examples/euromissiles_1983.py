"""The Euromissiles, 1983-88: the SS-20's reach over the NATO bases that answered it.

The SS-20's 5,000 km (the US DoD's figure, from the catalog) is drawn round
Rechitsa, one of the SS-20 operating bases the INF Treaty's inspectors closed;
the Pershing II and cruise missile (GLCM) bases are highlighted places, each
named with its distance. The Pershing II and the GLCM have no authoritative
published range beyond the treaty's 1,000-5,500 km class, so they get no band.
Sites come from the catalog (rangeviz/data/sites.toml), with their sources.

    python examples/euromissiles_1983.py [OUT_DIR] [--dpi N]

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
    rechitsa = reported_site("Rechitsa")
    bases = [
        reported_site("Mutlangen", "Mutlangen"),
        reported_site("Heilbronn", "Heilbronn"),
        reported_site("Neu-Ulm", "Neu-Ulm"),
        reported_site("Greenham Common", "Greenham Common"),
        reported_site("Molesworth", "Molesworth"),
        reported_site("Comiso", "Comiso"),
        reported_site("Florennes", "Florennes"),
        reported_site("Wueschheim", "Wüschheim"),
    ]
    ss20 = BandLayer.from_system(rangeviz.get_system("SS-20"), sites=[rechitsa], color="#D55E00")
    ax = rangeviz.plot_map(
        [ss20],
        extent=(-10, 35, 40, 60),
        places=bases,
        title="The Euromissiles, 1983–88: the SS-20's reach and NATO's answer",
        subtitle=(
            "From Rechitsa, one of the SS-20 bases the INF Treaty closed, 5,000 km covers "
            "every Pershing II base (Mutlangen, Heilbronn, Neu-Ulm) and cruise missile base. "
            "No authoritative range is published for the Pershing II or the GLCM beyond the "
            "treaty's class (1,000–5,500 km), so they are drawn as bases, not bands."
        ),
        dpi=dpi,
    )
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
