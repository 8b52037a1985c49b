"""Tools for the people who work on codesign: ``doctor`` (what the tests need) and ``screenshot``."""
