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
import multiprocessing.pool
import os
import shutil
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox
from rdflib import Graph

from kg._batches import record_batch
from kg._derivation import separate
from kg._errors import EngineError, IngestError, InputError, ParseError
from kg._files import atomic_write, is_empty_folder
from kg._graphs import ASSERTED_GRAPH, GRAPHS, ONTOLOGY_GRAPH
from kg._ingestion._batch import Split, cores, input_files, split_files, worker_pool
from kg._ingestion._build import Builder
from kg._ingestion._index import GraphIndex
from kg._ingestion._lines import MAX_UNPACKED_RATIO, open_input
from kg._ingestion._report import BadRow, CreatedActor, IngestReport, Merged, Unresolved
from kg._ingestion._terms import Sink
from kg._ingestion.gdelt import GDELT_COLUMNS, read_gdelt, read_gdelt_rows
from kg._ingestion.icews import ICEWS_COLUMNS, read_icews, read_icews_rows
from kg._ingestion.table import OPTIONAL_COLUMNS, REQUIRED_COLUMNS, read_table
from kg._loading import OX_FORMATS, check_entities, collect_files, ontology_files, parse_file
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
    path: str | Path | Sequence[str | Path],
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
    workers: int | None = None,
) -> IngestReport:
    r"""Ingest an event file, or a batch of them, into a store or into a Turtle file under a folder.

    Parameters
    ----------
    path : str or Path, or a sequence of them
        The file: an event table (CSV or TSV with a header), a GDELT 2.0 export (``.CSV``,
        zipped or gzipped or not) or an ICEWS ``.tab`` file. A folder (its files of the
        format, by name), a glob (``"exports/201803*.export.CSV.zip"``) or a sequence of
        files, folders and globs is a batch: its files are ingested in that order as one
        batch, all or nothing (with a bad row in any file, nothing is written), with one
        report per file in the report's ``files``. A batch goes into a ``store``.
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
    workers : int, optional
        Processes that split the files of a GDELT or ICEWS batch into rows, ahead of the
        one writing (default: one a core; 1 reads in this process). Names are resolved and
        rows written in file order whatever the number, so the graph is the same as if the
        files had been ingested one after another.

    Returns
    -------
    IngestReport
        Rows read, events written, actors created, bad rows; for a batch, the totals and a
        report per file (``files``).

    Raises
    ------
    IngestError
        Some rows are bad (each with its row number, column and what is wrong) and
        ``skip_bad_rows`` is False; nothing was written. Also for a file whose header lacks
        a required column. In a batch, the error names the first bad file.
    InputError
        A missing file (or a folder or glob with none), an unknown format, no destination
        or two, a batch with an output folder, an output folder that is a file, an output
        file another input wrote (without ``force``), a line longer than
        :data:`~kg._ingestion._lines.MAX_LINE`, an archive that unpacks past its cap.

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
    if format not in FORMATS:
        raise InputError(f"unknown format {format!r}; use one of {', '.join(FORMATS)}")
    files, batch = input_files(path, format)
    if (store is None) == (out_dir is None):
        raise InputError("say where the events go: an output folder (out_dir=DIR) or a store (store=DIR), one of them")
    if batch and out_dir is not None:
        raise InputError(
            f"{len(files)} file(s) make a batch, which goes into a store (store=): an output folder takes one file"
        )
    run = _Run(path, files, format, batch=batch, strict=strict, skip_bad_rows=skip_bad_rows)
    run.progress, run.workers = progress, workers if workers is not None else cores()
    with worker_pool(run.workers if batch and format != "csv" else 1) as run.pool:  # an event table is read here
        _write(run, files, store=store, out_dir=out_dir, data=data, default=default, force=force)
    report = run.report
    report.seconds = time.perf_counter() - started
    log.info("%s", str(report).splitlines()[0])
    return report


def _write(
    run: _Run,
    files: list[Path],
    *,
    store: Store | str | Path | None,
    out_dir: str | Path | None,
    data: Sequence[str | Path],
    default: bool,
    force: bool,
) -> None:
    """Convert the rows and write them: to a Turtle file, a new or existing store folder, or a store."""
    report, convert, refuse, path = run.report, run.convert, run.refuse, files[0]
    if out_dir is not None:
        folder = Path(out_dir)
        target = output_path(path, folder)
        report.output = target
        _check_output(path, folder, target, force=force)
        index = GraphIndex(_reference(data, default=default, leave_out=target))
        made = not folder.exists()
        folder.mkdir(parents=True, exist_ok=True)
        remove_leftovers(folder)  # of ingests that were killed

        def write(temp: Path) -> None:
            with temp.open("w", encoding="utf-8") as handle:
                convert(handle, index, None, turtle=True)
            refuse()

        try:
            atomic_write(target, write)
        except BaseException:
            if made:
                shutil.rmtree(folder, ignore_errors=True)  # nothing written: no folder either
            raise
    elif isinstance(store, (str, Path)):
        folder = Path(store)
        lock = StoreLock(folder)
        with lock.writing():  # one writer at a time: the second of two ingests adds to the first's store
            remove_leftovers(folder.parent)  # of writers that were killed (none can be running now)
            options = {
                "format": run.format,
                "strict": run.strict,
                "skip_bad_rows": run.skip_bad_rows,
                "default": default,
                "data": [str(d) for d in data],
            }
            if is_empty_folder(folder) and hasattr(os, "mkfifo"):
                base = _reference(data, default=default, derived=True)
                _build_new_store(
                    folder,
                    lock,
                    lambda handle: convert(handle, GraphIndex(base), base, turtle=False),
                    refuse,
                    lambda built: record_batch(built, command="ingest", inputs=files, options=options, dump=True),
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
                            inputs=files,
                            options=options,
                            triples=[(temp, ox.RdfFormat.N_TRIPLES)],
                        ),
                    )
                    write_index(folder, owned.ox)  # of the generation this open stamped
    else:
        assert isinstance(store, Store)
        _into(store, convert, refuse, data=data, default=default)


class _Run:
    """One ingestion: its files and options, the rows converted to triples, the bad ones refused."""

    def __init__(
        self,
        given: str | Path | Sequence[str | Path],
        files: list[Path],
        format: str,
        *,
        batch: bool,
        strict: bool,
        skip_bad_rows: bool,
    ):
        self.files, self.format, self.batch = files, format, batch
        self.strict, self.skip_bad_rows = strict, skip_bad_rows
        where = Path(given) if isinstance(given, (str, Path)) else Path(os.path.commonpath([f.parent for f in files]))
        self.report = IngestReport(path=where, format=format)
        self.progress: Progress | None = None
        self.workers = 1
        self.pool: multiprocessing.pool.Pool | None = None

    def convert(self, handle: IO[str], index: GraphIndex, seed: OxigraphStore | None, *, turtle: bool) -> None:
        """Write the triples of every good row to ``handle`` (after the ``seed`` graph, if any)."""
        sink = Sink(handle, turtle=turtle)
        path = self.files[0]
        sink.comment(
            f"Events ingested from {path.name} ({self.format}) by kg ingest; regenerate "
            f"rather than edit by hand.\n{_SOURCE_MARK}{path.resolve()}"
        )
        if seed is not None:
            _write_graph(seed, handle, sink)
        if not self.batch:
            builder = self._builder(index, sink, self.report, turtle=turtle)
            _read(path, self.format, builder, self.progress)
        else:
            self._convert_batch(index, sink, turtle=turtle)
        self.report.triples = sink.triples

    def _builder(self, index: GraphIndex, sink: Sink, report: IngestReport, *, turtle: bool) -> Builder:
        return Builder(index, sink, report, strict=self.strict, derive=not turtle, dataset=self.format)

    def _convert_batch(self, index: GraphIndex, sink: Sink, *, turtle: bool) -> None:
        """Convert the files in order, each with a builder and report of its own, one index for all.

        The index learns the actors and ties each file creates, as it would by reading the
        store again after each file: the same names resolve the same way.
        """
        total, done = sum(f.stat().st_size for f in self.files), 0
        for path, split in split_files(self.files, self.format, pool=self.pool, ahead=2 * self.workers):
            part = IngestReport(path=path, format=self.format)
            before, started = sink.triples, time.perf_counter()
            _read(path, self.format, self._builder(index, sink, part, turtle=turtle), None, split=split)
            part.triples, part.seconds = sink.triples - before, time.perf_counter() - started
            self.report.add(part)
            done += path.stat().st_size
            if self.progress is not None:
                self.progress(done, total)

    def refuse(self) -> None:
        """Raise IngestError for the first file with bad rows (unless they are skipped).

        A file whose every row is bad is refused even when bad rows are skipped.
        """
        bad = [
            part
            for part in (self.report.files if self.batch else [self.report])
            if part.bad_rows and (not self.skip_bad_rows or not part.events)
        ]
        for other in bad[1:]:
            log.warning("%s: %d bad row(s) too", other.path, len({b.row for b in other.bad_rows}))
        if bad:
            problems = [(b.row, b.column, b.message) for b in bad[0].bad_rows]
            raise IngestError(bad[0].path, problems, every=bool(self.skip_bad_rows))


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
        "input, write into another folder, or pass force=True to replace it"
    )


def _reference(
    data: Sequence[str | Path], *, default: bool, leave_out: Path | None = None, derived: bool = False
) -> OxigraphStore:
    """Return the ontology, the default data and ``data`` (less ``leave_out``) in memory.

    Oxigraph parses them (ten times faster than rdflib); a file it refuses is parsed again by
    :func:`kg._loading.parse_file` for the error message with its line and column.
    """
    files = [f for f in collect_files(data) if leave_out is None or f.resolve() != leave_out.resolve()] if data else []
    ontology = ontology_files()
    files = ontology + (default_data_files() if default else []) + files
    memory = OxigraphStore()
    for number, file in enumerate(files):
        if OX_FORMATS[file.suffix] == ox.RdfFormat.RDF_XML:
            check_entities(file)  # Oxigraph would expand them all
        try:
            memory.ox.load(
                path=str(file),
                format=OX_FORMATS[file.suffix],
                base_iri=file.resolve().as_uri(),
                to_graph=ox.NamedNode(ONTOLOGY_GRAPH if number < len(ontology) else ASSERTED_GRAPH),
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
            engines[0].bulk_load(path=str(pipe), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(ASSERTED_GRAPH))
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
        separate(engines[0])  # the stream held every graph: each triple into its own
        engines[0].flush()
        engines.clear()
        gc.collect()  # the store's files are closed once the last reference goes
        write_stamp(partial, generation=1)
        write_index(partial, generation=1)
        record(partial)
        with lock.exclusive():
            if folder.exists():
                folder.rmdir()  # empty, checked by is_empty_folder
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
    text = b"".join(  # every graph: the stream is loaded as one graph, then separated
        seed.ox.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph)) or b"" for graph in GRAPHS.values()
    )
    assert text is not None
    handle.write(text.decode("utf-8"))
    sink.triples += len(seed)


def _read(path: Path, format: str, builder: Builder, progress: Progress | None, *, split: Split | None = None) -> None:
    """Write the events of a file through ``builder``; from its rows when a worker split them."""
    if split is not None:
        rows = builder.rows(split.rows)
        if split.header is not None:
            read_icews_rows(rows, builder, header=split.header, path=str(path))
        else:
            read_gdelt_rows(rows, builder)
        return
    with open_input(path) as (stream, counter, total):

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
                store.ox.load(path=str(temp), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(ASSERTED_GRAPH))
            else:  # a kill during the load leaves part of it: ingest again to complete it
                store.bulk_load(temp, format=ox.RdfFormat.N_TRIPLES)
            separate(store)  # the derived edges written with the events into their graph
        except OSError as exc:
            raise EngineError(f"Oxigraph could not load into {store.path}: {exc}") from exc
    elif isinstance(store, MemoryStore):
        store.named(ASSERTED_GRAPH).parse(temp, format="nt")
        separate(store)
    else:  # a server: into its asserted graph, then each triple into its graph
        store.add_graph(Graph().parse(temp, format="nt"))
        separate(store)
