"""Policy catalogs: a City's social-media policy as data (grounds, blocking rule, retention).

A catalog is a TOML file validated by ``schemas/policy_catalog.schema.json``. Two rules the schema
cannot express are checked here: ground codes are unique within a catalog, and
``retention.best_effort`` is a subset of ``retention.requires``. The City's config names its
catalog in ``[city] policy_catalog``: a shipped id (``carson``) or a path to its own file.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from archiver.config import Settings
from archiver.errors import ConfigError, NotFound, Problem, ValidationFailed
from archiver.validation import read_toml, schema_problems

SCHEMA = "policy_catalog"


@dataclass(frozen=True)
class Ground:
    code: str
    title: str
    clause: str
    text: str
    categories: tuple[str, ...]
    applies_to: str
    permits_removal: bool
    permits_blocking: bool
    note: str = ""

    def cite(self, source: str) -> str:
        """``"V.14 of Council Policy 01.01.04: “Defamatory statements”"``, for messages."""
        return f"{self.clause} of {source}: “{self.text}”"


@dataclass(frozen=True)
class Citation:
    clause: str
    text: str


@dataclass(frozen=True)
class BlockingRule:
    addressed: bool
    permitted: bool
    clause: str
    text: str
    min_violations: int
    never_for: tuple[str, ...]
    note: str
    see_also: tuple[Citation, ...]


@dataclass(frozen=True)
class RetentionRule:
    clause: str
    text: str
    covers_removed_content: bool
    requires: tuple[str, ...]
    best_effort: tuple[str, ...]
    period: str


@dataclass(frozen=True)
class PolicyCatalog:
    id: str
    title: str
    jurisdiction: str
    source: str
    retention: RetentionRule
    blocking: BlockingRule
    grounds: tuple[Ground, ...]
    origin: str  # "shipped" or the file's path

    def ground(self, code: str) -> Ground | None:
        return next((g for g in self.grounds if g.code == code), None)

    @property
    def codes(self) -> list[str]:
        return [g.code for g in self.grounds]


def shipped_ids() -> list[str]:
    folder = resources.files("archiver").joinpath("catalogs")
    return sorted(
        p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml")
    )


def catalog_problems(data: Any) -> list[Problem]:
    """Every problem of a parsed catalog: schema errors, then the rules the schema cannot say."""
    problems = schema_problems(data, SCHEMA)
    if not isinstance(data, dict):
        return problems
    grounds = data.get("grounds")
    if isinstance(grounds, list):
        first_at: dict[str, int] = {}
        for index, ground in enumerate(grounds):
            code = ground.get("code") if isinstance(ground, dict) else None
            if not isinstance(code, str):
                continue
            if code in first_at:
                problems.append(
                    Problem(
                        f"grounds[{index}].code",
                        f"{code!r} is already the code of grounds[{first_at[code]}]; "
                        "codes must be unique within a catalog",
                    )
                )
            else:
                first_at[code] = index
    retention = data.get("retention")
    if isinstance(retention, dict):
        requires = retention.get("requires", [])
        for index, term in enumerate(retention.get("best_effort", []) or []):
            if isinstance(requires, list) and term not in requires:
                problems.append(
                    Problem(
                        f"retention.best_effort[{index}]",
                        f"{term!r} is not in retention.requires; best_effort lists items of "
                        "requires that are kept when available",
                    )
                )
    return problems


def parse_catalog(data: dict[str, Any], source: str, origin: str) -> PolicyCatalog:
    """Validate a parsed catalog and turn it into a ``PolicyCatalog`` (all problems at once)."""
    problems = catalog_problems(data)
    if problems:
        raise ValidationFailed(
            source,
            problems,
            hint="The format is described in schemas/policy_catalog.schema.json and "
            "docs/removals.md.",
        )
    return _build(data, origin)


def load_catalog_file(path: Path) -> PolicyCatalog:
    return parse_catalog(read_toml(path), str(path), str(path))


def load_catalog(ref: str, *, base: Path | None = None) -> PolicyCatalog:
    """A shipped catalog by id, or a catalog file by path (relative to ``base``)."""
    if ref in shipped_ids():
        path = Path(str(resources.files("archiver").joinpath("catalogs", f"{ref}.toml")))
        return parse_catalog(read_toml(path), f"catalog {ref}", "shipped")
    path = Path(ref)
    if not path.is_absolute() and base is not None:
        path = base / path
    if not path.is_file():
        raise NotFound(
            f"policy catalog {ref!r} is neither a shipped catalog nor a file",
            hint=f"Shipped catalogs: {', '.join(shipped_ids())}; or give the path of the "
            "City's own catalog file (relative to the config file).",
        )
    return load_catalog_file(path)


def city_catalog(settings: Settings) -> PolicyCatalog:
    """The catalog the City's config names in ``[city] policy_catalog``."""
    ref = settings.city.policy_catalog
    if not ref:
        raise ConfigError(
            "the config names no removal-ground catalog",
            hint="Set [city] policy_catalog in archiver.toml to one of "
            f"{', '.join(shipped_ids())}, or to the path of the City's own catalog file.",
        )
    base = settings.config_path.parent if settings.config_path else None
    return load_catalog(ref, base=base)


def _build(data: dict[str, Any], origin: str) -> PolicyCatalog:
    policy, retention, blocking = data["policy"], data["retention"], data["blocking"]
    return PolicyCatalog(
        id=policy["id"],
        title=policy["title"],
        jurisdiction=policy["jurisdiction"],
        source=policy["source"],
        retention=RetentionRule(
            clause=retention["clause"],
            text=retention["text"],
            covers_removed_content=retention["covers_removed_content"],
            requires=tuple(retention["requires"]),
            best_effort=tuple(retention.get("best_effort", ())),
            period=retention["period"],
        ),
        blocking=BlockingRule(
            addressed=blocking["addressed"],
            permitted=blocking["permitted"],
            clause=blocking.get("clause", ""),
            text=blocking.get("text", ""),
            min_violations=int(blocking.get("min_violations", 1)),
            never_for=tuple(blocking["never_for"]),
            note=blocking.get("note", ""),
            see_also=tuple(Citation(c["clause"], c["text"]) for c in blocking.get("see_also", [])),
        ),
        grounds=tuple(
            Ground(
                code=g["code"],
                title=g["title"],
                clause=g["clause"],
                text=g["text"],
                categories=tuple(g["categories"]),
                applies_to=g["applies_to"],
                permits_removal=g.get("permits_removal", True),
                permits_blocking=g["permits_blocking"],
                note=g.get("note", ""),
            )
            for g in data["grounds"]
        ),
        origin=origin,
    )
