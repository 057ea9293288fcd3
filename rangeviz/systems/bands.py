"""Bands from however they were given: a system name, a pair of radii, a table."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from typing import Any

from rangeviz import _checks
from rangeviz._text import radii
from rangeviz.errors import InputError
from rangeviz.model import Band
from rangeviz.systems.catalog import System, get_system, inf_band, lookup_key

__all__ = ["BAND_KEYS", "resolve_band", "resolve_bands"]

_INF_KEYS = frozenset({"inf", "infband", "inftreaty", "inftreatyband"})


#: The keys a band given as a table (TOML ``ranges``) may have.
BAND_KEYS = (
    "by",
    "claimant",
    "color",
    "inner_km",
    "label",
    "linestyle",
    "note",
    "outer_km",
    "sources",
    "system",
)


def resolve_band(spec: Any, where: str = "ranges") -> Band:
    """A :class:`~rangeviz.model.Band` from however a band was given.

    Parameters
    ----------
    spec : Band, System, str, (inner_km, outer_km) or mapping
        A band; a catalog system or its name or alias (``"SSC-8"``; ``"INF"``
        is the treaty band), with ``@claimant`` for another estimate than the
        catalog's default (``"SSC-8@Russian MoD"``); a pair of radii; or a table with
        ``system`` (and
        overrides) or ``inner_km`` and ``outer_km`` (and ``label``,
        ``sources``, ``note``, ``claimant``, ``color``, ``linestyle``); ``by``
        chooses a catalog system's estimate by its claimant (``{system =
        "SSC-8", by = "Russian MoD"}``).
    where : str
        How messages name it (``"ranges[1]"``, ``"--system"``).

    Raises
    ------
    InputError, UnknownNameError

    Examples
    --------
    >>> resolve_band((0, 480)).label
    '0–480 km'
    >>> resolve_band({"system": "SSC-8", "by": "Russian MoD"}).legend_label
    '9M729 (SSC-8 Screwdriver) up to 480 km (Russian MoD)'
    """
    if isinstance(spec, Band):
        return spec
    if isinstance(spec, System):
        return spec.band()
    if hasattr(spec, "name") and hasattr(spec, "max_km"):  # a system-like object
        from rangeviz.model import BandLayer

        return BandLayer.from_system(spec).band
    if hasattr(spec, "inner_km") and hasattr(spec, "outer_km"):  # a band-like object
        inner, outer = _checks.band_radii(
            spec.inner_km, spec.outer_km, names=(f"{where}: inner_km", f"{where}: outer_km")
        )
        return Band(
            str(getattr(spec, "label", "") or radii(inner, outer)),
            inner,
            outer,
            system=str(getattr(spec, "system", "") or ""),
            sources=tuple(getattr(spec, "sources", ()) or ()),
        )
    if isinstance(spec, str):
        if lookup_key(spec) in _INF_KEYS:
            return inf_band()
        name, at, by = spec.partition("@")  # "SSC-8@Russian MoD": that claimant's figure
        try:
            return get_system(name.strip()).band(by.strip() if at else None)
        except InputError as exc:
            raise type(exc)(f"{where}: {exc}") from None
    if isinstance(spec, Mapping):
        return _band_from_table(spec, where)
    if isinstance(spec, Iterable) and not isinstance(spec, bytes):
        values = list(spec)
        if len(values) == 2:
            inner, outer = _checks.band_radii(
                values[0], values[1], names=(f"{where} inner_km", f"{where} outer_km")
            )
            return Band(radii(inner, outer), inner, outer)
    raise InputError(
        f"{where}: {_checks.show(spec)} is not a band; give a system name, a System "
        "(with name, min_km and max_km), (inner_km, outer_km) or a table with 'system' "
        "or 'inner_km' and 'outer_km'"
    )


def resolve_bands(specs: Any, what: str = "ranges", *, empty: str = "inf") -> tuple[Band, ...]:
    """Bands from one spec or a list of them.

    None, or an empty list when ``empty="inf"`` (the default), gives the INF
    Treaty band; with ``empty="error"`` an empty list is a mistake.

    >>> [b.label for b in resolve_bands(["INF", (0, 480)])]
    ['INF Treaty band', '0–480 km']
    """
    if specs is None:
        return (inf_band(),)
    if isinstance(specs, (str, Band, System, Mapping)):
        specs = [specs]
    if (
        isinstance(specs, tuple)
        and len(specs) == 2
        and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in specs)
    ):
        specs = [specs]  # one (inner_km, outer_km) pair
    if isinstance(specs, bytes) or not isinstance(specs, Iterable):
        raise InputError(f"{what} {_checks.show(specs)} is not a band or a list of bands")
    out = tuple(resolve_band(spec, f"{what}[{i}]") for i, spec in enumerate(specs))
    if not out and empty == "error":
        raise InputError(f"{what} is empty: give at least one band, or leave it out")
    return out or (inf_band(),)


def _band_from_table(spec: Mapping[str, Any], where: str) -> Band:
    unknown = sorted(set(map(str, spec)) - set(BAND_KEYS))
    if unknown:
        raise InputError(
            f"{where}: unknown key {unknown[0]!r}; a band table may have: {', '.join(BAND_KEYS)}"
        )
    changes: dict[str, Any] = {}
    for key in ("label", "note", "claimant", "color", "linestyle"):
        if key in spec:
            changes[key] = _checks.text(spec[key], f"{where}.{key}", empty=key == "note")
    if "sources" in spec:
        changes["sources"] = _checks.strings(spec["sources"], f"{where}.sources")
    for key in ("inner_km", "outer_km"):
        if key in spec:
            changes[key] = _checks.radius(spec[key], f"{where}.{key}")
    if "by" in spec and "system" not in spec:
        raise InputError(f"{where}: 'by' chooses a catalog system's estimate; give 'system' too")
    if "system" in spec:
        name = _checks.text(spec["system"], f"{where}.system")
        if "by" in spec:
            try:
                base = get_system(name).band(_checks.text(spec["by"], f"{where}.by"))
            except InputError as exc:
                raise type(exc)(f"{where}: {exc}") from None
        else:
            base = resolve_band(name, where)
        try:
            return dataclasses.replace(base, **changes) if changes else base
        except InputError as exc:
            raise InputError(f"{where}: {exc}") from None
    missing = [k for k in ("inner_km", "outer_km") if k not in spec]
    if missing:
        raise InputError(
            f"{where}: give 'system' or both 'inner_km' and 'outer_km' (missing {missing[0]!r})"
        )
    inner, outer = _checks.band_radii(
        changes.pop("inner_km"),
        changes.pop("outer_km"),
        names=(f"{where}.inner_km", f"{where}.outer_km"),
    )
    label = changes.pop("label", "") or radii(inner, outer)
    try:
        return Band(label, inner, outer, **changes)
    except InputError as exc:
        raise InputError(f"{where}: {exc}") from None
