"""The participants' path over HTTP: the vote route's rules, and one database read per room
per tick however many phones follow it."""

from __future__ import annotations

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.testclient import TestClient

from riskkit.store import Store, database_url, shared_store
from web import room as room_module
from web.middleware import EditorLock, ParticipantCookie, SecurityHeaders
from web.room import ROUTES, RoomHub

PHONE = "0123456789abcdef0123456789abcdef"


@pytest.fixture
def store(catalogue) -> Store:
    return shared_store(database_url())


@pytest.fixture
def rating(store, catalogue):
    made = store.create("Workshop", catalogue.policies.default)
    return store.open_rating(made, 1)


@pytest.fixture
def client() -> TestClient:
    app = Starlette(routes=ROUTES, middleware=[Middleware(SecurityHeaders), Middleware(EditorLock, key=""),
                                               Middleware(ParticipantCookie)])
    return TestClient(app, base_url="http://testserver")


def post_vote(client: TestClient, body: dict, cookie: str | None = PHONE, origin: str | None = "http://testserver",
              content_type: str = "application/json"):
    headers = {"content-type": content_type}
    if origin:
        headers["origin"] = origin
    cookies = {"riskkit_participant": cookie} if cookie else {}
    client.cookies.clear()
    return client.post("/join/vote", content=json.dumps(body), headers=headers, cookies=cookies)


def vote_body(rating, risk=1, likelihood="High", impact="Low") -> dict:
    return {"code": rating[0].join_code, "risk": risk, "likelihood": likelihood, "impact": impact}


def test_the_join_page_gives_a_phone_its_anonymous_cookie(client):
    answer = client.get("/join?code=ABCDEF")
    assert answer.status_code == 200 and "Rate the risk" in answer.text
    assert "riskkit_participant" in answer.headers["set-cookie"]
    assert answer.headers["x-frame-options"] == "SAMEORIGIN"


def test_a_vote_is_answered_stored_only_when_the_database_has_it(client, store, rating):
    answer = post_vote(client, vote_body(rating))
    assert answer.status_code == 200 and answer.json()["stored"] is True
    assert store.my_vote(rating[0].join_code, PHONE, 1).likelihood == "High"


def test_one_phone_voting_again_replaces_its_vote(client, store, rating):
    for level in ("Low", "Medium", "High"):
        post_vote(client, vote_body(rating, likelihood=level))
    assert store.vote_count(rating[0].id, 1) == 1


@pytest.mark.parametrize(("cookie", "origin", "content_type", "status"), [
    (None, "http://testserver", "application/json", 400),
    (PHONE, "http://attacker.example", "application/json", 403),
    (PHONE, None, "application/json", 403),
    (PHONE, "http://testserver", "application/x-www-form-urlencoded", 403),
    ("not-a-participant", "http://testserver", "application/json", 400),
])
def test_a_vote_from_another_site_or_without_a_place_in_the_room_is_refused(client, store, rating, cookie, origin,
                                                                            content_type, status):
    answer = post_vote(client, vote_body(rating), cookie=cookie, origin=origin, content_type=content_type)
    assert answer.status_code == status and answer.json()["message"]
    assert store.vote_count(rating[0].id, 1) == 0


@pytest.mark.parametrize("body", [{"code": "ABCDEF"}, {"code": "<b>", "risk": 1, "likelihood": "High", "impact": "Low"},
                                  {"code": "ABCDEF", "risk": "1", "likelihood": "High", "impact": "Low"},
                                  {"code": "ABCDEF", "risk": 1, "likelihood": "Very high", "impact": "Low"}])
def test_a_vote_that_cannot_be_read_is_refused_in_words(client, body):
    answer = post_vote(client, body)
    assert answer.status_code == 400 and "could not be read" in answer.json()["message"]


def test_a_tap_after_the_facilitator_moved_on_gets_a_clear_message(client, store, rating):
    store.show_risk(rating[1], 2)
    answer = post_vote(client, vote_body(rating, risk=1))
    assert answer.status_code == 409 and "moved to another risk" in answer.json()["message"]


def test_a_vote_after_the_reveal_or_the_end_is_refused(client, store, rating):
    store.reveal(rating[1])
    assert post_vote(client, vote_body(rating)).status_code == 409
    store.close_rating(rating[1])
    answer = post_vote(client, vote_body(rating))
    assert answer.status_code == 410 and "ended" in answer.json()["message"]


def test_my_vote_comes_back_after_a_reload(client, rating):
    post_vote(client, vote_body(rating, likelihood="Medium", impact="High"))
    client.cookies.set("riskkit_participant", PHONE)
    assert client.get(f"/join/me?code={rating[0].join_code}&risk=1").json() == {"likelihood": "Medium",
                                                                              "impact": "High"}


def test_a_room_is_read_once_per_tick_however_many_phones_follow_it(store, rating, catalogue):
    """Sixty phones on one room: the hub reads the database a few times a second, not sixty;
    and when the facilitator moves, every phone has the new risk within a few ticks."""
    hub = RoomHub(tick_s=0.05)
    code, token = rating[0].join_code, rating[1]

    async def run() -> tuple[int, list[int]]:
        seen: list[int] = []

        async def phone() -> None:
            async for view in hub.follow(code):
                if json.loads(view).get("risk") == 2:
                    seen.append(2)
                    return

        phones = [asyncio.create_task(phone()) for _ in range(60)]
        await asyncio.sleep(0.5)
        reads_before_move = hub.reads
        await asyncio.to_thread(store.show_risk, token, 2)
        await asyncio.wait_for(asyncio.gather(*phones), timeout=5)
        return reads_before_move, seen

    with ThreadPoolExecutor(1) as own_loop:  # a loop of its own: the browser tests' loop may be running here
        reads, seen = own_loop.submit(asyncio.run, run()).result(timeout=30)
    assert seen == [2] * 60
    assert reads <= 0.5 / 0.05 + 3  # one read per tick, shared by all sixty


def test_while_the_projector_shows_the_heat_map_phones_offer_no_vote(client, store, rating):
    from riskkit.workshop import NO_RISK
    from web.room import read_view
    store.show_risk(rating[1], NO_RISK)
    view = read_view(rating[0].join_code, {})
    assert view["state"] == "waiting" and "heat map" in view["message"]
    assert post_vote(client, vote_body(rating, risk=12)).status_code == 409


def test_a_made_up_code_gets_one_answer_and_no_watcher(client):
    with client.stream("GET", "/join/events?code=ZZZZZZ") as answer:
        body = "".join(answer.iter_text())
    assert '"state": "unknown"' in body and body.count("event: view") == 1
    assert "ZZZZZZ" not in room_module.HUB.rooms


def test_one_odd_cookie_of_another_app_does_not_hide_ours():
    from web.middleware import _cookies
    scope = {"headers": [(b"cookie", b"a[b]=1; riskkit_participant=" + PHONE.encode() + b"; x=\"y")]}
    assert _cookies(scope)["riskkit_participant"] == PHONE


def test_the_editor_key_in_an_address_never_sends_the_browser_to_another_host():
    from web.middleware import EditorLock
    app = Starlette(routes=ROUTES, middleware=[Middleware(EditorLock, key="k" * 20)])
    answer = TestClient(app).get("/%2Fattacker.example/x?editor=" + "k" * 20, follow_redirects=False)  # //attacker…
    assert answer.status_code == 303 and answer.headers["location"] == "/"


def test_an_oversized_vote_is_refused_without_being_read(client):
    answer = client.post("/join/vote", content=b"{" + b" " * 100_000 + b"}",
                         headers={"content-type": "application/json", "origin": "http://testserver"},
                         cookies={"riskkit_participant": PHONE})
    assert answer.status_code == 413
