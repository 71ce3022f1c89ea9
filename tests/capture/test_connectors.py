"""Every connector against the replay server: paging, threads, hidden comments, edits, media."""

from __future__ import annotations

from sqlalchemy import select

from archiver.db.models import Capture, Item, ItemVersion, Media, WarcRecord

from .conftest import World


def _by_id(world: World) -> dict[str, Item]:
    return {i.platform_id: i for i in world.items()}


def _response_uris(world: World) -> list[str]:
    with world.archive.db.read() as session:
        return list(
            session.scalars(
                select(WarcRecord.target_uri).where(WarcRecord.record_type == "response")
            )
        )


def test_facebook_feed_pages_comments_threads_hidden_and_media(world: World) -> None:
    result = world.capture("facebook")
    assert result.ok and result.complete, result.error
    assert result.pages == 3  # the profile; page size 2: three posts on two feed pages
    assert result.counts.new == 8 and result.counts.unchanged == 0  # with the profile
    items = _by_id(world)
    post = items["100064123456789_900001"]
    assert post.kind == "post" and post.text.startswith("Spring cleanup")
    reply, question = items["900001_222"], items["900001_111"]
    assert reply.kind == "reply" and reply.parent_id == question.id and reply.root_id == post.id
    assert question.parent_id == post.id
    assert items["900001_333"].state == "hidden"
    assert items["900001_444"].kind == "comment"  # from the comments edge: the feed truncated
    continued = world.server.requests_to("/v19.0/100064123456789_900001/comments")
    assert [s.query["after"] for s in continued] == ["QVFIUkNt"]
    uris = _response_uris(world)
    assert any(u.endswith("/media/fb_442.jpg") for u in uris), "album photos are stored"
    with world.archive.db.read() as session:
        photos = list(session.scalars(select(Media).where(Media.item_id == post.id)))
    assert len(photos) == 2 and all(p.warc_record_id and p.sha256 and p.size for p in photos)
    # the cursor from paging.cursors.after was used, never the token-bearing next URL
    second = world.server.requests_to("/v19.0/100064123456789/feed")[1]
    assert second.query["after"] == "QVFIUmNk" and second.query["access_token"]


def test_every_item_version_points_at_its_warc_response(world: World) -> None:
    world.capture("facebook")
    with world.archive.db.read() as session:
        versions = list(session.scalars(select(ItemVersion)))
        assert versions and all(v.warc_record_id for v in versions)
        post = next(v for v in versions if v.item.kind == "post")
        record = session.get(WarcRecord, post.warc_record_id)
        assert record is not None and record.record_type == "response"
        assert post.source_position.startswith("/data/")


def test_instagram_media_comments_and_paged_replies(world: World) -> None:
    result = world.capture("instagram")
    assert result.ok and result.complete, result.error
    items = _by_id(world)
    post = items["17896129349106152"]
    assert post.kind == "post" and "Ribbon cutting" in post.text
    assert items["17892250648466999"].state == "hidden"
    replies = [i for i in items.values() if i.kind == "reply"]
    assert {r.platform_id for r in replies} == {"17845747489952795", "17845747489952796"}
    assert all(r.parent_id == items["17892250648466172"].id for r in replies)
    assert world.server.requests_to("/v19.0/17892250648466172/replies"), "paged replies fetched"


def test_youtube_uploads_videos_threads_and_partial_replies(world: World) -> None:
    result = world.capture("youtube")
    assert result.ok and result.complete, result.error
    items = _by_id(world)
    assert {i.platform_id for i in items.values() if i.kind == "video"} == {
        "Xk3v9QpLm2A",
        "Qz7YtR2wPbE",
    }
    thread = items["UgxQ7hTz1aBcDeFgHiJ4AaABAg"]
    replies = [i for i in items.values() if i.kind == "reply"]
    assert len(replies) == 3, "totalReplyCount 3 with 1 inline: comments.list fetched the rest"
    assert all(r.parent_id == thread.id for r in replies)
    assert len(world.server.requests_to("/youtube/v3/comments")) == 2  # two pages of replies
    with world.archive.db.read() as session:
        version = session.scalars(select(ItemVersion).where(ItemVersion.item_id == thread.id)).one()
        assert version.edited_at is not None  # updatedAt after publishedAt
    # the video with comments disabled (403 commentsDisabled) does not fail the capture
    assert items["Qz7YtR2wPbE"].state == "active"


def test_x_posts_edit_history_and_conversation_replies(world: World) -> None:
    result = world.capture("x")
    assert result.ok, result.error
    assert not result.complete  # search reaches back seven days: never a full view
    items = _by_id(world)
    edited = items["1890000000000000001"]
    assert edited.version_count == 2 and "6:30pm" in edited.text
    assert "1890000000000000002" not in items  # versions are one item
    with world.archive.db.read() as session:
        texts = [
            v.text
            for v in session.scalars(
                select(ItemVersion)
                .where(ItemVersion.item_id == edited.id)
                .order_by(ItemVersion.version_no)
            )
        ]
    assert "6pm" in texts[0] and "6:30pm" in texts[1]
    reply = items["1890000000000000010"]
    assert reply.kind == "reply" and reply.parent_id == items["1890000000000000003"].id
    assert reply.author_handle == "danaqresident"
    assert "1880000000000000001" in items  # second page of the timeline
    again = world.capture("x")  # the edit history seen again adds no version
    assert again.counts.changed == 0 and again.counts.new == 0
    assert world.items(platform_id="1890000000000000001")[0].version_count == 2
    sent = world.server.requests_to("/2/users/1500000000000000001/tweets")[0]
    assert sent.headers["Authorization"].startswith("Bearer ")


def test_bluesky_author_feed_and_threads_without_credentials(world: World) -> None:
    world.env.clear()  # the public AppView needs no token
    result = world.capture("bluesky")
    assert result.ok and result.complete, result.error
    items = _by_id(world)
    did = "did:plc:ranchoverde00000000000000"
    root = items[f"at://{did}/app.bsky.feed.post/3kse6xyzabc2a"]
    answer = items[f"at://{did}/app.bsky.feed.post/3kse7vqqxbc2a"]
    question = items["at://did:plc:resident0000000000000000/app.bsky.feed.post/3kse7aaaaac2b"]
    assert answer.parent_id == question.id and question.parent_id == root.id
    assert f"at://{did}/app.bsky.feed.post/3jzfcijpj2z2a" in items  # page two
    assert not any("3kaaaaaaaaa2a" in pid for pid in items), "reposts of others are skipped"
    with world.archive.db.read() as session:
        photos = list(session.scalars(select(Media).where(Media.item_id == root.id)))
        # one row per image, named by its blob CID as in a repository export, holding the
        # bytes of the AppView's copy
        assert len(photos) == 1 and photos[0].warc_record_id and photos[0].sha256
        assert photos[0].source_uri.startswith("bafkrei")
        stored = session.get(WarcRecord, photos[0].warc_record_id)
        assert stored is not None and stored.target_uri.endswith("@jpeg")


def test_web_pages_feed_entries_and_their_media(world: World) -> None:
    result = world.capture("web")
    assert result.ok, result.error
    assert not result.complete
    items = world.items()
    page = next(i for i in items if i.kind == "web_page")
    assert "Notes from District 2" in page.text and "tracking" not in page.text
    entries = {i.platform_id: i for i in items if i.kind == "blog_entry"}
    assert set(entries) == {
        "rv-blog-2026-02-budget",
        f"{world.server.base}/blog/2026/02/parks.html",
    }
    budget = entries["rv-blog-2026-02-budget"]
    assert budget.author_name == "Ana Rivera" and "budget workshop" in budget.text
    assert budget.created_at is not None and budget.created_at.year == 2026
    uris = _response_uris(world)
    for path in ("/blog/2026/02/budget.html", "/blog/images/hall.jpg", "/blog/files/agenda.pdf"):
        assert any(u.endswith(path) for u in uris), path
    with world.archive.db.read() as session:
        capture = session.scalars(select(Capture)).one()
        assert capture.source_kind == "web" and capture.outcome == "succeeded"


def test_a_feed_entry_whose_page_fails_is_kept_with_a_note(world: World) -> None:
    world.server.fail("/blog/2026/02/parks.html", 404, times=1)
    result = world.capture("web")
    assert result.ok and any("parks.html" in n and "404" in n for n in result.notes)
    assert len([i for i in world.items() if i.kind == "blog_entry"]) == 2
