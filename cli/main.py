"""The root of the ``archiver`` command: global options, error handling, sub-commands."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from typer.core import TyperGroup

from archiver import __version__
from archiver.errors import ArchiverError, ValidationFailed

from . import (
    accounts,
    admin,
    blocks,
    capture,
    disposition,
    holds,
    ingest,
    items,
    jobs,
    removals,
    requests,
    retention,
    search,
)
from .context import State
from .render import err_console


class ArchiverGroup(TyperGroup):
    """Turns every ArchiverError into its message on stderr and its exit code."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except ArchiverError as exc:
            label = "invalid" if isinstance(exc, ValidationFailed) else "error"
            err_console.print(f"[red]{label}:[/red] {exc.message}", highlight=False, markup=True)
            if exc.hint:
                err_console.print(exc.hint, highlight=False, markup=False)
            raise typer.Exit(exc.exit_code) from None
        finally:
            if isinstance(ctx.obj, State):
                ctx.obj.close()


app = typer.Typer(
    cls=ArchiverGroup,
    name="archiver",
    help="Records-retention and public-records archiver for a City's social media.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"archiver {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    config: Path | None = typer.Option(
        None,
        "--config",
        "-c",
        help="The archiver.toml to use (else ARCHIVER_CONFIG, else "
        "./archiver.toml, else built-in defaults).",
        show_default=False,
    ),
    as_login: str | None = typer.Option(
        None,
        "--as",
        help="Act as this user (a login declared in the config's [[users]]).",
    ),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Records-retention and public-records archiver for a City's social media."""
    ctx.obj = State(config_path=config, as_login=as_login)


admin.register(app)
ingest.register(app)
app.add_typer(accounts.app, name="accounts")
app.add_typer(items.app, name="items")
app.add_typer(admin.db_app, name="db")
app.add_typer(admin.audit_app, name="audit")
app.add_typer(retention.app, name="retention")
app.add_typer(disposition.app, name="disposition")
app.add_typer(holds.app, name="holds")
app.add_typer(requests.app, name="requests")
app.add_typer(capture.app, name="capture")
app.add_typer(jobs.app, name="jobs")
app.add_typer(removals.app, name="removals")
app.add_typer(blocks.app, name="blocks")
search.register(app)


def run() -> None:
    app()
