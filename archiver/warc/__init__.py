"""The WARC store: the record of truth, byte for byte."""

from archiver.warc.store import Locator, StoredRecord, WarcStore, WarcWriter, Written

__all__ = ["Locator", "StoredRecord", "WarcStore", "WarcWriter", "Written"]
