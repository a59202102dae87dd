"""Run `mmkg` through its real entry point (mmkg.cli.run) inside the test process."""

from __future__ import annotations

import signal
import sys

import pytest


def run_entry_point(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """`mmkg ARGS` as the console script runs it: its exit status and what it wrote to stderr."""
    from mmkg.cli import run

    capsys.readouterr()  # drop what earlier code printed
    previous_argv, previous_handler = sys.argv, signal.getsignal(signal.SIGINT)
    previous_hook = sys.unraisablehook
    sys.argv = ["mmkg", *args]
    try:
        run()
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 1
    finally:
        sys.argv = previous_argv
        signal.signal(signal.SIGINT, previous_handler)
        sys.unraisablehook = previous_hook
    return code, capsys.readouterr().err
