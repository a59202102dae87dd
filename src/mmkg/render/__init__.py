"""The reading wing's output: interactive graph pages, charts and the static site.

Reads a store through queries, graphview, profiles and analysis; never loads or builds.
"""

from __future__ import annotations

from mmkg.render.site import MARKER, SiteError, SiteReport, build_site

__all__ = ["MARKER", "SiteError", "SiteReport", "build_site"]
