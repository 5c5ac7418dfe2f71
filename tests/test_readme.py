"""The README's tour of the command line runs as written, and each command prints what it promises.

The tour runs in a temporary folder (with ``data/`` linked from the repository, so the example
inputs are where the README says), command after command, as a new user would type them; the
endpoint line runs against a real ``oxigraph serve`` of the store the tour built.
"""

from __future__ import annotations

import gc
import re
import shlex

import pytest

from kg.cli import main

from .conftest import ROOT, oxigraph_server

README = ROOT / "README.md"

# What each command of the tour must print (substrings of its standard output, or of its
# standard error where it writes a file and only reports it).
EXPECTED: dict[str, list[str]] = {
    "kg info": ["actors           21", "events           27", "claims           2"],
    "kg validate": ["conforms"],
    "kg validate --ontology": ["conforms"],
    "kg queries": ["reductions", "timeline", "actor (actor, required)"],
    "kg query reductions --as-of 2023-10-19": ["recalls diplomats from", "urges citizens to leave", "(4 rows)"],
    "kg query claims": ["Israel caused the Gaza hospital explosion", "disputes", "endorses"],
    """kg query timeline --param actor="Turkey's top diplomat\"""": ["Hakan Fidan", "discusses by telephone with"],
    "kg query 'SELECT ?a ?b WHERE { ?a dip:maintainsTiesWith ?b }' --format json": [
        '"vars"',
        "https://w3id.org/dipkg/id/turkey",
        "https://w3id.org/dipkg/id/hamas",
    ],
    "kg path Israel Haniyeh --max-hops 3": ["paths from Israel to Ismail Haniyeh", "holds a post in"],
    "kg centrality --measure betweenness": ["betweenness centrality", "1     Israel", "Turkey"],
    "kg balance": ["balanced", "Hamas", "Israel", "Turkey"],
    "kg dyad Israel Turkey": [
        "Israel and Turkey: 7 relations",
        "running_tone",
        "urges citizens to leave",
        "Ministry of Foreign Affairs of Turkey",
        "Recep Tayyip Erdogan",
        "recalls diplomats from",
    ],
    "kg diff --from 2023-10-16 --to 2023-10-19": [
        "recalls diplomats from",
        "appeared",
        "changed sign",
        "counted for the state or organisation they act for",
    ],
    "kg export --format graphml -o network.graphml": ["wrote network.graphml"],
    "kg draw -o map.png": ["wrote map.png"],
    "kg draw -o turkey.png --focus Turkey --hops 1": ["wrote turkey.png"],
    "kg timeline Israel Turkey -o timeline.png": ["wrote timeline.png"],
    "kg report -o report": ["wrote report/index.md"],
    "kg ingest data/examples/events.csv -o mine/": ["7 event(s)", "mine/events.ttl", "Republic of Veloria"],
    'kg --data mine/ dyad "Republic of Veloria" Turkey': ["Republic of Veloria and Turkey", "recalls diplomats from"],
    "kg ingest --format gdelt data/examples/20180326044500.export.CSV --store store/": [
        "100 row(s) read (gdelt); 44 event(s)",
        "skipped 56 row(s): no Actor1",
    ],
    "kg --store store/ centrality --top 5": ["degree centrality", "(5 rows)"],
    "kg --endpoint http://127.0.0.1:7878/query info": ["events           71"],
}


def tour() -> list[str]:
    """The commands of the README's code block under "A tour of the command line", comments dropped."""
    text = README.read_text(encoding="utf-8")
    block = re.search(r"## A tour of the command line.*?```sh\n(.*?)```", text, re.DOTALL)
    assert block is not None, "README.md has no tour of the command line"
    return [line.split("  #", 1)[0].strip() for line in block.group(1).splitlines() if line.strip()]


def test_every_command_of_the_tour_has_an_expectation():
    assert tour() == list(EXPECTED)


@pytest.mark.slow
def test_the_tour_runs_as_written(tmp_path, monkeypatch, capsys):
    (tmp_path / "data").symlink_to(ROOT / "data", target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "1000")  # whole cells: the width rule has tests of its own
    for command in tour():
        argv = shlex.split(command)
        assert argv[0] == "kg"
        if "--endpoint" in argv:
            gc.collect()  # the store the earlier commands opened in this process is released
            with oxigraph_server(tmp_path / "store") as base:
                argv[argv.index("--endpoint") + 1] = f"{base}/query"
                code = main(argv[1:])
        else:
            code = main(argv[1:])
        out, err = capsys.readouterr()
        assert code == 0, f"{command}: exit {code}\n{err}"
        for expected in EXPECTED[command]:
            assert expected in out + err, f"{command}: {expected!r} not in\n{out}{err}"
    assert (tmp_path / "report" / "index.md").is_file() and (tmp_path / "mine" / "events.ttl").is_file()
