"""saved searches and their runs

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-21 02:08:23.863429
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import archiver.db.base

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "saved_searches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("query", sa.Text(), nullable=False),
        sa.Column(
            "filters",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("sort", sa.String(length=16), nullable=False),
        sa.Column("request_number", sa.String(length=64), nullable=False),
        sa.Column("created_by", sa.String(length=255), nullable=False),
        sa.Column("created_at", archiver.db.base.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_searches")),
        sa.UniqueConstraint("name", name=op.f("uq_saved_searches_name")),
    )
    with op.batch_alter_table("saved_searches", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_saved_searches_request_number"), ["request_number"], unique=False
        )

    op.create_table(
        "saved_search_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("saved_search_id", sa.Integer(), nullable=False),
        sa.Column("run_by", sa.String(length=255), nullable=False),
        sa.Column("run_at", archiver.db.base.UTCDateTime(), nullable=False),
        sa.Column("request_number", sa.String(length=64), nullable=False),
        sa.Column("result_count", sa.Integer(), nullable=False),
        sa.Column(
            "result_ids",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["saved_search_id"],
            ["saved_searches.id"],
            name=op.f("fk_saved_search_runs_saved_search_id_saved_searches"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_search_runs")),
    )
    with op.batch_alter_table("saved_search_runs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_saved_search_runs_saved_search_id"), ["saved_search_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("saved_search_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_saved_search_runs_saved_search_id"))

    op.drop_table("saved_search_runs")
    with op.batch_alter_table("saved_searches", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_saved_searches_request_number"))

    op.drop_table("saved_searches")
