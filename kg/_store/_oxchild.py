"""Run one SPARQL query on an Oxigraph folder in a child process that can be killed.

pyoxigraph's ``query`` has no timeout and no cancel, and a Python signal handler does not run
while it works, so :meth:`kg._store.OxigraphStore.query` with a ``timeout`` runs the query here,
in a process of its own that the parent kills at the deadline or on Ctrl-C. Started as a script
(``python -I kg/_store/_oxchild.py``), it imports only pyoxigraph: some 60 ms of start-up.

Protocol: a JSON object ``{"path", "query", "prefixes"}`` (and the dataset: ``"default_graph"``,
``"named_graphs"``, lists of IRIs, when chosen, else ``"use_default_graph_as_union": true``) on
standard input; on standard output a first line ``solutions``, ``boolean`` or ``triples`` and
then the answer serialised as SPARQL JSON results (N-Triples for triples). Exit 0; 3 for a
syntax error, 4 for a store error (the message on standard error).
"""

from __future__ import annotations

import json
import sys

__all__: list[str] = []


def main() -> int:
    """Answer the query read from standard input (see the module's docstring)."""
    import pyoxigraph as ox

    request = json.load(sys.stdin)
    out = sys.stdout.buffer
    try:
        store = ox.Store.read_only(request["path"])  # the parent holds the store's shared lock
        default: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] | None = None
        named: list[ox.NamedNode | ox.BlankNode] | None = None
        if "default_graph" in request:
            default = [ox.NamedNode(iri) for iri in request["default_graph"]]
        if "named_graphs" in request:
            named = [ox.NamedNode(iri) for iri in request["named_graphs"]]
        answer = store.query(
            request["query"],
            prefixes=request["prefixes"],
            default_graph=default,
            named_graphs=named,
            use_default_graph_as_union=bool(request.get("use_default_graph_as_union")),
        )
        if isinstance(answer, ox.QueryTriples):
            out.write(b"triples\n")
            answer.serialize(out, format=ox.RdfFormat.N_TRIPLES)
        else:
            out.write(b"boolean\n" if isinstance(answer, ox.QueryBoolean) else b"solutions\n")
            answer.serialize(out, format=ox.QueryResultsFormat.JSON)
    except SyntaxError as exc:
        sys.stderr.write(str(exc))
        return 3
    except OSError as exc:
        sys.stderr.write(str(exc))
        return 4
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
