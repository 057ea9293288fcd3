"""Minutes to Moscow, 1983: a Pershing II from Mutlangen.

The Pershing II's short flight to Moscow was the Soviet fear behind the
"Euromissile" crisis. No authoritative range for it is published beyond the INF
Treaty's class (1,000-5,500 km, drawn as such); the flight times come from
rangeviz.flight: a minimum-energy ballistic trajectory, free flight in vacuum
from burnout at the surface, so a real flight adds a boost phase and re-entry
(the small print says so). Mutlangen is the catalog's reported site, with its
sources.

    python examples/minutes_to_moscow_1983.py [OUT_DIR] [--dpi N]

writes examples/out/<name>.png at 200 dpi (a 16:9 slide) unless told otherwise.
"""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path

import matplotlib.pyplot as plt

import rangeviz
from rangeviz import BandLayer, flight

OUT = Path(__file__).resolve().parent / "out"


def reported_site(name: str, label: str) -> rangeviz.Site:
    """The catalog's reported site ``name``, renamed ``label``."""
    for site in rangeviz.search_places(name, limit=20):
        if site.kind == "reported site":
            return dataclasses.replace(site, name=label)
    raise LookupError(f"no reported site {name!r} in the catalog")


def minutes_to(site: rangeviz.Site, place: str) -> float:
    """Minimum-energy ballistic flight time from ``site`` to ``place`` (minutes)."""
    target = rangeviz.resolve_site(place)
    km = float(rangeviz.distance_km(site.lon, site.lat, target.lon, target.lat))
    return float(flight.ballistic(km).time_min)


def make_figure(out_dir: Path = OUT, dpi: int = 200) -> Path:
    mutlangen = reported_site("Mutlangen", "Mutlangen")
    to_moscow, to_warsaw = minutes_to(mutlangen, "Moscow"), minutes_to(mutlangen, "Warsaw")
    pershing = BandLayer.from_system(rangeviz.get_system("Pershing II"), sites=[mutlangen])
    ax = rangeviz.plot_map(
        [pershing],
        extent=(0, 40, 45, 60),
        places=["Moscow", "Kyiv", "Minsk", "Warsaw", "East Berlin=Berlin", "Prague"],
        minutes=[5, 10, 15],
        flight_times=True,
        title="Minutes to Moscow, 1983: a Pershing II from Mutlangen",
        subtitle=(
            f"From West Germany a ballistic missile reaches Moscow in {to_moscow:.0f} minutes "
            f"of free flight, Warsaw in {to_warsaw:.0f}: the warning time behind the "
            "Euromissile crisis"
        ),
        rename={"Kyiv": "Kiev"},
        dpi=dpi,
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "minutes_to_moscow_1983.png"
    rangeviz.save_figure(ax.figure, path, dpi=dpi)
    plt.close(ax.figure)
    return path


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", nargs="?", type=Path, default=OUT)
    parser.add_argument("--dpi", type=int, default=200)
    args = parser.parse_args()
    print(f"wrote {make_figure(args.out_dir, args.dpi)}")
