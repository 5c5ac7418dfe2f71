"""Ingestion speed: GDELT-shaped exports into Oxigraph, against the engine's own bulk load and rdflib.

Usage::

    python benchmarks/ingest.py                       # 10k and 100k rows
    python benchmarks/ingest.py --sizes 10000,100000,1000000

One run, for every size:

1. writes a GDELT 2.0 export of that many rows (61 tab-separated columns, shaped like the real
   files: about 200 countries with a Zipf-like skew, role codes such as GOV and MIL, one row in
   ten with no Actor1, a quarter with no Actor2, CAMEO codes of ``ontology/cameo.ttl`` weighted
   toward the verbal ones, a new source URL every three rows or so, places with coordinates);
2. **ours**: ``kg.ingest(file, format="gdelt", store=DIR)`` into a new Oxigraph store, end to end
   (the ontology and default graph loaded with it, names resolved, rows checked, N-Triples written,
   syntax-checked and bulk-loaded, derived edges included);
3. **engine**: ``pyoxigraph.Store.bulk_load`` of the same graph as N-Triples (dumped from the
   store of step 2), into a new store: the engine's limit;
4. **rdflib**: the same N-Triples parsed into an in-memory ``rdflib.Graph`` (up to 100k rows by
   default, ``--rdflib-max``: a million rows would need tens of GB);
5. ``kg.derive`` over the store afterwards (it finds nothing to add: the edges came in with the
   events), to show what deriving by SPARQL would have cost.

Each measurement runs in its own process, so that its peak memory (max RSS) is its own; times
are the median of ``--repeats`` runs (one at a million rows). With a million rows it then times
the projection, a path query and a top-50 map on the store, when ``kg._network`` and
``kg._drawing`` are there. Results go to ``benchmarks/results/ingest.md``.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import itertools
import json
import os
import random
import re
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks._child import measure_in_child, median, write_results  # noqa: E402

WORK = ROOT / "benchmarks" / "work"
RESULTS = ROOT / "benchmarks" / "results" / "ingest.md"

# ---------------------------------------------------------------- the GDELT-shaped generator

ROLES = ["GOV", "MIL", "COP", "JUD", "LEG", "BUS", "MED", "CVL", "OPP", "REB", "EDU", "HLH", "REF"]
NO_ACTOR1, NO_ACTOR2 = 0.10, 0.25


def _cameo_codes() -> list[tuple[str, str, float]]:
    """(code, root, Goldstein) for every base and leaf code of ontology/cameo.ttl."""
    text = (ROOT / "ontology" / "cameo.ttl").read_text(encoding="utf-8")
    codes = []
    for block in text.split("\ncameo:")[1:]:
        code = re.search(r'skos:notation "(\d+)"', block)
        goldstein = re.search(r"dip:goldstein (-?[\d.]+)", block)
        if code and goldstein and len(code.group(1)) >= 3:
            codes.append((code.group(1), code.group(1)[:2], float(goldstein.group(1))))
    return codes


def _countries() -> list[tuple[str, str]]:
    from kg._ingestion.countries import countries

    return [(c.code, c.name.upper()) for c in countries().values() if c.kind == "state"]


def gdelt_rows(n: int, *, seed: int = 0):
    """Yield ``n`` lines of a GDELT 2.0 export (tab-separated, 61 columns, no newline)."""
    rng = random.Random(seed)
    countries = _countries()
    rng.shuffle(countries)
    weights = list(itertools.accumulate(1 / (r + 1) ** 1.1 for r in range(len(countries))))
    codes = _cameo_codes()
    # GDELT's mix: verbal cooperation (roots 01-05) is most of it.
    code_weights = list(
        itertools.accumulate({"01": 9, "02": 4, "03": 3, "04": 9, "05": 3}.get(root, 1.2) for _, root, _ in codes)
    )
    places = [
        (f"Place {i}, Region {i % 40}, {countries[i % 60][1].title()}", rng.uniform(-60, 70), rng.uniform(-170, 170))
        for i in range(600)
    ]
    start = dt.date(2023, 1, 1)
    url = ""

    def actor(f: list[str], base: int) -> None:
        code, name = countries[min(bisect.bisect(weights, rng.random() * weights[-1]), len(countries) - 1)]
        roll = rng.random()
        if roll < 0.55:
            f[base], f[base + 1], f[base + 2] = code, name, code
        elif roll < 0.85:
            role = rng.choice(ROLES)
            f[base], f[base + 1], f[base + 2], f[base + 7] = code + role, f"{name} {role}", code, role
        else:
            role = rng.choice(ROLES)
            f[base], f[base + 1], f[base + 7] = role, role, role

    for i in range(n):
        f = [""] * 61
        day = start + dt.timedelta(days=rng.randrange(365))
        f[0] = str(1_100_000_000 + i)
        f[1], f[2], f[3] = day.strftime("%Y%m%d"), day.strftime("%Y%m"), str(day.year)
        f[4] = f"{day.year + (day.timetuple().tm_yday - 1) / 365:.4f}"
        if rng.random() >= NO_ACTOR1:
            actor(f, 5)
        if rng.random() >= NO_ACTOR2:
            actor(f, 15)
        f[25] = "1" if rng.random() < 0.6 else "0"
        code, root, goldstein = codes[bisect.bisect(code_weights, rng.random() * code_weights[-1])]
        f[26], f[27], f[28] = code, code[:3], root
        f[29] = "1" if root <= "05" else "2" if root <= "09" else "3" if root <= "14" else "4"
        f[30] = f"{goldstein:.1f}"
        mentions = rng.choice((1, 1, 2, 2, 3, 4, 5, 6, 8, 10, 12, 20))
        f[31], f[32], f[33] = str(mentions), str(max(1, mentions // 2)), str(mentions)
        f[34] = f"{rng.uniform(-10, 5):.12f}"
        if rng.random() < 0.7:
            name, lat, lon = rng.choice(places)
            f[51], f[52], f[53], f[56], f[57], f[58] = "4", name, "XX", f"{lat:.4f}", f"{lon:.4f}", "-1"
        f[59] = "20240101000000"
        if not url or rng.random() < 0.35:
            url = f"https://news.example.org/{day:%Y/%m/%d}/story-{i}"
        f[60] = url
        yield "\t".join(f)


def write_export(n: int, *, seed: int = 0) -> Path:
    """Write (once) ``benchmarks/work/gdelt-N.export.CSV`` and return its path."""
    WORK.mkdir(parents=True, exist_ok=True)
    path = WORK / f"gdelt-{n}.export.CSV"
    if not path.exists():
        part = path.with_suffix(".part")
        with part.open("w", encoding="utf-8", buffering=1 << 20) as out:
            for line in gdelt_rows(n, seed=seed):
                out.write(line + "\n")
        part.replace(path)
    return path


# ---------------------------------------------------------------- measurements (one per process)


def _child(kind: str, args: list[str]) -> dict[str, object]:
    started, cpu = time.perf_counter(), time.process_time()  # process time: every thread's CPU
    result: dict[str, object] = {}
    if kind == "ours":
        import kg  # importing the package (rdflib, matplotlib, ...) is timed apart: "import"

        result = {"import": time.perf_counter() - started}
        started, cpu = time.perf_counter(), time.process_time()
        report = kg.ingest(args[0], format="gdelt", store=args[1])
        result |= {"events": report.events, "triples": report.triples}
    elif kind == "dump":
        import pyoxigraph as ox

        store = ox.Store.read_only(args[0])
        with open(args[1], "wb") as out:  # every graph of the store (kg._graphs), as plain triples
            for graph in store.named_graphs():
                out.write(store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph) or b"")
        result = {"triples": len(store)}
    elif kind == "engine":
        import pyoxigraph as ox

        store = ox.Store(args[1])
        store.bulk_load(path=args[0], format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
        store.flush()
        result = {"triples": len(store)}
    elif kind == "rdflib":
        from rdflib import Graph

        graph = Graph()
        graph.parse(args[0], format="nt")
        result = {"triples": len(graph)}
    elif kind == "derive":
        import kg

        store = kg.OxigraphStore(args[0])
        before = len(store)
        started = time.perf_counter()
        kg.derive(store)
        result = {"added": len(store) - before}
    elif kind == "projection":
        import kg

        store = kg.OxigraphStore(args[0], read_only=True)
        graph = kg.project(store)
        result = {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()}
    elif kind == "path":
        import kg

        store = kg.OxigraphStore(args[0], read_only=True)
        found = kg.paths(store, args[1], args[2], max_hops=2, limit=10)
        result = {"shortest": len(found.shortest[0].nodes) - 1 if found.shortest else None}
    elif kind == "map":
        import kg
        from kg._drawing import draw, save_figure

        store = kg.OxigraphStore(args[0], read_only=True)
        figure = draw(store, top=50)
        save_figure(figure, args[1])
        result = {"png_bytes": Path(args[1]).stat().st_size}
    result["seconds"] = time.perf_counter() - started
    result["cpu"] = time.process_time() - cpu
    return result


def measure(kind: str, *args: str) -> dict[str, object]:
    """Run one measurement of this script in a child process, with its peak memory."""
    return measure_in_child(__file__, kind, *args)


def _fresh(path: Path) -> Path:
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


def run(sizes: list[int], repeats: int, rdflib_max: int) -> str:
    rows = []
    downstream: list[str] = []
    for n in sizes:
        export = write_export(n)
        times = 1 if n >= 1_000_000 else repeats
        store = WORK / f"store-ours-{n}"
        ours = [measure("ours", str(export), str(_fresh(store))) for _ in range(times)]
        nt = WORK / f"gdelt-{n}.nt"
        measure("dump", str(store), str(nt))
        engine = [measure("engine", str(nt), str(_fresh(WORK / f"store-engine-{n}"))) for _ in range(times)]
        shutil.rmtree(WORK / f"store-engine-{n}", ignore_errors=True)
        plain = [measure("rdflib", str(nt)) for _ in range(times)] if n <= rdflib_max else []
        derive = measure("derive", str(store))
        row = {
            "rows": n,
            "events": ours[0]["events"],
            "triples": engine[0]["triples"],
            "ours": median(ours),
            "ours_mb": max(float(r["peak_mb"]) for r in ours),  # type: ignore[arg-type]
            "engine": median(engine),
            "engine_mb": max(float(r["peak_mb"]) for r in engine),  # type: ignore[arg-type]
            "rdflib": median(plain) if plain else None,
            "rdflib_mb": max(float(r["peak_mb"]) for r in plain) if plain else None,  # type: ignore[arg-type]
            "derive": float(derive["seconds"]),
            "derive_mb": float(derive["peak_mb"]),  # type: ignore[arg-type]
            "derive_added": derive["added"],
            "import": median(ours, "import"),
            "ours_cpu": median(ours, "cpu"),
            "engine_cpu": median(engine, "cpu"),
            "rdflib_cpu": median(plain, "cpu") if plain else None,
        }
        rows.append(row)
        print(json.dumps(row), flush=True)
        if n >= 1_000_000:
            downstream = _downstream(store, n)
        nt.unlink(missing_ok=True)
    return _table(rows, downstream, repeats)


def _downstream(store: Path, n: int) -> list[str]:
    """Projection, a path query and a top-50 map on the store, when those modules exist."""
    # ---- depends on kg._network (project), kg._analysis (paths) and kg._drawing (draw) ----
    import importlib.util

    lines = []
    if importlib.util.find_spec("kg._network") is None:
        return ["(kg._network is not there yet: projection, paths and maps not timed)"]
    steps = [("projection: `kg.project(store)`", "projection", [str(store)])]
    if importlib.util.find_spec("kg._analysis") is not None:
        steps.append(
            (
                "path query: `kg.paths(store, 'United States', 'Israel', max_hops=2)`",
                "path",
                [str(store), "United States", "Israel"],
            )
        )
    if importlib.util.find_spec("kg._drawing") is not None:
        steps.append(
            ("top-50 map: `kg._drawing.draw(store, top=50)` to PNG", "map", [str(store), str(WORK / f"map-{n}.png")])
        )
    for title, kind, args in steps:
        try:
            result = measure(kind, *args)
        except RuntimeError as exc:
            lines.append(f"| {title} | failed: {exc} | | | |")
            continue
        detail = ", ".join(f"{k} {v}" for k, v in result.items() if k not in ("seconds", "peak_mb", "cpu"))
        lines.append(
            f"| {title} | {float(result['seconds']):.1f} | {float(result['cpu']):.1f} | "  # type: ignore[arg-type]
            f"{float(result['peak_mb']):,.0f} | {detail} |"
        )  # type: ignore[arg-type]
        print(lines[-1], flush=True)
    return lines


def _table(rows: list[dict[str, object]], downstream: list[str], repeats: int) -> str:
    def num(value: object, fmt: str) -> str:
        return "-" if value is None else format(value, fmt)

    lines = [
        "# Ingestion: GDELT-shaped exports into Oxigraph",
        "",
        f"`python benchmarks/ingest.py --sizes {','.join(str(r['rows']) for r in rows)}` on "
        f"{os.cpu_count()} cores; median of {repeats} runs (one at a million rows); peak memory is the "
        "max RSS of the process doing the work. **ours**: `kg.ingest(..., format='gdelt', store=DIR)` "
        "end to end into a new store (ontology and default graph, checks, derived edges). **bulk_load**: "
        "Oxigraph's own `Store.bulk_load` of the same graph as N-Triples (the engine's limit). **rdflib**: "
        "the same N-Triples parsed into an in-memory `rdflib.Graph`. **derive**: `kg.derive(store)` "
        "afterwards, which finds nothing to add (the edges come in with the events). Not counted in "
        f"**ours**: `import kg` itself, {statistics.median(float(r['import']) for r in rows):.1f} s once "  # type: ignore[arg-type]
        "per process (rdflib, NetworkX and matplotlib load with the package).",
        "",
        "| rows | events | triples | ours (s) | ours peak MB | bulk_load (s) | bulk_load peak MB | rdflib (s) | "
        "rdflib peak MB | ours / bulk_load | rdflib / ours | derive (s) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        ratio = float(r["ours"]) / float(r["engine"])  # type: ignore[arg-type]
        speedup = float(r["rdflib"]) / float(r["ours"]) if r["rdflib"] is not None else None  # type: ignore[arg-type]
        lines.append(
            f"| {r['rows']:,} | {r['events']:,} | {r['triples']:,} | {float(r['ours']):.1f} | "  # type: ignore[arg-type]
            f"{float(r['ours_mb']):,.0f} | {float(r['engine']):.1f} | {float(r['engine_mb']):,.0f} | "  # type: ignore[arg-type]
            f"{num(r['rdflib'], '.1f')} | {num(r['rdflib_mb'], ',.0f')} | {ratio:.2f}x | "
            f"{num(speedup, '.1f')}{'x' if speedup is not None else ''} | {float(r['derive']):.1f} |"  # type: ignore[arg-type]
        )
    lines += [
        "",
        "The machine is shared, so wall-clock times move with its load; CPU seconds (user and system, "
        "every thread of the process) move much less:",
        "",
        "| rows | ours CPU (s) | bulk_load CPU (s) | rdflib CPU (s) | ours / bulk_load | rdflib / ours |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        ours_cpu, engine_cpu, rdflib_cpu = r["ours_cpu"], r["engine_cpu"], r["rdflib_cpu"]
        speedup = float(rdflib_cpu) / float(ours_cpu) if rdflib_cpu is not None else None  # type: ignore[arg-type]
        lines.append(
            f"| {r['rows']:,} | {float(ours_cpu):.1f} | {float(engine_cpu):.1f} | {num(rdflib_cpu, '.1f')} | "  # type: ignore[arg-type]
            f"{float(ours_cpu) / float(engine_cpu):.2f}x | "  # type: ignore[arg-type]
            f"{num(speedup, '.1f')}{'x' if speedup is not None else ''} |"
        )
    if downstream:
        lines += [
            "",
            f"## On the {rows[-1]['rows']:,}-row store",
            "",
            "| step | seconds | CPU s | peak MB | result |",
            "|---|---:|---:|---:|---|",
            *downstream,
        ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="rows per export, comma-separated")
    parser.add_argument("--repeats", type=int, default=3, help="runs per measurement (one at 1M rows)")
    parser.add_argument("--rdflib-max", type=int, default=100_000, help="largest size rdflib is run at")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(_child(args.child[0], args.child[1:])))
        return 0
    table = run([int(s) for s in args.sizes.split(",")], args.repeats, args.rdflib_max)
    return write_results(RESULTS, table)


if __name__ == "__main__":
    sys.exit(main())
