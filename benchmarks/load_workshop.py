"""Load test of a workshop: `python -m benchmarks.load_workshop` (up to ten minutes).

One rating session, the whole catalogue (12 risks), a room of 220:

- the app, started as users start it (`python -m ui.serve`, tests/browser/server.py)
  on loopback, on a throw-away SQLite database, or on `--database-url` (PostgreSQL on
  loopback with the current schema, e.g. a fresh database beside the one
  `bash scripts/test-postgres.sh` prints);
- the facilitator's Present page (1280x720) with the facilitator key, in headless Chromium;
- 20 participants' phones (390x844, touch): one Chromium, one context each (`--browsers N`),
  each on the join link, each re-reading the session every second as the page does;
- 200 simulated voters (`--voters N`): `Store.cast_vote` from a thread pool in this
  process, against the same database, as another app process would write.

For each risk the facilitator moves the room on (`Store.show_risk` with the key, which is
what the Next button does; the facilitator's page is then opened again, because it does
not follow a move made outside it), waits until every phone shows the risk, and then all
220 vote at once: phones tap a likelihood and an impact, simulated voters upsert. We poll
the facilitator's page until its "Votes in" reads 220, then press "Reveal the votes" and
check that the revealed table adds up to 220.

Reported: votes expected (12 risks x the room), votes made (upserts that returned, phones
on which both levels were tapped), votes stored (rows in the votes table for this session),
votes lost (made minus stored: must be 0), phones that could not vote in time, the median
and max time from the start of a vote until the facilitator's page shows every vote (and
from the moment the database held every vote), how long the phones took to follow the
facilitator, the server's peak memory (VmRSS of the server process, sampled every 0.5 s)
and its average CPU. Every wait has a cap and the whole run a deadline (`--deadline`,
10 minutes); a wait that hits its cap is noted for that risk and the run goes on, the
deadline ends the run, and the table says so instead of hanging. Prints a Markdown table
and writes it to benchmarks/load_workshop.md, one section per database and room size.

The phones and the server share this machine's cores: the server's CPU line tells whether
the server (one Python process) or the browsers ran out first.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import secrets
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from playwright.async_api import Browser, Page, async_playwright
from playwright.async_api import TimeoutError as PlaywrightTimeout
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from riskkit.catalogue import load_catalogue
from riskkit.store import Store, Vote, votes
from tests.browser.helpers import CHROMIUM_ARGS, PHONE
from tests.browser.server import start_server, stop_server

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "load_workshop.md"
CHROMIUM = "/usr/bin/chromium"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}

MAX_BROWSERS, MAX_VOTERS = 50, 2_000  # caps on what the options may ask for
VOTER_THREADS = 32  # simulated voters share this many threads (and the pool's connections)
JOIN_CAP_S = 120.0  # all phones on the join page
OPEN_CAP_S = 60.0  # the facilitator's page opened again
FOLLOW_CAP_S = 30.0  # every phone shows the new risk
TAP_CAP_S = 30.0  # a phone shows "Your rating is in"
SHOWN_CAP_S = 60.0  # the facilitator's page shows every vote
REVEAL_CAP_S = 30.0  # the revealed table is drawn
POLL_S = 0.1

VOTES_IN = """() => {
  const metric = [...document.querySelectorAll('[data-testid=stMetric]')]
    .find(m => m.innerText.includes('Votes in'));
  const value = metric && metric.querySelector('[data-testid=stMetricValue]');
  return value ? value.innerText.trim() : null;
}"""
TABLE_TOTAL = """() => {
  const table = document.querySelector('[data-testid=stMain] [data-testid=stTable]');
  if (!table) return null;
  const rows = [...table.querySelectorAll('tr')].slice(1);
  return rows.reduce((sum, tr) => sum + [...tr.querySelectorAll('th, td')].slice(1)
    .reduce((s, c) => s + (parseInt(c.innerText, 10) || 0), 0), 0);
}"""


class OutOfTime(RuntimeError):
    """The run's deadline was reached: stop and report what was measured."""


class StageTimeout(RuntimeError):
    """One wait hit its cap: noted for the risk, and the run goes on to the next risk."""


@dataclass
class Risk:
    number: int
    follow_s: float | None = None  # show_risk -> the last phone shows the risk
    shown_s: float | None = None  # vote start -> the facilitator's page shows every vote
    lag_s: float | None = None  # the database holds every vote -> the facilitator's page shows them
    revealed_total: int | None = None
    cast: int = 0  # votes made: simulated upserts that returned, phones on which both levels were tapped
    stored: int = 0  # rows in votes for this risk at the end
    unconfirmed_phones: int = 0  # both levels tapped, but the phone never said "Your rating is in"
    phones_unable: int = 0  # the phone never showed the controls to tap
    voter_errors: int = 0
    note: str = ""


@dataclass
class Run:
    database: str
    browsers: int
    voters: int
    risks: list[Risk] = field(default_factory=list)
    expected: int = 0
    stored: int = 0
    peak_rss_mb: float = 0.0
    joined_s: float = 0.0
    phones_joined: int = 0
    server_cores: float = 0.0
    load: tuple[float, float] = (0.0, 0.0)
    stopped: str = ""
    wall_s: float = 0.0


class Deadline:
    def __init__(self, seconds: float) -> None:
        self.end = time.monotonic() + seconds

    def cap(self, seconds: float) -> float:
        """The time left for one wait: its own cap, or what is left of the run if less."""
        left = self.end - time.monotonic()
        if left <= 0:
            raise OutOfTime("the run's deadline was reached")
        return min(seconds, left)


class ServerSampler(threading.Thread):
    """The server's resident memory (VmRSS from /proc/<pid>/status) every 0.5 s, keeping the
    peak, and its CPU time (utime + stime from /proc/<pid>/stat)."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak_kb, self.stopping = pid, 0, threading.Event()
        self.started = time.monotonic()
        self.cpu_at_start = self.cpu_s()

    def cpu_s(self) -> float:
        try:
            fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                status = Path(f"/proc/{self.pid}/status").read_text()
            except OSError:
                return
            found = re.search(r"^VmRSS:\s+(\d+)\s+kB", status, re.MULTILINE)
            if found:
                self.peak_kb = max(self.peak_kb, int(found.group(1)))
            self.cores_busy = (self.cpu_s() - self.cpu_at_start) / max(time.monotonic() - self.started, 1e-9)
            self.stopping.wait(0.5)

    cores_busy = 0.0


def loopback_only(url: str) -> str:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" and parsed.host and parsed.host not in LOOPBACK:
        sys.exit(f"--database-url must be on loopback ({', '.join(sorted(LOOPBACK))}), not {parsed.host}")
    return url


async def wait_for(page: Page, script: str, ok, cap_s: float, what: str):
    """Evaluate `script` every POLL_S until `ok(value)`; the value, or StageTimeout."""
    end = time.monotonic() + cap_s
    while True:
        value = await page.evaluate(script)
        if ok(value):
            return value
        if time.monotonic() > end:
            raise StageTimeout(f"{what}: still {value!r} after {cap_s:.0f} s")
        await asyncio.sleep(POLL_S)


async def within(cap_s: float, what: str, awaitable):
    """Await with a cap; a Playwright timeout or the cap becomes a StageTimeout."""
    try:
        return await asyncio.wait_for(awaitable, cap_s)
    except (asyncio.TimeoutError, PlaywrightTimeout):
        raise StageTimeout(f"{what}: not within {cap_s:.0f} s") from None


async def open_facilitator(page: Page, address: str, number: int, total: int, cap_s: float) -> None:
    """Open the facilitator's page (again) and wait until it shows the risk and its vote count."""
    async def opened() -> None:
        await page.goto(address, timeout=cap_s * 1000)
        await page.get_by_text(f"Risk {number} of {total}").wait_for(timeout=cap_s * 1000)
        await wait_for(page, VOTES_IN, lambda v: v == "0", cap_s, "the facilitator's Votes in")
    await within(cap_s, "the facilitator's page", opened())


async def join(browser: Browser, link: str, cap_s: float) -> Page | None:
    """A phone opens the join link; None if it shows no risk to rate within the cap."""
    context = await browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    phone = await context.new_page()
    try:
        await phone.goto(link, timeout=cap_s * 1000)
        await phone.locator(".st-key-join-1-likelihood [role=radio]").first.wait_for(timeout=cap_s * 1000)
        return phone
    except PlaywrightTimeout:
        await context.close()
        return None


async def phone_shows(phone: Page, number: int, cap_s: float) -> bool:
    try:
        await phone.locator(f".st-key-join-{number}-likelihood [role=radio]").first.wait_for(timeout=cap_s * 1000)
        return True
    except PlaywrightTimeout:
        return False


NOT_SHOWN, TAPPED, CONFIRMED = "the phone never showed the controls", "tapped", "confirmed"


async def tap_vote(phone: Page, number: int, likelihood: str, impact: str, cap_s: float) -> str:
    """Tap both levels as a participant does. CONFIRMED once the phone says the rating is in,
    TAPPED if both taps landed but the phone never said so, NOT_SHOWN if it could not vote."""
    tapped = 0
    try:
        for field_name, level in (("likelihood", likelihood), ("impact", impact)):
            radio = phone.locator(f".st-key-join-{number}-{field_name}").get_by_role("radio", name=level, exact=True)
            await radio.tap(timeout=cap_s * 1000)
            tapped += 1
        await phone.get_by_text(f"Your rating is in: likelihood {likelihood}, impact {impact}").wait_for(
            timeout=cap_s * 1000)
        return CONFIRMED
    except PlaywrightTimeout:
        return TAPPED if tapped == 2 else NOT_SHOWN


def simulated_vote(store: Store, code: str, participant: str, number: int, vote: Vote) -> bool:
    try:
        store.cast_vote(code, participant, number, vote)
        return True
    except Exception:  # noqa: BLE001 - counted as an error and, if it did not land, as a lost vote
        return False


def count_votes(store: Store, session_id: str, number: int | None = None) -> int:
    where = [votes.c.session_id == session_id]
    if number is not None:
        where.append(votes.c.risk_number == number)
    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(votes).where(*where)).scalar_one()


@dataclass
class Room:
    """What every risk of the run shares."""

    facilitator: Page
    address: str
    phones: list[Page]
    voters: list[str]
    store: Store
    token: str
    code: str
    session_id: str
    pool: ThreadPoolExecutor
    levels: tuple[str, ...]
    total: int
    rng: random.Random

    @property
    def size(self) -> int:
        return len(self.phones) + len(self.voters)


async def one_risk(room: Room, risk: Risk, deadline: Deadline) -> None:
    """Move the room to the risk, everyone votes at once, measure, reveal. A wait that hits
    its cap raises StageTimeout (noted by the caller); the deadline raises OutOfTime."""
    number = risk.number
    moved = time.monotonic()
    if number > 1:
        room.store.show_risk(room.token, number)  # what the Next button does
    followed = await asyncio.gather(*(phone_shows(p, number, deadline.cap(FOLLOW_CAP_S)) for p in room.phones))
    if number > 1:
        risk.follow_s = time.monotonic() - moved
    if not all(followed):
        risk.note += f"{followed.count(False)} phones did not show the risk within {FOLLOW_CAP_S:.0f} s. "
    await open_facilitator(room.facilitator, room.address, number, room.total, deadline.cap(OPEN_CAP_S))

    loop = asyncio.get_running_loop()
    choices = [(room.rng.choice(room.levels), room.rng.choice(room.levels)) for _ in range(room.size)]
    start = time.monotonic()
    simulated = [loop.run_in_executor(room.pool, simulated_vote, room.store, room.code, voter, number,
                                      Vote(likelihood=lk, impact=im))
                 for voter, (lk, im) in zip(room.voters, choices[len(room.phones):])]
    tap_cap = deadline.cap(TAP_CAP_S)
    tapped = [tap_vote(phone, number, lk, im, tap_cap) for phone, (lk, im) in zip(room.phones, choices)]
    voting = asyncio.gather(*simulated, *tapped)

    stored_at, shown = None, None
    end = start + deadline.cap(SHOWN_CAP_S)
    while time.monotonic() < end:
        shown = await room.facilitator.evaluate(VOTES_IN)
        now = time.monotonic()
        if stored_at is None and count_votes(room.store, room.session_id, number) >= room.size:
            stored_at = now
        if shown == str(room.size):
            risk.shown_s, risk.lag_s = now - start, now - (stored_at or now)
            break
        await asyncio.sleep(POLL_S)
    else:
        risk.note += f"Votes in read {shown!r} after {SHOWN_CAP_S:.0f} s. "
    outcomes = await voting  # each tap and each upsert has its own cap
    upserts, taps = outcomes[:len(room.voters)], outcomes[len(room.voters):]
    risk.voter_errors = upserts.count(False)
    risk.unconfirmed_phones = taps.count(TAPPED)
    risk.phones_unable = taps.count(NOT_SHOWN)
    risk.cast = upserts.count(True) + taps.count(TAPPED) + taps.count(CONFIRMED)

    reveal_cap = deadline.cap(REVEAL_CAP_S)
    await within(reveal_cap, "Reveal the votes",
                 room.facilitator.get_by_role("button", name="Reveal the votes").click(timeout=reveal_cap * 1000))
    caption = room.facilitator.get_by_text("Votes by likelihood (rows) and impact (columns)")
    await within(reveal_cap, "the revealed table", caption.wait_for(timeout=reveal_cap * 1000))
    await caption.scroll_into_view_if_needed()  # below the fold at 1280x720; drawn once in view
    risk.revealed_total = await wait_for(room.facilitator, TABLE_TOTAL, lambda v: v is not None, reveal_cap,
                                         "the revealed table")


async def drive(run: Run, base: str, store: Store, assessment_id: str, token: str, code: str, session_id: str,
                deadline: Deadline, seed: int) -> None:
    catalogue = load_catalogue()
    numbers = [r.number for r in catalogue.risks]
    address = f"{base}/present?assessment={assessment_id}&key={token}"
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            desk = await browser.new_context(viewport={"width": 1280, "height": 720})
            facilitator = await desk.new_page()
            await open_facilitator(facilitator, address, numbers[0], len(numbers), deadline.cap(OPEN_CAP_S))
            started = time.monotonic()
            phones: list[Page] = []
            for first in range(0, run.browsers, 5):  # five at a time: a room does not arrive in one instant
                batch = range(first, min(first + 5, run.browsers))
                cap = deadline.cap(JOIN_CAP_S)
                joined = await asyncio.gather(*(join(browser, f"{base}/join?code={code}", cap) for _ in batch))
                phones += [phone for phone in joined if phone is not None]
                print(f"{len(phones)} of {run.browsers} phones joined after {time.monotonic() - started:.1f} s",
                      flush=True)
            run.joined_s = time.monotonic() - started
            run.phones_joined = len(phones)
            with ThreadPoolExecutor(max_workers=min(VOTER_THREADS, max(run.voters, 1))) as pool:
                room = Room(facilitator, address, phones, [secrets.token_hex(8) for _ in range(run.voters)],
                            store, token, code, session_id, pool, catalogue.scale.levels, len(numbers),
                            random.Random(seed))
                for number in numbers:
                    risk = Risk(number)
                    run.risks.append(risk)
                    try:
                        await one_risk(room, risk, deadline)
                    except StageTimeout as exc:
                        risk.note += f"{exc}. "
                    finally:
                        risk.stored = count_votes(store, session_id, number)
                    print(f"risk {number:2}: phones followed in {_s(risk.follow_s)} s, every vote shown after "
                          f"{_s(risk.shown_s)} s (lag {_s(risk.lag_s)} s), revealed {risk.revealed_total}, "
                          f"made {risk.cast}, stored {risk.stored}, phones unable {risk.phones_unable}, unconfirmed "
                          f"{risk.unconfirmed_phones}, voter errors {risk.voter_errors}. "
                          f"{risk.note}", flush=True)
        finally:
            await browser.close()


def title(run: Run) -> str:
    return f"{run.database}, {run.browsers} phones + {run.voters} simulated voters"


def table(run: Run) -> list[str]:
    shown = [r.shown_s for r in run.risks if r.shown_s is not None]
    lags = [r.lag_s for r in run.risks if r.lag_s is not None]
    follows = [r.follow_s for r in run.risks if r.follow_s is not None]
    revealed = [r.revealed_total for r in run.risks]
    room = run.browsers + run.voters
    rows = [
        ("room", f"{run.browsers} phones (headless Chromium contexts, one browser) + {run.voters} simulated "
                 f"voters (Store.cast_vote, {VOTER_THREADS} threads) = {room}"),
        ("risks voted on and revealed", f"{sum(t is not None for t in revealed)} of 12"),
        ("votes expected (12 x room)", f"{run.expected:,}"),
        ("votes made (upserts returned + phones with both levels tapped)", f"{sum(r.cast for r in run.risks):,}"),
        ("votes stored (rows in votes)", f"{run.stored:,}"),
        ("**votes lost** (made - stored)", f"**{sum(max(r.cast - r.stored, 0) for r in run.risks):,}**"),
        ("phone votes not made: the phone never showed the risk's controls within the cap",
         str(sum(r.phones_unable for r in run.risks))),
        ("vote start → facilitator's page shows every vote: median / max (s)",
         f"{_s(_median(shown))} / {_s(_max(shown))} ({len(shown)} of {len(run.risks)} risks)"),
        ("every vote stored → facilitator's page shows it: median / max (s)",
         f"{_s(_median(lags))} / {_s(_max(lags))}"),
        ("facilitator moves on → every phone shows the risk: median / max (s)",
         f"{_s(_median(follows))} / {_s(_max(follows))}"),
        ("revealed table adds up to the room", "yes" if revealed and all(t == room for t in revealed)
         else f"no: {revealed}"),
        ("phone votes tapped but never confirmed on the phone",
         str(sum(r.unconfirmed_phones for r in run.risks))),
        ("simulated votes that raised", str(sum(r.voter_errors for r in run.risks))),
        ("phones joined", f"{run.phones_joined} of {run.browsers} in {run.joined_s:.0f} s"),
        ("server peak memory (VmRSS)", f"{run.peak_rss_mb:.0f} MB"),
        ("server CPU, average over the run", f"{run.server_cores:.2f} cores"),
        ("load average at start / end (2 cores)", f"{run.load[0]:.1f} / {run.load[1]:.1f}"),
        ("wall time", f"{run.wall_s:.0f} s"),
    ]
    if run.stopped:
        rows.append(("stopped early", run.stopped))
    notes = [f"- risk {r.number}: {r.note.strip()}" for r in run.risks if r.note]
    return [f"## {title(run)}", "", "| measure | value |", "|---|---|", *(f"| {k} | {v} |" for k, v in rows),
            "", *notes, *([""] if notes else [])]


def write(section: list[str], heading: str) -> None:
    """Replace this kind of run's section of the results file (database and room), keep the others."""
    sections: dict[str, str] = {}
    if RESULTS.exists():
        for chunk in re.split(r"(?m)^(?=## )", RESULTS.read_text()):
            if chunk.startswith("## "):
                sections[chunk.splitlines()[0][3:].strip()] = chunk.rstrip() + "\n"
    sections[heading] = "\n".join(section).rstrip() + "\n"
    head = ("# Workshop load test\n\n`python -m benchmarks.load_workshop` (see its docstring); "
            "the last run of each database and room size.\n\n")
    RESULTS.write_text(head + "\n".join(sections[k] for k in sorted(sections)))


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def _max(values: list[float]) -> float | None:
    return max(values) if values else None


def _s(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--browsers", type=int, default=20, help=f"phones in headless Chromium (≤ {MAX_BROWSERS})")
    parser.add_argument("--voters", type=int, default=200, help=f"simulated voters (≤ {MAX_VOTERS})")
    parser.add_argument("--database-url", default="", help="PostgreSQL on loopback; default: a throw-away SQLite")
    parser.add_argument("--deadline", type=float, default=600.0, help="seconds for the whole run (≤ 1800)")
    parser.add_argument("--seed", type=int, default=36)
    args = parser.parse_args(argv)
    if not (0 <= args.browsers <= MAX_BROWSERS and 0 <= args.voters <= MAX_VOTERS
            and args.browsers + args.voters > 0 and 0 < args.deadline <= 1800):
        parser.error(f"--browsers 0..{MAX_BROWSERS}, --voters 0..{MAX_VOTERS}, at least one of them, "
                     "--deadline up to 1800 s")
    if not os.path.exists(CHROMIUM):
        sys.exit(f"{CHROMIUM} is missing: run `make system-deps`.")

    began = time.monotonic()
    deadline = Deadline(args.deadline)
    with tempfile.TemporaryDirectory(prefix="riskkit-load-") as tmp:
        url = loopback_only(args.database_url or f"sqlite:///{tmp}/workshop.sqlite3")
        database = "PostgreSQL" if make_url(url).get_backend_name() == "postgresql" else "SQLite"
        store = Store(url)
        catalogue = load_catalogue()
        assessment_id = store.create("Load test workshop", catalogue.policies.default)
        rating, token = store.open_rating(assessment_id, catalogue.risks[0].number)
        run = Run(database=database, browsers=args.browsers, voters=args.voters,
                  load=(os.getloadavg()[0], 0.0))
        proc, base = start_server(Path(tmp) / "server", env={"RISKKIT_DATABASE_URL": url})
        sampler = ServerSampler(proc.pid)
        sampler.start()
        try:
            asyncio.run(drive(run, base, store, assessment_id, token, rating.join_code, rating.id, deadline,
                              args.seed))
        except OutOfTime as exc:
            run.stopped = str(exc)
        finally:
            sampler.stopping.set()
            sampler.join(timeout=2)
            stop_server(proc)
        run.peak_rss_mb = sampler.peak_kb / 1024
        run.server_cores = sampler.cores_busy
        run.expected = len(catalogue.risks) * (args.browsers + args.voters)
        run.stored = count_votes(store, rating.id)
        run.load = (run.load[0], os.getloadavg()[0])
        run.wall_s = time.monotonic() - began
        store.engine.dispose()
    section = table(run)
    print("\n".join(section))
    write(section, title(run))
    return 0 if run.expected == run.stored and not run.stopped else 1  # every vote, every risk


if __name__ == "__main__":
    sys.exit(main())
