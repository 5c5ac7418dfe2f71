"""One writer, many readers: concurrent processes on one store never tear it nor lose an append."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kg._batches import list_batches
from kg._bulkload import build_store
from kg._errors import EngineError, StoreBusyError
from kg._locking import FORMAT_VERSION, STAMP_NAME, StoreLock, leftovers, read_stamp
from kg._store import OxigraphStore
from kg.cli import main

ROOT = Path(__file__).resolve().parents[1]

_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "KG_LOCK_WAIT": "120"}


def _triples(folder: Path, round_: int, writer: int, count: int = 50) -> Path:
    file = folder / f"r{round_}w{writer}.nt"
    file.write_text(
        "".join(
            f'<http://example.org/r{round_}/w{writer}/e{i}> <http://example.org/p> "{i}" .\n' for i in range(count)
        ),
        encoding="utf-8",
    )
    return file


def test_concurrent_readers_and_writers_never_tear_nor_lose(tmp_path):
    store = tmp_path / "store"
    base = build_store(store, default=False, validate=False)
    expected = base
    for round_ in range(3):
        files = [_triples(tmp_path, round_, w) for w in range(2)]
        writers = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "kg",
                    "load",
                    "--store",
                    str(store),
                    "--append",
                    "--no-default",
                    "--no-validate",
                    str(f),
                ],
                env=_env(),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for f in files
        ]
        readers = [
            subprocess.Popen(
                [sys.executable, "-m", "kg", "--store", str(store), "query", _COUNT, "--format", "csv"],
                env=_env(),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        outputs = [process.communicate(timeout=300) for process in writers + readers]
        for process, (_, err) in zip(writers + readers, outputs, strict=True):
            assert process.returncode == 0 and "Traceback" not in err, err
        # a reader saw the store before, between or after the appends: never a part of one
        assert {int(out.split()[-1]) for out, _ in outputs[2:]} <= {expected, expected + 50, expected + 100}
        expected += 100
        with OxigraphStore(store, read_only=True) as opened:  # opens, and holds every append
            assert len(opened) == expected
            for f in files:
                assert bool(opened.query(f"ASK {{ <http://example.org/r{round_}/w{f.stem[-1]}/e49> ?p ?o }}"))
    stamp = read_stamp(store)
    assert stamp is not None and stamp.version == FORMAT_VERSION and stamp.generation == 1 + 6


def test_reading_never_creates_nor_changes_a_store(tmp_path, capsys):
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "notes.txt").write_text("mine", encoding="utf-8")
    empty = tmp_path / "empty"
    empty.mkdir()
    for folder in (plain, empty, tmp_path / "missing"):
        assert main(["--store", str(folder), "info"]) == 2
        assert "store" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty", "plain"]
    assert [p.name for p in plain.iterdir()] == ["notes.txt"] and not any(empty.iterdir())
    with pytest.raises(EngineError, match="not a store"):
        OxigraphStore(plain, read_only=True)


def test_a_writer_waits_for_readers_and_gives_up_with_a_clear_message(tmp_path):
    store = tmp_path / "store"
    build_store(store, default=False, validate=False)
    with OxigraphStore(store, read_only=True), OxigraphStore(store, read_only=True):  # readers share
        with pytest.raises(StoreBusyError, match="is busy"):
            OxigraphStore(store, lock_wait=0.2)
    with OxigraphStore(store, lock_wait=0.2):  # once they are gone, the writer gets in
        with pytest.raises(StoreBusyError, match="another process is writing it"):
            OxigraphStore(store, read_only=True, lock_wait=0.2)


def test_a_waiting_writer_closes_the_gate_to_new_readers(tmp_path):
    lock = StoreLock(tmp_path / "store", wait=5)
    with lock.shared():
        import threading

        got: list[str] = []
        writer = threading.Thread(target=lambda: _hold(lock, got))
        writer.start()
        import time

        time.sleep(0.3)  # the writer is waiting at the gate now
        with pytest.raises(StoreBusyError):
            with StoreLock(tmp_path / "store", wait=0.3).shared():
                pass
    writer.join()
    assert got == ["written"]


def _hold(lock: StoreLock, got: list[str]) -> None:
    with StoreLock(lock.path, wait=5).exclusive():
        got.append("written")


def test_stores_of_other_layouts_are_refused_with_the_way_out(tmp_path, capsys):
    store = tmp_path / "store"
    build_store(store, default=False, validate=False)
    stamp = json.loads((store / STAMP_NAME).read_text(encoding="utf-8"))
    (store / STAMP_NAME).write_text(json.dumps({**stamp, "version": FORMAT_VERSION + 1}), encoding="utf-8")
    assert main(["--store", str(store), "info"]) == 2
    assert "newer than this version" in capsys.readouterr().err
    (store / STAMP_NAME).unlink()  # a store written before stores were stamped
    assert main(["--store", str(store), "info"]) == 2
    assert f"kg doctor --store {store} --migrate" in capsys.readouterr().err
    assert main(["doctor", "--store", str(store), "--migrate"]) == 0
    assert "backup" in capsys.readouterr().out
    assert main(["--store", str(store), "info"]) == 0


def test_leftovers_of_a_killed_writer_are_removed_by_the_next(tmp_path, capsys):
    store = tmp_path / "store"
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True
    )
    pid = int(dead.stdout)
    orphan = tmp_path / f".store.kg-tmp-{pid}-1building"
    (orphan / "store").mkdir(parents=True)
    part = tmp_path / f".store.kg-tmp-{pid}-2nt"
    part.write_text("<a> <b> <c> .\n", encoding="utf-8")
    assert leftovers(tmp_path) == sorted([orphan, part])
    assert main(["doctor", "--store", str(store)]) == 1
    assert "2 leftover" in capsys.readouterr().out and orphan.exists()  # reported, not yet removed
    build_store(store, default=False, validate=False)
    assert leftovers(tmp_path) == [] and not orphan.exists() and not part.exists()


def test_two_ingests_into_a_new_store_at_once_both_land(tmp_path):
    header = "date,actor,relation,target,source,quote\n"
    tables = []
    for n in range(2):
        table = tmp_path / f"t{n}.csv"
        table.write_text(
            header + f"2024-03-0{n + 1},Turkey,condemns,Israel,https://example.org/{n},Said {n}.\n", encoding="utf-8"
        )
        tables.append(table)
    store = tmp_path / "store"
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "kg", "ingest", str(t), "--store", str(store)],
            env=_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for t in tables
    ]
    for process in runs:
        _, err = process.communicate(timeout=300)
        assert process.returncode == 0 and "Traceback" not in err, err
    with OxigraphStore(store, read_only=True) as opened:
        assert len(opened.query("SELECT ?e WHERE { ?e dip:quote ?q FILTER (?q IN ('Said 0.', 'Said 1.')) }")) == 2
    assert [b.command for b in list_batches(store)] == ["ingest", "ingest"]
    assert leftovers(tmp_path) == []
