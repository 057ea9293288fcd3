"""rangeviz: true geodesic missile range bands on WGS84, drawn over European maps."""

from __future__ import annotations

from rangeviz.errors import (
    DataError,
    InputError,
    OutputError,
    RangevizError,
    UnknownNameError,
)

__version__ = "0.1.0"

__all__ = [
    "DataError",
    "InputError",
    "OutputError",
    "RangevizError",
    "UnknownNameError",
    "__version__",
]
