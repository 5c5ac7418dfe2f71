"""``kg extract``: propose the events of a news report as a draft event table to review."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import kg
from kg.cli._context import Context
from kg.cli._options import command

__all__: list[str] = []  # its subcommands are declared with @command


@command("extract")
def _options(parser: argparse.ArgumentParser) -> None:
    """Propose the events a news report states, as a draft event table to review and ingest.

    Read REPORT (plain text, English: headline, then one paragraph a line) and write a draft event table: one
    proposed event a row, with the sentence it rests on, the rule that fired, a confidence and what to review.
    Correct it, then 'kg ingest DRAFT.csv'. Sentences that gave no event are listed on standard error with the
    reason. Exit 0 when written, 2 on bad input (empty, binary or non-English text, no date, an existing -o file).
    """
    parser.add_argument("report", metavar="REPORT", help="the report, a UTF-8 text file ('-' for standard input)")
    parser.add_argument(
        "--published",
        metavar="YYYY-MM-DD",
        help="the day the report was published (weekdays are read against it); "
        "default: an ISO date in the report's first lines",
    )
    parser.add_argument(
        "--source",
        required=True,
        metavar="URL",
        help="the report's URL (or title): every row carries it, so a corrected draft "
        "can replace the events of an earlier one",
    )
    parser.add_argument("-o", "--output", metavar="FILE", help="write the draft to FILE (default: standard output)")
    parser.add_argument(
        "--format",
        dest="draft_format",
        choices=("csv", "ttl"),
        default="csv",
        help="csv: the draft event table (default); ttl: its events as 'kg ingest' writes them",
    )
    parser.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    parser.set_defaults(run=_run)


def _read(name: str) -> str:
    raw = sys.stdin.buffer.read() if name == "-" else _bytes(name)
    if b"\x00" in raw:
        raise kg.InputError(f"{name}: a binary file (it holds NUL bytes); give the text of a news report")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise kg.InputError(f"{name}: not UTF-8 text (byte {exc.start}); save the report as UTF-8 text") from None


def _bytes(name: str) -> bytes:
    path = Path(name)
    if not path.is_file():
        raise kg.InputError(f"{name}: no such file")
    return path.read_bytes()


def _run(context: Context) -> int:
    args = context.args
    if args.output and Path(args.output).exists() and not args.force:
        raise kg.InputError(
            f"{args.output} exists; a draft may hold an analyst's corrections: choose another "
            "name, or pass --force to overwrite it"
        )
    text = _read(args.report)
    try:
        draft = kg.extract(text, published=args.published, source=args.source, store=context.store())
    except kg.InputError as exc:
        raise kg.InputError(f"{args.report}: {exc}") from None
    for skipped in draft.skipped:
        print(
            f"kg: skipped sentence {skipped.sentence} ({skipped.start}-{skipped.end}): {skipped.reason}: "
            f"{skipped.text[:80]}",
            file=sys.stderr,
        )
    if args.output:
        draft.write(args.output, format=args.draft_format, overwrite=True, data=args.data, default=not args.no_default)
        print(
            f"kg: wrote {len(draft.rows)} proposed event(s) to {args.output}; review them, then "
            f"'kg ingest {args.output} -o DIR'",
            file=sys.stderr,
        )
    else:
        text_out = (
            draft.to_csv()
            if args.draft_format == "csv"
            else draft.to_turtle(data=args.data, default=not args.no_default)
        )
        context.print(text_out)
    return 0
