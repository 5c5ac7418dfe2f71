"""The cached default graph (kg/_cache.py): the same graph as parsing, stale or damaged copies rebuilt."""

from __future__ import annotations

import os
import pickle
import shutil

import pytest
from rdflib.compare import isomorphic

import kg
from kg import _cache


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """A cache folder of the test's own, and no copy remembered by the process."""
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(_cache, "_memo", {})
    return tmp_path / "cache"


def _refuse_to_build():
    raise AssertionError("built again instead of read from the cache")


def test_the_cached_graph_is_the_parsed_one_with_its_prefixes(folder):
    built = kg.load(default=True, validate=False).graph  # first: built and kept
    assert [p.name[:14] for p in folder.iterdir()] == ["default-graph-"]
    _cache._memo.clear()
    read = kg.load().graph  # then: read back from the file
    fresh = _cache._build()
    assert isomorphic(read, fresh) and isomorphic(built, fresh)
    assert len(read) == len(fresh) > 5000
    assert sorted(read.namespaces()) == sorted(fresh.namespaces())
    assert read is not kg.load().graph  # each load gets its own graph to change


def test_the_copy_is_read_back_not_rebuilt(folder, monkeypatch):
    _cache.default_graph()
    _cache._memo.clear()
    monkeypatch.setattr(_cache, "_build", _refuse_to_build)
    assert kg.summarize(kg.load()).events > 0


def test_extra_files_are_added_and_derived_as_before(folder, tmp_path, monkeypatch):
    extra = tmp_path / "extra.ttl"
    extra.write_text(
        "@prefix dip: <https://w3id.org/dipkg/ns#> . @prefix id: <https://w3id.org/dipkg/id/> .\n"
        "id:extra-event a dip:Event ; dip:eventType dip:condemns ; dip:actor id:turkey ; dip:target id:israel .\n",
        encoding="utf-8",
    )
    store = kg.load(extra)
    assert bool(store.query("ASK { id:turkey dip:condemns id:israel . id:extra-event a dip:Event }"))
    monkeypatch.setenv("KG_CACHE_DIR", "")  # the same, built without the cache
    plain = kg.load(extra)
    assert isomorphic(store.graph, plain.graph)


def test_a_copy_made_from_other_files_is_ignored_and_replaced(folder, monkeypatch, tmp_path):
    _cache.default_graph()
    (old,) = folder.iterdir()
    changed = tmp_path / "data"
    shutil.copytree(kg.data_files()[0].parent, changed)
    (changed / "extra.ttl").write_text("<urn:x:a> <urn:x:b> <urn:x:c> .\n", encoding="utf-8")
    files = [changed / f.name for f in kg.data_files()] + [changed / "extra.ttl"]
    monkeypatch.setattr(_cache, "default_data_files", lambda: files)
    _cache._memo.clear()
    graph = _cache.default_graph()
    assert len(graph) == len(_cache._build())  # the extra triple is in
    (new,) = folder.iterdir()
    assert new != old  # the stale copy dropped, the new one kept


@pytest.mark.parametrize("damage", ["body", "key", "empty"])
def test_a_damaged_copy_is_rebuilt_and_rewritten(folder, damage):
    _cache.default_graph()
    (path,) = folder.iterdir()
    key, _, body = path.read_bytes().partition(b"\n")
    path.write_bytes(
        {"body": key + b"\n" + body[: len(body) // 2], "key": b"0" * 64 + b"\n" + body, "empty": b""}[damage]
    )
    _cache._memo.clear()
    assert len(_cache.default_graph()) == len(_cache._build())
    mended_key, _, mended = path.read_bytes().partition(b"\n")
    assert mended_key == key and len(pickle.loads(mended)) == len(pickle.loads(body))  # mended


def test_without_a_writable_folder_the_graph_is_built(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("KG_CACHE_DIR", str(blocker / "cache"))
    monkeypatch.setattr(_cache, "_memo", {})
    assert len(_cache.default_graph()) > 5000
    assert blocker.read_text(encoding="utf-8") == "not a folder"
    monkeypatch.setenv("KG_CACHE_DIR", "")  # turned off
    monkeypatch.setattr(_cache, "_memo", {})
    assert _cache.cache_dir() is None and len(_cache.default_graph()) > 5000
    assert _cache._memo == {}  # nothing kept, not even for the process


@pytest.mark.parametrize("how", ["others may write it", "another user owns it"])
def test_a_copy_others_could_have_written_is_never_read(folder, how):
    _cache.default_graph()
    _cache._memo.clear()
    (copy,) = folder.iterdir()
    if how == "others may write it":
        copy.chmod(0o666)
    elif os.getuid() == 0:
        os.chown(copy, 65534, -1)  # nobody
    else:  # pragma: no cover - only root can give a file away; the mode case covers the rule
        copy.chmod(0o646)
    with open(copy, "ab") as handle:
        handle.write(b"\n")  # whatever it holds now, it is not read as it stands
    graph = _cache.default_graph()
    assert len(graph) > 5000
    (rebuilt,) = folder.iterdir()
    status = rebuilt.stat()
    assert status.st_uid == os.getuid() and not status.st_mode & 0o022
