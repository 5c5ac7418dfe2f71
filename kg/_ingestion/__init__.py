"""Ingestion: event tables, GDELT 2.0 exports and ICEWS extracts into the graph.

:func:`ingest` reads a file row by row (constant memory whatever its size), checks every row,
and only when the whole file is good (or ``skip_bad_rows=True``) writes the events: to a Turtle
file in a folder, or into a store (Oxigraph bulk-loads them). Names resolve against the graph
the events go into (the store, or the ontology and default data for a folder): relation types by
name, label or CAMEO code, actors by label, alias, IRI, ``dip:actorCode`` or Wikidata ID.
Actors the graph lacks are created (or refused with ``strict=True``) and listed in the report.
IRIs are deterministic (``id:event/gdelt/GLOBALEVENTID``, ``id:event/icews/ID``,
``id:event/csv/HASH``), so ingesting the same file twice adds nothing.

The format modules say how each format maps: :mod:`kg._ingestion.table`, :mod:`kg._ingestion.gdelt`,
:mod:`kg._ingestion.icews`; :mod:`kg._ingestion.sectors` reads the shipped tables of ICEWS sectors and
GDELT actor types that tie dataset actors to their states. Events with the same type, actor,
targets and day point at one ``dip:occurrence``, which the network counts once. The report lists
what could not be resolved (kept as text) and the names that resolved to actors the graph had.
"""

from __future__ import annotations

import contextlib
import gc
import gzip
import io
import logging
import os
import shutil
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox
from rdflib import Graph

from kg._batches import record_batch
from kg._errors import EngineError, IngestError, InputError, ParseError
from kg._files import publish
from kg._ingestion._build import BadRow, Builder, CreatedActor, IngestReport, Merged, Unresolved
from kg._ingestion._index import GraphIndex
from kg._ingestion._terms import Sink
from kg._ingestion.gdelt import GDELT_COLUMNS, read_gdelt
from kg._ingestion.icews import ICEWS_COLUMNS, read_icews
from kg._ingestion.table import OPTIONAL_COLUMNS, REQUIRED_COLUMNS, read_table
from kg._loading import check_entities, collect_files, ontology_files, parse_file
from kg._locking import StoreLock, remove_leftovers, temp_path, write_stamp
from kg._netindex import write_index
from kg._resources import default_data_files
from kg._store import MemoryStore, OxigraphStore, Store

__all__ = [
    "ATOMIC_LIMIT",
    "FORMATS",
    "GDELT_COLUMNS",
    "ICEWS_COLUMNS",
    "MAX_UNPACKED_RATIO",
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "BadRow",
    "CreatedActor",
    "IngestReport",
    "Merged",
    "Unresolved",
    "ingest",
    "output_path",
]

log = logging.getLogger(__name__)

FORMATS = ("csv", "gdelt", "icews")
"""The formats :func:`ingest` reads."""

ATOMIC_LIMIT = 200_000_000
"""Bytes of N-Triples up to which an ingest into an existing store is one transaction (all or
nothing); above, Oxigraph's bulk loader is used (a kill part-way leaves part of the rows, which
ingesting the file again completes, as event IRIs are deterministic)."""

Progress = Callable[[int, int], None]
"""A progress callback: ``progress(bytes_read, bytes_total)``."""


def output_path(path: str | Path, out_dir: str | Path) -> Path:
    """Return the Turtle file an ingestion of ``path`` writes in ``out_dir``.

    >>> output_path("exports/20180326044500.export.CSV.zip", "out").as_posix()
    'out/20180326044500.export.ttl'
    """
    name = Path(path).name
    for suffix in (".zip", ".gz"):
        name = name.removesuffix(suffix)
    return Path(out_dir) / (Path(name).stem + ".ttl")


def ingest(
    path: str | Path,
    *,
    format: str = "csv",
    store: Store | str | Path | None = None,
    out_dir: str | Path | None = None,
    data: Sequence[str | Path] = (),
    default: bool = True,
    strict: bool = False,
    skip_bad_rows: bool = False,
    force: bool = False,
    progress: Progress | None = None,
) -> IngestReport:
    r"""Ingest an event file into a store or into a Turtle file under a folder.

    Parameters
    ----------
    path : str or Path
        The file: an event table (CSV or TSV with a header), a GDELT 2.0 export (``.CSV``,
        zipped or gzipped or not) or an ICEWS ``.tab`` file.
    format : {"csv", "gdelt", "icews"}, default "csv"
        The file's format.
    store : Store or str or Path, optional
        Load the events into this store (a folder is opened as an Oxigraph store, created when
        missing). Names resolve against what it holds; a store without the ontology first gets
        the ontology and the default data (see ``default``), loaded with the events.
    out_dir : str or Path, optional
        Write the events to ``out_dir/NAME.ttl`` (see :func:`output_path`) instead; names
        resolve against the ontology, the default data and ``data``. Load the file with
        ``kg.load(out_dir)``.
    data : sequence of str or Path
        Extra RDF files or folders whose actors and sources names may resolve to (the file
        being written is left out, so re-ingesting rewrites it whole).
    default : bool, default True
        Resolve against (and, for a new store, load) the default graph shipped with the package.
    strict : bool, default False
        Refuse rows naming actors the graph does not know instead of creating them.
    skip_bad_rows : bool, default False
        Write the good rows and report the bad ones, instead of writing nothing (a file with
        no good row is still refused).
    force : bool, default False
        Replace an output file written from another input of the same name (by default that
        is refused; the same input again always replaces its own file).
    progress : callable, optional
        Called now and then with (bytes read, bytes in all) while reading.

    Returns
    -------
    IngestReport
        Rows read, events written, actors created, bad rows.

    Raises
    ------
    IngestError
        Some rows are bad (each with its row number, column and what is wrong) and
        ``skip_bad_rows`` is False; nothing was written. Also for a file whose header lacks
        a required column.
    InputError
        A missing file, an unknown format, no destination or two, an output folder that is a
        file, an output file another input wrote (without ``force``), a line longer than
        :data:`~kg._ingestion._build.MAX_LINE`, an archive that unpacks past its cap.

    Examples
    --------
    >>> import tempfile, pathlib, kg
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "events.csv").write_text(
    ...     "date,actor,relation,target,source,quote\n"
    ...     "2024-03-01,Turkey,condemns,Freedonia,https://example.org/a,Ankara condemned Freedonia.\n")
    >>> report = ingest(folder / "events.csv", out_dir=folder / "out")
    >>> report.events, [a.label for a in report.actors_created]
    (1, ['Freedonia'])
    >>> graph = kg.load(folder / "out")
    >>> bool(graph.query("ASK { id:turkey dip:condemns <https://w3id.org/dipkg/id/actor/freedonia> }"))
    True
    >>> import shutil; shutil.rmtree(folder)
    """
    started = time.perf_counter()
    path = Path(path)
    if format not in FORMATS:
        raise InputError(f"unknown format {format!r}; use one of {', '.join(FORMATS)}")
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    if (store is None) == (out_dir is None):
        raise InputError("say where the events go: an output folder (-o DIR) or a store (--store DIR), one of them")
    report = IngestReport(path=path, format=format)

    def convert(handle: IO[str], index: GraphIndex, seed: OxigraphStore | None, *, turtle: bool) -> None:
        sink = Sink(handle, turtle=turtle)
        sink.comment(
            f"Events ingested from {path.name} ({format}) by kg ingest; regenerate "
            f"rather than edit by hand.\n{_SOURCE_MARK}{path.resolve()}"
        )
        if seed is not None:
            _write_graph(seed, handle, sink)
        builder = Builder(index, sink, report, strict=strict, derive=not turtle, dataset=format)
        _read(path, format, builder, progress)
        report.triples = sink.triples

    def refuse() -> None:
        if report.bad_rows and (not skip_bad_rows or not report.events):
            raise IngestError(path, [(b.row, b.column, b.message) for b in report.bad_rows], every=bool(skip_bad_rows))

    if out_dir is not None:
        folder = Path(out_dir)
        target = output_path(path, folder)
        report.output = target
        _check_output(path, folder, target, force=force)
        index = GraphIndex(_reference(data, default=default, leave_out=target))
        made = not folder.exists()
        folder.mkdir(parents=True, exist_ok=True)
        remove_leftovers(folder)  # of ingests that were killed
        temp = temp_path(target, "part")
        try:
            with temp.open("w", encoding="utf-8") as handle:
                convert(handle, index, None, turtle=True)
            refuse()
            publish(temp, target)
        except BaseException:
            temp.unlink(missing_ok=True)
            if made:
                shutil.rmtree(folder, ignore_errors=True)  # nothing written: no folder either
            raise
    elif isinstance(store, (str, Path)):
        folder = Path(store)
        lock = StoreLock(folder)
        with lock.writing():  # one writer at a time: the second of two ingests adds to the first's store
            remove_leftovers(folder.parent)  # of writers that were killed (none can be running now)
            options = {
                "format": format,
                "strict": strict,
                "skip_bad_rows": skip_bad_rows,
                "default": default,
                "data": [str(d) for d in data],
            }
            if _is_new(folder) and hasattr(os, "mkfifo"):
                base = _reference(data, default=default, derived=True)
                _build_new_store(
                    folder,
                    lock,
                    lambda handle: convert(handle, GraphIndex(base), base, turtle=False),
                    refuse,
                    lambda built: record_batch(built, command="ingest", inputs=[path], options=options, dump=True),
                )
            else:
                with OxigraphStore(folder, lock=lock) as owned:
                    _into(
                        owned,
                        convert,
                        refuse,
                        data=data,
                        default=default,
                        keep=lambda temp: record_batch(
                            folder,
                            command="ingest",
                            inputs=[path],
                            options=options,
                            triples=[(temp, ox.RdfFormat.N_TRIPLES)],
                        ),
                    )
                    write_index(folder, owned.ox)  # of the generation this open stamped
    else:
        assert isinstance(store, Store)
        _into(store, convert, refuse, data=data, default=default)
    report.seconds = time.perf_counter() - started
    log.info("%s", str(report).splitlines()[0])
    return report


_OX_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".n3": ox.RdfFormat.N3,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
}


_SOURCE_MARK = "kg-ingest-source: "


def _check_output(path: Path, folder: Path, target: Path, *, force: bool) -> None:
    """Refuse an output folder that is a file, and a Turtle file another input wrote."""
    if folder.exists() and not folder.is_dir():
        raise InputError(
            f"{folder} is a file: the output option names the folder the Turtle file "
            f"goes into (it would be {target.name})"
        )
    if target.is_dir():
        raise InputError(f"{target} is a folder: the events of {path.name} cannot be written there")
    if not target.exists() or force:
        return
    with target.open(encoding="utf-8", errors="replace") as handle:
        head = [handle.readline(4096) for _ in range(40)]  # the prefixes, then the comment
    source = next((line.split(_SOURCE_MARK, 1)[1].strip() for line in head if _SOURCE_MARK in line), None)
    if source == str(path.resolve()):
        return  # the same input again (corrected): its events are replaced
    what = f"the events of {source}" if source else "a file kg ingest did not write"
    raise InputError(
        f"{target} already holds {what}; ingesting {path} would replace them. Rename the "
        "input, write into another folder, or pass --force (force=True) to replace it"
    )


def _reference(
    data: Sequence[str | Path], *, default: bool, leave_out: Path | None = None, derived: bool = False
) -> OxigraphStore:
    """Return the ontology, the default data and ``data`` (less ``leave_out``) in memory.

    Oxigraph parses them (ten times faster than rdflib); a file it refuses is parsed again by
    :func:`kg._loading.parse_file` for the error message with its line and column.
    """
    files = [f for f in collect_files(data) if leave_out is None or f.resolve() != leave_out.resolve()] if data else []
    files = ontology_files() + (default_data_files() if default else []) + files
    memory = OxigraphStore()
    for file in files:
        if _OX_FORMATS[file.suffix] == ox.RdfFormat.RDF_XML:
            check_entities(file)  # Oxigraph would expand them all
        try:
            memory.ox.load(
                path=str(file),
                format=_OX_FORMATS[file.suffix],
                base_iri=file.resolve().as_uri(),
                to_graph=ox.DefaultGraph(),
            )
        except SyntaxError as exc:
            parse_file(file)  # raises ParseError with the position
            raise ParseError(file, None, None, str(exc)) from exc
    if derived:
        from kg._derivation import derive

        derive(memory)
    return memory


def _into(
    store: Store,
    convert: Callable[..., None],
    refuse: Callable[[], None],
    *,
    data: Sequence[str | Path],
    default: bool,
    keep: Callable[[Path], Any] | None = None,
) -> None:
    """Convert the rows into a temporary N-Triples file, then load it into ``store``."""
    seed = None if GraphIndex.has_ontology(store) else _reference(data, default=default, derived=True)
    index = GraphIndex(seed or store)
    where = getattr(store, "path", None)
    if where is not None:
        temp = temp_path(where, "nt")  # beside the store, where the next writer cleans up after a kill
    else:
        with tempfile.NamedTemporaryFile(prefix="kg-ingest-", suffix=".nt", delete=False) as named:
            temp = Path(named.name)
    try:
        with temp.open("w", encoding="utf-8") as handle:
            convert(handle, index, seed, turtle=False)
        refuse()
        _load(store, temp)
        if keep is not None:
            keep(temp)
    finally:
        temp.unlink(missing_ok=True)


def _is_new(folder: Path) -> bool:
    """Return True for a store folder that does not exist yet, or is empty."""
    return not folder.exists() or (folder.is_dir() and not any(folder.iterdir()))


def _build_new_store(
    folder: Path,
    lock: StoreLock,
    convert: Callable[[IO[str]], None],
    refuse: Callable[[], None],
    record: Callable[[Path], Any],
) -> None:
    """Build a new Oxigraph store in ``folder``, loading while the rows are read.

    The triples go through a named pipe straight into Oxigraph's bulk loader, which runs in a
    thread of its own (it releases the GIL), so reading the rows and loading them overlap. The
    store is built in a sibling folder and renamed into place at the end; if a row is bad (and
    bad rows are not skipped) or anything fails, that folder is removed: nothing is written.
    """
    partial = temp_path(folder, "part")
    try:
        partial.mkdir(parents=True)
    except OSError as exc:
        raise EngineError(f"cannot write beside the store {folder}: {exc}") from exc
    pipe = temp_path(folder, "pipe")
    os.mkfifo(pipe)
    failures: list[BaseException] = []
    engines = [ox.Store(str(partial))]  # a list, so that the last reference can be dropped

    def load() -> None:
        try:
            engines[0].bulk_load(path=str(pipe), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
        except BaseException as exc:  # reported by the main thread
            failures.append(exc)

    loader = threading.Thread(target=load, name="kg-bulk-load", daemon=True)
    loader.start()
    done = False
    try:
        descriptor = _open_pipe(pipe, loader)
        with os.fdopen(descriptor, "w", encoding="utf-8", buffering=1 << 20) as handle:
            try:
                convert(handle)
            except BrokenPipeError:  # the loader stopped: its error says why
                pass
        loader.join()
        if failures:
            raise EngineError(f"Oxigraph could not build the store {folder}: {failures[0]}") from failures[0]
        refuse()
        engines[0].flush()
        engines.clear()
        gc.collect()  # the store's files are closed once the last reference goes
        write_stamp(partial, generation=1)
        write_index(partial, generation=1)
        record(partial)
        with lock.exclusive():
            if folder.exists():
                folder.rmdir()  # empty, checked by _is_new
            partial.rename(folder)
        done = True
    finally:
        if loader.is_alive():  # an error before the pipe was closed: let the loader finish
            with contextlib.suppress(OSError):
                os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))
            loader.join()
        pipe.unlink(missing_ok=True)
        if not done:
            shutil.rmtree(partial, ignore_errors=True)


def _open_pipe(pipe: Path, loader: threading.Thread) -> int:
    """Open the write end of the pipe once the loader has opened its end (never hang on it)."""
    while True:
        try:
            descriptor = os.open(pipe, os.O_WRONLY | os.O_NONBLOCK)
        except OSError as exc:  # ENXIO: no reader yet
            if not loader.is_alive():
                raise EngineError("Oxigraph's bulk loader stopped before reading anything") from exc
            time.sleep(0.005)
            continue
        os.set_blocking(descriptor, True)
        return descriptor


def _write_graph(seed: OxigraphStore, handle: IO[str], sink: Sink) -> None:
    text = seed.ox.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    assert text is not None
    handle.write(text.decode("utf-8"))
    sink.triples += len(seed)


class _Counting(io.RawIOBase):
    """A binary stream that counts the bytes read through it (for the progress bar)."""

    def __init__(self, inner: IO[bytes]):
        self.inner, self.count = inner, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.inner.read(len(buffer))
        buffer[: len(data)] = data
        self.count += len(data)
        return len(data)


MAX_UNPACKED_RATIO = 100
"""A zipped or gzipped input may unpack to at most this many times its size (or 100 MB, if more):
a real export unpacks to some 5 to 10 times; a decompression bomb to thousands."""


def _unpacked_limit(path: Path) -> int:
    return max(MAX_UNPACKED_RATIO * path.stat().st_size, 100_000_000)


def _too_big(path: Path, limit: int) -> str:
    return (
        f"{path}: unpacks to more than {limit:,} bytes ({MAX_UNPACKED_RATIO} times its size): "
        "refused as a likely decompression bomb; unpack it yourself if it is genuine"
    )


class _Capped(io.RawIOBase):
    """A binary stream that refuses to yield more than ``limit`` bytes (an unpacked archive)."""

    def __init__(self, inner: IO[bytes], path: Path, limit: int):
        self.inner, self.path, self.limit, self.count = inner, path, limit, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.inner.read(len(buffer))
        self.count += len(data)
        if self.count > self.limit:
            raise InputError(_too_big(self.path, self.limit))
        buffer[: len(data)] = data
        return len(data)


@contextlib.contextmanager
def _open(path: Path) -> Iterator[tuple[IO[bytes], _Counting, int]]:
    """Open a plain, zipped or gzipped file as buffered bytes, with a byte counter and total."""
    with contextlib.ExitStack() as stack:
        inner: IO[bytes]
        if zipfile.is_zipfile(path):
            archive = stack.enter_context(zipfile.ZipFile(path))
            members = [m for m in archive.infolist() if not m.is_dir()]
            if len(members) != 1:
                raise InputError(
                    f"{path}: a zip archive of an export holds one file; this one holds "
                    f"{len(members)}: {', '.join(m.filename for m in members[:5])}"
                )
            limit = _unpacked_limit(path)
            if members[0].file_size > limit:
                raise InputError(_too_big(path, limit))
            inner = _Capped(stack.enter_context(archive.open(members[0])), path, limit)  # type: ignore[assignment]
            total = members[0].file_size
        elif path.suffix == ".gz":
            raw = stack.enter_context(path.open("rb"))
            counting = _Counting(raw)
            total = path.stat().st_size
            unzipped: IO[bytes] = gzip.GzipFile(fileobj=io.BufferedReader(counting))  # type: ignore[assignment]
            yield io.BufferedReader(_Capped(unzipped, path, _unpacked_limit(path)), 1 << 20), counting, total
            return
        else:
            inner, total = stack.enter_context(path.open("rb")), path.stat().st_size
        counting = _Counting(inner)
        yield io.BufferedReader(counting, 1 << 20), counting, total


def _read(path: Path, format: str, builder: Builder, progress: Progress | None) -> None:
    with _open(path) as (stream, counter, total):

        def tick(_row: int) -> None:
            if progress is not None:
                progress(counter.count, total)

        try:
            if format == "gdelt":
                read_gdelt(stream, builder, tick=tick)
            elif format == "icews":
                read_icews(stream, builder, path=str(path), tick=tick)
            else:
                text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")  # type: ignore[type-var]
                read_table(text, builder, path=str(path), tick=tick)
        except UnicodeDecodeError as exc:
            raise InputError(
                f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start} of a block); save the table as UTF-8 CSV"
            ) from exc
        except (zipfile.BadZipFile, gzip.BadGzipFile, EOFError) as exc:
            raise InputError(f"{path}: a damaged archive ({exc}); download it again") from exc
        if progress is not None:
            progress(total, total)


def _load(store: Store, temp: Path) -> None:
    """Load the checked N-Triples file into the store: all of it, or nothing."""
    try:
        for _ in ox.parse(path=str(temp), format=ox.RdfFormat.N_TRIPLES):  # a syntax check first:
            pass  # Oxigraph's bulk load is fast but not atomic
    except SyntaxError as exc:  # pragma: no cover - the writer escapes everything
        raise EngineError(f"ingestion wrote bad N-Triples ({exc}); nothing was loaded: please report it") from exc
    if isinstance(store, OxigraphStore):
        try:
            if temp.stat().st_size <= ATOMIC_LIMIT:  # one transaction: all or nothing
                store.ox.load(path=str(temp), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
            else:  # a kill during the load leaves part of it: ingest again to complete it
                store.bulk_load(temp, format=ox.RdfFormat.N_TRIPLES)
        except OSError as exc:
            raise EngineError(f"Oxigraph could not load into {store.path}: {exc}") from exc
    elif isinstance(store, MemoryStore):
        store.graph.parse(temp, format="nt")
    else:
        store.add_graph(Graph().parse(temp, format="nt"))
