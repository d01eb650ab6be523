"""Join: a participant rates, on a phone, the risk the facilitator is showing.

Anonymous: a random id the server gives this browser (a cookie; where there is none,
an id in the address) lets a participant change their own vote, and nothing else:
reopening the join link or refreshing is still the same participant, one vote a risk. This page can reach no
facilitator control and no other page: app.py gives participants this page only.
"""

import streamlit as st

from riskkit.errors import RiskkitError
from riskkit.models import AssessedRisk
from riskkit.rules import assessed_risk
from riskkit.store import RatingSession, Vote
from riskkit.workshop import tally
from ui import state
from ui.text import md_literal, show_error

SHOWN_KEY = "join.shown"

cat = state.catalogue()
store = state.store()

# Our own static CSS: thumb-sized targets on a phone.
st.html("""<style>
[data-testid="stButtonGroup"] button { min-height: 3.5rem; font-size: 1.2rem; }
[data-testid="stMain"] .stButton button { min-height: 3.5rem; }
</style>""")
st.title("Rate the risk")


def _ask_for_code() -> None:
    """The box to type the code in: on arrival, and again after a code that did not work."""
    typed = st.text_input("Code shown on the projector", key="join.code", max_chars=8)
    if st.button("Join", key="join.go", type="primary", width="stretch") and typed.strip():
        st.query_params["code"] = typed.strip().upper()
        st.rerun()
    st.stop()


code = st.query_params.get("code", "").strip().upper()
if not code:
    _ask_for_code()

try:
    store.rating_for_participant(code)
except RiskkitError as exc:
    show_error(str(exc))
    st.query_params.pop("code", None)
    _ask_for_code()

participant = state.participant_id()


def _vote(number: int) -> None:
    likelihood = st.session_state.get(f"join.{number}.likelihood")
    impact = st.session_state.get(f"join.{number}.impact")
    if likelihood and impact:
        try:
            store.cast_vote(code, participant, number, Vote(likelihood=likelihood, impact=impact))
        except RiskkitError as exc:
            state.notify(str(exc))


def _risk_shown(live: RatingSession) -> AssessedRisk:
    """The risk on the projector, read from the assessment only when the facilitator moves:
    twenty phones asking every second must cost the server one small query each."""
    held = st.session_state.get(SHOWN_KEY)
    if held is None or held[0] != (live.assessment_id, live.current_risk):
        risk = assessed_risk(cat, store.load(live.assessment_id).assessment, live.current_risk)
        held = ((live.assessment_id, live.current_risk), risk)
        st.session_state[SHOWN_KEY] = held
    return held[1]


@st.fragment(run_every=1.0)
def follow() -> None:
    """Re-read the session every second: the screen follows the facilitator."""
    try:
        live: RatingSession = store.rating_for_participant(code)
        risk = _risk_shown(live)
    except RiskkitError as exc:
        show_error(str(exc))
        return
    message = state.take_notice()
    if message:
        show_error(message)
    st.subheader(md_literal(f"Risk {risk.number}"), anchor=False)
    st.text(risk.statement)
    if live.revealed:
        result = tally(cat, store.votes_revealed(code, risk.number))
        st.info(md_literal(f"The votes are revealed: {result.count} in the room. The facilitator is recording "
                           "the rating."), icon=":material/visibility:")
        return
    mine = store.my_vote(code, participant, risk.number)
    for field in ("likelihood", "impact"):
        key = f"join.{risk.number}.{field}"
        if key not in st.session_state and mine is not None:
            st.session_state[key] = getattr(mine, field)
        st.segmented_control(md_literal(field.capitalize()), cat.scale.levels, key=key, width="stretch",
                             on_change=_vote, args=(risk.number,))
    if mine is not None:
        st.success(md_literal(f"Your rating is in: likelihood {mine.likelihood}, impact {mine.impact}. "
                              "You can change it until the votes are revealed."), icon=":material/check_circle:")
    else:
        st.caption("Choose a likelihood and an impact; your rating is sent when both are chosen. "
                   "Nobody sees who voted what.")


follow()
