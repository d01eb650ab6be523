"""Two server processes on one PostgreSQL: the facilitator on one, the phones on the other.
Moves and votes cross between them through the database within a second or two."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from riskkit.catalogue import load_catalogue
from riskkit.store import Store
from tests.conftest import postgres_schema

from .helpers import goto_present, join_room, new_page, start_group_rating, vote_on_phone, votes_in
from .server import start_server, stop_server


@pytest.fixture
def postgres_url() -> Iterator[str]:
    with postgres_schema() as url:
        yield url


def test_facilitator_on_one_process_and_phones_on_another_follow_each_other(browser: Browser, tmp_path: Path,
                                                                           postgres_url: str) -> None:
    env = {"RISKKIT_DATABASE_URL": postgres_url}
    store = Store(postgres_url)
    assessment_id = store.create("Two servers", load_catalogue().policies.default)
    first, url_a = start_server(tmp_path / "a", env=env)
    second, url_b = start_server(tmp_path / "b", env=env)
    facilitator = new_page(browser, 1280, 720, assessment_id=assessment_id)
    phones = []
    try:
        goto_present(facilitator, f"{url_a}/present")
        link = start_group_rating(facilitator)
        code = link.rsplit("=", 1)[1]
        phones = join_room(browser, f"{url_b}/join?code={code}", 2)  # the phones reach the other process

        facilitator.keyboard.press("ArrowRight")
        moved = time.monotonic()
        for phone in phones:
            expect(phone.locator("#risk-heading")).to_have_text("Risk 2", timeout=5_000)
        followed = time.monotonic() - moved
        assert followed < 2.0, f"the phones on the other process showed risk 2 after {followed:.2f} s"

        vote_on_phone(phones[0], 2, "High", "Low")
        voted = time.monotonic()
        expect(votes_in(facilitator)).to_have_text("1", timeout=5_000)
        assert time.monotonic() - voted < 3.0
    finally:
        for phone in phones:
            phone.context.close()
        facilitator.context.close()
        stop_server(first)
        stop_server(second)
        store.engine.dispose()
