"""Argument checks shared by every module, with one message style.

Every check takes the value and the name the user knows it by (``"inner_km"``,
``"--outer"``, ``"scenario.toml: map.dpi"``) and either returns the value
normalised or raises an :class:`~rangeviz.errors.InputError` whose message
says *name, value, what is allowed* and, where it can, the likely fix::

    latitude 91.0 is outside [-90, 90] (did you swap lat and lon?)
    outer_km 5500000.0 is more than the Earth's circumference (40,075 km);
        give kilometres, not metres

Nothing here imports more than the standard library (pyproj lazily, for
:func:`projection`), so the command line's ``--help`` stays fast.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Iterable, Mapping
from typing import Any

from rangeviz.errors import InputError, UnknownNameError

__all__ = [
    "ANTIPODAL_KM",
    "CIRCUMFERENCE_KM",
    "MAX_TEXT",
    "MIN_TOLERANCE_KM",
    "band_radii",
    "choice",
    "flag",
    "integer",
    "lonlat",
    "number",
    "radius",
    "show",
    "strings",
    "text",
    "tolerance",
    "type_name",
]

#: The longest geodesic on WGS84, half a meridian from pole to pole (km).
#: Every point's antipode is this far away and nothing is farther. (The value
#: is ``Geod(ellps="WGS84").inv(0, 90, 0, -90)``; tests/test_model.py checks it.)
ANTIPODAL_KM: float = 20003.931458625
#: The equator's length on WGS84 (km): a radius beyond it is a unit slip.
CIRCUMFERENCE_KM: float = 40075.016685578
#: The least tolerance (km) a ring may be drawn to: one metre.
MIN_TOLERANCE_KM: float = 0.001
#: The longest text accepted for a title, label, name or note (characters).
MAX_TEXT: int = 2000


def type_name(value: Any) -> str:
    """A value's type as a user reads it: 'a string', 'an array', 'true/false'."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, str):
        return "text"
    if isinstance(value, numbers.Number):
        return "a number"
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, (list, tuple)):
        return "a list"
    return type(value).__name__


def number(value: Any, name: str, *, unit: str = "") -> float:
    """A finite real number (not a bool, not text).

    >>> number(3, "radials")
    3.0
    >>> number(True, "outer_km", unit="kilometres")
    Traceback (most recent call last):
    ...
    rangeviz.errors.InputError: outer_km True is not a number of kilometres
    """
    what = f"a number of {unit}" if unit else "a number"
    if getattr(value, "ndim", None) == 0 and hasattr(value, "item"):
        value = value.item()  # a NumPy 0-d array
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise InputError(f"{name} {show(value)} is not {what}")
    result = float(value)
    if not math.isfinite(result):
        raise InputError(f"{name} {show(value)} is not a finite number; give {what}")
    return result


def lonlat(lon: Any, lat: Any, where: str = "") -> tuple[float, float]:
    """A checked ``(lon, lat)`` pair in degrees.

    >>> lonlat(20.51, 54.71)
    (20.51, 54.71)
    >>> lonlat(54.71, 91.0, "site 'X'")
    Traceback (most recent call last):
    ...
    rangeviz.errors.InputError: site 'X': latitude 91.0 is outside [-90, 90] (did you swap lat and lon?)
    """  # noqa: E501
    prefix = f"{where}: " if where else ""
    x = number(lon, f"{prefix}longitude", unit="degrees")
    y = number(lat, f"{prefix}latitude", unit="degrees")
    # the hint only where the swapped pair would be a valid point
    hint = " (did you swap lat and lon?)" if abs(x) <= 90 and abs(y) <= 180 else ""
    if not -90.0 <= y <= 90.0:
        raise InputError(f"{prefix}latitude {y!r} is outside [-90, 90]{hint}")
    if not -180.0 <= x <= 180.0:
        raise InputError(f"{prefix}longitude {x!r} is outside [-180, 180]")
    return x, y


def radius(value: Any, name: str, *, positive: bool = False) -> float:
    """A geodesic radius in km: ``>= 0`` (``> 0`` if ``positive``), at most antipodal.

    >>> radius(5500, "outer_km")
    5500.0
    >>> radius(25000, "outer_km")
    Traceback (most recent call last):
    ...
    rangeviz.errors.InputError: outer_km 25000.0 is beyond the antipodal distance, 20,004 km: no point on the Earth is farther from a site
    """  # noqa: E501
    r = number(value, name, unit="kilometres")
    if r < 0 or (positive and r == 0):
        allowed = "> 0" if positive else ">= 0"
        raise InputError(f"{name} {r!r} must be {allowed} (kilometres)")
    if r > CIRCUMFERENCE_KM:
        raise InputError(
            f"{name} {r!r} is more than the Earth's circumference ({CIRCUMFERENCE_KM:,.0f} km); "
            "give kilometres, not metres"
        )
    if r > ANTIPODAL_KM + 1e-9:
        raise InputError(
            f"{name} {r!r} is beyond the antipodal distance, {ANTIPODAL_KM:,.0f} km: "
            "no point on the Earth is farther from a site"
        )
    return r


def band_radii(
    inner_km: Any, outer_km: Any, *, names: tuple[str, str] = ("inner_km", "outer_km")
) -> tuple[float, float]:
    """Checked ``(inner_km, outer_km)`` with ``0 <= inner < outer <= antipodal``.

    >>> band_radii(500, 5500)
    (500.0, 5500.0)
    >>> band_radii(600, 500)
    Traceback (most recent call last):
    ...
    rangeviz.errors.InputError: inner_km 600.0 must be smaller than outer_km 500.0 (did you swap them?)
    """  # noqa: E501
    inner = radius(inner_km, names[0])
    outer = radius(outer_km, names[1], positive=True)
    if inner >= outer:
        hint = " (did you swap them?)" if inner > outer else ""
        raise InputError(f"{names[0]} {inner!r} must be smaller than {names[1]} {outer!r}{hint}")
    return inner, outer


def tolerance(value: Any, name: str = "tolerance_km") -> float:
    """How far (km) a drawn edge may stray from the true ring: at least a metre."""
    tol = number(value, name, unit="kilometres")
    if tol < MIN_TOLERANCE_KM:
        raise InputError(f"{name} {tol!r} must be >= {MIN_TOLERANCE_KM} (one metre)")
    if tol > 100.0:
        raise InputError(f"{name} {tol!r} must be at most 100 (kilometres)")
    return tol


def integer(value: Any, name: str, *, lo: int, hi: int) -> int:
    """A whole number in ``[lo, hi]`` (a float with no fraction is accepted).

    >>> integer(200, "dpi", lo=10, hi=1200)
    200
    >>> integer(0, "dpi", lo=10, hi=1200)
    Traceback (most recent call last):
    ...
    rangeviz.errors.InputError: dpi 0 must be a whole number from 10 to 1200
    """
    allowed = f"a whole number from {lo} to {hi}"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise InputError(f"{name} {show(value)} is not {allowed}")
    number = float(value)
    if not math.isfinite(number) or not number.is_integer():
        raise InputError(f"{name} {show(value)} is not {allowed}")
    result = int(number)
    if not lo <= result <= hi:
        raise InputError(f"{name} {show(value)} must be {allowed}")
    return result


def flag(value: Any, name: str) -> bool:
    """A true/false value; numbers and text are refused."""
    if not isinstance(value, bool):
        raise InputError(f"{name} {show(value)} must be true or false, not {type_name(value)}")
    return value


# control characters but tab and newline
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f]")


def text(value: Any, name: str, *, empty: bool = False, limit: int = MAX_TEXT) -> str:
    """A string of printable text, stripped; empty only if ``empty``.

    NUL and other control characters (but newlines and tabs) are refused; so
    is text longer than ``limit`` characters.
    """
    if not isinstance(value, str):
        raise InputError(f"{name} {show(value)} must be text, not {type_name(value)}")
    stripped = value.strip()
    if not stripped and not empty:
        raise InputError(f"{name} {value!r} is empty; give some text")
    if len(stripped) > limit:
        raise InputError(f"{name} is {len(stripped):,} characters long; at most {limit:,}")
    bad = _CONTROL.search(stripped)
    if bad is not None:
        raise InputError(f"{name} {show(value)} holds the control character {bad.group()!r}")
    return stripped


def strings(value: Any, name: str) -> tuple[str, ...]:
    """A tuple of non-empty texts from one string or a sequence of strings."""
    if isinstance(value, str):
        value = (value,)
    if isinstance(value, (bytes, Mapping)) or not isinstance(value, Iterable):
        raise InputError(f"{name} {show(value)} must be text or a list of texts")
    return tuple(text(v, f"{name}[{i}]") for i, v in enumerate(value))


def choice(name: str, value: Any, choices: Iterable[str], hint: str = "") -> str:
    """The canonical key for ``value`` among ``choices``, case-insensitively.

    >>> choice("size", " Slide", ("slide", "a4"))
    'slide'
    >>> choice("extent", "asia", ("europe", "wide"))
    Traceback (most recent call last):
    ...
    rangeviz.errors.UnknownNameError: extent 'asia' is not known; choose one of: europe, wide
    """
    keys = list(choices)
    if isinstance(value, str):
        key = value.strip().lower()
        if key in keys:
            return key
    listed = ", ".join(keys)
    raise UnknownNameError(f"{name} {show(value)} is not known; choose one of: {listed}{hint}")


def show(value: Any, limit: int = 60) -> str:
    """A value as a message quotes it: repr, cut short, on one line.

    >>> show("x" * 100, 12)
    "'xxxxxxxxxx…"
    >>> show(type("Table", (), {"__repr__": lambda self: "a\\nb"})())
    '<Table>'
    """
    shown = repr(value)
    if "\n" in shown:  # a DataFrame, an array: name its type, not its rows
        return f"<{type(value).__name__}>"
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"
