"""The README's CLI tour names only commands and options that exist: a renamed command
or option fails here instead of in a reader's terminal."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest

from claimgraph.cli import main

README = Path(__file__).resolve().parents[1] / "README.md"


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
