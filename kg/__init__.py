"""A knowledge graph of diplomatic events: RDF in, SPARQL, networks and maps out.

The public API: everything the CLI and the notebooks use is re-exported here, imported on first
use (``import kg`` loads neither rdflib's SPARQL engine, NetworkX, matplotlib nor pySHACL).

>>> import kg
>>> graph = kg.load()
>>> kg.summarize(graph).events > 0
True

Besides functions and classes it names the values some options take, as tuples of strings:
:data:`MEASURES` (``centrality(measure=)``), :data:`VIEWS` (``draw(view=)``),
:data:`TABLE_FORMATS` (``Table.to_text``), :data:`GRAPH_FORMATS` (a CONSTRUCT answer,
:func:`serialize`), :data:`EXPORT_FORMATS` (``export(format=)``), :data:`INGEST_FORMATS` and
:data:`REQUIRED_COLUMNS` (``ingest``), :data:`REQUEST_METHODS` (``EndpointStore(method=)``):

>>> kg.MEASURES[:3], kg.INGEST_FORMATS
(('degree', 'in-degree', 'out-degree'), ('csv', 'gdelt', 'icews'))
>>> "pagerank" in kg.MEASURES and "graphml" in kg.EXPORT_FORMATS
True
"""

from typing import TYPE_CHECKING

from kg._lazy import attach

if TYPE_CHECKING:
    from kg._analysis import MEASURES, Balance, Paths, Triad, balance, centrality, diff, dyad, paths
    from kg._batches import Batch, list_batches, retract
    from kg._bulkload import build_store, load
    from kg._derivation import derive
    from kg._doctor import Checkup, doctor
    from kg._drawing import VIEWS, draw, draw_timeline, save_figure
    from kg._dump import DUMP_FORMATS, dump
    from kg._endpoint import METHODS as REQUEST_METHODS
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
    from kg._export import EXPORT_FORMATS, export
    from kg._extract import Draft, extract
    from kg._graphs import GRAPHS
    from kg._ingestion import FORMATS as INGEST_FORMATS
    from kg._ingestion import REQUIRED_COLUMNS, IngestReport, ingest
    from kg._loading import data_files
    from kg._namespace import CAMEO, DIP, ID, PREFIXES
    from kg._network import ProjectionOptions, collapse, describe_view, project
    from kg._progress import ProgressBar
    from kg._query import GRAPH_FORMATS, NamedQuery, get_query, list_queries, query, resolve_actor, serialize
    from kg._report import Report, write_report
    from kg._store import EndpointStore, MemoryStore, OxigraphStore, Result, Row, Store, open_store
    from kg._summary import Summary, summarize
    from kg._tabular import FORMATS as TABLE_FORMATS
    from kg._tabular import Table
    from kg._timecut import TimeCut
    from kg._validation import ValidationReport, Violation, validate, validate_files, validate_ontology
    from kg._web import HtmlMap, draw_html
    from kg._web.server import ServerConfig, serve

__version__ = "0.1.0"


_WHERE, __getattr__ = attach(__name__, __file__)

__all__ = [
    "CAMEO",
    "DIP",
    "DUMP_FORMATS",
    "EXPORT_FORMATS",
    "GRAPHS",
    "GRAPH_FORMATS",
    "ID",
    "INGEST_FORMATS",
    "MEASURES",
    "PREFIXES",
    "REQUEST_METHODS",
    "REQUIRED_COLUMNS",
    "TABLE_FORMATS",
    "VIEWS",
    "Balance",
    "Batch",
    "Checkup",
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
    "ProgressBar",
    "ProjectionOptions",
    "QueryError",
    "QueryTimeoutError",
    "Report",
    "Result",
    "Row",
    "ServerConfig",
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
    "data_files",
    "derive",
    "describe_view",
    "diff",
    "doctor",
    "draw",
    "draw_html",
    "draw_timeline",
    "dump",
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
    "serialize",
    "serve",
    "summarize",
    "validate",
    "validate_files",
    "validate_ontology",
    "write_report",
]


def __dir__() -> list[str]:
    return [*__all__, "__version__"]
