"""Tokens for the platforms' APIs: from the environment or the secrets file, never the config.

A credential has a name (``meta_access_token``, ``youtube_api_key``, ``x_bearer_token``, or the
name an account's ``[accounts.capture] credential`` gives). Its value is read from the
environment variable ``ARCHIVER_<NAME>`` first, else from the key ``<name>`` of the TOML file
named by ``[archive] secrets_file``. The value only ever travels in memory: the HTTP client
scrubs it from everything it stores.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from archiver.errors import ConfigError, CredentialError

DEFAULT_CREDENTIALS = {
    "facebook": "meta_access_token",
    "instagram": "meta_access_token",
    "youtube": "youtube_api_key",
    "x": "x_bearer_token",
}


@dataclass(frozen=True)
class Credential:
    name: str
    value: str = ""

    @property
    def env_var(self) -> str:
        return f"ARCHIVER_{self.name.upper()}"

    def renewal_hint(self, secrets_file: Path | None, account: str = "ACCOUNT") -> str:
        where = str(secrets_file) if secrets_file else "the secrets file ([archive] secrets_file)"
        return (
            f"Get a new token from the platform, then put it in the environment variable "
            f"{self.env_var} or under the key {self.name} in {where}, and check it with "
            f"`archiver capture run --account {account}`."
        )

    def __repr__(self) -> str:  # never print the value
        return f"Credential({self.name!r})"


def credential_name(platform: str, configured: str) -> str:
    return configured or DEFAULT_CREDENTIALS.get(platform, "")


def load_credential(
    name: str, env: Mapping[str, str], secrets_file: Path | None, *, account: str
) -> Credential:
    """The credential ``name``, or a CredentialError saying where to put it."""
    blank = Credential(name)
    if value := env.get(blank.env_var, "").strip():
        return Credential(name, value)
    if secrets_file is not None:
        value = str(read_secrets(secrets_file).get(name, "")).strip()
        if value:
            return Credential(name, value)
    raise CredentialError(
        f"{account}: no token {name} (neither {blank.env_var} nor the secrets file has it)",
        hint=blank.renewal_hint(secrets_file, account),
    )


def read_secrets(path: Path) -> dict[str, object]:
    if not path.is_file():
        raise ConfigError(
            f"the secrets file {path} does not exist",
            hint="Create it (readable only by the archiver's account) or fix [archive] "
            "secrets_file.",
        )
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        # the message names the line; it never quotes the file's values
        raise ConfigError(f"the secrets file {path} is not valid TOML ({exc})") from None
