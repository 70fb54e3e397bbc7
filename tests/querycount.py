"""Count the SQL statements a block of code runs (for tests that guard a page's queries)."""
from contextlib import contextmanager

from sqlalchemy import event

from lms.extensions import db


@contextmanager
def count_queries():
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "PRAGMA")):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
