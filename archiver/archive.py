"""The composition root: settings, database and WARC store of one archive, and its units of work."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from archiver import SOFTWARE, audit
from archiver.actors import Actor
from archiver.config import Settings
from archiver.db import migrate
from archiver.db.engine import Database
from archiver.db.models import WarcRecord
from archiver.errors import DatabaseError, NotFound
from archiver.warc import WarcStore, WarcWriter, Written
from archiver.warc import catalog as warc_catalog

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class WarcUnit:
    """A database transaction and a WARC writer that commit together (WARC bytes first)."""

    session: Session
    writer: WarcWriter
    capture_id: int | None
    now: datetime
    _registered: dict[str, WarcRecord] = field(default_factory=dict)

    def register(self, *written: Written) -> list[WarcRecord]:
        """Rows for records just written, so items can point at them in this transaction."""
        fresh = [w for w in written if w.record_id not in self._registered]
        self._registered.update(
            warc_catalog.register(self.session, fresh, self.capture_id, self.now)
        )
        return [self._registered[w.record_id] for w in written]

    def finish(self) -> None:
        self.register(*self.writer.written)
        self.session.flush()


class Archive:
    def __init__(self, settings: Settings, *, clock: Clock = utc_now) -> None:
        self.settings = settings
        self.clock = clock
        self.db = Database(settings.database_url, info={"timezone": settings.timezone})
        self.warcs = WarcStore(
            settings.warc_dir, max_bytes=settings.warc_max_bytes, software=SOFTWARE, clock=clock
        )

    @classmethod
    def open(cls, settings: Settings, *, clock: Clock = utc_now) -> Archive:
        """Open an initialized archive whose database is at the current schema."""
        if not settings.root.is_dir():
            raise NotFound(
                f"no archive at {settings.root}",
                hint="Run `archiver init` to create it, or point --config / ARCHIVER_ROOT at it.",
            )
        archive = cls(settings, clock=clock)
        current = migrate.current_revision(archive.db.engine)
        head = migrate.head_revision(settings.database_url)
        if current is None:
            archive.close()
            raise DatabaseError(
                f"the archive database ({archive.describe_database()}) is not initialized",
                hint="Run `archiver init`.",
            )
        if current != head:
            archive.close()
            raise DatabaseError(
                f"the archive database is at schema {current}; this archiver needs {head}",
                hint="Run `archiver db upgrade` (back up the database first).",
            )
        return archive

    def close(self) -> None:
        self.db.dispose()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def describe_database(self) -> str:
        url = self.db.engine.url
        if url.get_backend_name() == "sqlite":
            return f"SQLite {url.database}"
        return f"PostgreSQL {url.host or 'socket'}/{url.database}"

    @contextmanager
    def unit(self) -> Iterator[Session]:
        """A unit of work without WARC writes."""
        with self.db.write() as session:
            yield session

    @contextmanager
    def warc_unit(
        self, actor: Actor, *, capture_id: int | None = None, info: Mapping[str, str] | None = None
    ) -> Iterator[WarcUnit]:
        """A unit of work that writes WARC records. On success the records are registered, the
        WARC file is fsynced, then the transaction commits. On any failure the transaction rolls
        back and the WARC bytes written are cut off again."""
        writer: WarcWriter | None = None
        try:
            with self.db.write() as session:
                sizes = {p.name: p.stat().st_size for p in self.settings.warc_dir.glob("*.warc.gz")}
                append_to = warc_catalog.appendable_file(session, sizes)
                seq, digest = audit.head(session)
                fields = {
                    "operator-role": ",".join(sorted(actor.roles)),
                    "audit-head": f"{seq} {digest}",
                }
                if capture_id is not None:
                    fields["capture-id"] = str(capture_id)
                fields.update(info or {})
                writer = self.warcs.writer(operator=actor.login, info=fields, append_to=append_to)
                unit = WarcUnit(session, writer, capture_id, self.clock())
                yield unit
                unit.finish()
                writer.sync()
                if writer.closed_files:
                    closed_sizes = {
                        n: self.warcs.path(n).stat().st_size for n in writer.closed_files
                    }
                    warc_catalog.mark_closed(
                        session, writer.closed_files, closed_sizes, self.clock()
                    )
        except BaseException:
            if writer is not None:
                writer.rollback()
            raise
        else:
            writer.close()
