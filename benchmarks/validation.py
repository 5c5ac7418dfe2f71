"""Validation speed: the shapes compiled into SPARQL on Oxigraph, against pySHACL, pyrudof and per-event checks.

Usage::

    python benchmarks/validation.py                       # 10k and 100k synthetic events
    python benchmarks/validation.py --sizes 10000,100000 --pyshacl-max 2000

For every size, on the same synthetic N-Triples (``benchmarks/synth.py``) with the ontology:

1. **compiled** (ours, the default of ``kg validate`` and ``kg load``): the files read into an
   in-memory Oxigraph store, then ``kg._validation.validate_store``: every shape of
   ``ontology/shapes.ttl`` compiled into SPARQL queries of the nodes that break it;
2. **pySHACL** on rdflib (what ``kg load`` ran before, ``engine="pyshacl"`` now): at most
   ``--pyshacl-max`` events, as it runs at about a hundred events a second;
3. **pyrudof** (rudof's Rust SHACL engine, ``pip install pyrudof``), native mode: it cannot parse
   the shapes' SPARQL constraints (``sh:sparql``: a prefix error), so it runs without them, and it
   is checked on the invalid fixtures for the same violations;
4. **per event**: a hand-written check of some of the event shape's rules while the file streams
   (parse, group the triples by subject, test counts, datatypes and types in Python): a lower
   bound of that approach's cost, since it checks less than the shapes say. Its time includes
   the parsing (its "read" is 0).

Events a second count the events validated over the CPU seconds of validation alone (reading the
files is shown apart: ``kg load`` reads them anyway). Results go to ``benchmarks/results/validation.md``.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pyoxigraph as ox  # noqa: E402

from benchmarks import synth  # noqa: E402
from kg._loading import ontology_files, read_graph  # noqa: E402
from kg._validation import _shapes, validate, validate_files, validate_store  # noqa: E402
from kg._validation._engine import read_files  # noqa: E402

WORK = ROOT / "benchmarks" / "work" / "validation"
RESULTS = ROOT / "benchmarks" / "results" / "validation.md"
FIXTURES = ROOT / "tests" / "fixtures" / "invalid"
DIP = "https://w3id.org/dipkg/ns#"


def timed(work: Callable[[], Any]) -> tuple[Any, float, float]:
    """Run ``work``; return its result, wall seconds and CPU seconds."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def compiled(data: Path) -> dict[str, Any]:
    store = ox.Store()
    _, read_wall, read_cpu = timed(lambda: read_files(store, [*ontology_files(), data]))
    report, wall, cpu = timed(lambda: validate_store(store))
    return {"read": read_cpu, "read_wall": read_wall, "wall": wall, "cpu": cpu, "results": len(report.results)}


def pyshacl_run(data: Path) -> dict[str, Any]:
    (graph, _), read_wall, read_cpu = timed(lambda: read_graph([data], default=False))
    report, wall, cpu = timed(lambda: validate(graph, engine="pyshacl"))
    return {"read": read_cpu, "read_wall": read_wall, "wall": wall, "cpu": cpu, "results": len(report.results)}


def _pyrudof_shapes() -> str:
    shapes = _shapes("data")
    from rdflib import Graph
    from rdflib.namespace import SH

    copy = Graph()
    for triple in shapes:
        copy.add(triple)
    for subject, constraint in list(copy.subject_objects(SH.sparql)):
        copy.remove((subject, SH.sparql, constraint))
    return copy.serialize(format="turtle")


def pyrudof_run(data: Path) -> dict[str, Any]:
    import pyrudof

    rudof = pyrudof.Rudof(pyrudof.RudofConfig())
    shapes = _pyrudof_shapes()

    def read() -> None:
        for path in ontology_files():
            rudof.read_data(str(path), format=pyrudof.RDFFormat.Turtle, merge=True)
        rudof.read_data(str(data), format=pyrudof.RDFFormat.NTriples, merge=True)
        rudof.read_shacl(shapes)

    _, read_wall, read_cpu = timed(read)
    report, wall, cpu = timed(rudof.validate_shacl)
    return {"read": read_cpu, "read_wall": read_wall, "wall": wall, "cpu": cpu, "results": len(report.violations)}


def pyrudof_fidelity() -> list[str]:
    """For each invalid fixture: does pyrudof report our violations (node and rule)?"""
    import pyrudof

    shapes = _pyrudof_shapes()
    lines = []
    for path in sorted(FIXTURES.glob("*.ttl")):
        if "syntax" in path.name:
            continue
        ours = {(v.node.split("/")[-1], v.rule) for v in validate_files([path]).violations}
        rudof = pyrudof.Rudof(pyrudof.RudofConfig())
        graph, _ = read_graph([path])
        rudof.read_data(graph.serialize(format="nt"), format=pyrudof.RDFFormat.NTriples)
        rudof.read_shacl(shapes)
        report = rudof.validate_shacl()
        found = {
            (
                str(v.focus_node).rsplit("/", 1)[-1],
                str(v.constraint_component).rsplit("#", 1)[-1][: -len("ConstraintComponent")],
            )
            for v in report.violations
        }
        messages = sorted({str(v.message) for v in report.violations})
        same = "same" if found == ours else f"differs: ours {sorted(ours)}, pyrudof {sorted(found)}"
        lines.append(f"| {path.name} | {same} | {'; '.join(m[:70] for m in messages)} |")
    return lines


def per_event(data: Path) -> dict[str, Any]:
    """Stream the file, group triples by subject, check part of the event shape in Python."""
    event, date, xsd_date = ox.NamedNode(DIP + "Event"), ox.NamedNode(DIP + "date"), "2001/XMLSchema#date"
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    singles = [ox.NamedNode(DIP + p) for p in ("eventType", "date", "datePrecision")]
    required = [ox.NamedNode(DIP + p) for p in ("eventType", "date", "source")]
    actor_kinds = {ox.NamedNode(DIP + k) for k in ("State", "Person", "Organisation", "GovernmentBody", "Collective")}
    actor = ox.NamedNode(DIP + "actor")

    def check() -> int:
        subjects: dict[Any, dict[Any, list[Any]]] = defaultdict(lambda: defaultdict(list))
        for quad in ox.parse(path=str(data), format=ox.RdfFormat.N_TRIPLES):
            subjects[quad.subject][quad.predicate].append(quad.object)
        actors = {s for s, p in subjects.items() if actor_kinds & set(p.get(rdf_type, ()))}
        bad = 0
        for properties in subjects.values():
            if event not in properties.get(rdf_type, ()):
                continue
            bad += sum(len(properties.get(p, ())) > 1 for p in singles)
            bad += sum(not properties.get(p) for p in required)
            bad += sum(not str(v).endswith(xsd_date + ">") for v in properties.get(date, ()))
            bad += sum(v not in actors for v in properties.get(actor, ()))
        return bad

    bad, wall, cpu = timed(check)
    return {"read": 0.0, "read_wall": 0.0, "wall": wall, "cpu": cpu, "results": bad}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--pyshacl-max", type=int, default=2000)
    args = parser.parse_args()
    logging.getLogger("rdflib.term").setLevel(logging.ERROR)  # the fixture's ill-typed date, on purpose
    WORK.mkdir(parents=True, exist_ok=True)
    rows = []
    try:
        import pyrudof  # noqa: F401

        rudof = True
    except ImportError:
        rudof = False
        print("pyrudof is not installed (pip install pyrudof): left out", file=sys.stderr)
    sizes = [int(s) for s in args.sizes.split(",")]
    for n in sorted({*sizes, min(args.pyshacl_max, min(sizes))}):
        data = WORK / f"events-{n}.nt"
        if not data.exists():
            synth.write_ntriples(data, n, seed=1)
        runs: dict[str, Callable[[Path], dict[str, Any]]] = {"compiled (Oxigraph)": compiled}
        if n <= args.pyshacl_max:
            runs["pySHACL (rdflib)"] = pyshacl_run
        if rudof:
            runs["pyrudof (no sh:sparql)"] = pyrudof_run
        runs["per event (part of the rules)"] = per_event
        for name, run in runs.items():
            result = run(data)
            rate = n / result["cpu"] if result["cpu"] else float("inf")
            print(
                f"{n:>9,} {name:<30} validate {result['cpu']:7.2f} s CPU ({result['wall']:.2f} wall) "
                f"{rate:>10,.0f} events/s; read {result['read']:.2f} s CPU; results {result['results']}"
            )
            rows.append((n, name, result, rate))
    fidelity = pyrudof_fidelity() if rudof else []
    write(rows, fidelity, args)


def write(rows: list[tuple[int, str, dict[str, Any], float]], fidelity: list[str], args: argparse.Namespace) -> None:
    lines = [
        "# Validation: the shapes compiled into SPARQL on Oxigraph, against pySHACL, pyrudof and per-event checks",
        "",
        f"`python benchmarks/validation.py --sizes {args.sizes} --pyshacl-max {args.pyshacl_max}` on the shared "
        "2-core machine; synthetic events of `benchmarks/synth.py` (about 9.7 triples an event) with the "
        "ontology. **events/s** = events over the CPU seconds of validation alone (the machine is shared: "
        "wall seconds move with its load); reading the files into the engine is shown apart.",
        "",
        "| events | engine | validate CPU (s) | validate wall (s) | events/s (CPU) | read CPU (s) "
        "| read + validate events/s (CPU) | results |",
        "|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for n, name, result, rate in rows:
        lines.append(
            f"| {n:,} | {name} | {result['cpu']:.2f} | {result['wall']:.2f} | {rate:,.0f} | "
            f"{result['read']:.2f} | {n / (result['read'] + result['cpu']):,.0f} | {result['results']} |"
        )
    if fidelity:
        lines += [
            "",
            "pyrudof on the invalid fixtures (with the ontology and the default graph), against our violations "
            "(node and rule), and its messages:",
            "",
            "| fixture | node and rule | pyrudof's messages |",
            "|---|---|---|",
            *fidelity,
        ]
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"written {RESULTS}")


if __name__ == "__main__":
    main()
