"""Engine set-up that the rest of the app relies on.

SQLite: WAL, foreign keys and a busy timeout on every connection, and transactions begun by us
rather than by pysqlite. Transactions that may write start with ``BEGIN IMMEDIATE`` so that a
read-then-write transaction takes the write lock up front and waits (busy_timeout) instead of
failing with "database is locked" when another worker wrote in between. Safe-method requests
(GET, HEAD, OPTIONS) use a deferred ``BEGIN`` so that readers never queue behind writers.
"""
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine

read_only_transactions: ContextVar[bool] = ContextVar("read_only_transactions", default=False)


def sqlite_uri(instance_path: str) -> str:
    Path(instance_path).mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{Path(instance_path) / 'lms.sqlite3'}"


def configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        connection.exec_driver_sql("BEGIN" if read_only_transactions.get() else "BEGIN IMMEDIATE")


@contextmanager
def write_transaction(session):
    """For the rare write made while answering a GET (an export's audit entry): end the read
    snapshot first, then let the next transaction take SQLite's write lock up front."""
    session.commit()
    token = read_only_transactions.set(False)
    try:
        yield
    finally:
        read_only_transactions.reset(token)
