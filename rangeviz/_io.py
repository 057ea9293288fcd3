"""Safe file output: every file rangeviz writes goes through :func:`atomic_path`.

The promise: a write either puts the whole new file in place or leaves the old
one byte-identical, and says in one line why it failed. How:

- the writer writes into a private temporary folder beside the target
  (``.rangeviz-<pid>-<random>.tmp``, mode 0700), with the target's own name, so
  writers that pick a format by extension -- and GDAL drivers that make
  several files (a Shapefile) -- work unchanged;
- what it wrote is checked (``check=``: GDAL ignores a full disk, so the
  export reads its file back), flushed and fsynced; then renamed onto the
  target under a lock (``fcntl.flock`` on ``.<name>.rangeviz-lock`` beside it,
  removed afterwards), so that concurrent writers give one writer's whole
  output, several files (``parts=``) included; then the folder is fsynced;
- a symlink is written through: its target is replaced atomically and the
  link stays. A character device or a FIFO (``/dev/null``, ``/dev/stdout``, a
  named pipe) is written directly, appending, with nothing renamed or
  truncated; block devices and sockets are refused;
- the temporary folder goes on every exit path that Python sees (errors,
  Ctrl-C; the command line turns SIGTERM into one too); folders left by a
  killed run (the pid in the name is gone, or a day old) are removed by the
  next write in that folder -- a set of files interrupted half-way through
  its renames is completed first, from the journal in the folder.

Standard library only.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import stat
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from rangeviz.errors import InputError, OutputError

try:  # POSIX; elsewhere writes are atomic but not serialised
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

__all__ = ["atomic_path", "check_path", "check_suffix", "clean_stale", "write_text"]

#: A temporary folder of this process: ``.rangeviz-<pid>-<random>.tmp``.
TEMP_PATTERN = re.compile(r"^\.rangeviz-(\d+)-[A-Za-z0-9_]+\.tmp$")
#: A temporary folder older than this (seconds) is stale whatever its pid says.
STALE_AFTER = 24 * 3600
#: The longest path accepted (characters).
MAX_PATH = 4096
_JOURNAL = "journal.json"


def check_path(path: Any, what: str = "output path") -> Path:
    """A path from text or a path-like: not empty, no NUL, not absurdly long.

    >>> check_path("map.png")
    PosixPath('map.png')
    >>> check_path(None)
    Traceback (most recent call last):
    ...
    rangeviz.errors.InputError: output path None must be a file path (text or pathlib.Path)
    """
    if isinstance(path, os.PathLike):
        path = os.fspath(path)
    if not isinstance(path, str):
        shown = repr(path) if len(repr(path)) <= 60 else repr(path)[:59] + "…"
        raise InputError(f"{what} {shown} must be a file path (text or pathlib.Path)")
    if not path.strip():
        raise InputError(f"{what} {path!r} is empty; give a file name")
    if "\0" in path:
        raise InputError(f"{what} {_short(path)} holds a NUL character; give a plain file name")
    if len(path) > MAX_PATH:
        raise InputError(f"{what} is {len(path):,} characters long; at most {MAX_PATH:,}")
    return Path(path)


def check_suffix(path: Any, allowed: dict[str, str], what: str) -> str:
    """The format key for ``path``'s extension, or an error listing the choices.

    Parameters
    ----------
    path : path-like
        The output path.
    allowed : dict
        Extension (lower case, with the dot) to format key.
    what : str
        What is being written, for the message ("map", "bands").
    """
    suffix = check_path(path).suffix.lower()
    if suffix not in allowed:
        choices = ", ".join(sorted(allowed))
        shown = suffix or "no extension"
        raise InputError(
            f"output path {_short(os.fspath(path))} has {shown}; a {what} can be written as: "
            f"{choices}"
        )
    return allowed[suffix]


def write_text(path: Any, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` through :func:`atomic_path`."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return check_path(path)


def _short(text: str, limit: int = 300) -> str:
    shown = repr(text)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def _fail(path: Any, exc: BaseException, doing: str = "write") -> OutputError:
    reason = getattr(exc, "strerror", None) or str(exc).splitlines()[0][:200] or type(exc).__name__
    return OutputError(f"cannot {doing} output path {_short(os.fspath(path))}: {reason}")


# --------------------------------------------------------------------------
# where the bytes go


def _destination(target: Path, shown: str) -> tuple[Path, bool]:
    """The file to replace (symlinks followed), and whether to write it directly."""
    try:
        info = os.stat(target)  # follows symlinks
    except FileNotFoundError:
        info = None
    except OSError as exc:  # a symlink loop, a component that is a file...
        raise _fail(shown, exc) from None
    if info is not None:
        mode = info.st_mode
        if stat.S_ISDIR(mode):
            raise OutputError(f"output path {_short(shown)} is a directory; give a file name")
        if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
            return target, True
        if not stat.S_ISREG(mode):
            raise OutputError(
                f"output path {_short(shown)} is a block device or socket; give a file name"
            )
        if _via_proc(target):  # /dev/stdout redirected to a file: append, as the shell asked
            return target, True
    if os.path.islink(target):  # write through the link (dangling: create its target)
        return Path(os.path.realpath(target)), False
    return target, False


def _via_proc(path: Path) -> bool:
    """Whether ``path`` is, or links to, an open descriptor (``/dev/stdout``, ``/proc/...``)."""
    current = os.path.abspath(path)
    for _ in range(40):
        if current.startswith(("/proc/", "/dev/fd/")):
            return True
        if not os.path.islink(current):
            return False
        current = os.path.join(os.path.dirname(current), os.readlink(current))
    return False


def _folder_of(path: Path) -> Path:
    return path.parent if str(path.parent) else Path(".")


def _new_temp(folder: Path, shown: str) -> Path:
    clean_stale(folder)
    try:
        return Path(tempfile.mkdtemp(prefix=f".rangeviz-{os.getpid()}-", suffix=".tmp", dir=folder))
    except OSError as exc:
        raise OutputError(
            f"cannot write to directory {_short(str(folder))} (for output path "
            f"{_short(shown)}): {exc.strerror or exc}"
        ) from None


@contextlib.contextmanager
def atomic_path(
    path: Any,
    *,
    parts: Sequence[str] = (),
    check: Callable[[Path], None] | None = None,
) -> Iterator[Path]:
    """Yield a temporary path with the target's name; put it in place on success.

    Parameters
    ----------
    path : path-like
        The target. A symlink is written through; ``/dev/null``, ``/dev/stdout``
        and FIFOs are written directly.
    parts : sequence of str, optional
        Other extensions that belong to the target (a Shapefile's ``.shx``,
        ``.dbf``...): what the writer made beside the yielded path with these
        extensions is moved with it, in one locked step; old files with these
        extensions that the writer did not make are removed.
    check : callable, optional
        Called with the yielded path after the writer returns, before anything
        is moved; it raises (an :class:`OutputError`) if the file is not whole.

    Raises
    ------
    InputError
        If ``path`` is not a usable path.
    OutputError
        If the directory does not exist or cannot be written, the target is a
        directory, a block device, a socket or a read-only file, or anything
        fails while writing; the old file is then left as it was.
    """
    target = check_path(path)
    shown = os.fspath(path)
    dest, direct = _destination(target, shown)
    if direct and parts:
        raise OutputError(
            f"output path {_short(shown)} is a device or pipe, but this format is several "
            "files; give a file name"
        )
    folder = _folder_of(dest)
    if not direct:
        if not folder.is_dir():
            raise OutputError(
                f"output directory {_short(str(folder))} does not exist "
                f"(for output path {_short(shown)})"
            )
        if dest.exists() and not os.access(dest, os.W_OK):
            raise OutputError(f"output path {_short(shown)} is read-only; nothing was written")
    scratch = _new_temp(Path(tempfile.gettempdir()) if direct else folder, shown)
    tmp = scratch / dest.name
    try:
        try:
            yield tmp
        except OutputError:
            raise
        except Exception as exc:  # a full disk, a file-size limit... from the writer
            cause = _os_error(exc)
            if cause is None:
                raise
            raise _fail(shown, cause) from None
        if not tmp.is_file():
            raise OutputError(f"nothing was written for output path {_short(shown)}")
        if check is not None:
            check(tmp)
        made = [tmp] + [tmp.with_suffix(p) for p in parts if tmp.with_suffix(p).is_file()]
        try:
            for file in made:
                _fsync(file)
        except OSError as exc:
            raise _fail(shown, exc) from None
        if direct:
            _copy_into(tmp, target, shown)
        else:
            _commit(scratch, made, dest, parts, shown)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _os_error(exc: BaseException) -> OSError | None:
    """The OSError behind ``exc``, if any.

    A writer's clean-up can mask the real failure: matplotlib's PDF backend,
    closing a stream after a failed write, raises AttributeError from it.
    """
    seen = 0
    current: BaseException | None = exc
    while current is not None and seen < 20:
        if isinstance(current, OSError):
            return current
        current = current.__cause__ or current.__context__
        seen += 1
    return None


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every system can fsync a folder
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _copy_into(tmp: Path, target: Path, shown: str) -> None:
    """Append the bytes to a device or pipe: nothing to keep, nothing to truncate."""
    try:
        fd = os.open(target, os.O_WRONLY | os.O_APPEND)
    except OSError as exc:
        raise _fail(shown, exc) from None
    try:
        with open(tmp, "rb") as src:
            while chunk := src.read(1 << 16):
                view = memoryview(chunk)
                while view:
                    view = view[os.write(fd, view) :]
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise _fail(shown, exc) from None
    finally:
        os.close(fd)


def _modes(made: list[Path], dest: Path) -> None:
    """The old file's permission bits (and owner, for root); else the umask's."""
    try:
        old = dest.stat()
    except OSError:
        old = None
    umask = os.umask(0)
    os.umask(umask)
    for file in made:
        with contextlib.suppress(OSError):
            if old is None:
                os.chmod(file, 0o666 & ~umask)
            else:
                os.chmod(file, old.st_mode & 0o7777)
                if hasattr(os, "geteuid") and os.geteuid() == 0:
                    os.chown(file, old.st_uid, old.st_gid)


def _commit(scratch: Path, made: list[Path], dest: Path, parts: Sequence[str], shown: str) -> None:
    folder = _folder_of(dest)
    _modes(made, dest)
    moves = [(file.name, dest.with_suffix(file.suffix).name) for file in made]
    produced = {file.suffix for file in made}
    stale = [dest.with_suffix(p).name for p in parts if p not in produced]
    with _locked(folder, dest.name):
        if len(moves) == 1 and not stale:
            try:
                os.replace(made[0], dest)
            except OSError as exc:
                raise _fail(shown, exc) from None
        else:
            _commit_set(scratch, folder, moves, stale, shown, dest.name)
        _fsync_folder(folder)


def _commit_set(
    scratch: Path,
    folder: Path,
    moves: list[tuple[str, str]],
    stale: list[str],
    shown: str,
    target: str,
) -> None:
    """Several files as one: keep the old ones to roll back; journal to roll forward."""
    backup = scratch / "old"
    backup.mkdir()
    for name in [new for _, new in moves] + stale:
        with contextlib.suppress(OSError):
            os.link(folder / name, backup / name)
    journal = {"target": target, "moves": moves, "delete": stale}
    (scratch / _JOURNAL).write_text(json.dumps(journal), encoding="utf-8")
    _fsync(scratch / _JOURNAL)
    done: list[str] = []
    try:
        for src, new in moves:
            os.replace(scratch / src, folder / new)
            done.append(new)
        for name in stale:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(folder / name)
    except OSError as exc:
        for name in done:  # put the old set back
            old = backup / name
            with contextlib.suppress(OSError):
                if old.exists():
                    os.replace(old, folder / name)
                else:
                    os.unlink(folder / name)
        raise _fail(shown, exc) from None
    finally:
        with contextlib.suppress(OSError):
            (scratch / _JOURNAL).unlink()


# --------------------------------------------------------------------------
# the lock, and what killed runs leave behind


def _lock_name(name: str) -> str:
    lock = f".{name}.rangeviz-lock"
    if len(lock.encode()) > 200:  # keep within NAME_MAX
        lock = f".rangeviz-lock-{hashlib.sha256(name.encode()).hexdigest()[:16]}"
    return lock


@contextlib.contextmanager
def _locked(folder: Path, name: str) -> Iterator[None]:
    """Hold an exclusive flock on ``.<name>.rangeviz-lock`` in ``folder``; remove it after.

    The file is removed while the lock is held; a writer that was waiting on
    the removed file sees that it is gone and takes the lock anew.
    """
    if fcntl is None:  # pragma: no cover
        yield
        return
    path = folder / _lock_name(name)
    fd = -1
    for _ in range(100):
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:
            break  # cannot make a lock file: go on unlocked (the rename is still atomic)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError:  # a file system without locks: go on unlocked
            with contextlib.suppress(OSError):
                os.unlink(path)
            os.close(fd)
            fd = -1
            break
        try:
            same = os.fstat(fd).st_ino == os.stat(path).st_ino
        except OSError:  # removed by the writer before us: lock the new one
            same = False
        if same:
            break
        os.close(fd)
        fd = -1
    try:
        yield
    finally:
        if fd >= 0:
            with contextlib.suppress(OSError):
                os.unlink(path)
            os.close(fd)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name == "nt":  # os.kill(pid, 0) would send Ctrl-C there: trust the age only
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process
        return True
    return True


def clean_stale(folder: Path) -> list[str]:
    """Remove the temporary folders killed runs left in ``folder``; return their names.

    A folder is stale when the process named in it is gone, or it is older
    than a day. If it holds a journal (the run was killed while renaming a
    set of files into place), the renames are finished first.
    """
    removed: list[str] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        match = TEMP_PATTERN.match(entry.name)
        if not match:
            continue
        try:
            info = entry.stat(follow_symlinks=False)
            if not stat.S_ISDIR(info.st_mode):
                continue
            if hasattr(os, "getuid") and info.st_uid not in (os.getuid(), 0):
                continue
        except OSError:
            continue
        if _alive(int(match.group(1))) and now - info.st_mtime < STALE_AFTER:
            continue
        scratch = Path(entry.path)
        with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
            _roll_forward(scratch, folder)
        shutil.rmtree(scratch, ignore_errors=True)
        removed.append(entry.name)
    return removed


def _roll_forward(scratch: Path, folder: Path) -> None:
    journal_file = scratch / _JOURNAL
    if not journal_file.exists():
        return
    journal = json.loads(journal_file.read_text(encoding="utf-8"))
    with _locked(folder, str(journal["target"])):
        for src, new in journal["moves"]:
            if (scratch / src).exists() and "/" not in new and not new.startswith(".."):
                os.replace(scratch / src, folder / new)
        for name in journal["delete"]:
            if "/" not in name:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(folder / name)
        _fsync_folder(folder)
