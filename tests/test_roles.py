from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from archiver.accounts import add_account, list_accounts, terminate_account
from archiver.actors import Actor, resolve_actor
from archiver.archive import Archive
from archiver.config import AccountSpec, Settings
from archiver.errors import PermissionDenied
from archiver.lifecycle import init_archive
from tests.conftest import actor

SPEC = AccountSpec(platform="facebook", handle="RanchoVerdeCity", name="City of Rancho Verde")


def test_roles_allow_and_refuse(archive: Archive) -> None:
    with pytest.raises(PermissionDenied, match="records_manager"):
        add_account(archive, actor("clerk"), SPEC)
    with pytest.raises(PermissionDenied):
        add_account(archive, actor("auditor"), SPEC)
    view = add_account(archive, actor("records"), SPEC)
    with pytest.raises(PermissionDenied):
        terminate_account(archive, actor("social"), str(view.id), on=date(2026, 1, 1), reason="x")
    assert [a.handle for a in list_accounts(archive)] == ["RanchoVerdeCity"]


def test_init_needs_admin(settings: Settings) -> None:
    with pytest.raises(PermissionDenied):
        init_archive(settings, actor("clerk"))


def test_admin_cannot_act_as_city_attorney() -> None:
    assert not actor("admin").may("holds.manage")
    assert not actor("admin").may("disposition.consent")
    assert actor("attorney").may("holds.manage")


def test_resolve_actor(settings: Settings) -> None:
    assert resolve_actor(settings, "attorney").roles == frozenset({"city_attorney"})
    with pytest.raises(PermissionDenied, match="not a user"):
        resolve_actor(settings, "mallory")
    single = replace(settings, users=())
    anyone = resolve_actor(single, "whoever")
    assert anyone.single_user and anyone.may("holds.manage")
    assert resolve_actor(replace(settings, default_actor="clerk"), None).login == "clerk"


def test_role_checks_are_audited_with_the_actor(archive: Archive) -> None:
    from archiver.audit_log import list_events

    add_account(archive, actor("records"), SPEC)
    event = list_events(archive, limit=1)[0]
    assert event.actor == "records" and event.action == "account.registered"
    assert isinstance(actor("records"), Actor)
