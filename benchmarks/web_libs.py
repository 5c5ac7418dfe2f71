"""Which JavaScript graph library draws the interactive map: Cytoscape.js or sigma.js + graphology.

Usage::

    python benchmarks/web_libs.py --node-modules DIR     # DIR from `npm install cytoscape sigma graphology`

Builds one self-contained page per library with the same random graph (``--nodes`` actors,
``--edges`` edges, fixed positions, arrows, two colours) and measures, in headless chromium, the
time from navigation start to the first frame drawn with every edge, the median of ``--repeats``
page loads. Also reports the size of each library's minified build. Results go to
``benchmarks/results/web_libs.md``.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser import chromium  # noqa: E402

_CY = """<script>{lib}</script><div id=g style="width:1200px;height:800px"></div><script>
const d={data};
const cy=cytoscape({{container:document.getElementById('g'),layout:{{name:'preset'}},
 style:[{{selector:'node',style:{{'background-color':'#F0E442','width':8,'height':8}}}},
 {{selector:'edge',style:{{'width':1,'line-color':'data(c)','target-arrow-shape':'triangle',
 'target-arrow-color':'data(c)','curve-style':'bezier'}}}}],
 elements:d.nodes.map(n=>({{data:{{id:n[0]}},position:{{x:n[1],y:n[2]}}}}))
  .concat(d.edges.map((e,i)=>({{data:{{id:'e'+i,source:e[0],target:e[1],c:e[2]}}}})))}});
cy.one('render',()=>requestAnimationFrame(()=>{{window.done=performance.now();}}));
</script>"""

_SIGMA = """<script>{graphology}</script><script>{lib}</script>
<div id=g style="width:1200px;height:800px"></div><script>
const d={data};
const g=new graphology.MultiDirectedGraph();
d.nodes.forEach(n=>g.addNode(n[0],{{x:n[1],y:n[2],size:4,color:'#F0E442'}}));
d.edges.forEach((e,i)=>g.addEdgeWithKey('e'+i,e[0],e[1],{{color:e[2],size:1,type:'arrow'}}));
const s=new Sigma(g,document.getElementById('g'));
requestAnimationFrame(()=>requestAnimationFrame(()=>{{window.done=performance.now();}}));
</script>"""


def _graph(nodes: int, edges: int) -> str:
    rng = random.Random(0)
    ids = [f"n{i}" for i in range(nodes)]
    return json.dumps(
        {
            "nodes": [[n, rng.uniform(0, 1200), rng.uniform(0, 800)] for n in ids],
            "edges": [[rng.choice(ids), rng.choice(ids), rng.choice(["#0072B2", "#D55E00"])] for _ in range(edges)],
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--node-modules", type=Path, required=True)
    parser.add_argument("--nodes", type=int, default=500)
    parser.add_argument("--edges", type=int, default=3000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    mods = args.node_modules
    cy = (mods / "cytoscape/dist/cytoscape.min.js").read_text()
    sigma = (mods / "sigma/dist/sigma.min.js").read_text()
    graphology = (mods / "graphology/dist/graphology.umd.min.js").read_text()
    data = _graph(args.nodes, args.edges)
    pages = {
        "cytoscape": _CY.format(lib=cy, data=data),
        "sigma+graphology": _SIGMA.format(lib=sigma, graphology=graphology, data=data),
    }
    sizes = {"cytoscape": len(cy), "sigma+graphology": len(sigma) + len(graphology)}
    versions = {
        name: json.loads((mods / name / "package.json").read_text())["version"]
        for name in ("cytoscape", "sigma", "graphology")
    }
    times: dict[str, list[float]] = {name: [] for name in pages}
    errors: dict[str, list[str]] = {name: [] for name in pages}
    with tempfile.TemporaryDirectory() as tmp, chromium() as driver:
        for name, html in pages.items():
            path = Path(tmp) / f"{name}.html"
            path.write_text(f"<!doctype html><meta charset=utf-8><body>{html}</body>")
            for _ in range(args.repeats):
                driver.get(path.as_uri())
                driver.set_script_timeout(30)
                done = driver.execute_async_script(
                    "const cb=arguments[0];(function w(){if(window.done)cb(window.done);else setTimeout(w,5)})()"
                )
                times[name].append(float(done))
            errors[name] = [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    lines = [
        "# Graph library for the interactive map",
        "",
        f"{args.nodes} nodes, {args.edges} directed edges with arrows at fixed positions, headless chromium "
        f"(`--disable-gpu`), median of {args.repeats} loads: time from navigation start to the first frame.",
        "",
        f"Versions: {', '.join(f'{k} {v}' for k, v in versions.items())}.",
        "",
        "| library | minified size | time to first frame | console errors |",
        "|---|---|---|---|",
    ]
    for name in pages:
        lines.append(
            f"| {name} | {sizes[name] / 1024:.0f} KiB | {statistics.median(times[name]):.0f} ms | {len(errors[name])} |"
        )
    lines += [
        "",
        f"Command: `python benchmarks/web_libs.py --node-modules DIR --nodes {args.nodes} "
        f"--edges {args.edges} --repeats {args.repeats}`",
        "",
    ]
    for name, errs in errors.items():
        for e in errs[:3]:
            lines.append(f"- {name}: {e[:300]}")
    out = ROOT / "benchmarks/results/web_libs.md"
    out.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
