"""``kg ingest``: add events from an event table, a GDELT 2.0 export or an ICEWS extract."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

import kg
from kg.cli._context import Context, open_engine
from kg.cli._options import command

if TYPE_CHECKING:
    from kg import Store

__all__: list[str] = []  # its subcommands are declared with @command

_WHERE = (
    "say where the events go: '-o DIR' writes a Turtle file into DIR (then use it with "
    "'kg --data DIR ...'), '--store DIR' loads them into the Oxigraph store in DIR (created when "
    "missing)"
)


@command("ingest")
def _options(parser: argparse.ArgumentParser) -> None:
    """Add events from an event table (CSV), a GDELT 2.0 export or an ICEWS .tab file."""
    parser.description = (
        "Read FILE, check every row, and write its events to a Turtle file (-o DIR) or "
        "into an Oxigraph store (--store DIR). With a bad row nothing is written unless "
        "--skip-bad-rows. An event table has the columns " + ",".join(kg.REQUIRED_COLUMNS) + " (see "
        "the README's 'Event tables' for the optional ones). Exit 0 when written, 2 on bad input."
    )
    parser.add_argument(
        "file",
        metavar="FILE",
        nargs="+",
        help="the file to read (GDELT: .CSV, .zip or .gz); several files, a folder or a glob make one "
        "batch into --store: all or nothing, a report line per file",
    )
    parser.add_argument(
        "--workers", type=int, metavar="N", help="processes splitting the files of a batch (default: one a core)"
    )
    parser.add_argument(
        "--format",
        dest="input_format",
        choices=kg.INGEST_FORMATS,
        default="csv",
        help="the file's format (default: csv)",
    )
    parser.add_argument("-o", "--output", metavar="DIR", help="write the events to DIR/NAME.ttl")
    parser.add_argument(
        "--store",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="load the events into the Oxigraph store in DIR (created when missing)",
    )
    parser.add_argument(
        "--strict", action="store_true", help="refuse rows naming actors the graph does not know (default: create them)"
    )
    parser.add_argument(
        "--skip-bad-rows",
        action="store_true",
        help="write the good rows and report the bad ones (default: write nothing)",
    )
    parser.add_argument(
        "--force", action="store_true", help="replace DIR/NAME.ttl even when another input of that name wrote it"
    )
    parser.set_defaults(run=_run)


def _run(context: Context) -> int:
    args = context.args
    store_dir = getattr(args, "store", None)
    store: Store | str | None = store_dir
    if args.endpoint:
        if store_dir:
            raise kg.InputError("give --store or --endpoint, not both")
        store = open_engine(args, write=True)
    if (store is None) == (args.output is None):
        raise kg.InputError(_WHERE if store is None else "give -o DIR or --store DIR, not both")
    files = args.file[0] if len(args.file) == 1 else args.file
    bar = kg.ProgressBar(args.file[0] if len(args.file) == 1 else f"{len(args.file)} files")
    try:
        report = kg.ingest(
            files,
            format=args.input_format,
            store=store,
            out_dir=args.output,
            data=args.data,
            default=not args.no_default,
            strict=args.strict,
            skip_bad_rows=args.skip_bad_rows,
            force=args.force,
            progress=bar if bar.enabled else None,
            workers=args.workers,
        )
    finally:
        bar.close()
        if isinstance(store, kg.Store):
            store.close()
    context.print(str(report))
    return 0
