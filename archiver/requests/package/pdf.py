"""``records.pdf``: every responsive record, Bates-numbered on every page.

Each record starts on a new page; a withheld record gets a slip sheet saying so, so the Bates
sequence has no gaps. Numbers are ``PREFIX`` + a zero-padded counter, continuous across the
production (and across supplemental productions of one request). Redactions are black boxes
labelled with the exemption; the redacted text is never written to the file. Text in any script
is drawn in a font that has it (``fonts.py``).
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.pagesizes import LETTER
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from archiver.requests.package import fonts
from archiver.requests.package.records import Production, RecordOut

FONT, BOLD, SIZE, LEADING = "Helvetica", "Helvetica-Bold", 10, 13
MARGIN = 54
BATES_DIGITS = 6


def bates(prefix: str, number: int) -> str:
    return f"{prefix}{number:0{BATES_DIGITS}d}"


@dataclass
class PageMap:
    """Which Bates numbers each record got, in page order."""

    first: int
    pages: list[tuple[int, int]] = field(default_factory=list)  # (bates number, item id)
    ranges: dict[int, tuple[int, int]] = field(default_factory=dict)

    @property
    def last(self) -> int:
        return self.pages[-1][0] if self.pages else self.first - 1


@dataclass(frozen=True)
class Token:
    text: str
    redaction: bool = False
    newline: bool = False


def _tokens(record: RecordOut) -> Iterator[Token]:
    for version in record.versions:
        if len(record.versions) > 1:
            yield Token(f"[version {version.version_no}, observed {version.observed_at}]")
            yield Token("", newline=True)
        for segment in version.segments:
            if segment.redacted:
                yield Token(segment.label, redaction=True)
                continue
            for line_no, line in enumerate(segment.text.split("\n")):
                if line_no:
                    yield Token("", newline=True)
                for word in line.split(" "):
                    if word:
                        yield Token(word)
        yield Token("", newline=True)


class _Writer:
    def __init__(self, path: Path, prefix: str, first: int, request: str) -> None:
        self.canvas = Canvas(str(path), pagesize=LETTER, pageCompression=1, invariant=1)
        self.canvas.setTitle(f"Records produced for request {request}")
        self.width, self.height = LETTER
        self.prefix, self.request = prefix, request
        self.map = PageMap(first)
        self.number = first
        self.y = 0.0
        self.item = 0
        self.started = False

    def new_page(self, item_id: int) -> None:
        if self.started:
            self._finish_page()
        self.started = True
        self.item = item_id
        self.y = self.height - MARGIN

    def _finish_page(self) -> None:
        c = self.canvas
        c.setFillGray(0)
        fonts.draw(c, MARGIN, MARGIN / 2, f"Request {self.request} · item {self.item}", FONT, 8)
        c.setFont(BOLD, 10)
        c.drawRightString(self.width - MARGIN, MARGIN / 2, bates(self.prefix, self.number))
        self.map.pages.append((self.number, self.item))
        start, _ = self.map.ranges.get(self.item, (self.number, self.number))
        self.map.ranges[self.item] = (start, self.number)
        self.number += 1
        c.showPage()

    def line(self, text: str, font: str = FONT, size: int = SIZE) -> None:
        self._room()
        fonts.draw(self.canvas, MARGIN, self.y, text, font, size)
        self.y -= LEADING

    def _room(self) -> None:
        if self.y < MARGIN + LEADING:
            self.new_page(self.item)

    def flow(self, tokens: Iterator[Token]) -> None:
        """Lay tokens out in lines; a line's words are drawn as one string (fast, and text
        extraction reads them as a sentence), redactions as labelled black boxes."""
        limit = self.width - 2 * MARGIN
        space = stringWidth(" ", FONT, SIZE)
        line: list[Token] = []
        x = 0.0
        pending: list[Token] = []  # pieces of a split word, last piece first
        while (token := pending.pop() if pending else next(tokens, None)) is not None:
            if token.newline:
                self._draw(line)
                line, x = [], 0.0
                continue
            font = BOLD if token.redaction else FONT
            width = fonts.width(token.text, font, SIZE) + (8 if token.redaction else 0)
            if width > limit and not token.redaction:  # an overlong word: hard-split it
                cut = max(1, int(len(token.text) * limit / width) - 1)
                pending += [Token(token.text[cut:]), Token(token.text[:cut])]
                continue
            if line and x + width > limit:
                self._draw(line)
                line, x = [], 0.0
            line.append(token)
            x += width + space
        self._draw(line)

    def _draw(self, line: list[Token]) -> None:
        self._room()
        c = self.canvas
        x = float(MARGIN)
        run: list[str] = []
        for token in [*line, Token("", redaction=True)]:
            if not token.redaction:
                run.append(token.text)
                continue
            if run:
                x += fonts.draw(c, x, self.y, " ".join(run) + " ", FONT, SIZE)
                run = []
            if token.text:
                width = fonts.width(token.text, BOLD, SIZE) + 8
                c.setFillGray(0)
                c.rect(x, self.y - 3, width, SIZE + 3, stroke=0, fill=1)
                c.setFillGray(1)
                fonts.draw(c, x + 4, self.y, token.text, BOLD, SIZE)
                c.setFillGray(0)
                x += width + stringWidth(" ", FONT, SIZE)
        self.y -= LEADING

    def save(self) -> PageMap:
        if self.started:
            self._finish_page()
        self.canvas.save()
        return self.map


def write_pdf(path: Path, production: Production, prefix: str, first: int) -> PageMap:
    writer = _Writer(path, prefix, first, production.number)
    for record in production.records:
        writer.new_page(record.item_id)
        if record.status == "withheld":
            writer.line("WITHHELD IN FULL", BOLD, 14)
            writer.line(f"Record {record.item_id} ({record.kind}, {record.platform}) is withheld")
            writer.line(f"under {', '.join(record.exemptions)}. See exemption_log.csv.")
            continue
        writer.line(
            f"{record.author} · {record.kind} on {record.account}",
            BOLD,
        )
        writer.line(f"{record.created_at} · item {record.item_id} · {record.status}", FONT, 8)
        if record.permalink:
            writer.line(record.permalink[:120], FONT, 8)
        writer.y -= 4
        writer.flow(_tokens(record))
        for text, font in removal_lines(record):
            for piece in textwrap.wrap(text, 110) or [""]:
                writer.line(piece, font, 8 if font == FONT else 9)
    return writer.save()


def removal_lines(record: RecordOut) -> list[tuple[str, str]]:
    """A few lines under the record: the City's removal, or how its absence was classified."""
    lines: list[tuple[str, str]] = []
    removal = record.removal
    if removal is not None:
        by = f"{removal.by_name}, {removal.by_title}" if removal.by_title else removal.by_name
        lines += [
            ("Removed by the City under its social-media policy", BOLD),
            (
                f"Removed {removal.removed_at} by {by}; platform action: {removal.platform_action}",
                FONT,
            ),
            (f"Posted by {removal.poster}; policy: {removal.policy}", FONT),
            *((f"Ground: {g.clause} {g.title} ({g.code})", FONT) for g in removal.grounds),
            (f"Note: {removal.note}", FONT),
            *(
                (f"Amended {a.recorded_at} by {a.by_name}: {a.reason}", FONT)
                for a in removal.amendments
            ),
        ]
    for c in record.classifications:
        if c.outcome != "removed_by_city" or removal is None:
            lines += [
                (f"Missing from its source: {c.description}", BOLD),
                (f"Classified {c.classified_at} by {c.by_name}: {c.note}", FONT),
            ]
    if lines:
        lines.insert(0, ("", FONT))
    return lines
