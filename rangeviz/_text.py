"""Numbers and names as figures, reports and messages write them.

One place for the small formatting rules every output shares: kilometres
with thousands separators, a band's radii, a point's coordinates, lists of
names. Standard library only.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "Listing",
    "coord_label",
    "join_names",
    "km",
    "literal",
    "md_escape",
    "md_table",
    "percent",
    "radii",
    "text_table",
]


def km(value: float) -> str:
    """Kilometres with thousands separators: whole numbers without decimals.

    >>> km(5500), km(480.0), km(2.5)
    ('5,500', '480', '2.5')
    """
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def radii(inner_km: float, outer_km: float) -> str:
    """A band's radii: ``'500–5,500 km'``.

    >>> radii(0, 480)
    '0–480 km'
    """
    return f"{km(inner_km)}–{km(outer_km)} km"


def coord_label(lon: float, lat: float) -> str:
    """A point named by its coordinates, latitude first as people read them.

    >>> coord_label(20.51, 54.71)
    '54.71°N 20.51°E'
    >>> coord_label(-58.38, -34.6)
    '34.60°S 58.38°W'
    """
    ns = "N" if lat >= 0 else "S"
    ew = "E" if lon >= 0 else "W"
    return f"{abs(lat):.2f}°{ns} {abs(lon):.2f}°{ew}"


def join_names(names: Sequence[str], *, most: int = 3, noun: str = "more") -> str:
    """Names joined as prose, repeats dropped: 'A', 'A and B', 'A, B and C'.

    With more than ``most`` names, the first ``most - 1`` and a count.

    >>> join_names(["Kaliningrad"])
    'Kaliningrad'
    >>> join_names(["A", "B", "C"])
    'A, B and C'
    >>> join_names(["A", "B", "C", "D", "E"], noun="more sites")
    'A, B and 3 more sites'
    """
    unique = list(dict.fromkeys(names))
    if not unique:
        return ""
    if len(unique) > most:
        shown = unique[: most - 1]
        return f"{', '.join(shown)} and {len(unique) - len(shown)} {noun}"
    if len(unique) == 1:
        return unique[0]
    return f"{', '.join(unique[:-1])} and {unique[-1]}"


class Listing(str):
    """A sentence listing names -- "Prefix: A, B and C." -- that can give way.

    A ``str``, so it goes wherever text goes; :meth:`shorter` names one
    fewer and counts the rest, down to "Prefix: A and 5 more."

    >>> note = Listing("Unnamed", ["A", "B", "C", "D"])
    >>> str(note), str(note.shorter()), str(note.shorter().shorter())
    ('Unnamed: A, B, C and D.', 'Unnamed: A, B and 2 more.', 'Unnamed: A and 3 more.')
    >>> note.shorter().shorter().shorter() is None
    True
    """

    prefix: str
    names: tuple[str, ...]
    most: int

    def __new__(cls, prefix: str, names: Sequence[str], most: int | None = None) -> Listing:
        unique = tuple(dict.fromkeys(names))
        most = len(unique) if most is None else most
        text = f"{prefix}: {join_names(unique, most=most)}."
        obj = super().__new__(cls, text)
        obj.prefix, obj.names, obj.most = prefix, unique, most
        return obj

    def shorter(self) -> Listing | None:
        """The same with one name fewer shown (None once a single name is left)."""
        shown = min(self.most, len(self.names))
        if shown <= 2:
            return None
        return Listing(self.prefix, self.names, shown - 1)


def literal(text: str) -> str:
    """Text that matplotlib draws as it is: ``$`` never starts mathtext.

    A title, label or place name is the user's text, not TeX: ``"$5bn"`` or
    ``"a $x$ b"`` must appear with their dollar signs, and an odd or broken
    pair must not stop the drawing (matplotlib raises on bad mathtext when
    the figure is drawn). Escaping every ``$`` as ``\\$`` turns mathtext off
    for the string; matplotlib then draws each ``\\$`` as ``$``.

    >>> literal("Costs $5 and $x^2$")
    'Costs \\\\$5 and \\\\$x^2\\\\$'
    >>> literal("no dollars")
    'no dollars'
    """
    return text.replace("$", r"\$")


# tables for reports


def text_table(headers: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    """A fixed-width table, each column as wide as its widest cell: no word is cut."""
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]

    def line(values: list[str]) -> str:
        parts = [
            v.rjust(w) if i in right else v.ljust(w)
            for i, (v, w) in enumerate(zip(values, widths, strict=True))
        ]
        return "  ".join(parts).rstrip()

    return [line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)]


def percent(share: float, full: bool) -> str:
    """A share as text that never rounds a part up to 100 % or down to 0 %."""
    if full:
        return "100 %"
    if 0 < share < 0.001:
        return "<0.1 %"
    return f"{min(100 * share, 99.9):.1f} %"


def md_escape(text: str) -> str:
    return text.replace("|", "\\|")


def md_table(headers: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    rule = ["---:" if i in right else "---" for i in range(len(headers))]
    out = ["| " + " | ".join(headers) + " |", "| " + " | ".join(rule) + " |"]
    out += ["| " + " | ".join(md_escape(c) for c in row) + " |" for row in rows]
    return out
