"""Data files -> validated records; references resolved by slug; layers merged.

Reads the hand-curated files of ``data/``, the raw layer written by
``mmkg import-site`` and the survey's tables, checks every record and every
reference, and returns one :class:`Facts` object. Every problem found is
collected and raised together as a :class:`~mmkg.errors.DataError` naming the
file, the record and the field.
"""

from __future__ import annotations

from pathlib import Path

from mmkg.load.bulk import BULK_SUFFIX, bulk_records
from mmkg.load.facts import (
    DatasetFacts,
    EntryFacts,
    Facts,
    ModelFacts,
    Paper,
    Period,
    Result,
    Usage,
    arxiv_id,
    closest,
    parse_post_date,
    parse_scale,
)
from mmkg.load.loader import _Loader
from mmkg.load.reading import _Collector

__all__ = [
    "DatasetFacts",
    "EntryFacts",
    "Facts",
    "ModelFacts",
    "Paper",
    "Period",
    "Result",
    "Usage",
    "arxiv_id",
    "closest",
    "curated_posts",
    "load_facts",
    "parse_post_date",
    "parse_scale",
]


def load_facts(data_dir: Path) -> Facts:
    """Load, validate and merge every data file under *data_dir*; raise DataError on problems."""
    loader = _Loader(data_dir)
    return loader.run()


def curated_posts(data_dir: Path) -> set[str]:
    """The website posts that a model or dataset file already curates (by site_post)."""
    posts: set[str] = set()
    reader = _Collector(data_dir)  # regular files only, bounded; problems are the loader's
    for folder in ("models", "datasets"):
        records = [reader.read_yaml(p, p.stem) for p in sorted((data_dir / folder).glob("*.yaml"))]
        for path in sorted((data_dir / folder).glob(f"*{BULK_SUFFIX}")):
            records += bulk_records(path)
        for data in records:
            if not isinstance(data, dict):
                continue
            for key in ("site_post", "site_posts"):
                value = data.get(key)
                for stem in value if isinstance(value, list) else [value]:
                    if isinstance(stem, str):
                        posts.add(stem)
    return posts
