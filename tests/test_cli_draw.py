"""``kg draw``, ``kg timeline`` and ``kg report`` (kg/cli/draw.py)."""

from __future__ import annotations

import pytest
from PIL import Image

from kg.cli import main

from .conftest import FIXTURES


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_draw_writes_a_png_of_the_asked_size(capsys, tmp_path):
    out = tmp_path / "turkey.png"
    code, text, err = run(
        capsys,
        "draw",
        "-o",
        str(out),
        "--focus",
        "Ankara",
        "--hops",
        "2",
        "--claims",
        "--width",
        "6",
        "--height",
        "4",
        "--dpi",
        "50",
    )
    assert (code, text, err) == (0, f"wrote {out}\n", "")
    with Image.open(out) as image:
        assert image.size == (300, 200)


def test_draw_top_view_as_svg_with_filters(capsys, tmp_path):
    out = tmp_path / "top.svg"
    code, _, _ = run(
        capsys,
        "draw",
        "-o",
        str(out),
        "--view",
        "top",
        "--top",
        "5",
        "--measure",
        "pagerank",
        "--as-of",
        "2023-10-19",
        "--sign",
        "-",
    )
    assert code == 0
    assert out.read_bytes().startswith(b"<?xml")


def test_timeline_of_a_dyad(capsys, tmp_path):
    out = tmp_path / "dyad.png"
    assert run(capsys, "timeline", "Israel", "Turkey", "-o", str(out))[0] == 0
    assert out.is_file()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["draw", "-o", "{dir}/map.jpg"], "name the image *.png or *.svg"),
        (["draw", "-o", "{dir}/missing/map.png"], "does not exist; create it first"),
        (["draw", "-o", "{dir}/map.png", "--focus", "Atlantis"], "unknown actor 'Atlantis'"),
        (
            ["draw", "-o", "{dir}/map.png", "--focus", "Haniyeh", "--as-of", "2023-10-10", "--from-evidence"],
            "Ismail Haniyeh has no relation in this cut",
        ),
        (["timeline", "Atlantis", "-o", "{dir}/t.png"], "unknown actor 'Atlantis'"),
        (["draw", "-o", "{dir}/map.png", "--as-of", "19 October"], "is not a valid date"),
    ],
)
def test_bad_input_exits_2_and_writes_nothing(capsys, tmp_path, argv, message):
    code, out, err = run(capsys, *[a.format(dir=tmp_path) for a in argv])
    assert code == 2 and out == ""
    assert err.startswith("kg: error: ") and message in err
    assert list(tmp_path.iterdir()) == []


def test_report_of_a_graph_that_does_not_conform_exits_1(capsys, tmp_path):
    bad = FIXTURES / "invalid" / "no-source.ttl"
    code, out, _ = run(capsys, "--data", str(bad), "report", "-o", str(tmp_path), "--no-svg", "--no-queries")
    assert code == 1
    assert out.splitlines() == [
        f"wrote {tmp_path / 'index.md'} and 8 more files into {tmp_path}",
        "the graph does not conform to the shapes: see validation.txt",
    ]
    text = (tmp_path / "index.md").read_text(encoding="utf-8")
    assert "**The graph does NOT conform** to the SHACL shapes: 1 violation(s)." in text
    validation = (tmp_path / "validation.txt").read_text(encoding="utf-8")
    assert validation.startswith("does not conform: 1 violation(s)")
    assert "no-source.ttl:" in validation
