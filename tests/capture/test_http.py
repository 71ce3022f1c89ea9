"""The capture HTTP client: rate limits, retries, revoked tokens, scrubbed WARC records."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from archiver.capture.credentials import Credential
from archiver.capture.http import (
    HttpClient,
    RetryPolicy,
    is_token_rejected,
    scrub_bytes,
    scrub_url,
)
from archiver.errors import CaptureError, CredentialError, RateLimited
from archiver.warc.store import WarcStore, WarcWriter
from tests.conftest import FakeClock

from .replay import ReplayServer

TOKEN = "EAAGsecretTOKENvalue0123456789"
FEED = "/v19.0/100064123456789/feed"


@pytest.fixture
def server() -> Iterator[ReplayServer]:
    replay = ReplayServer(token=TOKEN).load("facebook").load("x").start()
    yield replay
    replay.stop()


@pytest.fixture
def writer(tmp_path: Path, clock: FakeClock) -> Iterator[WarcWriter]:
    store = WarcStore(tmp_path / "warc", clock=clock)
    store.directory.mkdir()
    opened = store.writer(operator="test")
    yield opened
    opened.close()


def client(
    writer: WarcWriter, clock: FakeClock, sleeps: list[float], **policy: float
) -> HttpClient:
    return HttpClient(
        account="facebook:RanchoVerdeCity",
        user_agent="archiver-test",
        policy=RetryPolicy(**policy),  # type: ignore[arg-type]
        credential=Credential("meta_access_token", TOKEN),
        renewal_hint="Renew ARCHIVER_META_ACCESS_TOKEN.",
        sleep=sleeps.append,
        clock=clock,
        writer=writer,
    )


def records(writer: WarcWriter) -> list[tuple[str, str, bytes]]:
    writer.sync()
    path = writer.store.path(writer.current_file)
    with path.open("rb") as handle:
        return [
            (
                r.rec_type,
                r.rec_headers.get_header("WARC-Target-URI") or "",
                (r.http_headers.to_bytes() if r.rec_type == "request" else b"")
                + r.content_stream().read(),
            )
            for r in ArchiveIterator(handle)
            if r.rec_type in ("request", "response")
        ]


def test_429_waits_for_retry_after_then_succeeds(
    server: ReplayServer, writer: WarcWriter, clock: FakeClock
) -> None:
    sleeps: list[float] = []
    server.fail(FEED, 429, headers={"Retry-After": "7"}, body=b'{"error":"slow down"}')
    body, _ = client(writer, clock, sleeps).get_json(
        f"{server.base}{FEED}", {"access_token": TOKEN}
    )
    assert sleeps == [7.0] and body["data"]
    kinds = [k for k, _, _ in records(writer)]
    assert kinds == ["response", "request", "response", "request"]  # the 429 is kept too


def test_429_with_an_http_date_and_one_beyond_max_wait(
    server: ReplayServer, writer: WarcWriter, clock: FakeClock
) -> None:
    sleeps: list[float] = []
    later = datetime(2026, 3, 1, 9, 0, 30, tzinfo=UTC).strftime("%a, %d %b %Y %H:%M:%S GMT")
    server.fail(FEED, 429, headers={"Retry-After": later})
    client(writer, clock, sleeps).get_json(f"{server.base}{FEED}")
    assert 29 < sleeps[0] <= 30
    server.fail(FEED, 429, headers={"Retry-After": "3600"})
    with pytest.raises(RateLimited, match="3600 s"):
        client(writer, clock, sleeps, max_wait=900).get_json(f"{server.base}{FEED}")


def test_server_errors_back_off_exponentially_then_succeed(
    server: ReplayServer, writer: WarcWriter, clock: FakeClock
) -> None:
    sleeps: list[float] = []
    server.fail(FEED, 503, times=3)
    body, _ = client(writer, clock, sleeps).get_json(f"{server.base}{FEED}")
    assert sleeps == [1.0, 2.0, 4.0] and body["data"]


def test_backoff_is_capped_and_retries_end(
    server: ReplayServer, writer: WarcWriter, clock: FakeClock
) -> None:
    sleeps: list[float] = []
    server.fail(FEED, 500, times=10)
    with pytest.raises(CaptureError, match="still failing after 6 attempts") as failed:
        client(writer, clock, sleeps, max_retries=5, max_delay=5).get_json(f"{server.base}{FEED}")
    assert sleeps == [1.0, 2.0, 4.0, 5.0, 5.0]
    assert TOKEN not in str(failed.value)


def test_a_dropped_connection_is_retried(
    server: ReplayServer, writer: WarcWriter, clock: FakeClock
) -> None:
    sleeps: list[float] = []
    server.fail(FEED, 0, times=1)
    body, _ = client(writer, clock, sleeps).get_json(f"{server.base}{FEED}")
    assert sleeps == [1.0] and body["data"]


def test_revoked_token_is_reported_with_the_fix(
    server: ReplayServer, writer: WarcWriter, clock: FakeClock
) -> None:
    revoked = (
        Path(__file__).parent.parent / "fixtures/capture/facebook/token_revoked.json"
    ).read_bytes()
    server.fail(FEED, 400, body=revoked)
    with pytest.raises(CredentialError) as rejected:
        client(writer, clock, []).get_json(f"{server.base}{FEED}")
    assert "expired or revoked" in rejected.value.message
    assert "session has been invalidated" in rejected.value.message
    assert rejected.value.hint == "Renew ARCHIVER_META_ACCESS_TOKEN."


def test_usage_headers_pause_before_the_next_request(
    server: ReplayServer, writer: WarcWriter, clock: FakeClock
) -> None:
    sleeps: list[float] = []
    http = client(writer, clock, sleeps, usage_pause=120)
    usage = json.dumps({"call_count": 96, "total_cputime": 10, "total_time": 12})
    server.fail(FEED, 200, headers={"X-App-Usage": usage}, body=b'{"data": []}')
    http.get_json(f"{server.base}{FEED}")
    assert sleeps == []  # the answer is used at once; the pause comes before the next call
    http.get_json(f"{server.base}{FEED}")
    assert len(sleeps) == 1 and 119 < sleeps[0] <= 120
    reset = int(clock.now.timestamp()) + 40
    headers = {"x-rate-limit-remaining": "0", "x-rate-limit-reset": str(reset)}
    server.fail(FEED, 200, headers=headers, body=b'{"data": []}')
    http.get_json(f"{server.base}{FEED}")
    http.get_json(f"{server.base}{FEED}")
    assert 39 < sleeps[1] <= 41


def test_secrets_are_scrubbed_from_records_and_records_stay_valid(
    server: ReplayServer, writer: WarcWriter, clock: FakeClock, tmp_path: Path
) -> None:
    http = client(writer, clock, [])
    response = http.get(
        f"{server.base}{FEED}",
        {"fields": "id,message", "access_token": TOKEN, "appsecret_proof": "abc123proof"},
        {"Authorization": f"Bearer {TOKEN}", "Cookie": "c_user=1"},
    )
    assert response.status == 200
    assert "access_token" not in response.url and "fields=id,message" in response.url
    written = records(writer)
    for kind, uri, block in written:
        assert TOKEN.encode() not in block and TOKEN not in uri
        assert "access_token" not in uri and "appsecret_proof" not in uri
        if kind == "request":
            assert b"Authorization" not in block and b"Cookie" not in block
            assert block.startswith(b"GET /v19.0/100064123456789/feed?fields=id,message HTTP/1.1")
    # Graph echoes the token in paging.next: it is cut out of the stored body
    response_body = next(b for k, _, b in written if k == "response")
    assert b"[scrubbed]" in response_body
    assert json.loads(response_body)["paging"]["next"]
    from warcio.cli import main as warcio_main

    writer.close()
    with pytest.raises(SystemExit) as checked:
        warcio_main(["check", str(writer.store.path(writer.current_file or ""))])
    assert checked.value.code == 0


def test_scrub_helpers() -> None:
    assert scrub_url("https://x.test/a?key=K123456&part=snippet") == "https://x.test/a?part=snippet"
    assert scrub_url("https://x.test/a?Access_Token=zz&b=1") == "https://x.test/a?b=1"
    assert scrub_bytes(b"next=tok%2Fen123456", ["tok/en123456"]) == b"next=[scrubbed]"
    assert is_token_rejected(401, b"")
    assert is_token_rejected(403, b'{"error": {"errors": [{"reason": "keyExpired"}]}}')
    assert not is_token_rejected(403, b'{"error": {"errors": [{"reason": "commentsDisabled"}]}}')
    assert not is_token_rejected(404, b"{}")
