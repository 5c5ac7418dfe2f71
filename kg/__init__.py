"""A knowledge graph of diplomatic events: RDF in, SPARQL, networks and maps out.

The public API: everything the CLI and the notebooks use is re-exported here.

>>> import kg
>>> graph = kg.load()
>>> kg.summarize(graph).events > 0
True
"""

from kg.analysis import Balance, Paths, Triad, balance, centrality, diff, dyad, paths
from kg.batches import Batch, list_batches, retract
from kg.bulkload import build_store
from kg.derivation import derive
from kg.drawing import draw, draw_timeline, save_figure
from kg.errors import (
    EngineError,
    IngestError,
    InputError,
    InternalError,
    KGError,
    ParseError,
    QueryError,
    QueryTimeoutError,
    StoreBusyError,
    UnknownNameError,
    ValidationError,
)
from kg.export import export
from kg.extract import Draft, extract
from kg.ingestion import IngestReport, ingest
from kg.loading import load
from kg.namespace import CAMEO, DIP, ID, PREFIXES
from kg.network import collapse, describe_view, project
from kg.query import NamedQuery, get_query, list_queries, query, resolve_actor
from kg.report import Report, write_report
from kg.store import EndpointStore, MemoryStore, OxigraphStore, Result, Row, Store, open_store
from kg.summary import Summary, summarize
from kg.tabular import Table
from kg.timecut import TimeCut
from kg.validation import ValidationReport, Violation, validate, validate_files, validate_ontology
from kg.web import HtmlMap, draw_html

__version__ = "0.1.0"

__all__ = [
    "CAMEO",
    "DIP",
    "ID",
    "PREFIXES",
    "Balance",
    "Batch",
    "Draft",
    "EndpointStore",
    "EngineError",
    "HtmlMap",
    "IngestError",
    "IngestReport",
    "InputError",
    "InternalError",
    "KGError",
    "MemoryStore",
    "NamedQuery",
    "OxigraphStore",
    "ParseError",
    "Paths",
    "QueryError",
    "QueryTimeoutError",
    "Report",
    "Result",
    "Row",
    "Store",
    "StoreBusyError",
    "Summary",
    "Table",
    "TimeCut",
    "Triad",
    "UnknownNameError",
    "ValidationError",
    "ValidationReport",
    "Violation",
    "balance",
    "build_store",
    "centrality",
    "collapse",
    "derive",
    "describe_view",
    "diff",
    "draw",
    "draw_html",
    "draw_timeline",
    "dyad",
    "export",
    "extract",
    "get_query",
    "ingest",
    "list_batches",
    "list_queries",
    "load",
    "open_store",
    "paths",
    "project",
    "query",
    "resolve_actor",
    "retract",
    "save_figure",
    "summarize",
    "validate",
    "validate_files",
    "validate_ontology",
    "write_report",
]
