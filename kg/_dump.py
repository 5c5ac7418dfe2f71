"""Writing a store's triples out, all of them or the graphs chosen: to load a server, to share the data.

:func:`dump` writes the project's graphs (:mod:`kg._graphs`) of any engine as N-Triples or Turtle
(the union of the graphs chosen) or as N-Quads or TriG (each triple with its graph), atomically:
a failed dump leaves no file and never a half-written one.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from rdflib import Graph, URIRef

from kg._errors import InputError
from kg._files import atomic_write
from kg._graphs import GRAPHS, graph_iri
from kg._store import Store, new_dataset

__all__ = ["DUMP_FORMATS", "dump"]

log = logging.getLogger(__name__)

DUMP_FORMATS = {".nt": "nt", ".ttl": "turtle", ".nq": "nquads", ".trig": "trig"}
"""The file endings :func:`dump` writes, and rdflib's serializer for each."""


def dump(store: Store, path: str | Path, *, graphs: Iterable[str] = ()) -> int:
    """Write the triples of the ``graphs`` of ``store`` (by default the project's three) to ``path``; return how many.

    Parameters
    ----------
    store : Store
        Any engine.
    path : str or Path
        The file; its ending says the format (:data:`DUMP_FORMATS`): ``.nt`` and ``.ttl`` hold the
        triples of the graphs chosen, merged; ``.nq`` and ``.trig`` keep each in its graph.
    graphs : iterable of str
        Short names (``ontology``, ``asserted``, ``derived``) or IRIs; ``["asserted"]`` writes the
        data without the ontology and the derived edges.

    Raises
    ------
    InputError
        A file ending no format has.

    Examples
    --------
    >>> import kg, tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "data.nt"
    >>> kg.dump(kg.load(), out, graphs=["asserted"]) > 500
    True
    """
    path = Path(path)
    fmt = DUMP_FORMATS.get(path.suffix)
    if fmt is None:
        raise InputError(f"{path}: cannot write files ending {path.suffix!r}; use one of {', '.join(DUMP_FORMATS)}")
    names = [graph_iri(g) for g in graphs] or list(GRAPHS.values())
    out: Graph
    if fmt in ("nquads", "trig"):
        out = dataset = new_dataset()
        for name in names:
            dataset.graph(URIRef(name)).__iadd__(store.to_graph([name]))
        count = sum(len(dataset.graph(URIRef(name))) for name in names)
    else:
        out = store.to_graph(names)
        count = len(out)
    atomic_write(path, lambda temporary: out.serialize(temporary, format=fmt, encoding="utf-8"))
    log.info("%s: %d triples of %s", path, count, ", ".join(names))
    return count
