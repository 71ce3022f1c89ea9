"""Which font draws each character of ``records.pdf``.

A record is printed as it was written, whatever its script. Helvetica (the PDF standard font)
draws what its encoding has (Windows-1252: English, Spanish, most Western European text), so a
page of such text is laid out as before. Other characters are drawn in runs of another font:

- DejaVu Sans, bundled and embedded (subset): Vietnamese, Greek, Cyrillic, Hebrew, Armenian,
  Georgian, arrows, symbols and monochrome emoji;
- Adobe's Asian fonts, which PDF readers supply (not embedded): Chinese (``STSong-Light``),
  Japanese kana (``HeiseiMin-W3``) and Korean Hangul (``HYSMyeongJo-Medium``); Han characters
  in a text that also has kana are drawn in the Japanese font.

A character none of them has prints as Helvetica's missing-glyph box; the HTML and JSON copies in
the package keep the exact text in every case.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
UNICODE = {"Helvetica": "ArchiverDejaVuSans", "Helvetica-Bold": "ArchiverDejaVuSans-Bold"}
_FILES = {
    "ArchiverDejaVuSans": "DejaVuSans.ttf",
    "ArchiverDejaVuSans-Bold": "DejaVuSans-Bold.ttf",
}
CHINESE, JAPANESE, KOREAN = "STSong-Light", "HeiseiMin-W3", "HYSMyeongJo-Medium"


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ToUnicode map for an embedded subset, with each character written as
    UTF-16BE as the PDF reference requires: reportlab writes a character beyond U+FFFF (an
    emoji) as five hex digits, which readers reject, so it could not be copied or searched."""
    cmap = str(_original_cmap(fontname, subset))
    for code in subset:
        if code > 0xFFFF:
            utf16 = chr(code).encode("utf-16-be").hex().upper()
            cmap = cmap.replace(f"> <{code:04X}>\n", f"> <{utf16}>\n")
    return cmap


_original_cmap = ttfonts.makeToUnicodeCMap
if getattr(_original_cmap, "__name__", "") != "_to_unicode_cmap":
    ttfonts.makeToUnicodeCMap = _to_unicode_cmap


@cache
def _registered(name: str) -> str:
    if name in _FILES:
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / _FILES[name])))
    else:
        pdfmetrics.registerFont(UnicodeCIDFont(name))
    return name


@cache
def _unicode_glyphs() -> frozenset[int]:
    font = pdfmetrics.getFont(_registered(UNICODE["Helvetica"]))
    return frozenset(font.face.charToGlyph)


def _in_helvetica(ch: str) -> bool:
    try:
        ch.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def _asian(ch: str) -> str | None:
    code = ord(ch)
    if 0x3040 <= code <= 0x30FF or 0x31F0 <= code <= 0x31FF or 0xFF66 <= code <= 0xFF9F:
        return JAPANESE
    if 0xAC00 <= code <= 0xD7AF or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F:
        return KOREAN
    if unicodedata.east_asian_width(ch) in ("W", "F") and (
        0x2E80 <= code <= 0x9FFF
        or 0xF900 <= code <= 0xFAFF
        or 0xFF00 <= code <= 0xFF65
        or 0x20000 <= code <= 0x2FA1F
    ):
        return CHINESE
    return None


def runs(text: str, font: str) -> list[tuple[str, str]]:
    """``text`` cut into (piece, font name) runs, ``font`` (Helvetica or Helvetica-Bold)
    wherever it has the characters."""
    if _in_helvetica(text):
        return [(text, font)]
    japanese = any(_asian(ch) == JAPANESE for ch in text)
    out: list[tuple[str, str]] = []
    for ch in text:
        chosen = font
        if not _in_helvetica(ch):
            script = _asian(ch)
            if script is not None:
                chosen = _registered(JAPANESE if japanese and script == CHINESE else script)
            elif ord(ch) in _unicode_glyphs():
                chosen = _registered(UNICODE.get(font, UNICODE["Helvetica"]))
        if out and out[-1][1] == chosen:
            out[-1] = (out[-1][0] + ch, chosen)
        else:
            out.append((ch, chosen))
    return out


def width(text: str, font: str, size: float) -> float:
    return float(sum(stringWidth(piece, name, size) for piece, name in runs(text, font)))


def draw(canvas: Canvas, x: float, y: float, text: str, font: str, size: float) -> float:
    """Draw ``text`` from ``x``, run by run; returns its width."""
    start = x
    for piece, name in runs(text, font):
        canvas.setFont(name, size)
        canvas.drawString(x, y, piece)
        x += stringWidth(piece, name, size)
    return x - start
