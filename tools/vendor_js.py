"""Refresh the JavaScript the interactive map inlines: Cytoscape.js from the npm registry.

Usage::

    python tools/vendor_js.py              # the pinned version below
    python tools/vendor_js.py 3.36.0       # another version (then update VERSION here)

Runs ``npm install cytoscape@VERSION`` in a temporary folder and copies its minified build and its
licence into ``kg/web/vendor/`` (``cytoscape.min.js``, ``cytoscape.LICENSE``, ``cytoscape.version``).
The page (``kg.web``) inlines those files: nothing is fetched when a map is written or opened.
Cytoscape.js was chosen over sigma.js + graphology on ``benchmarks/web_libs.py`` (about as fast
for 3,000 edges) because it draws node shapes, dashed edges, curved parallel edges and PNG export
itself.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

VERSION = "3.35.0"
VENDOR = Path(__file__).resolve().parents[1] / "kg" / "_web" / "vendor"


def main(version: str = VERSION) -> None:
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("npm is not installed: apt-get install -y npm")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([npm, "install", "--no-audit", "--no-fund", "--prefix", tmp, f"cytoscape@{version}"], check=True)
        package = Path(tmp) / "node_modules" / "cytoscape"
        found = json.loads((package / "package.json").read_text())["version"]
        VENDOR.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(package / "dist" / "cytoscape.min.js", VENDOR / "cytoscape.min.js")
        shutil.copyfile(package / "LICENSE", VENDOR / "cytoscape.LICENSE")
        (VENDOR / "cytoscape.version").write_text(found + "\n")
    print(f"vendored cytoscape {found} into {VENDOR}")


if __name__ == "__main__":
    main(*sys.argv[1:2])
