"""Start `mmkg serve` for a test: its own process on a free port of 127.0.0.1."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path


def free_port() -> int:
    """A port of 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_serve(graph: Path, timeout: float, *extra: str) -> tuple[subprocess.Popen, str]:
    """`mmkg serve` on *graph*; the process and the endpoint URL it printed once it answered."""
    process = subprocess.Popen(  # noqa: S603 - our own command line
        [
            sys.executable,
            "-m",
            "mmkg",
            "serve",
            "--graph",
            str(graph),
            "--port",
            str(free_port()),
            "--timeout",
            str(timeout),
            *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = process.stdout.readline().strip()
    if not url:
        process.kill()
        raise AssertionError(f"mmkg serve printed no URL: {process.stderr.read()}")
    return process, url
