"""/unlock: the page that asks for the editor key, as plain HTML (no Streamlit session
needed, so the lock holds before any of the app is sent). Its words are in the language of
the browser that opens it (Accept-Language, or an offered `lang`), as the phone page's are: a
phone that opened `/` instead of `/join` lands here first."""

from __future__ import annotations

import asyncio
import hmac
import html
import os
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from riskkit.i18n import N_, using
from riskkit.i18n import gettext as _
from ui.state import EDITOR_COOKIE, editor_pass
from web.middleware import SECURITY_HEADERS, request_origin_matches, safe_next
from web.phone_words import phone_language

MAX_FORM_BYTES = 4096
WRONG_KEY = N_("That is not the editor key.")
NOT_FROM_HERE = N_("This form must be sent from riskkit's own page. Open riskkit again and retry.")
PAGE = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: "Source Sans Pro", "Liberation Sans", Arial, sans-serif; font-size: 20px; color: #111;
       max-width: 34rem; margin: 12vh auto; padding: 0 1.2rem; line-height: 1.45; }}
h1 {{ font-size: 2rem; margin-bottom: .5rem; }}
label {{ display: block; margin: 1.2rem 0 .3rem; font-weight: 600; }}
input {{ font-size: 1.1rem; padding: .6rem; width: 100%; box-sizing: border-box; border: 2px solid #555;
        border-radius: 6px; }}
button {{ margin-top: 1rem; font-size: 1.1rem; padding: .7rem 1.4rem; background: #1F4E79; color: #fff;
         border: 0; border-radius: 6px; cursor: pointer; }}
.wrong {{ color: #8B0000; font-weight: 600; }}
</style></head>
<body><main>
<h1>riskkit</h1>
<p>{locked}</p>
<p><a href="/join">{join}</a></p>
{message}
<form method="post" action="/unlock">
<input type="hidden" name="next" value="{next}">
<input type="hidden" name="lang" value="{lang}">
<label for="key">{key_label}</label>
<input id="key" name="key" type="password" autocomplete="current-password" autofocus required maxlength="500">
<button type="submit">{open}</button>
</form>
</main></body></html>
"""


def _page(language: str, next_path: str, message: str = "", status: int = 200) -> HTMLResponse:
    """The page in `language`, with `message` (marked with N_) said in it; every word escaped as text
    (the message and the address too)."""
    with using(language):
        said = _(message) if message else ""
        words = {"title": _("riskkit · locked"),
                 "locked": _("This riskkit is locked for editing. Workshop participants: scan the QR code on the "
                             "projector, or open the join address shown there and type the code."),
                 "join": _("Open the join page"), "key_label": _("Editor key"), "open": _("Open riskkit")}
    shown = f'<p class="wrong" role="alert">{html.escape(said)}</p>' if said else ""
    body = PAGE.format(lang=language, next=html.escape(next_path, quote=True), message=shown,
                       **{name: html.escape(text) for name, text in words.items()})
    return HTMLResponse(body, status_code=status, headers={k.decode(): v.decode() for k, v in SECURITY_HEADERS}
                        | {"cache-control": "no-store", "content-language": language, "vary": "Accept-Language"})


def _language(request: Request, asked: str | None = None) -> str:
    """The browser's own language, as for a phone: an offered `lang` first, else Accept-Language."""
    return phone_language(request.headers.get("accept-language"), asked)


async def unlock(request: Request) -> Response:
    key = os.environ.get("RISKKIT_EDITOR_KEY", "")
    if request.method == "GET":
        if not key:
            return RedirectResponse(safe_next(request.query_params.get("next")), status_code=303)
        wrong = WRONG_KEY if request.query_params.get("wrong") else ""
        return _page(_language(request, request.query_params.get("lang")),
                     safe_next(request.query_params.get("next")), wrong)
    language = _language(request)
    if not request_origin_matches(request.scope):
        return _page(language, "/", NOT_FROM_HERE, 403)
    body = b""
    if int(request.headers.get("content-length") or 0) > MAX_FORM_BYTES:
        return _page(language, "/", WRONG_KEY, 413)
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            return _page(language, "/", WRONG_KEY, 413)
    form = dict(parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True))
    language = _language(request, form.get("lang"))
    next_path = safe_next(form.get("next"))
    given = form.get("key", "")
    if not key:
        return RedirectResponse(next_path, status_code=303)
    if not hmac.compare_digest(given.encode(), key.encode()):
        await asyncio.sleep(0.5)  # a guess a second at most per connection
        return _page(language, next_path, WRONG_KEY, 401)
    response = RedirectResponse(next_path, status_code=303)
    response.set_cookie(EDITOR_COOKIE, editor_pass(key), max_age=14 * 24 * 3600, httponly=True, samesite="lax",
                        path="/")
    return response
