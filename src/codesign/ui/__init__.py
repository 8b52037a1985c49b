"""The only package that imports streamlit: cached engine, session-state keys, small widgets."""

from codesign.ui.routing import route_through_app

# Every page imports this package, so this runs in the first page run of the process. When
# Streamlit runs a page file on its own (see codesign.ui.routing), it starts over through app.py.
route_through_app()
