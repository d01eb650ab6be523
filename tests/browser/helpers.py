"""What a user does in the browser, as small functions: open a page, rate a risk,
add a risk, read a heat-map cell. Each waits for Streamlit to finish the run it
caused, so a test never sleeps for a fixed time."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any, TypeVar

from playwright.sync_api import Browser, Locator, Page, expect

T = TypeVar("T")
RUN_TIMEOUT_MS = 20_000
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# Streamlit marks its root with data-test-script-state (initial, running, notRunning, ...);
# "idle" also means no element is stale (from the run before) or a skeleton (still loading).
# Counting the moments it becomes notRunning tells "the run my click caused has ended"
# apart from "no run has started yet".
COUNT_RUNS = """
(() => {
  window.__riskkitRuns = 0;
  new MutationObserver(records => {
    for (const r of records) {
      const now = r.target.getAttribute('data-test-script-state');
      if (now === 'notRunning' && r.oldValue !== 'notRunning') window.__riskkitRuns += 1;
    }
  }).observe(document, {subtree: true, attributes: true, attributeOldValue: true,
                        attributeFilter: ['data-test-script-state']});
})();
"""
APP_IDLE = """
() => {
  const app = document.querySelector('[data-testid=stApp]');
  return !!app && app.getAttribute('data-test-connection-state') === 'CONNECTED'
    && app.getAttribute('data-test-script-state') === 'notRunning'
    && !document.querySelector('[data-stale=true]')
    && !document.querySelector('[data-testid=stMain] [data-testid=stSkeleton]');
}
"""


def new_page(browser: Browser, width: int = 1280, height: int = 720) -> Page:
    """A page in a context of its own (so its own Streamlit session) that records dialogs.

    Any alert/confirm/prompt is dismissed and its message kept in `page.dialogs`:
    a test about user text asserts that list stays empty.
    """
    context = browser.new_context(viewport={"width": width, "height": height})
    context.add_init_script(COUNT_RUNS)
    page = context.new_page()
    page.dialogs = []  # type: ignore[attr-defined]

    def record(dialog: Any) -> None:
        page.dialogs.append(f"{dialog.type}: {dialog.message}")  # type: ignore[attr-defined]
        dialog.dismiss()

    page.on("dialog", record)
    return page


def wait_until_idle(page: Page, timeout: float = RUN_TIMEOUT_MS) -> None:
    page.wait_for_function(APP_IDLE, timeout=timeout)


def after_run(page: Page, action: Callable[[], T], timeout: float = RUN_TIMEOUT_MS) -> T:
    """Do something that makes Streamlit rerun, and return once that run has ended."""
    before = page.evaluate("window.__riskkitRuns")
    result = action()
    page.wait_for_function(f"window.__riskkitRuns > {before}", timeout=timeout)
    wait_until_idle(page, timeout)
    return result


def goto(page: Page, url: str) -> None:
    """Load a URL and wait until the app is connected, has run, and shows its page title."""
    page.goto(url)
    expect(page.locator("[data-testid=stApp]")).to_be_attached(timeout=RUN_TIMEOUT_MS)
    expect(page.locator("[data-testid=stMain] h1").first).to_be_visible(timeout=RUN_TIMEOUT_MS)
    wait_until_idle(page)


def open_from_sidebar(page: Page, title: str) -> None:
    """Click a page's link in the sidebar (in-app navigation: the session and its ratings stay)."""
    link = page.locator("[data-testid=stSidebarNav] a").filter(
        has=page.get_by_text(title, exact=True))
    after_run(page, link.click)
    expect(link).to_have_attribute("aria-current", "page")


def choose_option(page: Page, combobox: Locator, option: str | re.Pattern[str], typed: str = "") -> None:
    """Open a selectbox, optionally type to filter it, and click an option."""
    combobox.click()
    if typed:
        combobox.press_sequentially(typed)
    after_run(page, page.get_by_role("option", name=option).first.click)


def show_risk(page: Page, number: int) -> Locator:
    """Bring a risk's card into view on Assess: it may be listed already, or be one
    choice in the "Risk" picker (the page shows one card at a time)."""
    card = page.locator(f".st-key-card-{number}")
    if not card.is_visible():
        picker = page.locator(".st-key-assess-pick").get_by_role("combobox")
        choose_option(page, picker, re.compile(rf"^{number}\. "), typed=f"{number}. ")
    expect(card).to_be_visible()
    return card


def rate(page: Page, number: int, field: str, level: str) -> None:
    """Choose a level in a risk card's Likelihood or Impact picker."""
    show_risk(page, number)
    radio = page.locator(f".st-key-assess-{number}-{field}").get_by_role("radio", name=level, exact=True)
    after_run(page, radio.click)
    expect(radio).to_have_attribute("aria-checked", "true")


def rate_risk(page: Page, number: int, likelihood: str, impact: str) -> None:
    rate(page, number, "likelihood", likelihood)
    rate(page, number, "impact", impact)


def add_own_risk(page: Page, statement: str) -> None:
    """Fill the "add a risk you have identified" form and submit it (opening it first
    if the page keeps it behind a button)."""
    form = page.locator("[data-testid=stForm]")
    if not form.is_visible():
        opener = page.get_by_role("button", name=re.compile("Add a risk you have identified"))
        after_run(page, opener.click)
    form.locator("textarea").first.fill(statement)
    after_run(page, form.get_by_role("button", name="Add risk").click)


# --- the heat map, read as drawn (plotly SVG) ----------------------------------------

_CELL_INDEX = """
([likelihood, impact]) => {
  const plot = document.querySelector('[data-testid=stMain] .js-plotly-plot');
  if (!plot || !plot.data || !plot.data.length) return -1;
  return (plot.data[0].customdata || []).findIndex(c => c[0] === likelihood && c[1] === impact);
}
"""


def heatmap_cell(page: Page, likelihood: str, impact: str) -> Locator:
    """The drawn label (SVG text group) of one cell of the heat map on this page."""
    expect(page.locator("[data-testid=stMain] .js-plotly-plot .scatterlayer .textpoint").first).to_be_attached(
        timeout=RUN_TIMEOUT_MS)
    index = page.evaluate(_CELL_INDEX, [likelihood, impact])
    assert index >= 0, f"the heat map has no cell Likelihood {likelihood} · Impact {impact}"
    return page.locator("[data-testid=stMain] .js-plotly-plot .scatterlayer .textpoint").nth(index)


def heatmap_cell_text(page: Page, likelihood: str, impact: str) -> str:
    """A cell's words as the user sees them, e.g. "HIGH1, 5" (band, then risk numbers)."""
    return heatmap_cell(page, likelihood, impact).text_content() or ""


def numbers_in(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"\d+", text)]


def first_cell(row: str) -> str:
    """The first cell of a row read with innerText (cells end at a tab or a line break)."""
    return re.split(r"[\t\n]", row.strip(), maxsplit=1)[0].strip()


def eventually(read: Callable[[], T], ok: Callable[[T], bool], timeout_s: float = 10.0) -> T:
    """Read until `ok` holds or time runs out; return the last reading for the assertion."""
    deadline = time.monotonic() + timeout_s
    value = read()
    while not ok(value) and time.monotonic() < deadline:
        time.sleep(0.1)
        value = read()
    return value


def centre_of(locator: Locator) -> tuple[float, float]:
    box = locator.bounding_box()
    assert box is not None, "element is not drawn"
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


_UNDER_HEADING = """
([prefix, selector]) => {
  const main = document.querySelector('[data-testid=stMain]');
  const headings = [...main.querySelectorAll('h1, h2, h3, h4')];
  const start = headings.find(h => h.textContent.trim().startsWith(prefix));
  if (!start) return null;
  const end = headings[headings.indexOf(start) + 1];
  const after = el => start.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING;
  const before = el => !end || (end.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_PRECEDING);
  return [...main.querySelectorAll(selector)].filter(el => after(el) && before(el)).map(el => el.innerText);
}
"""


ROWS = "tbody tr, [data-testid=stHorizontalBlock]"


def texts_under_heading(page: Page, prefix: str, selector: str = ROWS) -> list[str]:
    """The visible text of each row (table row, or row of columns) between the heading
    starting with `prefix` and the next heading (innerText: what is rendered)."""
    found = page.evaluate(_UNDER_HEADING, [prefix, selector])
    assert found is not None, f"no heading starting {prefix!r}"
    return found
