"""Settings: one object, loaded once by the CLI callback and passed down.

Found via ``--config``, the ``ARCHIVER_CONFIG`` environment variable, or ``archiver.toml`` in the
working directory; with none of these the embedded defaults apply (SQLite in ``./archive``).
Environment overrides: ``ARCHIVER_DATABASE_URL`` and ``ARCHIVER_ROOT``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archiver.errors import ConfigError
from archiver.validation import read_toml, validate

CONFIG_FILE_NAME = "archiver.toml"
DEFAULT_ROOT = "archive"
DEFAULT_TIMEZONE = "America/Los_Angeles"
ROLES = ("clerk", "records_manager", "city_attorney", "social_media_staff", "admin", "auditor")


@dataclass(frozen=True)
class User:
    login: str
    roles: frozenset[str]
    name: str = ""
    title: str = ""
    email: str = ""

    @property
    def display(self) -> str:
        return self.name or self.login


@dataclass(frozen=True)
class CaptureSpec:
    """How an account is captured live (its ``[accounts.capture]`` table). Tokens are never
    here: ``credential`` names the secret, found in ``ARCHIVER_<CREDENTIAL>`` or the secrets
    file."""

    enabled: bool = True
    interval_hours: float = 24.0
    credential: str = ""
    api_base: str = ""
    page_size: int = 0
    urls: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    media: bool = True


@dataclass(frozen=True)
class CaptureSettings:
    """The ``[capture]`` section: the nightly job's folders and the HTTP client's manners."""

    inbox: Path | None = None
    reports: Path | None = None
    user_agent: str = "city-records-archiver (+records capture)"
    timeout_seconds: float = 30.0
    max_retries: int = 5
    max_wait_seconds: float = 900.0


@dataclass(frozen=True)
class AccountSpec:
    """An account as declared in the config (registered by ``archiver accounts sync``)."""

    platform: str
    handle: str
    name: str = ""
    url: str = ""
    platform_account_id: str = ""
    department: str = ""
    kind: str = "official"
    approved_by: str = ""
    approved_on: str = ""
    administrators: tuple[str, ...] = ()
    capture: CaptureSpec | None = None


@dataclass(frozen=True)
class City:
    name: str = "City"
    state: str = "CA"
    records_contact: str = ""
    address: str = ""
    policy_catalog: str = ""


@dataclass(frozen=True)
class Settings:
    root: Path
    database_url: str
    config_path: Path | None = None
    warc_max_bytes: int = 1000 * 1000 * 1000
    timezone: str = DEFAULT_TIMEZONE
    secrets_file: Path | None = None
    city: City = field(default_factory=City)
    users: tuple[User, ...] = ()
    default_actor: str = ""
    accounts: tuple[AccountSpec, ...] = ()
    retention_schedule: Path | None = None
    capture: CaptureSettings = field(default_factory=CaptureSettings)
    raw: Mapping[str, Any] = field(default_factory=dict)

    @property
    def warc_dir(self) -> Path:
        return self.root / "warc"

    @property
    def index_dir(self) -> Path:
        return self.root / "index"

    @property
    def inbox_dir(self) -> Path:
        return self.capture.inbox or self.root / "inbox"

    @property
    def reports_dir(self) -> Path:
        return self.capture.reports or self.root / "reports"

    @property
    def single_user(self) -> bool:
        """No users declared: the operating-system login may do everything."""
        return not self.users

    def user(self, login: str) -> User | None:
        return next((u for u in self.users if u.login == login), None)


def find_config(explicit: Path | None, env: Mapping[str, str], cwd: Path) -> Path | None:
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(f"config file {explicit} does not exist", hint="Check --config.")
        return explicit
    if env.get("ARCHIVER_CONFIG"):
        path = Path(env["ARCHIVER_CONFIG"])
        if not path.is_file():
            raise ConfigError(
                f"ARCHIVER_CONFIG names {path}, which does not exist",
                hint="Fix or unset the ARCHIVER_CONFIG environment variable.",
            )
        return path
    candidate = cwd / CONFIG_FILE_NAME
    return candidate if candidate.is_file() else None


def load_settings(
    explicit: Path | None = None,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> Settings:
    """Load and validate the configuration. ``env`` and ``cwd`` are passed in for testability."""
    env = {} if env is None else env
    cwd = Path.cwd() if cwd is None else cwd
    path = find_config(explicit, env, cwd)
    data: dict[str, Any] = {}
    if path is not None:
        data = read_toml(path)
        validate(data, "config", str(path))
    return settings_from_dict(data, path, env, cwd)


def settings_from_dict(
    data: Mapping[str, Any], path: Path | None, env: Mapping[str, str], cwd: Path
) -> Settings:
    base = path.parent if path is not None else cwd
    archive = data.get("archive", {})
    root_text = env.get("ARCHIVER_ROOT") or archive.get("root")
    root = (base / root_text) if root_text else (cwd / DEFAULT_ROOT)
    root = root.resolve()
    database_url = env.get("ARCHIVER_DATABASE_URL") or archive.get("database_url") or ""
    if not database_url:
        database_url = f"sqlite:///{root / 'archiver.sqlite3'}"
    secrets = archive.get("secrets_file")
    schedule = data.get("retention", {}).get("schedule")
    return Settings(
        root=root,
        database_url=database_url,
        config_path=path.resolve() if path else None,
        warc_max_bytes=int(archive.get("warc_max_size_mb", 1000)) * 1000 * 1000,
        timezone=archive.get("timezone", DEFAULT_TIMEZONE),
        secrets_file=(base / secrets).resolve() if secrets else None,
        city=City(**data.get("city", {})) if data.get("city") else City(),
        users=tuple(
            User(
                login=u["login"],
                roles=frozenset(u["roles"]),
                name=u.get("name", ""),
                title=u.get("title", ""),
                email=u.get("email", ""),
            )
            for u in data.get("users", [])
        ),
        default_actor=data.get("default_actor", ""),
        accounts=tuple(_account_spec(a) for a in data.get("accounts", [])),
        retention_schedule=(base / schedule).resolve() if schedule else None,
        capture=_capture_settings(data.get("capture", {}), base),
        raw=data,
    )


def _account_spec(entry: Mapping[str, Any]) -> AccountSpec:
    values = dict(entry)
    values["administrators"] = tuple(values.get("administrators", ()))
    if "capture" in values:
        capture = dict(values["capture"])
        for key in ("urls", "feeds"):
            capture[key] = tuple(capture.get(key, ()))
        values["capture"] = CaptureSpec(**capture)
    return AccountSpec(**values)


def _capture_settings(section: Mapping[str, Any], base: Path) -> CaptureSettings:
    values = dict(section)
    for key in ("inbox", "reports"):
        if values.get(key):
            values[key] = (base / values[key]).resolve()
    return CaptureSettings(**values)
