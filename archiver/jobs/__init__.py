"""Scheduled work: the nightly job (``nightly``), its run lock (``lock``) and its hand-offs to
ingest and the search index (``seams``)."""
