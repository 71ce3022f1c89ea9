"""A replay server on 127.0.0.1 serving recorded platform responses from tests/fixtures/capture.

Each platform folder has a ``routes.json``: a list of routes ``{"path", "query", "file",
"status", "headers", "variant"}``. A request matches a route when the path is equal and every
query parameter the route names has that value; the most specific match wins, and a route of
the active variant (``"run2"``…) beats the base one. Bodies may contain ``{BASE}`` (the
server's address) and ``{TOKEN}`` (the token the test uses: Graph echoes it in ``paging.next``).

Tests can queue one-off answers in front of a route (``fail(path, 503, times=2)``, a 429 with
``Retry-After``, a dropped connection) and read back every request received.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "capture"
MATCHED_PARAMS = ("after", "pageToken", "videoId", "parentId", "playlistId", "cursor", "uri")


@dataclass
class Route:
    path: str
    query: dict[str, str]
    file: str = ""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    variant: str = ""
    folder: str = ""


@dataclass
class Seen:
    path: str
    query: dict[str, str]
    headers: dict[str, str]


@dataclass
class Fault:
    path: str
    status: int  # 0: drop the connection without answering
    headers: dict[str, str]
    body: bytes
    times: int
    query: dict[str, str] = field(default_factory=dict)


class ReplayServer:
    def __init__(self, token: str = "") -> None:
        self.token = token
        self.routes: list[Route] = []
        self.variant = ""
        self.faults: list[Fault] = []
        self.seen: list[Seen] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def load(self, platform: str) -> ReplayServer:
        folder = FIXTURES / platform
        for entry in json.loads((folder / "routes.json").read_text(encoding="utf-8")):
            self.routes.append(Route(folder=str(folder), **entry))
        return self

    def load_capture_folder(self, folder: Path) -> ReplayServer:
        """Routes from a saved API capture (``sample_data``'s capture folder convention: raw
        bodies and a ``manifest.json`` of the URLs they answered), matched on the paging and
        filter parameters only."""
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        for request in manifest["requests"]:
            parts = urlsplit(request["url"])
            query = {k: v for k, v in parse_qsl(parts.query) if k in MATCHED_PARAMS}
            self.routes.append(
                Route(parts.path, query, request["file"], request["status"], folder=str(folder))
            )
        return self

    def fail(
        self,
        path: str,
        status: int,
        *,
        times: int = 1,
        headers: dict[str, str] | None = None,
        body: bytes = b"",
        query: dict[str, str] | None = None,
    ) -> None:
        """Answer the next ``times`` requests to ``path`` (with these query values) with
        ``status`` (0: drop the connection) instead of the recorded response."""
        self.faults.append(Fault(path, status, headers or {}, body, times, query or {}))

    def requests_to(self, path: str) -> list[Seen]:
        return [s for s in self.seen if s.path == path]

    def start(self) -> ReplayServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    # -- serving ---------------------------------------------------------------------------------
    def _match(self, path: str, query: dict[str, str]) -> Route | None:
        candidates = [
            r
            for r in self.routes
            if r.path == path
            and r.variant in ("", self.variant)
            and all(query.get(k) == v for k, v in r.query.items())
        ]
        if not candidates:
            return None
        return max(candidates, key=lambda r: (len(r.query), r.variant == self.variant))

    def _answer(self, path: str, query: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        with self._lock:
            for fault in self.faults:
                wanted = all(query.get(k) == v for k, v in fault.query.items())
                if fault.path == path and wanted and fault.times > 0:
                    fault.times -= 1
                    return fault.status, fault.headers, fault.body
        route = self._match(path, query)
        if route is None:
            body = json.dumps({"error": {"message": f"no fixture for {path} {query}"}})
            return 404, {"Content-Type": "application/json"}, body.encode()
        raw = (Path(route.folder) / route.file).read_bytes() if route.file else b""
        body = raw.replace(b"{BASE}", self.base.encode()).replace(b"{TOKEN}", self.token.encode())
        headers = {"Content-Type": _content_type(route.file), **route.headers}
        return route.status, headers, body

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                query = dict(parse_qsl(parts.query, keep_blank_values=True))
                server.seen.append(Seen(parts.path, query, dict(self.headers.items())))
                status, headers, body = server._answer(parts.path, query)
                if status == 0:
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler


def _content_type(name: str) -> str:
    if name.endswith(".json"):
        return "application/json; charset=UTF-8"
    if name.endswith(".html"):
        return "text/html; charset=utf-8"
    if name.endswith(".xml"):
        return "application/rss+xml; charset=utf-8"
    if name.endswith(".jpg"):
        return "image/jpeg"
    return "application/octet-stream"


@contextmanager
def replay(*platforms: str, token: str = "") -> Iterator[ReplayServer]:
    server = ReplayServer(token)
    for platform in platforms:
        server.load(platform)
    server.start()
    try:
        yield server
    finally:
        server.stop()
