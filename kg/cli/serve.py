"""``kg serve``: the interactive map, a query page and a read-only SPARQL endpoint on 127.0.0.1.

Needs the ``serve`` extra (``pip install 'dipkg[serve]'``: starlette and uvicorn).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import kg
from kg.cli._context import Context, at_least
from kg.cli._options import add_numbers, add_top, command

__all__: list[str] = []  # its subcommands are declared with @command

_LIMITS = [
    ("--port", at_least(int, 1), 8000, None, "port (default 8000)"),
    (
        "--query-timeout",
        at_least(float, 0.1),
        10.0,
        "SECONDS",
        "stop a query after this long and answer 503 (default 10)",
    ),
    ("--max-rows", at_least(int, 1), 100_000, "N", "refuse answers over N rows; ask with LIMIT (default 100000)"),
    (
        "--max-body",
        at_least(int, 1024),
        1_000_000,
        "BYTES",
        "refuse request bodies over this size with 413 (default 1000000)",
    ),
    ("--workers", at_least(int, 1), 2, "N", "processes that run queries (default 2)"),
]
"""The server's bounds, (flag, type, default, metavar, help) a row."""


@command("serve")
def _options(parser: argparse.ArgumentParser) -> None:
    """Serve the interactive map, a query page and a read-only SPARQL endpoint over HTTP.

    Serve the graph over HTTP: / the interactive map (live), /query a query page with the named queries, /sparql the
    SPARQL 1.1 Protocol (read-only: updates and SERVICE are refused). Binds 127.0.0.1 unless --host is given. The
    graph is the default one (with --data files) in memory, an Oxigraph folder (--store DIR, opened read-only per
    request, so writers get their turn) or an endpoint (--endpoint URL).
    """
    parser.add_argument("--store", dest="serve_store", metavar="DIR", help="serve the Oxigraph store in DIR")
    parser.add_argument("--endpoint", dest="serve_endpoint", metavar="URL", help="serve this SPARQL endpoint")
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to bind (default 127.0.0.1: this machine only; another one is reachable "
        "by anyone on the network)",
    )
    add_numbers(parser, _LIMITS)
    add_top(parser, "the map's N most central actors (default: all up to 80, else 40)")
    parser.set_defaults(run=_serve)


def _serve(context: Context) -> int:
    try:
        config_type, serve = kg.ServerConfig, kg.serve
    except ImportError as exc:  # pragma: no cover - the serve extra is in the test extra
        raise kg.InputError(f"kg serve needs the serve extra: pip install 'dipkg[serve]' ({exc})") from exc
    args = context.args
    store = args.serve_store or args.store
    endpoint = args.serve_endpoint or args.endpoint
    if store and endpoint:
        raise kg.InputError("give --store or --endpoint, not both")
    if store and not Path(store).is_dir():
        raise kg.InputError(f"{store}: no such store; build it with 'kg load --store {store}'")
    config = config_type(
        store=store,
        endpoint=endpoint,
        data=tuple(args.data),
        default=not args.no_default,
        timeout=args.query_timeout,
        max_rows=args.max_rows,
        max_body=args.max_body,
        workers=args.workers,
        top=args.top,
    )
    context.print(f"serving on http://{args.host}:{args.port}/ (map), /query, /sparql; Ctrl-C stops")
    serve(config, host=args.host, port=args.port)
    return 0
