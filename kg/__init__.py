"""A knowledge graph of diplomatic events: RDF in, SPARQL, networks and maps out.

The public API: everything the CLI and the notebooks use is re-exported here.

>>> import kg
>>> graph = kg.load()
>>> kg.summarize(graph).events > 0
True
"""

from typing import TYPE_CHECKING

from kg._lazy import attach

if TYPE_CHECKING:
    from kg._analysis import Balance, Paths, Triad, balance, centrality, diff, dyad, paths
    from kg._batches import Batch, list_batches, retract
    from kg._bulkload import build_store, load
    from kg._derivation import derive
    from kg._drawing import draw, draw_timeline, save_figure
    from kg._errors import (
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
    from kg._export import export
    from kg._extract import Draft, extract
    from kg._ingestion import IngestReport, ingest
    from kg._namespace import CAMEO, DIP, ID, PREFIXES
    from kg._network import ProjectionOptions, collapse, describe_view, project
    from kg._query import NamedQuery, get_query, list_queries, query, resolve_actor
    from kg._report import Report, write_report
    from kg._store import EndpointStore, MemoryStore, OxigraphStore, Result, Row, Store, open_store
    from kg._summary import Summary, summarize
    from kg._tabular import Table
    from kg._timecut import TimeCut
    from kg._validation import ValidationReport, Violation, validate, validate_files, validate_ontology
    from kg._web import HtmlMap, draw_html

__version__ = "0.1.0"


_WHERE, __getattr__ = attach(__name__, __file__)

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
    "ProjectionOptions",
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


def __dir__() -> list[str]:
    return [*__all__, "__version__"]
