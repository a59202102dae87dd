"""Readers of external sources, each writing its own raw layer under ``data/raw/``.

One module per source: :mod:`mmkg.sources.transformers_library` reads the installed
Hugging Face ``transformers`` library. (The tracking website's reader is
:mod:`mmkg.site_posts`.)
"""
