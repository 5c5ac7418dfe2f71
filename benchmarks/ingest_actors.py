"""The cost of what ingestion keeps about dataset actors, against a checkout without it.

Usage::

    git archive main | (mkdir -p /tmp/base && tar -x -C /tmp/base)
    python benchmarks/ingest_actors.py --base /tmp/base --sizes 100000

For every size it writes (once) the GDELT-shaped export of ``benchmarks/ingest.py``, then, each
in a process of its own and alternating, ``kg.ingest(file, format="gdelt", store=DIR)`` into a new
Oxigraph store with the ``kg`` of ``--base`` and with this checkout's, and Oxigraph's own
``bulk_load`` of each resulting graph (dumped as N-Triples): the ties of actors to their states,
their sectors and the occurrences every event now points at cost ingestion time and triples,
and the bulk load of the larger graph is the fair yardstick of the ratio the ingestion benchmark
keeps. Times are medians of ``--repeats`` runs; CPU seconds count every thread. Results go to
``benchmarks/results/ingest-actors.md``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "ingest-actors.md"


def _child(root: str, export: str) -> dict[str, object]:
    sys.path.insert(0, root)
    import pyoxigraph as ox

    from kg._ingestion import ingest

    folder = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    try:
        started, cpu = time.perf_counter(), time.process_time()
        report = ingest(export, format="gdelt", store=folder / "store")
        seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
        dump = folder / "all.nt"
        store = ox.Store(str(folder / "store"))
        store.dump(output=str(dump), format=ox.RdfFormat.N_QUADS)  # every graph (kg._graphs)
        del store
        started, cpu = time.perf_counter(), time.process_time()
        engine = ox.Store(str(folder / "bulk"))
        engine.bulk_load(path=str(dump), format=ox.RdfFormat.N_QUADS)
        engine.flush()
        del engine
        bulk, bulk_cpu = time.perf_counter() - started, time.process_time() - cpu
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return {
        "seconds": seconds,
        "cpu": cpu_seconds,
        "triples": report.triples,
        "bulk": bulk,
        "bulk_cpu": bulk_cpu,
        "ties": getattr(report, "ties", 0),
        "repeated": getattr(report, "repeated_reports", 0),
    }


def _export(n: int) -> Path:
    # benchmarks/ingest.py writes the export; loaded by path, as a pip-installed "benchmarks"
    # package (pysbd ships one) would shadow this folder.
    import importlib.util

    spec = importlib.util.spec_from_file_location("_ingest_bench", ROOT / "benchmarks" / "ingest.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("benchmarks._child", _load_child())
    spec.loader.exec_module(module)
    path: Path = module.write_export(n)
    return path


def _load_child():  # type: ignore[no-untyped-def]
    import importlib.util

    spec = importlib.util.spec_from_file_location("benchmarks._child", ROOT / "benchmarks" / "_child.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", help="a checkout of the code to compare with (git archive main)")
    parser.add_argument("--sizes", default="100000", help="rows per export, comma-separated")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(_child(*args.child)))
        return 0
    if not args.base:
        parser.error("--base is required")
    measure = _load_child().measure_in_child
    lines = [
        "# Ingestion: the cost of dataset actors (ties, sectors, occurrences)",
        "",
        f"`python benchmarks/ingest_actors.py --base BASE --sizes {args.sizes} --repeats {args.repeats}` "
        "on 2 shared cores (BASE: `git archive main` before the change); medians; CPU counts every "
        "thread. **bulk_load**: Oxigraph's own bulk load of the same run's output.",
        "",
        "| rows | code | triples | ties | repeated reports | ingest (s) | ingest CPU (s) | bulk_load CPU (s) "
        "| ingest / bulk_load CPU |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n in (int(s) for s in args.sizes.split(",")):
        export = str(_export(n))
        runs: dict[str, list[dict[str, object]]] = {"base": [], "this": []}
        for _ in range(args.repeats):
            for name, root in (("base", args.base), ("this", str(ROOT))):
                runs[name].append(measure(__file__, root, export, cwd=Path(tempfile.gettempdir())))
        for name, found in runs.items():

            def med(key: str, found: list[dict[str, object]] = found) -> float:
                values = sorted(float(r[key]) for r in found)  # type: ignore[arg-type]
                return values[len(values) // 2] if len(values) % 2 else sum(values[len(values) // 2 - 1 :][:2]) / 2

            lines.append(
                f"| {n:,} | {name} | {int(med('triples')):,} | {int(med('ties')):,} | "
                f"{int(med('repeated')):,} | {med('seconds'):.1f} | {med('cpu'):.1f} | "
                f"{med('bulk_cpu'):.1f} | {med('cpu') / med('bulk_cpu'):.2f}x |"
            )
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
