"""The catalog as text and as records: what ``rangeviz systems`` prints.

Every figure is printed with its claimant; ``--sources`` adds each figure's
source by organisation and title, with its full address, access date and
the source's own words.
"""

from __future__ import annotations

import textwrap
from typing import Any

from rangeviz.model import Source
from rangeviz.systems.system import Estimate, System

__all__ = ["describe", "record", "source_record", "table"]


def source_record(source: Source) -> dict[str, str]:
    """A source as a JSON-ready record (empty fields left out)."""
    fields = ("org", "title", "url", "date", "accessed", "quote", "note")
    return {k: getattr(source, k) for k in fields if getattr(source, k)}


def _estimate_record(e: Estimate) -> dict[str, Any]:
    return {
        "km": e.km,
        "min_km": e.min_km,
        "bound": e.bound,
        "by": e.by,
        "date": e.date,
        "text": e.text,
        "source": source_record(e.source),
        "also": [source_record(s) for s in e.also],
        "note": e.note,
    }


def record(system: System) -> dict[str, Any]:
    """A system as a JSON-ready record: names, the drawn band, every estimate, sources."""
    return {
        "name": system.name,
        "aliases": list(system.aliases),
        "nato_name": system.nato_name,
        "country": system.country,
        "kind": system.kind,
        "min_km": system.min_km,
        "max_km": system.max_km,
        "default": system.default,
        "default_note": system.default_note,
        "estimates": [_estimate_record(e) for e in system.estimates],
        "range_note": system.range_note,
        "caveat": system.caveat,
        "status": system.status,
        "status_note": system.status_note,
        "sources": [source_record(s) for s in system.sources],
    }


def _drawn(system: System) -> str:
    chosen = system.estimate()
    if chosen is None:
        if system.max_km is None:
            return "no sourced range"
        return f"{system.band().radii_text}"
    return f"{chosen.short_text} ({chosen.by})"


def table(systems: list[System], width: int = 100) -> list[str]:
    """One row per system -- name, kind, the drawn figure and whose it is, other names --
    wrapped, never cut."""
    rows = [("system", "kind", "drawn range (claimant)", "also known as")]
    for s in systems:
        names = ", ".join(dict.fromkeys([*s.aliases[:3]] + ([s.nato_name] if s.nato_name else [])))
        kind = s.kind.split(" (")[0].split(" with ")[0]  # "GLBM (IRBM; 3 MIRV)" -> "GLBM"
        rows.append((s.name, kind, _drawn(s), names))
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    rest = max(20, width - sum(widths) - 6)
    out = []
    for r in rows:
        lead = "  ".join(v.ljust(w) for v, w in zip(r[:3], widths, strict=True))
        lines = textwrap.wrap(r[3], rest) or [""]
        out.append(f"{lead}  {lines[0]}".rstrip())
        out.extend(" " * (len(lead) + 2) + line for line in lines[1:])
    return out


def describe(system: System, width: int = 100) -> list[str]:
    """A system in full: every estimate with its claimant and source, the caveats."""
    indent = "    "

    def para(label: str, text: str) -> list[str]:
        return textwrap.wrap(
            f"{label}: {text}", width, initial_indent=indent, subsequent_indent=indent * 2
        )

    out = [f"{system.label} -- {system.kind}, {system.country}"]
    for e in system.estimates:
        mark = " (drawn)" if e is system.estimate() else ""
        out += para(f"{e.by}{mark}", f"{e.text}, {e.date or 'undated'}")
        for src in e.sources:
            out += para("source", _cite(src))
            if src.quote:
                out += para("says", f"“{src.quote}”")
        if e.note:
            out += para("note", e.note)
    if not system.estimates:
        out += para("range", "no sourced figure")
    for label, text in (
        ("default", system.default_note),
        ("caveat", system.caveat),
        ("status", system.status),
        ("status checked", system.status_note),
    ):
        if text:
            out += para(label, text)
    return out


def _cite(src: Source) -> str:
    accessed = f", accessed {src.accessed}" if src.accessed else ""
    when = f" ({src.date})" if src.date else ""
    return f"{src}{when}. {src.url}{accessed}"
