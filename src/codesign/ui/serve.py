"""Start the app: ``python -m codesign.ui.serve [streamlit options]`` (what ``make run`` does).

Streamlit treats any app with a ``pages/`` folder as an old-style multipage app until
the entry file has called ``st.navigation`` once in the process. Until then, the first
visitor to a page's address (say ``/workshops``) gets that page file run on its own,
without ``app.py``: no page config, a menu of file names, and no passcode-aware
navigation. Setting the flag before the server starts makes ``app.py`` the router
from the very first request.
"""

from __future__ import annotations

import sys
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli as streamlit_cli

from codesign.ui import signin_route

APP = Path(__file__).resolve().parents[3] / "app.py"


def main(argv: list[str] | None = None) -> None:
    PagesManager.uses_pages_directory = False
    signin_route.install()
    sys.argv = ["streamlit", "run", str(APP), *(sys.argv[1:] if argv is None else argv)]
    streamlit_cli.main()


if __name__ == "__main__":
    main()
