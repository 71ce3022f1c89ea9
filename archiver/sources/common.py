"""Helpers every reader shares: strict JSON loading with the file and position in each error,
times, synthesized ids, and finding files by path suffix (downloads are often re-wrapped in a
folder of their own, so readers never rely on a file being at the root)."""

from __future__ import annotations

import codecs
import hashlib
import json
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from archiver.errors import InvalidInput
from archiver.sources.base import ExportFiles

_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


def decode_utf8(data: bytes, name: str) -> str:
    """The text of a file that must be UTF-8, or an error naming the file, byte and line."""
    for bom, label in _BOMS:
        if data.startswith(bom):
            raise InvalidInput(
                f"{name}: the file is {label}, not UTF-8 as the platform writes it",
                hint="The file was converted after download; use the file from the original "
                "download.",
            )
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        byte = data[exc.start : exc.start + 1].hex()
        looks = "UTF-16" if data[:200].count(b"\x00") > 20 else "Latin-1 or Windows-1252"
        raise InvalidInput(
            f"{name}: not UTF-8: byte 0x{byte} at offset {exc.start} (line {line}, column "
            f"{column}); the file looks {looks}-encoded",
            hint="The file was re-encoded after download; use the file from the original download.",
        ) from None


def parse_json_text(text: str, name: str) -> Any:
    if not text.strip():
        raise InvalidInput(
            f"{name}: the file is empty (0 bytes of JSON)",
            hint="The download was incomplete; download the export again.",
        )
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            f"{name}: invalid JSON at line {exc.lineno}, column {exc.colno} (character "
            f"{exc.pos}): {exc.msg}",
            hint="The file is damaged or was edited; download the export again.",
        ) from None
    except RecursionError:
        raise InvalidInput(f"{name}: JSON nested too deeply to be a platform export") from None


def load_json(files: ExportFiles, name: str) -> Any:
    """Parse one JSON file of an export; every failure names the file and the position."""
    if files.size(name) == 0:
        raise InvalidInput(
            f"{name}: the file is empty (0 bytes)",
            hint="The download was incomplete; download the export again.",
        )
    return parse_json_text(decode_utf8(files.read_bytes(name), name), name)


def find(names: Iterable[str], pattern: str) -> list[str]:
    """Names matching ``pattern`` as a path suffix (``(^|/)`` is prepended), sorted naturally."""
    regex = re.compile(r"(?:^|/)" + pattern + r"$")
    return sorted((n for n in names if regex.search(n)), key=natural_key)


def natural_key(name: str) -> list[Any]:
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", name)]


def root_of(name: str, suffix: str) -> str:
    """The folder an export's own paths are relative to, given one file and its known suffix."""
    return name[: len(name) - len(suffix)]


def unix_time(value: Any) -> datetime | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        seconds = float(value)
    except ValueError:
        return None
    if seconds <= 0:
        return None
    if seconds > 1e11:  # milliseconds
        seconds /= 1000
    return datetime.fromtimestamp(seconds, tz=UTC)


def iso_time(value: Any) -> datetime | None:
    """ISO-8601 times in the forms platforms use: ``Z``, ``+0000`` and ``+00:00`` offsets."""
    if not isinstance(value, str) or not value:
        return None
    text = value.strip().replace("Z", "+00:00")
    text = re.sub(r"([+-]\d\d)(\d\d)$", r"\1:\2", text)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def short_hash(*parts: object) -> str:
    material = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:16]


def media_kind(uri: str) -> str:
    lower = uri.lower().split("?", 1)[0]
    if lower.endswith((".mp4", ".mov", ".m4v", ".webm", ".avi")):
        return "video"
    if lower.endswith((".mp3", ".m4a", ".aac", ".wav", ".ogg")):
        return "audio"
    if lower.endswith((".pdf", ".doc", ".docx", ".txt")):
        return "document"
    return "photo"


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def as_str(value: Any) -> str:
    if value is None or isinstance(value, dict | list):
        return ""
    return str(value)


def pointer(*parts: object) -> str:
    """A JSON pointer (RFC 6901) for a position inside a file."""
    escaped = (str(p).replace("~", "~0").replace("/", "~1") for p in parts)
    return "/" + "/".join(escaped) if parts else ""
