"""Building, writing and reading the network index (see :mod:`kg._netindex`)."""

from __future__ import annotations

import json
import logging
import os
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyoxigraph as ox

from kg._errors import EngineError
from kg._files import atomic_write, leftovers
from kg._locking import read_stamp
from kg._namespace import DIP as _DIP_NS
from kg._progress import ProgressBar
from kg._store import OxigraphStore, Store, oxigraph_dataset

__all__ = ["INDEX_NAME", "INDEX_VERSION", "NetIndex", "Progress", "build_index", "index_for", "scan", "write_index"]

log = logging.getLogger(__name__)

INDEX_NAME = "kg-netindex.npz"
"""The index file inside a store folder."""

INDEX_VERSION = 2
"""The index's format; an index of another version is rebuilt."""

_KIND = "dipkg-netindex"
DIP = str(_DIP_NS)
_CLAIMS = ("assertsClaim", "disputesClaim", "endorsesClaim", "presupposesClaim")
_DAYS = ("date", "endDate", "startDate", "inForceBy", "observedOn", "before")

Progress = Callable[[int, int, str], None]
"""``progress(done, total, what)``: steps done, steps in all, the step."""

IntArray = npt.NDArray[np.int64]


def enabled() -> bool:
    """Say whether the projection may take its shortcuts: the network index, a server's pair aggregates."""
    return os.environ.get("KG_NETINDEX", "1").strip().lower() not in ("0", "no", "off", "false")


# ---------------------------------------------------------------- packed string tables


def _small(values: Iterable[int] | IntArray, low: int = -1) -> npt.NDArray[Any]:
    """Return ``values`` as the smallest signed integer array that holds them."""
    array = np.asarray(values, dtype=np.int64) if not isinstance(values, np.ndarray) else values
    high = int(array.max()) if array.size else 0
    for dtype in (np.int8, np.int16, np.int32):
        info = np.iinfo(dtype)
        if info.min <= low and high <= info.max:
            return array.astype(dtype)
    return array.astype(np.int64)


def _pack(name: str, strings: list[str]) -> dict[str, npt.NDArray[Any]]:
    """Pack strings as a table of prefixes (up to the last ``/`` or ``#``) and a blob of the rest."""
    prefixes: dict[str, int] = {}
    codes, parts = [], []
    for text in strings:
        cut = max(text.rfind("/"), text.rfind("#")) + 1
        codes.append(prefixes.setdefault(text[:cut], len(prefixes)))
        parts.append(text[cut:].encode("utf-8"))
    offsets = np.zeros(len(parts) + 1, dtype=np.int64)
    np.cumsum([len(p) for p in parts], out=offsets[1:])
    return {
        f"{name}.prefixes": np.array(json.dumps(list(prefixes))),
        f"{name}.prefix": _small(codes, 0),
        f"{name}.blob": np.frombuffer(b"".join(parts), dtype=np.uint8),
        f"{name}.offsets": offsets.astype(np.uint32 if offsets[-1] < 2**32 else np.int64),
    }


class _Strings:
    """A packed string table, decoded entry by entry on demand."""

    def __init__(self, arrays: Any, name: str):
        self.prefixes: list[str] = json.loads(str(arrays[f"{name}.prefixes"]))
        self.prefix = arrays[f"{name}.prefix"]
        self.blob = arrays[f"{name}.blob"].tobytes()
        self.offsets = arrays[f"{name}.offsets"].astype(np.int64)
        self.text = self.blob.decode("utf-8") if self.blob.isascii() else None

    def __len__(self) -> int:
        return len(self.prefix)

    def __getitem__(self, i: int) -> str:
        start, end = int(self.offsets[i]), int(self.offsets[i + 1])
        local = self.text[start:end] if self.text is not None else self.blob[start:end].decode("utf-8")
        return str(self.prefixes[int(self.prefix[i])] + local)

    def many(self, codes: IntArray) -> list[str]:
        """Return the strings of ``codes`` (in their order)."""
        starts, ends = self.offsets[codes].tolist(), self.offsets[codes + 1].tolist()
        prefixes = [self.prefixes[p] for p in self.prefix[codes].tolist()]
        if self.text is not None:
            text = self.text
            return [p + text[s:e] for p, s, e in zip(prefixes, starts, ends, strict=True)]
        blob = self.blob
        return [p + blob[s:e].decode("utf-8") for p, s, e in zip(prefixes, starts, ends, strict=True)]

    def all(self) -> list[str]:
        return self.many(np.arange(len(self)))


# ---------------------------------------------------------------- building


def scan(engine: ox.Store, name: str) -> Iterator[tuple[str, str, bool]]:
    """Yield (subject, object, subject is a blank node) of every triple of ``dip:NAME``."""
    answer = engine.query(f"SELECT ?s ?o WHERE {{ ?s <{DIP}{name}> ?o }}", **oxigraph_dataset())
    assert isinstance(answer, ox.QuerySolutions)
    for solution in answer:
        subject, value = solution[0], solution[1]
        assert subject is not None and value is not None
        yield subject.value, value.value, isinstance(subject, ox.BlankNode)


def _multi(engine: ox.Store, name: str, blank: set[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    for subject, value, is_blank in scan(engine, name):
        found[subject].append(value)
        if is_blank:
            blank.add(subject)
    return found


def _least(engine: ox.Store, name: str) -> dict[str, str]:
    found: dict[str, str] = {}
    get = found.get
    for subject, value, _ in scan(engine, name):
        known = get(subject)
        if known is None or value < known:
            found[subject] = value
    return found


def _cores(
    engine: ox.Store, blank: set[str], step: Callable[[str], None]
) -> dict[str, list[tuple[str, str, str, bool]]]:
    # The rows of the projection's core patterns: type x actor x target of each event, type x
    # subject x object of each standing relation (a join read as three scans).
    cores: dict[str, list[tuple[str, str, str, bool]]] = defaultdict(list)
    for standing, names in ((False, ("eventType", "actor", "target")), (True, ("relationType", "subject", "object"))):
        kinds, lefts, rights = (_multi(engine, name, blank) for name in names)
        step(names[0])
        for item, types in kinds.items():
            for type_ in types:
                for a in lefts.get(item, ()):
                    for b in rights.get(item, ()):
                        cores[item].append((type_, a, b, standing))
    return cores


class _Coder:
    """Codes values in the order first seen; :meth:`ranks` turns them into ranks in sorted order."""

    def __init__(self) -> None:
        self.codes: dict[Any, int] = {}

    def __call__(self, value: Any) -> int:
        return self.codes.setdefault(value, len(self.codes))

    def ranks(self, column: list[int]) -> tuple[list[Any], npt.NDArray[Any]]:
        """Return the sorted table of values and ``column`` coded by rank in it (-1 stays -1)."""
        table = list(self.codes)
        order = sorted(range(len(table)), key=table.__getitem__)
        rank = np.empty(len(table) + 1, dtype=np.int64)
        rank[order] = np.arange(len(table))
        rank[-1] = -1  # the code -1 (none) indexes the last slot
        return [table[i] for i in order], _small(rank[np.asarray(column, dtype=np.int64)])


@dataclass
class _Read:
    """What the scans found, by item."""

    cores: dict[str, list[tuple[str, str, str, bool]]]
    days: dict[str, dict[str, str]]
    claims: dict[str, set[str]]
    occurrences: dict[str, str]
    sources: dict[str, str]
    blank: bool


def _read_store(engine: ox.Store, progress: Progress | None) -> _Read:
    steps = 4 + len(_DAYS) + len(_CLAIMS)
    done = 0

    def step(what: str) -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, steps, what)

    blank: set[str] = set()
    cores = _cores(engine, blank, step)
    days = {}
    for name in _DAYS:
        days[name] = _least(engine, name)
        step(name)
    claims: dict[str, set[str]] = defaultdict(set)
    for name in _CLAIMS:
        for item, found in _multi(engine, name, set()).items():
            claims[item].update(found)
        step(name)
    occurrences = _least(engine, "occurrence")
    step("occurrence")
    sources = _least(engine, "source")
    step("source")
    return _Read(cores, days, claims, occurrences, sources, bool(blank & cores.keys()))


def build_index(engine: ox.Store, *, progress: Progress | None = None) -> dict[str, npt.NDArray[Any]]:
    """Read what the projection needs from the default graph of ``engine``; return the arrays.

    The header is added by :func:`write_index`.
    """
    read = _read_store(engine, progress)
    items = sorted(read.cores)
    columns: tuple[list[int], ...] = ([], [], [], [], [], [], [])  # item, type, a, b, when, claim, occurrence
    adds = [column.append for column in columns]
    types, nodes, whens, claims, occurrences = _Coder(), _Coder(), _Coder(), _Coder(), _Coder()
    date, end, start, by, seen, before = (read.days[name] for name in _DAYS)
    for number, item in enumerate(items):
        occurrence = read.occurrences.get(item)
        occurring = -1 if occurrence is None else occurrences(occurrence)
        found = read.claims.get(item)
        for type_, a, b, standing in read.cores[item]:
            if standing:
                began, held = start.get(item), by.get(item)
                when = whens((began or held or seen.get(item), end.get(item), held, began, before.get(item), True))
                claimed = [-1]
            else:
                when = whens((date.get(item), end.get(item), None, None, None, False))
                claimed = [claims(c) for c in found] if found else [-1]
            coded = (number, types(type_), nodes(a), nodes(b), when)
            for claim in claimed:
                for add, value in zip(adds, (*coded, claim, occurring), strict=True):
                    add(value)
    type_table, type_codes = types.ranks(columns[1])
    node_table, a_codes = nodes.ranks(columns[2])
    _, b_codes = nodes.ranks(columns[3])
    claim_table, claim_codes = claims.ranks(columns[5])
    occurrence_table, occurrence_codes = occurrences.ranks(columns[6])
    documents = _Coder()  # the least source of each item, by item number
    source_table, source_codes = documents.ranks(
        [-1 if (document := read.sources.get(item)) is None else documents(document) for item in items]
    )
    when_table = list(whens.codes)
    days = sorted({v for w in when_table for v in w[:5] if v is not None})
    day_rank = {d: i for i, d in enumerate(days)}
    arrays: dict[str, npt.NDArray[Any]] = {
        "item": _small(columns[0], 0),
        "type": type_codes,
        "a": a_codes,
        "b": b_codes,
        "when": _small(columns[4], 0),
        "when.days": _small(
            np.array([[-1 if v is None else day_rank[v] for v in w[:5]] for w in when_table], dtype=np.int64).reshape(
                -1, 5
            )
        ),
        "when.standing": np.array([w[5] for w in when_table], dtype=bool),
        "claim": claim_codes,
        "occurrence": occurrence_codes,
        "source": source_codes,
        "blank": np.array(read.blank),
    }
    tables = (("items", items), ("types", type_table), ("nodes", node_table), ("days", days))
    for name, table in (*tables, ("claims", claim_table), ("occurrences", occurrence_table), ("sources", source_table)):
        arrays.update(_pack(name, table))
    return arrays


def _identity(folder: Path) -> str:
    try:
        return (folder / "IDENTITY").read_text(encoding="utf-8").strip()
    except OSError:
        return ""


def write_index(
    folder: str | Path,
    engine: ox.Store | None = None,
    *,
    generation: int | None = None,
    progress: Progress | None = None,
) -> Path:
    """Build the index of the Oxigraph store in ``folder`` and write it there, atomically.

    Parameters
    ----------
    folder : str or Path
        The store's folder.
    engine : pyoxigraph.Store, optional
        The store, already open (by the writer that just wrote it); opened read-only otherwise.
    generation : int, optional
        The store's generation; read from its stamp by default.
    progress : callable, optional
        Called as ``progress(done, total, step)`` while the store is read.

    Returns
    -------
    Path
        The index file.

    Raises
    ------
    EngineError
        The index cannot be written (nothing half-written is left).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp()) / "store"
    >>> with OxigraphStore(folder) as store:
    ...     store.update("INSERT DATA { <urn:x:e> dip:eventType dip:condemns ; dip:actor <urn:x:a> ; "
    ...                  "dip:target <urn:x:b> ; dip:date '2024-01-02' }")
    >>> write_index(folder).name
    'kg-netindex.npz'
    >>> with OxigraphStore(folder, read_only=True) as store:
    ...     index = index_for(store)
    ...     len(index), index.nodes, index.header["generation"] == read_stamp(folder).generation
    (1, ['urn:x:a', 'urn:x:b'], True)
    """
    folder = Path(folder)
    if generation is None:
        stamp = read_stamp(folder)
        generation = stamp.generation if stamp is not None else 0
    opened = engine is None
    if engine is None:
        engine = ox.Store.read_only(str(folder))
    try:
        arrays = _arrays(folder, engine, generation, progress)
    finally:
        if opened:
            del engine
    return _save(folder, arrays)


def _arrays(folder: Path, engine: ox.Store, generation: int, progress: Progress | None) -> dict[str, npt.NDArray[Any]]:
    arrays = build_index(engine, progress=progress)
    header = {"format": _KIND, "version": INDEX_VERSION, "generation": generation, "store": _identity(folder)}
    arrays["header"] = np.array(json.dumps(header))
    return arrays


def _save(folder: Path, arrays: dict[str, npt.NDArray[Any]]) -> Path:
    target = folder / INDEX_NAME
    for left in leftovers(folder):  # of a writer killed while it wrote the index
        if left.name.startswith(f".{INDEX_NAME}"):
            left.unlink(missing_ok=True)

    def write(temp: Path) -> None:
        with temp.open("wb") as handle:
            np.savez(handle, allow_pickle=False, **arrays)  # type: ignore[arg-type]
            handle.flush()
            os.fsync(handle.fileno())

    try:
        atomic_write(target, write)
    except OSError as exc:
        raise EngineError(f"cannot write the network index {target}: {exc}; check the folder is writable") from exc
    log.info("network index of %s: %d rows, %d bytes", folder, len(arrays["item"]), target.stat().st_size)
    return target


# ---------------------------------------------------------------- reading


class NetIndex:
    """A loaded index: the coded rows and their string tables."""

    def __init__(self, arrays: Any, header: dict[str, Any]):
        self.header = header
        self.item: IntArray = arrays["item"].astype(np.int64)
        self.type: IntArray = arrays["type"].astype(np.int64)
        self.a: IntArray = arrays["a"].astype(np.int64)
        self.b: IntArray = arrays["b"].astype(np.int64)
        self.when: IntArray = arrays["when"].astype(np.int64)
        self.when_days: IntArray = arrays["when.days"].astype(np.int64).reshape(-1, 5)
        self.when_standing: npt.NDArray[np.bool_] = arrays["when.standing"]
        self.claim: IntArray = arrays["claim"].astype(np.int64)
        self.occurrence: IntArray = arrays["occurrence"].astype(np.int64)
        self.source: IntArray = arrays["source"].astype(np.int64)
        """The least source of each item (by item code; -1: none), a code into :attr:`sources`."""
        self.blank = bool(arrays["blank"])
        self.items = _Strings(arrays, "items")
        self.types = _Strings(arrays, "types").all()
        self.nodes = _Strings(arrays, "nodes").all()
        self.days = _Strings(arrays, "days").all()
        self.claims = _Strings(arrays, "claims").all()
        self.sources = _Strings(arrays, "sources")

    def __len__(self) -> int:
        return len(self.item)

    def day(self, code: int) -> str | None:
        return None if code < 0 else self.days[code]


def _read(file: Path) -> tuple[Any, dict[str, Any]] | None:
    try:
        with file.open("rb") as handle, np.load(handle, allow_pickle=False) as found:
            arrays = dict(found)
        header = json.loads(str(arrays["header"]))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
        log.warning("the network index %s is damaged (%s): it is rebuilt", file, exc)
        return None
    return arrays, header


def _fresh(header: dict[str, Any], folder: Path, generation: int) -> str:
    """Say why the index with ``header`` does not describe the store in ``folder`` ("" if it does)."""
    if header.get("format") != _KIND or header.get("version") != INDEX_VERSION:
        return f"an index of another format ({header.get('format')} {header.get('version')})"
    if header.get("store") != _identity(folder):
        return "the index of another store"
    if header.get("generation") != generation:
        return f"stale (generation {header.get('generation')}, the store is at {generation})"
    return ""


def index_for(store: Store, *, progress: Progress | None = None) -> NetIndex | None:
    """Return the fresh index of ``store``, rebuilding it when stale; None when it has none.

    Only an Oxigraph store on disk, open read-only and read over the project's dataset (no
    graphs chosen), has an index. One missing, damaged, of another store, of another format or
    of an older generation is rebuilt and saved (kept in memory for this process when the folder
    cannot be written), with ``progress`` (by default a :class:`kg.ProgressBar`, drawn on a
    terminal only);
    the caller holds the store open, so its lock keeps writers out meanwhile.
    ``KG_NETINDEX=0`` turns the index off.
    """
    if not (
        enabled()
        and isinstance(store, OxigraphStore)
        and store.path is not None
        and store.read_only  # a writable store changes with no new generation until it is closed
        and store.dataset == oxigraph_dataset()  # the project's dataset, no graphs chosen
    ):
        return None
    folder = store.path
    stamp = read_stamp(folder)
    generation = stamp.generation if stamp is not None else 0
    file = folder / INDEX_NAME
    try:
        stat = file.stat()
        seen: tuple[str, int, str, int, int] | None = (
            str(file.resolve()),
            generation,
            _identity(folder),
            stat.st_mtime_ns,
            stat.st_size,
        )
    except OSError:
        seen = None
    if seen is not None and seen in _READ:
        return _READ[seen]
    found = _read(file)
    why = "missing" if found is None else _fresh(found[1], folder, generation)
    if not why:
        assert found is not None
        index = NetIndex(found[0], found[1])
        _READ.clear()  # the last one read: one command asks for one store's index several times
        if seen is not None:
            _READ[seen] = index
        return index
    key = (str(folder.resolve()), generation, _identity(folder))
    kept = _UNSAVED.get(key)
    if kept is not None:
        return kept
    log.warning("network index of %s %s: rebuilding it", folder, why)
    # A rebuild happens inside a projection asked for something else and takes seconds a million
    # events: without a ``progress`` of the caller's, a bar says so on a terminal (none when piped).
    with ProgressBar("rebuilding the network index", unit="items") if progress is None else nullcontext() as bar:
        arrays = _arrays(folder, store.ox, generation, progress or bar)
    index = NetIndex(arrays, json.loads(str(arrays["header"])))
    try:
        _save(folder, arrays)
    except EngineError as exc:
        log.warning("cannot save the network index of %s (%s): kept in memory for this process", folder, exc)
        _UNSAVED.clear()  # one at a time: a stale one is never asked for again
        _UNSAVED[key] = index
    return index


_READ: dict[tuple[str, int, str, int, int], NetIndex] = {}
"""The index last read (by file, generation, store, modification time and size), kept for this process."""

_UNSAVED: dict[tuple[str, int, str], NetIndex] = {}
"""The index of a store whose folder cannot be written, built once per process and generation."""
