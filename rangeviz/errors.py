"""Exceptions raised by rangeviz.

Every message names the parameter, the offending value, what is allowed and,
where possible, the fix. The command line prints the message as one line and
exits with status 2.
"""

from __future__ import annotations

__all__ = [
    "DataError",
    "InputError",
    "OutputError",
    "RangevizError",
    "RangevizWarning",
    "UnknownNameError",
    "outside_stacklevel",
]


class RangevizError(Exception):
    """Base class of every error rangeviz raises on purpose."""


class InputError(RangevizError, ValueError):
    """A value given by the user is outside what is allowed."""


class UnknownNameError(InputError, LookupError):
    """A name (site, system, projection, preset...) is not known.

    The message lists the closest matches or the valid choices.
    """


class DataError(RangevizError):
    """The bundled data (or a data file the user named) cannot be read."""


class OutputError(RangevizError, OSError):
    """An output file cannot be written; nothing was left half-written."""


class RangevizWarning(UserWarning):
    """Something the user should know that does not stop the work.

    The command line prints each as one line, ``rangeviz: note: ...``.
    """


def outside_stacklevel() -> int:
    """The ``stacklevel`` for :func:`warnings.warn` that names the caller's own line.

    Counted from the function that calls this one up to the first frame
    outside the rangeviz package, so a warning points at the user's code, not
    at the module deep inside the drawing that noticed the problem.
    """
    import os
    import sys

    here = os.path.dirname(os.path.abspath(__file__)) + os.sep
    frame = sys._getframe(1)
    level = 1
    while frame.f_back is not None and frame.f_code.co_filename.startswith(here):
        frame = frame.f_back
        level += 1
    return level
