"""Assess: each risk as a card to rate, with its strategy, notes and indicators.

Each card is a fragment, so rating one risk reruns that card only.
"""

import streamlit as st

from riskkit.models import AssessedRisk
from riskkit.errors import UnknownRisk
from riskkit.rules import (assessed_risk, indicators_for, policy_in_force, rating_summary, register,
                           requires_mitigation)
from ui import state
from ui.text import md_literal, shorten
from ui.widgets import show_notice

OWN_PER_PAGE = 10
FILTERS = ("All", "Not rated", "Strategy required")

cat = state.catalogue()


def _set_entry(number: int, field: str, key: str) -> None:
    value = st.session_state[key]
    state.commit(lambda a: a.with_entry(cat, number, **{field: value}))


def _start_from_example(number: int, example: str) -> None:
    state.commit(lambda a: a.with_entry(cat, number, strategy=example))


def _set_own(number: int, field: str, key: str) -> None:
    value = st.session_state[key]
    if field == "references":
        value = tuple(part.strip() for part in value.split(",") if part.strip())
    elif field == "indicator_ids":
        value = tuple(value)
    state.commit(lambda a: a.with_own_risk_changed(number, **{field: value}))


def _delete_own(number: int) -> None:
    state.commit(lambda a: a.without_own_risk(number))


def _rating_pickers(risk: AssessedRisk) -> None:
    left, right = st.columns(2)
    for column, field in ((left, "likelihood"), (right, "impact")):
        key = f"assess.{risk.number}.{field}"
        state.seed(key, getattr(risk, field))
        column.segmented_control(field.capitalize(), cat.scale.levels, key=key,
                                 on_change=_set_entry, args=(risk.number, field, key))


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
    mine.text_area("Risk mitigation strategy", key=key, height=150,
                   on_change=_set_entry, args=(risk.number, "strategy", key),
                   placeholder="How will this risk be mitigated here?")


def _indicator_links(risk: AssessedRisk) -> None:
    indicator_set = state.indicators()
    ids = indicators_for(risk, indicator_set)
    if not ids:
        st.caption("No monitoring indicator linked yet.")
        return
    st.markdown("**Monitored by**")
    by_id = {i.id: i for i in indicator_set.indicators}
    for indicator_id in ids:
        label = md_literal(f"{indicator_id}: {shorten(by_id[indicator_id].wording, 90)}")
        st.page_link("pages/indicators.py", label=label, query_params={"risk": str(risk.number)})


def _own_fields(risk: AssessedRisk) -> None:
    with st.expander("Edit this risk"):
        key = f"assess.{risk.number}.statement"
        state.seed(key, risk.statement)
        st.text_area("Identified risk", key=key, on_change=_set_own, args=(risk.number, "statement", key))
        key = f"assess.{risk.number}.references"
        state.seed(key, ", ".join(risk.references))
        st.text_input("Toolkit references (comma-separated, e.g. 1.6, 1.7)", key=key,
                      on_change=_set_own, args=(risk.number, "references", key))
        key = f"assess.{risk.number}.indicator_ids"
        indicator_set = state.indicators()
        state.seed(key, [i for i in risk.indicator_ids if i in indicator_set.ids()])
        st.multiselect("Monitoring indicators", indicator_set.ids(), key=key,
                       format_func=lambda i: f"{i}: {shorten(indicator_set.get(i).wording, 80)}",
                       on_change=_set_own, args=(risk.number, "indicator_ids", key))
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
    with st.container(border=True, key=f"card-{number}"):
        st.markdown(f"#### Risk {number}" + (" · your own" if risk.own else ""))
        st.text(risk.statement)
        if risk.references:
            st.caption("Toolkit sections: " + ", ".join(risk.references))
        _rating_pickers(risk)
        st.markdown(md_literal(rating_summary(cat, state.assessment(), risk)))
        _strategy(risk)
        key = f"assess.{number}.notes"
        state.seed(key, risk.notes)
        st.text_area("Notes", key=key, height=80, on_change=_set_entry, args=(number, "notes", key))
        _indicator_links(risk)
        if risk.own:
            _own_fields(risk)


def _add_own_risk() -> None:
    statement = st.session_state["assess.new.statement"]
    references = tuple(p.strip() for p in st.session_state["assess.new.references"].split(",") if p.strip())
    indicator_ids = tuple(st.session_state["assess.new.indicators"])
    state.commit(lambda a: a.with_own_risk(cat, statement, references, indicator_ids)[0])


def _visible(risks: tuple[AssessedRisk, ...], show: str) -> list[AssessedRisk]:
    if show == "Not rated":
        return [r for r in risks if not r.rated]
    if show == "Strategy required":
        policy = policy_in_force(cat, state.assessment())
        return [r for r in risks if requires_mitigation(cat, policy, r.likelihood, r.impact)]
    return list(risks)


st.title("Assess the risks")
st.caption(cat.instructions)
show_notice()

focus = st.query_params.get("risk")
rows = register(cat, state.assessment())
if focus is not None and focus.isdigit() and any(r.number == int(focus) for r in rows):
    st.info(f"Showing risk {focus} only.")
    if st.button("Show all risks", key="assess.show_all"):
        del st.query_params["risk"]
        st.rerun()
    risk_card(int(focus))
    st.stop()

show = st.segmented_control("Show", FILTERS, key="assess.filter", default="All") or "All"
toolkit_risks = _visible(tuple(r for r in rows if not r.own), show)
own_risks = _visible(tuple(r for r in rows if r.own), show)

st.header("Identified risks (examples from the toolkit)")
for risk in toolkit_risks:
    risk_card(risk.number)
if not toolkit_risks:
    st.caption("No toolkit risk matches this filter.")

st.header(cat.additional_risks_heading)
pages = max(1, -(-len(own_risks) // OWN_PER_PAGE))
page = st.pagination(pages, key="assess.own_page") if pages > 1 else 1
for risk in own_risks[(page - 1) * OWN_PER_PAGE: page * OWN_PER_PAGE]:
    risk_card(risk.number)

with st.form("assess.new", clear_on_submit=True, border=True):
    st.markdown("**Add a risk you have identified**")
    st.text_area("Identified risk", key="assess.new.statement")
    st.text_input("Toolkit references (comma-separated, optional)", key="assess.new.references")
    st.multiselect("Monitoring indicators", state.indicators().ids(), key="assess.new.indicators")
    st.form_submit_button("Add risk", on_click=_add_own_risk)
