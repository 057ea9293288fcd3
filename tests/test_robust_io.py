"""Writes that cannot lose data: a full disk, a file-size limit, kill -9, symlinks,
devices and pipes, concurrent writers, stale temporary folders.

Every writer (maps, vector files, reports) goes through ``rangeviz._io.atomic_path``;
these tests drive each format through it and check that the target is always
either the old file or the whole new one, byte for byte, and that nothing is
left behind.
"""

from __future__ import annotations

import gc
import json
import os
import random
import resource
import signal
import stat
import subprocess
import sys
import textwrap
import threading
import time
import warnings
from pathlib import Path

import pytest

import rangeviz
from rangeviz._io import atomic_path, clean_stale, write_text
from rangeviz.errors import InputError, OutputError

SHP_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")
ROOT = os.geteuid() == 0 if hasattr(os, "geteuid") else False


# --------------------------------------------------------------------------
# writing each format, here or in a forked child (for limits and kills)

FORMATS = ["png", "svg", "pdf", "geojson", "gpkg", "kml", "shp", "txt"]
RADIUS = {"A": 300, "B": 400}


def write(fmt: str, target: Path, which: str) -> None:
    """Write known content ``which`` ("A" or "B") as ``fmt`` through rangeviz's writers."""
    import matplotlib
    import matplotlib.pyplot as plt

    if fmt in ("png", "svg", "pdf"):
        with matplotlib.rc_context({"svg.hashsalt": "rangeviz"}):  # the same SVG every time
            fig, ax = plt.subplots(figsize=(3, 2))
            ax.plot([0, 1], [0, RADIUS[which]])
            ax.set_title(which)
            rangeviz.save_figure(fig, target, dpi=40)
            plt.close(fig)
    elif fmt == "txt":
        write_text(target, (which * 50 + "\n") * (20 if which == "A" else 400))
    else:
        sites = [(20.51, 54.71), (30.5, 50.4)]
        rangeviz.write_bands(rangeviz.bands(sites, inner_km=0, outer_km=RADIUS[which]), target)


def _fork(job) -> int:
    """Run ``job()`` in a forked child; its exit status: 0 done, 3 OutputError, 4 other error."""
    pid = os.fork()
    if pid == 0:  # the child never returns into pytest
        status = 4
        try:
            job()
            status = 0
        except OutputError:
            status = 3
        finally:
            os._exit(status)
    return pid


def _status(pid: int) -> int:
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def _content(target: Path, fmt: str):
    """What must be identical: the bytes; a GeoPackage's read-back rows (it holds timestamps)."""
    if fmt == "gpkg":
        import pyogrio

        try:
            df = pyogrio.read_dataframe(target)
        except Exception as exc:
            return ("unreadable", type(exc).__name__)
        return tuple(df["outer_km"]), tuple(g.wkb for g in df.geometry)
    if fmt == "shp":
        return tuple(
            target.with_suffix(p).read_bytes() if target.with_suffix(p).exists() else None
            for p in SHP_PARTS
        )
    return target.read_bytes() if target.exists() else None


def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.fixture(scope="module")
def goods(tmp_path_factory):
    """Known-good files A and B of every format."""
    base = tmp_path_factory.mktemp("goods")
    out = {}
    for fmt in FORMATS:
        for which in "AB":
            folder = base / f"{fmt}-{which}"
            folder.mkdir()
            target = folder / f"out.{fmt}"
            write(fmt, target, which)
            out[fmt, which] = (_content(target, fmt), folder)
    return out


def _place(goods, fmt: str, which: str, folder: Path) -> Path:
    """Copy known-good ``which`` into ``folder`` as out.<fmt>."""
    src = goods[fmt, which][1]
    for file in src.iterdir():
        (folder / file.name).write_bytes(file.read_bytes())
    return folder / f"out.{fmt}"


needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")


# --------------------------------------------------------------------------
# a full disk and a file-size limit


@needs_fork
@pytest.mark.parametrize("fmt", FORMATS)
def test_file_size_limit_keeps_the_old_file(tmp_path, goods, fmt):
    """RLIMIT_FSIZE makes every write past the limit fail (EFBIG), as a full disk does."""
    target = _place(goods, fmt, "A", tmp_path)
    before = _listing(tmp_path)
    new = goods[fmt, "B"][1] / f"out.{fmt}"
    limit = max(256, new.stat().st_size // 2)  # the new file cannot be written whole

    def job():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
        write(fmt, target, "B")

    assert _status(_fork(job)) == 3  # an OutputError, not a crash and not success
    assert _content(target, fmt) == goods[fmt, "A"][0]
    assert _listing(tmp_path) == before, "temporary files left behind"


def _tmpfs(folder: Path, size: str) -> bool:
    if not ROOT or not sys.platform.startswith("linux"):
        return False
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True
    )
    return done.returncode == 0


@pytest.fixture
def small_disk(tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    if not _tmpfs(disk, "400k"):
        pytest.skip("needs root to mount a small tmpfs (the file-size limit test covers the rest)")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=False)


def _fill(disk: Path, leave: int) -> None:
    st = os.statvfs(disk)
    free = st.f_bavail * st.f_frsize
    fd = os.open(disk / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        os.posix_fallocate(fd, 0, max(4096, free - leave))
    finally:
        os.close(fd)


@pytest.mark.slow
# matplotlib's PDF backend leaves its file open when a write fails (not rangeviz's handle)
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_full_disk_keeps_the_old_file_in_every_format(goods, small_disk, capsys):
    from rangeviz.cli import main

    site = ["--site", "50.45,30.52", "--inner", "0", "--outer", "400"]
    commands = {
        "png": ["map", *site, "--dpi", "40"],
        "pdf": ["map", *site],
        "geojson": ["export", *site],
        "gpkg": ["export", *site],
        "kml": ["export", *site],
        "shp": ["export", *site],
        "txt": ["report", *site, "--all"],  # every place: more than the 4 kB left
    }
    for fmt, argv in commands.items():
        for p in small_disk.iterdir():
            p.unlink()
        target = _place(goods, fmt, "A", small_disk)
        before = [*_listing(small_disk), "filler"]
        _fill(small_disk, leave=4096)
        code = main([*argv, "-o", str(target)])
        err = capsys.readouterr().err
        assert code == 2, (fmt, err)
        assert len(err.strip().splitlines()) == 1, err
        assert str(target) in err
        assert _content(target, fmt) == goods[fmt, "A"][0], fmt
        assert _listing(small_disk) == sorted(before), fmt
    gc.collect()  # matplotlib's leaked PDF file, collected while the warning is ignored


def test_gdal_writes_that_do_not_read_back_are_refused(tmp_path, monkeypatch):
    """GDAL carries on when the disk is full; the read-back check catches the short file."""
    import pyogrio

    target = tmp_path / "b.geojson"
    target.write_text("old")
    real = pyogrio.write_dataframe

    def truncating(df, path, **kwargs):
        real(df, path, **kwargs)
        with open(path, "r+b") as f:
            f.truncate(100)

    monkeypatch.setattr(pyogrio, "write_dataframe", truncating)
    with pytest.raises(OutputError, match="does not read back") as info:
        rangeviz.write_bands(rangeviz.bands([(0, 0)], inner_km=0, outer_km=50), target)
    assert "\n" not in str(info.value)
    assert target.read_text() == "old"
    assert _listing(tmp_path) == ["b.geojson"]


# --------------------------------------------------------------------------
# kill -9 at random moments


@needs_fork
@pytest.mark.slow
@pytest.mark.parametrize("fmt", FORMATS)
def test_kill_9_leaves_old_or_new_and_the_next_run_cleans_up(tmp_path, goods, fmt):
    target = _place(goods, fmt, "A", tmp_path)
    allowed = (goods[fmt, "A"][0], goods[fmt, "B"][0])
    rng = random.Random(f"kill-{fmt}")

    def loop():
        for i in range(10_000):
            write(fmt, target, "AB"[i % 2])

    for _ in range(6):
        pid = _fork(loop)
        time.sleep(rng.uniform(0.0, 0.4))
        os.kill(pid, signal.SIGKILL)
        assert _status(pid) == -signal.SIGKILL
        assert _content(target, fmt) in allowed
    write(fmt, target, "A")  # the next run removes what the killed ones left
    assert _content(target, fmt) == goods[fmt, "A"][0]
    expected = [f"out{p}" for p in SHP_PARTS] if fmt == "shp" else [f"out.{fmt}"]
    assert _listing(tmp_path) == sorted(expected), "stale temporary files were not removed"


def test_stale_folders_of_dead_runs_are_removed(tmp_path):
    dead = tmp_path / ".rangeviz-999999999-abc.tmp"  # no such pid
    dead.mkdir()
    (dead / "map.png").write_bytes(b"half")
    mine = tmp_path / f".rangeviz-{os.getpid()}-xyz.tmp"  # a live run (this one)
    mine.mkdir()
    old = tmp_path / f".rangeviz-{os.getppid()}-old.tmp"  # alive, but two days old
    old.mkdir()
    os.utime(old, (time.time() - 2 * 86400,) * 2)
    user = tmp_path / ".rangeviz-notes.tmp"  # not our pattern
    user.mkdir()
    assert sorted(clean_stale(tmp_path)) == sorted([dead.name, old.name])
    assert mine.exists() and user.exists()


def test_a_set_of_files_interrupted_mid_rename_is_completed_by_the_next_write(tmp_path):
    """kill -9 between a Shapefile's renames: the journal lets the next run finish them."""
    for part in SHP_PARTS:
        (tmp_path / f"b{part}").write_text(f"old{part}")
    scratch = tmp_path / ".rangeviz-999999999-dead.tmp"
    scratch.mkdir()
    for part in SHP_PARTS[2:]:  # .shp and .shx were already moved
        (scratch / f"b{part}").write_text(f"new{part}")
    for part in SHP_PARTS[:2]:
        (tmp_path / f"b{part}").write_text(f"new{part}")
    moves = [[f"b{p}", f"b{p}"] for p in SHP_PARTS]
    (scratch / "journal.json").write_text(
        json.dumps({"target": "b.shp", "moves": moves, "delete": ["b.qix"]})
    )
    (tmp_path / "b.qix").write_text("stale index")
    write_text(tmp_path / "other.txt", "x")  # any write in the folder
    assert [(tmp_path / f"b{p}").read_text() for p in SHP_PARTS] == [f"new{p}" for p in SHP_PARTS]
    assert _listing(tmp_path) == sorted([*(f"b{p}" for p in SHP_PARTS), "other.txt"])


# --------------------------------------------------------------------------
# concurrent writers


@needs_fork
@pytest.mark.parametrize("fmt", ["shp", "gpkg", "png"])
def test_concurrent_writers_give_one_whole_output(tmp_path, goods, fmt):
    target = tmp_path / f"out.{fmt}"

    def loop(start):
        def job():
            for i in range(6):
                write(fmt, target, "AB"[(i + start) % 2])

        return job

    pids = [_fork(loop(0)), _fork(loop(1))]
    assert [_status(pid) for pid in pids] == [0, 0]
    assert _content(target, fmt) in (goods[fmt, "A"][0], goods[fmt, "B"][0])
    expected = [f"out{p}" for p in SHP_PARTS] if fmt == "shp" else [f"out.{fmt}"]
    assert _listing(tmp_path) == sorted(expected), "lock or temporary files left behind"


def test_the_lock_serialises_commits(tmp_path):
    """A second writer waits for the first one's lock, then puts its whole file in place."""
    import fcntl

    target = tmp_path / "t.txt"
    lock = tmp_path / ".t.txt.rangeviz-lock"
    fd = os.open(lock, os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)
    done = threading.Event()
    thread = threading.Thread(target=lambda: (write_text(target, "second"), done.set()))
    thread.start()
    time.sleep(0.3)
    assert not done.is_set() and not target.exists()  # waiting for the lock
    os.unlink(lock)
    fcntl.flock(fd, fcntl.LOCK_UN)
    os.close(fd)
    thread.join(5)
    assert target.read_text() == "second"
    assert _listing(tmp_path) == ["t.txt"]


# --------------------------------------------------------------------------
# symlinks, devices, pipes


def test_a_symlink_is_written_through(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    (real / "data.txt").write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to(real / "data.txt")
    write_text(link, "new")
    assert link.is_symlink()
    assert (real / "data.txt").read_text() == "new"
    assert _listing(real) == ["data.txt"]
    assert _listing(tmp_path) == ["link.txt", "real"]


def test_a_dangling_symlink_creates_its_target(tmp_path):
    link = tmp_path / "link.geojson"
    link.symlink_to(tmp_path / "made.geojson")
    rangeviz.write_bands(rangeviz.bands([(0, 0)], inner_km=0, outer_km=50), link)
    assert link.is_symlink() and (tmp_path / "made.geojson").stat().st_size > 100


def test_a_shapefile_through_symlinks(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    gdf = rangeviz.bands([(0, 0)], inner_km=0, outer_km=50)
    rangeviz.write_bands(gdf, real / "data.shp")
    for part in SHP_PARTS:
        (tmp_path / f"link{part}").symlink_to(real / f"data{part}")
    rangeviz.write_bands(rangeviz.bands([(5, 5)], inner_km=0, outer_km=60), tmp_path / "link.shp")
    import pyogrio

    assert pyogrio.read_dataframe(real / "data.shp")["outer_km"].tolist() == [60]
    assert all((tmp_path / f"link{p}").is_symlink() for p in SHP_PARTS)


def test_a_fifo_is_written_into(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    write_text(fifo, "through the pipe")
    reader.join(5)
    assert got == [b"through the pipe"]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert _listing(tmp_path) == ["pipe.txt"]


@pytest.mark.skipif(not ROOT, reason="making a device node needs root")
def test_a_character_device_stays_a_device(tmp_path):
    null = tmp_path / "null.png"
    try:
        os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except OSError as exc:
        pytest.skip(f"cannot make a device node here: {exc}")
    with atomic_path(null) as tmp:
        tmp.write_bytes(b"map")
    assert stat.S_ISCHR(os.lstat(null).st_mode)
    with pytest.raises(OutputError, match="several files"), atomic_path(null, parts=(".dbf",)):
        pass


def test_dev_stdout_appends_to_what_the_shell_opened(tmp_path):
    """``-o /dev/stdout >> log``: the log is appended to, never replaced or truncated."""
    log = tmp_path / "log.txt"
    log.write_text("earlier line\n")
    code = "import sys; from rangeviz._io import write_text; write_text('/dev/stdout', 'report\\n')"
    with open(log, "a") as out:
        subprocess.run([sys.executable, "-c", code], stdout=out, check=True)
    assert log.read_text() == "earlier line\nreport\n"


def test_cli_report_to_dev_stdout(tmp_path):
    exe = Path(sys.executable).parent / "rangeviz"
    if not exe.exists():
        pytest.skip("console script not installed")
    done = subprocess.run(
        [str(exe), "report", "--site", "54.71,20.51", "--format", "json", "-o", "/dev/stdout"],
        capture_output=True,
        text=True,
        env=dict(os.environ, MPLBACKEND="Agg"),
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["sites"]
    assert "wrote /dev/stdout" in done.stderr  # the note stays out of the report


def test_block_devices_and_directories_are_refused(tmp_path):
    with pytest.raises(OutputError, match="is a directory"), atomic_path(tmp_path):
        pass
    block = next((p for p in ("/dev/loop0", "/dev/sda", "/dev/vda") if Path(p).exists()), None)
    if block and stat.S_ISBLK(os.stat(block).st_mode):
        with pytest.raises(OutputError, match="block device"), atomic_path(block):
            pass


@pytest.mark.skipif(ROOT, reason="root may write a read-only file")
def test_a_read_only_file_is_not_replaced(tmp_path):
    target = tmp_path / "r.txt"
    target.write_text("keep")
    target.chmod(0o444)
    with pytest.raises(OutputError, match="read-only"):
        write_text(target, "new")
    assert target.read_text() == "keep"


# --------------------------------------------------------------------------
# paths and the writer's own errors


@pytest.mark.parametrize("bad", [None, 5, b"x.png", "", "  ", "a\0.png", ["x.png"], "x" * 5000])
def test_paths_are_checked(bad):
    with pytest.raises(InputError) as info, atomic_path(bad):
        pass
    assert "\n" not in str(info.value) and len(str(info.value)) < 200


def test_a_writer_error_leaves_the_old_file_and_no_temp(tmp_path):
    target = tmp_path / "t.txt"
    target.write_text("old")
    with pytest.raises(OutputError, match="No space left"), atomic_path(target) as tmp:
        tmp.write_text("half")
        raise OSError(28, "No space left on device")
    assert target.read_text() == "old"
    assert _listing(tmp_path) == ["t.txt"]


def test_an_error_masked_by_the_writers_clean_up_is_still_an_output_error(tmp_path):
    """matplotlib's PDF backend turns a failed write into AttributeError while closing."""
    target = tmp_path / "t.pdf"
    target.write_text("old")
    with pytest.raises(OutputError, match="File too large"), atomic_path(target):
        try:
            raise OSError(27, "File too large")
        except OSError:
            raise AttributeError("'Stream' object has no attribute 'pos'") from None
    assert target.read_text() == "old"
    with pytest.raises(ZeroDivisionError), atomic_path(target):  # a bug stays a bug
        1 / 0
    assert _listing(tmp_path) == ["t.pdf"]


def test_a_long_output_path_is_named_in_full(tmp_path):
    deep = tmp_path / ("d" * 60) / ("e" * 60)
    deep.mkdir(parents=True)
    target = deep / "t.txt"
    with pytest.raises(OutputError) as info, atomic_path(target) as tmp:
        tmp.write_text("x")
        raise OSError(28, "No space left on device")
    assert str(target) in str(info.value)


def test_a_writer_that_writes_nothing_is_an_error(tmp_path):
    with pytest.raises(OutputError, match="nothing was written"), atomic_path(tmp_path / "x.txt"):
        pass
    assert _listing(tmp_path) == []


def test_permissions_and_data_are_kept_on_replace(tmp_path):
    target = tmp_path / "t.txt"
    target.write_text("old")
    target.chmod(0o640)
    write_text(target, "new")
    assert target.stat().st_mode & 0o777 == 0o640
    assert target.read_text() == "new"


def test_sigterm_cleans_up(tmp_path):
    """The command line turns SIGTERM into an orderly exit: no temporary folder stays."""
    code = textwrap.dedent(
        f"""
        import os, signal, sys, time
        from rangeviz.cli import _terminate_cleanly, _Terminated
        from rangeviz._io import atomic_path
        try:
            with _terminate_cleanly(), atomic_path({str(tmp_path / "t.txt")!r}) as tmp:
                tmp.write_text("half")
                print("writing", flush=True)
                time.sleep(30)
        except _Terminated:
            sys.exit(143)
        """
    )
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE)
    assert child.stdout is not None
    child.stdout.readline()
    child.send_signal(signal.SIGTERM)
    assert child.wait(timeout=30) == 143
    child.stdout.close()
    assert _listing(tmp_path) == []


def test_no_warning_escapes_a_write(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        rangeviz.write_bands(rangeviz.bands([(0, 0)], inner_km=0, outer_km=50), tmp_path / "a.kml")
