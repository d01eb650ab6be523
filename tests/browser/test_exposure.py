"""What the server shows to whom: hostile text and addresses shown as text with nothing
fetched from another host, security headers on every response, the editor key's lock on
every route (media included), and one phone being one participant."""

from __future__ import annotations

import http.server
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, Page, expect

from riskkit.catalogue import load_catalogue
from riskkit.models import Indicator, IndicatorSet
from riskkit.store import Store

from .helpers import (
    CHROMIUM_ARGS,
    COUNT_MESSAGES,
    RUN_TIMEOUT_MS,
    SETTLED,
    assert_no_exception,
    goto,
    new_page,
    new_phone_page,
    open_phone,
    vote_on_phone,
)
from .server import start_server, stop_server

PAGES = ["assessments", "overview", "assess", "heatmap", "gaps", "indicators", "briefing", "print", "present"]
OUTSIDE = "attacker.example"
HOSTILE = (f"![pixel](http://{OUTSIDE}/pixel.png) [Session expired: sign in](http://{OUTSIDE}/login) "
           f"<img src=http://{OUTSIDE}/img.png onerror=alert(1)> <script>alert(2)</script> "
           f":red[alarm] <http://{OUTSIDE}/auto> $x^2$")


# Chromium's own update checks reach the catcher too; they come from the browser, not a page.
BROWSER_SERVICES = ("update.googleapis.com", "clients2.google.com", "edgedl.me.gvt1.com")


class Catcher(http.server.BaseHTTPRequestHandler):
    """Stands in for every other host on the internet: records whatever reaches it."""

    caught: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        Catcher.caught.append(f"{self.headers.get('Host')}{self.path}")
        self.send_response(204)
        self.end_headers()

    do_POST = do_GET

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture
def catcher() -> Iterator[int]:
    Catcher.caught = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Catcher)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()


def hostile_everywhere(server_env: Mapping[str, str], assessment_id: str) -> None:
    catalogue = load_catalogue()
    store = Store(server_env["RISKKIT_DATABASE_URL"])
    snap = store.load(assessment_id)
    a = (snap.assessment.rate(catalogue, 1, likelihood="High", impact="High")
         .write_strategy(catalogue, 1, HOSTILE).write_notes(catalogue, 1, HOSTILE))
    a, number = a.add_own_risk(catalogue, HOSTILE, references=("1.6", "[x](http://attacker.example/r)"))
    a = a.rate(catalogue, number, likelihood="Medium", impact="High").write_strategy(catalogue, number, HOSTILE)
    a = a.use_indicators(IndicatorSet(title=HOSTILE[:300], notice=HOSTILE, indicators=(
        Indicator(id="X-1", wording=HOSTILE, kind="output", disaggregation=("<b>sex</b>",), risks=(1,)),)))
    store.save(snap, a)
    store.rename(assessment_id, HOSTILE[:200], context="[ctx](http://attacker.example/c)")
    store.engine.dispose()


def test_hostile_text_and_addresses_reach_the_screen_as_text_and_nothing_is_fetched_from_outside(
        browser: Browser, server: str, server_env, new_assessment, catcher):
    """Every other host resolves to a local catcher; every page is opened with hostile text in
    every field and in the address. Nothing may reach the catcher, no link or image may point
    outside, no script may run, no traceback may show."""
    assessment_id = new_assessment("hostile")
    hostile_everywhere(server_env, assessment_id)
    browser_type = browser.browser_type
    routed = browser_type.launch(executable_path="/usr/bin/chromium", args=[
        *CHROMIUM_ARGS, f"--host-resolver-rules=MAP * 127.0.0.1:{catcher}, EXCLUDE 127.0.0.1"])
    context = routed.new_context(viewport={"width": 1280, "height": 720})
    context.add_init_script(COUNT_MESSAGES)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if "127.0.0.1" not in r.url else None)
    try:
        for name in PAGES:
            goto(page, f"{server}/{name}?assessment={assessment_id}", heading="h1, h2")
            main = page.locator("[data-testid=stMain]")
            assert main.locator(f"a[href*='{OUTSIDE}'], img[src*='{OUTSIDE}']").count() == 0, name
            assert page.locator(f"[data-testid=stSidebar] a[href*='{OUTSIDE}']").count() == 0, name
        assert "Session expired: sign in" in page.locator("body").inner_text()  # shown, as text
        for address in (f"/overview?assessment={quote('[Session expired: sign in](http://attacker.example/x)')}",
                        f"/assess?assessment={assessment_id}&risk=%C2%B2", f"/assess?assessment={assessment_id}&risk="
                        + "9" * 5000, f"/overview?code={quote('[c](http://attacker.example/j)')}",
                        f"/present?assessment={assessment_id}&key={quote('<img src=http://attacker.example/k>')}"):
            goto(page, f"{server}{address}", heading="h1, h2")
            assert page.locator(f"a[href*='{OUTSIDE}'], img[src*='{OUTSIDE}']").count() == 0, address
            assert_no_exception(page)
        for code in ("[c](http://attacker.example/j)", "ABC<img src=http://attacker.example/x>", "ZZZZZZ"):
            open_phone(page, f"{server}/join?code={quote(code)}")  # the participants' page, its own way
            assert page.locator(f"a[href*='{OUTSIDE}'], img[src*='{OUTSIDE}']").count() == 0, code
        page.wait_for_timeout(500)
    finally:
        context.close()
        routed.close()
    assert dialogs == [], f"a script ran: {dialogs}"
    from_pages = [hit for hit in Catcher.caught if not hit.startswith(BROWSER_SERVICES)]
    assert from_pages == [], f"pages fetched from another host: {from_pages}"
    assert outside == [], f"the browser asked another host for: {outside}"


def headers_of(url: str) -> tuple[int, Mapping[str, str]]:
    request = urllib.request.Request(url, method="GET")
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


@pytest.mark.parametrize("path", ["/", "/overview", "/join", "/_stcore/health", "/static/does-not-exist.js"])
def test_every_response_carries_the_security_headers(server, path):
    _status, headers = headers_of(server + path)
    assert headers.get("x-frame-options") == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in headers.get("content-security-policy", "")
    assert "img-src 'self' data: blob:" in headers.get("content-security-policy", "")
    assert headers.get("x-content-type-options") == "nosniff"
    assert headers.get("referrer-policy") == "same-origin"


KEY = "a long workshop phrase"


@pytest.fixture(scope="module")
def locked_server(tmp_path_factory, server_env) -> Iterator[str]:
    proc, url = start_server(tmp_path_factory.mktemp("locked"), env={**server_env, "RISKKIT_EDITOR_KEY": KEY})
    yield url
    stop_server(proc)


def test_with_an_editor_key_every_route_but_the_join_page_is_locked(locked_server):
    for path in ("/", "/overview", "/assess?assessment=0123456789abcdef", "/present"):
        status, headers = headers_of(locked_server + path)
        assert status == 303 and headers["location"].startswith("/unlock?next="), path
    for path in ("/media/0123456789abcdef0123456789abcdef.png", "/_stcore/upload_file/a/b"):
        assert headers_of(locked_server + path)[0] == 403, path
    assert headers_of(locked_server + "/join")[0] == 200
    assert headers_of(locked_server + "/_stcore/health")[0] == 200


def test_the_editor_key_opens_the_app_and_leaves_the_address(browser: Browser, locked_server, new_assessment):
    page = new_page(browser)
    try:
        page.goto(f"{locked_server}/heatmap")
        expect(page.get_by_role("heading", name="riskkit")).to_be_visible()
        page.get_by_label("Editor key").fill("not it")
        page.get_by_role("button", name="Open riskkit").click()
        expect(page.get_by_role("alert")).to_have_text("That is not the editor key.")
        page.get_by_label("Editor key").fill(KEY)
        page.get_by_role("button", name="Open riskkit").click()
        page.wait_for_function(SETTLED, arg=0, timeout=RUN_TIMEOUT_MS)
        expect(page.locator("[data-testid=stMain] h1").first).to_have_text("Heat map")
        assert "/heatmap" in page.url
    finally:
        page.context.close()
    bookmarked = new_page(browser)
    try:  # the README's bookmark: the key in the address, taken once and then gone from it
        opened = new_assessment("bookmarked")
        bookmarked.goto(f"{locked_server}/overview?assessment={opened}&editor={quote(KEY)}")
        bookmarked.wait_for_function(SETTLED, arg=0, timeout=RUN_TIMEOUT_MS)
        expect(bookmarked.locator("[data-testid=stMain] h1").first).to_contain_text("3.6 Protection")
        assert "editor=" not in bookmarked.url and f"assessment={opened}" in bookmarked.url
    finally:
        bookmarked.context.close()


def test_reopening_the_join_link_on_one_phone_is_still_one_participant(browser: Browser, server, server_env,
                                                                      new_assessment):
    catalogue = load_catalogue()
    store = Store(server_env["RISKKIT_DATABASE_URL"])
    rating, _token = store.open_rating(new_assessment("one phone"), catalogue.risks[0].number)
    phone: Page = new_phone_page(browser)
    link = f"{server}/join?code={rating.join_code}"
    try:
        for _attempt in range(4):  # the QR code scanned again, the link reopened, a new tab
            tab = phone.context.new_page()
            open_phone(tab, link)
            vote_on_phone(tab, 1, "High", "Low")
            tab.close()
        assert store.vote_count(rating.id, 1) == 1
    finally:
        phone.context.close()
        store.engine.dispose()
