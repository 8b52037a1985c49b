"""Themes: group stories into a first draft of an affinity map that the room then owns.

``cluster_stories`` is the pipeline (texts in, one ``ThemeClustering`` out); ``methods``
holds the registry of grouping methods; ``board`` holds the board's rules and ``service``
applies a clustering to a workshop while keeping every manual decision. This face stays
light (no database) so that ``codesign themes`` starts fast.
"""

from codesign.themes.methods import DEFAULT_METHOD, METHODS, get_method
from codesign.themes.pipeline import FoundTheme, ThemeClustering, auto_k_range, cluster_stories

__all__ = [
    "DEFAULT_METHOD",
    "METHODS",
    "FoundTheme",
    "ThemeClustering",
    "auto_k_range",
    "cluster_stories",
    "get_method",
]
