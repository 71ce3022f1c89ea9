"""The normalized SQL store: models, engine and migrations."""
