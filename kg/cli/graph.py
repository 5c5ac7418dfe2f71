"""``kg info`` and ``kg validate``: what the graph holds and whether it conforms."""

from __future__ import annotations

import argparse
import json

import kg
from kg.cli._context import Context
from kg.cli._options import add_json_format, add_only_graphs, command

__all__: list[str] = []  # its subcommands are declared with @command


@command("info")
def _info_options(parser: argparse.ArgumentParser) -> None:
    """Triples, actors by kind, events by type, sources, dates."""
    add_json_format(parser)
    parser.set_defaults(run=_info)


@command("validate")
def _validate_options(parser: argparse.ArgumentParser) -> None:
    """Check files against the SHACL shapes (exit 0 conforms, 1 does not, 2 bad input).

    Validate the default graph and PATHs (plus --data) against the SHACL shapes; with --store or --endpoint, the
    store's ontology and asserted data (--only GRAPH chooses). Exit 0 when they conform, 1 when they do not, 2 when
    a file cannot be read.
    """
    parser.add_argument("paths", nargs="*", metavar="PATH", help="RDF files or folders to check")
    parser.add_argument(
        "--ontology",
        action="store_true",
        help="check the ontology files themselves instead (every term labelled and defined)",
    )
    parser.add_argument("--warnings", action="store_true", help="also list warnings (missing quotes)")
    add_only_graphs(
        parser,
        "with --store or --endpoint: a graph of it to check (ontology, asserted, derived or an IRI; "
        "repeatable; default: ontology and asserted)",
    )
    parser.set_defaults(run=_validate)


def _info(context: Context) -> int:
    summary = kg.summarize(context.store())
    if context.args.format == "json":
        context.print(json.dumps(summary.as_dict(), indent=2))
    else:
        context.print(str(summary))
    return 0


def _validate(context: Context) -> int:
    args: argparse.Namespace = context.args
    if args.ontology:
        report = kg.validate_ontology(args.paths or None)
    elif args.store or args.endpoint:  # the store's graphs: by default the ontology and the data, never derived edges
        if args.paths:
            raise kg.InputError("give files to check, or a store (--store, --endpoint), not both")
        graphs = args.only or ["ontology", "asserted"]
        report = kg.validate(context.store().to_graph(graphs))
    else:
        with kg.ProgressBar("validating", unit="items") as bar:  # checks run of all
            report = kg.validate_files(
                [*args.data, *args.paths], default=not args.no_default, progress=bar if bar.enabled else None
            )
    context.print(report.text(warnings=args.warnings))
    return 0 if report.conforms else 1
