"""Plotly figure builders, one module per capability. The screens and the Word report draw
the same figures: interactive on screen, static images (kaleido) in the report."""
