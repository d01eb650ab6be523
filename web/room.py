"""The participants' path: phones in the room rate from a small page of riskkit's own,
not from Streamlit sessions.

A phone holds one Server-Sent Events stream (what the facilitator is showing) and posts
its vote. However many phones follow a room, a server process reads that room from the
database once per tick (RoomHub) and hands the same view to every phone: a phone costs
an idle connection, not a Streamlit session rerunning every second.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import re
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from anyio import to_thread
from sse_starlette import EventSourceResponse, ServerSentEvent
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from riskkit.catalogue import load_catalogue, with_official_wording
from riskkit.errors import RatingClosed, RiskkitError, UnknownRatingSession, UnknownRisk, VoteTooLate
from riskkit.i18n import LANGUAGES, SOURCE_LOCALE, using
from riskkit.i18n import gettext as _
from riskkit.rules import assessed_risk
from riskkit.store import Store, database_url, shared_store
from riskkit.workshop import NO_RISK, Vote
from ui.state import PARTICIPANT_COOKIE
from web.middleware import SECURITY_HEADERS, request_origin_matches
from web.phone_words import phone_language
from web.phone_words import phone_page as phone_page_in

log = logging.getLogger("riskkit.room")
PHONE = Path(__file__).resolve().parent / "phone"
TICK_S = 0.4  # how often a room is read: a move reaches the phones within about this
PING_S = 15  # keeps the stream open through proxies and sleeping Wi-Fi
CODE = re.compile(r"[A-Z0-9]{4,12}")
PARTICIPANT = re.compile(r"[0-9a-f]{32}")
MAX_ROOMS = 200  # rooms followed at once by one process: far more than one laptop's workshops
MAX_VOTE_BYTES = 2000


def store() -> Store:
    return shared_store(database_url())


def read_view(code: str, statements: dict[tuple[str, int, int], dict[str, str]]) -> dict[str, Any]:
    """What every phone of a room sees now: the risk on the projector (its statement in each
    language, so each phone shows its own), whether its votes are revealed, the scale. Read
    from the database (once per tick per room and process). `say` names what the room says
    in words each phone has in its own language; `message` is the server's words."""
    try:
        rating = store().rating_for_participant(code)
    except RatingClosed as exc:
        return {"state": "closed", "say": "ended", "message": str(exc)}
    except UnknownRatingSession as exc:
        return {"state": "unknown", "say": "unknown_code", "message": str(exc)}
    if rating.current_risk == NO_RISK:
        return {"state": "waiting", "say": "heat_map",
                "message": "The facilitator is showing the heat map. The next risk to rate will appear here."}
    revision = store().revision(rating.assessment_id) or 0
    key = (rating.assessment_id, rating.current_risk, revision)
    if key not in statements:  # the statement only when the facilitator moves (or it was edited)
        try:
            found = statements_of(rating.assessment_id, rating.current_risk)
        except UnknownRisk:  # the risk was deleted while on the projector
            return {"state": "waiting", "say": "next_risk",
                    "message": "Waiting for the facilitator to show the next risk."}
        statements.clear()
        statements[key] = found
    view: dict[str, Any] = {"state": "revealed" if rating.revealed else "voting", "risk": rating.current_risk,
                            "statement": statements[key][SOURCE_LOCALE], "statements": statements[key],
                            "levels": list(load_catalogue_once().scale.levels)}
    if rating.revealed:
        view["count"] = store().vote_count(rating.id, rating.current_risk)
    return view


@functools.lru_cache(maxsize=1)
def load_catalogue_once() -> Any:
    return load_catalogue()


def statements_of(assessment_id: str, number: int) -> dict[str, str]:
    """A risk's statement in every language riskkit offers: the toolkit's English, the
    assessment's official wording or riskkit's translation; a team's own risk as written."""
    assessment = store().load(assessment_id).assessment
    found = {}
    for language in LANGUAGES:
        official = store().templates.wording(assessment_id, language) if language != SOURCE_LOCALE else None
        found[language] = assessed_risk(with_official_wording(language, official), assessment, number).statement
    return found


@dataclass
class Room:
    code: str
    phones: set[asyncio.Queue[str]] = field(default_factory=set)
    last: str | None = None
    task: asyncio.Task[None] | None = None
    statements: dict[tuple[str, int, int], dict[str, str]] = field(default_factory=dict)


class RoomHub:
    """Follows each room that has phones connected: one read per tick, broadcast to all."""

    def __init__(self, tick_s: float = TICK_S) -> None:
        self.tick_s = tick_s
        self.rooms: dict[str, Room] = {}
        self.reads = 0  # database reads made, for the load test and the tests

    async def follow(self, code: str) -> AsyncIterator[str]:
        """The room's view as JSON, now and whenever it changes, until the phone goes."""
        room = self.rooms.setdefault(code, Room(code))
        queue: asyncio.Queue[str] = asyncio.Queue(maxsize=8)
        room.phones.add(queue)
        if room.last is not None:
            queue.put_nowait(room.last)
        if room.task is None or room.task.done():
            room.task = asyncio.create_task(self._watch(room))
        try:
            while True:
                yield await queue.get()
        finally:
            room.phones.discard(queue)

    async def _watch(self, room: Room) -> None:
        while room.phones:
            try:
                view = await to_thread.run_sync(read_view, room.code, room.statements)
            except RiskkitError as exc:  # the database is not answering: say so, keep trying
                view = {"state": "trouble", "say": "trouble", "message": str(exc)}
            except Exception:
                log.exception("reading room %s failed", room.code)
                view = {"state": "trouble", "say": "trouble",
                        "message": "The server cannot read the rating just now; it keeps trying."}
            self.reads += 1
            encoded = json.dumps(view)
            if encoded != room.last:
                room.last = encoded
                for queue in list(room.phones):
                    if queue.full():  # a phone that stopped reading gets the newest view only
                        _drain(queue)
                    queue.put_nowait(encoded)
            if view.get("state") in ("closed", "unknown"):
                await asyncio.sleep(self.tick_s * 10)
            await asyncio.sleep(self.tick_s)
        self.rooms.pop(room.code, None)


def _drain(queue: asyncio.Queue[str]) -> None:
    while not queue.empty():
        queue.get_nowait()


HUB = RoomHub()


def _code(request: Request) -> str | None:
    code = request.query_params.get("code", "").strip().upper()
    return code if CODE.fullmatch(code) else None


def _participant(request: Request) -> str | None:
    found = request.cookies.get(PARTICIPANT_COOKIE, "")
    return found if PARTICIPANT.fullmatch(found) else None


def _headers() -> dict[str, str]:
    return {name.decode(): value.decode() for name, value in SECURITY_HEADERS} | {"cache-control": "no-store"}


def _language(request: Request, asked: object = None) -> str:
    """The phone's own language: a `lang` it gives, else its browser's Accept-Language."""
    given = asked if asked is not None else request.query_params.get("lang")
    return phone_language(request.headers.get("accept-language"), given if isinstance(given, str) else None)


async def phone_page(request: Request) -> Response:
    """The page a phone opens (QR code, link, or /join and a typed code), in the phone's language."""
    page = phone_page_in(_language(request), tuple(load_catalogue_once().scale.levels))
    return Response(page, media_type="text/html; charset=utf-8",
                    headers=_headers() | {"content-language": _language(request), "vary": "Accept-Language"})


async def phone_asset(request: Request) -> Response:
    name = request.path_params["name"]
    kinds = {"phone.js": "text/javascript; charset=utf-8", "phone.css": "text/css; charset=utf-8"}
    if name not in kinds:
        return Response(status_code=404)
    return Response((PHONE / name).read_bytes(), media_type=kinds[name],
                    headers=_headers() | {"cache-control": "public, max-age=300"})


async def events(request: Request) -> Response:
    """The room's view, pushed: a new risk, the reveal, the end."""
    code = _code(request)
    with using(_language(request)):
        return await _events(code)


async def _events(code: str | None) -> Response:
    if code is None:
        return JSONResponse({"state": "unknown", "say": "not_a_code",
                             "message": _("That is not a join code: a code is six letters and digits, as shown "
                                          "on the projector.")},
                            status_code=404, headers=_headers())

    try:  # only a room that exists and is open is followed: made-up codes cost one read, not a watcher
        await to_thread.run_sync(store().rating_for_participant, code)
    except (UnknownRatingSession, RatingClosed) as exc:
        closed = isinstance(exc, RatingClosed)
        ended = {"state": "closed" if closed else "unknown", "say": "ended" if closed else "unknown_code",
                 "message": str(exc)}

        async def once() -> AsyncIterator[ServerSentEvent]:
            yield ServerSentEvent(data=json.dumps(ended), event="view", retry=600_000)

        return EventSourceResponse(once(), headers=_headers())
    except RiskkitError:
        return JSONResponse({"state": "trouble", "say": "trouble",
                             "message": _("The server cannot read the rating just now; it keeps trying.")},
                            status_code=503, headers=_headers())
    if code not in HUB.rooms and len(HUB.rooms) >= MAX_ROOMS:
        return JSONResponse({"state": "trouble", "say": "busy",
                             "message": _("The server is following too many rooms.")},
                            status_code=503, headers=_headers())

    async def stream() -> AsyncIterator[ServerSentEvent]:
        async for view in HUB.follow(code):
            yield ServerSentEvent(data=view, event="view")

    return EventSourceResponse(stream(), ping=PING_S, headers=_headers() | {"x-accel-buffering": "no"})


async def my_vote(request: Request) -> Response:
    """This phone's vote on a risk, to show it again after a reload."""
    code, participant = _code(request), _participant(request)
    risk = request.query_params.get("risk", "")
    if code is None or participant is None or not risk.isascii() or not risk.isdigit() or len(risk) > 4:
        return JSONResponse({}, headers=_headers())
    try:
        found = await to_thread.run_sync(store().my_vote, code, participant, int(risk))
    except RiskkitError:
        return JSONResponse({}, headers=_headers())
    return JSONResponse(found.model_dump() if found else {}, headers=_headers())


async def cast(request: Request) -> Response:
    """A vote: answered "stored" only once the database has it, so a phone never says "sent"
    for a vote that is not counted. Only from our own page (JSON, same origin). A refusal is
    in the phone's language (the `lang` its page sends, else its browser's)."""
    with using(_language(request)):
        if not request.headers.get("content-type", "").startswith("application/json") \
                or not request_origin_matches(request.scope):
            return _refuse(403, _("Votes are taken from riskkit's own rating page only."))
        participant = _participant(request)
        if participant is None:
            return _refuse(400, _("This phone has no place in the room yet: open the join link again."))
        unreadable = _("That vote could not be read; tap your choices again.")
        if int(request.headers.get("content-length") or 0) > MAX_VOTE_BYTES:
            return _refuse(413, unreadable)
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_VOTE_BYTES:
                return _refuse(413, unreadable)
        try:
            sent = json.loads(body)
            code, risk = str(sent["code"]).strip().upper(), sent["risk"]
            vote = Vote(likelihood=str(sent["likelihood"]), impact=str(sent["impact"]))
            levels = load_catalogue_once().scale.levels
            if not CODE.fullmatch(code) or not isinstance(risk, int) or vote.likelihood not in levels \
                    or vote.impact not in levels:
                raise ValueError
        except (ValueError, KeyError, TypeError, RecursionError):
            return _refuse(400, unreadable)
    with using(_language(request, sent.get("lang"))):  # the vote itself is ids: levels, never words
        return await _store_vote(code, participant, risk, vote)


async def _store_vote(code: str, participant: str, risk: int, vote: Vote) -> Response:
    try:
        await to_thread.run_sync(store().cast_vote, code, participant, risk, vote)
    except VoteTooLate as exc:
        return _refuse(409, str(exc))
    except (RatingClosed, UnknownRatingSession) as exc:
        return _refuse(410, str(exc))
    except RiskkitError as exc:
        return _refuse(503, str(exc))
    return JSONResponse({"stored": True, "risk": risk, **vote.model_dump(), "at": time.time()}, headers=_headers())


def _refuse(status: int, message: str) -> Response:
    return JSONResponse({"stored": False, "message": message}, status_code=status, headers=_headers())


ROUTES = [
    Route("/join", phone_page, methods=["GET"]),
    Route("/join/events", events, methods=["GET"]),
    Route("/join/me", my_vote, methods=["GET"]),
    Route("/join/vote", cast, methods=["POST"]),
    Route("/join/{name}", phone_asset, methods=["GET"]),
]
