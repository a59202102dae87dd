"""Benchmark: every command at N synthetic models, with time and peak memory (issue 12).

    .venv/bin/python benchmarks/bench_scale.py 1000 10000 [--timeout 900] [--work /tmp/scale]
        [--jsonl] [--only STEP ...] [--memory-limit GB]

For each N, writes synthetic data (benchmarks/synthetic.py: the real data plus N made-up
models, as YAML files or, with --jsonl, JSON Lines) and runs, as a user would, each as its
own process: `mmkg build`, `mmkg validate`, the graph built and written without the checks
by the rdflib path and by the streamed Oxigraph path side by side, every competency question
as a cold `mmkg query` call, every `mmkg analyze` analysis, `mmkg reason --engine rules`
and `mmkg site`, then `mmkg index` and the questions and analyses again, answered from the
on-disk store it makes; beside them the plain-library paths of reading the built N-Triples
(rdflib's `Graph.parse`, pyoxigraph's bulk loader). Prints one line per step: wall seconds,
the process's peak resident memory (its own, from wait4), and the machine's one-minute load
average when it ended (above 1, other work shared the 2 cores). A step that passes
--timeout is stopped and shown as such; the steps that need its output are then skipped.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from synthetic import generate  # noqa: E402

MMKG = [sys.executable, "-m", "mmkg"]
ANALYSES = ["component-reuse", "hubs", "lineage", "communities", "trends", "comparisons"]
#: The graph built and written without the checks, by each path (the checks are `validate`).
WRITERS = {
    "write: rdflib Graph + rdflib serialisers": (
        "import gc; gc.set_threshold(50_000, 20, 100); "  # as a command sets it
        "from pathlib import Path; from mmkg.load import load_facts; "
        "from mmkg.build import build_graph, write_build; from mmkg.paths import ONTOLOGY_FILE; "
        "write_build(build_graph(load_facts(Path({data!r})), ONTOLOGY_FILE)[0], Path({out!r}))"
    ),
    "write: streamed into Oxigraph": (
        "import gc; gc.set_threshold(50_000, 20, 100); "  # as a command sets it
        "from pathlib import Path; from mmkg.load import load_facts; "
        "from mmkg.build import build_store, write_store; from mmkg.paths import ONTOLOGY_FILE; "
        "write_store(build_store(load_facts(Path({data!r})), ONTOLOGY_FILE)[0], ONTOLOGY_FILE, "
        "Path({out!r}))"
    ),
}
READERS = {
    "read nt: rdflib Graph.parse": "from rdflib import Graph; Graph().parse({path!r}, format='nt')",
    "read nt: pyoxigraph bulk_load": (
        "import pyoxigraph as ox; ox.Store().bulk_load(path={path!r}, "
        "format=ox.RdfFormat.N_TRIPLES)"
    ),
}


def run_step(
    args: list[str], timeout: float, memory_gb: float | None = None
) -> tuple[str, float, float]:
    """Run one process; its status ('ok', 'exit N' or 'timeout'), seconds and peak MB.

    With *memory_gb*, the process may map at most that much memory (RLIMIT_AS): a step that
    would need more fails with a MemoryError instead of taking the machine down with it.
    """

    def limit() -> None:
        if memory_gb:
            size = int(memory_gb * 2**30)
            resource.setrlimit(resource.RLIMIT_AS, (size, size))

    start = time.perf_counter()
    process = subprocess.Popen(
        args,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        preexec_fn=limit,  # noqa: PLW1509 - only setrlimit, before exec
    )
    deadline = start + timeout
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            os.killpg(process.pid, signal.SIGKILL)
            _, status, usage = os.wait4(process.pid, 0)
            process.returncode = os.waitstatus_to_exitcode(status)
            return "timeout", time.perf_counter() - start, usage.ru_maxrss / 1024
        time.sleep(0.05)
    seconds = time.perf_counter() - start
    code = process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    return ("ok" if code == 0 else f"exit {code}"), seconds, usage.ru_maxrss / 1024


def steps(data: Path, out: Path) -> list[tuple[str, list[str], bool]]:
    """(name, command, whether later steps need it) for one data folder."""
    graph = str(out / "build" / "mmkg.nt")
    found = [
        (
            "build",
            [*MMKG, "build", "--data", str(data), "--out", str(out / "build")],
            True,
        ),
        ("validate", [*MMKG, "validate", "--data", str(data)], False),
    ]
    found += [
        (
            name,
            [sys.executable, "-c", code.format(data=str(data), out=str(out / f"write-{n}"))],
            False,
        )
        for n, (name, code) in enumerate(WRITERS.items())
    ]
    found += [
        (name, [sys.executable, "-c", code.format(path=graph)], False)
        for name, code in READERS.items()
    ]
    for query in sorted((ROOT / "queries" / "cq").glob("cq-*.rq")):
        name = query.stem.split("-", 2)
        found.append(
            (
                f"query {name[0]}-{name[1]}",
                [*MMKG, "query", f"{name[0]}-{name[1]}", "--graph", graph, "-F", "csv"],
                False,
            )
        )
    found += [
        (f"analyze {a}", [*MMKG, "analyze", a, "--graph", graph, "-F", "csv"], False)
        for a in ANALYSES
    ]
    found.append(
        (
            "reason (rules)",
            [*MMKG, "reason", "--file", graph, "--engine", "rules", "--out", str(out / "reason")],
            False,
        )
    )
    found.append(("site", [*MMKG, "site", "--graph", graph, "--out", str(out / "site")], False))
    # the same reading commands once `mmkg index` has put the graph in an on-disk store
    found.append(("index", [*MMKG, "index", "--graph", graph], True))
    for query in sorted((ROOT / "queries" / "cq").glob("cq-*.rq")):
        name = "-".join(query.stem.split("-", 2)[:2])
        command = [*MMKG, "query", name, "--graph", graph, "-F", "csv"]
        found.append((f"query {name} (indexed)", command, False))
    found += [
        (f"analyze {a} (indexed)", [*MMKG, "analyze", a, "--graph", graph, "-F", "csv"], False)
        for a in ANALYSES
    ]
    return found


def main() -> int:
    """Generate, run and print the figures for each N."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", type=int, nargs="+", help="numbers of synthetic models")
    parser.add_argument("--timeout", type=float, default=900, help="seconds per step")
    parser.add_argument("--work", type=Path, default=Path("/tmp/mmkg-scale"))
    parser.add_argument("--only", nargs="*", help="run only the steps starting with these")
    parser.add_argument(
        "--memory-limit", type=float, help="GB of memory each step may map (RLIMIT_AS)"
    )
    parser.add_argument(
        "--jsonl", action="store_true", help="write the synthetic models as JSON Lines"
    )
    options = parser.parse_args()
    cores = os.cpu_count()
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.machine(),
    )
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    print(
        f"# machine: {cpu}, {cores} cores, "
        f"{memory:.0f} GB, Python {platform.python_version()}, {platform.system()}"
    )
    print(f"{'N':>8}  {'step':<34} {'status':<8} {'seconds':>9} {'peak MB':>9} {'load':>5}")
    for n in options.sizes:
        out = options.work / str(n)
        start = time.perf_counter()
        data = generate(n, out, jsonl=options.jsonl)
        print(
            f"{n:>8}  {'generate (benchmarks/synthetic.py)':<34} {'ok':<8} "
            f"{time.perf_counter() - start:>9.1f} {'':>9}",
            flush=True,
        )
        failed = False
        for name, command, needed in steps(data, out):
            if options.only and not any(name.startswith(o) for o in options.only):
                continue
            if failed:
                print(f"{n:>8}  {name:<34} {'skipped':<8}", flush=True)
                continue
            status, seconds, peak = run_step(command, options.timeout, options.memory_limit)
            load = os.getloadavg()[0]  # the machine's 1-minute load: other work beside the step
            print(
                f"{n:>8}  {name:<34} {status:<8} {seconds:>9.1f} {peak:>9.0f} {load:>5.1f}",
                flush=True,
            )
            failed = needed and status != "ok"
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
