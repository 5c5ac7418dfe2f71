"""What every subcommand shares: the global options and the engine they name."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kg.errors import InputError
from kg.loading import load
from kg.store import EndpointStore, OxigraphStore, Store
from kg.tabular import FORMATS, Table

__all__ = ["Context", "add_output_option", "at_least"]


class Context:
    """The parsed options of one ``kg`` run and the store they name, opened on first use."""

    def __init__(self, args: argparse.Namespace):
        self.args = args
        self._store: Store | None = None

    def store(self, *, write: bool = False) -> Store:
        """Return the graph the options name.

        The Oxigraph store (``--store``: read-only unless ``write``), the endpoint
        (``--endpoint``), or the default graph plus ``--data`` files in memory.
        """
        if self._store is None:
            args = self.args
            if args.store and args.endpoint:
                raise InputError("give --store or --endpoint, not both")
            if args.endpoint:
                self._store = EndpointStore(args.endpoint, update_url=args.update_endpoint,
                                            timeout=args.timeout)
            elif args.store:
                if not Path(args.store).is_dir():
                    raise InputError(f"{args.store}: no such store; build it with "
                                     f"'kg load --store {args.store}'")
                self._store = OxigraphStore(args.store, read_only=not write)
            else:
                self._store = load(*args.data, default=not args.no_default)
        return self._store

    def print(self, text: str) -> None:
        """Write ``text`` to standard output."""
        sys.stdout.write(text if text.endswith("\n") else text + "\n")

    def print_table(self, table: Table) -> None:
        """Write a table in the format the ``--format`` option chose."""
        self.print(table.to_text(getattr(self.args, "format", "table") or "table"))

    def close(self) -> None:
        """Close the store if one was opened."""
        if self._store is not None:
            self._store.close()


def add_output_option(parser: argparse.ArgumentParser, *choices: str) -> None:
    """Add ``--format`` with the table formats (and any extra ``choices``) to a subcommand."""
    parser.add_argument("--format", choices=[*FORMATS, *choices], default="table",
                        help="output format (default: table)")


def at_least(kind: type[int] | type[float], least: float) -> Callable[[str], Any]:
    """Return an argparse ``type`` that reads an int or float no smaller than ``least``."""
    what = "a whole number" if kind is int else "a number"

    def parse(text: str) -> Any:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not {what}") from None
        if value < least:
            raise argparse.ArgumentTypeError(f"{text} must be {least:g} or more")
        return value

    return parse
