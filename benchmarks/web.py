"""The interactive map and ``kg serve``: page sizes, time to interactive in headless chromium, /sparql latency.

Usage::

    python benchmarks/web.py                       # default graph, 100k synthetic events, the server
    python benchmarks/web.py --events 100000 --top 200 --repeats 5 --requests 40

Measures:

1. **the default graph's page** (``kg.draw_html(kg.load())``): its size, the time to build it, and
   its time to interactive in headless chromium, offline (navigation start to the first frame with
   every edge drawn and the handlers bound: ``window.kgMapReady``), median of ``--repeats`` loads;
2. **a top-N page of a large graph**: ``--events`` synthetic events (``benchmarks/synth.py``; the
   Oxigraph store is the one ``benchmarks/drawing.py`` caches), ``draw_html(store, top=N)``: its size,
   how many events it holds as time bins and how many as embedded evidence, build time, time to
   interactive; beside it the plain alternative's size: the same page with the evidence of every
   event embedded (``every_evidence`` above the number of events);
3. **/sparql**: ``kg serve`` on the default graph (2 workers), the named query ``reductions`` by
   ``/api/named`` and the same text by ``/sparql``: latency of one client (median and 95th
   percentile of ``--requests`` calls, after start-up), then 8 clients at once; beside it the same
   query called in the process (``kg.query``), the plain alternative without HTTP.

Results go to ``benchmarks/results/web.md`` (and ``web.json``).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RESULTS = ROOT / "benchmarks" / "results"


def _interactive(path: Path, repeats: int) -> tuple[float, list[str]]:
    from tests.browser import chromium, console_errors

    times = []
    with chromium(offline=True) as driver:
        driver.set_script_timeout(120)
        for _ in range(repeats):
            driver.get(path.as_uri())
            ready = driver.execute_async_script(
                "const done = arguments[0]; (function wait() { if (window.kgMapReady) done(window.kgMapReady);"
                " else setTimeout(wait, 5); })();"
            )
            times.append(float(ready))
        errors = console_errors(driver)
    return statistics.median(times), errors


def page_figures(store: Any, top: int | None, repeats: int, plain: bool) -> dict[str, Any]:
    import kg

    started = time.perf_counter()
    page = kg.draw_html(store, top=top)
    built = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as tmp:
        path = page.save(Path(tmp) / "map.html")
        tti, errors = _interactive(path, repeats)
    result = {
        "bytes": page.size,
        "build_s": built,
        "tti_ms": tti,
        "console_errors": len(errors),
        "actors": page.actors,
        "links": page.links,
        "events": page.events,
        "records": page.records,
        "evidence": page.evidence,
        "resolution": page.resolution,
        "left_out": page.left_out,
        "summary": page.summary(),
    }
    if plain:
        every = kg.draw_html(store, top=top, every_evidence=10**9)
        result["plain_bytes"] = every.size
        result["plain_evidence"] = every.evidence
    return result


def _call(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as response:
        response.read()
        assert response.status == 200
    return (time.perf_counter() - started) * 1000


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def server_figures(requests: int) -> dict[str, Any]:
    import kg
    from tests.test_web_server import kg_serve

    named = kg.get_query("reductions")
    store = kg.load()
    kg.query(store, "reductions")
    local = []
    for _ in range(requests):
        started = time.perf_counter()
        kg.query(store, "reductions")
        local.append((time.perf_counter() - started) * 1000)
    result: dict[str, Any] = {"in_process_ms": statistics.median(local)}
    with kg_serve(timeout=30) as (base, process):
        urls = {
            "named": f"{base}/api/named/reductions",
            "sparql": f"{base}/sparql?" + urllib.parse.urlencode({"query": named.sparql}),
        }
        for name, url in urls.items():
            _call(url)  # warm
            one = [_call(url) for _ in range(requests)]
            result[f"{name}_median_ms"] = statistics.median(one)
            result[f"{name}_p95_ms"] = _percentile(one, 0.95)
        many: list[float] = []
        failures: list[str] = []

        def client() -> None:
            for _ in range(max(1, requests // 4)):
                try:
                    many.append(_call(urls["named"]))
                except Exception as exc:
                    failures.append(repr(exc))

        threads = [threading.Thread(target=client) for _ in range(8)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - started
        result.update(
            {
                "eight_clients_requests": len(many),
                "eight_clients_failures": len(failures),
                "eight_clients_median_ms": statistics.median(many),
                "eight_clients_p95_ms": _percentile(many, 0.95),
                "eight_clients_per_s": len(many) / wall,
            }
        )
        process.terminate()
        process.wait(15)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--top", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--skip-large", action="store_true")
    args = parser.parse_args()

    import kg
    from benchmarks.drawing import store_for

    figures: dict[str, Any] = {"default": page_figures(kg.load(), None, args.repeats, plain=False)}
    print("default page:", figures["default"]["summary"], file=sys.stderr)
    if not args.skip_large:
        store = kg.OxigraphStore(store_for(args.events), read_only=True)
        figures["large"] = page_figures(store, args.top, max(1, args.repeats // 2), plain=True)
        figures["large"]["store_events"] = args.events
        print("large page:", figures["large"]["summary"], file=sys.stderr)
    figures["server"] = server_figures(args.requests)
    (RESULTS / "web.json").write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")

    d, s = figures["default"], figures["server"]
    lines = [
        "# Interactive map and `kg serve`",
        "",
        f"Command: `python benchmarks/web.py --events {args.events} --top {args.top} --repeats {args.repeats} "
        f"--requests {args.requests}`. Headless Debian chromium (`--headless=new --disable-gpu`, network off), "
        "a machine of 2 cores shared with other jobs. Time to interactive: navigation start to the first frame "
        "with every edge drawn and the handlers bound, median of the loads.",
        "",
        "## Pages",
        "",
        "| page | size | actors | links | events in it (time bins) | evidence embedded | build | time to interactive "
        "| console errors |",
        "|---|---|---|---|---|---|---|---|---|",
        f"| default graph | {d['bytes'] / 1024:,.0f} KiB | {d['actors']} | {d['links']} | {d['events']} "
        f"({d['records']} {d['resolution']} bins) | {d['evidence']} | {d['build_s']:.2f} s | {d['tti_ms']:.0f} ms | "
        f"{d['console_errors']} |",
    ]
    if "large" in figures:
        g = figures["large"]
        lines.append(
            f"| top {args.top} of {args.events:,} synthetic events | {g['bytes'] / 1024:,.0f} KiB | {g['actors']} | "
            f"{g['links']} | {g['events']:,} ({g['records']:,} {g['resolution']} bins) | {g['evidence']:,} | "
            f"{g['build_s']:.1f} s | {g['tti_ms']:.0f} ms | {g['console_errors']} |"
        )
        lines += [
            "",
            f"Plain alternative for the large page: the evidence of all {g['plain_evidence']:,} events "
            f"embedded makes it {g['plain_bytes'] / 1024:,.0f} KiB ({g['plain_bytes'] / g['bytes']:.1f} times "
            f"the binned page). {g['left_out']:,} events of the store are beyond the top-{args.top} rule "
            "(between actors outside the top, or on links left out of the backbone).",
        ]
    lines += [
        "",
        "## /sparql and /api/named (default graph, 2 workers)",
        "",
        "| call | median | 95th percentile |",
        "|---|---|---|",
        f'| `kg.query(store, "reductions")` in the process (no HTTP) | {s["in_process_ms"]:.1f} ms | |',
        f"| GET /api/named/reductions, one client | {s['named_median_ms']:.1f} ms | {s['named_p95_ms']:.1f} ms |",
        f"| GET /sparql?query=(its text), one client | {s['sparql_median_ms']:.1f} ms | {s['sparql_p95_ms']:.1f} ms |",
        f"| GET /api/named/reductions, 8 clients at once | {s['eight_clients_median_ms']:.1f} ms | "
        f"{s['eight_clients_p95_ms']:.1f} ms |",
        "",
        f"8 clients: {s['eight_clients_requests']} answers, {s['eight_clients_failures']} failures, "
        f"{s['eight_clients_per_s']:.0f} answers/s.",
        "",
    ]
    (RESULTS / "web.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
