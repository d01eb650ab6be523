"""What users feel, measured in headless Chromium: `make bench`, or on its own
`.venv/bin/python -m benchmarks.browser [--repeats N]`.

Two servers on loopback, each started as users start it on a free port: riskkit
(`python -m ui.serve`, a throw-away SQLite database) and a bare Streamlit page with one
plotly chart and one segmented control (`streamlit run benchmarks/bare_page.py`). One
Chromium, 1280x720, a tab for each. Every riskkit measurement is paired with the same
measurement on the bare page, taken right before or after it (the order alternates), so
what the machine is doing hits both; the table gives medians, p90s and the ratio of the
medians, which travels between machines where milliseconds do not.

- click: a real mouse click (Chromium input events) on a Likelihood level on Assess, from
  the `pointerdown` until the risk's card shows the new band; on the bare page, until the
  chart's title shows the new level. Both timed inside the page with performance.now(),
  the end seen by a MutationObserver the moment the DOM says it.
- open: loading a page's address until it is drawn, from the start of the navigation
  (performance.timeOrigin) to the last change to the document before it was *drawn*:
  Streamlit connected and not running, nothing stale or skeleton, the page's main heading
  (h1, or h2 on Present) visible, every plotly chart in the main area drawn as SVG, and
  then no change to the document and no websocket message for QUIET_MS. The bare page's
  "drawn" is the same without a heading.

Both at 12 risks (the catalogue, all rated) and at 300 (288 own risks added through
riskkit's edits). Prints the tables and writes them to benchmarks/browser.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import streamlit
from playwright.sync_api import Browser, Page, ViewportSize, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from benchmarks.synthetic import synthetic_assessment
from riskkit import words
from riskkit.catalogue import load_catalogue
from riskkit.models import Catalogue
from riskkit.rules import band_of
from riskkit.store import Store
from tests.browser.helpers import CHROMIUM_ARGS, COUNT_MESSAGES, after_run, assert_no_exception, show_risk
from tests.browser.server import start_server, stop_server

ROOT = Path(__file__).resolve().parent.parent
BARE_SCRIPT = ROOT / "benchmarks" / "bare_page.py"
RESULTS = ROOT / "benchmarks" / "browser.md"
CHROMIUM = "/usr/bin/chromium"
VIEWPORT: ViewportSize = {"width": 1280, "height": 720}
# Headless tabs are never in front: keep Chromium from slowing down the one not measured.
ARGS = [*CHROMIUM_ARGS, "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
        "--disable-backgrounding-occluded-windows"]
SIZES = (12, 300)
# (what the table says, the address, the page's main heading: Present's title is an h2)
PAGES: tuple[tuple[str, str, str], ...] = (
    ("Overview", "overview", "h1"), ("Assessments", "assessments", "h1"), ("Assess", "assess", "h1"),
    ("Heat map", "heatmap", "h1"), ("Mitigation gaps", "gaps", "h1"), ("Indicators", "indicators", "h1"),
    ("Briefing", "briefing", "h1"), ("Print view", "print", "h1"), ("Present", "present", "h2"),
)
TARGET_CLICK = {12: 1.3, 300: 1.6}
TARGET_OPEN = 1.5
QUIET_MS = 300
TIMEOUT_MS = 60_000

# The risk clicked on Assess: its impact stays at IMPACT and its likelihood flips between
# the two FLIPS, which fall in different bands.
RISK = 1
IMPACT = "Medium"
FLIPS = ("High", "Low")
# The hooks this relies on in the pages (keys on Streamlit elements become st-key-* classes).
CARD = ".st-key-card-{number}"
LEVEL_PICKER = ".st-key-assess-{number}-{field}"
BARE_PICKER = ".st-key-bare-level"
BARE_TITLE = "[data-testid=stMain] .js-plotly-plot .gtitle"

# Installed in every document before its own scripts: the time of the last change to the
# document and of every websocket message, on the page's clock.
WATCH = """
(() => {
  const watched = window.__bench = {lastChange: 0, messages: [], click: null};
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', () => watched.messages.push(performance.now()));
    }
  };
  new MutationObserver(() => { watched.lastChange = performance.now(); })
    .observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
})();
"""

DRAWN = """
([heading, quietMs]) => {
  const watched = window.__bench;
  const app = document.querySelector('[data-testid=stApp]');
  const main = document.querySelector('[data-testid=stMain]');
  if (!app || !main || !watched.messages.length) return null;
  if (app.getAttribute('data-test-connection-state') !== 'CONNECTED'
      || app.getAttribute('data-test-script-state') !== 'notRunning') return null;
  if (document.querySelector('[data-stale=true], [data-testid=stSkeleton]')) return null;
  if (heading) {
    const title = main.querySelector(heading);
    if (!title || !title.checkVisibility()) return null;
  }
  const charts = [...main.querySelectorAll('[data-testid=stPlotlyChart]')];
  if (!charts.every(chart => chart.querySelector('.main-svg'))) return null;
  if (!main.querySelector('[data-testid=stElementContainer]')) return null;
  const now = performance.now();
  const lastMessage = watched.messages[watched.messages.length - 1];
  if (now - watched.lastChange < quietMs || now - lastMessage < quietMs) return null;
  const nav = performance.getEntriesByType('navigation')[0];
  return {drawn: watched.lastChange, firstMessage: watched.messages[0], lastMessage,
          loaded: nav ? nav.domContentLoadedEventEnd : 0};
}
"""

# Armed before a click: the pointerdown starts the clock, a MutationObserver stops it the
# first time `selector`'s text contains `expected` (case-insensitive).
ARM_CLICK = """
([selector, expected]) => {
  const watched = window.__bench;
  const click = watched.click = {start: null, end: null, from: watched.messages.length};
  const shows = () => {
    const el = document.querySelector(selector);
    return !!el && el.textContent.toLowerCase().includes(expected.toLowerCase());
  };
  document.addEventListener('pointerdown', () => { click.start = performance.now(); },
                            {capture: true, once: true});
  const observer = new MutationObserver(() => {
    if (click.start !== null && click.end === null && shows()) {
      click.end = performance.now();
      observer.disconnect();
    }
  });
  observer.observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
}
"""

CLICKED = """
() => {
  const click = window.__bench.click;
  if (!click || click.end === null) return null;
  const during = window.__bench.messages.slice(click.from).filter(t => t >= click.start && t <= click.end);
  return {took: click.end - click.start,
          firstMessage: during.length ? during[0] - click.start : null,
          lastMessage: during.length ? during[during.length - 1] - click.start : null};
}
"""


@dataclass
class Samples:
    """One row of the table: riskkit's and the bare page's times (ms), with where they went."""

    what: str
    risks: int
    target: float
    app: list[float] = field(default_factory=list)
    bare: list[float] = field(default_factory=list)
    app_parts: list[dict[str, float]] = field(default_factory=list)
    bare_parts: list[dict[str, float]] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return statistics.median(self.app) / statistics.median(self.bare)

    @property
    def met(self) -> bool:
        return self.ratio <= self.target


def p90(values: Sequence[float]) -> float:
    """The 90th percentile (the largest value below 10 samples would be a guess anyway)."""
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=10, method="inclusive")[-1]


@dataclass
class Run:
    """The servers, the assessments and a tab on each server."""

    catalogue: Catalogue
    app_url: str
    bare_url: str
    assessments: dict[int, str]
    app: Page
    bare: Page


def new_tab(browser: Browser) -> Page:
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(COUNT_MESSAGES)  # for after_run: the run a click caused has ended
    context.add_init_script(WATCH)
    return context.new_page()


@contextmanager
def servers(tmp: Path, sizes: Sequence[int]) -> Iterator[tuple[str, str, dict[int, str]]]:
    """riskkit and the bare page, each on a free loopback port, and an assessment per size."""
    catalogue = load_catalogue()
    url = f"sqlite:///{tmp}/bench.sqlite3"
    store = Store(url)
    made = {}
    for total in sizes:
        assessment = synthetic_assessment(catalogue, total).rate(catalogue, RISK, likelihood=FLIPS[1], impact=IMPACT)
        made[total] = store.create(f"Benchmark, {total} risks", catalogue.policies.default, assessment=assessment)
    store.engine.dispose()
    with ThreadPoolExecutor(2) as pool:
        app_start = pool.submit(start_server, tmp / "app", env={"RISKKIT_DATABASE_URL": url})
        bare_start = pool.submit(start_server, tmp / "bare", script=BARE_SCRIPT)
        started = [future.result() for future in (app_start, bare_start)]
    try:
        yield started[0][1], started[1][1], made
    finally:
        for proc, _ in started:
            stop_server(proc)


def open_page(page: Page, url: str, heading: str | None) -> dict[str, float]:
    """Load `url` and return when it was drawn (ms from the start of the navigation)."""
    page.bring_to_front()
    page.goto(url, wait_until="commit")
    drawn: dict[str, float] = page.wait_for_function(DRAWN, arg=[heading, QUIET_MS], polling=50,
                                                     timeout=TIMEOUT_MS).json_value()
    assert_no_exception(page)
    return drawn


def click_until(page: Page, radio_selector: str, level: str, shown_in: str, expected: str) -> dict[str, float]:
    """Click a level and return how long until `shown_in` says `expected` (ms), once the
    run the click caused has ended (so the next click starts from a quiet page)."""
    page.bring_to_front()
    radio = page.locator(radio_selector).get_by_role("radio", name=level, exact=True)
    radio.scroll_into_view_if_needed()
    page.evaluate(ARM_CLICK, [shown_in, expected])
    after_run(page, radio.click)
    try:
        clicked: dict[str, float] = page.wait_for_function(CLICKED, polling=50, timeout=TIMEOUT_MS).json_value()
        return clicked
    except PlaywrightError as exc:
        raise AssertionError(f"after clicking {level!r}, {shown_in} never said {expected!r}: "
                             f"{page.locator(shown_in).first.text_content()!r}") from exc


def measure_click(run: Run, row: Samples, repeats: int, warmups: int) -> None:
    """Flip risk 1's likelihood on Assess and the bare page's level, pair by pair."""
    run.app.bring_to_front()
    open_page(run.app, f"{run.app_url}/assess?assessment={run.assessments[row.risks]}", "h1")
    show_risk(run.app, RISK)
    open_page(run.bare, run.bare_url, None)
    picker = LEVEL_PICKER.format(number=RISK, field="likelihood")
    card = CARD.format(number=RISK)

    def app_click(i: int) -> dict[str, float]:
        level = FLIPS[i % 2]  # an id; the picker and the card show words
        band = words.band(band_of(run.catalogue, level, IMPACT))
        return click_until(run.app, picker, words.level(level), card, f"{band} band")

    def bare_click(i: int) -> dict[str, float]:
        level = FLIPS[i % 2]
        return click_until(run.bare, BARE_PICKER, level, BARE_TITLE, f"Chosen: {level}")

    paired(row, app_click, bare_click, repeats, warmups, lambda part: part["took"])


def measure_open(run: Run, row: Samples, path: str, heading: str, repeats: int, warmups: int) -> None:
    url = f"{run.app_url}/{path}?assessment={run.assessments[row.risks]}"
    paired(row, lambda i: open_page(run.app, url, heading), lambda i: open_page(run.bare, run.bare_url, None),
           repeats, warmups, lambda part: part["drawn"])


def paired(row: Samples, app: Callable[[int], dict[str, float]], bare: Callable[[int], dict[str, float]],
           repeats: int, warmups: int, took: Callable[[dict[str, float]], float]) -> None:
    """`warmups` unrecorded pairs, then `repeats` pairs, riskkit first in every other pair."""
    for i in range(warmups + repeats):
        order = ((app, row.app, row.app_parts), (bare, row.bare, row.bare_parts))
        for measure, times, parts in (order if i % 2 else order[::-1]):
            part = measure(i)
            if i >= warmups:
                times.append(took(part))
                parts.append(part)


def measure(browser: Browser, repeats: int, warmups: int = 2, sizes: Sequence[int] = SIZES,
            pages: Sequence[tuple[str, str, str]] = PAGES,
            progress: Callable[[Samples], None] = print) -> list[Samples]:
    """Every measurement, riskkit against the bare page: clicks, then pages, at each size."""
    rows: list[Samples] = []
    with tempfile.TemporaryDirectory() as tmp, servers(Path(tmp), sizes) as (app_url, bare_url, made):
        run = Run(load_catalogue(), app_url, bare_url, made, new_tab(browser), new_tab(browser))
        try:
            for total in sizes:
                row = Samples("click a level until the card shows the band", total, TARGET_CLICK[total])
                measure_click(run, row, repeats, warmups)
                rows.append(row)
                progress(row)
            for total in sizes:
                for title, path, heading in pages:
                    row = Samples(f"open {title}", total, TARGET_OPEN)
                    measure_open(run, row, path, heading, repeats, warmups)
                    rows.append(row)
                    progress(row)
        finally:
            run.app.context.close()
            run.bare.context.close()
    return rows


def table(rows: Sequence[Samples]) -> list[str]:
    lines = ["| measurement | risks | riskkit median (ms) | riskkit p90 (ms) | bare median (ms) | bare p90 (ms) "
             "| ratio of medians | target | met |",
             "|---|---|---|---|---|---|---|---|---|"]
    lines += [f"| {row.what} | {row.risks} | {statistics.median(row.app):.0f} | {p90(row.app):.0f} "
              f"| {statistics.median(row.bare):.0f} | {p90(row.bare):.0f} | {row.ratio:.2f} "
              f"| ≤ {row.target:g} | {'yes' if row.met else f'NO (+{row.ratio / row.target - 1:.0%})'} |"
              for row in rows]
    return lines


def _median_of(parts: list[dict[str, float]], name: str) -> str:
    values = [part[name] for part in parts if part.get(name) is not None]
    return f"{statistics.median(values):.0f}" if values else "–"


def where_the_time_goes(rows: Sequence[Samples]) -> list[str]:
    """Medians of the milestones inside each measurement, riskkit / bare: for a click, the
    first and last websocket message from the server after the pointerdown; for a page, the
    HTML and scripts loaded (DOMContentLoaded), the first and last message, drawn."""
    lines = ["| measurement | risks | loaded (ms) | first message (ms) | last message (ms) | shown (ms) |",
             "|---|---|---|---|---|---|"]
    for row in rows:
        click = "took" in row.app_parts[0]
        end = "took" if click else "drawn"
        cells = [" / ".join(_median_of(parts, name) for parts in (row.app_parts, row.bare_parts))
                 for name in ("loaded", "firstMessage", "lastMessage", end)]
        if click:
            cells[0] = "–"
        lines.append(f"| {row.what} | {row.risks} | " + " | ".join(cells) + " |")
    return lines


def summary(rows: Sequence[Samples]) -> list[str]:
    met = [row for row in rows if row.met]
    missed = [f"{row.what} at {row.risks} risks ({row.ratio:.2f}, target ≤ {row.target:g})"
              for row in rows if not row.met]
    said = [f"{len(met)} of {len(rows)} targets met."]
    if missed:
        said.append("Missed: " + "; ".join(missed) + ".")
    return [" ".join(said)]


def report(rows: Sequence[Samples], repeats: int) -> str:
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    header = (f"Measured {date.today().isoformat()}: {repeats} pairs a row, headless Chromium 1280x720, "
              f"Streamlit {streamlit.__version__}, Python {platform.python_version()}, "
              f"{os.cpu_count()} cores, load average at the end {load}.")
    return "\n".join([header, "", *table(rows), "", *summary(rows), "",
                      "Where the time goes (medians, riskkit / bare page, ms from the click or from the "
                      "start of the navigation):", "", *where_the_time_goes(rows)]) + "\n"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=11, help="measured pairs a row (default 11)")
    parser.add_argument("--warmups", type=int, default=2, help="unrecorded pairs before each row (default 2)")
    args = parser.parse_args(argv)
    if not os.path.exists(CHROMIUM):
        sys.exit(f"{CHROMIUM} is missing: `make system-deps` installs it.")
    # Stopped with a signal, still stop the servers and Chromium (the `finally`s run on SystemExit).
    signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(f"stopped by signal {number}"))
    started = time.monotonic()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            rows = measure(browser, args.repeats, args.warmups,
                           progress=lambda row: print(table([row])[-1], flush=True))
        finally:
            browser.close()
    out = report(rows, args.repeats)
    RESULTS.write_text(out, encoding="utf-8")
    print(f"\n{out}\n(written to {RESULTS.relative_to(ROOT)} in {time.monotonic() - started:.0f} s)")


if __name__ == "__main__":
    main()
