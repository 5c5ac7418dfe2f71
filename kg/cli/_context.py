"""What every subcommand shares: the global options and the engine they name."""

from __future__ import annotations

import argparse
import shutil
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import kg

if TYPE_CHECKING:
    from kg import Store, Table

__all__ = ["Context", "add_endpoint_options", "add_output_option", "at_least", "one_of", "open_engine"]


def one_of(values: Callable[[], Sequence[str]], what: str, *, default: str) -> Callable[[str], str]:
    """Return an argparse ``type`` that accepts one of ``values()``, asked only when the option is given.

    For an option of the main parser, whose choices would otherwise load their module at every
    start (``kg --help`` included). argparse passes a string ``default`` through the type too: it
    is taken as it is.
    """

    def parse(text: str) -> str:
        if text == default:
            return text
        choices = values()
        if text not in choices:
            raise argparse.ArgumentTypeError(f"{text!r} is not a {what}; use one of {', '.join(choices)}")
        return text

    return parse


def add_endpoint_options(parser: argparse.ArgumentParser | Any, *, suppress: bool = False) -> None:
    """Add the dataset and request options of an endpoint (``--graph``, ``--named-graph``, ``--request``).

    Credentials are never options: they come from the environment or a netrc file.
    """
    more: dict[str, Any] = {"default": argparse.SUPPRESS} if suppress else {}
    parser.add_argument(
        "--graph",
        action="append",
        metavar="GRAPH",
        dest="graphs",
        **(more or {"default": []}),
        help="with --store or --endpoint: a graph the queries read as their default graph: ontology, "
        "asserted, derived or an IRI (default-graph-uri; repeatable; default: every graph of a store, "
        "the project's three on a server)",
    )
    parser.add_argument(
        "--named-graph",
        action="append",
        metavar="IRI",
        dest="named_graphs",
        **(more or {"default": []}),
        help="with --store or --endpoint: a graph GRAPH may name (named-graph-uri; repeatable)",
    )
    parser.add_argument(
        "--request",
        type=one_of(lambda: kg.REQUEST_METHODS, "request method", default="auto"),
        metavar="HOW",
        **(more or {"default": "auto"}),
        help="with --endpoint: how queries are sent: GET when short else URL-encoded POST "
        "(auto, the default), get, post, or direct POST of the query",
    )


def open_engine(args: argparse.Namespace, *, write: bool = False) -> Store:
    """Open the store (``--store``: read-only unless ``write``) or endpoint (``--endpoint``) the options name."""
    if args.store and args.endpoint:
        raise kg.InputError("give --store or --endpoint, not both")
    if args.store and not Path(args.store).is_dir():
        raise kg.InputError(f"{args.store}: no such store; build it with 'kg load --store {args.store}'")
    return kg.open_store(
        store=args.store,
        endpoint=args.endpoint,
        update_endpoint=args.update_endpoint,
        timeout=args.timeout,
        graphs=args.graphs,
        named_graphs=args.named_graphs,
        method=args.request,
        read_only=not write,
    )


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
            if args.store or args.endpoint:
                self._store = open_engine(args, write=write)
            elif args.graphs or args.named_graphs:
                raise kg.InputError(
                    "--graph and --named-graph choose graphs of a store (--store) or an "
                    "endpoint (--endpoint); the graph read into memory is read whole"
                )
            else:
                self._store = kg.load(*args.data, default=not args.no_default)
        return self._store

    def print(self, text: str) -> None:
        """Write ``text`` to standard output."""
        sys.stdout.write(text if text.endswith("\n") else text + "\n")

    def print_table(self, table: Table, *, hint: str = "") -> None:
        """Write a table in the format the ``--format`` option chose.

        As a table it fits the terminal's width (``COLUMNS``, else the terminal, else 120
        characters), long cells cut with an ellipsis, unless ``--wide`` was given; ``hint`` (how
        to change what the table counts) is printed under the title.
        """
        fmt = getattr(self.args, "format", "table") or "table"
        if fmt == "table" and hint:
            table = kg.Table(table.columns, table.rows, title=f"{table.title}\n({hint})" if table.title else hint)
        width = None if getattr(self.args, "wide", False) else shutil.get_terminal_size((120, 24)).columns
        self.print(table.to_text(fmt, width=width))

    def close(self) -> None:
        """Close the store if one was opened."""
        if self._store is not None:
            self._store.close()


def add_output_option(parser: argparse.ArgumentParser, *choices: str) -> None:
    """Add ``--format`` with the table formats (and any extra ``choices``) to a subcommand."""
    parser.add_argument(
        "--format", choices=[*kg.TABLE_FORMATS, *choices], default="table", help="output format (default: table)"
    )
    parser.add_argument(
        "--wide", action="store_true", help="print a table's cells whole instead of fitting the terminal's width"
    )


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
