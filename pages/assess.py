"""Assess: walk through the risks one at a time (a picker with previous / next),
rate each on its card, and see the whole register in one table below.

One card at a time keeps a projector readable and a rerun cheap; the card is a
fragment, so rating it reruns the card only.
"""

import pandas as pd
import streamlit as st

from riskkit.errors import UnknownRisk
from riskkit.models import AssessedRisk
from riskkit.rules import assessed_risk, band_of, indicators_for, rating_summary, register
from ui import state
from ui.text import md_literal, shorten
from ui.widgets import show_notice, unsaved_text

PICK_KEY = "assess.pick"
ADDING_KEY = "assess.adding"

cat = state.catalogue()


# Each callback names its edit; typed text is kept on screen if it cannot be saved.

def _rate_likelihood(number: int, key: str) -> None:
    state.commit(lambda a: a.rate(cat, number, likelihood=st.session_state[key]))


def _rate_impact(number: int, key: str) -> None:
    state.commit(lambda a: a.rate(cat, number, impact=st.session_state[key]))


def _write_strategy(number: int, key: str) -> None:
    state.commit_typed(key, lambda a: a.write_strategy(cat, number, st.session_state[key] or ""))


def _write_notes(number: int, key: str) -> None:
    state.commit_typed(key, lambda a: a.write_notes(cat, number, st.session_state[key] or ""))


def _start_from_example(number: int, example: str) -> None:
    state.commit(lambda a: a.write_strategy(cat, number, example))


def _references(text: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (text or "").split(",") if part.strip())


def _restate(number: int, key: str) -> None:
    state.commit_typed(key, lambda a: a.restate_own_risk(number, st.session_state[key] or ""))


def _cite(number: int, key: str) -> None:
    state.commit_typed(key, lambda a: a.cite_references(number, _references(st.session_state[key])))


def _link(number: int, key: str) -> None:
    state.commit(lambda a: a.link_indicators(number, tuple(st.session_state[key])))


def _keep_internal(number: int, key: str) -> None:
    state.commit(lambda a: a.keep_internal(number, bool(st.session_state[key])))


def _delete_own(number: int) -> None:
    state.commit(lambda a: a.remove_own_risk(number))


def _rating_pickers(risk: AssessedRisk) -> None:
    left, right = st.columns(2)
    for column, label, level, changed in ((left, "Likelihood", risk.likelihood, _rate_likelihood),
                                          (right, "Impact", risk.impact, _rate_impact)):
        key = f"assess.{risk.number}.{label.lower()}"
        state.seed(key, level)
        column.segmented_control(md_literal(label), cat.scale.levels, key=key, on_change=changed, args=(risk.number, key))


def _strategy(risk: AssessedRisk) -> None:
    key = f"assess.{risk.number}.strategy"
    state.seed(key, risk.strategy)
    if risk.example_strategy:
        mine, example = st.columns(2)
        with example:
            st.markdown("**Example strategy (toolkit)**")
            st.text(risk.example_strategy)
            if not risk.strategy.strip():
                st.button("Start from the example", key=f"assess.{risk.number}.use_example",
                          on_click=_start_from_example, args=(risk.number, risk.example_strategy))
    else:
        mine = st.container()
    with mine:
        st.text_area("Risk mitigation strategy", key=key, height=150,
                     on_change=_write_strategy, args=(risk.number, key),
                     placeholder="How will this risk be mitigated here?")
        unsaved_text(key, risk.strategy, lambda: _write_strategy(risk.number, key))


def _indicator_links(risk: AssessedRisk) -> None:
    indicator_set = state.indicators()
    ids = indicators_for(risk, indicator_set)
    if not ids:
        st.caption("No monitoring indicator linked yet.")
        return
    st.markdown("**Monitored by**")
    for indicator_id in ids:
        st.page_link("pages/indicators.py", query_params={"risk": str(risk.number)},
                     label=md_literal(f"{indicator_id}: {shorten(indicator_set.get(indicator_id).wording, 90)}"))


def _own_fields(risk: AssessedRisk) -> None:
    with st.expander("Edit or delete this risk"):
        key = f"assess.{risk.number}.statement"
        state.seed(key, risk.statement)
        st.text_area("Identified risk", key=key, on_change=_restate, args=(risk.number, key))
        unsaved_text(key, risk.statement, lambda: _restate(risk.number, key))
        key = f"assess.{risk.number}.references"
        state.seed(key, ", ".join(risk.references))
        st.text_input("Toolkit references (comma-separated, e.g. 1.6, 1.7)", key=key,
                      on_change=_cite, args=(risk.number, key))
        key = f"assess.{risk.number}.indicator_ids"
        indicator_set = state.indicators()
        state.seed(key, [i for i in risk.indicator_ids if i in indicator_set.ids()])
        st.multiselect("Monitoring indicators", indicator_set.ids(), key=key,
                       format_func=lambda i: f"{i}: {shorten(indicator_set.get(i).wording, 80)}",
                       on_change=_link, args=(risk.number, key))
        key = f"assess.{risk.number}.internal"
        state.seed(key, risk.internal)
        st.checkbox("Internal: leave this risk out of shareable briefings", key=key,
                    on_change=_keep_internal, args=(risk.number, key))
        with st.popover("Delete this risk"):
            st.write("Delete this risk with its rating, strategy and notes?")
            st.button("Yes, delete", key=f"assess.{risk.number}.delete", type="primary",
                      on_click=_delete_own, args=(risk.number,))


@st.fragment
def risk_card(number: int) -> None:
    try:
        risk = assessed_risk(cat, state.assessment(), number)
    except UnknownRisk:  # deleted in this run: the full rerun that follows drops the card
        return
    show_notice()  # a refused rating reruns only this fragment: say why here
    with st.container(border=True, key=f"card-{number}"):
        st.markdown("#### " + md_literal(f"Risk {number}" + (" · your own" if risk.own else "")))
        st.text(risk.statement)
        if risk.references:
            st.caption(md_literal("Toolkit sections: " + ", ".join(risk.references)))
        _rating_pickers(risk)
        st.markdown(md_literal(rating_summary(cat, state.assessment(), risk)))
        if risk.room is not None:
            when = risk.room.recorded_at.astimezone().strftime("%Y-%m-%d %H:%M")
            st.caption(md_literal(f"Group rating recorded {when}, " + risk.room.describe(cat.scale.levels) + "."))
        _strategy(risk)
        key = f"assess.{number}.notes"
        state.seed(key, risk.notes)
        st.text_area("Notes", key=key, height=80, on_change=_write_notes, args=(number, key))
        unsaved_text(key, risk.notes, lambda: _write_notes(number, key))
        _indicator_links(risk)
        if risk.own:
            _own_fields(risk)


def _picked() -> None:
    state.choose_risk(st.session_state[PICK_KEY])


def _add_own_risk() -> None:
    statement = st.session_state["assess.new.statement"]
    references = tuple(p.strip() for p in st.session_state["assess.new.references"].split(",") if p.strip())
    indicator_ids = tuple(st.session_state["assess.new.indicators"])
    added: list[int] = []

    def add(a):
        updated, number = a.add_own_risk(cat, statement, references, indicator_ids)
        added.append(number)
        return updated

    if state.commit(add):
        state.choose_risk(added[0])
        st.session_state[ADDING_KEY] = False


def _register_table(rows: tuple[AssessedRisk, ...]) -> pd.DataFrame:
    return pd.DataFrame({
        "No.": [r.number for r in rows],
        "Identified risk": [shorten(r.statement, 110) for r in rows],
        "Likelihood": [r.likelihood or "–" for r in rows],
        "Impact": [r.impact or "–" for r in rows],
        "Band": [band_of(cat, r.likelihood, r.impact) if r.rated else "–" for r in rows],
        "Strategy": ["written" if r.strategy.strip() else "–" for r in rows],
    })


st.title("Assess the risks")
st.caption(md_literal(cat.instructions))
show_notice()

rows = register(cat, state.assessment())
numbers = [r.number for r in rows]
statements = {r.number: r.statement for r in rows}
arrived_for = state.risk_from_address(numbers)
if arrived_for is not None:
    state.choose_risk(arrived_for)
current = state.current_risk(numbers)
position = numbers.index(current)

state.seed(PICK_KEY, current)
pick, back, forward = st.columns([5, 1.6, 1.6], vertical_alignment="bottom")
pick.selectbox("Risk", numbers, key=PICK_KEY, on_change=_picked,
               format_func=lambda n: f"{n}. {shorten(statements[n], 100)}"
               + (" (your own)" if n >= cat.first_own_number else ""))
back.button("← Previous", key="assess.previous", disabled=position == 0, width="stretch",
            on_click=state.choose_risk, args=(numbers[max(position - 1, 0)],))
forward.button("Next →", key="assess.next", disabled=position == len(numbers) - 1, width="stretch",
               on_click=state.choose_risk, args=(numbers[min(position + 1, len(numbers) - 1)],))
st.caption(md_literal(f"Risk {position + 1} of {len(numbers)} · {sum(r.rated for r in rows)} rated"))
risk_card(current)

if st.session_state.get(ADDING_KEY):
    with st.form("assess.new", border=True):
        st.markdown("**" + md_literal(f"{cat.additional_risks_heading}: add a risk") + "**")
        st.text_area("Identified risk", key="assess.new.statement")
        st.text_input("Toolkit references (comma-separated, optional)", key="assess.new.references")
        st.multiselect("Monitoring indicators", state.indicators().ids(), key="assess.new.indicators")
        st.form_submit_button("Add risk", on_click=_add_own_risk)
else:
    st.button("Add a risk you have identified", key="assess.add", icon=":material/add:",
              on_click=lambda: st.session_state.update({ADDING_KEY: True}))

if st.toggle("Show the whole register as a table", key="assess.show_table", persist_state="session"):
    st.dataframe(_register_table(rows), key="assess.table", hide_index=True, width="stretch",
                 column_config={"Identified risk": st.column_config.TextColumn(width="large")})
