"""What Meta's "Download Your Information" exports (Facebook and Instagram) share: the mojibake
repair, and localized key lookup.

Meta writes every UTF-8 byte of a string as its own ``\\u00XX`` escape, so a JSON parser returns
``donâ\\x80\\x99t`` for ``don’t``. The repair re-reads such a string's code points as bytes and
decodes them as UTF-8. It is safe for strings Meta already wrote correctly: a string with any
character above U+00FF cannot be mojibake and is kept; so is one whose bytes are not valid UTF-8
(``Renée`` stays ``Renée``). It is applied to keys and values alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


def repair_text(value: str) -> str:
    if value.isascii():
        return value
    if any(ord(ch) > 0xFF for ch in value):
        return value
    try:
        repaired = value.encode("latin-1").decode("utf-8")
    except UnicodeDecodeError:
        return value
    return value if "\ufffd" in repaired else repaired


def repair(value: Any) -> Any:
    """The same structure with every string, keys included, repaired."""
    if isinstance(value, str):
        return repair_text(value)
    if isinstance(value, list):
        return [repair(v) for v in value]
    if isinstance(value, dict):
        return {repair_text(k): repair(v) for k, v in value.items()}
    return value


def first_key(mapping: Mapping[str, Any], names: Iterable[str]) -> Any:
    """The value under the first of ``names`` present (for localized ``string_map_data``)."""
    for name in names:
        if name in mapping:
            return mapping[name]
    return None
