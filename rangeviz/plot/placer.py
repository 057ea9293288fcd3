"""Where text may go: the placer every label, note and marker of a map reserves room with.

Placed boxes are kept in a grid of cells, so a look-up costs about the number
of boxes near it, not all of them; leader lines are kept as chains of small
boxes. Text sizes are measured once per text, size and font, and shared by
every map a process draws.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely

from rangeviz.plot.layout import page, renderer

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.text import Text

    from rangeviz.maps import MapFrame

__all__ = ["Placer", "text_box"]


class _Grid:
    """Axis-aligned boxes in a uniform grid of cells: near O(1) overlap tests."""

    def __init__(self, cell: float = 64.0) -> None:
        self.cell = cell
        self.cells: dict[tuple[int, int], list[tuple[float, float, float, float]]] = defaultdict(
            list
        )

    def _keys(self, box: tuple[float, float, float, float]) -> list[tuple[int, int]]:
        x0, y0, x1, y1 = box
        c = self.cell
        return [
            (i, j)
            for i in range(math.floor(x0 / c), math.floor(x1 / c) + 1)
            for j in range(math.floor(y0 / c), math.floor(y1 / c) + 1)
        ]

    def add(self, box: tuple[float, float, float, float]) -> None:
        for key in self._keys(box):
            self.cells[key].append(box)

    def hits(self, box: tuple[float, float, float, float]) -> bool:
        x0, y0, x1, y1 = box
        for key in self._keys(box):
            for b in self.cells.get(key, ()):
                if x0 < b[2] and x1 > b[0] and y0 < b[3] and y1 > b[1]:
                    return True
        return False


class Placer:
    """Where text may go: inside the map's region and clear of what is placed."""

    def __init__(self, ax: Axes, frame: MapFrame) -> None:
        self.ax = ax
        self.renderer = renderer(page(ax))
        self.grid = _Grid()
        disp = ax.transData.transform(np.asarray(frame.region.exterior.coords))
        self.region = shapely.Polygon(disp).buffer(-3.0)
        shapely.prepare(self.region)
        self.avoid: np.ndarray | None = None  # display points a site label keeps clear of
        self.dots = np.zeros((0, 2))  # every dot on the map (display), for ambiguity

    def ambiguous(self, box: tuple[float, float, float, float], own: tuple[float, float]) -> bool:
        """Whether a label's box lies nearer another dot than its own (it would name it)."""
        if len(self.dots) == 0:
            return False
        x0, y0, x1, y1 = box
        dx = np.maximum(np.maximum(x0 - self.dots[:, 0], self.dots[:, 0] - x1), 0.0)
        dy = np.maximum(np.maximum(y0 - self.dots[:, 1], self.dots[:, 1] - y1), 0.0)
        gap = np.hypot(dx, dy)
        mine = np.hypot(self.dots[:, 0] - own[0], self.dots[:, 1] - own[1]) < 0.5
        if not (~mine).any():
            return False
        own_gap = float(
            np.hypot(max(x0 - own[0], own[0] - x1, 0.0), max(y0 - own[1], own[1] - y1, 0.0))
        )
        return bool(gap[~mine].min() < own_gap - 1.0)

    def crowding(
        self,
        box: tuple[float, float, float, float],
        margin: float = 12.0,
        skip: tuple[float, float] | None = None,
    ) -> int:
        """How many ``avoid`` points (but ``skip``) lie within ``margin`` of a box."""
        if self.avoid is None or len(self.avoid) == 0:
            return 0
        x, y = self.avoid[:, 0], self.avoid[:, 1]
        near = (x > box[0] - margin) & (x < box[2] + margin)
        near &= (y > box[1] - margin) & (y < box[3] + margin)
        if skip is not None:
            near &= (np.abs(x - skip[0]) > 0.5) | (np.abs(y - skip[1]) > 0.5)
        return int(near.sum())

    def fits(self, box: tuple[float, float, float, float], pad: float = 1.5) -> bool:
        """Whether a display box (padded) lies in the map and clear of all placed."""
        x0, y0, x1, y1 = box[0] - pad, box[1] - pad, box[2] + pad, box[3] + pad
        if not self.region.contains(shapely.box(x0, y0, x1, y1)):
            return False
        return not self.grid.hits((x0, y0, x1, y1))

    def snapshot(self) -> dict[tuple[int, int], list[tuple[float, float, float, float]]]:
        """What is placed now, to go back to (:meth:`restore`)."""
        return {k: list(v) for k, v in self.grid.cells.items()}

    def restore(
        self, saved: dict[tuple[int, int], list[tuple[float, float, float, float]]]
    ) -> None:
        """Forget what was placed since :meth:`snapshot`."""
        self.grid.cells = defaultdict(list, {k: list(v) for k, v in saved.items()})

    def add(self, box: Any) -> None:
        """Keep a box (a tuple or a matplotlib Bbox) clear from now on."""
        if hasattr(box, "x0"):
            box = (box.x0, box.y0, box.x1, box.y1)
        self.grid.add(tuple(float(v) for v in box))  # type: ignore[arg-type]

    def try_text(self, text: Text, pad: float = 1.5) -> bool:
        """Keep a text artist's box if it fits."""
        bbox = text.get_window_extent(self.renderer)
        box = (bbox.x0, bbox.y0, bbox.x1, bbox.y1)
        if self.fits(box, pad):
            self.add(box)
            return True
        return False

    def clear_line(
        self,
        a: tuple[float, float],
        b: tuple[float, float],
        start: float = 0.25,
        stop: float = 0.9,
    ) -> bool:
        """Whether a leader line from ``a`` to ``b`` (display) crosses nothing placed
        between the fractions ``start`` and ``stop`` of its length."""
        n = max(2, int(math.hypot(b[0] - a[0], b[1] - a[1]) / 3.0))
        for t in np.linspace(start, stop, n):
            x, y = a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])
            if self.grid.hits((x - 0.5, y - 0.5, x + 0.5, y + 0.5)):
                return False
        return True

    def add_line(self, a: tuple[float, float], b: tuple[float, float]) -> None:
        """Keep a leader line clear: no label may be set across it later."""
        n = max(2, int(math.hypot(b[0] - a[0], b[1] - a[1]) / 4.0))
        for t in np.linspace(0.0, 1.0, n):
            x, y = a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])
            self.add((x - 1.0, y - 1.0, x + 1.0, y + 1.0))

    def size(self, text: str, fontsize: float, weight: Any = "normal") -> tuple[float, float]:
        """Width and height (display units) of one line of text (measured once)."""
        from matplotlib import rcParams
        from matplotlib.font_manager import FontProperties

        key = (
            text,
            round(float(fontsize), 4),
            str(weight),
            tuple(rcParams["font.family"]),
            str(rcParams["text.hinting"]),
            float(self.renderer.dpi),
        )
        hit = _SIZES.get(key)
        if hit is not None:
            return hit
        prop = FontProperties(size=fontsize, weight=weight)
        w, _, _ = self.renderer.get_text_width_height_descent(text, prop, ismath=False)
        # a Text box is a whole line high, whatever its letters
        line = (key[1], key[2], key[3], key[4], key[5])
        h = _LINE_HEIGHTS.get(line)
        if h is None:
            _, h, _ = self.renderer.get_text_width_height_descent("lp|Åg", prop, ismath=False)
            _LINE_HEIGHTS[line] = float(h)
        out = (float(w) + 2.0, float(h) + 2.0)
        if len(_SIZES) > 20_000:
            _SIZES.clear()
        _SIZES[key] = out
        return out


# measured text sizes, shared by every map a process draws
_SIZES: dict[tuple[Any, ...], tuple[float, float]] = {}
_LINE_HEIGHTS: dict[tuple[Any, ...], float] = {}


def text_box(
    px: float, py: float, w: float, h: float, ha: str, va: str
) -> tuple[float, float, float, float]:
    """The display box of text of size (w, h) anchored at (px, py)."""
    x0 = px - {"left": 0.0, "center": w / 2, "right": w}[ha]
    y0 = py - {"bottom": 0.0, "center": h / 2, "top": h}[va]
    return (x0, y0, x0 + w, y0 + h)
