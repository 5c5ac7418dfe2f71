"""Time the named queries on rdflib in memory and on Oxigraph, side by side, and check the answers.

For each size, a synthetic event graph (benchmarks/synth.py) is written as N-Triples once; then
each engine runs in its own process (so that peak memory is that engine's alone): it loads the
graph (rdflib: ``kg.load``; Oxigraph: ``kg.build_store`` with the bulk loader, into a fresh
folder), then runs every named query through ``kg.query`` (the way a user does), ``--repeats``
times, and writes each answer. The parent checks that both engines gave the same rows, in the
same order, and writes a Markdown table to benchmarks/results/queries.md: median time of the
repeats, the ratio rdflib / Oxigraph, and the peak resident memory of each process.

    python benchmarks/queries.py                                  # 10k and 100k events
    python benchmarks/queries.py --sizes 10000,100000,1000000     # the full run
    python benchmarks/queries.py --sizes 1000000 --rdflib-max 0   # Oxigraph alone at 1M

rdflib above ``--rdflib-max`` events (default 100,000) is skipped with a note: loading a million
events into rdflib takes tens of minutes and many GB. A query that takes over 60 s is run once.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

import synth  # noqa: E402

WORK = HERE / "work"
RESULTS = HERE / "results"

# The plain GROUP BY of the issue; no ORDER BY: kg.query sorts the rows (Oxigraph's ORDER BY on
# IRIs reads every IRI back from its dictionary, which costs more than the grouping itself).
DYAD_COUNT = """SELECT ?actor ?target (COUNT(?event) AS ?events) WHERE {
    ?event dip:actor ?actor ; dip:target ?target .
} GROUP BY ?actor ?target"""
WINDOW = {"since": "2021-01-01", "until": "2021-06-30"}


def cases(n_events: int) -> list[tuple[str, str, dict[str, str], dict[str, str]]]:
    """Return ``(label, query, params, cut)`` for every named query, and a few extras."""
    actors = synth.actors(n_events)
    first, second = actors[0].label, actors[1].label
    params = {
        "between": {"actor": first, "other": second},
        "timeline": {"actor": second},
        "evidence": {"event": "synth/event/0000007"},
        "ties": {"actor": first},
    }
    import kg

    result = [(q.name, q.name, params.get(q.name, {}), {}) for q in kg.list_queries()]
    result += [
        ("dyad count (GROUP BY, inline)", DYAD_COUNT, {}, {}),
        ("dyad-tone, 6-month window", "dyad-tone", {}, WINDOW),
        ("condemnations, 6-month window", "condemnations", {}, WINDOW),
        ("timeline, 6-month window", "timeline", params["timeline"], WINDOW),
    ]
    return result


def data_file(n_events: int) -> Path:
    """Write (once) the synthetic graph of ``n_events`` events; regenerate when synth.py changed."""
    WORK.mkdir(exist_ok=True)
    path = WORK / f"queries-synth-{n_events}.nt"
    if not path.exists() or path.stat().st_mtime < Path(synth.__file__).stat().st_mtime:
        started = time.perf_counter()
        count = synth.write_ntriples(path, n_events, seed=0)
        seconds = time.perf_counter() - started
        print(f"  wrote {path.name}: {count:,} triples in {seconds:.1f} s", flush=True)
    return path


# ---------------------------------------------------------------- the worker (one engine, one size)


def worker(engine: str, n_events: int, path: Path, out: Path, repeats: int) -> None:
    import kg

    started = time.perf_counter()
    folder = None
    if engine == "rdflib":
        store: kg.Store = kg.load(path, default=False)
    else:
        folder = Path(tempfile.mkdtemp(prefix="bench-oxigraph-", dir=WORK))
        kg.build_store(folder / "store", [path], default=False, validate=False)
        store = kg.OxigraphStore(folder / "store")
    load_seconds = time.perf_counter() - started
    triples = len(store)
    timings, answers = {}, {}
    try:
        for label, text, params, cut in cases(n_events):
            runs = []
            result = None
            for _ in range(repeats):
                begun = time.perf_counter()
                result = kg.query(store, text, params=params, **cut)
                runs.append(time.perf_counter() - begun)
                if runs[-1] > 60:
                    break
            assert result is not None
            timings[label] = {"median": statistics.median(runs), "runs": runs, "rows": len(result)}
            answers[label] = [[None if v is None else v.n3() for v in row] for row in result.rows]
            print(f"    {engine:8s} {label:32s} {statistics.median(runs):9.3f} s  {len(result):8,d} rows", flush=True)
    finally:
        store.close()
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    out.write_text(
        json.dumps(
            {
                "engine": engine,
                "events": n_events,
                "triples": triples,
                "load": load_seconds,
                "peak_mb": peak_kb / 1024,
                "timings": timings,
                "answers": answers,
            }
        ),
        encoding="utf-8",
    )


def run_worker(engine: str, n_events: int, path: Path, repeats: int) -> dict | None:
    with tempfile.NamedTemporaryFile(suffix=".json", dir=WORK, delete=False) as handle:
        out = Path(handle.name)
    try:
        subprocess.run(
            [
                sys.executable,
                __file__,
                "--worker",
                engine,
                str(n_events),
                str(path),
                str(out),
                "--repeats",
                str(repeats),
            ],
            check=True,
        )
        return json.loads(out.read_text(encoding="utf-8"))
    finally:
        out.unlink(missing_ok=True)


# ---------------------------------------------------------------- the table


def _seconds(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.3f}" if value < 10 else f"{value:.1f}"


def write_table(measured: list[tuple[int, dict | None, dict]], command: str) -> str:
    lines = [
        "# Named queries: rdflib in memory vs Oxigraph",
        "",
        f"Command: `{command}` (median of repeated runs through `kg.query`, each engine in its own "
        "process; synthetic graphs from `benchmarks/synth.py`, seed 0).",
        f"Machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, load average "
        f"{os.getloadavg()[0]:.1f} when written ({time.strftime('%Y-%m-%d %H:%M')}). Timings are wall-clock "
        "seconds; ratio = rdflib / Oxigraph (on disk); *same* says whether both engines returned identical "
        "rows in the same order.",
        "",
        "## Loading",
        "",
        "| events | triples | rdflib load (s) | Oxigraph bulk load (s) | rdflib peak RSS (MB) "
        "| Oxigraph peak RSS (MB) |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for n_events, memory, oxigraph in measured:
        memory_load = _seconds(memory["load"]) if memory else "skipped"
        memory_peak = f"{memory['peak_mb']:,.0f}" if memory else "-"
        lines.append(
            f"| {n_events:,} | {oxigraph['triples']:,} | {memory_load} | {_seconds(oxigraph['load'])} "
            f"| {memory_peak} | {oxigraph['peak_mb']:,.0f} |"
        )
    for n_events, memory, oxigraph in measured:
        lines += [
            "",
            f"## {n_events:,} events",
            "",
            "| query | rows | rdflib (s) | Oxigraph (s) | ratio | same |",
            "|---|---:|---:|---:|---:|:---:|",
        ]
        for label, timing in oxigraph["timings"].items():
            other = memory["timings"].get(label) if memory else None
            ratio = f"{other['median'] / timing['median']:.1f}x" if other and timing["median"] > 0 else "-"
            same = "-"
            if memory:
                same = "yes" if memory["answers"][label] == oxigraph["answers"][label] else "**NO**"
            lines.append(
                f"| {label} | {timing['rows']:,} | {_seconds(other['median'] if other else None)} "
                f"| {_seconds(timing['median'])} | {ratio} | {same} |"
            )
        if memory is None:
            lines.append("")
            lines.append(
                f"rdflib skipped at {n_events:,} events (over `--rdflib-max`): loading alone "
                "would take tens of minutes and several GB."
            )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated numbers of events")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each query (median reported)")
    parser.add_argument("--rdflib-max", type=int, default=100_000, help="largest size to run rdflib at")
    parser.add_argument("--output", type=Path, default=RESULTS / "queries.md")
    parser.add_argument("--worker", nargs=4, metavar=("ENGINE", "EVENTS", "PATH", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        engine, n_events, path, out = args.worker
        worker(engine, int(n_events), Path(path), Path(out), args.repeats)
        return 0
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    measured = []
    mismatches = 0
    for n_events in sizes:
        print(f"{n_events:,} events", flush=True)
        path = data_file(n_events)
        oxigraph = run_worker("oxigraph", n_events, path, args.repeats)
        memory = run_worker("rdflib", n_events, path, args.repeats) if n_events <= args.rdflib_max else None
        assert oxigraph is not None
        if memory is not None:
            bad = [label for label, rows in oxigraph["answers"].items() if memory["answers"][label] != rows]
            mismatches += len(bad)
            for label in bad:
                print(f"  DIFFERENT ANSWERS for {label!r} at {n_events:,} events", flush=True)
        measured.append((n_events, memory, oxigraph))
    command = "python benchmarks/queries.py"
    if args.sizes != "10000,100000":
        command += f" --sizes {args.sizes}"
    if args.rdflib_max != 100_000:
        command += f" --rdflib-max {args.rdflib_max}"
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(write_table(measured, command), encoding="utf-8")
    print(f"wrote {args.output}" + (f"; {mismatches} query answers differ" if mismatches else ""))
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
