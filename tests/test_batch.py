"""Batch work on Dask: coverage matrices against Karney, many figures on worker processes."""

from __future__ import annotations

import io

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Geod

from rangeviz.batch import (
    IN_BAND,
    OUT_OF_RANGE,
    TOO_CLOSE,
    compute,
    coverage_matrix,
    distance_bracket_km,
    render_many,
)
from rangeviz.errors import InputError

pytest.importorskip("distributed")

GEOD = Geod(ellps="WGS84")
lons = st.floats(-180, 180, allow_nan=False)
lats = st.floats(-90, 90, allow_nan=False)


@settings(max_examples=400, deadline=None)
@given(lons, lats, lons, lats)
def test_the_screen_brackets_the_true_distance_everywhere(lon1, lat1, lon2, lat2):
    lo, hi = distance_bracket_km(lon1, lat1, lon2, lat2)
    d = GEOD.inv(lon1, lat1, lon2, lat2)[2] / 1000.0
    assert lo[0] <= d <= hi[0]
    assert hi[0] - lo[0] <= 0.0034 * d + 0.01  # no wider than the flattening allows


def truth(sites, targets, inner, outer):
    n, m = len(sites), len(targets)
    i, j = np.meshgrid(np.arange(n), np.arange(m), indexing="ij")
    _, _, d = GEOD.inv(
        sites[i.ravel(), 0], sites[i.ravel(), 1], targets[j.ravel(), 0], targets[j.ravel(), 1]
    )
    d = np.asarray(d).reshape(n, m) / 1000.0
    return np.where(
        (d >= inner) & (d <= outer), IN_BAND, np.where(d < inner, TOO_CLOSE, OUT_OF_RANGE)
    )


def edge_targets(sites, radii, rng, n):
    """Targets a few metres either side of the band edges of random sites."""
    k = rng.integers(0, len(sites), n)
    r = rng.choice(radii, n) + rng.choice([-0.005, 0.005], n)
    lon, lat, _ = GEOD.fwd(sites[k, 0], sites[k, 1], rng.uniform(0, 360, n), r * 1000.0)
    return np.column_stack((lon, lat))


@pytest.mark.parametrize(("inner", "outer"), [(500.0, 5500.0), (0.0, 12_000.0), (1000.0, 19_990.0)])
def test_the_matrix_is_karneys_even_metres_from_the_edges(inner, outer):
    rng = np.random.default_rng(7)
    sites = np.column_stack(
        (rng.uniform(-180, 180, 300), np.degrees(np.arcsin(rng.uniform(-1, 1, 300))))
    )
    sites[:3] = [(0.0, 90.0), (179.9, 0.0), (-179.9, -89.5)]  # a pole, the seam
    spread = np.column_stack(
        (rng.uniform(-180, 180, 200), np.degrees(np.arcsin(rng.uniform(-1, 1, 200))))
    )
    targets = np.vstack(
        (spread, edge_targets(sites, [r for r in (inner, outer) if r > 0], rng, 200))
    )
    m = coverage_matrix(sites, targets, inner_km=inner, outer_km=outer, chunk=64).compute()
    np.testing.assert_array_equal(m, truth(sites, targets, inner, outer))


def test_the_matrix_runs_on_a_local_cluster():
    from distributed import Client, LocalCluster

    rng = np.random.default_rng(3)
    sites = np.column_stack((rng.uniform(-10, 40, 500), rng.uniform(35, 70, 500)))
    targets = np.column_stack((rng.uniform(-180, 180, 50), rng.uniform(-60, 80, 50)))
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster),
    ):
        counts = (coverage_matrix(sites, targets, chunk=100) == IN_BAND).sum(axis=0).compute()
        tty = Tty()
        shown = compute(
            (coverage_matrix(sites, targets, chunk=100) == IN_BAND).sum(axis=0), stream=tty
        )
    np.testing.assert_array_equal(counts, (truth(sites, targets, 500, 5500) == IN_BAND).sum(axis=0))
    np.testing.assert_array_equal(shown, counts)
    assert "computing chunks" in tty.getvalue()


class Tty(io.StringIO):
    def isatty(self):
        return True


def test_compute_shows_progress_only_on_a_terminal():
    rng = np.random.default_rng(5)
    sites = np.column_stack((rng.uniform(-10, 40, 300), rng.uniform(35, 70, 300)))
    m = (coverage_matrix(sites, [(13.40, 52.52)], chunk=50) == IN_BAND).sum(axis=0)
    quiet, loud = io.StringIO(), Tty()
    assert compute(m, stream=quiet).tolist() == compute(m, stream=loud).tolist()
    assert quiet.getvalue() == ""
    assert "100% Completed" in loud.getvalue()
    with pytest.raises(InputError, match="not a Dask collection"):
        compute([1, 2])


@pytest.mark.parametrize(
    ("sites", "words"),
    [([], "empty"), ([(0.0, 91.0)], "latitude"), (np.array([[np.nan, 0.0]]), "finite")],
)
def test_the_matrix_refuses_bad_points(sites, words):
    with pytest.raises(InputError, match=words):
        coverage_matrix(sites, [(0.0, 0.0)])


def test_many_figures_on_worker_processes(tmp_path):
    for name, site in (("a", "Kaliningrad"), ("b", "Minsk")):
        (tmp_path / f"{name}.toml").write_text(
            f'sites = ["{site}"]\noutput = "{name}.png"\n[map]\ndpi = 40\n'
        )
    written = render_many([tmp_path / "a.toml", tmp_path / "b.toml"], workers=2, progress=False)
    assert [p.name for p in written] == ["a.png", "b.png"]
    for p in written:
        assert p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_bad_file_stops_the_batch_before_any_drawing(tmp_path):
    (tmp_path / "good.toml").write_text('sites = ["Kaliningrad"]\noutput = "good.png"\n')
    (tmp_path / "bad.toml").write_text('sites = ["Atlantis"]\n')
    with pytest.raises(InputError, match="Atlantis"):
        render_many([tmp_path / "good.toml", tmp_path / "bad.toml"], workers=1)
    assert not (tmp_path / "good.png").exists()
