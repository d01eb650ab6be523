"""A phone reads the rating page in its own browser's language, whatever the facilitator's,
and its vote is still stored as level ids."""

from __future__ import annotations

import json
import re

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.testclient import TestClient

from riskkit.i18n import using
from riskkit.store import Store, database_url, shared_store
from web import room
from web.middleware import EditorLock, ParticipantCookie, SecurityHeaders
from web.phone_words import page_words, phone_language

PHONE = "0123456789abcdef0123456789abcdef"
LEVELS = ("Low", "Medium", "High")


@pytest.fixture
def client() -> TestClient:
    app = Starlette(routes=room.ROUTES, middleware=[Middleware(SecurityHeaders), Middleware(EditorLock, key=""),
                                                    Middleware(ParticipantCookie)])
    return TestClient(app, base_url="http://testserver")


@pytest.fixture
def store(catalogue) -> Store:
    return shared_store(database_url())


def words_sent(page: str) -> dict[str, str]:
    found = re.search(r'<script id="words" type="application/json">(.*?)</script>', page, re.S)
    assert found, "the page carries its words"
    return json.loads(found.group(1))


@pytest.mark.parametrize(("header", "language"), [
    ("fr-FR,fr;q=0.9,en;q=0.8", "fr"), ("es-419,es;q=0.9", "es"), ("de-DE,es;q=0.5,fr;q=0.4", "es"),
    ("en-GB", "en"), ("", "en"), ("zz;q=abc, <script>", "en"), ("fr;q=0", "en"),
])
def test_a_phone_follows_its_browsers_preferred_language(header, language):
    assert phone_language(header) == language


def test_a_language_the_address_names_wins_over_the_browser_and_a_made_up_one_is_ignored():
    assert phone_language("en-US", "fr") == "fr"
    assert phone_language("es-ES", "<b>x</b>") == "es"


@pytest.mark.parametrize("language", ["fr", "es"])
def test_every_word_of_the_phone_page_is_translated(language):
    english = page_words(LEVELS)
    with using(language):
        translated = page_words(LEVELS)
    assert translated.keys() == english.keys()
    untranslated = [key for key, word in english.items() if translated[key] == word and key != "impact"
                    or not translated[key]]
    assert untranslated == [], untranslated
    slots = re.compile(r"\{\w+\}")
    assert all(set(slots.findall(translated[key])) == set(slots.findall(word)) for key, word in english.items())


@pytest.mark.parametrize(("header", "language", "heading", "likelihood"), [
    ("fr-FR,fr;q=0.9", "fr", "Notez le risque", "Probabilité"),
    ("es-MX,es;q=0.9", "es", "Califique el riesgo", "Probabilidad"),
])
def test_the_join_page_is_sent_in_the_phones_language(client, header, language, heading, likelihood):
    answer = client.get("/join?code=ABCDEF", headers={"accept-language": header})
    page = answer.text
    assert answer.status_code == 200 and f'<html lang="{language}">' in page
    assert f"<h1>{heading}</h1>" in page and likelihood in page and "Rate the risk" not in page
    assert answer.headers["content-language"] == language
    sent = words_sent(page)
    assert sent["lang"] == language and sent["level:High"] not in ("High", "")
    assert "{{" not in page


def test_the_words_cannot_close_the_script_they_travel_in(monkeypatch, client):
    monkeypatch.setattr("web.phone_words.page_words", lambda levels: {**page_words(levels),
                                                                     "heading": "</script><b>x</b>"})
    page = client.get("/join", headers={"accept-language": "fr"}).text
    assert "</script><b>" not in page and "&lt;/script&gt;&lt;b&gt;" in page
    assert words_sent(page)["heading"] == "</script><b>x</b>"


def test_each_phone_reads_the_statement_in_its_own_language(store, catalogue):
    made = store.create("Atelier", catalogue.policies.default)
    rating, _ = store.open_rating(made, 1)
    view = room.read_view(rating.join_code, {})
    assert view["statement"] == catalogue.risk(1).statement
    assert view["statements"]["fr"].startswith("Les victimes de la traite")
    assert view["statements"]["es"].startswith("Las víctimas de la trata")


def test_a_french_phones_vote_is_stored_as_level_ids_and_a_refusal_is_in_french(client, store, catalogue):
    made = store.create("Atelier", catalogue.policies.default)
    rating, _ = store.open_rating(made, 1)
    body = {"code": rating.join_code, "risk": 1, "likelihood": "High", "impact": "Low", "lang": "fr"}
    client.cookies.set("riskkit_participant", PHONE)
    headers = {"content-type": "application/json", "origin": "http://testserver", "accept-language": "fr"}
    assert client.post("/join/vote", content=json.dumps(body), headers=headers).json()["stored"] is True
    mine = store.my_vote(rating.join_code, PHONE, 1)
    assert (mine.likelihood, mine.impact) == ("High", "Low")
    refused = client.post("/join/vote", content=json.dumps({**body, "likelihood": "Élevé"}), headers=headers)
    assert refused.status_code == 400 and refused.json()["message"].startswith("Ce vote n'a pas pu être lu")
