"""Group rating as a room lives it: the facilitator's laptop on the projector (1280x720),
participants on their phones (390x844, touch). Votes reach the projector without a reload,
stay hidden until the reveal, follow the facilitator from risk to risk, cannot reach the
facilitator's controls, and survive a server restart."""

from __future__ import annotations

import contextlib
import re
import secrets
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Browser, Page, expect
from playwright.sync_api import Error as PlaywrightError

from riskkit.catalogue import load_catalogue
from riskkit.store import Store

from .conftest import CALL_FAILED, FAILURES
from .helpers import (
    PHONE_READY,
    RUN_TIMEOUT_MS,
    SETTLED,
    after_run,
    assert_no_exception,
    goto_present,
    join_room,
    level_on_phone,
    new_page,
    open_phone,
    start_group_rating,
    vote_on_phone,
    votes_in,
)
from .server import REPO, start_server, stop_server

ROOM_VOTES = (("High", "High"), ("High", "Medium"), ("Medium", "High"))  # likelihood, impact
SCREENSHOTS = REPO / "artifacts" / "screens"
SCREENSHOTS.mkdir(parents=True, exist_ok=True)
FOLLOW_WITHIN_S = 2.5  # the target is about two seconds: one refresh of the phone, plus the facilitator's run
VOTES_IN_WITHIN_MS = 3_000
RISK_2_START = "Lack of support services"
FACILITATOR_CONTROLS = {
    "a 'Reveal the votes' button": lambda p: p.get_by_role("button", name="Reveal the votes"),
    "a 'Record the median' button": lambda p: p.get_by_role("button", name=re.compile("^Record the median")),
    "an 'End group rating' button": lambda p: p.get_by_role("button", name="End group rating"),
    "the 'Votes in' metric": lambda p: p.locator("[data-testid=stMetric]").filter(has_text="Votes in"),
}


class Room:
    """The phones (and any other page) a test opens: closed after the test, and what each
    showed is saved under artifacts/browser-failures/ when the test fails."""

    def __init__(self, browser: Browser) -> None:
        self.browser = browser
        self.pages: list[Page] = []

    def join(self, link: str, count: int = 1) -> list[Page]:
        return [self.keep(phone) for phone in join_room(self.browser, link, count)]

    def keep(self, page: Page) -> Page:
        self.pages.append(page)
        return page


@pytest.fixture
def room(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Room]:
    opened = Room(browser)
    yield opened
    failed = request.node.stash.get(CALL_FAILED, False)
    for index, page in enumerate(opened.pages):
        if failed:
            FAILURES.mkdir(parents=True, exist_ok=True)
            with contextlib.suppress(PlaywrightError):
                page.screenshot(path=str(FAILURES / f"{request.node.name}-{index}.png"), full_page=True)
        with contextlib.suppress(PlaywrightError):
            page.context.close()


@pytest.fixture(scope="module")
def store(server_env: Mapping[str, str]) -> Iterator[Store]:
    """The database the app server writes to, read as the app reads it."""
    opened = Store(server_env["RISKKIT_DATABASE_URL"])
    yield opened
    opened.engine.dispose()


def facilitator_key(page: Page) -> str:
    return parse_qs(urlparse(page.url).query)["key"][0]


def address_of(page: Page) -> str:
    """What the address bar shows now (Streamlit rewrites it without a navigation)."""
    return page.evaluate("location.href")


def checked_levels(phone: Page, number: int) -> dict[str, list[str]]:
    """The levels a phone shows as chosen for a risk, by field."""
    return {field: [radio.get_attribute("data-level") or "" for radio in
                    phone.locator(f"body[data-risk='{number}'] #{field} [role=radio][aria-checked=true]").all()]
            for field in ("likelihood", "impact")}


def vote_table(page: Page) -> dict[tuple[str, str], int]:
    """The revealed table as drawn: (likelihood row, impact column) -> votes. At 1280x720 it is
    below the fold, and Streamlit draws a table only once scrolled to, as the facilitator does."""
    page.get_by_text("Votes by likelihood (rows) and impact (columns)").scroll_into_view_if_needed()
    table = page.locator("[data-testid=stMain] [data-testid=stTable]")
    table.scroll_into_view_if_needed()
    expect(table).to_be_visible()
    rows = table.evaluate("el => [...el.querySelectorAll('tr')]"
                          ".map(tr => [...tr.querySelectorAll('th, td')].map(c => c.innerText.trim()))")
    header, *body = rows
    return {(row[0], impact): int(count) for row in body for impact, count in zip(header[1:], row[1:])}


def shows_risk(phone: Page, number: int, statement_start: str) -> bool:
    return phone.evaluate(
        """([heading, statement]) => {
             const shown = document.getElementById('risk-heading');
             return !!shown && shown.textContent.trim() === heading
               && document.getElementById('statement').textContent.includes(statement);
           }""", [f"Risk {number}", statement_start])


def open_as_participant(phone: Page, addresses: list[str]) -> Iterator[str]:
    """Type each address into the phone's browser in turn; yield it once the app has run its page.
    (One at a time: a freshly started server opening several pages at once can trip over its
    first import of pandas, an app bug of its own.)"""
    for address in addresses:
        phone.goto(address)
        if "/join" in phone.url:  # the participants' page: riskkit's own, not the app
            phone.wait_for_function(PHONE_READY, timeout=RUN_TIMEOUT_MS)
        elif "/unlock" not in phone.url:  # the server's lock page is plain HTML, not the app either
            phone.wait_for_function(SETTLED, arg=0, timeout=RUN_TIMEOUT_MS)
            assert_no_exception(phone)
        yield address


def every_page_path() -> list[str]:
    """The URL path of every page app.py routes, read from app.py so a new page is tried too."""
    return ["", *re.findall(r'url_path="([^"]+)"', (REPO / "app.py").read_text())]


def addresses_a_participant_might_try(server: str, code: str) -> list[str]:
    made_up = secrets.token_urlsafe(24)  # the real facilitator key is never shown to the room
    tries = [f"{server}/present?code={code}", f"{server}/present?key={made_up}",
             f"{server}/present?key={made_up}&code={code}", f"{server}/join?code={code}&key={made_up}",
             f"{server}/assess", f"{server}/assessments", *(f"{server}/{path}" for path in every_page_path())]
    return list(dict.fromkeys(tries))


def test_a_room_votes_the_facilitator_reveals_and_records_the_rating(
        page: Page, server: str, room: Room, store: Store) -> None:
    assessment_id = page.assessment_id  # type: ignore[attr-defined]
    goto_present(page, f"{server}/present")
    link = start_group_rating(page)
    code = link.rsplit("=", 1)[1]
    assert link == f"{server}/join?code={code}", f"the join link on the projector is {link!r}"
    expect(page.get_by_role("heading", name=f"Join: code {code}")).to_be_visible()
    expect(page.locator("[data-testid=stMain] img").first).to_be_visible()  # the QR code
    expect(votes_in(page)).to_have_text("0")

    phones = room.join(link, len(ROOM_VOTES))
    page.evaluate("window.__sameFacilitatorPage = true")  # gone if the page reloads
    for phone, (likelihood, impact) in zip(phones, ROOM_VOTES):
        vote_on_phone(phone, 1, likelihood, impact)
    last_vote_in = time.monotonic()
    expect(votes_in(page)).to_have_text("3", timeout=VOTES_IN_WITHIN_MS)
    assert time.monotonic() - last_vote_in < VOTES_IN_WITHIN_MS / 1000
    assert page.evaluate("window.__sameFacilitatorPage === true"), "the facilitator's page was reloaded"

    for phone, (likelihood, impact) in zip(phones, ROOM_VOTES):
        assert checked_levels(phone, 1) == {"likelihood": [likelihood], "impact": [impact]}, \
            "a phone shows choices other than its own"
        expect(phone.locator("[data-testid=stTable]")).to_have_count(0)
        expect(phone.get_by_text(re.compile("The votes are revealed|in the room"))).to_have_count(0)
    expect(page.locator("[data-testid=stTable]")).to_have_count(0)  # nor the projector, before the reveal

    reveal = page.get_by_role("button", name="Reveal the votes")
    expect(reveal).to_be_enabled()
    reveal.click()
    assert vote_table(page) == {
        ("High", "Low"): 0, ("High", "Medium"): 1, ("High", "High"): 1,
        ("Medium", "Low"): 0, ("Medium", "Medium"): 0, ("Medium", "High"): 1,
        ("Low", "Low"): 0, ("Low", "Medium"): 0, ("Low", "High"): 0}
    expect(page.get_by_text("The room disagrees")).to_have_count(0)  # nobody said Low
    for phone in phones:
        expect(phone.get_by_text("The votes are revealed (3 in the room)")).to_be_visible()

    record = page.get_by_role("button", name="Record the median: High / High")
    record.click()
    expect(page.get_by_role("heading", name=re.compile(r"^Rated: likelihood High · impact High"))).to_be_visible()
    saved = store.load(assessment_id).assessment.entry(1)
    assert (saved.likelihood, saved.impact) == ("High", "High")


def test_participants_follow_the_facilitator_within_two_seconds(page: Page, server: str, room: Room) -> None:
    goto_present(page, f"{server}/present")
    link = start_group_rating(page)
    phones = room.join(link, 3)
    assert load_catalogue().risks[1].statement.startswith(RISK_2_START)

    page.keyboard.press("ArrowRight")
    pressed = time.monotonic()
    followed: dict[int, float] = {}
    while len(followed) < len(phones) and time.monotonic() - pressed < 10:
        for index, phone in enumerate(phones):
            if index not in followed and shows_risk(phone, 2, RISK_2_START):
                followed[index] = time.monotonic() - pressed
        time.sleep(0.05)

    expect(page.get_by_text("Risk 2 of 12")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile(f"^2. {RISK_2_START}"))).to_be_visible()
    assert len(followed) == len(phones), f"only {len(followed)} of {len(phones)} phones showed risk 2 within 10 s"
    slowest = max(followed.values())
    print(f"phones showed risk 2 after {sorted(round(s, 2) for s in followed.values())} s")
    assert slowest < FOLLOW_WITHIN_S, f"a phone showed risk 2 {slowest:.2f} s after the key press: {followed}"
    for phone in phones:
        expect(level_on_phone(phone, 2, "likelihood", "Low")).to_be_visible()
        expect(level_on_phone(phone, 1, "likelihood", "Low")).to_have_count(0)


def test_a_participant_cannot_reach_the_facilitator_controls(
        page: Page, server: str, room: Room, store: Store) -> None:
    assessment_id = page.assessment_id  # type: ignore[attr-defined]
    goto_present(page, f"{server}/present")
    link = start_group_rating(page)
    code = link.rsplit("=", 1)[1]
    token = facilitator_key(page)
    phone, = room.join(link)
    expect(phone.locator("[data-testid=stSidebar] a")).to_have_count(0)
    vote_on_phone(phone, 1, "High", "High")
    vote_on_phone(phone, 1, "Low", "High")  # changes their mind: still one vote
    own_address = address_of(phone)
    assessment_before = store.load(assessment_id)
    rating_before = store.rating_for_facilitator(token)
    assert store.vote_count(rating_before.id, 1) == 1
    assert store.votes_for_facilitator(token, 1)[0].likelihood == "Low"

    for address in open_as_participant(phone, addresses_a_participant_might_try(server, code)):
        for what, control in FACILITATOR_CONTROLS.items():
            assert control(phone).count() == 0, f"{address} shows the participant {what}"
        if "code=" in address:  # still the participant's join page: no way to the other pages
            expect(phone.get_by_role("heading", name="Rate the risk")).to_be_visible()
            assert phone.locator("[data-testid=stSidebar] a").count() == 0, f"{address} shows the page list"

    open_phone(phone, own_address)  # back on their own page, the same vote is theirs to change
    vote_on_phone(phone, 1, "Medium", "High")
    assert store.vote_count(rating_before.id, 1) == 1, "voting again added a vote instead of replacing it"
    assert store.load(assessment_id) == assessment_before, "the assessment changed"
    assert store.rating_for_facilitator(token) == rating_before, "the rating session changed"
    expect(votes_in(page)).to_have_text("1")
    page.get_by_role("button", name="Reveal the votes").click()  # one vote, in its own row and column
    assert {cell: n for cell, n in vote_table(page).items() if n} == {("Medium", "High"): 1}


def test_with_an_editor_key_a_participant_who_types_another_address_finds_it_locked(
        room: Room, tmp_path: Path, server_env: Mapping[str, str]) -> None:
    """Without accounts, a session that drops the join link is a new session; an editor key
    (RISKKIT_EDITOR_KEY, as the README advises for workshops) is what keeps the room out."""
    env = {**server_env, "RISKKIT_EDITOR_KEY": secrets.token_urlsafe(16)}
    proc, server = start_server(tmp_path, env=env)
    try:
        store = Store(env["RISKKIT_DATABASE_URL"])
        assessment_id = store.create("Workshop", load_catalogue().policies.default)
        rating, _token = store.open_rating(assessment_id, 1)
        before = store.load(assessment_id)
        phone, = room.join(f"{server}/join?code={rating.join_code}")
        for address in open_as_participant(phone, addresses_a_participant_might_try(server, rating.join_code)):
            if "/unlock" in phone.url:  # locked before any of the app was sent
                expect(phone.get_by_label("Editor key")).to_be_visible()
                assert phone.locator("[data-testid=stApp]").count() == 0, address
                continue
            assert phone.locator("[data-testid=stSidebar] a").count() == 0, f"{address} shows the page list"
            assert phone.get_by_role("button", name=re.compile("^Start group rating")).count() == 0, \
                f"{address} lets the participant start a group rating"
            assert phone.get_by_role("button", name="Reveal the votes").count() == 0, address
            heading = phone.locator("main h1").first  # the join page, or the app's way to it
            expect(heading).to_have_text(re.compile("^(Rate the risk|riskkit)$"))
        assert store.load(assessment_id) == before
        store.engine.dispose()
    finally:
        stop_server(proc)


def test_a_server_restart_mid_session_keeps_every_vote(
        browser: Browser, room: Room, tmp_path: Path, server_env: Mapping[str, str]) -> None:
    env = {**server_env, "RISKKIT_DATABASE_URL": f"sqlite:///{tmp_path / 'riskkit.sqlite3'}"}
    saved = Store(env["RISKKIT_DATABASE_URL"])
    assessment_id = saved.create("Restart workshop", load_catalogue().policies.default)
    proc, url = start_server(tmp_path / "server", env=env)
    port = int(url.rsplit(":", 1)[1])
    try:
        facilitator = room.keep(new_page(browser, 1280, 720, assessment_id=assessment_id))
        goto_present(facilitator, f"{url}/present")
        link = start_group_rating(facilitator)
        token = facilitator_key(facilitator)
        phones = room.join(link, len(ROOM_VOTES))
        for phone, (likelihood, impact) in zip(phones, ROOM_VOTES):
            vote_on_phone(phone, 1, likelihood, impact)
        expect(votes_in(facilitator)).to_have_text("3")
        facilitator_address = address_of(facilitator)
        phone_addresses = [address_of(phone) for phone in phones]
        ids = [{c["name"]: c["value"] for c in phone.context.cookies()}.get("riskkit_participant") for phone in phones]
        assert all(ids) and len(set(ids)) == len(phones), f"each phone is a participant of its own: {ids}"

        stop_server(proc)
        proc, again = start_server(tmp_path / "server", env=env, port=port)
        assert again == url

        goto_present(facilitator, facilitator_address)
        expect(votes_in(facilitator)).to_have_text("3")
        assert len(saved.votes_for_facilitator(token, 1)) == 3
        for phone, address, (likelihood, impact) in zip(phones, phone_addresses, ROOM_VOTES):
            open_phone(phone, address)
            assert address_of(phone) == address
            expect(level_on_phone(phone, 1, "likelihood", likelihood)).to_have_attribute("aria-checked", "true")
            expect(level_on_phone(phone, 1, "impact", impact)).to_have_attribute("aria-checked", "true")
            expect(phone.get_by_text("Your rating is in")).to_be_visible()
    finally:
        stop_server(proc)
        saved.engine.dispose()


def test_a_phone_that_loses_its_connection_mid_vote_sends_it_when_back(
        page: Page, server: str, room: Room, store: Store) -> None:
    """A vote tapped while the Wi-Fi is gone is not said to be in; the phone says it is waiting,
    keeps the choices, and sends them by itself when the connection is back."""
    goto_present(page, f"{server}/present")
    link = start_group_rating(page)
    token = facilitator_key(page)
    phone, = room.join(link)
    phone.context.set_offline(True)
    for field, level in (("likelihood", "Medium"), ("impact", "High")):
        level_on_phone(phone, 1, field, level).tap()
    expect(phone.locator("#status")).to_contain_text("Not sent yet: no connection")
    expect(phone.locator("#connection")).to_be_visible()
    assert store.votes_for_facilitator(token, 1) == []
    phone.screenshot(path=str(SCREENSHOTS / "phone-offline-390x844.png"))
    phone.context.set_offline(False)
    expect(phone.locator("#status")).to_contain_text("Your rating is in: likelihood Medium, impact High",
                                                     timeout=15_000)
    assert [(v.likelihood, v.impact) for v in store.votes_for_facilitator(token, 1)] == [("Medium", "High")]
    expect(phone.locator("#connection")).to_be_hidden(timeout=10_000)
    phone.screenshot(path=str(SCREENSHOTS / "phone-voted-390x844.png"))


def test_a_tap_as_the_facilitator_moves_on_gets_a_clear_message(page: Page, server: str, room: Room,
                                                                store: Store) -> None:
    goto_present(page, f"{server}/present")
    link = start_group_rating(page)
    token = facilitator_key(page)
    phone, = room.join(link)
    phone.context.set_offline(True)  # the tap leaves the phone just as the room moves on
    for field, level in (("likelihood", "Low"), ("impact", "Low")):
        level_on_phone(phone, 1, field, level).tap()
    store.show_risk(token, 2)
    phone.context.set_offline(False)
    expect(phone.locator("#risk-heading")).to_have_text("Risk 2", timeout=15_000)
    assert store.votes_for_facilitator(token, 1) == [] and store.votes_for_facilitator(token, 2) == []


def test_at_the_closing_heat_map_phones_offer_no_vote_until_the_room_goes_back(page: Page, server: str,
                                                                              room: Room) -> None:
    goto_present(page, f"{server}/present")
    link = start_group_rating(page)
    phone, = room.join(link)
    for number in range(2, 14):  # through the twelve risks to the heat map
        after_run(page, lambda: page.keyboard.press("ArrowRight"))
        if number <= 12:
            expect(page.get_by_text(f"Risk {number} of 12")).to_be_visible()
    expect(page.get_by_role("heading", name="Where the risks fall")).to_be_visible()
    expect(phone.locator("#status")).to_contain_text("showing the heat map", timeout=5_000)
    expect(phone.locator("#pickers")).to_be_hidden()
    page.keyboard.press("ArrowLeft")
    expect(phone.locator("#risk-heading")).to_have_text("Risk 12", timeout=5_000)
    expect(level_on_phone(phone, 12, "likelihood", "High")).to_be_visible()
