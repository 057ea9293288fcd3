"""Writing a figure: PNG, SVG or PDF, atomically."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from rangeviz import _checks
from rangeviz._io import atomic_path, check_suffix
from rangeviz.errors import InputError, OutputError
from rangeviz.plot import style

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["EDITABLE", "FORMATS", "save_figure"]

#: Output extension -> matplotlib format.
FORMATS = {".pdf": "pdf", ".png": "png", ".svg": "svg"}


def save_figure(
    fig: Figure, path: str | os.PathLike[str], *, dpi: float | None = None
) -> os.PathLike[str] | str:
    """Write a figure to PNG, SVG or PDF, atomically.

    The figure is written to a temporary file in the same directory, then
    renamed onto ``path``: a failure never leaves a half-written file and
    never destroys the previous one.

    Parameters
    ----------
    fig : matplotlib Figure (or an Axes, whose figure is saved)
    path : path-like
        Ends in ``.png``, ``.svg`` or ``.pdf``.
    dpi : int, optional
        Resolution (PNG, and raster parts of PDF/SVG), 10 to 1200; by
        default the ``dpi`` a page drawn by :func:`plot_bands` or
        :func:`plot_map` was drawn for (200 unless given), else the figure's.

    Returns
    -------
    The path written.

    Raises
    ------
    InputError
        If ``fig`` is not a figure, the extension is not one of png, svg,
        pdf, or ``dpi`` is out of range.
    OutputError
        If the directory does not exist or cannot be written.
    """
    target: Any = fig if hasattr(fig, "savefig") else getattr(fig, "figure", None)
    if not hasattr(target, "savefig"):  # an Axes saves its figure; nothing else saves
        raise InputError(f"fig {_checks.show(fig)} is not a matplotlib Figure or Axes")
    fmt = check_suffix(path, FORMATS, "map")
    from matplotlib import rc_context

    from rangeviz.plot.draw import metadata_of

    about = metadata_of(target)
    kwargs: dict[str, Any] = {"format": fmt, "metadata": _metadata(fmt, about)}
    if fmt == "png":  # zlib level 3: ~20 % faster than the default, ~5 % larger
        kwargs["pil_kwargs"] = {"compress_level": 3}
    if dpi is not None:
        kwargs["dpi"] = _checks.integer(dpi, "dpi", lo=10, hi=1200)
    elif about:  # a page rangeviz drew: at its options' dpi, not the 100 it was laid out at
        kwargs["dpi"] = target.dpi
    # the same map gives the same bytes: SVG ids from a fixed salt
    rc: dict[str, Any] = {**EDITABLE, "svg.hashsalt": "rangeviz"}
    editable = rc_context(rc)  # type: ignore[arg-type]
    with atomic_path(path) as tmp, editable, open(tmp, "wb") as handle:
        try:
            target.savefig(handle, **kwargs)
        except OSError as exc:
            raise OutputError(
                f"cannot write output path {os.fspath(path)!r}: {exc.strerror or exc}"
            ) from None
    return path


#: Text a graphics desk can edit: SVG keeps it as text, PDF embeds TrueType fonts;
#: PNG text unhinted, as it was measured (:data:`rangeviz.plot.style.UNHINTED`).
EDITABLE = {"svg.fonttype": "none", "pdf.fonttype": 42, "ps.fonttype": 42, **style.UNHINTED}


def _metadata(fmt: str, about: dict[str, str]) -> dict[str, Any]:
    # no timestamps: the same map gives the same bytes (SVG, PDF)
    if fmt == "svg":
        meta: dict[str, Any] = {"Date": None, "Creator": "rangeviz"}
        if about.get("Title"):
            meta["Title"] = about["Title"]
        if about.get("Subject"):
            meta["Description"] = about["Subject"]
        if about.get("Keywords"):
            meta["Source"] = about["Keywords"]
        return meta
    if fmt == "pdf":
        meta = {"CreationDate": None, "Creator": "rangeviz"}
        for key in ("Title", "Subject", "Keywords"):
            if about.get(key):
                meta[key] = about[key]
        return meta
    meta = {"Software": "rangeviz"}
    for key in ("Title", "Description"):
        value = about.get("Subject" if key == "Description" else key)
        if value:
            meta[key] = value
    return meta
