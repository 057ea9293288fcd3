"""Work beyond one process: coverage matrices and many figures, on Dask.

* :func:`coverage_matrix` -- which of 10⁴ targets lie in the band of each of
  10⁶ sites, as a lazy Dask array computed block by block. A geocentric-angle
  screen with a proven margin decides nearly every pair; Karney's exact
  distance (``pyproj.Geod.inv``) decides the few within the margin of a band
  edge.
* :func:`render_many` -- many scenario files drawn by a pool of worker
  processes (matplotlib is not thread-safe), each keeping the basemap it has
  read: ``rangeviz render *.toml --workers 4``.

Both run on a local Dask cluster by default (worker processes talking over
the loopback interface, nothing leaves the machine) or on an existing one
(``scheduler="tcp://host:8786"``). Dask is an optional dependency: ``pip install
"rangeviz[batch]"``.

The screen. Let θ be the angle between the two points' position vectors
(geocentric, from their ECEF coordinates). Every point of the ellipsoid lies
between the spheres of radius b and a, so

* projecting any surface path radially onto the sphere of radius b shortens
  it, and the projection joins two points θ apart: the geodesic distance s is
  at least b·θ;
* lifting the great-circle arc radially onto the ellipsoid gives a path of
  length at most θ·√(a² + D²), where D is the largest change of the radius
  per radian of geocentric latitude (about 21.4 km on WGS84): s is at most that.

A pair whose bracket [b·θ, θ·√(a² + D²)] lies wholly inside or outside each
band radius is decided without Karney; at 5,500 km the bracket is 18 km wide,
so well under 1 % of pairs on a world-wide grid need the exact distance.
"""

from __future__ import annotations

import functools
import math
import os
import sys
import warnings
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from pyproj import Geod, Transformer

from rangeviz import _checks
from rangeviz.errors import InputError, OutputError, RangevizError, RangevizWarning

if TYPE_CHECKING:
    from pathlib import Path

__all__ = [
    "IN_BAND",
    "OUT_OF_RANGE",
    "TOO_CLOSE",
    "compute",
    "coverage_matrix",
    "distance_bracket_km",
    "render_many",
]

#: Status codes of :func:`coverage_matrix` (as :data:`rangeviz.geometry.STATUSES`).
IN_BAND, TOO_CLOSE, OUT_OF_RANGE = 0, 1, 2

_GEOD = Geod(ellps="WGS84")
_A = _GEOD.a / 1000.0  # km
_B = _GEOD.b / 1000.0


def _max_radius_slope_km() -> float:
    """The largest |dr/dφ| of the ellipsoid's radius over geocentric latitude (km/rad)."""
    phi = np.linspace(0.0, math.pi / 2, 200_001)
    r = _A * _B / np.sqrt((_A * np.sin(phi)) ** 2 + (_B * np.cos(phi)) ** 2)
    return float(np.max(np.abs(np.gradient(r, phi)))) * 1.001  # a hair over the sampled max


_UPPER = math.sqrt(_A**2 + _max_radius_slope_km() ** 2)
_SLACK_KM = 0.001  # floating-point slack on the bracket (1 m)


@functools.cache
def _to_ecef() -> Transformer:
    return Transformer.from_crs("EPSG:4979", "EPSG:4978", always_xy=True)


def _unit_vectors(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """(n, 3) unit vectors towards points given in geodetic lon/lat (WGS84)."""
    x, y, z = _to_ecef().transform(lon, lat, np.zeros_like(lon))
    xyz = np.column_stack((x, y, z))
    return np.asarray(xyz / np.linalg.norm(xyz, axis=1)[:, None])


def distance_bracket_km(
    lon1: Any, lat1: Any, lon2: Any, lat2: Any
) -> tuple[np.ndarray, np.ndarray]:
    """Proven lower and upper bounds (km) of the geodesic distance between points.

    See the module's note for the proof; ``pyproj.Geod.inv`` always lies
    between the two (``tests/test_batch.py`` checks it over the globe).

    >>> lo, hi = distance_bracket_km(20.51, 54.71, 13.40, 52.52)
    >>> exact = Geod(ellps="WGS84").inv(20.51, 54.71, 13.40, 52.52)[2] / 1000
    >>> bool(lo[0] <= exact <= hi[0]), bool(hi[0] - lo[0] < 2.0)
    (True, True)
    """
    lon1, lat1, lon2, lat2 = (
        np.atleast_1d(np.asarray(v, dtype=float)) for v in (lon1, lat1, lon2, lat2)
    )
    u = _unit_vectors(lon1, lat1)
    v = _unit_vectors(lon2, lat2)
    theta = np.arccos(np.clip(np.einsum("ij,ij->i", u, v), -1.0, 1.0))
    return _B * theta - _SLACK_KM, _UPPER * theta + _SLACK_KM


def _statuses(
    sites: np.ndarray, targets: np.ndarray, inner_km: float, outer_km: float
) -> np.ndarray:
    """The (n_sites, n_targets) status block: screen first, Karney near the edges."""
    u = _unit_vectors(sites[:, 0], sites[:, 1])
    v = _unit_vectors(targets[:, 0], targets[:, 1])
    theta = np.arccos(np.clip(u @ v.T, -1.0, 1.0))
    lo = _B * theta - _SLACK_KM
    hi = _UPPER * theta + _SLACK_KM
    out = np.full(theta.shape, OUT_OF_RANGE, dtype=np.int8)
    out[(lo >= inner_km) & (hi <= outer_km)] = IN_BAND
    if inner_km > 0:
        out[hi < inner_km] = TOO_CLOSE
    undecided = ~((lo >= inner_km) & (hi <= outer_km))
    undecided &= ~(hi < inner_km) if inner_km > 0 else np.ones_like(undecided)
    undecided &= ~(lo > outer_km)
    i, j = np.nonzero(undecided)
    if i.size:
        _, _, m = _GEOD.inv(sites[i, 0], sites[i, 1], targets[j, 0], targets[j, 1])
        d = np.asarray(m) / 1000.0
        exact = np.where(
            (d >= inner_km) & (d <= outer_km),
            IN_BAND,
            np.where(d < inner_km, TOO_CLOSE, OUT_OF_RANGE),
        )
        out[i, j] = exact.astype(np.int8)
    return out


def _lonlat(points: Any, what: str) -> np.ndarray:
    """(n, 2) lon/lat from sites, (lon, lat) pairs or an (n, 2) array, checked."""
    if isinstance(points, np.ndarray) and points.ndim == 2 and points.shape[1] == 2:
        arr = points.astype(float)
    else:
        from rangeviz.model import as_sites

        arr = np.array([(s.lon, s.lat) for s in as_sites(points, what)], dtype=float)
    if arr.size == 0:
        raise InputError(f"{what} is empty: give at least one point")
    if not np.isfinite(arr).all():
        raise InputError(f"{what} holds a coordinate that is not a finite number")
    if (np.abs(arr[:, 1]) > 90).any():
        raise InputError(f"{what} holds a latitude outside -90..90")
    return arr


def coverage_matrix(
    sites: Any,
    targets: Any,
    *,
    inner_km: float = 500.0,
    outer_km: float = 5500.0,
    chunk: int = 2_000,
) -> Any:
    """The status of every target for every site: a lazy (n_sites, n_targets) Dask array.

    Parameters
    ----------
    sites, targets : sites, (lon, lat) pairs or an (n, 2) array of lon/lat
        10⁶ sites and 10⁴ targets are fine: nothing is computed until asked.
    inner_km, outer_km : float
        The band.
    chunk : int
        Sites per block (a block holds ``chunk × n_targets`` statuses).

    Returns
    -------
    dask.array.Array of int8
        :data:`IN_BAND` (0), :data:`TOO_CLOSE` (1), :data:`OUT_OF_RANGE` (2),
        as for every coverage result. Compute a reduction, not the whole
        matrix: ``(m == IN_BAND).sum(axis=0).compute()`` counts, per target,
        the sites that have it in their band. With a Dask client active the
        work runs on its workers. :func:`compute` does the same with a
        progress bar on a terminal.

    Examples
    --------
    >>> m = coverage_matrix([(20.51, 54.71)], [(13.40, 52.52), (21.01, 52.23)])
    >>> m.compute().tolist()  # Berlin in the band, Warsaw too close
    [[0, 1]]
    """
    da = _dask_array()
    inner, outer = _checks.band_radii(inner_km, outer_km)
    chunk = _checks.integer(chunk, "chunk", lo=1, hi=10**7)
    s = _lonlat(sites, "sites")
    t = _lonlat(targets, "targets")
    blocks = da.from_array(s, chunks=(chunk, 2))
    return blocks.map_blocks(
        _statuses,
        t,
        inner,
        outer,
        dtype=np.int8,
        chunks=(blocks.chunks[0], (t.shape[0],)),
    )


def _dask_array() -> Any:
    try:
        import dask.array as da
    except ImportError:
        raise RangevizError(
            'coverage_matrix and render_many need Dask: pip install "rangeviz[batch]"'
        ) from None
    return da


# --------------------------------------------------------------------------
# many figures


def _render_one(path: str, dpi: int | None, allow_outside: bool) -> tuple[str, list[str]]:
    """Draw one scenario file (in a worker process); returns the file written and the
    notes (rangeviz's warnings) the drawing gave, for the caller to pass on."""
    import warnings
    from pathlib import Path

    import matplotlib

    matplotlib.use("Agg")
    from rangeviz.errors import RangevizWarning
    from rangeviz.scenario_file import load_scenario

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", RangevizWarning)
        scenario = load_scenario(path, allow_outside=allow_outside)
        # as `rangeviz render` names it: the scenario's output, else the file's name with .png
        written = scenario.save(scenario.output or Path(path).with_suffix(".png"), dpi=dpi)
    notes = [str(w.message) for w in caught if issubclass(w.category, RangevizWarning)]
    return str(written), notes


def render_many(
    paths: Sequence[str | os.PathLike[str]],
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    dpi: int | None = None,
    allow_outside: bool = False,
    progress: bool | None = None,
) -> list[Path]:
    """Draw many scenario files on a pool of worker processes.

    Every file is read and checked first, in this process: a mistake in any
    of them stops the batch before any drawing. Then each is drawn by a
    worker (a process of its own: matplotlib is not thread-safe) that keeps
    the basemap it read for the next file.

    Parameters
    ----------
    paths : sequence of path-like
        Scenario files (TOML).
    workers : int, optional
        Worker processes of a local cluster (default: the CPUs, at most 8).
    scheduler : str, optional
        The address of a running Dask scheduler to use instead
        (``"tcp://host:8786"``).
    dpi : int, optional
        Overrides every scenario's resolution.
    allow_outside : bool
        As for :func:`rangeviz.load_scenario`.
    progress : bool, optional
        A progress bar on stderr (default: when stderr is a terminal).

    Returns
    -------
    list of Path
        The files written, in the order of ``paths``.

    Raises
    ------
    InputError
        For a bad file (nothing is drawn), or bad ``workers``.
    OutputError
        If a worker could not write a figure (the others are kept).
    """
    from pathlib import Path

    from rangeviz.scenario_file import load_scenario

    files = [str(p) for p in paths]
    if not files:
        raise InputError("render_many got no scenario files")
    for f in files:  # every file checked before any is drawn
        load_scenario(f, allow_outside=allow_outside)
    if dpi is not None:
        dpi = _checks.integer(dpi, "dpi", lo=10, hi=1200)
    if workers is not None:
        workers = _checks.integer(workers, "workers", lo=1, hi=256)
    client = _client(workers, scheduler)
    try:
        futures = client.map(_render_one, files, dpi=dpi, allow_outside=allow_outside, pure=False)
        _follow(futures, progress, "figures")
        written: list[Path] = []
        failed: list[str] = []
        for f, future in zip(files, futures, strict=True):
            try:
                path, notes = future.result()
            except RangevizError as exc:
                failed.append(f"{f}: {exc}")
                continue
            written.append(Path(path))
            for note in notes:  # as a drawing in this process would have said
                warnings.warn(f"{Path(f).name}: {note}", RangevizWarning, stacklevel=2)
        if failed:
            raise OutputError(f"{len(failed)} of {len(files)} figures failed: {failed[0]}")
        return written
    finally:
        client.close()
        cluster = getattr(client, "_rangeviz_cluster", None)
        if cluster is not None:
            cluster.close()


def _client(workers: int | None, scheduler: str | None) -> Any:
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise RangevizError(
            'rendering on several workers needs Dask: pip install "rangeviz[batch]"'
        ) from None
    if scheduler is not None:
        address = _checks.text(scheduler, "scheduler")
        try:
            return Client(address, timeout="10s")
        except OSError as exc:
            raise InputError(f"scheduler {address!r} cannot be reached: {exc}") from None
    n = workers or min(os.cpu_count() or 1, 8)
    cluster = LocalCluster(
        n_workers=n,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    )
    client = Client(cluster)
    client._rangeviz_cluster = cluster  # type: ignore[attr-defined]  # closed with the client
    return client


def _follow(
    futures: Iterable[Any], progress: bool | None, noun: str, *, stream: Any = None
) -> None:
    """A progress bar on stderr while the futures finish (only on a terminal by default)."""
    out = sys.stderr if stream is None else stream
    show = out.isatty() if progress is None else bool(progress)
    futures = list(futures)
    if not show:
        return
    from distributed import as_completed
    from tqdm import tqdm

    what = "drawing figures" if noun == "figures" else f"computing {noun}"
    with tqdm(total=len(futures), unit=noun[:-1], desc=what, file=out) as bar:
        for _ in as_completed(futures):
            bar.update(1)


def compute(collection: Any, *, progress: bool | None = None, stream: Any = None) -> Any:
    """Compute a Dask collection (a :func:`coverage_matrix` reduction) with a progress bar.

    The bar goes to stderr (``stream``), and by default only when that is a
    terminal, so it never mixes with output on stdout. With a Dask client
    active the work runs on its workers (one tick per finished chunk);
    otherwise on Dask's local scheduler.

    >>> m = coverage_matrix([(20.51, 54.71)], [(13.40, 52.52)])
    >>> compute((m == IN_BAND).sum(axis=0), progress=False).tolist()
    [1]
    """
    out = sys.stderr if stream is None else stream
    show = getattr(out, "isatty", lambda: False)() if progress is None else bool(progress)
    if not hasattr(collection, "__dask_graph__"):
        raise InputError(f"collection {_checks.show(collection)} is not a Dask collection")
    if not show:
        return collection.compute()
    try:
        from distributed import futures_of, get_client

        client = get_client()
    except (ImportError, ValueError):
        client = None
    if client is None:
        from dask.diagnostics import ProgressBar

        with ProgressBar(out=out, dt=0.5):
            return collection.compute()
    persisted = client.persist(collection)
    _follow(futures_of(persisted), True, "chunks", stream=out)
    return persisted.compute()


# a hook for the progress of other long work (unions of many bands), quiet off a terminal
def progress_bar(what: str, *, stream: Any = None) -> Callable[[str, int, int], None]:
    """A ``progress(label, done, total)`` callback drawing a bar per label on a terminal.

    Give it to :meth:`rangeviz.Scenario.bands` or
    :class:`rangeviz.geometry.MapGeometry`; off a terminal it does nothing.
    """
    out = sys.stderr if stream is None else stream
    try:
        from tqdm import tqdm  # in the batch extra; without it, no bar
    except ImportError:
        return lambda label, done, total: None
    if not getattr(out, "isatty", lambda: False)():
        return lambda label, done, total: None

    bars: dict[str, Any] = {}

    def update(label: str, done: int, total: int) -> None:
        bar = bars.get(label)
        if bar is None:
            bar = bars[label] = tqdm(
                total=total, desc=f"{what}: {label}"[:40], unit="site", file=out, leave=True
            )
        bar.update(done - bar.n)
        if done >= total:
            bar.close()

    return update
