"""The only package that imports streamlit: cached engine, session-state keys, small widgets."""
