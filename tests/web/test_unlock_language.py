"""The editor-key page (/unlock) speaks the language of the browser that opens it, as the
phone page does: a French facilitator, or a phone that opened / instead of /join, reads it
in their own language. Whatever the address or form holds is still shown as text."""

from __future__ import annotations

import html
import re

import pytest
from starlette.applications import Starlette
from starlette.routing import Route
from starlette.testclient import TestClient

from ui.state import EDITOR_COOKIE
from web.unlock import unlock

KEY = "a long workshop phrase"
OURS = {"origin": "http://testserver"}


@pytest.fixture
def client(monkeypatch) -> TestClient:
    monkeypatch.setenv("RISKKIT_EDITOR_KEY", KEY)
    return TestClient(Starlette(routes=[Route("/unlock", unlock, methods=["GET", "POST"])]),
                      base_url="http://testserver", follow_redirects=False)


def shown(page: str) -> str:
    """The page's words as a person reads them (tags and the style sheet left out)."""
    body = page.split("<body>", 1)[1]
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


@pytest.mark.parametrize(("header", "lang", "says", "label", "button"), [
    ("fr-FR,fr;q=0.9,en;q=0.8", "fr", "verrouillé", "Clé d'édition", "Ouvrir riskkit"),
    ("es-419,es;q=0.9", "es", "bloqueado", "Clave de edición", "Abrir riskkit"),
    ("en-GB,en;q=0.9", "en", "locked for editing", "Editor key", "Open riskkit"),
])
def test_the_page_is_in_the_browsers_language(client, header, lang, says, label, button):
    answer = client.get("/unlock?next=/heatmap", headers={"accept-language": header})
    page = answer.text
    assert answer.status_code == 200 and answer.headers["content-language"] == lang
    assert f'<html lang="{lang}">' in page and f'name="lang" value="{lang}"' in page
    words = shown(page)
    assert says in words and label in words and button in words
    title = re.search(r"<title>(.*)</title>", page)
    assert title and title.group(1).startswith("riskkit · ")
    if lang != "en":
        assert not re.search(r"\b(locked|Editor|join page|Open)\b", f"{title.group(1)} {words}"), words


def test_a_wrong_key_is_told_in_the_language_of_the_form(client):
    french = client.post("/unlock", data={"key": "pas la clé", "next": "/assess", "lang": "fr"},
                         headers={**OURS, "accept-language": "en-US"})
    assert french.status_code == 401 and '<html lang="fr">' in french.text
    assert '<p class="wrong" role="alert">Ce n&#x27;est pas la clé d&#x27;édition.</p>' in french.text
    spanish = client.get("/unlock?wrong=1&next=/", headers={"accept-language": "es"})
    assert "Esa no es la clave de edición." in spanish.text


def test_a_form_from_elsewhere_is_refused_in_the_browsers_language(client):
    answer = client.post("/unlock", data={"key": KEY}, headers={"origin": "https://elsewhere.example",
                                                                "accept-language": "es-ES"})
    assert answer.status_code == 403 and "set-cookie" not in answer.headers
    assert "riskkit" in shown(answer.text) and "This form" not in answer.text and '<html lang="es">' in answer.text


def test_the_right_key_opens_whatever_the_language(client):
    answer = client.post("/unlock", data={"key": KEY, "next": "/heatmap", "lang": "es"}, headers=OURS)
    assert answer.status_code == 303 and answer.headers["location"] == "/heatmap"
    assert answer.headers["set-cookie"].startswith(f"{EDITOR_COOKIE}=")


def test_hostile_input_stays_text_and_a_made_up_language_is_english(client):
    answer = client.get('/unlock?next=/a"><script>alert(1)</script>&lang="><b>x',
                        headers={"accept-language": '<script>;q=1, fr;q=0.1'})
    page = answer.text
    assert "<script>" not in page and '"><b>' not in page
    assert '<html lang="fr">' in page  # the header's one real language; the address's made-up one passed over
    assert 'value="/a&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in page
