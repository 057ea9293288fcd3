"""Atomic file output: a temporary file beside the target, then a rename.

A failure never leaves a half-written file and never destroys the previous
one. Every writer in rangeviz goes through :func:`atomic_path`.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from rangeviz.errors import InputError, OutputError

__all__ = ["atomic_path", "check_suffix"]


def check_suffix(path: str | os.PathLike[str], allowed: dict[str, str], what: str) -> str:
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
    suffix = Path(path).suffix.lower()
    if suffix not in allowed:
        choices = ", ".join(sorted(allowed))
        shown = suffix or "no extension"
        raise InputError(
            f"output path {str(path)!r} has {shown}; a {what} can be written as: {choices}"
        )
    return allowed[suffix]


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it onto ``path`` on success.

    The temporary file keeps the target's extension, so writers that choose a
    format by extension still work. On any exception the temporary file is
    removed and ``path`` is left as it was.

    Raises
    ------
    OutputError
        If the directory does not exist or cannot be written.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(
            f"output directory {str(folder)!r} does not exist (for output path {str(path)!r})"
        )
    if target.is_dir():
        raise OutputError(f"output path {str(path)!r} is a directory; give a file name")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=target.suffix, dir=folder)
    except OSError as exc:
        raise OutputError(
            f"cannot write to directory {str(folder)!r}: {exc.strerror or exc}"
        ) from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        if target.exists():
            # keep the old file's permission bits, as an editor would
            with contextlib.suppress(OSError):
                os.chmod(tmp, target.stat().st_mode & 0o7777)
        else:
            with contextlib.suppress(OSError):
                umask = os.umask(0)
                os.umask(umask)
                os.chmod(tmp, 0o666 & ~umask)
        try:
            os.replace(tmp, target)
        except OSError as exc:
            raise OutputError(
                f"cannot write output path {str(path)!r}: {exc.strerror or exc}"
            ) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
