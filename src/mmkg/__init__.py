"""mmkg: a knowledge graph of multimodal large language models (MM-LLMs).

Built from the survey "MM-LLMs: Recent Advances in MultiModal Large Language Models"
(arXiv 2401.13601) and its tracking website.
"""

from __future__ import annotations

__version__ = "0.4.0"

__all__ = ["__version__"]
