"""``kg batches`` and ``kg retract``: what was loaded into a store, and taking a batch back out."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

import kg
from kg.cli._context import Context
from kg.cli._options import add_json_format, add_store_folder, command

__all__: list[str] = []  # its subcommands are declared with @command


@command("batches")
def _batches_options(parser: argparse.ArgumentParser) -> None:
    """List the loads and ingests into a store: files, checksums, time, options."""
    add_store_folder(parser, "the store folder")
    add_json_format(parser)
    parser.set_defaults(run=_batches)


@command("retract")
def _retract_options(parser: argparse.ArgumentParser) -> None:
    """Remove a batch's triples from a store (then ingest the corrected file).

    Remove the triples batch ID asserted (those no other batch asserts too) and the derived edges left without
    support. 'kg batches --store DIR' lists the IDs.
    """
    parser.add_argument("batch", metavar="ID", help="the batch to remove")
    add_store_folder(parser, "the store folder")
    parser.set_defaults(run=_retract)


def _folder(context: Context) -> str:
    folder = getattr(context.args, "store", None)
    if not folder:
        raise kg.InputError("say which store: --store DIR")
    return str(folder)


def _batches(context: Context) -> int:
    folder = _folder(context)
    with kg.open_store(store=folder, read_only=True):  # a store of this layout, and no writer meanwhile
        found = kg.list_batches(folder)
    if context.args.format == "json":
        context.print(json.dumps([asdict(b) for b in found], indent=2))
        return 0
    rows: list[Sequence[Any]] = [
        [
            b.id,
            b.time,
            b.command,
            ", ".join(f["path"] for f in b.files) or "-",
            ", ".join(f["sha256"][:12] for f in b.files) or "-",
            b.triples,
            " ".join(f"{k}={v}" for k, v in b.options.items()),
        ]
        for b in found
    ]
    context.print(kg.Table(["id", "time", "command", "files", "sha256", "triples", "options"], rows).to_text("table"))
    return 0


def _retract(context: Context) -> int:
    folder = _folder(context)
    removed = kg.retract(folder, context.args.batch)
    context.print(f"batch {context.args.batch} retracted from {folder}: {removed:,} triples removed")
    return 0
