"""No traceback, ever: every fault of the reliability review, with its documented exit code."""

from __future__ import annotations

import gzip
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import kg
from kg._bulkload import build_store
from kg._errors import QueryError
from kg._query import check
from kg._store import OxigraphStore
from kg.cli import main

ROOT = Path(__file__).resolve().parents[1]
EVENTS = ROOT / "tests" / "fixtures" / "ingest" / "events.csv"
HEADER = "date,actor,relation,target,source,quote\n"
CROSS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err + out
    return code, out, err


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("reliability") / "store"
    build_store(folder)
    return folder


def test_a_field_over_the_csv_module_limit_is_a_bad_row(capsys, tmp_path):
    table = tmp_path / "long.csv"
    table.write_text(
        HEADER + f'2024-03-01,Turkey,condemns,Israel,https://example.org/a,"{"x" * 200_000}"\n', encoding="utf-8"
    )
    code, _, err = run(capsys, "ingest", str(table), "-o", str(tmp_path / "out"))
    assert code == 2 and "row 2" in err
    table.write_text(
        HEADER + f'2024-03-01,Turkey,condemns,Israel,https://example.org/a,"{"x" * 1_100_000}"\n', encoding="utf-8"
    )
    code, _, err = run(capsys, "ingest", str(table), "-o", str(tmp_path / "out"))
    assert code == 2 and "field larger than field limit" in err and "1,000,000 characters" in err
    assert not (tmp_path / "out").exists()  # nothing written: no folder either


def test_an_unquoted_comma_is_a_bad_row_not_a_truncated_quote(capsys, tmp_path):
    table = tmp_path / "events.csv"
    table.write_text(
        HEADER + "2024-03-01,Turkey,condemns,Israel,https://example.org/a,"
        "Ankara, the foreign ministry said, condemned it.\n"
        "2024-03-02,Turkey,condemns,Israel\n",
        encoding="utf-8",
    )
    code, _, err = run(capsys, "ingest", str(table), "-o", str(tmp_path / "out"))
    assert code == 2
    assert "row 2: column \"(field 7: ' the foreign ministry said')\": 8 fields where the header has 6" in err
    assert "row 3: column 'source': 4 fields where the header has 6" in err
    code, _, err = run(capsys, "ingest", str(table), "-o", str(tmp_path / "out"), "--skip-bad-rows")
    assert code == 2 and "every row is bad" in err and not (tmp_path / "out").exists()


def test_output_names_never_collide_silently(capsys, tmp_path):
    for side in ("a", "b"):
        (tmp_path / side).mkdir()
        (tmp_path / side / "events.csv").write_bytes(EVENTS.read_bytes())
    out = tmp_path / "out"
    assert run(capsys, "ingest", str(tmp_path / "a" / "events.csv"), "-o", str(out))[0] == 0
    first = (out / "events.ttl").read_text(encoding="utf-8")
    assert run(capsys, "ingest", str(tmp_path / "a" / "events.csv"), "-o", str(out))[0] == 0  # the same input
    code, _, err = run(capsys, "ingest", str(tmp_path / "b" / "events.csv"), "-o", str(out))
    assert code == 2 and "already holds the events of" in err and "--force" in err
    assert (out / "events.ttl").read_text(encoding="utf-8") == first
    assert run(capsys, "ingest", str(tmp_path / "b" / "events.csv"), "-o", str(out), "--force")[0] == 0
    assert str(tmp_path / "b" / "events.csv") in (out / "events.ttl").read_text(encoding="utf-8")


def test_an_output_that_cannot_be_written(capsys, tmp_path):
    afile = tmp_path / "afile"
    afile.write_text("mine", encoding="utf-8")
    code, _, err = run(capsys, "ingest", str(EVENTS), "-o", str(afile))
    assert code == 2 and "is a file" in err and afile.read_text(encoding="utf-8") == "mine"
    folder = tmp_path / "d.png"
    folder.mkdir()
    code, _, err = run(capsys, "draw", "-o", str(folder))
    assert code == 2 and "kg: error:" in err
    code, _, err = run(capsys, "load", "--store", str(afile / "store"))
    assert code == 2 and "kg: error:" in err


def _read_only_sys() -> bool:
    # chmod does not stop root: a read-only mount does (/sys in a container, read-only to anyone)
    try:
        Path("/sys/kg-probe").mkdir()
    except OSError:
        return Path("/sys").is_dir()
    Path("/sys/kg-probe").rmdir()
    return False


@pytest.mark.skipif(not _read_only_sys(), reason="needs /sys mounted read-only (as in a container)")
def test_a_read_only_folder(capsys):
    for argv in (
        ["ingest", str(EVENTS), "-o", "/sys/kg-out"],
        ["load", "--store", "/sys/kg-store"],
        ["draw", "-o", "/sys/kg-map.png"],
    ):
        code, _, err = run(capsys, *argv)
        assert code == 2 and "kg: error:" in err, argv


def test_a_literal_too_long_for_oxigraph(capsys, tmp_path):
    big = tmp_path / "big.ttl"
    big.write_text(f'<http://example.org/a> <http://example.org/p> "{"x" * 17_000_000}" .\n', encoding="utf-8")
    code, _, err = run(capsys, "load", "--store", str(tmp_path / "s"), "--no-default", "--no-validate", str(big))
    assert code == 2 and "big.ttl" in err and "too long" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == [".s.kg-lock", "big.ttl"]


def test_refused_queries(capsys, store):
    code, _, err = run(capsys, "query", "SELECT * FROM NAMED <http://example.org/g> WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert code == 2 and "FROM and FROM NAMED are not supported by the in-memory engine" in err
    code, _, err = run(
        capsys,
        "--store",
        str(store),
        "query",
        "SELECT ?x WHERE { ?s ?p ?o } LIMIT 1",
        "--param",
        "x=http://example.org/a b",
    )
    assert code == 2 and "not a valid IRI" in err


def test_a_syntax_error_is_located_without_running_the_query():
    values = " ".join(str(i) for i in range(2000))
    text = (
        f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?a {{ {values} }} "
        f"LATERAL {{ SELECT ?b WHERE {{ VALUES ?b {{ {values} }} VALUES ?c {{ {values} }} }} }} }}"
    )
    with pytest.raises(QueryError, match="line 1, column"):  # Oxigraph would count 8e9 rows
        check(text)


def test_a_query_stops_at_its_timeout_on_every_local_engine(capsys, store):
    code, _, err = run(capsys, "--store", str(store), "query", CROSS, "--timeout", "1")
    assert code == 2 and "ran longer than 1 s" in err
    code, _, err = run(capsys, "query", "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }", "--timeout", "1")
    assert code == 2 and "ran longer than 1 s" in err
    with OxigraphStore(store, lock_wait=1):  # the lock was released: a writer gets in
        pass


def test_ctrl_c_stops_a_store_query_at_once_and_releases_the_lock(store):
    child = subprocess.Popen(
        [sys.executable, "-m", "kg", "--store", str(store), "query", CROSS, "--timeout", "0"],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not _has_child(child.pid):  # the query process runs
        time.sleep(0.1)
    child.send_signal(signal.SIGINT)
    _, err = child.communicate(timeout=20)
    assert child.returncode == 130 and "interrupted" in err and "Traceback" not in err
    with OxigraphStore(store, lock_wait=1):
        pass


def _has_child(pid: int) -> bool:
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            if task.read_text().strip():
                return True
        except FileNotFoundError:  # a thread of the process ended between the listing and the read
            continue
    return False


def test_a_decompression_bomb_is_refused(capsys, tmp_path):
    bomb = tmp_path / "export.CSV.gz"
    bomb.write_bytes(gzip.compress((b"0" * 3_000_000 + b"\n") * 40, compresslevel=9))  # 120 MB from 120 KB
    code, _, err = run(capsys, "ingest", "--format", "gdelt", str(bomb), "-o", str(tmp_path / "out"))
    assert code == 2 and "decompression bomb" in err
    endless = tmp_path / "zeros.CSV.gz"
    endless.write_bytes(gzip.compress(b"0" * 20_000_000, compresslevel=9))
    code, _, err = run(capsys, "ingest", "--format", "gdelt", str(endless), "-o", str(tmp_path / "out"))
    assert code == 2 and "a line longer than 4,000,000" in err


def test_an_rdf_xml_entity_bomb_is_refused_on_every_path(capsys, tmp_path):
    entities = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + ("" if i == 1 else str(i - 1)) + ";") * 10}">' for i in range(1, 10)
    ]
    bomb = tmp_path / "lol.rdf"
    bomb.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n' + "\n".join(entities) + "\n]>\n"
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">'
        '<rdf:Description rdf:about="http://example.org/a"><ex:p>&lol9;</ex:p></rdf:Description>'
        "</rdf:RDF>\n",
        encoding="utf-8",
    )
    for argv in (
        ["validate", str(bomb)],
        ["--data", str(bomb), "info"],
        ["load", "--store", str(tmp_path / "s"), "--no-validate", str(bomb)],
        ["--data", str(bomb), "ingest", str(EVENTS), "-o", str(tmp_path / "out")],
    ):
        code, _, err = run(capsys, *argv)
        assert code == 2 and "lol.rdf:4: syntax error: the entity 'lol1' is made of other entities" in err, argv
        assert "fix the RDF/XML" in err
    plain = tmp_path / "plain.rdf"  # a namespace entity, as ontology editors write, is fine
    plain.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [<!ENTITY ex "http://example.org/">]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">'
        '<rdf:Description rdf:about="&ex;a"><ex:p>x</ex:p></rdf:Description></rdf:RDF>\n',
        encoding="utf-8",
    )
    code, out, _ = run(
        capsys,
        "--no-default",
        "--data",
        str(plain),
        "query",
        "SELECT ?o WHERE { <http://example.org/a> ?p ?o }",
        "--format",
        "csv",
    )
    assert code == 0 and out.split() == ["o", "x"]


def test_an_unexpected_error_is_an_internal_error_with_exit_3(capsys, monkeypatch):
    def broken(store):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(kg, "summarize", broken)  # a bug, made on purpose
    code, _, err = run(capsys, "info")
    assert code == 3
    assert err.startswith("kg: internal error: ZeroDivisionError: division by zero\n")
    assert "please report it" in err

    def interrupted(store):
        raise KeyboardInterrupt

    monkeypatch.setattr(kg, "summarize", interrupted)
    assert run(capsys, "info")[0] == 130


def test_impossible_and_future_dates_are_bad_rows(capsys, tmp_path):
    table = tmp_path / "dates.csv"
    table.write_text(
        HEADER + "2099-01-01,Turkey,condemns,Israel,https://example.org/a,Ankara condemned it.\n"
        "0000,Turkey,condemns,Israel,https://example.org/b,Ankara condemned it.\n",
        encoding="utf-8",
    )
    code, _, err = run(capsys, "ingest", str(table), "-o", str(tmp_path / "out"))
    assert code == 2
    assert "row 2: column 'date': 2099-01-01 is in the future" in err
    assert "row 3: column 'date': '0000': there is no year 0" in err
