"""A knowledge graph of diplomatic events: RDF in, SPARQL, networks and maps out.

The public API: everything the CLI and the notebooks use is re-exported here.

>>> import kg
>>> graph = kg.load()
>>> kg.summarize(graph).events > 0
True
"""

import ast
import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

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


def _where() -> dict[str, str]:
    """Map each public name to its module, read from the ``TYPE_CHECKING`` imports above."""
    tree = ast.parse(Path(__file__).read_text(encoding="utf-8"))
    block = next(node for node in tree.body if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING")
    return {
        alias.asname or alias.name: node.module
        for node in block.body
        if isinstance(node, ast.ImportFrom) and node.module
        for alias in node.names
    }


_WHERE = _where()
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


def __getattr__(name: str) -> Any:
    """Import a public name on first use (PEP 562)."""
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'kg' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return [*__all__, "__version__"]
