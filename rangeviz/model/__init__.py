"""The domain model: sites, bands, layers and map options, validated once.

Everything above this module -- the geometry, the maps, the reports, the
exports, the scenario files and the command line -- works with these frozen
objects and never checks or resolves its input again:

- :class:`Site`: a named point, longitude before latitude;
- :class:`Source`: where a figure comes from (organisation, title, URL);
- :class:`Band`: a range band -- radii, label, sources, whose figure it is,
  and how it is drawn (colour, line style);
- :class:`BandLayer`: a band drawn round given sites, in a role (launch
  sites, or the launch area round a target);
- :class:`MapOptions`: how the map is drawn (projection, extent, size...),
  with the defaults the command line, scenario files and Python share;
- :class:`MapSpec`: one map -- its layers, launch sites, targets and options.

The package's modules: :mod:`~rangeviz.model.sites`,
:mod:`~rangeviz.model.bands`, :mod:`~rangeviz.model.maps` and the shared
:mod:`~rangeviz.model.vocabulary`.

Names are resolved above (place names in :mod:`rangeviz.sites`, system names
in :mod:`rangeviz.systems`); here only values that need no lookup are
accepted: coordinates, ``(lon, lat)`` pairs, :class:`Site` objects and
GeoDataFrames of points.
"""

from __future__ import annotations

from rangeviz._checks import ANTIPODAL_KM
from rangeviz.model.bands import Band, BandLayer, Source
from rangeviz.model.maps import (
    DEFAULTS,
    MapOptions,
    MapSpec,
    check_projection,
    default_title,
    extent_box,
)
from rangeviz.model.sites import Site, SitesLike, as_site, as_sites, site_arrays, unique_sites
from rangeviz.model.vocabulary import (
    EXTENTS,
    INF_KM,
    LINESTYLES,
    PALETTE,
    PROJECTIONS,
    SIZES,
)

__all__ = [
    "ANTIPODAL_KM",
    "Band",
    "BandLayer",
    "DEFAULTS",
    "EXTENTS",
    "INF_KM",
    "LINESTYLES",
    "MapOptions",
    "MapSpec",
    "PALETTE",
    "PROJECTIONS",
    "SIZES",
    "Site",
    "SitesLike",
    "Source",
    "as_site",
    "as_sites",
    "site_arrays",
    "check_projection",
    "default_title",
    "extent_box",
    "unique_sites",
]
