"""A summary of the archive: counts, sizes, schema, last captures."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from sqlalchemy import func, select

from archiver import audit
from archiver.archive import Archive
from archiver.db import migrate
from archiver.db.models import Account, Capture, Item, ItemVersion, WarcRecord


@dataclass(frozen=True)
class CaptureLine:
    id: int
    account: str
    source_kind: str
    source_format: str
    started_at: str
    outcome: str
    counts: dict[str, object]


@dataclass(frozen=True)
class Status:
    city: str
    root: str
    database: str
    schema_revision: str
    single_user: bool
    accounts_active: int
    accounts_terminated: int
    items_by_kind: dict[str, int]
    items_by_state: dict[str, int]
    versions: int
    warc_files: int
    warc_bytes: int
    warc_records: int
    audit_events: int
    audit_head: str
    last_captures: list[CaptureLine] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def archive_status(archive: Archive, *, last: int = 5) -> Status:
    with archive.db.read() as session:
        accounts = dict(
            session.execute(select(Account.status, func.count()).group_by(Account.status)).all()
        )
        by_kind = dict(session.execute(select(Item.kind, func.count()).group_by(Item.kind)).all())
        by_state = dict(
            session.execute(select(Item.state, func.count()).group_by(Item.state)).all()
        )
        versions = session.scalar(select(func.count()).select_from(ItemVersion)) or 0
        records = session.scalar(select(func.count()).select_from(WarcRecord)) or 0
        seq, digest = audit.head(session)
        captures = session.execute(
            select(Capture, Account)
            .outerjoin(Account, Capture.account_id == Account.id)
            .order_by(Capture.started_at.desc())
            .limit(last)
        ).all()
        lines = [
            CaptureLine(
                id=c.id,
                account=f"{a.platform}:{a.handle}" if a else "",
                source_kind=c.source_kind,
                source_format=c.source_format,
                started_at=c.started_at.isoformat(),
                outcome=c.outcome,
                counts=dict(c.counts or {}),
            )
            for c, a in captures
        ]
    files = archive.warcs.files()
    return Status(
        city=archive.settings.city.name,
        root=str(archive.settings.root),
        database=archive.describe_database(),
        schema_revision=migrate.current_revision(archive.db.engine) or "",
        single_user=archive.settings.single_user,
        accounts_active=accounts.get("active", 0),
        accounts_terminated=accounts.get("terminated", 0),
        items_by_kind=by_kind,
        items_by_state=by_state,
        versions=versions,
        warc_files=len(files),
        warc_bytes=sum(archive.warcs.path(n).stat().st_size for n in files),
        warc_records=records,
        audit_events=seq,
        audit_head=digest,
        last_captures=lines,
    )
