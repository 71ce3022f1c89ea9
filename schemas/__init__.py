"""JSON Schemas for every file a user writes (shipped as package data)."""
