"""Whose export is this? Matching what an export says about its account to the registry.

The export's contents decide (the reader's ``AccountHint``): platform account id first, then
handle, then display name. A download's file name (``facebook-HANDLE-2025-06-30-xxxx.zip``) only
fills in a handle the contents do not give, and a file name that claims another platform than
the contents is refused. An unregistered account gets an error with the exact command that
registers it.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from archiver.accounts import find_account
from archiver.db.models import Account
from archiver.errors import InvalidInput, NotFound
from archiver.sources.base import AccountHint

DOWNLOAD_NAME = re.compile(
    r"^(?P<platform>facebook|instagram|twitter|x|threads)-(?P<handle>[A-Za-z0-9_.]+)-\d{4}-\d{2}-\d{2}"
)
PLATFORM_NAMES = {"twitter": "x"}
LABELS = {"facebook": "Facebook", "instagram": "Instagram", "x": "X", "youtube": "YouTube"}


def label(platform: str) -> str:
    return LABELS.get(platform, platform.capitalize())


def a_label(platform: str) -> str:
    name = label(platform)
    return ("an " if name[:1] in "AEIOUX" else "a ") + name


def hint_with_file_name(hint: AccountHint, path: Path, layout: str, explicit: bool) -> AccountHint:
    """Fill the handle from a platform download's file name; refuse a name that contradicts
    the contents (unless the user named the account with ``--account``)."""
    match = DOWNLOAD_NAME.match(path.name)
    if match is None:
        return hint
    named = PLATFORM_NAMES.get(match.group("platform"), match.group("platform"))
    if named != hint.platform:
        if explicit:
            return hint
        raise InvalidInput(
            f"{path.name} is named like {a_label(named)} download of {match.group('handle')}, "
            f"but its contents are {a_label(hint.platform)} export ({layout})",
            hint=f"Check that this is the right file. If its contents are right, pass --account "
            f"with the {label(hint.platform)} account it belongs to.",
        )
    return hint if hint.handle else replace(hint, handle=match.group("handle"))


def resolve_account(
    session: Session, hint: AccountHint, ref: str | None, *, source: str, layout: str
) -> Account:
    """The registered account an export belongs to (see the module docstring)."""
    if ref:
        account = find_account(session, ref)
        check_explicit(account, hint, ref, source=source, layout=layout)
        return account
    matched = match_hint(session, hint)
    if matched is None:
        raise not_registered(hint, source)
    return matched


def check_explicit(
    account: Account, hint: AccountHint, ref: str, *, source: str, layout: str
) -> None:
    if account.platform != hint.platform:
        raise InvalidInput(
            f"{source} is {a_label(hint.platform)} export ({layout}), but {ref} is "
            f"{a_label(account.platform)} account ({account.platform}:{account.handle})",
            hint=f"Name the {label(hint.platform)} account the export belongs to with --account, "
            "or check that this is the right file.",
        )
    if (
        hint.platform_account_id
        and account.platform_account_id
        and hint.platform_account_id != account.platform_account_id
    ):
        who = f" ({hint.name})" if hint.name else ""
        raise InvalidInput(
            f"{source} belongs to {label(hint.platform)} account id {hint.platform_account_id}"
            f"{who}, not to {account.platform}:{account.handle} (id "
            f"{account.platform_account_id})",
            hint="Check that this is the right file, or name the right account with --account.",
        )


def match_hint(session: Session, hint: AccountHint) -> Account | None:
    accounts = list(session.scalars(select(Account).where(Account.platform == hint.platform)))
    if hint.platform_account_id:
        found = [a for a in accounts if a.platform_account_id == hint.platform_account_id]
        if len(found) == 1:
            return found[0]
    if hint.handle:
        handle = hint.handle.lstrip("@").lower()
        found = [a for a in accounts if a.handle.lower() == handle]
        if len(found) == 1:
            return found[0]
    if hint.name and not hint.platform_account_id:
        found = [a for a in accounts if a.name.strip().lower() == hint.name.strip().lower()]
        if len(found) == 1:
            return found[0]
    return None


def match_platform_id(session: Session, platform: str, platform_account_id: str) -> Account:
    found = session.scalars(
        select(Account).where(
            Account.platform == platform, Account.platform_account_id == platform_account_id
        )
    ).first()
    if found is None:
        raise not_registered(AccountHint(platform, platform_account_id), "the export")
    return found


def not_registered(hint: AccountHint, source: str) -> NotFound:
    parts = [f"--platform {hint.platform}", f"--handle {shlex.quote(hint.handle or 'HANDLE')}"]
    if hint.name:
        parts.append(f"--name {shlex.quote(hint.name)}")
    if hint.platform_account_id:
        parts.append(f"--platform-id {shlex.quote(hint.platform_account_id)}")
    described = ", ".join(
        f"{k} {v!r}"
        for k, v in (
            ("handle", hint.handle),
            ("name", hint.name),
            ("id", hint.platform_account_id),
        )
        if v
    )
    command = "archiver accounts add " + " ".join(parts)
    fill = " (replace HANDLE with the account's handle)" if not hint.handle else ""
    return NotFound(
        f"{source}: the {label(hint.platform)} account of this export "
        f"({described or 'unnamed'}) is not registered",
        hint=f"Register it{fill}, then ingest again:\n  {command}\n"
        "or name a registered account with --account.",
    )
