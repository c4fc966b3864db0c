"""The README's CLI tour names only commands and options that exist: a renamed command
or option fails here instead of in a reader's terminal; and its example output is what
the commands print now (``scripts/readme_output.py`` rewrites it)."""

from __future__ import annotations

import contextlib
import importlib.util
import re
import shlex
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import click
import pytest

from claimgraph.cli import main

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"


def tour_commands() -> list[list[str]]:
    text = README.read_text("utf-8")
    tour = text.split("<!-- tour -->", 1)[1].split("<!-- /tour -->", 1)[0]
    out = []
    for line in tour.splitlines():
        m = re.match(r"^\s+\$ claimgraph (.+)$", line)
        if m:
            command = m.group(1).split("#", 1)[0].split(">", 1)[0].strip()
            out.append(shlex.split(command))
    return out


@pytest.mark.parametrize("argv", tour_commands(), ids=lambda a: " ".join(a[:2]))
def test_tour_command_parses(argv: list[str]) -> None:
    command: click.Command = main
    args = list(argv)
    ctx = click.Context(main)
    while isinstance(command, click.Group):
        assert args, f"{argv}: a group needs a command"
        sub = command.get_command(ctx, args[0])
        assert sub is not None, f"no command {args[0]!r} in {argv}"
        command, args = sub, args[1:]
    known = {opt for p in command.params for opt in getattr(p, "opts", [])}
    for arg in args:
        if arg.startswith("--"):
            assert arg.split("=", 1)[0] in known, f"{command.name} has no option {arg}"


def test_the_tour_covers_the_main_commands() -> None:
    seen = {argv[0] for argv in tour_commands()}
    assert {"extract", "ingest", "statements", "actors", "events", "contested"} <= seen


# -- example output ------------------------------------------------------------------


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "readme_output", REPO / "scripts" / "readme_output.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def regenerated() -> Iterator[tuple[ModuleType, str]]:
    """The README as scripts/readme_output.py would write it now: its commands run
    once, in order, over a fresh database (one ingest of examples/)."""
    script = _script()
    with tempfile.TemporaryDirectory() as tmp, contextlib.chdir(REPO):
        yield script, script.regenerate(README.read_text("utf-8"), script.cli_runner(Path(tmp)))


def test_readme_shows_output_blocks() -> None:
    specs = [spec for spec, _ in _script().blocks(README.read_text("utf-8"))]
    shown = {shlex.split(c)[1] for spec in specs for c in spec.split("|")[0].split(";")}
    assert {"extract", "ingest", "statements", "actors", "actor", "contested", "threads"} <= shown


def test_readme_output_is_current(regenerated: tuple[ModuleType, str]) -> None:
    script, new = regenerated
    old_blocks = dict(script.blocks(README.read_text("utf-8")))
    for spec, body in script.blocks(new):
        assert old_blocks[spec] == body, (
            f"README output of `{spec}` is stale: run .venv/bin/python scripts/readme_output.py"
        )


def test_readme_has_no_stale_wording() -> None:
    text = README.read_text("utf-8")
    assert "reserved for the next stage" not in text
    assert not re.search(r"\b1 (documents|articles|statements)\b", text)
