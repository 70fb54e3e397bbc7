"""The schema the migrations build is the schema the models describe, and SQLite writes are safe
under concurrent workers."""
import threading

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, text

from lms.database import configure_sqlite
from lms.extensions import db


def test_migrated_database_matches_the_models(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_migration_files_have_ordered_names_and_one_head(app):
    from pathlib import Path

    from alembic.script import ScriptDirectory
    from flask import current_app

    directory = current_app.extensions["migrate"].directory
    script = ScriptDirectory(directory)
    assert len(script.get_heads()) == 1
    names = sorted(p.name for p in Path(directory, "versions").glob("*.py"))
    for number, name in enumerate(names, start=1):
        assert name.startswith(f"{number:04d}_"), name


def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_concurrent_read_then_write_transactions_do_not_fail_on_sqlite(tmp_path):
    """With a plain deferred BEGIN most of these fail at once with "database is locked"."""
    engine = create_engine(f"sqlite:///{tmp_path}/race.sqlite3")
    configure_sqlite(engine)
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE counter (id INTEGER PRIMARY KEY, value INTEGER)")
        connection.exec_driver_sql("INSERT INTO counter VALUES (1, 0)")
    errors = []

    def worker():
        for _ in range(25):
            try:
                with engine.begin() as connection:
                    value = connection.execute(text("SELECT value FROM counter WHERE id = 1")).scalar_one()
                    connection.execute(text("UPDATE counter SET value = :v WHERE id = 1"), {"v": value + 1})
            except Exception as error:  # noqa: BLE001 - the test counts every failure
                errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with engine.connect() as connection:
        final = connection.execute(text("SELECT value FROM counter")).scalar_one()
    engine.dispose()
    assert errors == []
    assert final == 200
