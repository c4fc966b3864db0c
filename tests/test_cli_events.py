"""``claimgraph events`` and ``claimgraph eval plover`` as shell users and scripts meet
them. The database is filled by hand and the PLOVER run uses a scripted extractor,
so no spaCy model is loaded and the expected output is exact."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from claimgraph import cli
from claimgraph.export import COLUMNS
from claimgraph.model import Actor, Attribution, Document, Extraction, TextSpan
from claimgraph.store import open_store

TEXT = (
    "Iran supplied drones to Russia, the foreign minister Hossein Amirabdollahian said. "
    "The European Union imposed sanctions on Iran in October.\n"
    "Russia denied using Iranian drones."
)


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli.main, list(args), env=env, catch_exceptions=False)


def span(needle: str) -> TextSpan:
    i = TEXT.index(needle)
    return TextSpan(i, i + len(needle), needle)


def event(local: str, type_: str, trigger: str, **kw: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": local,
        "type": type_,
        "mode": None,
        "context": None,
        "actor": None,
        "target": None,
        "trigger": span(trigger).to_dict(),
        "object": None,
        "quantity": None,
        "time": None,
        "polarity": "affirmed",
        "modality": "actual",
        "attribution": None,
        "cameo": None,
    }
    out.update(kw)
    return out


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("events") / "ledger.db")
    extraction = Extraction(
        document=Document(
            name="drones.txt", text=TEXT, url="https://example.org/d", published="2022-11-05"
        ),
        actors=[
            Actor("a1", "Iran", "state", "IRN", mentions=[span("Iran")]),
            Actor("a2", "Russia", "state", "RUS", mentions=[span("Russia")]),
            Actor("a3", "Hossein Amirabdollahian", "person", "IRN", "foreign minister"),
            Actor("a4", "European Union", "igo"),
        ],
        attributions=[
            Attribution(
                "t1",
                cue=span("said"),
                content=span("Iran supplied drones to Russia"),
                speaker="a3",
            ),
            Attribution("t2", cue=span("denied"), content=span("using Iranian drones")),
        ],
        events=[
            event(
                "e1",
                "AID",
                "supplied",
                actor="a1",
                target="a2",
                attribution="t1",
                cameo="07",
                time={"text": "before the war", "value": "2022-02-24", "relation": "before"},
            ),
            event(
                "e2",
                "SANCTION",
                "sanctions",
                actor="a4",
                target="a1",
                mode="economic",
                time={"text": "in October", "value": "2022-10", "relation": "during"},
            ),
            event("e3", "ASSAULT", "using", actor="a2", polarity="negated", attribution="t2"),
        ],
    )
    with open_store(path) as store:
        assert store.save(extraction)
    return path


# --------------------------------------------------------------------------- events


def test_events_text_is_one_readable_line_per_event(db: str) -> None:
    result = run("events", "--db", db)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "2022-02-24 · Iran (IRN) —AID→ Russia (RUS) · supplied · Hossein Amirabdollahian"
    )
    assert lines[1].startswith("    Iran supplied drones to Russia, the foreign minister")
    assert lines[1].endswith("— drones.txt")
    assert (
        lines[2]
        == "2022-10 · European Union —SANCTION/economic→ Iran (IRN) · sanctions · publisher"
    )
    assert lines[4] == "2022-11-05 · Russia (RUS) —ASSAULT→ ? · using [negated] · unknown speaker"
    assert lines[5] == "    Russia denied using Iranian drones. — drones.txt"
    assert lines[-1] == "3 events"


def test_events_filters(db: str) -> None:
    def found(*args: str) -> list[str]:
        result = run("events", "--db", db, "--format", "json", *args)
        assert result.exit_code == 0, result.output
        return [e["type"] for e in json.loads(result.stdout)]

    assert found() == ["AID", "SANCTION", "ASSAULT"]
    assert found("--actor", "iran") == ["AID"]
    assert found("--target", "IRN") == ["SANCTION"]
    assert found("--type", "assault") == ["ASSAULT"]
    assert found("--since", "2022-10-15") == ["SANCTION", "ASSAULT"]
    assert found("--until", "2022-09") == ["AID"]
    assert found("--since", "2022-10", "--until", "2022-10") == ["SANCTION"]
    assert found("--document", "drones.txt", "--limit", "1") == ["AID"]
    assert found("--actor", "nobody") == []


def test_events_json_jsonl_and_database_from_environment(db: str) -> None:
    env = {"CLAIMGRAPH_DB": db}
    [aid] = json.loads(run("events", "--type", "AID", "--format", "json", env=env).stdout)
    assert aid["voice"] == "Hossein Amirabdollahian" and aid["date"] == "2022-02-24"
    assert aid["sentence"].startswith("Iran supplied drones")
    lines = run("events", "--format", "jsonl", env=env).stdout.splitlines()
    assert [json.loads(line)["polarity"] for line in lines] == ["affirmed", "affirmed", "negated"]


def test_events_csv_has_the_gdelt_style_columns(db: str) -> None:
    result = run("events", "--db", db, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == list(COLUMNS)
    assert [(r["date"], r["source_actor_code"], r["event_type"]) for r in rows] == [
        ("2022-02-24", "IRN", "AID"),
        ("2022-10", "", "SANCTION"),
        ("2022-11-05", "RUS", "ASSAULT"),
    ]
    assert rows[0]["cameo_root"] == "07" and rows[1]["voice"] == "publisher"
    assert rows[0]["source_url"] == "https://example.org/d"


def test_events_bad_date_is_a_usage_error(db: str) -> None:
    result = run("events", "--db", db, "--since", "last week")
    assert result.exit_code == 2
    assert "not a date" in result.stderr


def test_events_on_a_database_without_events(tmp_path: Path) -> None:
    from claimgraph.store import open_store

    open_store(tmp_path / "empty.db").close()  # only ingest creates one from the CLI
    result = run("events", "--db", str(tmp_path / "empty.db"))
    assert result.exit_code == 0
    assert "no events match" in result.stdout
    assert run("events", "--db", str(tmp_path / "empty.db"), "--format", "json").stdout == "[]\n"


def test_events_unreachable_database_is_a_one_line_error() -> None:
    result = run("events", "--db", "postgresql://claimgraph@127.0.0.1:1/x?connect_timeout=2")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and len(result.stderr.strip().splitlines()) == 1


# --------------------------------------------------------------------------- eval plover


class Scripted:
    """Finds an AGREE by the first actor in every sentence, nothing else."""

    def extract_many(self, docs: Iterable[Document]) -> Iterator[Extraction]:
        for d in docs:
            yield Extraction(
                document=d,
                actors=[Actor("a1", "United States", "state", "USA")],
                events=[event("e1", "AGREE", "Iran", actor="a1")],
            )


@pytest.fixture
def plover_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    def make(model: str | None) -> Callable[[], Scripted]:
        return Scripted

    monkeypatch.setattr(cli, "_make_extractor", make)
    records = [
        {"id": "D", "event": "DOCUMENT"},
        {"id": "R1", "event": "AGREE", "source": [{"code": "USA"}], "text": "They agreed."},
        {
            "id": "R2",
            "event": "DEMAND",
            "source": [{"code": "USA"}],
            "target": [{"code": "JAP"}],
            "text": "They demanded.",
        },
    ]
    path = tmp_path / "plover.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    return path


def test_eval_plover_text_and_json(plover_file: Path) -> None:
    result = run("eval", "plover", str(plover_file))
    assert result.exit_code == 0, result.output
    assert "found (accuracy)          0.500   (1/2)" in result.stdout
    assert "overall   0.667   (2/3)" in result.stdout

    report = json.loads(run("eval", "plover", str(plover_file), "--format", "json").stdout)
    assert report["records"] == 2
    assert report["event_type"]["event_precision"] == 0.5
    assert report["actor_coverage"]["target"] == {"covered": 0, "gold": 1, "share": 0.0}

    limited = json.loads(
        run("eval", "plover", str(plover_file), "--limit", "1", "--format", "json").stdout
    )
    assert limited["records"] == 1 and limited["event_type"]["accuracy"] == 1.0


def test_eval_plover_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    result = run("eval", "plover", str(tmp_path / "nope.json"))
    assert result.exit_code == 2


def test_eval_plover_bad_file_is_a_one_line_error(plover_file: Path) -> None:
    plover_file.write_text("{}", encoding="utf-8")
    result = run("eval", "plover", str(plover_file))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and "JSON list" in result.stderr
