"""Headless Chromium for the web tests and benchmarks, driven by Selenium through chromedriver.

:func:`chromium` starts Debian's ``chromium`` headless, with the network switched off for the page
(DevTools ``Network.emulateNetworkConditions`` offline) unless asked otherwise, and a fresh
profile. Where chromium or chromedriver is missing it skips the test, except under ``CI=true``,
where the test fails: CI installs them (``.ci/system-packages``).
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator
from typing import Any

import pytest

CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
    "--window-size=1400,900",
)


def _binary(name: str, *others: str) -> str | None:
    for candidate in (name, *others):
        found = shutil.which(candidate)
        if found:
            return found
    return None


def require_chromium() -> tuple[str, str]:
    """Return the paths of chromium and chromedriver; skip when missing (a failure under CI=true)."""
    browser = _binary("chromium", "chromium-browser")
    driver = _binary("chromedriver")
    if browser is None or driver is None:
        message = (
            "headless chromium is not installed (apt-get install -y chromium chromium-driver); "
            "the browser tests need it"
        )
        pytest.skip(message)  # a failure under CI=true (tests/conftest.py), where CI installs them
    try:
        import selenium  # noqa: F401
    except ImportError:  # pragma: no cover - selenium is in the test extra
        pytest.fail("selenium is not installed: pip install -e '.[test]'")
    return browser, driver


@contextlib.contextmanager
def chromium(*, offline: bool = True) -> Iterator[Any]:
    """Yield a Selenium WebDriver on headless chromium (offline unless ``offline=False``)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    browser, driver_path = require_chromium()
    profile = tempfile.mkdtemp(prefix="kg-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    try:
        if offline:
            driver.execute_cdp_cmd("Network.enable", {})
            driver.execute_cdp_cmd(
                "Network.emulateNetworkConditions",
                {"offline": True, "latency": 0, "downloadThroughput": 0, "uploadThroughput": 0},
            )
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def console_errors(driver: Any) -> list[str]:
    """Return the page's console messages of level SEVERE (errors), read since the last call."""
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
