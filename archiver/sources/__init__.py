"""Readers: one module per platform export or capture format, each yielding the same normalized
items (``archiver.sources.base``). Platform quirks live in their reader and nowhere else."""
