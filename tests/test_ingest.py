"""Ingest: real files in tmp_path, real trafilatura on real HTML strings."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from claimgraph.errors import (
    BinaryDocumentError,
    DocumentNotFoundError,
    DocumentTooLargeError,
    EmptyDocumentError,
    EncodingError,
    InputError,
    MalformedRecordError,
    NonEnglishError,
    UnsupportedInputError,
)
from claimgraph.ingest import (
    DEFAULT_MAX_BYTES,
    document_from_html,
    document_from_text,
    normalise_date,
    read_document,
    read_documents,
)
from claimgraph.model import Document, content_id
from claimgraph.sections import split_sections

FIXTURES = Path(__file__).parent / "fixtures"

ARTICLE = (
    "Bridge plan approved\n\n"
    "The county council approved plans for a new bridge on Monday, the council leader "
    "said, ending a dispute that had lasted almost a decade.\n"
)
GERMAN = (
    "Die Bundesregierung hat am Montag neue Maßnahmen gegen die steigenden Energiepreise "
    "beschlossen. Der Kanzler sagte, man werde die Bürger entlasten, und kündigte weitere "
    "Gespräche mit den Ländern an. Die Opposition kritisierte das Paket als zu spät und zu "
    "klein. Nach Angaben des Finanzministeriums kostet das Vorhaben rund zwanzig Milliarden "
    "Euro im kommenden Jahr."
)
ENGLISH_LONG = (
    "The county council approved plans for a new road bridge over the river on Monday, "
    "ending a dispute that had lasted almost a decade. The council leader said the bridge "
    "would cut journey times for thousands of commuters and was expected to open in 2026. "
    "Campaigners who opposed the scheme said they would consider a legal challenge."
)


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def only(results: list[Any]) -> Any:
    assert len(results) == 1, results
    return results[0]


# --------------------------------------------------------------------------- plain text


def test_plain_text_is_the_files_bytes_decoded_exactly(tmp_path: Path) -> None:
    raw = "\ufeffBridge plan approved\r\n\r\n  The council said “yes”.  \r\n\n\n".encode()
    path = write(tmp_path / "a.txt", raw)
    doc = only(list(read_documents([path])))
    assert isinstance(doc, Document)
    assert doc.text == raw.decode("utf-8")
    assert doc.text.startswith("\ufeff") and "\r\n" in doc.text and doc.text.endswith("\n\n\n")
    assert doc.id == content_id(doc.text)
    assert doc.name == str(path)
    # the title is the headline line (tests/test_fetch.py has more on derived titles)
    assert doc.title == "Bridge plan approved" and doc.published is None


def test_name_is_the_path_as_given_and_same_text_gets_same_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "one.txt", ARTICLE)
    write(tmp_path / "two.md", ARTICLE)
    write(tmp_path / "NOEXT", ARTICLE)
    monkeypatch.chdir(tmp_path)
    docs = list(read_documents(["one.txt", Path("two.md"), "./NOEXT"]))
    assert [d.name for d in docs] == ["one.txt", "two.md", "./NOEXT"]
    assert len({d.id for d in docs}) == 1


def test_published_argument_is_the_default_date_and_is_checked_up_front(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", ARTICLE)
    assert only(list(read_documents([path], published="2022-11-05"))).published == "2022-11-05"
    with pytest.raises(ValueError, match="not a date"):
        read_documents([path], published="5 Nov")
    with pytest.raises(ValueError, match="not a valid date"):
        read_documents([path], published="2022-02-30")


def test_a_single_path_string_is_not_iterated_by_character(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", ARTICLE)
    assert only(list(read_documents(str(path)))).name == str(path)


def test_folders_are_walked_sorted_recursively_skipping_hidden(tmp_path: Path) -> None:
    root = tmp_path / "in"
    write(root / "b.txt", ARTICLE + "b")
    write(root / "a.txt", ARTICLE + "a")
    write(root / "sub" / "c.txt", ARTICLE + "c")
    write(root / "a_sub" / "d.txt", ARTICLE + "d")
    write(root / ".hidden.txt", ARTICLE)
    write(root / ".git" / "e.txt", ARTICLE)
    names = [r.name for r in read_documents([str(root)])]
    assert names == [
        os.path.join(str(root), "a.txt"),
        os.path.join(str(root), "b.txt"),
        os.path.join(str(root), "a_sub", "d.txt"),
        os.path.join(str(root), "sub", "c.txt"),
    ]
    assert names == [r.name for r in read_documents([str(root)])]


def test_bad_documents_are_yielded_not_raised_and_the_batch_carries_on(tmp_path: Path) -> None:
    good = write(tmp_path / "good.txt", ARTICLE)
    empty = write(tmp_path / "empty.txt", " \n\t\n")
    results = list(read_documents([tmp_path / "missing.txt", empty, tmp_path / "x.pdf", good]))
    assert [type(r) for r in results] == [
        DocumentNotFoundError,
        EmptyDocumentError,
        DocumentNotFoundError,
        Document,
    ]
    assert str(results[0]) == f"{tmp_path / 'missing.txt'}: no such file or folder"
    assert results[0].document == str(tmp_path / "missing.txt")


def test_unsupported_extension_is_named(tmp_path: Path) -> None:
    path = write(tmp_path / "report.pdf", b"%PDF-1.4 not really")
    err = only(list(read_documents([path])))
    assert isinstance(err, UnsupportedInputError)
    assert err.document == str(path)
    assert "'.pdf'" in err.detail


@pytest.mark.parametrize("data", [b"", b"   \n\r\n\t ", "\ufeff \n".encode()])
def test_empty_or_whitespace_only_is_empty_document(tmp_path: Path, data: bytes) -> None:
    err = only(list(read_documents([write(tmp_path / "e.txt", data)])))
    assert isinstance(err, EmptyDocumentError)
    assert "empty" in err.detail


def test_nul_bytes_or_control_characters_are_binary(tmp_path: Path) -> None:
    nul = write(tmp_path / "n.txt", b"Bridge plan\x00\x01\x02 approved" + b"x" * 100)
    ctrl = write(tmp_path / "c.txt", bytes(range(1, 9)) * 20 + b"some text")
    errs = list(read_documents([nul, ctrl]))
    assert [type(e) for e in errs] == [BinaryDocumentError, BinaryDocumentError]
    assert "NUL" in errs[0].detail
    assert "control characters" in errs[1].detail


def test_utf16_gets_a_conversion_hint(tmp_path: Path) -> None:
    err = only(list(read_documents([write(tmp_path / "u.txt", ARTICLE.encode("utf-16"))])))
    assert isinstance(err, EncodingError)
    assert "UTF-16" in err.detail and "iconv -f UTF-16 -t UTF-8" in err.detail


def test_latin1_says_where_and_how_to_convert(tmp_path: Path) -> None:
    data = "Bridge plan approved\n\nThe café owner said it was good news.".encode("latin-1")
    path = write(tmp_path / "l.txt", data)
    err = only(list(read_documents([path])))
    assert isinstance(err, EncodingError)
    offset = data.index(b"\xe9")
    assert f"byte 0xe9 at byte offset {offset}" in err.detail
    assert "Latin-1 or Windows-1252" in err.detail
    assert f"iconv -f WINDOWS-1252 -t UTF-8 {path}" in err.detail
    with pytest.raises(EncodingError):
        read_document(path)


def test_too_large_is_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "big.txt"
    with open(path, "wb") as f:
        f.truncate(DEFAULT_MAX_BYTES + 1)  # sparse: costs no disk

    def no_open(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was opened despite its size")

    monkeypatch.setattr("claimgraph.ingest.open", no_open, raising=False)
    err = only(list(read_documents([path])))
    assert isinstance(err, DocumentTooLargeError)
    assert f"{DEFAULT_MAX_BYTES + 1:,} bytes" in err.detail
    assert f"limit of {DEFAULT_MAX_BYTES:,} bytes" in err.detail


def test_max_bytes_is_configurable(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", ARTICLE)
    assert isinstance(only(list(read_documents([path], max_bytes=50))), DocumentTooLargeError)
    assert isinstance(only(list(read_documents([path], max_bytes=10_000))), Document)


def test_clearly_non_english_is_refused_but_short_foreign_text_passes(tmp_path: Path) -> None:
    german = write(tmp_path / "de.txt", GERMAN)
    russian = write(tmp_path / "ru.txt", "Правительство объявило о новых мерах. " * 12)
    short = write(tmp_path / "short.txt", "Die Regierung hat neue Maßnahmen beschlossen.")
    results = list(read_documents([german, russian, short]))
    assert [type(r) for r in results] == [NonEnglishError, NonEnglishError, Document]
    assert "English" in results[0].detail and "words" in results[0].detail
    assert "Latin" in results[1].detail


@pytest.mark.parametrize(
    "text",
    [
        "Storm hits coast",
        "Trump wins Florida, Clinton takes Ohio",
        ENGLISH_LONG,
        # A results-heavy English brief: few function words but still English.
        "Results: Arsenal 2 Chelsea 1; Liverpool 3 Everton 0; Leeds 1 Fulham 1. " + ENGLISH_LONG,
    ],
)
def test_english_passes(text: str) -> None:
    assert document_from_text(text, "t").text == text


@pytest.mark.shared
def test_every_polnear_text_is_accepted(shared_dir: Path) -> None:
    folder = shared_dir / "eval" / "polnear"
    paths = sorted(folder.glob("*/text/*.txt"))
    if not paths:
        pytest.skip(f"../shared not found: no PolNeAR texts under {folder}")
    results = list(read_documents(paths))
    errors = [r for r in results if isinstance(r, InputError)]
    assert errors == []
    assert len(results) == len(paths)
    assert all(
        d.text == p.read_bytes().decode("utf-8") for d, p in zip(results, paths, strict=True)
    )


@pytest.mark.shared
def test_gold_example_reads_with_published_date(shared_dir: Path) -> None:
    path = shared_dir / "examples" / "000_57d7b0572d853387.txt"
    doc = read_document(path, published="2022-11-05")
    assert doc.published == "2022-11-05"
    assert doc.text[:62] == "Iran acknowledges drone shipments to Russia before Ukraine war"
    assert len(doc.text) == 2957


# --------------------------------------------------------------------------- read_document


def test_read_document_raises_and_refuses_folders(tmp_path: Path) -> None:
    assert read_document(write(tmp_path / "a.txt", ARTICLE)).text == ARTICLE
    with pytest.raises(EmptyDocumentError):
        read_document(write(tmp_path / "e.txt", ""))
    with pytest.raises(DocumentNotFoundError):
        read_document(tmp_path / "nope.txt")
    with pytest.raises(UnsupportedInputError, match="folder"):
        read_document(tmp_path)
    with pytest.raises(UnsupportedInputError, match="6 records"):
        read_document(FIXTURES / "records.jsonl")


# --------------------------------------------------------------------------- HTML


def test_html_article_without_nav_or_footer_and_with_metadata() -> None:
    doc = read_document(FIXTURES / "article.html", published="2000-01-01")
    assert doc.name == str(FIXTURES / "article.html")
    assert doc.title == "Council approves new bridge over the Lune"
    assert doc.outlet == "The Valley Courier"
    assert doc.url == "https://courier.example.org/news/council-approves-bridge"
    assert doc.published == "2023-05-09"  # the page's date beats the default
    assert doc.text.startswith("Council approves new bridge over the Lune\n\nThe county council")
    assert doc.text.endswith("funding for the project had already been set aside.")
    for junk in ("Log in", "cookies", "Privacy", "All rights reserved", "Storm warning"):
        assert junk not in doc.text
    assert [s.kind for s in split_sections(doc.text, doc.title)] == ["headline", "body"]


PAGE_NO_H1 = """<html><head><title>Port strike ends after pay deal</title></head><body>
<nav><a href="/">Home</a> | <a href="/news">News</a></nav>
<div class="story"><p>Dock workers returned to work on Friday after union leaders accepted a
pay offer worth eight percent over two years, the port authority said in a statement.</p>
<p>The strike had halted container traffic for nine days and left dozens of ships waiting
at anchor outside the harbour, according to the shipping agents who track arrivals.</p>
</div><footer>Contact us | Terms</footer></body></html>"""


def test_html_title_is_put_first_when_trafilatura_drops_it() -> None:
    doc = document_from_html(PAGE_NO_H1, "page", published="2023-06-02", outlet="Harbour News")
    assert doc.title == "Port strike ends after pay deal"
    assert doc.text.startswith("Port strike ends after pay deal\n\nDock workers returned")
    assert doc.text.count("Port strike ends after pay deal") == 1
    assert doc.published == "2023-06-02"  # the page has no date: the argument fills it
    assert doc.outlet == "Harbour News"
    assert "Contact us" not in doc.text and "Home" not in doc.text
    assert split_sections(doc.text, doc.title)[0].kind == "headline"


def test_html_h1_shorter_than_page_title_is_not_repeated() -> None:
    html = PAGE_NO_H1.replace('<div class="story">', "<article><h1>Port strike ends</h1>").replace(
        "</div><footer>", "</article><footer>"
    )
    html = html.replace(
        "<title>Port strike ends after pay deal</title>",
        "<title>Port strike ends after pay deal: unions accept offer</title>",
    )
    doc = document_from_html(html, "page")
    assert doc.text.startswith("Port strike ends\n\nDock workers returned")


def test_html_bytes_with_declared_legacy_charset() -> None:
    html = PAGE_NO_H1.replace("<head>", '<head><meta charset="windows-1252">').replace(
        "Dock workers", "Café owners and dock workers"
    )
    doc = document_from_html(html.encode("cp1252"), "legacy.html")
    assert "Café owners and dock workers" in doc.text


def test_html_without_article_text_is_empty(tmp_path: Path) -> None:
    page = write(
        tmp_path / "nav.html",
        "<html><body><nav><a href='/'>Home</a></nav><footer>Terms</footer></body></html>",
    )
    err = only(list(read_documents([page])))
    assert isinstance(err, EmptyDocumentError)
    assert err.detail == "no article text found in HTML"
    assert str(err) == f"{page}: no article text found in HTML"


def test_non_english_html_is_refused() -> None:
    html = f"<html><body><article><h1>Energiepreise</h1><p>{GERMAN}</p></article></body></html>"
    with pytest.raises(NonEnglishError):
        document_from_html(html, "de.html")


# --------------------------------------------------------------------------- JSONL


def test_jsonl_good_truncated_and_bad_lines() -> None:
    path = FIXTURES / "records.jsonl"
    results = list(read_documents([path], published="2020-01-01"))
    labels = [r.name if isinstance(r, Document) else r.document for r in results]
    assert labels == [f"{path}:{n}" for n in (1, 2, 4, 5, 6, 7)]  # line 3 is blank

    first, truncated, html, not_object, no_text, bad_date = results
    assert isinstance(first, Document)
    assert first.text.startswith("Mayor promises new library\n\nThe mayor said")
    assert (first.title, first.url, first.outlet, first.published) == (
        "Mayor promises new library",
        "https://news.example.org/library",
        "City News",
        "2023-04-03",
    )
    assert isinstance(truncated, MalformedRecordError)
    assert truncated.detail.startswith("line is not valid JSON (truncated?): ")
    assert isinstance(html, Document)
    assert html.text.startswith("Rail line reopens\n\nThe rail line between the two towns")
    assert html.published == "2023-06-11"
    assert isinstance(not_object, MalformedRecordError) and "got list" in not_object.detail
    assert isinstance(no_text, MalformedRecordError)
    assert "neither a 'text' nor an 'html'" in no_text.detail
    assert isinstance(bad_date, MalformedRecordError)
    assert "'2023-02-30' is not a valid date" in bad_date.detail


def test_jsonl_default_date_wrong_types_and_oversized_line(tmp_path: Path) -> None:
    long_text = "The council said yes. " * 40
    path = write(
        tmp_path / "r.ndjson",
        "\n".join(
            [
                '{"text": "Bridge approved\\n\\nThe council said yes."}',
                '{"text": 42}',
                '{"text": "' + long_text + '"}',
                '{"text": "Port reopens\\n\\nThe port reopened, officials said."}',
            ]
        ),
    )
    results = list(read_documents([path], published="2022-11-05", max_bytes=400))
    assert isinstance(results[0], Document) and results[0].published == "2022-11-05"
    assert isinstance(results[1], MalformedRecordError)
    assert "field 'text' must be a string, got int" in results[1].detail
    assert isinstance(results[2], DocumentTooLargeError)
    assert results[2].document == f"{path}:3"
    assert isinstance(results[3], Document) and results[3].name == f"{path}:4"


def test_jsonl_non_utf8_line_and_empty_file(tmp_path: Path) -> None:
    bad = write(
        tmp_path / "bad.jsonl",
        b'{"text": "caf\xe9 owners said yes"}\n{"text": "Bridge approved, the council said."}\n',
    )
    results = list(read_documents([bad]))
    assert isinstance(results[0], EncodingError) and results[0].document == f"{bad}:1"
    assert "byte offset 13 of the line" in results[0].detail
    assert f"iconv -f WINDOWS-1252 -t UTF-8 {bad} > {bad}.utf8" in results[0].detail
    assert isinstance(results[1], Document)

    empty = write(tmp_path / "empty.jsonl", "\n\n")
    err = only(list(read_documents([empty])))
    assert isinstance(err, EmptyDocumentError) and err.document == str(empty)


# --------------------------------------------------------------------------- API helpers


def test_document_from_text_validates_like_files() -> None:
    doc = document_from_text(
        ARTICLE, "api:1", title="Bridge plan approved", published="2022-11-05T10:00:00Z"
    )
    assert doc.text == ARTICLE and doc.published == "2022-11-05" and doc.name == "api:1"
    assert doc.id == content_id(ARTICLE)
    with pytest.raises(EmptyDocumentError):
        document_from_text("  \n", "api:2")
    with pytest.raises(BinaryDocumentError):
        document_from_text("Bridge\x00plan", "api:3")
    with pytest.raises(NonEnglishError):
        document_from_text(GERMAN, "api:4")
    with pytest.raises(MalformedRecordError, match="not a date"):
        document_from_text(ARTICLE, "api:5", published="yesterday")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2022-11-05", "2022-11-05"),
        ("2022-11-05T10:00:00+03:00", "2022-11-05"),
        ("2022-11-05 10:00", "2022-11-05"),
        ("Sat, 05 Nov 2022 10:00:00 GMT", "2022-11-05"),
    ],
)
def test_normalise_date_accepts(value: str, expected: str) -> None:
    assert normalise_date(value) == expected


@pytest.mark.parametrize("value", ["", "2022-13-01", "05/11/2022", "last Saturday", "2022"])
def test_normalise_date_rejects(value: str) -> None:
    with pytest.raises(ValueError):
        normalise_date(value)


def test_a_date_in_the_file_name_dates_plain_text(tmp_path: Path) -> None:
    dated = tmp_path / "2022-10-18_wire_strikes.txt"
    dated.write_text("Drones hit the capital\n\nOfficials said drones hit the capital.", "utf-8")
    impossible = tmp_path / "2022-13-45_notes.txt"
    impossible.write_text("A note\n\nThe clerk said the office would open late.", "utf-8")
    undated = tmp_path / "notes.txt"
    undated.write_text("A note\n\nThe clerk said the office would open late today.", "utf-8")
    docs = {Path(d.name).name: d for d in read_documents([tmp_path], published="2020-01-01")}
    assert docs["2022-10-18_wire_strikes.txt"].published == "2022-10-18"
    assert docs["2022-13-45_notes.txt"].published == "2020-01-01"
    assert docs["notes.txt"].published == "2020-01-01"


def test_folder_walk_skips_readmes_and_files_that_are_no_articles(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# About these files\n\nThey are examples.", "utf-8")
    (tmp_path / "a.ann").write_text("T1\tCue 0 4\tsaid", "utf-8")
    (tmp_path / "story.txt").write_text("Title\n\nThe mayor said the road would reopen.", "utf-8")
    ignored: list[str] = []
    items = list(read_documents([tmp_path], on_ignored=lambda name, _: ignored.append(name)))
    assert [Path(getattr(i, "name", "")).name for i in items] == ["story.txt"]
    assert sorted(Path(n).name for n in ignored) == ["README.md", "a.ann"]
    # named explicitly, an unsupported file is still reported rather than ignored
    [err] = list(read_documents([tmp_path / "a.ann"]))
    assert isinstance(err, UnsupportedInputError)


# --------------------------------------------------------------------------- hostile input


def test_jsonl_bad_lines_never_stop_the_file(tmp_path: Path) -> None:
    good = '{"text": "Port reopens\\n\\nThe port reopened, officials said."}'
    lines = [
        b"\x00\x01\x02\x03 binary\xff",  # a binary line at the top costs only itself
        good.encode(),
        b'{"text": ' + b"9" * 5000 + b"}",  # ValueError: over 4,300 digits
        b"[" * 100_000,  # RecursionError
        b'{"text": "The minister \\ud800 said so."}',  # a lone surrogate
        b'{"title": "T\\u0000", "text": "The mayor said yes."}',
        good.replace("Port", "Pier").encode(),
    ]
    path = write(tmp_path / "r.jsonl", b"\n".join(lines) + b"\n")
    results = list(read_documents([path]))
    assert [r.name if isinstance(r, Document) else r.document for r in results] == [
        f"{path}:{n}" for n in range(1, 8)
    ]
    binary, first, huge, deep, surrogate, nul, last = results
    assert isinstance(binary, BinaryDocumentError) and "binary" in binary.detail
    assert isinstance(first, Document) and isinstance(last, Document)
    assert isinstance(huge, MalformedRecordError) and "4300 digits" in huge.detail
    assert isinstance(deep, MalformedRecordError) and "nested too deeply" in deep.detail
    assert isinstance(surrogate, MalformedRecordError) and "lone surrogate" in surrogate.detail
    assert isinstance(nul, MalformedRecordError) and "'title' contains a NUL" in nul.detail


def test_jsonl_binary_lines_in_a_row_are_one_error_and_a_first_bom_is_skipped(
    tmp_path: Path,
) -> None:
    good = b'{"text": "The council said yes."}\n'
    path = write(tmp_path / "r.jsonl", b"\xef\xbb\xbf" + good + b"\x00\x01\n" * 3 + good)
    first, run, last = read_documents([path])
    assert isinstance(first, Document) and isinstance(last, Document)
    assert isinstance(run, BinaryDocumentError) and run.document == f"{path}:2-4"


def test_nul_anywhere_and_lone_surrogates_are_refused() -> None:
    with pytest.raises(BinaryDocumentError, match="first at character 2,000"):
        document_from_text("a" * 2000 + "\x00", "api:1")
    with pytest.raises(EncodingError, match="lone surrogate"):
        document_from_text("The mayor \udc80 said so.", "api:2")
    with pytest.raises(MalformedRecordError, match="'outlet' contains a NUL"):
        document_from_text("The mayor said so.", "api:3", outlet="A\x00")


@pytest.mark.parametrize(
    "text", ["\u200b\u200c\u200d\u2060\ufeff" * 3, "... !!! ???", "$" * 16384, "2024 42", "\u202e"]
)
def test_documents_without_a_letter_are_empty(text: str) -> None:
    with pytest.raises(EmptyDocumentError, match="no words"):
        document_from_text(text, "api:1")


def test_utf16_without_bom_gets_a_conversion_hint(tmp_path: Path) -> None:
    path = write(tmp_path / "u.txt", ARTICLE.encode("utf-16-le"))
    err = only(list(read_documents([path])))
    assert isinstance(err, EncodingError) and "iconv -f UTF-16LE -t UTF-8" in err.detail


def test_special_files_and_links_are_named_never_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")  # opening it would block for ever
    (tmp_path / "loop.txt").symlink_to("loop.txt")
    (tmp_path / "broken.txt").symlink_to("gone.txt")
    (tmp_path / "zero.jsonl").symlink_to("/dev/zero")
    names = ["pipe.txt", "loop.txt", "broken.txt", "zero.jsonl"]
    errs = list(read_documents([tmp_path / n for n in names]))
    assert [e.document for e in errs] == [str(tmp_path / n) for n in names]
    assert isinstance(errs[0], UnsupportedInputError) and "FIFO" in errs[0].detail
    assert "symbolic link loop" in errs[1].detail
    assert isinstance(errs[2], DocumentNotFoundError) and "'gone.txt'" in errs[2].detail
    assert "character device" in errs[3].detail
    # in a folder too, beside a good file
    write(tmp_path / "good.txt", ARTICLE)
    items = list(read_documents([tmp_path]))
    assert sum(isinstance(i, Document) for i in items) == 1 and len(items) == 5


def test_file_names_that_are_not_utf8_are_named_printably(tmp_path: Path) -> None:
    raw = os.path.join(os.fsencode(tmp_path), b"caf\xe9.txt")
    with open(raw, "wb") as fh:
        fh.write(ARTICLE.encode())
    err = only(list(read_documents([tmp_path])))
    assert isinstance(err, UnsupportedInputError)
    assert err.document == f"{tmp_path}/caf\\xe9.txt" and "not valid UTF-8" in err.detail


def test_folders_report_symlinked_subfolders_instead_of_following_them(tmp_path: Path) -> None:
    write(tmp_path / "sub" / "a.txt", ARTICLE)
    (tmp_path / "again").symlink_to(tmp_path)  # would loop if followed
    items = list(read_documents([tmp_path]))
    assert isinstance(items[0], UnsupportedInputError) and "not followed" in items[0].detail
    assert items[0].document == str(tmp_path / "again")
    assert [i.name for i in items[1:]] == [str(tmp_path / "sub" / "a.txt")]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every folder whatever its mode")
def test_unreadable_subfolder_is_reported(tmp_path: Path) -> None:
    write(tmp_path / "locked" / "a.txt", ARTICLE)
    write(tmp_path / "b.txt", ARTICLE)
    (tmp_path / "locked").chmod(0)
    try:
        items = list(read_documents([tmp_path]))
    finally:
        (tmp_path / "locked").chmod(0o755)
    errs = [i for i in items if isinstance(i, InputError)]
    assert [e.document for e in errs] == [str(tmp_path / "locked")]
    assert "cannot read folder" in errs[0].detail
