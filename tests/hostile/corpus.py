"""The hostile-input corpus: cases in ``cases.jsonl``, files made from them at test time.

``cases.jsonl`` is the committed list: one case per line, each with what it is made
of and what must become of it. Files that are big or cannot be committed (a 50 MB
sparse file, a FIFO, a symbolic link loop, names that are not UTF-8) are built from
that description by :func:`materialise`, so the data stays reviewable line by line.

A case::

    {"id": "jsonl-huge-int", "class": "jsonl", "path": "records.jsonl",
     "entry": {"data": [{"t": "{\\"text\\": 1"}, {"t": "0", "n": 5000}, {"t": "}\\n"}]},
     "expect": [{"doc": ":1", "outcome": "skipped", "reason": "not usable JSON"}]}

* ``path``: the name given to the reader, relative to the case's own folder (or
  ``path_hex``: its bytes in hex, for names that are not UTF-8; or ``abs``: an absolute
  path used as it is, such as ``/dev/null``).
* ``entry``: what to create at ``path``:
  ``{"data": [segment, ...]}`` a file of the segments' bytes, one after another;
  ``{"dir": {"name": entry, ...}}`` a folder; ``{"fifo": true}``; ``{"socket": true}``;
  ``{"symlink": "target"}``; ``null``: nothing (a missing file). Any entry may carry
  ``"mode"`` (e.g. ``0`` for unreadable; such cases are skipped when running as root,
  which reads everything). ``siblings``: more entries made beside ``path`` first.
* A segment: ``{"t": text, "n": 1, "enc": "utf-8"}`` (text repeated ``n`` times, in
  that encoding; UTF-8 with ``surrogatepass``, so lone surrogates can be written as
  the invalid bytes they would be); ``{"hex": "00ff", "n": 1}``; ``{"jsonl": [value,
  ...]}`` (one ``json.dumps`` line each, non-ASCII escaped, so a lone surrogate is the
  escape ``\\ud800``); ``{"sparse": size}`` (the file is ``size`` NUL bytes, sparse).
* ``expect``: the reader's items in order, each ``{"doc": suffix, "outcome":
  "stored" | "skipped" | "either", "reason": "..."}``; the item is named ``path +
  doc`` (``":3"`` for line 3 of a JSON Lines file, ``"/sub/a.txt"`` in a folder).
  ``skipped`` items must be ``InputError``s whose reason contains ``reason`` (any
  case); ``stored`` items must be read and stored; ``either`` items (tokenizer-
  pathological texts, left to the pipeline's own guard) must be stored or skipped
  with a reason.
"""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path
from typing import Any

CASES_FILE = Path(__file__).with_name("cases.jsonl")
OUTCOMES = frozenset({"stored", "skipped", "either"})


def load_cases() -> list[dict[str, Any]]:
    with CASES_FILE.open(encoding="utf-8") as fh:
        cases = [json.loads(line) for line in fh if line.strip()]
    ids = [c["id"] for c in cases]
    assert len(ids) == len(set(ids)), "case ids must be unique"
    for case in cases:
        for item in case["expect"]:
            assert item["outcome"] in OUTCOMES, (case["id"], item)
            assert item["outcome"] != "skipped" or item.get("reason"), (case["id"], item)
    return cases


def case_path(case: dict[str, Any], root: Path) -> str:
    """The path the reader is given for ``case`` made under ``root``."""
    if "abs" in case:
        return str(case["abs"])
    base = os.path.join(root, case["id"])
    if "path_hex" in case:
        return os.fsdecode(os.path.join(os.fsencode(base), bytes.fromhex(case["path_hex"])))
    return os.path.join(base, case["path"])


def needs_non_root(case: dict[str, Any]) -> bool:
    """Whether the case relies on a permission that root would ignore."""

    def walk(entry: dict[str, Any]) -> bool:
        if entry.get("mode") is not None and not entry["mode"] & 0o444:
            return True
        return any(walk(e) for e in entry.get("dir", {}).values())

    return case.get("entry") is not None and walk(case["entry"])


def materialise(case: dict[str, Any], root: Path) -> str:
    """Create the case's files under ``root``; the path to give the reader."""
    path = case_path(case, root)
    if "abs" in case:
        return path
    base = os.path.join(root, case["id"])
    os.makedirs(base, exist_ok=True)
    for name, entry in case.get("siblings", {}).items():
        _make(os.fsencode(os.path.join(base, name)), entry)
    if case["entry"] is not None:
        _make(os.fsencode(path), case["entry"])
    return path


def segment_bytes(segment: dict[str, Any]) -> bytes:
    n = int(segment.get("n", 1))
    if "t" in segment:
        enc = segment.get("enc", "utf-8")
        errors = "surrogatepass" if enc.replace("_", "-").lower() == "utf-8" else "strict"
        return str(segment["t"]).encode(enc, errors) * n
    if "hex" in segment:
        return bytes.fromhex(segment["hex"]) * n
    if "jsonl" in segment:
        lines = [json.dumps(v).encode("ascii") + b"\n" for v in segment["jsonl"]]
        return b"".join(lines) * n
    raise ValueError(f"unknown segment {segment!r}")


def _make(path: bytes, entry: dict[str, Any]) -> None:
    if "dir" in entry:
        os.makedirs(path, exist_ok=True)
        for name, child in entry["dir"].items():
            _make(os.path.join(path, os.fsencode(name)), child)
    elif "fifo" in entry:
        os.mkfifo(path)
    elif "socket" in entry:
        with socket.socket(socket.AF_UNIX) as sock:
            sock.bind(path)  # the socket file stays after the socket is closed
    elif "symlink" in entry:
        os.symlink(os.fsencode(entry["symlink"]), path)
    else:
        segments = entry["data"]
        with open(path, "wb") as fh:
            if len(segments) == 1 and "sparse" in segments[0]:
                fh.truncate(int(segments[0]["sparse"]))
            else:
                for segment in segments:
                    fh.write(segment_bytes(segment))
    if entry.get("mode") is not None:
        os.chmod(path, entry["mode"])
