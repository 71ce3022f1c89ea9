"""Live capture: the platforms' APIs and the web, into WARC and the archive.

``http`` is the recording client (rate limits, retries, scrubbed exchanges); one connector module
per platform (``meta``, ``youtube``, ``x``, ``bluesky``, ``web``) walks its API a page at a time;
with the platforms' shared normalizers (``archiver.sources``); ``record`` hands each page's items
to the ingest pipeline's ``ItemStore``; ``runner`` captures one account, resumably (``models``:
the cursors)."""
