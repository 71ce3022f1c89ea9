"""Who is acting, and whether their role allows the action.

Every state-changing library function takes an ``Actor`` and calls ``actor.require(permission)``
before doing anything; the actor's login and roles go into the audit event it writes.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass

from archiver.config import Settings
from archiver.errors import PermissionDenied

# Which role may do what. Permissions are "area.verb". Legal acts (placing and releasing holds,
# the city attorney's consent to destruction) belong to their role alone: an admin cannot sign
# for the city attorney.
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    "clerk": frozenset(
        {"archive.read", "search.run", "search.save", "requests.manage", "requests.package"}
    ),
    "records_manager": frozenset(
        {
            "archive.read",
            "search.run",
            "search.save",
            "accounts.manage",
            "ingest.run",
            "capture.run",
            "retention.manage",
            "disposition.propose",
            "disposition.execute",
            "disposition.record_resolution",
            "index.manage",
        }
    ),
    "city_attorney": frozenset(
        {
            "archive.read",
            "search.run",
            "search.save",
            "holds.manage",
            "disposition.consent",
            "requests.review",
            "requests.manage",
            "requests.package",
            "removals.review",
            "removals.amend",
        }
    ),
    "social_media_staff": frozenset(
        {
            "archive.read",
            "search.run",
            "removals.record",
            "removals.amend",
            "blocks.record",
            "ingest.run",
        }
    ),
    "admin": frozenset(
        {
            "archive.read",
            "archive.admin",
            "accounts.manage",
            "ingest.run",
            "capture.run",
            "index.manage",
            "search.run",
            "audit.verify",
        }
    ),
    "auditor": frozenset({"archive.read", "search.run", "audit.verify"}),
}


@dataclass(frozen=True)
class Actor:
    login: str
    roles: frozenset[str]
    name: str = ""
    title: str = ""
    single_user: bool = False

    @property
    def display(self) -> str:
        return self.name or self.login

    def may(self, permission: str) -> bool:
        if self.single_user:
            return True
        return any(permission in ROLE_PERMISSIONS.get(role, frozenset()) for role in self.roles)

    def require(self, permission: str) -> None:
        if not self.may(permission):
            allowed = sorted(r for r, perms in ROLE_PERMISSIONS.items() if permission in perms)
            raise PermissionDenied(
                f"{self.login} (roles: {', '.join(sorted(self.roles)) or 'none'}) may not do "
                f"{permission}",
                hint=f"It needs one of the roles {', '.join(allowed)}; act as such a user with "
                "--as LOGIN, or add the role to the user in the config's [[users]].",
            )


SYSTEM = Actor(login="system", roles=frozenset({"admin"}), name="archiver (system)")


def resolve_actor(settings: Settings, requested: str | None) -> Actor:
    """The actor for this invocation: ``--as``, else the config's default_actor, else the OS login.

    With no users declared (single-user mode) the login may do everything; once users are
    declared, an unknown login is refused.
    """
    login = requested or settings.default_actor or _os_login()
    if settings.single_user:
        return Actor(login=login, roles=frozenset(ROLE_PERMISSIONS), single_user=True)
    user = settings.user(login)
    if user is None:
        known = ", ".join(u.login for u in settings.users)
        raise PermissionDenied(
            f"{login} is not a user of this archive",
            hint=f"Use --as with one of: {known}; or declare {login} under [[users]] in the "
            "config.",
        )
    return Actor(login=user.login, roles=user.roles, name=user.name, title=user.title)


def _os_login() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
