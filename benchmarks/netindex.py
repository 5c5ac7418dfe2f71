"""The network index against the SPARQL projection, end to end from the command line.

For each size: synthetic events (``benchmarks/synth.py``) loaded with ``kg load --store S
--no-validate`` (which writes the index), the index built again alone (its build time and size),
then each command run as a fresh process twice, from the index and by SPARQL
(``KG_NETINDEX=0``), side by side with Oxigraph merely counting events per dyad (a GROUP BY on
the same store, in a fresh process):

- ``kg --store S path A B`` (A: the busiest actor, B: the sixth);
- ``kg --store S centrality --measure degree``, ``pagerank`` and ``betweenness``;
- ``kg --store S draw --top 50 -o map.png`` (the two PNG files compared byte for byte);
- ``kg --store S diff --from 2021-01-01 --to 2021-02-01`` (two months);

and ``kg load --store S2`` with its default validation (``--validated-sizes``).

Wall seconds (median of ``--repeats`` runs from the index, ``--sparql-repeats`` by SPARQL, which
takes minutes a command at a million events; the machine is shared). Run
``python benchmarks/netindex.py`` (100,000 events) or ``--sizes 200000 1000000``; results go to
``benchmarks/results/netindex.md`` and ``.json``.
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
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"
sys.path.insert(0, str(ROOT))

from benchmarks._child import write_results  # noqa: E402
from benchmarks.synth import actors, write_ntriples  # noqa: E402

DYAD_COUNT = """
import time, pyoxigraph as ox, sys
store = ox.Store.read_only(sys.argv[1])
q = '''PREFIX dip: <https://w3id.org/dipkg/ns#>
SELECT ?actor ?target (COUNT(?event) AS ?events) WHERE { ?event dip:actor ?actor ; dip:target ?target }
GROUP BY ?actor ?target'''
found = sum(1 for _ in store.query(q, use_default_graph_as_union=True))  # the project's dataset (kg._graphs)
assert found > 0, "no dyad counted: is the store of the project's layout?"
print(found)
"""

INDEX_ALONE = """
import sys, time
from kg._netindex import write_index
started = time.perf_counter()
file = write_index(sys.argv[1])
print(time.perf_counter() - started, file.stat().st_size)
"""


CPU: dict[str, float] = {}
"""CPU seconds (user + system) of the last command run."""

PROJECT_ALONE = """
import sys, time
from kg._network import project
from kg._store import OxigraphStore
with OxigraphStore(sys.argv[1], read_only=True) as store:
    started = time.process_time()
    graph = project(store)
    print(time.process_time() - started, graph.number_of_edges())
"""


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(argv: list[str], *, index: bool = True) -> tuple[float, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "KG_NETINDEX": "1" if index else "0"}
    cpu, started = _cpu(), time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    CPU["last"] = _cpu() - cpu
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr[-2000:]}")
    return seconds, done.stdout


def _median(argv: list[str], repeats: int, *, index: bool = True) -> tuple[float, str]:
    runs = [_run(argv, index=index) for _ in range(repeats)]
    return statistics.median(r[0] for r in runs), runs[-1][1]


COMMANDS = ("path", "centrality_degree", "centrality_pagerank", "centrality_betweenness", "draw_top50", "diff")


def run_size(n: int, work: Path, repeats: int, sparql_repeats: int, validated: bool) -> dict[str, Any]:
    data = work / f"events-{n}.nt"
    if not data.exists():
        write_ntriples(data, n, seed=0)
    store = work / f"store-{n}"
    shutil.rmtree(store, ignore_errors=True)
    kg = [sys.executable, "-m", "kg"]
    row: dict[str, Any] = {"events": n}
    row["load"], _ = _run([*kg, "load", "--store", str(store), "--no-validate", str(data)])
    row["load_cpu"] = CPU["last"]
    _, out = _run([sys.executable, "-c", INDEX_ALONE, str(store)])
    row["index_build"], row["index_bytes"] = float(out.split()[0]), int(out.split()[1])
    row["index_bytes_per_event"] = row["index_bytes"] / n
    row["index_share_of_load"] = row["index_build"] / (row["load"] - row["index_build"])
    if validated:  # the same data, loaded with the default validation
        checked = work / f"store-{n}-validated"
        shutil.rmtree(checked, ignore_errors=True)
        row["validated_load"], _ = _run([*kg, "load", "--store", str(checked), str(data)])
        row["validated_load_cpu"] = CPU["last"]
        shutil.rmtree(checked, ignore_errors=True)
    people = actors(n, seed=0)
    a, b = people[0].label, people[5].label
    on = [*kg, "--store", str(store)]
    commands = {
        "path": [*on, "path", a, b],
        "centrality_degree": [*on, "centrality", "--measure", "degree"],
        "centrality_pagerank": [*on, "centrality", "--measure", "pagerank"],
        "centrality_betweenness": [*on, "centrality", "--measure", "betweenness"],
        "draw_top50": [*on, "draw", "--top", "50", "-o"],
        "diff": [*on, "diff", "--from", "2021-01-01", "--to", "2021-02-01", "--format", "csv"],
    }
    for index in (True, False):  # project() alone, in CPU seconds
        _, out = _run([sys.executable, "-c", PROJECT_ALONE, str(store)], index=index)
        row["project_cpu" if index else "project_cpu_sparql"] = float(out.split()[0])
        row["edges"] = int(out.split()[1])
    for name, argv in commands.items():
        maps = (work / "map-index.png", work / "map-sparql.png")
        row[name], indexed = _median([*argv, str(maps[0])] if name == "draw_top50" else argv, repeats)
        row[f"{name}_cpu"] = CPU["last"]
        row[f"{name}_sparql"], plain = _median(
            [*argv, str(maps[1])] if name == "draw_top50" else argv, sparql_repeats, index=False
        )
        row[f"{name}_sparql_cpu"] = CPU["last"]
        if name == "draw_top50":
            indexed, plain = maps[0].read_bytes(), maps[1].read_bytes()
        row[f"{name}_same_output"] = indexed == plain
        print(f"{n:>9,} {name}: index {row[name]:.1f} s, SPARQL {row[f'{name}_sparql']:.1f} s", file=sys.stderr)
    recount(work, [row], repeats)
    return row


def render(rows: list[dict[str, Any]]) -> str:
    lines = [
        "# Network index: `kg` commands from the index and by SPARQL",
        "",
        "`python benchmarks/netindex.py --sizes ...` (each command a fresh process, end to end from the command",
        "line; the 2-core machine is shared, load average "
        f"{os.getloadavg()[0]:.1f} at the end). `index`: from the network index; `SPARQL`: `KG_NETINDEX=0`.",
        "",
        "| events | load (incl. index) | index alone | index / rest of load | index bytes / event "
        "| `project()` CPU: index / SPARQL | load with default validation |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        validated = f"{r['validated_load']:.1f} s" if "validated_load" in r else "-"
        lines.append(
            f"| {r['events']:,} | {r['load']:.1f} s ({r['load_cpu']:.1f} s CPU) | {r['index_build']:.1f} s "
            f"| {100 * r['index_share_of_load']:.0f} % | {r['index_bytes_per_event']:.1f} "
            f"| {r['project_cpu']:.1f} s / {r['project_cpu_sparql']:.1f} s ({r['edges']:,} edges) | {validated} |"
        )
    names = {
        "path": "`path A B`",
        "centrality_degree": "`centrality` degree",
        "centrality_pagerank": "`centrality` pagerank",
        "centrality_betweenness": "`centrality` betweenness",
        "draw_top50": "`draw --top 50`",
        "diff": "`diff` two months",
    }
    lines += [
        "",
        "Each command, wall seconds (CPU seconds): from the index / by SPARQL; *same*: identical output",
        "(the table, or the PNG file byte for byte).",
        "",
        "| command | " + " | ".join(f"{r['events']:,} events" for r in rows) + " |",
        "|---|" + "---|" * len(rows),
    ]
    for k, title in names.items():
        cells = [
            f"{r[k]:.1f} ({r[k + '_cpu']:.1f}) / {r[k + '_sparql']:.1f} ({r[k + '_sparql_cpu']:.1f})"
            f"{', same' if r[k + '_same_output'] else ', DIFFERENT'}"
            for r in rows
        ]
        lines.append(f"| {title} | " + " | ".join(cells) + " |")
    dyads = " | ".join(f"{r['dyad_count']:.1f} ({r['dyad_count_cpu']:.1f})" for r in rows)
    lines += [f"| Oxigraph counting events per dyad (GROUP BY) | {dyads} |", ""]
    lines += [
        "The dyad counts were timed again with `--recount` on the stores the run kept: the run's own query",
        "read the store's default graph, empty since the data lives in named graphs (`kg._graphs`).",
        "",
    ]
    return "\n".join(lines)


def recount(work: Path, rows: list[dict[str, Any]], repeats: int) -> None:
    """Time Oxigraph's dyad count again on the stores a run kept (``--recount``)."""
    for row in rows:
        store = work / f"store-{row['events']}"
        row["dyad_count"], found = _median([sys.executable, "-c", DYAD_COUNT, str(store)], repeats)
        row["dyad_count_cpu"] = CPU["last"]
        row["dyads"] = int(found)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    parser.add_argument("--repeats", type=int, default=3, help="runs of each command from the index")
    parser.add_argument("--sparql-repeats", type=int, default=1, help="runs of each command by SPARQL")
    parser.add_argument(
        "--validated-sizes", type=int, nargs="*", default=[], help="sizes at which kg load with its validation is timed"
    )
    parser.add_argument("--work", type=Path, help="a folder for the data and stores (kept)")
    parser.add_argument("--out", type=Path, default=RESULTS / "netindex")
    parser.add_argument("--recount", action="store_true", help="only time the dyad count again on the kept stores")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="kg-netindex-"))
    work.mkdir(parents=True, exist_ok=True)
    if args.recount:
        rows = json.loads(args.out.with_suffix(".json").read_text(encoding="utf-8"))
        recount(work, rows, args.repeats)
    else:
        rows = [run_size(n, work, args.repeats, args.sparql_repeats, n in args.validated_sizes) for n in args.sizes]
    args.out.with_suffix(".json").write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    return write_results(args.out.with_suffix(".md"), render(rows))


if __name__ == "__main__":
    sys.exit(main())
