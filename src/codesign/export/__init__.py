"""Exporters: every one returns bytes, so the download button, the CLI and the tests share one path."""
