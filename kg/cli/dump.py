"""``kg dump``: write the graph's triples out, all of them or the graphs chosen."""

from __future__ import annotations

import argparse

import kg
from kg.cli._context import Context
from kg.cli._options import add_only_graphs, command

__all__: list[str] = []  # its subcommand is declared with @command


@command("dump")
def _dump_options(parser: argparse.ArgumentParser) -> None:
    """Write the ontology, the data and the derived edges (or the graphs chosen) to an RDF file.

    Write the project's three graphs of the store (--store, --endpoint; else the default graph and --data in
    memory) to OUT: .nt or .ttl hold the triples merged, .nq or .trig keep each in its graph (to load a server).
    --only asserted writes the data alone, without the ontology and the derived edges (repeatable).
    """
    parser.add_argument("output", metavar="OUT", help="the file (.nt, .ttl, .nq, .trig)")
    add_only_graphs(parser, "a graph to write: ontology, asserted, derived or an IRI (repeatable; default: the three)")
    parser.set_defaults(run=_dump)


def _dump(context: Context) -> int:
    count = kg.dump(context.store(), context.args.output, graphs=context.args.only)
    context.print(f"{context.args.output}: {count:,} triples")
    return 0
