"""What the dataset rule costs on Oxigraph: the three named graphs read as one, against one graph.

One synthetic graph (benchmarks/synth.py, seed 0) is built into an Oxigraph store by
``kg.build_store`` (the ontology, the data and the derived edges each in its named graph, see
kg/_graphs.py). The same quads are copied into a second store, all in its default graph, as
stores were before the rule. Every case of benchmarks/queries.py then runs through ``kg.query``,
``--repeats`` times (median), over:

- *one graph*: the copy, read over its default graph alone (the layout before the rule);
- *union*: the store, read over the union of its graphs (``use_default_graph_as_union``, the rule);
- *list of three*: the store, the three graphs named as the default graph (``default_graph=[...]``,
  what a SPARQL protocol dataset is).

CPU seconds of the process (the machine is shared: wall time is noise there). The answers must be
the same rows on the three, else the run fails. Results: benchmarks/results/dataset.md.

    python benchmarks/dataset.py                    # 100,000 events
    python benchmarks/dataset.py --events 10000
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

from queries import RESULTS, WORK, cases, data_file  # noqa: E402

import kg  # noqa: E402
from kg._graphs import GRAPHS  # noqa: E402
from kg._locking import write_stamp  # noqa: E402
from kg._store import ox  # noqa: E402

SETUPS = ("one graph", "union", "list of three")


def run(store: kg.OxigraphStore, events: int, repeats: int) -> dict[str, tuple[float, list[tuple[object, ...]]]]:
    found = {}
    for label, text, params, cut in cases(events):
        runs, answer = [], []
        for _ in range(repeats):
            begun = time.process_time()
            answer = [tuple(r) for r in kg.query(store, text, params=params, **cut)]
            runs.append(time.process_time() - begun)
        found[label] = (statistics.median(runs), answer)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--output", type=Path, default=RESULTS / "dataset.md")
    args = parser.parse_args(argv)
    events = data_file(args.events)
    work = Path(tempfile.mkdtemp(prefix="bench-dataset-", dir=WORK))
    try:
        kg.build_store(work / "graphs", [events], default=False, validate=False)
        source = ox.Store.read_only(str(work / "graphs"))
        copy = ox.Store(str(work / "one"))
        copy.bulk_extend(ox.Quad(q.subject, q.predicate, q.object) for q in source.quads_for_pattern(None, None, None))
        copy.flush()
        del copy, source
        write_stamp(work / "one", generation=1)
        results = {}
        with kg.OxigraphStore(work / "one", read_only=True) as one:
            one._dataset = {}  # pyoxigraph's own default: the store's default graph alone
            results["one graph"] = run(one, args.events, args.repeats)
            triples = len(one)
        with kg.OxigraphStore(work / "graphs", read_only=True) as union:
            results["union"] = run(union, args.events, args.repeats)
        with kg.OxigraphStore(work / "graphs", read_only=True, default_graphs=list(GRAPHS)) as listed:
            results["list of three"] = run(listed, args.events, args.repeats)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    labels = list(results["one graph"])
    same = {label: all(results[s][label][1] == results["one graph"][label][1] for s in SETUPS) for label in labels}
    totals = {s: sum(results[s][label][0] for label in labels) for s in SETUPS}
    text = [
        "# The dataset rule on Oxigraph: three named graphs read as one, against one graph",
        "",
        f"Command: `python benchmarks/dataset.py --events {args.events}` (median of {args.repeats} runs "
        "through `kg.query`; synthetic graph from `benchmarks/synth.py`, seed 0; pyoxigraph "
        f"{ox.__version__}). CPU seconds of the process. {args.events:,} events, {triples:,} triples. "
        "*one graph*: everything in the default graph, read alone (before the rule); *union*: the "
        "three graphs read by `use_default_graph_as_union` (the rule, on a local store); *list of "
        "three*: the three graphs named as the default graph (what a protocol dataset is).",
        "",
        "| case | rows | one graph | union | list of three | same |",
        "|---|---:|---:|---:|---:|:---:|",
    ]
    for label in labels:
        cells = " | ".join(f"{results[s][label][0]:.3f}" for s in SETUPS)
        rows = len(results["one graph"][label][1])
        text.append(f"| {label} | {rows:,} | {cells} | {'yes' if same[label] else '**no**'} |")
    text.append(f"| **total** | | {' | '.join(f'**{totals[s]:.2f}**' for s in SETUPS)} | |")
    args.output.write_text("\n".join(text) + "\n", encoding="utf-8")
    print("\n".join(text))
    return 0 if all(same.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
