"""Alembic migrations: the only source of the archive's schema."""
