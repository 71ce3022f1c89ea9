"""What every command needs: the settings (loaded once), the actor, and the archive."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import typer

from archiver.actors import Actor, resolve_actor
from archiver.archive import Archive
from archiver.config import Settings, load_settings


@dataclass
class State:
    config_path: Path | None
    as_login: str | None
    _settings: Settings | None = None
    _archive: Archive | None = None
    _opened: list[Archive] = field(default_factory=list)

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = load_settings(self.config_path, os.environ, Path.cwd())
        return self._settings

    @property
    def actor(self) -> Actor:
        return resolve_actor(self.settings, self.as_login)

    def archive(self) -> Archive:
        if self._archive is None:
            self._archive = Archive.open(self.settings)
        return self._archive

    def close(self) -> None:
        if self._archive is not None:
            self._archive.close()
            self._archive = None


def state(ctx: typer.Context) -> State:
    root = ctx.find_root()
    assert isinstance(root.obj, State), "the root callback sets the state"
    return root.obj


def parse_date(text: str) -> date:
    """A YYYY-MM-DD option value, or a usage error naming it."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a date (YYYY-MM-DD)") from None
