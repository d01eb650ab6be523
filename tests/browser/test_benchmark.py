"""The browser benchmark (`python -m benchmarks.browser`), run once on a short list so its
machinery cannot rot while the pages change: it must still find the risk card, the band,
the bare page's chart and a drawn page, and time them. How fast is for `make bench` to say."""

from __future__ import annotations

from playwright.sync_api import Browser

from benchmarks.browser import PAGES, measure, report


def test_the_benchmark_times_a_click_and_opening_a_page_on_riskkit_and_the_bare_page(browser: Browser) -> None:
    assess = [page for page in PAGES if page[1] == "assess"]

    rows = measure(browser, repeats=1, warmups=0, sizes=(12,), pages=assess, progress=lambda row: None)

    assert [(row.what, row.risks) for row in rows] == [("click a level until the card shows the band", 12),
                                                       ("open Assess", 12)]
    for row in rows:
        assert len(row.app) == len(row.bare) == 1, row
        assert row.app[0] > 0 and row.bare[0] > 0, row
        assert row.ratio > 0
    written = report(rows, repeats=1)
    assert "| click a level until the card shows the band | 12 |" in written
    assert "| open Assess | 12 |" in written
