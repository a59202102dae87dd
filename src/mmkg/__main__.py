"""Run the command-line interface with ``python -m mmkg``."""

from mmkg.cli import run

run()
