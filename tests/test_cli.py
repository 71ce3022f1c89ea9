"""The CLI end to end, and the docs kept honest: every command has help and is documented."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from archiver.cli.main import app

from tests.conftest import REPO, SAMPLE


def all_commands() -> list[tuple[str, Any]]:
    import typer.main

    root = typer.main.get_command(app)
    found: list[tuple[str, Any]] = []

    def walk(prefix: str, command: Any) -> None:
        for name, sub in getattr(command, "commands", {}).items():
            path = f"{prefix} {name}".strip()
            found.append((path, sub))
            walk(path, sub)

    walk("", root)
    return found


COMMANDS = [name for name, _ in all_commands()]


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help(name: str, cli: Any) -> None:
    result = cli(*name.split(), "--help")
    assert result.exit_code == 0, result.output
    command = dict(all_commands())[name]
    assert (command.help or "").strip(), f"`archiver {name}` has no help text"


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_is_documented(name: str) -> None:
    reference = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    assert re.search(rf"^#+ `archiver {re.escape(name)}`", reference, re.M), (
        f"docs/cli.md has no heading for `archiver {name}`"
    )


def test_readme_commands_exist() -> None:
    """Every `archiver ...` command the README shows is a real command."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    code = "\n".join(re.findall(r"```.*?```|`[^`\n]+`", readme, re.S))
    shown = re.findall(r"\barchiver ((?:--?[a-z-]+ (?:\S+ )?)*)([a-z]+)(?: ([a-z][a-z-]*))?", code)
    assert shown
    for _options, first, second in shown:
        assert first in COMMANDS, f"README shows `archiver {first}`, which does not exist"
        if second and any(c.startswith(first + " ") for c in COMMANDS):
            assert f"{first} {second}" in COMMANDS, f"README shows `archiver {first} {second}`"


def test_sample_workflow(cli: Any, tmp_path: Path) -> None:
    shutil.copy(SAMPLE / "archiver.toml", tmp_path / "archiver.toml")
    result = cli("init")
    assert result.exit_code == 0, result.output
    assert "registered facebook:RanchoVerdeCity" in result.output
    listed = json.loads(cli("accounts", "list", "--json").output)
    assert {a["handle"] for a in listed} >= {"RanchoVerdeCity", "rvpd_official", "RanchoVerdeCA"}
    shown = json.loads(cli("accounts", "show", "x:RanchoVerdeCA", "--json").output)
    assert shown["platform_account_id"] == "1500000000000000001"
    # a clerk may not terminate an account; exit code 5 and a message that names the fix
    denied = cli(
        "--as",
        "clerk",
        "accounts",
        "terminate",
        "bluesky:danawhitfield.bsky.social",
        "--on",
        "2026-12-01",
        "--reason",
        "left office",
    )
    assert denied.exit_code == 5 and "--as" in denied.output
    done = cli(
        "accounts",
        "terminate",
        "bluesky:danawhitfield.bsky.social",
        "--on",
        "2026-12-01",
        "--reason",
        "member left office",
    )
    assert done.exit_code == 0, done.output
    status = json.loads(cli("status", "--json").output)
    assert status["accounts_active"] == 4 and status["accounts_terminated"] == 1
    assert cli("verify").exit_code == 0
    assert cli("audit", "verify").exit_code == 0
    log = json.loads(cli("audit", "log", "--json").output)
    assert log[0]["action"] == "account.terminated"
    again = cli("init")  # idempotent
    assert again.exit_code == 0 and "registered" not in again.output


def test_errors_have_exit_codes_and_no_traceback(cli: Any, tmp_path: Path) -> None:
    missing = cli("status")
    assert missing.exit_code == 4 and "archiver init" in missing.output
    (tmp_path / "archiver.toml").write_text('[[accounts]]\nplatform = "facebok"\nhandle = "x"\n')
    bad = cli("status")
    assert bad.exit_code == 3
    assert "accounts[0].platform: 'facebok' is not one of" in bad.output
    assert "Traceback" not in bad.output
