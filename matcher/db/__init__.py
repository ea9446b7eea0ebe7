"""Database storage of planning rounds and plans (SQLModel on SQLite or PostgreSQL).

:mod:`matcher.db.tables` defines the tables, :mod:`matcher.db.engine` connects;
:mod:`matcher.storage` is the API the CLI and the app use.
"""
