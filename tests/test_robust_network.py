"""No network, ever: with PROJ_NETWORK=ON the commands open no connection and give
the same files as offline.

PROJ fetches transformation grids from its CDN (in C, through libcurl) when its
network is on: a map in EPSG:27700 asks for the OSTN15 grid. Here the CDN is a
local server that counts requests, Python's own sockets are closed off in the
child (sitecustomize), and, where the test runs as root, the child runs again
with no network at all (``unshare -n``).
"""

from __future__ import annotations

import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

EXE = Path(sys.executable).parent / "rangeviz"

SITECUSTOMIZE = """
import os, socket

def _refuse(*args, **kwargs):
    with open(os.environ["RANGEVIZ_TEST_SOCKETS"], "a") as log:
        log.write(repr(args[:2]) + "\\n")
    raise OSError("network use in a rangeviz test")

socket.socket.connect = _refuse
socket.socket.connect_ex = _refuse
socket.create_connection = _refuse
socket.getaddrinfo = _refuse
"""


@pytest.fixture(scope="module")
def cdn():
    """A stand-in for PROJ's CDN that answers 404 and remembers every request."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(404)
            self.end_headers()

        do_HEAD = do_GET

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


def _env(tmp_path: Path, network: str, endpoint: str) -> dict[str, str]:
    site = tmp_path / "site"
    site.mkdir(exist_ok=True)
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE)
    return dict(
        os.environ,
        MPLBACKEND="Agg",
        PROJ_NETWORK=network,
        PROJ_NETWORK_ENDPOINT=endpoint,
        PROJ_USER_WRITABLE_DIRECTORY=str(tmp_path / "proj-cache"),  # no grid cached before
        PYTHONPATH=os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")]),
        RANGEVIZ_TEST_SOCKETS=str(tmp_path / "sockets.log"),
        HTTP_PROXY=endpoint,
        HTTPS_PROXY=endpoint,
    )


def _commands(folder: Path) -> dict[str, tuple[list[str], Path]]:
    scenario = folder / "uk.toml"
    scenario.write_text(
        "sites = ['51.5,-0.12']\n"
        "ranges = [{ label = 'x', inner_km = 0, outer_km = 300 }]\n"
        "output = 'uk-render.png'\n"
        "[map]\nprojection = 'EPSG:27700'\ndpi = 30\n"
    )
    site = ["--site", "51.5,-0.12", "--inner", "0", "--outer", "300"]
    return {
        "map": (
            ["map", *site, "--projection", "EPSG:27700", "--dpi", "30", "-o", "uk.png"],
            folder / "uk.png",
        ),
        "export": (["export", *site, "-o", "uk.geojson"], folder / "uk.geojson"),
        "report": (["report", *site, "-o", "uk.json"], folder / "uk.json"),
        "render": (["render", str(scenario)], folder / "uk-render.png"),
    }


def _run(argv, folder, env, prefix=()):
    return subprocess.run(
        [*prefix, str(EXE), *argv], cwd=folder, env=env, capture_output=True, text=True, timeout=180
    )


def _no_network_prefix() -> tuple[str, ...]:
    """``unshare -n`` (a process with no network at all) where permitted, else nothing."""
    if shutil.which("unshare") is None:
        return ()
    done = subprocess.run(["unshare", "-n", "true"], capture_output=True)
    return ("unshare", "-n") if done.returncode == 0 else ()


@pytest.mark.slow
@pytest.mark.skipif(not EXE.exists(), reason="console script not installed")
def test_no_network_whatever_the_environment(tmp_path, cdn):
    """PROJ_NETWORK=ON: no request, no socket, and the files of a run with no network."""
    endpoint, hits = cdn
    env = _env(tmp_path, "ON", endpoint)
    online = tmp_path / "online"
    online.mkdir()
    outputs = {}
    for name, (argv, out) in _commands(online).items():
        done = _run(argv, online, env)
        assert done.returncode == 0, (name, done.stderr)
        outputs[name] = out.read_bytes()
    assert hits == [], f"PROJ asked the network for {hits}"
    assert not (tmp_path / "sockets.log").exists(), (tmp_path / "sockets.log").read_text()
    # the maps are where PROJ would use a grid: draw them again with no network at all
    # (or, where unshare is not permitted, with PROJ's network off)
    prefix = _no_network_prefix()
    offline = tmp_path / "offline"
    offline.mkdir()
    reference = env if prefix else dict(env, PROJ_NETWORK="OFF")
    for name in ("map", "render"):
        argv, out = _commands(offline)[name]
        done = _run(argv, offline, reference, prefix=prefix)
        assert done.returncode == 0, (name, done.stderr)
        assert out.read_bytes() == outputs[name], name


def test_importing_rangeviz_turns_proj_network_off():
    code = (
        "import pyproj, pyproj.network as n; before = n.is_network_enabled(); import rangeviz; "
        "import os; print(before, n.is_network_enabled(), os.environ['PROJ_NETWORK'])"
    )
    env = dict(os.environ, PROJ_NETWORK="ON")
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert done.stdout.split() == ["True", "False", "OFF"], done.stderr


def test_the_package_has_no_network_code():
    """No module of rangeviz imports a network library or names a remote GDAL path."""
    package = Path(__file__).resolve().parent.parent / "rangeviz"
    words = ("urllib.request", "http.client", "import socket", "import requests", "/vsicurl")
    for path in package.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for word in words:
            assert word not in text, (path.name, word)
