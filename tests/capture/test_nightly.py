"""The nightly job: due accounts, the inbox, the lock, the report and the exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from archiver.actors import Actor
from archiver.archive import Archive
from archiver.errors import Busy, ExitCode, InvalidInput
from archiver.jobs.lock import LockInfo, run_lock
from archiver.jobs.nightly import (
    NightlyOptions,
    exit_code_for,
    is_due,
    lock_path,
    run_nightly,
)
from tests.conftest import actor

from .conftest import World

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


def _options(world: World, **extra: object) -> NightlyOptions:
    return NightlyOptions(capture=world.options(), **extra)  # type: ignore[arg-type]


def test_is_due_with_a_tolerance_for_early_timers() -> None:
    assert is_due(None, 24, NOW)
    assert is_due(NOW - timedelta(hours=23, minutes=30), 24, NOW)  # the timer fired early
    assert not is_due(NOW - timedelta(hours=20), 24, NOW)
    assert is_due(NOW - timedelta(hours=1), 1, NOW)
    assert not is_due(NOW - timedelta(minutes=30), 1, NOW)


@given(st.integers(0, 50), st.integers(0, 50))
def test_exit_codes_say_what_failed(succeeded: int, failed: int) -> None:
    code = exit_code_for(succeeded, failed)
    if failed == 0:
        assert code == ExitCode.OK
    elif succeeded == 0:
        assert code == ExitCode.TOTAL_FAILURE
    else:
        assert code == ExitCode.PARTIAL_FAILURE


def test_nightly_captures_every_due_account_then_nothing_until_due(world: World) -> None:
    report = run_nightly(world.archive, actor("records"), _options(world))
    assert report.exit_code == ExitCode.OK and report.outcome == "succeeded"
    assert len(report.accounts) == 6 and all(a.ok for a in report.accounts)
    summary = Path(report.summary_path).read_text(encoding="utf-8")
    assert "facebook:RanchoVerdeCity" in summary and "SUCCEEDED (exit 0)" in summary
    assert len(summary.splitlines()) <= 24, "one screen"
    data = json.loads(Path(report.report_path).read_text(encoding="utf-8"))
    assert data["accounts"][0]["counts"]["new"] > 0
    world.clock.advance(hours=2)
    again = run_nightly(world.archive, actor("records"), _options(world))
    assert again.accounts == [] and len(again.not_due) == 6
    assert again.exit_code == ExitCode.OK and again.outcome == "nothing to do"
    world.clock.advance(hours=23)
    later = run_nightly(world.archive, actor("records"), _options(world))
    assert len(later.accounts) == 6
    assert not lock_path(world.archive).exists()


def test_one_failing_account_is_a_partial_failure_with_its_fix(world: World) -> None:
    del world.env["ARCHIVER_X_BEARER_TOKEN"]
    report = run_nightly(world.archive, actor("records"), _options(world))
    assert report.exit_code == ExitCode.PARTIAL_FAILURE
    failed = [a for a in report.accounts if not a.ok]
    assert [a.account for a in failed] == ["x:RanchoVerdeCA"]
    summary = Path(report.summary_path).read_text(encoding="utf-8")
    assert "ERROR" in summary and "fix:" in summary and "ARCHIVER_X_BEARER_TOKEN" in summary


def test_everything_failing_is_a_total_failure(world: World) -> None:
    world.server.routes.clear()  # every address answers 404
    report = run_nightly(world.archive, actor("records"), _options(world))
    assert report.exit_code == ExitCode.TOTAL_FAILURE and report.outcome == "total failure"


def test_the_inbox_is_ingested_and_sorted(world: World) -> None:
    inbox = world.archive.settings.inbox_dir
    inbox.mkdir()
    (inbox / "facebook-export.zip").write_bytes(b"PK good")
    (inbox / "broken.zip").write_bytes(b"not a zip")
    (inbox / "still-copying.zip.part").write_bytes(b"...")

    def ingest(archive: Archive, who: Actor, path: Path) -> dict[str, int]:
        if path.name == "broken.zip":
            raise InvalidInput("broken.zip is not a zip file", hint="Export it again.")
        return {"new": 3}

    report = run_nightly(world.archive, actor("records"), _options(world, ingest=ingest))
    outcomes = {i.name: i.outcome for i in report.inbox}
    assert outcomes == {"broken.zip": "failed", "facebook-export.zip": "processed"}
    assert report.exit_code == ExitCode.PARTIAL_FAILURE
    processed = list((inbox / "processed").iterdir())
    assert [p.name.endswith("-facebook-export.zip") for p in processed] == [True]
    reason = next((inbox / "failed").glob("*.reason.txt")).read_text(encoding="utf-8")
    assert "not a zip file" in reason and "Export it again." in reason
    assert (inbox / "still-copying.zip.part").exists()


def _graph_export(folder: Path, base: str) -> Path:
    """The Graph responses the Facebook capture reads, saved as an export of the Page."""
    fixtures = Path(__file__).parent.parent / "fixtures/capture/facebook"
    files = {
        "100064123456789/feed/page-001.json": "feed_p1.json",
        "100064123456789/feed/page-002.json": "feed_p2.json",
        "100064123456789_900001/comments/page-001.json": "comments_900001_p2.json",
    }
    for name, fixture in files.items():
        text = (fixtures / fixture).read_text(encoding="utf-8").replace("{BASE}", base)
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_the_inbox_runs_the_real_ingest_and_a_captured_item_equals_its_export(
    world: World,
) -> None:
    captured = world.capture("facebook")
    assert captured.ok and captured.counts.new == 8  # seven posts and comments, the profile
    inbox = world.archive.settings.inbox_dir
    inbox.mkdir()
    _graph_export(inbox / "rancho-verde-graph", world.server.base)
    (inbox / "broken.zip").write_bytes(b"PK\x03\x04 cut short")
    world.clock.advance(hours=1)
    report = run_nightly(world.archive, actor("records"), _options(world))
    by_name = {i.name: i for i in report.inbox}
    assert by_name["rancho-verde-graph"].outcome == "processed"
    # the same posts and comments from an export: same ids and content hashes, so no new item
    # and no new version
    counts = by_name["rancho-verde-graph"].counts
    assert (counts["new"], counts["changed"], counts["unchanged"]) == (0, 0, 7)
    assert len(world.items(platform="facebook")) == 8  # the run also captured every account
    assert by_name["broken.zip"].outcome == "failed"
    reason = next((inbox / "failed").glob("*.reason.txt")).read_text(encoding="utf-8")
    assert "broken.zip" in reason and by_name["broken.zip"].reason in reason
    assert report.index == "up to date"  # captures and ingests indexed what they recorded


def test_a_running_job_holds_the_lock(world: World) -> None:
    path = lock_path(world.archive)
    with (
        run_lock(path, now=NOW, command="archiver jobs nightly"),
        pytest.raises(Busy, match="another run holds the lock"),
    ):
        run_nightly(world.archive, actor("records"), _options(world))
    assert not path.exists()


def _dead_pid() -> int:
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(done.stdout)


def test_a_stale_lock_is_reported_and_broken_only_on_request(world: World) -> None:
    import socket

    path = lock_path(world.archive)
    path.parent.mkdir(parents=True)
    crashed = LockInfo(
        _dead_pid(), socket.gethostname(), "2026-03-01T02:00:00+00:00", "archiver jobs nightly"
    )
    path.write_text(json.dumps(crashed.as_dict()), encoding="utf-8")
    with pytest.raises(Busy) as refused:
        run_nightly(world.archive, actor("records"), _options(world))
    assert "stale lock" in refused.value.message and str(crashed.pid) in refused.value.message
    assert "--break-stale-lock" in (refused.value.hint or "")
    assert path.exists()
    report = run_nightly(world.archive, actor("records"), _options(world, break_stale_lock=True))
    assert report.stale_lock_broken == crashed.as_dict()
    assert "stale lock was broken" in Path(report.summary_path).read_text(encoding="utf-8")
    assert not path.exists()


def test_a_lock_from_another_host_is_never_judged_stale(tmp_path: Path) -> None:
    path = tmp_path / "capture.lock"
    other = LockInfo(
        _dead_pid(), "another-host", "2026-03-01T02:00:00+00:00", "archiver jobs nightly"
    )
    path.write_text(json.dumps(other.as_dict()), encoding="utf-8")
    with (
        pytest.raises(Busy, match="another run holds the lock"),
        run_lock(path, now=NOW, command="x", break_stale=True),
    ):
        pass


def test_sigterm_unwinds_like_an_interrupt() -> None:
    import os
    import signal

    from archiver.cli.jobs import sigterm_unwinds

    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(SystemExit) as stopped, sigterm_unwinds():
        os.kill(os.getpid(), signal.SIGTERM)
    assert stopped.value.code == 128 + signal.SIGTERM
    assert signal.getsignal(signal.SIGTERM) == before


def test_a_terminated_capture_releases_the_lock_and_resumes(world: World) -> None:
    import os
    import signal

    from archiver.cli.jobs import sigterm_unwinds

    from archiver.jobs.nightly import capture_now

    def terminated(seconds: float) -> None:
        os.kill(os.getpid(), signal.SIGTERM)

    world.server.fail(
        "/v19.0/100064123456789/feed",
        429,
        headers={"Retry-After": "5"},
        query={"after": "QVFIUmNk"},
    )
    options = replace(world.options(), sleep=terminated)
    with pytest.raises(SystemExit), sigterm_unwinds():
        capture_now(world.archive, actor("records"), "facebook:RanchoVerdeCity", options)
    assert not lock_path(world.archive).exists()
    resumed = capture_now(
        world.archive, actor("records"), "facebook:RanchoVerdeCity", world.options()
    )
    assert resumed.ok and resumed.resumed and resumed.counts.new == 1
