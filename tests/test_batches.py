"""Batches: every load and ingest into a store is listed with its provenance and can be retracted."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from kg._batches import list_batches
from kg._store import OxigraphStore
from kg.cli import main

ROOT = Path(__file__).resolve().parents[1]
EVENTS = ROOT / "tests" / "fixtures" / "ingest" / "events.csv"
HEADER = "date,actor,relation,target,source,quote\n"


def _ask(store: Path, text: str) -> bool:
    with OxigraphStore(store, read_only=True) as opened:
        return bool(opened.query(text))


def test_a_corrected_table_replaces_the_old_one(tmp_path, capsys):
    store = tmp_path / "store"
    assert main(["load", "--store", str(store)]) == 0
    baseline = len(OxigraphStore(store, read_only=True))
    wrong = tmp_path / "march.csv"
    wrong.write_text(
        HEADER + "2024-03-01,Turkey,condemns,Israel,https://example.org/a,Ankara condemned it.\n", encoding="utf-8"
    )
    assert main(["ingest", str(wrong), "--store", str(store)]) == 0
    capsys.readouterr()
    assert main(["batches", "--store", str(store), "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(b["id"], b["command"]) for b in listed] == [("1", "load"), ("2", "ingest")]
    assert listed[1]["files"] == [
        {
            "path": str(wrong.resolve()),
            "bytes": wrong.stat().st_size,
            "sha256": hashlib.sha256(wrong.read_bytes()).hexdigest(),
        }
    ]
    assert listed[1]["options"]["format"] == "csv" and listed[1]["time"].endswith("+00:00")
    assert _ask(store, "ASK { ?e dip:quote 'Ankara condemned it.' }")

    assert main(["retract", "2", "--store", str(store)]) == 0
    assert "triples removed" in capsys.readouterr().out
    assert not _ask(store, "ASK { ?e dip:quote 'Ankara condemned it.' }")
    with OxigraphStore(store, read_only=True) as opened:  # exactly as before: events, actors, edges
        assert len(opened) == baseline
    assert [b.id for b in list_batches(store)] == ["1"]

    right = tmp_path / "march.csv"
    right.write_text(
        HEADER + "2024-03-02,Turkey,condemns,Israel,https://example.org/a,Ankara condemned it.\n", encoding="utf-8"
    )
    assert main(["ingest", str(right), "--store", str(store)]) == 0
    assert _ask(store, "ASK { ?e dip:quote 'Ankara condemned it.' ; dip:date '2024-03-02'^^xsd:date }")
    assert not _ask(store, "ASK { ?e dip:date '2024-03-01'^^xsd:date ; dip:quote 'Ankara condemned it.' }")


def test_a_retraction_keeps_what_another_batch_also_asserted(tmp_path, capsys):
    store = tmp_path / "store"
    assert main(["ingest", str(EVENTS), "--store", str(store)]) == 0  # batch 1: a new store
    again = tmp_path / "copy.csv"
    again.write_bytes(EVENTS.read_bytes())
    assert main(["ingest", str(again), "--store", str(store)]) == 0  # batch 2: the same events
    before = len(OxigraphStore(store, read_only=True))
    assert main(["retract", "2", "--store", str(store)]) == 0
    assert len(OxigraphStore(store, read_only=True)) == before  # every triple is batch 1's too
    capsys.readouterr()
    assert main(["retract", "7", "--store", str(store)]) == 2
    assert "unknown batch '7'" in capsys.readouterr().err


def test_doctor_finds_and_removes_what_killed_commands_left_and_checks_the_store(tmp_path, capsys):
    import subprocess
    import sys

    import pytest

    import kg

    store = tmp_path / "store"
    kg.build_store(store, default=False, validate=False)
    gone = int(subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True).stdout)
    part = tmp_path / f".events.ttl.kg-tmp-{gone}-1part"
    part.write_text("half", encoding="utf-8")
    checkup = kg.doctor(store=store)
    assert (checkup.leftovers, checkup.removed, checkup.store, checkup.ok) == ([part], [], store, False)
    assert main(["doctor", "--store", str(store)]) == 1
    out = capsys.readouterr().out
    assert f"leftover: {part}" in out and "1 leftover(s) of killed commands; remove them with --fix" in out
    checkup = kg.doctor(tmp_path, fix=True)
    assert (checkup.leftovers, checkup.removed, checkup.ok) == ([], [part], True) and not part.exists()
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(kg.EngineError, match="is not a store"):
        kg.doctor(store=tmp_path / "out")  # a folder of other files
