"""Where the project's data, ontology, queries and build outputs live."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = PROJECT_ROOT / "data"
ONTOLOGY_FILE = PROJECT_ROOT / "ontology" / "mmkg.ttl"
QUERIES_DIR = PROJECT_ROOT / "queries"
BUILD_DIR = PROJECT_ROOT / "build"

SITE_POSTS_DIR = DATA_DIR / "external" / "mm-llms-site" / "posts"
SURVEY_DIR = DATA_DIR / "external" / "survey"
#: Unicode's confusable characters (UTS #39), for the skeletons of names
CONFUSABLES_FILE = DATA_DIR / "external" / "unicode" / "confusables.txt"
RAW_SITE_DIR = DATA_DIR / "raw" / "mm-llms-site"
RAW_TRANSFORMERS_DIR = DATA_DIR / "raw" / "transformers"
