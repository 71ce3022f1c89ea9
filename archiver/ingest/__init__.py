"""Ingesting platform exports into the archive: WARC records of every original file, items and
versions in SQL, follower snapshots, and what a complete export no longer contains."""

from archiver.ingest.pipeline import IngestOptions, IngestResult, ingest
from archiver.ingest.store import KindCounts

__all__ = ["IngestOptions", "IngestResult", "KindCounts", "ingest"]
