"""The production: every responsive record as it will be disclosed, redactions applied.

This is the only place where original text meets redactions; everything rendered afterwards
(HTML, PDF, JSON, load files) reads ``Production`` and never the archive's rows, so nothing a
reviewer redacted or withheld can reach a renderer.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from archiver.db.models import Account, Item, ItemVersion, Media, WarcRecord
from archiver.errors import Conflict
from archiver.removals.views import ClassificationRecord, RemovalRecord
from archiver.requests import seams
from archiver.requests.exemptions import Catalog
from archiver.requests.models import PublicRequest, Redaction, RequestExtension, RequestItem

WITHHELD_CHECKED_LENGTH = 20


@dataclass(frozen=True)
class Segment:
    """Disclosed text, or a redaction label in its place (``text`` empty)."""

    text: str = ""
    label: str = ""

    @property
    def redacted(self) -> bool:
        return bool(self.label)


@dataclass(frozen=True)
class VersionOut:
    version_no: int
    observed_at: str
    edited_at: str
    segments: tuple[Segment, ...]
    data: dict[str, Any]


@dataclass(frozen=True)
class GroundOut:
    code: str
    title: str
    clause: str


@dataclass(frozen=True)
class AmendmentOut:
    """A later statement of a removal: its date, who made it, why, and what it says now."""

    revision_no: int
    recorded_at: str
    by_name: str
    by_title: str
    reason: str
    grounds: tuple[GroundOut, ...]
    platform_action: str
    note: str


@dataclass(frozen=True)
class RemovalOut:
    """The City's removal of a released or redacted record, as disclosed: the current grounds,
    note and platform action, the original record's time and author, every amendment. The
    poster's identity and the note pass through the record's redactions."""

    removed_at: str
    recorded_at: str
    by_name: str
    by_title: str
    platform_action: str
    policy: str
    grounds: tuple[GroundOut, ...]
    note: str
    poster: str
    poster_redacted: bool
    amendments: tuple[AmendmentOut, ...] = ()

    def grounds_text(self) -> str:
        return "; ".join(f"{g.clause} {g.title} ({g.code})" for g in self.grounds)


@dataclass(frozen=True)
class ClassificationOut:
    """Why the record went missing from its source, as staff classified it."""

    outcome: str  # removed_by_city | deleted_by_author | removed_by_platform | unknown
    classified_at: str
    by_name: str
    by_title: str
    note: str

    @property
    def description(self) -> str:
        return self.outcome.replace("_", " ")


@dataclass(frozen=True)
class RecordOut:
    item_id: int
    status: str  # released | redacted | withheld
    kind: str
    platform: str
    account: str
    author: str
    author_redacted: bool
    created_at: str
    first_seen_at: str
    last_seen_at: str
    permalink: str
    state: str
    parent_id: int | None
    root_id: int
    original_sha256: str
    versions: tuple[VersionOut, ...] = ()
    exemptions: tuple[str, ...] = ()
    warc_record_ids: tuple[int, ...] = ()
    removal: RemovalOut | None = None
    classifications: tuple[ClassificationOut, ...] = ()


@dataclass(frozen=True)
class LogEntry:
    item_id: int
    action: str  # withheld | redacted
    field: str
    citation: str
    title: str
    basis: str
    reviewer_name: str
    reviewer_title: str
    decided_on: str


@dataclass
class Production:
    number: str
    law: str
    requester: str
    contact: str
    description: str
    litigation: bool
    received_on: date
    due_on: date
    original_due_on: date
    extension: RequestExtension | None
    records: list[RecordOut] = field(default_factory=list)
    log: list[LogEntry] = field(default_factory=list)
    redacted_strings: set[str] = field(default_factory=set)  # for the self-check only

    @property
    def released(self) -> list[RecordOut]:
        return [r for r in self.records if r.status != "withheld"]

    @property
    def withheld(self) -> list[RecordOut]:
        return [r for r in self.records if r.status == "withheld"]

    def responsible(self) -> list[tuple[str, str]]:
        seen: dict[tuple[str, str], None] = {}
        for entry in self.log:
            seen[(entry.reviewer_name, entry.reviewer_title)] = None
        return list(seen)


def _iso(moment: datetime | None) -> str:
    return moment.isoformat() if moment else ""


def _label(citation: str) -> str:
    return f"REDACTED — {citation}"


def _apply_spans(text: str, spans: list[tuple[int, int, str]]) -> tuple[Segment, ...]:
    """Split ``text`` around the (start, end, label) spans; overlapping spans merge."""
    out: list[Segment] = []
    position = 0
    for start, end, label in sorted(spans):
        if end <= position:
            continue
        start = max(start, position)
        if start > position:
            out.append(Segment(text=text[position:start]))
        if out and out[-1].redacted and start == position:
            if label not in out[-1].label:
                out[-1] = Segment(label=f"{out[-1].label}; {label.removeprefix('REDACTED — ')}")
        else:
            out.append(Segment(label=label))
        position = end
    if position < len(text):
        out.append(Segment(text=text[position:]))
    return tuple(out)


def _scrub(value: Any, secrets: list[str], label: str) -> Any:
    """Replace every redacted string wherever it appears in a JSON value."""
    if isinstance(value, str):
        for secret in secrets:
            if secret and secret in value:
                value = value.replace(secret, f"[{label}]")
        return value
    if isinstance(value, list):
        return [_scrub(v, secrets, label) for v in value]
    if isinstance(value, dict):
        return {k: _scrub(v, secrets, label) for k, v in value.items()}
    return value


def _problems(rows: list[RequestItem], redactions: list[Redaction]) -> list[str]:
    problems = []
    pending = [r.item_id for r in rows if r.decision == "pending"]
    if pending:
        problems.append(f"{len(pending)} item(s) have no decision yet (e.g. {pending[:5]})")
    suggested = [r.id for r in redactions if r.status == "suggested"]
    if suggested:
        problems.append(
            f"{len(suggested)} suggested redaction(s) are neither accepted nor rejected "
            f"(e.g. {suggested[:5]})"
        )
    accepted = {r.item_id for r in redactions if r.status == "accepted"}
    bad_release = [r.item_id for r in rows if r.decision == "release" and r.item_id in accepted]
    if bad_release:
        problems.append(f"items marked release carry accepted redactions: {bad_release[:5]}")
    bare = [r.item_id for r in rows if r.decision == "redact" and r.item_id not in accepted]
    if bare:
        problems.append(f"items marked redact have no accepted redaction: {bare[:5]}")
    return problems


People = Callable[[str], tuple[str, str]]  # login -> (name, title)


def _login_only(login: str) -> tuple[str, str]:
    return login, ""


def collect(
    session: Session, request: PublicRequest, catalog: Catalog, people: People = _login_only
) -> Production:
    rows = list(session.scalars(select(RequestItem).where(RequestItem.request_id == request.id)))
    redactions = list(
        session.scalars(
            select(Redaction).where(Redaction.request_id == request.id).order_by(Redaction.id)
        )
    )
    problems = _problems(rows, redactions)
    if not rows:
        problems.append("the responsive set is empty")
    if problems:
        raise Conflict(
            f"request {request.number} is not ready to package: " + "; ".join(problems),
            hint=f"Finish the review (`archiver requests review {request.number}`).",
        )
    production = Production(
        number=request.number,
        law=request.law,
        requester="" if request.anonymous else request.requester_name,
        contact=request.requester_contact,
        description=request.description,
        litigation=request.litigation,
        received_on=request.received_on,
        due_on=request.due_on,
        original_due_on=request.original_due_on,
        extension=request.extensions[0] if request.extensions else None,
    )
    by_item: dict[int, list[Redaction]] = defaultdict(list)
    for red in redactions:
        if red.status == "accepted":
            by_item[red.item_id].append(red)
    decisions = {r.item_id: r for r in rows}
    ids = sorted(decisions)
    items: dict[int, tuple[Item, Account]] = {}
    versions: dict[int, list[ItemVersion]] = defaultdict(list)
    media: dict[int, list[int]] = defaultdict(list)
    sha: dict[int, str] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for item, account in session.execute(
            select(Item, Account)
            .join(Account, Account.id == Item.account_id)
            .where(Item.id.in_(chunk))
        ).all():
            items[item.id] = (item, account)
        for version, digest in session.execute(
            select(ItemVersion, WarcRecord.payload_sha256)
            .outerjoin(WarcRecord, WarcRecord.id == ItemVersion.warc_record_id)
            .where(ItemVersion.item_id.in_(chunk))
            .order_by(ItemVersion.item_id, ItemVersion.version_no)
        ).all():
            versions[version.item_id].append(version)
            sha[version.item_id] = digest or ""
        for item_id, record_id in session.execute(
            select(Media.item_id, Media.warc_record_id).where(
                Media.item_id.in_(chunk), Media.warc_record_id.is_not(None)
            )
        ).all():
            if record_id is not None:
                media[item_id].append(record_id)
    removals = seams.removal_records(session, ids)
    classified = seams.missing_classifications(session, ids)

    def order(item_id: int) -> tuple[Any, ...]:
        item = items[item_id][0]
        root = items.get(item.root_id or item.id, (item, None))[0]
        return (
            root.created_at or datetime.min,
            root.id,
            item.root_id is not None,
            item.created_at or datetime.min,
            item.id,
        )

    for item_id in sorted(ids, key=order):
        item, account = items[item_id]
        decision = decisions[item_id]
        production.records.append(
            _record(
                item,
                account,
                decision,
                versions[item_id],
                by_item[item_id],
                media[item_id],
                sha.get(item_id, ""),
                catalog,
                production,
                _Trail(removals.get(item_id), classified.get(item_id, []), people),
            )
        )
    return production


@dataclass(frozen=True)
class _Trail:
    """The removal audit trail of one record, before redaction."""

    removal: RemovalRecord | None
    classifications: list[ClassificationRecord]
    people: People

    def poster_secrets(self) -> list[str]:
        r = self.removal
        return [r.poster_name, r.poster_handle, r.poster_platform_id] if r else []

    def out(
        self, secrets: list[str], label: str, author_label: str | None
    ) -> tuple[RemovalOut | None, tuple[ClassificationOut, ...]]:
        def clean(text: str) -> str:
            return str(_scrub(text, secrets, label)) if secrets else text

        def grounds(refs: Any) -> tuple[GroundOut, ...]:
            return tuple(GroundOut(g.code, clean(g.title), g.clause) for g in refs)

        removal = None
        if (r := self.removal) is not None:
            name, title = self.people(r.recorded_by)
            poster = r.poster_name or r.poster_handle or r.poster_platform_id
            removal = RemovalOut(
                removed_at=_iso(r.removed_at),
                recorded_at=_iso(r.recorded_at),
                by_name=name,
                by_title=title,
                platform_action=r.platform_action,
                policy=r.policy_source or r.catalog_id,
                grounds=grounds(r.grounds),
                note=clean(r.note),
                poster=author_label if author_label is not None else clean(poster),
                poster_redacted=author_label is not None,
                amendments=tuple(
                    AmendmentOut(
                        v.revision_no,
                        _iso(v.recorded_at),
                        *self.people(v.recorded_by),
                        clean(v.change_reason),
                        grounds(v.grounds),
                        v.platform_action,
                        clean(v.note),
                    )
                    for v in r.revisions[1:]
                ),
            )
        classifications = tuple(
            ClassificationOut(
                c.outcome, _iso(c.classified_at), *self.people(c.classified_by), clean(c.note)
            )
            for c in self.classifications
        )
        return removal, classifications


def _record(
    item: Item,
    account: Account,
    decision: RequestItem,
    versions: list[ItemVersion],
    redactions: list[Redaction],
    media_records: list[int],
    original_sha: str,
    catalog: Catalog,
    production: Production,
    trail: _Trail,
) -> RecordOut:
    law = production.law
    common: dict[str, Any] = {
        "item_id": item.id,
        "kind": item.kind,
        "platform": item.platform,
        "account": f"{account.platform}:{account.handle}",
        "created_at": _iso(item.created_at),
        "first_seen_at": _iso(item.first_seen_at),
        "last_seen_at": _iso(item.last_seen_at),
        "state": item.state,
        "parent_id": item.parent_id,
        "root_id": item.root_id or item.id,
        "original_sha256": original_sha,
    }
    if decision.decision == "withhold":
        entry = catalog.exemption(law, decision.exemption)
        production.log.append(
            LogEntry(
                item.id,
                "withheld",
                "record",
                entry.citation,
                entry.title,
                decision.basis,
                decision.reviewer_name,
                decision.reviewer_title,
                _day(decision.decided_at),
            )
        )
        for version in versions:  # quoted whole elsewhere; a short "Thanks!" is no secret
            if len(version.text.strip()) >= WITHHELD_CHECKED_LENGTH:
                production.redacted_strings.add(version.text.strip())
        return RecordOut(
            status="withheld",
            author="",
            author_redacted=True,
            permalink="",
            exemptions=(entry.citation,),
            **common,
        )
    citations: list[str] = []
    secrets: list[str] = []
    spans: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    author_redacted = False
    for red in redactions:
        entry = catalog.exemption(law, red.exemption)
        citations.append(entry.citation)
        production.log.append(
            LogEntry(
                item.id,
                "redacted",
                red.field if red.field == "author" else f"text {red.start}-{red.end}",
                entry.citation,
                entry.title,
                red.basis,
                red.reviewer_name,
                red.reviewer_title,
                _day(red.decided_at),
            )
        )
        if red.field == "author":
            author_redacted = True
            secrets.extend(
                s for s in (item.author_name, item.author_handle, item.author_platform_id) if s
            )
            secrets.extend(s for s in trail.poster_secrets() if s)
        elif red.version_id is not None:
            version = next(v for v in versions if v.id == red.version_id)
            secrets.append(version.text[red.start : red.end])
            spans[red.version_id].append((red.start, red.end, _label(entry.citation)))
    secrets = sorted({s for s in secrets if s.strip()}, key=len, reverse=True)
    production.redacted_strings.update(secrets)
    label = _label(", ".join(dict.fromkeys(citations))) if citations else ""
    outs = []
    for version in versions:
        segments = _apply_spans(version.text, spans.get(version.id, []))
        if secrets:
            segments = tuple(
                s if s.redacted else Segment(text=_scrub(s.text, secrets, label)) for s in segments
            )
        data = {k: v for k, v in (version.data or {}).items()}
        outs.append(
            VersionOut(
                version.version_no,
                _iso(version.first_observed_at),
                _iso(version.edited_at),
                segments,
                _scrub(data, secrets, label) if secrets else data,
            )
        )
    author = item.author_name or item.author_handle
    author_label = f"[{_label(citations[0])}]" if author_redacted else None
    removal, classifications = trail.out(secrets, label, author_label)
    redacted = bool(redactions)
    warc_ids = tuple(
        sorted({v.warc_record_id for v in versions if v.warc_record_id} | set(media_records))
    )
    return RecordOut(
        status="redacted" if redacted else "released",
        author=author_label if author_label is not None else author,
        author_redacted=author_redacted,
        permalink=_scrub(item.permalink, secrets, label) if secrets else item.permalink,
        versions=tuple(outs),
        exemptions=tuple(dict.fromkeys(citations)),
        warc_record_ids=() if redacted else warc_ids,
        removal=removal,
        classifications=classifications,
        **common,
    )


def _day(moment: datetime | None) -> str:
    return moment.date().isoformat() if moment else ""
