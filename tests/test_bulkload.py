"""kg._bulkload: stores built all or nothing, bulk loading equal to loading in memory."""

import pytest

import kg
from benchmarks import synth
from kg._bulkload import build_store
from kg._errors import InputError, ParseError
from kg._query import canonical
from kg._store import OxigraphStore


def test_bulk_loading_gives_the_graph_loading_in_memory_gives(tmp_path):
    data = tmp_path / "events.nt"
    synth.write_ntriples(data, 300, seed=2)
    seen = []
    count = build_store(
        tmp_path / "store",
        [data],
        default=False,
        validate=False,
        progress=lambda done, total, name: seen.append((done, total, name)),
    )
    memory = kg.load(data, default=False)
    assert count == len(memory)
    store = OxigraphStore(tmp_path / "store")
    try:

        def canonical_set(graph):
            return {(s, p, canonical(o)) for s, p, o in graph}

        assert canonical_set(store.to_graph()) == canonical_set(memory.graph)
    finally:
        store.close()
        del store
    assert seen and seen[-1][0] == seen[-1][1]  # the progress reached the end
    assert {name for _, _, name in seen} >= {"events.nt", "core.ttl"}


def test_validated_build_equals_the_default_graph(tmp_path):
    count = build_store(tmp_path / "store")
    assert count == len(kg.load())


def test_refusals(tmp_path):
    with pytest.raises(InputError, match="unknown mode"):
        build_store(tmp_path / "s", mode="merge")
    with pytest.raises(InputError, match="no such file"):
        build_store(tmp_path / "s", [tmp_path / "missing.ttl"])
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="is a file"):
        build_store(tmp_path / "file")
    broken = tmp_path / "broken.nt"
    broken.write_text('<http://a> <http://b> "unterminated .\n', encoding="utf-8")
    with pytest.raises(ParseError, match=r"broken\.nt:1"):
        build_store(tmp_path / "s", [broken], validate=False)
    # nothing half-built is left; the (empty) lock folder beside the store stays
    assert sorted(p.name for p in tmp_path.iterdir()) == [".s.kg-lock", "broken.nt", "file"]
