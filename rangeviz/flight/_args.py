"""Argument checks of rangeviz.flight: arrays of numbers, element by element.

Scalars go through :mod:`rangeviz._checks`; for an array the first bad
element is named with its index (``range_km[3] -1.0 must be > 0``) and checked
by the same function, so the wording is the shared one.
"""

from __future__ import annotations

import numbers
from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt

from rangeviz import _checks
from rangeviz._checks import ANTIPODAL_KM
from rangeviz.errors import InputError

#: A float for scalar input, else an array of the input's shape.
FloatOrArray: TypeAlias = float | npt.NDArray[np.float64]


def array(value: Any, name: str, unit: str) -> tuple[np.ndarray, bool]:
    """A float array of finite numbers and whether the input was a scalar."""
    if isinstance(value, numbers.Number) or (
        getattr(value, "ndim", None) == 0 and hasattr(value, "item")
    ):
        return np.asarray(_checks.number(value, name, unit=unit)), True
    try:
        arr = np.asarray(value)
        if arr.dtype == bool or arr.dtype.kind not in "iuf":
            raise TypeError
        arr = arr.astype(float)
    except (TypeError, ValueError):
        raise InputError(
            f"{name} {_checks.show(value)} is not a number or an array of numbers of {unit}"
        ) from None
    bad = np.flatnonzero(~np.isfinite(arr.ravel()))
    if bad.size:
        i = np.unravel_index(bad[0], arr.shape)
        _checks.number(float(arr[i]), f"{name}[{', '.join(map(str, i))}]", unit=unit)
    return arr, False


def first_bad(arr: np.ndarray, bad: np.ndarray, name: str) -> tuple[str, float]:
    """The name (with index, for an array) and value of the first bad element."""
    j = np.unravel_index(np.flatnonzero(bad.ravel())[0], arr.shape)
    where = f"{name}[{', '.join(map(str, j))}]" if arr.ndim else name
    return where, float(arr[j])


def ranges(value: Any, name: str = "range_km") -> tuple[np.ndarray, bool]:
    """Ranges in km, each ``0 < r <= ANTIPODAL_KM``; a message names the first bad one."""
    arr, scalar = array(value, name, "kilometres")
    bad = ~((arr > 0) & (arr <= ANTIPODAL_KM))
    if bad.any():
        where, r = first_bad(arr, bad, name)
        _checks.radius(r, where, positive=True)  # raises, in the shared wording
    return arr, scalar


def apogees(value: Any, most: float) -> np.ndarray:
    """Apogee heights in km, each ``0 < h <= most``."""
    arr, _ = array(value, "apogee_km", "kilometres")
    bad = ~((arr > 0) & (arr <= most))
    if bad.any():
        where, h = first_bad(arr, bad, "apogee_km")
        if h <= 0:
            raise InputError(
                f"{where} {h!r} must be > 0 (kilometres above the surface): every "
                "trajectory between two points on the surface rises above it"
            )
        raise InputError(
            f"{where} {h!r} is above {most:,.0f} km, far higher than any "
            "missile flies; give kilometres, not metres"
        )
    return arr


def out(x: np.ndarray, scalar: bool) -> Any:
    return float(x) if scalar else x
