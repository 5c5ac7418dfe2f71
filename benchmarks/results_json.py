"""Reading SPARQL JSON results: the endpoint engine's parser beside rdflib's and pyoxigraph's.

Usage::

    python benchmarks/results_json.py                  # 10,000 and 100,000 rows
    python benchmarks/results_json.py --sizes 1000 --repeats 5

Every size is one SELECT answer of four columns as a server writes it (an IRI, a literal with a
language tag, a date, a literal typed ``xsd:string``), read into rows of rdflib terms, the form
every engine of ``kg`` answers in, three ways:

1. **kg**: ``json.loads`` then :func:`kg._store.parse_results_json`;
2. **rdflib**: ``rdflib.query.Result.parse(format="json")`` (its ``JSONResultParser``), the rows
   then built from its bindings; a literal typed ``xsd:string`` stays apart from the plain one;
3. **pyoxigraph**: ``pyoxigraph.parse_query_results`` (Rust), the terms then converted by
   :func:`kg._store.to_rdflib`; it refuses Virtuoso 7's blank nodes (``nodeID://b10000``),
   which the answer here leaves out so that it can run at all.

The rows of 1 and 3 are checked to be equal. Times are medians of ``--repeats`` runs, written to
``benchmarks/results/results_json.md``.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib.query import Result as RdflibResult

from kg._store import Row, parse_results_json, to_rdflib

RESULTS = Path(__file__).resolve().parent / "results" / "results_json.md"
XSD = "http://www.w3.org/2001/XMLSchema#"


def answer(size: int) -> bytes:
    """Return a SELECT answer of ``size`` rows as SPARQL 1.1 JSON results."""
    bindings = [
        {
            "s": {"type": "uri", "value": f"https://example.org/event/{i}"},
            "label": {"type": "literal", "xml:lang": "en", "value": f"event number {i}"},
            "date": {"type": "literal", "datatype": f"{XSD}date", "value": f"2023-10-{1 + i % 28:02d}"},
            "note": {"type": "literal", "datatype": f"{XSD}string", "value": f"note {i}"},
        }
        for i in range(size)
    ]
    return json.dumps({"head": {"vars": ["s", "label", "date", "note"]}, "results": {"bindings": bindings}}).encode()


def with_kg(body: bytes) -> list[Row]:
    return parse_results_json("SELECT", json.loads(body)).rows


def with_rdflib(body: bytes) -> list[Row]:
    parsed = RdflibResult.parse(io.BytesIO(body), format="json")
    names = tuple(str(v) for v in parsed.vars or ())
    return [Row((b.get(v) for v in parsed.vars or ()), names) for b in parsed.bindings]


def with_pyoxigraph(body: bytes) -> list[Row]:
    solutions: Any = ox.parse_query_results(body, ox.QueryResultsFormat.JSON)
    names = tuple(v.value for v in solutions.variables)
    return [Row((to_rdflib(s[i]) for i in range(len(names))), names) for s in solutions]


def median_time(run: Callable[[bytes], list[Row]], body: bytes, repeats: int) -> tuple[float, list[Row]]:
    times, rows = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        rows = run(body)
        times.append(time.perf_counter() - start)
    return statistics.median(times), rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    lines = [
        "# Reading SPARQL JSON results into rdflib terms",
        "",
        f"`python benchmarks/results_json.py --sizes {' '.join(map(str, args.sizes))} --repeats {args.repeats}`"
        f" (Python {sys.version.split()[0]}, pyoxigraph {ox.__version__}); median seconds, on a machine"
        " shared with other work (compare the columns, not the runs).",
        "",
        "| rows | kg (json + parse_results_json) | rdflib JSONResultParser | pyoxigraph + to_rdflib |",
        "|---:|---:|---:|---:|",
    ]
    for size in args.sizes:
        body = answer(size)
        ours, rows = median_time(with_kg, body, args.repeats)
        theirs, _ = median_time(with_rdflib, body, args.repeats)
        rust, oxrows = median_time(with_pyoxigraph, body, args.repeats)
        assert rows == oxrows, "kg and pyoxigraph read different terms"
        lines.append(f"| {size:,} | {ours:.3f} | {theirs:.3f} | {rust:.3f} |")
        print(lines[-1], flush=True)
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
