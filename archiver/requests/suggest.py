"""Spans of personal information in a text, offered to the reviewer as redaction suggestions.

Pure and deliberately simple: the patterns find the common U.S. shapes of phone numbers,
e-mail addresses, street addresses, Social Security numbers and dates of birth. A suggestion
redacts nothing by itself; the reviewer accepts or rejects each one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_STREET_TYPES = (
    "street|st|avenue|ave|road|rd|boulevard|blvd|drive|dr|lane|ln|way|court|ct|place|pl|"
    "circle|cir|terrace|ter|parkway|pkwy|highway|hwy"
)

PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ssn", re.compile(r"\b(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}\b")),
    ("email", re.compile(r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b")),
    (
        "phone",
        re.compile(r"(?<![\w-])(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}\b"),
    ),
    (
        "date_of_birth",
        re.compile(
            r"\b(?:DOB|D\.O\.B\.|date of birth|born(?: on)?)[:\s]+"
            r"(?:\d{1,2}[/-]\d{1,2}[/-]\d{2,4}|\d{4}-\d{2}-\d{2}|[A-Z][a-z]+\.? \d{1,2},? \d{4})",
            re.IGNORECASE,
        ),
    ),
    (
        "street_address",
        re.compile(
            r"\b\d{1,6}\s+(?:[NSEW]\.?\s+)?(?:[A-Z0-9][\w'-]*\s+){1,4}(?:"
            + _STREET_TYPES
            + r")\b\.?"
            r"(?:,?\s+(?:apt|unit|#)\s*\w+)?",
            re.IGNORECASE,
        ),
    ),
)


@dataclass(frozen=True)
class Found:
    kind: str
    start: int
    end: int
    text: str


def find_personal_information(text: str) -> list[Found]:
    """Non-overlapping matches, earliest first (on overlap the longer match wins)."""
    matches = [
        Found(kind, m.start(), m.end(), m.group(0))
        for kind, pattern in PATTERNS
        for m in pattern.finditer(text)
    ]
    matches.sort(key=lambda f: (f.start, -(f.end - f.start)))
    chosen: list[Found] = []
    for found in matches:
        if chosen and found.start < chosen[-1].end:
            continue
        chosen.append(found)
    return chosen
