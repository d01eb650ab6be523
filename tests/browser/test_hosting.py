"""riskkit on a hosting service, which runs `streamlit run FILE` on a fresh server: with
web/asgi.py (what the README says to run) a first deep link opens inside the app's frame;
with app.py, Streamlit's legacy pages/ handling still runs it alone, which this test notices
the day Streamlit changes (then app.py can be the file to run, and the workaround goes)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from playwright.sync_api import Browser, expect

from .helpers import goto, new_page
from .server import REPO, start_server, stop_server

SIDEBAR_LINKS = "[data-testid=stSidebar] [data-testid=stPageLink-NavLink]"
LEGACY_NAV = "[data-testid=stSidebarNav]"  # Streamlit's own list of the files in pages/


def test_streamlit_run_web_asgi_opens_a_first_deep_link_inside_the_frame(browser: Browser, tmp_path: Path,
                                                                         server_env: Mapping[str, str]) -> None:
    proc, url = start_server(tmp_path, env=server_env, script=REPO / "web" / "asgi.py")
    page = new_page(browser)
    try:
        goto(page, f"{url}/heatmap")
        expect(page.locator("[data-testid=stMain] h1")).to_have_text("Heat map")
        expect(page.locator(SIDEBAR_LINKS).filter(has_text="Assessments")).to_be_visible()
        expect(page.locator(LEGACY_NAV)).to_have_count(0)
        assert "assessment=" in page.url, "app.py's frame opens an assessment and names it in the address"
        phones = page.context.request.get(f"{url}/join")  # riskkit's own routes are served too
        assert phones.status == 200 and "<form" in phones.text(), (phones.status, phones.text()[:300])
    finally:
        page.context.close()
        stop_server(proc)


def test_streamlit_run_app_py_still_opens_a_first_deep_link_outside_the_frame(browser: Browser, tmp_path: Path,
                                                                              server_env: Mapping[str, str]) -> None:
    proc, url = start_server(tmp_path, env=server_env, script=REPO / "app.py")
    page = new_page(browser)
    try:
        page.goto(f"{url}/heatmap")  # not helpers.goto: outside the frame the page may never settle
        expect(page.locator("[data-testid=stMain] h1").first).to_have_text("Heat map", timeout=30_000)
        legacy = page.locator(LEGACY_NAV).count() == 1 and page.locator(SIDEBAR_LINKS).count() == 0
        assert legacy, ("Streamlit now runs app.py's frame around a first deep link despite pages/: hosting "
                        "can run `streamlit run app.py`, and web/asgi.py's workaround can go "
                        "(see tests/web/test_legacy_pages.py)")
    finally:
        page.context.close()
        stop_server(proc)
