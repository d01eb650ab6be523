"""axe-core, the accessibility engine, run inside a Playwright page.

axe-core is an npm package; the tests need only its one file (axe.min.js), so they fetch
the package's tarball from the npm registry with Python, check it against the sha512
the registry published for this exact version (pinned here), and keep it in a cache
outside the checkout. No node or npm is needed. The tarball is checked again every
time it is read from the cache, so a corrupted or altered cache fails loudly.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import io
import os
import tarfile
import tempfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

AXE_VERSION = "4.14.1"
# "integrity" of axe-core@4.14.1 in https://registry.npmjs.org/axe-core (dist.integrity)
AXE_INTEGRITY = "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="
AXE_TARBALL = f"https://registry.npmjs.org/axe-core/-/axe-core-{AXE_VERSION}.tgz"
FETCH_TIMEOUT_S = 60
# WCAG 2.0, 2.1 and 2.2 at levels A and AA: what the toolkit's users are owed.
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
BLOCKING = ("serious", "critical")


class AxeUnavailable(RuntimeError):
    """axe-core could not be fetched, or what was fetched is not the pinned package."""


def cache_dir() -> Path:
    """Where the checked tarball is kept: $RISKKIT_TEST_CACHE, else the user's cache directory."""
    configured = os.environ.get("RISKKIT_TEST_CACHE")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "riskkit-tests"


def _integrity_of(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def _checked(data: bytes, where: str) -> bytes:
    found = _integrity_of(data)
    if found != AXE_INTEGRITY:
        raise AxeUnavailable(f"axe-core {AXE_VERSION} from {where} has integrity {found}, "
                             f"not the pinned {AXE_INTEGRITY}: refusing to run it.")
    return data


def _download() -> bytes:
    try:
        with urllib.request.urlopen(AXE_TARBALL, timeout=FETCH_TIMEOUT_S) as response:
            return response.read()
    except OSError as exc:
        raise AxeUnavailable(f"could not fetch {AXE_TARBALL} ({exc}); the accessibility tests need "
                             "the npm registry once, then use the cached copy") from exc


def tarball() -> bytes:
    """The pinned axe-core tarball, from the cache or the registry, always checked."""
    cached = cache_dir() / f"axe-core-{AXE_VERSION}.tgz"
    if cached.exists():
        try:
            return _checked(cached.read_bytes(), str(cached))
        except AxeUnavailable:
            cached.unlink()  # a broken download or a tampered file: fetch it again
    data = _checked(_download(), AXE_TARBALL)
    cached.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=cached.parent, delete=False) as out:  # atomic for parallel runs
        out.write(data)
    Path(out.name).replace(cached)
    return data


@functools.cache
def axe_source() -> str:
    """The text of axe.min.js from the checked tarball."""
    with tarfile.open(fileobj=io.BytesIO(tarball()), mode="r:gz") as archive:
        member = archive.extractfile("package/axe.min.js")
        if member is None:
            raise AxeUnavailable(f"axe-core {AXE_VERSION} has no package/axe.min.js")
        return member.read().decode("utf-8")


@dataclass(frozen=True)
class Violation:
    rule: str
    impact: str
    summary: str
    help_url: str
    targets: tuple[str, ...]
    html: tuple[str, ...]
    why: tuple[str, ...]  # axe's failure summary for each element (for contrast: the colours and the ratio)

    def describe(self) -> str:
        nodes = "\n".join(f"      {t}  {h[:160]}\n        {' '.join(w.split())[:300]}"
                          for t, h, w in zip(self.targets, self.html, self.why, strict=True))
        return f"  [{self.impact}] {self.rule}: {self.summary} ({self.help_url})\n{nodes}"


# Run in the page: axe is injected through the DevTools protocol (page.evaluate), which a
# page's Content-Security-Policy does not block, then run on the whole document. While a
# Streamlit run is under way its elements are drawn faded ("stale"): a scan that saw one is
# not a scan of the page at rest (its contrast would be the fade's), so it says so.
_RUN = """
async ([tags]) => {
  let stale = !!document.querySelector('[data-stale=true]');
  const watch = new MutationObserver(records => {
    if (records.some(r => r.target.getAttribute && r.target.getAttribute('data-stale') === 'true')) stale = true;
  });
  watch.observe(document.body, {attributes: true, attributeFilter: ['data-stale'], subtree: true});
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  watch.disconnect();
  return {stale: stale || !!document.querySelector('[data-stale=true]'), violations: result.violations.map(v => ({
    rule: v.id, impact: v.impact || 'unknown', summary: v.help, help_url: v.helpUrl,
    targets: v.nodes.map(n => n.target.map(String).join(' >>> ')),
    html: v.nodes.map(n => n.html),
    why: v.nodes.map(n => n.failureSummary || ''),
  }))};
}
"""
AT_REST_ATTEMPTS = 5


def violations(page: Page) -> list[Violation]:
    """Every WCAG 2 A/AA violation axe finds on the page at rest. A page that runs on a timer
    (Present's live panel) is scanned again until one scan saw no run under way."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source() + "\n;undefined")
    for _ in range(AT_REST_ATTEMPTS):
        page.wait_for_function("() => !document.querySelector('[data-stale=true]')")
        scan: dict[str, Any] = page.evaluate(_RUN, [list(WCAG_TAGS)])
        if not scan["stale"]:
            break
    return [Violation(rule=v["rule"], impact=v["impact"], summary=v["summary"], help_url=v["help_url"],
                      targets=tuple(v["targets"]), html=tuple(v["html"]), why=tuple(v["why"]))
            for v in scan["violations"]]


def report(where: str, found: list[Violation]) -> str:
    return f"{where}: {len(found)} accessibility violation(s)\n" + "\n".join(v.describe() for v in found)
