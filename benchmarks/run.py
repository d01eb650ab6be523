"""riskkit's back-end benchmarks: `python -m benchmarks.run` (`make bench` runs it, then
benchmarks/browser.py, which measures what users feel in Chromium).

1. Opening an assessment and saving one change, 300 risks as a ratio to 12, on SQLite
   and (when RISKKIT_TEST_DATABASE_URL names one) PostgreSQL.
2. An uploaded indicator list of 300, 3,000 and 30,000 rows.
3. The time to build every briefing output at 12 and 300 risks, as ratios to a baseline of the
   same run, and what a template adds to the Word report and the slides (needs Chromium).
Prints Markdown tables and writes them to benchmarks/results.md; then the follow-up
benchmark (benchmarks/follow_up.py: open, save and compare with actions and indicator
values), written to benchmarks/follow_up.md.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from benchmarks.synthetic import synthetic_assessment
from riskkit.catalogue import load_catalogue

ROOT = Path(__file__).resolve().parent.parent


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


@contextmanager
def databases(schema: str = "bench") -> Iterator[dict[str, str]]:
    """A fresh SQLite file and, when RISKKIT_TEST_DATABASE_URL names one, a PostgreSQL schema of
    its own, dropped afterwards: {name: URL}."""
    import os
    import tempfile

    from sqlalchemy import create_engine, text

    server = os.environ.get("RISKKIT_TEST_DATABASE_URL")

    def fresh_schema() -> None:
        admin = create_engine(server)
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        admin.dispose()

    with tempfile.TemporaryDirectory() as tmp:
        urls = {"SQLite": f"sqlite:///{tmp}/{schema}.sqlite3"}
        if server:
            fresh_schema()
            admin = create_engine(server)
            with admin.begin() as conn:
                conn.execute(text(f"CREATE SCHEMA {schema}"))
            admin.dispose()
            urls["PostgreSQL"] = f"{server}?options=-csearch_path%3D{schema}"
        try:
            yield urls
        finally:
            if server:
                fresh_schema()


def store_table(repeats: int) -> list[str]:
    """Open (load) an assessment and save one change: 300 risks as a ratio to 12."""
    from riskkit.store import Store

    catalogue = load_catalogue()
    rows = ["| store | operation | 12 risks (ms) | 300 risks (ms) | ratio 300 / 12 |", "|---|---|---|---|---|"]
    with databases() as urls:
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
    return rows


def outputs_table(repeats: int) -> list[str]:
    """Time to build every briefing output at 12 and 300 risks, each also as a ratio to a
    baseline measured in the same run (the Excel register of 12 risks), so runs on machines of
    different speed or load compare; then what an organisation's template adds to the Word
    report and the slides. The first image of a process starts the browser."""
    from riskkit import images
    from riskkit.catalogue import load_indicators
    from riskkit.charts import heatmap_figure
    from riskkit.exchange import Exported
    from riskkit.outputs import build
    from riskkit.rules import register

    catalogue = load_catalogue()
    indicators = load_indicators(catalogue=catalogue)
    about = Exported(title="Benchmark", context="Kenya")
    small, large = synthetic_assessment(catalogue, 12), synthetic_assessment(catalogue, 300)
    times = max(3, repeats // 3)

    def once(fmt, assessment, **options) -> float:
        return 1000 * timed(lambda: build(fmt, about, assessment, catalogue, indicators, **options))

    images.stop()
    first = timed(lambda: images.render(heatmap_figure(catalogue, register(catalogue, small))))
    # The baseline is timed beside every output, turn about, so both see the same load.
    baseline_samples: list[float] = []
    measured: list[tuple[str, float, float]] = []
    outputs = [("Word report (docx)", "docx", {}), ("PowerPoint pack (pptx)", "pptx", {}),
               *((_png_label(size, shape), "png", {"size": size}) for size, shape in images.SIZES.items()),
               ("SVG", "svg", {}), ("Excel register (xlsx)", "xlsx", {}), ("CSV", "csv", {}), ("JSON", "json", {})]
    for label, fmt, options in outputs:
        samples: dict[int, list[float]] = {12: [], 300: []}
        for _ in range(times):
            baseline_samples.append(once("xlsx", small))
            for total, assessment in ((12, small), (300, large)):
                samples[total].append(once(fmt, assessment, **options))
        measured.append((label, statistics.median(samples[12]), statistics.median(samples[300])))
        print(label, measured[-1][1:], flush=True)
    baseline = statistics.median(baseline_samples)
    rows = [f"Baseline: the Excel register of 12 risks, {baseline:.0f} ms (median of {len(baseline_samples)}, "
            "timed beside every output).", "",
            "| output | 12 risks (ms) | 300 risks (ms) | 12 risks / baseline | 300 risks / baseline |",
            "|---|---|---|---|---|",
            f"| first PNG of a process (starts Chromium) | {first * 1000:.0f} | – | {first * 1000 / baseline:.0f} "
            "| – |"]
    rows += [f"| {label} | {at_12:.0f} | {at_300:.0f} | {at_12 / baseline:.2f} | {at_300 / baseline:.2f} |"
             for label, at_12, at_300 in measured]
    rows += ["", "| with an organisation's template | 12 risks (ms) | 300 risks (ms) | "
             "with / without, 12 risks | with / without, 300 risks |", "|---|---|---|---|---|"]
    for label, fmt, template in (("Word report", "docx", {"report_template": _word_template()}),
                                 ("PowerPoint pack", "pptx", {"slide_template": _slide_template()})):
        plain: dict[int, list[float]] = {12: [], 300: []}
        styled: dict[int, list[float]] = {12: [], 300: []}
        for _ in range(times):  # with and without in turn, so both see the same load
            for total, assessment in ((12, small), (300, large)):
                plain[total].append(once(fmt, assessment))
                styled[total].append(once(fmt, assessment, **template))
        with_12, with_300 = statistics.median(styled[12]), statistics.median(styled[300])
        rows.append(f"| {label} | {with_12:.0f} | {with_300:.0f} | {with_12 / statistics.median(plain[12]):.2f} | "
                    f"{with_300 / statistics.median(plain[300]):.2f} |")
        print(rows[-1], flush=True)
    images.stop()
    return rows


def _png_label(size: str, shape) -> str:
    width, height = shape.pixels
    return f"PNG for {size}, {width}x{height}" + (f" at {shape.dpi} dpi" if shape.dpi else "")


def _word_template() -> bytes:
    """An organisation's Word template as one is usually made: python-docx's default document
    with its own face, Letter paper and a letterhead in the header."""
    import io

    from docx import Document
    from docx.shared import Cm

    doc = Document()
    doc.styles["Normal"].font.name = "DejaVu Sans"
    doc.sections[0].page_width, doc.sections[0].page_height = Cm(21.59), Cm(27.94)
    doc.sections[0].header.paragraphs[0].text = "Ministry letterhead"
    doc.core_properties.author = "Ministry of the Interior"
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _slide_template() -> bytes:
    """An organisation's PowerPoint template: riskkit's default deck with one sample slide."""
    import io

    from riskkit.slides import default_deck

    deck = default_deck()
    deck.slides.add_slide(deck.slide_layouts[0]).shapes.title.text = "Sample slide of the template"
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


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
    from benchmarks import follow_up  # opening, saving and comparing with the follow-up: follow_up.md

    follow_up.write(args.repeats)


if __name__ == "__main__":
    main()
