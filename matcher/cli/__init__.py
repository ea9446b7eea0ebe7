"""The ``matcher`` command line, one module per command group (:mod:`matcher.cli.main`
dispatches).
"""
