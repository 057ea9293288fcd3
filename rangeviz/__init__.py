"""rangeviz: true geodesic missile range bands on WGS84, drawn over European maps."""

from __future__ import annotations

from rangeviz.errors import (
    DataError,
    InputError,
    OutputError,
    RangevizError,
    UnknownNameError,
)
from rangeviz.geodesic import ANTIPODAL_KM, band, bands, disc, distance_km, ring

__version__ = "0.1.0"

__all__ = [
    "ANTIPODAL_KM",
    "DataError",
    "InputError",
    "OutputError",
    "RangevizError",
    "UnknownNameError",
    "__version__",
    "band",
    "bands",
    "disc",
    "distance_km",
    "ring",
]
