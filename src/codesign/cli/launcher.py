"""The ``codesign`` console script: a fast path for batch commands, then the full CLI.

Importing the whole CLI loads every capability (database, kits, network analysis): about
1.5 CPU-seconds here, more than ``codesign themes`` needs to group 1,000 stories. Batch
commands that need none of that are run directly; everything else goes to ``codesign.cli``.
The same click command objects serve both paths, so help, options and messages agree.
"""

from __future__ import annotations

import sys


def main() -> None:
    """Run ``codesign`` with the arguments on the command line."""
    if len(sys.argv) > 1 and sys.argv[1] == "themes":
        from codesign.cli.themes import themes_command

        themes_command(args=sys.argv[2:], prog_name="codesign themes")
        return
    from codesign.cli.main import main as full_cli

    full_cli()
