"""Regenerate the gallery: every example figure as a small PNG in examples/gallery/.

    python examples/make_gallery.py [OUT_DIR] [--dpi N]

Scenario files (*.toml) are drawn exactly as ``rangeviz render`` draws them;
the scripts (*.py) through their ``make_figure(out_dir, dpi)``. The PNGs are
then reduced to 256 colours (the maps have few), which keeps each one small
enough to commit and to show in the README.
"""

from __future__ import annotations

import argparse
import runpy
import time
from pathlib import Path

from PIL import Image

import rangeviz

HERE = Path(__file__).resolve().parent
GALLERY = HERE / "gallery"

#: In the order the README shows them.
EXAMPLES = (
    "geodesy_comparison.py",
    "kaliningrad_inf.toml",
    "ssc8_battalions.toml",
    "euromissiles_1983.py",
    "after_inf_2026.py",
    "brussels_target.toml",
    "icbm_polar.toml",
    "minutes_to_moscow_1983.py",
    "oreshnik_minutes.py",
)


def make_one(name: str, out_dir: Path = GALLERY, dpi: int = 100) -> Path:
    """Draw one example (a scenario file or a script) into ``out_dir``."""
    path = HERE / name
    out_dir.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".toml":
        scenario = rangeviz.load_scenario(path)
        target = out_dir / Path(scenario.output or path.with_suffix(".png")).name
        return scenario.save(target, dpi=dpi)
    script = runpy.run_path(str(path), run_name=path.stem)
    return Path(script["make_figure"](out_dir, dpi))


def shrink(path: Path) -> None:
    """Reduce a PNG to a 256-colour palette, in place."""
    with Image.open(path) as im:
        small = im.convert("RGB").quantize(
            colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
        )
    small.save(path, optimize=True)


def make_gallery(out_dir: Path = GALLERY, dpi: int = 100) -> list[Path]:
    written = []
    for name in EXAMPLES:
        start = time.perf_counter()
        path = make_one(name, out_dir, dpi)
        shrink(path)
        took = time.perf_counter() - start
        print(f"wrote {path} ({path.stat().st_size / 1024:.0f} KB, {took:.1f} s)")
        written.append(path)
    return written


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", nargs="?", type=Path, default=GALLERY)
    parser.add_argument("--dpi", type=int, default=100)
    args = parser.parse_args()
    make_gallery(args.out_dir, args.dpi)
