"""Output folders written all at once: a failed step never leaves a half-written folder.

>>> import tempfile
>>> root = Path(tempfile.mkdtemp())
>>> with staged_folder(root / "out") as staging:
...     _ = (staging / "a.txt").write_text("a")
>>> sorted(p.name for p in (root / "out").iterdir())
['a.txt']
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["staged_folder"]


@contextmanager
def staged_folder(out_dir: Path, carry_over: bool = False) -> Iterator[Path]:
    """Yield an empty folder beside *out_dir* that replaces it when the block succeeds.

    On an error the staging folder is removed and *out_dir* stays as it was. With
    *carry_over*, entries of the old *out_dir* that the block did not write are moved into
    the new one (the build keeps the release and other steps' outputs this way).
    """
    out_dir = Path(out_dir).resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-new-", dir=out_dir.parent))
    staging.chmod(0o755)
    try:
        yield staging
        if carry_over and out_dir.is_dir():
            for entry in out_dir.iterdir():
                if not (staging / entry.name).exists():
                    shutil.move(str(entry), staging / entry.name)
        if not out_dir.exists():
            staging.rename(out_dir)
            return
        old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-old-", dir=out_dir.parent))
        old.rmdir()
        out_dir.rename(old)
        try:
            staging.rename(out_dir)
        except OSError:
            old.rename(out_dir)
            raise
        shutil.rmtree(old, ignore_errors=True)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
