"""The ``rangeviz`` command line: parses, calls the library, writes files.

Every user mistake raises a :class:`~rangeviz.errors.RangevizError`, printed here
as one line on stderr, exit status 2 -- never a traceback. Heavy libraries are
imported only by the commands that need them: ``rangeviz --help`` answers at once.
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import textwrap
import threading
import warnings
from collections.abc import Iterator, Sequence
from typing import Any, NoReturn

from rangeviz.errors import RangevizError

__all__ = ["main"]

PROG = "rangeviz"

SITE_HELP = """\
a launch site: a place name looked up in the gazetteer ("Kaliningrad",
"Paris, France", "Kapustin Yar"), or coordinates as LAT,LON -- the order map
apps copy ("54.71,20.51") -- or with hemisphere letters in any order
("54.71N 20.51E", "20.51E 54.71N") or degrees-minutes-seconds
("54°42'36\\"N 20°30'36\\"E"); name coordinates as NAME=LAT,LON
("Base=54.71,20.51"). Repeat for several sites. A typo of one name is
corrected with a note; a bare pair that reads as a point at sea or far from
any place, but swapped lies near one, gets a note with the swapped pair."""

EPILOG_MAP = """\
examples:
  rangeviz map --site Kaliningrad -o kaliningrad.png
  rangeviz map --site "54.71N 20.51E" --site Minsk --system SSC-8 -o two.pdf
  rangeviz map --sites examples/bases.csv --outer 2500 --projection aeqd -o bases.svg
  rangeviz map --target Brussels -o launch-area.png

Distances are geodesic on the WGS84 ellipsoid. Without --system or
--inner/--outer the INF Treaty band (500-5,500 km) is drawn; --outer alone
draws a disc from 0 km."""


REPORT_DESCRIPTION = """\
List which places lie in the band, too close, or out of range, from exact
geodesic distances, and how much of each country the band covers. With
--target, the band round the target is the launch area: a place in it is where
a launcher could stand to reach the target. A table lists the places in the
band and too close, then the nearest 10 out of range; CSV and JSON list all."""

EPILOG_REPORT = """\
examples:
  rangeviz report --site Kaliningrad
  rangeviz report --site Kaliningrad --within NATO
  rangeviz report --target Brussels --system SSC-8 --places cities
  rangeviz report --site Kaliningrad --place Ramstein --place "Rzeszów" --format csv"""

EPILOG_RENDER = """\
examples:
  rangeviz render examples/kaliningrad_inf.toml
  rangeviz render examples/ssc8_battalions.toml -o ssc8.pdf"""

EPILOG_SITES = """\
examples:
  rangeviz sites Kapustin
  rangeviz sites "London, CA" --limit 3"""


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line naming the fix, exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def _add_site_options(p: argparse.ArgumentParser, *, required: bool = False) -> None:
    g = p.add_argument_group("launch sites")
    g.add_argument("--site", action="append", default=[], metavar="PLACE", help=SITE_HELP)
    g.add_argument(
        "--sites",
        action="append",
        default=[],
        metavar="FILE",
        help="a file of sites: CSV with a header (name, lat, lon) or GeoJSON points",
    )
    g.add_argument(
        "--target",
        action="append",
        default=[],
        metavar="PLACE",
        help="target mode: draw where a launcher would have to stand for PLACE "
        "to lie in the band (the same band around the target, as a launch area)",
    )


RANGES_HELP = """\
Without range options the INF Treaty band (500-5,500 km) is drawn. --system
adds one band per system. --inner/--outer give one band of your own, beside
any systems: --outer alone is a disc from 0 km; --inner needs --outer."""


def _add_range_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("ranges", RANGES_HELP)
    g.add_argument(
        "--system",
        action="append",
        default=[],
        metavar="NAME",
        help="a missile system from the catalog by any name or alias (SSC-8, 9M729, "
        "'Pershing II'; NAME@CLAIMANT for another estimate, 'SSC-8@Russian MoD'); "
        "repeat for one band per system; see 'rangeviz systems'",
    )
    g.add_argument(
        "--inner",
        type=float,
        metavar="KM",
        help="inner radius of your own band in km (needs --outer)",
    )
    g.add_argument(
        "--outer",
        type=float,
        metavar="KM",
        help="outer radius of your own band in km; alone, a disc from 0 km",
    )
    g.add_argument(
        "--label", metavar="TEXT", help="legend label of your own band (default: its radii)"
    )


def _add_map_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("map")
    g.add_argument(
        "--projection",
        default=None,
        metavar="NAME",
        help="auto (the default: europe for sites within 3,500 km of central Europe, "
        "else aeqd), europe (ETRS89-LAEA, EPSG:3035), aeqd (centred on the first site: "
        "rings are true circles), polar (north polar), or any CRS pyproj accepts "
        "(EPSG:3857, a PROJ string)",
    )
    g.add_argument(
        "--extent",
        default=None,
        metavar="AREA",
        help="europe (Iceland to the Urals), wide (with the Middle East and North "
        "Atlantic), fit (the bands; the default), or a lon/lat box "
        "LON_MIN,LAT_MIN,LON_MAX,LAT_MAX",
    )
    g.add_argument("--title", help="the title (default: names the sites and bands)")
    g.add_argument("--subtitle", help="a line under the title")
    g.add_argument(
        "--labels",
        choices=["capitals", "none"],
        default=None,
        help="label national capitals, coloured by status (in band / too close / out of range)",
    )
    g.add_argument(
        "--highlight",
        choices=["countries", "none"],
        default=None,
        help="shade countries fully / partly / not in the band",
    )
    g.add_argument(
        "--rings",
        type=float,
        metavar="KM",
        help="draw labelled distance rings every KM kilometres (e.g. 1000)",
    )
    g.add_argument(
        "--radials",
        type=int,
        metavar="N",
        help="draw N geodesic radials from each site (e.g. 8)",
    )
    g.add_argument(
        "--place",
        action="append",
        default=[],
        metavar="PLACE",
        help="highlight a place: always named, with its distance to the nearest site "
        "(repeat for several; names or coordinates, as for --site)",
    )
    g.add_argument(
        "--distances",
        action="store_true",
        default=None,
        help="add each capital's distance to the nearest site to its name (Berlin 528 km)",
    )
    g.add_argument(
        "--rename",
        action="append",
        default=[],
        metavar="OLD=NEW",
        help="show a name differently on the map, e.g. --rename Kyiv=Kiev for a 1980s "
        "figure (repeat for several)",
    )
    g.add_argument(
        "--font",
        metavar="FAMILY",
        help="the typeface of every text (an installed font family, e.g. 'DejaVu Serif'); "
        "SVG keeps it as text, PDF embeds it",
    )
    g.add_argument(
        "--minutes",
        metavar="LIST",
        help="isochrones: rings at the ranges a ballistic missile covers in these minutes "
        "of free flight on its minimum-energy path, e.g. 5,10,15 (the small print states "
        "the model: boost and re-entry are not included)",
    )
    g.add_argument(
        "--flight-times",
        action="store_true",
        default=None,
        help="add each named place's minimum-energy ballistic flight time from the nearest "
        "site to its label (Berlin 1,230 km · 8.9 min)",
    )
    g.add_argument(
        "--rotating-earth",
        action="store_true",
        default=None,
        help="draw ballistic bands as footprints on the rotating Earth (a missile reaches "
        "farther east than west: about +5 %%/-4 %% at 5,500 km from 55N) instead of "
        "circles; cruise missiles keep their circles",
    )
    g.add_argument("--size", default=None, help="slide (16:9, the default) or a4")
    g.add_argument("--dpi", type=int, default=None, help="resolution of PNG output (default 200)")


class _Version(argparse.Action):
    """``--version``, looked up only when asked for (importlib.metadata costs 20-40 ms)."""

    def __call__(self, parser: Any, *args: Any) -> None:
        print(f"rangeviz {sys.modules['rangeviz'].__version__}")
        parser.exit()


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="True geodesic missile range bands on WGS84, drawn over European "
        "maps -- the INF Treaty's 500-5,500 km band above all.",
        epilog="Run 'rangeviz COMMAND --help' for each command's options.",
    )
    parser.add_argument("--version", action=_Version, nargs=0, help="show the version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser(
        "map",
        help="draw range bands on a map (PNG, SVG, PDF, or an offline interactive HTML page)",
        description="Draw geodesic range bands around launch sites on a map.",
        epilog=EPILOG_MAP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_site_options(p)
    _add_range_options(p)
    _add_map_options(p)
    p.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="PATH",
        help="output file; the extension picks the format: .png, .svg, .pdf, or .html "
        "(one interactive page that works offline)",
    )

    p = sub.add_parser(
        "export",
        help="write the bands as GeoJSON, GeoPackage, KML/KMZ or Shapefile",
        description=textwrap.fill(
            "Write the bands as vector data: one feature per site and band "
            "(--dissolve: per band), with the properties site, system, label, inner_km, "
            "outer_km, range (in words), claimant, source, source_url, role (launch site, "
            "or the target of a launch area) and color. GeoJSON follows RFC 7946 (lon/lat, "
            "cut at the antimeridian, counter-clockwise exteriors); .kml and .kmz are "
            "styled for Google Earth.",
            79,
        ),
        epilog="examples:\n  rangeviz export --site Kaliningrad --system SSC-8 -o bands.geojson\n"
        "  rangeviz export --sites examples/bases.csv --outer 2500 --dissolve -o union.gpkg",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_site_options(p)
    _add_range_options(p)
    p.add_argument(
        "--dissolve", action="store_true", help="one feature per band: the union over sites"
    )
    p.add_argument(
        "--rotating-earth",
        action="store_true",
        default=None,
        help="ballistic bands as footprints on the rotating Earth, as 'map --rotating-earth' "
        "draws them",
    )
    p.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="PATH",
        help="output file: .geojson, .gpkg, .kml or .shp",
    )

    p = sub.add_parser(
        "render",
        help="draw the figure a scenario file (TOML) describes",
        description=textwrap.fill(
            "Draw the figure described by a scenario file (TOML): sites, "
            "systems or bands, and map options. See examples/*.toml.",
            79,
        ),
        epilog=EPILOG_RENDER,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "scenario",
        nargs="+",
        metavar="SCENARIO.toml",
        help="one or more scenario files; each is drawn to its 'output', relative to "
        "the file, whatever the current folder",
    )
    p.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        help="output file (default: the scenario's 'output', else its name with .png); "
        "only with one scenario",
    )
    p.add_argument("--dpi", type=int, default=None, help="override the scenario's dpi")
    p.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="draw on N worker processes of a local Dask cluster (needs "
        "pip install 'rangeviz[batch]'); every file is checked before any is drawn",
    )
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="draw on the workers of a running Dask scheduler, e.g. tcp://host:8786",
    )
    p.add_argument(
        "--allow-outside",
        action="store_true",
        help="let a scenario's 'output' and 'sites_file' name files outside its folder "
        "(absolute paths, ../); without it they must stay inside",
    )

    p = sub.add_parser(
        "report",
        help="what lies in the band: capitals, countries, areas",
        description=REPORT_DESCRIPTION,
        epilog=EPILOG_REPORT,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_site_options(p)
    _add_range_options(p)
    g = p.add_argument_group("what to list")
    g.add_argument(
        "--places",
        default=None,
        metavar="WHICH",
        help="capitals (national capitals; the default), cities (also every city of a "
        "million or more), or a file of places: CSV with a header (name, lat, lon) or "
        "GeoJSON points",
    )
    g.add_argument(
        "--place",
        action="append",
        default=[],
        metavar="PLACE",
        help="list this place (a name or coordinates, as for --site); repeat for several; "
        "without --places, only these are listed",
    )
    g.add_argument(
        "--within",
        metavar="GROUP",
        help="only places and countries in GROUP: NATO or EU (the members on the date of "
        "the bundled list, which the report cites), NATO@1987 or EU@2004-05-01 (on that "
        "day), or countries by name or ISO code, 'DE,PL,LT'",
    )
    g.add_argument(
        "--all",
        action="store_true",
        help="list every place out of range, not only the nearest 10",
    )
    g.add_argument(
        "--flight",
        metavar="HOW",
        help="add each place's flight time from its nearest site: 'ballistic' (the "
        "minimum-energy free flight; boost and re-entry not included) or a cruise "
        "missile's ground speed in km/h, e.g. 880",
    )
    g.add_argument(
        "--rotating-earth",
        action="store_true",
        default=None,
        help="ballistic bands as footprints on the rotating Earth, as 'map --rotating-earth' "
        "draws them: a place is in band by the reach in its direction",
    )
    p.add_argument(
        "--format",
        choices=["table", "csv", "markdown", "json"],
        default=None,
        help="table for people (the default; with -o, the extension decides: .csv, .md, "
        ".json, .txt), markdown for documents, csv (places, then countries: the 'table' "
        "column tells them apart) and json for machines",
    )
    p.add_argument(
        "-o", "--output", metavar="PATH", help="write to a file instead of standard output"
    )

    p = sub.add_parser(
        "systems",
        help="list the missile systems catalog",
        description="List the catalog of missile systems with ranges and sources.",
    )
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--sources", action="store_true", help="show every source URL")

    p = sub.add_parser(
        "sites",
        help="search the gazetteer of places and reported launch sites",
        description=textwrap.fill(
            "Search the gazetteer (Natural Earth populated places and reported "
            "missile sites) by name: names that are, start with or contain the query, then "
            "(only if there are none) similar spellings; the most prominent first.",
            79,
        ),
        epilog=EPILOG_SITES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "query",
        metavar="QUERY",
        help="part of a place name; case, accents and punctuation do not matter; "
        "a country after a comma narrows ('London, CA')",
    )
    p.add_argument("--limit", type=int, default=10, help="how many matches (default 10)")
    return parser


_VALUE_OPTIONS = ("--site", "--target", "--extent", "--inner", "--outer")


def _join_negative_values(argv: Sequence[str]) -> list[str]:
    """``--site -33.9,18.4`` -> ``--site=-33.9,18.4``.

    argparse takes a value that starts with '-' for an option unless it is a
    plain number; southern latitudes and western extents need this.
    """
    out: list[str] = []
    items = list(argv)
    i = 0
    while i < len(items):
        arg = items[i]
        nxt = items[i + 1] if i + 1 < len(items) else ""
        if (
            arg in _VALUE_OPTIONS
            and len(nxt) > 1
            and nxt[0] == "-"
            and (nxt[1].isdigit() or nxt[1] == ".")
        ):
            out.append(f"{arg}={nxt}")
            i += 2
            continue
        out.append(arg)
        i += 1
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0 ok, 2 user error).

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments (default: ``sys.argv[1:]``).
    """
    parser = _build_parser()
    args = parser.parse_args(_join_negative_values(sys.argv[1:] if argv is None else argv))
    if args.command is None:  # no command is a usage mistake: the overview, exit 2
        parser.print_help(sys.stderr)
        return 2
    with _terminate_cleanly():
        return _run(args)


@contextlib.contextmanager
def _terminate_cleanly() -> Iterator[None]:
    """SIGTERM (a timeout, a service stopping) unwinds like Ctrl-C: temporary files go."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise _Terminated

    old = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)


class _Terminated(BaseException):
    """SIGTERM arrived."""


def _run(args: argparse.Namespace) -> int:
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            from rangeviz import _commands

            handler = getattr(_commands, f"run_{args.command}")
            status = int(handler(args) or 0)
        _print_notes(caught)
        return status
    except RangevizError as exc:
        one_line = " ".join(str(exc).splitlines())
        print(f"{PROG}: error: {one_line}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except _Terminated:
        print(f"{PROG}: terminated", file=sys.stderr)
        return 143
    except RecursionError:  # a pathological input the checks did not catch
        print(f"{PROG}: error: the input nests too deeply to read", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. `rangeviz systems | head`
        return 0


def _print_notes(caught: list[warnings.WarningMessage]) -> None:
    """Our own warnings (an ambiguous place name...) as one line each on stderr."""
    seen = set()
    for w in caught:
        text = str(w.message)
        if text in seen:
            continue
        seen.add(text)
        if w.category.__module__.startswith("rangeviz"):
            print(f"{PROG}: note: {text}", file=sys.stderr)
        else:  # somebody else's warning: show it as Python would
            warnings.showwarning(w.message, w.category, w.filename, w.lineno)
