"""The catalog of exemptions and extension grounds (``exemptions.toml``, with citations)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from archiver.errors import InvalidInput
from archiver.validation import read_toml, validate


@dataclass(frozen=True)
class Exemption:
    code: str
    law: str
    citation: str
    title: str
    former: str = ""
    needs_note: bool = False

    @property
    def label(self) -> str:
        return self.citation


@dataclass(frozen=True)
class Ground:
    code: str
    law: str
    citation: str
    title: str


@dataclass(frozen=True)
class Catalog:
    exemptions: tuple[Exemption, ...]
    grounds: tuple[Ground, ...]

    def exemption(self, law: str, code: str) -> Exemption:
        wanted = _normalize(code)
        for entry in self.exemptions:
            if entry.law == law and _normalize(entry.code) == wanted:
                return entry
        options = ", ".join(e.code for e in self.exemptions if e.law == law)
        raise InvalidInput(
            f"{code!r} is not a {law} exemption in the catalog",
            hint=f"Use one of: {options} (see `archiver requests exemptions`).",
        )

    def ground(self, law: str, code: str) -> Ground:
        for entry in self.grounds:
            if entry.law == law and entry.code.lower() == code.strip().lower():
                return entry
        options = "; ".join(f"{g.code} ({g.title})" for g in self.grounds if g.law == law)
        raise InvalidInput(
            f"{code!r} is not a ground for extending a {law} request",
            hint=f"The statute allows only: {options}.",
        )


def _normalize(code: str) -> str:
    text = code.strip().lower().replace("§", "").replace(" ", "")
    for noise in ("gov.code", "5u.s.c.552", "("):
        text = text.replace(noise, "")
    return text.replace(")", "")


def parse_catalog(document: dict[str, object], source: str) -> Catalog:
    validate(document, "exemptions", source)
    exemptions = tuple(Exemption(**e) for e in document.get("exemption", []))  # type: ignore[attr-defined]
    grounds = tuple(Ground(**g) for g in document.get("extension_ground", []))  # type: ignore[attr-defined]
    return Catalog(exemptions, grounds)


@cache
def shipped_catalog() -> Catalog:
    text = resources.files("archiver.requests").joinpath("exemptions.toml").read_text("utf-8")
    return parse_catalog(tomllib.loads(text), "exemptions.toml")


def load_catalog(path: Path | None = None) -> Catalog:
    """The shipped catalog, or a City's own file (validated, every problem reported)."""
    if path is None:
        return shipped_catalog()
    return parse_catalog(read_toml(path), str(path))
