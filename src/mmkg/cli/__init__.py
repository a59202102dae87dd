"""The `mmkg` command line: parse arguments, call one function, report errors without tracebacks."""

from __future__ import annotations

import sys

# each module adds its commands to the app; `mmkg --help` lists them in this order
# isort: off
from mmkg.cli import making, querying, serving, exploring  # noqa: F401

# isort: on
from mmkg.cli.common import app, err

__all__ = ["app", "run"]


def run() -> None:
    """Entry point that turns any unexpected error into a one-line message."""
    try:
        app()
    except Exception as error:  # noqa: BLE001 - the last line of defence against tracebacks
        err.print(f"error: unexpected {type(error).__name__}: {error}", highlight=False)
        sys.exit(2)
