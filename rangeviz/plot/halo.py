"""Labels with a white halo that stay text: editable in an SVG or PDF.

matplotlib draws a text with path effects as outlines, so a label with a
halo would reach a graphics editor as a shape nobody can retype. Here the
halo is drawn first, as an outline of its own (SVG group ``<gid>-halo``), and
the label over it as plain text -- the only part an editor needs to change.

matplotlib is imported on first use, like everywhere in :mod:`rangeviz.plot`.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.text import Annotation, Text

__all__ = ["annotate", "text"]


@functools.cache
def _classes() -> tuple[type[Text], type[Annotation]]:
    from matplotlib import patheffects
    from matplotlib.text import Annotation, Text

    class HaloRenderer(patheffects.PathEffectRenderer):
        """Draws only the halo's stroke, in a group of its own."""

        def __init__(self, path_effects: Any, renderer: Any) -> None:
            super().__init__(path_effects, renderer)
            # what matplotlib's draw wrapper asks of a renderer (labels are never rasterized)
            self._rasterizing = False
            self._raster_depth = 0

        def open_group(self, s: str, gid: str | None = None) -> None:
            self._renderer.open_group(s, f"{gid}-halo" if gid else None)

    def draw_halo(artist: Text, renderer: Any, width: float) -> None:
        stroke = [patheffects.Stroke(linewidth=width, foreground="white")]
        Text.draw(artist, HaloRenderer(stroke, renderer))

    class HaloText(Text):
        """A Text drawn over a white halo."""

        halo_width = 3.0

        def draw(self, renderer: Any) -> None:
            if renderer is not None and self.get_visible() and self.get_text():
                draw_halo(self, renderer, self.halo_width)
            super().draw(renderer)

    class HaloAnnotation(Annotation):
        """An Annotation (a label with an offset or a leader) over a white halo."""

        halo_width = 3.0

        def draw(self, renderer: Any) -> None:
            if (
                renderer is not None
                and self.get_visible()
                and self.get_text()
                and self._check_xy(renderer)  # type: ignore[attr-defined]
            ):
                self.update_positions(renderer)
                draw_halo(self, renderer, self.halo_width)
            super().draw(renderer)

    return HaloText, HaloAnnotation


def text(ax: Axes, x: float, y: float, s: str, *, halo: float = 3.0, **kwargs: Any) -> Text:
    """Like :meth:`Axes.text`, over a halo ``halo`` points wide."""
    cls, _ = _classes()
    artist = cls(x, y, s, **{"transform": ax.transData, "clip_on": False, **kwargs})
    artist.halo_width = halo  # type: ignore[attr-defined]
    ax.add_artist(artist)
    artist.set_clip_path(None)
    return artist


def annotate(
    ax: Axes, s: str, xy: tuple[float, float], *, halo: float = 3.0, **kwargs: Any
) -> Annotation:
    """Like :meth:`Axes.annotate`, over a halo ``halo`` points wide."""
    from matplotlib.transforms import IdentityTransform

    _, cls = _classes()
    artist = cls(s, xy, **kwargs)
    artist.set_transform(IdentityTransform())
    artist.halo_width = halo  # type: ignore[attr-defined]
    ax.add_artist(artist)
    artist.set_clip_path(None)
    return artist
