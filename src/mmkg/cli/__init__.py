"""The `mmkg` command line: parse arguments, call one function, report errors without tracebacks."""

from __future__ import annotations

import gc
import signal
import sys

import typer

# each module adds its commands to the app; `mmkg --help` lists them in this order
# isort: off
from mmkg.cli import making, querying, serving, exploring  # noqa: F401

# isort: on
from mmkg.cli.common import app, err

__all__ = ["app", "run"]


#: Cycle-collector thresholds of a command (Python's defaults: 700, 10, 10).
GC_THRESHOLDS = (50_000, 20, 100)


def run() -> None:
    """Entry point. Exit 0: done; 1: bad input or usage, with a message saying what; 2: a
    bug (an unexpected error, one line, no traceback); 130: interrupted (Ctrl-C)."""
    interrupted: list[int] = []

    def _interrupt(signum: int, _frame: object) -> None:
        interrupted.append(signum)
        raise KeyboardInterrupt

    def _unraisable(unraisable: sys.UnraisableHookArgs) -> None:
        # An interrupt that lands in a finaliser or a weakref callback cannot stop the
        # command; it is still reported, as one line, when the command ends.
        if not isinstance(unraisable.exc_value, KeyboardInterrupt):
            sys.__unraisablehook__(unraisable)

    signal.signal(signal.SIGINT, _interrupt)  # Typer turns the interrupt into a silent exit 130
    sys.unraisablehook = _unraisable
    # A command makes millions of objects that live to its end (records, terms, rows); with
    # Python's default thresholds the cycle collector re-scans them over and over, a third of
    # loading and building 10,000 models. Rarer collections; a command is one short process.
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        code = app(standalone_mode=False)
    except (typer.Abort, KeyboardInterrupt):
        code = 130
        interrupted.append(signal.SIGINT)
    except typer.TyperException as error:  # a usage error, as Click words it: bad input, exit 1
        if hasattr(error, "show"):
            error.show()
        sys.exit(1 if getattr(error, "exit_code", 1) else 0)
    except Exception as error:  # noqa: BLE001 - the last line of defence against tracebacks
        err.print(f"error: unexpected {type(error).__name__}: {error}", highlight=False)
        sys.exit(2)
    if interrupted:
        err.print("mmkg: interrupted", highlight=False)
        sys.exit(130)
    sys.exit(code if isinstance(code, int) else 0)
