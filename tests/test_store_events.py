"""Events in the store: written with their document, queried the way analysts filter
event data, on SQLite and PostgreSQL alike; and the GDELT-style CSV built from them.

The extraction here is built by hand, so these tests hold whatever the events
stage's rules do; they only rely on the event dict contract of DESIGN.md.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import pytest

from claimgraph.errors import StoreError
from claimgraph.export import COLUMNS, csv_chunks, event_record, write_events_csv
from claimgraph.model import Actor, Attribution, Document, Extraction, Section, TextSpan
from claimgraph.store import (
    DocumentRejectedError,
    EventRow,
    Store,
    date_bound,
    load_migrations,
    open_store,
    sentence_around,
    time_range,
)

HEADLINE = "EU sanctions Iran over drones\n\n"
BODY = (
    "Iran supplied drones to Russia before the war, the foreign minister Hossein "
    "Amirabdollahian said on Saturday. The European Union imposed sanctions on Iran in "
    "October. Russia denied using Iranian drones."
)
TEXT = HEADLINE + BODY


def span(text: str, needle: str, start: int = 0) -> TextSpan:
    i = text.index(needle, start)
    return TextSpan(i, i + len(needle), needle)


def event(
    local: str,
    type_: str,
    trigger: TextSpan,
    *,
    actor: str | None = None,
    target: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": local,
        "type": type_,
        "mode": None,
        "context": None,
        "actor": actor,
        "target": target,
        "trigger": trigger.to_dict(),
        "object": None,
        "quantity": None,
        "time": None,
        "polarity": "affirmed",
        "modality": "actual",
        "attribution": None,
        "cameo": None,
    }
    out.update(extra)
    return out


def make_extraction(text: str = TEXT, published: str | None = "2022-11-05") -> Extraction:
    doc = Document(
        name="drones.txt", text=text, url="https://example.org/drones", published=published
    )
    actors = [
        Actor("a1", "Iran", "state", "IRN", mentions=[span(text, "Iran supplied")]),
        Actor("a2", "Russia", "state", "RUS", mentions=[span(text, "Russia")]),
        Actor(
            "a3",
            "Hossein Amirabdollahian",
            "person",
            "IRN",
            "foreign minister",
            mentions=[span(text, "Hossein Amirabdollahian")],
        ),
        Actor("a4", "European Union", "igo", mentions=[span(text, "The European Union")]),
    ]
    attributions = [
        Attribution(
            "t1",
            cue=span(text, "said"),
            content=span(text, "Iran supplied drones to Russia before the war"),
            source=span(text, "the foreign minister Hossein Amirabdollahian"),
            speaker="a3",
        ),
        Attribution(
            "t2",
            cue=span(text, "denied"),
            content=span(text, "using Iranian drones"),
            source=span(text, "Russia denied"),
            speaker="a2",
            stance="deny",
        ),
    ]
    drones = text.index("drones to Russia")
    events = [
        event(
            "e1",
            "AID",
            span(text, "supplied"),
            actor="a1",
            target="a2",
            object=span(text, "drones to Russia").to_dict() | {"end": drones + 6, "text": "drones"},
            time={"text": "before the war", "value": "2022-02-24", "relation": "before"},
            attribution="t1",
            cameo="07",
        ),
        event(
            "e2",
            "SANCTION",
            span(text, "sanctions on"),
            actor="a4",
            target="a1",
            time={"text": "in October", "value": "2022-10", "relation": "during"},
            cameo="16",
            mode="economic",
        ),
        event(
            "e3",
            "ASSAULT",
            span(text, "using"),
            actor="a2",
            polarity="negated",
            attribution="t2",
            quantity=3,
        ),
        event("e4", "SANCTION", span(text, "sanctions"), actor="a4", target="a1"),
    ]
    return Extraction(
        document=doc,
        sections=[Section("headline", 0, len(HEADLINE)), Section("body", len(HEADLINE), len(text))],
        actors=actors,
        attributions=attributions,
        events=events,
    )


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with open_store(store_url) as s:
        assert s.save(make_extraction())
        yield s


def ids(rows: list[EventRow]) -> list[str]:
    return [r.id.rsplit(":", 1)[1] for r in rows]


# -- schema -------------------------------------------------------------------------


def test_events_migration_is_version_2() -> None:
    mig = {m.version: m for m in load_migrations()}[2]
    assert mig.name == "events"
    statements = mig.statements()
    assert statements[0].startswith("CREATE TABLE events")
    assert sum(s.startswith("CREATE INDEX") for s in statements) >= 5


# -- writing ------------------------------------------------------------------------


def test_events_are_stored_with_their_document(store: Store) -> None:
    with store:
        rows = store.events()
        # by date; the two dated by the article by position (e4 is in the headline)
        assert ids(rows) == ["e1", "e2", "e4", "e3"]
        e1, e2, e4, e3 = rows
        assert e1.id == f"{make_extraction().document.id}:e1"
        assert (e1.actor, e1.actor_country, e1.target, e1.target_country) == (
            "Iran",
            "IRN",
            "Russia",
            "RUS",
        )
        assert (e1.trigger, e1.object, e1.cameo) == ("supplied", "drones", "07")
        assert (e1.time_text, e1.time_value, e1.time_relation) == (
            "before the war",
            "2022-02-24",
            "before",
        )
        assert e1.voice == "Hossein Amirabdollahian" and e1.speaker_country == "IRN"
        assert e1.sentence == (
            "Iran supplied drones to Russia before the war, the foreign minister Hossein "
            "Amirabdollahian said on Saturday."
        )
        assert e1.url == "https://example.org/drones" and e1.document_name == "drones.txt"
        assert e1.section == "body"
        assert (e2.voice, e2.mode, e2.date, e2.actor_type) == (
            "publisher",
            "economic",
            "2022-10",
            "igo",
        )
        assert e2.sentence == "The European Union imposed sanctions on Iran in October."
        # no time of its own: dated by the article; a denial stays a denial
        assert (e3.date, e3.polarity, e3.voice, e3.stance) == (
            "2022-11-05",
            "negated",
            "Russia",
            "deny",
        )
        assert e3.quantity == "3" and e3.target is None and e3.target_type is None
        assert (e4.modality, e4.section) == ("actual", "headline")


def test_section_comes_from_the_document_when_the_event_lacks_one(store_url: str) -> None:
    ex = make_extraction()
    ex.events = [event("h1", "SANCTION", span(TEXT, "sanctions"), actor="a4", target="a1")]
    with open_store(store_url) as s:
        s.save(ex)
        [row] = s.events()
    assert row.section == "headline"
    assert row.sentence == "EU sanctions Iran over drones"


def test_sentence_recorded_by_the_events_stage_wins(store_url: str) -> None:
    ex = make_extraction()
    start = TEXT.index("The European Union")
    end = TEXT.index("Russia denied")  # as if the parser had not split the two
    ex.events = [
        event(
            "e1",
            "SANCTION",
            span(TEXT, "sanctions on"),
            actor="a4",
            sentence={"start": start, "end": end},
        ),
        # bounds that do not hold the trigger are ignored
        event("e2", "ASSAULT", span(TEXT, "using"), sentence={"start": 0, "end": 5}),
    ]
    with open_store(store_url) as s:
        s.save(ex)
        first, second = s.events()
    assert first.sentence == "The European Union imposed sanctions on Iran in October."
    assert second.sentence == "Russia denied using Iranian drones."
    with open_store(store_url) as s:
        s.delete_document(ex.document.id)
        ex.events[0]["sentence"] = {"start": start, "end": len(TEXT)}
        s.save(ex)
        assert s.events()[0].sentence == TEXT[start:].replace("\n", " ")


def test_event_naming_an_unknown_actor_rejects_the_whole_document(store_url: str) -> None:
    ex = make_extraction()
    ex.events.append(event("e9", "AID", span(TEXT, "supplied"), actor="a99"))
    with open_store(store_url) as s:
        with pytest.raises(DocumentRejectedError):
            s.save(ex)
        assert s.count_documents() == 0
        assert s.events() == []


def test_delete_document_removes_its_events(store: Store) -> None:
    with store:
        assert store.delete_document(make_extraction().document.id)
        assert store.events() == []
        assert store.save(make_extraction())  # and it can be stored afresh
        assert len(store.events()) == 4


def test_documents_without_events_store_as_before(store_url: str) -> None:
    ex = make_extraction()
    ex.events = []
    with open_store(store_url) as s:
        assert s.save(ex)
        assert s.events() == []
        assert len(s.statements()) == 2


# -- reading ------------------------------------------------------------------------


def test_filter_by_actor_and_target_name_or_country(store: Store) -> None:
    with store:
        assert ids(store.events(actor="IRAN")) == ["e1"]
        assert ids(store.events(actor="irn")) == ["e1"]  # country code, any case
        assert ids(store.events(actor="european")) == ["e2", "e4"]
        assert ids(store.events(target="IRN")) == ["e2", "e4"]
        assert ids(store.events(target="russ")) == ["e1"]
        assert ids(store.events(actor="iran", target="RUS")) == ["e1"]
        assert store.events(actor="100%") == []  # LIKE wildcards are literal


def test_filter_by_type_document_and_limit(store: Store) -> None:
    with store:
        assert ids(store.events(type="sanction")) == ["e2", "e4"]
        assert ids(store.events(document="drones.txt", limit=2)) == ["e1", "e2"]
        assert store.events(document="other.txt") == []
        assert store.events(limit=0) == []
        with pytest.raises(ValueError):
            store.events(limit=-1)


def test_since_until_use_event_time_then_publication_date(store: Store) -> None:
    with store:
        # e2 is "2022-10" (the whole month); e3 and e4 fall back to 2022-11-05
        assert ids(store.events(since="2022-10-15")) == ["e2", "e4", "e3"]
        assert ids(store.events(until="2022-10-15")) == ["e1", "e2"]
        assert ids(store.events(since="2022-10-31", until="2022-10-31")) == ["e2"]
        assert ids(store.events(since="2022-11")) == ["e4", "e3"]
        assert ids(store.events(until="2022")) == ["e1", "e2", "e4", "e3"]
        assert store.events(since="2022-11-06") == []
        with pytest.raises(ValueError, match="not a date"):
            store.events(since="last week")


def test_undated_events_sort_last_and_escape_date_filters(store_url: str) -> None:
    with open_store(store_url) as s:
        s.save(make_extraction(published=None))
        assert ids(s.events()) == ["e1", "e2", "e4", "e3"]
        assert ids(s.events(since="2000")) == ["e1", "e2"]


def test_sentence_far_into_a_long_text_with_wide_characters(store_url: str) -> None:
    # Characters beyond the BMP and accents before the trigger: SUBSTR must count
    # code points as Python does on both backends.
    filler = "Ömer Çelik 😀 wrote a long note. " * 40
    text = filler + "Later, Iran supplied drones to Russia. The end."
    at = span(text, "supplied")
    ex = Extraction(
        document=Document(name="long.txt", text=text, published="2022-01-01"),
        actors=[Actor("a1", "Iran", "state", "IRN", mentions=[span(text, "Iran")])],
        events=[event("e1", "AID", at, actor="a1")],
    )
    with open_store(store_url) as s:
        s.save(ex)
        [row] = s.events()
    assert row.trigger == text[at.start : at.end]
    assert row.sentence == "Later, Iran supplied drones to Russia."


def test_to_dict_carries_the_readable_fields(store: Store) -> None:
    with store:
        d = store.events(type="AID")[0].to_dict()
    assert d["date"] == "2022-02-24" and d["voice"] == "Hossein Amirabdollahian"
    assert d["actor"] == "Iran" and d["target_country"] == "RUS"
    assert d["sentence"].startswith("Iran supplied")


def test_closed_store_refuses_queries(store_url: str) -> None:
    s = open_store(store_url)
    s.close()
    with pytest.raises(StoreError, match="closed"):
        s.events()


# -- helpers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2022-10-28", ("2022-10-28", "2022-10-28")),
        ("2022-10", ("2022-10-01", "2022-10-31")),
        ("2024-02", ("2024-02-01", "2024-02-29")),
        ("2022", ("2022-01-01", "2022-12-31")),
        ("2022-W43", ("2022-10-24", "2022-10-30")),
        ("2022-10-01/2022-11", ("2022-10-01", "2022-11-30")),
        ("2022-10-28T10:00", ("2022-10-28", "2022-10-28")),
        ("2022-02-30", (None, None)),
        ("recently", (None, None)),
        (None, (None, None)),
    ],
)
def test_time_range(value: str | None, expected: tuple[str | None, str | None]) -> None:
    assert time_range(value) == expected


def test_date_bound_reads_user_dates() -> None:
    assert date_bound("2022-10", last=False) == "2022-10-01"
    assert date_bound("2022-10", last=True) == "2022-10-31"
    for bad in ("2022-13", "22-10-01", "2022-10-01/2022-10-02", "yesterday"):
        with pytest.raises(ValueError):
            date_bound(bad, last=False)


def test_sentence_around_keeps_abbreviations_and_caps_length() -> None:
    text = "Intro\nMr. Smith said on Feb. 24 that U.S. officials met. Next one."
    i = text.index("met")
    assert sentence_around(text, i, i + 3) == ("Mr. Smith said on Feb. 24 that U.S. officials met.")
    assert sentence_around(text, 0, 5) == "Intro"
    assert sentence_around(text, i, i + 3, bounds=(0, len(text))) == " ".join(text.split())
    long = "word " * 300 + "TRIGGER " + "word " * 300
    i = long.index("TRIGGER")
    out = sentence_around(long, i, i + 7, cap=100)
    assert "TRIGGER" in out and out.startswith("…") and out.endswith("…")
    assert len(out) <= 102


# -- export -------------------------------------------------------------------------


def test_csv_export_has_gdelt_style_columns(store: Store) -> None:
    with store:
        rows = store.events()
    text = "".join(csv_chunks(rows, chunk_size=10))
    table = list(csv.DictReader(io.StringIO(text)))
    assert list(table[0]) == list(COLUMNS)
    assert len(table) == 4
    aid = table[0]
    assert aid == {
        "date": "2022-02-24",
        "source_actor_code": "IRN",
        "source_actor_name": "Iran",
        "source_actor_type": "state",
        "target_actor_code": "RUS",
        "target_actor_name": "Russia",
        "target_actor_type": "state",
        "event_type": "AID",
        "event_mode": "",
        "event_context": "",
        "cameo_root": "07",
        "polarity": "affirmed",
        "modality": "actual",
        "voice": "Hossein Amirabdollahian",
        "source_url": "https://example.org/drones",
        "document": "drones.txt",
        "sentence": rows[0].sentence,
        "trigger": "supplied",
    }
    assert table[1]["source_actor_code"] == "" and table[1]["voice"] == "publisher"
    assert table[3]["polarity"] == "negated" and table[3]["target_actor_name"] == ""

    out = io.StringIO(newline="")
    assert write_events_csv(rows, out) == 4
    assert out.getvalue() == text


def test_csv_cells_stay_on_one_line(store: Store) -> None:
    with store:
        row = store.events()[0]
    record = event_record(
        EventRow(**{**{f: getattr(row, f) for f in row.__dataclass_fields__}, "trigger": "a\nb"})
    )
    assert record["trigger"] == "a b"
