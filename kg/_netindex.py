"""The network index: what the projection reads of every event, kept beside an Oxigraph store.

The projection (:func:`kg._network.project`) reads, for every event and standing relation, its
type, actor and target, its days (date, end, first evidence, start, ended-before), its claims and
its occurrence. Read from Oxigraph by SPARQL that costs seconds at 100,000 events and minutes at
a million. The index keeps those fields in a compact columnar form, in the store's folder
(:data:`INDEX_NAME`, one uncompressed ``.npz`` file of numpy arrays: small integer codes and
packed string tables), so that a projection becomes a few vectorised operations. It is never a
second source of truth:

- its header names the store's generation (``kg-store.json``, raised by every writer under the
  writer's lock), the store's RocksDB identity and the index format: an index whose header does
  not match is *stale* and is rebuilt (logged, with a progress callback) before it is used, and
  if it cannot be rebuilt the projection reads the store by SPARQL as before;
- it is written after a successful write (``kg load --store``, ``kg ingest --store``), whole,
  to a temporary file renamed into place: a killed writer leaves the old index, which names the
  old generation and is therefore never used;
- the evidence (source, quote) is fetched from the store for the edges kept, never from the index.

Set the environment variable ``KG_NETINDEX=0`` to project by SPARQL (benchmarks compare both).
"""

from __future__ import annotations

import json
import logging
import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np
import numpy.typing as npt
import pyoxigraph as ox

from kg._locking import read_stamp, temp_path
from kg._store import OxigraphStore, Store
from kg._tabular import short_iri
from kg._timecut import TimeCut, before_evidence, in_force

if TYPE_CHECKING:
    from kg._network import RelationInfo

__all__ = ["INDEX_NAME", "INDEX_VERSION", "NetIndex", "add_edges", "build_index", "index_for", "write_index"]

log = logging.getLogger(__name__)

INDEX_NAME = "kg-netindex.npz"
"""The index file inside a store folder."""

INDEX_VERSION = 1
"""The index's format; an index of another version is rebuilt."""

_KIND = "dipkg-netindex"
_DIP = "https://w3id.org/dipkg/ns#"
_CLAIMS = ("assertsClaim", "disputesClaim", "endorsesClaim", "presupposesClaim")
_DAYS = ("date", "endDate", "startDate", "inForceBy", "observedOn", "before")
_LOOKUPS = 30_000
"""Up to this many kept items, their evidence is read by one lookup each; beyond, by a scan."""

Progress = Callable[[int, int, str], None]
"""``progress(done, total, what)``: steps done, steps in all, the step."""

IntArray = npt.NDArray[np.int64]


def _enabled() -> bool:
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

    def all(self) -> list[str]:
        return [self[i] for i in range(len(self))]


# ---------------------------------------------------------------- building


def _scan(engine: ox.Store, name: str) -> Iterator[tuple[str, str, bool]]:
    """Yield (subject, object, subject is a blank node) of every triple of ``dip:NAME``."""
    answer = engine.query(f"SELECT ?s ?o WHERE {{ ?s <{_DIP}{name}> ?o }}")
    assert isinstance(answer, ox.QuerySolutions)
    for solution in answer:
        subject, value = solution[0], solution[1]
        assert subject is not None and value is not None
        yield subject.value, value.value, isinstance(subject, ox.BlankNode)


def _multi(engine: ox.Store, name: str, blank: set[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    for subject, value, is_blank in _scan(engine, name):
        found[subject].append(value)
        if is_blank:
            blank.add(subject)
    return found


def _least(engine: ox.Store, name: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for subject, value, _ in _scan(engine, name):
        if subject not in found or value < found[subject]:
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


@dataclass
class _Rows:
    """The index's rows before they are coded: one per item x core x claim."""

    item: list[int]
    type: list[str]
    a: list[str]
    b: list[str]
    when: list[tuple[str | None, ...]]
    claim: list[str | None]
    occurrence: list[str | None]


def _gather(engine: ox.Store, progress: Progress | None) -> tuple[list[str], _Rows, bool]:
    steps = 3 + len(_DAYS) + len(_CLAIMS)
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
    items = sorted(cores)
    rows = _Rows([], [], [], [], [], [], [])
    for number, item in enumerate(items):
        date, end, start, by, seen, before = (days[name].get(item) for name in _DAYS)
        for type_, a, b, standing in cores[item]:
            if standing:
                when = (start or by or seen, end, by, start, before, "1")
                claimed: list[str | None] = [None]
            else:
                when = (date, end, None, None, None, "")
                claimed = [*sorted(claims[item])] if item in claims else [None]
            for claim in claimed:
                rows.item.append(number)
                rows.type.append(type_)
                rows.a.append(a)
                rows.b.append(b)
                rows.when.append(when)
                rows.claim.append(claim)
                rows.occurrence.append(occurrences.get(item))
    return items, rows, bool(blank & set(cores))


def _codes(values: list[str | None]) -> tuple[list[str], npt.NDArray[Any]]:
    """Code strings by their rank in the sorted table of distinct values; None is -1."""
    table = sorted({v for v in values if v is not None})
    rank = {v: i for i, v in enumerate(table)}
    return table, _small([-1 if v is None else rank[v] for v in values])


def build_index(engine: ox.Store, *, progress: Progress | None = None) -> dict[str, npt.NDArray[Any]]:
    """Read what the projection needs from the default graph of ``engine``; return the arrays.

    The header is added by :func:`write_index`.
    """
    items, rows, blank = _gather(engine, progress)
    types, type_codes = _codes(rows.type)  # type: ignore[arg-type]
    nodes, a_codes = _codes(rows.a)  # type: ignore[arg-type]
    rank = {v: i for i, v in enumerate(nodes)}
    nodes_b = sorted(set(rows.b) - set(rank))
    nodes += nodes_b
    rank.update({v: len(rank) + i for i, v in enumerate(nodes_b)})
    when_table = sorted(set(rows.when), key=lambda w: tuple((v is not None, v or "") for v in w))
    when_rank = {w: i for i, w in enumerate(when_table)}
    days = sorted({v for w in when_table for v in w[:5] if v is not None})
    day_rank = {d: i for i, d in enumerate(days)}
    claims, claim_codes = _codes(rows.claim)
    occurrences, occurrence_codes = _codes(rows.occurrence)
    arrays: dict[str, npt.NDArray[Any]] = {
        "item": _small(rows.item, 0),
        "type": type_codes,
        "a": a_codes,
        "b": _small([rank[b] for b in rows.b], 0),
        "when": _small([when_rank[w] for w in rows.when], 0),
        "when.days": _small(
            np.array([[-1 if v is None else day_rank[v] for v in w[:5]] for w in when_table], dtype=np.int64).reshape(
                -1, 5
            )
        ),
        "when.standing": np.array([w[5] == "1" for w in when_table], dtype=bool),
        "claim": claim_codes,
        "occurrence": occurrence_codes,
        "blank": np.array(blank),
    }
    for name, table in (("items", items), ("types", types), ("nodes", nodes), ("days", days), ("claims", claims)):
        arrays.update(_pack(name, table))
    arrays.update(_pack("occurrences", occurrences))
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
    """
    folder = Path(folder)
    if generation is None:
        stamp = read_stamp(folder)
        generation = stamp.generation if stamp is not None else 0
    opened = engine is None
    if engine is None:
        engine = ox.Store.read_only(str(folder))
    try:
        arrays = build_index(engine, progress=progress)
    finally:
        if opened:
            del engine
    header = {"format": _KIND, "version": INDEX_VERSION, "generation": generation, "store": _identity(folder)}
    arrays["header"] = np.array(json.dumps(header))
    target = folder / INDEX_NAME
    temp = temp_path(target, "index")
    try:
        with temp.open("wb") as handle:
            np.savez(handle, allow_pickle=False, **arrays)  # type: ignore[arg-type]
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)
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
        self.blank = bool(arrays["blank"])
        self.items = _Strings(arrays, "items")
        self.types = _Strings(arrays, "types").all()
        self.nodes = _Strings(arrays, "nodes").all()
        self.days = _Strings(arrays, "days").all()
        self.claims = _Strings(arrays, "claims").all()

    def __len__(self) -> int:
        return len(self.item)

    def day(self, code: int) -> str | None:
        return None if code < 0 else self.days[code]


def _read(file: Path) -> tuple[Any, dict[str, Any]] | None:
    try:
        arrays = np.load(file, allow_pickle=False)
        header = json.loads(str(arrays["header"]))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError) as exc:
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

    Only an Oxigraph store on disk, open read-only and read over its default graph, has an
    index. One missing, of
    another store, of another format or of an older generation is rebuilt (and saved when the
    folder can be written); the caller holds the store open, so its lock keeps writers out.
    ``KG_NETINDEX=0`` turns the index off.
    """
    if not (
        _enabled()
        and isinstance(store, OxigraphStore)
        and store.path is not None
        and store.read_only  # a writable store changes with no new generation until it is closed
        and not store._dataset
    ):
        return None
    folder = store.path
    stamp = read_stamp(folder)
    generation = stamp.generation if stamp is not None else 0
    file = folder / INDEX_NAME
    found = _read(file)
    why = "missing" if found is None else _fresh(found[1], folder, generation)
    if not why:
        assert found is not None
        return NetIndex(found[0], found[1])
    log.warning("network index of %s %s: rebuilding it", folder, why)
    try:
        write_index(folder, store.ox, generation=generation, progress=progress)
    except OSError as exc:
        log.warning("cannot save the network index of %s (%s): projecting by SPARQL", folder, exc)
        return None
    found = _read(file)
    return NetIndex(*found) if found is not None and not _fresh(found[1], folder, generation) else None


# ---------------------------------------------------------------- projecting


@dataclass
class _Candidates:
    """The edges the projection may keep, before the options: one per item x pair."""

    item: IntArray
    a: IntArray
    b: IntArray
    type: IntArray
    when: IntArray
    claim: IntArray
    disputed: npt.NDArray[np.bool_]
    occurrence: IntArray


def _candidates(index: NetIndex, known: npt.NDArray[np.bool_], contested: set[str]) -> _Candidates:
    """Resolve each item's rows as the projection does: its least known type, its pairs, its claim."""
    disputed_claim = np.array([c in contested for c in index.claims] + [False], dtype=bool)  # [-1]: none
    single = np.bincount(index.item, minlength=len(index.items))[index.item] == 1
    rows = np.flatnonzero(single & known[index.type])
    parts: list[tuple[npt.NDArray[Any], ...]] = [
        (
            index.item[rows],
            index.a[rows],
            index.b[rows],
            index.type[rows],
            index.when[rows],
            index.claim[rows],
            disputed_claim[index.claim[rows]],
            index.occurrence[rows],
        )
    ]
    multi = np.flatnonzero(~single)
    if multi.size:
        parts.append(_resolve_multi(index, multi, known, disputed_claim))
    columns = [np.concatenate([p[i] for p in parts]) for i in range(8)]
    return _Candidates(*columns)  # type: ignore[arg-type]


def _resolve_multi(
    index: NetIndex, multi: IntArray, known: npt.NDArray[np.bool_], disputed_claim: npt.NDArray[np.bool_]
) -> tuple[npt.NDArray[Any], ...]:
    # Items with several rows (several targets, types or claims): in Python, as the projection
    # does. Codes of types and claims are ranks in sorted tables: the least code is the least IRI.
    out: list[tuple[int, int, int, int, int, int, bool, int]] = []
    starts = np.flatnonzero(np.r_[True, index.item[multi][1:] != index.item[multi][:-1]])
    for group in np.split(multi, starts[1:]):
        types = [int(t) for t in index.type[group] if known[t]]
        if not types:
            continue
        found = sorted({int(c) for c in index.claim[group] if c >= 0})
        against = [c for c in found if disputed_claim[c]]
        claim = against[0] if against else found[0] if found else -1
        first = int(group[0])
        pairs = sorted(
            {
                (index.nodes[index.a[r]], index.nodes[index.b[r]]): (int(index.a[r]), int(index.b[r])) for r in group
            }.items()
        )
        for _, (a, b) in pairs:
            out.append(
                (
                    int(index.item[first]),
                    a,
                    b,
                    min(types),
                    int(index.when[first]),
                    claim,
                    bool(against),
                    int(index.occurrence[group].max()),
                )
            )
    columns = list(zip(*out, strict=True)) if out else [()] * 8
    return tuple(np.array(c, dtype=bool if i == 6 else np.int64) for i, c in enumerate(columns))


@dataclass(frozen=True)
class _When:
    """What one distinct combination of days says, in a cut."""

    date: str | None
    end: str | None
    before: str | None
    standing: bool
    open_start: bool
    start_known: bool
    in_force: bool
    before_evidence: bool


def _whens(index: NetIndex, cut: TimeCut) -> list[_When]:
    found = []
    for days, standing in zip(index.when_days.tolist(), index.when_standing.tolist(), strict=True):
        date, end, by, start, before = (index.day(d) for d in days)
        open_start = standing and by is not None and start is None
        found.append(
            _When(
                date,
                end,
                before,
                standing,
                open_start,
                standing and start is not None,
                not cut or in_force(cut, date, end, standing=standing, open_start=open_start, before=before),
                open_start and before_evidence(cut, date, end, open_start=True, before=before),
            )
        )
    return found


@dataclass(frozen=True)
class _Options:
    types: dict[str, RelationInfo]
    contested: set[str]
    cut: TimeCut
    wanted: set[str] | None
    sign_set: set[int] | None
    claims: bool
    fold: bool
    structural: bool
    each_report: bool


def _keep(index: NetIndex, c: _Candidates, whens: list[_When], o: _Options) -> npt.NDArray[np.bool_]:
    """Apply the projection's filters to the candidates, vectorised."""
    infos = [o.types.get(t) for t in index.types]
    structural = np.array([i is not None and i.structural for i in infos], dtype=bool)[c.type]
    keep = ~np.array([w.date is None and not w.standing for w in whens], dtype=bool)[c.when]
    if not o.structural and not o.fold:
        keep &= ~structural
    if o.wanted is not None:
        keep &= structural | np.array([t in o.wanted for t in index.types], dtype=bool)[c.type]
    if o.sign_set is not None:
        signs = np.array([i is not None and i.sign in o.sign_set for i in infos], dtype=bool)
        keep &= structural | signs[c.type]
    if o.cut:
        keep &= np.array([w.in_force for w in whens], dtype=bool)[c.when]
    if not o.claims:
        keep &= ~c.disputed
    return keep


def _reports(c: _Candidates, rows: IntArray, each_report: bool) -> tuple[IntArray, IntArray]:
    """Count the reports of one occurrence once: return the rows kept and their report counts."""
    counts = np.ones(len(rows), dtype=np.int64)
    if each_report:
        return rows, counts
    occurring = rows[c.occurrence[rows] >= 0]
    if not occurring.size:
        return rows, counts
    alone = rows[c.occurrence[rows] < 0]
    order = occurring[np.lexsort((c.item[occurring], c.b[occurring], c.a[occurring], c.occurrence[occurring]))]
    key = np.stack([c.occurrence[order], c.a[order], c.b[order]])
    starts = np.flatnonzero(np.r_[True, (key[:, 1:] != key[:, :-1]).any(axis=0)])
    sizes = np.diff(np.r_[starts, len(order)])
    return np.concatenate([alone, order[starts]]), np.concatenate([counts[: len(alone)], sizes])


def _evidence(store: OxigraphStore, items: list[str], blank: bool) -> dict[str, list[str | None]]:
    """Return the least source and quote of each item, read from the store."""
    found: dict[str, list[str | None]] = {item: [None, None] for item in items}
    names = ("source", "quote")
    if len(items) <= _LOOKUPS and not blank:
        for column, name in enumerate(names):
            predicate = ox.NamedNode(_DIP + name)
            for item in items:
                values = [
                    q.object.value  # type: ignore[union-attr]
                    for q in store.ox.quads_for_pattern(ox.NamedNode(item), predicate, None, ox.DefaultGraph())
                ]
                found[item][column] = min(values, default=None)
        return found
    for column, name in enumerate(names):
        for subject, value, _ in _scan(store.ox, name):
            slot = found.get(subject)
            if slot is not None and (slot[column] is None or value < slot[column]):  # type: ignore[operator]
                slot[column] = value
    return found


def add_edges(
    graph: nx.MultiDiGraph[str],
    store: Store,
    types: dict[str, RelationInfo],
    contested: set[str],
    cut: TimeCut,
    wanted: set[str] | None,
    sign_set: set[int] | None,
    *,
    claims: bool,
    fold: bool,
    structural: bool,
    each_report: bool,
) -> bool:
    """Add to ``graph`` the edges :func:`kg._network.project` would read by SPARQL, from the index.

    Return False (adding nothing) when ``store`` has no usable index: the caller then reads the
    store. The nodes of ``graph`` (the actors, with labels and kinds) are already there; actors
    with no class are added as the projection adds them.
    """
    index = index_for(store)
    if index is None:
        return False
    assert isinstance(store, OxigraphStore)
    options = _Options(types, contested, cut, wanted, sign_set, claims, fold, structural, each_report)
    known = np.array([t in types for t in index.types] + [False], dtype=bool)
    c = _candidates(index, known, contested)
    whens = _whens(index, cut)
    rows, reports = _reports(c, np.flatnonzero(_keep(index, c, whens, options)), each_report)
    names = {int(i): index.items[int(i)] for i in np.unique(c.item[rows])}
    evidence = _evidence(store, list(names.values()), index.blank)
    nodes = index.nodes
    for code in np.unique(np.concatenate([c.a[rows], c.b[rows]])):
        node = nodes[code]
        if node not in graph:
            graph.add_node(node, label=short_iri(node).split(":", 1)[-1].split("/")[-1], kind="")
    graph.add_edges_from(_edges(index, c, rows, reports, whens, names, evidence, options))  # type: ignore[arg-type]
    log.info("projected %d edges from the network index of %s", len(rows), store.path)
    return True


def _edges(
    index: NetIndex,
    c: _Candidates,
    rows: IntArray,
    reports: IntArray,
    whens: list[_When],
    names: dict[int, str],
    evidence: dict[str, list[str | None]],
    o: _Options,
) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
    nodes, claims = index.nodes, index.claims
    for row, count in zip(rows.tolist(), reports.tolist(), strict=True):
        item, b = names[c.item[row]], nodes[c.b[row]]
        type_ = index.types[c.type[row]]
        info, when = o.types[type_], whens[c.when[row]]
        source, quote = evidence[item]
        claim = int(c.claim[row])
        yield (
            nodes[c.a[row]],
            b,
            f"{item}|{b}",
            {
                "relation": type_,
                "relation_label": info.label,
                "sign": info.sign,
                "goldstein": info.goldstein,
                "date": when.date or "",
                "end_date": when.end or "",
                "event": item,
                "source": source or "",
                "quote": quote or "",
                "symmetric": info.symmetric,
                "standing": when.standing,
                "structural": info.structural,
                "contested": bool(c.disputed[row]),
                "claim": claims[claim] if claim >= 0 else "",
                "reports": count,
                "open_start": when.open_start,
                "start_known": when.start_known,
                "before": when.before or "",
                "before_evidence": when.before_evidence,
            },
        )
