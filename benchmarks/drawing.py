"""Drawing speed: a top-50 map of a large projection, against one FancyArrowPatch per edge.

Usage::

    python benchmarks/drawing.py                           # 10k, 100k and 1M events
    python benchmarks/drawing.py --sizes 10000,100000 --repeats 3

For every size, the shared generator (``benchmarks/synth.py``) writes the events as N-Triples and
an Oxigraph store is built from them (ontology, events, derived actor-to-actor edges); both are
cached in ``benchmarks/work/drawing/``. Then, each measurement in its own process (so that its peak
memory is its own):

1. **projection**: ``kg.project(store)``, every event and standing relation as an edge;
2. **ours**: from the projected graph to a PNG file: ``kg.draw(graph, top=50)`` (centrality,
   the 50 most central actors, each pair's relations merged, a backbone of the heaviest links,
   layout, label placement, edges as one ``LineCollection``) and ``kg.save_figure``;
3. **naive**: from the same graph to a PNG file, the plain way: the same 50 actors, a seeded
   spring layout, and every edge among them (one per event, as the projection holds them) drawn
   by ``networkx.draw_networkx_edges`` as one ``FancyArrowPatch`` each (curved, with arrows), with
   the nodes and their labels. Beyond ``--naive-max`` edges (10,000 by default) the naive drawing
   is timed with half and all of that many edges and its time extrapolated linearly to every edge
   (marked ``~``): a million events would take many minutes.

Times are from the projected graph to the written file (the projection is timed apart), the median
of ``--repeats`` runs (one at a million events). Results go to ``benchmarks/results/drawing.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks._child import measure_in_child, median, write_results  # noqa: E402

WORK = ROOT / "benchmarks" / "work" / "drawing"  # its own folder: other benchmarks clean theirs
RESULTS = ROOT / "benchmarks" / "results" / "drawing.md"
TOP = 50


# ---------------------------------------------------------------- the store (cached)


def store_for(n: int) -> Path:
    """Return an Oxigraph store of ``n`` synthetic events, building it (and its N-Triples) if needed."""
    from benchmarks import synth

    WORK.mkdir(parents=True, exist_ok=True)
    triples = WORK / f"synth-{n}.nt"
    if not triples.is_file():
        started = time.perf_counter()
        synth.write_ntriples(triples, n)
        print(f"  wrote {triples.name} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    path = WORK / f"store-drawing-{n}"
    if (path / "READY").is_file():
        return path
    shutil.rmtree(path, ignore_errors=True)
    started = time.perf_counter()
    import kg

    store = kg.OxigraphStore(path)
    store.add_graph(kg.load(default=False).to_graph())  # the ontology
    store.bulk_load(triples)
    kg.derive(store)
    store.close()
    (path / "READY").write_text("ok\n", encoding="utf-8")
    print(f"  built {path.name} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return path


# ---------------------------------------------------------------- measurements (one per process)


def _child(kind: str, args: list[str]) -> dict[str, object]:
    import kg

    store = kg.OxigraphStore(args[0], read_only=True)
    started, cpu = time.perf_counter(), time.process_time()
    graph = kg.project(store)
    result: dict[str, object] = {
        "projection": time.perf_counter() - started,
        "projection_cpu": time.process_time() - cpu,
        "actors": graph.number_of_nodes(),
        "edges": graph.number_of_edges(),
    }
    if kind == "ours":
        started, cpu = time.perf_counter(), time.process_time()
        figure = kg.draw(graph, top=TOP)
        kg.save_figure(figure, args[1])
        result["seconds"] = time.perf_counter() - started
        result["cpu"] = time.process_time() - cpu
        links = [c for c in figure.axes[0].collections if c.get_gid() == "edges"]
        result["drawn"] = len(links[0].get_segments()) if links else 0
    elif kind == "naive":
        cap = int(args[2])
        top = {str(row[5]) for row in kg.centrality(graph).rows[:TOP]}
        among = [(u, v) for u, v in graph.edges() if u in top and v in top and u != v]
        result["top_edges"] = len(among)
        if len(among) <= cap:
            result["seconds"], result["cpu"] = _naive(graph, top, among, args[1])
        else:  # time half and all of the cap, extrapolate the slope to every edge
            half = _naive(graph, top, among[: cap // 2], args[1])
            full = _naive(graph, top, among[:cap], args[1])
            for i, key in enumerate(("seconds", "cpu")):
                result[key] = full[i] + (full[i] - half[i]) / (cap - cap // 2) * (len(among) - cap)
            result["extrapolated_from"] = cap
    return result


def _naive(graph: object, top: set[str], edges: list[tuple[str, str]], out: str) -> tuple[float, float]:
    """Draw the plain way: seeded spring layout, one FancyArrowPatch per edge; return wall, CPU seconds."""
    import matplotlib

    matplotlib.use("Agg")
    import networkx as nx
    from matplotlib.figure import Figure

    started, cpu = time.perf_counter(), time.process_time()
    sub = nx.MultiDiGraph()
    sub.add_nodes_from(sorted(top))
    sub.add_edges_from(edges)
    pos = nx.spring_layout(nx.Graph(sub), seed=0)
    figure = Figure(figsize=(12, 8.5), dpi=100)
    ax = figure.add_subplot()
    nx.draw_networkx_nodes(sub, pos, ax=ax, node_size=300)
    nx.draw_networkx_edges(sub, pos, ax=ax, arrows=True, connectionstyle="arc3,rad=0.1", alpha=0.3)
    labels = {n: graph.nodes[n].get("label", n) for n in sub.nodes}  # type: ignore[attr-defined]
    nx.draw_networkx_labels(sub, pos, labels=labels, ax=ax, font_size=7)
    figure.savefig(out, format="png")
    return time.perf_counter() - started, time.process_time() - cpu


def measure(kind: str, *args: str) -> dict[str, object]:
    """Run one measurement of this script in a child process, with its peak memory."""
    return measure_in_child(__file__, kind, *args, cwd=ROOT)


def run(sizes: list[int], repeats: int, naive_max: int) -> str:
    rows = []
    out = WORK / "out"
    out.mkdir(parents=True, exist_ok=True)
    for n in sizes:
        print(f"{n:,} events", file=sys.stderr)
        path = store_for(n)
        times = 1 if n >= 1_000_000 else repeats
        ours = [measure("ours", str(path), str(out / f"ours-{n}.png")) for _ in range(times)]
        naive = [measure("naive", str(path), str(out / f"naive-{n}.png"), str(naive_max)) for _ in range(times)]
        rows.append(
            {
                "events": n,
                "actors": ours[0]["actors"],
                "edges": ours[0]["edges"],
                "top_edges": naive[0]["top_edges"],
                "drawn": ours[0]["drawn"],
                "projection": median(ours + naive, "projection"),
                "projection_cpu": median(ours + naive, "projection_cpu"),
                "ours": median(ours, "seconds"),
                "naive": median(naive, "seconds"),
                "ours_cpu": median(ours, "cpu"),
                "naive_cpu": median(naive, "cpu"),
                "estimated": "extrapolated_from" in naive[0],
                "cap": naive[0].get("extrapolated_from"),
                "ours_mb": max(float(r["peak_mb"]) for r in ours),  # type: ignore[arg-type]
                "naive_mb": max(float(r["peak_mb"]) for r in naive),  # type: ignore[arg-type]
            }
        )
        print(f"  {rows[-1]}", file=sys.stderr)
    return _table(rows, repeats)


def _table(rows: list[dict[str, object]], repeats: int) -> str:
    load = os.getloadavg()[0]
    lines = [
        "# Drawing: a top-50 map of a large projection",
        "",
        "`python benchmarks/drawing.py` (synthetic events of `benchmarks/synth.py` in an Oxigraph store). "
        "**projection**: `kg.project(store)`, timed apart. **ours**: from the projected graph to a PNG file, "
        "`kg.draw(graph, top=50)` and `kg.save_figure` (the 50 most central actors by degree, each pair's "
        "relations merged into one edge, a backbone of the heaviest links, edges drawn as one "
        "`LineCollection`). **naive**: the same 50 actors and every edge among them, one `FancyArrowPatch` "
        "per edge (`networkx.draw_networkx_edges`, curved, with arrows), spring layout, labels, PNG. "
        f"Median of {repeats} runs (one at a million events); `~` marks a naive time extrapolated linearly "
        "from timing half and all of the first N edges. Peak MB: the measuring process's max RSS (the "
        "projection held in memory included). Each time is wall clock / CPU time of the process: the "
        f"machine ({os.cpu_count()} cores) was shared with other work (load average {load:.1f} at the end "
        "of the run), so the CPU time is the steadier figure.",
        "",
        "| events | actors | projected edges | edges among the top 50 | links drawn | projection (s) | "
        "ours (s) | naive (s) | naive / ours (CPU) | ours peak MB | naive peak MB |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        mark = "~" if r["estimated"] else ""
        naive = f"{mark}{float(r['naive']):.0f} / {mark}{float(r['naive_cpu']):.0f}"  # type: ignore[arg-type]
        if r["estimated"]:
            naive += f" (from {int(r['cap']):,})"  # type: ignore[call-overload]
        ratio = float(r["naive_cpu"]) / float(r["ours_cpu"])  # type: ignore[arg-type]
        lines.append(
            f"| {int(r['events']):,} | {int(r['actors']):,} | {int(r['edges']):,} | "  # type: ignore[call-overload]
            f"{int(r['top_edges']):,} | {int(r['drawn']):,} | "  # type: ignore[call-overload]
            f"{float(r['projection']):.1f} / {float(r['projection_cpu']):.1f} | "  # type: ignore[arg-type]
            f"{float(r['ours']):.2f} / {float(r['ours_cpu']):.2f} | {naive} | {ratio:.0f}x | "  # type: ignore[arg-type]
            f"{float(r['ours_mb']):.0f} | {float(r['naive_mb']):.0f} |"  # type: ignore[arg-type]
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="events, comma-separated")
    parser.add_argument("--repeats", type=int, default=3, help="runs per measurement (one at 1M events)")
    parser.add_argument(
        "--naive-max", type=int, default=10_000, help="edges the naive drawing draws before its time is extrapolated"
    )
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(_child(args.child[0], args.child[1:])))
        return 0
    table = run([int(s) for s in args.sizes.split(",")], args.repeats, args.naive_max)
    return write_results(RESULTS, table)


if __name__ == "__main__":
    sys.exit(main())
