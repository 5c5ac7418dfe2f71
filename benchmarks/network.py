"""The network projection against rdflib's converter, and the analyses on its result.

Usage::

    python benchmarks/network.py                          # 10k and 100k events
    python benchmarks/network.py --sizes 1000000          # a million (Oxigraph; see --memory-max)
    python benchmarks/network.py --sizes 10000 --repeats 5

For every size, the shared generator (``benchmarks/synth.py``) writes the events as N-Triples
(cached in ``benchmarks/work/network/``) and the same graph (ontology, events, derived
actor-to-actor edges) is loaded into each engine. Then, side by side:

1. **converter**: ``rdflib.extras.external_graph_libs.rdflib_to_networkx_multidigraph`` on the
   rdflib graph: the plain way, one edge per triple (a walk over every triple);
2. **kg.project** on the same rdflib graph (``MemoryStore``), on Oxigraph in memory, and on
   Oxigraph on disk (bulk-loaded, then optimised as ``kg load --store`` leaves it): one SPARQL
   SELECT, one edge per relation with its evidence. The projections of the three engines are
   checked to be equal;
3. on the projection: ``collapse`` (one edge per pair), a **path with evidence**
   (``kg.paths(graph, a, b, max_hops=1)``: every shortest path between two rarely seen actors,
   every relation of every hop), the paths ``kg path`` lists by default (up to 3 hops, 20
   paths, 10 relations a hop), centrality (degree, PageRank, eigenvector, betweenness) and
   ``kg.balance`` (every signed triad).

Times are medians of ``--repeats`` runs (one run for anything over 20 s). Peak MB is the peak of
Python allocations during the operation (``tracemalloc``, in a run of its own): for Oxigraph the
engine's own (Rust) memory is not in it. The rdflib engine is run up to ``--memory-max`` events
(100,000 by default: a million events take more than 20 GB as rdflib objects). Results are kept
by size in ``benchmarks/results/network.json`` and written as ``benchmarks/results/network.md``.
"""

from __future__ import annotations

import argparse
import gc
import json
import shutil
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

WORK = ROOT / "benchmarks" / "work" / "network"  # its own folder
RESULTS = ROOT / "benchmarks" / "results"
SLOW = 20.0  # seconds: beyond this, one run only


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def measure(fn: Callable[[], Any], repeats: int, *, peak: bool = True) -> tuple[float, float | None, Any]:
    """Return (median seconds, peak MB of Python allocations, the last result)."""
    peak_mb = None
    if peak:
        gc.collect()
        tracemalloc.start()
        result = fn()
        peak_mb = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
        del result
    times = []
    result = None
    for _ in range(repeats):
        result = None
        gc.collect()
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
        if times[-1] > SLOW:
            break
    return statistics.median(times), peak_mb, result


def triples_for(n: int) -> Path:
    from benchmarks import synth

    WORK.mkdir(parents=True, exist_ok=True)
    path = WORK / f"synth-{n}.nt"
    if not path.is_file():
        started = time.perf_counter()
        synth.write_ntriples(path, n)
        _log(f"  wrote {path.name} in {time.perf_counter() - started:.0f} s")
    return path


def oxigraph(path: Path, folder: Path | None) -> Any:
    import pyoxigraph as ox

    from kg._derivation import derive
    from kg._loading import ontology_files
    from kg._store import OxigraphStore

    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
    store = OxigraphStore(folder)
    for ontology in ontology_files():
        store.bulk_load(ontology, format=ox.RdfFormat.TURTLE)
    store.bulk_load(path, format=ox.RdfFormat.N_TRIPLES)
    derive(store)
    if folder is not None:
        store.ox.optimize()
    return store


def _edge_keys(graph: Any) -> set[tuple[str, str, str]]:
    return {(str(u), str(v), str(k)) for u, v, k in graph.edges(keys=True)}


def _pair(graph: Any) -> tuple[str, str]:
    """Two rarely seen actors that are not neighbours but are connected."""
    import networkx as nx

    skeleton = nx.Graph()
    skeleton.add_edges_from((u, v) for u, nbrs in graph.adj.items() for v in nbrs if u != v)
    component = max(nx.connected_components(skeleton), key=len)
    ranked = sorted(component, key=lambda n: (skeleton.degree(n), str(n)))
    a = ranked[0]
    b = next(n for n in ranked[1:] if not skeleton.has_edge(a, n))
    return a, b


def run_size(n: int, repeats: int, memory_max: int) -> dict[str, Any]:
    from rdflib.extras.external_graph_libs import rdflib_to_networkx_multidigraph

    import kg
    from kg._analysis import balance, centrality, paths
    from kg._network import collapse, project

    path = triples_for(n)
    row: dict[str, Any] = {"events": n, "repeats": repeats}
    projections = {}

    _log(f"{n:,} events: Oxigraph in memory")
    started = time.perf_counter()
    store = oxigraph(path, None)
    row["triples"] = len(store)
    row["load_oxigraph_memory"] = time.perf_counter() - started
    row["project_oxigraph_memory"], row["peak_oxigraph_memory"], graph = measure(lambda: project(store), repeats)
    projections["oxigraph (memory)"] = graph

    _log(f"{n:,} events: Oxigraph on disk")
    folder = WORK / f"store-{n}"
    started = time.perf_counter()
    disk = oxigraph(path, folder)
    row["load_oxigraph_disk"] = time.perf_counter() - started
    row["project_oxigraph_disk"], row["peak_oxigraph_disk"], other = measure(lambda: project(disk), repeats)
    projections["oxigraph (disk)"] = other
    disk.close()
    del other
    shutil.rmtree(folder, ignore_errors=True)

    if n <= memory_max:
        _log(f"{n:,} events: rdflib in memory")
        started = time.perf_counter()
        memory = kg.load(path, default=False)
        row["load_memory"] = time.perf_counter() - started
        assert len(memory) == row["triples"], (len(memory), row["triples"])
        row["converter"], row["peak_converter"], converted = measure(
            lambda: rdflib_to_networkx_multidigraph(memory.graph), repeats
        )
        row["converter_edges"] = converted.number_of_edges()
        del converted
        row["project_memory"], row["peak_memory"], mine = measure(lambda: project(memory), repeats)
        projections["rdflib (memory)"] = mine
        del memory, mine
    keys = {name: _edge_keys(g) for name, g in projections.items()}
    first = next(iter(keys.values()))
    row["engines_agree"] = all(k == first for k in keys.values())
    assert row["engines_agree"], {name: len(k) for name, k in keys.items()}
    del keys, first, projections
    gc.collect()

    _log(f"{n:,} events: analyses")
    row["actors"], row["edges"] = graph.number_of_nodes(), graph.number_of_edges()
    row["collapse"], _, pairs = measure(lambda: collapse(graph, directed=False), repeats, peak=False)
    row["pairs"] = pairs.number_of_edges()
    a, b = _pair(graph)
    row["path_actors"] = [graph.nodes[a].get("label", a), graph.nodes[b].get("label", b)]
    row["path"], _, found = measure(lambda: paths(graph, a, b, max_hops=1), repeats, peak=False)
    row["path_length"] = len(found.shortest[0])
    row["path_count"] = len(found)
    row["path_evidence"] = sum(len(h.evidence) for p in found for h in p.hops)
    row["paths_cli"], _, found = measure(lambda: paths(graph, a, b, limit=20, evidence=10), repeats, peak=False)
    row["paths_cli_count"] = len(found)
    for measure_name in ("degree", "pagerank", "eigenvector", "betweenness"):
        row[f"centrality_{measure_name}"], _, _ = measure(
            lambda m=measure_name: centrality(graph, measure=m), repeats, peak=False
        )
    row["balance"], _, result = measure(lambda: balance(graph), repeats, peak=False)
    row["triads"], row["balance_ratio"] = len(result.triads), result.ratio
    return row


def _s(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.3f}" if value < 1 else f"{value:.2f}" if value < 10 else f"{value:.1f}"


def _count(value: int | None) -> str:
    return "—" if value is None else f"{value:,}"


def _mb(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}"


def render(results: dict[str, dict[str, Any]]) -> str:
    rows = [results[k] for k in sorted(results, key=int)]
    lines = [
        "# Network: projection and analyses",
        "",
        "`python benchmarks/network.py` (and `--sizes 1000000`): synthetic events of "
        "`benchmarks/synth.py`, the same graph (ontology, events, derived edges) in every engine. "
        "**converter**: `rdflib_to_networkx_multidigraph` on the rdflib graph, one edge per triple. "
        "**kg.project**: one SPARQL SELECT, one edge per relation with its evidence; the three "
        "engines give the same edges (checked). Median of the repeats (one run beyond 20 s); peak MB: "
        "Python allocations during the operation (tracemalloc; Oxigraph's own memory not included). "
        "× converter: how many times faster than the converter on the same graph. The rdflib engine "
        "and the converter are not run at a million events (`--memory-max`): the graph alone would take "
        "some 20 GB as rdflib objects.",
        "",
        "## Projection",
        "",
        "| events | triples | converter (rdflib) s | kg.project rdflib s | kg.project Oxigraph (memory) s "
        "| kg.project Oxigraph (disk) s | × converter: rdflib / Oxigraph mem / disk "
        "| peak MB converter / rdflib / Oxigraph | edges: converter / projection |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        conv = r.get("converter")

        def ratio(key: str, conv: float | None = conv, r: dict[str, Any] = r) -> str:
            return "—" if conv is None or r.get(key) is None else f"{conv / r[key]:.1f}x"

        lines.append(
            f"| {r['events']:,} | {r['triples']:,} | {_s(conv)} | {_s(r.get('project_memory'))} "
            f"| {_s(r['project_oxigraph_memory'])} | {_s(r['project_oxigraph_disk'])} "
            f"| {ratio('project_memory')} / {ratio('project_oxigraph_memory')} / {ratio('project_oxigraph_disk')} "
            f"| {_mb(r.get('peak_converter'))} / {_mb(r.get('peak_memory'))} / {_mb(r['peak_oxigraph_memory'])} "
            f"| {_count(r.get('converter_edges'))} / {r['edges']:,} |"
        )
    lines += [
        "",
        "Loading (not in the times above): "
        + "; ".join(
            f"{r['events']:,} events: rdflib {_s(r.get('load_memory'))} s, Oxigraph in memory "
            f"{_s(r['load_oxigraph_memory'])} s, on disk {_s(r['load_oxigraph_disk'])} s"
            for r in rows
        )
        + ".",
        "",
        "## Analyses on the projection",
        "",
        "| events | actors | edges | pairs | collapse s | path with evidence s | kg path defaults s "
        "| degree s | PageRank s | eigenvector s | betweenness s | balance s | triads (balanced) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['events']:,} | {r['actors']:,} | {r['edges']:,} | {r['pairs']:,} | {_s(r['collapse'])} "
            f"| {_s(r['path'])} | {_s(r['paths_cli'])} | {_s(r['centrality_degree'])} "
            f"| {_s(r['centrality_pagerank'])} | {_s(r['centrality_eigenvector'])} "
            f"| {_s(r['centrality_betweenness'])} | {_s(r['balance'])} "
            f"| {r['triads']:,} ({r['balance_ratio']:.2f}) |"
        )
    lines += [
        "",
        "Path with evidence: `kg.paths(graph, a, b, max_hops=1)` between two rarely seen actors that are "
        "not neighbours: "
        + "; ".join(
            f"{r['events']:,} events: {r['path_actors'][0]} to {r['path_actors'][1]}, "
            f"{r['path_count']} shortest paths of {r['path_length']} hops, {r['path_evidence']:,} "
            f"relations of evidence"
            for r in rows
        )
        + ". `kg path` defaults: up to 3 hops, 20 paths, 10 relations a hop.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="event counts, comma-separated")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--memory-max", type=int, default=100_000, help="run the rdflib engine and the converter up to this many events"
    )
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    RESULTS.mkdir(parents=True, exist_ok=True)
    store = RESULTS / "network.json"
    results: dict[str, dict[str, Any]] = json.loads(store.read_text()) if store.is_file() else {}
    for n in sizes:
        results[str(n)] = run_size(n, args.repeats, args.memory_max)
        temporary = store.with_suffix(".json.tmp")
        temporary.write_text(json.dumps(results, indent=1, default=str))
        temporary.replace(store)
        text = render(results)
        (RESULTS / "network.md.tmp").write_text(text)
        (RESULTS / "network.md.tmp").replace(RESULTS / "network.md")
        _log(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
