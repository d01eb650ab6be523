"""Start and stop the app the way users do (`python -m ui.serve`), for the browser tests.

A helper rather than only a fixture, because some tests need a server of their
own: a fresh one (first deep link after a start) or one stopped and started
again with the same environment (what survives a restart).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
STARTUP_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 10.0


class ServerDidNotStart(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def log_tail(log: Path, lines: int = 40) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.read().decode().strip() == "ok"
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


def start_server(tmp_path: Path, env: Mapping[str, str] | None = None,
                 port: int | None = None, script: Path | None = None) -> tuple[subprocess.Popen, str]:
    """Start `python -m ui.serve` on a loopback port and wait until it is healthy.

    `env` is added to this process's environment (say RISKKIT_DATABASE_URL);
    `script` starts another Streamlit script instead of the app (the benchmarks' baseline);
    pass the same `env` and `port` again to restart "the same" server.
    The server's output goes to a log under `tmp_path`, whose tail is shown
    when the server does not come up.
    """
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    tmp_path.mkdir(parents=True, exist_ok=True)
    log = tmp_path / f"server-{port}-{time.monotonic_ns()}.log"
    full_env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
    runner = ["streamlit", "run", str(script)] if script else ["ui.serve"]  # script: the benchmarks' bare page
    command = [sys.executable, "-m", *runner, "--server.port", str(port),
               "--server.address", "127.0.0.1", "--server.headless", "true",
               "--browser.gatherUsageStats", "false"]
    with log.open("wb") as out:
        proc = subprocess.Popen(command, cwd=REPO, env=full_env, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        if _healthy(url):
            return proc, url
        time.sleep(0.2)
    exited = proc.poll()
    stop_server(proc)
    why = f"exited with code {exited}" if exited is not None else \
        f"did not answer {url}/_stcore/health with 'ok' within {STARTUP_TIMEOUT_S:.0f} s"
    raise ServerDidNotStart(f"The app {why}. Last lines of {log}:\n{log_tail(log)}")


def stop_server(proc: subprocess.Popen) -> None:
    """Terminate politely, kill if it does not go."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=STOP_TIMEOUT_S)
