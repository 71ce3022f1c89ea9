"""Disclosure packages: the bag validates, Bates numbers run in order, the WACZ is valid, nothing
redacted or withheld leaks, and building changes nothing in the archive but the request's
record and the audit log."""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import bagit
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from sqlalchemy import inspect, select, text

from archiver.archive import Archive
from archiver.errors import Conflict, IntegrityError
from archiver.removals.catalog import load_catalog
from archiver.removals.record import RemovalRequest, record_removal
from archiver.requests import review, service
from archiver.requests.package.build import build_package
from archiver.requests.package.verify import verify_package
from archiver.requests.service import ExtensionNotice, NewRequest
from tests.conftest import actor
from tests.request_items import Spec, seed

CARSON = load_catalog("carson")

CLERK, ATTORNEY = actor("clerk"), actor("attorney")
NUMBER = "CPRA-2026-014"


def open_request(archive: Archive, *, litigation: bool = False) -> None:
    service.open_request(
        archive,
        CLERK,
        NewRequest(
            NUMBER,
            "CPRA",
            "Posts and comments about Elm Street",
            date(2026, 2, 25),
            "Pat Doe",
            "pat@example.org",
            litigation,
        ),
    )


def scenario(archive: Archive, *, litigation: bool = False) -> dict[str, int]:
    """A post with four comments: one released, one redacted (suggestion accepted), one
    withheld, one released after a rejected suggestion; and a second post released in full."""
    open_request(archive, litigation=litigation)
    ids = seed(
        archive,
        [
            Spec("Elm Street will close for repairs on Monday.\nDetours are posted."),
            Spec("Great news", kind="comment", parent=0, author="Ann", author_id="ann"),
            Spec(
                "Call me at 555-867-5309 about my driveway",
                kind="comment",
                parent=0,
                author="Bo",
                author_id="bo",
            ),
            Spec(
                "A threat the police are investigating",
                kind="comment",
                parent=0,
                author="Cy",
                author_id="cy",
            ),
            Spec(
                "The office line is 555-010-0000 right?",
                kind="comment",
                parent=0,
                author="Di",
                author_id="di",
            ),
            Spec("Oak Avenue reopens Friday.", versions=["Oak Avenue reopens Thursday."]),
        ],
    )
    names = dict(zip(["post", "ann", "bo", "cy", "di", "oak"], ids, strict=True))
    review.add_items(archive, CLERK, NUMBER, [names["post"], names["oak"]])
    suggestions = {s.item_id: s for s in review.suggest_redactions(archive, ATTORNEY, NUMBER)}
    review.decide_suggestion(
        archive, ATTORNEY, NUMBER, suggestions[names["bo"]].id, accept=True, exemption="7927.700"
    )
    review.decide_suggestion(archive, ATTORNEY, NUMBER, suggestions[names["di"]].id, accept=False)
    review.decide(
        archive,
        ATTORNEY,
        NUMBER,
        [names["post"], names["ann"], names["di"], names["oak"]],
        "release",
    )
    review.decide(archive, ATTORNEY, NUMBER, [names["bo"]], "redact")
    review.decide(archive, ATTORNEY, NUMBER, [names["cy"]], "withhold", exemption="7923.600")
    return names


def test_package_contents_and_verify(archive: Archive, tmp_path: Path) -> None:
    names = scenario(archive, litigation=True)
    service.extend_request(
        archive,
        CLERK,
        NUMBER,
        ExtensionNotice(
            "c2", "Many comments to review.", "Maria Lopez", "City Clerk", date(2026, 3, 10)
        ),
    )
    out = tmp_path / "pkg"
    result = build_package(archive, CLERK, NUMBER, out)
    assert (result.released, result.redacted, result.withheld) == (4, 1, 1)
    assert result.bates_first == "CPRA-2026-014-000001"
    data = out / "data"
    assert {p.name for p in data.iterdir()} == {
        "index.html",
        "records.pdf",
        "records.csv",
        "exemption_log.csv",
        "native",
        "archive.wacz",
        "determination_letter.txt",
        "extension_notice.txt",
        "records.dat",
        "records.opt",
    }
    bagit.Bag(str(out)).validate()
    info = (out / "bag-info.txt").read_text()
    for label in (
        "Source-Organization: City of Rancho Verde",
        "External-Identifier: CPRA-2026-014",
        "Bagging-Date: 2026-03-01",
        "Payload-Oxum: ",
        "Contact-Name: Maria Lopez, City Clerk",
    ):
        assert label in info
    assert {p.name for p in out.iterdir()} >= {
        "manifest-sha256.txt",
        "manifest-sha512.txt",
        "tagmanifest-sha256.txt",
        "tagmanifest-sha512.txt",
        "bagit.txt",
    }
    rows = list(csv.DictReader((data / "records.csv").open(encoding="utf-8")))
    assert [r["disclosure"] for r in rows].count("withheld") == 1
    bo = next(r for r in rows if r["item_id"] == str(names["bo"]))
    assert bo["disclosure"] == "redacted" and bo["exemptions"] == "Gov. Code § 7927.700"
    log = list(csv.DictReader((data / "exemption_log.csv").open(encoding="utf-8")))
    assert {
        (e["action"], e["exemption"], e["reviewer_name"], e["reviewer_title"]) for e in log
    } == {
        ("redacted", "Gov. Code § 7927.700", "Dana Kim", "City Attorney"),
        ("withheld", "Gov. Code § 7923.600", "Dana Kim", "City Attorney"),
    }
    page = (data / "index.html").read_text()
    assert "REDACTED — Gov. Code § 7927.700" in page and "555-010-0000" in page
    letter = (data / "determination_letter.txt").read_text()
    assert "Dana Kim, City Attorney" in letter and "§ 7922.540(b)" in letter
    assert "§ 7923.600" in letter and "Maria Lopez" in letter
    assert "c)(2)" in (data / "extension_notice.txt").read_text()
    native = json.loads((data / "native" / f"{names['oak']}.json").read_text())
    assert [v["text"] for v in native["versions"]] == [
        "Oak Avenue reopens Thursday.",
        "Oak Avenue reopens Friday.",
    ]
    report = verify_package(out)
    assert report.ok, report.problems
    assert report.counts["pdf_pages"] == report.counts["pages_expected"] == 6


def test_pdf_bates_in_order_and_continuing(archive: Archive, tmp_path: Path) -> None:
    scenario(archive)
    first = build_package(archive, CLERK, NUMBER, tmp_path / "one")
    second = build_package(archive, CLERK, NUMBER, tmp_path / "two", prefix="RV")
    reader = PdfReader(str(tmp_path / "one" / "data" / "records.pdf"))
    stamps = [
        next(w for w in (p.extract_text() or "").split() if w.startswith("CPRA-2026-014-"))
        for p in reader.pages
    ]
    assert stamps == [f"CPRA-2026-014-{n:06d}" for n in range(1, len(reader.pages) + 1)]
    assert first.bates_last == f"CPRA-2026-014-{len(reader.pages):06d}"
    assert second.bates_first == f"RV{len(reader.pages) + 1:06d}"  # supplemental continues
    assert verify_package(tmp_path / "two").ok


def test_verify_finds_tampering(archive: Archive, tmp_path: Path) -> None:
    scenario(archive)
    build_package(archive, CLERK, NUMBER, tmp_path / "pkg")
    target = tmp_path / "pkg" / "data" / "records.csv"
    target.write_text(target.read_text().replace("000002", "000009"), encoding="utf-8")
    problems = [str(p) for p in verify_package(tmp_path / "pkg").problems]
    assert any("bag" in p for p in problems)
    assert any("does not follow" in p for p in problems)


def test_wacz_is_valid_and_holds_only_records_released_in_full(
    archive: Archive, tmp_path: Path
) -> None:
    names = scenario(archive)
    build_package(archive, CLERK, NUMBER, tmp_path / "pkg")
    wacz_path = tmp_path / "pkg" / "data" / "archive.wacz"
    with zipfile.ZipFile(wacz_path) as zf:
        assert zf.getinfo("archive/data.warc.gz").compress_type == zipfile.ZIP_STORED
        warc = zf.read("archive/data.warc.gz")
        uris = [
            line.split(b": ", 1)[1].strip()
            for line in gzip.decompress(warc).split(b"\r\n")
            if line.startswith(b"WARC-Target-URI")
        ]
    # post, ann, di and both versions of oak: not bo (redacted) nor cy (withheld)
    assert len(uris) == 5
    validator = Path(sys.executable).with_name("wacz")
    if not validator.exists():
        pytest.skip("the wacz validator is not installed")
    run = subprocess.run(
        [str(validator), "validate", "-f", str(wacz_path)], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "is valid" in run.stdout
    assert names  # the scenario ran


def test_not_ready_to_package(archive: Archive, tmp_path: Path) -> None:
    open_request(archive)
    ids = seed(
        archive,
        [Spec("x"), Spec("mail me a@b.co", kind="comment", parent=0, author="E", author_id="e")],
    )
    review.add_items(archive, CLERK, NUMBER, ids)
    review.suggest_redactions(archive, ATTORNEY, NUMBER)
    with pytest.raises(Conflict, match=r"no decision yet.*suggested redaction"):
        build_package(archive, CLERK, NUMBER, tmp_path / "pkg")
    assert not (tmp_path / "pkg").exists()
    assert not list(tmp_path.glob(".pkg*"))


def snapshot(archive: Archive) -> dict[str, str]:
    """A digest of every table's rows and of every WARC file."""
    out: dict[str, str] = {}
    with archive.db.engine.connect() as conn:
        for table in sorted(inspect(conn).get_table_names()):
            rows = conn.execute(text(f'SELECT * FROM "{table}"')).all()
            body = "\n".join(sorted(repr(tuple(r)) for r in rows))
            out[table] = hashlib.sha256(body.encode()).hexdigest()
    for path in sorted(archive.settings.warc_dir.glob("*")):
        out[path.name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def test_building_changes_only_the_request_record_and_audit_log(
    any_archive: Archive, tmp_path: Path
) -> None:
    scenario(any_archive)
    before = snapshot(any_archive)
    build_package(any_archive, CLERK, NUMBER, tmp_path / "pkg")
    after = snapshot(any_archive)
    changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    assert changed == {"audit_events", "request_events", "request_packages"}


MARKER = st.text(alphabet="ABCDEFGHJKMNPQRSTUVWXYZ", min_size=10, max_size=14)


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(MARKER, min_size=4, max_size=4, unique=True).filter(
        lambda ms: not any(a != b and a in b for a in ms for b in ms)  # each marker its own
    ),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=30),
    st.lists(st.booleans(), min_size=2, max_size=2),
)
def test_nothing_redacted_leaks(
    tmp_path_factory: pytest.TempPathFactory, markers: list[str], noise: str, removed: list[bool]
) -> None:
    """Markers planted in a redacted span, a redacted author and a withheld record appear
    nowhere in the bag: not in any file, nor inside the WACZ (unzipped), its WARC (gunzipped),
    or the PDF's extracted text. Some items are removed by the City, their removal record
    repeating the redacted author (as poster) in its note; the marker in the note of the released
    post's removal must appear (so the property can fail)."""
    from archiver.lifecycle import init_archive
    from tests.conftest import FakeClock, make_settings

    root = tmp_path_factory.mktemp("leak")
    settings_ = make_settings(root)
    clock = FakeClock()
    init_archive(settings_, actor("admin"), clock=clock)
    span_marker, author_marker, withheld_marker, note_marker = markers
    with Archive.open(settings_, clock=clock) as archive:
        open_request(archive)
        before = f"{noise} before "
        ids = seed(
            archive,
            [
                Spec(f"Post {noise}"),
                Spec(
                    f"{before}{span_marker} after",
                    kind="comment",
                    parent=0,
                    versions=[f"old {span_marker}"],
                    author=author_marker,
                    author_id="x1",
                ),
                Spec(
                    f"secret {withheld_marker} {noise}",
                    kind="comment",
                    parent=0,
                    author=f"W {withheld_marker}",
                    author_id="x2",
                ),
            ],
        )
        notes = [
            f"post {note_marker}",
            f"{author_marker} again, {span_marker}",
            f"{withheld_marker} {noise}",
        ]
        for item_id, note_, remove in zip(ids, notes, [True, *removed], strict=True):
            if remove:
                record_removal(
                    archive,
                    actor("social"),
                    str(item_id),
                    RemovalRequest(("defamatory",), note_, "hidden"),
                    catalog=CARSON,
                )
        review.add_items(archive, CLERK, NUMBER, ids[:1])
        start = len(before)
        review.redact_span(
            archive,
            ATTORNEY,
            NUMBER,
            ids[1],
            start=start,
            end=start + len(span_marker),
            exemption="7927.700",
        )
        review.redact_span(
            archive,
            ATTORNEY,
            NUMBER,
            ids[1],
            start=0,
            end=0,
            exemption="7927.700",
            field_name="author",
        )
        review.decide(archive, ATTORNEY, NUMBER, [ids[0]], "release")
        review.decide(archive, ATTORNEY, NUMBER, [ids[1]], "redact")
        review.decide(archive, ATTORNEY, NUMBER, [ids[2]], "withhold", exemption="7927.700")
        out = root / "pkg"
        build_package(archive, CLERK, NUMBER, out)
    blobs = list(_all_bytes(out))
    assert len(blobs) > 10
    # the post's removal record is not redacted: it is disclosed, in every output
    for where in ("data/index.html", f"data/native/{ids[0]}.json", "data/records.pdf!text"):
        assert any(note_marker.encode() in b for w, b in blobs if w == where), where
    if removed[0]:
        native = json.loads((out / "data" / "native" / f"{ids[1]}.json").read_text("utf-8"))
        assert native["removed_by_city"]["poster_redacted"]
    for marker in (span_marker, author_marker, withheld_marker):
        for where, blob in blobs:
            assert marker.encode() not in blob, (marker, where)
            assert marker.encode("utf-16-be") not in blob, (marker, where)


def _all_bytes(root: Path) -> list[tuple[str, bytes]]:
    found: list[tuple[str, bytes]] = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        found.extend(_expand(str(path.relative_to(root)), path.read_bytes()))
    return found


def _expand(where: str, blob: bytes) -> list[tuple[str, bytes]]:
    out = [(where, blob)]
    if blob[:2] == b"\x1f\x8b":
        out += _expand(f"{where}!gunzip", gzip.decompress(blob))
    elif blob[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(blob)) as zf:
            for name in zf.namelist():
                out += _expand(f"{where}!{name}", zf.read(name))
    elif blob[:5] == b"%PDF-":
        reader = PdfReader(io.BytesIO(blob))
        text_ = "\n".join(p.extract_text() or "" for p in reader.pages)
        out.append((f"{where}!text", text_.encode()))
        for number, page in enumerate(reader.pages):
            contents = page.get_contents()
            if contents is not None:
                out.append((f"{where}!page{number}", contents.get_data()))
    return out


def test_select_is_read_only_helper_sanity(archive: Archive) -> None:
    """The snapshot helper notices a change (so the no-change test can fail)."""
    before = snapshot(archive)
    open_request(archive)
    after = snapshot(archive)
    assert before != after
    with archive.db.read() as session:
        assert session.execute(select(text("1"))).scalar() == 1


def test_a_redacted_phrase_repeated_elsewhere_stops_the_build(
    archive: Archive, tmp_path: Path
) -> None:
    open_request(archive)
    ids = seed(
        archive,
        [
            Spec("Post"),
            Spec("Reach me at 555-867-5309", kind="comment", parent=0, author="Bo", author_id="bo"),
            Spec(
                "Bo's number is 555-867-5309", kind="comment", parent=0, author="Al", author_id="al"
            ),
        ],
    )
    review.add_items(archive, CLERK, NUMBER, ids[:1])
    review.redact_span(archive, ATTORNEY, NUMBER, ids[1], start=12, end=24, exemption="7927.700")
    review.decide(archive, ATTORNEY, NUMBER, [ids[0], ids[2]], "release")
    review.decide(archive, ATTORNEY, NUMBER, [ids[1]], "redact")
    with pytest.raises(IntegrityError, match="appears in"):
        build_package(archive, CLERK, NUMBER, tmp_path / "pkg")
    assert not (tmp_path / "pkg").exists() and not list(tmp_path.glob(".pkg*"))
    review.redact_span(archive, ATTORNEY, NUMBER, ids[2], start=15, end=27, exemption="7927.700")
    review.decide(archive, ATTORNEY, NUMBER, [ids[2]], "redact")
    assert build_package(archive, CLERK, NUMBER, tmp_path / "pkg").redacted == 2


def test_short_withheld_text_does_not_block_but_a_quoted_one_does(
    archive: Archive, tmp_path: Path
) -> None:
    open_request(archive)
    quoted = "He said the gate code is 4411 and nobody checks it."
    ids = seed(
        archive,
        [
            Spec("Post"),
            Spec("Thanks!", kind="comment", parent=0, author="A", author_id="a"),
            Spec("Thanks!", kind="comment", parent=0, author="B", author_id="b"),
            Spec(quoted, kind="comment", parent=0, author="C", author_id="c"),
            Spec(f"Someone wrote: {quoted}", kind="comment", parent=0, author="D", author_id="d"),
        ],
    )
    review.add_items(archive, CLERK, NUMBER, ids[:1])
    review.decide(archive, ATTORNEY, NUMBER, [ids[0], ids[2], ids[4]], "release")
    review.decide(archive, ATTORNEY, NUMBER, [ids[1], ids[3]], "withhold", exemption="7923.600")
    with pytest.raises(IntegrityError, match="appears in"):
        build_package(archive, CLERK, NUMBER, tmp_path / "pkg")
    review.decide(archive, ATTORNEY, NUMBER, [ids[4]], "withhold", exemption="7923.600")
    assert build_package(archive, CLERK, NUMBER, tmp_path / "pkg").withheld == 3


def test_long_records_span_pages_and_keep_the_sequence(archive: Archive, tmp_path: Path) -> None:
    open_request(archive)
    long_text = "\n".join(f"Paragraph {n}: " + "word " * 60 for n in range(40))
    url = "https://example.org/" + "x" * 400
    ids = seed(archive, [Spec(long_text + " " + url), Spec("short", kind="comment", parent=0)])
    review.add_items(archive, CLERK, NUMBER, ids[:1])
    review.decide(archive, ATTORNEY, NUMBER, ids, "release")
    result = build_package(archive, CLERK, NUMBER, tmp_path / "pkg")
    rows = list(csv.DictReader((tmp_path / "pkg" / "data" / "records.csv").open()))
    assert rows[0]["bates_begin"] == "CPRA-2026-014-000001"
    assert rows[0]["bates_end"] != rows[0]["bates_begin"]
    assert result.pages == int(rows[1]["bates_end"][-6:]) > 3
    reader = PdfReader(str(tmp_path / "pkg" / "data" / "records.pdf"))
    assert "Paragraph 0: word word" in reader.pages[0].extract_text()
    everything = "".join("".join(p.extract_text().split()) for p in reader.pages)
    assert "word" + url in everything  # the overlong word is split across lines, in order
    assert verify_package(tmp_path / "pkg").ok


def test_two_builds_at_once_cannot_repeat_bates_numbers(archive: Archive, tmp_path: Path) -> None:
    scenario(archive)
    started: list[str] = []

    def meanwhile(stage: str) -> None:
        if stage == "bag" and not started:
            started.append(stage)
            build_package(archive, CLERK, NUMBER, tmp_path / "other")

    with pytest.raises(Conflict, match="built meanwhile"):
        build_package(archive, CLERK, NUMBER, tmp_path / "pkg", progress=meanwhile)
    assert (tmp_path / "other").is_dir() and not (tmp_path / "pkg").exists()
    assert not list(tmp_path.glob(".pkg*"))


def test_a_warc_record_shared_with_other_items_stays_out_of_the_wacz(
    archive: Archive, tmp_path: Path
) -> None:
    """An export stored as one WARC record holds several items: it goes into the WACZ only
    when every item pointing at it is released in full."""
    from archiver.db.models import ItemVersion

    open_request(archive)
    ids = seed(archive, [Spec("Post"), Spec("private", kind="comment", parent=0)])
    with archive.unit() as session:  # both items come from the post's "export" record
        versions = session.scalars(select(ItemVersion).order_by(ItemVersion.item_id)).all()
        versions[1].warc_record_id = versions[0].warc_record_id
    review.add_items(archive, CLERK, NUMBER, ids[:1])
    review.decide(archive, ATTORNEY, NUMBER, ids[:1], "release")
    review.decide(archive, ATTORNEY, NUMBER, ids[1:], "withhold", exemption="7927.700")
    withheld = build_package(archive, CLERK, NUMBER, tmp_path / "one")
    assert (withheld.wacz_records, withheld.wacz_excluded) == (0, 1)
    assert not (tmp_path / "one" / "data" / "archive.wacz").exists()
    review.decide(archive, ATTORNEY, NUMBER, ids[1:], "release")
    released = build_package(archive, CLERK, NUMBER, tmp_path / "two")
    assert (released.wacz_records, released.wacz_excluded) == (1, 0)
    assert verify_package(tmp_path / "one").ok and verify_package(tmp_path / "two").ok


def test_foia_request_denied_in_full(archive: Archive, tmp_path: Path) -> None:
    service.open_request(
        archive, CLERK, NewRequest("FOIA-7", "FOIA", "Moderation notes", date(2026, 2, 2))
    )
    ids = seed(archive, [Spec("Investigation note", kind="post")])
    review.add_items(archive, CLERK, "FOIA-7", ids)
    review.decide(archive, ATTORNEY, "FOIA-7", ids, "withhold", exemption="b7C")
    result = build_package(archive, CLERK, "FOIA-7", tmp_path / "pkg")
    assert (result.released, result.withheld, result.wacz_records) == (0, 1, 0)
    data = tmp_path / "pkg" / "data"
    letter = (data / "determination_letter.txt").read_text()
    assert "5 U.S.C. § 552(a)(6)(A)(i)" in letter and "5 U.S.C. § 552(b)(7)(C)" in letter
    assert "Dear Requester" in letter  # anonymous
    assert not (data / "archive.wacz").exists() and not list((data / "native").iterdir())
    assert verify_package(tmp_path / "pkg").ok


SCRIPTS = {
    "Vietnamese": "Đường Elm đóng cửa từ thứ Hai, cư dân vui lòng đi đường khác.",
    "Chinese": "榆树街从周一起封闭，请居民绕行。",
    "Japanese": "エルム通りは月曜日から閉鎖されます。",
    "Korean": "엘름 스트리트는 월요일부터 폐쇄됩니다.",
    "Russian": "Улица Элм закрыта с понедельника.",
    "Greek and emoji": "Ευχαριστούμε 😀 ✓",
}


def test_records_in_every_script_print_in_the_pdf(archive: Archive, tmp_path: Path) -> None:
    """A Vietnamese, Chinese, Japanese, Korean or Russian comment is printed as written, not as
    boxes: each character is drawn in a font that has it, and the PDF's text reads back."""
    open_request(archive)
    ids = seed(
        archive,
        [
            Spec("Elm Street closure: comments welcome. Café hours unchanged."),
            *(
                Spec(text, kind="comment", parent=0, author=f"{name} resident")
                for name, text in SCRIPTS.items()
            ),
        ],
    )
    review.add_items(archive, CLERK, NUMBER, ids[:1])
    review.decide(archive, ATTORNEY, NUMBER, ids, "release")
    build_package(archive, CLERK, NUMBER, tmp_path / "pkg")
    reader = PdfReader(str(tmp_path / "pkg" / "data" / "records.pdf"))
    pages = ["".join((page.extract_text() or "").split()) for page in reader.pages]
    assert "ElmStreetclosure:commentswelcome.Caféhoursunchanged." in pages[0]
    for written in SCRIPTS.values():
        assert any("".join(written.split()) in page for page in pages), written
    used = " ".join(
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    )
    for name in ("Helvetica", "DejaVuSans", "STSong-Light", "HeiseiMin-W3", "HYSMyeongJo-Medium"):
        assert name in used, used
    assert verify_package(tmp_path / "pkg").ok


def test_font_runs_keep_helvetica_for_what_it_has() -> None:
    from archiver.requests.package import fonts

    assert fonts.runs("Café Ñandú €5", "Helvetica") == [("Café Ñandú €5", "Helvetica")]
    assert fonts.runs("Đi ok", "Helvetica-Bold") == [
        ("Đ", "ArchiverDejaVuSans-Bold"),
        ("i ok", "Helvetica-Bold"),
    ]
    assert fonts.runs("中文 한국", "Helvetica") == [
        ("中文", fonts.CHINESE),
        (" ", "Helvetica"),
        ("한국", fonts.KOREAN),
    ]
    assert [font for _, font in fonts.runs("東京へ", "Helvetica")] == [fonts.JAPANESE]
    assert fonts.width("Đi", "Helvetica", 10) > fonts.width("i", "Helvetica", 10)
