#!/usr/bin/env python3
"""Capture throughput: the Facebook connector against a synthetic Graph feed on loopback.

    python benchmarks/capture_throughput.py --items 2000
    python benchmarks/capture_throughput.py --items 2000 --database-url postgresql+psycopg://...

Generates a Graph feed capture with benchmarks/synth_export.py, serves it from a local HTTP
server on 127.0.0.1, and prints, for the same pages:

  baseline   raw http.client GETs written as WARC response+request records with warcio alone
             (no scrubbing, no database, no items);
  archiver   `capture_account` on a fresh archive: the recording client (scrubbing, retries,
             rate-limit bookkeeping), the Graph connector and normalizer, one WARC unit of work
             per page (fsync), item recording with change detection, cursors;
  again      the same capture a second time: every item unchanged.

Figures: pages, items, seconds, pages/s, items/s, MB/s of response bodies. Nothing leaves the
machine.
"""

from __future__ import annotations

import argparse
import http.client
import io
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from warcio.statusandheaders import StatusAndHeaders  # noqa: E402
from warcio.warcwriter import WARCWriter  # noqa: E402

from archiver.archive import Archive  # noqa: E402
from archiver.capture.runner import CaptureOptions, capture_account  # noqa: E402
from archiver.config import AccountSpec, CaptureSpec  # noqa: E402
from archiver.lifecycle import init_archive  # noqa: E402
from tests.capture.conftest import capture_settings  # noqa: E402
from tests.capture.replay import ReplayServer  # noqa: E402
from tests.conftest import actor  # noqa: E402

TOKEN = "EAAGbenchmarkTOKEN0123456789"


def baseline(server: ReplayServer, paths: list[str], out: Path) -> tuple[float, int]:
    start = time.perf_counter()
    size = 0
    with (out / "baseline.warc.gz").open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for target in paths:
            parts = urlsplit(server.base)
            connection = http.client.HTTPConnection(parts.hostname or "", parts.port)
            connection.request("GET", target)
            answer = connection.getresponse()
            body = answer.read()
            connection.close()
            size += len(body)
            url = server.base + target
            http_headers = StatusAndHeaders(
                f"{answer.status} {answer.reason}", answer.getheaders(), protocol="HTTP/1.1"
            )
            response = writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=http_headers
            )
            request = writer.create_warc_record(
                url,
                "request",
                payload=io.BytesIO(b""),
                http_headers=StatusAndHeaders(f"GET {target} HTTP/1.1", [], is_http_request=True),
            )
            writer.write_request_response_pair(request, response)
    return time.perf_counter() - start, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=2000, help="posts in the synthetic feed")
    parser.add_argument("--page-size", type=int, default=25)
    parser.add_argument("--database-url", default=None, help="default: SQLite in a temp dir")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        work = Path(temp)
        subprocess.run(
            [
                sys.executable,
                str(REPO / "benchmarks" / "synth_export.py"),
                "--format",
                "graph-feed",
                "--items",
                str(args.items),
                "--out",
                str(work / "synth"),
            ],
            check=True,
            capture_output=True,
        )
        server = ReplayServer(TOKEN).load_capture_folder(work / "synth" / "facebook_graph_api")
        server.start()
        try:
            paths = [
                r.path + (f"?after={r.query['after']}" if r.query else "") for r in server.routes
            ]
            seconds, size = baseline(server, paths, work)
            print(
                f"{'run':<10}{'pages':>7}{'items':>8}{'seconds':>9}{'pages/s':>9}{'items/s':>9}{'MB/s':>7}"
            )
            print(
                f"{'baseline':<10}{len(paths):>7}{'-':>8}{seconds:>9.2f}"
                f"{len(paths) / seconds:>9.1f}{'-':>9}{size / seconds / 1e6:>7.1f}"
            )
            spec = AccountSpec(
                "facebook",
                "RanchoVerdeCity",
                platform_account_id="100064123456789",
                capture=CaptureSpec(
                    api_base=f"{server.base}/v19.0", page_size=args.page_size, media=False
                ),
            )
            settings = replace(
                capture_settings(work, server.base, args.database_url), accounts=(spec,)
            )
            init_archive(settings, actor("admin"))
            env = {"ARCHIVER_META_ACCESS_TOKEN": TOKEN}
            with Archive.open(settings) as archive:
                for label in ("archiver", "again"):
                    start = time.perf_counter()
                    result = capture_account(
                        archive,
                        actor("records"),
                        "facebook:RanchoVerdeCity",
                        CaptureOptions(env=env),
                    )
                    seconds = time.perf_counter() - start
                    assert result.ok, result.error
                    items = sum(result.counts.as_dict().values()) - result.counts.missing
                    print(
                        f"{label:<10}{result.pages:>7}{items:>8}{seconds:>9.2f}"
                        f"{result.pages / seconds:>9.1f}{items / seconds:>9.0f}"
                        f"{size / seconds / 1e6:>7.1f}"
                    )
        finally:
            server.stop()


if __name__ == "__main__":
    main()
