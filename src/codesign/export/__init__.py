"""Files for the team after the workshop: the Word report, data tables, the JSON backup, network files.

Every exporter returns bytes, so the download buttons, the CLI and the tests share one path.
"""
