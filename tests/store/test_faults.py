"""A PostgreSQL that stops answering: pages get a sentence within the deadline, not a hang.

A small TCP relay stands between the store and the real test server; freezing it is a
database that keeps its connections open and never answers (a stopped process, a dead
network path)."""

from __future__ import annotations

import contextlib
import select
import socket
import threading
import time
from collections.abc import Iterator

import pytest
from sqlalchemy.engine import make_url

import riskkit.store.engine as engine_module
from riskkit.store import DatabaseNotAnswering, Store, StoreError
from tests.conftest import postgres_schema


class Relay:
    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.frozen = threading.Event()
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.port = self.listener.getsockname()[1]
        self.stopped = False
        self.sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.stopped:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self.sockets += [client, upstream]
            threading.Thread(target=self._pipe, args=(client, upstream), daemon=True).start()

    def _pipe(self, a: socket.socket, b: socket.socket) -> None:
        while not self.stopped:
            ready, _, _ = select.select([a, b], [], [], 0.2)
            if self.frozen.is_set():
                continue  # hold every byte: the server "never answers"
            for sock in ready:
                data = sock.recv(65536)
                if not data:
                    return
                (b if sock is a else a).sendall(data)

    def close(self) -> None:
        """Stop, and cut every connection: nothing stays blocked on a relay that is gone."""
        self.stopped = True
        self.listener.close()
        for sock in self.sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
                sock.close()


@pytest.fixture
def relayed_url() -> Iterator[tuple[str, Relay]]:
    with postgres_schema() as base:
        url = make_url(base)
        relay = Relay(url.host or "127.0.0.1", url.port or 5432)
        yield url.set(host="127.0.0.1", port=relay.port).render_as_string(hide_password=False), relay
        relay.close()


def test_a_database_that_stops_answering_gives_a_sentence_within_the_deadline(relayed_url, catalogue, monkeypatch):
    monkeypatch.setattr(engine_module, "DB_TIMEOUT_S", 2.0)
    url, relay = relayed_url
    store = Store(url)
    made = store.create("Before the fault", catalogue.policies.default)
    relay.frozen.set()
    started = time.perf_counter()
    with pytest.raises(DatabaseNotAnswering, match="not answering"):
        store.load(made)
    assert time.perf_counter() - started < 4
    relay.frozen.clear()
    store.engine.dispose()


def test_a_server_that_accepts_connections_and_never_answers_fails_the_start_in_words(catalogue):
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(4)  # accepts at the kernel's level, never speaks
    port = silent.getsockname()[1]
    started = time.perf_counter()
    try:
        with pytest.raises(StoreError, match="cannot be reached|not answering"):
            Store(f"postgresql+psycopg://nobody@127.0.0.1:{port}/nothing")
    finally:
        silent.close()
    assert time.perf_counter() - started < 15
