"""A participant's phone in tests, speaking the real protocol of /join (web/room.py) to
the real routes and middleware in this process: the cookie the join page gives, votes
posted as JSON from the same origin, and the view every phone of the room is sent."""

from __future__ import annotations

import json
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.testclient import TestClient

from web.middleware import EditorLock, ParticipantCookie, SecurityHeaders
from web.room import ROUTES, read_view


def phone_server(editor_key: str = "") -> Starlette:
    return Starlette(routes=ROUTES, middleware=[Middleware(SecurityHeaders), Middleware(EditorLock, key=editor_key),
                                                Middleware(ParticipantCookie)])


class Phone:
    def __init__(self, code: str, editor_key: str = "", cookie: str | None = None) -> None:
        self.code = code
        self.client = TestClient(phone_server(editor_key), base_url="http://testserver")
        if cookie:
            self.client.cookies.set("riskkit_participant", cookie)
        self.opened = self.client.get(f"/join?code={code}")  # the QR code scanned: the page and a cookie
        self.cookie = self.client.cookies.get("riskkit_participant")

    def view(self) -> dict[str, Any]:
        """What the room's stream sends every phone now."""
        return read_view(self.code, {})

    def vote(self, risk: int, likelihood: str, impact: str) -> dict[str, Any]:
        answer = self.client.post("/join/vote", headers={"content-type": "application/json",
                                                         "origin": "http://testserver"},
                                  content=json.dumps({"code": self.code, "risk": risk, "likelihood": likelihood,
                                                      "impact": impact}))
        return {"status": answer.status_code, **answer.json()}

    def mine(self, risk: int) -> dict[str, Any]:
        return self.client.get(f"/join/me?code={self.code}&risk={risk}").json()
