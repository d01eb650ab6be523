"""PostgreSQL locks only the rows a write is about: a save waits for another save of the same
assessment, never for one of a different assessment; votes of one room go in side by side,
and a reveal waits for the votes being written. (SQLite has one writer at a time by design.)

A write is held in the middle of its transaction (after one statement, before its commit)
while the others are tried, whatever locks the store takes for it."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import event

from riskkit.models import Entry
from riskkit.snapshot import Snapshot
from riskkit.store import Store
from riskkit.workshop import Vote
from tests.conftest import postgres_schema

QUICK_S = 1.5  # a write that waited would wait for the lock timeout (5 s), then fail


@pytest.fixture
def store() -> Iterator[Store]:
    with postgres_schema() as url:
        made = Store(url)
        yield made
        made.engine.dispose()


class Held:
    """Holds the first statement matching `wanted` (its SQL starts so, its parameters include
    `value`) in its transaction until released."""

    def __init__(self, store: Store, starts: str, value: str) -> None:
        self.store, self.starts, self.value = store, starts, value
        self.reached, self.released, self.used = threading.Event(), threading.Event(), False
        event.listen(store.engine, "after_cursor_execute", self._after)

    def _after(self, _conn: Any, _cursor: Any, statement: str, parameters: Any, *_rest: Any) -> None:
        if self.used or not statement.startswith(self.starts) or self.value not in str(parameters):
            return
        self.used = True
        self.reached.set()
        assert self.released.wait(10)

    def release(self) -> None:
        self.released.set()  # the listener stays (removing it while it runs would upset SQLAlchemy); used once


def in_background(job: Callable[[], object]) -> threading.Event:
    done = threading.Event()

    def run() -> None:
        job()
        done.set()

    threading.Thread(target=run, daemon=True).start()
    return done


def rated(snapshot: Snapshot, number: int, likelihood: str) -> Any:
    return snapshot.assessment.model_copy(
        update={"entries": {**snapshot.assessment.entries, number: Entry(likelihood=likelihood)}})


def test_a_save_does_not_wait_for_a_save_in_progress_on_another_assessment(store, catalogue):
    kenya, nepal = (store.load(store.create(title, catalogue.policies.default)) for title in ("Kenya", "Nepal"))
    held = Held(store, "INSERT INTO risk_entries", kenya.summary.id)
    first = in_background(lambda: store.save(kenya, rated(kenya, 1, "High")))
    assert held.reached.wait(5)
    try:
        started = time.perf_counter()
        store.save(nepal, rated(nepal, 1, "Low"))
        assert time.perf_counter() - started < QUICK_S
        second = in_background(lambda: store.save(kenya, rated(kenya, 2, "Low")))
        assert not second.wait(1.0), "a second save of one assessment went ahead while the first was writing"
    finally:
        held.release()
    assert first.wait(5) and second.wait(5)
    entries = store.load(kenya.summary.id).assessment.entries
    assert (entries[1].likelihood, entries[2].likelihood) == ("High", "Low")
    assert store.load(nepal.summary.id).assessment.entry(1).likelihood == "Low"


def test_votes_of_one_room_go_in_side_by_side_and_a_reveal_waits_for_them(store, catalogue):
    session, token = store.open_rating(store.create("Workshop", catalogue.policies.default), first_risk=1)
    high, low = Vote(likelihood="High", impact="High"), Vote(likelihood="Low", impact="Low")
    held = Held(store, "INSERT INTO votes", "p1")
    first = in_background(lambda: store.cast_vote(session.join_code, "p1", 1, high))
    assert held.reached.wait(5)
    try:
        started = time.perf_counter()
        store.cast_vote(session.join_code, "p2", 1, low)
        assert time.perf_counter() - started < QUICK_S
        revealed = in_background(lambda: store.reveal(token))
        assert not revealed.wait(1.0), "the reveal went ahead while a vote was being written"
    finally:
        held.release()
    assert first.wait(5) and revealed.wait(5)
    assert sorted(store.votes_for_facilitator(token, 1), key=lambda v: v.likelihood) == [high, low]
