"""Launch sites: coordinates as people type them, a gazetteer, files of sites.

A :class:`~rangeviz.model.Site` is a name and a position, longitude before
latitude. Sites come from four places, each a module here:

- :mod:`~rangeviz.sites.coordinates`: typed coordinates, read by
  :func:`parse_coordinates` -- a bare pair is ``LAT,LON``, the order map apps
  copy (``"54.71,20.51"``); with hemisphere letters the letters decide, in
  either order (``"54.71N 20.51E"``); degrees, minutes and seconds too.
  ``NAME=LAT,LON`` names the point (``"Base=54.71,20.51"``);
- :mod:`~rangeviz.sites.gazetteer` and :mod:`~rangeviz.sites.lookup`: the
  Natural Earth 1:10m populated places plus the reported missile sites of
  the project's catalog, searched by :func:`resolve_site` and
  :func:`search_places`;
- :mod:`~rangeviz.sites.files`: CSV with a header, or GeoJSON points
  (:func:`read_sites`);
- :mod:`~rangeviz.sites.specs`: :func:`resolve_sites`, the one reader of
  "some sites" that the command line, scenario files and Python share.

Gazetteer lookups ignore case, accents and punctuation (``"krakow"`` finds
Kraków). Importing this package is cheap: the gazetteer is loaded on first
use and kept.
"""

from __future__ import annotations

from rangeviz.model import Site
from rangeviz.sites.coordinates import SwappedCoordinatesWarning, parse_coordinates
from rangeviz.sites.files import SITE_FILE_SUFFIXES, read_sites
from rangeviz.sites.lookup import AmbiguousSiteWarning, resolve_site, search_places
from rangeviz.sites.specs import resolve_sites

__all__ = [
    "AmbiguousSiteWarning",
    "SITE_FILE_SUFFIXES",
    "Site",
    "SwappedCoordinatesWarning",
    "parse_coordinates",
    "read_sites",
    "resolve_site",
    "resolve_sites",
    "search_places",
]
