"""Print the README's two commands (the code block under "## Two commands"), one a line.

``.ci/run`` runs them verbatim, so that CI checks what a new user types. Comments after ``#`` are
dropped; a README without exactly two commands there is an error (exit 2).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def commands(text: str) -> list[str]:
    """Return the commands of the first code block under the heading "## Two commands"."""
    section = text.split("\n## Two commands", 1)
    if len(section) != 2:
        return []
    block = re.search(r"```(?:sh|bash|console)?\n(.*?)```", section[1], re.DOTALL)
    if block is None:
        return []
    return [line.split(" #", 1)[0].strip() for line in block.group(1).splitlines() if line.strip()]


def main() -> int:
    found = commands(README.read_text(encoding="utf-8"))
    if len(found) != 2:
        print(f"{README}: expected two commands under '## Two commands', found {len(found)}", file=sys.stderr)
        return 2
    print("\n".join(found))
    return 0


if __name__ == "__main__":
    sys.exit(main())
