"""Files the package writes get the usual permissions (0666 less the umask), written whole."""

import os
import stat
import subprocess
import sys

import pytest

import kg
from kg._files import atomic_write, leftovers, remove_leftovers

from .conftest import FIXTURES, ROOT


@pytest.fixture(params=[0o022, 0o077])
def umask(request):
    old = os.umask(request.param)
    yield request.param
    os.umask(old)


def mode(path):
    return stat.S_IMODE(path.stat().st_mode)


def test_exports_maps_and_ingested_tables_respect_the_umask(default_store, tmp_path, umask):
    expected = 0o666 & ~umask
    graph = kg.project(default_store)
    assert mode(kg.export(graph, tmp_path / "network.graphml")) == expected
    assert mode(kg.save_figure(kg.draw(graph, width=4, height=3), tmp_path / "map.png")) == expected
    report = kg.ingest(FIXTURES / "ingest" / "events.csv", out_dir=tmp_path / "mine")
    assert mode(report.output) == expected
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.png", "mine", "network.graphml"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old")

    def fail(path):
        path.write_text("half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        atomic_write(target, fail)
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_the_temporary_of_a_killed_writer_is_found_and_removed_by_the_next(tmp_path):
    target = tmp_path / "network.graphml"
    target.write_text("old")
    script = (
        "import os, sys, pathlib\n"
        "from kg._files import atomic_write\n"
        "def die(path):\n"
        "    path.write_text('half')\n"
        "    os._exit(9)\n"
        "atomic_write(pathlib.Path(sys.argv[1]), die)\n"
    )
    killed = subprocess.run([sys.executable, "-c", script, str(target)], env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert killed.returncode == 9
    [left] = leftovers(tmp_path)
    assert left.read_text() == "half" and left.name.startswith(".network.graphml.")
    assert remove_leftovers(tmp_path) == [left]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["network.graphml"] and target.read_text() == "old"
