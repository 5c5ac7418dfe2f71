import json

import pytest

from kg.cli import main

from .conftest import FIXTURES


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_info_counts_the_default_graph(capsys):
    code, out, _ = run(capsys, "info", "--format", "json")
    assert code == 0
    info = json.loads(out)
    assert (info["events"], info["claims"], info["states"], info["sources"]) == (27, 2, 11, 2)
    assert (info["first_date"], info["last_date"]) == ("2023-10-07", "2023-10-19")
    assert info["actors_by_kind"] == {
        "collective": 6,
        "organisation": 4,
        "government body": 3,
        "person": 3,
        "state": 3,
        "diplomatic mission": 2,
    }
    assert info["events_by_type"]["recalls diplomats from"] == 1
    assert info["events_by_type"]["accuses"] == 4


def test_info_table_and_data_option(capsys):
    code, out, _ = run(capsys, "--data", str(FIXTURES / "valid"), "info")
    assert code == 0
    assert "events           30" in out
    assert "date span        2023-10-07 .. 2024-03-03" in out


def test_validate_conforms(capsys):
    assert run(capsys, "validate") == (0, "conforms\n", "")


@pytest.mark.parametrize("name", ["no-date", "no-source", "unknown-relation", "malformed-date", "unknown-actor"])
def test_validate_broken_files_exit_1_with_file_and_line(capsys, name):
    path = FIXTURES / "invalid" / f"{name}.ttl"
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == "does not conform: 1 violation(s)"
    assert lines[1].startswith(f"{path}:9: violation: id:event/{name} ")


def test_syntax_error_exits_2_with_position_and_no_traceback(capsys):
    path = FIXTURES / "invalid" / "syntax-error.ttl"
    code, out, err = run(capsys, "validate", str(path))
    assert code == 2
    assert out == ""
    assert err.startswith(f"kg: error: {path}:12:1: syntax error:")
    assert "Traceback" not in err


def test_missing_file_exits_2(capsys, tmp_path):
    code, _, err = run(capsys, "validate", str(tmp_path / "absent.ttl"))
    assert code == 2
    assert "no such file or folder" in err


def test_validate_the_ontology(capsys):
    assert run(capsys, "validate", "--ontology") == (0, "conforms\n", "")


def test_missing_store_folder_is_bad_input(capsys, tmp_path):
    code, _, err = run(capsys, "--store", str(tmp_path / "nostore"), "info")
    assert code == 2
    assert "no such store" in err
