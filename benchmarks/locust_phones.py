"""Simulated phones for the room load test (run by benchmarks/load_room.py, not alone).

Each Locust user is a phone speaking the real participant protocol: it opens /join (and
gets its cookie), follows /join/events (Server-Sent Events), and when a new risk arrives
it waits a human moment and posts its vote to /join/vote, retrying as the page does.
Every arrival and every vote is written, with its time, to RISKKIT_LOAD_LOG (one JSON
object a line) for the orchestrator to measure.
"""

from __future__ import annotations

import json
import os
import random
import time

import gevent
import requests
from locust import User, constant, task

CODE = os.environ.get("RISKKIT_LOAD_CODE", "")
LOG = open(os.environ.get("RISKKIT_LOAD_LOG", os.devnull), "a", buffering=1)  # noqa: SIM115 (the run's log)
LEVELS = ("Low", "Medium", "High")
THINK_S = (0.3, 2.5)  # a person reads the risk, then taps twice


def record(**entry: object) -> None:
    LOG.write(json.dumps({"t": time.time(), **entry}) + "\n")


class Phone(User):
    wait_time = constant(1)

    def on_start(self) -> None:
        self.session = requests.Session()
        self.session.get(f"{self.host}/join?code={CODE}", timeout=30)
        self.name = self.session.cookies.get("riskkit_participant", "")
        self.seen: set[int] = set()

    @task
    def follow(self) -> None:
        """Hold the stream; on every new risk, vote once. Reconnect when it drops."""
        try:
            with self.session.get(f"{self.host}/join/events?code={CODE}", stream=True, timeout=(10, 60)) as stream:
                for line in stream.iter_lines(decode_unicode=True):
                    if not line or not line.startswith("data:"):
                        continue
                    view = json.loads(line[5:].strip())
                    risk = view.get("risk")
                    if view.get("state") == "voting" and risk not in self.seen:
                        self.seen.add(risk)
                        record(kind="seen", phone=self.name, risk=risk)
                        gevent.spawn(self.vote, risk)
                    if view.get("state") == "closed":
                        record(kind="closed", phone=self.name)
                        gevent.sleep(3600)  # the room has ended: this phone stays quiet
        except (requests.RequestException, ValueError) as exc:
            record(kind="dropped", phone=self.name, why=type(exc).__name__)

    def vote(self, risk: int) -> None:
        gevent.sleep(random.uniform(*THINK_S))
        body = {"code": CODE, "risk": risk, "likelihood": random.choice(LEVELS), "impact": random.choice(LEVELS)}
        sent = time.time()
        for attempt in range(6):
            try:
                answer = self.session.post(f"{self.host}/join/vote", json=body, timeout=10,
                                           headers={"origin": self.host})
            except requests.RequestException:
                gevent.sleep(min(8, 2 ** attempt))
                continue
            if answer.status_code == 200:
                record(kind="vote", phone=self.name, risk=risk, sent=sent, ok=True, status=200)
                return
            if answer.status_code in (409, 410, 400, 403):
                record(kind="vote", phone=self.name, risk=risk, sent=sent, ok=False, status=answer.status_code)
                return
            gevent.sleep(min(8, 2 ** attempt))
        record(kind="vote", phone=self.name, risk=risk, sent=sent, ok=False, status=0)
