"""Creating and upgrading an archive."""

from __future__ import annotations

from dataclasses import dataclass

from archiver import SOFTWARE, audit
from archiver.accounts import sync_accounts
from archiver.actors import Actor
from archiver.archive import Archive, Clock, utc_now
from archiver.config import Settings
from archiver.db import migrate
from archiver.removals.catalog import city_catalog


@dataclass(frozen=True)
class InitResult:
    root: str
    database: str
    created: bool
    schema_revision: str
    accounts_registered: list[str]
    policy_catalog: str = ""  # the removal-ground catalog the config names, checked


def init_archive(settings: Settings, actor: Actor, *, clock: Clock = utc_now) -> InitResult:
    """Create the archive folders and database (or bring an existing one up to date), then
    register the accounts the config declares. Safe to run again. The removal-ground catalog the
    config names is read and validated first, so that a wrong one is found by whoever sets the
    archive up, not by the social-media staff recording their first removal."""
    actor.require("archive.admin")
    catalog = city_catalog(settings) if settings.city.policy_catalog else None
    settings.root.mkdir(parents=True, exist_ok=True)
    settings.warc_dir.mkdir(exist_ok=True)
    settings.index_dir.mkdir(exist_ok=True)
    archive = Archive(settings, clock=clock)
    try:
        before = migrate.current_revision(archive.db.engine)
        migrate.upgrade(settings.database_url)
        revision = migrate.current_revision(archive.db.engine) or ""
        with archive.unit() as session:
            if before is None:
                audit.record(
                    session,
                    actor,
                    "archive.initialized",
                    now=clock(),
                    object_type="archive",
                    object_id=str(settings.root),
                    details={"software": SOFTWARE, "schema": revision, "city": settings.city.name},
                )
            elif before != revision:
                audit.record(
                    session,
                    actor,
                    "archive.upgraded",
                    now=clock(),
                    object_type="archive",
                    details={"from": before, "to": revision},
                )
        registered = sync_accounts(archive, actor, settings.accounts)
        return InitResult(
            root=str(settings.root),
            database=archive.describe_database(),
            created=before is None,
            schema_revision=revision,
            accounts_registered=registered,
            policy_catalog=f"{catalog.id} ({catalog.title})" if catalog else "",
        )
    finally:
        archive.close()


def upgrade_database(
    settings: Settings, actor: Actor, *, clock: Clock = utc_now
) -> tuple[str | None, str]:
    """Apply pending migrations; returns (revision before, revision after)."""
    actor.require("archive.admin")
    archive = Archive(settings, clock=clock)
    try:
        before = migrate.current_revision(archive.db.engine)
        migrate.upgrade(settings.database_url)
        after = migrate.current_revision(archive.db.engine) or ""
        if before != after:
            with archive.unit() as session:
                audit.record(
                    session,
                    actor,
                    "archive.upgraded",
                    now=clock(),
                    object_type="archive",
                    details={"from": before, "to": after},
                )
        return before, after
    finally:
        archive.close()
