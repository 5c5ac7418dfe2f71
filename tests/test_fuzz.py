"""Fuzzing the CLI: random bytes, CSV rows and Turtle fragments never crash it.

Whatever the input, ``kg validate``, ``kg ingest`` and ``kg query`` end with a documented exit
code (0 ok, 1 does not conform / ASK false, 2 bad input) and print no traceback nor an internal
error (exit 3 would be a bug of the package).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg._bulkload import build_store
from kg.cli import main

# Modest: validation runs SHACL over the ontology (some 2 s an example on a busy machine).
SETTINGS = settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
MORE = settings(SETTINGS, max_examples=30)

TURTLE_PIECES = st.sampled_from(
    [
        "@prefix dip: <https://w3id.org/dipkg/ns#> .",
        "@prefix id: <https://w3id.org/dipkg/id/> .",
        "id:a",
        "id:turkey",
        "dip:condemns",
        "a",
        "dip:State",
        "dip:Event",
        "dip:date",
        '"2024-01-01"^^xsd:date',
        '"x"@en',
        '"""long',
        "<http://example.org/a>",
        "<bad iri>",
        "[",
        "]",
        "(",
        ")",
        ";",
        ",",
        ".",
        "_:b",
        "rdfs:label",
        "123",
        "true",
        "@base <http://x/> .",
        "\\u0000",
        "#",
        "\n",
        "<<",
        ">>",
        "^^",
    ]
)
CELLS = st.one_of(
    st.sampled_from(
        [
            "2024-03-01",
            "2099-01-01",
            "1990-13-40",
            "0000",
            "0000-01",
            "9999-12-31",
            "Turkey",
            "Israel",
            "condemns",
            "recalls diplomats from",
            "https://example.org/a",
            "not a url",
            "",
            '"',
            '""',
            ",",
            "\t",
            "0.5",
            "state",
        ]
    ),
    st.text(max_size=30),
)
COLUMNS = ["date", "actor", "relation", "target", "source", "quote", "actor_kind", "confidence"]
QUERY_PIECES = st.sampled_from(
    [
        "SELECT",
        "ASK",
        "CONSTRUCT",
        "DESCRIBE",
        "*",
        "?s",
        "?p",
        "?o",
        "WHERE",
        "{",
        "}",
        "(",
        ")",
        ".",
        ";",
        "FILTER",
        "OPTIONAL",
        "UNION",
        "GRAPH",
        "FROM",
        "NAMED",
        "<http://example.org/a>",
        "dip:Event",
        "a",
        "LIMIT",
        "1",
        "ORDER BY",
        "COUNT(*)",
        "AS",
        "?n",
        "VALUES",
        '"x"',
        "BIND",
        "SERVICE",
        "INSERT DATA",
        "LATERAL",
        "#",
        "\n",
        "PREFIX",
        "ex:",
        "rdfs:label",
    ]
)


def _check(argv: list[str], capsys) -> None:
    code = main(argv)
    out, err = capsys.readouterr()
    assert code in (0, 1, 2), (argv, code, err[-500:])
    assert "Traceback" not in out + err and "internal error" not in err, err[-2000:]


@SETTINGS
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".ttl", ".nt", ".rdf", ".csv", ".CSV.gz", ".tab"]))
def test_random_bytes(capsys, data, suffix):
    with tempfile.TemporaryDirectory() as folder:
        file = Path(folder) / f"input{suffix}"
        file.write_bytes(data)
        if suffix in (".ttl", ".nt", ".rdf"):
            _check(["--no-default", "validate", str(file)], capsys)
        else:
            fmt = {".csv": "csv", ".CSV.gz": "gdelt", ".tab": "icews"}[suffix]
            _check(["ingest", "--format", fmt, str(file), "-o", str(Path(folder) / "out")], capsys)


@MORE
@given(
    rows=st.lists(st.lists(CELLS, min_size=0, max_size=10), max_size=6),
    header=st.permutations(COLUMNS),
    skip=st.booleans(),
)
def test_random_csv_rows(capsys, rows, header, skip):
    with tempfile.TemporaryDirectory() as folder:
        table = Path(folder) / "events.csv"
        lines = [",".join(header)] + [",".join(row) for row in rows]
        table.write_text("\n".join(lines) + "\n", encoding="utf-8")
        _check(["ingest", str(table), "-o", str(Path(folder) / "out"), *(["--skip-bad-rows"] if skip else [])], capsys)


@SETTINGS
@given(pieces=st.lists(TURTLE_PIECES, max_size=25))
def test_random_turtle_fragments(capsys, pieces):
    with tempfile.TemporaryDirectory() as folder:
        file = Path(folder) / "fragment.ttl"
        file.write_text(" ".join(pieces), encoding="utf-8")
        _check(["--no-default", "validate", str(file)], capsys)


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("fuzz") / "store"
    build_store(folder, default=False, validate=False)  # the ontology alone: a second to build
    return folder


@MORE
@given(pieces=st.lists(QUERY_PIECES, max_size=20))
def test_random_queries(capsys, store, pieces):
    _check(["--store", str(store), "query", " ".join(pieces), "--timeout", "5"], capsys)
