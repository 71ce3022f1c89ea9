"""The policy rules of removals and blocks, as pure functions over the catalog and plain values.
Every refusal quotes the clause that decides it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from archiver.errors import InvalidInput
from archiver.removals.catalog import Ground, PolicyCatalog


def _choices(grounds: Sequence[Ground]) -> str:
    return ", ".join(f"{g.code} ({g.clause})" for g in grounds) or "none"


def _unknown(catalog: PolicyCatalog, code: str, usable: Sequence[Ground]) -> InvalidInput:
    return InvalidInput(
        f"ground {code!r} is not in the {catalog.id} catalog ({catalog.source})",
        hint=f"Its grounds are: {_choices(usable)}. See `archiver removals grounds`.",
    )


def removal_grounds(catalog: PolicyCatalog, codes: Sequence[str]) -> list[Ground]:
    """The grounds for a removal: at least one, each in the catalog and permitting removal."""
    if not codes:
        raise InvalidInput(
            "a removal needs at least one ground (--ground CODE)",
            hint=f"The {catalog.id} grounds are: {_choices(catalog.grounds)}.",
        )
    usable = [g for g in catalog.grounds if g.permits_removal]
    found: list[Ground] = []
    for code in dict.fromkeys(codes):
        ground = catalog.ground(code)
        if ground is None:
            raise _unknown(catalog, code, usable)
        if not ground.permits_removal:
            reason = f" {ground.note}" if ground.note else ""
            raise InvalidInput(
                f"ground {code!r} is a ground for blocking a user, not for removing content: "
                f"{ground.cite(catalog.source)}",
                hint=f"Remove the post under another ground.{reason}",
            )
        found.append(ground)
    return found


def block_grounds(catalog: PolicyCatalog, codes: Sequence[str]) -> list[Ground]:
    """The grounds for a block: the policy must permit blocking, and each ground must too."""
    rule = catalog.blocking
    if not rule.permitted:
        quoted = "; ".join(f"{c.clause}: “{c.text}”" for c in rule.see_also)
        raise InvalidInput(
            f"{catalog.source} does not permit blocking users. {rule.note}"
            + (f" ({quoted})" if quoted else ""),
            hint="Record removals of individual posts instead (`archiver removals record`); "
            "ask the City Attorney before blocking anyone.",
        )
    if not codes:
        raise InvalidInput("a block needs at least one ground (--ground CODE)")
    usable = [g for g in catalog.grounds if g.permits_blocking]
    found: list[Ground] = []
    for code in dict.fromkeys(codes):
        ground = catalog.ground(code)
        if ground is None:
            raise _unknown(catalog, code, usable)
        if not ground.permits_blocking:
            raise InvalidInput(
                f"ground {code!r} ({ground.clause}) does not permit blocking a user under "
                f"{rule.clause} of {catalog.source}: “{rule.text}”",
                hint=f"Grounds that permit blocking: {_choices(usable)}.",
            )
        found.append(ground)
    return found


def check_evidence_count(catalog: PolicyCatalog, given: int) -> None:
    """Refuse a block with fewer evidence items than the policy's ``min_violations``."""
    rule = catalog.blocking
    needed = max(1, rule.min_violations)
    if given >= needed:
        return
    repeated = "repeated violations" if needed > 1 else "a violation"
    raise InvalidInput(
        f"{rule.clause} of {catalog.source} requires {repeated} before a block "
        f"(at least {needed} posts by the user as evidence; {given} given): “{rule.text}”",
        hint="Give each violating post with --evidence ITEM; they must be by that user.",
    )


# What each retention term needs to be present in a removal record.
RETENTION_TERMS = {
    "content": "the removed content",
    "time": "the time it was posted",
    "date": "the date it was posted",
    "poster_identity": "the poster's identity",
    "poster_username": "the poster's user name",
    "reason": "the reason for removal",
}


@dataclass(frozen=True)
class Kept:
    """What a removal record holds, for the retention check."""

    content: bool
    posted_at: bool
    poster_identity: bool
    poster_username: bool
    reason: bool


def retention_gaps(catalog: PolicyCatalog, kept: Kept) -> list[str]:
    """Warnings for what the policy's retention clause requires but the record lacks (items the
    policy asks for only "when available" are not warned about)."""
    present = {
        "content": kept.content,
        "time": kept.posted_at,
        "date": kept.posted_at,
        "poster_identity": kept.poster_identity,
        "poster_username": kept.poster_username,
        "reason": kept.reason,
    }
    rule = catalog.retention
    missing = [
        RETENTION_TERMS[t]
        for t in rule.requires
        if t not in rule.best_effort and not present.get(t, True)
    ]
    if not missing:
        return []
    return [
        f"{rule.clause} of {catalog.source} requires {', '.join(dict.fromkeys(missing))}, "
        "which the archive does not have for this item: add what staff know to the note"
    ]


def scope_warnings(grounds: Sequence[Ground], *, by_city: bool) -> list[str]:
    """Warn when a ground governs other people's content than the item's poster."""
    out: list[str] = []
    for ground in grounds:
        if ground.applies_to == "public_comments" and by_city:
            out.append(
                f"ground {ground.code} ({ground.clause}) governs comments by the public, "
                "but this item was posted by the City's account"
            )
        if ground.applies_to in ("city_posts", "elected_official_posts") and not by_city:
            whose = "the City" if ground.applies_to == "city_posts" else "elected officials"
            out.append(
                f"ground {ground.code} ({ground.clause}) governs content posted by {whose}, "
                "but this item was posted by someone else"
            )
    return out
