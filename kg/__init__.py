"""A knowledge graph of diplomatic events: RDF in, SPARQL, networks and maps out.

The public API: everything the CLI and the notebooks use is re-exported here.

>>> import kg
>>> graph = kg.load()
>>> kg.summarize(graph).events > 0
True
"""

from kg.derivation import derive
from kg.errors import (
    EngineError,
    IngestError,
    InputError,
    KGError,
    ParseError,
    QueryError,
    UnknownNameError,
    ValidationError,
)
from kg.loading import load
from kg.namespace import CAMEO, DIP, ID, PREFIXES
from kg.store import EndpointStore, MemoryStore, OxigraphStore, Result, Row, Store, open_store
from kg.summary import Summary, summarize
from kg.tabular import Table
from kg.validation import ValidationReport, Violation, validate, validate_files, validate_ontology

__version__ = "0.1.0"

__all__ = [
    "CAMEO",
    "DIP",
    "ID",
    "PREFIXES",
    "EndpointStore",
    "EngineError",
    "IngestError",
    "InputError",
    "KGError",
    "MemoryStore",
    "OxigraphStore",
    "ParseError",
    "QueryError",
    "Result",
    "Row",
    "Store",
    "Summary",
    "Table",
    "UnknownNameError",
    "ValidationError",
    "ValidationReport",
    "Violation",
    "derive",
    "load",
    "open_store",
    "summarize",
    "validate",
    "validate_files",
    "validate_ontology",
]
