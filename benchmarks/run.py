"""riskkit's back-end benchmarks: `python -m benchmarks.run` (`make bench` runs it, then
benchmarks/browser.py, which measures what users feel in Chromium).

1. Opening an assessment and saving one change, 300 risks as a ratio to 12, on SQLite
   and (when RISKKIT_TEST_DATABASE_URL names one) PostgreSQL.
2. An uploaded indicator list of 300, 3,000 and 30,000 rows.
3. The time to build each briefing output at 12 and 300 risks (needs Chromium).
Prints Markdown tables and writes them to benchmarks/results.md.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from benchmarks.synthetic import synthetic_assessment
from riskkit.catalogue import load_catalogue

ROOT = Path(__file__).resolve().parent.parent


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


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
                timings[("open", total)] = statistics.median(timed(lambda s=store, m=made: s.load(m))
                                                             for _ in range(repeats))
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
        times = [statistics.median(timed(lambda fmt=fmt, a=a: build(fmt, about, a, catalogue, indicators))
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
        upload = statistics.median(timed(lambda content=content: parse_indicator_upload("list.csv", content, catalogue))
                                   for _ in range(max(3, repeats // 5)))
        saved = parse_indicator_upload("list.csv", content, catalogue).model_dump_json()
        load = statistics.median(timed(lambda saved=saved: IndicatorSet.model_validate_json(saved))
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
    lines = store_table(args.repeats) + [""] + indicator_table(args.repeats)
    if not args.no_browser:
        lines += [""] + outputs_table(args.repeats)
    out = "\n".join(lines) + "\n"
    (ROOT / "benchmarks" / "results.md").write_text(out, encoding="utf-8")
    print(out)


if __name__ == "__main__":
    main()
