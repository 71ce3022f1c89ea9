"""End to end: an ingested export is searchable at once, with its retention series and holds."""

from __future__ import annotations

from archiver.accounts import sync_accounts
from archiver.archive import Archive
from archiver.config import load_settings
from archiver.holds.rules import HoldScope
from archiver.holds.service import HoldRequest, create_hold
from archiver.ingest import ingest
from archiver.retention.service import load_schedule
from archiver.search import search, verify_index
from archiver.search.documents import build_documents
from tests.conftest import SAMPLE, actor


def test_an_ingested_export_is_searchable_and_verified(archive: Archive) -> None:
    sample = load_settings(SAMPLE / "archiver.toml", {}, SAMPLE)
    sync_accounts(archive, actor("admin"), sample.accounts)
    load_schedule(archive, actor("records"), SAMPLE / "retention_schedule.toml")
    create_hold(
        archive,
        actor("attorney"),
        HoldRequest("Doe v. City of Rancho Verde", HoldScope(accounts=("x:RanchoVerdeCA",))),
    )
    result = ingest(archive, actor("records"), SAMPLE / "exports" / "x_archive.zip")
    assert result.changed_item_ids

    everything = search(archive, actor("clerk"), "platform:x", per_page=1000)
    assert everything.total == len(set(result.changed_item_ids))
    report = verify_index(archive)
    assert report.ok, report.differences[:5]

    # a word from a real tweet finds it, with its account and permalink
    with archive.db.read() as session:
        documents, _ = build_documents(
            session, result.changed_item_ids[:50], archive.settings.timezone
        )
    sample_doc = next(d for d in documents if len(d.text.split()) > 4)
    assert all(d.hold for d in documents)  # the hold covers the X account
    assert all(d.series for d in documents)  # the schedule classified every item
    word = max(sample_doc.text.split(), key=len).strip(".,!?:;\"'()")
    hits = search(archive, actor("clerk"), f'"{word}" account:x:RanchoVerdeCA').hits
    assert sample_doc.item_id in {h.item_id for h in hits}
    assert all(h.account == "x:RanchoVerdeCA" for h in hits)
    series = sample_doc.series
    assert sample_doc.item_id in {
        h.item_id for h in search(archive, actor("clerk"), f"series:{series}", per_page=1000).hits
    }
