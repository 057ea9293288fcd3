"""Titles and labels are the user's text: ``$`` never starts matplotlib's mathtext.

``rangeviz._text.literal`` is the one helper the drawing code passes every title,
label and place name through.
"""

from __future__ import annotations

import numpy as np
import pytest

from rangeviz._text import literal

TEXTS = ["$x^$", "Costs $5 and $x^2$", "a \\$ b", "100%$", "$$", "no dollars", "C:\\temp\\$x$"]


def _pixels(title: str, **kwargs) -> np.ndarray:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(3, 1), dpi=60)
    ax.set_axis_off()
    ax.set_title(title, **kwargs)
    fig.canvas.draw()
    pixels = np.asarray(fig.canvas.buffer_rgba()).copy()
    plt.close(fig)
    return pixels


@pytest.mark.parametrize("text", TEXTS)
def test_literal_text_is_drawn_as_typed(text):
    # the same pixels as matplotlib's own "no mathtext" switch
    assert np.array_equal(_pixels(literal(text)), _pixels(text, parse_math=False))


def test_without_it_a_dollar_can_stop_the_drawing():
    with pytest.raises(ValueError, match=r"x\^"):  # mathtext cannot parse it
        _pixels("$x^$")


def test_literal_changes_nothing_else():
    assert literal("Kraków 500–5,500 km") == "Kraków 500–5,500 km"
    assert literal("$") == "\\$"
