"""The test suite's own rule: a skip is a failure under CI=true (tests/conftest.py)."""

from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

CONFTEST = Path(__file__).with_name("conftest.py")


@pytest.mark.parametrize(("ci", "outcome"), [("true", {"failed": 1}), ("", {"skipped": 1})])
def test_a_skip_fails_only_in_ci(pytester, monkeypatch, ci, outcome):
    pytester.makeconftest(CONFTEST.read_text())
    pytester.makepyfile("import pytest\n\ndef test_needs_a_tool():\n    pytest.skip('no such tool')\n")
    monkeypatch.setenv("CI", ci)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(**outcome)
    if ci:
        result.stdout.fnmatch_lines(["*skipped in CI, where nothing may be missing*no such tool*"])
