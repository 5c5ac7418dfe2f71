"""``kg query``, ``kg queries`` and ``kg load``: ask the graph, list the named queries, build a store."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from typing import Any

import kg
from kg.cli._context import Context, add_endpoint_options
from kg.cli._options import add_dates, add_json_format, add_store_folder, add_switch, command, given

__all__: list[str] = []  # its subcommands are declared with @command


def _engine_options(parser: argparse.ArgumentParser) -> None:
    # The global options also work after the subcommand (kg query NAME --store DIR); SUPPRESS
    # keeps a value given before it.
    group = parser.add_argument_group("engine (also accepted before the subcommand)")
    group.add_argument(
        "--store",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="use the Oxigraph store in DIR (built by 'kg load --store DIR')",
    )
    group.add_argument("--endpoint", metavar="URL", default=argparse.SUPPRESS, help="use a SPARQL 1.1 query endpoint")
    group.add_argument("--update-endpoint", metavar="URL", default=argparse.SUPPRESS, help="the endpoint's update URL")
    group.add_argument(
        "--timeout",
        type=float,
        metavar="SECONDS",
        default=argparse.SUPPRESS,
        help="stop a query after SECONDS, on every engine; a request to an endpoint "
        "is cut then (default 30; 0: no limit for a local query)",
    )
    add_endpoint_options(group, suppress=True)
    group.add_argument(
        "--data",
        action="append",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="add an RDF file or folder to the in-memory graph (repeatable)",
    )
    _add_no_default(group)


def _add_no_default(parser: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    # after the subcommand too; SUPPRESS keeps a value given before it
    parser.add_argument(
        "--no-default",
        action="store_true",
        default=argparse.SUPPRESS,
        help="leave out the default graph shipped with the package",
    )


@command("query")
def _query_options(ask: argparse.ArgumentParser) -> None:
    """Run a SPARQL query: inline, a .rq file, or a named query ('kg queries').

    Run a SPARQL 1.1 query given inline, as a .rq file (or - for standard input), or by the name of a query shipped
    with the package. SELECT prints a table (--format table, csv, tsv, or json: SPARQL 1.1 JSON results); CONSTRUCT
    and DESCRIBE print Turtle (or --format nt, jsonld); ASK prints true or false and exits 0 or 1. Read-only: SPARQL
    Update needs --allow-update, SERVICE and LOAD need --allow-network.
    """
    ask.epilog = (
        "examples:\n"
        "  kg query condemnations --param target=Israel\n"
        "  kg query between --param actor=Israel --param other=Turkey --since 2023-10-17\n"
        "  kg query 'ASK { ?a dip:recallsDiplomatsFrom ?b }' --as-of 2023-10-16\n"
        "  kg query my-question.rq --format csv --store graph.oxigraph"
    )
    ask.formatter_class = argparse.RawDescriptionHelpFormatter
    ask.add_argument("query", metavar="QUERY", help="SPARQL text, a .rq file, - (standard input) or a query name")
    ask.add_argument(
        "-p",
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a parameter of the query (repeatable): an actor by label, alias, local name "
        "or IRI (case does not matter), a date YYYY-MM-DD, ...",
    )
    ask.add_argument(
        "--format",
        choices=[*kg.TABLE_FORMATS, *kg.GRAPH_FORMATS],
        default=None,
        help="output format (default: table for SELECT, turtle for CONSTRUCT/DESCRIBE)",
    )
    add_dates(
        ask,
        {
            "--as-of": "only the events, claims and states in force that day",
            "--since": "only what falls on or after that day",
            "--until": "only what falls on or before that day",
        },
    )
    ask.add_argument(
        "--from-evidence",
        action="store_true",
        help="count a standing relation the source presents as already existing only from its first evidence",
    )
    ask.add_argument("--allow-update", action="store_true", help="run a SPARQL Update (changes the store)")
    ask.add_argument(
        "--allow-network", action="store_true", help="allow SERVICE and LOAD, which fetch from the network"
    )
    _engine_options(ask)
    ask.set_defaults(run=_query)


@command("queries")
def _queries_options(names: argparse.ArgumentParser) -> None:
    """List the named queries, their description and parameters."""
    names.add_argument("name", nargs="?", metavar="NAME", help="print this query's text instead")
    add_json_format(names)
    names.set_defaults(run=_queries)


@command("load")
def _load_options(load: argparse.ArgumentParser) -> None:
    """Build a persistent Oxigraph store: kg load --store DIR [PATH ...].

    Build an Oxigraph store in DIR from the ontology, the default graph (unless --no-default) and PATHs, validated
    against the SHACL shapes (unless --no-validate, whatever the size) and with the actor-to-actor edges derived.
    The store is built beside DIR and renamed into place: an error leaves DIR as it was. Any command then uses it
    with --store DIR, without loading again.
    """
    load.add_argument("paths", nargs="*", metavar="PATH", help="RDF files or folders to add")
    add_store_folder(load, "the store folder (required)")
    _add_no_default(load)
    mode = load.add_mutually_exclusive_group()
    mode.add_argument(
        "--append", action="store_const", dest="mode", const="append", help="add to the store already in DIR"
    )
    mode.add_argument(
        "--replace",
        action="store_const",
        dest="mode",
        const="replace",
        help="build a new store in place of the one in DIR",
    )
    add_switch(
        load,
        "--validate",
        "check the data against the SHACL shapes (default; --no-validate skips it)",
    )
    load.set_defaults(run=_load, mode="new")


def _params(pairs: list[str]) -> dict[str, str]:
    params: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise kg.InputError(f"--param {pair!r}: write NAME=VALUE, such as --param actor=Turkey")
        params[name.strip()] = value.strip()
    return params


def _query(context: Context) -> int:
    args = context.args
    text = sys.stdin.read() if args.query == "-" else args.query
    store = context.store(write=args.allow_update)
    before = len(store) if args.allow_update else None
    result = kg.query(
        store,
        text,
        params=_params(args.param),
        **given(args, "as_of", "since", "until", "from_evidence", "allow_update", "allow_network", "timeout"),
    )
    if result.form == "UPDATE":
        after = len(store)
        kept = args.store or args.endpoint
        note = "" if kept else " (in memory only: use --store or --endpoint to keep it)"
        context.print(f"ok: the update was applied: {before:,} triples before, {after:,} after{note}")
        return 0
    context.print(kg.serialize(result, args.format))
    if result.form == "ASK":
        return 0 if result.boolean else 1
    return 0


def _queries(context: Context) -> int:
    args = context.args
    if args.name:
        named = kg.get_query(args.name)
        context.print(named.text)
        return 0
    queries = kg.list_queries()
    if args.format == "json":
        import json

        context.print(
            json.dumps(
                [
                    {
                        "name": q.name,
                        "description": q.description,
                        "parameters": [
                            {"name": p.name, "kind": p.kind, "required": p.required, "description": p.description}
                            for p in q.parameters
                        ],
                    }
                    for q in queries
                ],
                indent=2,
                ensure_ascii=False,
            )
        )
        return 0
    rows: list[Sequence[Any]] = []
    for named in queries:
        own = [str(p) for p in named.parameters if p.name not in ("asOf", "since", "until")]
        rows.append([named.name, ", ".join(own), named.description])
    table = kg.Table(["name", "parameters", "description"], rows)
    context.print(table.to_text("table"))
    context.print("Every named query also takes --as-of, --since and --until. 'kg queries NAME' prints its text.")
    return 0


def _load(context: Context) -> int:
    args = context.args
    if not getattr(args, "store", None):
        raise kg.InputError("kg load needs --store DIR: the folder of the Oxigraph store to build")
    started = time.perf_counter()
    with kg.ProgressBar("loading") as bar:
        count = kg.build_store(
            args.store,
            args.paths,
            default=not args.no_default,
            validate=args.validate,
            mode=args.mode,
            progress=bar if bar.enabled else None,
        )
    context.print(
        f"{args.store}: {count:,} triples ({time.perf_counter() - started:.1f} s); "
        f"query it with: kg query NAME --store {args.store}"
    )
    return 0
