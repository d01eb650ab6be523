"""riskkit as someone gets it from a wheel: built from the sources, installed (not editable) in
a fresh virtual environment, run from a folder that is not the checkout.

Honest where it matters, fast where it does not: riskkit itself is installed from the wheel
with pip, so only what the wheel carries can run. Its dependencies are not downloaded again:
the fresh environment sees the project environment's site-packages as a plain path entry,
whose .pth files (the editable install's hook into the checkout) are not run. That every
third-party import is a declared dependency is checked on its own, from the wheel's code.
"""

from __future__ import annotations

import ast
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import time
import urllib.request
import venv
import zipfile
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from email.parser import Parser
from pathlib import Path

import pytest

from tests.browser.server import free_port, log_tail, stop_server

pytestmark = pytest.mark.install

REPO = Path(__file__).resolve().parents[2]
# Never copied to build the wheel: what a build, a run or a tool leaves in a checkout.
NOT_SOURCES = shutil.ignore_patterns(".git", ".venv", "build", "dist", "artifacts", "var", "*.egg-info",
                                     "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache", "node_modules")
# What the app needs at run time, as found in the checkout, and where it must land in the wheel.
# Every file of the packages, so a data file someone adds without a package-data line is caught.
SHIPPED = {
    "riskkit/**/*": "riskkit/{}",
    "data/*.yaml": "riskkit/data/{}",
    "app.py": "riskkit_app/app.py",
    "pages/*.py": "riskkit_app/pages/{}",
    ".streamlit/config.toml": "riskkit_app/.streamlit/config.toml",
    "ui/**/*": "ui/{}",
    "web/**/*": "web/{}",
}
NOT_SHIPPED = (".pyc", ".mo", ".egg-info")
OWN_TOP_LEVEL = {"riskkit", "riskkit_app", "ui", "web"}
STARTUP_TIMEOUT_S = 60.0
COMMAND_TIMEOUT_S = 120.0


@dataclass(frozen=True)
class Installed:
    wheel: Path
    python: Path
    riskkit: Path  # the console script pip made
    prefix: Path
    work: Path  # the working directory for every command: neither the checkout nor the venv
    env: Mapping[str, str]

    def run(self, *args: str, timeout: float = COMMAND_TIMEOUT_S) -> subprocess.CompletedProcess[str]:
        return subprocess.run(args, cwd=self.work, env=dict(self.env), capture_output=True, text=True,
                              timeout=timeout, check=False)


def _shipped_in_checkout() -> dict[str, str]:
    """Checkout file -> its name in the wheel."""
    expected: dict[str, str] = {}
    for pattern, target in SHIPPED.items():
        found = sorted(p for p in REPO.glob(pattern)
                       if p.is_file() and "__pycache__" not in p.parts and not p.name.endswith(NOT_SHIPPED))
        assert found, f"nothing in the checkout matches {pattern}"
        base = REPO / pattern.split("*")[0] if "*" in pattern else None
        for path in found:
            relative = path.relative_to(REPO).as_posix()
            expected[relative] = target.format(path.relative_to(base).as_posix()) if base else target
    return expected


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    root = tmp_path_factory.mktemp("install")
    # Built from a copy: setuptools reuses build/ in the source tree, where a module deleted
    # since the last build would still sit and slip into the wheel.
    sources = root / "sources"
    shutil.copytree(REPO, sources, ignore=NOT_SOURCES)
    wheels = root / "wheels"
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir",
                            str(wheels), str(sources)], capture_output=True, text=True, timeout=300, check=False)
    assert built.returncode == 0, f"the wheel did not build:\n{built.stdout}\n{built.stderr}"
    (wheel,) = wheels.glob("riskkit-*.whl")

    prefix = root / "venv"
    venv.EnvBuilder(with_pip=False).create(prefix)
    python = prefix / "bin" / "python"
    purelib = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                  capture_output=True, text=True, check=True).stdout.strip())
    (purelib / "project-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    pip = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
                          "--no-index", "--quiet", str(wheel)], capture_output=True, text=True, timeout=300,
                         check=False)
    assert pip.returncode == 0, f"the wheel did not install:\n{pip.stdout}\n{pip.stderr}"

    work = root / "elsewhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env.update({"RISKKIT_DATABASE_URL": f"sqlite:///{root / 'data' / 'riskkit.sqlite3'}",
                "XDG_DATA_HOME": str(root / "share"), "PYTHONUNBUFFERED": "1"})
    (root / "data").mkdir()
    yield Installed(wheel, python, prefix / "bin" / "riskkit", prefix, work, env)


def test_the_wheel_carries_every_module_data_file_and_app_file(installed: Installed) -> None:
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    missing = {source: target for source, target in _shipped_in_checkout().items() if target not in names}
    assert not missing, f"in the checkout but not in the wheel: {missing}"
    strays = sorted(n for n in names if n.split("/")[0] not in OWN_TOP_LEVEL and ".dist-info/" not in n)
    assert not strays, f"the wheel puts these at the top of site-packages: {strays}"


def test_riskkit_runs_from_the_installed_wheel_and_reads_nothing_from_the_checkout(installed: Installed) -> None:
    probe = ("import json, riskkit, ui, web.asgi; from riskkit import locations; "
             "print(json.dumps({'riskkit': riskkit.__file__, 'ui': ui.__file__, 'app': str(web.asgi.APP), "
             "'catalogue': str(locations.data_file('catalogue.yaml')), "
             "'database': locations.default_database_url()}))")
    done = installed.run(str(installed.python), "-c", probe)
    assert done.returncode == 0, done.stderr
    where = json.loads(done.stdout)
    for name in ("riskkit", "ui", "app", "catalogue"):
        path = Path(where[name]).resolve()
        assert path.is_relative_to(installed.prefix.resolve()), f"{name} comes from {path}, not the venv"
        assert not path.is_relative_to(REPO), f"{name} is read from the checkout: {path}"
        assert path.is_file(), path
    assert where["database"] == installed.env["RISKKIT_DATABASE_URL"]


def test_every_third_party_module_the_wheel_imports_is_a_declared_dependency(installed: Installed) -> None:
    imported: dict[str, set[str]] = {}
    with zipfile.ZipFile(installed.wheel) as wheel:
        for name in wheel.namelist():
            if name.endswith(".py"):
                for module in _top_level_imports(wheel.read(name).decode("utf-8")):
                    imported.setdefault(module, set()).add(name)
        (metadata,) = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")]
        requires = Parser().parsestr(wheel.read(metadata).decode("utf-8")).get_all("Requires-Dist") or []
    declared = {_normal(re.split(r"[\s<>=!~;\[(]", r, maxsplit=1)[0]) for r in requires if "extra ==" not in r}
    providers = importlib.metadata.packages_distributions()
    undeclared = {}
    for module, files in sorted(imported.items()):
        if module in sys.stdlib_module_names or module in OWN_TOP_LEVEL or module == "__future__":
            continue
        distributions = {_normal(d) for d in providers.get(module, [])}
        if not distributions & declared:
            undeclared[module] = sorted(files)
    assert not undeclared, f"imported but not in pyproject.toml's dependencies: {undeclared}"


def _top_level_imports(source: str) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def _normal(distribution: str) -> str:
    return re.sub(r"[-_.]+", "-", distribution).lower()


def test_the_installed_command_lists_and_exports(installed: Installed, tmp_path: Path) -> None:
    made = installed.run(str(installed.python), "-c",
                         "from riskkit.catalogue import load_catalogue; from riskkit.store import Store; "
                         "Store().create('Installed check', load_catalogue().policies.default)")
    assert made.returncode == 0, made.stderr

    listed = installed.run(str(installed.riskkit), "list")
    assert listed.returncode == 0, listed.stderr
    assert re.search(r"^\S+\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+Installed check$", listed.stdout, re.MULTILINE), listed.stdout

    report = tmp_path / "briefing.docx"
    exported = installed.run(str(installed.riskkit), "export", "Installed check", "--format", "docx",
                             "--out", str(report))
    assert exported.returncode == 0, exported.stderr
    assert report.stat().st_size > 10_000
    with zipfile.ZipFile(report) as docx:
        assert "Installed check" in docx.read("word/document.xml").decode("utf-8")
    assert not list(installed.work.iterdir()), "the command left files in the working directory"


def test_the_installed_app_starts_and_draws_its_first_page(installed: Installed, tmp_path: Path) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        server = subprocess.Popen([str(installed.riskkit), "serve", "--server.port", str(port),
                                   "--browser.gatherUsageStats", "false"],
                                  cwd=installed.work, env=dict(installed.env), stdout=out, stderr=subprocess.STDOUT)
    try:
        assert _health(url, server) == "ok", f"no health answer; the server said:\n{log_tail(log)}"
        with urllib.request.urlopen(f"{url}/", timeout=10) as response:
            shell = response.read().decode("utf-8")
        assert '<div id="root">' in shell and "<script" in shell, shell[:500]
        # its own thread: in a whole run, the browser tests' session-wide Playwright already
        # holds this thread's event loop, and a second sync Playwright refuses to start in it
        with ThreadPoolExecutor(max_workers=1) as thread:
            thread.submit(_first_page_drawn, url).result()
    finally:
        stop_server(server)
    said = log.read_text(errors="replace")
    assert "Traceback" not in said, log_tail(log)


def _health(url: str, server: subprocess.Popen[bytes]) -> str:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                return response.read().decode().strip()
        except OSError:
            time.sleep(0.3)
    return ""


def _first_page_drawn(url: str) -> None:
    """In Chromium: app.py ran from site-packages with its pages, the icon and its theme."""
    from playwright.sync_api import expect, sync_playwright

    from tests.browser.helpers import CHROMIUM_ARGS

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            page.goto(f"{url}/")
            links = page.locator("[data-testid=stSidebar] [data-testid=stPageLink-NavLink]")
            expect(links.filter(has_text="Assess").first).to_be_visible(timeout=30_000)
            expect(page.locator("[data-testid=stMain] h1").first).to_be_visible()
            expect(page).to_have_title(re.compile("riskkit"))
            icon = page.locator("link[rel*=icon]").first.get_attribute("href") or ""
            assert "/media/" in icon, f"the page icon is not riskkit's (ui/icon.png, served as media): {icon}"
            size = page.evaluate("getComputedStyle(document.documentElement).fontSize")
            assert size == "18px", f"the theme in .streamlit/config.toml was not applied (font size {size})"
        finally:
            browser.close()
