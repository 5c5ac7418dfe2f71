"""``kg doctor``: find (and remove) what killed commands left behind; migrate an old store."""

from __future__ import annotations

import argparse

import kg
from kg.cli._context import Context
from kg.cli._options import add_store_folder, command

__all__: list[str] = []  # its subcommands are declared with @command


@command("doctor")
def _options(parser: argparse.ArgumentParser) -> None:
    """Report (--fix: remove) temporary files left by killed commands; check or migrate a store.

    Look in FOLDERs (and beside --store DIR) for the temporary files and half-built stores (.NAME.kg-tmp-PID-...) of
    kg commands that were killed, and check the store's layout version. --fix removes the leftovers; --migrate
    stamps a store of an older layout after copying it to DIR.backup-DATE. Exit 0 when all is well (or mended), 1
    when leftovers remain.
    """
    parser.add_argument("folders", nargs="*", metavar="FOLDER", help="output folders to look in")
    add_store_folder(parser, "the store to check")
    parser.add_argument("--fix", action="store_true", help="remove the leftovers found")
    parser.add_argument("--migrate", action="store_true", help="migrate a store of an older layout (kept backup)")
    parser.set_defaults(run=_run)


def _run(context: Context) -> int:
    args = context.args
    store = getattr(args, "store", None) or None
    if not args.folders and store is None:
        raise kg.InputError("say where to look: kg doctor FOLDER ... or kg doctor --store DIR")
    checkup = kg.doctor(*args.folders, store=store, fix=args.fix, migrate=args.migrate)
    for entry in checkup.removed:
        context.print(f"removed: {entry}")
    for entry in checkup.leftovers:
        context.print(f"leftover: {entry}")
    if checkup.backup is not None:
        context.print(
            f"{checkup.store}: migrated to the current layout; the old store is kept in {checkup.backup} (a backup)"
        )
    if checkup.store is not None:
        context.print(f"{checkup.store}: a store of the current layout")
    if checkup.leftovers:
        context.print(f"{len(checkup.leftovers)} leftover(s) of killed commands; remove them with --fix")
        return 1
    return 0
