"""The follow-up benchmark (issue 11): opening an assessment, saving one change and comparing
two registers, at 12 and 300 risks with 3 actions and 24 indicator values per risk, as
ratios to the 12-risk case. `python -m benchmarks.follow_up` (`make bench` runs it through
benchmarks.run); writes benchmarks/follow_up.md.

The values are readings on the draft indicator set's indicators, spread over them in turn
(300 risks: 7,200 values, 400 per indicator). Each time is the median of the repeats; on
PostgreSQL too when RISKKIT_TEST_DATABASE_URL names one.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from benchmarks.run import databases, timed
from benchmarks.synthetic import synthetic_assessment
from riskkit.catalogue import load_catalogue, load_indicators
from riskkit.compare import compare
from riskkit.models import Assessment, Catalogue, IndicatorSet, Reading, Track, validated

ROOT = Path(__file__).resolve().parent.parent
SIZES = (12, 300)
ACTIONS_PER_RISK = 3
VALUES_PER_RISK = 24
STATUSES = ("planned", "in_progress", "done")


def followed_up_assessment(catalogue: Catalogue, indicators: IndicatorSet, total_risks: int) -> Assessment:
    """A rated register of `total_risks` risks, each with a plan of 3 actions and a residual
    rating, and 24 indicator values per risk on the draft set's indicators."""
    assessment = synthetic_assessment(catalogue, total_risks)
    levels = catalogue.scale.levels
    start = date(2026, 1, 1)
    for position, number in enumerate(sorted(assessment.entries)):
        for step in range(ACTIONS_PER_RISK):
            assessment, _ = assessment.add_action(catalogue, number, f"Step {step + 1} of risk {number}",
                                                  who="Ministry of Justice", due=start + timedelta(days=30 * step),
                                                  status=STATUSES[(position + step) % len(STATUSES)])
        assessment = assessment.rate_residual(catalogue, number, likelihood=levels[0], impact=levels[position % 2])
    ids = indicators.ids()
    readings: dict[str, list[Reading]] = {i: [] for i in ids}
    for n in range(total_risks * VALUES_PER_RISK):  # an indicator's values a day apart
        readings[ids[n % len(ids)]].append(Reading(on=start + timedelta(days=n // len(ids)), value=float(n % 97),
                                                   source="field office"))
    tracks = {i: Track(baseline=0.0, target=100.0, readings=tuple(found)) for i, found in readings.items() if found}
    return validated(Assessment, {**dict(assessment), "tracks": tracks})


def six_months_later(catalogue: Catalogue, assessment: Assessment) -> Assessment:
    """The follow-up workshop: every fourth risk rated again and its first action done, and a
    new value for every indicator."""
    levels = catalogue.scale.levels
    for position, number in enumerate(sorted(assessment.entries)):
        if position % 4 == 0:
            entry = assessment.entry(number)
            assessment = assessment.rate(catalogue, number, likelihood=levels[(position // 4) % len(levels)])
            assessment = assessment.change_action(catalogue, number, entry.actions[0].id, status="done")
    for indicator_id in assessment.tracks:
        assessment = assessment.record_reading(indicator_id, date(2027, 7, 1), 50.0, "follow-up workshop")
    return assessment


def measure(repeats: int) -> dict[tuple[str, str, int], float]:
    """(database, operation, risks) -> median seconds."""
    from riskkit.store import Store

    catalogue = load_catalogue()
    indicators = load_indicators(catalogue=catalogue)
    built = {total: followed_up_assessment(catalogue, indicators, total) for total in SIZES}
    timings: dict[tuple[str, str, int], float] = {}
    with databases("bench_follow_up") as urls:
        for name, url in urls.items():
            store = Store(url)
            for total in SIZES:
                then_id = store.create(f"follow-up {total}, then", catalogue.policies.default,
                                       assessment=built[total])
                now_id = store.duplicate(then_id, f"follow-up {total}, now")
                copied = store.load(now_id)
                store.save(copied, six_months_later(catalogue, copied.assessment))
                timings[(name, "open", total)] = _median(repeats, lambda s=store, m=now_id: s.load(m))
                timings[(name, "save", total)] = _save_one_change(store, catalogue, now_id, repeats)
                then, now = store.load(then_id), store.load(now_id)
                timings[(name, "compare", total)] = _median(repeats, lambda t=then, n=now: compare(
                    catalogue, t.assessment, n.assessment, indicators, indicators))
                store.delete(then_id)
                store.delete(now_id)
            store.engine.dispose()
    return timings


def _median(repeats: int, action: Callable[[], object]) -> float:
    action()  # warm: caches, the first query's plan
    return statistics.median(timed(action) for _ in range(repeats))


def _save_one_change(store, catalogue: Catalogue, assessment_id: str, repeats: int) -> float:
    """One action's status changed and saved (and kept in the history), again and again."""
    snap = store.load(assessment_id)
    action_id = snap.assessment.entry(1).actions[0].id
    samples = []
    for i in range(repeats + 1):
        change = snap.assessment.change_action(catalogue, 1, action_id, status=STATUSES[i % len(STATUSES)])
        start = time.perf_counter()
        snap = store.save(snap, change, by="Benchmark")
        samples.append(time.perf_counter() - start)
    return statistics.median(samples[1:])


LABELS = {"open": "open an assessment (load)", "save": "save one change (an action's status)",
          "compare": "compare two loaded registers"}


def table(timings: dict[tuple[str, str, int], float]) -> list[str]:
    rows = ["| store | operation | 12 risks (ms) | 300 risks (ms) | ratio 300 / 12 |", "|---|---|---|---|---|"]
    for name in dict.fromkeys(key[0] for key in timings):
        for operation, label in LABELS.items():
            small, large = timings[(name, operation, 12)], timings[(name, operation, 300)]
            rows.append(f"| {name} | {label} | {small * 1000:.2f} | {large * 1000:.2f} | {large / small:.1f} |")
    return rows


def write(repeats: int) -> list[str]:
    """Measure, print and write benchmarks/follow_up.md; returns the table's lines."""
    lines = table(measure(repeats))
    intro = [f"Follow-up benchmark (`python -m benchmarks.follow_up --repeats {repeats}`): every risk has "
             f"{ACTIONS_PER_RISK} actions and {VALUES_PER_RISK} indicator values on the draft indicator set; "
             "each time is the median of the repeats, after one unmeasured run (an open after the process "
             "has parsed the stored actions and values once); saving writes the change's history row too; "
             "compare is riskkit.compare.compare of two loaded registers, the second six months on (every "
             "fourth risk rated again, its first action done, a new value per indicator). The ratio is the "
             "300-risk time over the 12-risk time.", ""]
    (ROOT / "benchmarks" / "follow_up.md").write_text("\n".join(intro + lines) + "\n", encoding="utf-8")
    print("\n".join(lines), flush=True)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=15)
    write(parser.parse_args().repeats)


if __name__ == "__main__":
    main()
