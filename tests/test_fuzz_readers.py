"""Property tests: whatever the bytes, strings or JSON values, the readers yield
``Document``s or ``InputError``s and never raise anything else.

Every document that comes out obeys the readers' rules (valid Unicode, no NUL, at
least one letter, an http(s) URL or none). Examples are bounded so the module runs
in well under a minute; ``database=None`` leaves no ``.hypothesis`` folder behind.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from datetime import timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimgraph.errors import InputError
from claimgraph.ingest import (
    document_from_html,
    document_from_text,
    normalise_date,
    read_documents,
)
from claimgraph.model import Document

FUZZ = settings(
    max_examples=200,
    deadline=timedelta(seconds=10),  # the first HTML example imports trafilatura
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

#: Any code point, lone surrogates, NUL and controls included.
ANY_CHAR = st.characters(exclude_categories=())
ANY_TEXT = st.text(ANY_CHAR, max_size=300)
#: Text with prose in it, so some examples get past the "no words" rule.
PROSE = st.sampled_from(
    [
        "The minister said on Monday that the talks had failed.",
        "Officials said the bridge would reopen, the mayor's office said.",
        "",
    ]
)
MIXED_TEXT = st.builds(lambda a, b, c: a + b + c, ANY_TEXT, PROSE, ANY_TEXT)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    ANY_TEXT,
    MIXED_TEXT,
)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(ANY_TEXT, inner, max_size=4)
    ),
    max_leaves=12,
)
FIELDS = st.sampled_from(["text", "html", "title", "url", "outlet", "published"])
RECORDS = st.dictionaries(FIELDS, JSON_VALUES, max_size=6)
_LETTER = re.compile(r"[^\W\d_]")


def check(items: list[Any], name: str) -> None:
    """Only documents and input errors, each named after ``name``, each document within
    the rules that every backend can store."""
    for item in items:
        if isinstance(item, InputError):
            assert item.document.startswith(name) and item.detail
            str(item).encode("utf-8")  # printable, whatever the input
        else:
            assert isinstance(item, Document), item
            check_document(item)


def check_document(doc: Document) -> None:
    assert "\x00" not in doc.text and _LETTER.search(doc.text)
    for value in (doc.text, doc.name, doc.title or "", doc.outlet or "", doc.url or ""):
        value.encode("utf-8")  # no lone surrogates
        assert "\x00" not in value
    assert doc.url is None or doc.url.startswith(("http://", "https://"))


def read_file(suffix: str, data: bytes) -> list[Document | InputError]:
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "f" + suffix)
        with open(path, "wb") as fh:
            fh.write(data)
        items = list(read_documents([path]))
        check(items, path)
        return items


# --------------------------------------------------------------------------- JSONL


@FUZZ
@given(st.binary(max_size=3000))
def test_jsonl_reader_takes_any_bytes(data: bytes) -> None:
    read_file(".jsonl", data)


@FUZZ
@given(st.lists(JSON_VALUES, min_size=1, max_size=5), st.booleans())
def test_jsonl_reader_takes_any_json_values(values: list[Any], ascii_only: bool) -> None:
    lines = [json.dumps(v, ensure_ascii=ascii_only) for v in values]
    data = "\n".join(lines).encode("utf-8", "surrogatepass")
    read_file(".jsonl", data)


@FUZZ
@given(st.lists(RECORDS, min_size=1, max_size=5))
def test_jsonl_reader_takes_any_records(records: list[dict[str, Any]]) -> None:
    data = "".join(json.dumps(r) + "\n" for r in records).encode("ascii")
    items = read_file(".jsonl", data)
    assert len(items) == len(records)  # one item a line, good or bad


@FUZZ
@given(st.lists(st.one_of(st.binary(max_size=200), st.just(b'{"text": "x"}')), max_size=8))
def test_jsonl_good_lines_survive_bad_neighbours(chunks: list[bytes]) -> None:
    good = json.dumps({"text": "Road reopens\n\nThe mayor said the road would reopen."})
    lines = [c.replace(b"\n", b" ") for c in chunks]
    data = b"\n".join([*lines, good.encode()]) + b"\n"
    items = read_file(".jsonl", data)
    last = items[-1]
    if isinstance(last, InputError) and ":" not in last.document.rsplit("/", 1)[-1]:
        # the one case where a file is refused whole: it looks like UTF-16 from its start
        assert len(items) == 1 and "UTF-16" in last.detail, items
    else:
        assert isinstance(last, Document) and last.name.endswith(f":{len(lines) + 1}")


# --------------------------------------------------------------------------- text and HTML


@FUZZ
@given(st.binary(max_size=3000))
def test_text_reader_takes_any_bytes(data: bytes) -> None:
    assert len(read_file(".txt", data)) == 1


@FUZZ
@given(MIXED_TEXT)
def test_text_from_memory_takes_any_string(text: str) -> None:
    try:
        doc = document_from_text(text, "api:1")
    except InputError:
        return
    check_document(doc)
    assert doc.text == text


@FUZZ
@given(st.binary(max_size=3000))
def test_html_reader_takes_any_bytes(data: bytes) -> None:
    assert len(read_file(".html", data)) == 1


TAGS = st.sampled_from(
    ["<p>", "</p>", "<div>", "<script>", "</script>", "<title>", "<!--", "-->", "&amp;", "&#0;"]
)
HTML_TEXT = st.lists(st.one_of(TAGS, ANY_TEXT, PROSE), max_size=12).map("".join)


@FUZZ
@given(st.one_of(HTML_TEXT, st.binary(max_size=2000)), st.one_of(st.none(), ANY_TEXT))
def test_html_from_memory_takes_any_markup(html: str | bytes, url: str | None) -> None:
    try:
        doc = document_from_html(html, "api:1", url=url)
    except InputError:
        return
    check_document(doc)


@FUZZ
@given(ANY_TEXT)
def test_normalise_date_raises_only_value_error(value: str) -> None:
    try:
        result = normalise_date(value)
    except ValueError:
        return
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", result)
