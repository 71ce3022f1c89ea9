"""One error hierarchy. Each error carries the exit code the CLI returns and a message that names
the fix. Library code raises these; the CLI has one handler that renders them."""

from __future__ import annotations

from dataclasses import dataclass


class ExitCode:
    """Exit codes, documented in docs/cli.md. 0 is success; 1 is left to unexpected crashes."""

    OK = 0
    USAGE = 2  # typer/click's own code for a bad command line
    CONFIG = 3
    NOT_FOUND = 4
    PERMISSION = 5
    CONFLICT = 6
    INVALID_INPUT = 7
    INTEGRITY = 8
    DATABASE = 9
    BUSY = 10
    PARTIAL_FAILURE = 11
    TOTAL_FAILURE = 12


class ArchiverError(Exception):
    """Base of every error a user can act on."""

    exit_code: int = ExitCode.INVALID_INPUT

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}\n{self.hint}"


@dataclass(frozen=True)
class Problem:
    """One validation problem: where it is, and what is wrong there."""

    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}" if self.where else self.what


class ValidationFailed(ArchiverError):
    """A user-written file (config, schedule, catalog) has problems; all of them are listed."""

    exit_code = ExitCode.CONFIG

    def __init__(self, source: str, problems: list[Problem], *, hint: str | None = None) -> None:
        self.source = source
        self.problems = problems
        lines = "\n".join(f"  {p}" for p in problems)
        count = f"{len(problems)} problem" + ("s" if len(problems) != 1 else "")
        super().__init__(f"{source}: {count}\n{lines}", hint=hint)


class ConfigError(ArchiverError):
    exit_code = ExitCode.CONFIG


class NotFound(ArchiverError):
    exit_code = ExitCode.NOT_FOUND


class PermissionDenied(ArchiverError):
    exit_code = ExitCode.PERMISSION


class Conflict(ArchiverError):
    exit_code = ExitCode.CONFLICT


class InvalidInput(ArchiverError):
    exit_code = ExitCode.INVALID_INPUT


class IntegrityError(ArchiverError):
    """Stored data does not match what was recorded about it (digests, hash chain, files)."""

    exit_code = ExitCode.INTEGRITY


class DatabaseError(ArchiverError):
    exit_code = ExitCode.DATABASE


class Busy(ArchiverError):
    """Another process holds a lock this operation needs."""

    exit_code = ExitCode.BUSY


class CaptureError(ArchiverError):
    """A platform or web site could not be captured (after retries); the run can resume."""

    exit_code = ExitCode.TOTAL_FAILURE


class CredentialError(CaptureError):
    """A token is missing, expired or revoked; the hint names the variable or key to renew."""

    exit_code = ExitCode.CONFIG


class RateLimited(CaptureError):
    """The platform asked to wait longer than the capture may; the next run resumes."""
