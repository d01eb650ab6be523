"""riskkit benchmarks: `make bench` (or `python -m benchmarks.run`).

1. AppTest rerun time of each page after one rating change, 12 and 300 risks,
   as a ratio to a bare Streamlit page with one plotly chart, measured in the
   same run (machines are noisy; ratios travel, seconds do not).
2. Headless Chromium: navigation to a drawn heat map, as a ratio to the bare
   page's chart being drawn, each served by `streamlit run` on loopback.
Prints a Markdown table and writes it to benchmarks/results.md.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

from benchmarks.synthetic import synthetic_assessment
from riskkit.catalogue import load_catalogue
from riskkit.store import Store

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["overview", "assess", "heatmap", "gaps", "indicators"]
TARGET_RERUN = {12: 2.0, 300: 5.0}
TARGET_BROWSER = 1.5


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def bare_app() -> AppTest:
    at = AppTest.from_file(str(ROOT / "benchmarks" / "bare_page.py"), default_timeout=60)
    at.run()
    return at


def page_app(page: str, total: int):
    """AppTest of app.py on a page with `total` risks, and one rating change to rerun it with."""
    catalogue = load_catalogue()
    store = Store()
    made = store.create(f"bench {total}", catalogue.policies.default,
                        assessment=synthetic_assessment(catalogue, total))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["assessment"] = made
    at.run()
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, at.exception
    levels = list(catalogue.scale.levels)
    flips = iter(range(10**6))

    def one_change() -> None:
        level = levels[next(flips) % len(levels)]
        if page == "assess":
            at.segmented_control(key="assess.1.likelihood").set_value(level)
        else:  # saved from elsewhere (another page, a colleague): this page reads it on rerun
            snap = store.load(made)
            store.save(snap, snap.assessment.rate(catalogue, 1, likelihood=level))
        at.run()
        assert not at.exception, at.exception

    one_change()
    return one_change


def paired_medians(page: str, total: int, repeats: int) -> tuple[float, float]:
    """Bare and page reruns interleaved, so both see the same machine."""
    bare, change = bare_app(), page_app(page, total)
    bare.run()
    pairs = [(timed(bare.run), timed(change)) for _ in range(repeats)]
    return statistics.median(p[0] for p in pairs), statistics.median(p[1] for p in pairs)


def rerun_table(repeats: int) -> list[str]:
    rows = ["| page | risks | rerun median (ms) | bare page (ms) | ratio | target | met |",
            "|---|---|---|---|---|---|---|"]
    for total in (12, 300):
        for page in PAGES:
            base, took = paired_medians(page, total, repeats)
            ratio = took / base
            rows.append(f"| {page} | {total} | {took * 1000:.1f} | {base * 1000:.1f} | {ratio:.2f} | "
                        f"≤ {TARGET_RERUN[total]:g} | {'yes' if ratio <= TARGET_RERUN[total] else 'NO'} |")
            print(rows[-1], flush=True)
    return rows


def store_table(repeats: int) -> list[str]:
    """Open (load) an assessment and save one change: 300 risks as a ratio to 12."""
    import os
    import tempfile

    from riskkit.store import Store

    catalogue = load_catalogue()
    urls = {}
    with tempfile.TemporaryDirectory() as tmp:
        urls["SQLite"] = f"sqlite:///{tmp}/bench.sqlite3"
        if os.environ.get("RISKKIT_TEST_DATABASE_URL"):  # a schema of its own, dropped afterwards
            urls["PostgreSQL"] = os.environ["RISKKIT_TEST_DATABASE_URL"] + "?options=-csearch_path%3Dbench"
        rows = ["| store | operation | 12 risks (ms) | 300 risks (ms) | ratio 300 / 12 |", "|---|---|---|---|---|"]
        if "PostgreSQL" in urls:
            from sqlalchemy import create_engine, text
            admin = create_engine(os.environ["RISKKIT_TEST_DATABASE_URL"])
            with admin.begin() as conn:
                conn.execute(text("DROP SCHEMA IF EXISTS bench CASCADE"))
                conn.execute(text("CREATE SCHEMA bench"))
            admin.dispose()
        for name, url in urls.items():
            store = Store(url)
            timings: dict[tuple[str, int], float] = {}
            for total in (12, 300):
                made = store.create(f"bench {total}", catalogue.policies.default,
                                    assessment=synthetic_assessment(catalogue, total))
                timings[("open", total)] = statistics.median(timed(lambda: store.load(made)) for _ in range(repeats))
                snap = store.load(made)
                samples = []
                for i in range(repeats):
                    level = catalogue.scale.levels[i % len(catalogue.scale.levels)]
                    change = snap.assessment.rate(catalogue, 1, likelihood=level)
                    start = time.perf_counter()
                    snap = store.save(snap, change)
                    samples.append(time.perf_counter() - start)
                timings[("save", total)] = statistics.median(samples)
                store.delete(made)
            for operation in ("open", "save"):
                small, large = timings[(operation, 12)], timings[(operation, 300)]
                rows.append(f"| {name} | {operation} an assessment{' (one change)' if operation == 'save' else ''} | "
                            f"{small * 1000:.2f} | {large * 1000:.2f} | {large / small:.2f} |")
                print(rows[-1], flush=True)
            store.engine.dispose()
        if "PostgreSQL" in urls:
            from sqlalchemy import create_engine, text
            admin = create_engine(os.environ["RISKKIT_TEST_DATABASE_URL"])
            with admin.begin() as conn:
                conn.execute(text("DROP SCHEMA IF EXISTS bench CASCADE"))
            admin.dispose()
    return rows


def browser_table(repeats: int) -> list[str]:
    """Navigation to a drawn heat map vs to the bare page's drawn chart, both via `streamlit run`."""
    import tempfile

    from playwright.sync_api import sync_playwright

    from tests.browser.helpers import CHROMIUM_ARGS
    from tests.browser.server import start_server, stop_server

    catalogue = load_catalogue()
    rows = ["| browser: navigation to a drawn chart | median (ms) | bare page (ms) | ratio | target | met |",
            "|---|---|---|---|---|---|"]
    with tempfile.TemporaryDirectory() as tmp:
        env = {"RISKKIT_DATABASE_URL": f"sqlite:///{tmp}/browser.sqlite3"}
        os_env = dict(env)
        made = Store(env["RISKKIT_DATABASE_URL"]).create("bench", catalogue.policies.default,
                                                         assessment=synthetic_assessment(catalogue, 12))
        app_proc, app_url = start_server(Path(tmp) / "app", env=os_env)
        bare_proc, bare_url = start_server(Path(tmp) / "bare", script=ROOT / "benchmarks" / "bare_page.py")
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
                context = browser.new_context(viewport={"width": 1280, "height": 720})
                page = context.new_page()

                def drawn(url: str) -> float:
                    start = time.perf_counter()
                    page.goto(url)
                    page.wait_for_selector(".js-plotly-plot .textpoint", timeout=60_000)
                    return time.perf_counter() - start

                drawn(bare_url), drawn(f"{app_url}/heatmap?assessment={made}")  # warm both servers
                pairs = [(drawn(bare_url), drawn(f"{app_url}/heatmap?assessment={made}")) for _ in range(repeats)]
                browser.close()
        finally:
            stop_server(app_proc)
            stop_server(bare_proc)
    bare = statistics.median(p[0] for p in pairs)
    heat = statistics.median(p[1] for p in pairs)
    ratio = heat / bare
    rows.append(f"| heat map page (12 risks) | {heat * 1000:.0f} | {bare * 1000:.0f} | {ratio:.2f} | "
                f"≤ {TARGET_BROWSER:g} | {'yes' if ratio <= TARGET_BROWSER else 'NO'} |")
    print(rows[-1], flush=True)
    return rows


def outputs_table(repeats: int) -> list[str]:
    """Time to build each briefing output at 12 and 300 risks; the first image starts the browser."""
    from riskkit import images
    from riskkit.catalogue import load_indicators
    from riskkit.charts import heatmap_figure
    from riskkit.exchange import Exported
    from riskkit.outputs import build
    from riskkit.rules import register

    catalogue = load_catalogue()
    indicators = load_indicators(catalogue=catalogue)
    about = Exported(title="Benchmark")
    small, large = synthetic_assessment(catalogue, 12), synthetic_assessment(catalogue, 300)
    images.stop()
    first = timed(lambda: images.render(heatmap_figure(catalogue, register(catalogue, small))))
    further = statistics.median(timed(lambda: images.render(heatmap_figure(catalogue, register(catalogue, small))))
                                for _ in range(repeats))
    rows = ["| output | 12 risks (ms) | 300 risks (ms) |", "|---|---|---|",
            f"| first PNG of a process (starts Chromium) | {first * 1000:.0f} | – |",
            f"| each further PNG, 1920x1080 (target < 1000) | {further * 1000:.0f} | – |"]
    for fmt in ("png", "svg", "docx", "pptx", "xlsx", "json", "csv"):
        times = [statistics.median(timed(lambda: build(fmt, about, a, catalogue, indicators))
                                   for _ in range(max(3, repeats // 3))) for a in (small, large)]
        rows.append(f"| {fmt} | {times[0] * 1000:.0f} | {times[1] * 1000:.0f} |")
        print(rows[-1], flush=True)
    images.stop()
    return rows


def indicator_table(repeats: int) -> list[str]:
    """An uploaded indicator list of 300, 3,000 and 30,000 rows: reading the upload, and loading
    it from the database as every page of that assessment does. Linear work grows 100x from 300
    to 30,000 rows; the quadratic duplicate check it replaced grew 10,000x (72 s to upload a
    559 KB list)."""
    from riskkit.catalogue import parse_indicator_upload
    from riskkit.models import IndicatorSet

    catalogue = load_catalogue()
    rows = ["| indicator list | upload checked (ms) | loaded from the database (ms) | ratio to 300 rows |",
            "|---|---|---|---|"]
    base = None
    for count in (300, 3_000, 30_000):
        body = "\n".join(f"I{n},W{n},output,,{n % 12 + 1}" for n in range(count))
        content = f"id,wording,kind,disaggregation,risks\n{body}\n".encode()
        upload = statistics.median(timed(lambda: parse_indicator_upload("list.csv", content, catalogue))
                                   for _ in range(max(3, repeats // 5)))
        saved = parse_indicator_upload("list.csv", content, catalogue).model_dump_json()
        load = statistics.median(timed(lambda: IndicatorSet.model_validate_json(saved))
                                 for _ in range(max(3, repeats // 5)))
        base = base or upload + load
        rows.append(f"| {count:,} rows | {upload * 1000:.0f} | {load * 1000:.0f} | "
                    f"{(upload + load) / base:.0f} |")
        print(rows[-1], flush=True)
    return rows


def main() -> None:
    import os
    import tempfile

    os.environ.setdefault("RISKKIT_DATABASE_URL", f"sqlite:///{tempfile.mkdtemp()}/bench-app.sqlite3")
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--no-browser", action="store_true", help="skip what needs Chromium")
    args = parser.parse_args()
    lines = rerun_table(args.repeats) + [""] + store_table(args.repeats) + [""] + indicator_table(args.repeats)
    if not args.no_browser:
        lines += [""] + browser_table(max(5, args.repeats // 2)) + [""] + outputs_table(args.repeats)
    out = "\n".join(lines) + "\n"
    (ROOT / "benchmarks" / "results.md").write_text(out, encoding="utf-8")
    print(out)


if __name__ == "__main__":
    main()
