#!/usr/bin/env python3
"""Regenerate every sample export of the fictional City of Rancho Verde, California.

    python sample_data/make_samples.py            # (re)write all sample files
    python sample_data/make_samples.py --verify   # write, then parse/decode everything
    python sample_data/make_samples.py --check    # regenerate into a temp dir, compare byte for byte
    python sample_data/make_samples.py --summary  # print per-export counts (used by README.md)

Outputs (relative to the repository root):
    sample_data/exports/      one export per city account, laid out as the platform delivers it
    sample_data/broken/       deliberately bad inputs
    tests/fixtures/exports/   small exports in older layouts ("eras")

Everything is deterministic: fixed timestamps, seeded RNGs, fixed zip entry dates and
attributes. Python 3.11+, standard library only. Deflate output comes from the zlib that
Python links against; all mainstream zlib 1.2.x/1.3.x builds produce identical bytes.
All people, handles, phone numbers (555-01xx), e-mail addresses (example.com) and IDs are
invented.
"""
from __future__ import annotations

import argparse
import base64
import csv
import filecmp
import hashlib
import io
import json
import random
import re
import shutil
import struct
import sys
import tempfile
import urllib.parse
import warnings
import zipfile
import zlib
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent

# Top-level entries this script owns (and deletes before rewriting). Nothing else is touched.
OWNED = {
    "sample_data/exports": [
        "facebook_page_dyi", "facebook_graph_api", "instagram_dyi", "x_archive.zip",
        "youtube_takeout", "youtube_data_api", "bluesky_repo.car",
    ],
    "sample_data/broken": [
        "zip_slip.zip", "absolute_paths.zip", "symlink_entry.zip", "zip_bomb_1gib.zip",
        "zip_bomb_ratio.zip", "zip_bomb_lying_sizes.zip", "truncated.zip",
        "facebook_invalid_json", "facebook_posts_utf16", "facebook_posts_latin1",
        "instagram-rvpd_official-2025-06-30-Qm3xT8vL.zip",
        "facebook-VerdeValleyWater-2025-06-30-Zq81LmN0.zip", "empty.zip",
        "duplicate_entries.zip", "unrecognized_contents.zip",
    ],
    "tests/fixtures/exports": [
        "facebook_2019_status_updates", "facebook_2021_your_posts",
        "facebook_2023_your_activity_across_facebook", "facebook_2024_your_facebook_activity",
        "instagram_2021_content", "instagram_2023_your_instagram_activity_nl",
        "youtube_takeout_2023_old_comments", "x_archive_2022_tweet_js",
    ],
}

# ---------------------------------------------------------------------------------------------
# Accounts
# ---------------------------------------------------------------------------------------------
FB_PAGE_NAME = "City of Rancho Verde"
FB_PAGE_HANDLE = "RanchoVerdeCity"
FB_PAGE_ID = "100064123456789"
IG_NAME = "Rancho Verde Police Department"
IG_USERNAME = "rvpd_official"
IG_USER_ID = "17841400000000001"
X_NAME = "City of Rancho Verde"
X_HANDLE = "RanchoVerdeCA"
X_USER_ID = "1500000000000000001"
YT_TITLE = "Rancho Verde TV"
YT_HANDLE = "@RanchoVerdeTV"
YT_CHANNEL_ID = "UCrv00000000000000000001"
BSKY_NAME = "Councilmember Dana Whitfield"
BSKY_HANDLE = "danawhitfield.bsky.social"
BSKY_DID = "did:plc:rvwhitfield2council7abcd"
CITY_SITE = "https://www.ranchoverde.example"
ZIP_DATE = (2025, 6, 30, 18, 5, 12)

# ---------------------------------------------------------------------------------------------
# Time helpers (US Pacific time, 2007+ DST rules, computed without tz databases)
# ---------------------------------------------------------------------------------------------


def _nth_sunday(year: int, month: int, n: int) -> int:
    first = datetime(year, month, 1)
    offset = (6 - first.weekday()) % 7
    return 1 + offset + 7 * (n - 1)


def pt(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0) -> int:
    """Unix seconds for a wall-clock time in Rancho Verde (America/Los_Angeles)."""
    local = datetime(y, mo, d, h, mi, s)
    dst_start = datetime(y, 3, _nth_sunday(y, 3, 2), 2)
    dst_end = datetime(y, 11, _nth_sunday(y, 11, 1), 2)
    offset = 7 if dst_start <= local < dst_end else 8
    return int((local + timedelta(hours=offset)).replace(tzinfo=timezone.utc).timestamp())


def utc(t: int) -> datetime:
    return datetime.fromtimestamp(t, tz=timezone.utc)


_DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def graph_time(t: int) -> str:  # Meta Graph API: 2021-07-04T19:50:58+0000
    return utc(t).strftime("%Y-%m-%dT%H:%M:%S+0000")


def x_created_at(t: int) -> str:  # X archive tweets: Sat Aug 12 16:10:37 +0000 2023
    d = utc(t)
    return f"{_DAYS[d.weekday()]} {_MONTHS[d.month - 1]} {d.day:02d} {d:%H:%M:%S} +0000 {d.year}"


def iso_ms(t: int, ms: int = 0) -> str:  # 2022-01-27T15:58:52.744Z
    return utc(t).strftime("%Y-%m-%dT%H:%M:%S") + f".{ms:03d}Z"


def iso_z(t: int) -> str:  # YouTube Data API: 2024-05-15T13:55:02Z
    return utc(t).strftime("%Y-%m-%dT%H:%M:%SZ")


def takeout_ts(t: int, micros: int) -> str:  # 2023-09-19T17:42:53.434647+00:00
    return utc(t).strftime("%Y-%m-%dT%H:%M:%S") + f".{micros:06d}+00:00"


def takeout_ts_s(t: int) -> str:  # 2024-05-14T23:10:04+00:00
    return utc(t).strftime("%Y-%m-%dT%H:%M:%S+00:00")


# ---------------------------------------------------------------------------------------------
# Deterministic IDs
# ---------------------------------------------------------------------------------------------
B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def rng_for(name: str) -> random.Random:
    return random.Random("rancho-verde/" + name)


def digits(rng: random.Random, n: int) -> str:
    return str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(n - 1))


def chars(rng: random.Random, n: int, alphabet: str = B64URL) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


TWITTER_EPOCH_MS = 1288834974657


def snowflake(t: int, rng: random.Random, ms: int | None = None) -> str:
    if ms is None:
        ms = rng.randint(0, 999)
    return str(((t * 1000 + ms - TWITTER_EPOCH_MS) << 22) | rng.getrandbits(22))


B32_SORT = "234567abcdefghijklmnopqrstuvwxyz"


def tid(t: int, micros: int = 0, clock: int = 7) -> str:
    """atproto TID: 53-bit microseconds since epoch + 10-bit clock id, base32-sortable."""
    v = ((t * 1_000_000 + micros) << 10) | clock
    out = ""
    for _ in range(13):
        out = B32_SORT[v & 31] + out
        v >>= 5
    return out


# ---------------------------------------------------------------------------------------------
# Serialisation styles
# ---------------------------------------------------------------------------------------------


class Correct(str):
    """A string Meta left correctly encoded: exempt from mojibake (robustness test cases)."""


def mojibake(obj):
    """Meta's DYI encoding: each UTF-8 byte of a string written as its own \\u00XX escape.

    Applied to keys and values. Strings wrapped in Correct() are left as proper text.
    """
    if isinstance(obj, Correct):
        return str(obj)
    if isinstance(obj, str):
        return obj.encode("utf-8").decode("latin-1")
    if isinstance(obj, list):
        return [mojibake(v) for v in obj]
    if isinstance(obj, dict):
        return {mojibake(k): mojibake(v) for k, v in obj.items()}
    return obj


def meta_json(obj) -> bytes:
    """Meta DYI file: 2-space indent, ASCII only, mojibake escapes."""
    return json.dumps(mojibake(obj), indent=2, ensure_ascii=True).encode("ascii")


def graph_json(obj) -> bytes:
    """Raw Graph API body: compact, non-ASCII as \\uXXXX, forward slashes escaped as \\/."""
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=True).replace("/", "\\/").encode("ascii")


def google_json(obj) -> bytes:
    """Google API body (prettyPrint default): 2-space indent, UTF-8, trailing newline."""
    return (json.dumps(obj, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def plain_json(obj) -> bytes:
    return (json.dumps(obj, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _xjson(o, ind: int) -> str:
    pad = "  " * ind
    if isinstance(o, dict):
        if not o:
            return "{ }"
        items = [f'{pad}  {json.dumps(k, ensure_ascii=False)} : {_xjson(v, ind + 1)}' for k, v in o.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(o, list):
        if not o:
            return "[ ]"
        items = [pad + "  " + _xjson(v, ind + 1) for v in o]
        return "[\n" + ",\n".join(items) + "\n" + pad + "]"
    return json.dumps(o, ensure_ascii=False)


def x_js(global_name: str, obj) -> bytes:
    """X archive file: `window.YTD.<type>.partN = [...]` with X's ` : ` spacing and `[ ]`."""
    return f"{global_name} = {_xjson(obj, 0)}".encode("utf-8")


# ---------------------------------------------------------------------------------------------
# Output writer
# ---------------------------------------------------------------------------------------------


class Out:
    def __init__(self, root: Path):
        self.root = root
        self.written: list[str] = []

    def write(self, rel: str, data: bytes) -> None:
        p = self.root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
        self.written.append(rel)

    def clean(self) -> None:
        for base, names in OWNED.items():
            for n in names:
                p = self.root / base / n
                if p.is_dir() and not p.is_symlink():
                    shutil.rmtree(p)
                elif p.exists() or p.is_symlink():
                    p.unlink()


class Tree:
    """An export assembled in memory as {path inside export: bytes}; written as a folder or a zip."""

    def __init__(self):
        self.files: dict[str, bytes] = {}

    def add(self, path: str, data: bytes) -> None:
        assert path not in self.files, path
        self.files[path] = data

    def to_dir(self, out: Out, base: str) -> None:
        for p in sorted(self.files):
            out.write(f"{base}/{p}", self.files[p])

    def to_zip(self, order: list[str] | None = None) -> bytes:
        return make_zip([(p, self.files[p]) for p in (order or sorted(self.files))])


def zinfo(name: str, date=ZIP_DATE, mode: int = 0o100644) -> zipfile.ZipInfo:
    zi = zipfile.ZipInfo(name, date_time=date)
    zi.create_system = 3
    zi.create_version = 20
    zi.external_attr = mode << 16
    zi.compress_type = zipfile.ZIP_DEFLATED
    return zi


def make_zip(entries, compresslevel: int = 9) -> bytes:
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names are intentional in one broken sample
        with zipfile.ZipFile(buf, "w") as zf:
            for entry in entries:
                zi = entry[0] if isinstance(entry[0], zipfile.ZipInfo) else zinfo(entry[0])
                data = entry[1]
                ctype = zipfile.ZIP_STORED if zi.compress_type == zipfile.ZIP_STORED else zipfile.ZIP_DEFLATED
                zf.writestr(zi, data, compress_type=ctype, compresslevel=compresslevel)
    return buf.getvalue()


# ---------------------------------------------------------------------------------------------
# Tiny valid images (baseline JPEG with DC-only blocks; PNG)
# ---------------------------------------------------------------------------------------------


def _palette(label: str, n: int = 4) -> list[tuple[int, int, int]]:
    h = hashlib.sha256(label.encode()).digest()
    return [(h[3 * i], h[3 * i + 1], h[3 * i + 2]) for i in range(n)]


def _huff_codes(bits: list[int], vals: list[int]) -> dict[int, str]:
    codes, code, k = {}, 0, 0
    for length in range(1, 17):
        for _ in range(bits[length - 1]):
            codes[vals[k]] = format(code, f"0{length}b")
            code += 1
            k += 1
        code <<= 1
    return codes


_DC_BITS = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]  # ITU T.81 Annex K.3 luminance DC
_DC_VALS = list(range(12))
_AC_BITS = [1, 1] + [0] * 14  # minimal AC table: EOB = "0", (0,1) = "10"
_AC_VALS = [0x00, 0x01]
_QTABLE = [16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57,
           69, 56, 14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64,
           81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99]


def jpeg(label: str, w: int = 16, h: int = 16) -> bytes:
    """A valid baseline JPEG of 8x8 flat-colour blocks; `label` goes into a COM segment."""

    def seg(marker: int, payload: bytes) -> bytes:
        return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload

    colors = _palette(label)
    dc_codes, ac_codes = _huff_codes(_DC_BITS, _DC_VALS), _huff_codes(_AC_BITS, _AC_VALS)
    bits, pred = [], [0, 0, 0]
    nblocks = (w // 8) * (h // 8)
    for b in range(nblocks):
        r, g, bl = colors[b % len(colors)]
        ycc = (0.299 * r + 0.587 * g + 0.114 * bl,
               128 - 0.168736 * r - 0.331264 * g + 0.5 * bl,
               128 + 0.5 * r - 0.418688 * g - 0.081312 * bl)
        for c in range(3):
            v = max(0, min(255, round(ycc[c])))
            dc = round((v - 128) * 8 / _QTABLE[0])
            diff, pred[c] = dc - pred[c], dc
            size = abs(diff).bit_length()
            bits.append(dc_codes[size])
            if size:
                bits.append(format(diff if diff > 0 else diff + (1 << size) - 1, f"0{size}b"))
            bits.append(ac_codes[0x00])
    s = "".join(bits)
    s += "1" * (-len(s) % 8)
    scan = bytearray()
    for i in range(0, len(s), 8):
        byte = int(s[i:i + 8], 2)
        scan.append(byte)
        if byte == 0xFF:
            scan.append(0x00)
    return b"".join([
        b"\xff\xd8",
        seg(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"),
        seg(0xFE, label.encode("ascii")),
        seg(0xDB, b"\x00" + bytes(_QTABLE)),
        seg(0xC0, struct.pack(">BHHB", 8, h, w, 3) + b"\x01\x11\x00\x02\x11\x00\x03\x11\x00"),
        seg(0xC4, b"\x00" + bytes(_DC_BITS) + bytes(_DC_VALS) + b"\x10" + bytes(_AC_BITS) + bytes(_AC_VALS)),
        seg(0xDA, b"\x03\x01\x00\x02\x00\x03\x00\x00\x3f\x00"),
        bytes(scan),
        b"\xff\xd9",
    ])


def png(label: str, w: int = 16, h: int = 16) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    colors = _palette(label)
    raw = bytearray()
    for y in range(h):
        raw.append(0)
        for x in range(w):
            raw.extend(colors[(y * 2 // h) * 2 + (x * 2 // w)])
    return b"".join([
        b"\x89PNG\r\n\x1a\n",
        chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)),
        chunk(b"tEXt", b"Comment\x00" + label.encode("ascii")),
        chunk(b"IDAT", zlib.compress(bytes(raw), 9)),
        chunk(b"IEND", b""),
    ])


def image(label: str, name: str) -> bytes:
    return png(label) if name.endswith(".png") else jpeg(label)


# ---------------------------------------------------------------------------------------------
# Invented residents (no real people). fb = Facebook user id; ig = Instagram username.
# ---------------------------------------------------------------------------------------------
class P:
    def __init__(self, name, fb=None, ig=None, ig_id=None):
        self.name, self.fb, self.ig, self.ig_id = name, fb, ig, ig_id


PAGE = P(FB_PAGE_NAME, FB_PAGE_ID, IG_USERNAME, IG_USER_ID)
MARIA = P("Maria Delgado", "100008765432101", "maria.d.rv", "17841401110000011")
TOM = P("Tom Okafor", "100004455667788", "tokafor909", "17841401110000012")
PRIYA = P("Priya Raman", "100012398765400", "priya.raman.rv", "17841401110000013")
GUS = P("Gus Whitlock", "100003322110099", "gus_whitlock", "17841401110000014")
LINH = P("Linh Tran", "100017700112233", "linh.eats.rv", "17841401110000015")
BEA = P("Bea Castellanos", "100006600550044", "bea.castellanos", "17841401110000016")
RICK = P("Rick Halvorsen", "100002211443366", "rickh_rv", "17841401110000017")
JAZ = P("Jazmín Ortega", "100019988776655", "jaz.ortega", "17841401110000018")
DEVON = P("Devon Park", "100011223344556", "devon.park", "17841401110000019")
NOOR = P("Noor Haddad", "100015566778899", "noor.h.rv", "17841401110000020")
WALT = P("Walt Kimura", "100001234098765", "walt_k", "17841401110000021")
KEISHA = P("Keisha Monroe", "100009090808070", "keisha.m", "17841401110000022")
SAM = P("Sam Beltran", "100013579246801", "sam.beltran.rv", "17841401110000023")
DALE = P("Dale Prentice", "100007777000011", "dale.p.rv", "17841401110000024")
RENEE = P("Renée Fontaine", "100014141414141", "renee.fontaine", "17841401110000025")
THAO = P("Nguyễn Thảo", "100016161616161", "thao.nguyen.rv", "17841401110000026")
SPAM1 = P("Followers Boost Pro", "100091000000001", "followers.boost.pro", "17841401110000901")
SPAM2 = P("Crypto Queen Official", "100091000000002", "crypto_queen_8400", "17841401110000902")
LIBRARY = P("Rancho Verde Public Library", "100064555000111", "rvlibrary", "17841400000000077")
CAFE = P("Café Olé on Elm", "100064777000222", "cafeoleonelm", "17841400000000088")
RVPD_FB = P("Rancho Verde Police Department", "100064333000444")


class C:
    """A public comment (and its reply thread) on a post."""

    def __init__(self, who, text, t, replies=(), hidden=False, likes=0, nofrom=False):
        self.who, self.text, self.t, self.replies = who, text, t, list(replies)
        self.hidden, self.likes, self.nofrom = hidden, likes, nofrom


PLACES = {
    "cityhall": {"name": "Rancho Verde City Hall", "address": "100 Civic Center Plaza, Rancho Verde, CA 91700",
                 "lat": 34.09214, "lon": -117.46127, "fb": "100064123450001", "url": "https://www.facebook.com/RanchoVerdeCityHall"},
    "elm": {"name": "Elm Street & 1st Avenue", "address": "Elm St & 1st Ave, Rancho Verde, CA 91700",
            "lat": 34.09655, "lon": -117.45402, "fb": "100064123450002", "url": "https://www.facebook.com/pages/Elm-Street/100064123450002"},
    "community": {"name": "Rancho Verde Community Center", "address": "1150 Mesa Verde Dr, Rancho Verde, CA 91700",
                  "lat": 34.08777, "lon": -117.47031, "fb": "100064123450003", "url": "https://www.facebook.com/RVCommunityCenter"},
    "losolivos": {"name": "Los Olivos Park", "address": "2200 Los Olivos Blvd, Rancho Verde, CA 91700",
                  "lat": 34.10402, "lon": -117.46655, "fb": "100064123450004", "url": "https://www.facebook.com/LosOlivosParkRV"},
    "cafe": {"name": "Café Olé on Elm", "address": "214 Elm St, Rancho Verde, CA 91700",
             "lat": 34.09661, "lon": -117.45217, "fb": CAFE.fb, "url": "https://www.facebook.com/cafeoleonelm"},
}

# Posts of the City of Rancho Verde Facebook Page, oldest first. `text` is the current text;
# `edits` lists (time, text after that edit). Mentions are written {lib}, {city}, {cafe}.
MENTIONS = {"lib": LIBRARY, "city": PAGE, "cafe": CAFE}

FB_POSTS = [
    dict(key="council_jan23", t=pt(2023, 1, 12, 16, 0), title="City of Rancho Verde shared a link.",
         text="The City Council meets Tuesday, January 17 at 6:00 PM in Council Chambers. Agenda items include the "
              "Elm Street water main study and the Los Olivos Park splash pad. Watch live on Rancho Verde TV or read "
              "the agenda online.",
         link=("City Council Agenda \u2013 January 17, 2023", "ranchoverde.example", f"{CITY_SITE}/council/agenda/2023-01-17"),
         comments=[C(PRIYA, "Will public comment be allowed over Zoom this time?", pt(2023, 1, 12, 18, 4), replies=[
             C(PAGE, "Yes, Priya \u2014 the Zoom link is on page 1 of the agenda.", pt(2023, 1, 13, 8, 40))])]),
    dict(key="arbor_day", t=pt(2023, 3, 10, 9, 30), title="City of Rancho Verde added a new photo.",
         text="Happy Arbor Day from Rancho Verde! \U0001F333 Volunteers planted 40 new oaks and sycamores along Mesa Verde Park "
              "this morning. Thank you to everyone who grabbed a shovel.",
         photos=[("Timelinephotos_awR520Z08w", "arbor-day-2023", ".jpg")], place="community"),
    dict(key="splash_pad", t=pt(2023, 5, 26, 11, 0), title="City of Rancho Verde added 2 new photos.",
         text="The new splash pad at Los Olivos Park is open! Hours: 10 AM\u20137 PM daily through Labor Day. "
              "Please supervise little ones and bring water \u2600\ufe0f",
         photos=[("Timelinephotos_awR520Z08w", "splash-pad-1", ".jpg"), ("Timelinephotos_awR520Z08w", "splash-pad-2", ".jpg")],
         place="losolivos",
         comments=[C(KEISHA, "My kids have been counting down the days!! Thank you", pt(2023, 5, 26, 12, 2)),
                   C(SAM, "Is there shade? Last summer the playground was 140 degrees", pt(2023, 5, 26, 13, 15), replies=[
                       C(PAGE, "Hi Sam! Two shade sails were installed over the seating area. More trees are coming this fall.",
                         pt(2023, 5, 26, 15, 30))])]),
    dict(key="heat_jul23", t=pt(2023, 7, 14, 8, 0), title="City of Rancho Verde was at Rancho Verde Community Center.",
         text="HEAT ADVISORY through Sunday. Highs of 108\u00b0F expected. The Community Center is open as a cooling center "
              "10 AM\u20138 PM. Drink water, check on neighbors, and never leave kids or pets in a parked car.",
         place="community"),
    dict(key="nno_2023", t=pt(2023, 7, 25, 10, 0), title="City of Rancho Verde created an event.",
         text="Save the date: National Night Out is Tuesday, August 1 at Los Olivos Park. Meet your neighbors, "
              "Rancho Verde police officers and firefighters. Free hot dogs and a K9 demo!",
         event=("National Night Out 2023", pt(2023, 8, 1, 17, 0), pt(2023, 8, 1, 20, 0))),
    dict(key="cafe_ribbon", t=pt(2023, 10, 5, 14, 0), title="City of Rancho Verde added 2 new photos.",
         text="Welcome to the neighborhood, {cafe}! Mayor Ruiz and the Chamber cut the ribbon at Café Olé on Elm today. "
              "Try the café de olla \u2615\ufe0f",
         photos=[("Mobileuploads_10150001", "cafe-ole-ribbon-1", ".jpg"), ("Mobileuploads_10150001", "cafe-ole-ribbon-2", ".jpg")],
         place="cafe"),
    dict(key="tree_lighting", t=pt(2023, 12, 1, 17, 45), title="City of Rancho Verde added a new photo.",
         text="The Civic Center tree is lit! \U0001F384 Thanks to the Rancho Verde High choir for the carols.",
         photos=[("Mobileuploads_10150001", "tree-lighting-2023", ".jpg")], place="cityhall"),
    # ---- 2024 (captured by the Graph API as well) ----
    dict(key="elm_contract", t=pt(2024, 1, 23, 21, 30), title="City of Rancho Verde shared a link.", graph=True,
         text="Tonight the City Council approved the Elm Street Rehabilitation Project: a new water main, repaving and "
              "ADA curb ramps from 1st Ave to 5th Ave. Construction is planned for March through May 2024 and will "
              "require a full closure of Elm Street. Details and FAQ at the link. #ElmStreet",
         link=("Elm Street Rehabilitation Project", "ranchoverde.example", f"{CITY_SITE}/elm-street"),
         status_type="shared_story",
         comments=[C(DEVON, "Finally. Elm has had potholes since 2019.", pt(2024, 1, 23, 21, 52), likes=14),
                   C(RICK, "A FULL closure for three months? Did anyone on the council talk to the businesses on Elm?",
                     pt(2024, 1, 23, 22, 10), likes=6, replies=[
                         C(BEA, "It was on the agenda for weeks, Rick. The Chamber presented in December.", pt(2024, 1, 24, 7, 5), likes=3)])]),
    dict(key="elm_announce", t=pt(2024, 2, 20, 10, 0), title="City of Rancho Verde added 2 new photos.", graph=True,
         text="\u26a0\ufe0f Elm Street closure begins Monday, March 4. Elm will be closed to through traffic between 1st Ave and "
              "5th Ave through late May. Detour: Foothill Blvd \u2192 5th Ave. Driveways and businesses stay open. "
              "Detour map and FAQ: ranchoverde.example/elm-street #ElmStreet",
         edits=[(pt(2024, 2, 20, 10, 25),
                 "\u26a0\ufe0f Elm Street closure begins Monday, March 4. Elm will be closed to through traffic between 1st Ave and "
                 "5th Ave through late May. Detour: Foothill Blvd \u2192 5th Ave. Driveways and businesses stay open. "
                 "Detour map and FAQ: ranchoverde.example/elm-street #ElmStreet")],
         original="\u26a0\ufe0f Elm Street closure begins Monday, March 4. Elm will be closed to through traffic between 1st Ave and "
                  "6th Ave through late May. Detour: Foothill Blvd \u2192 6th Ave. Driveways and businesses stay open. #ElmStreet",
         photos=[("ElmStreetProject_10160442", "elm-detour-map", ".png"), ("ElmStreetProject_10160442", "elm-closure-sign", ".jpg")],
         shares=31,
         comments=[
             C(MARIA, "How are we supposed to get to Elm Street Elementary during the closure? Drop-off is already a mess.",
               pt(2024, 2, 20, 10, 41), likes=22, replies=[
                   C(PAGE, "Hi Maria, the school entrance on 3rd Ave stays open and crossing guards will be at 2nd & Elm every "
                           "school day. The detour map is in the photos above.", pt(2024, 2, 20, 11, 30), likes=9),
                   C(MARIA, "Thank you!", pt(2024, 2, 20, 11, 47), likes=1)]),
             C(RICK, "Three months?? This closure is going to kill every business on Elm. Who signed off on this?",
               pt(2024, 2, 20, 10, 58), likes=17, replies=[
                   C(TOM, "It's a water main from 1958, it has to be done sometime.", pt(2024, 2, 20, 12, 3), likes=11)]),
             C(GUS, "My driveway is on Elm between 2nd and 3rd. Will I be able to get out in the morning? Call me at "
                    "909-555-0143, nobody at City Hall answers the phone.", pt(2024, 2, 20, 11, 2), likes=2, replies=[
                 C(PAGE, "Hi Gus, residents keep driveway access at all times. Public Works will call you today. For privacy, "
                         "please don't post phone numbers here \u2014 you can email elmstreet@ranchoverde.example.",
                   pt(2024, 2, 20, 13, 15), likes=4)]),
             C(PRIYA, "Will the 5th Ave bus stop move during the closure?", pt(2024, 2, 20, 11, 20), likes=3),
             C(SPAM1, "\U0001F525 Get 10K REAL followers for your page TODAY!!! Visit cheap-followers.example \U0001F525",
               pt(2024, 2, 20, 11, 33), hidden=True),
             C(NOOR, "Is Café Olé on Elm still open during the closures? I need my café de olla \u2615",
               pt(2024, 2, 20, 12, 45), likes=8, replies=[
                   C(PAGE, "Yes! Every business on Elm stays open during construction. Park on 2nd Ave and walk over.",
                     pt(2024, 2, 20, 14, 2), likes=6)]),
             C(WALT, "Off topic but when is bulk trash pickup this year?", pt(2024, 2, 20, 13, 1)),
             C(KEISHA, "Please put up signs on Foothill, people are going to fly down the side streets to avoid the detour.",
               pt(2024, 2, 20, 14, 30), likes=12),
             C(DALE, "What a damn mess. Every year it's another closure and another excuse.", pt(2024, 2, 20, 15, 12), likes=5),
             C(SAM, "Will street sweeping still happen on Elm while it's closed?", pt(2024, 2, 20, 16, 40)),
             C(DEVON, "Good. Fix it right once instead of patching it every spring. #ElmStreet", pt(2024, 2, 20, 18, 5), likes=7),
             C(LINH, "Saving the map, thanks for posting it early @RanchoVerdeCA", pt(2024, 2, 21, 8, 15), likes=2),
         ]),
    dict(key="elm_closed", t=pt(2024, 3, 4, 7, 0), title="City of Rancho Verde was at Elm Street & 1st Avenue.", graph=True,
         text="Elm Street is now CLOSED between 1st Ave and 5th Ave. Please use the Foothill Blvd detour and slow down in "
              "the work zone. Crews are on site 7 AM\u20135 PM weekdays. #ElmStreet",
         place="elm", status_type="mobile_status_update",
         comments=[
             C(LINH, "Detour signs at 1st Ave are confusing, I ended up in the Vons parking lot lol", pt(2024, 3, 4, 8, 12), likes=9,
               replies=[C(PAGE, "Thanks Linh \u2014 crews are adding another sign at 1st & Elm this afternoon.", pt(2024, 3, 4, 9, 30), likes=3)]),
             C(JAZ, "¿Hay información en español sobre el cierre de Elm Street?", pt(2024, 3, 4, 9, 2), likes=4,
               replies=[C(PAGE, "¡Sí! Información en español: ranchoverde.example/elm-street/es", pt(2024, 3, 4, 10, 15), likes=2)]),
             C(RENEE, "The contractor trucks park in front of my house every morning at 6am with the engines running. Who do I "
                      "complain to? Email me: renee.fontaine@example.com", pt(2024, 3, 4, 12, 44), likes=3),
             C(SPAM2, "I made $8,400 this week with crypto signals \U0001F4B0\U0001F4B0 message me on WhatsApp +1 909 555 0199",
               pt(2024, 3, 4, 13, 3), hidden=True),
         ]),
    dict(key="elm_business", t=pt(2024, 3, 18, 12, 0), title="City of Rancho Verde updated their status.", graph=True,
         text="Elm Street businesses are OPEN during the closure! Grab lunch at {cafe}, Pho Saigon, Elm Street Books and more. "
              "Free 2-hour parking on 2nd Ave and in the Civic Center lot. #ShopElm #ElmStreet",
         comments=[
             C(BEA, "Just had the best café de olla at Café Olé on Elm, totally worth the walk from the parking lot \u2615",
               pt(2024, 3, 18, 12, 40), likes=15),
             C(RICK, "Nice PR but my sales are down 40% since Elm closed. Will the city compensate businesses?",
               pt(2024, 3, 18, 13, 5), likes=10, replies=[
                   C(PAGE, "Hi Rick, the Elm Street Business Support Program offers grants of up to $5,000 for businesses in the "
                           "work zone. Apply at ranchoverde.example/elm-business or call Economic Development.",
                     pt(2024, 3, 18, 15, 20), likes=6)]),
             C(THAO, "Pho Saigon on Elm is open too! \U0001F35C", pt(2024, 3, 18, 17, 45), likes=5),
         ]),
    dict(key="elm_weekend", t=pt(2024, 4, 2, 15, 0), title=None, graph=True,
         text="Weekend closures: the Elm St & 3rd Ave intersection will be closed Saturday April 6 and Sunday April 7 "
              "for the water main tie-in. 3rd Ave traffic will detour via 2nd Ave. #ElmStreet",
         comments=[
             C(KEISHA, "Closed AGAIN this weekend? These 3rd Ave closures are getting old.", pt(2024, 4, 2, 15, 31), likes=4),
             C(TOM, "Thanks for the heads up.", pt(2024, 4, 2, 16, 2), likes=1),
             C(None, "why is this taking so long", pt(2024, 4, 2, 19, 20), nofrom=True),
         ]),
    dict(key="council_apr24", t=pt(2024, 4, 12, 10, 0), title="City of Rancho Verde shared a link.", graph=True,
         text="Council meeting Tuesday, April 16 at 6 PM: Elm Street construction update, FY 2024-25 budget workshop, "
              "and Los Olivos Park shade structures. Public comment is welcome in person or on Zoom.",
         link=("City Council Agenda \u2013 April 16, 2024", "ranchoverde.example", f"{CITY_SITE}/council/agenda/2024-04-16"),
         comments=[
             C(PRIYA, "Can we comment on the Elm Street item remotely via Zoom?", pt(2024, 4, 12, 11, 3), likes=2,
               replies=[C(PAGE, "Yes \u2014 raise your hand in Zoom when the item is called. Link is on the agenda.",
                          pt(2024, 4, 12, 13, 0), likes=1)]),
             C(DALE, "Council doesn't listen anyway. Bunch of clowns.", pt(2024, 4, 12, 12, 20), likes=3),
         ]),
    dict(key="elm_nights", t=pt(2024, 5, 6, 16, 0), title=None, graph=True,
         text="Heads up, Elm Street neighbors: final repaving happens at night May 7\u201310, 8 PM to 11 PM, to finish before "
              "the reopening. Expect noise and bright work lights. Thank you for your patience! #ElmStreet",
         comments=[
             C(GUS, "The grinder was going until 2am last night. I live at 1423 Elm Street and my kids couldn't sleep.",
               pt(2024, 5, 8, 7, 10), likes=6, replies=[
                   C(PAGE, "We're sorry, Gus. Night work must end at 11 PM under the permit, and we've contacted the contractor.",
                     pt(2024, 5, 8, 8, 45), likes=4, replies=[]),
                   C(GUS, "Appreciate the quick response.", pt(2024, 5, 8, 9, 2))]),
             C(WALT, "Worth it if the road is finally smooth.", pt(2024, 5, 8, 10, 30), likes=2),
         ]),
    dict(key="elm_reopened", t=pt(2024, 5, 24, 9, 0), title="City of Rancho Verde added 3 new photos.", graph=True,
         text="Elm Street is OPEN! \U0001F389 After 12 weeks of closures, Elm has a new water main, smooth pavement, "
              "new crosswalks and ADA ramps. Thank you, neighbors and Elm businesses, for your patience. #ElmStreet",
         edits=[(pt(2024, 5, 24, 9, 14),
                 "Elm Street is OPEN! \U0001F389 After 12 weeks of closures, Elm has a new water main, smooth pavement, "
                 "new crosswalks and ADA ramps. Thank you, neighbors and Elm businesses, for your patience. #ElmStreet")],
         original="Elm Street is OPEN! \U0001F389 After 12 weeks of closures, Elm has a new water main, smooth pavment, "
                  "new crosswalks and ADA ramps. Thank you neighbors and Elm buisnesses for your patience. #ElmStreet",
         photos=[("ElmStreetProject_10160442", "elm-reopened-1", ".jpg"), ("ElmStreetProject_10160442", "elm-reopened-2", ".jpg"),
                 ("ElmStreetProject_10160442", "elm-reopened-3", ".jpg")],
         place="elm", shares=48,
         comments=[
             C(MARIA, "\U0001F389 Finally!! Thank you to the crews.", pt(2024, 5, 24, 9, 20), likes=30),
             C(BEA, "Looks beautiful. The new crosswalks at Elm & 3rd are great.", pt(2024, 5, 24, 9, 45), likes=12),
             C(RICK, "Took two weeks longer than promised.", pt(2024, 5, 24, 10, 2), likes=8, replies=[
                 C(TOM, "Two weeks late on a 66-year-old water main is honestly not bad.", pt(2024, 5, 24, 10, 30), likes=15),
                 C(RICK, "Easy to say when your store wasn't behind the barricades.", pt(2024, 5, 24, 11, 4), likes=9)]),
             C(DEVON, "#ElmStreet looks brand new, nice work @RanchoVerdeCA", pt(2024, 5, 24, 12, 0), likes=6),
             C(SPAM1, "Want more likes on posts like this? \U0001F447 cheap-followers.example/page-boost", pt(2024, 5, 24, 12, 3), hidden=True),
         ]),
    dict(key="concerts", t=pt(2024, 6, 11, 12, 0), title="City of Rancho Verde created an event.", graph=True,
         text="Summer Concerts in the Park are back! Thursdays in July at Los Olivos Park, 6:30 PM. Bring a blanket "
              "and a picnic. Opening night: Mariachi Sol de Rancho Verde \U0001F3BA",
         event=("Summer Concerts in the Park: Mariachi Sol de Rancho Verde", pt(2024, 7, 11, 18, 30), pt(2024, 7, 11, 20, 30)),
         comments=[C(JAZ, "¡Qué padre! We'll be there", pt(2024, 6, 11, 13, 0), likes=3),
                   C(SAM, "Are dogs allowed?", pt(2024, 6, 11, 14, 10), replies=[
                       C(PAGE, "Leashed dogs are welcome! Please bring water for them, it's still hot at 6:30.", pt(2024, 6, 11, 15, 0))])]),
    dict(key="heat_jul24", t=pt(2024, 7, 5, 8, 0), title="City of Rancho Verde was at Rancho Verde Community Center.", graph=True,
         text="HEAT ADVISORY July 5\u20139: highs up to 112\u00b0F. Cooling centers: Community Center and the Public Library, "
              "10 AM\u20138 PM. Call 211 for a free ride. Check on older neighbors! #HeatAdvisory",
         edits=[(pt(2024, 7, 5, 13, 0),
                 "HEAT ADVISORY July 5\u20139: highs up to 112\u00b0F. Cooling centers: Community Center and the Public Library, "
                 "10 AM\u20139 PM. Call 211 for a free ride. Check on older neighbors! #HeatAdvisory"),
                (pt(2024, 7, 6, 9, 30),
                 "HEAT ADVISORY extended through July 12: highs up to 112\u00b0F. Cooling centers: Community Center and the "
                 "Public Library, 10 AM\u20139 PM. Call 211 for a free ride. Check on older neighbors! #HeatAdvisory")],
         original="HEAT ADVISORY July 5\u20139: highs up to 112\u00b0F. Cooling centers: Community Center and the Public Library, "
                  "10 AM\u20138 PM. Call 211 for a free ride. Check on older neighbors! #HeatAdvisory",
         place="community",
         comments=[C(NOOR, "Is the library a cooling center on Sunday too?", pt(2024, 7, 5, 9, 10), likes=1, replies=[
                       C(PAGE, "Yes, Noor \u2014 both cooling centers are open every day of the advisory.", pt(2024, 7, 5, 10, 0))]),
                   C(WALT, "Please check on the seniors at Vista del Sol apartments, half the AC units there are broken.",
                     pt(2024, 7, 5, 11, 32), likes=8)]),
    dict(key="nno_2024", t=pt(2024, 8, 7, 10, 0), title="City of Rancho Verde added 2 new photos.", graph=True,
         text="What a night! Thanks to the 1,200 neighbors who joined {rvpd} and Rancho Verde Fire at National Night Out.",
         photos=[("Mobileuploads_10150001", "nno-2024-1", ".jpg"), ("Mobileuploads_10150001", "nno-2024-2", ".jpg")],
         place="losolivos",
         comments=[C(KEISHA, "Great event! My kids loved the fire truck.", pt(2024, 8, 7, 11, 0), likes=4)]),
    dict(key="heat_sep24", t=pt(2024, 9, 5, 7, 30), title=None, graph=True,
         text="EXCESSIVE HEAT WARNING through Monday. 115\u00b0F possible. City pools have extended hours and cooling "
              "centers are open until 9 PM. If you lose power, report it to the utility and call 911 for medical "
              "emergencies. #HeatAdvisory",
         comments=[C(LINH, "Power is out on Mesa Dr again. Any word on when it's coming back?", pt(2024, 9, 5, 15, 2), likes=3),
                   C(SPAM2, "Beat the heat AND make money \U0001F4B8 DM me for crypto signals", pt(2024, 9, 5, 15, 30), hidden=True),
                   C(DALE, "Maybe if the city planted trees instead of building another damn parking lot.", pt(2024, 9, 5, 16, 0), likes=11)]),
    dict(key="budget", t=pt(2024, 10, 15, 9, 0), title="City of Rancho Verde shared a link.", graph=True,
         text="Public hearing on the mid-year budget adjustment: Tuesday, October 22 at 6 PM. Read the staff report and "
              "submit written comments before noon on the 22nd.",
         link=("Mid-Year Budget Adjustment \u2013 Staff Report", "ranchoverde.example", f"{CITY_SITE}/budget/fy2025-midyear"),
         comments=[C(RICK, "Why is the police overtime budget going up again while the library hours get cut?", pt(2024, 10, 15, 10, 0), likes=9),
                   C(PRIYA, "Fund the library! Written comment submitted.", pt(2024, 10, 15, 12, 30), likes=6)]),
    dict(key="veterans", t=pt(2024, 11, 8, 12, 0), title=None, graph=True,
         text="City offices will be closed Monday, November 11 in observance of Veterans Day. Trash pickup is not "
              "affected. Thank you to all who served. \U0001F1FA\U0001F1F8",
         comments=[C(WALT, "Thank you veterans \U0001F1FA\U0001F1F8", pt(2024, 11, 8, 13, 0), likes=2)]),
    # ---- 2025 ----
    dict(key="council_2025", t=pt(2025, 1, 10, 9, 0), title="City of Rancho Verde shared a link.", graph=True,
         text="The 2025 City Council meeting calendar is posted. Regular meetings are the 2nd and 4th Tuesdays at 6 PM. "
              "Summer Reading kickoff with {lib} will be announced at the first meeting!",
         link=("2025 Council Meeting Calendar", "ranchoverde.example", f"{CITY_SITE}/council/2025-calendar"),
         comments=[]),
    dict(key="streetlight", t=pt(2025, 3, 10, 19, 12), visitor=WALT, graph=True, status_type="mobile_status_update",
         title=None,
         text="Streetlight at Elm & 4th has been out for a week now. Can someone from the City fix it? It's really dark "
              "for people walking home from the bus.",
         comments=[C(PAGE, "Thanks Walt, we've reported it to Public Works (ticket 25-0310-17).", pt(2025, 3, 11, 8, 30)),
                   C(BEA, "Same with the one by the bus stop at 2nd & Elm.", pt(2025, 3, 11, 9, 2))]),
    dict(key="parks_survey", t=pt(2025, 2, 25, 10, 0), title="City of Rancho Verde shared a link.", graph=True,
         text="What should the next 10 years of Rancho Verde parks look like? Take the Parks Master Plan survey "
              "(English/Español/Tiếng Việt) by March 31.",
         link=("Parks Master Plan Survey", "ranchoverde.example", f"{CITY_SITE}/parks/survey"),
         comments=[C(SAM, "Please add pickleball courts!!!", pt(2025, 2, 25, 10, 30), likes=19),
                   C(DEVON, "Pickleball is ruining every park in the Inland Empire. Shade and trees first.", pt(2025, 2, 25, 11, 0), likes=12),
                   C(THAO, "Cảm ơn for including Vietnamese!", pt(2025, 2, 25, 12, 0), likes=7)]),
    dict(key="elm_year", t=pt(2025, 4, 8, 11, 0), title="City of Rancho Verde added a new photo.", graph=True,
         text="One year ago this spring Elm Street was closed for construction. Today: 14 new street trees, a weekly "
              "farmers market and zero water main breaks. Thanks for your patience during the closures! #ElmStreet",
         photos=[("ElmStreetProject_10160442", "elm-one-year", ".jpg")], place="elm",
         comments=[C(BEA, "Elm is so much better now.", pt(2025, 4, 8, 11, 40), likes=5),
                   C(KEISHA, "Still no left turn from Elm onto 5th, why?", pt(2025, 4, 8, 12, 15), likes=3)]),
    dict(key="coffee_cop", t=pt(2025, 5, 14, 9, 0), title="City of Rancho Verde was at Café Olé on Elm.", graph=True,
         text="Coffee with a Cop is back at Café Olé on Elm, Wednesday May 21, 8\u201310 AM. Come chat with {rvpd} officers.",
         place="cafe",
         comments=[C(NOOR, "What time does it end?", pt(2025, 5, 14, 9, 30)),
                   C(GUS, "Tell them about the speeders on Elm at night. 1423 Elm, they fly past every night after 10.",
                     pt(2025, 5, 14, 10, 5), likes=2)]),
    dict(key="heat_2025", t=pt(2025, 6, 17, 8, 0), title=None, graph=True,
         text="Summer heat is here. Los Olivos pool opens Saturday, and cooling centers open whenever the National "
              "Weather Service issues a heat advisory. Sign up for RV Alerts to get notified. #HeatAdvisory",
         comments=[C(MARIA, "Is the Los Olivos pool open on weekends?", pt(2025, 6, 17, 9, 0), replies=[
             C(PAGE, "Yes! Noon to 6 PM on weekends through August 10.", pt(2025, 6, 17, 10, 0))])]),
]
MENTIONS["rvpd"] = RVPD_FB

# Comments the Page wrote on other Pages' posts (only visible in the DYI comments file).
FB_PAGE_COMMENTS_ELSEWHERE = [
    (LIBRARY, pt(2024, 6, 3, 10, 15), "Summer Reading starts June 10! See you at the kickoff \U0001F4DA"),
    (RVPD_FB, pt(2024, 8, 2, 9, 0), "Thank you RVPD for another great National Night Out!"),
    (CAFE, pt(2024, 3, 5, 8, 0), "Thanks for staying open during the Elm Street closure \u2615 We\u2019ll see you at lunch."),
]

FB_FOLLOWERS = [  # (name, unix seconds); newest first in the file
    (MARIA.name, pt(2023, 2, 3, 18, 22)), (TOM.name, pt(2023, 4, 19, 7, 40)), (PRIYA.name, pt(2023, 1, 13, 9, 0)),
    (GUS.name, pt(2024, 2, 20, 11, 5)), (LINH.name, pt(2024, 3, 4, 8, 20)), (BEA.name, pt(2023, 10, 5, 15, 0)),
    (RICK.name, pt(2024, 1, 23, 22, 15)), (JAZ.name, pt(2024, 3, 4, 9, 5)), (DEVON.name, pt(2023, 6, 1, 12, 0)),
    (NOOR.name, pt(2024, 2, 20, 12, 50)), (KEISHA.name, pt(2023, 5, 26, 12, 5)), (SAM.name, pt(2023, 5, 26, 13, 20)),
    (Correct(RENEE.name), pt(2024, 3, 4, 12, 50)),      # correctly encoded Latin-1-range text (see README)
    (Correct(THAO.name), pt(2024, 3, 18, 17, 50)),      # correctly encoded text above U+00FF
    ("José Ibáñez", pt(2024, 7, 5, 9, 45)), ("Anaïs Dubois-Whitfield", pt(2025, 1, 10, 12, 0)),
    (WALT.name, pt(2025, 3, 10, 19, 15)), ("Rancho Verde Chamber of Commerce", pt(2023, 10, 5, 14, 30)),
]

FB_TOUCHED = {"concerts": pt(2024, 6, 12, 9, 0)}  # update_timestamp without a text edit
FB_PREFIX = "this_profile's_activity_across_facebook"
GRAPH = "https://graph.facebook.com/v19.0"
FB_CAPTURED = pt(2025, 7, 3, 9, 0)


def _prepare_fb():
    """Assign Graph IDs, photo IDs and media file names to FB_POSTS (deterministic)."""
    rng = rng_for("fb-ids")
    t0 = pt(2023, 1, 1)
    posts = sorted(FB_POSTS, key=lambda p: p["t"])
    for p in posts:
        p.setdefault("graph", False)
        p.setdefault("comments", [])
        p["gid"] = str(122090000000000000 + (p["t"] - t0) * 97 + rng.randint(0, 96))
        p["photo_objs"] = []
        for i, (album, label, ext) in enumerate(p.get("photos", [])):
            pid = str(int(p["gid"]) + 11 + i * 3)
            a, c = digits(rng, 9), digits(rng, 10)
            fname = f"{a}_{pid}_{c}_n_{pid}{ext}"
            w, h = (1080, 1350) if "map" in label else (2048, 1536)
            p["photo_objs"].append(dict(id=pid, album=album, label=label, ext=ext, w=w, h=h,
                                        uri=f"{FB_PREFIX}/posts/media/{album}/{fname}",
                                        cdn=f"https://scontent.xx.fbcdn.example/v/t39.30808-6/{a}_{pid}_{c}_n.jpg"
                                            f"?_nc_cat=10{i + 1}&ccb=1-7&oh=00_AY{chars(rng, 20, ALNUM)}&oe=66A{i}F3C1"))
        if "event" in p:
            p["event_id"] = digits(rng, 15)

        def assign(cs, top_id=None):
            for c in cs:
                c.cid = digits(rng, 16)
                c.full_id = f"{p['gid']}_{c.cid}"
                c.top_cid = top_id or c.cid
                assign(c.replies, c.cid)
        assign(p["comments"])
    return posts


def render_text(text: str, mode: str):
    """mode 'dyi': @[id:274:Name] markup; mode 'graph': plain names + message_tags (UTF-16 offsets)."""
    tags, out = [], ""
    parts = text.split("{")
    out = parts[0]
    for part in parts[1:]:
        key, rest = part.split("}", 1)
        who = MENTIONS[key]
        if mode == "dyi":
            out += f"@[{who.fb}:274:{who.name}]"
        else:
            tags.append({"id": who.fb, "name": who.name, "type": "page",
                         "offset": len(out.encode("utf-16-le")) // 2, "length": len(who.name.encode("utf-16-le")) // 2})
            out += who.name
        out += rest
    return (out, tags) if mode == "graph" else out


def _exif(rng, t, detailed):
    d = {"upload_ip": f"198.51.100.{rng.randint(2, 250)}", "taken_timestamp": t - rng.randint(600, 7200)}
    if detailed:
        d.update({"upload_timestamp": t - 30, "modified_timestamp": t - 45, "camera_make": "Apple",
                  "camera_model": "iPhone 13", "exposure": "1/120", "focal_length": "5.1", "f_stop": "1.6",
                  "iso": 50, "latitude": 34.0965, "longitude": -117.454, "orientation": 1,
                  "original_width": 4032, "original_height": 3024})
    return d


def build_facebook_dyi(posts) -> Tree:
    tree = Tree()
    rng = rng_for("fb-dyi")
    items = []
    for p in sorted(posts, key=lambda p: p["t"], reverse=True):
        if p.get("visitor"):
            continue  # visitor posts are not the Page's own activity
        text = render_text(p["text"], "dyi")
        data = [{"post": text}]
        upd = p["edits"][-1][0] if p.get("edits") else FB_TOUCHED.get(p["key"])
        if upd:
            data.append({"update_timestamp": upd})
        extra = []
        if p.get("place"):
            pl = PLACES[p["place"]]
            extra.append({"data": [{"place": {"name": pl["name"], "coordinate": {"latitude": pl["lat"], "longitude": pl["lon"]},
                                              "address": pl["address"], "url": pl["url"]}}]})
        if p.get("link"):
            name, source, url = p["link"]
            extra.append({"data": [{"external_context": {"name": name, "source": source, "url": url}}]})
        if p.get("event"):
            name, start, end = p["event"]
            extra.append({"data": [{"event": {"name": name, "start_timestamp": start, "end_timestamp": end}}]})
        photos = p["photo_objs"]
        copies = photos if photos else [None]
        for i, ph in enumerate(copies):  # one post object per photo, as Meta writes multi-photo posts
            obj = {"timestamp": p["t"]}
            atts = []
            if ph:
                media = {"uri": ph["uri"], "creation_timestamp": p["t"] - 2 - i,
                         "media_metadata": {"photo_metadata": {"exif_data": [_exif(rng, p["t"], detailed=(i == 0 and len(photos) > 1))]}},
                         "title": ph["album"].split("_")[0].replace("ElmStreetProject", "Elm Street Project")
                                                .replace("Timelinephotos", "Timeline photos").replace("Mobileuploads", "Mobile uploads"),
                         "description": text}
                atts.append({"data": [{"media": media}]})
                tree.add(ph["uri"], image(f"rv-fb-{ph['label']}", ph["uri"]))
            atts.extend(extra)
            if atts:
                obj["attachments"] = atts
            obj["data"] = data
            if p.get("title"):
                obj["title"] = p["title"]
            items.append(obj)
        if p["key"] == "elm_reopened":  # a place attachment repeated with only the url differing (seen in real exports)
            pl = PLACES["elm"]
            items[-1]["attachments"].append({"data": [{"place": {"name": pl["name"], "coordinate": {"latitude": pl["lat"], "longitude": pl["lon"]},
                                                                "address": pl["address"], "url": f"https://www.facebook.com/{pl['fb']}"}}]})
    tree.add(f"{FB_PREFIX}/posts/profile_posts_1.json", meta_json(items))

    edits = []
    for p in posts:
        for et, etext in p.get("edits", []):
            edits.append({"timestamp": et, "fbid": p["gid"], "label_values": [{"label": "Text", "value": render_text(etext, "dyi")}]})
    edits.sort(key=lambda e: e["timestamp"], reverse=True)
    tree.add(f"{FB_PREFIX}/posts/edits_you_made_to_posts.json", meta_json(edits))

    comments = []
    for p in posts:
        owner = p["visitor"].name if p.get("visitor") else FB_PAGE_NAME
        for c in p["comments"]:
            if c.who is PAGE:
                comments.append((c.t, f"{FB_PAGE_NAME} commented on {owner}'s post.", c.text))
            for r in c.replies:
                if r.who is PAGE:
                    comments.append((r.t, f"{FB_PAGE_NAME} replied to {c.who.name if c.who else 'a'}'s comment.", r.text))
    for who, t, text in FB_PAGE_COMMENTS_ELSEWHERE:
        comments.append((t, f"{FB_PAGE_NAME} commented on {who.name}'s post.", text))
    comments.sort(reverse=True)
    cj = []
    for t, title, text in comments:
        item = {"timestamp": t, "data": [{"comment": {"timestamp": t, "comment": text, "author": FB_PAGE_NAME}}], "title": title}
        m = re.search(r"ranchoverde\.example/[\w/-]*\w", text)
        if m:  # a link in the comment becomes an external_context attachment
            item["attachments"] = [{"data": [{"external_context": {"url": "https://www." + m.group(0)}}]}]
        cj.append(item)
    # One comment text is already correct (real \u2014, not mojibake) although the rest of the file is mojibake.
    first_nonascii = next(c for c in cj if any(ord(ch) > 0xFF for ch in c["data"][0]["comment"]["comment"]))
    first_nonascii["data"][0]["comment"]["comment"] = Correct(first_nonascii["data"][0]["comment"]["comment"])
    tree.add(f"{FB_PREFIX}/comments_and_reactions/comments.json", meta_json({"comments_v2": cj}))

    followers = [{"name": n, "timestamp": t} for n, t in sorted(FB_FOLLOWERS, key=lambda f: f[1], reverse=True)]
    tree.add("connections/followers/people_who_followed_you.json", meta_json({"followers_v3": followers}))
    tree.add("logged_information/professional_dashboard/your_professional_dashboard_activity.json",
             meta_json({"prodash_activity": [{"page_name": FB_PAGE_NAME, "timestamp": pt(2025, 6, 30, 9, 12)}]}))
    return tree


# ---- Graph API ------------------------------------------------------------------------------

def _q(s: str) -> str:
    """Percent-encode a query value the way Graph API paging URLs are encoded."""
    return urllib.parse.quote(s, safe="")


def _cursor(seed: str) -> str:
    return "QVFIU" + base64.urlsafe_b64encode(hashlib.sha1(seed.encode()).digest() * 2).decode().rstrip("=")[:46]


FB_COMMENT_FIELDS = "id,from,message,created_time,is_hidden,like_count,comment_count,permalink_url"
FB_REPLY_FIELDS = "id,from,message,created_time,is_hidden,like_count,permalink_url,parent{id}"
FB_FEED_FIELDS = ("id,created_time,updated_time,from,message,message_tags,story,permalink_url,status_type,place,shares,"
                  "attachments{media_type,type,title,description,url,unshimmed_url,target,media,subattachments},"
                  f"comments.summary(true).limit(10){{{FB_COMMENT_FIELDS},comments{{{FB_REPLY_FIELDS}}}}}")


def _graph_comment(p, c, reply_to=None):
    permalink = f"https://www.facebook.com/{FB_PAGE_ID}/posts/{p['gid']}/?comment_id={c.top_cid}"
    if reply_to:
        permalink += f"&reply_comment_id={c.cid}"
    d = {"id": c.full_id}
    if not c.nofrom and c.who is not None:
        d["from"] = {"name": c.who.name, "id": c.who.fb}
    d.update({"message": c.text, "created_time": graph_time(c.t), "is_hidden": c.hidden, "like_count": c.likes})
    if reply_to is None:
        d["comment_count"] = len(c.replies)
    d["permalink_url"] = permalink
    if reply_to is not None:
        d["parent"] = {"id": reply_to.full_id}
    elif c.replies:
        d["comments"] = {"data": [_graph_comment(p, r, c) for r in c.replies],
                         "paging": {"cursors": {"before": _cursor(c.cid + "b"), "after": _cursor(c.cid + "a")}}}
    return d


def _graph_image(ph):
    scale = 720 / ph["w"]
    return {"image": {"height": round(ph["h"] * scale), "src": ph["cdn"], "width": 720}}


def _graph_post(p, extra_pages):
    author = p.get("visitor") or PAGE
    message, tags = render_text(p["text"], "graph")
    permalink = f"https://www.facebook.com/{FB_PAGE_ID}/posts/{p['gid']}/"
    upd = max([p["t"]] + [e[0] for e in p.get("edits", [])] + [FB_TOUCHED.get(p["key"], 0)] +
              [c.t for c in p["comments"]] + [r.t for c in p["comments"] for r in c.replies])
    d = {"id": f"{FB_PAGE_ID}_{p['gid']}", "created_time": graph_time(p["t"]), "updated_time": graph_time(upd),
         "from": {"name": author.name, "id": author.fb}, "message": message}
    if tags:
        d["message_tags"] = tags
    if p.get("title") and (p.get("photo_objs") or p.get("place") or p.get("event")):
        d["story"] = p["title"].replace(" was at ", " is at ")
    d["permalink_url"] = permalink
    status = p.get("status_type") or ("added_photos" if p["photo_objs"] else "created_event" if p.get("event")
                                      else "shared_story" if p.get("link") else "mobile_status_update")
    d["status_type"] = status
    if p.get("place"):
        pl = PLACES[p["place"]]
        street = pl["address"].split(",")[0]
        d["place"] = {"name": pl["name"], "location": {"city": "Rancho Verde", "country": "United States", "latitude": pl["lat"],
                                                        "longitude": pl["lon"], "state": "CA", "street": street, "zip": "91700"},
                      "id": pl["fb"]}
    if p.get("shares"):
        d["shares"] = {"count": p["shares"]}
    atts = []
    photos = p["photo_objs"]
    if len(photos) == 1:
        ph = photos[0]
        url = f"https://www.facebook.com/photo.php?fbid={ph['id']}&set=a.{ph['album'].split('_')[1]}&type=3"
        atts.append({"media": _graph_image(ph), "media_type": "photo", "target": {"id": ph["id"], "url": url}, "type": "photo", "url": url})
    elif photos:
        subs = []
        for ph in photos:
            url = f"https://www.facebook.com/photo.php?fbid={ph['id']}&set=pcb.{p['gid']}&type=3"
            subs.append({"media": _graph_image(ph), "target": {"id": ph["id"], "url": url}, "type": "photo", "url": url})
        atts.append({"media": _graph_image(photos[0]), "media_type": "album", "target": {"id": p["gid"], "url": permalink},
                     "title": f"Photos from {FB_PAGE_NAME}'s post", "type": "album", "url": permalink,
                     "subattachments": {"data": subs}})
    if p.get("link"):
        name, source, url = p["link"]
        shim = "https://l.facebook.com/l.php?u=" + url.replace(":", "%3A").replace("/", "%2F") + "&h=AT0" + _cursor(url)[5:25]
        atts.append({"description": message.split(". ")[0] + ".", "media": {"image": {"height": 630, "src": f"https://external.xx.fbcdn.example/emg1/v/t13/{_cursor(url)[5:20]}?url={url}", "width": 1200}},
                     "media_type": "link", "target": {"url": shim}, "title": name, "type": "share", "unshimmed_url": url, "url": shim})
    if p.get("event"):
        name, start, end = p["event"]
        url = f"https://www.facebook.com/events/{p['event_id']}/"
        atts.append({"description": message, "media_type": "event", "target": {"id": p["event_id"], "url": url},
                     "title": name, "type": "event", "url": url})
    if atts:
        d["attachments"] = {"data": atts}
    cs = p["comments"]
    if cs:
        first, rest = cs[:10], cs[10:]
        paging = {"cursors": {"before": _cursor(first[0].cid), "after": _cursor(first[-1].cid)}}
        if rest:
            paging["next"] = (f"{GRAPH}/{FB_PAGE_ID}_{p['gid']}/comments?fields={_q(FB_COMMENT_FIELDS + ',comments{' + FB_REPLY_FIELDS + '}')}"
                              f"&limit=10&after={_cursor(first[-1].cid)}")
            extra_pages.append((p, rest, paging["next"]))
        d["comments"] = {"data": [_graph_comment(p, c) for c in first], "paging": paging,
                         "summary": {"order": "chronological", "total_count": len(cs), "can_comment": True}}
    return d


def build_graph_capture(posts, ig_media) -> Tree:
    tree = Tree()
    requests = []
    clock = [FB_CAPTURED]

    def record(path, url, body):
        clock[0] += 2
        tree.add(path, graph_json(body))
        requests.append({"file": path, "method": "GET", "url": url, "status": 200,
                         "content_type": "application/json; charset=UTF-8", "fetched_at": iso_z(clock[0])})

    feed = [p for p in sorted(posts, key=lambda p: p["t"], reverse=True) if p["graph"]]
    extra_pages = []
    pages = [feed[i:i + 8] for i in range(0, len(feed), 8)]
    since = pt(2024, 1, 1)
    base = f"{GRAPH}/{FB_PAGE_ID}/feed?fields={_q(FB_FEED_FIELDS)}&limit=8&since={since}"
    url = base
    for n, chunk in enumerate(pages, 1):
        body = {"data": [_graph_post(p, extra_pages) for p in chunk]}
        paging = {"cursors": {"before": _cursor(f"feed{n}b"), "after": _cursor(f"feed{n}a")}}
        if n > 1:
            paging["previous"] = f"{base}&before={_cursor(f'feed{n}b')}"
        next_url = f"{base}&after={_cursor(f'feed{n}a')}" if n < len(pages) else None
        if next_url:
            paging["next"] = next_url
        body["paging"] = paging
        record(f"{FB_PAGE_ID}/feed/page-{n:03d}.json", url, body)
        url = next_url
    for p, rest, next_url in extra_pages:
        body = {"data": [_graph_comment(p, c) for c in rest],
                "paging": {"cursors": {"before": _cursor(rest[0].cid), "after": _cursor(rest[-1].cid)},
                           "previous": next_url.split("&after=")[0] + f"&before={_cursor(rest[0].cid)}"}}
        record(f"{FB_PAGE_ID}_{p['gid']}/comments/page-001.json", next_url, body)
    build_ig_graph(ig_media, record)
    manifest = {
        "capture": "Meta Graph API responses, one raw response body per file",
        "api_version": "v19.0",
        "accounts": [{"platform": "facebook", "page_id": FB_PAGE_ID, "name": FB_PAGE_NAME},
                     {"platform": "instagram", "ig_user_id": IG_USER_ID, "username": IG_USERNAME}],
        "note": "access_token query parameters were removed from every URL before saving",
        "requests": requests,
    }
    tree.add("manifest.json", plain_json(manifest))
    return tree


# ---------------------------------------------------------------------------------------------
# Instagram: @rvpd_official
# ---------------------------------------------------------------------------------------------
RVPD = P(IG_NAME, None, IG_USERNAME, IG_USER_ID)

IG_POSTS = [
    dict(key="k9", t=pt(2023, 2, 10, 12, 0), media=["k9-rocco"],
         caption="Meet our newest officer, K9 Rocco! \U0001F415 He's a 2-year-old Belgian Malinois and already the most "
                 "popular member of the department. #RVPD #K9 #RanchoVerde",
         comments=[C(KEISHA, "He's adorable!! Can kids meet him at National Night Out?", pt(2023, 2, 10, 12, 40), replies=[
             C(RVPD, "@keisha.m Yes! Rocco will be at the K9 demo in August \U0001F43E", pt(2023, 2, 10, 14, 0))])]),
    dict(key="coffee23", t=pt(2023, 4, 22, 9, 0), media=["coffee-cop-2023"],
         caption="Coffee with a Cop this Saturday at Café Olé on Elm \u2615\ufe0f 8\u201310 AM. Bring your questions, "
                 "we'll bring our appetite for pan dulce. #CoffeeWithACop #RVPD"),
    dict(key="nno23", t=pt(2023, 8, 2, 10, 0), media=["nno23-1", "nno23-2", "nno23-3"],
         caption="National Night Out 2023 \U0001F499 Thank you Rancho Verde! Swipe for K9 Rocco's demo and the dunk tank. #NNO2023 #RVPD"),
    dict(key="toys23", t=pt(2023, 12, 15, 11, 0), media=["toy-drive-2023"],
         caption="Our Holiday Toy Drive collected 1,150 toys for Rancho Verde kids \U0001F381 Thank you to every family and business that donated!"),
    dict(key="elm_closure", t=pt(2024, 3, 4, 6, 30), media=["elm-traffic-control"], graph=True,
         caption="Elm Street closure starts TODAY. Officers will direct traffic at 1st & Elm and Foothill & 5th during the "
                 "morning commute. Give yourself extra time and follow the detour signs. #ElmStreet #RanchoVerde",
         comments=[C(LINH, "Thank you for being out there this morning, the 1st Ave intersection was chaos", pt(2024, 3, 4, 9, 15), likes=6),
                   C(RICK, "Maybe ticket the people speeding down Birch to avoid the closure instead of standing around", pt(2024, 3, 4, 10, 2), likes=4,
                     replies=[C(RVPD, "@rickh_rv We've added a traffic unit on Birch St for the length of the closure. Thanks for flagging it.",
                                pt(2024, 3, 4, 12, 30), likes=7)]),
                   C(SPAM1, "\U0001F525 Grow your account fast \U0001F525 real followers at cheap-followers.example", pt(2024, 3, 4, 12, 31), hidden=True)]),
    dict(key="school_zone", t=pt(2024, 3, 20, 7, 15), media=["school-zone-1", "school-zone-2"], graph=True,
         caption="Reminder: the Elm Street closure is NOT a shortcut through the Elm Street Elementary school zone. "
                 "25 MPH when children are present. We are enforcing it. #ElmStreet #SchoolZone",
         comments=[C(MARIA, "THANK YOU. Cars were flying past the crosswalk on 3rd this morning.", pt(2024, 3, 20, 8, 0), likes=11),
                   C(DALE, "Speed trap city. Don't you have real crimes to solve?", pt(2024, 3, 20, 8, 45), likes=2,
                     replies=[C(MARIA, "@dale.p.rv it's a school zone, Dale.", pt(2024, 3, 20, 9, 1), likes=9)]),
                   C(GUS, "Can you put an officer on Elm at 2nd? I'm at 1423 Elm, call me anytime 909-555-0143", pt(2024, 3, 20, 10, 12))]),
    dict(key="elm_open", t=pt(2024, 5, 24, 10, 0), media=["elm-crosswalk"], graph=True,
         caption="Elm Street is open again \U0001F389 New high-visibility crosswalks at 2nd, 3rd and 4th. Please slow down "
                 "and look for pedestrians. @RanchoVerdeCA #ElmStreet",
         comments=[C(BEA, "The new crosswalks are so much safer \U0001F64C", pt(2024, 5, 24, 10, 30), likes=5),
                   C(DEVON, "closed for 12 weeks and it looks great. worth it", pt(2024, 5, 24, 11, 2), likes=3)]),
    dict(key="heat24", t=pt(2024, 7, 10, 9, 0), media=["hot-car"], graph=True,
         caption="It's 112\u00b0F today. The inside of a car can hit 150\u00b0F in minutes. NEVER leave kids or pets in a parked "
                 "car. If you see one in distress, call 911. #HeatAdvisory #RVPD",
         comments=[C(NOOR, "Saw a dog in a car at the Vons on Foothill, called it in. Officers came in 5 minutes. Thank you!", pt(2024, 7, 10, 13, 0), likes=12),
                   C(SPAM2, "\U0001F4B0 $8,400 a week from home, ask me how \U0001F4B0", pt(2024, 7, 10, 13, 5), hidden=True)]),
    dict(key="nno24", t=pt(2024, 8, 7, 9, 0), media=["nno24-1", "nno24-2", "nno24-3", "nno24-4"], graph=True,
         caption="National Night Out 2024 was our biggest yet! 1,200 neighbors, 9 food trucks and one very good boy \U0001F415 #NNO2024",
         comments=[C(KEISHA, "Rocco is the best!!", pt(2024, 8, 7, 9, 30), likes=4),
                   C(SAM, "Where do I find the lost & found from the event? My son left his hoodie", pt(2024, 8, 7, 12, 0),
                     replies=[C(RVPD, "@sam.beltran.rv It's at the front desk of the Police Department, 100 Civic Center Plaza.", pt(2024, 8, 7, 13, 0))])]),
    dict(key="halloween", t=pt(2024, 10, 31, 15, 0), media=["halloween-2024"], graph=True,
         caption="Trick-or-treat safely \U0001F383 Wear something bright, carry a flashlight and stay on the sidewalk. Officers "
                 "will be handing out glow sticks on Elm Street tonight!",
         comments=[C(JAZ, "¡Gracias! Mis hijos aman los glow sticks", pt(2024, 10, 31, 16, 0), likes=2),
                   C(DALE, "Maybe spend less time on Instagram and more time on the break-ins on Sycamore. This is BS.", pt(2024, 10, 31, 17, 30), likes=5)]),
    dict(key="recruit", t=pt(2025, 2, 14, 10, 0), media=["recruiting-2025"], graph=True,
         caption="We're hiring! Police Officer Trainee and Community Service Officer positions are open. Apply by March 7 at "
                 "ranchoverde.example/jobs \U0001F46E #RVPD #NowHiring",
         comments=[C(TOM, "My nephew just applied!", pt(2025, 2, 14, 11, 0), likes=1)]),
    dict(key="coffee25", t=pt(2025, 5, 20, 8, 0), media=["coffee-cop-2025-1", "coffee-cop-2025-2"], graph=True,
         caption="Coffee with a Cop is TOMORROW at Café Olé on Elm, 8\u201310 AM \u2615\ufe0f Come say hi to Chief Alvarez and K9 Rocco.",
         comments=[C(NOOR, "What time does it end?", pt(2025, 5, 20, 9, 0), replies=[
             C(RVPD, "@noor.h.rv 10 AM, but Rocco usually leaves at 9:30 for his nap \U0001F634", pt(2025, 5, 20, 9, 20), likes=6)]),
             C(RENEE, "Can someone follow up on my report about the trucks on Elm? renee.fontaine@example.com", pt(2025, 5, 20, 10, 0))]),
]

IG_COMMENTS_ELSEWHERE = [  # comments @rvpd_official wrote on other accounts' posts
    ("rvlibrary", pt(2024, 6, 10, 11, 0), "See you at Summer Reading story time! \U0001F4DA\U0001F46E"),
    ("cafeoleonelm", pt(2025, 5, 21, 10, 30), "Thank you for hosting Coffee with a Cop again \u2615\ufe0f\u2764\ufe0f"),
]

IG_FOLLOWERS = [MARIA, TOM, PRIYA, GUS, LINH, BEA, RICK, JAZ, DEVON, NOOR, WALT, KEISHA, SAM, RENEE, THAO]
IG_FOLLOWING = ["rvlibrary", "cafeoleonelm", "ranchoverdecity", "rvfire"]


def _prepare_ig():
    rng = rng_for("ig-ids")
    posts = sorted(IG_POSTS, key=lambda p: p["t"])
    for p in posts:
        p.setdefault("graph", False)
        p.setdefault("comments", [])
        month = utc(p["t"]).strftime("%Y%m")
        p["files"] = []
        for label in p["media"]:
            mid = "179" + digits(rng, 14)
            p["files"].append(dict(label=label, mid=mid, uri=f"media/posts/{month}/{mid}.jpg"))
        p["gid"] = "18" + digits(rng, 15)
        p["ig_id"] = "33" + digits(rng, 17)
        p["shortcode"] = "C" + chars(rng, 10, ALNUM + "_-")
        p["likes"] = rng.randint(40, 900)

        def assign(cs):
            for c in cs:
                c.cid = "17" + digits(rng, 15)
                assign(c.replies)
        assign(p["comments"])
    return posts


def build_instagram_dyi(posts) -> Tree:
    tree = Tree()
    items = []
    for p in sorted(posts, key=lambda p: p["t"], reverse=True):
        media = []
        for i, f in enumerate(p["files"]):
            m = {"uri": f["uri"], "creation_timestamp": p["t"]}
            if i == 0 and len(p["files"]) == 1:
                m["media_metadata"] = {"camera_metadata": {"has_camera_metadata": False}}
            elif i == 0:
                m["media_metadata"] = {"photo_metadata": {"exif_data": [{"latitude": 34.0966, "longitude": -117.4522,
                                                                         "date_time_original": utc(p["t"] - 900).strftime("%Y:%m:%d %H:%M:%S"),
                                                                         "source_type": "library"}]}}
            m["title"] = p["caption"] if len(p["files"]) == 1 else ""
            m["cross_post_source"] = {"source_app": "FB"}
            m["backup_uri"] = f"https://scontent.cdninstagram.example/v/t51.29350-15/{f['mid']}_n.jpg"
            media.append(m)
            tree.add(f["uri"], jpeg(f"rv-ig-{f['label']}"))
        item = {"media": media}
        if len(p["files"]) > 1:  # carousel: caption and time at the top level
            item["title"] = p["caption"]
            item["creation_timestamp"] = p["t"] + 1
        items.append(item)
    tree.add("your_instagram_activity/media/posts_1.json", meta_json(items))

    comments = []
    for p in posts:
        for c in p["comments"]:
            for r in [c] + c.replies:
                if r.who is RVPD:
                    comments.append((r.t, r.text, IG_USERNAME, p["files"][0]["uri"]))
    for owner, t, text in IG_COMMENTS_ELSEWHERE:
        comments.append((t, text, owner, None))
    comments.sort(reverse=True)
    cj = []
    for i, (t, text, owner, uri) in enumerate(comments):
        if i % 3 == 2:  # same data with Spanish-language keys (see README: localized string_map_data keys)
            smd = {"Comentario": {"value": text}, "Dueño del contenido": {"value": owner}, "Hora": {"timestamp": t}}
        else:
            smd = {"Comment": {"value": text}, "Media Owner": {"value": owner}, "Time": {"timestamp": t}}
        item = {}
        if uri:
            item["media_list_data"] = [{"uri": uri}]
        item["string_map_data"] = smd
        cj.append(item)
    tree.add("your_instagram_activity/comments/post_comments_1.json", meta_json(cj))

    rng = rng_for("ig-followers")
    followers = []
    for f in IG_FOLLOWERS:
        t = pt(2023, 1, 1) + rng.randint(0, 900) * 86400 + rng.randint(0, 86399)
        followers.append((t, f.ig))
    followers.sort(reverse=True)
    tree.add("connections/followers_and_following/followers_1.json", meta_json(
        [{"title": "", "media_list_data": [], "string_list_data": [{"href": f"https://www.instagram.com/{u}", "value": u, "timestamp": t}]}
         for t, u in followers]))
    following = [{"title": u, "string_list_data": [{"href": f"https://www.instagram.com/_u/{u}", "timestamp": pt(2023, 1, 5) + i * 86400 * 40}]}
                 for i, u in enumerate(IG_FOLLOWING)]
    tree.add("connections/followers_and_following/following.json", meta_json({"relationships_following": following}))
    pic = "media/other/17900000000000001.jpg"
    tree.add(pic, jpeg("rv-ig-profile"))
    tree.add("personal_information/personal_information/personal_information.json", meta_json({"profile_user": [{
        "media_map_data": {"Profile Photo": {"uri": pic, "creation_timestamp": pt(2022, 11, 1, 9, 0), "title": ""}},
        "string_map_data": {
            "Email": {"href": "", "value": "socialmedia@ranchoverde.example", "timestamp": 0},
            "Phone Confirmed": {"href": "", "value": "False", "timestamp": 0},
            "Username": {"href": "", "value": IG_USERNAME, "timestamp": 0},
            "Name": {"href": "", "value": IG_NAME, "timestamp": 0},
            "Bio": {"href": "", "value": "Official account of the Rancho Verde Police Department \u00b7 Not monitored 24/7 \u00b7 "
                                         "Emergencies: call 911 \U0001F6A8", "timestamp": 0},
            "Website": {"href": "", "value": f"{CITY_SITE}/police", "timestamp": 0},
            "Private Account": {"href": "", "value": "False", "timestamp": 0},
        }, "title": ""}]}))
    return tree


IG_MEDIA_FIELDS = ("id,ig_id,caption,media_type,media_product_type,media_url,permalink,shortcode,timestamp,username,owner,"
                   "like_count,comments_count,is_comment_enabled,children{id,media_type,media_url,timestamp},"
                   "comments{id,text,timestamp,username,like_count,hidden,replies{id,text,timestamp,username,like_count,hidden,parent_id}}")


def build_ig_graph(posts, record):
    media = [p for p in sorted(posts, key=lambda p: p["t"], reverse=True) if p["graph"]]
    chunks = [media[i:i + 4] for i in range(0, len(media), 4)]
    base = f"{GRAPH}/{IG_USER_ID}/media?fields={_q(IG_MEDIA_FIELDS)}&limit=4"
    url = base
    for n, chunk in enumerate(chunks, 1):
        data = []
        for p in chunk:
            cdn = lambda f: f"https://scontent.cdninstagram.example/v/t51.29350-15/{f['mid']}_n.jpg?stp=dst-jpg_e35&_nc_ht=scontent.cdninstagram.example&oe=66B{f['mid'][-4:]}"
            d = {"id": p["gid"], "ig_id": p["ig_id"], "caption": p["caption"],
                 "media_type": "CAROUSEL_ALBUM" if len(p["files"]) > 1 else "IMAGE", "media_product_type": "FEED",
                 "media_url": cdn(p["files"][0]), "permalink": f"https://www.instagram.com/p/{p['shortcode']}/",
                 "shortcode": p["shortcode"], "timestamp": graph_time(p["t"]), "username": IG_USERNAME,
                 "owner": {"id": IG_USER_ID}, "like_count": p["likes"],
                 "comments_count": sum(1 + len(c.replies) for c in p["comments"]), "is_comment_enabled": True}
            if len(p["files"]) > 1:
                d["children"] = {"data": [{"id": f["mid"], "media_type": "IMAGE", "media_url": cdn(f), "timestamp": graph_time(p["t"])}
                                          for f in p["files"]]}
            if p["comments"]:
                cd = []
                for c in p["comments"]:
                    item = {"id": c.cid, "text": c.text, "timestamp": graph_time(c.t), "username": c.who.ig,
                            "like_count": c.likes, "hidden": c.hidden}
                    if c.replies:
                        item["replies"] = {"data": [{"id": r.cid, "text": r.text, "timestamp": graph_time(r.t), "username": r.who.ig,
                                                     "like_count": r.likes, "hidden": r.hidden, "parent_id": c.cid} for r in c.replies]}
                    cd.append(item)
                d["comments"] = {"data": cd}
            data.append(d)
        paging = {"cursors": {"before": _cursor(f"ig{n}b"), "after": _cursor(f"ig{n}a")}}
        next_url = f"{base}&after={_cursor(f'ig{n}a')}" if n < len(chunks) else None
        if n > 1:
            paging["previous"] = f"{base}&before={_cursor(f'ig{n}b')}"
        if next_url:
            paging["next"] = next_url
        record(f"{IG_USER_ID}/media/page-{n:03d}.json", url, {"data": data, "paging": paging})
        url = next_url


# ---------------------------------------------------------------------------------------------
# X: @RanchoVerdeCA archive
# ---------------------------------------------------------------------------------------------
X_USERS = {  # screen_name -> (display name, account id)
    "RanchoVerdeCA": (X_NAME, X_USER_ID),
    "RanchoVerdePD": ("Rancho Verde PD", "1500000000000000777"),
    "rvlibrary": ("RV Public Library", "1500000000000000555"),
    "cafeoleonelm": ("Café Olé on Elm", "1712000000000000123"),
    "mdelgado_rv": ("Maria Delgado", "333000222"),
    "linh_eats_rv": ("Linh Tran", "1299000000000000451"),
    "gus_whitlock": ("Gus Whitlock", "88812345"),
    "rickh_rv": ("Rick Halvorsen", "1401000000000000999"),
    "devonpark": ("Devon Park", "21354321"),
}
X_SOURCES = {
    "web": '<a href="https://mobile.twitter.com" rel="nofollow">Twitter Web App</a>',
    "hootsuite": '<a href="https://www.hootsuite.com" rel="nofollow">Hootsuite Inc.</a>',
    "iphone": '<a href="http://twitter.com/download/iphone" rel="nofollow">Twitter for iPhone</a>',
}

# text: unescaped; {u:URL} becomes a t.co link. reply: ("self", key) or (screen_name, their status id)
X_TWEETS = [
    dict(key="agenda23", t=pt(2023, 1, 12, 16, 5), src="hootsuite",
         text="City Council meets Tue 1/17 at 6 PM. On the agenda: Elm Street water main study & Los Olivos Park splash pad. "
              "Agenda: {u:" + CITY_SITE + "/council/agenda/2023-01-17}"),
    dict(key="splash", t=pt(2023, 5, 26, 11, 5), src="iphone", media=["splash-pad"],
         text="The Los Olivos Park splash pad is OPEN! 10 AM\u20137 PM daily through Labor Day \u2600\ufe0f #RanchoVerde"),
    dict(key="heat23", t=pt(2023, 7, 14, 8, 5), src="web",
         text="HEAT ADVISORY through Sunday: highs > 105\u00b0F. Cooling center at the Community Center, 10 AM\u20138 PM. "
              "Water, shade & check on neighbors. #HeatAdvisory"),
    dict(key="rt_nno", t=pt(2023, 8, 1, 16, 0), src="iphone", retweet="RanchoVerdePD", favs=0, rts=14,
         text="RT @RanchoVerdePD: National Night Out is TONIGHT at Los Olivos Park, 5\u20138 PM! Meet K9 Rocco, tour a fire engine and grab a free hot dog. Bring the whole\u2026"),
    dict(key="cafe", t=pt(2023, 10, 5, 14, 10), src="iphone", media=["cafe-ole-ribbon"],
         text="Welcome to Elm Street, @cafeoleonelm! Ribbon cutting today at Café Olé on Elm \u2615\ufe0f #ShopLocal"),
    dict(key="contract", t=pt(2024, 1, 23, 21, 35), src="web",
         text="Council approved the Elm Street Rehabilitation Project tonight: new water main, repaving & ADA ramps from 1st "
              "to 5th Ave. Construction Mar\u2013May 2024 with a full closure. FAQ: {u:" + CITY_SITE + "/elm-street} #ElmStreet"),
    dict(key="announce", t=pt(2024, 2, 20, 10, 2), src="hootsuite", media=["elm-detour-map.png", "elm-closure-sign"], favs=41, rts=37,
         text="\u26a0\ufe0f Elm Street closure starts Mon 3/4: Elm closed to through traffic from 1st to 5th Ave until late May. "
              "Detour via Foothill Blvd. Businesses & driveways stay open. #ElmStreet"),
    dict(key="announce2", t=pt(2024, 2, 20, 10, 4), src="hootsuite", reply=("self", "announce"),
         text="Crossing guards will be at 2nd & Elm on school days, and the Elm Street Elementary entrance on 3rd Ave stays "
              "open. Questions: elmstreet@ranchoverde.example #ElmStreet"),
    dict(key="reply_maria", t=pt(2024, 2, 20, 11, 35), src="web", reply=("mdelgado_rv", "1760000000000000001"),
         text="@mdelgado_rv Hi Maria \u2014 yes, drop-off on 3rd Ave is not affected by the closure. Thanks for asking!"),
    dict(key="closed_v1", t=pt(2024, 3, 4, 7, 2), src="iphone", edit_next="closed_v2",
         text="Elm Street is now CLOSED between 1st & 5th Ave. Use the Foothil Blvd detour & slow down in the work zone. #ElmStreet"),
    dict(key="closed_v2", t=pt(2024, 3, 4, 7, 9), src="iphone", edit_of="closed_v1", favs=22, rts=19,
         text="Elm Street is now CLOSED between 1st & 5th Ave. Use the Foothill Blvd detour & slow down in the work zone. #ElmStreet"),
    dict(key="reply_linh", t=pt(2024, 3, 4, 9, 33), src="web", reply=("linh_eats_rv", "1764702000000000007"),
         text="@linh_eats_rv Thanks Linh! Crews are adding another detour sign at 1st & Elm this afternoon."),
    dict(key="shop", t=pt(2024, 3, 18, 12, 5), src="hootsuite",
         text="Elm Street businesses are OPEN during the closure! Café Olé on Elm, Pho Saigon & Elm Street Books are waiting "
              "for you. Free 2-hr parking on 2nd Ave. #ShopElm #ElmStreet"),
    dict(key="weekend", t=pt(2024, 4, 2, 15, 5), src="web",
         text="This weekend (4/6\u20134/7) the Elm & 3rd Ave intersection is closed for the water main tie-in. Use 2nd Ave. "
              "Closures end by 6 AM Monday. #ElmStreet"),
    dict(key="recap", t=pt(2024, 4, 17, 9, 0), src="web", note=True, favs=9, rts=3,
         text="Council recap, April 16: Elm Street construction is 60% complete and on track to reopen the week of May 20, "
              "weather permitting. Water main installation is finished; the remaining work is curb ramps, repaving and "
              "striping. Council also approved the Elm Street Business Support Program (grants up to $5,000 for businesses "
              "in the work zone), heard the first FY 2024-25 budget workshop, and directed staff to add shade structures "
              "at Los Olivos Park before summer. Thank you to the 23 residents who spoke during public comment, in person "
              "and on Zoom. Full video on Rancho Verde TV. #ElmStreet #RVCouncil"),
    dict(key="nights", t=pt(2024, 5, 6, 16, 5), src="hootsuite",
         text="Night paving on Elm St May 7\u201310, 8\u201311 PM, so we can reopen on time. Expect noise & bright lights. "
              "Thank you for your patience! #ElmStreet"),
    dict(key="reply_gus", t=pt(2024, 5, 8, 8, 50), src="web", reply=("gus_whitlock", "1788200000000000003"),
         text="@gus_whitlock We're sorry, Gus. Night work must end at 11 PM under the permit; we've contacted the contractor."),
    dict(key="reopened", t=pt(2024, 5, 24, 9, 2), src="iphone", media=["elm-reopened-1", "elm-reopened-2", "elm-reopened-3"],
         favs=88, rts=41,
         text="Elm Street is OPEN! \U0001F389 New water main, smooth pavement, new crosswalks & ADA ramps. Thank you for your "
              "patience during 12 weeks of closures. #ElmStreet"),
    dict(key="reply_rick", t=pt(2024, 5, 24, 11, 20), src="web", reply=("rickh_rv", "1794051000000000002"),
         text="@rickh_rv @RanchoVerdePD Fair point, Rick. We'll share a full project report, including the schedule, at the June 11 council meeting."),
    dict(key="heat24", t=pt(2024, 7, 5, 8, 5), src="hootsuite",
         text="HEAT ADVISORY 7/5\u20137/9: highs > 110\u00b0F. Cooling centers: Community Center & Public Library, 10 AM\u20138 PM. "
              "Call 211 for a free ride. #HeatAdvisory"),
    dict(key="heat_sep", t=pt(2024, 9, 5, 7, 35), src="web", media=["heat-warning-2024"],
         text="EXCESSIVE HEAT WARNING through Monday: up to 115\u00b0F. Pools open late, cooling centers open until 9 PM. "
              "Never leave kids or pets in a car. #HeatAdvisory"),
    dict(key="budget", t=pt(2024, 10, 15, 9, 5), src="hootsuite",
         text="Mid-year budget public hearing: Tue 10/22, 6 PM. Staff report & written comment form: {u:" + CITY_SITE + "/budget/fy2025-midyear}"),
    dict(key="veterans", t=pt(2024, 11, 8, 12, 5), src="hootsuite",
         text="City offices are closed Mon 11/11 for Veterans Day. Trash pickup is not affected. Thank you to all who served \U0001F1FA\U0001F1F8"),
    dict(key="calendar25", t=pt(2025, 1, 10, 9, 5), src="web",
         text="The 2025 council calendar is posted: 2nd & 4th Tuesdays at 6 PM. {u:" + CITY_SITE + "/council/2025-calendar} @rvlibrary"),
    dict(key="survey", t=pt(2025, 2, 25, 10, 5), src="hootsuite",
         text="What should Rancho Verde parks look like in 2035? Take the Parks Master Plan survey (English/Español/Tiếng Việt) "
              "by 3/31: {u:" + CITY_SITE + "/parks/survey}"),
    dict(key="elm_year", t=pt(2025, 4, 8, 11, 5), src="iphone", media=["elm-one-year"],
         text="One year after the Elm Street closures: 14 new street trees, a weekly farmers market & zero water main breaks. #ElmStreet"),
    dict(key="heat25", t=pt(2025, 6, 17, 8, 5), src="hootsuite",
         text="Los Olivos pool opens Saturday! Cooling centers open whenever a heat advisory is issued. Sign up for RV Alerts: "
              "{u:" + CITY_SITE + "/alerts} #HeatAdvisory"),
]
X_DELETED = dict(key="wrongdate", t=pt(2024, 3, 3, 9, 0), src="hootsuite", deleted_at=pt(2024, 3, 3, 9, 20),
                 text="Reminder: the Elm Street closure starts TOMORROW, Tuesday March 5. Plan ahead! #ElmStreet")
X_LIKES = [
    ("@RanchoVerdeCA the new Elm St crosswalks are great, thank you! #ElmStreet", pt(2024, 5, 25, 9, 0)),
    ("Shoutout to the @RanchoVerdeCA crews working through the heat on the Elm Street closures \U0001F64F", pt(2024, 4, 30, 15, 0)),
    ("@RanchoVerdeCA @RanchoVerdePD thanks for a great National Night Out!", pt(2024, 8, 7, 21, 0)),
    ("Is Café Olé on Elm open during the closure? @RanchoVerdeCA", pt(2024, 3, 5, 8, 0)),
]
X_FOLLOWERS = ["333000222", "1299000000000000451", "88812345", "1401000000000000999", "21354321", "1500000000000000777",
               "1500000000000000555", "1712000000000000123", "1650000000000000321", "1601234567890123456", "987654321",
               "1355000000000000042", "1702000000000000888", "44556677"]
X_FOLLOWING = ["1500000000000000777", "1500000000000000555", "1712000000000000123", "1400111222333444555", "15000002"]


def _tco(rng) -> str:
    return "https://t.co/" + chars(rng, 10, ALNUM)


def _x_escape(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _prepare_x():
    rng = rng_for("x-ids")
    allt = sorted(X_TWEETS + [X_DELETED], key=lambda d: d["t"])
    by_key = {}
    for d in allt:
        d["ms"] = rng.randint(0, 999)
        d["id"] = snowflake(d["t"], rng, d["ms"])
        by_key[d["key"]] = d
    for d in allt:
        d["media_objs"] = []
        for i, m in enumerate(d.get("media", [])):
            ext = ".png" if m.endswith(".png") else ".jpg"
            label = m.removesuffix(".png")
            base = chars(rng, 15, ALNUM + "_-")
            d["media_objs"].append(dict(label=label, ext=ext, base=base, id=snowflake(d["t"] - 20, rng)))
    return allt, by_key


def _x_tweet(d, by_key, rng):
    text = d["text"]
    urls = []
    while "{u:" in text:  # replace {u:URL} by a t.co link
        a = text.index("{u:")
        b = text.index("}", a)
        url = text[a + 3:b]
        tco = _tco(rng)
        text = text[:a] + tco + text[b + 1:]
        urls.append((tco, url))
    note = d.get("note")
    if note:
        cut = text[:260].rsplit(" ", 1)[0]
        tco = _tco(rng)
        text = cut + "\u2026 " + tco
        urls.append((tco, f"https://twitter.com/i/web/status/{d['id']}"))
    media_tco = _tco(rng) if d["media_objs"] else None
    body_len = len(text)
    if media_tco:
        text = text + " " + media_tco
    start = 0
    if d.get("reply") and d["reply"][0] != "self":
        while text[start] == "@":
            start = text.index(" ", start) + 1
    ents = {"hashtags": [], "symbols": [], "user_mentions": [], "urls": []}
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in "#@" and (i == 0 or not text[i - 1].isalnum()):
            j = i + 1
            while j < len(text) and (text[j].isalnum() or text[j] == "_"):
                j += 1
            word = text[i + 1:j]
            if word and ch == "#":
                ents["hashtags"].append({"text": word, "indices": [str(i), str(j)]})
            elif word and word in X_USERS:
                name, uid = X_USERS[word]
                ents["user_mentions"].append({"name": name, "screen_name": word, "indices": [str(i), str(j)], "id_str": uid, "id": uid})
            i = j
        else:
            i += 1
    for tco, url in urls:
        a = text.index(tco)
        disp = url.split("://", 1)[1].removeprefix("www.")
        disp = disp if len(disp) <= 26 else disp[:25] + "\u2026"
        ents["urls"].append({"url": tco, "expanded_url": url, "display_url": disp, "indices": [str(a), str(a + len(tco))]})
    media_list = []
    for n, m in enumerate(d["media_objs"], 1):
        a = text.index(media_tco)
        murl = f"http://pbs.twimg.com/media/{m['base']}{m['ext']}"
        media_list.append({
            "expanded_url": f"https://twitter.com/{X_HANDLE}/status/{d['id']}/photo/{n}", "indices": [str(a), str(a + len(media_tco))],
            "url": media_tco, "media_url": murl, "id_str": m["id"], "id": m["id"], "media_url_https": murl.replace("http://", "https://"),
            "sizes": {"thumb": {"w": "150", "h": "150", "resize": "crop"}, "small": {"w": "680", "h": "510", "resize": "fit"},
                      "medium": {"w": "1200", "h": "900", "resize": "fit"}, "large": {"w": "2048", "h": "1536", "resize": "fit"}},
            "type": "photo", "display_url": f"pic.twitter.com/{media_tco.rsplit('/', 1)[1]}"})
    if media_list:
        ents["media"] = [dict(media_list[0])]
    tw = {}
    editable_until = iso_ms(d["t"] + 3600, d["ms"])
    if d.get("edit_of"):
        first = by_key[d["edit_of"]]
        ids = [first["id"], d["id"]]
        tw["edit_info"] = {"edit": {"initialTweetId": first["id"], "editControlInitial": {
            "editTweetIds": ids, "editableUntil": iso_ms(first["t"] + 3600, first["ms"]), "editsRemaining": "4", "isEditEligible": True}}}
    else:
        ids = [d["id"]] + ([by_key[d["edit_next"]]["id"]] if d.get("edit_next") else [])
        tw["edit_info"] = {"initial": {"editTweetIds": ids, "editableUntil": editable_until,
                                       "editsRemaining": "4" if d.get("edit_next") else "5", "isEditEligible": not d.get("retweet")}}
    tw["retweeted"] = False
    tw["source"] = X_SOURCES[d["src"]]
    tw["entities"] = ents
    tw["display_text_range"] = [str(start), str(body_len)]
    tw["favorite_count"] = str(d.get("favs", rng.randint(0, 25)))
    reply = d.get("reply")
    if reply:
        if reply[0] == "self":
            r_sid, r_uid, r_name = by_key[reply[1]]["id"], X_USER_ID, X_HANDLE
        else:
            r_sid, r_uid, r_name = reply[1], X_USERS[reply[0]][1], reply[0]
        tw["in_reply_to_status_id_str"] = r_sid
    tw["id_str"] = d["id"]
    if reply:
        tw["in_reply_to_user_id"] = r_uid
    tw["truncated"] = False
    tw["retweet_count"] = str(d.get("rts", rng.randint(0, 12)))
    tw["id"] = d["id"]
    if reply:
        tw["in_reply_to_status_id"] = r_sid
    if media_list or urls:
        tw["possibly_sensitive"] = False
    tw["created_at"] = x_created_at(d["t"])
    tw["favorited"] = False
    tw["full_text"] = _x_escape(text)
    tw["lang"] = "en"
    if reply:
        tw["in_reply_to_screen_name"] = r_name
        tw["in_reply_to_user_id_str"] = r_uid
    if media_list:
        tw["extended_entities"] = {"media": media_list}
    return {"tweet": tw}


def build_x_archive(allt, by_key) -> bytes:
    rng = rng_for("x-render")
    files = {}
    live = [d for d in allt if d is not X_DELETED]
    rendered = {d["key"]: _x_tweet(d, by_key, rng) for d in allt}
    newest_first = sorted(live, key=lambda d: d["t"], reverse=True)
    part0 = [rendered[d["key"]] for d in newest_first[:18]]
    part1 = [rendered[d["key"]] for d in newest_first[18:]]
    files["data/tweets.js"] = x_js("window.YTD.tweets.part0", part0)
    files["data/tweets-part1.js"] = x_js("window.YTD.tweets.part1", part1)
    files["data/deleted-tweets.js"] = x_js("window.YTD.deleted_tweets.part0", [rendered[X_DELETED["key"]]])
    for d in live:
        for m in d["media_objs"]:
            files[f"data/tweets_media/{d['id']}-{m['base']}{m['ext']}"] = image(f"rv-x-{m['label']}", m["ext"])
    note = next(d for d in live if d.get("note"))
    note_id = snowflake(note["t"], rng, note["ms"])
    files["data/note-tweet.js"] = x_js("window.YTD.note_tweet.part0", [{"noteTweet": {
        "noteTweetId": note_id, "createdAt": iso_ms(note["t"], note["ms"]), "updatedAt": iso_ms(note["t"], note["ms"]),
        "lifecycle": {"value": "0", "name": "Created"},
        "core": {"styletags": [], "urls": [], "text": note["text"], "mentions": [], "cashtags": [], "hashtags": []}}}])
    files["data/follower.js"] = x_js("window.YTD.follower.part0", [
        {"follower": {"accountId": a, "userLink": f"https://twitter.com/intent/user?user_id={a}"}} for a in X_FOLLOWERS])
    files["data/following.js"] = x_js("window.YTD.following.part0", [
        {"following": {"accountId": a, "userLink": f"https://twitter.com/intent/user?user_id={a}"}} for a in X_FOLLOWING])
    likes = []
    for text, t in X_LIKES:
        lid = snowflake(t, rng)
        likes.append({"like": {"tweetId": lid, "fullText": text, "expandedUrl": f"https://twitter.com/i/web/status/{lid}"}})
    files["data/like.js"] = x_js("window.YTD.like.part0", likes)
    created_ms = (int(X_USER_ID) >> 22) + TWITTER_EPOCH_MS
    files["data/account.js"] = x_js("window.YTD.account.part0", [{"account": {
        "email": "socialmedia@ranchoverde.example", "createdVia": "web", "username": X_HANDLE, "accountId": X_USER_ID,
        "createdAt": iso_ms(created_ms // 1000, created_ms % 1000), "accountDisplayName": X_NAME}}])
    files["data/profile.js"] = x_js("window.YTD.profile.part0", [{"profile": {
        "description": {"bio": "Official account of the City of Rancho Verde, California. Not monitored 24/7. Emergencies: 911.",
                        "website": "https://t.co/Rv0CitySite", "location": "Rancho Verde, CA"},
        "avatarMediaUrl": "https://pbs.twimg.com/profile_images/1500000000000000900/RvSeal_400x400.jpg",
        "headerMediaUrl": "https://pbs.twimg.com/profile_banners/1500000000000000001/1700000000"}}])
    files["data/README.txt"] = (
        "Twitter Archive\n\nThis archive contains your account information and activity.\n\n"
        "tweets.js\n- id: unique identifier of the Tweet.\n- created_at: date and time the Tweet was created.\n"
        "- full_text: the content of the Tweet.\n\nnote-tweet.js\n- noteTweetId: unique identifier of the long-form post.\n\n"
        "deleted-tweets.js\n- Tweets deleted recently, in the same format as tweets.js.\n\n"
        "follower.js / following.js\n- accountId: unique identifier of the account.\n").encode("utf-8")
    files["Your archive.html"] = (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Your archive</title></head>\n"
        "<body><noscript>Enable JavaScript to browse your archive.</noscript><script src=\"data/manifest.js\"></script></body></html>\n").encode()

    def f(name, glob, count):
        return {"fileName": name, "globalName": glob, "count": str(count)}
    manifest = {
        "userInfo": {"accountId": X_USER_ID, "userName": X_HANDLE, "displayName": X_NAME},
        "archiveInfo": {"sizeBytes": str(sum(len(v) for v in files.values())), "generationDate": iso_ms(pt(2025, 7, 1, 6, 46, 38), 82),
                        "isPartialArchive": False, "maxPartSizeBytes": "53687091200"},
        "readmeInfo": {"fileName": "data/README.txt", "directory": "data/", "name": "README.txt"},
        "dataTypes": {
            "account": {"files": [f("data/account.js", "YTD.account.part0", 1)]},
            "deletedTweets": {"mediaDirectory": "data/deleted_tweets_media", "files": [f("data/deleted-tweets.js", "YTD.deleted_tweets.part0", 1)]},
            "follower": {"files": [f("data/follower.js", "YTD.follower.part0", len(X_FOLLOWERS))]},
            "following": {"files": [f("data/following.js", "YTD.following.part0", len(X_FOLLOWING))]},
            "like": {"files": [f("data/like.js", "YTD.like.part0", len(likes))]},
            "noteTweet": {"files": [f("data/note-tweet.js", "YTD.note_tweet.part0", 1)]},
            "profile": {"mediaDirectory": "data/profile_media", "files": [f("data/profile.js", "YTD.profile.part0", 1)]},
            "tweets": {"mediaDirectory": "data/tweets_media", "files": [f("data/tweets.js", "YTD.tweets.part0", len(part0)),
                                                                        f("data/tweets-part1.js", "YTD.tweets.part1", len(part1))]},
        },
    }
    files["data/manifest.js"] = f"window.__THAR_CONFIG = {_xjson(manifest, 0)}".encode("utf-8")
    order = ["Your archive.html", "data/manifest.js", "data/README.txt"] + sorted(k for k in files if k not in
                                                                                  ("Your archive.html", "data/manifest.js", "data/README.txt"))
    return make_zip([(k, files[k]) for k in order])


# ---------------------------------------------------------------------------------------------
# YouTube: Rancho Verde TV
# ---------------------------------------------------------------------------------------------
class YP:  # a YouTube commenter
    def __init__(self, handle, channel_id):
        self.handle, self.channel_id = handle, channel_id


YT_CHANNEL = YP(YT_HANDLE, YT_CHANNEL_ID)
_yrng = rng_for("yt-people")
YT_PEOPLE = {k: YP(h, "UC" + chars(_yrng, 22)) for k, h in [
    ("maria", "@mariadelgado8841"), ("rick", "@rickhalvorsen"), ("tom", "@tomokafor"), ("bea", "@beacastellanos"),
    ("devon", "@devonpark_rv"), ("keisha", "@keishamonroe"), ("noor", "@noorhaddad"), ("priya", "@priyaraman"),
    ("dale", "@daleprentice2207"), ("gus", "@guswhitlock"), ("renee", "@reneefontaine"), ("walt", "@waltkimura"),
    ("jaz", "@jazminortega"), ("linh", "@linhtran.eats"), ("sam", "@sambeltran"),
    ("spam1", "@EarnFromHome-Official"), ("spam2", "@CoolAirDeals2024")]}


def Y(who, text, t, replies=(), likes=0, edited=None, total=None):
    c = C(YT_CHANNEL if who == "channel" else YT_PEOPLE[who], text, t, replies, likes=likes)
    c.edited, c.total = edited, total
    return c


YT_VIDEOS = [
    dict(key="cc_nov23", title="City Council Regular Meeting - November 14, 2023", t=pt(2023, 11, 14, 22, 30),
         pub=pt(2023, 11, 15, 9, 0), dur_ms=10921000, tags=["city council", "public meeting", "Rancho Verde"],
         desc="Regular meeting of the Rancho Verde City Council, November 14, 2023.\nAgenda: " + CITY_SITE + "/council/agenda/2023-11-14",
         views=412, likes=9, comments=[]),
    dict(key="elm_expect", title="Elm Street Rehabilitation Project: What to Expect", t=pt(2024, 2, 26, 16, 10),
         pub=pt(2024, 2, 27, 10, 0), dur_ms=252000, tags=["Elm Street", "road closure", "construction", "Rancho Verde"],
         desc="Public Works Director Anita Ochoa explains the Elm Street closure (March-May 2024), detours, and how "
              "businesses stay open.\n\nDetour map and FAQ: " + CITY_SITE + "/elm-street\n#ElmStreet",
         views=5210, likes=88, comments=[
             Y("maria", "Will the school drop-off on 3rd Ave be affected by the Elm Street closure?", pt(2024, 2, 27, 12, 4), likes=12,
               replies=[Y("channel", "Hi Maria! The 3rd Ave entrance stays open the whole time, and crossing guards will be at 2nd & Elm.",
                          pt(2024, 2, 27, 14, 30), likes=5)]),
             Y("rick", "Three months of closures is ridiculous. Who approved this?", pt(2024, 2, 27, 13, 0), likes=20, replies=[
                 Y("tom", "It was approved in January after two public hearings. The water main is from 1958.", pt(2024, 2, 27, 13, 40), likes=14),
                 Y("rick", "And nobody asked the businesses on Elm what a 3 month closure does to them.", pt(2024, 2, 27, 14, 2), likes=9),
                 Y("bea", "The Chamber did ask. There's a grant program, look it up.", pt(2024, 2, 27, 15, 10), likes=7),
                 Y("channel", "Council approved the project on January 23 after public hearings in December and January. The "
                              "Elm Street Business Support Program details are at " + CITY_SITE + "/elm-business",
                   pt(2024, 2, 27, 16, 0), likes=11),
                 Y("devon", "Closed for 3 months beats a water main break every winter.", pt(2024, 2, 28, 8, 0), likes=6),
                 Y("rick", "We'll see if it's really done by May.", pt(2024, 2, 28, 9, 30), likes=2),
                 Y("keisha", "@rickhalvorsen the detour on Foothill has been fine for me so far", pt(2024, 3, 6, 7, 45), likes=1),
             ], total=7),
             Y("spam1", "I made $5,000 last week working from home \U0001F4B0\U0001F4B0 check my channel!!!", pt(2024, 2, 27, 18, 0)),
             Y("noor", "Is Café Olé on Elm going to be accessible on foot during the closure?", pt(2024, 2, 28, 10, 0), likes=3,
               replies=[Y("channel", "Yes! Sidewalks stay open to every Elm Street business. Park on 2nd Ave and walk over \u2615",
                          pt(2024, 2, 28, 11, 15), likes=4)]),
         ]),
    dict(key="cc_apr24", title="City Council Regular Meeting - April 16, 2024", t=pt(2024, 4, 16, 22, 45),
         pub=pt(2024, 4, 17, 8, 0), dur_ms=13265000, tags=["city council", "public meeting", "Elm Street", "budget"],
         desc="Regular meeting of the Rancho Verde City Council, April 16, 2024.\n0:12:40 Public comment\n1:02:15 Elm Street "
              "construction update\n1:48:30 FY 2024-25 budget workshop\nAgenda: " + CITY_SITE + "/council/agenda/2024-04-16",
         views=1877, likes=31, comments=[
             Y("channel", "Timestamps:\n0:12:40 Public comment\n1:02:15 Elm Street construction update\n1:48:30 Budget workshop",
               pt(2024, 4, 17, 8, 5), likes=15),
             Y("priya", "Thank you for allowing Zoom public comment on the Elm Street item!", pt(2024, 4, 17, 9, 30), likes=4),
             Y("dale", "Council members look bored out of their minds. Typical.", pt(2024, 4, 17, 11, 0), likes=3),
             Y("gus", "At 0:25:10 I asked about the night work on Elm. Still waiting for a call back. 909-555-0143",
               pt(2024, 4, 17, 12, 20), likes=1),
             Y("renee", "The audio cuts out around 1:15:00", pt(2024, 4, 17, 13, 0), replies=[
                 Y("channel", "Thanks Renée \u2014 the room mic failed for about 90 seconds. Minutes are posted on the City website.",
                   pt(2024, 4, 17, 15, 0), likes=2)]),
             Y("walt", "who's the guy in the blue shirt at 2:01:00 lol", pt(2024, 4, 18, 19, 0)),
             Y("jaz", "¿Habrá subtítulos en español?", pt(2024, 4, 19, 8, 0), likes=2, replies=[
                 Y("channel", "¡Sí! Los subtítulos en español ya están disponibles (Configuración \u2192 Subtítulos).",
                   pt(2024, 4, 19, 10, 0), likes=1)]),
         ]),
    dict(key="ribbon", title="Elm Street Reopening Ribbon Cutting", t=pt(2024, 5, 28, 13, 0), pub=pt(2024, 5, 28, 15, 0),
         dur_ms=178000, tags=["Elm Street", "ribbon cutting", "Rancho Verde"],
         desc="Elm Street is open! Highlights from the May 24 ribbon cutting. #ElmStreet", views=2290, likes=64, comments=[
             Y("bea", "Congrats Rancho Verde! #ElmStreet", pt(2024, 5, 28, 15, 30), likes=5),
             Y("rick", "12 weeks of closures for a 3 minute ribbon cutting video. Great use of our money.", pt(2024, 5, 28, 16, 0), likes=4),
             Y("devon", "Great job @RanchoVerdeCA, Elm looks brand new", pt(2024, 5, 28, 17, 0), likes=2),
             Y("linh", "Elm looks amazing now. The crosswalks are so much better!", pt(2024, 5, 28, 18, 0), likes=3,
               edited=pt(2024, 5, 28, 18, 6)),
         ]),
    dict(key="heat_tips", title="Heat Safety Tips from Rancho Verde Fire", t=pt(2024, 7, 8, 9, 0), pub=pt(2024, 7, 8, 11, 0),
         dur_ms=105000, tags=["heat", "heat advisory", "safety", "Rancho Verde Fire"],
         desc="Battalion Chief Sam Oyelaran on staying safe in extreme heat. Cooling centers: " + CITY_SITE + "/heat #HeatAdvisory",
         views=980, likes=22, comments=[
             Y("keisha", "Sharing this with my mom's senior center \U0001F64F", pt(2024, 7, 8, 12, 0), likes=2),
             Y("spam2", "\U0001F525 Cheap AC units 50% OFF today only, call 909-555-0177 \U0001F525", pt(2024, 7, 8, 12, 30)),
         ]),
    dict(key="cc_jan25", title="City Council Regular Meeting - January 14, 2025", t=pt(2025, 1, 14, 22, 0), pub=pt(2025, 1, 15, 8, 0),
         dur_ms=8100000, tags=["city council", "public meeting", "parks"],
         desc="Regular meeting of the Rancho Verde City Council, January 14, 2025.", views=655, likes=12, comments=[
             Y("sam", "Pickleball courts please!!!", pt(2025, 1, 15, 9, 0), likes=8),
             Y("dale", "Another meeting, nothing changes. What a load of crap.", pt(2025, 1, 15, 10, 0), likes=1),
         ]),
    dict(key="audio_test", title="Council chambers audio test", t=pt(2025, 6, 20, 16, 0), pub=None, privacy="Private",
         dur_ms=62000, tags=[], desc="", views=0, likes=0, comments=[]),
]


def _prepare_yt():
    rng = rng_for("yt-ids")
    for v in YT_VIDEOS:
        v["id"] = chars(rng, 11)
        v.setdefault("privacy", "Public")
        for c in v["comments"]:
            c.cid = "Ug" + rng.choice("wxyz") + chars(rng, 16, ALNUM) + "4AaABAg"
            for r in c.replies:
                r.cid = c.cid + "." + ("A" if c.t > pt(2023, 6, 1) else "9") + chars(rng, 21, ALNUM + "-_")
    return YT_VIDEOS


def _yt_duration(ms: int) -> str:
    s = ms // 1000
    h, m, sec = s // 3600, s % 3600 // 60, s % 60
    return "PT" + (f"{h}H" if h else "") + (f"{m}M" if m else "") + (f"{sec}S" if sec else "")


def _yt_display(text: str, vid: str) -> str:
    """YouTube textDisplay: HTML-escaped, timestamps/URLs/hashtags linked, newlines as <br>."""
    s = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;").replace("'", "&#39;")

    def link(m):
        tok = m.group(0)
        if tok.startswith("https://"):
            return f'<a href="{tok}">{tok}</a>'
        if tok.startswith("#"):
            return f'<a href="https://www.youtube.com/hashtag/{tok[1:].lower()}">{tok}</a>'
        parts = [int(x) for x in tok.split(":")]
        return f'<a href="https://www.youtube.com/watch?v={vid}&amp;t={parts[0] * 3600 + parts[1] * 60 + parts[2]}">{tok}</a>'
    s = re.sub(r"https://[^\s<]+|(?<![\w:])\d{1,2}:\d{2}:\d{2}(?![\w:])|(?<![\w&])#\w+", link, s)
    return s.replace("\n", "<br>")


def _etag(seed: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha1(seed.encode()).digest()).decode().rstrip("=")[:27]


def _yt_comment(c, v, parent=None):
    sn = {"channelId": YT_CHANNEL_ID, "videoId": v["id"], "textDisplay": _yt_display(c.text, v["id"]), "textOriginal": c.text}
    if parent:
        sn["parentId"] = parent.cid
    sn.update({"authorDisplayName": c.who.handle,
               "authorProfileImageUrl": f"https://yt3.ggpht.example/ytc/{_etag(c.who.channel_id)[:20]}=s48-c-k-c0x00ffffff-no-rj",
               "authorChannelUrl": f"http://www.youtube.com/{c.who.handle}", "authorChannelId": {"value": c.who.channel_id},
               "canRate": True, "viewerRating": "none", "likeCount": c.likes,
               "publishedAt": iso_z(c.t), "updatedAt": iso_z(getattr(c, "edited", None) or c.t)})
    return {"kind": "youtube#comment", "etag": _etag("c" + c.cid), "id": c.cid, "snippet": sn}


def build_youtube_api(videos) -> Tree:
    tree = Tree()
    requests = []
    clock = [pt(2025, 7, 3, 10, 0)]
    api = "https://www.googleapis.com/youtube/v3"

    def record(path, url, body):
        clock[0] += 1
        tree.add(path, google_json(body))
        requests.append({"file": path, "method": "GET", "url": url, "status": 200,
                         "content_type": "application/json; charset=UTF-8", "fetched_at": iso_z(clock[0])})

    public = [v for v in videos if v["privacy"] == "Public"]
    uploads = "UU" + YT_CHANNEL_ID[2:]
    thumbs = lambda seed: {k: {"url": f"https://yt3.ggpht.example/{_etag(seed)[:24]}=s{w}-c-k-c0x00ffffff-no-rj", "width": w, "height": w}
                           for k, w in (("default", 88), ("medium", 240), ("high", 800))}
    record("channels/page-001.json", f"{api}/channels?part=snippet,contentDetails,statistics&id={YT_CHANNEL_ID}", {
        "kind": "youtube#channelListResponse", "etag": _etag("channels"), "pageInfo": {"totalResults": 1, "resultsPerPage": 5},
        "items": [{"kind": "youtube#channel", "etag": _etag("channel"), "id": YT_CHANNEL_ID, "snippet": {
            "title": YT_TITLE, "description": "Official channel of the City of Rancho Verde, California: council meetings, "
                                              "city news and public safety.", "customUrl": YT_HANDLE.lower(),
            "publishedAt": "2016-03-02T18:44:10Z", "thumbnails": thumbs("channel"),
            "localized": {"title": YT_TITLE, "description": "Official channel of the City of Rancho Verde, California: council "
                                                           "meetings, city news and public safety."}, "country": "US"},
            "contentDetails": {"relatedPlaylists": {"likes": "", "uploads": uploads}},
            "statistics": {"viewCount": "48213", "subscriberCount": "1290", "hiddenSubscriberCount": False,
                           "videoCount": str(len(public))}}]})
    newest = sorted(public, key=lambda v: v["pub"], reverse=True)
    record(f"playlistItems/{uploads}/page-001.json", f"{api}/playlistItems?part=contentDetails&playlistId={uploads}&maxResults=50", {
        "kind": "youtube#playlistItemListResponse", "etag": _etag("pli"),
        "items": [{"kind": "youtube#playlistItem", "etag": _etag("pli" + v["id"]),
                   "id": base64.b64encode(f"{uploads}.{v['id']}".encode()).decode().rstrip("="),
                   "contentDetails": {"videoId": v["id"], "videoPublishedAt": iso_z(v["pub"])}} for v in newest],
        "pageInfo": {"totalResults": len(newest), "resultsPerPage": 50}})
    items = []
    for v in newest:
        n_comments = sum(1 + (c.total or len(c.replies)) for c in v["comments"])
        items.append({"kind": "youtube#video", "etag": _etag("v" + v["id"]), "id": v["id"], "snippet": {
            "publishedAt": iso_z(v["pub"]), "channelId": YT_CHANNEL_ID, "title": v["title"], "description": v["desc"],
            "thumbnails": {k: {"url": f"https://i.ytimg.example/vi/{v['id']}/{n}.jpg", "width": w, "height": h}
                           for k, n, w, h in (("default", "default", 120, 90), ("medium", "mqdefault", 320, 180),
                                              ("high", "hqdefault", 480, 360), ("standard", "sddefault", 640, 480),
                                              ("maxres", "maxresdefault", 1280, 720))},
            "channelTitle": YT_TITLE, "tags": v["tags"], "categoryId": "25", "liveBroadcastContent": "none",
            "defaultLanguage": "en", "localized": {"title": v["title"], "description": v["desc"]}, "defaultAudioLanguage": "en"},
            "contentDetails": {"duration": _yt_duration(v["dur_ms"]), "dimension": "2d", "definition": "hd",
                               "caption": "true" if v["key"].startswith("cc_") else "false", "licensedContent": False,
                               "contentRating": {}, "projection": "rectangular"},
            "status": {"uploadStatus": "processed", "privacyStatus": "public", "license": "youtube", "embeddable": True,
                       "publicStatsViewable": True, "madeForKids": False},
            "statistics": {"viewCount": str(v["views"]), "likeCount": str(v["likes"]), "favoriteCount": "0",
                           "commentCount": str(n_comments)}})
    record("videos/page-001.json", f"{api}/videos?part=snippet,contentDetails,status,statistics&id=" + ",".join(v["id"] for v in newest),
           {"kind": "youtube#videoListResponse", "etag": _etag("videos"), "items": items,
            "pageInfo": {"totalResults": len(items), "resultsPerPage": len(items)}})
    for v in newest:
        threads = sorted(v["comments"], key=lambda c: c.t, reverse=True)  # order=time: newest first
        per = 5
        pages = [threads[i:i + per] for i in range(0, len(threads), per)] or [[]]
        base = f"{api}/commentThreads?part=snippet,replies&videoId={v['id']}&maxResults={per}&order=time&textFormat=html"
        url = base
        for n, chunk in enumerate(pages, 1):
            body = {"kind": "youtube#commentThreadListResponse", "etag": _etag(f"ct{v['id']}{n}")}
            token = "QURTSl9p" + _etag(f"tok{v['id']}{n}")[:30] if n < len(pages) else None
            if token:
                body["nextPageToken"] = token
            body["pageInfo"] = {"totalResults": len(chunk), "resultsPerPage": per}
            body["items"] = []
            for c in chunk:
                total = c.total or len(c.replies)
                th = {"kind": "youtube#commentThread", "etag": _etag("t" + c.cid), "id": c.cid, "snippet": {
                    "channelId": YT_CHANNEL_ID, "videoId": v["id"], "topLevelComment": _yt_comment(c, v),
                    "canReply": True, "totalReplyCount": total, "isPublic": True}}
                if c.replies:
                    th["replies"] = {"comments": [_yt_comment(r, v, c) for r in c.replies[:5]]}
                body["items"].append(th)
            record(f"commentThreads/{v['id']}/page-{n:03d}.json", url, body)
            url = f"{base}&pageToken={token}" if token else None
        for c in threads:
            if (c.total or 0) > 5:  # replies were truncated in the thread: fetch them all
                record(f"comments/{c.cid}/page-001.json",
                       f"{api}/comments?part=snippet&parentId={c.cid}&maxResults=100&textFormat=html",
                       {"kind": "youtube#commentListResponse", "etag": _etag("cl" + c.cid),
                        "pageInfo": {"totalResults": len(c.replies), "resultsPerPage": 100},
                        "items": [_yt_comment(r, v, c) for r in c.replies]})
    manifest = {"capture": "YouTube Data API v3 responses, one raw response body per file",
                "accounts": [{"platform": "youtube", "channel_id": YT_CHANNEL_ID, "handle": YT_HANDLE, "title": YT_TITLE}],
                "note": "key= and access_token query parameters were removed from every URL before saving",
                "requests": requests}
    tree.add("manifest.json", plain_json(manifest))
    return tree


YT_EXTRA_OWN_COMMENTS = [  # the channel's comments on videos of other channels (Takeout only)
    ("UCrvLibrary000000000001x", "vLibStory01", pt(2024, 6, 10, 17, 0), "Great turnout for Summer Reading! \U0001F4DA"),
]


def _takeout_segments(text: str, vid: str) -> list[dict]:
    """Split a comment into Takeout 'Comment Text' segments (text / link / videoLink)."""
    segs, pos = [], 0
    for m in re.finditer(r"https://\S+|(?<![\w:])\d{1,2}:\d{2}:\d{2}(?![\w:])|\n", text):
        if m.start() > pos:
            segs.append({"text": text[pos:m.start()]})
        tok = m.group(0)
        if tok == "\n":
            segs.append({"text": "\n"})
        elif tok.startswith("https://"):
            segs.append({"text": tok, "link": {"linkUrl": tok}})
        else:
            h, mi, s = (int(x) for x in tok.split(":"))
            segs.append({"text": tok, "videoLink": {"externalVideoId": vid, "startTimeSeconds": h * 3600 + mi * 60 + s}})
        pos = m.end()
    if pos < len(text):
        segs.append({"text": text[pos:]})
    return segs


def _csv_bytes(rows, trailing_blank=True) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerows(rows)
    return (buf.getvalue() + ("\n" if trailing_blank else "")).encode("utf-8")


def build_youtube_takeout(videos) -> Tree:
    tree = Tree()
    base = "Takeout/YouTube and YouTube Music"
    rng = rng_for("yt-takeout")
    header = ["Video ID", "Approx Duration (ms)", "Video Audio Language", "Video Category", "Video Description (Original)",
              "Channel ID"] + [f"Tag {i}" for i in range(1, 11)] + ["Video Title (Original)", "Privacy", "Video State",
                                                                    "Video Create Timestamp", "Video Publish Timestamp"]
    rows = [header]
    for v in videos:
        tags = (v["tags"] + [""] * 10)[:10]
        rows.append([v["id"], str(v["dur_ms"]), "en" if v["privacy"] == "Public" else "", "News & Politics", v["desc"], YT_CHANNEL_ID]
                    + tags + [v["title"], v["privacy"], "", takeout_ts_s(v["t"]), takeout_ts_s(v["pub"]) if v["pub"] else ""])
    tree.add(f"{base}/video metadata/videos.csv", _csv_bytes(rows))
    tree.add(f"{base}/channels/channel.csv", _csv_bytes([
        ["Channel ID", "Channel Country", "Channel Description (Original)", "Channel Title (Original)", "Channel Visibility"],
        [YT_CHANNEL_ID, "US", "Official channel of the City of Rancho Verde, California: council meetings, city news and public safety.",
         YT_TITLE, "Public"]]))
    own = []
    for v in videos:
        for c in v["comments"]:
            for r in [c] + c.replies:
                if r.who is YT_CHANNEL:
                    parent = c.cid if r is not c else ""
                    own.append((r.t, r.cid, parent, v["id"], r.text))
    for chan, vid, t, text in YT_EXTRA_OWN_COMMENTS:
        own.append((t, "Ugz" + chars(rng, 16, ALNUM) + "4AaABAg", "", vid, text))
    own.sort()
    rows = [["Channel ID", "Comment Create Timestamp", "Price", "Comment ID", "Parent Comment ID", "Video ID", "Comment Text"]]
    for t, cid, parent, vid, text in own:
        segs = _takeout_segments(text, vid)
        ctext = ",".join(json.dumps(s, ensure_ascii=False, separators=(",", ":")) for s in segs)
        rows.append([YT_CHANNEL_ID, takeout_ts(t, rng.randint(0, 999999)), "0", cid, parent, vid, ctext])
    tree.add(f"{base}/comments/comments.csv", _csv_bytes(rows))
    return tree


# ---------------------------------------------------------------------------------------------
# Bluesky: DAG-CBOR, CIDv1, Merkle Search Tree, CARv1
# ---------------------------------------------------------------------------------------------
CODEC_DAG_CBOR, CODEC_RAW = 0x71, 0x55


def varint(n: int) -> bytes:
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def read_varint(buf: bytes, pos: int) -> tuple[int, int]:
    n = shift = 0
    while True:
        b = buf[pos]
        pos += 1
        n |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return n, pos


class CID:
    """CIDv1 with a sha2-256 multihash."""

    def __init__(self, codec: int, digest: bytes):
        self.codec, self.digest = codec, digest

    @classmethod
    def of(cls, data: bytes, codec: int = CODEC_DAG_CBOR) -> "CID":
        return cls(codec, hashlib.sha256(data).digest())

    @property
    def bytes(self) -> bytes:
        return b"\x01" + varint(self.codec) + b"\x12\x20" + self.digest

    @classmethod
    def from_bytes(cls, b: bytes) -> tuple["CID", int]:
        version, pos = read_varint(b, 0)
        assert version == 1, "only CIDv1"
        codec, pos = read_varint(b, pos)
        mh, pos = read_varint(b, pos)
        ln, pos = read_varint(b, pos)
        assert mh == 0x12 and ln == 32, "only sha2-256"
        return cls(codec, b[pos:pos + 32]), pos + 32

    def __str__(self) -> str:
        return "b" + base64.b32encode(self.bytes).decode().lower().rstrip("=")

    def __repr__(self) -> str:
        return f"CID({self})"

    def __eq__(self, other) -> bool:
        return isinstance(other, CID) and self.bytes == other.bytes

    def __hash__(self) -> int:
        return hash(self.bytes)


def _head(major: int, n: int) -> bytes:
    if n < 24:
        return bytes([major << 5 | n])
    if n < 0x100:
        return bytes([major << 5 | 24, n])
    if n < 0x10000:
        return bytes([major << 5 | 25]) + struct.pack(">H", n)
    if n < 0x100000000:
        return bytes([major << 5 | 26]) + struct.pack(">I", n)
    return bytes([major << 5 | 27]) + struct.pack(">Q", n)


def dag_cbor(o) -> bytes:
    """Canonical DAG-CBOR: minimal heads, map keys sorted length-first then bytewise, CIDs as tag 42."""
    if o is None:
        return b"\xf6"
    if o is True:
        return b"\xf5"
    if o is False:
        return b"\xf4"
    if isinstance(o, int):
        return _head(0, o) if o >= 0 else _head(1, -1 - o)
    if isinstance(o, bytes):
        return _head(2, len(o)) + o
    if isinstance(o, str):
        b = o.encode("utf-8")
        return _head(3, len(b)) + b
    if isinstance(o, list):
        return _head(4, len(o)) + b"".join(dag_cbor(v) for v in o)
    if isinstance(o, dict):
        keys = sorted(o, key=lambda k: (len(k.encode("utf-8")), k.encode("utf-8")))
        return _head(5, len(o)) + b"".join(dag_cbor(k) + dag_cbor(o[k]) for k in keys)
    if isinstance(o, CID):
        b = b"\x00" + o.bytes
        return b"\xd8\x2a" + _head(2, len(b)) + b
    raise TypeError(f"not encodable in atproto DAG-CBOR: {type(o).__name__}")


def dag_cbor_decode(buf: bytes, pos: int = 0):
    """Decode one DAG-CBOR item; returns (value, next position)."""
    ib = buf[pos]
    major, info = ib >> 5, ib & 31
    pos += 1
    if major == 7:
        return {20: False, 21: True, 22: None}[info], pos
    if info < 24:
        n = info
    else:
        size = {24: 1, 25: 2, 26: 4, 27: 8}[info]
        n = int.from_bytes(buf[pos:pos + size], "big")
        pos += size
    if major == 0:
        return n, pos
    if major == 1:
        return -1 - n, pos
    if major == 2:
        return bytes(buf[pos:pos + n]), pos + n
    if major == 3:
        return buf[pos:pos + n].decode("utf-8"), pos + n
    if major == 4:
        out = []
        for _ in range(n):
            v, pos = dag_cbor_decode(buf, pos)
            out.append(v)
        return out, pos
    if major == 5:
        out = {}
        for _ in range(n):
            k, pos = dag_cbor_decode(buf, pos)
            v, pos = dag_cbor_decode(buf, pos)
            out[k] = v
        return out, pos
    if major == 6:
        assert n == 42, f"unexpected tag {n}"
        b, pos = dag_cbor_decode(buf, pos)
        assert b[0] == 0
        return CID.from_bytes(b[1:])[0], pos
    raise ValueError(f"bad CBOR major type {major}")


def mst_layer(key: bytes) -> int:
    """Number of leading zero bit-pairs of sha256(key) (atproto fanout 4)."""
    n = 0
    for b in hashlib.sha256(key).digest():
        if b == 0:
            n += 4
            continue
        n += (b < 64) + (b < 16) + (b < 4)
        break
    return n


def build_mst(items: list[tuple[bytes, CID]], blocks: dict) -> CID:
    """Build the MST for sorted (key, value CID) items; store node blocks; return the root CID."""

    def build(sub, layer):
        entries, left, pending = [], None, []
        for k, v in sub:
            if mst_layer(k) == layer:
                t = build(pending, layer - 1) if pending else None
                if entries:
                    entries[-1]["t"] = t
                else:
                    left = t
                entries.append({"k": k, "v": v, "t": None})
                pending = []
            else:
                pending.append((k, v))
        if pending:
            t = build(pending, layer - 1)
            if entries:
                entries[-1]["t"] = t
            else:
                left = t
        prev, e = b"", []
        for ent in entries:
            k = ent["k"]
            p = 0
            while p < min(len(prev), len(k)) and prev[p] == k[p]:
                p += 1
            e.append({"k": k[p:], "p": p, "t": ent["t"], "v": ent["v"]})
            prev = k
        data = dag_cbor({"e": e, "l": left})
        cid = CID.of(data)
        blocks[cid] = data
        return cid

    items = sorted(items)
    return build(items, max(mst_layer(k) for k, _ in items))


def walk_mst(root: CID, blocks: dict, layer: int | None = None, out=None) -> list[tuple[str, CID]]:
    """Walk an MST in key order; checks ordering and layer rules; returns [(key, record CID)]."""
    out = [] if out is None else out
    node, end = dag_cbor_decode(blocks[root])
    assert end == len(blocks[root])
    if node["l"] is not None:
        walk_mst(node["l"], blocks, None if layer is None else layer - 1, out)
    prev = b""
    for e in node["e"]:
        key = prev[:e["p"]] + e["k"]
        prev = key
        lay = mst_layer(key)
        if layer is None:
            layer = lay
        assert lay == layer, "key on wrong MST layer"
        assert not out or out[-1][0] < key.decode(), "MST keys out of order"
        out.append((key.decode(), e["v"]))
        if e["t"] is not None:
            walk_mst(e["t"], blocks, layer - 1, out)
    return out


def write_car(roots: list[CID], blocks: list[tuple[CID, bytes]]) -> bytes:
    header = dag_cbor({"roots": roots, "version": 1})
    out = bytearray(varint(len(header)) + header)
    for cid, data in blocks:
        cb = cid.bytes
        out += varint(len(cb) + len(data)) + cb + data
    return bytes(out)


def read_car(buf: bytes) -> tuple[list[CID], dict]:
    n, pos = read_varint(buf, 0)
    header, _ = dag_cbor_decode(buf[pos:pos + n])
    assert header["version"] == 1
    pos += n
    blocks = {}
    while pos < len(buf):
        n, pos = read_varint(buf, pos)
        cid, clen = CID.from_bytes(buf[pos:pos + n])
        data = buf[pos + clen:pos + n]
        assert CID.of(data, cid.codec) == cid, "block hash mismatch"
        blocks[cid] = data
        pos += n
    return header["roots"], blocks


def _bsky_did(rng) -> str:
    return "did:plc:" + chars(rng, 24, "abcdefghijklmnopqrstuvwxyz234567")


def _facets(text: str, specs) -> list[dict]:
    """specs: (substring, feature dict). Byte offsets are UTF-8 byte positions, as the lexicon requires."""
    out, b = [], text.encode("utf-8")
    for sub, feature in specs:
        start = b.index(sub.encode("utf-8"))
        out.append({"features": [feature],
                    "index": {"byteEnd": start + len(sub.encode("utf-8")), "byteStart": start}})
    return out


def build_bluesky_car() -> tuple[bytes, dict]:
    rng = rng_for("bsky")
    residents = {h: _bsky_did(rng) for h in ["mdelgado.bsky.social", "rickhalvorsen.bsky.social", "linh-eats.bsky.social",
                                              "rvlibrary.bsky.social", "beacastellanos.bsky.social", "ranchoverdenews.bsky.social"]}
    fake_cid = lambda seed: str(CID.of(seed.encode()))
    records: dict[str, dict] = {}
    me = BSKY_DID

    def blob(label, mime="image/jpeg", size=None):
        data = jpeg(label)
        return {"$type": "blob", "ref": CID.of(data, CODEC_RAW), "mimeType": mime, "size": size or 180000 + len(data) * 97}

    def post(t, text, facets=(), reply=None, embed=None, langs=("en",), micros=0):
        rkey = tid(t, micros)
        r = {"$type": "app.bsky.feed.post", "text": text, "createdAt": iso_ms(t, micros // 1000), "langs": list(langs)}
        if facets:
            r["facets"] = _facets(text, facets)
        if reply:
            r["reply"] = reply
        if embed:
            r["embed"] = embed
        records[f"app.bsky.feed.post/{rkey}"] = r
        return rkey

    def ref(rkey, did=me):
        if did == me:
            return {"cid": str(CID.of(dag_cbor(records[f"app.bsky.feed.post/{rkey}"]))), "uri": f"at://{me}/app.bsky.feed.post/{rkey}"}
        return {"cid": fake_cid(did + rkey), "uri": f"at://{did}/app.bsky.feed.post/{rkey}"}

    tag = lambda t: {"$type": "app.bsky.richtext.facet#tag", "tag": t}
    link = lambda u: {"$type": "app.bsky.richtext.facet#link", "uri": u}
    mention = lambda h: {"$type": "app.bsky.richtext.facet#mention", "did": residents[h]}

    records["app.bsky.actor.profile/self"] = {
        "$type": "app.bsky.actor.profile", "displayName": BSKY_NAME,
        "description": "Rancho Verde City Council, District 2. Parks, safe streets, open government. Personal account; "
                       "official City news at ranchoverde.example. Views my own.",
        "avatar": blob("bsky-avatar"), "banner": blob("bsky-banner"), "createdAt": iso_ms(pt(2023, 9, 18, 20, 0))}
    p1 = post(pt(2023, 9, 20, 18, 30), "Hello Bluesky! I'm Dana Whitfield, your District 2 councilmember in Rancho Verde. "
              "I'll post council previews and recaps here. #RanchoVerde", [("#RanchoVerde", tag("RanchoVerde"))], micros=120000)
    p2 = post(pt(2024, 1, 23, 22, 5), "Council just approved the Elm Street rehab: new water main, repaving, ADA ramps. Elm will "
              "be closed March\u2013May. It's a pain, but that pipe is from 1958. FAQ: ranchoverde.example/elm-street #ElmStreet",
              [("ranchoverde.example/elm-street", link(f"{CITY_SITE}/elm-street")), ("#ElmStreet", tag("ElmStreet"))], micros=431000)
    post(pt(2024, 1, 23, 22, 9), "Thanks to everyone who spoke tonight, especially the Elm Street business owners. We heard "
         "you: staff is bringing back a business support grant program in February.", reply={"root": ref(p2), "parent": ref(p2)}, micros=9000)
    p4 = post(pt(2024, 3, 4, 8, 15), "Day 1 of the Elm Street closure. Detour signs are up on Foothill. If something is confusing "
              "tell me and I'll pass it to Public Works \U0001F6A7 #ElmStreet", [("#ElmStreet", tag("ElmStreet"))],
              embed={"$type": "app.bsky.embed.images", "images": [
                  {"alt": "Orange detour signs at Elm Street and 1st Avenue", "aspectRatio": {"height": 1536, "width": 2048},
                   "image": blob("bsky-elm-detour")}]}, micros=77000)
    resident_post = tid(pt(2024, 3, 4, 9, 0), 5000)
    post(pt(2024, 3, 4, 9, 40), "@linh-eats.bsky.social thank you! Sent to Public Works, another sign goes up at 1st & Elm this afternoon.",
         [("@linh-eats.bsky.social", mention("linh-eats.bsky.social"))],
         reply={"root": ref(p4), "parent": ref(resident_post, residents["linh-eats.bsky.social"])}, micros=230000)
    post(pt(2024, 3, 18, 12, 30), "Lunch at Café Olé on Elm today \u2615 Every Elm business is open during the closure, and "
         "they need us. #ShopElm #ElmStreet", [("#ShopElm", tag("ShopElm")), ("#ElmStreet", tag("ElmStreet"))], micros=5000,
         embed={"$type": "app.bsky.embed.images", "images": [
             {"alt": "Café de olla in a clay mug on a table at Café Olé", "aspectRatio": {"height": 2048, "width": 1536},
              "image": blob("bsky-cafe-ole")}]})
    p7 = post(pt(2024, 4, 16, 23, 50), "Council recap: Elm Street is 60% done and on track for late May. We approved grants up to "
              "$5,000 for Elm businesses. Full video: youtube.com/@RanchoVerdeTV",
              [("youtube.com/@RanchoVerdeTV", link("https://www.youtube.com/@RanchoVerdeTV"))],
              embed={"$type": "app.bsky.embed.external", "external": {
                  "uri": f"{CITY_SITE}/elm-business", "title": "Elm Street Business Support Program",
                  "description": "Grants of up to $5,000 for businesses in the Elm Street work zone.", "thumb": blob("bsky-grant-thumb")}},
              micros=880000)
    rick_post = tid(pt(2024, 4, 17, 7, 0), 1000)
    post(pt(2024, 4, 17, 8, 10), "@rickhalvorsen.bsky.social I hear you. Applications open May 1, and I'll walk Elm with "
         "anyone who wants to show me the impact. My office line is on the city site.",
         [("@rickhalvorsen.bsky.social", mention("rickhalvorsen.bsky.social"))],
         reply={"root": ref(p7), "parent": ref(rick_post, residents["rickhalvorsen.bsky.social"])}, micros=14000)
    p9 = post(pt(2024, 5, 24, 9, 30), "ELM STREET IS OPEN \U0001F389 Thank you neighbors for 12 weeks of patience with the closures. "
              "#ElmStreet", [("#ElmStreet", tag("ElmStreet"))], micros=300000,
              embed={"$type": "app.bsky.embed.images", "images": [
                  {"alt": "Freshly paved Elm Street with new crosswalk stripes", "aspectRatio": {"height": 1536, "width": 2048},
                   "image": blob("bsky-elm-open-1")},
                  {"alt": "Ribbon cutting with council members and Elm business owners", "aspectRatio": {"height": 1536, "width": 2048},
                   "image": blob("bsky-elm-open-2")}]})
    post(pt(2024, 7, 5, 8, 30), "Heat advisory through Tuesday, up to 112\u00b0F. Cooling centers at the Community Center and "
         "Library, 10\u20138. Please check on older neighbors. #HeatAdvisory", [("#HeatAdvisory", tag("HeatAdvisory"))], micros=1000)
    post(pt(2024, 7, 5, 8, 32), "Also: Vista del Sol residents without AC, call 211 for a free ride to a cooling center.",
         reply={"root": ref(tid(pt(2024, 7, 5, 8, 30), 1000)), "parent": ref(tid(pt(2024, 7, 5, 8, 30), 1000))}, micros=2000)
    library_post = tid(pt(2025, 1, 8, 10, 0), 3000)
    post(pt(2025, 1, 8, 12, 0), "Love this. See you at Summer Reading kickoff! @rvlibrary.bsky.social",
         [("@rvlibrary.bsky.social", mention("rvlibrary.bsky.social"))],
         embed={"$type": "app.bsky.embed.record", "record": ref(library_post, residents["rvlibrary.bsky.social"])}, micros=40000)
    post(pt(2025, 4, 8, 18, 0), "One year after the Elm Street closure: 14 new street trees and a Saturday farmers market. "
         "Worth the wait. #ElmStreet", [("#ElmStreet", tag("ElmStreet"))], micros=60000)
    post(pt(2025, 6, 17, 21, 0), "Tonight I voted yes on the Parks Master Plan. Shade first, then courts (yes, pickleball too). "
         "Recap thread tomorrow.", micros=90000)
    # other collections held in the council member's own repo
    for i, (h, t) in enumerate([("mdelgado.bsky.social", pt(2023, 9, 20, 19, 0)), ("rvlibrary.bsky.social", pt(2023, 9, 21, 9, 0)),
                                ("ranchoverdenews.bsky.social", pt(2023, 9, 21, 9, 5)), ("beacastellanos.bsky.social", pt(2024, 3, 18, 13, 0))]):
        records[f"app.bsky.graph.follow/{tid(t, i)}"] = {"$type": "app.bsky.graph.follow", "subject": residents[h], "createdAt": iso_ms(t)}
    for i, (h, t) in enumerate([("linh-eats.bsky.social", pt(2024, 3, 4, 9, 41)), ("mdelgado.bsky.social", pt(2024, 5, 24, 10, 0)),
                                ("rvlibrary.bsky.social", pt(2025, 1, 8, 12, 1))]):
        subj = tid(t - 600, 777)
        records[f"app.bsky.feed.like/{tid(t, i)}"] = {"$type": "app.bsky.feed.like", "subject": ref(subj, residents[h]), "createdAt": iso_ms(t)}
    rt = pt(2024, 5, 24, 9, 45)
    records[f"app.bsky.feed.repost/{tid(rt)}"] = {"$type": "app.bsky.feed.repost",
                                                  "subject": ref(tid(rt - 1200, 42), residents["ranchoverdenews.bsky.social"]),
                                                  "createdAt": iso_ms(rt)}
    records[f"app.bsky.feed.threadgate/{p7}"] = {"$type": "app.bsky.feed.threadgate", "post": f"at://{me}/app.bsky.feed.post/{p7}",
                                                 "allow": [{"$type": "app.bsky.feed.threadgate#followingRule"},
                                                           {"$type": "app.bsky.feed.threadgate#mentionRule"}],
                                                 "createdAt": iso_ms(pt(2024, 4, 16, 23, 51))}

    blocks: dict[CID, bytes] = {}
    rec_blocks = []
    items = []
    for path in sorted(records):
        data = dag_cbor(records[path])
        cid = CID.of(data)
        rec_blocks.append((cid, data))
        items.append((path.encode(), cid))
    mst_blocks: dict[CID, bytes] = {}
    root = build_mst(items, mst_blocks)
    rev = tid(pt(2025, 7, 3, 10, 30), 0, clock=12)
    unsigned = {"did": me, "version": 3, "data": root, "rev": rev, "prev": None}
    sig = hashlib.sha512(b"fake-signature:" + dag_cbor(unsigned)).digest()  # 64 bytes, not a real secp256k1 signature
    commit = dict(unsigned, sig=sig)
    commit_data = dag_cbor(commit)
    commit_cid = CID.of(commit_data)
    ordered = [(commit_cid, commit_data)]
    rec_map = dict(rec_blocks)
    seen = set()

    def emit(node_cid):  # depth-first: node, then its subtrees and records in key order
        ordered.append((node_cid, mst_blocks[node_cid]))
        node, _ = dag_cbor_decode(mst_blocks[node_cid])
        if node["l"]:
            emit(node["l"])
        for e in node["e"]:
            if e["v"] not in seen:
                seen.add(e["v"])
                ordered.append((e["v"], rec_map[e["v"]]))
            if e["t"]:
                emit(e["t"])
    emit(root)
    stats = {"records": len(records), "posts": sum(1 for k in records if k.startswith("app.bsky.feed.post/")),
             "replies": sum(1 for k, r in records.items() if k.startswith("app.bsky.feed.post/") and "reply" in r),
             "mst_nodes": len(mst_blocks), "blocks": len(ordered)}
    return write_car([commit_cid], ordered), stats


# ---------------------------------------------------------------------------------------------
# Older layouts ("eras") for reader tests: tests/fixtures/exports/
# ---------------------------------------------------------------------------------------------

def fixture_facebook_2019() -> Tree:
    tree = Tree()
    tree.add("posts/your_posts_1.json", meta_json({"status_updates": [
        {"timestamp": pt(2019, 7, 5, 9, 0), "data": [{"post": "Thank you for a safe and happy Fourth at Los Olivos Park! \U0001F386"}],
         "title": "City of Rancho Verde updated their status."},
        {"timestamp": pt(2019, 6, 20, 15, 30),
         "attachments": [{"data": [{"external_context": {"name": "Fourth of July Celebration", "source": "ranchoverde.example",
                                                         "url": f"{CITY_SITE}/july4"}}]}],
         "data": [{"post": "Fireworks start at 9 PM. Elm Street will be closed from 1st to 3rd Ave after 6 PM for the parade."}],
         "title": "City of Rancho Verde shared a link."},
    ]}))
    return tree


def fixture_facebook_2021() -> Tree:
    tree = Tree()
    rng = rng_for("fx-fb-2021")
    t = pt(2021, 4, 24, 10, 0)
    text = "Arbor Day 2021: 25 new trees at Mesa Verde Park. Thank you, volunteers! \U0001F333"
    uris = [f"posts/media/TimelinePhotos_awR520Z08w/{digits(rng, 9)}_{digits(rng, 16)}_{digits(rng, 10)}_n_{digits(rng, 16)}.jpg" for _ in range(2)]
    posts = []
    for i, uri in enumerate(uris):
        media = {"uri": uri, "creation_timestamp": t - 1, "media_metadata": {"photo_metadata": {"exif_data": [{"upload_ip": "198.51.100.7", "taken_timestamp": t - 3600}]}},
                 "title": "Timeline Photos", "description": text}
        if i == 0:  # photo comments are embedded in the media object (these CAN be other people's)
            media["comments"] = [{"timestamp": t + 600, "comment": "So great to see the kids out planting!", "author": "Maria Delgado"},
                                 {"timestamp": t + 900, "comment": "Gracias a todos \U0001F49A", "author": "Jazmín Ortega"}]
        posts.append({"timestamp": t, "attachments": [{"data": [{"media": media}]}], "data": [{"post": text}],
                      "title": "City of Rancho Verde added 2 new photos.", "tags": ["Rancho Verde Parks & Recreation"]})
        tree.add(uri, jpeg(f"rv-fx2021-{i}"))
    posts.insert(0, {"timestamp": pt(2021, 9, 1, 12, 0), "data": [
        {"post": "Labor Day: City Hall is closed Monday. Trash pickup moves one day later this week."},
        {"backdated_timestamp": pt(2021, 9, 1, 9, 0)}], "title": "City of Rancho Verde updated their status."})
    tree.add("posts/your_posts_1.json", meta_json(posts))
    tree.add("comments/comments.json", meta_json({"comments_v2": [
        {"timestamp": t + 1200, "data": [{"comment": {"timestamp": t + 1200, "comment": "Gracias, Jazmín! \U0001F333", "author": FB_PAGE_NAME}}],
         "title": "City of Rancho Verde replied to Jazmín Ortega's comment."},
        {"timestamp": t - 86400, "data": [{"comment": {"timestamp": t - 86400, "comment": "Don’t forget: bring gloves and water!", "author": FB_PAGE_NAME}}],
         "title": "City of Rancho Verde commented on Rancho Verde Public Library's post."}]}))
    return tree


def fixture_facebook_2023() -> Tree:
    tree = Tree()
    pre = "your_activity_across_facebook"
    pl = PLACES["community"]
    tree.add(f"{pre}/posts/your_posts__check_ins__photos_and_videos_1.json", meta_json([
        {"timestamp": pt(2022, 9, 6, 8, 0), "attachments": [{"data": [{"place": {"name": pl["name"], "coordinate": {"latitude": pl["lat"], "longitude": pl["lon"]},
                                                                                    "address": pl["address"], "url": pl["url"]}}]}],
         "data": [{"post": "Heat advisory: the Community Center cooling center is open until 8 PM today. Stay cool, Rancho Verde \u2600\ufe0f"}],
         "title": "City of Rancho Verde was at Rancho Verde Community Center."},
        {"timestamp": pt(2022, 8, 2, 21, 0), "data": [{"post": "Council approved the Elm Street water main study tonight. The closure question comes later."}]},
    ]))
    tree.add(f"{pre}/comments_and_reactions/comments.json", meta_json({"comments_v2": [
        {"timestamp": pt(2022, 9, 6, 9, 0), "data": [{"comment": {"timestamp": pt(2022, 9, 6, 9, 0),
                                                                  "comment": "Yes, pets are welcome at the cooling center if leashed.", "author": FB_PAGE_NAME}}],
         "title": "City of Rancho Verde replied to Keisha Monroe's comment."},
        {"timestamp": pt(2022, 8, 3, 8, 0), "data": [{"comment": {"timestamp": pt(2022, 8, 3, 8, 0),
                                                                  "comment": "The study report will be posted at ranchoverde.example/elm-street", "author": FB_PAGE_NAME}}],
         "attachments": [{"data": [{"external_context": {"url": f"{CITY_SITE}/elm-street"}}]}],
         "title": "City of Rancho Verde replied to Rick Halvorsen's comment."}]}))
    tree.add("connections/followers/people_who_followed_you.json", meta_json({"followers_v2": [
        {"name": "Keisha Monroe", "timestamp": pt(2022, 9, 6, 9, 5)}, {"name": "Rick Halvorsen", "timestamp": pt(2022, 8, 2, 21, 30)},
        {"name": "José Ibáñez", "timestamp": pt(2022, 7, 1, 10, 0)}]}))
    return tree


def fixture_facebook_2024() -> Tree:
    tree = Tree()
    pre = "your_facebook_activity"
    t = pt(2024, 2, 20, 10, 0)
    text = "Elm Street closure begins Monday, March 4. Detour via Foothill Blvd. Businesses stay open. #ElmStreet"
    posts = []
    for i in range(2):
        uri = f"{pre}/posts/media/Mobileuploads_10150001/4477123{i}5_10987654321012{i}4_55667788{i}9_n_10987654321012{i}4.jpg"
        tree.add(uri, jpeg(f"rv-fx2024-{i}"))
        posts.append({"timestamp": t, "attachments": [{"data": [{"media": {
            "uri": uri, "creation_timestamp": t - 2, "media_metadata": {"photo_metadata": {"exif_data": [{"upload_ip": "203.0.113.24", "taken_timestamp": t - 4000}]}},
            "title": "Mobile uploads", "description": text}}]}],
            "data": [{"post": text}, {"update_timestamp": t + 1500}], "title": "City of Rancho Verde added 2 new photos."})
    posts.insert(0, {"timestamp": pt(2024, 3, 18, 12, 0), "attachments": [{"data": [{"external_context": {
        "name": "Shop Elm during construction", "source": "ranchoverde.example", "url": f"{CITY_SITE}/shop-elm"}}]}],
        "data": [{"post": "Café Olé on Elm is open during the closure \u2014 grab a café de olla! \u2615"}]})
    tree.add(f"{pre}/posts/your_posts__check_ins__photos_and_videos_1.json", meta_json(posts))
    tree.add(f"{pre}/posts/edits_you_made_to_posts.json", meta_json([
        {"timestamp": t + 1500, "fbid": "1098765432101204", "label_values": [{"label": "Text", "value": text}]}]))
    tree.add(f"{pre}/comments_and_reactions/comments.json", meta_json({"comments_v2": [
        {"timestamp": t + 3600, "data": [{"comment": {"timestamp": t + 3600, "comment": "Yes, Maria \u2014 the 3rd Ave school entrance stays open.",
                                                      "author": FB_PAGE_NAME}}], "title": "City of Rancho Verde replied to Maria Delgado's comment."},
        {"timestamp": t + 5400, "data": [{"comment": {"timestamp": t + 5400, "comment": "We’ll post weekly Elm Street closure updates here.",
                                                      "author": FB_PAGE_NAME}}], "title": "City of Rancho Verde replied to Gus Whitlock's comment."}]}))
    tree.add("connections/followers/people_who_followed_you_1.json", meta_json([
        {"name": "Maria Delgado", "timestamp": t + 100}, {"name": "Gus Whitlock", "timestamp": t + 400}, {"name": "Renée Fontaine", "timestamp": t + 9000}]))
    return tree


def fixture_instagram_2021() -> Tree:
    tree = Tree()
    single = "media/posts/202108/240812345_n_17891234567890123.jpg"
    car = ["media/posts/202108/240899911_n_17891234567890201.jpg", "media/posts/202108/240899912_n_17891234567890202.jpg"]
    for i, u in enumerate([single] + car):
        tree.add(u, jpeg(f"rv-fx-ig2021-{i}"))
    tree.add("content/posts_1.json", meta_json([
        {"media": [{"uri": car[0], "creation_timestamp": pt(2021, 8, 4, 10, 0), "title": ""},
                   {"uri": car[1], "creation_timestamp": pt(2021, 8, 4, 10, 0), "title": ""}],
         "title": "National Night Out 2021 \U0001F499 Thank you for coming out, Rancho Verde!", "creation_timestamp": pt(2021, 8, 4, 10, 1)},
        {"media": [{"uri": single, "creation_timestamp": pt(2021, 8, 1, 9, 0),
                    "title": "Join us Tuesday at Los Olivos Park for National Night Out! Café y pan dulce \u2615 #NNO2021", "media_metadata": {}}]},
    ]))
    tree.add("comments/post_comments.json", meta_json({"comments_media_comments": [
        {"title": "rvpd_official", "string_list_data": [{"value": "@maria.d.rv See you there! \U0001F46E", "timestamp": pt(2021, 8, 1, 11, 0)}]},
        {"title": "rvlibrary", "string_list_data": [{"value": "Thanks for the story time invite!", "timestamp": pt(2021, 7, 20, 9, 0)}]}]}))
    tree.add("followers_and_following/followers_1.json", meta_json([
        {"title": "", "media_list_data": [], "string_list_data": [{"href": f"https://www.instagram.com/{u}", "value": u, "timestamp": ts}]}
        for u, ts in [("maria.d.rv", pt(2021, 8, 1, 12, 0)), ("keisha.m", pt(2021, 6, 2, 8, 0))]]))
    tree.add("followers_and_following/following.json", meta_json({"relationships_following": [
        {"title": "", "media_list_data": [], "string_list_data": [{"href": "https://www.instagram.com/rvlibrary", "value": "rvlibrary", "timestamp": pt(2021, 1, 5, 9, 0)}]}]}))
    tree.add("account_information/personal_information.json", meta_json({"profile_user": [{"media_map_data": {}, "string_map_data": {
        "Username": {"href": "", "value": IG_USERNAME, "timestamp": 0}, "Name": {"href": "", "value": IG_NAME, "timestamp": 0}}, "title": ""}]}))
    return tree


def fixture_instagram_2023_nl() -> Tree:
    tree = Tree()
    u1, u2 = "media/posts/202306/17955500000000001.jpg", "media/posts/202306/17955500000000002.jpg"
    tree.add(u1, jpeg("rv-fx-ig2023-1"))
    tree.add(u2, jpeg("rv-fx-ig2023-2"))
    tree.add("your_instagram_activity/content/posts_1.json", meta_json([
        {"media": [{"uri": u2, "creation_timestamp": pt(2023, 6, 20, 9, 0), "title": "",
                    "media_metadata": {"photo_metadata": {"exif_data": [{"latitude": 34.104, "longitude": -117.4665}]}}},
                   {"uri": u1, "creation_timestamp": pt(2023, 6, 20, 9, 0), "title": ""}],
         "title": "Bike rodeo at Los Olivos Park \U0001F6B2 Helmets fitted: 212!", "creation_timestamp": pt(2023, 6, 20, 9, 1)},
        {"media": [{"uri": u1, "creation_timestamp": pt(2023, 6, 10, 8, 0), "title": "Bike rodeo this Saturday, 9 AM \u2013 noon. Free helmets!",
                    "cross_post_source": {"source_app": "FB"}}]},
    ]))
    tree.add("your_instagram_activity/comments/post_comments_1.json", meta_json([
        {"string_map_data": {"Opmerking": {"value": "@keisha.m Yes, bring the little ones! \U0001F6B2"}, "Media-eigenaar": {"value": IG_USERNAME},
                             "Tijd": {"timestamp": pt(2023, 6, 10, 10, 0)}}},
        {"string_map_data": {"Opmerking": {"value": "Thank you for hosting!"}, "Media-eigenaar": {"value": "rvlibrary"},
                             "Tijd": {"timestamp": pt(2023, 5, 2, 14, 0)}}}]))
    for n, users in ((1, [("keisha.m", pt(2023, 6, 10, 9, 30)), ("tokafor909", pt(2023, 5, 1, 8, 0))]),
                     (2, [("bea.castellanos", pt(2023, 2, 14, 18, 0))])):
        tree.add(f"connections/followers_and_following/followers_{n}.json", meta_json(
            [{"title": "", "media_list_data": [], "string_list_data": [{"href": f"https://www.instagram.com/{u}", "value": u, "timestamp": ts}]}
             for u, ts in users]))
    tree.add("personal_information/personal_information.json", meta_json({"profile_user": [{"media_map_data": {}, "string_map_data": {
        "Gebruikersnaam": {"href": "", "value": IG_USERNAME, "timestamp": 0}, "Naam": {"href": "", "value": IG_NAME, "timestamp": 0},
        "E-mailadres": {"href": "", "value": "socialmedia@ranchoverde.example", "timestamp": 0}}, "title": ""}]}))
    return tree


def fixture_youtube_2023() -> Tree:
    tree = Tree()
    base = "Takeout/YouTube"
    vid, vid2 = "Rv2023CcOct", "Rv2023Parks"
    rows = [["Video ID", "Video title (original)", "Approx duration (ms)", "Video audio language", "Video category",
             "Video description (original)", "Channel ID", "Tag 1", "Tag 2", "Privacy", "Video state",
             "Video create timestamp", "Video publish timestamp"],
            [vid, "City Council Regular Meeting - October 10, 2023", "9900000", "en", "News & Politics",
             "Regular meeting, October 10, 2023. Elm Street water main update at 1:10:00.", YT_CHANNEL_ID, "city council", "Elm Street",
             "Public", "", "2023-10-10T23:30:12+00:00", "2023-10-11T15:00:00+00:00"],
            [vid2, "Parks & Rec: Fall Programs 2023", "95000", "en", "Education", "Fall classes, leagues and camps.", YT_CHANNEL_ID,
             "parks", "", "Unlisted", "", "2023-08-28T17:05:00+00:00", "2023-08-29T16:00:00+00:00"]]
    tree.add(f"{base}/video metadata/videos.csv", _csv_bytes(rows))
    tree.add(f"{base}/channels/channel.csv", _csv_bytes([
        ["Channel ID", "Channel Country", "Channel Description (Original)", "Channel Title (Original)", "Channel Visibility"],
        [YT_CHANNEL_ID, "US", "Official channel of the City of Rancho Verde, California.", YT_TITLE, "Public"]]))
    top = "UgzK3vQ9mRvXxTop01Q4AaABAg"
    seg = lambda s: json.dumps({"takeoutSegments": [{"text": s}]}, ensure_ascii=False, separators=(",", ":"))
    tree.add(f"{base}/comments/comments.csv", _csv_bytes([
        ["Comment ID", "Channel ID", "Comment Create Timestamp", "Price", "Parent Comment ID", "Video ID", "Comment Text"],
        [top, YT_CHANNEL_ID, "2023-10-11T15:05:41.274+00:00", "0", "", vid, seg("Elm Street update starts at 1:10:00")],
        [top + ".9vXqR2mPz7u9aB3cD4eF5g", YT_CHANNEL_ID, "2023-10-12T08:14:09.003917+00:00", "0", top, vid,
         seg("Thanks Priya — the study is posted at ranchoverde.example/elm-street")],
    ]))
    return tree


def fixture_x_2022() -> Tree:
    tree = Tree()
    rng = rng_for("fx-x-2022")
    tweets = [
        dict(key="fx1", t=pt(2022, 3, 8, 9, 0), src="web", text="Council meets tonight at 6 PM in Council Chambers and on Zoom. Agenda: {u:" + CITY_SITE + "/council} #RVCouncil"),
        dict(key="fx2", t=pt(2022, 4, 29, 11, 0), src="iphone", media=["fx-arbor-2022"],
             text="Arbor Day 2022: 30 new trees at Mesa Verde Park \U0001F333 Thank you volunteers & @rvlibrary!"),
        dict(key="fx3", t=pt(2022, 4, 29, 12, 30), src="web", reply=("mdelgado_rv", "1519999000000000001"),
             text="@mdelgado_rv Thank you Maria! Next planting is in October."),
    ]
    by_key = {}
    for d in tweets:
        d["ms"] = rng.randint(0, 999)
        d["id"] = snowflake(d["t"], rng, d["ms"])
        d["media_objs"] = [dict(label=m, ext=".jpg", base=chars(rng, 15, ALNUM + "_-"), id=snowflake(d["t"] - 20, rng)) for m in d.get("media", [])]
        by_key[d["key"]] = d
    items = []
    for d in reversed(tweets):
        item = _x_tweet(d, by_key, rng)
        del item["tweet"]["edit_info"]  # no edit metadata before 2022
        items.append(item)
        for m in d["media_objs"]:
            tree.add(f"data/tweet_media/{d['id']}-{m['base']}.jpg", jpeg(f"rv-x-{m['label']}"))
    tree.add("data/tweet.js", x_js("window.YTD.tweet.part0", items))
    tree.add("data/follower.js", x_js("window.YTD.follower.part0", [
        {"follower": {"accountId": a, "userLink": f"https://twitter.com/intent/user?user_id={a}"}} for a in ("333000222", "88812345")]))
    manifest = {"userInfo": {"accountId": X_USER_ID, "userName": X_HANDLE, "displayName": X_NAME},
                "archiveInfo": {"sizeBytes": "48213", "generationDate": "2022-07-01T04:12:55.120Z", "isPartialArchive": False,
                                "maxPartSizeBytes": "53687091200"},
                "readmeInfo": {"fileName": "data/README.txt", "directory": "data/", "name": "README.txt"},
                "dataTypes": {"tweet": {"mediaDirectory": "data/tweet_media", "files": [{"fileName": "data/tweet.js", "globalName": "YTD.tweet.part0", "count": "3"}]},
                              "follower": {"files": [{"fileName": "data/follower.js", "globalName": "YTD.follower.part0", "count": "2"}]}}}
    tree.add("data/manifest.js", f"window.__THAR_CONFIG = {_xjson(manifest, 0)}".encode())
    tree.add("Your archive.html", b"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Your archive</title></head><body></body></html>\n")
    return tree


# ---------------------------------------------------------------------------------------------
# Deliberately broken inputs: sample_data/broken/
# ---------------------------------------------------------------------------------------------
BOMB_1GIB_SIZE = (1 << 30) + (1 << 20)       # 1 GiB + 1 MiB of zeros, deflate
BOMB_RATIO_SIZE = 200 * 1000 * 1000          # 200 MB of zeros, bzip2 (ratio > 1,000,000:1)
LYING_REAL_SIZE, LYING_DECLARED = 20 << 20, 10 << 10


def _mini_fb(fb_tree: Tree) -> list[tuple[str, bytes]]:
    keep = [f"{FB_PREFIX}/posts/profile_posts_1.json", f"{FB_PREFIX}/comments_and_reactions/comments.json",
            "connections/followers/people_who_followed_you.json",
            "logged_information/professional_dashboard/your_professional_dashboard_activity.json"]
    out = [(k, fb_tree.files[k]) for k in keep]
    posts = json.loads(out[0][1])[:8]  # a shorter posts file keeps the broken samples small (strings stay mojibake)
    out[0] = (keep[0], json.dumps(posts, indent=2, ensure_ascii=True).encode("ascii"))
    return out


def _stream_zip_entry(name: str, size: int, compress_type: int, chunk: int = 1 << 20, extra=()) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for n, data in extra:
            zf.writestr(zinfo(n), data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
        zi = zinfo(name)
        zi.compress_type = compress_type
        zi._compresslevel = 9
        zero = bytes(chunk)
        with zf.open(zi, "w") as w:
            left = size
            while left:
                n = min(left, chunk)
                w.write(zero if n == chunk else bytes(n))
                left -= n
    return buf.getvalue()


def build_broken(out: Out, fb_tree: Tree) -> None:
    b = "sample_data/broken"
    mini = _mini_fb(fb_tree)
    good_zip = make_zip(mini)

    out.write(f"{b}/zip_slip.zip", make_zip(mini + [
        ("../../evil.txt", b"written outside the extraction folder\n"),
        (f"{FB_PREFIX}/../../../evil2.txt", b"traversal hidden in the middle of a path\n"),
        ("..\\..\\evil3.txt", b"Windows-style traversal\n")]))
    out.write(f"{b}/absolute_paths.zip", make_zip(mini + [
        ("/tmp/rancho_verde_evil.txt", b"absolute POSIX path\n"),
        ("C:/Windows/Temp/rancho_verde_evil.txt", b"absolute Windows drive path\n")]))
    out.write(f"{b}/symlink_entry.zip", make_zip(mini + [
        (zinfo(f"{FB_PREFIX}/posts/media/Mobileuploads_10150001/passwd.jpg", mode=0o120777), b"/etc/passwd"),
        (zinfo(f"{FB_PREFIX}/posts/media/escape", mode=0o120777), b"../../../../../../home")]))
    out.write(f"{b}/zip_bomb_1gib.zip", _stream_zip_entry(
        f"{FB_PREFIX}/posts/profile_posts_1.json", BOMB_1GIB_SIZE, zipfile.ZIP_DEFLATED, extra=mini[3:]))
    out.write(f"{b}/zip_bomb_ratio.zip", _stream_zip_entry(
        f"{FB_PREFIX}/posts/media/Mobileuploads_10150001/huge.jpg", BOMB_RATIO_SIZE, zipfile.ZIP_BZIP2, extra=mini))
    lying = bytearray(_stream_zip_entry(f"{FB_PREFIX}/posts/profile_posts_1.json", LYING_REAL_SIZE, zipfile.ZIP_DEFLATED))
    assert lying[:4] == b"PK\x03\x04"
    struct.pack_into("<I", lying, 22, LYING_DECLARED)          # local header: uncompressed size
    cd = lying.rindex(b"PK\x01\x02")
    struct.pack_into("<I", lying, cd + 24, LYING_DECLARED)     # central directory: uncompressed size
    out.write(f"{b}/zip_bomb_lying_sizes.zip", bytes(lying))
    out.write(f"{b}/truncated.zip", good_zip[: len(good_zip) * 55 // 100])

    posts_rel = f"{FB_PREFIX}/posts/profile_posts_1.json"
    posts_bytes = fb_tree.files[posts_rel]
    for name, transform in (
        ("facebook_invalid_json", lambda data: data[: data.index(b'"post": "', len(data) // 2) + 40]),
        ("facebook_posts_utf16", lambda data: b"\xff\xfe" + data.decode("ascii").encode("utf-16-le")),
        ("facebook_posts_latin1", lambda data: json.dumps(mojibake_fix(json.loads(data)), indent=2, ensure_ascii=False)
         .encode("cp1252", errors="replace")),
    ):
        for rel, data in mini:
            out.write(f"{b}/{name}/{rel}", transform(data) if rel == posts_rel else data)

    out.write(f"{b}/instagram-rvpd_official-2025-06-30-Qm3xT8vL.zip", good_zip)

    other = Tree()
    other_id, other_name = "100064999888777", "Verde Valley Water District"
    other.add(f"{FB_PREFIX}/posts/profile_posts_1.json", meta_json([
        {"timestamp": pt(2025, 6, 2, 9, 0), "data": [{"post": f"Water main flushing on Elm Street this week. Thanks, "
                                                             f"@[{other_id}:274:{other_name}] crews!"}]},
        {"timestamp": pt(2025, 5, 1, 9, 0), "data": [{"post": "May is Water Awareness Month \U0001F4A7 Fix leaks, save water."}],
         "title": f"{other_name} updated their status."}]))
    other.add(f"{FB_PREFIX}/comments_and_reactions/comments.json", meta_json({"comments_v2": []}))
    other.add("logged_information/professional_dashboard/your_professional_dashboard_activity.json",
              meta_json({"prodash_activity": [{"page_name": other_name, "timestamp": pt(2025, 6, 30, 8, 0)}]}))
    out.write(f"{b}/facebook-VerdeValleyWater-2025-06-30-Zq81LmN0.zip", other.to_zip())
    out.write(f"{b}/empty.zip", b"")
    older = json.dumps([{"timestamp": pt(2023, 1, 12, 16, 0), "data": [{"post": "An older copy of the posts file."}]}], indent=2).encode()
    out.write(f"{b}/duplicate_entries.zip", make_zip(mini + [(posts_rel, older)]))
    out.write(f"{b}/unrecognized_contents.zip", make_zip([
        ("IMG_2041.jpg", jpeg("rv-unrelated-photo")),
        ("Meeting notes.txt", b"Parks commission - bring the shade structure drawings.\n")]))


# ---------------------------------------------------------------------------------------------
# Reader-side helpers used by --verify (kept here so the checks do not depend on the archiver)
# ---------------------------------------------------------------------------------------------

def mojibake_fix(obj):
    """Fix B with the guard described in export_formats.md section 0."""
    if isinstance(obj, str):
        if any(ord(ch) > 0xFF for ch in obj):
            return obj
        try:
            return obj.encode("latin-1").decode("utf-8")
        except UnicodeDecodeError:
            return obj
    if isinstance(obj, list):
        return [mojibake_fix(v) for v in obj]
    if isinstance(obj, dict):
        return {mojibake_fix(k): mojibake_fix(v) for k, v in obj.items()}
    return obj


def parse_x_js(data: bytes):
    text = data.decode("utf-8")
    return json.loads(text[text.index("=") + 1:])


# ---------------------------------------------------------------------------------------------
# Build everything
# ---------------------------------------------------------------------------------------------

def build_all(out: Out) -> dict:
    stats = {}
    fb_posts = _prepare_fb()
    ig_posts = _prepare_ig()
    x_all, x_by_key = _prepare_x()
    yt = _prepare_yt()
    ex = "sample_data/exports"

    fb = build_facebook_dyi(fb_posts)
    fb.to_dir(out, f"{ex}/facebook_page_dyi")
    build_graph_capture(fb_posts, ig_posts).to_dir(out, f"{ex}/facebook_graph_api")
    build_instagram_dyi(ig_posts).to_dir(out, f"{ex}/instagram_dyi")
    out.write(f"{ex}/x_archive.zip", build_x_archive(x_all, x_by_key))
    build_youtube_takeout(yt).to_dir(out, f"{ex}/youtube_takeout")
    build_youtube_api(yt).to_dir(out, f"{ex}/youtube_data_api")
    car, stats["bluesky"] = build_bluesky_car()
    out.write(f"{ex}/bluesky_repo.car", car)

    fx = "tests/fixtures/exports"
    for name, fn in (("facebook_2019_status_updates", fixture_facebook_2019), ("facebook_2021_your_posts", fixture_facebook_2021),
                     ("facebook_2023_your_activity_across_facebook", fixture_facebook_2023),
                     ("facebook_2024_your_facebook_activity", fixture_facebook_2024),
                     ("instagram_2021_content", fixture_instagram_2021),
                     ("instagram_2023_your_instagram_activity_nl", fixture_instagram_2023_nl),
                     ("youtube_takeout_2023_old_comments", fixture_youtube_2023), ("x_archive_2022_tweet_js", fixture_x_2022)):
        fn().to_dir(out, f"{fx}/{name}")
    build_broken(out, fb)
    return stats


# ---------------------------------------------------------------------------------------------
# Verification and counts
# ---------------------------------------------------------------------------------------------

def _load(p: Path):
    return json.loads(p.read_bytes())


def _check_image(data: bytes, name: str) -> None:
    if name.endswith(".png"):
        assert data.startswith(b"\x89PNG\r\n\x1a\n") and data.endswith(b"IEND\xaeB`\x82"), name
    else:
        assert data.startswith(b"\xff\xd8\xff") and data.endswith(b"\xff\xd9"), name


def verify(root: Path) -> dict:
    """Parse/decode every generated file; return counts per export."""
    ex, fx, br = root / "sample_data/exports", root / "tests/fixtures/exports", root / "sample_data/broken"
    counts: dict[str, dict] = {}

    # every JSON file parses (broken/ is checked separately below)
    for base in (ex, fx):
        for p in sorted(base.rglob("*.json")):
            _load(p)

    # ---- Facebook DYI
    d = ex / "facebook_page_dyi"
    posts = _load(d / FB_PREFIX / "posts/profile_posts_1.json")
    fixed = mojibake_fix(posts)
    assert any("Café Olé on Elm" in (x["data"][0]["post"]) for x in fixed)
    uris = [a["data"][0]["media"]["uri"] for x in posts for a in x.get("attachments", []) if "media" in a["data"][0]]
    for u in uris:
        _check_image((d / u).read_bytes(), u)
    edits = _load(d / FB_PREFIX / "posts/edits_you_made_to_posts.json")
    com = _load(d / FB_PREFIX / "comments_and_reactions/comments.json")["comments_v2"]
    fol = _load(d / "connections/followers/people_who_followed_you.json")["followers_v3"]
    assert mojibake_fix(fol)[-1]["name"] != "" and any(f["name"] == "Renée Fontaine" for f in mojibake_fix(fol))
    counts["facebook_page_dyi"] = {
        "post_objects": len(posts), "posts": len({(x["timestamp"], x["data"][0]["post"]) for x in posts}),
        "photos": len(uris), "posts_with_update_timestamp": len({x["timestamp"] for x in posts if len(x["data"]) > 1}),
        "edit_records": len(edits), "edited_posts": len({e["fbid"] for e in edits}),
        "page_comments": len(com), "page_replies": sum("replied to" in c["title"] for c in com), "followers": len(fol)}

    # ---- Graph API capture
    g = ex / "facebook_graph_api"
    man = _load(g / "manifest.json")
    for i, r in enumerate(man["requests"]):
        body = _load(g / r["file"])
        assert (g / r["file"]).read_bytes().count(b"\\/") > 0
        nxt = body.get("paging", {}).get("next")
        if nxt and "/comments?" not in nxt:
            assert any(q["url"] == nxt for q in man["requests"][i + 1:]), f"next page not captured: {r['file']}"
    feed = [p for r in man["requests"] if "/feed/" in r["file"] for p in _load(g / r["file"])["data"]]
    top = [c for p in feed for c in p.get("comments", {}).get("data", [])]
    top += [c for r in man["requests"] if r["file"].endswith("/comments/page-001.json") for c in _load(g / r["file"])["data"]]
    rep = [x for c in top for x in c.get("comments", {}).get("data", [])]
    ig = [m for r in man["requests"] if "/media/" in r["file"] for m in _load(g / r["file"])["data"]]
    igc = [c for m in ig for c in m.get("comments", {}).get("data", [])]
    igr = [x for c in igc for x in c.get("replies", {}).get("data", [])]
    counts["facebook_graph_api"] = {
        "responses": len(man["requests"]), "feed_posts": len(feed),
        "visitor_posts": sum(p["from"]["id"] != FB_PAGE_ID for p in feed),
        "updated_time_after_created_time": sum(p["updated_time"] != p["created_time"] for p in feed),
        "top_level_comments": len(top), "replies": len(rep), "hidden": sum(c["is_hidden"] for c in top + rep),
        "without_from": sum("from" not in c for c in top + rep),
        "page_authored": sum(c.get("from", {}).get("id") == FB_PAGE_ID for c in top + rep),
        "ig_media": len(ig), "ig_carousels": sum(m["media_type"] == "CAROUSEL_ALBUM" for m in ig), "ig_comments": len(igc),
        "ig_replies": len(igr), "ig_hidden": sum(c["hidden"] for c in igc + igr)}

    # ---- Instagram DYI
    d = ex / "instagram_dyi"
    ip = _load(d / "your_instagram_activity/media/posts_1.json")
    for x in ip:
        for m in x["media"]:
            _check_image((d / m["uri"]).read_bytes(), m["uri"])
    ic = _load(d / "your_instagram_activity/comments/post_comments_1.json")
    fixed_keys = [list(mojibake_fix(c["string_map_data"])) for c in ic]
    assert ["Comentario", "Dueño del contenido", "Hora"] in fixed_keys
    counts["instagram_dyi"] = {
        "posts": len(ip), "carousels": sum(len(x["media"]) > 1 for x in ip), "media_files": sum(len(x["media"]) for x in ip),
        "own_comments": len(ic), "own_comments_spanish_keys": sum("Comentario" in k for k in fixed_keys),
        "followers": len(_load(d / "connections/followers_and_following/followers_1.json")),
        "following": len(_load(d / "connections/followers_and_following/following.json")["relationships_following"])}

    # ---- X archive
    with zipfile.ZipFile(ex / "x_archive.zip") as zf:
        assert zf.testzip() is None
        names = zf.namelist()
        js = {n: parse_x_js(zf.read(n)) for n in names if n.endswith(".js")}
        assert zf.read("data/tweets.js").startswith(b"window.YTD.tweets.part0 = [")
        tw = [t["tweet"] for t in js["data/tweets.js"] + js["data/tweets-part1.js"]]
        for t in tw:
            for k in ("id", "favorite_count", "retweet_count"):
                assert isinstance(t[k], str)
            for m in t.get("extended_entities", {}).get("media", []):
                fn = f"data/tweets_media/{t['id']}-{m['media_url'].rsplit('/', 1)[1]}"
                assert fn in names, fn
                _check_image(zf.read(fn), fn)
        manifest = js["data/manifest.js"]
        for dt in manifest["dataTypes"].values():
            for f in dt["files"]:
                assert len(js[f["fileName"]]) == int(f["count"]), f["fileName"]
        counts["x_archive.zip"] = {
            "tweets": len(tw), "tweets.js": len(js["data/tweets.js"]), "tweets-part1.js": len(js["data/tweets-part1.js"]),
            "replies": sum("in_reply_to_status_id_str" in t for t in tw),
            "self_replies": sum(t.get("in_reply_to_user_id_str") == X_USER_ID for t in tw),
            "retweets": sum(t["full_text"].startswith("RT @") for t in tw),
            "edited_tweet_versions": sum(len(t["edit_info"].get("initial", {}).get("editTweetIds", [1])) > 1 or "edit" in t["edit_info"] for t in tw),
            "note_tweets": len(js["data/note-tweet.js"]), "deleted": len(js["data/deleted-tweets.js"]),
            "media_files": sum(n.startswith("data/tweets_media/") for n in names),
            "followers": len(js["data/follower.js"]), "following": len(js["data/following.js"]), "likes": len(js["data/like.js"]),
            "html_escaped_tweets": sum("&amp;" in t["full_text"] or "&gt;" in t["full_text"] for t in tw)}

    # ---- YouTube
    d = ex / "youtube_takeout/Takeout/YouTube and YouTube Music"
    vids = list(csv.DictReader(io.StringIO((d / "video metadata/videos.csv").read_text("utf-8"))))
    yc = [r for r in csv.DictReader(io.StringIO((d / "comments/comments.csv").read_text("utf-8"))) if r["Channel ID"]]
    for r in yc:
        json.loads("[" + r["Comment Text"] + "]")
    counts["youtube_takeout"] = {"videos": len(vids), "private_videos": sum(v["Privacy"] != "Public" for v in vids),
                                 "own_comments": len(yc), "own_replies": sum(bool(r["Parent Comment ID"]) for r in yc)}
    g = ex / "youtube_data_api"
    man = _load(g / "manifest.json")
    threads = [t for r in man["requests"] if r["file"].startswith("commentThreads/") for t in _load(g / r["file"])["items"]]
    fetched = [c for r in man["requests"] if r["file"].startswith("comments/") for c in _load(g / r["file"])["items"]]
    for t in threads:
        assert '<a href="<a' not in t["snippet"]["topLevelComment"]["snippet"]["textDisplay"]
    counts["youtube_data_api"] = {
        "responses": len(man["requests"]), "videos": len(_load(g / "videos/page-001.json")["items"]), "threads": len(threads),
        "replies_included": sum(len(t.get("replies", {}).get("comments", [])) for t in threads),
        "total_reply_count": sum(t["snippet"]["totalReplyCount"] for t in threads),
        "threads_with_missing_replies": sum(t["snippet"]["totalReplyCount"] > len(t.get("replies", {}).get("comments", [])) for t in threads),
        "replies_fetched_with_comments.list": len(fetched),
        "edited_comments": sum(c["snippet"]["publishedAt"] != c["snippet"]["updatedAt"]
                               for t in threads for c in [t["snippet"]["topLevelComment"]] + t.get("replies", {}).get("comments", []))}

    # ---- Bluesky CAR
    roots, blocks = read_car((ex / "bluesky_repo.car").read_bytes())
    for cid, data in blocks.items():
        assert dag_cbor(dag_cbor_decode(data)[0]) == data, "block is not canonical DAG-CBOR"
    commit = dag_cbor_decode(blocks[roots[0]])[0]
    assert commit["did"] == BSKY_DID and commit["version"] == 3 and len(commit["sig"]) == 64
    entries = walk_mst(commit["data"], blocks)
    recs = {k: dag_cbor_decode(blocks[v])[0] for k, v in entries}
    cols = {}
    for k in recs:
        cols[k.split("/")[0]] = cols.get(k.split("/")[0], 0) + 1
    for k, r in recs.items():
        assert r["$type"] == k.split("/")[0]
        for f in r.get("facets", []):
            seg = r["text"].encode()[f["index"]["byteStart"]:f["index"]["byteEnd"]].decode()
            assert seg[0] in "#@" or "." in seg, seg
        if "reply" in r and r["reply"]["root"]["uri"].startswith(f"at://{BSKY_DID}/"):
            target = r["reply"]["root"]["uri"].split("/", 3)[3]
            assert str(CID.of(dag_cbor(recs[target]))) == r["reply"]["root"]["cid"]
    counts["bluesky_repo.car"] = dict(cols, blocks=len(blocks), mst_nodes=len(blocks) - len(recs) - 1,
                                      replies=sum("reply" in r for r in recs.values()))

    # ---- fixtures
    for p in sorted(fx.iterdir()):
        if p.is_dir():
            counts[f"fixtures/{p.name}"] = {"files": sum(1 for f in p.rglob("*") if f.is_file())}

    # ---- broken inputs behave as intended
    def names(z):
        with zipfile.ZipFile(br / z) as zf:
            return zf.infolist()
    assert any(i.filename.startswith("../") for i in names("zip_slip.zip"))
    assert any(i.filename.startswith("/") for i in names("absolute_paths.zip"))
    assert any((i.external_attr >> 16) & 0o170000 == 0o120000 for i in names("symlink_entry.zip"))
    assert sum(i.file_size for i in names("zip_bomb_1gib.zip")) > 1 << 30
    rb = [i for i in names("zip_bomb_ratio.zip") if i.compress_type == zipfile.ZIP_BZIP2][0]
    assert rb.file_size / rb.compress_size > 1_000_000
    assert [i.file_size for i in names("zip_bomb_lying_sizes.zip")] == [LYING_DECLARED]
    for z in ("truncated.zip", "empty.zip"):
        try:
            zipfile.ZipFile(br / z)
            raise AssertionError(f"{z} opened")
        except zipfile.BadZipFile:
            pass
    dup = [i.filename for i in names("duplicate_entries.zip")]
    assert len(dup) != len(set(dup))
    bad = br / "facebook_invalid_json" / FB_PREFIX / "posts/profile_posts_1.json"
    for p, exc in ((bad, json.JSONDecodeError), (br / "facebook_posts_utf16" / FB_PREFIX / "posts/profile_posts_1.json", UnicodeDecodeError),
                   (br / "facebook_posts_latin1" / FB_PREFIX / "posts/profile_posts_1.json", UnicodeDecodeError)):
        try:
            json.loads(p.read_bytes().decode("utf-8"))
            raise AssertionError(f"{p} parsed")
        except exc:
            pass
    return counts


def check_reproducible() -> bool:
    with tempfile.TemporaryDirectory() as tmp:
        out = Out(Path(tmp))
        build_all(out)
        ok = True
        for rel in sorted(out.written):
            mine, theirs = Path(tmp) / rel, REPO_ROOT / rel
            if not theirs.exists() or not filecmp.cmp(mine, theirs, shallow=False):
                print(f"DIFFERS: {rel}")
                ok = False
        for base, names in OWNED.items():
            for n in names:
                p = REPO_ROOT / base / n
                files = [p] if p.is_file() else [f for f in p.rglob("*") if f.is_file()] if p.exists() else []
                for f in files:
                    rel = f.relative_to(REPO_ROOT).as_posix()
                    if rel not in out.written:
                        print(f"STALE (not generated any more): {rel}")
                        ok = False
        return ok


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--verify", action="store_true", help="after writing, parse and decode every file")
    ap.add_argument("--summary", action="store_true", help="print per-export counts as JSON (implies --verify)")
    ap.add_argument("--check", action="store_true", help="regenerate in a temp dir and compare with the files in the repo")
    args = ap.parse_args(argv)
    if args.check:
        ok = check_reproducible()
        print("reproducible: byte-for-byte identical" if ok else "NOT reproducible")
        return 0 if ok else 1
    out = Out(REPO_ROOT)
    out.clean()
    build_all(out)
    print(f"wrote {len(out.written)} files")
    if args.verify or args.summary:
        counts = verify(REPO_ROOT)
        print("verify: ok")
        if args.summary:
            print(json.dumps(counts, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
