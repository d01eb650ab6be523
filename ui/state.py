"""The one owner of session state: typed accessors over namespaced keys.

The assessment lives in the store; the session holds the Snapshot last read or
written (the assessment with the version of each row), never widget values.
Widgets are seeded from the assessment on every run and write back through
`commit`, which saves at once: there is no save button to forget.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re
import secrets
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import streamlit as st

from riskkit.errors import RiskkitError
from riskkit.i18n import gettext as _
from riskkit.limits import checked_text
from riskkit.models import Assessment, Catalogue, IndicatorSet
from riskkit.store import Snapshot, StaleEdit, Store, UnknownAssessment, database_url, shared_store

if TYPE_CHECKING:
    from riskkit.snapshot import Change

log = logging.getLogger("riskkit.ui")

SNAPSHOT = "riskkit.snapshot"
NOTICE = "riskkit.notice"
HEATMAP_CELLS = "heatmap.cells"
CURRENT_RISK = "assess.current"
URL_PARAM = "assessment"


def catalogue() -> Catalogue:
    """In the reader's language: riskkit's translation, or the open assessment's official
    wording (ui.language). Each is loaded once per process and frozen, so sharing is safe."""
    from ui import language  # ui.language builds on this module

    return language.catalogue()


def default_indicators() -> IndicatorSet:
    """riskkit's draft indicators, in the reader's language."""
    from ui import language

    return language.draft_indicators()


def store() -> Store:
    """One Store (one connection pool) per process and database URL."""
    return shared_store(database_url())


PARTICIPANT = "riskkit.participant"
PARTICIPANT_COOKIE = "riskkit_participant"
EDITOR_COOKIE = "riskkit_editor"


def is_participant() -> bool:
    """A session whose address carries a join code belongs to a phone: participants rate on
    riskkit's own page (/join), not in the app."""
    if "code" in st.query_params:
        st.session_state[PARTICIPANT] = True
    return bool(st.session_state.get(PARTICIPANT))


UNLOCKED = "riskkit.unlocked"


def editor_key() -> str:
    """RISKKIT_EDITOR_KEY, when set, locks everything but the join page (for workshops)."""
    return os.environ.get("RISKKIT_EDITOR_KEY", "")


def editor_pass(key: str) -> str:
    """What the editor cookie holds: derived from the key, so it is never the key itself,
    survives a restart and stops working when the key changes."""
    return hmac.new(key.encode(), b"riskkit editor pass", hashlib.sha256).hexdigest()


def unlocked() -> bool:
    """Without an editor key the app is open; with one, this browser must have given it:
    the server's middleware turns a given key into a cookie (web/lock.py). Where no
    middleware runs, the key in the address (?editor=KEY) or typed once opens this session."""
    key = editor_key()
    if not key or st.session_state.get(UNLOCKED):
        return True
    cookie = st.context.cookies.get(EDITOR_COOKIE, "") if st.context.cookies else ""
    if cookie and hmac.compare_digest(cookie.encode(), editor_pass(key).encode()):
        st.session_state[UNLOCKED] = True
    given = st.query_params.get("editor", "")
    if given:
        del st.query_params["editor"]  # never left in the address bar, or in a screenshot of it
        if secrets.compare_digest(given.encode(), key.encode()):
            st.session_state[UNLOCKED] = True
    return bool(st.session_state.get(UNLOCKED))


def unlock(given: str) -> bool:
    if given and secrets.compare_digest(given.encode(), editor_key().encode()):
        st.session_state[UNLOCKED] = True
        return True
    return False


def init() -> None:
    """Open the assessment the URL names (else the latest, else a new one), fresh from the store.

    Read again on every full run, so a second tab, a colleague's edits and a
    restarted server all show what is saved.
    """
    named = st.query_params.get(URL_PARAM)
    if named is not None and not re.fullmatch(r"[0-9a-f]{16}", named):
        notify(_("The address names no assessment riskkit knows (an assessment's id is 16 letters and digits); "
                 "this one is open instead."))
        named = None
    wanted = named or _current_id() or store().most_recent()
    held: Snapshot | None = st.session_state.get(SNAPSHOT)
    if held is not None and held.summary.id == wanted and store().revision(wanted) == held.summary.revision:
        _keep_in_address(held.summary.id)
        return  # nothing saved since this session read it
    try:
        snapshot = store().load(wanted) if wanted else None
    except UnknownAssessment as exc:
        notify(str(exc))
        snapshot = None
    if snapshot is None:
        fallback = store().most_recent() or store().create(_("My assessment"), catalogue().policies.default)
        snapshot = store().load(fallback)
    open_snapshot(snapshot)


def open_snapshot(snapshot: Snapshot) -> None:
    if _current_id() != snapshot.summary.id:
        st.session_state.pop(CURRENT_RISK, None)
        st.session_state.pop(HEATMAP_CELLS, None)
        st.session_state.pop(ACTION_FORM, None)  # a half-typed action stays with its own assessment
    st.session_state[SNAPSHOT] = snapshot
    _keep_in_address(snapshot.summary.id)


def _keep_in_address(assessment_id: str) -> None:
    """Every page's address names the open assessment, whichever way the page was reached
    (a sidebar entry, a link, a button), so it can be bookmarked, shared or reloaded."""
    if st.query_params.get(URL_PARAM) != assessment_id:
        st.query_params[URL_PARAM] = assessment_id


def open_assessment(assessment_id: str) -> None:
    open_snapshot(store().load(assessment_id))


def _current_id() -> str | None:
    snap: Snapshot | None = st.session_state.get(SNAPSHOT)
    return snap.summary.id if snap else None


def snapshot() -> Snapshot:
    if SNAPSHOT not in st.session_state:
        init()
    return st.session_state[SNAPSHOT]


def assessment() -> Assessment:
    return snapshot().assessment


PAGE = "page"  # the region a page shows at its top; others are named for where they are drawn


def attempt(action: Callable[[], object], where: str = PAGE) -> bool:
    """The one error path for anything a user does: run `action`; if it is refused (a
    RiskkitError: a wrong value, a colleague's newer save, the database not answering) or
    fails, keep its message for the region `where`, which the page draws next to the
    widget the user used (`ui.widgets.show_notice`). Details of a failure go to the log."""
    try:
        action()
    except StaleEdit as exc:  # a colleague saved first: show their values, say so
        notify(str(exc), where)
        _reload_after_stale()
        return False
    except RiskkitError as exc:
        notify(str(exc), where)
        return False
    except Exception:  # a fault of ours or the database's: say so where the user acted, log the rest
        log.exception("an action failed (shown at %s)", where)
        notify(_("Something went wrong and nothing was changed. Your saved work is safe and anything you typed "
                 "is still on screen; try again, and tell whoever runs riskkit if it happens again."), where)
        return False
    return True


def _reload_after_stale() -> None:
    held: Snapshot | None = st.session_state.get(SNAPSHOT)
    if held is None:
        return
    try:
        open_snapshot(store().load(held.summary.id))
    except RiskkitError as exc:  # gone or not answering: the notice already says it was not saved
        log.warning("could not reload assessment %s after a stale edit: %s", held.summary.id, exc)


def commit(change: Callable[[Assessment], Assessment], where: str = PAGE) -> bool:
    """Apply an edit and save it at once, through `attempt`: a user's error, or a
    colleague's newer save of the same thing, is shown at `where` and changes nothing; in
    the second case the page shows the colleague's values."""
    def save() -> None:
        before = snapshot()
        st.session_state[SNAPSHOT] = store().save(before, change(before.assessment), by=person())

    return attempt(save, where)


PERSON = "riskkit.person"  # the name this browser session gave, shown beside its saved changes


def person() -> str:
    """The name given in this browser session, or blank: asked once, kept across pages."""
    name: str = st.session_state.get(PERSON, "")
    return name


def give_name(text: str) -> None:
    """Remember the name to save beside this session's changes; a name that cannot be kept
    (too long, a control character) is refused with the reason and the old one stays."""
    st.session_state[PERSON] = checked_text("person", text or "")


def notify(message: str, where: str = PAGE) -> None:
    """Keep a message for the region `where` to show in the run that follows (callbacks
    cannot draw)."""
    notices: dict[str, str] = st.session_state.setdefault(NOTICE, {})
    notices[where] = message


def take_notice(where: str = PAGE) -> str | None:
    """The message kept for the region `where`, once."""
    notices: dict[str, str] = st.session_state.get(NOTICE, {})
    return notices.pop(where, None)


def history(number: int) -> tuple[Change, ...]:
    """The saved changes of one risk of the open assessment, as the store kept them."""
    return store().history(snapshot().summary.id, number=number)


def indicators() -> IndicatorSet:
    return assessment().indicators or default_indicators()


def use_indicators(indicator_set: IndicatorSet | None, where: str = PAGE) -> bool:
    """Replace the draft set with a user's own (None restores the draft)."""
    return commit(lambda a: a.use_indicators(indicator_set), where)


PENDING = "riskkit.pending"  # widget key -> text typed but not saved


def seed(key: str, value: Any) -> None:
    """Give a widget its value from the domain before it is drawn, unless it holds text
    the user typed that could not be saved: that stays on screen until saved or dropped."""
    pending: dict[str, Any] = st.session_state.get(PENDING, {})
    if key in pending:
        st.session_state[key] = pending[key]
        return
    st.session_state[key] = value


def commit_typed(key: str, change: Callable[[Assessment], Assessment]) -> bool:
    """Save what was typed into the widget `key`. If it cannot be saved (too long, a
    colleague's newer text, the database not answering), the typed text is kept in the
    widget, and the reason and the saved text are shown under it (region `key`, see
    `unsaved` and ui.widgets.unsaved_text)."""
    typed = st.session_state.get(key)
    saved = commit(change, where=key)
    pending: dict[str, Any] = st.session_state.setdefault(PENDING, {})
    if saved:
        pending.pop(key, None)
    else:
        pending[key] = typed
    return saved


def unsaved(key: str) -> Any | None:
    """Text typed into `key` that is not saved, or None."""
    return st.session_state.get(PENDING, {}).get(key)


def drop_unsaved(key: str) -> None:
    st.session_state.get(PENDING, {}).pop(key, None)


def selected_cells() -> tuple[tuple[str, str], ...]:
    return st.session_state.get(HEATMAP_CELLS, ())


def select_cells(cells: tuple[tuple[str, str], ...]) -> None:
    st.session_state[HEATMAP_CELLS] = cells


def current_risk(numbers: list[int]) -> int:
    """The risk open on Assess: the one last chosen, else the first."""
    chosen = st.session_state.get(CURRENT_RISK)
    return chosen if chosen in numbers else numbers[0]


def choose_risk(number: int) -> None:
    st.session_state[CURRENT_RISK] = number


def risk_from_address(numbers: list[int]) -> int | None:
    """A risk named by a link (`?risk=5`), taken out of the address once read."""
    named = st.query_params.get("risk")
    if named is None:
        return None
    del st.query_params["risk"]
    if not re.fullmatch(r"[0-9]{1,4}", named):
        return None
    return int(named) if int(named) in numbers else None


ASSESS_VIEW = "assess.view_chosen"
ASSESS_VIEWS = ("one", "quick")  # one risk at a time (a card), or every risk as a row of pickers
ADDING = "assess.adding"
LANDING = "riskkit.landing"


def assess_view() -> str:
    """How Assess shows the risks, as this person last chose (one card, or quick rating)."""
    chosen = st.session_state.get(ASSESS_VIEW)
    return chosen if chosen in ASSESS_VIEWS else ASSESS_VIEWS[0]


def choose_assess_view(view: str | None) -> None:
    if view in ASSESS_VIEWS:  # a second click on the chosen view clears the control: keep the view
        st.session_state[ASSESS_VIEW] = view


def adding_risk() -> bool:
    return bool(st.session_state.get(ADDING))


def start_adding_risk() -> None:
    st.session_state[ADDING] = True


def stop_adding_risk() -> None:
    st.session_state[ADDING] = False


def land_on(page: str) -> None:
    """Open `page` (a path under pages/) at the next run: a callback cannot switch pages."""
    st.session_state[LANDING] = page


def take_landing() -> str | None:
    return st.session_state.pop(LANDING, None)


ACTION_FORM = "assess.action_form"  # the risk whose action form is open, and the action edited (None: a new one)


def action_form() -> tuple[int, str | None] | None:
    opened: tuple[int, str | None] | None = st.session_state.get(ACTION_FORM)
    return opened


def open_action_form(number: int, action_id: str | None) -> None:
    st.session_state[ACTION_FORM] = (number, action_id)


def close_action_form() -> None:
    st.session_state.pop(ACTION_FORM, None)
