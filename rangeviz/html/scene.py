"""What an interactive map shows, worked out from the model and its geometry (no Bokeh here).

A :class:`Scene` is the static map's content in the map's own projected
coordinates, ready for any renderer: the same frame
(:func:`rangeviz.maps.make_frame`, with the options the static map uses),
the same bundled layers projected and simplified by
:func:`rangeviz.plot.basemap.projected_layer`, the same band fills and
visible rings (:class:`rangeviz.geometry.MapGeometry`), the same capitals
and statuses (:func:`rangeviz.plot.capitals.capitals`), the same colours
(:mod:`rangeviz.plot.style`) and the same words (:mod:`rangeviz.plot.titles`).

It differs from the page in one respect, on purpose: a reader can pan, so the
scene holds every band whole (the fitted, uncropped frame) and opens on the
static map's view -- the crop the page would print.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely

from rangeviz import flight, geodesic, maps
from rangeviz._text import coord_label, join_names, km
from rangeviz.plot import basemap, capitals, key, labels, style, titles
from rangeviz.plot.bands import site_rings

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

    from rangeviz.geometry import MapGeometry
    from rangeviz.maps import MapFrame
    from rangeviz.model import MapSpec, Site

__all__ = ["BandScene", "PlaceTable", "Scene", "build_scene"]

#: The map's width on screen (CSS pixels) at which it opens.
WIDTH_PX = 1100
#: Layers are simplified to half a pixel at this much zoom beyond the opening view.
ZOOM_DETAIL = 2.0


@dataclass
class BandScene:
    """One band as drawn: its fill, its visible rings, and what its hover says."""

    label: str  # as the key writes it
    system: str
    range_text: str
    claimant: str
    source: str
    sites: str
    colour: str
    fill_colour: str
    fill_alpha: float
    linestyle: str
    fill: BaseGeometry  # projected
    outlines: list[tuple[float, BaseGeometry]]  # (radius_km, projected lines)
    ring_labels: dict[str, list[Any]]  # x, y, angle, label, group: spots for the radii


@dataclass
class PlaceTable:
    """Places with a dot (capitals, highlighted places) or a marker (sites, targets)."""

    name: list[str] = field(default_factory=list)
    label: list[str] = field(default_factory=list)  # what the map writes beside it ("" none)
    country: list[str] = field(default_factory=list)
    lon: list[float] = field(default_factory=list)
    lat: list[float] = field(default_factory=list)
    x: list[float] = field(default_factory=list)
    y: list[float] = field(default_factory=list)
    distance: list[str] = field(default_factory=list)  # "530 km from Kaliningrad"
    distance_km: list[float] = field(default_factory=list)
    status: list[int] = field(default_factory=list)  # index into STATUSES, -1 for sites
    kind: list[str] = field(default_factory=list)  # capital, place, launch site, target
    priority: list[float] = field(default_factory=list)  # lower is named first

    def rows(self, mask: np.ndarray) -> dict[str, list[Any]]:
        """The columns for the rows in ``mask``."""
        idx = np.flatnonzero(mask)
        return {k: [v[i] for i in idx] for k, v in vars(self).items()}


@dataclass
class Scene:
    """Everything an interactive map draws, in the map's projected coordinates."""

    frame: MapFrame  # what the data cover: every band whole
    view: tuple[float, float, float, float]  # the bounds the map opens on
    width_px: int
    height_px: int
    headline: str
    standfirst: str
    small_print: str
    references: list[str]
    layers: dict[str, np.ndarray]  # projected basemap layers by name
    bands: list[BandScene]
    places: PlaceTable  # capitals and highlighted places
    sites: PlaceTable  # launch sites and targets
    rings: list[tuple[float, BaseGeometry]]  # distance rings (radius, projected lines)
    isochrones: list[tuple[float, BaseGeometry]]  # (minutes, projected lines)
    isochrone_labels: dict[str, list[Any]]  # spots for "10 min", as ring_labels
    radials: BaseGeometry | None
    statuses: list[tuple[int, str]]  # the key's capital entries: (status, words)
    pixel: float  # projected units per CSS pixel in the opening view


def build_scene(spec: MapSpec, geometry: MapGeometry, *, width_px: int = WIDTH_PX) -> Scene:
    """Work out the interactive map of a resolved map and its geometry.

    Raises
    ------
    InputError
        If a site lies beyond what the projection can show (as for the static map).
    """
    options = spec.options
    caps = capitals.capitals(geometry)
    w_in, h_in = options.inches
    height_px = round(width_px * h_in / w_in)
    view, frame = _frames(spec, geometry, caps, width_px / height_px)
    pixel = (view.bounds[2] - view.bounds[0]) / width_px
    simplify = pixel / ZOOM_DETAIL * 0.5
    findings = capitals.findings(spec, caps)
    headline = spec.title
    statuses = sorted(set(np.unique(caps.status).tolist()))
    places = _places(spec, geometry, caps, frame)
    isochrones = _isochrones(spec, frame) if options.minutes and spec.sites else []
    return Scene(
        frame=frame,
        view=view.bounds,
        width_px=width_px,
        height_px=height_px,
        headline=headline,
        standfirst=titles.standfirst(spec, findings),
        small_print=titles.small_print(spec, view),
        references=_references(spec),
        layers=_layers(spec, geometry, frame, simplify),
        bands=[_band(spec, geo, frame, pixel) for geo in geometry.layers],
        places=places,
        sites=_sites(spec, geometry, frame),
        rings=_rings(spec, frame) if options.rings_km else [],
        isochrones=[(m, lines) for m, _, lines in isochrones],
        isochrone_labels=_ring_spots(
            spec.sites,
            [(r, lines) for _, r, lines in isochrones],
            frame,
            pixel,
            texts=[f"{m:g} min" for m, _, _ in isochrones],
        ),
        radials=_radials(spec, frame) if options.radials else None,
        statuses=[(s, _status_words(spec, s)) for s in statuses],
        pixel=pixel,
    )


# --------------------------------------------------------------------------
# the frame


def _frames(
    spec: MapSpec, geometry: MapGeometry, caps: capitals.Capitals, aspect: float
) -> tuple[MapFrame, MapFrame]:
    """The static map's frame (the opening view) and the frame holding every band whole."""
    options = spec.options
    must = caps.status <= 1
    focus = [(p.lon, p.lat) for p in spec.places]
    focus += list(zip(caps.lon[must], caps.lat[must], strict=True))
    common: dict[str, Any] = {
        "sites": [(s.lon, s.lat) for s in spec.points],
        "fit": [g.union for g in geometry.layers],
        "aspect": aspect,
        "focus": focus,
        "reach_km": spec.reach_km,
    }
    view = maps.make_frame(options.projection, extent=options.extent, crop=True, **common)
    if options.extent is None:
        maps.check_shown(view, spec.points)
    whole = maps.make_frame(options.projection, extent=None, crop=False, **common)
    x0, y0, x1, y1 = view.bounds
    a0, b0, a1, b1 = whole.bounds
    if whole.crs != view.crs or not (a0 <= x0 and b0 <= y0 and x1 <= a1 and y1 <= b1):
        return view, view  # an extent wider than the bands: the page's frame holds it all
    return view, whole


# --------------------------------------------------------------------------
# basemap and bands


def _layers(
    spec: MapSpec, geometry: MapGeometry, frame: MapFrame, simplify: float
) -> dict[str, np.ndarray]:
    scale = basemap.scale_for(frame)
    border_scale = "50m" if scale == "110m" else scale
    lakes = basemap.projected_layer("lakes", scale, frame, simplify)
    coast = basemap.projected_layer("coastline", scale, frame, simplify)
    out = {
        "sea": np.array([frame.region], dtype=object),
        "land": basemap.projected_layer("land", scale, frame, simplify),
        "lakes": lakes,
        "borders": basemap.projected_layer("borders", border_scale, frame, simplify),
        "coastline": np.concatenate((coast, shapely.boundary(lakes))) if lakes.size else coast,
    }
    if spec.options.graticule:
        out["graticule"] = np.array([frame.graticule()[1]], dtype=object)
    if spec.options.highlight == "countries":
        out.update(basemap.countries_in_reach(frame, scale, simplify, geometry.reach))
    return out


def _band(spec: MapSpec, geo: Any, frame: MapFrame, pixel: float) -> BandScene:
    layer = geo.layer
    colour = layer.color or style.TEXT
    fill_colour, alpha = key.band_fill(spec, colour)
    shared = sum(key.band_fill(spec, g.color or style.TEXT)[0] == fill_colour for g in spec.layers)
    if shared > 1:
        # one tint per band, so each can be hidden; where all overlap, the static map's tint
        alpha = 1.0 - (1.0 - alpha) ** (1.0 / shared)
    tol = geo.tolerance_km
    outlines = [(r, frame.project_lines(lines, tolerance_km=tol)) for r, lines in geo.outlines]
    outlines = [(r, lines) for r, lines in outlines if not lines.is_empty]
    sources = "; ".join(str(s) for s in layer.sources) or "radii as given"
    return BandScene(
        label=layer.legend_label,
        system=layer.system or layer.label,
        range_text=layer.range_words,
        claimant=layer.claimant or "—",
        source=sources,
        sites=join_names([s.name for s in geo.sites], most=6, noun="more sites"),
        colour=colour,
        fill_colour=fill_colour,
        fill_alpha=alpha,
        linestyle=layer.linestyle,
        fill=frame.project_fill(geo.union, tolerance_km=tol),
        outlines=outlines,
        ring_labels=_ring_spots(geo.sites, outlines, frame, pixel, rotating=geo.rotating),
    )


#: Where a radius is written along its ring, in order of preference (azimuths, degrees):
#: lower left first, as on the static map, then round the ring.
_RING_AZIMUTHS = (225, 315, 135, 45, 247.5, 202.5, 292.5, 337.5, 112.5, 157.5, 67.5, 22.5)


def _ring_spots(
    sites: tuple[Site, ...],
    outlines: list[tuple[float, BaseGeometry]],
    frame: MapFrame,
    pixel: float,
    *,
    texts: list[str] | None = None,
    rotating: bool = False,
) -> dict[str, list[Any]]:
    """Candidate spots for each ring's radius ("5,500 km"): on the visible ring, along it.

    ``texts`` replaces the radii as the words written (one per outline);
    ``rotating`` finds the ring at the rotating-Earth reach in each direction.
    The page writes one per ring, the first that fits the view (``declutter.js``).
    """
    spots: dict[str, list[Any]] = {"x": [], "y": [], "angle": [], "label": [], "group": []}
    for k, (radius, lines) in enumerate(outlines):
        if not np.isfinite(radius):
            continue
        text = f"{km(radius)} km" if texts is None else texts[k]
        shapely.prepare(lines)
        for site in sites[:4]:
            az = np.array(_RING_AZIMUTHS, dtype=float)
            n = az.size
            azimuths = np.concatenate((az, az - 0.5, az + 0.5))
            reach = np.full(3 * n, radius)
            if rotating and 0 < radius < geodesic.ANTIPODAL_KM:
                reach = flight.reach_by_azimuth(site.lat, range_km=radius)(azimuths)
            lon, lat, _ = maps.GEOD.fwd(
                np.full(3 * n, site.lon),
                np.full(3 * n, site.lat),
                azimuths,
                reach * 1000.0,
            )
            x, y = frame.project_points(lon, lat)
            for i in range(n):
                if not np.isfinite([x[i], y[i], x[n + i], x[2 * n + i]]).all():
                    continue
                if shapely.distance(lines, shapely.Point(x[i], y[i])) > pixel:
                    continue  # that part of the ring is inside another site's band
                dx, dy = x[2 * n + i] - x[n + i], y[2 * n + i] - y[n + i]
                angle = float(np.arctan2(dy, dx))
                if angle > np.pi / 2:  # never upside down
                    angle -= np.pi
                elif angle <= -np.pi / 2:
                    angle += np.pi
                spots["x"].append(float(x[i]))
                spots["y"].append(float(y[i]))
                spots["angle"].append(angle)
                spots["label"].append(text)
                spots["group"].append(text)
    return spots


def _references(spec: MapSpec) -> list[str]:
    refs: list[str] = []
    for layer in spec.layers:
        for src in layer.sources:
            if src.reference and src.reference not in refs:
                refs.append(src.reference)
    return refs


def _rings(spec: MapSpec, frame: MapFrame) -> list[tuple[float, BaseGeometry]]:
    """Thin rings every ``rings_km`` round each site, as the static map draws them."""
    step = float(spec.options.rings_km or 0.0)
    edges = {layer.inner_km for layer in spec.layers} | {layer.outer_km for layer in spec.layers}
    out = []
    for k in range(1, int(spec.reach_km // step) + 1):
        radius = k * step
        if radius >= geodesic.ANTIPODAL_KM or any(abs(radius - e) <= 1e-6 for e in edges):
            continue
        lines = site_rings(frame, spec.sites, radius)
        if not lines.is_empty:
            out.append((radius, lines))
    return out


def _isochrones(spec: MapSpec, frame: MapFrame) -> list[tuple[float, float, BaseGeometry]]:
    """``(minutes, range_km, projected lines)`` per isochrone, as the static map draws them."""
    minutes = spec.options.minutes
    radii = np.atleast_1d(flight.ballistic_range_km(np.asarray(minutes, dtype=float)))
    out = []
    for m, radius in zip(minutes, radii, strict=True):
        lines = site_rings(frame, spec.sites, float(radius))
        if not lines.is_empty:
            out.append((float(m), float(radius), lines))
    return out


def _radials(spec: MapSpec, frame: MapFrame) -> BaseGeometry:
    from rangeviz.plot.bands import split_at_seam

    count = int(spec.options.radials or 0)
    length = min(spec.reach_km, geodesic.ANTIPODAL_KM - 1.0) * 1000.0
    steps = np.linspace(0.0, length, 1000)
    parts: list[np.ndarray] = []
    for site in spec.sites:
        for az in np.arange(count) * 360.0 / count:
            n = steps.size
            lon, lat, _ = maps.GEOD.fwd(
                np.full(n, site.lon), np.full(n, site.lat), np.full(n, az), steps
            )
            parts.extend(split_at_seam(np.asarray(lon), np.asarray(lat)))
    return frame.project_lines(shapely.MultiLineString(parts), tolerance_km=1.0)


# --------------------------------------------------------------------------
# places


def _status_words(spec: MapSpec, status: int) -> str:
    """The key's words for a capital status, as the static key writes them."""
    inner = [layer.inner_km for layer in spec.layers if layer.inner_km > 0]
    where = "in the launch area" if spec.targets and not spec.sites else "in range"
    if status == 0:
        return f"Capital {where}"
    if status == 1:
        return f"Closer than {km(min(inner))} km" if inner else "Capital too close"
    return "Out of range"


def _nearest(geometry: MapGeometry, lon: np.ndarray, lat: np.ndarray) -> tuple[Any, list[str]]:
    """Exact distance (km) to the nearest site of any band, and that site's name."""
    sites = list({s.key: s for geo in geometry.layers for s in geo.sites}.values())
    if lon.size == 0:
        return np.zeros(0), []
    d = geodesic.distance_km(
        lon[:, None],
        lat[:, None],
        np.array([s.lon for s in sites])[None, :],
        np.array([s.lat for s in sites])[None, :],
    )
    d = np.asarray(d).reshape(lon.size, len(sites))
    which = np.argmin(d, axis=1)
    return d[np.arange(lon.size), which], [sites[i].name for i in which]


def _countries_of(lon: np.ndarray, lat: np.ndarray) -> list[str]:
    from rangeviz.places import places_table

    table, _ = places_table("capitals")
    by_spot = {
        (round(float(x), 4), round(float(y), 4)): str(c)
        for x, y, c in zip(table["lon"], table["lat"], table["country"], strict=True)
    }
    spots = zip(lon, lat, strict=True)
    return [by_spot.get((round(float(x), 4), round(float(y), 4)), "") for x, y in spots]


def _places(
    spec: MapSpec, geometry: MapGeometry, caps: capitals.Capitals, frame: MapFrame
) -> PlaceTable:
    """Every capital (a dot to hover; named with labels="capitals") and the highlighted places."""
    options = spec.options
    table = PlaceTable()
    plon = np.array([p.lon for p in spec.places], dtype=float)
    plat = np.array([p.lat for p in spec.places], dtype=float)
    keep = np.ones(caps.lon.size, dtype=bool)
    for x, y in zip(plon, plat, strict=True):  # a highlighted capital is drawn once
        keep &= np.hypot(caps.lon - x, caps.lat - y) >= 0.05
    lon = np.concatenate((plon, caps.lon[keep]))
    lat = np.concatenate((plat, caps.lat[keep]))
    names = [options.renamed(p.name) for p in spec.places] + [str(n) for n in caps.names[keep]]
    countries = [p.country for p in spec.places] + _countries_of(caps.lon[keep], caps.lat[keep])
    status = geometry.statuses(lon, lat) if lon.size else np.zeros(0, dtype=int)
    dist, nearest = _nearest(geometry, lon, lat)
    x, y = frame.project_points(lon, lat)
    shown = frame.contains_xy(x, y)
    n_high = plon.size
    rank = np.concatenate((np.zeros(n_high), caps.importance[keep]))
    for i in np.flatnonzero(shown):
        s = int(status[i])
        highlighted = i < n_high
        name = names[i]
        minutes = _minutes(float(dist[i])) if options.flight_times else None
        if highlighted or (options.labels == "capitals" and options.distances and s <= 1):
            label = labels.distance_text(name, float(dist[i]), minutes)
        elif options.labels == "capitals":
            label = name
        else:
            label = ""
        # named first: highlighted places, then too close, in band, out of range, by prominence
        tier = 0 if highlighted else (1 if s == 1 else 2 if s == 0 else 3)
        table.name.append(name)
        table.label.append(label)
        table.country.append(countries[i] or "—")
        table.lon.append(float(lon[i]))
        table.lat.append(float(lat[i]))
        table.x.append(float(x[i]))
        table.y.append(float(y[i]))
        table.distance_km.append(float(dist[i]))
        flown = "" if minutes is None else f" · {minutes:.1f} min ballistic"
        table.distance.append(f"{km(round(float(dist[i])))} km from {nearest[i]}{flown}")
        table.status.append(s)
        table.kind.append("place" if highlighted else "capital")
        table.priority.append(tier * 1000.0 + float(rank[i]))
    return table


def _minutes(d_km: float) -> float | None:
    """Minimum-energy ballistic flight time over ``d_km``, as the static labels give it."""
    return float(flight.ballistic(d_km).time_min) if d_km > 1.0 else None


def _sites(spec: MapSpec, geometry: MapGeometry, frame: MapFrame) -> PlaceTable:
    table = PlaceTable()
    points = spec.points
    x, y = frame.project_points([p.lon for p in points], [p.lat for p in points])
    for i, p in enumerate(points):
        if not (np.isfinite(x[i]) and np.isfinite(y[i])):
            continue
        target = p in spec.targets
        bands = [g.layer.legend_label for g in geometry.layers if p in g.sites]
        table.name.append(spec.options.renamed(p.name))
        table.label.append(spec.options.renamed(p.name))
        table.country.append(p.country or "—")
        table.lon.append(p.lon)
        table.lat.append(p.lat)
        table.x.append(float(x[i]))
        table.y.append(float(y[i]))
        table.distance.append(coord_label(p.lon, p.lat))
        table.distance_km.append(0.0)
        table.status.append(-1)
        table.kind.append(("Target: " if target else "Launch site: ") + "; ".join(bands))
        table.priority.append(-1000.0 + i)
    return table
