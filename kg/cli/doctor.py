"""``kg doctor``: find (and remove) what killed commands left behind; migrate an old store."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from kg._errors import InputError
from kg._locking import StoreLock, check_store, leftovers, read_stamp, remove_leftovers, write_stamp
from kg.cli._context import Context

__all__ = ["register"]


def register(subparsers: Any) -> None:
    """Add the ``doctor`` subcommand."""
    parser = subparsers.add_parser(
        "doctor",
        help="report (--fix: remove) temporary files left by killed commands; check or migrate a store",
        description="Look in FOLDERs (and beside --store DIR) for the temporary files and half-built "
        "stores (.NAME.kg-tmp-PID-...) of kg commands that were killed, and check the store's layout "
        "version. --fix removes the leftovers; --migrate stamps a store of an older layout after "
        "copying it to DIR.backup-DATE. Exit 0 when all is well (or mended), 1 when leftovers remain.",
    )
    parser.add_argument("folders", nargs="*", metavar="FOLDER", help="output folders to look in")
    parser.add_argument("--store", metavar="DIR", default=argparse.SUPPRESS, help="the store to check")
    parser.add_argument("--fix", action="store_true", help="remove the leftovers found")
    parser.add_argument("--migrate", action="store_true", help="migrate a store of an older layout (kept backup)")
    parser.set_defaults(run=_run)


def _run(context: Context) -> int:
    args = context.args
    store = Path(args.store) if getattr(args, "store", None) else None
    folders = [Path(f) for f in args.folders] + ([store.absolute().parent] if store is not None else [])
    if not folders:
        raise InputError("say where to look: kg doctor FOLDER ... or kg doctor --store DIR")
    found = 0
    for folder in folders:
        for entry in remove_leftovers(folder) if args.fix else leftovers(folder):
            context.print(f"{'removed' if args.fix else 'leftover'}: {entry}")
            found += not args.fix
    if store is not None and store.exists():
        if args.migrate and read_stamp(store) is None and (store / "CURRENT").is_file():
            context.print(_migrate(store))
        check_store(store)
        context.print(f"{store}: a store of the current layout")
    if found:
        context.print(f"{found} leftover(s) of killed commands; remove them with --fix")
        return 1
    return 0


def _migrate(store: Path) -> str:
    """Stamp a store written before stores were stamped (layout 0), after backing it up."""
    import pyoxigraph as ox

    backup = store.with_name(f"{store.name}.backup-{dt.datetime.now():%Y%m%d-%H%M%S}")
    with StoreLock(store).exclusive():
        ox.Store.read_only(str(store)).backup(str(backup))
        write_stamp(store, generation=1)
    return f"{store}: migrated from layout 0 to 1; the old store is kept in {backup} (a backup)"
