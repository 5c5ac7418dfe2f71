"""``kg ingest``: add events from an event table, a GDELT 2.0 export or an ICEWS extract."""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any, TextIO

from kg._errors import InputError
from kg._ingestion import FORMATS, REQUIRED_COLUMNS, ingest
from kg._store import Store
from kg.cli._context import Context, endpoint_store

__all__ = ["register"]

_WHERE = (
    "say where the events go: '-o DIR' writes a Turtle file into DIR (then use it with "
    "'kg --data DIR ...'), '--store DIR' loads them into the Oxigraph store in DIR (created when "
    "missing)"
)


def register(subparsers: Any) -> None:
    """Add the ``ingest`` subcommand."""
    parser = subparsers.add_parser(
        "ingest",
        help="add events from an event table (CSV), a GDELT 2.0 export or an ICEWS .tab file",
        description="Read FILE, check every row, and write its events to a Turtle file (-o DIR) or "
        "into an Oxigraph store (--store DIR). With a bad row nothing is written unless "
        "--skip-bad-rows. An event table has the columns " + ",".join(REQUIRED_COLUMNS) + " (see "
        "kg._ingestion.table for the optional ones). Exit 0 when written, 2 on bad input.",
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
        "--format", dest="input_format", choices=FORMATS, default="csv", help="the file's format (default: csv)"
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
            raise InputError("give --store or --endpoint, not both")
        store = endpoint_store(args)
    if (store is None) == (args.output is None):
        raise InputError(_WHERE if store is None else "give -o DIR or --store DIR, not both")
    files = args.file[0] if len(args.file) == 1 else args.file
    bar = (
        _Bar(args.file[0] if len(args.file) == 1 else f"{len(args.file)} files", sys.stderr)
        if sys.stderr.isatty()
        else None
    )
    try:
        report = ingest(
            files,
            format=args.input_format,
            store=store,
            out_dir=args.output,
            data=args.data,
            default=not args.no_default,
            strict=args.strict,
            skip_bad_rows=args.skip_bad_rows,
            force=args.force,
            progress=bar,
            workers=args.workers,
        )
    finally:
        if bar is not None:
            bar.close()
        if isinstance(store, Store):
            store.close()
    context.print(str(report))
    return 0


class _Bar:
    """A one-line progress bar on a terminal: ``name [#####.....] 48%  12.3 of 25.6 MB``."""

    def __init__(self, name: str, stream: TextIO, *, width: int = 30):
        self.name, self.stream, self.width = name, stream, width
        self.last, self.shown = 0.0, False

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last < 0.2 and done < total:
            return
        self.last, self.shown = now, True
        share = min(done / total, 1.0) if total else 1.0
        filled = int(share * self.width)
        self.stream.write(
            f"\r{self.name} [{'#' * filled}{'.' * (self.width - filled)}] {share:4.0%}  "
            f"{done / 1e6:,.1f} of {total / 1e6:,.1f} MB "
        )
        self.stream.flush()

    def close(self) -> None:
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()
