"""Validate user-written files against the JSON Schemas in ``schemas/``, reporting every problem."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema

from archiver.errors import InvalidInput, Problem, ValidationFailed


@cache
def load_schema(name: str) -> dict[str, Any]:
    """Return the schema ``schemas/<name>.schema.json`` shipped with the package."""
    text = resources.files("archiver.schemas").joinpath(f"{name}.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def location(path: Iterable[str | int]) -> str:
    """Render a JSON path as users read it: ``accounts[2].platform``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def schema_problems(document: Any, schema_name: str) -> list[Problem]:
    schema = load_schema(schema_name)
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(document), key=lambda e: [str(p) for p in e.path])
    return [
        Problem(location(e.absolute_path) or "(top level)", _message(e, schema_name))
        for e in errors
    ]


def _message(error: jsonschema.ValidationError, schema_name: str) -> str:
    if error.validator == "additionalProperties":
        return f"{error.message}; the keys allowed are in schemas/{schema_name}.schema.json"
    return str(error.message)


def validate(document: Any, schema_name: str, source: str) -> None:
    """Raise ValidationFailed listing every problem of ``document``, if it has any."""
    problems = schema_problems(document, schema_name)
    if problems:
        raise ValidationFailed(source, problems)


def read_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file, turning syntax and encoding errors into a message with the position."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise InvalidInput(f"{path}: no such file") from None
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ValidationFailed(str(path), [Problem("", f"TOML syntax: {exc}")]) from None
