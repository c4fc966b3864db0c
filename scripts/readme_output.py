#!/usr/bin/env python3
"""Regenerate the example output in README.md from the current code and examples/.

Each block of example output in the README sits between two marker comments that name
the commands it shows (``;`` between several)::

    <!-- output: claimgraph statements --db demo.db --speaker Kanaani | head=8 -->
        $ claimgraph statements --db demo.db --speaker Kanaani
        Nasser Kanaani  dismissed  ...
        ...
    <!-- /output -->

This script runs those commands in README order (in process, through the ``claimgraph``
click command, with ``demo.db`` a fresh database in a temporary folder, so the README's
own ``ingest examples/`` fills it) and rewrites what is between the markers. Options
after ``|`` abridge the output:

- ``head=N``: the first N lines, then ``...``;
- ``items=N``: in each run of lines indented at least ``depth`` (default 2) spaces,
  the first N, then ``...`` at that indent;
- ``width=N``: longer lines are cut to N characters, ending in ``…``;
- ``json``: a JSON Lines record shown one key a line, each list cut to its first item.

The time ``ingest`` measures (``; 0.3 s)``) is written as ``0.0 s`` so that the text
only changes when the results do. ``tests/test_docs.py`` checks that the README holds
what this script writes.

Usage:

    .venv/bin/python scripts/readme_output.py           # rewrite README.md
    .venv/bin/python scripts/readme_output.py --check   # exit 1 if README.md is stale
"""

from __future__ import annotations

import argparse
import json
import re
import shlex
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
#: The database name the README's commands use; replaced by a temporary file.
DEMO_DB = "demo.db"
MARKER = re.compile(
    r"^<!-- output: (?P<spec>.+?) -->\n(?P<body>.*?)^<!-- /output -->$", re.S | re.M
)
INDENT = "    "

Runner = Callable[[list[str]], str]


def parse_spec(spec: str) -> tuple[list[str], dict[str, str]]:
    """The commands of a marker and its options."""
    commands, _, opts = spec.partition("|")
    options: dict[str, str] = {}
    for word in opts.split():
        key, _, value = word.partition("=")
        options[key] = value
    return [c.strip() for c in commands.split(";") if c.strip()], options


def cli_runner(workdir: Path) -> Runner:
    """Runs ``claimgraph ARGS`` in this process from the repository root, with
    ``demo.db`` in ``workdir``; returns its standard output."""
    from click.testing import CliRunner

    from claimgraph.cli import main

    db = str(workdir / DEMO_DB)
    runner = CliRunner(env={"NO_COLOR": "1", "COLUMNS": "100", "TERM": "dumb"})

    def run(argv: list[str]) -> str:
        args = [db if a == DEMO_DB else a for a in argv]
        result = runner.invoke(main, args, catch_exceptions=False)
        out = result.stdout if hasattr(result, "stdout") else result.output
        return str(out).replace(db, DEMO_DB)

    return run


def abridge_json(line: str) -> list[str]:
    """A JSON record one top-level key a line, every list cut to its first item."""

    def cut(value: Any) -> Any:
        if isinstance(value, list):
            return [cut(value[0]), "..."] if len(value) > 1 else [cut(v) for v in value]
        if isinstance(value, dict):
            return {k: cut(v) for k, v in value.items()}
        return value

    record = json.loads(line)
    parts = [
        f"{json.dumps(k)}: {json.dumps(cut(v), ensure_ascii=False)}".replace('"..."', "...")
        for k, v in record.items()
    ]
    return ["{" + parts[0] + ","] + [f" {p}," for p in parts[1:-1]] + [f" {parts[-1]}" + "}"]


def shape(output: str, options: dict[str, str]) -> list[str]:
    """The output's lines, abridged as the marker's options ask."""
    output = re.sub(r"; \d+(\.\d+)? s\)", "; 0.0 s)", output)
    lines = [line.rstrip() for line in output.rstrip("\n").splitlines()]
    if "json" in options:
        lines = [x for line in lines if line.strip() for x in abridge_json(line)]
    if "items" in options:
        keep, depth = int(options["items"]), int(options.get("depth", "2"))
        out: list[str] = []
        run = 0
        for line in lines:
            indent = len(line) - len(line.lstrip(" "))
            if line.strip() and indent >= depth:
                run += 1
                if run <= keep:
                    out.append(line)
                elif run == keep + 1:
                    out.append(" " * depth + "...")
            else:
                run = 0
                out.append(line)
        lines = out
    if "head" in options and len(lines) > int(options["head"]):
        lines = [*lines[: int(options["head"])], "..."]
    if "width" in options:
        w = int(options["width"])
        lines = [line if len(line) <= w else line[: w - 1].rstrip() + "…" for line in lines]
    return lines


def render_block(spec: str, run: Runner) -> str:
    commands, options = parse_spec(spec)
    lines: list[str] = []
    for command in commands:
        argv = shlex.split(command)
        assert argv[0] == "claimgraph", f"not a claimgraph command: {command}"
        lines.append(f"$ {command}")
        lines.extend(shape(run(argv[1:]), options))
    return "".join(f"{INDENT}{line}".rstrip() + "\n" for line in lines)


def regenerate(text: str, run: Runner) -> str:
    """The README text with every output block rewritten, commands run in order."""

    def replace(m: re.Match[str]) -> str:
        spec = m.group("spec")
        return f"<!-- output: {spec} -->\n{render_block(spec, run)}<!-- /output -->"

    return MARKER.sub(replace, text)


def blocks(text: str) -> list[tuple[str, str]]:
    """(spec, body) of every output block."""
    return [(m.group("spec"), m.group("body")) for m in MARKER.finditer(text)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else "")
    parser.add_argument("--check", action="store_true", help="exit 1 if README.md is stale")
    parser.add_argument("--readme", type=Path, default=README)
    args = parser.parse_args(argv)
    text = args.readme.read_text("utf-8")
    if not blocks(text):
        print(f"no <!-- output: ... --> blocks in {args.readme}", file=sys.stderr)
        return 1
    import os

    os.chdir(REPO)  # the README's paths (examples/...) are relative to the repository
    with tempfile.TemporaryDirectory(prefix="claimgraph-readme-") as tmp:
        new = regenerate(text, cli_runner(Path(tmp)))
    if args.check:
        if new != text:
            print(f"{args.readme} is stale: run scripts/readme_output.py", file=sys.stderr)
            return 1
        return 0
    if new != text:
        args.readme.write_text(new, "utf-8")
        print(f"rewrote {len(blocks(new))} output blocks in {args.readme}")
    else:
        print(f"{args.readme} is up to date")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
