"""The same map as one offline, interactive HTML file.

:func:`to_html` writes a map -- a :class:`~rangeviz.Scenario` or a resolved
:class:`~rangeviz.model.MapSpec` -- as a single HTML file that opens by
double-click in any current browser and needs no network: BokehJS, the
styles and every map layer are inside the file. It is the static map's
figure, built from the same model and geometry (the frame, the bundled
layers, the bands, the capitals and their statuses, the key and the sources),
drawn by Bokeh in the map's own projected coordinates, so a polar cap or an
azimuthal world map shows as it does on paper.

The rooms:

=========================  ==================================================
:mod:`~.html.scene`        what the map shows, from model and geometry
:mod:`~.html.figure`       the scene as a Bokeh plot: glyphs, hover, key
``declutter.js``           labels that fit, again after every zoom
:mod:`~.html.page`         the page around it, BokehJS inline
=========================  ==================================================
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from rangeviz import _checks
from rangeviz._io import check_path, check_suffix, write_text
from rangeviz.errors import InputError

__all__ = ["FORMATS", "render_html", "to_html"]

#: Output extension -> format.
FORMATS = {".html": "html"}


def _resolve(source: Any, geometry: Any) -> tuple[Any, Any]:
    """A (MapSpec, MapGeometry) pair from a Scenario or a MapSpec."""
    from rangeviz.geometry import MapGeometry
    from rangeviz.model import MapSpec

    spec = getattr(source, "spec", source)
    if not isinstance(spec, MapSpec):
        raise InputError(
            f"map {_checks.show(source)} must be a rangeviz Scenario or MapSpec; "
            "e.g. rangeviz.Scenario(['Kaliningrad'])"
        )
    if geometry is None:
        geometry = getattr(source, "geometry", None)
    if not isinstance(geometry, MapGeometry) or geometry.spec is not spec:
        geometry = MapGeometry(spec)
    return spec, geometry


def render_html(source: Any, *, geometry: Any = None) -> str:
    """Render a map as the text of one self-contained HTML page.

    Parameters
    ----------
    source : Scenario or MapSpec
        The map: a :class:`~rangeviz.Scenario` (its options decide, as for
        :meth:`~rangeviz.Scenario.save`) or a resolved
        :class:`~rangeviz.model.MapSpec`.
    geometry : MapGeometry, optional
        The map's geometry, if already computed.

    Returns
    -------
    str
        The page, BokehJS and all data inline.

    Raises
    ------
    InputError
        If ``source`` is neither, or a site lies beyond what the projection
        can show.

    Examples
    --------
    >>> from rangeviz import Scenario
    >>> page = render_html(Scenario(["Base=54.71,20.51"], ranges=[(0, 300)]))
    >>> page.startswith("<!DOCTYPE html>"), "https://cdn" in page.split("<script")[0]
    (True, False)
    """
    from rangeviz import __version__
    from rangeviz.html.figure import make_document
    from rangeviz.html.page import page_html
    from rangeviz.html.scene import build_scene

    spec, geometry = _resolve(source, geometry)
    scene = build_scene(spec, geometry)
    return page_html(scene, make_document(scene), __version__)


def to_html(source: Any, path: str | os.PathLike[str], *, geometry: Any = None) -> Path:
    """Write a map as one self-contained, interactive HTML file, atomically.

    The file holds everything it shows -- BokehJS, styles, the basemap, the
    bands -- and loads nothing when opened: it works offline, by
    double-click. Wheel zoom and drag pan are on, with a reset; hovering a
    capital gives its country, its distance to the nearest site and its
    status; hovering a band gives its system, range, claimant and source;
    clicking a key entry hides that band or those places.

    Parameters
    ----------
    source : Scenario or MapSpec
        The map (see :func:`render_html`).
    path : path-like
        Ends in ``.html``. A symlink is written through.
    geometry : MapGeometry, optional
        The map's geometry, if already computed.

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    InputError
        If ``path`` has another extension, or ``source`` is not a map.
    OutputError
        If the file cannot be written (a missing folder, a full disk...): the
        old file is left as it was.

    Examples
    --------
    >>> from rangeviz import Scenario
    >>> to_html(Scenario(["Kaliningrad"]), "kaliningrad.html")  # doctest: +SKIP
    PosixPath('kaliningrad.html')
    """
    check_suffix(path, FORMATS, "web page")  # fail before the work
    check_path(path)
    return write_text(path, render_html(source, geometry=geometry))
