#!/usr/bin/env python3
"""Benchmark extraction on long and hostile texts: time and peak memory per document.

Each case runs in its own process, which builds the text, loads the pipeline
(``Extractor()``, not timed) and then times one ``Extractor.extract`` call. The report
gives, per case, the extract time, the process's peak resident memory
(``ru_maxrss``), the resident memory after the model was loaded (so the difference
is what the document cost) and the number of attributions found.

Cases:

- ``prose``: PolNeAR train articles (``SHARED/eval/polnear/train/text/*.txt``, sorted
  by name) joined with blank lines and cut to 100k, 200k and 400k characters;
- hostile runs without spaces that spaCy's tokenizer handles in time growing with
  their cube: ``'Talks failed, officials said. ' + '=' * 32000``, 16 KiB of ``$``,
  16 KiB of ``'`` and 100k characters of printable ASCII with no space.

The time ratio per doubling of the prose shows how the cost grows (2.0 is linear).

Usage (from the repository root):

    .venv/bin/python benchmarks/bench_long.py
    .venv/bin/python benchmarks/bench_long.py --write docs/benchmarks.md
    .venv/bin/python benchmarks/bench_long.py --src /path/to/other/checkout/src  # compare

``--timeout`` (default 300 s) ends a case that runs longer; it is then reported as
not finished.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from docsection import write_section

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = REPO_ROOT.parent / "shared"
TRAIN_SUBDIR = Path("eval/polnear/train/text")
START_MARKER = "<!-- bench-long:start -->"
END_MARKER = "<!-- bench-long:end -->"
PROSE_SIZES = (100_000, 200_000, 400_000)

CHILD_PROGRAM = """\
import json, random, resource, string, sys, time
from pathlib import Path

case, size, train = sys.argv[1], int(sys.argv[2]), sys.argv[3]

def rss_kib():
    for line in open("/proc/self/status", encoding="ascii"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0

if case == "prose":
    parts, total = [], 0
    for path in sorted(Path(train).glob("*.txt")):
        t = path.read_text(encoding="utf-8").strip()
        parts.append(t)
        total += len(t) + 2
        if total >= size:
            break
    text = "\\n\\n".join(parts)[:size]
elif case == "equals":
    text = "Talks failed, officials said. " + "=" * size
elif case == "dollars":
    text = "$" * size
elif case == "apostrophes":
    text = "Talks failed. " + "'" * size + " he said."
elif case == "nospace":
    rng = random.Random(17)
    alphabet = string.ascii_letters + string.digits + string.punctuation
    text = "".join(rng.choice(alphabet) for _ in range(size))
else:
    raise SystemExit(f"unknown case {case}")

from claimgraph.model import Document
from claimgraph.pipeline import Extractor

extractor = Extractor()
loaded = rss_kib()
start = time.perf_counter()
extraction = extractor.extract(Document(name=f"{case}-{size}", text=text))
seconds = time.perf_counter() - start
for att in extraction.attributions:  # offsets must still index the text
    for span in (att.cue, att.content):
        assert text[span.start : span.end] == span.text
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({
    "chars": len(text), "seconds": seconds, "peak_rss_kib": peak, "loaded_rss_kib": loaded,
    "attributions": len(extraction.attributions),
}))
"""


@dataclass
class Case:
    label: str
    kind: str
    size: int


@dataclass
class Outcome:
    case: Case
    chars: int | None = None
    seconds: float | None = None
    peak_mib: float | None = None
    loaded_mib: float | None = None
    attributions: int | None = None
    failure: str | None = None


def cases() -> list[Case]:
    out = [Case(f"prose {n // 1000}k", "prose", n) for n in PROSE_SIZES]
    out += [
        Case("'Talks failed, officials said. ' + '=' * 32000", "equals", 32_000),
        Case("'$' * 16384", "dollars", 16_384),
        Case('"\'" * 16384 inside a sentence', "apostrophes", 16_384),
        Case("100k printable ASCII, no space", "nospace", 100_000),
    ]
    return out


def run_case(case: Case, train: Path, timeout: float, src: Path | None) -> Outcome:
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src) + os.pathsep + env.get("PYTHONPATH", "")
    cmd = [sys.executable, "-c", CHILD_PROGRAM, case.kind, str(case.size), str(train)]
    try:
        proc = subprocess.run(
            cmd, capture_output=True, text=True, timeout=timeout, env=env, check=False
        )
    except subprocess.TimeoutExpired:
        return Outcome(case, failure=f"did not finish in {timeout:.0f} s")
    if proc.returncode != 0:
        tail = " ".join(proc.stderr.strip().splitlines()[-1:])
        return Outcome(case, failure=f"exit {proc.returncode}: {tail}")
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    return Outcome(
        case,
        chars=data["chars"],
        seconds=data["seconds"],
        peak_mib=data["peak_rss_kib"] / 1024,
        loaded_mib=data["loaded_rss_kib"] / 1024,
        attributions=data["attributions"],
    )


def render(outcomes: list[Outcome], info: dict[str, str]) -> str:
    lines = [
        "| case | characters | extract (s) | peak RSS (MiB) | RSS after model load (MiB) "
        "| attributions |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for o in outcomes:
        if o.failure:
            lines.append(f"| {o.case.label} | {o.case.size:,} | {o.failure} | | | |")
            continue
        lines.append(
            f"| {o.case.label} | {o.chars:,} | {o.seconds:.2f} | {o.peak_mib:.0f} "
            f"| {o.loaded_mib:.0f} | {o.attributions} |"
        )
    prose = [o for o in outcomes if o.case.kind == "prose" and o.seconds]
    if len(prose) >= 2:
        lines.append("")
        for a, b in itertools.pairwise(prose):
            assert a.seconds is not None and b.seconds is not None
            lines.append(
                f"- {a.case.label} -> {b.case.label}: time x{b.seconds / a.seconds:.2f} "
                f"for x{b.case.size / a.case.size:.0f} the text"
            )
    lines += ["", "Machine:", ""]
    lines += [f"- {key}: {value}" for key, value in info.items()]
    return "\n".join(lines) + "\n"


def machine_info() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": f"{cpu}, {os.cpu_count()} logical CPUs",
        "python": platform.python_version(),
        "os": f"{platform.system()} {platform.release()}",
    }


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Time extraction on long and hostile texts.")
    parser.add_argument(
        "--shared",
        type=Path,
        default=Path(os.environ.get("CLAIMGRAPH_SHARED", DEFAULT_SHARED)),
        help="shared data folder (default: ../shared next to the repository)",
    )
    parser.add_argument("--timeout", type=float, default=300, help="seconds per case")
    parser.add_argument("--only", default=None, help="run only cases whose kind contains this")
    parser.add_argument(
        "--src", type=Path, default=None, help="claimgraph sources to import (another checkout)"
    )
    parser.add_argument("--write", type=Path, default=None, metavar="MD")
    parser.add_argument("--json", type=Path, default=None, help="also write raw results")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    train = args.shared / TRAIN_SUBDIR
    if not any(train.glob("*.txt")):
        print(f"error: no .txt files in {train}", file=sys.stderr)
        return 2
    outcomes = []
    for case in cases():
        if args.only and args.only not in case.kind:
            continue
        outcome = run_case(case, train, args.timeout, args.src)
        shown = outcome.failure or f"{outcome.seconds:.2f} s, peak {outcome.peak_mib:.0f} MiB"
        print(f"  {case.label}: {shown}", file=sys.stderr)
        outcomes.append(outcome)
    report = render(outcomes, machine_info())
    print(report)
    if args.write:
        command = "python benchmarks/bench_long.py --write docs/benchmarks.md"
        write_section(args.write, report, command, START_MARKER, END_MARKER)
    if args.json:
        payload = [{**o.__dict__, "case": o.case.__dict__} for o in outcomes]
        args.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return 0 if all(o.failure is None for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
