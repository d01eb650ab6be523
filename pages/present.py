"""Present: the projector view. One risk per screen in type the back row reads, and group
rating from phones: a join screen, a live count, the reveal across the stage.

Laid out for 1280x720 and 1920x1080 without scrolling: no app sidebar or header, type
that grows with the screen. The facilitator's controls (reveal, record, move the room)
need the facilitator key in this page's address; it is created with the rating session
and checked by the store on every action. Keys: Left / Right move, V reveals the votes
(Streamlit keeps R for reloading), J shows the join screen, Esc goes back to the risk, H
switches high contrast; they are buttons' shortcuts, so they work whatever was clicked last.
"""

import io
from datetime import UTC, datetime

import segno
import streamlit as st

from riskkit.charts import heatmap_figure
from riskkit.errors import RiskkitError
from riskkit.i18n import gettext as _
from riskkit.i18n import ngettext
from riskkit.models import AssessedRisk, RoomRating
from riskkit.rules import band_of, register
from riskkit.workshop import NO_RISK, RatingSession, Tally, tally
from ui import state
from ui.addresses import join_base
from ui.levels import band_word, level_word
from ui.text import md_format, md_literal, show_error, show_info, show_success, show_warning
from ui.widgets import refusable, show_notice

END = "present.end"
CONTRAST = "present.high_contrast"
JOIN_SCREEN = "present.join_screen"
RECORDED = "present.recorded"
ROOM = "present.room"  # the live panel: a refused Reveal is said there

# Our own static CSS (no user text): the projector gets the whole screen and type that grows
# with it (the statement is at least 40 px at 1280x720).
STAGE_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"] { display: none !important; }
[data-testid="stMainBlockContainer"] { padding: 1rem 2rem .5rem !important; max-width: 100% !important; }
.st-key-present-statement h2 { font-size: clamp(40px, 3.4vw, 68px) !important; line-height: 1.16 !important;
  padding: .2rem 0 !important; }
.st-key-present-statement-long h2 { font-size: clamp(30px, 2.5vw, 50px) !important; line-height: 1.18 !important; }
.st-key-present-statement-small h2 { font-size: clamp(28px, 2.2vw, 44px) !important; line-height: 1.18 !important; }
.st-key-present-details h3 { font-size: clamp(22px, 1.75vw, 36px) !important; padding: .15rem 0 !important; }
.st-key-present-strategy p, .st-key-present-strategy [data-testid="stText"] { font-size: clamp(20px, 1.6vw, 32px) !important;
  line-height: 1.35 !important; }
.st-key-present-strategy [data-testid="stText"] { max-height: 30vh; overflow: hidden; }
.st-key-present-code h2 { font-size: clamp(40px, 4.2vw, 88px) !important; letter-spacing: .1em; padding: 0 !important; }
.st-key-present-joinbig h2 { font-size: clamp(64px, 7vw, 140px) !important; letter-spacing: .12em; }
.st-key-present-joinbig p, .st-key-present-joinbig [data-testid="stText"] { font-size: clamp(22px, 1.8vw, 36px) !important; }
.st-key-present-qr img { height: 46vh !important; width: auto !important; }
.st-key-present-qr-small img { height: 21vh !important; width: auto !important; }
.st-key-present-votes [data-testid="stMetricValue"] { font-size: clamp(52px, 5.2vw, 110px) !important; line-height: 1 !important; }
.st-key-present-votes [data-testid="stMetricLabel"] p { font-size: clamp(20px, 1.6vw, 30px) !important; }
.st-key-present-grid table { font-size: clamp(24px, 2.1vw, 42px) !important; width: 100%; }
.st-key-present-grid th, .st-key-present-grid td { padding: .2rem .8rem !important; text-align: center !important; }
.st-key-present-reveal [data-testid="stAlert"] p, .st-key-present-reveal [data-testid="stCaptionContainer"] p {
  font-size: clamp(20px, 1.6vw, 30px) !important; }
.st-key-present-reveal button p { font-size: clamp(20px, 1.6vw, 30px) !important; }
</style>"""
CONTRAST_CSS = """<style>
[data-testid="stApp"], [data-testid="stMain"],
[data-testid="stMain"] *:not(.js-plotly-plot, .js-plotly-plot *) { background-color: #000 !important; color: #fff !important; }
[data-testid="stMain"] button { border: 2px solid #fff !important; }
[data-testid="stMain"] [data-testid="stProgress"] div[role="progressbar"] > div > div { background-color: #FFD54A !important; }
[data-testid="stMain"] img { background-color: #fff !important; }
</style>"""

cat = state.catalogue()
store = state.store()
snapshot = state.snapshot()
rows = register(cat, snapshot.assessment)
numbers = [r.number for r in rows]
by_number = {r.number: r for r in rows}

st.html(STAGE_CSS)
if st.session_state.get(CONTRAST):
    st.html(CONTRAST_CSS)

token = st.query_params.get("key", "")
rating: RatingSession | None = None
if token:
    try:
        rating = store.rating_for_facilitator(token)
    except RiskkitError as exc:
        show_error(str(exc))
    if rating is not None and rating.closed:
        show_info(_("This group rating has ended: phones can no longer join or vote. Start a new one to rate "
                    "with the room again."))
        st.query_params.pop("key", None)
        rating, token = None, ""
show_notice()
if rating is not None and rating.assessment_id != snapshot.summary.id:
    state.open_assessment(rating.assessment_id)
    st.rerun()


@refusable
def _go(number: int) -> None:
    if rating is not None:  # the room first: if that fails, the projector stays where the room is
        store.show_risk(token, number)
    st.session_state[END] = False
    st.session_state[JOIN_SCREEN] = False
    state.choose_risk(number)


@refusable
def _end() -> None:
    st.session_state[END] = True
    st.session_state[JOIN_SCREEN] = False
    if rating is not None:  # phones stop offering a vote while the heat map is shown
        store.show_risk(token, NO_RISK)


def _reveal() -> None:
    store.reveal(token)
    st.session_state[JOIN_SCREEN] = False


@refusable
def _record(number: int, likelihood: str, impact: str, shown_count: int) -> None:
    """Record what the facilitator was shown: if the votes changed since, say so and record nothing."""
    now = tally(cat, store.votes_for_facilitator(token, number))
    if now.count != shown_count or now.suggested != (likelihood, impact):
        state.notify(_("The votes changed after they were shown, so nothing was recorded. Look at the votes "
                       "again, then record."))
        return
    said = RoomRating(count=now.count, likelihood=now.likelihood, impact=now.impact,
                      disagreement=now.disagreement, recorded_at=datetime.now(UTC))
    if state.commit(lambda a: a.record_room_rating(cat, number, likelihood, impact, said)):
        st.session_state[RECORDED] = (number, likelihood, impact, shown_count)


@refusable
def _start_rating(number: int) -> None:
    _session, new_token = store.open_rating(snapshot.summary.id, number)
    st.query_params["key"] = new_token
    st.session_state[JOIN_SCREEN] = True  # first, the room joins


@refusable
def _close_rating() -> None:
    store.close_rating(token)
    st.query_params.pop("key", None)
    st.session_state[JOIN_SCREEN] = False


def _flip(key: str) -> None:
    st.session_state[key] = not st.session_state.get(key, False)


current = rating.current_risk if rating is not None and rating.current_risk in numbers \
    else state.current_risk(numbers)
position = numbers.index(current)
at_end = st.session_state.get(END, False) or (rating is not None and rating.current_risk == NO_RISK)
join_screen = rating is not None and st.session_state.get(JOIN_SCREEN, False) and not at_end
revealed = rating is not None and rating.revealed and rating.current_risk == current and not at_end


def controls() -> None:
    back, progress, forward, contrast, leave = st.columns([1.3, 3, 1.3, 1.5, 1], vertical_alignment="center")
    back.button(_("Previous"), key="present.previous", shortcut="Left",
                disabled=position == 0 and not at_end, width="stretch",
                on_click=_go, args=(numbers[position if at_end else max(position - 1, 0)],))
    progress.progress((len(numbers) if at_end else position + 1) / len(numbers),
                      text=_("Heat map") if at_end else md_format(_("Risk {position} of {count}"),
                                                                  position=position + 1, count=len(numbers)))
    if position == len(numbers) - 1 or at_end:
        forward.button(_("Heat map"), key="present.next", shortcut="Right",
                       disabled=at_end, width="stretch", on_click=_end)
    else:
        forward.button(_("Next"), key="present.next", shortcut="Right",
                       width="stretch", on_click=_go, args=(numbers[position + 1],))
    contrast.button(_("Normal contrast") if st.session_state.get(CONTRAST) else _("High contrast"),
                    key="present.contrast", width="stretch", on_click=refusable(_flip), args=(CONTRAST,), shortcut="h")
    leave.page_link("pages/overview.py", label=_("Exit"), icon=":material/close:",
                    query_params={state.URL_PARAM: snapshot.summary.id})


def statement(risk: AssessedRisk, compact: bool) -> None:
    size = len(risk.statement)
    key = "present-statement" if size <= 180 and not compact else \
        "present-statement-long" if size <= 400 else "present-statement-small"
    with st.container(key=key):
        st.header(md_literal(f"{risk.number}. {risk.statement}"), anchor=False)


def details(risk: AssessedRisk) -> None:
    with st.container(key="present-details"):
        if risk.rated:
            band = band_of(cat, risk.likelihood, risk.impact)  # type: ignore[arg-type]
            st.subheader(md_format(_("Rated: likelihood {likelihood} · impact {impact} · {band} band"),
                                   likelihood=level_word(risk.likelihood), impact=level_word(risk.impact),
                                   band=band_word(band)), anchor=False)
        else:
            st.subheader(_("Not rated yet"), anchor=False)
        if risk.references:
            st.subheader(md_format(ngettext("Toolkit section: {sections}", "Toolkit sections: {sections}",
                                            len(risk.references)), sections=", ".join(risk.references)),
                         anchor=False)


def strategy(risk: AssessedRisk) -> None:
    with st.container(key="present-strategy"):
        if risk.strategy.strip():
            st.markdown(_("**Our strategy**"))
            st.text(risk.strategy)
        elif risk.example_strategy:
            st.markdown(_("**Example strategy from the toolkit** (none of our own written yet)"))
            st.text(risk.example_strategy)


def qr_code(link: str) -> bytes:
    image = io.BytesIO()
    segno.make(link, error="m").save(image, kind="png", scale=12, border=2)
    return image.getvalue()


def the_reveal(risk: AssessedRisk) -> None:
    """The room's votes, large, across the stage, with Record in view."""
    result: Tally = tally(cat, store.votes_for_facilitator(token, risk.number))
    levels = list(reversed(cat.scale.levels))
    grid = {_("Likelihood \\ Impact"): [level_word(lk) for lk in levels]}  # rows: likelihood, columns: impact
    for impact in cat.scale.levels:
        grid[level_word(impact)] = [str(result.cells[(lk, impact)]) for lk in levels]
    with st.container(key="present-reveal"):
        table, verdict = st.columns([3, 2], vertical_alignment="top")
        with table:
            st.caption(_("Votes by likelihood (rows) and impact (columns)"))
            with st.container(key="present-grid"):
                st.table(grid, hide_index=True)
        with verdict:
            if result.disagreement:
                st.warning(md_format(_("The room disagrees: some rated {lowest}, others {highest}. Talk it "
                                       "through."), lowest=level_word(levels[-1]), highest=level_word(levels[0])),
                           icon=":material/forum:")
            recorded = st.session_state.get(RECORDED)
            if recorded and recorded[0] == risk.number:
                show_success(ngettext("Recorded: likelihood {likelihood}, impact {impact}, from {count} vote.",
                                      "Recorded: likelihood {likelihood}, impact {impact}, from {count} votes.",
                                      recorded[3]).format(likelihood=level_word(recorded[1]),
                                                          impact=level_word(recorded[2]), count=recorded[3]))
            elif result.suggested:
                likelihood, impact = result.suggested
                st.button(md_format(_("Record the median: {likelihood} / {impact}"),
                                    likelihood=level_word(likelihood), impact=level_word(impact)),
                          key="present.record",
                          type="primary", width="stretch", on_click=_record,
                          args=(risk.number, likelihood, impact, result.count))
                st.caption(md_format(ngettext(
                    "{count} vote. The median of each; when the room splits evenly, the higher of the two middle "
                    "levels, to err on the side of caution.",
                    "{count} votes. The median of each; when the room splits evenly, the higher of the two middle "
                    "levels, to err on the side of caution.", result.count), count=result.count))


def join_panel(link: str, warning: str | None, big: bool) -> None:
    assert rating is not None
    if big:
        qr, wording = st.columns([1, 1], vertical_alignment="center")
        with qr, st.container(key="present-qr"):
            st.image(qr_code(link), alt=_("QR code that opens the join page"))
        with wording, st.container(key="present-joinbig"):
            st.markdown(_("**Rate with your phone: scan the code, or open the address and type the code**"))
            st.subheader(md_format(_("Join: code {code}"), code=rating.join_code), anchor=False)
            st.text(link)
            if warning:
                show_warning(warning)
            room()
            st.button(_("Back to the risk"), key="present.join_hide", shortcut="Escape", on_click=refusable(_flip),
                      args=(JOIN_SCREEN,))
        return
    with st.container(key="present-code"):
        st.subheader(md_format(_("Join: code {code}"), code=rating.join_code), anchor=False)
    if warning:  # said in full on the join screen; here one line, so the panel fits the screen
        st.caption(_(":material/warning: Phones cannot open this address: see the join screen (J)."))
    with st.container(key="present-qr-small"):
        st.image(qr_code(link), alt=_("QR code that opens the join page"))
    st.text(link)


@st.fragment(run_every=0.5)
def room() -> None:
    """The live part: how many have voted (never what), and Reveal. Follows a move, a reveal or
    the end made elsewhere (another tab) by redrawing the page."""
    try:
        live = store.rating_for_facilitator(token)
    except RiskkitError as exc:
        show_error(str(exc))
        return
    show_notice(ROOM)
    if live.closed or (live.current_risk != current and live.current_risk in numbers) \
            or (live.current_risk == current and live.revealed != revealed):
        st.rerun(scope="app")
    with st.container(key="present-votes"):
        st.metric(_("Votes in"), store.vote_count(live.id, current))
    if not live.revealed:
        st.button(_("Reveal the votes"), key="present.reveal", type="primary", shortcut="v",
                  width="stretch", on_click=refusable(_reveal, ROOM))


controls()
if at_end:
    st.header(_("Where the risks fall"), anchor=False)
    st.plotly_chart(heatmap_figure(cat, rows), key="present.heatmap", theme=None,
                    config={"staticPlot": True, "displayModeBar": False})
    st.stop()

risk = by_number[current]
base, warning = join_base(st.context.url or "", str(st.get_option("server.address") or ""))
join_link = f"{base}/join?code={rating.join_code}" if rating is not None else ""

if join_screen:
    join_panel(join_link, warning, big=True)
    st.stop()

stage, side = st.columns([5, 2], gap="large") if rating is not None else (st.container(), None)
with stage:
    statement(risk, compact=revealed)
    details(risk)
    if revealed:
        the_reveal(risk)
    else:
        strategy(risk)
        if rating is None:
            st.button(_("Start group rating: the room votes from their phones"), icon=":material/groups:",
                      key="present.start", on_click=_start_rating, args=(current,))

if side is not None and rating is not None:
    with side:
        join_panel(join_link, warning, big=False)
        room()
        with st.container(horizontal=True, key="present-room-buttons"):  # wraps: "Terminer la notation en groupe"
            st.button(_("Join screen"), key="present.join_show", shortcut="j", on_click=refusable(_flip),
                      args=(JOIN_SCREEN,))
            st.button(_("End group rating"), key="present.close", on_click=_close_rating)
        st.caption(_("Use full screen (F11): the address bar carries your facilitator key."))
