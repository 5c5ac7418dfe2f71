"""The interactive map page: what it holds, and what a reader sees in headless chromium (offline)."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import pytest

import kg
from benchmarks import synth
from kg._errors import InputError
from kg._web import draw_html
from tests.browser import chromium, console_errors


@pytest.fixture(scope="module")
def page(default_store: kg.MemoryStore) -> Any:
    return draw_html(default_store)


def test_page_is_one_offline_file(page: Any) -> None:
    text = page.html
    assert page.size < 1_000_000
    assert "Copyright (c) 2016-2026, The Cytoscape Consortium" in text  # the library's licence, inlined
    assert not re.search(r"<script[^>]+src=", text) and not re.search(r"<link[^>]+href=\"http", text)
    assert "cdn" not in text.lower().split("<script>")[0]
    assert page.actors == 10 and page.events == 24 and page.resolution == "day"  # the default view: folded
    assert page.evidence == page.events  # a small graph embeds every event's evidence


def test_page_save_checks_the_name(page: Any, tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"\*\.html"):
        page.save(tmp_path / "map.png")
    with pytest.raises(InputError, match="does not exist"):
        page.save(tmp_path / "missing" / "map.html")
    written = page.save(tmp_path / "map.html")
    assert written.read_text(encoding="utf-8") == page.html
    assert [p.name for p in tmp_path.iterdir()] == ["map.html"]  # no temporary file left


@pytest.fixture(scope="module")
def synth_store(tmp_path_factory: pytest.TempPathFactory) -> kg.Store:
    path = tmp_path_factory.mktemp("synth") / "synth.nt"
    synth.write_ntriples(path, 4000, seed=3)
    return kg.load(path, default=False)


def test_top_rule_bins_and_keeps_the_strongest_evidence(synth_store: kg.Store) -> None:
    page = draw_html(synth_store, top=15, every_evidence=100)
    assert page.actors <= 15
    assert page.left_out > 0  # events of the actors beyond the top 15 are not in the page
    assert page.evidence < page.events  # only the strongest events of each link
    assert page.evidence <= 5 * page.links
    assert f"{page.size / 1024:,.0f} KiB" in page.summary()
    fewer = draw_html(synth_store, top=15, evidence=1, every_evidence=100)
    assert fewer.evidence <= fewer.links and fewer.size < page.size


def test_bins_widen_to_stay_within_the_budget(synth_store: kg.Store, monkeypatch: pytest.MonkeyPatch) -> None:
    import kg._web.page as page_module

    daily = draw_html(synth_store, top=15)
    assert daily.resolution == "day"
    monkeypatch.setattr(page_module, "DAY_LIMIT", 100)
    monthly = draw_html(synth_store, top=15)
    assert monthly.resolution == "month" and monthly.records < daily.records
    monkeypatch.setattr(page_module, "RECORD_BUDGET", monthly.records - 1)
    coarser = draw_html(synth_store, top=15)
    assert coarser.resolution in ("quarter", "year") and coarser.records < monthly.records
    assert daily.events == monthly.events == coarser.events  # the same events, in wider bins


# ---------------------------------------------------------------- in the browser


def _open(driver: Any, path: Path) -> None:
    """Open a saved page and wait until its map is drawn."""
    driver.get(path.as_uri())
    deadline = time.monotonic() + 20
    while not driver.execute_script("return window.kgMapReady") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert driver.execute_script("return window.kgMapReady"), f"{path.name}: the map never became ready"


@pytest.fixture(scope="module")
def browser(page: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    path = page.save(tmp_path_factory.mktemp("web") / "map.html")
    with chromium(offline=True) as driver:
        _open(driver, path)
        yield driver


def _edges(driver: Any) -> list[dict[str, Any]]:
    return driver.execute_script("""
        const m = window.kgMap;
        return m.cy.edges().map(e => { const shown = !e.hasClass('off');
            let mid = {}; try { if (shown) mid = e.renderedMidpoint() || {}; } catch (err) { /* not drawn yet */ }
            return {id: e.id(), shown: shown, dashed: e.data('line') === 'dashed', label: e.data('fullLabel'),
                    source: e.source().data('label'), target: e.target().data('label'), x: mid.x, y: mid.y}; });""")


def _positions(driver: Any) -> dict[str, list[float]]:
    return driver.execute_script(
        "const p = {}; window.kgMap.cy.nodes().forEach(n => {"
        " p[n.data('label')] = [n.position('x'), n.position('y')]; }); return p;"
    )


def test_opens_offline_without_errors_and_draws(browser: Any, page: Any) -> None:
    assert console_errors(browser) == []
    # nothing was fetched: the page holds its library and data (and the network is off anyway)
    assert browser.execute_script("return performance.getEntriesByType('resource').map(r => r.name)") == []
    edges = _edges(browser)
    assert len(edges) == page.links and all(e["shown"] for e in edges)
    # something is painted: count non-blank pixels on the map's canvases
    painted = browser.execute_script("""
        let n = 0;
        document.querySelectorAll('#cy canvas').forEach(c => {
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; });
        return n;""")
    assert painted > 10_000


def test_click_israel_turkey_edge_shows_the_recall_quote(browser: Any, default_store: kg.MemoryStore) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    graph = kg.project(default_store, claims=True)
    quote = next(d["quote"] for _, _, d in graph.edges(data=True) if d["relation_label"] == "recalls diplomats from")
    assert quote
    edge = next(
        e
        for e in _edges(browser)
        if e["source"] == "Israel" and e["target"] == "Turkey" and "recalls diplomats from" in e["label"]
    )
    box = browser.find_element(By.ID, "cy")
    size = box.size
    ActionChains(browser).move_to_element_with_offset(
        box, int(edge["x"] - size["width"] / 2), int(edge["y"] - size["height"] / 2)
    ).click().perform()
    panel = browser.find_element(By.ID, "evidence").text
    assert "Israel → Turkey" in panel
    assert quote in panel
    assert "recalls diplomats from" in panel
    assert browser.execute_script("return window.kgMap.cy.$(':selected').id()") == edge["id"]


def test_moving_to_the_16th_removes_the_recall_and_keeps_the_actors(browser: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    before = _positions(browser)
    start = browser.find_element(By.ID, "asof").get_attribute("value")
    for _ in range(3):  # the last day is 2023-10-19: three days back, in the map's own keys
        browser.find_element(By.ID, "cy").send_keys(Keys.ARROW_LEFT)
    assert int(browser.find_element(By.ID, "asof").get_attribute("value")) < int(start)
    assert browser.find_element(By.ID, "asof-text").text == "as of 2023-10-16"
    shown = [e for e in _edges(browser) if e["shown"]]
    assert shown, "events before the 16th stay"
    assert not any("recalls diplomats from" in e["label"] for e in shown)
    assert _positions(browser) == before
    assert console_errors(browser) == []
    # back to the whole span: the recall returns
    from selenium.webdriver.support.ui import Select

    Select(browser.find_element(By.ID, "window")).select_by_value("-1")
    assert any("recalls diplomats from" in e["label"] for e in _edges(browser) if e["shown"])


def test_contested_filter_hides_dashed_edges(browser: Any) -> None:
    from selenium.webdriver.common.by import By

    before = [e for e in _edges(browser) if e["shown"]]
    dashed = [e for e in before if e["dashed"]]
    assert dashed, "the default graph has contested accounts, drawn dashed"
    box = browser.find_element(By.ID, "contested")
    assert box.is_selected()
    box.click()
    after = [e for e in _edges(browser) if e["shown"]]
    assert not any(e["dashed"] for e in after)
    assert {e["id"] for e in after} == {e["id"] for e in before if not e["dashed"]}
    box.click()
    assert len([e for e in _edges(browser) if e["shown"]]) == len(before)


def test_search_by_alias_and_actor_panel(browser: Any, default_store: kg.MemoryStore) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    actors = browser.execute_script("return window.kgMap.data.actors")
    actor = next(a for a in actors if a["aliases"] and a["wikidata"])
    search = browser.find_element(By.ID, "search")
    search.clear()
    search.send_keys(actor["aliases"][0], Keys.ENTER)
    panel = browser.find_element(By.ID, "evidence").text
    assert panel.startswith(actor["label"])
    assert actor["aliases"][0] in panel
    link = browser.find_element(By.CSS_SELECTOR, "#evidence a[href^='http://www.wikidata.org/']")
    assert link.get_attribute("href") == actor["wikidata"]
    # keyboard: n moves to the next actor by centrality
    browser.find_element(By.ID, "cy").send_keys("n")
    assert browser.find_element(By.ID, "evidence").text.split("\n")[0] != ""


def test_download_png_of_the_view(browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    browser.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)})
    browser.find_element(By.ID, "png").click()
    deadline = time.monotonic() + 10
    while not (tmp_path / "map.png").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    data = (tmp_path / "map.png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000


def test_cli_writes_the_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from kg.cli import main

    out = tmp_path / "map.html"
    assert main(["draw", "-o", str(out)]) == 0
    said = capsys.readouterr().out
    assert f"wrote {out}" in said and "KiB" in said and "10 actors" in said
    assert out.read_text(encoding="utf-8").startswith("<!doctype html>")
    assert main(["draw", "-o", str(tmp_path / "map.txt")]) == 2
    assert main(["draw", "-o", str(tmp_path / "ego.html"), "--focus", "Turkey"]) == 2
    assert "search the actor in the page" in capsys.readouterr().err
    assert not (tmp_path / "ego.html").exists()


def test_a_binned_page_in_the_browser(synth_store: kg.Store, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    import kg._web.page as page_module

    monkeypatch.setattr(page_module, "DAY_LIMIT", 100)
    monkeypatch.setattr(page_module, "RECORD_BUDGET", 300)
    page = draw_html(synth_store, top=15, every_evidence=100)
    assert page.resolution in ("quarter", "year")
    path = page.save(tmp_path / "binned.html")
    with chromium(offline=True) as driver:
        _open(driver, path)
        assert console_errors(driver) == []
        assert f"binned by {page.resolution}" in driver.find_element(By.ID, "subtitle").text
        total = driver.execute_script("return window.kgMap.cy.edges().filter(e => !e.hasClass('off')).length")
        assert total == page.links
        last = driver.execute_script("return window.kgMap.data.range[1]")  # months since year 0
        for _ in range(30):  # the slider moves by month
            driver.find_element(By.ID, "cy").send_keys(Keys.ARROW_LEFT)
        month = last - 30
        assert driver.find_element(By.ID, "asof-text").text == f"as of {month // 12}-{month % 12 + 1:02d}"
        counted = driver.execute_script(
            "return window.kgMap.cy.edges().map(e => e.data('count') || 0).reduce((a, b) => a + b, 0)"
        )
        assert 0 < counted < page.events
        assert console_errors(driver) == []


def test_a_merged_page_summarises_each_pair_as_the_projection_collapses_it(
    synth_store: kg.Store, tmp_path: Path
) -> None:
    page = draw_html(synth_store, top=40)
    pairs = kg.collapse(kg.project(synth_store, claims=True), directed=False)
    path = page.save(tmp_path / "merged.html")
    with chromium(offline=True) as driver:
        _open(driver, path)
        assert console_errors(driver) == []
        shown = driver.execute_script("""
            const m = window.kgMap, D = m.data;
            return m.cy.edges().filter(e => !e.hasClass('off')).map(e => { const l = D.links[e.data('i')];
                return [D.actors[l.s].id, D.actors[l.t].id, l.merged, e.data('sign'), e.data('contested')]; });""")
    assert len(shown) == page.links and all(merged for _, _, merged, _, _ in shown)
    # recounted in the page over the whole span, every pair is drawn as kg.collapse summarises it
    drawn = [(sign, contested) for a, b, _, sign, contested in shown]
    assert drawn == [(pairs.edges[a, b]["sign"], pairs.edges[a, b]["contested"]) for a, b, *_ in shown]
    assert any(contested for _, contested in drawn) and {sign for sign, _ in drawn} >= {1, -1}
