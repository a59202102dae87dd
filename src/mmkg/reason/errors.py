"""The error both engines raise."""

from __future__ import annotations

from mmkg.errors import MmkgError

__all__ = ["ReasoningError"]


class ReasoningError(MmkgError):
    """The reasoner could not run, or found the graph inconsistent."""
