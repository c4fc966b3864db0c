"""Read articles from files, folders, HTML pages, JSON Lines, standard input and the web
(articles and RSS/Atom feeds, see :mod:`claimgraph.fetch`) into ``Document`` records.

Every offset the later stages produce indexes into ``Document.text``, so plain text
is the file's bytes decoded as UTF-8 and nothing else: no newline translation, no
stripping, no BOM removal. Bad input never stops a batch: ``read_documents`` yields
the ``InputError`` in the document's place and carries on, and each error names the
document (``FILE:LINENO`` for a JSON Lines record) and says what to do about it.

The reader never raises for what it reads: no file, record, name or file type can
make it do more than yield an ``InputError`` (special files such as FIFOs and devices
are named and never opened). What a stored document can hold is decided here, the
same for every backend: valid Unicode (no lone surrogates), no NUL characters, and at
least one letter.
"""

from __future__ import annotations

import email.utils
import errno
import json
import os
import re
import shlex
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

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
from claimgraph.model import Document
from claimgraph.urls import checked_url, safe_url

#: A news article is never this big; a file that is has been mis-chosen (a dump, a
#: video, a log) and reading it whole would only waste memory.
DEFAULT_MAX_BYTES = 5 * 1024 * 1024

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ""})
HTML_SUFFIXES = frozenset({".html", ".htm"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
#: The files a folder walk reads as articles. Markdown files and files without an
#: extension are articles only when named one by one: in a folder they are notes,
#: READMEs, LICENSE files and Makefiles far more often than news.
FOLDER_SUFFIXES = frozenset({".txt", ".text"}) | HTML_SUFFIXES | JSONL_SUFFIXES
#: The name for an article read from standard input (the argument ``-``).
STDIN_NAME = "<stdin>"
#: A title made from a plain text's first sentence is cut at a word boundary near this.
MAX_DERIVED_TITLE = 120

#: How much of a file the binary sniff looks at.
SNIFF_BYTES = 8192
#: Share of control characters above which a file is binary, not text.
MAX_CONTROL_SHARE = 0.10
#: The language check only judges texts with at least this many words; a headline
#: or a two-line brief is too short to judge.
MIN_WORDS_FOR_LANGUAGE = 50
#: English news has 12-50% of these function words (PolNeAR's lowest is ~13%);
#: German, French, Spanish and Dutch news have 0-2%. The threshold sits well below
#: English so no English article is ever refused.
MIN_ENGLISH_SHARE = 0.04
#: Texts with this many letters, most of them outside ASCII (Cyrillic, Arabic,
#: CJK: scripts without spaces defeat word counts), are not English either.
MIN_LETTERS_FOR_SCRIPT = 200

_ENGLISH_FUNCTION_WORDS = frozenset(
    [
        *("the", "of", "and", "to", "that", "is", "was", "for", "with", "as", "by", "at"),
        *("from", "it", "he", "she", "they", "his", "her", "their", "this", "be", "have"),
        *("has", "had", "were", "are", "said", "not", "but", "which", "who", "will"),
        *("would", "been", "or", "its", "than", "also", "after", "about"),
    ]
)
_LETTER_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_CONTROL_BYTES = frozenset(set(range(32)) - {9, 10, 11, 12, 13} | {127})
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.,+\-Z ]*)?")
_SENTENCE_END = re.compile(r"[.!?][\"'’”)\]]*$")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_SURROGATE = re.compile("[\ud800-\udfff]")
_LETTER = re.compile(r"[^\W\d_]")
#: A JSON Lines file whose first this-many bytes are all binary lines is a binary file
#: (an archive, an image) with a wrong name; reading on would only list its "lines".
MAX_BINARY_PREFIX = 1 << 20
_UTF8_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class _Meta:
    """Article metadata; ``None`` means "not known here"."""

    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None

    def or_else(self, other: _Meta) -> _Meta:
        """Fill the gaps of ``self`` from ``other``; what ``self`` knows wins."""
        return _Meta(
            self.title or other.title,
            self.url or other.url,
            self.outlet or other.outlet,
            self.published or other.published,
        )


# --------------------------------------------------------------------------- public API


def read_documents(
    paths: Iterable[str | os.PathLike[str]],
    *,
    published: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    known_url: Callable[[str], bool] | None = None,
    on_ignored: Callable[[str, str], None] | None = None,
) -> Iterator[Document | InputError]:
    """Documents, or the error in a bad one's place, for files, folders, JSONL files,
    ``-`` (one article on standard input) and ``http(s)://`` URLs (a page or a feed).

    ``published`` is the date for articles that carry none (HTML and JSONL metadata
    win). It is checked here, before anything is read, because a wrong date is the
    caller's mistake, not a document's: ``ValueError`` if it is not a date.

    ``known_url(url)`` says whether an article URL is already stored: feed items whose
    link it knows are not fetched again. ``on_ignored(name, reason)`` hears of what
    was passed over without being an error: files in a folder that are not articles
    (``notes.md``, ``LICENSE``), feed items already stored.
    """
    default = _Meta(published=_normalise_date_arg(published))
    if isinstance(paths, str | os.PathLike):
        paths = [paths]  # a lone path would otherwise be iterated character by character
    return _iter_paths(paths, default, max_bytes, known_url, on_ignored)


def read_document(
    path: str | os.PathLike[str],
    *,
    published: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Document:
    """The one article in a plain-text or HTML file (or a one-record JSONL file).

    Raises the ``InputError`` that ``read_documents`` would have yielded.
    """
    default = _Meta(published=_normalise_date_arg(published))
    name = os.fspath(path)
    if os.path.isdir(name):
        raise UnsupportedInputError(
            name, "is a folder; read_document reads one article, use read_documents for folders"
        )
    results = list(_read_path(name, default, max_bytes))
    if len(results) != 1:
        raise UnsupportedInputError(
            name, f"holds {len(results)} records; use read_documents for JSON Lines files"
        )
    result = results[0]
    if isinstance(result, InputError):
        raise result
    return result


def document_from_text(
    text: str,
    name: str,
    *,
    title: str | None = None,
    url: str | None = None,
    outlet: str | None = None,
    published: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Document:
    """A ``Document`` from text already in memory, checked like a file would be.

    ``text`` is kept exactly as given because offsets index into it.
    """
    meta = _Meta(title, checked_url(url, name), outlet, _normalise_record_date(published, name))
    return _make_document(text, name, meta, max_bytes)


def document_from_html(
    html: str | bytes,
    name: str,
    *,
    title: str | None = None,
    url: str | None = None,
    outlet: str | None = None,
    published: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Document:
    """The article in an HTML page, with the page's own metadata.

    Title, URL, outlet and date found in the page win; the arguments fill what the
    page lacks (as ``--published`` does for plain text).
    """
    if isinstance(html, bytes):
        _check_size(len(html), name, max_bytes)
        html = _decode_html(html, name)
    fallback = _Meta(title, checked_url(url, name), outlet, _normalise_record_date(published, name))
    return _from_html(html, name, _Meta(), fallback, max_bytes)


def derive_title(text: str) -> str | None:
    """A title for a text that came without one: its headline when the sections stage
    finds one (a short first line over the body), else its first sentence, cut to
    about :data:`MAX_DERIVED_TITLE` characters at a word boundary (with "…").

    A first-sentence title loses its final full stop, so the sections stage never
    takes it for the headline: the lede stays body.
    """
    from claimgraph.sections import split_sections

    sections = split_sections(text)
    if not sections:
        return None
    first = sections[0]
    if first.kind == "headline":
        return _cut_title(" ".join(text[first.start : first.end].split()))
    start = next((s.start for s in sections if s.kind == "body"), first.start)
    paragraph = text[start:].split("\n\n", 1)[0]
    flat = " ".join(paragraph.split())
    m = _FIRST_SENTENCE.search(flat)
    sentence = flat[: m.start() + 1] if m else flat
    sentence = sentence.rstrip(".!?;:,")
    return _cut_title(sentence) if _LETTER.search(sentence) else None


#: The end of a sentence: ".", "!" or "?" (and closing quotes) before a capital.
_FIRST_SENTENCE = re.compile(
    r"(?<!\b[A-Z])(?<!\bMr)(?<!\bMs)(?<!\bDr)(?<!\bSt)(?<!\bMrs)"  # not "Mr. Smith", "J. Doe"
    r"[.!?][\"'’”)]*\s+(?=[\"'“‘(]?[A-Z0-9])"
)


def _cut_title(title: str) -> str:
    if len(title) <= MAX_DERIVED_TITLE:
        return title
    cut = title[: MAX_DERIVED_TITLE + 1]
    space = cut.rfind(" ")
    cut = cut[:space] if space > MAX_DERIVED_TITLE // 2 else cut[:MAX_DERIVED_TITLE]
    return cut.rstrip(" ,;:-–—") + "…"


def normalise_date(value: str) -> str:
    """``YYYY-MM-DD`` for an ISO date or datetime, or an RFC 2822 date as feeds write them.

    Raises ``ValueError`` for anything else: a guessed date would silently shift
    every relative time ("last month") the pipeline resolves against it.
    """
    v = value.strip()
    m = _ISO_DATE.fullmatch(v)
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        except ValueError as exc:
            raise ValueError(f"{value!r} is not a valid date ({exc})") from None
    if re.search(r"[A-Za-z]{3}", v) and re.search(r"\d{4}", v):
        try:
            return email.utils.parsedate_to_datetime(v).date().isoformat()
        except (TypeError, ValueError, IndexError, OverflowError):
            pass
    raise ValueError(f"{value!r} is not a date; expected YYYY-MM-DD")


# --------------------------------------------------------------------------- walking


def _iter_paths(
    paths: Iterable[str | os.PathLike[str]],
    default: _Meta,
    max_bytes: int,
    known_url: Callable[[str], bool] | None = None,
    on_ignored: Callable[[str, str], None] | None = None,
) -> Iterator[Document | InputError]:
    from claimgraph.fetch import is_url

    fetcher: Any = None
    try:
        for path in paths:
            name = os.fspath(path)
            if name == "-":
                yield _read_stdin(default, max_bytes)
            elif is_url(name):
                from claimgraph.fetch import Fetcher, read_url

                if fetcher is None:
                    fetcher = Fetcher(max_bytes=max_bytes)
                yield from read_url(
                    name,
                    fetcher,
                    published=default.published,
                    known_url=known_url,
                    notice=on_ignored,
                )
            elif os.path.isdir(name):
                yield from _walk(name, default, max_bytes, on_ignored)
            else:
                yield from _read_path(name, default, max_bytes)
    finally:
        if fetcher is not None:
            fetcher.close()


def _read_stdin(default: _Meta, max_bytes: int) -> Document | InputError:
    """One article from standard input: HTML when it starts with ``<``, else plain text."""
    name = STDIN_NAME
    try:
        stream = getattr(sys.stdin, "buffer", None)
        if stream is not None:
            data = stream.read(max_bytes + 1)
        else:  # a replaced sys.stdin without bytes underneath
            data = (sys.stdin.read(max_bytes + 1) if sys.stdin else "").encode("utf-8")
        _check_size(len(data), name, max_bytes)
        if data.removeprefix(_UTF8_BOM).lstrip()[:1] == b"<":
            return _from_html(_decode_html(data, name), name, _Meta(), default, max_bytes)
        return _make_document(_decode(data, name), name, default, max_bytes)
    except InputError as exc:
        return exc
    except Exception as exc:  # a reader bug must not end the batch; name it instead
        return _unexpected(name, exc)


def _walk(
    folder: str,
    default: _Meta,
    max_bytes: int,
    on_ignored: Callable[[str, str], None] | None = None,
) -> Iterator[Document | InputError]:
    """Files under ``folder``, sorted, recursively; hidden files and folders skipped
    (``.git``, ``.DS_Store`` and editor swap files are never articles). A subfolder
    that cannot be listed and a symbolic link to a folder (not followed, so a link
    loop cannot recurse) are reported, not passed over in silence. Only files with
    an article's extension (:data:`FOLDER_SUFFIXES`) are read; every other file
    (``README.md``, ``notes.md``, ``LICENSE``, ``a.ann``) goes to ``on_ignored``."""
    unreadable: list[OSError] = []
    for root, dirs, files in os.walk(folder, onerror=unreadable.append):
        yield from _unreadable_folders(unreadable)
        kept = []
        for d in sorted(d for d in dirs if not d.startswith(".")):
            path = os.path.join(root, d)
            if os.path.islink(path):
                yield UnsupportedInputError(
                    _printable(path),
                    "symbolic link to a folder, not followed inside a folder "
                    "(name it on the command line to read it)",
                )
            else:
                kept.append(d)
        dirs[:] = kept
        for f in sorted(files):
            # a folder holds articles beside other things (README, annotation files): only
            # the formats we read are documents; a file named explicitly is always tried
            if f.startswith("."):
                continue
            path = os.path.join(root, f)
            if _is_readme(f) or Path(f).suffix.lower() not in FOLDER_SUFFIXES:
                if on_ignored is not None:
                    on_ignored(_printable(path), _not_an_article(f))
                continue
            yield from _read_path(path, default, max_bytes)
    yield from _unreadable_folders(unreadable)


def _unreadable_folders(errors: list[OSError]) -> Iterator[InputError]:
    for exc in errors:
        where = exc.filename if isinstance(exc.filename, str) else "?"
        yield InputError(_printable(where), f"cannot read folder: {exc.strerror or exc}")
    errors.clear()


def _is_readme(filename: str) -> bool:
    return Path(filename).stem.upper() in ("README", "LICENSE", "LICENCE", "CHANGELOG", "NOTICE")


def _not_an_article(filename: str) -> str:
    suffix = Path(filename).suffix.lower()
    if _is_readme(filename):
        why = "a README/licence file"
    elif suffix in TEXT_SUFFIXES:
        why = f"{suffix or 'no extension'}: read only when named explicitly"
    else:
        why = f"{suffix} is not an article format"
    return f"not an article (ignored; {why})"


_NAME_DATE = re.compile(r"(?<!\d)(\d{4}-\d{2}-\d{2})(?!\d)")


def _date_from_name(name: str) -> str | None:
    """Archives often name files by date ("2022-11-05_iran-drones.txt"); use it when the
    text carries none. An impossible date in a name is ignored, not an error."""
    m = _NAME_DATE.search(Path(name).name)
    if not m:
        return None
    try:
        return normalise_date(m.group(1))
    except ValueError:
        return None


def _printable(name: str) -> str:
    """``name`` as valid Unicode: a file name that is not valid UTF-8 comes from the OS
    with lone surrogates, which no terminal or database accepts; its bad bytes are
    shown as ``\\xNN``."""
    if not _SURROGATE.search(name):
        return name
    return os.fsencode(name).decode("utf-8", "backslashreplace")


_SPECIAL_FILES = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def _path_problem(name: str) -> InputError | None:
    """Why ``name`` cannot be read as a file, decided from its metadata alone: a FIFO or
    a device is never opened, since reading one can block for ever."""
    shown = _printable(name)
    if shown != name:
        return UnsupportedInputError(
            shown, "file name is not valid UTF-8; rename the file (e.g. with convmv)"
        )
    try:
        st = os.stat(name)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return InputError(name, "symbolic link loop (too many levels of symbolic links)")
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            if os.path.lexists(name):
                try:
                    target = os.readlink(name)
                except OSError:
                    target = "?"
                return DocumentNotFoundError(
                    name, f"broken symbolic link: its target {_printable(target)!r} does not exist"
                )
            return DocumentNotFoundError(name, "no such file or folder")
        return InputError(name, f"cannot read: {exc.strerror or exc}")
    for test, kind in _SPECIAL_FILES:
        if test(st.st_mode):
            return UnsupportedInputError(name, f"is {kind}, not a regular file; not opened")
    if stat.S_ISDIR(st.st_mode):
        return UnsupportedInputError(name, "is a folder")
    if not stat.S_ISREG(st.st_mode):
        return UnsupportedInputError(name, "is not a regular file; not opened")
    return None


def _read_path(name: str, default: _Meta, max_bytes: int) -> Iterator[Document | InputError]:
    problem = _path_problem(name)
    if problem is not None:
        yield problem
        return
    suffix = Path(name).suffix.lower()
    if suffix in JSONL_SUFFIXES:
        yield from _read_jsonl(name, default, max_bytes)
        return
    try:
        if suffix in TEXT_SUFFIXES:
            data = _read_bytes(name, max_bytes)
            meta = _Meta(published=_date_from_name(name)).or_else(default)
            yield _make_document(_decode(data, name), name, meta, max_bytes)
        elif suffix in HTML_SUFFIXES:
            data = _read_bytes(name, max_bytes)
            yield _from_html(_decode_html(data, name), name, _Meta(), default, max_bytes)
        else:
            yield UnsupportedInputError(
                name,
                f"unsupported file type {suffix!r}; claimgraph reads .txt, .text, .md, "
                ".html, .htm, .jsonl, .ndjson, files without extension, folders, URLs "
                "and - (standard input)",
            )
    except InputError as exc:
        yield exc
    except Exception as exc:  # a reader bug must not end the batch; name it instead
        yield _unexpected(name, exc)


def _unexpected(name: str, exc: Exception) -> InputError:
    return InputError(name, f"could not be read ({type(exc).__name__}: {_short(str(exc))})")


# --------------------------------------------------------------------------- bytes


def _read_bytes(name: str, max_bytes: int) -> bytes:
    """The file's bytes, refusing oversized files before reading them."""
    try:
        _check_size(os.stat(name).st_size, name, max_bytes)
        with open(name, "rb") as f:
            data = f.read(max_bytes + 1)  # the file may have grown since stat
    except OSError as exc:
        raise InputError(name, f"cannot read: {exc.strerror or exc}") from exc
    _check_size(len(data), name, max_bytes)
    return data


def _check_size(size: int, name: str, max_bytes: int) -> None:
    if size > max_bytes:
        raise DocumentTooLargeError(
            name,
            f"{size:,} bytes is over the limit of {max_bytes:,} bytes "
            "(a news article is far smaller; raise max_bytes if this really is one)",
        )


def _check_binary_bytes(data: bytes, name: str) -> None:
    head = data[:SNIFF_BYTES]
    _check_utf16(head, name)
    if b"\x00" in head:
        raise BinaryDocumentError(name, "contains NUL bytes; this looks like a binary file")
    if head and sum(b in _CONTROL_BYTES for b in head) / len(head) > MAX_CONTROL_SHARE:
        raise BinaryDocumentError(name, "mostly control characters; this looks like a binary file")


def _check_utf16(head: bytes, name: str, file: str | None = None) -> None:
    """UTF-16 with a byte order mark, or without one: ASCII text in UTF-16 has a NUL
    byte in every other position and none in the others."""
    file = file or name
    encoding = "UTF-16"
    if not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        pairs = len(head) // 2
        if pairs < 8 or b"\x00" not in head:
            return
        even, odd = head[0 : 2 * pairs : 2].count(0), head[1 : 2 * pairs : 2].count(0)
        if min(even, odd) > pairs // 20 or max(even, odd) < pairs // 3:
            return
        encoding = "UTF-16LE" if odd > even else "UTF-16BE"
    raise EncodingError(
        name,
        f"looks like {encoding}, not UTF-8; convert it with: "
        f"iconv -f {encoding} -t UTF-8 {shlex.quote(file)} > {shlex.quote(file + '.utf8')}",
    )


def _decode(data: bytes, name: str) -> str:
    """UTF-8, strictly: a wrong guess at the encoding would corrupt names and quotes."""
    _check_binary_bytes(data, name)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _encoding_error(data, exc, name) from None


def _encoding_error(
    data: bytes, exc: UnicodeDecodeError, name: str, where: str = "", file: str | None = None
) -> EncodingError:
    bad = data[exc.start]
    file = file or name
    return EncodingError(
        name,
        f"not valid UTF-8: byte 0x{bad:02x} at byte offset {exc.start}{where} cannot be decoded; "
        "it may be Latin-1 or Windows-1252. Convert it with: "
        f"iconv -f WINDOWS-1252 -t UTF-8 {shlex.quote(file)} > {shlex.quote(file + '.utf8')}",
    )


def _decode_html(data: bytes, name: str) -> str:
    """UTF-8, or the charset the page declares; offsets index the extracted text, not
    the page, so honouring a declared legacy charset costs nothing."""
    _check_binary_bytes(data, name)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        m = _META_CHARSET.search(data[:4096])
        if m:
            charset = m[1].decode("ascii")
            try:
                return data.decode(charset)
            except (LookupError, UnicodeDecodeError):
                pass
        raise _encoding_error(data, exc, name) from None


# --------------------------------------------------------------------------- checks


def _make_document(text: str, name: str, meta: _Meta, max_bytes: int) -> Document:
    _validate_text(text, name, max_bytes)
    if not (meta.title and meta.title.strip()):
        meta = _Meta(derive_title(text), meta.url, meta.outlet, meta.published)
    for field, value in (
        ("title", meta.title),
        ("url", meta.url),
        ("outlet", meta.outlet),
    ):
        if value is not None:
            _check_field(value, name, field)
    return Document(
        name=name,
        text=text,
        title=meta.title,
        url=meta.url,
        outlet=meta.outlet,
        published=meta.published,
    )


def _check_field(value: str, name: str, field: str) -> None:
    """Metadata is stored beside the text, so it obeys the text's rules: valid Unicode
    and no NUL (PostgreSQL refuses NUL in text; SQLite would keep it)."""
    if _SURROGATE.search(value):
        raise MalformedRecordError(
            name, f"field {field!r} contains a lone surrogate (invalid Unicode such as \\ud800)"
        )
    if "\x00" in value:
        raise MalformedRecordError(name, f"field {field!r} contains a NUL character")


def _validate_text(text: str, name: str, max_bytes: int) -> None:
    if not text.strip().strip("\ufeff").strip():
        raise EmptyDocumentError(name, "document is empty or only whitespace")
    if 4 * len(text) > max_bytes:  # UTF-8 takes at most 4 bytes a character
        _check_size(len(_encode_lenient(text)), name, max_bytes)
    bad = _SURROGATE.search(text)
    if bad:
        raise EncodingError(
            name,
            f"text is not valid Unicode: a lone surrogate (\\u{ord(bad[0]):04x}) at character "
            f"{bad.start()}; it cannot be stored or written as UTF-8",
        )
    nul = text.find("\x00")
    if nul >= 0:
        # Rejected, not stripped: stripping would shift every offset after it, and
        # PostgreSQL cannot store it.
        raise BinaryDocumentError(
            name, f"contains NUL characters (first at character {nul:,}); looks like binary data"
        )
    head = text[:SNIFF_BYTES]
    controls = sum(ord(c) in _CONTROL_BYTES for c in head)
    if controls / len(head) > MAX_CONTROL_SHARE:
        raise BinaryDocumentError(name, "mostly control characters; this looks like binary data")
    if not _LETTER.search(text):
        raise EmptyDocumentError(
            name,
            "document has no words: only punctuation, symbols, digits or invisible "
            "characters (such as zero-width spaces)",
        )
    _check_english(text, name)


def _encode_lenient(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def _check_english(text: str, name: str) -> None:
    """Refuse clearly non-English text: the models would return confident nonsense.

    Deliberately cheap and lenient; it only has to catch the obvious cases.
    """
    sample = text[:100_000]
    letters = [c for c in sample if c.isalpha()]
    if len(letters) >= MIN_LETTERS_FOR_SCRIPT:
        ascii_share = sum(c.isascii() for c in letters) / len(letters)
        if ascii_share < 0.5:
            raise NonEnglishError(
                name,
                f"only {ascii_share:.0%} of its letters are Latin; claimgraph reads English only",
            )
    words = [w.casefold() for w in _LETTER_WORD.findall(sample)]
    if len(words) < MIN_WORDS_FOR_LANGUAGE:
        return
    share = sum(w in _ENGLISH_FUNCTION_WORDS for w in words) / len(words)
    if share < MIN_ENGLISH_SHARE:
        raise NonEnglishError(
            name,
            f"only {share:.1%} of its {len(words)} words are common English words such as "
            "'the', 'of', 'said' (English news has over 10%); claimgraph reads English only",
        )


def _normalise_date_arg(published: str | None) -> str | None:
    if published is None:
        return None
    try:
        return normalise_date(published)
    except ValueError as exc:
        raise ValueError(f"published: {exc}") from None


def _normalise_record_date(published: str | None, name: str) -> str | None:
    if published is None or not published.strip():
        return None
    try:
        return normalise_date(published)
    except ValueError as exc:
        raise MalformedRecordError(name, f"published date {exc}") from None


# --------------------------------------------------------------------------- HTML


def _from_html(html: str, name: str, explicit: _Meta, fallback: _Meta, max_bytes: int) -> Document:
    """Extract the article with trafilatura; ``explicit`` beats the page's metadata,
    which beats ``fallback``."""
    if not html.strip():
        raise EmptyDocumentError(name, "document is empty or only whitespace")
    bad = _SURROGATE.search(html)
    if bad:
        raise EncodingError(
            name, f"HTML is not valid Unicode: a lone surrogate at character {bad.start()}"
        )
    import trafilatura  # slow to import; only HTML input needs it
    from trafilatura.settings import set_date_params

    try:
        result = trafilatura.bare_extraction(
            html,
            url=explicit.url or fallback.url,
            with_metadata=True,
            include_comments=False,
            # Dates guessed from the article's prose are often the date of an event it
            # reports, not of publication; take only what the page declares.
            date_extraction_params=set_date_params(extensive=False),
        )
    except Exception as exc:  # e.g. RecursionError on absurdly deep markup
        raise InputError(
            name, f"HTML could not be parsed ({type(exc).__name__}: {_short(str(exc))})"
        ) from None
    raw = "" if result is None else (_field(result, "text") or "")
    lines = [ln.strip() for ln in raw.split("\n")]
    paragraphs = [ln for ln in lines if ln]
    if not any(_is_prose(p) for p in paragraphs):
        # trafilatura falls back to whatever text a page has, so a page of menus and
        # links still "extracts"; an article has at least one sentence of prose.
        raise EmptyDocumentError(name, "no article text found in HTML")
    page_date = _field(result, "date")
    try:
        page_published = normalise_date(page_date) if page_date else None
    except ValueError:
        page_published = None  # an unreadable page date is no worse than none
    page = _Meta(
        title=_field(result, "title"),
        url=safe_url(_field(result, "url")),  # a page's own script URL is dropped
        outlet=_field(result, "sitename"),
        published=page_published,
    )
    meta = explicit.or_else(page).or_else(fallback)
    title = meta.title.strip() if meta.title else None
    if title and not any(_same_heading(title, p) for p in paragraphs[:3]):
        # trafilatura often drops the <h1>; the headline makes claims too, and the
        # sections stage expects it as the first paragraph.
        paragraphs.insert(0, title)
    # Blank lines between paragraphs: the form the sections stage splits on.
    text = "\n\n".join(paragraphs)
    return _make_document(
        text, name, _Meta(title, meta.url, meta.outlet, meta.published), max_bytes
    )


def _short(message: str, limit: int = 200) -> str:
    message = " ".join(message.split())
    return message if len(message) <= limit else message[: limit - 1] + "…"


def _is_prose(paragraph: str) -> bool:
    words = len(_LETTER_WORD.findall(paragraph))
    return words >= 25 or (words >= 6 and bool(_SENTENCE_END.search(paragraph)))


def _field(result: Any, key: str) -> str | None:
    value = result.get(key) if isinstance(result, dict) else getattr(result, key, None)
    return value if isinstance(value, str) and value.strip() else None


def _same_heading(title: str, paragraph: str) -> bool:
    """Whether ``paragraph`` already is the headline: the same words, or one a prefix
    of the other (a page's <h1> and its <title> often differ by a tail)."""

    def norm(s: str) -> str:
        return " ".join(s.split()).casefold().rstrip(".")

    t, p = norm(title), norm(paragraph)
    if t == p:
        return True
    shorter, longer = (t, p) if len(t) <= len(p) else (p, t)
    return len(longer) <= 250 and len(shorter.split()) >= 3 and longer.startswith(shorter)


# --------------------------------------------------------------------------- JSONL


def _read_jsonl(name: str, default: _Meta, max_bytes: int) -> Iterator[Document | InputError]:
    """One article per line; each bad line is its own error, named ``FILE:LINENO``.

    The size limit applies per record, since one file may hold thousands of articles.
    A bad line never costs the good ones: lines that are not JSON, not UTF-8, binary,
    too long, too deeply nested or otherwise unusable are reported one by one (a run of
    binary lines as one error, ``FILE:FIRST-LAST``) and reading carries on. Only a
    file that is UTF-16 or binary from its first byte on is refused whole.
    """
    try:
        f = open(name, "rb")  # noqa: SIM115 - closed by the with below
    except OSError as exc:
        yield InputError(name, f"cannot read: {exc.strerror or exc}")
        return
    with f:
        try:
            _check_utf16(f.read(SNIFF_BYTES), name)
        except InputError as exc:
            yield exc
            return
        f.seek(0)
        lineno = 0
        records = 0
        offset = 0
        binary_from: int | None = None  # first line of the current run of binary lines
        while True:
            try:
                raw = f.readline(max_bytes + 1)
            except OSError as exc:
                yield InputError(f"{name}:{lineno + 1}", f"cannot read: {exc.strerror or exc}")
                break
            if not raw:
                break
            lineno += 1
            offset += len(raw)
            label = f"{name}:{lineno}"
            if len(raw) > max_bytes and not raw.endswith(b"\n"):
                while (chunk := f.readline(1 << 20)) and not chunk.endswith(b"\n"):
                    offset += len(chunk)  # skip the rest of the oversized line
                offset += len(chunk)
                if binary_from is not None:
                    yield _binary_lines(name, binary_from, lineno - 1)
                    binary_from = None
                records += 1
                yield DocumentTooLargeError(
                    label, f"record is over the limit of {max_bytes:,} bytes"
                )
                continue
            if lineno == 1 and raw.startswith(_UTF8_BOM):
                raw = raw[len(_UTF8_BOM) :]  # a BOM before the first record is harmless
            if _is_binary_line(raw):
                records += 1
                if binary_from is None:
                    binary_from = lineno
                if binary_from == 1 and offset > MAX_BINARY_PREFIX:
                    yield BinaryDocumentError(
                        name,
                        f"the first {offset:,} bytes hold no line of text; this looks like a "
                        "binary file, not JSON Lines",
                    )
                    return
                continue
            if binary_from is not None:
                yield _binary_lines(name, binary_from, lineno - 1)
                binary_from = None
            if not raw.strip():
                continue
            records += 1
            try:
                yield _record(raw, label, name, default, max_bytes)
            except InputError as exc:
                yield exc
            except Exception as exc:  # a reader bug must not end the batch; name it
                yield _unexpected(label, exc)
        if binary_from is not None:
            yield _binary_lines(name, binary_from, lineno)
        if records == 0:
            yield EmptyDocumentError(name, "no records (the file is empty or only blank lines)")


def _is_binary_line(raw: bytes) -> bool:
    """NUL bytes, mostly control bytes, or undecodable bytes beside control bytes: not
    a line of text (a Latin-1 line, undecodable but without controls, is text)."""
    if b"\x00" in raw:
        return True
    body = raw.rstrip(b"\r\n")
    if not body:
        return False
    controls = sum(b in _CONTROL_BYTES for b in body)
    if controls / len(body) > MAX_CONTROL_SHARE:
        return True
    if controls and not body.isascii():
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            return True
    return False


def _binary_lines(name: str, first: int, last: int) -> BinaryDocumentError:
    if first == last:
        return BinaryDocumentError(
            f"{name}:{first}", "line looks binary (NUL or control bytes), not a JSON record"
        )
    return BinaryDocumentError(
        f"{name}:{first}-{last}",
        f"lines {first} to {last} look binary (NUL or control bytes), not JSON records",
    )


def _record(raw: bytes, label: str, file: str, default: _Meta, max_bytes: int) -> Document:
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _encoding_error(raw, exc, label, " of the line", file) from None
    try:
        obj = json.loads(line.rstrip("\r\n"))
    except json.JSONDecodeError as exc:
        raise MalformedRecordError(
            label, f"line is not valid JSON (truncated?): {exc.msg} at column {exc.colno}"
        ) from None
    except RecursionError:
        raise MalformedRecordError(label, "line is JSON nested too deeply to read") from None
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        raise MalformedRecordError(label, f"line is not usable JSON: {_short(str(exc))}") from None
    if not isinstance(obj, dict):
        raise MalformedRecordError(
            label, f"expected a JSON object with 'text' or 'html', got {type(obj).__name__}"
        )
    fields: dict[str, str | None] = {}
    for key in ("text", "html", "title", "url", "outlet", "published"):
        value = obj.get(key)
        if value is not None and not isinstance(value, str):
            raise MalformedRecordError(
                label, f"field {key!r} must be a string, got {type(value).__name__}"
            )
        if value is not None:
            _check_field(value, label, key)
        fields[key] = value
    meta = _Meta(
        fields["title"],
        checked_url(fields["url"], label),
        fields["outlet"],
        _normalise_record_date(fields["published"], label),
    )
    text, html = fields["text"], fields["html"]
    if text is not None:
        return _make_document(text, label, meta.or_else(default), max_bytes)
    if html is not None:
        return _from_html(html, label, meta, default, max_bytes)
    raise MalformedRecordError(label, "record has neither a 'text' nor an 'html' field")
