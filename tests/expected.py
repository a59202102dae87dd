"""Counts the committed data is expected to give; one place to change when models are added."""

MODELS = 240
"""Models in data/models: the survey's 155 and those added from other sources."""

SURVEY_MODELS = 155
"""Models the survey and its tracking website know."""
