"""A check-up of store folders and output folders: what killed commands left, and the store's layout."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from kg._locking import (
    FORMAT_VERSION,
    StoreLock,
    StoreStamp,
    check_store,
    leftovers,
    read_stamp,
    remove_leftovers,
    write_stamp,
)

__all__ = ["Checkup", "doctor"]


@dataclass
class Checkup:
    """What :func:`doctor` found and did.

    Attributes
    ----------
    leftovers : list of Path
        Temporary files and half-built stores of killed commands, still there.
    removed : list of Path
        Those removed (with ``fix=True``).
    store : Path or None
        The store checked: it holds a store of the current layout.
    backup : Path or None
        Where the store of an older layout was copied before it was migrated.

    Examples
    --------
    >>> import kg, tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp()) / "store"
    >>> _ = kg.build_store(folder)
    >>> isinstance(kg.doctor(folder), kg.Checkup)
    True
    """

    leftovers: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    store: Path | None = None
    backup: Path | None = None

    @property
    def ok(self) -> bool:
        """True when no leftover remains."""
        return not self.leftovers


def doctor(*folders: str | Path, store: str | Path | None = None, fix: bool = False, migrate: bool = False) -> Checkup:
    """Look for what killed commands left behind, and check (or migrate) a store's layout.

    A command that writes a file or builds a store works on a temporary name beside it
    (``.NAME.kg-tmp-PID-...``); a command that was killed leaves it there.

    Parameters
    ----------
    *folders : str or Path
        Output folders to look in.
    store : str or Path, optional
        A store folder: its parent folder is looked in too, and the store's layout is checked
        (when the folder exists).
    fix : bool, default False
        Remove the leftovers found.
    migrate : bool, default False
        Migrate a store of an older layout (0: written before stores were stamped; 1: everything
        in one graph): it is copied to ``STORE.backup-DATE`` first, then its triples are put in
        the graphs of :mod:`kg._graphs` and it is stamped.

    Returns
    -------
    Checkup
        The leftovers found (or removed), the store checked and the backup made.

    Raises
    ------
    EngineError
        The store is of an older layout (without ``migrate=True``), of a newer one, or the folder
        holds no store.
    StoreBusyError
        Another process holds the store while it is migrated.

    Examples
    --------
    >>> import kg, pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> triples = kg.build_store(folder / "store", default=False)
    >>> checkup = kg.doctor(store=folder / "store")
    >>> checkup.ok, checkup.store.name
    (True, 'store')
    """
    where = Path(store) if store is not None else None
    places = [Path(f) for f in folders] + ([where.absolute().parent] if where is not None else [])
    checkup = Checkup()
    for place in places:
        if fix:
            checkup.removed += remove_leftovers(place)
        else:
            checkup.leftovers += leftovers(place)
    if where is not None and where.exists():
        if migrate and (where / "CURRENT").is_file() and _older(read_stamp(where)):
            checkup.backup = _migrate(where)
        check_store(where)
        checkup.store = where
    return checkup


def _older(stamp: StoreStamp | None) -> bool:
    return stamp is None or stamp.version < FORMAT_VERSION


def _migrate(store: Path) -> Path:
    """Bring a store of layout 0 or 1 to the current one, after backing it up.

    Layout 0 had no stamp; 0 and 1 kept everything in the store's default graph, which
    :func:`kg._derivation.separate` puts into the ontology's, the data's and the derived graphs.
    """
    import gc

    import pyoxigraph as ox

    from kg._derivation import separate
    from kg._netindex import write_index

    backup = store.with_name(f"{store.name}.backup-{dt.datetime.now():%Y%m%d-%H%M%S}")
    stamp = read_stamp(store)
    generation = (stamp.generation if stamp is not None else 0) + 1
    with StoreLock(store).exclusive():
        ox.Store.read_only(str(store)).backup(str(backup))
        engine = ox.Store(str(store))
        separate(engine)
        engine.flush()
        del engine
        gc.collect()  # the store's files close with the last reference
        write_stamp(store, generation=generation)
        write_index(store, generation=generation)
    return backup
