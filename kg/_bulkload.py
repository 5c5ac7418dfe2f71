"""Building a persistent Oxigraph store from RDF files: validated, derived, all or nothing.

:func:`build_store` writes the ontology, the default graph (unless left out) and the user's files
into an on-disk Oxigraph store, with the actor-to-actor edges derived. It builds in a fresh folder
beside the target and renames it into place only when everything has loaded, so an error (a file
that does not parse, data that breaks the shapes, a full disk) leaves the target as it was.

The data (the default graph and the user's files) is first checked against the SHACL shapes in an
in-memory Oxigraph store (the shapes compiled into SPARQL, :mod:`kg._validation`: some 20,000+
events a second, whatever the size; on the store on disk the same checks take 3x longer). Then
every input goes through Oxigraph's bulk loader, which streams the files without holding them, and
is derived inside Oxigraph. Validation is skipped only when asked (``validate=False``), never
because of the size.
"""

from __future__ import annotations

import gc
import logging
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from kg._batches import copy_batches, record_batch
from kg._cache import default_graph
from kg._derivation import derive
from kg._errors import EngineError, InputError, KGError, ParseError, ValidationError
from kg._files import is_empty_folder, remove_leftovers, temp_path
from kg._graphs import ASSERTED_GRAPH, GRAPHS, ONTOLOGY_GRAPH
from kg._loading import OX_FORMATS, check_entities, collect_files, ontology_files, parse_file, read_dataset
from kg._locking import StoreLock, check_store, write_stamp
from kg._netindex import write_index
from kg._resources import default_data_files
from kg._store import MemoryStore, OxigraphStore, Store
from kg._validation._engine import oxigraph_parse_error as _parse_error

__all__ = ["MODES", "build_store", "load"]

log = logging.getLogger(__name__)

MODES = ("new", "append", "replace")
"""What :func:`build_store` may do to the target folder."""

Progress = Callable[[int, int, str], None]
"""``progress(done, total, what)``: bytes read so far, bytes in all, the file being read."""


class _Counting:
    """A binary file that reports how far it has been read."""

    def __init__(self, handle: IO[bytes], report: Callable[[int], None]):
        self.handle, self.report = handle, report

    def read(self, size: int = -1) -> bytes:
        chunk = self.handle.read(size)
        self.report(len(chunk))
        return chunk

    def readinto(self, buffer: Any) -> int:
        count = self.handle.readinto(buffer)  # type: ignore[attr-defined]
        self.report(count or 0)
        return int(count or 0)


def build_store(
    path: str | Path,
    sources: Iterable[str | Path] = (),
    *,
    default: bool = True,
    validate: bool | None = True,
    mode: str = "new",
    progress: Progress | None = None,
) -> int:
    """Build (or extend) the Oxigraph store in the folder ``path``; return its number of triples.

    Parameters
    ----------
    path : str or Path
        The store's folder.
    sources : iterable of str or Path
        RDF files or folders to load (``.ttl``, ``.nt``, ``.n3``, ``.rdf``, ``.owl``, ``.xml``).
    default : bool, default True
        Include the default graph shipped with the package.
    validate : bool, default True
        Check the data (the default graph and ``sources``) against the SHACL shapes and refuse it
        if it does not conform; ``False`` skips the check (``None`` means True).
    mode : {"new", "append", "replace"}
        ``new`` refuses a folder that holds anything; ``append`` adds to the store there;
        ``replace`` builds a new store in its place.
    progress : callable, optional
        Called as ``progress(done_bytes, total_bytes, file)`` while files load, then as
        ``progress(done_checks, total_checks, "validation")`` while the data is validated.

    Raises
    ------
    InputError
        A missing file, a folder that is not empty (in ``new`` mode), an unknown mode.
    ParseError
        A file that does not parse (file:line:column); nothing is written.
    ValidationError
        Data that breaks the shapes; nothing is written.
    EngineError
        The store cannot be written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp()) / "store"
    >>> build_store(folder) > 5000
    True
    >>> build_store(folder)
    Traceback (most recent call last):
    ...
    kg._errors.InputError: ... is not empty: pass mode='replace' to rebuild it or mode='append' to add to it
    """
    if mode not in MODES:
        raise InputError(f"unknown mode {mode!r}; use one of {', '.join(MODES)}")
    path = Path(path)
    files = collect_files(sources)
    if path.exists() and not path.is_dir():
        raise InputError(f"{path} is a file, not a store folder")
    data = (default_data_files() if default else []) + files
    validate = validate is not False
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise EngineError(f"cannot create the folder of the store {path}: {exc}") from exc
    lock = StoreLock(path)
    with lock.writing():  # one writer at a time: no append is lost; readers go on meanwhile
        remove_leftovers(path.parent)  # of writers that were killed (none can be running now)
        if mode == "new" and not is_empty_folder(path):
            raise InputError(f"{path} is not empty: pass mode='replace' to rebuild it or mode='append' to add to it")
        if mode == "append" and is_empty_folder(path):
            mode = "new"
        generation = 0
        if mode == "append" or (mode == "replace" and not is_empty_folder(path)):
            try:
                stamp = check_store(path)
            except EngineError:
                if mode == "append" or not (path / "CURRENT").is_file():
                    raise  # replace only a store (of any layout), never a folder of other files
                stamp = None
            generation = stamp.generation if stamp is not None else 0
        return _build(
            path,
            lock,
            files,
            data,
            default=default,
            validate=validate,
            mode=mode,
            generation=generation,
            progress=progress,
        )


def _build(
    path: Path,
    lock: StoreLock,
    files: list[Path],
    data: list[Path],
    *,
    default: bool,
    validate: bool,
    mode: str,
    generation: int,
    progress: Progress | None,
) -> int:
    try:
        work = temp_path(path, "building")
        work.mkdir()
    except OSError as exc:
        raise EngineError(f"cannot write beside the store {path}: {exc}") from exc
    target = work / "store"
    try:
        if mode == "append":
            try:
                old = ox.Store.read_only(str(path))
                old.backup(str(target))
                del old
                write_stamp(target, generation=generation)
            except OSError as exc:
                raise EngineError(f"cannot read the store {path} to add to it: {exc}") from exc
        store: OxigraphStore | None = OxigraphStore(target)  # its lock lives in the work folder
        assert store is not None
        if validate:  # in memory first, where the checks take a third of their CPU on disk
            from kg._validation import validate_files

            report = validate_files(files, default=default, progress=_checks(progress))
            if not report.conforms:
                raise ValidationError(report)
        _bulk(store, [*ontology_files(), *data], progress, ontology=len(ontology_files()))
        store.keep_disjoint()
        derive(store)
        count = len(store)
        store.close()
        del store
        write_stamp(target, generation=generation + 1)
        write_index(target, generation=generation + 1)  # swapped in with the store it describes
        if mode == "append":
            copy_batches(path, target)
        record_batch(
            target,
            command="load",
            inputs=files,
            options={"mode": mode, "validate": validate, "default": default},
            triples=[(f, OX_FORMATS[f.suffix]) for f in files] if mode == "append" else (),
            dump=mode != "append",
        )
        with lock.exclusive():  # no reader has the old store open while it is swapped
            _swap(work, target, path)
    except KGError as exc:
        # The tracebacks hold the half-built store open, and RocksDB writes its folder again when
        # the store is finally dropped: let go of them first, then remove the folder.
        store = None  # noqa: F841 - drops this frame's reference
        _forget_tracebacks(exc)
        gc.collect()
        shutil.rmtree(work, ignore_errors=True)
        raise exc from exc.__cause__
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    log.info("store %s: %d triples", path, count)
    return count


def _forget_tracebacks(exc: BaseException) -> None:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        current.__traceback__ = None
        current = current.__cause__ or current.__context__


def _bulk(store: OxigraphStore, files: list[Path], progress: Progress | None, *, ontology: int = 0) -> None:
    """Bulk-load ``files``: the first ``ontology`` into the ontology's graph, the others into the asserted graph."""
    total = sum(f.stat().st_size for f in files)
    done = 0

    def report(count: int) -> None:
        nonlocal done
        done += count
        if progress is not None:
            progress(done, total, current.name)

    for number, current in enumerate(files):
        graph = ox.NamedNode(ONTOLOGY_GRAPH if number < ontology else ASSERTED_GRAPH)
        fmt = OX_FORMATS.get(current.suffix)
        if fmt is None:
            raise InputError(f"{current}: cannot bulk-load files ending {current.suffix!r}")
        if fmt == ox.RdfFormat.RDF_XML:
            check_entities(current)  # Oxigraph would expand them all
        try:
            with current.open("rb") as handle:
                reader: Any = _Counting(handle, report)  # a file object to Oxigraph
                store.ox.bulk_load(reader, fmt, to_graph=graph)
        except SyntaxError as exc:
            raise _parse_error(current, exc) from exc
        except MemoryError as exc:  # Oxigraph's parser: "Reached the buffer maximal size"
            raise ParseError(
                current,
                None,
                None,
                f"{exc}: a literal, IRI or line too long for Oxigraph's "
                "parser; shorten it, or load the file with validation (rdflib)",
            ) from exc
        except OSError as exc:
            raise EngineError(f"cannot write the store while loading {current}: {exc}") from exc


def _checks(progress: Progress | None) -> Callable[[int, int], None] | None:
    """Report validation's checks to a loading progress callback."""
    if progress is None:
        return None
    report = progress
    return lambda done, total: report(done, total, "validation")


def _swap(work: Path, built: Path, path: Path) -> None:
    """Put the built store at ``path``: rename the old one aside, the new one in, drop the old."""
    old = None
    if path.exists():
        old = work / "old"
        path.rename(old)
    try:
        built.rename(path)
    except OSError:
        if old is not None:
            old.rename(path)
        raise
    shutil.rmtree(work, ignore_errors=True)


def load(
    *paths: str | Path,
    default: bool = True,
    validate: bool = False,
    store: Store | None = None,
) -> Store:
    """Load the knowledge graph: ontology, default data and extra files, relations derived.

    Parameters
    ----------
    *paths : str or Path
        Extra RDF files or folders to add.
    default : bool, default True
        Include the default graph shipped with the package (the seed report).
    validate : bool, default False
        Check the data against the SHACL shapes first and refuse it if it does not conform.
    store : Store, optional
        The engine to load into (an Oxigraph store, an endpoint); a new in-memory store by
        default. Nothing is added to it unless every file parses (and conforms).

    Returns
    -------
    Store
        The engine holding the graph.

    Raises
    ------
    ParseError
        A file does not parse.
    ValidationError
        With ``validate=True``, the data breaks a shape.

    Examples
    --------
    >>> import kg
    >>> graph = kg.load()
    >>> bool(graph.query("ASK { ?e a dip:Event }"))
    True
    """
    if default and not validate:  # the default graph, derived, from the cache when fresh (kg._cache)
        memory = MemoryStore(default_graph())
        for path in collect_files(paths):
            parse_file(path, memory.named(ASSERTED_GRAPH))
        if paths:
            memory.keep_disjoint()
    else:
        dataset, files = read_dataset(paths, default=default)
        memory = MemoryStore(dataset)
        if validate:
            from kg._validation import check  # pySHACL loads only to validate

            check(memory.to_graph(), files=files)
    if paths or not default or validate:
        derive(memory)
    if store is None:
        return memory
    for iri in GRAPHS.values():  # each graph into its own
        store.add_graph(memory.named(iri), into=iri)
    return store
