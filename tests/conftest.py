"""Shared fixtures: real archives on SQLite (always) and PostgreSQL (when configured).

PostgreSQL tests read the server URL from ARCHIVER_TEST_DATABASE_URL (``.ci/run`` sets it) and
create and drop a database of their own, so runs never collide. Without the variable they skip
with a visible reason.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from archiver.actors import ROLE_PERMISSIONS, Actor
from archiver.archive import Archive
from archiver.config import Settings, User, settings_from_dict
from archiver.lifecycle import init_archive

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "sample_data"
PG_ENV = "ARCHIVER_TEST_DATABASE_URL"


class FakeClock:
    """A clock the test moves by hand; every call returns a later instant by one microsecond."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 3, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(microseconds=1)
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


USERS = (
    User("clerk", frozenset({"clerk"}), name="Maria Lopez", title="City Clerk"),
    User("records", frozenset({"records_manager"}), name="Sam Ortega", title="Records Manager"),
    User("attorney", frozenset({"city_attorney"}), name="Dana Kim", title="City Attorney"),
    User(
        "social",
        frozenset({"social_media_staff"}),
        name="Lee Park",
        title="Social Media Coordinator",
    ),
    User("admin", frozenset({"admin"}), name="Ari Admin", title="IT Administrator"),
    User("auditor", frozenset({"auditor"}), name="Ann Audit", title="Internal Auditor"),
)


def actor(login: str) -> Actor:
    user = next(u for u in USERS if u.login == login)
    return Actor(user.login, user.roles, user.name, user.title)


ALL_ROLES = Actor("root", frozenset(ROLE_PERMISSIONS), "Everyone", single_user=True)


def make_settings(root: Path, database_url: str | None = None, **overrides: object) -> Settings:
    settings = settings_from_dict({"city": {"name": "City of Rancho Verde"}}, None, {}, root)
    settings = replace(
        settings,
        root=root / "archive",
        database_url=database_url or f"sqlite:///{root / 'archive' / 'archiver.sqlite3'}",
        users=USERS,
    )
    return replace(settings, **overrides) if overrides else settings  # type: ignore[arg-type]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture
def archive(settings: Settings, clock: FakeClock) -> Iterator[Archive]:
    """A fresh, migrated SQLite archive."""
    init_archive(settings, actor("admin"), clock=clock)
    with Archive.open(settings, clock=clock) as opened:
        yield opened


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A new, empty PostgreSQL database, dropped afterwards."""
    server = os.environ.get(PG_ENV)
    if not server:
        if os.environ.get("CI"):
            pytest.fail(f"{PG_ENV} is not set in CI: .ci/run must set it")
        pytest.skip(f"PostgreSQL not configured: set {PG_ENV} to run this test")
    name = f"archiver_test_{uuid.uuid4().hex[:12]}"
    admin_url = make_url(server).set(drivername="postgresql+psycopg")
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_archive(
    request: pytest.FixtureRequest, tmp_path: Path, clock: FakeClock
) -> Iterator[Archive]:
    """The same test on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        settings = make_settings(tmp_path)
    else:
        settings = make_settings(tmp_path, request.getfixturevalue("pg_url"))
    init_archive(settings, actor("admin"), clock=clock)
    with Archive.open(settings, clock=clock) as opened:
        yield opened


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., object]:
    """Run the real CLI in a temporary working directory; returns typer's Result."""
    from archiver.cli.main import app

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ARCHIVER_CONFIG", raising=False)
    monkeypatch.delenv("ARCHIVER_DATABASE_URL", raising=False)
    monkeypatch.delenv("ARCHIVER_ROOT", raising=False)
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None) -> object:
        return runner.invoke(app, list(args), input=input)

    return invoke
