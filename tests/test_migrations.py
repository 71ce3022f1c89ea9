"""Alembic is the only source of the schema: up, down, up again, and models equal migrations."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect

from archiver.db import migrate
from archiver.db.engine import make_engine


def roundtrip(url: str) -> None:
    migrate.upgrade(url)
    engine = make_engine(url)
    tables = set(inspect(engine).get_table_names())
    assert {
        "accounts",
        "captures",
        "items",
        "item_versions",
        "audit_events",
        "warc_records",
    } <= tables
    migrate.downgrade(url, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    migrate.upgrade(url)
    assert migrate.current_revision(engine) == migrate.head_revision(url)
    command.check(migrate.alembic_config(url))  # raises if models and migrations differ
    engine.dispose()


def test_sqlite_upgrade_downgrade_upgrade(tmp_path: Path) -> None:
    roundtrip(f"sqlite:///{tmp_path / 'a.sqlite3'}")


@pytest.mark.postgres
def test_postgresql_upgrade_downgrade_upgrade(pg_url: str) -> None:
    roundtrip(pg_url)
