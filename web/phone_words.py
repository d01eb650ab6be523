"""The phone page's words, in the phone's own language (not the facilitator's).

A phone's language is its browser's: the Accept-Language header it sends with /join (or a
`lang` the address gives, for a phone set to a language riskkit lacks). The page is sent
with its words filled in, and the words its script shows later travel with it as JSON, so
the script holds no sentence of its own. Levels are shown as words and sent back as ids.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from riskkit import words
from riskkit.i18n import LANGUAGES, accepted_language, using
from riskkit.i18n import gettext as _

PHONE = Path(__file__).resolve().parent / "phone"
_SLOT = re.compile(r"\{\{(\w+)\}\}")


def phone_language(accept_language: str | None, asked: str | None = None) -> str:
    """The language of one phone: an offered `?lang=` first, else its browser's preferences."""
    return asked if asked in LANGUAGES else accepted_language(accept_language)


def page_words(levels: tuple[str, ...]) -> dict[str, str]:
    """Every word of the page and its script, in the current language ({slots} are filled
    in by the script, which writes them as text)."""
    found = {
        "title": _("riskkit · rate the risk"),
        "heading": _("Rate the risk"),
        "code_label": _("Code shown on the projector"),
        "join": _("Join"),
        "likelihood": _("Likelihood"),
        "impact": _("Impact"),
        "needs_script": _("This page needs JavaScript to send your rating."),
        "risk_heading": _("Risk {number}"),
        "choose": _("Choose a likelihood and an impact; your rating is sent when both are chosen. Nobody sees "
                    "who voted what."),
        "revealed": _("The votes are revealed ({count} in the room). The facilitator is recording the rating."),
        "rating_in": _("Your rating is in: likelihood {likelihood}, impact {impact}. You can change it until the "
                       "votes are revealed."),
        "choose_both": _("Choose both to change your rating; your rating in is still likelihood {likelihood}, "
                         "impact {impact}."),
        "sending": _("Sending…"),
        "retrying": _("Not sent yet: no connection. Trying again…"),
        "not_counted": _("Your rating was not counted."),
        "tap_again": _("Tap your choices again if the room is still voting."),
        "no_connection": _("No connection to the server. Your choices are kept and sent when it is back."),
        "code_failed": _("That code did not work. Check the code on the projector."),
        "reconnecting": _("Connection lost. Reconnecting…"),
        "offline": _("This phone is offline. Your choices are kept; they are sent when it is back."),
        "not_a_code": _("That is not a join code: a code is six letters and digits, as shown on the projector."),
        # what the room says, by the view's `say` id
        "heat_map": _("The facilitator is showing the heat map. The next risk to rate will appear here."),
        "next_risk": _("Waiting for the facilitator to show the next risk."),
        "ended": _("This group rating has ended. Thank you for taking part."),
        "unknown_code": _("No rating session has this code. Check the code on the projector."),
        "trouble": _("The server cannot read the rating just now; it keeps trying."),
        "busy": _("The server is following too many rooms."),
    }
    found.update({f"level:{level}": words.level(level) for level in levels})
    return found


def phone_page(language: str, levels: tuple[str, ...]) -> bytes:
    """join.html with its words in `language`, escaped as text."""
    with using(language):
        found = page_words(levels)
    encoded = json.dumps({"lang": language, **found}, ensure_ascii=False)
    # Inside <script>, only "</" could end the element early; escaped, the JSON reads the same.
    slots = {key: html.escape(value) for key, value in found.items()} | {
        "lang": language, "words_json": encoded.replace("<", "\\u003c").replace(">", "\\u003e")}
    template = (PHONE / "join.html").read_text(encoding="utf-8")
    return _SLOT.sub(lambda match: slots[match.group(1)], template).encode()
