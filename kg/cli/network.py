"""``kg path``, ``kg centrality``, ``kg balance``, ``kg dyad``, ``kg diff`` and ``kg export``.

Each takes the time cut and filters of the network projection (``kg/cli/_projection.py``).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

import kg
from kg.cli._context import Context, add_output_option, at_least
from kg.cli._options import add_actors, add_measure, add_numbers, add_output, add_switch, add_top, command, given
from kg.cli._projection import VIEW_HINT, add_projection_options, projection_options

if TYPE_CHECKING:
    from kg import ProjectionOptions, Store, Table

__all__: list[str] = []  # its subcommands are declared with @command

# The bounds of the path search, (flag, type, default, metavar, help) a row
_HOPS = [("--max-hops", at_least(int, 1), 3, "N", "list simple paths up to N hops besides the shortest (default 3)")]
_LIMITS = [
    ("--limit", at_least(int, 1), 20, "N", "list at most N paths (default 20)"),
    ("--evidence", at_least(int, 0), 10, "N", "list at most N relations per hop, in date order (default 10; 0: all)"),
]


@command("path")
def _path_options(parser: argparse.ArgumentParser) -> None:
    """Shortest and all simple paths between two actors, each hop with its evidence.

    Paths between actors A and B on the collapsed graph (one edge per pair), each hop explained by its relations:
    date, source, quote, event. Exit 1 when there is no path.
    """
    add_actors(parser)
    add_numbers(parser, _HOPS)
    parser.add_argument("--directed", action="store_true", help="follow relations from actor to target only")
    add_numbers(parser, _LIMITS)
    parser.add_argument("--shortest", action="store_true", help="list the shortest paths only")
    _network_options(parser, _path)


@command("centrality")
def _centrality_options(parser: argparse.ArgumentParser) -> None:
    """Rank the actors by a centrality measure.

    A ranked table of actors by degree, in-degree, out-degree, betweenness, closeness, PageRank or eigenvector
    centrality on the collapsed graph (weights: number of relations).
    """
    add_measure(parser, "the measure (default degree)")
    add_switch(parser, "--directed", "use the directed graph (default: directed for in-/out-degree and PageRank only)")
    parser.add_argument(
        "--kind", action="append", metavar="KIND", help="list only actors of this kind (State, Person, ...; repeatable)"
    )
    add_top(parser, "list the first N actors")
    _network_options(parser, _table(_centrality))


@command("balance")
def _balance_options(parser: argparse.ArgumentParser) -> None:
    """Signed triads (Heider balance) and the graph's balance ratio.

    Every triangle of actors whose three pairs have a non-zero tone, balanced when the product of the signs is
    positive, and the share of balanced triads.
    """
    parser.add_argument("--unbalanced", action="store_true", help="list the unbalanced triads only")
    _network_options(parser, _balance)


@command("dyad")
def _dyad_options(parser: argparse.ArgumentParser) -> None:
    """Everything between two actors in time order, with the tone."""
    add_actors(parser)
    _network_options(parser, _table(_dyad))


@command("diff")
def _diff_options(parser: argparse.ArgumentParser) -> None:
    """Relations that appeared, ended, changed in intensity or sign between two dates.

    Compare the network as of --from with the network as of --to. For each pair of actors and relation type a row
    says the relation appeared (an event between the dates, or a standing relation whose known start falls between
    them), was seen for the first time (first evidence: a standing relation whose start the source does not give;
    never 'appeared'), ended, or changed in intensity (more or fewer events, with its own tone before and after); a
    pair whose tone changed sign gets a 'changed sign' row. Events are listed by short name.
    """
    parser.add_argument("--from", dest="start", required=True, metavar="DATE", help="the earlier date")
    parser.add_argument("--to", dest="end", required=True, metavar="DATE", help="the later date")
    _network_options(parser, _table(_diff))


@command("export")
def _export_options(parser: argparse.ArgumentParser) -> None:
    """Write the network as GraphML, GEXF, CSV or RDF (Turtle, N-Triples, JSON-LD).

    Write the projection (one edge per relation, with its evidence) or, with --collapsed, one edge per pair. The
    file is written whole or not at all.
    """
    add_output(parser, "the file to write")
    parser.add_argument(
        "--format", choices=kg.EXPORT_FORMATS, default=None, help="the format (default: from the file's suffix)"
    )
    parser.add_argument(
        "--collapsed", action="store_true", help="one edge per ordered pair with counts and tone (GraphML, GEXF, CSV)"
    )
    parser.add_argument("--undirected", action="store_true", help="with --collapsed: one edge per unordered pair")
    add_projection_options(parser)
    parser.set_defaults(run=_export)


def _network_options(parser: argparse.ArgumentParser, run: Callable[[Context], int]) -> None:
    """Add the projection's time cut and filters and the table's format to a subcommand run by ``run``."""
    add_projection_options(parser)
    add_output_option(parser)
    parser.set_defaults(run=run)


def _table(answer: Callable[[Store, ProjectionOptions, argparse.Namespace], Table]) -> Callable[[Context], int]:
    """Return a subcommand that prints the table ``answer(store, options, args)``, under the view hint."""

    def run(context: Context) -> int:
        context.print_table(answer(context.store(), projection_options(context.args), context.args), hint=VIEW_HINT)
        return 0

    return run


def _centrality(store: Store, options: ProjectionOptions, args: argparse.Namespace) -> Table:
    return kg.centrality(store, options, kinds=args.kind, **given(args, "measure", "directed", "top"))


def _dyad(store: Store, options: ProjectionOptions, args: argparse.Namespace) -> Table:
    return kg.dyad(store, args.a, args.b, options)


def _diff(store: Store, options: ProjectionOptions, args: argparse.Namespace) -> Table:
    return kg.diff(store, args.start, args.end, options)


def _path(context: Context) -> int:
    args = context.args
    searched = given(args, "max_hops", "directed", "limit")
    found = kg.paths(
        context.store(), args.a, args.b, projection_options(args), evidence=args.evidence or None, **searched
    )
    if args.shortest:
        found.paths = found.shortest
    if not found:
        print(f"kg: no path from {found.source_label} to {found.target_label}: {found.note}", file=sys.stderr)
        return 1
    context.print_table(found.table(), hint=VIEW_HINT)
    return 0


def _balance(context: Context) -> int:
    args = context.args
    result = kg.balance(context.store(), projection_options(args))
    if args.format == "json":
        data = result.as_dict()
        data["rows"] = result.table(unbalanced_only=args.unbalanced).to_dicts()
        context.print(json.dumps(data, indent=2, ensure_ascii=False, default=str))
        return 0
    if args.format != "table":
        print(f"kg: {result.summary()}", file=sys.stderr)
    context.print_table(result.table(unbalanced_only=args.unbalanced), hint=VIEW_HINT)
    return 0


def _export(context: Context) -> int:
    args = context.args
    store = context.store()
    graph = kg.project(store, projection_options(args))
    if args.collapsed:
        written = kg.export(kg.collapse(graph, directed=not args.undirected), args.output, format=args.format)
    else:
        written = kg.export(graph, args.output, format=args.format, store=store)
    print(
        f"kg: wrote {written} ({graph.number_of_nodes()} actors, {graph.number_of_edges()} relations)", file=sys.stderr
    )
    return 0
