"""Engines and units of work.

SQLite: WAL journal, foreign keys on, a busy timeout, and ``BEGIN IMMEDIATE`` for write units so
two writers queue instead of failing half way. PostgreSQL: plain READ COMMITTED; code that needs a
serial section (the audit chain) takes an advisory lock.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from archiver.errors import Busy, ConfigError, DatabaseError

SQLITE_BUSY_TIMEOUT_MS = 30_000


def make_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ConfigError(
            f"database URL {url!r} is not a valid URL",
            hint="Expected sqlite:///PATH or postgresql+psycopg://USER@HOST/DB.",
        ) from None
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url)
    if parsed.get_backend_name() == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        try:
            return create_engine(parsed, pool_pre_ping=True)
        except ModuleNotFoundError:
            raise ConfigError(
                "PostgreSQL support is not installed",
                hint="pip install 'city-records-archiver[postgres]'",
            ) from None
    raise ConfigError(
        f"unsupported database {parsed.get_backend_name()!r}: use SQLite or PostgreSQL"
    )


def _sqlite_engine(url: str) -> Engine:
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # let SQLAlchemy emit BEGIN itself
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        immediate = connection.get_execution_options().get("sqlite_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


class Database:
    """An engine plus the two kinds of unit of work: ``write()`` and ``read()``."""

    def __init__(self, url: str, *, info: Mapping[str, object] | None = None) -> None:
        """``info`` is given to every session as ``session.info`` (the archive's time zone)."""
        self.url = url
        self.engine = make_engine(url)
        self._writer = sessionmaker(
            self.engine.execution_options(sqlite_write=True),
            expire_on_commit=False,
            info=dict(info or {}),
        )
        self._reader = sessionmaker(self.engine, expire_on_commit=False, info=dict(info or {}))

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One unit of work: commits on success, rolls back on any error."""
        with _translate_errors(), self._writer() as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        with _translate_errors(), self._reader() as session:
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


@contextmanager
def _translate_errors() -> Iterator[None]:
    try:
        yield
    except OperationalError as exc:
        text = str(exc.orig)
        if "database is locked" in text:
            raise Busy(
                "the archive database is busy (another archiver process is writing)",
                hint="Wait for it to finish and run the command again.",
            ) from exc
        if "no such table" in text or ("relation" in text and "does not exist" in text):
            raise DatabaseError(
                "the archive database is not initialized or not migrated",
                hint="Run `archiver init` (new archive) or `archiver db upgrade`.",
            ) from exc
        raise DatabaseError(f"database error: {text}") from exc
