"""app.py is the router from the very first request, however Streamlit was started.

Streamlit treats an app with a ``pages/`` folder beside its entry file as an old-style
multipage app until the entry file has called ``st.navigation`` once in the process. Until
then the first visitor to a page's address (say ``/workshops``) gets that page file run on
its own, without ``app.py``: no page config, a menu of file names, no passcode-aware
navigation. ``streamlit run app.py`` is how people and hosting services start Streamlit
apps, so the fix cannot live only in ``make run``'s launcher (``codesign.ui.serve``).

Every page imports ``codesign.ui``, which calls :func:`route_through_app`: if the page is
being run on its own, it switches the old mode off and asks Streamlit to run the script
again, which now runs ``app.py`` with the same address, so the visitor sees the real app.
Renaming ``pages/`` would avoid the old mode too, but every screen, test and link names
``pages/*.py``.
"""

from __future__ import annotations

import copy
from typing import Any

import streamlit as st
from streamlit.navigation.page import StreamlitPage
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import get_script_run_ctx


def disable_pages_folder_mode() -> None:
    """Make app.py's ``st.navigation`` the router for every session from now on."""
    PagesManager.uses_pages_directory = False


def route_through_app() -> None:
    """Inside a page file that Streamlit runs on its own, start over through app.py."""
    if not PagesManager.uses_pages_directory or get_script_run_ctx() is None:
        return
    disable_pages_folder_mode()
    st.rerun()


_PAGES: dict[tuple[str, tuple[tuple[str, Any], ...]], StreamlitPage] = {}


def page(path: str, **options: Any) -> StreamlitPage:
    """``st.Page(path, **options)``, made once per process and copied for each run.

    Making a page resolves its file on disk and checks its icon; app.py names fourteen pages
    on every run of every session, which a room of phones joining at once paid for on each join.
    A copy, because ``st.navigation`` marks the page it returns as runnable, once, in that run.
    """
    key = (path, tuple(sorted(options.items())))
    made = _PAGES.get(key)
    if made is None:
        made = _PAGES[key] = st.Page(path, **options)
    return copy.copy(made)
