"""X archive files: ``window.YTD.<type>.partN = [...]`` (and ``window.__THAR_CONFIG = {...}``).

Read as a stream: the array's elements are decoded one at a time from a growing text buffer, so
a tweets file of any size needs memory for one tweet, not the whole file. Errors name the file,
line and column.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from typing import Any, BinaryIO

from archiver.errors import InvalidInput

CHUNK = 1 << 20
WHITESPACE = re.compile(r"[ \t\r\n]*")
DECODER = json.JSONDecoder()
DELIMITERS = frozenset(",]} \t\r\n")  # what may follow a complete number or literal
DAMAGED = "The file is truncated or damaged; download the archive again."


class _Text:
    """Incrementally decoded UTF-8 text with a read position; what is behind the position is
    dropped as more is read. A line number is worked out only for an error: newlines read so
    far, less those still ahead in the buffer."""

    def __init__(self, stream: BinaryIO, name: str) -> None:
        self.stream, self.name = stream, name
        self.decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self.buf, self.pos, self.bytes_read, self.newlines_read = "", 0, 0, 0
        self.column_base = 0  # characters of the buffer's first line already read past
        self.eof = False

    def more(self) -> bool:
        """Read another chunk (at least as much as is buffered); False at the end."""
        if self.eof:
            return False
        chunk = self.stream.read(max(CHUNK, len(self.buf) - self.pos))
        try:
            text = self.decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as exc:
            where = self.bytes_read + exc.start
            raise InvalidInput(f"{self.name}: byte {where}: not UTF-8 text", hint=DAMAGED) from exc
        self.bytes_read += len(chunk)
        self.newlines_read += chunk.count(b"\n")  # bytes.count is fast; lines matter on errors
        self.eof = not chunk
        line_start = self.buf.rfind("\n", 0, self.pos)
        self.column_base = (
            self.pos - line_start - 1 if line_start >= 0 else self.column_base + self.pos
        )
        self.buf, self.pos = self.buf[self.pos :] + text, 0
        return True

    def peek(self) -> str:
        """The next character that is not whitespace ("" at the end)."""
        while True:
            self.pos = WHITESPACE.match(self.buf, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.buf) or not self.more():
                return self.buf[self.pos : self.pos + 1]

    def error(self, what: str, pos: int | None = None) -> InvalidInput:
        pos = self.pos if pos is None else pos
        line = self.newlines_read - self.buf.count("\n", pos) + 1
        line_start = self.buf.rfind("\n", 0, pos)
        column = pos - line_start if line_start >= 0 else self.column_base + pos + 1
        return InvalidInput(f"{self.name}: line {line}, column {column}: {what}", hint=DAMAGED)

    def value(self) -> Any:
        self.peek()
        while True:
            try:
                value, end = DECODER.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                if self.more():
                    continue
                raise self.error(exc.msg, exc.pos) from exc
            cut_short = self.buf[end : end + 1] not in DELIMITERS  # "0." of "0.5" goes on
            if not isinstance(value, dict | list) and cut_short and self.more():
                continue
            self.pos = end
            return value

    def skip_assignment(self) -> None:
        """Move past ``window.<name> =``."""
        self.peek()
        while "=" not in self.buf[self.pos :] and len(self.buf) - self.pos < 256 and self.more():
            pass
        head = self.buf[self.pos :]
        equals = head.find("=")
        if equals < 0 or not head[:equals].strip().startswith("window."):
            raise InvalidInput(
                f"{self.name}: line 1: expected 'window.YTD.<type>.partN = ', found {head[:40]!r}",
                hint="This file is not from an X archive, or it was edited.",
            )
        self.pos += equals + 1

    def end(self) -> None:
        if self.peek() == ";":
            self.pos += 1
        if self.peek():
            raise self.error("unexpected text after the value")


def read_assignment(stream: BinaryIO, name: str) -> Any:
    """The whole value of a small file (the manifest)."""
    text = _Text(stream, name)
    text.skip_assignment()
    value = text.value()
    text.end()
    return value


def iter_assignment(stream: BinaryIO, name: str) -> Iterator[tuple[int, Any]]:
    """``(index, element)`` of the array a ``window.YTD...`` file assigns, one at a time."""
    text = _Text(stream, name)
    text.skip_assignment()
    if text.peek() != "[":
        raise text.error("expected '[' (a list) after '='")
    text.pos += 1
    if text.peek() == "]":
        text.pos += 1
        text.end()
        return
    index = 0
    while True:
        yield index, text.value()
        index += 1
        following = text.peek()
        if following == ",":
            text.pos += 1
        elif following == "]":
            text.pos += 1
            text.end()
            return
        elif not following:
            raise text.error("the list ends without ']'")
        else:
            raise text.error("expected ',' or ']' after a list element")
