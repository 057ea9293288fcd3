"""Rebuild rangeviz's bundled map data from the raw Natural Earth layers.

Usage::

    python geodata/build.py [--source DIR] [--out DIR]

``--source`` defaults to ``../shared/naturalearth`` beside the repository
(gzipped GeoJSON as distributed there); ``--out`` defaults to this folder.
Writes one GeoPackage per scale (``ne_110m.gpkg``, ``ne_50m.gpkg``,
``ne_10m.gpkg``), one layer per theme, keeping only the columns rangeviz uses.
The 1:10m layers are clipped to :data:`CLIP_10M` (Europe, the Middle East and
North Africa): the maps use 1:10m only when zoomed in there. The output is
deterministic: rows sorted, geometries normalised, no timestamps. ``build-info.json``
records the SHA-256 of each file and the GDAL/GEOS versions that made them:
the same inputs and versions give the same bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_SOURCE = HERE.parent.parent / "shared" / "naturalearth"

#: lon_min, lat_min, lon_max, lat_max of the 1:10m layers
CLIP_10M = (-35.0, 20.0, 75.0, 85.0)

# theme -> {scale: raw file stem, or several stems whose geometries are merged}
LAYERS = {
    "land": {"110m": "ne_110m_land", "50m": "ne_50m_land", "10m": "ne_10m_land"},
    "ocean": {"50m": "ne_50m_ocean"},
    # Natural Earth's 10m lakes_europe is a *supplement* of smaller European
    # lakes: the big ones (Ladoga, Geneva, Balaton, Constance, Van, Nasser...)
    # are only in the general 10m lakes layer, which is not among the inputs.
    # The 1:50m lakes fill that gap (those overlapping a lakes_europe lake
    # would be dropped; today none does).
    "lakes": {
        "110m": "ne_110m_lakes",
        "50m": "ne_50m_lakes",
        "10m": ("ne_10m_lakes_europe", "ne_50m_lakes"),
    },
    "coastline": {
        "110m": "ne_110m_coastline",
        "50m": "ne_50m_coastline",
        "10m": "ne_10m_coastline",
    },
    "countries": {"110m": "ne_110m_admin_0_countries", "50m": "ne_50m_admin_0_countries"},
    "borders": {
        "50m": "ne_50m_admin_0_boundary_lines_land",
        "10m": "ne_10m_admin_0_boundary_lines_land",
    },
    "places": {
        "110m": "ne_110m_populated_places_simple",
        "50m": "ne_50m_populated_places_simple",
        "10m": "ne_10m_populated_places_simple",
    },
}

COUNTRY_COLUMNS = {
    "NAME": "name",
    "NAME_LONG": "name_long",
    "ISO_A2": "iso_a2",
    "ISO_A3": "iso_a3",
    "ADM0_A3": "adm0_a3",
    "CONTINENT": "continent",
    "POP_EST": "pop_est",
    "TYPE": "type",
}
PLACE_COLUMNS = {
    "name": "name",
    "nameascii": "nameascii",
    # other spellings, English ones among them (Nuremberg, Gothenburg, Kyiv)
    "namealt": "namealt",
    "namepar": "namepar",
    "adm0name": "country",
    "adm0_a3": "adm0_a3",
    "iso_a2": "iso_a2",
    "adm0cap": "adm0cap",
    "featurecla": "featurecla",
    "pop_max": "pop_max",
    "scalerank": "scalerank",
    "rank_max": "rank_max",
}


def _read_one(source: Path, stem: str):
    import geopandas as gpd

    path = source / f"{stem}.geojson.gz"
    if not path.exists():
        sys.exit(f"build.py: missing input {path}")
    return gpd.read_file(f"/vsigzip/{path}", engine="pyogrio")


def _read(source: Path, stems: str | tuple[str, ...]):
    """One raw layer, or the geometries of several: later ones fill gaps only."""
    import geopandas as gpd
    import pandas as pd
    import shapely

    if isinstance(stems, str):
        return _read_one(source, stems)
    frames = [_read_one(source, stems[0])[["geometry"]]]
    for stem in stems[1:]:
        have = shapely.union_all(pd.concat(frames).geometry.values)
        extra = _read_one(source, stem)[["geometry"]]
        frames.append(extra[~shapely.intersects(extra.geometry.values, have)])
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=frames[0].crs)


def _columns(gdf, mapping):
    lower = {c.lower(): c for c in gdf.columns}
    out = gdf[[lower[k.lower()] for k in mapping] + ["geometry"]].copy()
    out.columns = [*mapping.values(), "geometry"]
    return out


def build_layer(source: Path, theme: str, scale: str):
    import numpy as np
    import shapely

    gdf = _read(source, LAYERS[theme][scale])
    if theme == "countries":
        gdf = _columns(gdf, COUNTRY_COLUMNS)
        gdf["pop_est"] = gdf["pop_est"].astype("float64")
        gdf = gdf.sort_values(["adm0_a3", "name"], kind="stable")
    elif theme == "places":
        gdf = _columns(gdf, PLACE_COLUMNS)
        gdf["adm0cap"] = gdf["adm0cap"].fillna(0).astype("int64")
        for col in ("namealt", "namepar"):
            gdf[col] = gdf[col].fillna("").astype(str)
        for col in ("pop_max", "scalerank", "rank_max"):
            gdf[col] = gdf[col].fillna(-1).astype("int64")
        gdf["lon"] = gdf.geometry.x.round(6)
        gdf["lat"] = gdf.geometry.y.round(6)
        gdf = gdf.sort_values(["country", "name", "lon", "lat"], kind="stable")
    else:
        gdf = gdf[["geometry"]].copy()
    geoms = gdf.geometry.values
    invalid = int((~shapely.is_valid(geoms)).sum())
    if invalid:
        print(f"  {theme} {scale}: repaired {invalid} invalid geometries", file=sys.stderr)
        geoms = shapely.make_valid(geoms)
    if scale == "10m" and theme != "places":
        geoms = shapely.clip_by_rect(geoms, *CLIP_10M)
    if theme in ("land", "ocean", "lakes", "countries"):
        # keep only the polygonal part (clipping or repair can leave slivers of lines)
        geoms = np.array([_polygonal(g) for g in geoms], dtype=object)
    geoms = shapely.normalize(shapely.set_precision(geoms, 1e-6))
    gdf = gdf.set_geometry(geoms).set_crs("EPSG:4326", allow_override=True)
    gdf = gdf[~gdf.geometry.isna()]
    gdf = gdf[~gdf.geometry.is_empty]
    if theme not in ("countries", "places"):
        gdf = gdf.assign(_key=shapely.to_wkb(gdf.geometry.values, hex=True))
        gdf = gdf.sort_values("_key", kind="stable").drop(columns="_key")
    return gdf.reset_index(drop=True)


def _polygonal(geom):
    import shapely

    if geom is None or geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def build(source: Path, out: Path) -> list[Path]:
    """Write ne_<scale>.gpkg for every scale, and build-info.json, into ``out``."""
    import pyogrio

    out.mkdir(parents=True, exist_ok=True)
    # GeoPackage stamps the current time unless told otherwise
    before = pyogrio.get_gdal_config_option("OGR_CURRENT_DATE")
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": "2017-01-01T00:00:00Z"})
    try:
        written = _build(source, out)
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": before})
    _write_info(out, written)
    return written


def _build(source: Path, out: Path) -> list[Path]:
    import pyogrio

    written = []
    for scale in ("110m", "50m", "10m"):
        target = out / f"ne_{scale}.gpkg"
        tmp = out / f".ne_{scale}.tmp.gpkg"
        if tmp.exists():
            tmp.unlink()
        for theme, scales in LAYERS.items():
            if scale not in scales:
                continue
            gdf = build_layer(source, theme, scale)
            print(f"  {target.name}:{theme} {len(gdf)} features", file=sys.stderr)
            pyogrio.write_dataframe(
                gdf,
                tmp,
                layer=theme,
                driver="GPKG",
                append=tmp.exists(),
                # no timestamps, so that a rebuild gives the same bytes
                dataset_options={"METADATA_TABLES": "NO"},
                layer_options={"SPATIAL_INDEX": "NO"},
            )
        os.replace(tmp, target)
        written.append(target)
    return written


def _write_info(out: Path, written: list[Path]) -> None:
    import pyogrio
    import shapely

    info = {
        "clip_10m": list(CLIP_10M),
        "files": {
            p.name: {
                "bytes": p.stat().st_size,
                "sha256": hashlib.sha256(p.read_bytes()).hexdigest(),
            }
            for p in written
        },
        "gdal": pyogrio.__gdal_version_string__,
        "geos": shapely.geos_version_string,
        "pyogrio": pyogrio.__version__,
        "shapely": shapely.__version__,
    }
    text = json.dumps(info, indent=2, sort_keys=True) + "\n"
    (out / "build-info.json").write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--source",
        type=Path,
        default=DEFAULT_SOURCE,
        help=f"folder of the raw ne_*.geojson.gz layers (default: {DEFAULT_SOURCE})",
    )
    parser.add_argument("--out", type=Path, default=HERE, help=f"where to write (default: {HERE})")
    args = parser.parse_args(argv)
    for path in build(args.source, args.out):
        print(f"{path} {path.stat().st_size / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
