"""Time the default Kaliningrad map against the floor of any such tool.

    python benchmarks/bench_map.py [--repeats 5] [--dpi 200] [--out DIR]

Each command runs as a fresh subprocess, interleaved with the others so that
a noisy machine hurts them alike:

* floor: ``python -c "import geopandas, matplotlib.pyplot"``;
* api: ``plot_bands([(20.51, 54.71)])`` then ``save_figure(..., dpi=200)``;
* cli: ``rangeviz map --site Kaliningrad -o map.png --dpi 200`` (when the
  command line is installed).

Wall time comes from ``time.perf_counter`` round the child, peak memory from
that child's own ``ru_maxrss`` (``os.wait4``). Issue 14 asks for a median
at most 1.5x the floor's and a peak under 300 MB (the README gives the last
figures: about 1.25x and 125 MB).
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import rangeviz

FLOOR = "import geopandas, matplotlib.pyplot"
API = (
    "from rangeviz.plot import plot_bands, save_figure\n"
    "ax = plot_bands([(20.51, 54.71)], dpi={dpi})\n"
    "save_figure(ax.figure, {out!r}, dpi={dpi})\n"
)


class Failed(RuntimeError):
    pass


def run(argv: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
        raise Failed(f"{argv!r} failed ({proc.returncode}):\n{err}")
    if proc.stderr:
        proc.stderr.close()
    # ru_maxrss is in kilobytes on Linux (bytes on macOS)
    scale = 1 / 1024 if sys.platform != "darwin" else 1 / 2**20
    return wall, usage.ru_maxrss * scale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--dpi", type=int, default=200)
    parser.add_argument("--out", default=None, help="keep the maps in this directory")
    args = parser.parse_args(argv)
    out_dir = args.out or tempfile.mkdtemp(prefix="rangeviz-bench-")
    os.makedirs(out_dir, exist_ok=True)
    commands = {
        "floor": [sys.executable, "-c", FLOOR],
        "api": [
            sys.executable,
            "-c",
            API.format(dpi=args.dpi, out=os.path.join(out_dir, "api.png")),
        ],
    }
    cli = shutil.which("rangeviz")
    if cli:
        commands["cli"] = [
            cli,
            "map",
            "--site",
            "Kaliningrad",
            "-o",
            os.path.join(out_dir, "cli.png"),
            "--dpi",
            str(args.dpi),
        ]
    # compile rangeviz's byte-code as pip does when it installs a wheel: an
    # editable install under PYTHONDONTWRITEBYTECODE would otherwise compile
    # every module in every run, a cost no installed user pays
    compileall.compile_dir(os.path.dirname(rangeviz.__file__), quiet=1)
    # warm the file cache before timing
    for name, argv_ in list(commands.items()):
        try:
            run(argv_)
        except Failed as exc:
            if name != "cli":
                raise SystemExit(str(exc)) from None
            print(f"(skipping the command line: {str(exc).splitlines()[-1]})")
            del commands[name]
    times: dict[str, list[float]] = {name: [] for name in commands}
    peaks: dict[str, float] = dict.fromkeys(commands, 0.0)
    for _ in range(args.repeats):
        for name, argv_ in commands.items():
            wall, peak = run(argv_)
            times[name].append(wall)
            peaks[name] = max(peaks[name], peak)
    floor = statistics.median(times["floor"])
    print(f"{args.repeats} runs each, {args.dpi} dpi, maps in {out_dir}")
    print(f"{'command':<8} {'median s':>9} {'best s':>8} {'x floor':>8} {'peak MB':>8}")
    for name in commands:
        med = statistics.median(times[name])
        print(f"{name:<8} {med:9.2f} {min(times[name]):8.2f} {med / floor:8.2f} {peaks[name]:8.0f}")
    if not args.out:
        shutil.rmtree(out_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
