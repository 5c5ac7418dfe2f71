"""Shared fixtures: the default graph, the fixture folders and the shared reference data."""

from __future__ import annotations

from pathlib import Path

import pytest

import kg

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def default_store() -> kg.MemoryStore:
    """The default graph in memory, loaded once (tests must not change it)."""
    store = kg.load()
    assert isinstance(store, kg.MemoryStore)
    return store


@pytest.fixture
def shared() -> Path:
    """The shared folder beside the repository; the test skips when it is absent."""
    if not (SHARED / "reference").is_dir():
        pytest.skip("../shared is not beside the repository")
    return SHARED
