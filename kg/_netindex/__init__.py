"""The network index: what the projection reads of every event, kept beside an Oxigraph store.

The projection (:func:`kg._network.project`) reads, for every event and standing relation, its
type, actor and target, its days (date, end, first evidence, start, ended-before), its claims and
its occurrence. Read from Oxigraph by SPARQL that costs seconds at 100,000 events and minutes at
a million. The index keeps those fields in a compact columnar form, in the store's folder
(:data:`INDEX_NAME`, one uncompressed ``.npz`` file of numpy arrays: small integer codes and
packed string tables), so that a projection becomes a few vectorised operations. It is never a
second source of truth:

- its header names the store's generation (``kg-store.json``, raised by every writer under the
  writer's lock), the store's RocksDB identity and the index format: an index whose header does
  not match is *stale* and is rebuilt (logged, with a progress callback) before it is used, and
  if it cannot be rebuilt the projection reads the store by SPARQL as before;
- it is written after a successful write (``kg load --store``, ``kg ingest --store``), whole,
  to a temporary file renamed into place: a killed writer leaves the old index, which names the
  old generation and is therefore never used;
- the evidence (source, quote) is fetched from the store for the edges kept, never from the index.

Set the environment variable ``KG_NETINDEX=0`` to project by SPARQL (benchmarks compare both); it
also turns off the pair aggregates a SPARQL server counts (:mod:`kg._network.remote`).
"""

from kg._netindex._index import INDEX_NAME, INDEX_VERSION, NetIndex, build_index, enabled, index_for, write_index
from kg._netindex._project import EdgeTable, edge_table

__all__ = [
    "INDEX_NAME",
    "INDEX_VERSION",
    "EdgeTable",
    "NetIndex",
    "build_index",
    "edge_table",
    "enabled",
    "index_for",
    "write_index",
]
