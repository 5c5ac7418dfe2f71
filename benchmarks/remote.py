"""Commands against a SPARQL server: pair aggregates counted there, against reading every event.

For each size: synthetic events (``benchmarks/synth.py``, seed 0) loaded with ``kg load --store
S --no-validate`` (kept in ``--work`` and reused), served by a real ``oxigraph serve`` on
127.0.0.1 (started as tests/conftest.py starts it). Each command runs as a fresh process with
``--endpoint``, twice: as shipped (the analyses read pair aggregates: one ``GROUP BY`` on the
server, the evidence of the items shown fetched after, :mod:`kg._network.remote`) and with
``KG_NETINDEX=0`` (the projection's one SELECT: every event sent to the client, as before):

- ``kg centrality --measure degree`` and ``pagerank`` and ``betweenness``;
- ``kg path A B`` (A: the busiest actor, B: the sixth);
- ``kg draw --top 50`` (the two PNG files compared byte for byte).

Also the aggregate query and the projection's SELECT alone over HTTP: seconds, rows and bytes the
client receives. Wall seconds, median of ``--repeats`` runs (the plain way ``--plain-repeats``;
``--plain-sizes`` limits the sizes it runs at). Results: ``benchmarks/results/remote.md`` and
``.json``.

    python benchmarks/remote.py                               # 100,000 events
    python benchmarks/remote.py --sizes 200000 1000000 --work /big --plain-sizes 200000
"""

from __future__ import annotations

import argparse
import json
import os
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

import httpx  # noqa: E402

from benchmarks._child import write_results  # noqa: E402
from benchmarks.synth import actors, write_ntriples  # noqa: E402
from tests.conftest import oxigraph_server  # noqa: E402

COMMANDS = ("centrality_degree", "centrality_pagerank", "centrality_betweenness", "path", "draw_top50")


def _run(argv: list[str], *, plain: bool) -> tuple[float, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "KG_NETINDEX": "0" if plain else "1"}
    started = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr[-2000:]}")
    return seconds, done.stdout


def _median(argv: list[str], repeats: int, *, plain: bool) -> tuple[float, str]:
    runs = [_run(argv, plain=plain) for _ in range(repeats)]
    return statistics.median(r[0] for r in runs), runs[-1][1]


def _queries(endpoint: str) -> dict[str, tuple[str, list[str]]]:
    """Return the aggregate query and the projection's SELECT, as sent (the project's dataset named)."""
    from kg._graphs import GRAPHS
    from kg._network import ProjectionOptions
    from kg._network.remote import aggregate_query
    from kg._network.rows import _EDGES
    from kg._network.rules import Rules
    from kg._store import EndpointStore
    from kg._store._sparql import PREFIX_TEXT

    with EndpointStore(endpoint, timeout=3600) as store:
        options = ProjectionOptions()
        aggregate = aggregate_query(Rules.of(store, options), options)
    graphs = list(GRAPHS.values())
    return {"aggregate": (PREFIX_TEXT + aggregate, graphs), "projection": (PREFIX_TEXT + _EDGES, graphs)}


def _over_http(endpoint: str, query: str, graphs: list[str]) -> tuple[float, int, int]:
    """Return the seconds, result rows and bytes of one query sent as the client sends it (JSON results)."""
    started = time.perf_counter()
    answer = httpx.post(
        endpoint,
        data={"query": query, "default-graph-uri": graphs},
        headers={"Accept": "application/sparql-results+json"},
        timeout=3600,
    )
    answer.raise_for_status()
    seconds = time.perf_counter() - started
    return seconds, len(answer.json()["results"]["bindings"]), len(answer.content)


def run_size(n: int, work: Path, repeats: int, plain_repeats: int, plain: bool) -> dict[str, Any]:
    data = work / f"events-{n}.nt"
    if not data.exists():
        write_ntriples(data, n, seed=0)
    store = work / f"store-{n}"
    kg = [sys.executable, "-m", "kg"]
    if not (store / "kg-store.json").exists():
        _run([*kg, "load", "--store", str(store), "--no-validate", str(data)], plain=False)
    row: dict[str, Any] = {"events": n}
    people = actors(n, seed=0)
    with oxigraph_server(store) as base:
        endpoint = f"{base}/query"
        for name, (query, graphs) in _queries(endpoint).items():
            row[f"{name}_query"], row[f"{name}_rows"], row[f"{name}_bytes"] = _over_http(endpoint, query, graphs)
            print(f"{n:>9,} {name} query: {row[f'{name}_query']:.1f} s, {row[f'{name}_rows']:,} rows", file=sys.stderr)
        on = [*kg, "--endpoint", endpoint, "--timeout", "3600"]
        commands = {
            "centrality_degree": [*on, "centrality", "--measure", "degree"],
            "centrality_pagerank": [*on, "centrality", "--measure", "pagerank"],
            "centrality_betweenness": [*on, "centrality", "--measure", "betweenness"],
            "path": [*on, "path", people[0].label, people[5].label],
            "draw_top50": [*on, "draw", "--top", "50", "-o"],
        }
        for name, argv in commands.items():
            maps = (work / "remote-map.png", work / "remote-map-plain.png")
            row[name], found = _median([*argv, str(maps[0])] if name == "draw_top50" else argv, repeats, plain=False)
            if not plain:
                print(f"{n:>9,} {name}: aggregates {row[name]:.1f} s", file=sys.stderr)
                continue
            row[f"{name}_plain"], other = _median(
                [*argv, str(maps[1])] if name == "draw_top50" else argv, plain_repeats, plain=True
            )
            if name == "draw_top50":
                found, other = maps[0].read_bytes(), maps[1].read_bytes()  # type: ignore[assignment]
            row[f"{name}_same_output"] = found == other
            print(
                f"{n:>9,} {name}: aggregates {row[name]:.1f} s, every event {row[f'{name}_plain']:.1f} s",
                file=sys.stderr,
            )
    return row


def render(rows: list[dict[str, Any]]) -> str:
    names = {
        "centrality_degree": "`centrality` degree",
        "centrality_pagerank": "`centrality` pagerank",
        "centrality_betweenness": "`centrality` betweenness",
        "path": "`path A B` (evidence of each hop)",
        "draw_top50": "`draw --top 50`",
    }
    lines = [
        "# Commands against a SPARQL server: pair aggregates, against every event sent",
        "",
        "`python benchmarks/remote.py --sizes ...`: a real `oxigraph serve` on 127.0.0.1 (the client and the",
        "server share the 2-core machine, which is shared; load average "
        f"{os.getloadavg()[0]:.1f} at the end). Each command a fresh process with `--endpoint`.",
        "",
        "What the client receives, one query over HTTP (JSON results):",
        "",
        "| events | pair aggregates (one `GROUP BY`) | every event (the projection's SELECT) |",
        "|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['events']:,} | {r['aggregate_query']:.1f} s, {r['aggregate_rows']:,} rows, "
            f"{r['aggregate_bytes'] / 1e6:.1f} MB | {r['projection_query']:.1f} s, {r['projection_rows']:,} rows, "
            f"{r['projection_bytes'] / 1e6:.1f} MB |"
        )
    lines += [
        "",
        "Each command, wall seconds: pair aggregates / every event sent (`KG_NETINDEX=0`); *same*: identical",
        "output (the table, or the PNG file byte for byte).",
        "",
        "| command | " + " | ".join(f"{r['events']:,} events" for r in rows) + " |",
        "|---|" + "---|" * len(rows),
    ]
    for key, title in names.items():
        cells = []
        for r in rows:
            if f"{key}_plain" in r:
                same = ", same" if r[f"{key}_same_output"] else ", DIFFERENT"
                cells.append(f"{r[key]:.1f} / {r[f'{key}_plain']:.1f}{same}")
            else:
                cells.append(f"{r[key]:.1f} / -")
        lines.append(f"| {title} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    parser.add_argument("--repeats", type=int, default=3, help="runs of each command as shipped")
    parser.add_argument("--plain-repeats", type=int, default=1, help="runs of each command with every event sent")
    parser.add_argument("--plain-sizes", type=int, nargs="*", help="sizes to run the plain way at (default: all)")
    parser.add_argument("--work", type=Path, help="a folder for the data and stores (kept, reused)")
    parser.add_argument("--out", type=Path, default=RESULTS / "remote")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="kg-remote-"))
    work.mkdir(parents=True, exist_ok=True)
    plain = set(args.sizes if args.plain_sizes is None else args.plain_sizes)
    rows = [run_size(n, work, args.repeats, args.plain_repeats, n in plain) for n in args.sizes]
    args.out.with_suffix(".json").write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    return write_results(args.out.with_suffix(".md"), render(rows))


if __name__ == "__main__":
    sys.exit(main())
