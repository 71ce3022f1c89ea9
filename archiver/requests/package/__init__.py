"""Disclosure packages: a BagIt bag of rendered, redacted records, load files, a WACZ of the
originals released in full, and the determination letter."""
