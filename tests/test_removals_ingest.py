"""End to end with the ingest pipeline: a complete export ingested twice, one post gone from the
second, the post waits in the review queue, and staff classify it as removed by the City."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from archiver.accounts import add_account
from archiver.archive import Archive
from archiver.config import AccountSpec
from archiver.ingest import IngestOptions, ingest
from archiver.removals.catalog import load_catalog
from archiver.removals.queue import ClassifyRequest, classify_missing, item_history, review_queue
from tests.conftest import SAMPLE, FakeClock, actor

EXPORT = SAMPLE / "exports" / "facebook_page_dyi"
POSTS = Path("this_profile's_activity_across_facebook") / "posts" / "profile_posts_1.json"


def without_one_post(target: Path) -> str:
    """A copy of the sample export with one plain post (no attachments) removed; its text."""
    shutil.copytree(EXPORT, target)
    path = target / POSTS
    posts = json.loads(path.read_text(encoding="utf-8"))
    index = next(i for i, p in enumerate(posts) if "attachments" not in p)
    gone = posts.pop(index)
    path.write_text(json.dumps(posts, indent=2), encoding="utf-8")
    return str(gone["data"][0]["post"])


def test_ingested_post_that_disappears_is_queued_and_classified(
    any_archive: Archive, tmp_path: Path, clock: FakeClock
) -> None:
    add_account(
        any_archive,
        actor("admin"),
        AccountSpec("facebook", "RanchoVerdeCity", platform_account_id="100064123456789"),
    )
    options = IngestOptions(account="facebook:RanchoVerdeCity", complete=True)
    ingest(any_archive, actor("records"), EXPORT, options)
    assert review_queue(any_archive) == []
    clock.advance(days=7)
    smaller = tmp_path / "later"
    text = without_one_post(smaller)
    ingest(any_archive, actor("social"), smaller, options)
    queue = review_queue(any_archive)
    assert len(queue) == 1 and queue[0].kind == "post"
    assert queue[0].missing_since is not None
    result = classify_missing(
        any_archive,
        actor("social"),
        str(queue[0].item_id),
        ClassifyRequest(
            "removed_by_city", "posted with a resident's phone number", ("post_personal_info",)
        ),
        catalog=load_catalog("carson"),
    )
    assert result.item_state == "removed_by_city" and result.removal is not None
    assert result.removal.removed_at == queue[0].missing_since
    assert result.removal.content and result.removal.content[0]["warc_record_id"]
    assert review_queue(any_archive) == []
    history = item_history(any_archive, str(queue[0].item_id))
    assert history.removal is not None and history.removal.grounds[0].clause == "IV.D.7(a)"
    assert [c.outcome for c in history.classifications] == ["removed_by_city"]
    assert history.removal.text == text  # the content as captured, kept with the removal
