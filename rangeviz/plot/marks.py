"""What is drawn on the map after the bands: markers, names, ring radii, notes.

In priority order, so nothing important is covered: site markers; capitals'
dots; highlighted places; site names (numbered, with a key in the small print,
when they do not all fit); ring radii along the rings; edge notes for what
the crop leaves out and a callout for the places too close; then the names of
highlighted places and capitals -- must-name ones first, nearest a band edge
first. What finds no room is said in a corner note (and warned about).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import shapely

from rangeviz._text import Listing, join_names, km
from rangeviz.plot import labels, layout, notes, style

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from rangeviz.geometry import MapGeometry
    from rangeviz.maps import MapFrame
    from rangeviz.model import MapSpec, Site
    from rangeviz.plot.capitals import Capitals

__all__ = ["draw_places", "site_key"]


def draw_places(
    ax: Axes,
    placer: labels.Placer,
    frame: MapFrame,
    spec: MapSpec,
    geometry: MapGeometry,
    caps: Capitals,
    drawn: dict[int, Any],
    rings: list[tuple[float, Any]],
    extra: list[str],
    globe: bool = False,
) -> None:
    options = spec.options
    # markers first: no label may cover one
    missing = notes.off_map_arrows(ax, placer, frame, spec.points)
    shown_sites = tuple(s for s in spec.sites if s not in missing)
    shown_targets = tuple(s for s in spec.targets if s not in missing)
    _markers(ax, placer, frame, shown_sites, style.SITE_STYLE, "sites")
    _markers(ax, placer, frame, shown_targets, style.TARGET_STYLE, "targets")
    cx, cy = frame.project_points(caps.lon, caps.lat)
    in_view = frame.contains_xy(cx, cy)
    capitals: list[labels.Place] = []
    if options.labels == "capitals":
        # a capital the user highlights is drawn once, as a highlighted place
        plon = np.array([p.lon for p in spec.places])
        plat = np.array([p.lat for p in spec.places])
        for i in np.flatnonzero(in_view):
            if plon.size and (np.hypot(plon - caps.lon[i], plat - caps.lat[i]) < 0.05).any():
                continue
            status = int(caps.status[i])
            name = str(caps.names[i])
            if options.distances and status <= 1:
                d = float(caps.distance[i])
                name = labels.distance_text(name, d, _minutes(d) if options.flight_times else None)
            capitals.append(
                labels.Place(
                    name,
                    float(cx[i]),
                    float(cy[i]),
                    2 if status <= 1 else 3,
                    style.STATUS_COLOURS[status],
                    status,
                    hollow=status == 1,
                    # too close first, then by prominence: Vienna before Vaduz
                    rank=float(caps.importance[i]) - (1e6 if status == 1 else 0.0),
                )
            )
        labels.draw_dots(ax, placer, capitals, 6.5)
        capitals = _one_label_per_spot(capitals, 0.15 if frame.crs.is_geographic else 15_000.0)
    # highlighted places: always named, with their distance
    highlighted = _highlighted(ax, placer, frame, spec, geometry)
    # launch sites: named -- or numbered, with their names in a key, when there are
    # many or their names do not all fit -- and never overprinted
    points = (*shown_sites, *shown_targets)
    must_named = [p for p in capitals if p.tier <= 2]
    saved = placer.snapshot()
    unnamed = _site_labels(
        ax, placer, frame, spec, points, len(points) > labels.ALWAYS_NAMED, must_named
    )
    if unnamed and len(points) <= labels.ALWAYS_NAMED:
        for text in [t for t in ax.texts if t.get_gid() in ("site-label", "target-label")]:
            text.remove()
        placer.restore(saved)
        unnamed = _site_labels(ax, placer, frame, spec, points, True, must_named)
    if len(points) > labels.ALWAYS_NAMED or any(
        t.get_text().isdigit() for t in ax.texts if t.get_gid() == "site-label"
    ):
        extra.extend(site_key(spec, points, always=True))
        if unnamed:  # the key names them all; say which numbers the map lacks
            extra.append(f"(No room on the map for {', '.join(p.name for p in unnamed)}.)")
        unnamed = []
    # ring radii along the rings
    _ring_labels(ax, placer, frame, spec, drawn, rings)
    # what the crop leaves out
    extra.extend(_edges(ax, placer, frame, spec, geometry, caps, in_view, cx, cy, globe))
    unnamed += labels.place_labels(ax, placer, highlighted, offset_pt=7.0)
    # capitals too close and in band, by prominence; the callout; then the others
    capitals.sort(key=lambda p: (p.tier, p.rank))
    # each label keeps clear of the spots the other must-name capitals need
    placer.avoid = ax.transData.transform([(p.x, p.y) for p in capitals if p.tier <= 2])
    unnamed += labels.place_labels(ax, placer, [p for p in capitals if p.tier <= 2], offset_pt=6.0)
    _callouts(ax, placer, frame, spec, geometry, caps)
    labels.place_labels(ax, placer, [p for p in capitals if p.tier > 2], offset_pt=6.0)
    if unnamed:
        names = [p.name for p in unnamed]
        labels.warn_unnamed(names, "places the map is about")
        note = f"Also on the map, unnamed: {join_names(names, most=len(names))}"
        if len(names) > 8 or notes.corner_note(ax, placer, note) is None:
            # in the small print; if even that has no room, it names fewer and counts the rest
            extra.append(Listing("Also on the map, unnamed", names))


def _one_label_per_spot(places: list[labels.Place], near: float) -> list[labels.Place]:
    """Capitals a few km apart share one label by the more prominent: "Rome, Vatican City"."""
    import dataclasses

    order = sorted(places, key=lambda p: p.rank)
    out: list[labels.Place] = []
    for p in order:
        host = next((q for q in out if np.hypot(q.x - p.x, q.y - p.y) < near), None)
        if host is None:
            out.append(p)
        else:
            merged = dataclasses.replace(host, name=f"{host.name}, {p.name}")
            out[out.index(host)] = merged
    return out


def site_key(spec: MapSpec, points: tuple[Site, ...], always: bool = False) -> list[str]:
    """The key to numbered sites for the small print (none while they are few)."""
    if not points or (len(points) <= labels.ALWAYS_NAMED and not always):
        return []
    named = "; ".join(f"{n} {spec.options.renamed(s.name)}" for n, s in enumerate(points, 1))
    return [f"Sites: {named}."]


def _site_labels(
    ax: Axes,
    placer: labels.Placer,
    frame: MapFrame,
    spec: MapSpec,
    points: tuple[Site, ...],
    numbered: bool,
    avoid: list[labels.Place],
) -> list[labels.Place]:
    """Name (or number) the launch sites and targets; returns those with no room."""
    fig = layout.page(ax)
    text_style = {**style.SITE_LABEL, "fontsize": 9.5} if numbered else style.SITE_LABEL
    sites = [
        labels.Place(
            str(n) if numbered else spec.options.renamed(s.name),
            *_xy(frame, s),
            0,
            style.TEXT,
            text_style=style.sized(fig, text_style),
            gid="target-label" if s in spec.targets else "site-label",
        )
        for n, s in enumerate(points, start=1)
    ]
    unnamed = labels.place_labels(
        ax, placer, sites, offset_pt=4.0 if numbered else 8.0, avoid=avoid
    )
    placer.avoid = None
    return unnamed


def _xy(frame: MapFrame, site: Site) -> tuple[float, float]:
    x, y = frame.project_points([site.lon], [site.lat])
    return float(x[0]), float(y[0])


def _markers(
    ax: Axes,
    placer: labels.Placer,
    frame: MapFrame,
    sites: tuple[Site, ...],
    marker: dict[str, Any],
    gid: str,
) -> None:
    if not sites:
        return
    fig = layout.page(ax)
    x, y = frame.project_points([s.lon for s in sites], [s.lat for s in sites])
    sized = style.sized(fig, marker)
    ax.plot(x, y, linestyle="none", zorder=10, gid=gid, **sized)
    half = sized["markersize"] * fig.dpi / 72.0 * 0.6
    for xi, yi in zip(x, y, strict=True):
        px, py = ax.transData.transform((xi, yi))
        placer.add((px - half, py - half, px + half, py + half))


def _highlighted(
    ax: Axes, placer: labels.Placer, frame: MapFrame, spec: MapSpec, geometry: MapGeometry
) -> list[labels.Place]:
    if not spec.places:
        return []
    fig = layout.page(ax)
    lon = np.array([p.lon for p in spec.places])
    lat = np.array([p.lat for p in spec.places])
    status = geometry.statuses(lon, lat)
    distance = np.min([g.distances_km(lon, lat).min(axis=1) for g in geometry.layers], axis=0)
    x, y = frame.project_points(lon, lat)
    shown = frame.contains_xy(x, y)
    out = []
    for i, site in enumerate(spec.places):
        if not shown[i]:
            continue
        colour = style.STATUS_COLOURS[int(status[i])]
        out.append(
            labels.Place(
                labels.distance_text(
                    spec.options.renamed(site.name),
                    float(distance[i]),
                    _minutes(float(distance[i])) if spec.options.flight_times else None,
                ),
                float(x[i]),
                float(y[i]),
                1,
                colour,
                int(status[i]),
                hollow=status[i] == 1,
                text_style={**style.sized(fig, style.PLACE), "fontweight": "bold"},
            )
        )
    labels.draw_dots(ax, placer, out, 8.0)
    return out


def _ring_labels(
    ax: Axes,
    placer: labels.Placer,
    frame: MapFrame,
    spec: MapSpec,
    drawn: dict[int, Any],
    rings: list[tuple[float, Any]],
) -> None:
    fig = layout.page(ax)
    labelled: set[tuple[float, tuple[tuple[float, float], ...]]] = set()
    # an edge two bands share is labelled once, in the text colour: it is neither's alone
    edges: dict[tuple[float, tuple[tuple[float, float], ...]], int] = {}
    for i in drawn:
        where = tuple(sorted(s.key for s in spec.layers[i].sites or ()))
        for radius, lines in drawn[i].outlines:
            if not lines.is_empty:
                edges[(radius, where)] = edges.get((radius, where), 0) + 1
    for i in sorted(drawn, key=lambda i: -spec.layers[i].outer_km):
        layer = spec.layers[i]
        sites = layer.sites or ()
        centre = _centre(ax, frame, sites[0]) if sites else None
        where = tuple(sorted(s.key for s in sites))
        for radius, lines in drawn[i].outlines:
            if lines.is_empty or (radius, where) in labelled:
                continue
            # the outer edge at the lower left (the Atlantic on a Europe map), the inner below
            bearing = -140.0 if radius == layer.outer_km else -90.0
            if (
                labels.label_one_ring(
                    ax,
                    lines,
                    f"{km(radius)} km",
                    style.TEXT if edges.get((radius, where), 0) > 1 else layer.color or style.TEXT,
                    centre,
                    placer,
                    text_style=style.sized(fig, style.RING_LABEL),
                    bearing=bearing,
                )
                is not None
            ):
                labelled.add((radius, where))
    if rings and spec.sites:
        centre = _centre(ax, frame, spec.sites[0])
        for radius, lines in rings:
            minutes = radius < 0  # an isochrone (see draw)
            labels.label_one_ring(
                ax,
                lines,
                f"{-radius:g} min" if minutes else f"{km(radius)} km",
                style.ISOCHRONE if minutes else style.MUTED,
                centre,
                placer,
                text_style=style.sized(fig, {"fontsize": 10.5 if minutes else 9.5}),
                bearing=40.0 if minutes else -60.0,
                gid="isochrone-label" if minutes else "distance-label",
            )


def _minutes(d_km: float) -> float | None:
    """Minimum-energy ballistic flight time over ``d_km`` (None for a place at the site)."""
    from rangeviz import flight

    return float(flight.ballistic(d_km).time_min) if d_km > 1.0 else None


def _centre(ax: Axes, frame: MapFrame, site: Site) -> Any:
    sx, sy = frame.project_points([site.lon], [site.lat])
    return ax.transData.transform((sx[0], sy[0])) if np.isfinite(sx[0]) else None


def _edges(
    ax: Axes,
    placer: labels.Placer,
    frame: MapFrame,
    spec: MapSpec,
    geometry: MapGeometry,
    caps: Capitals,
    in_view: np.ndarray,
    cx: np.ndarray,
    cy: np.ndarray,
    globe: bool,
) -> list[str]:
    """Notes at the edges for the places in range beyond the map (nearest first) and a
    pole the band holds; returns, for the small print, what the notes could not hold."""
    beyond: dict[str, list[str]] = {}
    out = (caps.status <= 1) & ~in_view
    sides = notes.side_of(frame, cx, cy)
    for i in np.flatnonzero(out)[np.argsort(caps.distance[out])]:
        if sides[i]:
            beyond.setdefault(str(sides[i]), []).append(str(caps.names[i]))
    pole = ""
    for name, lat in (("N", 90.0), ("S", -90.0)):
        holds = any(g.union.intersects(shapely.Point(0.0, lat)) for g in geometry.layers)
        if holds and not _pole_shown(frame, lat):
            pole = name
    if not (beyond or pole):
        return []
    launch = [layer for layer in spec.layers if layer.role == "launch site"]
    reach = f"{km(max(layer.outer_km for layer in (launch or spec.layers)))} km"
    unplaced = notes.edge_notes(
        ax, placer, frame, beyond=beyond, reach_text=reach, pole=pole, globe=globe
    )
    # the notes name six a side; the small print names them all
    if unplaced or any(len(names) > notes.NAMED_PER_SIDE for names in beyond.values()):
        everyone = [n for names in beyond.values() for n in names]
        if everyone:
            listed = join_names(everyone, most=len(everyone)).rstrip(".")
            return [f"In range beyond the map: {listed}."]
    return []


def _callouts(
    ax: Axes,
    placer: labels.Placer,
    frame: MapFrame,
    spec: MapSpec,
    geometry: MapGeometry,
    caps: Capitals,
) -> None:
    """A callout naming the capitals closer than a band's inner radius (one site, inner > 0)."""
    for i, layer in enumerate(spec.layers):
        sites = layer.sites or ()
        if layer.inner_km <= 0 or len(sites) != 1 or layer.role != "launch site":
            continue
        geo = geometry.layers[i]
        d = geo.distances_km(caps.lon, caps.lat)[:, 0]
        close = np.flatnonzero(d < layer.inner_km)
        if close.size == 0:
            continue
        names = [str(caps.names[j]) for j in close[np.argsort(d[close])]]
        limit = ", inside the treaty's lower limit" if layer.is_inf else ""
        listed = join_names(names, most=len(names))
        text = f"Closer than {km(layer.inner_km)} km{limit}: {listed}"
        centre = _centre(ax, frame, sites[0])
        if centre is None:
            continue
        ring_pt = _ring_point(frame, sites[0], layer.inner_km)
        if ring_pt is None:
            continue
        radius_px = float(np.hypot(*(ax.transData.transform(ring_pt) - centre)))
        notes.callout(
            ax, placer, text, (float(centre[0]), float(centre[1])), radius_px, style.TOO_CLOSE
        )


def _pole_shown(frame: MapFrame, lat: float) -> bool:
    """Whether the map shows a pole: a point or, as on Robinson's map, a line along an edge."""
    lon = np.arange(-180.0, 180.0, 15.0)
    x, y = frame.project_points(lon, np.full(lon.size, np.copysign(89.5, lat)))
    return bool(frame.contains_xy(x, y).any())


def _ring_point(frame: MapFrame, site: Site, radius_km: float) -> tuple[float, float] | None:
    from pyproj import Geod

    lon, lat, _ = Geod(ellps="WGS84").fwd(site.lon, site.lat, 90.0, radius_km * 1000.0)
    x, y = frame.project_points([lon], [lat])
    return (float(x[0]), float(y[0])) if np.isfinite(x[0]) else None
