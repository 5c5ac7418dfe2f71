"""Batches: each load or ingest into an Oxigraph store, with its provenance, and how to retract it.

Every ``kg load --store`` and ``kg ingest --store`` is recorded in the store folder
(``kg-batches/ID.json``): the files read with their SHA-256 and size, the time, the command and
its options, and the triples the batch asserted (``kg-batches/ID.nt.gz``, N-Triples as Oxigraph
writes them; for the batch that made the store, the ontology's and the data's graphs, never the
derived edges). :func:`retract` removes a batch: its triples that no other batch asserts, then
derives the actor-to-actor edges (:mod:`kg._derivation`) again, so none stays that no event nor
standing relation supports any more. So a corrected table replaces the old one: ``kg retract ID``
then ``kg ingest`` again.

Triples with blank nodes cannot be told apart from another parse's and are never retracted
(the ontology has some; ingested events have none).
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import logging
import shutil
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg._derivation import derive
from kg._errors import EngineError, UnknownNameError
from kg._files import atomic_write
from kg._graphs import ASSERTED_GRAPH, DERIVED_GRAPH, ONTOLOGY_GRAPH
from kg._locking import StoreLock, check_store
from kg._store import OxigraphStore

__all__ = ["BATCHES_DIR", "Batch", "copy_batches", "list_batches", "record_batch", "retract"]

log = logging.getLogger(__name__)

_DERIVED = ox.NamedNode(DERIVED_GRAPH)
_STATED = (ox.NamedNode(ONTOLOGY_GRAPH), ox.NamedNode(ASSERTED_GRAPH), ox.DefaultGraph())
"""The graphs a batch's triples are taken out of (the store's default graph: written by updates)."""

BATCHES_DIR = "kg-batches"
"""The folder of batch records inside a store folder."""


@dataclass(frozen=True)
class Batch:
    """One load or ingest into a store.

    Attributes
    ----------
    id : str
        ``1``, ``2``, ... in the order of writing.
    time : str
        When it was written (UTC, ISO 8601).
    command : str
        ``load`` or ``ingest``.
    files : list of dict
        ``{"path", "sha256", "bytes"}`` of every file read.
    options : dict
        The options it was run with.
    triples : int
        The triples it asserted (some may have been in the store already).

    Examples
    --------
    >>> import dataclasses, kg
    >>> [field.name for field in dataclasses.fields(kg.Batch)]
    ['id', 'time', 'command', 'files', 'options', 'triples']
    """

    id: str
    time: str
    command: str
    files: list[dict[str, Any]] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)
    triples: int = 0


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def list_batches(store: str | Path) -> list[Batch]:
    """Return the batches recorded in the store folder ``store``, oldest first.

    >>> import tempfile
    >>> list_batches(tempfile.mkdtemp())
    []
    """
    folder = Path(store) / BATCHES_DIR
    if not folder.is_dir():
        return []
    batches = [Batch(**json.loads(f.read_text(encoding="utf-8"))) for f in folder.glob("*.json")]
    return sorted(batches, key=lambda b: int(b.id))


def copy_batches(source: str | Path, target: str | Path) -> None:
    """Copy the batch records of the store ``source`` into the store folder ``target``."""
    folder = Path(source) / BATCHES_DIR
    if folder.is_dir():
        shutil.copytree(folder, Path(target) / BATCHES_DIR, dirs_exist_ok=True)


def record_batch(
    store: str | Path,
    *,
    command: str,
    inputs: Iterable[str | Path],
    options: Mapping[str, Any],
    triples: Iterable[tuple[Path, ox.RdfFormat]] = (),
    dump: bool = False,
) -> Batch:
    """Record a batch in the store folder ``store`` (under the writers' lock); return it.

    Parameters
    ----------
    store : str or Path
        The store folder (its store closed).
    command : str
        ``load`` or ``ingest``.
    inputs : iterable of str or Path
        The files read (their checksums are recorded).
    options : mapping
        The options of the command.
    triples : iterable of (Path, RdfFormat)
        The RDF files holding the triples the batch asserted.
    dump : bool, default False
        Take the triples from the whole store instead (a store the batch created).
    """
    folder = Path(store) / BATCHES_DIR
    folder.mkdir(exist_ok=True)
    number = max((int(b.id) for b in list_batches(store)), default=0) + 1
    count = 0

    def write(temporary: Path) -> None:
        nonlocal count
        with gzip.open(temporary, "wb", compresslevel=1) as out:
            if dump:
                engine = ox.Store.read_only(str(store))
                quads: Iterator[Any] = (
                    q
                    for q in engine.quads_for_pattern(None, None, None, None)  # every graph, the derived one aside
                    if q.graph_name != _DERIVED
                )
                count += _write(out, quads)
                del engine
            for path, fmt in triples:
                count += _write(out, ox.parse(path=str(path), format=fmt))

    atomic_write(folder / f"{number}.nt.gz", write)
    batch = Batch(
        id=str(number),
        time=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        command=command,
        files=[
            {"path": str(Path(p).resolve()), "sha256": _sha256(Path(p)), "bytes": Path(p).stat().st_size}
            for p in inputs
        ],
        options=dict(options),
        triples=count,
    )
    text = json.dumps(asdict(batch), indent=1)
    atomic_write(folder / f"{number}.json", lambda temporary: temporary.write_text(text, encoding="utf-8"))
    return batch


def _write(out: Any, quads: Iterable[Any]) -> int:
    count = 0
    for quad in quads:
        out.write(f"{quad.subject} {quad.predicate} {quad.object} .\n".encode())
        count += 1
    return count


def _lines(path: Path) -> Iterator[str]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        yield from handle


def retract(store: str | Path, batch: str) -> int:
    """Remove the batch ``batch`` from the store folder ``store``; return the triples removed.

    Its triples that another batch also asserted stay; the derived edges left without an event
    or standing relation behind them go. The batch's record is removed last, so a retraction
    stopped half-way is completed by running it again.

    Raises
    ------
    UnknownNameError
        No such batch (with the batches there are).
    EngineError
        No store there, or it cannot be written.

    Examples
    --------
    >>> import kg, tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp()) / "store"
    >>> _ = kg.build_store(folder)
    >>> (only,) = kg.list_batches(folder)
    >>> kg.retract(folder, only.id) > 0  # the triples taken out
    True
    """
    path = Path(store)
    check_store(path)
    lock = StoreLock(path)
    with lock.writing():
        batches = list_batches(path)
        found = next((b for b in batches if b.id == str(batch)), None)
        if found is None:
            raise UnknownNameError(
                "batch", str(batch), [b.id for b in batches][-5:], hint=f"'kg batches --store {path}' lists them"
            )
        folder = path / BATCHES_DIR
        mine = {line for line in _lines(folder / f"{found.id}.nt.gz") if "_:" not in line}
        for other in batches:
            if other.id != found.id and mine:
                mine.difference_update(line for line in _lines(folder / f"{other.id}.nt.gz") if line in mine)
        opened = OxigraphStore(path, lock=lock)
        try:
            before = len(opened)
            try:
                for quad in ox.parse("".join(sorted(mine)).encode("utf-8"), ox.RdfFormat.N_TRIPLES):
                    for graph in _STATED:
                        opened.ox.remove(ox.Quad(quad.subject, quad.predicate, quad.object, graph))
            except SyntaxError as exc:  # pragma: no cover - the record is written by Oxigraph
                raise EngineError(f"the record of batch {found.id} is damaged: {exc}") from exc
            # The derived edges, derived again from what is left: none stays without its support.
            opened.ox.clear_graph(ox.NamedNode(DERIVED_GRAPH))
            derive(opened)
            removed = before - len(opened)
        finally:
            opened.close()
        (folder / f"{found.id}.json").unlink()
        (folder / f"{found.id}.nt.gz").unlink()
    log.info("batch %s retracted: %d triples removed", found.id, removed)
    return removed
