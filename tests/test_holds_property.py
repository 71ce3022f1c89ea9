"""Property: whatever the schedule, holds, items and operations, no held content is ever lost.

Hypothesis generates a schedule (retention periods), items in several exports (some with their
own WARC records, some only inside the shared export), holds of every scope kind, and a sequence
of operations: place a hold, release one, let time pass, propose-approve-execute a disposition
(sometimes with a hold placed between proposal and execution). Before each disposition the held
items are noted with their WARC records' digests; after it, every one of them must still be in
the database and its bytes readable in the WARC files with intact digests.
"""

from __future__ import annotations

import contextlib
import hashlib
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from archiver.archive import Archive
from archiver.db.models import Item, ItemVersion, WarcRecord
from archiver.errors import InvalidInput
from archiver.holds.matching import held_items
from archiver.holds.rules import HoldScope
from archiver.holds.service import HoldRequest, create_hold, list_holds, release_hold
from archiver.lifecycle import init_archive
from archiver.retention.disposition import propose, record_consent, record_resolution
from archiver.retention.execute import execute
from archiver.retention.service import load_schedule
from archiver.warc.catalog import locator
from tests.conftest import SAMPLE, FakeClock, actor, make_settings
from tests.records import Post, account, ingest, when

ACCOUNTS = ("facebook:RanchoVerdeCity", "facebook:RanchoVerdeParks", "facebook:RanchoVerdePD")
WORDS = ("parking", "budget", "parade", "pothole")

posts = st.lists(
    st.tuples(
        st.integers(0, 2),  # account
        st.integers(2019, 2026),  # year created
        st.integers(1, 12),  # month
        st.sampled_from(WORDS),
        st.sampled_from(["post", "comment"]),
        st.sampled_from(["active", "active", "removed_by_city"]),
    ),
    min_size=1,
    max_size=8,
)
scopes = st.builds(
    lambda accts, dates, query, explicit: (accts, dates, query, explicit),
    st.lists(st.integers(0, 2), max_size=2, unique=True),
    st.one_of(st.none(), st.tuples(st.integers(2019, 2026), st.integers(0, 3))),
    st.one_of(st.none(), st.sampled_from(WORDS)),
    st.lists(st.integers(0, 30), max_size=2),
)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("hold"), scopes),
        st.tuples(st.just("release"), st.integers(0, 5)),
        st.tuples(st.just("advance"), st.integers(30, 900)),
        st.tuples(st.just("dispose"), st.one_of(st.none(), scopes)),
    ),
    min_size=1,
    max_size=6,
)
retentions = st.sampled_from(["P1Y", "P2Y", "P3Y", "P6M", "permanent"])


@dataclass
class World:
    archive: Archive
    clock: FakeClock
    items: list[int]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite archive, copied for each example (migrating each time is slow)."""
    root = tmp_path_factory.mktemp("template")
    init_archive(make_settings(root), actor("admin"), clock=FakeClock())
    return root / "archive"


def fresh(template: Path, where: Path, clock: FakeClock) -> Archive:
    shutil.copytree(template, where / "archive")
    return Archive.open(make_settings(where), clock=clock)


def schedule_file(where: Path, sm01: str, sm03: str) -> Path:
    text = (SAMPLE / "retention_schedule.toml").read_text()
    text = text.replace(
        'code = "SM-01"\ntitle = "Posts, comments and replies on official accounts"\n'
        'retention = "P2Y"',
        f'code = "SM-01"\ntitle = "Posts, comments and replies on official accounts"\n'
        f'retention = "{sm01}"',
    )
    text = text.replace(
        'retention = "P5Y"\ntrigger = "state_changed"',
        f'retention = "{sm03}"\ntrigger = "state_changed"',
    )
    path = where / "schedule.toml"
    path.write_text(text)
    return path


def to_scope(world: World, spec: tuple[list[int], object, object, list[int]]) -> HoldScope:
    accts, dates, query, explicit = spec
    date_from = date_to = None
    if isinstance(dates, tuple):
        date_from = date(dates[0], 1, 1)
        date_to = date(dates[0] + dates[1], 12, 31)
    with world.archive.db.read() as session:
        alive = set(session.scalars(select(Item.id)))
    return HoldScope(
        accounts=tuple(ACCOUNTS[a] for a in accts),
        date_from=date_from,
        date_to=date_to,
        query=query if isinstance(query, str) else "",
        item_ids=tuple(sorted({world.items[i % len(world.items)] for i in explicit} & alive)),
    )


def place(world: World, spec: tuple[list[int], object, object, list[int]]) -> None:
    scope = to_scope(world, spec)
    with contextlib.suppress(InvalidInput):  # an empty scope is refused, as it should be
        create_hold(world.archive, actor("attorney"), HoldRequest("Matter", scope))


def snapshot(world: World) -> dict[int, list[tuple[str, str]]]:
    """Held item → [(WARC record id, payload SHA-256)] of its versions."""
    with world.archive.db.read() as session:
        alive = list(session.scalars(select(Item.id)))
        held = held_items(session, alive)
        out: dict[int, list[tuple[str, str]]] = {}
        for item_id in held:
            rows = session.execute(
                select(WarcRecord.record_id, WarcRecord.payload_sha256)
                .join(ItemVersion, ItemVersion.warc_record_id == WarcRecord.id)
                .where(ItemVersion.item_id == item_id)
            ).all()
            out[item_id] = [(r, s) for r, s in rows]
        return out


def check_intact(world: World, held: dict[int, list[tuple[str, str]]]) -> None:
    with world.archive.db.read() as session:
        alive = set(session.scalars(select(Item.id)))
        assert set(held) <= alive, f"held items destroyed: {sorted(set(held) - alive)}"
        for records in held.values():
            for record_id, sha in records:
                row = session.scalars(
                    select(WarcRecord).where(WarcRecord.record_id == record_id)
                ).one()
                payload = world.archive.warcs.read(locator(row)).payload  # checks digests
                assert hashlib.sha256(payload).hexdigest() == sha


def dispose(world: World, between: tuple[list[int], object, object, list[int]] | None) -> None:
    try:
        batch = propose(world.archive, actor("records"))
    except InvalidInput:
        return
    today = world.clock.now.date()
    record_resolution(world.archive, actor("records"), batch.id, number="R-1", adopted_on=today)
    record_consent(world.archive, actor("attorney"), batch.id, consented_on=today)
    if between is not None:
        place(world, between)
    held = snapshot(world)
    execute(world.archive, actor("records"), batch.id)
    check_intact(world, held)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    sm01=retentions,
    sm03=retentions,
    exports=st.lists(st.tuples(posts, st.booleans()), min_size=1, max_size=3),
    ops=operations,
)
def test_no_held_content_is_ever_lost(
    template: Path,
    tmp_path_factory: pytest.TempPathFactory,
    sm01: str,
    sm03: str,
    exports: list[tuple[list[tuple[int, int, int, str, str, str]], bool]],
    ops: list[tuple[str, object]],
) -> None:
    where = tmp_path_factory.mktemp("example")
    clock = FakeClock()
    archive = fresh(template, where, clock)
    try:
        world = World(archive, clock, [])
        accounts = [account(archive, a.split(":")[1]) for a in ACCOUNTS]
        load_schedule(archive, actor("records"), schedule_file(where, sm01, sm03))
        n = 0
        for batch, own in exports:
            for index in range(3):
                mine = [p for p in batch if p[0] == index]
                if not mine:
                    continue
                made = ingest(
                    archive,
                    accounts[index],
                    [
                        Post(
                            f"p{(n := n + 1)}", f"{word} notice {n}", when(year, month), kind, state
                        )
                        for _a, year, month, word, kind, state in mine
                    ],
                    own_records=own,
                    captured=when(2026, 1, 1),
                )
                world.items.extend(made.items.values())
        for op, arg in ops:
            if op == "hold":
                place(world, arg)  # type: ignore[arg-type]
            elif op == "release":
                active = [h.code for h in list_holds(archive) if h.status == "active"]
                if active:
                    code = active[int(arg) % len(active)]  # type: ignore[call-overload]
                    release_hold(archive, actor("attorney"), code, reason="done")
            elif op == "advance":
                clock.advance(days=int(arg))  # type: ignore[call-overload]
            else:
                dispose(world, arg)  # type: ignore[arg-type]
        dispose(world, None)
    finally:
        archive.close()
