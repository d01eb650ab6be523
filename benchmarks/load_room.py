"""Room load test: `python -m benchmarks.load_room` (a few minutes; stops at --deadline).

One server process (`python -m ui.serve`, as `make run` starts it) on loopback; the
facilitator's Present page in headless Chromium at 1280x720, moved on with the Right
arrow key as a facilitator does; `--phones` simulated phones (Locust, the real
participant protocol: /join, the /join/events stream, /join/vote) and `--browsers` real
phones (headless Chromium at 390x844 on the join page, tapping). For each of the 12 risks
every phone votes once after a human moment (0.3 to 2.5 s); when the facilitator's "Votes in"
reads the whole room (or 20 s have passed) the facilitator moves on.

Measured, all on this machine's clock:
- votes lost: answered "stored" to a phone but missing from the database (target 0), and
  taps never answered;
- move to phone: from the key press to each phone having the new risk (p50 / p95; target
  p95 ≤ 1 s);
- vote to facilitator: from a vote being stored to the facilitator's page counting it
  (p50 / p95; target p95 ≤ 2 s);
- the server's CPU per phone-second (target ≤ 5 ms, 200 phones per core) and peak memory.
The phones (Locust and Chromium) share the 2 cores with the server; its CPU line says
which ran out first. Writes benchmarks/load_room.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from playwright.async_api import Page, async_playwright
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from riskkit.catalogue import load_catalogue
from riskkit.store import Store
from riskkit.store.schema import votes
from tests.browser.server import start_server, stop_server

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
WAIT_FOR_ROOM_S = 20.0
LEVELS = ("Low", "Medium", "High")


class Sampler(threading.Thread):
    """The server's CPU seconds and peak resident memory, from /proc, every 0.25 s."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak_kb, self.stopping = pid, 0, threading.Event()

    def cpu_s(self) -> float:
        try:
            fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                found = re.search(r"^VmRSS:\s+(\d+)", Path(f"/proc/{self.pid}/status").read_text(), re.M)
            except OSError:
                return
            if found:
                self.peak_kb = max(self.peak_kb, int(found.group(1)))
            self.stopping.wait(0.25)


def pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


async def votes_in(page: Page) -> tuple[int, int]:
    """(the risk the Present page shows, its "Votes in"), as drawn."""
    risk, count = await page.evaluate("""() => {
        const m = [...document.querySelectorAll('[data-testid=stMetric]')].find(e => e.innerText.includes('Votes in'));
        const main = document.querySelector('[data-testid=stMain]') || document.body;
        const shown = main.innerText.match(/Risk (\\d+) of \\d+/);
        const fresh = m && !m.closest('[data-stale=true]');  // a value left from the run before is not a count
        return [shown ? shown[1] : '', fresh ? m.querySelector('[data-testid=stMetricValue]').innerText : '']; }""")
    return (int(risk) if risk.isdigit() else 0), (int(count) if count.strip().isdigit() else -1)


async def phone_risk(phone: Page) -> int:
    shown = await phone.evaluate("document.body.dataset.state === 'voting' ? document.body.dataset.risk : ''")
    return int(shown) if shown else 0


async def tap_vote(phone: Page, risk: int, seen_at: dict[tuple[int, int], float], index: int,
                   answered: list[tuple[int, int, float]]) -> None:
    await asyncio.sleep(random.uniform(0.3, 2.5))
    for field in ("likelihood", "impact"):
        await phone.locator(f"#{field} [role=radio][data-level='{random.choice(LEVELS)}']").tap()
    sent = time.time()
    try:
        await phone.locator("#status").filter(has_text="Your rating is in").wait_for(timeout=20_000)
        answered.append((index, risk, time.time() - sent))
    except Exception:
        answered.append((index, risk, -1.0))


async def drive(base: str, code_holder: dict, args: argparse.Namespace, log: Path, result: dict,
                sampler: Sampler, assessment_id: str) -> None:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        facilitator = await (await browser.new_context(viewport={"width": 1280, "height": 720})).new_page()
        await facilitator.goto(f"{base}/present?assessment={assessment_id}")
        start = facilitator.get_by_role("button", name=re.compile("^Start group rating"))
        await start.click(timeout=60_000)
        link_text = facilitator.locator("[data-testid=stText]").filter(has_text=re.compile(r"/join\?code="))
        await link_text.first.wait_for(timeout=30_000)
        link = (await link_text.first.inner_text()).strip()
        code = link.rsplit("=", 1)[1]
        code_holder["code"] = code
        local_link = f"{base}/join?code={code}"
        locust = subprocess.Popen(
            [sys.executable, "-m", "locust", "-f", str(ROOT / "benchmarks" / "locust_phones.py"), "--headless",
             "-u", str(args.phones), "-r", str(max(10, args.phones // 5)), "--host", base,
             "--run-time", f"{int(args.deadline)}s", "--only-summary", "--loglevel", "WARNING"],
            cwd=ROOT, env={**os.environ, "RISKKIT_LOAD_CODE": code, "RISKKIT_LOAD_LOG": str(log)},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        phones: list[Page] = []
        for _ in range(args.browsers):
            context = await browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                                has_touch=True)
            phone = await context.new_page()
            await phone.goto(local_link, wait_until="commit")
            phones.append(phone)
        room = args.phones + args.browsers
        samples: list[tuple[float, int, int]] = []  # (time, risk on the projector, count it shows)
        on_screen = {"on": True}

        async def watch_count() -> None:  # the facilitator's "Votes in", read as a person would see it
            while on_screen["on"]:
                shown_risk, count = await votes_in(facilitator)
                samples.append((time.time(), shown_risk, count))
                await asyncio.sleep(0.1)

        watcher = asyncio.create_task(watch_count())
        await asyncio.sleep(max(5.0, args.phones / 40))  # the simulated phones connect (and vote on risk 1)
        moves: dict[int, float] = {}
        browser_seen: dict[tuple[int, int], float] = {}
        answered: list[tuple[int, int, float]] = []
        cpu_start, began = sampler.cpu_s(), time.time()
        deadline = time.monotonic() + args.deadline
        for risk in range(1, args.risks + 1):
            if time.monotonic() > deadline:
                result["stopped"] = f"deadline reached at risk {risk}"
                break
            moves[risk] = time.time()
            if risk > 1:
                await facilitator.keyboard.press("ArrowRight")
            taps = []
            pending = set(range(len(phones)))
            follow_until = time.monotonic() + 15
            while pending and time.monotonic() < follow_until:
                for index in list(pending):
                    if await phone_risk(phones[index]) == risk:
                        browser_seen[(index, risk)] = time.time()
                        pending.discard(index)
                        taps.append(asyncio.create_task(tap_vote(phones[index], risk, browser_seen, index, answered)))
                await asyncio.sleep(0.02)
            wait_until = time.monotonic() + WAIT_FOR_ROOM_S
            while time.monotonic() < wait_until and not (samples and samples[-1][1] == risk
                                                          and samples[-1][2] >= room):
                await asyncio.sleep(0.1)
            await asyncio.gather(*taps, return_exceptions=True)
            shown = max((c for _t, r, c in samples if r == risk), default=-1)
            print(f"risk {risk}: facilitator showed {shown} of {room}", flush=True)
        result.update(moves=moves, browser_seen=browser_seen, answered=answered, samples=samples,
                      cpu_s=sampler.cpu_s() - cpu_start, seconds=time.time() - began, room=room)
        await asyncio.sleep(5)  # answers still on their way to the simulated phones are logged
        on_screen["on"] = False
        await watcher
        locust.terminate()
        try:
            locust.wait(timeout=20)
        except subprocess.TimeoutExpired:
            locust.kill()
        await browser.close()


def analyse(result: dict, log: Path, stored: int, args: argparse.Namespace, peak_mb: float) -> list[str]:
    entries = [json.loads(line) for line in log.read_text().splitlines() if line.strip()] if log.exists() else []
    moves: dict[int, float] = result.get("moves", {})
    follow = [e["t"] - moves[e["risk"]] for e in entries if e["kind"] == "seen" and e["risk"] in moves
              and e["risk"] > 1]
    follow += [t - moves[r] for (_i, r), t in result.get("browser_seen", {}).items() if r > 1]
    ok_votes = sorted((e for e in entries if e["kind"] == "vote" and e["ok"]), key=lambda e: e["t"])
    refused = [e for e in entries if e["kind"] == "vote" and not e["ok"]]
    answered = result.get("answered", [])
    browser_ok = [a for a in answered if a[2] >= 0]
    # vote -> facilitator: for the k-th stored vote on a risk, the first sample showing >= k
    to_count: list[float] = []
    samples = result.get("samples", [])
    by_risk: dict[int, list[float]] = {}
    for e in ok_votes:
        by_risk.setdefault(e["risk"], []).append(e["t"])
    per_risk: dict[int, list[float]] = {}
    for risk, times in by_risk.items():
        shown = [(t, c) for t, r, c in samples if r == risk]
        for k, stored_at in enumerate(sorted(times), start=1):
            first = next((t for t, c in shown if c >= k and t >= stored_at), None)
            if first is not None:
                to_count.append(max(0.0, first - stored_at))
                per_risk.setdefault(risk, []).append(max(0.0, first - stored_at))
    for risk in sorted(per_risk):
        print(f"risk {risk}: vote -> facilitator p50 {fmt(pct(per_risk[risk], .5))} p95 "
              f"{fmt(pct(per_risk[risk], .95))} max {fmt(max(per_risk[risk]))}")
    made = len(ok_votes) + len(browser_ok)
    phone_seconds = result.get("room", 0) * result.get("seconds", 0)
    cpu_ms = 1000 * result.get("cpu_s", 0) / phone_seconds if phone_seconds else None
    risks_done = len(result.get("moves", {}))
    rows = [
        "| room | risks | votes answered 'in' | votes stored | lost | not answered | refused (moved on) "
        "| move → phone p50 / p95 (s) | vote → facilitator p50 / p95 (s) | server CPU per phone-second (ms) "
        "| server peak memory |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
        f"| {args.phones} simulated + {args.browsers} Chromium phones | {risks_done} of {args.risks} | {made:,} "
        f"| {stored:,} | **{max(0, made - stored)}** | {len([a for a in answered if a[2] < 0])} | {len(refused)} "
        f"| {fmt(pct(follow, .5))} / {fmt(pct(follow, .95))} | {fmt(pct(to_count, .5))} / {fmt(pct(to_count, .95))} "
        f"| {fmt(cpu_ms)} | {peak_mb:.0f} MB |",
        "",
        f"Votes answered 'in' are those the phones logged; a vote stored but whose answer had not reached its "
        f"phone when the run ended counts as stored, not lost. The facilitator's count is read every 0.1 s "
        f"from the Present page, which refreshes its count twice a second. Wall time {result.get('seconds', 0):.0f} s.",
    ]
    if result.get("stopped"):
        rows.append(f"\nStopped early: {result['stopped']}.")
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=300, help="simulated phones (Locust), up to 1000")
    parser.add_argument("--browsers", type=int, default=10, help="phones in headless Chromium, up to 20")
    parser.add_argument("--risks", type=int, default=12)
    parser.add_argument("--database-url", default="", help="PostgreSQL on loopback; default: a throw-away SQLite")
    parser.add_argument("--deadline", type=float, default=600.0, help="seconds for the run, up to 1800")
    args = parser.parse_args(argv)
    if not (0 <= args.phones <= 1000 and 0 <= args.browsers <= 20 and 1 <= args.risks <= 12
            and 0 < args.deadline <= 1800):
        parser.error("--phones 0..1000, --browsers 0..20, --risks 1..12, --deadline up to 1800")
    with tempfile.TemporaryDirectory(prefix="riskkit-room-") as tmp:
        url = args.database_url or f"sqlite:///{tmp}/room.sqlite3"
        host = make_url(url).host
        if host and host not in ("127.0.0.1", "localhost", "::1"):
            sys.exit("--database-url must be on loopback")
        store = Store(url)
        assessment_id = store.create("Room load test", load_catalogue().policies.default)
        proc, base = start_server(Path(tmp) / "server", env={"RISKKIT_DATABASE_URL": url})
        sampler = Sampler(proc.pid)
        sampler.start()
        log = Path(tmp) / "phones.jsonl"
        result: dict = {}
        holder: dict = {}
        try:
            asyncio.run(drive(base, holder, args, log, result, sampler, assessment_id))
        finally:
            sampler.stopping.set()
            stop_server(proc)
        rating = store.rating_for_participant(holder["code"]) if holder.get("code") else None
        with store.engine.connect() as conn:
            stored = conn.execute(select(func.count()).select_from(votes).where(
                votes.c.session_id == rating.id)).scalar_one() if rating else 0
        rows = analyse(result, log, stored, args, sampler.peak_kb / 1024)
        store.engine.dispose()
    load = os.getloadavg()
    heading = (f"### {time.strftime('%Y-%m-%d')}, {'PostgreSQL' if args.database_url else 'SQLite'}, "
               f"{os.cpu_count()} cores, load average after the run {load[0]:.1f}")
    out = ROOT / "benchmarks" / "load_room.md"
    previous = out.read_text() if out.exists() else "# Room load test (`python -m benchmarks.load_room`)\n"
    out.write_text(previous.rstrip() + "\n\n" + heading + "\n\n" + "\n".join(rows) + "\n")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
