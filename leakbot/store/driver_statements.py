"""Core statements compiled once for SQLite and run on the driver's own cursor.

For the few statements on the hot path (an intent recorded, read and settled; an incident
read for a click), SQLAlchemy's execution of one small statement takes several times the
interpreter time of the statement itself. A ``DriverStatement`` is compiled here once; each
value is made by its parameter's type and each column read by its type's result processor,
as SQLAlchemy would (so the stored bytes, and the values read back, are the same); a failure
is raised as SQLAlchemy's error, without the values.
"""

from __future__ import annotations

import sqlite3
from collections import namedtuple
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Engine
from sqlalchemy.engine.interfaces import DBAPICursor
from sqlalchemy.exc import DBAPIError, StatementError
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import ClauseElement


class DriverStatement:
    """One Core statement, compiled for ``engine``'s dialect, run on a driver cursor."""

    def __init__(
        self, statement: ClauseElement, engine: Engine, columns: Sequence[str] | None = None
    ) -> None:
        """``columns``: for an INSERT, the columns given (each by its own name)."""
        dialect = engine.dialect
        compiled = cast(
            SQLCompiler,
            statement.compile(dialect=dialect, column_keys=list(columns) if columns else None),
        )
        self.sql = str(compiled)
        selected = list(getattr(statement, "selected_columns", ()))
        #: per column of a SELECT, its type's result processor (the dialect's own: SQLite's
        #: datetime text parsed, JSON decoded)
        self._made = [
            column.type.dialect_impl(dialect).result_processor(dialect, None) for column in selected
        ]
        #: a SELECT's row, its columns by name as SQLAlchemy's rows have them
        self._row = namedtuple("Row", [column.key for column in selected])  # type: ignore[misc]
        #: per parameter, in order: its name, its type's processor, whether it must be given,
        #: and the value the statement itself holds (a literal of its WHERE)
        self._order = [
            (
                name,
                compiled.binds[name].type.bind_processor(dialect),
                compiled.binds[name].required,
                compiled.params[name],
            )
            for name in compiled.positiontup or ()
        ]

    def run(self, cursor: DBAPICursor, given: dict[str, Any]) -> None:
        try:
            values = [
                (given[name] if required else given.get(name, fixed), make)
                for name, make, required, fixed in self._order
            ]
            cursor.execute(self.sql, [v if make is None else make(v) for v, make in values])
        except sqlite3.Error as e:
            raise _driver_error(self.sql, e) from e
        except Exception as e:  # a value its type cannot store, or one not given
            raise StatementError(str(e), self.sql, None, e, hide_parameters=True) from e

    def read(self, engine: Engine, given: dict[str, Any]) -> list[Any]:
        """A SELECT's rows (columns by name, as SQLAlchemy's rows), on a connection of
        ``engine``'s pool (given back after), with no transaction begun: one statement reads
        one consistent state of the database."""
        try:
            driver = engine.raw_connection()
        except sqlite3.Error as e:
            raise _driver_error(None, e) from e
        try:
            cursor = driver.cursor()
            try:
                self.run(cursor, given)
                try:
                    rows = cursor.fetchall()
                except sqlite3.Error as e:
                    raise _driver_error(self.sql, e) from e
            finally:
                cursor.close()
        finally:
            driver.close()  # back to the pool
        made, row_of = self._made, self._row
        return [
            row_of(*(v if make is None else make(v) for v, make in zip(row, made, strict=True)))
            for row in rows
        ]


def _driver_error(sql: str | None, e: sqlite3.Error) -> StatementError:
    return DBAPIError.instance(sql, None, e, sqlite3.Error, hide_parameters=True)
