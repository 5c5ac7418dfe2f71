"""``kg path``, ``kg centrality``, ``kg balance``, ``kg dyad``, ``kg diff`` and ``kg export``.

Each takes the time cut and filters of the network projection (``kg/cli/_projection.py``).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

import kg
from kg.cli._context import Context, add_output_option, at_least
from kg.cli._projection import VIEW_HINT, add_projection_options, projection_options

__all__ = ["register"]


_positive, _count = at_least(int, 1), at_least(int, 0)


def register(subparsers: Any) -> None:
    """Add the network subcommands."""
    subparsers.add_parser(
        "path",
        help="shortest and all simple paths between two actors, each hop with its evidence",
        description="Paths between actors A and B on the collapsed graph (one edge per pair), each hop "
        "explained by its relations: date, source, quote, event. Exit 1 when there is no path.",
        options=_path_options,
    )
    subparsers.add_parser(
        "centrality",
        help="rank the actors by a centrality measure",
        description="A ranked table of actors by degree, in-degree, out-degree, betweenness, closeness, "
        "PageRank or eigenvector centrality on the collapsed graph (weights: number of relations).",
        options=_centrality_options,
    )
    subparsers.add_parser(
        "balance",
        help="signed triads (Heider balance) and the graph's balance ratio",
        description="Every triangle of actors whose three pairs have a non-zero tone, balanced when the "
        "product of the signs is positive, and the share of balanced triads.",
        options=_balance_options,
    )
    subparsers.add_parser(
        "dyad", help="everything between two actors in time order, with the tone", options=_dyad_options
    )
    subparsers.add_parser(
        "diff",
        help="relations that appeared, ended, changed in intensity or sign between two dates",
        description="Compare the network as of --from with the network as of --to. For each pair of actors "
        "and relation type a row says the relation appeared (an event between the dates, or a standing "
        "relation whose known start falls between them), was seen for the first time (first evidence: a "
        "standing relation whose start the source does not give; never 'appeared'), ended, or changed in "
        "intensity (more or fewer events, with its own tone before and after); a pair whose tone changed "
        "sign gets a 'changed sign' row. Events are listed by short name.",
        options=_diff_options,
    )
    subparsers.add_parser(
        "export",
        help="write the network as GraphML, GEXF, CSV or RDF (Turtle, N-Triples, JSON-LD)",
        description="Write the projection (one edge per relation, with its evidence) or, with --collapsed, "
        "one edge per pair. The file is written whole or not at all.",
        options=_export_options,
    )


def _path_options(path: argparse.ArgumentParser) -> None:
    path.add_argument("a", metavar="A", help="an actor: label, alias, local name or IRI")
    path.add_argument("b", metavar="B", help="another actor")
    path.add_argument(
        "--max-hops",
        type=_positive,
        default=3,
        metavar="N",
        help="list simple paths up to N hops besides the shortest (default 3)",
    )
    path.add_argument("--directed", action="store_true", help="follow relations from actor to target only")
    path.add_argument("--limit", type=_positive, default=20, metavar="N", help="list at most N paths (default 20)")
    path.add_argument(
        "--evidence",
        type=_count,
        default=10,
        metavar="N",
        help="list at most N relations per hop, in date order (default 10; 0: all)",
    )
    path.add_argument("--shortest", action="store_true", help="list the shortest paths only")
    add_projection_options(path)
    add_output_option(path)
    path.set_defaults(run=_path)


def _centrality_options(rank: argparse.ArgumentParser) -> None:
    rank.add_argument("--measure", choices=kg.MEASURES, default="degree", help="the measure (default degree)")
    rank.add_argument(
        "--directed",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="use the directed graph (default: directed for in-/out-degree and PageRank only)",
    )
    rank.add_argument(
        "--kind", action="append", metavar="KIND", help="list only actors of this kind (State, Person, ...; repeatable)"
    )
    rank.add_argument("--top", type=_positive, metavar="N", help="list the first N actors")
    add_projection_options(rank)
    add_output_option(rank)
    rank.set_defaults(run=_centrality)


def _balance_options(signed: argparse.ArgumentParser) -> None:
    signed.add_argument("--unbalanced", action="store_true", help="list the unbalanced triads only")
    add_projection_options(signed)
    add_output_option(signed)
    signed.set_defaults(run=_balance)


def _dyad_options(pair: argparse.ArgumentParser) -> None:
    pair.add_argument("a", metavar="A", help="an actor: label, alias, local name or IRI")
    pair.add_argument("b", metavar="B", help="another actor")
    add_projection_options(pair)
    add_output_option(pair)
    pair.set_defaults(run=_dyad)


def _diff_options(change: argparse.ArgumentParser) -> None:
    change.add_argument("--from", dest="start", required=True, metavar="DATE", help="the earlier date")
    change.add_argument("--to", dest="end", required=True, metavar="DATE", help="the later date")
    add_projection_options(change)
    add_output_option(change)
    change.set_defaults(run=_diff)


def _export_options(out: argparse.ArgumentParser) -> None:
    out.add_argument("-o", "--output", required=True, metavar="FILE", help="the file to write")
    out.add_argument(
        "--format", choices=kg.EXPORT_FORMATS, default=None, help="the format (default: from the file's suffix)"
    )
    out.add_argument(
        "--collapsed", action="store_true", help="one edge per ordered pair with counts and tone (GraphML, GEXF, CSV)"
    )
    out.add_argument("--undirected", action="store_true", help="with --collapsed: one edge per unordered pair")
    add_projection_options(out)
    out.set_defaults(run=_export)


def _path(context: Context) -> int:
    args = context.args
    found = kg.paths(
        context.store(),
        args.a,
        args.b,
        projection_options(args),
        max_hops=args.max_hops,
        directed=args.directed,
        limit=args.limit,
        evidence=args.evidence or None,
    )
    if args.shortest:
        found.paths = found.shortest
    if not found:
        print(f"kg: no path from {found.source_label} to {found.target_label}: {found.note}", file=sys.stderr)
        return 1
    context.print_table(found.table(), hint=VIEW_HINT)
    return 0


def _centrality(context: Context) -> int:
    args = context.args
    context.print_table(
        kg.centrality(
            context.store(),
            projection_options(args),
            measure=args.measure,
            directed=args.directed,
            kinds=args.kind,
            top=args.top,
        ),
        hint=VIEW_HINT,
    )
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


def _dyad(context: Context) -> int:
    args = context.args
    context.print_table(kg.dyad(context.store(), args.a, args.b, projection_options(args)), hint=VIEW_HINT)
    return 0


def _diff(context: Context) -> int:
    args = context.args
    context.print_table(kg.diff(context.store(), args.start, args.end, projection_options(args)), hint=VIEW_HINT)
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
