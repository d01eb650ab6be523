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

# How a test knows the run its click caused has ended: every rerun sends messages over
# Streamlit's websocket, ending with "script finished". So after an action, wait until
# at least one message has arrived, none has for QUIET_MS, and the app is idle: connected,
# data-test-script-state "notRunning", nothing stale (from the run before) or a skeleton
# (still loading). The script-state attribute alone is not enough: a quick run can start
# and finish within one render, and the attribute never leaves "notRunning".
QUIET_MS = 150
COUNT_MESSAGES = """
(() => {
  const Native = window.WebSocket;
  window.__riskkitMessages = 0;
  window.__riskkitLastMessage = 0;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', () => {
        window.__riskkitMessages += 1;
        window.__riskkitLastMessage = performance.now();
      });
    }
  };
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
SETTLED = f"""
before => window.__riskkitMessages > before
  && performance.now() - window.__riskkitLastMessage > {QUIET_MS}
  && ({APP_IDLE.strip()})()
"""


def new_page(browser: Browser, width: int = 1280, height: int = 720, assessment_id: str | None = None) -> Page:
    """A page in a context of its own (so its own Streamlit session) that records dialogs.

    Any alert/confirm/prompt is dismissed and its message kept in `page.dialogs`:
    a test about user text asserts that list stays empty. With `assessment_id`, `goto`
    opens that assessment (the app's ?assessment= link) unless the URL names one.
    """
    context = browser.new_context(viewport={"width": width, "height": height})
    context.add_init_script(COUNT_MESSAGES)
    page = context.new_page()
    page.dialogs = []  # type: ignore[attr-defined]
    page.assessment_id = assessment_id  # type: ignore[attr-defined]

    def record(dialog: Any) -> None:
        page.dialogs.append(f"{dialog.type}: {dialog.message}")  # type: ignore[attr-defined]
        dialog.dismiss()

    page.on("dialog", record)
    return page


def after_run(page: Page, action: Callable[[], T], timeout: float = RUN_TIMEOUT_MS) -> T:
    """Do something that makes Streamlit rerun, and return once that run has ended."""
    before = page.evaluate("window.__riskkitMessages")
    result = action()
    page.wait_for_function(SETTLED, arg=before, timeout=timeout)
    assert_no_exception(page)
    return result


def assert_no_exception(page: Page) -> None:
    shown = page.locator("[data-testid=stException]")
    assert shown.count() == 0, f"the app shows an error: {shown.first.inner_text()[:1500]}"


def goto(page: Page, url: str, heading: str = "h1") -> None:
    """Load a URL and wait until the app is connected, has run, and shows its page title
    (`heading`: the Present page's title is the risk, an h2)."""
    assessment_id = getattr(page, "assessment_id", None)
    if assessment_id and "assessment=" not in url:
        url += ("&" if "?" in url else "?") + f"assessment={assessment_id}"
    page.goto(url)
    page.wait_for_function(SETTLED, arg=0, timeout=RUN_TIMEOUT_MS)
    assert_no_exception(page)
    expect(page.locator(f"[data-testid=stMain] {heading}").first).to_be_visible(timeout=RUN_TIMEOUT_MS)


def reload(page: Page) -> None:
    """Reload the page as a user presses F5 (a new Streamlit session on the same URL) and
    wait as `goto` does. The message counter starts again from 0 in the reloaded page."""
    page.reload()
    page.wait_for_function(SETTLED, arg=0, timeout=RUN_TIMEOUT_MS)
    assert_no_exception(page)
    expect(page.locator("[data-testid=stMain] h1").first).to_be_visible(timeout=RUN_TIMEOUT_MS)


def open_from_sidebar(page: Page, title: str) -> None:
    """Click a page's link in the sidebar (in-app navigation: the session and its ratings stay)."""
    link = page.locator("[data-testid=stSidebar] [data-testid=stPageLink-NavLink]").filter(
        has=page.get_by_text(title, exact=True))
    target = (link.get_attribute("href") or "").split("?")[0]
    after_run(page, link.click)
    expect(page).to_have_url(re.compile(rf"/{re.escape(target)}\?(.*&)?assessment=[0-9a-f]{{16}}"))


def choose_option(page: Page, combobox: Locator, option: str | re.Pattern[str], typed: str = "") -> None:
    """Choose in a selectbox: focus it, type to filter (or press the down arrow, which opens
    the list as a keyboard user would), and click the option."""
    combobox.click()
    if typed:
        combobox.press_sequentially(typed)
    else:
        combobox.press("ArrowDown")
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
    if radio.get_attribute("aria-checked") != "true":  # a second click would clear the rating
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


_ALL_CELLS = """
() => {
  const plot = document.querySelector('[data-testid=stMain] .js-plotly-plot');
  const drawn = plot ? [...plot.querySelectorAll('.scatterlayer .textpoint')] : [];
  const keys = plot && plot.data && plot.data.length ? plot.data[0].customdata || [] : [];
  return keys.map((key, i) => [key[0], key[1], drawn[i] ? drawn[i].textContent : null]);
}
"""


def heatmap_cells(page: Page) -> dict[tuple[str, str], str | None]:
    """Every cell of the heat map on this page: (likelihood, impact) -> its drawn words."""
    return {(likelihood, impact): text for likelihood, impact, text in page.evaluate(_ALL_CELLS)}


def cell_numbers_include(page: Page, likelihood: str, impact: str, number: int) -> tuple[str, list[int]]:
    """Wait (bounded) until a heat-map cell lists `number`; return what it says either way."""
    text = eventually(lambda: heatmap_cell_text(page, likelihood, impact), lambda t: number in numbers_in(t))
    return text, numbers_in(text)


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


def section_text(page: Page, prefix: str) -> str:
    """Everything shown between the heading starting with `prefix` and the next heading."""
    return "\n".join(texts_under_heading(page, prefix, "[data-testid=stElementContainer]"))


# --- group rating: the facilitator's Present page and the participants' phones --------

PHONE = {"width": 390, "height": 844}


def new_phone_page(browser: Browser) -> Page:
    """A phone (390x844, touch) in a context of its own, as a participant in the room holds it;
    records dialogs as `new_page` does."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    context.add_init_script(COUNT_MESSAGES)
    page = context.new_page()
    page.dialogs = []  # type: ignore[attr-defined]

    def record(dialog: Any) -> None:
        page.dialogs.append(f"{dialog.type}: {dialog.message}")  # type: ignore[attr-defined]
        dialog.dismiss()

    page.on("dialog", record)
    return page


def goto_present(page: Page, url: str) -> None:
    """Load the Present page and wait as `goto` does."""
    goto(page, url, heading="h2")


def votes_in(page: Page) -> Locator:
    """The number on the facilitator's "Votes in" metric."""
    return page.locator("[data-testid=stMetric]").filter(has_text="Votes in").locator(
        "[data-testid=stMetricValue]")


def start_group_rating(page: Page) -> str:
    """On Present, start group rating and return the join link the page shows."""
    after_run(page, page.get_by_role("button", name="Start group rating: the room votes from their phones").click)
    expect(page.get_by_role("heading", name=re.compile(r"^Join: code \w+$"))).to_be_visible()
    link = page.locator("[data-testid=stText]").filter(has_text=re.compile(r"/join\?code=")).first
    address = link.inner_text().strip()
    after_run(page, page.get_by_role("button", name="Back to the risk").click)  # the room has joined
    return address


PHONE_READY = """() => { const shown = document.body.dataset;
  return ['revealed', 'closed', 'code', 'waiting'].includes(shown.state)
    || (shown.state === 'voting' && shown.restored === shown.risk); }"""


def open_phone(phone: Page, url: str) -> None:
    """Open the participants' page (riskkit's own, not the app) and wait until it shows the
    room's state: a risk to rate, the reveal, the end, or the box for the code."""
    phone.goto(url)
    phone.wait_for_function(PHONE_READY, timeout=RUN_TIMEOUT_MS)


def join_room(browser: Browser, link: str, count: int = 1) -> list[Page]:
    """`count` new phones open the join link at once, as a room does; returns them once each
    shows the risk to rate."""
    phones = [new_phone_page(browser) for _ in range(count)]
    for phone in phones:
        phone.goto(link, wait_until="commit")
    for phone in phones:
        phone.wait_for_function(PHONE_READY, timeout=RUN_TIMEOUT_MS)
        expect(phone.get_by_role("heading", name=re.compile(r"^Risk \d+$"))).to_be_visible(timeout=RUN_TIMEOUT_MS)
    return phones


def level_on_phone(phone: Page, number: int, field: str, level: str) -> Locator:
    """One level (a radio) of the phone's Likelihood or Impact picker, while it shows risk `number`."""
    return phone.locator(f"body[data-risk='{number}'] #{field} [role=radio][data-level='{level}']")


def vote_on_phone(phone: Page, number: int, likelihood: str, impact: str) -> None:
    """Tap a likelihood and an impact, as a participant does; wait until the phone says the
    server has the rating."""
    for field, level in (("likelihood", likelihood), ("impact", impact)):
        radio = level_on_phone(phone, number, field, level)
        if radio.get_attribute("aria-checked") != "true":  # a second tap would clear the choice
            radio.tap()
        expect(radio).to_have_attribute("aria-checked", "true")
    expect(phone.locator("#status")).to_contain_text(
        f"Your rating is in: likelihood {likelihood}, impact {impact}", timeout=RUN_TIMEOUT_MS)
