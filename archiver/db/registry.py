"""Every model module, imported so that ``Base.metadata`` is complete (Alembic compares it)."""

from __future__ import annotations

import importlib

from sqlalchemy import MetaData

from archiver.db.base import Base

# Each subsystem that adds tables lists its models module here, in migration order.
MODEL_MODULES = (
    "archiver.db.models",
    "archiver.retention.models",
    "archiver.holds.models",
    "archiver.requests.models",
    "archiver.capture.models",
    "archiver.removals.models",
    "archiver.search.models",
)


def full_metadata() -> MetaData:
    for name in MODEL_MODULES:
        importlib.import_module(name)
    return Base.metadata
