"""How a subcommand is declared, and the options several subcommands take, each defined once.

A module of :mod:`kg.cli` declares each of its subcommands with ``@command(NAME)`` on the function
that adds the subcommand's options, whose docstring is the subcommand's help; that function is
called only when the subcommand runs, so ``kg --help`` stays fast. The options that recur
(``--top N``, ``--measure``, ``--hops N``, ``-o``, the time cut's dates, the image's size, the two
actors A and B, a store folder, yes/no switches) come from the helpers here, with the help text
that fits the subcommand; :func:`given` hands options to the library function of the same
parameter names.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from typing import Any

import kg
from kg.cli._context import at_least

__all__ = [
    "IMAGE",
    "add_actors",
    "add_commands",
    "add_dates",
    "add_hops",
    "add_image_options",
    "add_json_format",
    "add_measure",
    "add_numbers",
    "add_output",
    "add_store_folder",
    "add_switch",
    "add_top",
    "command",
    "given",
]

Options = Callable[[argparse.ArgumentParser], None]
"""A function that adds a subcommand's options to its parser."""


_DECLARED: dict[str, list[tuple[str, Options]]] = {}
"""The subcommands each module of :mod:`kg.cli` declared, in the order it declared them."""


def command(name: str) -> Callable[[Options], Options]:
    """Declare subcommand ``kg name``, whose options the decorated function adds to its parser.

    The function's docstring says what the subcommand does: its first line, one sentence, is the
    subcommand's line in ``kg --help`` (begun in lower case, without the full stop); the paragraph
    after it is the description ``kg name --help`` prints. The function is called only when the
    subcommand runs (or its help is asked for); it sets ``run``, the function that runs it.
    """

    def declare(options: Options) -> Options:
        _DECLARED.setdefault(options.__module__, []).append((name, options))
        return options

    return declare


def add_commands(subparsers: Any, module: str) -> None:
    """Add the subcommands that ``module`` (imported) declared with :func:`command`, in their order."""
    if module not in _DECLARED:  # a module of the older protocol, with a register(subparsers) function
        raise RuntimeError(f"{module} declares no subcommand: put @command(NAME) on the function adding its options")
    for name, options in _DECLARED[module]:
        summary, _, description = (options.__doc__ or "").strip().partition("\n")
        subparsers.add_parser(
            name,
            help=summary[:1].lower() + summary[1:].removesuffix("."),
            description=" ".join(description.split()) or None,
            options=options,
        )


def add_top(parser: argparse.ArgumentParser | Any, help: str, *, default: int | None = None) -> None:
    """Add ``--top N`` (a whole number, 1 or more)."""
    parser.add_argument("--top", type=at_least(int, 1), default=default, metavar="N", help=help)


def add_hops(parser: argparse.ArgumentParser, help: str) -> None:
    """Add ``--hops N`` (0 or more, default 1)."""
    parser.add_argument("--hops", type=at_least(int, 0), default=1, metavar="N", help=help)


def add_measure(parser: argparse.ArgumentParser, help: str) -> None:
    """Add ``--measure`` (one of :data:`kg.MEASURES`, default degree)."""
    parser.add_argument("--measure", choices=kg.MEASURES, default="degree", help=help)


def add_output(parser: argparse.ArgumentParser, help: str, *, metavar: str = "FILE") -> None:
    """Add the required ``-o`` / ``--output``."""
    parser.add_argument("-o", "--output", required=True, metavar=metavar, help=help)


def add_actors(parser: argparse.ArgumentParser) -> None:
    """Add the two actors ``A`` and ``B`` a subcommand is about."""
    parser.add_argument("a", metavar="A", help="an actor: label, alias, local name or IRI")
    parser.add_argument("b", metavar="B", help="another actor")


def add_dates(parser: argparse.ArgumentParser | Any, helps: dict[str, str]) -> None:
    """Add date options (the time cut: ``--as-of``, ``--since``, ``--until``), flag and help each."""
    for flag, help_text in helps.items():
        parser.add_argument(flag, metavar="DATE", help=help_text)


def add_switch(parser: argparse.ArgumentParser | Any, flag: str, help: str) -> None:
    """Add ``--flag`` / ``--no-flag``, None when neither is given (the default the subcommand or library picks)."""
    parser.add_argument(flag, action=argparse.BooleanOptionalAction, default=None, help=help)


def add_json_format(parser: argparse.ArgumentParser) -> None:
    """Add ``--format table`` (the default) or ``json``, for a subcommand that prints a listing."""
    parser.add_argument("--format", choices=["table", "json"], default="table")


def add_only_graphs(parser: argparse.ArgumentParser, help: str) -> None:
    """Add ``--only GRAPH`` (repeatable): a graph of the store to take (a short name or an IRI)."""
    parser.add_argument("--only", action="append", default=[], metavar="GRAPH", help=help)


def add_store_folder(parser: argparse.ArgumentParser, help: str) -> None:
    """Add ``--store DIR`` after the subcommand; a ``--store`` given before it is kept."""
    parser.add_argument("--store", metavar="DIR", default=argparse.SUPPRESS, help=help)


def add_numbers(
    parser: argparse.ArgumentParser | Any, numbers: Sequence[tuple[str, Any, Any, str | None, str]]
) -> None:
    """Add plain number options, one ``(flag, type, default, metavar, help)`` row each."""
    for flag, kind, default, metavar, help_text in numbers:
        parser.add_argument(flag, type=kind, default=default, metavar=metavar, help=help_text)


IMAGE = ("width", "height", "dpi", "title")
"""The options of :func:`add_image_options`, named as the drawing functions' parameters."""


def add_image_options(parser: argparse.ArgumentParser, *, height: float | None) -> None:
    """Add the image's ``--width``, ``--height`` (None: as tall as needed), ``--dpi`` and ``--title``."""
    group = parser.add_argument_group("image")
    tall = (
        f"height of the image (default {height:g})"
        if height
        else "height of the image (default: as tall as the rows need)"
    )
    add_numbers(
        group,
        [
            ("--width", at_least(float, 2), 12.0, "INCHES", "width of the image (default 12)"),
            ("--height", at_least(float, 2), height, "INCHES", tall),
            ("--dpi", at_least(float, 20), 100.0, None, "resolution of a PNG, dots per inch (default 100)"),
        ],
    )
    group.add_argument("--title", help="replace the title")


def given(args: argparse.Namespace, *names: str) -> dict[str, Any]:
    """Return the options ``names`` of ``args`` by name, for a library function whose parameters they are."""
    return {name: getattr(args, name) for name in names}
