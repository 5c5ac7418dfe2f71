"""Time the named queries and the projection on Virtuoso, `oxigraph serve` and local Oxigraph.

One synthetic graph (benchmarks/synth.py, seed 0) is built into an Oxigraph store with the bulk
loader (ontology and derived edges included) and its three graphs dumped as N-Triples; Virtuoso
Open Source 7 (Debian's ``virtuoso-opensource-7``, a throw-away database on 127.0.0.1, loaded by
``DB.DBA.TTLP_MT`` into the project's three named graphs) and ``oxigraph serve`` (a copy of the
store) are started the way tests/conftest.py starts them. Every case of
benchmarks/queries.py and the full projection run through ``kg.query`` / ``kg.project`` on each
engine, ``--repeats`` times (median), each over the project's dataset (:mod:`kg._graphs`: the
union of the local store's graphs, ``default-graph-uri`` for the three on a server); the answers
must be identical on the three, else the run fails. Results: benchmarks/results/servers.md and servers.json.

    python benchmarks/servers.py                     # 10,000 events
    python benchmarks/servers.py --events 100000
"""

from __future__ import annotations

import argparse
import json
import os
import platform
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

from kg._graphs import GRAPHS  # noqa: E402
from kg._store import ox  # noqa: E402
from tests.conftest import oxigraph_server, virtuoso_server  # noqa: E402

ENGINES = ("oxigraph", "oxigraph serve", "virtuoso")


def measure(store, label, run, repeats):
    runs, answer = [], None
    for _ in range(repeats):
        begun = time.perf_counter()
        answer = run(store)
        runs.append(time.perf_counter() - begun)
        if runs[-1] > 60:
            break
    return statistics.median(runs), answer


def edges(graph):
    return sorted(
        (u, v, k, tuple(sorted((a, str(x)) for a, x in d.items()))) for u, v, k, d in graph.edges(keys=True, data=True)
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--output", type=Path, default=RESULTS / "servers.md")
    args = parser.parse_args(argv)

    import kg

    events = data_file(args.events)
    work = Path(tempfile.mkdtemp(prefix="bench-servers-", dir=WORK))
    started = time.perf_counter()
    try:
        kg.build_store(work / "store", [events], default=False, validate=False)
        build = time.perf_counter() - started
        shutil.copytree(work / "store", work / "served")
        local = kg.OxigraphStore(work / "store")
        dumps = {}  # the project's three graphs, each in a file, loaded under the same names
        for name, iri in GRAPHS.items():
            dumps[iri] = work / f"{name}.nt"
            local.ox.dump(str(dumps[iri]), format=kg._store.ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(iri))
        begun = time.perf_counter()
        with (  # no graph named: every engine reads the project's dataset (kg._graphs)
            virtuoso_server(work / "virtuoso", dumps) as virtuoso_url,
            oxigraph_server(work / "served") as base,
            kg.EndpointStore(f"{base}/query", timeout=300) as served,
            kg.EndpointStore(virtuoso_url, timeout=300) as virtuoso,
        ):
            servers_up = time.perf_counter() - begun
            stores = {"oxigraph": local, "oxigraph serve": served, "virtuoso": virtuoso}
            triples = {name: len(store) for name, store in stores.items()}
            work_items = [
                (label, lambda s, t=text, p=params, c=cut: [tuple(r) for r in kg.query(s, t, params=p, **c)])
                for label, text, params, cut in cases(args.events)
            ]
            work_items.append(("projection (kg.project, every edge)", lambda s: edges(kg.project(s))))
            rows = []
            for label, run in work_items:
                timings, answers = {}, {}
                for name, store in stores.items():
                    timings[name], answers[name] = measure(store, label, run, args.repeats)
                same = all(answers[name] == answers["oxigraph"] for name in ENGINES)
                rows.append({"case": label, "rows": len(answers["oxigraph"]), "same": same, **timings})
                print(
                    f"  {label:40s} "
                    + "  ".join(f"{n} {timings[n]:7.3f}s" for n in ENGINES)
                    + f"  {len(answers['oxigraph']):7,d} rows  {'same' if same else 'DIFFERENT'}",
                    flush=True,
                )
        local.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    command = "python benchmarks/servers.py" + (f" --events {args.events}" if args.events != 10_000 else "")
    text = [
        "# Named queries and the projection: Virtuoso vs `oxigraph serve` vs local Oxigraph",
        "",
        f"Command: `{command}` (median of {args.repeats} runs through `kg.query` / `kg.project`; "
        "synthetic graph from `benchmarks/synth.py`, seed 0).",
        f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}, written "
        f"{time.strftime('%Y-%m-%d %H:%M')}, load average {os.getloadavg()[0]:.1f} at the end (shared with "
        "other jobs: absolute times are high, compare the columns). Virtuoso Open Source 07.20.3229 "
        "(Debian 7.2.5.1), `oxigraph` 0.5 server and pyoxigraph 0.5, all on 127.0.0.1; the servers are "
        "reached over HTTP with the SPARQL 1.1 Protocol (GET or URL-encoded POST, JSON results, one "
        "connection kept alive where the server allows it: Virtuoso closes it after each gzip answer). "
        "Every engine reads the project's dataset (`kg/_graphs.py`): local Oxigraph the union of its "
        "graphs, both servers the three graphs named by `default-graph-uri` and `named-graph-uri`. "
        "Wall-clock seconds. *same*: identical rows, in the same order, on all three.",
        "",
        f"{args.events:,} events; {triples['oxigraph']:,} triples (the three engines count "
        f"{', '.join(f'{n}: {c:,}' for n, c in triples.items())}); Oxigraph bulk build {build:.1f} s; "
        f"both servers started and Virtuoso loaded in {servers_up:.1f} s.",
        "",
        "| case | rows | local Oxigraph (s) | oxigraph serve (s) | Virtuoso (s) | same |",
        "|---|---:|---:|---:|---:|:---:|",
    ]
    for row in rows:
        text.append(
            f"| {row['case']} | {row['rows']:,} | {row['oxigraph']:.3f} | {row['oxigraph serve']:.3f} | "
            f"{row['virtuoso']:.3f} | {'yes' if row['same'] else '**no**'} |"
        )
    args.output.write_text("\n".join(text) + "\n", encoding="utf-8")
    args.output.with_suffix(".json").write_text(
        json.dumps({"events": args.events, "triples": triples, "rows": rows}, indent=1), encoding="utf-8"
    )
    print(f"wrote {args.output}")
    return 0 if all(row["same"] for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
