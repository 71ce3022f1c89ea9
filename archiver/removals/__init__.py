"""The removal audit trail: what the City took down, blocked and why (see docs/removals.md)."""
