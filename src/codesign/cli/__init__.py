"""The ``codesign`` command line: one module per command group, over the capabilities' services.

This face stays empty so that ``codesign themes`` (see ``launcher``) starts without loading
the database layer.
"""
