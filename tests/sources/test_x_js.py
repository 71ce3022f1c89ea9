"""The streaming reader of X's ``window.YTD...`` files: same values as ``json.loads``, errors
with the right line and column, whatever the chunk boundaries."""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archiver.errors import InvalidInput
from archiver.sources import x_js
from archiver.sources.x_js import iter_assignment, read_assignment

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text() | st.floats(allow_nan=False),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=15,
)


def ytd(elements: list[object], indent: int | None = 2) -> bytes:
    body = json.dumps(elements, indent=indent, ensure_ascii=False)
    return f"window.YTD.tweets.part0 = {body}".encode()


@settings(max_examples=60, deadline=None)
@given(st.lists(json_values, max_size=6), st.integers(1, 64), st.sampled_from([None, 0, 2]))
def test_elements_equal_json_loads_at_any_chunk_size(
    elements: list[object], chunk: int, indent: int | None
) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(x_js, "CHUNK", chunk)
        got = [v for _, v in iter_assignment(io.BytesIO(ytd(elements, indent)), "t.js")]
    assert got == elements


@pytest.mark.parametrize("chunk", [3, 50, 1 << 20])
def test_truncation_is_reported_at_its_line_and_column(chunk: int) -> None:
    raw = ytd([{"id": str(i), "text": "caf\u00e9 \u2014 ok"} for i in range(20)])
    cut = raw[: raw.index(b'"id": "13"') + 6]
    line = cut.count(b"\n") + 1
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(x_js, "CHUNK", chunk)
        with pytest.raises(InvalidInput, match=rf"t\.js: line {line}, column \d+: "):
            list(iter_assignment(io.BytesIO(cut), "t.js"))


def test_structure_errors() -> None:
    cases = {
        b"[]": r"line 1: expected 'window\.YTD",
        b"window.YTD.x.part0 = {}": r"line 1, column 22: expected '\['",
        b'window.YTD.x.part0 = [\n  {"a": 1}\n  {"b": 2}\n]': r"line 3, column 3: expected ','",
        b"window.YTD.x.part0 = [ ] x": r"line 1, column 26: unexpected text",
        b"window.YTD.x.part0 = [1, 2": r"line 1, column 27: the list ends without",
        b'window.YTD.x.part0 = ["\xff"]': r"byte 23: not UTF-8",
    }
    for raw, message in cases.items():
        with pytest.raises(InvalidInput, match=message):
            list(iter_assignment(io.BytesIO(raw), "t.js"))


def test_empty_list_and_old_prefix_on_one_line() -> None:
    assert list(iter_assignment(io.BytesIO(b"window.YTD.like.part0 = [ ]"), "t.js")) == []
    assert list(iter_assignment(io.BytesIO(b'window.YTD.tweet.part0 = [ {\n"a": "1"} ]'), "t")) == [
        (0, {"a": "1"})
    ]
    config = read_assignment(io.BytesIO(b'\xef\xbb\xbfwindow.__THAR_CONFIG = {"a": [1]};'), "m")
    assert config == {"a": [1]}


@pytest.mark.parametrize("chunk", [5, 1 << 20])
def test_columns_on_one_long_line(chunk: int) -> None:
    raw = ytd([{"id": str(i), "text": "caf\u00e9"} for i in range(200)], indent=None)
    at = raw.index(b'"150"')
    broken = raw[:at] + b"?" + raw[at + 1 :]
    column = len(broken[:at].decode()) + 1  # characters, not bytes
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(x_js, "CHUNK", chunk)
        with pytest.raises(InvalidInput, match=rf"t\.js: line 1, column {column}: "):
            list(iter_assignment(io.BytesIO(broken), "t.js"))
