"""Articles and feeds from the web, stdin, the folder rule and plain-text titles.

Every page is served by a local http.server on 127.0.0.1 (tests/localsite.py):
nothing leaves the machine.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimgraph import fetch
from claimgraph.cli import main
from claimgraph.errors import DocumentTooLargeError, InputError, UnsupportedInputError
from claimgraph.ingest import derive_title, read_documents
from claimgraph.model import Document
from claimgraph.store import open_store
from localsite import Answer, Site, article_html, local_site, rss

DATE = "Sat, 05 Nov 2022 08:00:00 GMT"


@pytest.fixture
def site() -> Iterator[Site]:
    with local_site() as s:
        s.routes["/robots.txt"] = Answer(
            body=b"User-agent: *\nDisallow: /members/\n\n"
            b"User-agent: claimgraph\nDisallow: /private/\n",
            content_type="text/plain",
        )
        s.routes["/bridge.html"] = Answer(body=article_html("Bridge plan approved", "2022-11-05"))
        yield s


def read(*urls: str, **kwargs: object) -> list[Document | InputError]:
    return list(read_documents(list(urls), **kwargs))  # type: ignore[arg-type]


def only(items: list[Document | InputError]) -> Document | InputError:
    assert len(items) == 1, items
    return items[0]


def skip_reason(item: Document | InputError) -> str:
    assert isinstance(item, InputError), item
    return item.detail


# --------------------------------------------------------------------------- one URL


def test_a_url_is_fetched_with_title_date_outlet_and_url(site: Site) -> None:
    url = site.url("/bridge.html")
    doc = only(read(url))
    assert isinstance(doc, Document)
    assert doc.name == url and doc.url == url
    assert doc.title == "Bridge plan approved"
    assert doc.published == "2022-11-05"
    assert doc.outlet == "Local Gazette"
    assert doc.text.startswith("Bridge plan approved\n\nThe city council said")
    assert site.agents and all(a.startswith("claimgraph/") for a in site.agents)
    assert "+http" in site.agents[0]  # names where to read about the crawler


def test_redirects_are_followed_a_few_times(site: Site) -> None:
    site.routes["/old"] = Answer(301, headers={"Location": "/bridge.html"})
    doc = only(read(site.url("/old")))
    assert isinstance(doc, Document) and doc.title == "Bridge plan approved"
    for n in range(10):
        site.routes[f"/loop{n}"] = Answer(302, headers={"Location": f"/loop{n + 1}"})
    assert "redirects" in skip_reason(only(read(site.url("/loop0"))))
    site.routes["/evil"] = Answer(302, headers={"Location": "file:///etc/passwd"})
    err = only(read(site.url("/evil")))
    assert isinstance(err, UnsupportedInputError) and "not an http(s) URL" in err.detail


def test_a_3xx_without_location_is_one_request_and_a_skip_saying_so(site: Site) -> None:
    site.routes["/choices"] = Answer(300, body=article_html("Choices", "2022-11-05"))
    site.routes["/nowhere"] = Answer(302, body=b"moved")
    results = read(site.url("/choices"), site.url("/nowhere"))
    assert [skip_reason(r) for r in results] == [
        "HTTP 300 Multiple Choices from the server, with no Location to follow",
        "HTTP 302 Found from the server, with no Location to follow",
    ]
    assert site.hits["/choices"] == 1 and site.hits["/nowhere"] == 1


def test_xml_that_is_not_a_feed_is_not_read_as_an_article(site: Site) -> None:
    sentence = "The council said on Monday that the budget would be published next week. "
    site.routes["/sitemap.xml"] = Answer(
        body=(
            '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<url><loc>http://example.invalid/a</loc></url><!-- {sentence * 5} --></urlset>"
        ).encode(),
        content_type="application/xml",
    )
    err = only(read(site.url("/sitemap.xml")))
    assert isinstance(err, UnsupportedInputError)
    assert err.detail == "not an article: XML that is neither RSS nor Atom"


def test_http_errors_timeouts_refusals_and_wrong_types_are_skips(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fetch, "READ_TIMEOUT", 0.3)
    site.routes["/slow"] = Answer(body=article_html("Slow", "2022-11-05"), delay=1.5)
    site.routes["/boom"] = Answer(503, b"down", "text/plain")
    site.routes["/photo.jpg"] = Answer(body=b"\xff\xd8\xff" * 10, content_type="image/jpeg")
    results = read(
        site.url("/missing"),
        site.url("/slow"),
        site.url("/boom"),
        site.url("/photo.jpg"),
        "http://127.0.0.1:1/article.html",  # nothing listens on port 1
        site.url("/bridge.html"),
    )
    reasons = [skip_reason(r) for r in results[:-1]]
    assert [type(r).__name__ for r in results][-1] == "Document"  # the batch carried on
    assert "HTTP 404" in reasons[0]
    assert "timed out" in reasons[1]
    assert "HTTP 503" in reasons[2]
    assert "not an article: content type image/jpeg" in reasons[3]
    assert "connection refused" in reasons[4]
    assert [r.document for r in results[:-1]] == [  # type: ignore[union-attr]
        site.url("/missing"),
        site.url("/slow"),
        site.url("/boom"),
        site.url("/photo.jpg"),
        "http://127.0.0.1:1/article.html",
    ]


@pytest.mark.parametrize("with_length", [True, False])
def test_an_oversized_page_is_cut_off_and_skipped(site: Site, with_length: bool) -> None:
    huge = article_html("Huge", "2022-11-05", "The mayor said so. " * 20_000)
    site.routes["/huge.html"] = Answer(body=huge, length=with_length)
    err = only(read(site.url("/huge.html"), max_bytes=50_000))
    assert isinstance(err, DocumentTooLargeError)
    assert "over the limit of 50,000 bytes" in err.detail


def test_robots_txt_is_respected_and_a_missing_one_allows(site: Site) -> None:
    site.routes["/private/a.html"] = Answer(body=article_html("Secret", "2022-11-05"))
    reason = skip_reason(only(read(site.url("/private/a.html"))))
    assert "robots.txt" in reason and "disallow" in reason
    assert site.hits["/private/a.html"] == 0
    # the group for claimgraph applies, not the one for every robot
    site.routes["/members/a.html"] = Answer(body=article_html("Members", "2022-11-05"))
    assert isinstance(only(read(site.url("/members/a.html"))), Document)
    # no robots.txt (404), or one that fails (500): everything allowed
    for status in (404, 500):
        site.routes["/robots.txt"] = Answer(status, b"", "text/plain")
        assert isinstance(only(read(site.url("/private/a.html"))), Document)


def test_robots_txt_is_read_once_per_run(site: Site) -> None:
    site.routes["/other.html"] = Answer(body=article_html("Other news today", "2022-11-06"))
    results = read(site.url("/bridge.html"), site.url("/other.html"))
    assert all(isinstance(r, Document) for r in results)
    assert site.hits["/robots.txt"] == 1


def test_plain_text_pages_are_read_like_txt_files(site: Site) -> None:
    site.routes["/brief.txt"] = Answer(
        body=b"Port reopens after strike\n\nThe port reopened on Tuesday, officials said.\n",
        content_type="text/plain; charset=utf-8",
    )
    doc = only(read(site.url("/brief.txt")))
    assert isinstance(doc, Document)
    assert doc.title == "Port reopens after strike" and doc.url == site.url("/brief.txt")


def test_only_http_urls_are_urls() -> None:
    assert fetch.is_url("https://example.org/a") and fetch.is_url("HTTP://x/")
    assert not fetch.is_url("ftp://example.org/a") and not fetch.is_url("article.html")


# --------------------------------------------------------------------------- feeds


def _feed_site(site: Site, n: int) -> list[str]:
    links = []
    headlines = [
        "Bridge plan approved",
        "Port reopens after strike",
        "Mayor announces new budget",
        "Council rejects tram extension",
    ]
    for i in range(n):
        path = f"/news/{i}.html"
        site.routes[path] = Answer(body=article_html(headlines[i], f"2022-11-0{i + 1}"))
        links.append(site.url(path))
    site.routes["/feed.xml"] = Answer(
        body=rss([(link, headlines[i], DATE) for i, link in enumerate(links)]),
        content_type="application/rss+xml",
    )
    return links


def test_a_feed_yields_its_items_articles(site: Site) -> None:
    links = _feed_site(site, 3)
    docs = read(site.url("/feed.xml"))
    assert [d.url for d in docs] == links  # type: ignore[union-attr]
    assert [d.title for d in docs] == [  # type: ignore[union-attr]
        "Bridge plan approved",
        "Port reopens after strike",
        "Mayor announces new budget",
    ]
    assert {d.published for d in docs} == {"2022-11-01", "2022-11-02", "2022-11-03"}  # type: ignore[union-attr]


def test_a_feed_served_as_plain_xml_is_recognised(site: Site) -> None:
    links = _feed_site(site, 1)
    site.routes["/feed.xml"].content_type = "text/xml"
    assert [d.url for d in read(site.url("/feed.xml"))] == links  # type: ignore[union-attr]


def test_feed_rerun_fetches_only_new_items(site: Site, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'feed.db'}"
    _feed_site(site, 3)
    args = ["ingest", site.url("/feed.xml"), "--db", db, "--workers", "1", "--timeout", "0"]
    first = CliRunner().invoke(main, args, catch_exceptions=False)
    assert first.exit_code == 0, first.output
    assert "stored 3," in first.output
    assert [site.hits[f"/news/{i}.html"] for i in range(3)] == [1, 1, 1]
    links = _feed_site(site, 4)  # one new item
    second = CliRunner().invoke(main, args, catch_exceptions=False)
    assert second.exit_code == 0, second.output
    assert "stored 1," in second.output
    assert [site.hits[f"/news/{i}.html"] for i in range(4)] == [1, 1, 1, 1]
    assert "3 of 4 feed items already stored; not fetched again" in second.output
    with open_store(db) as store:
        assert all(store.has_url(link) for link in links)
        titles = {d.title for d in store.documents()}
    assert "Council rejects tram extension" in titles


def test_feed_item_without_link_is_read_from_its_full_content(site: Site) -> None:
    body = (
        "<p>The city council said on Monday that the bridge would be rebuilt, and the mayor "
        "told reporters that the work would start in spring.</p>"
    )
    site.routes["/atom.xml"] = Answer(
        body=(
            '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            "<title>Gazette</title><id>urn:x</id><updated>2022-11-05T00:00:00Z</updated>"
            "<entry><title>Bridge to be rebuilt</title><id>urn:1</id>"
            "<updated>2022-11-05T00:00:00Z</updated>"
            f'<content type="html"><![CDATA[{body}]]></content></entry></feed>'
        ).encode(),
        content_type="application/atom+xml",
    )
    doc = only(read(site.url("/atom.xml")))
    assert isinstance(doc, Document)
    assert doc.title == "Bridge to be rebuilt" and doc.published == "2022-11-05"
    assert doc.outlet == "Gazette" and doc.name == site.url("/atom.xml") + "#item-1"


# --------------------------------------------------------------------------- stdin


ARTICLE = (
    "Council approves bridge plan\n\n"
    "The city council said on Monday that the old bridge would be replaced. The mayor "
    "told reporters that the decision had been difficult.\n"
)


def test_extract_reads_one_article_from_stdin() -> None:
    result = CliRunner().invoke(main, ["extract", "-", "--format", "jsonl"], input=ARTICLE)
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout.splitlines()[0])
    assert record["document"] == "<stdin>"
    assert record["title"] == "Council approves bridge plan"


def test_ingest_reads_stdin_html_too(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'stdin.db'}"
    html = article_html("Bridge plan approved", "2022-11-05").decode()
    args = ["ingest", "-", "--db", db, "--workers", "1", "--timeout", "0"]
    result = CliRunner().invoke(main, args, input=html, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    with open_store(db) as store:
        [doc] = store.documents()
    assert (doc.name, doc.title, doc.published) == ("<stdin>", "Bridge plan approved", "2022-11-05")


def test_ingest_reads_plain_text_from_stdin_with_title_and_date(tmp_path: Path) -> None:
    """``cat a.txt | claimgraph ingest - --published DATE``: the headline line is the title."""
    db = f"sqlite:///{tmp_path / 'stdin.db'}"
    args = ["ingest", "-", "--db", db, "--workers", "1", "--timeout", "0"]
    result = CliRunner().invoke(
        main, [*args, "--published", "2022-11-07"], input=ARTICLE, catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    with open_store(db) as store:
        [doc] = store.documents()
    assert (doc.name, doc.title, doc.published) == (
        "<stdin>",
        "Council approves bridge plan",
        "2022-11-07",
    )


def test_empty_stdin_is_a_skip() -> None:
    result = CliRunner().invoke(main, ["extract", "-"], input="")
    assert result.exit_code == 1
    assert "skipped <stdin>: document is empty" in result.output


# --------------------------------------------------------------------------- folders


def test_folder_reads_articles_and_reports_notes_as_ignored(tmp_path: Path) -> None:
    (tmp_path / "story.txt").write_text(ARTICLE, "utf-8")
    (tmp_path / "page.html").write_text(article_html("Port reopens", "2022-11-05").decode())
    (tmp_path / "notes.md").write_text("# My notes\n\nRemember to ingest these.", "utf-8")
    (tmp_path / "README.md").write_text("# About\n\nExamples.", "utf-8")
    (tmp_path / "LICENSE").write_text("Permission is hereby granted.", "utf-8")
    ignored: list[tuple[str, str]] = []
    items = list(read_documents([tmp_path], on_ignored=lambda n, r: ignored.append((n, r))))
    assert sorted(Path(d.name).name for d in items) == ["page.html", "story.txt"]
    assert sorted(Path(n).name for n, _ in ignored) == ["LICENSE", "README.md", "notes.md"]
    assert all(r.startswith("not an article (ignored") for _, r in ignored)
    # named explicitly, a Markdown file is an article
    [md] = list(read_documents([tmp_path / "notes.md"]))
    assert isinstance(md, Document) and md.title == "# My notes"


def test_cli_says_what_it_ignored_without_failing(tmp_path: Path) -> None:
    (tmp_path / "story.txt").write_text(ARTICLE, "utf-8")
    (tmp_path / "notes.md").write_text("# My notes\n\nRemember to ingest these.", "utf-8")
    result = CliRunner().invoke(main, ["extract", str(tmp_path), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    assert f"ignored {tmp_path / 'notes.md'}: not an article (ignored" in result.stderr
    assert len(result.stdout.splitlines()) == 1


# --------------------------------------------------------------------------- titles


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Bridge plan approved\n\nThe council said yes.", "Bridge plan approved"),
        ("\ufeffBridge plan approved\r\n\r\nThe council said yes.\r\n", "Bridge plan approved"),
        (
            "The council said on Monday that the bridge, which Mr. Smith built in 1990, would "
            "be replaced. Others disagreed.",
            "The council said on Monday that the bridge, which Mr. Smith built in 1990, would "
            "be replaced",
        ),
        (
            "KYIV (Reuters) - The council said on Monday that the old bridge would go. More.\n\n"
            "Second paragraph.",
            "KYIV (Reuters) - The council said on Monday that the old bridge would go",
        ),
        ("!!! ???", None),
    ],
)
def test_plain_text_titles(text: str, title: str | None) -> None:
    assert derive_title(text) == title


def test_long_first_sentence_is_cut_at_a_word_boundary() -> None:
    text = "The council said " + "that the bridge would be replaced and " * 10 + "so on. Next."
    title = derive_title(text)
    assert title is not None and title.endswith("…") and len(title) <= 121
    assert text.startswith(title[:-1].rstrip())


def test_derived_title_leaves_the_sections_alone() -> None:
    from claimgraph.sections import split_sections

    text = "The council said on Monday that the old bridge would be replaced.\nMore follows."
    title = derive_title(text)
    assert [s.kind for s in split_sections(text, title)] == [s.kind for s in split_sections(text)]


def test_the_add_form_refuses_a_feed_and_other_xml_by_url(site: Site) -> None:
    from claimgraph.web.add import _fetch

    _feed_site(site, 1)
    with pytest.raises(UnsupportedInputError, match="is a feed, not an article"):
        _fetch(site.url("/feed.xml"), None, None, None)
    site.routes["/data.xml"] = Answer(
        body=b'<?xml version="1.0"?><data><p>The council said so on Monday.</p></data>',
        content_type="text/xml",
    )
    with pytest.raises(UnsupportedInputError, match="not an article: content type text/xml"):
        _fetch(site.url("/data.xml"), None, None, None)
    assert _fetch(site.url("/bridge.html"), None, None, None).title == "Bridge plan approved"
