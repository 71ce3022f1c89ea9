"""The WARC files a web capture writes replay in pywb: indexed by pywb's own tools
(``wb-manager add`` runs pywb's indexer) and served back by pywb's ``wayback``.

pywb runs in its own processes: it monkey-patches the standard library with gevent on import,
which must not happen inside the test process.
"""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from .conftest import World
from .replay import FIXTURES

BIN = Path(sys.executable).parent
pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("pywb") is None, reason="pywb is not installed (test extra)"
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=10) as answer:
        return answer.status, answer.read()


def test_captured_pages_replay_in_pywb(world: World, tmp_path: Path) -> None:
    result = world.capture("web")
    assert result.ok, result.error
    warcs = sorted(world.archive.settings.warc_dir.glob("*.warc.gz"))
    site = tmp_path / "pywb"
    site.mkdir()
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    run = {"cwd": site, "env": env, "capture_output": True, "text": True, "timeout": 60}
    made = subprocess.run([BIN / "wb-manager", "init", "city"], **run)  # type: ignore[call-overload]
    assert made.returncode == 0, made.stderr
    added = subprocess.run([BIN / "wb-manager", "add", "city", *map(str, warcs)], **run)  # type: ignore[call-overload]
    assert added.returncode == 0, added.stderr
    index = (site / "collections/city/indexes/index.cdxj").read_text(encoding="utf-8")
    assert ")/blog " in index and '"status": "200"' in index

    port = _free_port()
    wayback = subprocess.Popen(
        [BIN / "wayback", "-p", str(port), "-b", "127.0.0.1"],
        cwd=site,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        page = f"{world.server.base}/blog/"
        replay = f"http://127.0.0.1:{port}/city/id_/{page}"
        deadline = time.monotonic() + 30
        while True:
            try:
                status, body = _get(replay)
                break
            except OSError:
                if time.monotonic() > deadline or wayback.poll() is not None:
                    raise
                time.sleep(0.2)
        assert status == 200
        assert body == (FIXTURES / "web/index.html").read_bytes()
        status, image = _get(
            f"http://127.0.0.1:{port}/city/id_/{world.server.base}/blog/images/hall.jpg"
        )
        assert image == (FIXTURES / "web/photo.jpg").read_bytes()
    finally:
        wayback.terminate()
        wayback.wait(timeout=10)
