"""Public-records requests (CPRA, FOIA): intake, deadlines, review and disclosure packages."""
