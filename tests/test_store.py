"""The store keeps one schema on SQLite and PostgreSQL; every test here runs on both."""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from claimgraph import store as store_module
from claimgraph.errors import StoreError
from claimgraph.model import Actor, Attribution, Document, Extraction, Section, TextSpan
from claimgraph.store import (
    DocumentRejectedError,
    Migration,
    Store,
    load_migrations,
    mask_url,
    open_store,
)


def span(text: str, needle: str, start: int = 0) -> TextSpan:
    i = text.index(needle, start)
    return TextSpan(i, i + len(needle), needle)


def make_extraction(
    text: str = (
        "The foreign minister Hossein Amirabdollahian said drones were sent before the war. "
        "Russia denied using Iranian drones, the TASS agency reported."
    ),
    published: str | None = "2022-11-05",
    name: str = "drones.txt",
) -> Extraction:
    doc = Document(name=name, text=text, title="Drones", outlet="Wire", published=published)
    minister = Actor(
        "a1",
        "Hossein Amirabdollahian",
        "person",
        country="IRN",
        role="foreign minister",
        mentions=[span(text, "Hossein Amirabdollahian")],
    )
    russia = Actor("a2", "Russia", "state", country="RUS", mentions=[span(text, "Russia")])
    tass = Actor("a3", "TASS", "media", country="RUS", mentions=[span(text, "TASS")])
    said = Attribution(
        "q1",
        cue=span(text, "said"),
        content=span(text, "drones were sent before the war"),
        source=span(text, "The foreign minister Hossein Amirabdollahian"),
        speaker="a1",
        kind="indirect",
        stance="acknowledge",
    )
    using = span(text, "using Iranian drones")
    denied = Attribution(
        "q2",
        cue=span(text, "denied"),
        content=TextSpan(
            using.start,
            using.end,
            using.text,
            ((using.start, using.start + 5), (using.start + 6, using.end)),
        ),
        source=span(text, "Russia"),
        speaker="a2",
        channel="a3",
        stance="deny",
    )
    return Extraction(
        document=doc,
        sections=[Section("headline", 0, 10), Section("body", 10, len(text))],
        actors=[minister, russia, tass],
        attributions=[said, denied],
    )


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with open_store(store_url) as s:
        yield s


def row_count(s: Store, table: str) -> int:
    return int(s._execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


# -- migrations -------------------------------------------------------------------


def test_open_applies_every_migration_once(store_url: str) -> None:
    known = load_migrations()
    with open_store(store_url) as s:
        assert s.schema_version() == known[-1].version
        first = s.applied_migrations()
        assert [v for v, _, _ in first] == [m.version for m in known]
    with open_store(store_url) as s:
        assert s.migrate() == []
        assert s.applied_migrations() == first


def test_new_migration_applied_on_next_open(
    store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    known = load_migrations()
    with open_store(store_url) as s:
        s.save(make_extraction())
    extra = Migration(
        len(known) + 1,
        "add_notes",
        "-- a later stage's table; ; in comments is fine\n"
        "CREATE TABLE notes (id TEXT PRIMARY KEY, body TEXT);\n"
        "CREATE INDEX notes_body_idx ON notes (body);\n",
    )
    monkeypatch.setattr(store_module, "load_migrations", lambda: [*known, extra])
    with open_store(store_url) as s:
        assert s.schema_version() == extra.version
        assert [v for v, _, _ in s.applied_migrations()][-1] == extra.version
        assert s.count_documents() == 1  # data survives
        assert row_count(s, "notes") == 0
    with open_store(store_url) as s:
        assert s.migrate() == []


def test_failed_migration_leaves_nothing(store_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    known = load_migrations()
    with open_store(store_url):
        pass
    broken = Migration(
        len(known) + 1, "broken", "CREATE TABLE half (id TEXT);\nCREATE TABLE oops (;\n"
    )
    monkeypatch.setattr(store_module, "load_migrations", lambda: [*known, broken])
    with pytest.raises(StoreError, match="migrate"):
        open_store(store_url)
    monkeypatch.undo()
    with open_store(store_url) as s:
        assert s.schema_version() == known[-1].version
        with pytest.raises(StoreError), s._errors("probe"):
            s._execute("SELECT COUNT(*) FROM half")  # the first statement was undone too


def test_database_newer_than_code_is_refused(store_url: str) -> None:
    with open_store(store_url) as s:
        s._execute(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
            (999, "future", "2099-01-01"),
        )
    with pytest.raises(StoreError, match="newer"):
        open_store(store_url)


def test_migration_files_ship_with_package() -> None:
    known = load_migrations()
    assert known[0].version == 1
    statements = known[0].statements()
    assert any("CREATE TABLE documents" in s for s in statements)
    assert all("--" not in s for s in statements)


# -- saving -----------------------------------------------------------------------


def test_save_stores_everything_once(store: Store) -> None:
    ex = make_extraction()
    assert not store.has_document(ex.document.id)
    assert store.save(ex) is True
    assert store.has_document(ex.document.id)
    assert store.save(ex) is False
    assert store.save(make_extraction(name="copy-under-another-name.txt")) is False
    assert store.count_documents() == 1
    assert row_count(store, "sections") == 2
    assert row_count(store, "actors") == 3
    assert row_count(store, "mentions") == 3
    assert row_count(store, "attributions") == 2
    doc = store.get_document(ex.document.id)
    assert doc == ex.document
    [listed] = store.documents()
    assert (listed.id, listed.name, listed.outlet) == (ex.document.id, "drones.txt", "Wire")
    assert listed.ingested_at


def test_records_of_different_documents_do_not_clash(store: Store) -> None:
    # Both documents use local ids a1, q1: the stored ids are prefixed by document.
    assert store.save(make_extraction())
    assert store.save(make_extraction(make_extraction().document.text + " Extra."))
    assert store.count_documents() == 2
    assert row_count(store, "actors") == 6
    assert len(store.statements()) == 4


def test_rejected_document_writes_nothing(store: Store) -> None:
    ex = make_extraction()
    ex.attributions[0] = Attribution(
        "q1", cue=TextSpan(0, 1, "T"), content=TextSpan(1, 2, "h"), speaker="no-such-actor"
    )
    with pytest.raises(DocumentRejectedError):
        store.save(ex)
    assert not store.has_document(ex.document.id)
    for table in ("documents", "sections", "actors", "mentions", "attributions"):
        assert row_count(store, table) == 0, table
    # The store is still usable and the document can be stored once fixed.
    assert store.save(make_extraction())


def test_failure_mid_save_rolls_back(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    ex = make_extraction()

    def boom(extraction: Extraction) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(store, "_insert_records", boom)
    with pytest.raises(RuntimeError):
        store.save(ex)
    monkeypatch.undo()
    assert store.count_documents() == 0
    assert store.save(ex) is True


def test_delete_document_then_store_again(store: Store) -> None:
    ex = make_extraction()
    other = make_extraction(ex.document.text + " Other.")
    store.save(ex)
    store.save(other)
    assert store.delete_document(ex.document.id) is True
    assert store.delete_document(ex.document.id) is False
    assert store.count_documents() == 1
    assert row_count(store, "actors") == 3
    assert {s.document_id for s in store.statements()} == {other.document.id}
    assert store.save(ex) is True


# -- reading ----------------------------------------------------------------------


def test_statements_filters(store: Store) -> None:
    ex = make_extraction()
    store.save(ex)
    every = store.statements()
    assert [s.cue for s in every] == ["said", "denied"]  # text order
    [minister] = store.statements(speaker="amirabdollahian")
    assert minister.speaker == "Hossein Amirabdollahian"
    assert minister.speaker_type == "person"
    assert minister.speaker_country == "IRN"
    assert minister.speaker_role == "foreign minister"
    assert minister.stance == "acknowledge"
    assert minister.content == "drones were sent before the war"
    text = ex.document.text
    assert text[minister.content_start : minister.content_end] == minister.content
    assert text[minister.cue_start : minister.cue_end] == "said"
    assert minister.source_start == 0
    assert (minister.document_id, minister.document_name) == (ex.document.id, "drones.txt")
    assert (minister.title, minister.published) == ("Drones", "2022-11-05")

    [russia] = store.statements(about="IRANIAN")
    assert (russia.speaker, russia.channel, russia.stance) == ("Russia", "TASS", "deny")
    assert russia.content_fragments is not None and len(russia.content_fragments) == 2
    assert russia.to_dict()["content_fragments"] == [list(f) for f in russia.content_fragments]

    assert store.statements(speaker="russia", about="before the war") == []
    assert len(store.statements(document=ex.document.id)) == 2
    assert len(store.statements(document="drones.txt")) == 2
    assert store.statements(document="other.txt") == []
    assert len(store.statements(limit=1)) == 1
    assert store.statements(limit=0) == []


def test_statement_search_is_literal_and_unicode_aware(store: Store) -> None:
    text = "Ömer Çelik said 100% of the aid_fund was spent."
    doc = Document(name="tr.txt", text=text)
    actor = Actor("p", "Ömer Çelik", "person", country="TUR")
    att = Attribution(
        "s",
        cue=span(text, "said"),
        content=span(text, "100% of the aid_fund was spent"),
        speaker="p",
    )
    store.save(Extraction(doc, actors=[actor], attributions=[att]))
    assert len(store.statements(speaker="ömer çelik")) == 1
    assert len(store.statements(speaker="ÖMER")) == 1
    assert len(store.statements(about="100%")) == 1
    assert store.statements(about="1%0") == []  # % is not a wildcard
    assert len(store.statements(about="aid_fund")) == 1
    assert store.statements(about="aidxfund") == []  # _ is not a wildcard


def test_statements_ordered_by_date_then_document_then_offset(store: Store) -> None:
    base = make_extraction().document.text
    late = make_extraction(base + " Late.", published="2023-05-01", name="b-late.txt")
    early = make_extraction(base + " Early.", published="2021-01-01", name="c-early.txt")
    undated = make_extraction(base + " Undated.", published=None, name="a-undated.txt")
    for ex in (late, undated, early):
        store.save(ex)
    got = [(s.document_name, s.cue) for s in store.statements()]
    assert got == [
        ("c-early.txt", "said"),
        ("c-early.txt", "denied"),
        ("b-late.txt", "said"),
        ("b-late.txt", "denied"),
        ("a-undated.txt", "said"),
        ("a-undated.txt", "denied"),
    ]
    assert [d.name for d in store.documents()] == ["c-early.txt", "b-late.txt", "a-undated.txt"]


def test_closed_store_raises(store_url: str) -> None:
    s = open_store(store_url)
    s.close()
    s.close()  # idempotent
    with pytest.raises(StoreError, match="closed"):
        s.count_documents()


# -- opening ----------------------------------------------------------------------


def test_default_is_claimgraph_db_in_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with open_store() as s:
        assert s.backend == "sqlite"
        s.save(make_extraction())
    assert (tmp_path / "claimgraph.db").is_file()
    with sqlite3.connect(tmp_path / "claimgraph.db") as conn:  # plain SQLite, no extensions
        assert conn.execute("SELECT COUNT(*) FROM attributions").fetchone()[0] == 2


@pytest.mark.parametrize("form", ["plain", "path", "sqlite_rel", "sqlite_abs"])
def test_sqlite_url_forms(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, form: str) -> None:
    monkeypatch.chdir(tmp_path)
    url: str | Path = {
        "plain": "ledger.db",
        "path": tmp_path / "ledger.db",
        "sqlite_rel": "sqlite:///ledger.db",
        "sqlite_abs": f"sqlite:///{tmp_path / 'ledger.db'}",
    }[form]
    with open_store(url) as s:
        s.save(make_extraction())
    assert (tmp_path / "ledger.db").is_file()


def test_memory_store() -> None:
    with open_store(":memory:") as s:
        assert s.save(make_extraction())
        assert s.count_documents() == 1


def test_unusable_sqlite_paths(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="missing-dir"):
        open_store(str(tmp_path / "missing-dir" / "x.db"))
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database file at all" * 100)
    with pytest.raises(StoreError):
        open_store(str(junk))


def test_unsupported_scheme() -> None:
    with pytest.raises(StoreError, match="unsupported database URL mysql://u:\\*\\*\\*@h/db"):
        open_store("mysql://u:pw@h/db")


def test_mask_url() -> None:
    assert mask_url("postgresql://bob:s3cret@db.example:5433/x") == (
        "postgresql://bob:***@db.example:5433/x"
    )
    assert mask_url("postgresql://bob@db/x") == "postgresql://bob@db/x"


def test_unreachable_postgres_names_url_without_password() -> None:
    pytest.importorskip("psycopg")
    url = "postgresql://bob:s3cret@127.0.0.1:1/nowhere?connect_timeout=2"
    with pytest.raises(StoreError) as info:
        open_store(url)
    message = str(info.value)
    assert "s3cret" not in message
    assert "postgresql://bob:***@127.0.0.1:1/nowhere" in message


def test_missing_psycopg_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)
    with pytest.raises(StoreError, match=r"pip install 'claimgraph\[postgres\]'"):
        open_store("postgresql://localhost/x")


@pytest.mark.postgres
def test_postgres_search_path_option_is_passed_through(pg_schema_url: str, pg_url: str) -> None:
    schema = pg_schema_url.rsplit("schema=", 1)[1]
    with open_store(pg_schema_url):
        pass  # creates the schema and its tables
    sep = "&" if "?" in pg_url else "?"
    with open_store(f"{pg_url}{sep}options=-csearch_path%3D{schema}") as s:
        assert s.migrate() == []
        s.save(make_extraction())
    with open_store(pg_url, schema=schema) as s:
        assert s.count_documents() == 1


def test_schema_only_for_postgres(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="schema"):
        open_store(tmp_path / "x.db", schema="nope")


# -- claims on documents by concurrent ingests ------------------------------------


def test_claim_document_leases(store: Store) -> None:
    from claimgraph.store import IngestLease

    ex = make_extraction()
    doc_id = ex.document.id
    mine, other = IngestLease.new(), IngestLease.new()
    assert store.claim_document(doc_id, mine) == "claimed"
    assert store.claim_document(doc_id, mine) == "claimed"  # already ours
    assert store.claim_document(doc_id, other) == "busy"  # same live process, other run
    store.release_document(doc_id, other)  # not other's to release: stays
    assert store.claim_document(doc_id, other) == "busy"
    store.release_document(doc_id, mine)
    assert store.claim_document(doc_id, other) == "claimed"
    assert store.save(ex) is True  # storing ends every claim on the document
    assert row_count(store, "ingest_leases") == 0
    assert store.claim_document(doc_id, mine) == "stored"
    assert row_count(store, "ingest_leases") == 0


def test_claims_of_dead_or_expired_ingests_are_taken_over(store: Store) -> None:
    from claimgraph.store import IngestLease

    dead_pid = 2**22 + 12345  # above the default pid_max: never a live process
    mine = IngestLease.new()
    dead = IngestLease("deadbeef", mine.host, dead_pid)
    elsewhere = IngestLease("faraway", "another-host", dead_pid)
    expired = IngestLease("expired", "another-host", dead_pid, seconds=-1)
    for n, lease in enumerate((dead, elsewhere, expired)):
        assert store.claim_document(f"doc{n}", lease) == "claimed"
    # a dead process on this host: taken over at once; on another host its pid says
    # nothing, so only expiry frees it
    assert store.claim_document("doc0", mine) == "claimed"
    assert store.claim_document("doc1", mine) == "busy"
    assert store.claim_document("doc2", mine) == "claimed"
    mine_rows = store._execute(
        "SELECT document_id FROM ingest_leases WHERE owner = ? ORDER BY document_id",
        (mine.owner,),
    ).fetchall()
    assert [r[0] for r in mine_rows] == ["doc0", "doc2"]
    store.renew_leases(mine)
    store.renew_leases(mine, release=True)
    assert row_count(store, "ingest_leases") == 1
