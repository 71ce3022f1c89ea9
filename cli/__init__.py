"""The ``archiver`` command line: parse, call the library, render. No SQL, WARC or index code."""
