"""Names imported on first use (PEP 562), for a package whose ``__init__`` must stay light.

A package lists what it offers in an ``if TYPE_CHECKING:`` block of ``from ... import ...`` lines
(which type checkers and readers follow); :func:`attach` reads that block from the package's
source and returns the module-level ``__getattr__`` that imports a name the first time it is
used. ``kg`` uses it so that ``import kg`` loads neither matplotlib nor the SHACL engine, and
``kg._drawing`` so that its layout modules load without matplotlib.
"""

from __future__ import annotations

import ast
import importlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["attach"]


def attach(package: str, file: str) -> tuple[dict[str, tuple[str, str]], Callable[[str], Any]]:
    """Return ``(where, __getattr__)`` for ``package``, read from the ``TYPE_CHECKING`` imports of ``file``.

    ``where`` maps each name to the module it comes from and its name there (``import X as Y``).

    Examples
    --------
    >>> import kg
    >>> where, getattr_ = attach("kg", kg.__file__)
    >>> where["load"], getattr_("load") is kg.load
    (('kg._bulkload', 'load'), True)
    """
    tree = ast.parse(Path(file).read_text(encoding="utf-8"))
    block = next(node for node in tree.body if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING")
    where = {
        alias.asname or alias.name: (node.module, alias.name)
        for node in block.body
        if isinstance(node, ast.ImportFrom) and node.module
        for alias in node.names
    }

    def __getattr__(name: str) -> Any:
        found = where.get(name)
        if found is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module, own_name = found
        value = getattr(importlib.import_module(module), own_name)
        setattr(sys.modules[package], name, value)
        return value

    return where, __getattr__
