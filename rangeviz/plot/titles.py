"""What the figure says in words: headline, standfirst, small print, metadata.

The headline names every band (or how many); the standfirst says in plain
language what the band is and what it finds ("83 national capitals lie in the
band; Warsaw, Vilnius, Riga and Minsk are closer than 500 km"); technical
notes -- projection, ellipsoid, sources by organisation, the spread of
published estimates -- go in the small print. Full references go into the
file's metadata (:func:`metadata`) and ``rangeviz systems --sources``.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rangeviz._text import join_names, km, radii
from rangeviz.plot import style
from rangeviz.plot.layout import page, renderer

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.text import Text

    from rangeviz.maps import MapFrame
    from rangeviz.model import MapSpec

__all__ = [
    "above_axes",
    "room_above",
    "room_below",
    "fit_lines",
    "metadata",
    "projection_text",
    "small_print",
    "standfirst",
]


def standfirst(spec: MapSpec, findings: str = "") -> str:
    """The options' subtitle, or a plain-language sentence on the bands, and the findings."""
    if spec.options.subtitle is not None:
        return spec.options.subtitle
    launch = [layer for layer in spec.layers if layer.role == "launch site"]
    named = [layer for layer in launch if layer.label != radii(layer.inner_km, layer.outer_km)]
    parts = []
    if launch and all(layer.is_inf for layer in launch):
        parts.append(
            "The INF Treaty (1987–2019) banned ground-launched missiles with ranges "
            "of 500–5,500 km."
        )
    elif len(named) > 2:
        # the key names each band's range and claimant: three or more said again here
        # would take the map's room
        parts.append(f"Published ranges of {len(launch)} systems; the key gives each one's source.")
    elif launch:
        bands = []
        for layer in dict.fromkeys(launch):
            # as the key words it: a class is a class, a lower bound "more than"
            reach = layer.range_words
            whose = f"{layer.claimant}'" if layer.claimant.endswith("s") else f"{layer.claimant}'s"
            who = f" ({whose} figure)" if layer.claimant else ""
            if layer.label == radii(layer.inner_km, layer.outer_km):  # a band of radii only
                sites = layer.sites or spec.sites
                where = join_names([s.name for s in sites]) if len(sites) <= 3 else "the sites"
                within = (
                    f"within {km(layer.outer_km)} km of"
                    if layer.inner_km == 0
                    else f"{km(layer.inner_km)}–{km(layer.outer_km)} km from"
                )
                bands.append(f"Shaded: {within} {where}{who}")
            else:
                bands.append(f"{layer.label}: {reach}{who}")
        parts.append("; ".join(bands) + ".")
    elif spec.targets:
        names = join_names([t.name for t in spec.targets])
        parts.append(f"The shaded areas are where a launcher would have to stand to reach {names}.")
    if findings:
        parts.append(findings)
    return " ".join(parts)


def projection_text(frame: MapFrame | None) -> str:
    """The projection in words, for the small print (the longest wording if not yet known)."""
    if frame is None:
        return "azimuthal equidistant projection centred on the first site"
    if frame.name == "europe":
        return "Lambert azimuthal equal-area projection (EPSG:3035)"
    if frame.name == "aeqd":
        return "azimuthal equidistant projection centred on the first site"
    if frame.name == "polar":
        return "north polar Lambert azimuthal equal-area projection"
    name = frame.crs.name
    if name in ("", "unknown") and frame.crs.coordinate_operation is not None:
        return f"{frame.crs.coordinate_operation.method_name} projection"
    return str(name)


def _organisations(spec: MapSpec) -> list[str]:
    """Each band's source, short (the ones that say the same are in the file's metadata)."""
    orgs: list[str] = []
    for layer in spec.layers:
        for src in layer.sources[:1]:
            text = src.short
            if text not in orgs:
                orgs.append(text)
    return orgs


def small_print(spec: MapSpec, frame: MapFrame | None, extra: Sequence[str] = ()) -> str:
    """The technical notes: how it was computed, what was drawn, who says so."""
    options = spec.options
    if options.source is not None:
        ranges = options.source
    else:
        ranges = "; ".join(_organisations(spec)) or "radii as given"
    parts = [
        f"Geodesic distances on the WGS84 ellipsoid; {projection_text(frame)}.",
    ]
    if options.labels == "capitals":
        parts.append("Dots: every national capital on the map; current English names.")
    parts.append(f"Boundaries: Natural Earth. Ranges: {ranges.rstrip('.')}.")
    notes: list[str] = []
    drawn = {(layer.system, layer.claimant) for layer in spec.layers if layer.claimant}
    for layer in spec.layers:
        if not layer.note:
            continue
        note = layer.note.rstrip(".")
        prefix = f"{layer.system}: "
        if layer.system and note.startswith(prefix):
            # a catalog band's note: the system's other figures, each with its claimant;
            # those the map draws as bands of their own are not repeated
            figures = [
                f
                for f in note.removeprefix(prefix).split("; ")
                if not any(
                    f.startswith(f"{by} (") or f.startswith(f"{by}:")
                    for s, by in drawn
                    if s == layer.system
                )
            ]
            note = prefix + "; ".join(figures) if figures else ""
        else:
            note = f"{layer.label}: {note}"
        if note and note not in notes:
            notes.append(note)
    if notes:
        parts.append("Other published figures: " + " ".join(f"{n}." for n in notes))
    if options.minutes or options.flight_times:
        from rangeviz import flight

        parts.append(
            "Flight times: minimum-energy ballistic trajectory, "
            + flight.MODEL_NOTE[0].lower()
            + flight.MODEL_NOTE[1:].rstrip(".")
            + ", so a real flight takes somewhat longer."
        )
    if options.rotating_earth:
        from rangeviz.geometry import turns_with_the_earth

        turned = [layer.label for layer in spec.layers if turns_with_the_earth(layer)]
        kept = [layer.label for layer in spec.layers if not turns_with_the_earth(layer)]
        if turned:
            parts.append(
                f"Rotating Earth: {', '.join(turned)} drawn as ballistic footprints: for each "
                "direction the farthest impact of a missile with the burnout speed whose "
                "minimum-energy range on a still Earth is the band's radius, in vacuum, boost "
                "and re-entry not modelled."
                + (f" {', '.join(kept)}: circles (not ballistic)." if kept else "")
            )
    parts.extend(extra)
    return " ".join(parts)


def metadata(spec: MapSpec, headline: str, subject: str) -> dict[str, str]:
    """What a PDF or SVG file carries about itself: title, subject, the full references."""
    refs = []
    for layer in spec.layers:
        for src in layer.sources:
            if src.reference not in refs:
                refs.append(src.reference)
    return {
        "Title": headline,
        "Subject": subject,
        "Keywords": "; ".join(refs) if refs else "",
        "Creator": "rangeviz",
    }


_HINTING_SLACK = 0.97
# a stand-in for the space before a bracket while wrapping (a private-use character)
_GLUE = "\ue000"


def fit_lines(
    artist: Text, text: str, width_px: float, max_lines: int, rend: Any, min_scale: float = 0.7
) -> None:
    """Wrap a text to ``width_px``, in at most ``max_lines``, shrinking the type if need be.

    Never cuts the text: if it still needs more lines at the smallest size, it
    takes them. Lines are measured unhinted and kept 3 % short: matplotlib's
    default hinting, when a caller saves the figure with plain ``savefig``,
    sets long lines up to about 2.5 % wider at 100 dpi and above (below that,
    small type snaps to whole pixels and can run wider still).
    """
    size = float(artist.get_fontsize())
    width_px *= _HINTING_SLACK
    scales = [s for s in (1.0, 0.92, 0.85, 0.78) if s > min_scale] + [min_scale]
    for scale in scales:
        artist.set_fontsize(size * scale)
        chars = len(text)
        while chars > 10:
            # never between a name and its bracket: "Iskander-M (SS-26)" stays on one line
            glued = text.replace(" (", _GLUE + "(")
            lines = textwrap.wrap(glued, chars, break_on_hyphens=False)
            wrapped = "\n".join(lines).replace(_GLUE + "(", " (")
            artist.set_text(wrapped)
            if artist.get_window_extent(rend).width <= width_px:
                break
            chars = int(chars * 0.92)
        if artist.get_text().count("\n") + 1 <= max_lines:
            return


def room_above(ax: Axes) -> float:
    """Display units free above an Axes: to the page's top, or half the gap to the next
    Axes above it (whose small print takes the other half)."""
    fig: Figure = page(ax)
    box = ax.get_window_extent(renderer(fig))
    room = fig.bbox.height - box.y1
    for other in fig.axes:
        if other is ax or other.get_gid() == "globe":
            continue
        b = other.get_window_extent(renderer(fig))
        if b.y0 >= box.y1 - 1 and b.x0 < box.x1 and b.x1 > box.x0:
            room = min(room, (b.y0 - box.y1) / 2)
    return float(room)


def room_below(ax: Axes) -> float:
    """Display units free below an Axes: to the page's foot, or half the gap to the next
    Axes below it (whose title takes the other half)."""
    fig: Figure = page(ax)
    box = ax.get_window_extent(renderer(fig))
    room = box.y0
    for other in fig.axes:
        if other is ax or other.get_gid() == "globe":
            continue
        b = other.get_window_extent(renderer(fig))
        if b.y1 <= box.y0 + 1 and b.x0 < box.x1 and b.x1 > box.x0:
            room = min(room, (box.y0 - b.y1) / 2)
    return float(room)


def above_axes(ax: Axes, headline: str, sub: str) -> None:
    """Headline and standfirst above a caller's Axes, shrunk to the room there is."""
    fig: Figure = page(ax)
    rend = renderer(fig)
    pos = ax.get_position()
    width_px = pos.width * fig.bbox.width
    room_pt = room_above(ax) * 72.0 / fig.dpi - 4.0
    for shrink in (1.0, 0.85, 0.7, 0.6, 0.5):
        for artist in [t for t in ax.texts if t.get_gid() in ("title", "subtitle")]:
            artist.remove()
        offset = 6.0 * shrink
        for text, text_style, gid in (
            (sub, style.STANDFIRST, "subtitle"),
            (headline, style.HEADLINE, "title"),
        ):
            if not text:
                continue
            sized = style.sized(fig, text_style, shrink)
            artist = ax.annotate(
                text,
                (0, 1),
                xycoords="axes fraction",
                xytext=(0, offset),
                textcoords="offset points",
                ha="left",
                va="bottom",
                gid=gid,
                annotation_clip=False,
                parse_math=False,
                **sized,
            )
            fit_lines(artist, text, width_px, 2, rend)
            offset += artist.get_window_extent(rend).height * 72.0 / fig.dpi + 3.0 * shrink
        if offset <= room_pt:
            return
    # no room for both (a grid of maps): the headline alone, else nothing over the map above
    for artist in [t for t in ax.texts if t.get_gid() == "subtitle"]:
        artist.remove()
    for artist in [t for t in ax.texts if t.get_gid() == "title"]:
        artist.set_position((0, 3.0))
        if artist.get_window_extent(rend).height * 72.0 / fig.dpi + 3.0 > room_pt:
            artist.remove()
