"""codesign: co-design workshops for redesigning mental-health and social-care services."""

__version__ = "0.1.0"
