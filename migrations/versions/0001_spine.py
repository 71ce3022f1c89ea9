"""archive spine: accounts, captures, WARC registry, items and versions, media, followers, audit log

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-21 01:57:49.633330
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import archiver.db.base

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=32), nullable=False),
        sa.Column("handle", sa.String(length=255), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("platform_account_id", sa.String(length=255), nullable=False),
        sa.Column("department", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("approved_by", sa.String(length=255), nullable=False),
        sa.Column("approved_on", sa.Date(), nullable=True),
        sa.Column("terminated_on", sa.Date(), nullable=True),
        sa.Column("termination_reason", sa.Text(), nullable=False),
        sa.Column(
            "administrators",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("registered_at", archiver.db.base.UTCDateTime(), nullable=False),
        sa.Column("registered_by", sa.String(length=255), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accounts")),
        sa.UniqueConstraint("platform", "handle", name=op.f("uq_accounts_platform_handle")),
    )
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_accounts_platform_account_id"), ["platform_account_id"], unique=False
        )

    op.create_table(
        "audit_events",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("occurred_at", archiver.db.base.UTCDateTime(), nullable=False),
        sa.Column("actor", sa.String(length=255), nullable=False),
        sa.Column("actor_roles", sa.String(length=255), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("object_type", sa.String(length=64), nullable=False),
        sa.Column("object_id", sa.String(length=255), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_events")),
        sa.UniqueConstraint("hash", name=op.f("uq_audit_events_hash")),
        sa.UniqueConstraint("prev_hash", name=op.f("uq_audit_events_prev_hash")),
    )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_events_action"), ["action"], unique=False)

    op.create_table(
        "warc_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("created_at", archiver.db.base.UTCDateTime(), nullable=False),
        sa.Column("closed_at", archiver.db.base.UTCDateTime(), nullable=True),
        sa.Column("size", sa.BigInteger(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_warc_files")),
        sa.UniqueConstraint("name", name=op.f("uq_warc_files_name")),
    )
    op.create_table(
        "captures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("source_kind", sa.String(length=32), nullable=False),
        sa.Column("source_format", sa.String(length=64), nullable=False),
        sa.Column("source_path", sa.Text(), nullable=False),
        sa.Column("complete", sa.Boolean(), nullable=False),
        sa.Column("operator", sa.String(length=255), nullable=False),
        sa.Column("tool_version", sa.String(length=64), nullable=False),
        sa.Column("started_at", archiver.db.base.UTCDateTime(), nullable=False),
        sa.Column("finished_at", archiver.db.base.UTCDateTime(), nullable=True),
        sa.Column("outcome", sa.String(length=32), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column(
            "counts",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_captures_account_id_accounts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_captures")),
    )
    with op.batch_alter_table("captures", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_captures_account_id"), ["account_id"], unique=False)

    op.create_table(
        "items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=32), nullable=False),
        sa.Column("platform_id", sa.String(length=255), nullable=False),
        sa.Column("id_synthesized", sa.Boolean(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("root_id", sa.Integer(), nullable=True),
        sa.Column("author_name", sa.String(length=255), nullable=False),
        sa.Column("author_handle", sa.String(length=255), nullable=False),
        sa.Column("author_platform_id", sa.String(length=255), nullable=False),
        sa.Column("created_at", archiver.db.base.UTCDateTime(), nullable=True),
        sa.Column("permalink", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("state_changed_at", archiver.db.base.UTCDateTime(), nullable=True),
        sa.Column("first_seen_at", archiver.db.base.UTCDateTime(), nullable=False),
        sa.Column("last_seen_at", archiver.db.base.UTCDateTime(), nullable=False),
        sa.Column("missing_since", archiver.db.base.UTCDateTime(), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("version_count", sa.Integer(), nullable=False),
        sa.Column(
            "extra",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_items_account_id_accounts")
        ),
        sa.ForeignKeyConstraint(["parent_id"], ["items.id"], name=op.f("fk_items_parent_id_items")),
        sa.ForeignKeyConstraint(["root_id"], ["items.id"], name=op.f("fk_items_root_id_items")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_items")),
        sa.UniqueConstraint(
            "account_id", "platform_id", name=op.f("uq_items_account_id_platform_id")
        ),
    )
    with op.batch_alter_table("items", schema=None) as batch_op:
        batch_op.create_index(
            "ix_items_account_created", ["account_id", "created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_items_author_platform_id"), ["author_platform_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_items_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_items_parent_id"), ["parent_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_items_root_id"), ["root_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_items_state"), ["state"], unique=False)

    op.create_table(
        "warc_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.String(length=64), nullable=False),
        sa.Column("warc_file_id", sa.Integer(), nullable=False),
        sa.Column("offset", sa.BigInteger(), nullable=False),
        sa.Column("length", sa.BigInteger(), nullable=False),
        sa.Column("record_type", sa.String(length=16), nullable=False),
        sa.Column("target_uri", sa.Text(), nullable=False),
        sa.Column("content_type", sa.String(length=255), nullable=False),
        sa.Column("block_digest", sa.String(length=128), nullable=False),
        sa.Column("payload_digest", sa.String(length=128), nullable=False),
        sa.Column("payload_sha256", sa.String(length=64), nullable=False),
        sa.Column("payload_length", sa.BigInteger(), nullable=False),
        sa.Column("warc_date", archiver.db.base.UTCDateTime(), nullable=False),
        sa.Column("capture_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["capture_id"], ["captures.id"], name=op.f("fk_warc_records_capture_id_captures")
        ),
        sa.ForeignKeyConstraint(
            ["warc_file_id"],
            ["warc_files.id"],
            name=op.f("fk_warc_records_warc_file_id_warc_files"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_warc_records")),
        sa.UniqueConstraint("record_id", name=op.f("uq_warc_records_record_id")),
    )
    with op.batch_alter_table("warc_records", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_warc_records_capture_id"), ["capture_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_warc_records_payload_sha256"), ["payload_sha256"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_warc_records_warc_file_id"), ["warc_file_id"], unique=False
        )

    op.create_table(
        "capture_sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("capture_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("warc_record_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["capture_id"], ["captures.id"], name=op.f("fk_capture_sources_capture_id_captures")
        ),
        sa.ForeignKeyConstraint(
            ["warc_record_id"],
            ["warc_records.id"],
            name=op.f("fk_capture_sources_warc_record_id_warc_records"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_capture_sources")),
        sa.UniqueConstraint("capture_id", "name", name=op.f("uq_capture_sources_capture_id_name")),
    )
    with op.batch_alter_table("capture_sources", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_capture_sources_capture_id"), ["capture_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_capture_sources_sha256"), ["sha256"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_capture_sources_warc_record_id"), ["warc_record_id"], unique=False
        )

    op.create_table(
        "follower_snapshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("capture_id", sa.Integer(), nullable=False),
        sa.Column("taken_at", archiver.db.base.UTCDateTime(), nullable=False),
        sa.Column("follower_count", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("warc_record_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_follower_snapshots_account_id_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["capture_id"], ["captures.id"], name=op.f("fk_follower_snapshots_capture_id_captures")
        ),
        sa.ForeignKeyConstraint(
            ["warc_record_id"],
            ["warc_records.id"],
            name=op.f("fk_follower_snapshots_warc_record_id_warc_records"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follower_snapshots")),
    )
    with op.batch_alter_table("follower_snapshots", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_follower_snapshots_account_id"), ["account_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_follower_snapshots_capture_id"), ["capture_id"], unique=False
        )

    op.create_table(
        "item_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("version_no", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column(
            "data",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("edited_at", archiver.db.base.UTCDateTime(), nullable=True),
        sa.Column("first_observed_at", archiver.db.base.UTCDateTime(), nullable=False),
        sa.Column("last_observed_at", archiver.db.base.UTCDateTime(), nullable=False),
        sa.Column("capture_id", sa.Integer(), nullable=False),
        sa.Column("warc_record_id", sa.Integer(), nullable=True),
        sa.Column("source_position", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["capture_id"], ["captures.id"], name=op.f("fk_item_versions_capture_id_captures")
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["items.id"], name=op.f("fk_item_versions_item_id_items")
        ),
        sa.ForeignKeyConstraint(
            ["warc_record_id"],
            ["warc_records.id"],
            name=op.f("fk_item_versions_warc_record_id_warc_records"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_item_versions")),
        sa.UniqueConstraint(
            "item_id", "version_no", name=op.f("uq_item_versions_item_id_version_no")
        ),
    )
    with op.batch_alter_table("item_versions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_item_versions_capture_id"), ["capture_id"], unique=False
        )
        batch_op.create_index(
            "ix_item_versions_item_hash", ["item_id", "content_hash"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_item_versions_warc_record_id"), ["warc_record_id"], unique=False
        )

    op.create_table(
        "media",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("source_uri", sa.Text(), nullable=False),
        sa.Column("mime_type", sa.String(length=255), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("warc_record_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["item_id"], ["items.id"], name=op.f("fk_media_item_id_items")),
        sa.ForeignKeyConstraint(
            ["warc_record_id"],
            ["warc_records.id"],
            name=op.f("fk_media_warc_record_id_warc_records"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_media")),
        sa.UniqueConstraint("item_id", "source_uri", name=op.f("uq_media_item_id_source_uri")),
    )
    with op.batch_alter_table("media", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_media_item_id"), ["item_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_media_sha256"), ["sha256"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_media_warc_record_id"), ["warc_record_id"], unique=False
        )

    op.create_table(
        "followers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("handle", sa.String(length=255), nullable=False),
        sa.Column("platform_user_id", sa.String(length=255), nullable=False),
        sa.Column("followed_at", archiver.db.base.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["snapshot_id"],
            ["follower_snapshots.id"],
            name=op.f("fk_followers_snapshot_id_follower_snapshots"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_followers")),
    )
    with op.batch_alter_table("followers", schema=None) as batch_op:
        batch_op.create_index(
            "ix_followers_snapshot_handle", ["snapshot_id", "handle"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("followers", schema=None) as batch_op:
        batch_op.drop_index("ix_followers_snapshot_handle")

    op.drop_table("followers")
    with op.batch_alter_table("media", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_media_warc_record_id"))
        batch_op.drop_index(batch_op.f("ix_media_sha256"))
        batch_op.drop_index(batch_op.f("ix_media_item_id"))

    op.drop_table("media")
    with op.batch_alter_table("item_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_item_versions_warc_record_id"))
        batch_op.drop_index("ix_item_versions_item_hash")
        batch_op.drop_index(batch_op.f("ix_item_versions_capture_id"))

    op.drop_table("item_versions")
    with op.batch_alter_table("follower_snapshots", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_follower_snapshots_capture_id"))
        batch_op.drop_index(batch_op.f("ix_follower_snapshots_account_id"))

    op.drop_table("follower_snapshots")
    with op.batch_alter_table("capture_sources", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_capture_sources_warc_record_id"))
        batch_op.drop_index(batch_op.f("ix_capture_sources_sha256"))
        batch_op.drop_index(batch_op.f("ix_capture_sources_capture_id"))

    op.drop_table("capture_sources")
    with op.batch_alter_table("warc_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_warc_records_warc_file_id"))
        batch_op.drop_index(batch_op.f("ix_warc_records_payload_sha256"))
        batch_op.drop_index(batch_op.f("ix_warc_records_capture_id"))

    op.drop_table("warc_records")
    with op.batch_alter_table("items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_items_state"))
        batch_op.drop_index(batch_op.f("ix_items_root_id"))
        batch_op.drop_index(batch_op.f("ix_items_parent_id"))
        batch_op.drop_index(batch_op.f("ix_items_created_at"))
        batch_op.drop_index(batch_op.f("ix_items_author_platform_id"))
        batch_op.drop_index("ix_items_account_created")

    op.drop_table("items")
    with op.batch_alter_table("captures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_captures_account_id"))

    op.drop_table("captures")
    op.drop_table("warc_files")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_events_action"))

    op.drop_table("audit_events")
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_accounts_platform_account_id"))

    op.drop_table("accounts")
