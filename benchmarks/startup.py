"""Time the start of the ``kg`` command: ``kg --help``, ``kg info`` and ``kg path Israel Haniyeh``.

Each command runs ``--repeats`` times in a fresh process, ``python -m kg ...`` from an empty
folder, for every checkout given (``--before DIR``: another checkout of the package, such as
``git archive main | tar -x -C /tmp/before``; this one is always measured), the runs of the
checkouts interleaved so that both see the same load of a shared machine. Reported: the median
wall-clock time and the median CPU time (user + system) of the process. With the cached default
graph (``kg._cache``) the first run of a checkout builds the cache (it is given apart, "cold");
the others read it. Then, in this process, the forms the default graph could be read back from
are timed side by side (parsing the Turtle sources and deriving, as without the cache; an N-Triples
or Turtle dump of the derived graph; the pickle ``kg._cache`` keeps). Results go to
benchmarks/results/startup.md.

    python benchmarks/startup.py --before /tmp/before --repeats 7
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"

COMMANDS = [["--help"], ["info"], ["path", "Israel", "Haniyeh"]]
TARGETS = {"--help": 0.3, "info": 0.5, "path Israel Haniyeh": 0.8}


def run(root: Path, args: list[str], env: dict[str, str], cwd: str) -> tuple[float, float, str]:
    """Run ``python -m kg ARGS`` with ``root`` first on the path; return wall s, CPU s and stdout."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "kg", *args],
        env={**env, "PYTHONPATH": str(root)},
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, help="another checkout to measure side by side")
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    roots = {"before": args.before} if args.before else {}
    roots["after"] = ROOT
    with tempfile.TemporaryDirectory() as cwd:
        env = {**os.environ, "KG_CACHE_DIR": str(Path(cwd) / "cache")}
        times: dict[tuple[str, str], list[tuple[float, float]]] = {}
        cold: dict[tuple[str, str], tuple[float, float]] = {}
        outputs: dict[tuple[str, str], str] = {}
        for command in COMMANDS:
            name = " ".join(command)
            for label, root in roots.items():  # the first run builds the cache
                wall, cpu, outputs[label, name] = run(root, command, env, cwd)
                cold[label, name] = (wall, cpu)
            for _ in range(args.repeats):
                for label, root in roots.items():
                    wall, cpu, out = run(root, command, env, cwd)
                    assert out == outputs[label, name], f"{label} {name}: the output changed between runs"
                    times.setdefault((label, name), []).append((wall, cpu))
        same = {name: len({outputs[label, name] for label in roots}) == 1 for name in map(" ".join, COMMANDS)}
    write(roots, times, cold, same, args.repeats, forms(args.repeats))


def forms(repeats: int) -> list[tuple[str, float]]:
    """Time reading the default graph back from each form it could be kept in (median seconds)."""
    import pickle

    import rdflib

    sys.path.insert(0, str(ROOT))
    from kg._cache import _build

    graph = _build()
    nt = graph.serialize(format="nt", encoding="utf-8")
    ttl = graph.serialize(format="turtle", encoding="utf-8")
    pickled = pickle.dumps(graph, protocol=pickle.HIGHEST_PROTOCOL)
    cases = {
        "Turtle sources, parsed and derived (no cache)": _build,
        "N-Triples dump of the derived graph": lambda: rdflib.Graph().parse(data=nt, format="nt"),
        "Turtle dump of the derived graph": lambda: rdflib.Graph().parse(data=ttl, format="turtle"),
        f"pickle of the derived graph (kg._cache, {len(pickled) / 1e6:.1f} MB)": lambda: pickle.loads(pickled),
    }
    rows = []
    for label, read in cases.items():
        runs = []
        for _ in range(repeats):
            started = time.perf_counter()
            read()
            runs.append(time.perf_counter() - started)
        rows.append((f"{label}, {len(graph):,} triples", statistics.median(runs)))
    return rows


def write(
    roots: dict[str, Path],
    times: dict[tuple[str, str], list[tuple[float, float]]],
    cold: dict[tuple[str, str], tuple[float, float]],
    same: dict[str, bool],
    repeats: int,
    read: list[tuple[str, float]],
) -> None:
    load = os.getloadavg()[0]
    lines = [
        "# Start-up of the `kg` command",
        "",
        f"Command: `python benchmarks/startup.py{' --before DIR' if 'before' in roots else ''} --repeats {repeats}` "
        "(each command in a fresh process from an empty folder, checkouts interleaved; median of the runs after "
        "the first, which builds the cache of the default graph).",
        f"Machine: {os.cpu_count()} cores shared with other jobs (load average {load:.1f} at the end), "
        f"Python {platform.python_version()}, written {time.strftime('%Y-%m-%d %H:%M')}. Wall-clock time "
        "depends on the load; CPU time (user + system) much less.",
        "",
        "| command | target (wall) | " + " | ".join(f"{label}: wall s | {label}: CPU s" for label in roots) + " | "
        "first run (after): wall s | same output |",
        "|---|---:|" + "---:|---:|" * len(roots) + "---:|:---:|",
    ]
    for name, target in TARGETS.items():
        cells = []
        for label in roots:
            runs = times[label, name]
            cells += [f"{statistics.median(w for w, _ in runs):.2f}", f"{statistics.median(c for _, c in runs):.2f}"]
        lines.append(
            f"| `kg {name}` | {target} | "
            + " | ".join(cells)
            + f" | {cold['after', name][0]:.2f} | {'yes' if same[name] else 'NO'} |"
        )
    lines += [
        "",
        "*before*: the checkout given with `--before` (here `main` at the start of the work, "
        "`git archive efb1658`); *after*: this checkout. `kg --help` differs in one place: it shows "
        "`--request HOW` where it listed `{auto,get,post,direct}` (the option's help names them), so that "
        "the choices do not load the endpoint client at every start. On an idle machine the wall-clock time "
        "of these one-threaded commands is close to their CPU time.",
    ]
    lines += ["", "## Reading the default graph back", "", "| form | median s |", "|---|---:|"]
    lines += [f"| {label} | {seconds:.3f} |" for label, seconds in read]
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "startup.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
