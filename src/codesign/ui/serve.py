"""Start the app: ``python -m codesign.ui.serve [streamlit options]`` (what ``make run`` does).

Streamlit treats any app with a ``pages/`` folder as an old-style multipage app until
the entry file has called ``st.navigation`` once in the process. Until then, the first
visitor to a page's address (say ``/workshops``) gets that page file run on its own,
without ``app.py``: no page config, a menu of file names, and no passcode-aware
navigation. Setting the flag before the server starts makes ``app.py`` the router
from the very first request.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli as streamlit_cli

APP = Path(__file__).resolve().parents[3] / "app.py"


TRUSTED_PROXIES_ENV = "CODESIGN_TRUSTED_PROXIES"


def keep_to_this_machine() -> None:
    """Start Streamlit so that it asks no other host anything and tells no one its numbers.

    - Started headless on 0.0.0.0, Streamlit asks ``checkip.amazonaws.com`` for the machine's
      public address to print it; that look-up is switched off. Its "Network URL" probe (a UDP
      ``connect`` to 8.8.8.8, no packet sent) is replaced by ours, which names a never-routed
      test address instead.
    - ``/_stcore/metrics`` (session counts, memory) answers anyone who asks, so it is not served.
    - The web server (uvicorn) believes ``X-Forwarded-For`` only from the proxies named in
      ``CODESIGN_TRUSTED_PROXIES`` (none by default), so no one can pick the address that
      throttling counts them under.
    """
    from streamlit import net_util
    from streamlit.web.server.starlette import starlette_app

    from codesign.workshops import links

    def no_external_ip() -> None:
        return None

    def no_metrics(*_args: Any, **_kwargs: Any) -> list[Any]:
        return []

    net_util.get_external_ip = no_external_ip
    net_util.get_internal_ip = links.guess_lan_address
    starlette_app.create_metrics_routes = no_metrics  # type: ignore[attr-defined]
    os.environ["FORWARDED_ALLOW_IPS"] = os.environ.get(TRUSTED_PROXIES_ENV, "").strip()


def main(argv: list[str] | None = None) -> None:
    PagesManager.uses_pages_directory = False
    keep_to_this_machine()
    sys.argv = ["streamlit", "run", str(APP), *(sys.argv[1:] if argv is None else argv)]
    streamlit_cli.main()


if __name__ == "__main__":
    main()
