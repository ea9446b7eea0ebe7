"""A minimal in-code migration: add the columns an existing database does not have yet.

``create_all`` creates missing tables but never changes an existing one, so a database file
made by an older version of the program lacks columns added since (such as the ``version``
columns of optimistic concurrency). :func:`add_missing_columns` adds every column of the
metadata that a table in the database lacks, with ``ALTER TABLE ... ADD COLUMN``, in one
transaction. Only columns that are nullable or have a server default can be added this way
(existing rows need a value); any other missing column is reported and nothing is changed.
"""

from __future__ import annotations

from sqlalchemy import MetaData, inspect
from sqlalchemy.engine import Engine
from sqlalchemy.schema import CreateColumn

__all__ = ["MigrationError", "add_missing_columns"]


class MigrationError(RuntimeError):
    """The database lacks a column that cannot be added automatically."""


def add_missing_columns(engine: Engine, metadata: MetaData) -> list[str]:
    """Add the columns of ``metadata``'s tables that the database's tables lack.

    Returns
    -------
    list[str]
        ``table.column`` of every column added (empty when the schema was complete).

    Raises
    ------
    MigrationError
        A missing column is ``NOT NULL`` without a server default (nothing is changed).
    """
    inspector = inspect(engine)
    existing = set(inspector.get_table_names())
    names = [t.name for t in metadata.sorted_tables if t.name in existing]
    if not names:
        return []
    have = {
        key[1]: {c["name"] for c in columns}
        for key, columns in inspector.get_multi_columns(filter_names=names).items()
    }
    missing = [
        (table, column)
        for table in metadata.sorted_tables
        if table.name in have
        for column in table.columns
        if column.name not in have[table.name]
    ]
    if not missing:
        return []
    impossible = [
        f"{t.name}.{c.name}" for t, c in missing if not c.nullable and c.server_default is None
    ]
    if impossible:
        raise MigrationError(
            "the database lacks column(s) that need a value for existing rows: "
            + ", ".join(impossible)
            + "; recreate the database or add them by hand"
        )
    preparer = engine.dialect.identifier_preparer
    with engine.begin() as conn:
        for table, column in missing:
            ddl = CreateColumn(column).compile(dialect=engine.dialect)
            conn.exec_driver_sql(f"ALTER TABLE {preparer.format_table(table)} ADD COLUMN {ddl}")
    return [f"{t.name}.{c.name}" for t, c in missing]
