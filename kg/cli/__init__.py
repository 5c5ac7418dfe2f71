"""The ``kg`` command: a thin layer over the public API.

Exit codes: 0 success; 1 the data does not conform, or an ASK query answered false;
2 bad input (a file that does not parse, a broken query, an unknown name, an unreachable
endpoint, a busy store, a query past its timeout, a file or folder that cannot be written);
3 an internal error (a bug: please report it); 130 interrupted (Ctrl-C). Every subcommand lives
in a module of this package, declared by ``@command(NAME)`` (:mod:`kg.cli._options`); errors print as
``kg: error: ...`` with no traceback (a library error's parameters said as the flags that set
them, see :mod:`kg.cli._flags`), and anything unexpected as ``kg: internal error: ...``.

The command starts fast: a subcommand's module imports only :mod:`kg` (whose names load on first
use), and a subcommand adds its options only when it is the one run (the function ``@command``
decorates, given to ``add_parser(..., options=FUNCTION)``), so ``kg --help`` loads neither rdflib
nor NetworkX nor matplotlib.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import pkgutil
import sys
from collections.abc import Callable, Sequence
from typing import Any

import kg
from kg.cli._context import Context, add_endpoint_options, add_output_option
from kg.cli._flags import as_flags
from kg.cli._options import add_commands

__all__ = ["Context", "add_endpoint_options", "add_output_option", "build_parser", "main"]


class _Subcommands(argparse._SubParsersAction):  # type: ignore[type-arg]  # argparse names no public base
    """Subcommands whose options are added only when the subcommand is run (or its help asked for).

    ``add_parser(name, options=FUNCTION, ...)`` keeps ``FUNCTION(parser)`` for later: the options'
    choices come from the library (``kg.MEASURES``, ``kg.VIEWS``, ...), which loads what it needs
    only then.
    """

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._later: dict[str, Callable[[argparse.ArgumentParser], None]] = {}

    def add_parser(self, name: str, **kwargs: Any) -> argparse.ArgumentParser:
        options = kwargs.pop("options", None)
        parser: argparse.ArgumentParser = super().add_parser(name, **kwargs)
        if options is not None:
            self._later[name] = options
        return parser

    def complete(self, name: str) -> argparse.ArgumentParser:
        """Return the parser of subcommand ``name`` with its options added."""
        parser: argparse.ArgumentParser = self._name_parser_map[name]
        options = self._later.pop(name, None)
        if options is not None:
            options(parser)
        return parser

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any, *rest: Any) -> None:
        if values and values[0] in self._name_parser_map:
            self.complete(values[0])
        super().__call__(parser, namespace, values, *rest)


def build_parser() -> argparse.ArgumentParser:
    """Return the parser of the ``kg`` command with every subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="kg",
        description="A knowledge graph of diplomatic events: load, validate, query, analyse, draw.",
    )
    parser.add_argument(
        "--data",
        action="append",
        default=[],
        metavar="PATH",
        help="add an RDF file or folder to the graph (repeatable)",
    )
    parser.add_argument(
        "--no-default", action="store_true", help="leave out the default graph shipped with the package"
    )
    parser.add_argument("--store", metavar="DIR", help="use the Oxigraph store in DIR (built by 'kg load --store DIR')")
    parser.add_argument("--endpoint", metavar="URL", help="use a SPARQL 1.1 query endpoint")
    parser.add_argument("--update-endpoint", metavar="URL", help="the endpoint's update URL")
    parser.add_argument(
        "--timeout",
        type=float,
        default=30.0,
        metavar="SECONDS",
        help="total time a query may take: a local query is stopped, a request to the "
        "endpoint cut (default 30; 0: no limit for a local query)",
    )
    add_endpoint_options(parser)
    parser.add_argument("-v", "--verbose", action="count", default=0, help="log more (-vv: debug)")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True, action=_Subcommands)
    package = importlib.import_module(__name__)
    for module in sorted(m.name for m in pkgutil.iter_modules(package.__path__)):
        if module.startswith("_"):
            continue
        add_commands(subparsers, importlib.import_module(f"{__name__}.{module}").__name__)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``kg`` command with ``argv`` (``sys.argv[1:]`` by default); return the exit code."""
    context: Context | None = None
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        logging.basicConfig(
            level=(logging.WARNING, logging.INFO, logging.DEBUG)[min(args.verbose, 2)],
            format="kg: %(levelname)s: %(message)s",
        )
        context = Context(args)
        try:
            return int(args.run(context) or 0)
        finally:
            context.close()
    except kg.KGError as exc:
        print(f"kg: error: {as_flags(str(exc))}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:  # `kg ... | head`
        return 0
    except KeyboardInterrupt:
        print("kg: interrupted", file=sys.stderr)
        return 130
    except OSError as exc:  # the system refused: a read-only folder, a full disk, a folder for a file
        where = f" {exc.filename}" if exc.filename else ""
        print(
            f"kg: error: cannot use{where}: {exc.strerror or exc}; check the path and its permissions", file=sys.stderr
        )
        return 2
    except MemoryError:
        print(
            "kg: error: out of memory: the input is too large for this machine (a huge literal, "
            "line or result); split it, or raise the memory available",
            file=sys.stderr,
        )
        return 2
    except Exception as exc:  # the last resort: a bug of the package, never a traceback
        logging.getLogger(__name__).debug("internal error", exc_info=True)
        print(
            f"kg: internal error: {type(exc).__name__}: {exc}\n"
            "this is a bug in kg: please report it with the command line that caused it "
            "(run it again with -vv for the details)",
            file=sys.stderr,
        )
        return 3
