"""Live capture: the platforms' APIs and the web, into WARC and the archive.

``http`` is the recording client (rate limits, retries, scrubbed exchanges); one connector module
per platform (``meta``, ``youtube``, ``x``, ``bluesky``, ``web``) walks its API a page at a time;
``normalize`` is the seam to the shared normalizers and ``record`` the seam to item recording;
``runner`` captures one account, resumably (``models``: the cursors)."""
