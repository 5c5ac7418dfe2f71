"""Batches: many files, a folder or a glob ingested as one batch, parsed in worker processes.

The graph a batch builds is the graph of the same files ingested one after another; a bad
file anywhere writes nothing and is named with its row.
"""

from __future__ import annotations

import gzip
import zipfile
from pathlib import Path

import pyoxigraph as ox
import pytest

from benchmarks.ingest import gdelt_rows
from kg._batches import list_batches
from kg._errors import IngestError, InputError
from kg._ingestion import ingest
from kg._ingestion._batch import input_files
from kg._store import OxigraphStore
from kg.cli import main

from .conftest import FIXTURES

INGEST = FIXTURES / "ingest"


def _triples(folder: Path) -> tuple[list[str], int]:
    """The store's triples without blank nodes (sorted), and how many have one (the ontology's)."""
    store = ox.Store.read_only(str(folder))
    named, blank = [], 0
    for quad in store:
        if isinstance(quad.subject, ox.BlankNode) or isinstance(quad.object, ox.BlankNode):
            blank += 1
        else:
            named.append(str(quad.triple))
    del store
    return sorted(named), blank


def _gdelt_exports(folder: Path, *, files: int = 4, rows: int = 250) -> list[Path]:
    """Cut one synthetic export into ``files`` files (actors and sources recur across them)."""
    folder.mkdir()
    lines = list(gdelt_rows(files * rows, seed=7))
    paths = []
    for i in range(files):
        text = "\n".join(lines[i * rows : (i + 1) * rows]) + "\n"
        path = folder / f"2023010100{i:02d}00.export.CSV"
        if i == 1:  # GDELT publishes them zipped
            path = path.with_name(path.name + ".zip")
            with zipfile.ZipFile(path, "w") as archive:
                archive.writestr(path.stem, text)
        elif i == 2:
            path = path.with_name(path.name + ".gz")
            path.write_bytes(gzip.compress(text.encode("utf-8")))
        else:
            path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def _one_after_another(paths: list[Path], store: Path, format: str) -> list[tuple[int, int, int]]:
    return [(r.rows, r.events, len(r.bad_rows)) for r in (ingest(p, format=format, store=store) for p in paths)]


@pytest.mark.parametrize("workers", [1, 2])
def test_a_gdelt_batch_is_the_files_ingested_one_after_another(tmp_path, workers):
    paths = _gdelt_exports(tmp_path / "exports")
    alone = _one_after_another(paths, tmp_path / "one-by-one", "gdelt")

    report = ingest(tmp_path / "exports", format="gdelt", store=tmp_path / "batch", workers=workers)

    assert _triples(tmp_path / "batch") == _triples(tmp_path / "one-by-one")
    assert [p.path for p in report.files] == paths  # in name order: GDELT's names are times
    assert [(p.rows, p.events, len(p.bad_rows)) for p in report.files] == alone
    assert report.rows == sum(r for r, _, _ in alone) == 1000
    assert report.events == sum(e for _, e, _ in alone) > 800
    assert sum(report.skipped.values()) == sum(sum(p.skipped.values()) for p in report.files) > 0
    # actors created once, by the first file naming them; later files find them in the graph
    created = [a.iri for p in report.files for a in p.actors_created]
    assert len(created) == len(set(created)) == len(report.actors_created) > 0
    first = {a.iri for a in report.files[0].actors_created}
    assert {m.iri for m in report.files[1].merged} & first  # names resolved to actors file 1 created
    batches = list_batches(tmp_path / "batch")
    assert len(batches) == 1 and [Path(f["path"]) for f in batches[0].files] == paths
    text = str(report)
    assert f"{len(paths)} file(s)" in text.splitlines()[0]
    assert f"  {paths[1].name}: {alone[1][0]} row(s) read, {alone[1][1]} event(s), 0 bad row(s)" in text


def test_a_batch_into_an_existing_store_adds_what_one_after_another_adds(tmp_path):
    paths = _gdelt_exports(tmp_path / "exports", files=3, rows=120)
    for store in ("one-by-one", "batch"):
        ingest(INGEST / "sample.export.CSV", format="gdelt", store=tmp_path / store)
    _one_after_another(paths, tmp_path / "one-by-one", "gdelt")

    ingest([str(p) for p in paths], format="gdelt", store=tmp_path / "batch", workers=2)

    assert _triples(tmp_path / "batch") == _triples(tmp_path / "one-by-one")
    assert len(list_batches(tmp_path / "batch")) == 2


def test_icews_and_event_table_batches_are_their_files_one_after_another(tmp_path):
    for format, source, suffix in (("icews", "sample.tab", ".tab"), ("csv", "events.csv", ".csv")):
        header, *rows = (INGEST / source).read_text(encoding="utf-8").splitlines(keepends=True)
        folder = tmp_path / format
        folder.mkdir()
        half = len(rows) // 2
        paths = [folder / f"a{suffix}", folder / f"b{suffix}"]
        paths[0].write_text(header + "".join(rows[:half]), encoding="utf-8")
        paths[1].write_text(header + "".join(rows[half:]), encoding="utf-8")
        alone = _one_after_another(paths, tmp_path / f"{format}-one-by-one", format)

        report = ingest(folder, format=format, store=tmp_path / f"{format}-batch", workers=2)

        assert _triples(tmp_path / f"{format}-batch") == _triples(tmp_path / f"{format}-one-by-one")
        assert [(p.rows, p.events, len(p.bad_rows)) for p in report.files] == alone
        assert all(events for _, events, _ in alone)


def test_a_bad_file_names_itself_and_its_row_and_nothing_is_written(tmp_path):
    good = _gdelt_exports(tmp_path / "exports", files=2, rows=100)
    bad = tmp_path / "exports" / "2023010100ff00.export.CSV"
    bad.write_bytes((INGEST / "bad.export.CSV").read_bytes())
    ingest(INGEST / "sample.export.CSV", format="gdelt", store=tmp_path / "store")
    before = _triples(tmp_path / "store")

    with pytest.raises(IngestError) as caught:
        ingest([*good, bad], format="gdelt", store=tmp_path / "store", workers=2)

    assert Path(caught.value.path) == bad
    assert [(row, column) for row, column, _ in caught.value.problems] == [
        (2, "SQLDATE"),
        (3, "EventCode"),
        (4, "(row)"),
    ]
    assert str(bad) in str(caught.value) and "nothing was written" in str(caught.value)
    assert _triples(tmp_path / "store") == before
    assert len(list_batches(tmp_path / "store")) == 1

    with pytest.raises(IngestError):  # into a new store: no store at all
        ingest(tmp_path / "exports", format="gdelt", store=tmp_path / "new", workers=2)
    assert not (tmp_path / "new").exists()


def test_skipping_bad_rows_writes_the_good_rows_of_every_file(tmp_path):
    good = _gdelt_exports(tmp_path / "exports", files=2, rows=100)
    bad = tmp_path / "bad.export.CSV"
    bad.write_bytes((INGEST / "bad.export.CSV").read_bytes())

    report = ingest([*good, bad], format="gdelt", store=tmp_path / "store", skip_bad_rows=True, workers=2)

    assert [len(p.bad_rows) for p in report.files] == [0, 0, 3]
    assert report.files[2].events == 1
    assert {b.path for b in report.bad_rows} == {bad}
    assert f"{bad.name}: row 2: column 'SQLDATE'" in str(report)
    with OxigraphStore(tmp_path / "store", read_only=True) as store:
        ids = {str(r[0]) for r in store.query("SELECT ?id WHERE { ?e a dip:Event ; dip:datasetId ?id }").rows}
    assert len(ids) == report.events
    assert "1000000001" in ids and not {"1000000011", "1000000012"} & ids  # the bad rows' events


def test_a_damaged_file_of_a_batch_is_named(tmp_path):
    good = _gdelt_exports(tmp_path / "exports", files=2, rows=50)
    damaged = tmp_path / "exports" / "2023010100zz00.export.CSV.zip"
    damaged.write_bytes(b"PK\x03\x04 not really a zip archive")

    with pytest.raises(InputError, match="2023010100zz00"):
        ingest([*good, damaged], format="gdelt", store=tmp_path / "store", workers=2)
    assert not (tmp_path / "store").exists()


def test_folders_globs_and_lists_name_the_files_of_a_batch(tmp_path):
    folder = tmp_path / "month"
    folder.mkdir()
    for name in ("20180301001500.export.CSV.zip", "20180301000000.export.CSV.zip", "20180301000000.mentions.CSV.zip"):
        (folder / name).write_bytes(b"")
    (folder / "README.md").write_text("notes")

    files, batch = input_files(folder, "gdelt")
    assert [f.name for f in files] == ["20180301000000.export.CSV.zip", "20180301001500.export.CSV.zip"]
    assert batch
    files, batch = input_files(str(folder / "*0000.export.CSV.zip"), "gdelt")
    assert [f.name for f in files] == ["20180301000000.export.CSV.zip"] and batch
    files, batch = input_files([files[0], files[0]], "gdelt")
    assert len(files) == 1 and batch
    files, batch = input_files(files[0], "gdelt")
    assert not batch

    with pytest.raises(InputError, match="matches no file"):
        input_files(str(folder / "*.tab"), "icews")
    with pytest.raises(InputError, match="no csv file"):
        input_files(folder, "csv")
    with pytest.raises(InputError, match="no such file"):
        input_files([folder / "missing.CSV"], "gdelt")
    with pytest.raises(InputError, match="goes into a store"):
        ingest(folder, format="gdelt", out_dir=tmp_path / "out")


def test_kg_ingest_takes_a_folder_a_glob_or_several_files(tmp_path, capsys):
    paths = _gdelt_exports(tmp_path / "exports", files=3, rows=60)

    code = main(
        ["ingest", str(tmp_path / "exports" / "*.export.CSV*"), "--format", "gdelt", "--store", str(tmp_path / "s")]
    )
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "3 file(s), 180 row(s) read (gdelt)" in out.splitlines()[0]
    assert [line.split(":")[0].strip() for line in out.splitlines()[1:4]] == [p.name for p in paths]

    code = main(
        ["ingest", str(paths[0]), str(INGEST / "bad.export.CSV"), "--format", "gdelt", "--store", str(tmp_path / "s")]
    )
    out, err = capsys.readouterr()
    assert code == 2 and "bad.export.CSV:row 2" in err and "nothing was written" in err
