"""Files for the team after the workshop: the Word report, data tables and the JSON backup.

Every exporter returns bytes, so the Export screen's download buttons, the CLI and the
tests share one path.
"""
