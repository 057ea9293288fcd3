"""What each ``rangeviz`` command does, given parsed arguments.

Kept apart from :mod:`rangeviz.cli` so that ``rangeviz --help`` imports
nothing heavy; everything here calls the library and writes files.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import warnings
from pathlib import Path
from typing import Any

from rangeviz import _checks
from rangeviz.errors import InputError, RangevizWarning
from rangeviz.model import Site
from rangeviz.scenario import Scenario


class Progress:
    """A one-line progress bar on stderr, silent when stderr is not a terminal."""

    def __init__(self, total: int, label: str, *, stream: Any = None) -> None:
        self.total = max(int(total), 1)
        self.label = label
        self.done = 0
        self.stream = stream or sys.stderr
        self.active = self.total > 1 and bool(getattr(self.stream, "isatty", lambda: False)())

    def step(self, text: str = "") -> None:
        self.done += 1
        if not self.active:
            return
        width = 24
        filled = round(width * self.done / self.total)
        bar = "#" * filled + "-" * (width - filled)
        self.stream.write(f"\r{self.label} [{bar}] {self.done}/{self.total} {text[:30]:<30}")
        self.stream.flush()
        if self.done >= self.total:
            self.stream.write("\n")
            self.stream.flush()


def _ranges_from_args(args: argparse.Namespace) -> list[Any]:
    """The bands the range options ask for; [] for the default (the INF band).

    ``--inner``/``--outer`` make one band of the user's own beside any
    ``--system``: ``--outer`` alone is a disc from 0 km, ``--inner`` needs
    ``--outer``. A message names only the options that were given.
    """
    from rangeviz.systems import resolve_band

    ranges: list[Any] = [resolve_band(name, "--system") for name in args.system]
    if args.outer is None:
        if args.inner is not None:
            _checks.radius(args.inner, "--inner")  # a bad value first
            raise InputError(
                f"--inner {_checks.show(args.inner)} needs --outer KM, the band's outer radius "
                "(--outer alone draws a disc from 0 km)"
            )
        if args.label:
            raise InputError(
                f"--label {_checks.show(args.label)} names a band of your own: "
                "give its --outer KM (and --inner KM) too"
            )
        return ranges
    if args.inner is None:
        inner, outer = 0.0, _checks.radius(args.outer, "--outer", positive=True)
    else:
        inner, outer = _checks.band_radii(args.inner, args.outer, names=("--inner", "--outer"))
    spec: dict[str, Any] = {"inner_km": inner, "outer_km": outer}
    if args.label:
        spec["label"] = args.label
    band = resolve_band(spec, "--inner/--outer")
    if args.system:
        given = "--outer" if args.inner is None else "--inner/--outer"
        first = args.system[0]
        warnings.warn(
            RangevizWarning(
                f"{given} adds a band of its own ({band.label}) beside --system {first}; "
                f"for another estimate of a system, give --system '{first}@CLAIMANT' "
                "('rangeviz systems --sources' lists the claimants)"
            ),
            stacklevel=2,
        )
    ranges.append(band)
    return ranges


def _sites_from_args(args: argparse.Namespace) -> list[Any]:
    from rangeviz.sites import read_sites, resolve_sites

    sites: list[Any] = list(resolve_sites(args.site, "--site", empty=True))
    for file in args.sites:
        sites.extend(read_sites(file))
    return sites


def _scenario_from_args(
    args: argparse.Namespace, *, place_list: bool = True, **extra: Any
) -> Scenario:
    from rangeviz.sites import resolve_sites

    sites = _sites_from_args(args)
    targets = resolve_sites(getattr(args, "target", []), "--target", empty=True)
    if not sites and not targets:
        raise InputError(
            "no launch site: give --site PLACE (e.g. --site Kaliningrad), --sites FILE "
            "or --target PLACE"
        )
    options: dict[str, Any] = {}
    for name in (
        "title",
        "subtitle",
        "labels",
        "highlight",
        "radials",
        "size",
        "dpi",
        "distances",
        "font",
        "flight_times",
        "rotating_earth",
    ):
        value = getattr(args, name, None)
        if value is not None:
            options[name] = value
    if getattr(args, "projection", None):
        options["projection"] = args.projection
    if getattr(args, "extent", None):
        options["extent"] = _parse_extent(args.extent)
    if getattr(args, "rings", None) is not None:
        options["rings_km"] = args.rings
    if getattr(args, "minutes", None):
        options["minutes"] = _number_list(args.minutes, "--minutes")
    if getattr(args, "rename", None):
        options["rename"] = dict(_rename_pair(text) for text in args.rename)
    options.update(extra)
    ranges = _ranges_from_args(args) or None
    places = resolve_sites(getattr(args, "place", []), "--place", empty=True) if place_list else ()
    try:
        return Scenario(sites, ranges=ranges, targets=targets, places=places, **options)
    except InputError as exc:
        raise type(exc)(_flag_names(str(exc))) from None


def _number_list(text: str, flag: str) -> list[float]:
    """'5,10,15' -> [5.0, 10.0, 15.0], or one line naming what is wrong."""
    out = []
    for part in text.split(","):
        try:
            out.append(float(part))
        except ValueError:
            raise InputError(
                f"{flag} {text!r}: {part.strip()!r} is not a number; give numbers separated "
                "by commas, e.g. 5,10,15"
            ) from None
    return out


def _rename_pair(text: str) -> tuple[str, str]:
    old, eq, new = (part.strip() for part in text.partition("="))
    if not eq or not old or not new:
        raise InputError(f"--rename {text!r} must be OLD=NEW, e.g. --rename Kyiv=Kiev")
    return old, new


# the model's option names as the command line spells them
_FLAGS = {
    "rings_km": "--rings",
    "radials": "--radials",
    "dpi": "--dpi",
    "projection": "--projection",
    "extent": "--extent",
    "size": "--size",
    "title": "--title",
    "subtitle": "--subtitle",
    "labels": "--labels",
    "highlight": "--highlight",
    "distances": "--distances",
    "rename": "--rename",
    "font": "--font",
    "places": "--place",
    "minutes": "--minutes",
    "flight_times": "--flight-times",
    "rotating_earth": "--rotating-earth",
}


def _flag_names(message: str) -> str:
    """A message about an option, naming it as it was typed (``--rings``, not ``rings_km``)."""
    for name, flag in _FLAGS.items():
        if message.startswith(f"{name} "):
            return flag + message[len(name) :]
    return message


def _parse_extent(text: str) -> Any:
    if "," not in text:
        return text
    parts = [p.strip() for p in text.split(",")]
    try:
        numbers = tuple(float(p) for p in parts)
    except ValueError:
        raise InputError(
            f"--extent {text!r} is not LON_MIN,LAT_MIN,LON_MAX,LAT_MAX numbers "
            "(or a preset: europe, wide, fit)"
        ) from None
    if len(numbers) != 4:
        raise InputError(
            f"--extent {text!r} has {len(numbers)} numbers; give 4: LON_MIN,LAT_MIN,LON_MAX,LAT_MAX"
        )
    return numbers


def run_map(args: argparse.Namespace) -> int:
    scenario = _scenario_from_args(args)
    path = scenario.save(args.output)
    print(f"wrote {path}")
    return 0


def run_export(args: argparse.Namespace) -> int:
    from rangeviz._io import check_suffix
    from rangeviz.export import FORMATS, write_bands

    check_suffix(args.output, FORMATS, "set of bands")  # fail before the work
    from rangeviz.batch import progress_bar

    scenario = _scenario_from_args(args, dissolve=args.dissolve)
    many = sum(len(layer.sites or ()) for layer in scenario.spec.layers) >= 1000
    gdf = scenario.bands(progress=progress_bar("bands") if many else None)
    path = write_bands(gdf, args.output)
    print(f"wrote {path} ({len(gdf)} feature{'s' if len(gdf) != 1 else ''})")
    return 0


def run_render(args: argparse.Namespace) -> int:
    if args.output and len(args.scenario) > 1:
        raise InputError(
            f"-o/--output {_checks.show(args.output)} names one file but {len(args.scenario)} "
            "scenarios were given; set 'output' in each scenario file instead"
        )
    from rangeviz._io import check_suffix
    from rangeviz.plot import FORMATS as MAP_FORMATS
    from rangeviz.scenario_file import load_scenario

    dpi = None if args.dpi is None else _checks.integer(args.dpi, "--dpi", lo=10, hi=1200)
    if args.workers is not None or args.scheduler is not None:
        if args.output:
            raise InputError("-o/--output cannot be used with --workers or --scheduler")
        from rangeviz.batch import render_many

        workers = (
            None
            if args.workers is None
            else _checks.integer(args.workers, "--workers", lo=1, hi=256)
        )
        for path in render_many(
            args.scenario,
            workers=workers,
            scheduler=args.scheduler,
            dpi=dpi,
            allow_outside=args.allow_outside,
        ):
            print(f"wrote {path}")
        return 0
    # all checked before drawing
    scenarios = [load_scenario(p, allow_outside=args.allow_outside) for p in args.scenario]
    targets = []
    for file, scenario in zip(args.scenario, scenarios, strict=True):
        target = Path(args.output or scenario.output or Path(file).with_suffix(".png"))
        try:
            check_suffix(target, MAP_FORMATS, "map")
            if not (target.parent if str(target.parent) else Path(".")).is_dir():
                raise InputError(f"output directory {str(target.parent)!r} does not exist")
        except InputError as exc:
            where = "-o" if args.output else f"{Path(file).name}: output"
            raise InputError(f"{where}: {exc}") from None
        targets.append(target)
    progress = Progress(len(scenarios), "rendering")
    for file, scenario, target in zip(args.scenario, scenarios, targets, strict=True):
        path = scenario.save(target, dpi=dpi)
        progress.step(Path(file).name)
        print(f"wrote {path}")
    return 0


#: A report's extensions and the format each means.
REPORT_SUFFIXES = {".csv": "csv", ".json": "json", ".md": "markdown", ".txt": "table"}


def report_format(fmt: str | None, output: str | None) -> str:
    """The report's format from ``--format`` and ``-o``'s extension, which must agree.

    Without ``-o``, or for an output without an extension (``/dev/stdout``, a
    pipe), ``--format`` decides (default: table).
    """
    suffix = Path(output).suffix.lower() if output else ""
    if not suffix:
        return fmt or "table"
    allowed = ", ".join(f"{k} ({v})" for k, v in sorted(REPORT_SUFFIXES.items()))
    if suffix not in REPORT_SUFFIXES:
        raise InputError(
            f"-o {_checks.show(output)} has {suffix}; a report can be written as: {allowed}, "
            "or to a file without an extension with --format"
        )
    by_suffix = REPORT_SUFFIXES[suffix]
    if fmt is not None and fmt != by_suffix:
        wanted = next(k for k, v in sorted(REPORT_SUFFIXES.items()) if v == fmt)
        raise InputError(
            f"--format {fmt} does not match -o {_checks.show(output)} ({suffix} is {by_suffix}); "
            f"write {fmt} to a {wanted} file, or drop --format"
        )
    return by_suffix


def run_report(args: argparse.Namespace) -> int:
    from rangeviz._io import check_path, write_text
    from rangeviz.groups import country_group
    from rangeviz.report import format_report

    if args.output is not None:
        check_path(args.output, "-o")
    fmt = report_format(args.format, args.output)
    places = _report_places(args)
    within = None if args.within is None else country_group(args.within, "--within")
    scenario = _scenario_from_args(args, place_list=False)
    text = format_report(
        scenario,
        fmt=fmt,
        places=places,
        within=within,
        out_of_range=None if args.all else 10,
        flight=_flight(args.flight),
    )
    if args.output:
        write_text(args.output, text)
        print(f"wrote {args.output}", file=sys.stderr if _is_stdout(args.output) else sys.stdout)
    else:
        sys.stdout.write(text)
    return 0


def _flight(text: str | None) -> Any:
    """``--flight``: 'ballistic' or a ground speed in km/h."""
    if text is None or text.strip().lower() == "ballistic":
        return None if text is None else "ballistic"
    try:
        return float(text)
    except ValueError:
        raise InputError(
            f"--flight {text!r} must be 'ballistic' or a ground speed in km/h, e.g. 880"
        ) from None


def _report_places(args: argparse.Namespace) -> Any:
    """``--places`` (a set or a file) and ``--place`` (one each), as format_report takes them."""
    from rangeviz.places import PLACE_KINDS, places_table
    from rangeviz.sites import SITE_FILE_SUFFIXES, read_sites, resolve_sites

    given = resolve_sites(args.place, "--place", empty=True)
    which = args.places
    if which is None:
        return list(given) if given else "capitals"
    if which.strip().lower() in PLACE_KINDS:
        table = places_table(which.strip().lower())[0]
        if not given:
            return which.strip().lower()
    elif Path(which).suffix.lower() in SITE_FILE_SUFFIXES:
        table = places_table(read_sites(which))[0]
    else:
        raise InputError(
            f"--places {_checks.show(which)} is not one of: {', '.join(PLACE_KINDS)}, "
            f"nor a file of places ({', '.join(SITE_FILE_SUFFIXES)})"
        )
    import pandas as pd

    return pd.concat([table, places_table(list(given))[0]], ignore_index=True)


def _is_stdout(path: str) -> bool:
    """Whether ``path`` is this process's standard output (the note goes to stderr)."""
    try:
        return os.path.samestat(os.stat(path), os.fstat(sys.stdout.fileno()))
    except (OSError, ValueError, AttributeError):
        return False


def run_systems(args: argparse.Namespace) -> int:
    from rangeviz.systems import INF_BAND, list_systems
    from rangeviz.systems.describe import describe, record, table

    systems = list_systems()
    if args.json:
        print(json.dumps([record(s) for s in systems], indent=2, ensure_ascii=False))
        return 0
    for line in table([INF_BAND, *systems]):
        print(line)
    if args.sources:
        for system in [INF_BAND, *systems]:
            print()
            for line in describe(system):
                print(line)
    return 0


def run_sites(args: argparse.Namespace) -> int:
    from rangeviz.sites import search_places

    if args.limit < 1:
        raise InputError(f"--limit {args.limit} must be at least 1")
    query = _checks.text(args.query, "QUERY", limit=200)
    rows = search_places(query, limit=args.limit)
    if not rows:
        print(f"no place matches {_checks.show(query)}", file=sys.stderr)
        return 1
    for line in place_table(rows):
        print(line)
    return 0


def place_table(rows: list[Site]) -> list[str]:
    """Places as a table whose columns are as wide as their widest cell: no word is cut."""
    cells = [("place", "country", "position", "kind", "source")]
    for row in rows:
        ns, ew = ("N" if row.lat >= 0 else "S"), ("E" if row.lon >= 0 else "W")
        where = f"{abs(row.lat):.2f}{ns} {abs(row.lon):.2f}{ew}"
        cells.append((row.name, row.country, where, row.kind, row.source))
    widths = [max(len(c[i]) for c in cells) for i in range(4)]
    return [
        "  ".join(c.ljust(w) for c, w in zip(r, [*widths, 0], strict=True)).rstrip() for r in cells
    ]
