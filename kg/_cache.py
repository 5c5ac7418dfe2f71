"""The default graph (ontology and shipped data, edges derived), kept ready in the user's cache folder.

Parsing the ontology's and the seed report's Turtle and deriving the actor-to-actor edges takes
most of a command's start; reading the same graph back from a pickle takes a fifth of that (see
``benchmarks/results/startup.md``). The cached copy is never a second source of truth: its name and
its first record are a SHA-256 of everything that makes the graph (the bytes of every ontology and
default data file, the source of the modules that read and derive it, the versions of Python and
rdflib), so any change to any of them makes it stale, and a stale, unreadable or damaged copy is
ignored and rebuilt. It lives in ``$XDG_CACHE_HOME/dipkg`` (``~/.cache/dipkg`` by default), or in
``$KG_CACHE_DIR``; ``KG_CACHE_DIR=`` (empty) turns it off. When the folder cannot be written the
graph is simply built each time. A cached file another user owns, or that others may write, is
never read (a pickle runs code when read).
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import sys
from pathlib import Path

import rdflib
from rdflib import Dataset

from kg import _derivation, _graphs, _loading, _resources
from kg._derivation import derive
from kg._files import atomic_write
from kg._loading import ontology_files, read_dataset
from kg._resources import default_data_files
from kg._store import MemoryStore, _memory

__all__ = ["cache_dir", "default_graph"]

log = logging.getLogger(__name__)

_PREFIX = "default-graph-"
_memo: dict[str, bytes] = {}  # key: the pickled graph, read once a process


def cache_dir() -> Path | None:
    """Return the folder of the cached default graph; None when caching is turned off.

    >>> import os
    >>> before = os.environ.get("KG_CACHE_DIR")
    >>> os.environ["KG_CACHE_DIR"] = ""
    >>> cache_dir() is None
    True
    >>> _ = os.environ.pop("KG_CACHE_DIR") if before is None else os.environ.update(KG_CACHE_DIR=before)
    """
    chosen = os.environ.get("KG_CACHE_DIR")
    if chosen is not None:
        return Path(chosen) if chosen else None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "dipkg"


def _key() -> str:
    """Return the SHA-256 of everything the default graph is made of (files, code, versions)."""
    digest = hashlib.sha256()
    digest.update(f"{sys.version_info[:2]} rdflib {rdflib.__version__} pickle {pickle.HIGHEST_PROTOCOL}".encode())
    for module in (_loading, _derivation, _resources, _graphs, _memory, sys.modules[__name__]):
        digest.update(Path(module.__file__ or "").read_bytes())
    for path in ontology_files() + default_data_files():
        digest.update(b"\0" + path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _build() -> Dataset:
    dataset, _ = read_dataset([], default=True)
    derive(MemoryStore(dataset))
    return dataset


def default_graph() -> Dataset:
    """Return a new dataset holding the ontology and the default data, the derived edges added.

    Each in its graph (:mod:`kg._graphs`); the dataset is :func:`kg._store.new_dataset`'s.

    Read from the cache when it holds a copy made from the same files and code; otherwise
    built (parsed and derived) and, where the cache folder can be written, kept there.

    >>> graph = default_graph()
    >>> len(graph) > 5000
    True
    >>> default_graph() is not graph  # a new graph each call: the caller may change it
    True
    """
    key = _key()
    folder = cache_dir()
    if folder is None:
        return _build()
    path = folder / f"{_PREFIX}{key[:32]}.pickle"
    data = _memo.get(key) or _read(path, key)
    if data is not None:
        try:
            cached: Dataset = pickle.loads(data)  # our own file, made for this key
        except Exception as exc:  # a damaged file: rebuilt
            log.info("ignoring the cached default graph %s (%s: %s); rebuilding it", path, type(exc).__name__, exc)
        else:
            _memo[key] = data
            return cached
    graph = _build()
    data = pickle.dumps(graph, protocol=pickle.HIGHEST_PROTOCOL)
    _write(folder, path, key.encode() + b"\n" + data)
    _memo[key] = data
    return graph


def _read(path: Path, key: str) -> bytes | None:
    """Return the pickled graph at ``path`` when the file was made for ``key``; else None."""
    try:
        with path.open("rb") as handle:
            # A pickle runs code when read: only a file of this user's that nobody else may write
            # is read (the rule ssh applies to its keys); any other is ignored and rebuilt.
            status = os.fstat(handle.fileno())
            if status.st_uid != os.getuid() or status.st_mode & 0o022:
                log.warning("ignoring the cached default graph %s: another user owns it or may write it", path)
                return None
            stored = handle.readline().rstrip(b"\n").decode("ascii", "replace")
            if stored != key:
                log.info("ignoring the cached default graph %s: made from other files; rebuilding it", path)
                return None
            return handle.read()
    except FileNotFoundError:
        return None
    except OSError as exc:
        log.info("cannot read the cached default graph %s (%s); rebuilding it", path, exc)
        return None


def _write(folder: Path, path: Path, data: bytes) -> None:
    """Keep ``data`` at ``path`` (written whole or not at all) and drop the stale copies beside it."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        atomic_write(path, lambda temporary: temporary.write_bytes(data))
        for old in folder.glob(f"{_PREFIX}*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError as exc:  # a read-only home, a full disk: work without the cache
        log.info("cannot keep the default graph in %s (%s); it is built each time", folder, exc)
