"""A small HTTP client for captures: polite, persistent, and recording every exchange in WARC.

- **Rate limits.** A 429 waits for ``Retry-After`` (seconds or an HTTP date). Usage headers slow
  the client down before the platform has to: X's ``x-rate-limit-remaining: 0`` waits until
  ``x-rate-limit-reset``; Meta's ``X-App-Usage`` / ``X-Page-Usage`` /
  ``X-Business-Use-Case-Usage`` at 90% or more wait ``estimated_time_to_regain_access`` or
  ``usage_pause``. A wait longer than ``max_wait`` raises ``RateLimited`` (the run resumes later).
- **Transient errors** (5xx, dropped or refused connections, timeouts) are retried with
  exponential backoff capped at ``max_delay``, at most ``max_retries`` times.
- **Expired or revoked tokens** raise ``CredentialError`` naming the variable or key to renew.
- **Recording.** Every exchange that got a response (429s and 5xx included) is written as a WARC
  ``response`` + ``request`` pair, *scrubbed*: secret headers (``Authorization``, cookies, API-key
  headers) and secret query parameters (``access_token``, ``key``, ``appsecret_proof``…) are
  removed from the request line, the headers and the ``WARC-Target-URI``, and every known secret
  value is cut out of the response as well (Graph echoes the token in ``paging.next``); a
  response so changed carries ``X-Archiver-Scrubbed`` and a corrected ``Content-Length``. The body
  is stored de-chunked, so ``Transfer-Encoding`` is dropped and ``Content-Length`` set.

The clock and ``sleep`` are injected: tests run a whole backoff sequence in no time.
"""

from __future__ import annotations

import email.utils
import http.client
import json
import socket
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from archiver.capture.credentials import Credential
from archiver.errors import CaptureError, CredentialError, RateLimited
from archiver.warc.store import WarcWriter

SECRET_PARAMS = frozenset(
    {
        "access_token",
        "key",
        "api_key",
        "apikey",
        "token",
        "client_secret",
        "appsecret_proof",
        "refresh_token",
        "bearer_token",
        "oauth_token",
        "oauth_signature",
        "password",
        "sig",
    }
)
SECRET_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "cookie", "x-api-key", "x-goog-api-key"}
)
SCRUBBED = b"[scrubbed]"
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    ConnectionError,
    TimeoutError,
    socket.timeout,
    http.client.HTTPException,
    OSError,
)
META_USAGE_HEADERS = ("x-app-usage", "x-page-usage", "x-ad-account-usage")


@dataclass(frozen=True)
class RetryPolicy:
    max_retries: int = 5
    base_delay: float = 1.0
    max_delay: float = 60.0
    max_wait: float = 900.0
    usage_pause: float = 300.0
    timeout: float = 30.0


@dataclass(frozen=True)
class Response:
    url: str  # scrubbed: safe to show and store
    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes
    record_id: str  # WARC-Record-ID of the stored response record

    def header(self, name: str) -> str:
        lowered = name.lower()
        return next((v for k, v in self.headers if k.lower() == lowered), "")

    def json(self) -> Any:
        try:
            return json.loads(self.body)
        except ValueError:
            raise CaptureError(
                f"{self.url} did not answer JSON (HTTP {self.status})",
                hint="The platform's API changed or a proxy answered; see the WARC record "
                f"{self.record_id}.",
            ) from None


@dataclass
class HttpClient:
    """One account's client. ``writer`` is set per unit of work by the capture runner."""

    account: str
    user_agent: str
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    credential: Credential | None = None
    renewal_hint: str = ""
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    writer: WarcWriter | None = None
    requests_made: int = 0
    waited_seconds: float = 0.0
    _pause_until: datetime | None = None

    @property
    def secrets(self) -> list[str]:
        return [self.credential.value] if self.credential and self.credential.value else []

    def get_json(
        self,
        url: str,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> tuple[Any, Response]:
        """GET, require a 2xx JSON answer; a 4xx that is not about the token is a CaptureError."""
        response = self.get(url, params, headers)
        if not 200 <= response.status < 300:
            raise CaptureError(
                f"{self.account}: {response.url} answered HTTP {response.status} "
                f"{response.reason}: {_error_text(response.body, self.secrets)}",
                hint="See the WARC record "
                f"{response.record_id} for the full answer; the next run retries.",
            )
        return response.json(), response

    def get(
        self,
        url: str,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        """GET with rate limits, retries and recording. Returns the last response (any status
        except 401 and 429/5xx after the retries)."""
        full = _with_params(url, params or {})
        attempt = 0
        while True:
            self._wait_for_pause()
            try:
                response = self._exchange(full, headers or {})
            except TRANSIENT_ERRORS as exc:
                attempt = self._next_attempt(attempt, full, f"{type(exc).__name__}: {exc}")
                self._sleep(self._backoff(attempt))
                continue
            if is_token_rejected(response.status, response.body):
                raise CredentialError(
                    f"{self.account}: the platform rejected the token "
                    f"{self.credential.name if self.credential else ''} as expired or revoked "
                    f"(HTTP {response.status}: {_error_text(response.body, self.secrets)})",
                    hint=self.renewal_hint or "Renew the account's token.",
                )
            self._note_usage(response)
            if response.status == 429:
                attempt = self._next_attempt(attempt, full, "HTTP 429 Too Many Requests")
                self._sleep(self._retry_after(response, attempt))
                continue
            if response.status >= 500:
                attempt = self._next_attempt(attempt, full, f"HTTP {response.status}")
                self._sleep(self._backoff(attempt))
                continue
            return response

    # -- waiting -------------------------------------------------------------------------------
    def _next_attempt(self, attempt: int, url: str, what: str) -> int:
        if attempt >= self.policy.max_retries:
            raise CaptureError(
                f"{self.account}: {scrub_url(url, self.secrets)} still failing after "
                f"{attempt + 1} attempts ({what})",
                hint="The platform or the network is having trouble; the next run resumes "
                "where this one stopped.",
            )
        return attempt + 1

    def _backoff(self, attempt: int) -> float:
        return float(min(self.policy.max_delay, self.policy.base_delay * 2 ** (attempt - 1)))

    def _retry_after(self, response: Response, attempt: int) -> float:
        value = response.header("Retry-After").strip()
        if not value:
            return self._backoff(attempt)
        if value.isdigit():
            return float(value)
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return self._backoff(attempt)
        return max(0.0, (when - self.clock()).total_seconds())

    def _sleep(self, seconds: float) -> None:
        if seconds > self.policy.max_wait:
            raise RateLimited(
                f"{self.account}: the platform asks to wait {seconds:.0f} s, longer than "
                f"max_wait_seconds ({self.policy.max_wait:.0f} s)",
                hint="Nothing to do: the next run resumes where this one stopped. If it keeps "
                "happening, capture less often ([accounts.capture] interval_hours).",
            )
        if seconds > 0:
            self.waited_seconds += seconds
            self.sleep(seconds)

    def _wait_for_pause(self) -> None:
        if self._pause_until is None:
            return
        seconds = (self._pause_until - self.clock()).total_seconds()
        self._pause_until = None
        self._sleep(seconds)

    def _note_usage(self, response: Response) -> None:
        """Platform usage headers: pause before the next request when a budget is spent."""
        now = self.clock().timestamp()
        pause = 0.0
        if response.header("x-rate-limit-remaining").strip() == "0":
            reset = response.header("x-rate-limit-reset").strip()
            if reset.isdigit():
                pause = max(pause, int(reset) - now + 1)
        for name in META_USAGE_HEADERS:
            usage = _json_header(response.header(name))
            if usage and max((_number(v) for v in usage.values()), default=0) >= 90:
                pause = max(pause, self.policy.usage_pause)
        business = _json_header(response.header("x-business-use-case-usage"))
        for entries in business.values():
            for entry in entries if isinstance(entries, list) else []:
                if not isinstance(entry, dict):
                    continue
                regain = _number(entry.get("estimated_time_to_regain_access"))
                used = max(
                    _number(entry.get(k)) for k in ("call_count", "total_time", "total_cputime")
                )
                if regain > 0 or used >= 90:
                    pause = max(pause, regain * 60 or self.policy.usage_pause)
        if pause > 0:
            self._pause_until = datetime.fromtimestamp(now + pause, UTC)

    # -- one exchange --------------------------------------------------------------------------
    def _exchange(self, url: str, extra: Mapping[str, str]) -> Response:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise CaptureError(f"{self.account}: cannot fetch {scrub_url(url, self.secrets)}")
        target = urlunsplit(("", "", parts.path or "/", parts.query, ""))
        sent = {
            "Host": parts.netloc,
            "User-Agent": self.user_agent,
            "Accept": "application/json, text/html;q=0.9, */*;q=0.8",
            "Accept-Encoding": "identity",
            **extra,
        }
        connection_class = (
            http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        )
        connection = connection_class(parts.hostname, parts.port, timeout=self.policy.timeout)
        self.requests_made += 1
        try:
            connection.request("GET", target, headers=sent)
            answer = connection.getresponse()
            body = answer.read()
            status, reason = answer.status, answer.reason
            protocol = "HTTP/1.0" if answer.version == 10 else "HTTP/1.1"
            received = answer.getheaders()
        finally:
            connection.close()
        return self._record(url, target, sent, status, reason, protocol, received, body)

    def _record(
        self,
        url: str,
        target: str,
        sent: Mapping[str, str],
        status: int,
        reason: str,
        protocol: str,
        received: Sequence[tuple[str, str]],
        body: bytes,
    ) -> Response:
        secrets = self.secrets
        safe_url = scrub_url(url, secrets)
        safe_target = scrub_url(target, secrets)
        lines = [f"GET {safe_target} {protocol}"]
        lines += [f"{k}: {v}" for k, v in sent.items() if k.lower() not in SECRET_HEADERS]
        request_head = scrub_bytes(("\r\n".join(lines) + "\r\n").encode("latin-1"), secrets)
        safe_body = scrub_bytes(body, secrets)
        headers = [
            (k, scrub_bytes(v.encode("latin-1"), secrets).decode("latin-1"))
            for k, v in received
            if k.lower() not in ("transfer-encoding", "content-length")
        ]
        headers.append(("Content-Length", str(len(safe_body))))
        if safe_body != body:
            headers.append(("X-Archiver-Scrubbed", "a secret was removed from this body"))
        record_id = ""
        if self.writer is not None:
            written, _request = self.writer.write_exchange(
                safe_url,
                request_head=request_head,
                response_status=f"{status} {reason}".strip(),
                response_headers=headers,
                response_body=safe_body,
                protocol=protocol,
            )
            record_id = written.record_id
        return Response(safe_url, status, reason, headers, safe_body, record_id)


# -- scrubbing --------------------------------------------------------------------------------
def scrub_url(url: str, secrets: Sequence[str] = ()) -> str:
    """The URL without secret query parameters (and without any known secret value)."""
    parts = urlsplit(url)
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _secret(k)]
    query = urlencode(kept, quote_via=quote, safe=",:{}()/@")
    clean = urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))
    return scrub_bytes(clean.encode("utf-8"), secrets).decode("utf-8")


def scrub_bytes(data: bytes, secrets: Sequence[str]) -> bytes:
    """``data`` with every known secret value (raw and URL-encoded) cut out."""
    for secret in secrets:
        if len(secret) < 6:  # too short to be a token; replacing it would mangle content
            continue
        for form in {secret, quote(secret, safe=""), quote(secret)}:
            data = data.replace(form.encode("utf-8"), SCRUBBED)
    return data


def _secret(name: str) -> bool:
    return name.lower() in SECRET_PARAMS


def is_token_rejected(status: int, body: bytes) -> bool:
    """401 anywhere; Meta's OAuthException codes 102/190/463/467; Google's invalid or expired
    API key (which Google answers with 400 or 403)."""
    if status == 401:
        return True
    if status not in (400, 403):
        return False
    try:
        error = json.loads(body).get("error", {})
    except (ValueError, AttributeError):
        return False
    if not isinstance(error, dict):
        return False
    if error.get("type") == "OAuthException" and error.get("code") in (102, 190, 463, 467):
        return True
    reasons = {str(e.get("reason", "")) for e in error.get("errors", []) if isinstance(e, dict)}
    reasons |= {str(d.get("reason", "")) for d in error.get("details", []) if isinstance(d, dict)}
    return bool(reasons & {"keyInvalid", "keyExpired", "API_KEY_INVALID", "authError"})


def _with_params(url: str, params: Mapping[str, str]) -> str:
    if not params:
        return url
    joiner = "&" if urlsplit(url).query else "?"
    return url + joiner + urlencode(list(params.items()), quote_via=quote, safe=",:{}()/@")


def _json_header(value: str) -> dict[str, Any]:
    if not value:
        return {}
    try:
        parsed = json.loads(value)
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


def _number(value: object) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0.0


def _error_text(body: bytes, secrets: Sequence[str]) -> str:
    text = scrub_bytes(body[:300], secrets).decode("utf-8", "replace")
    try:
        error = json.loads(scrub_bytes(body, secrets)).get("error")
    except (ValueError, AttributeError):
        return " ".join(text.split())
    if isinstance(error, dict):
        return str(error.get("message") or error)
    return str(error or text)
