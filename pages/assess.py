"""Assess: rate the risks, one at a time on a card (a picker with previous / next) or all
at once as rows of two pickers (quick rating: 12 risks in 24 clicks), add risks of your
own, and read the whole register as a table.

Everything under the title is one fragment, so a click reruns it and not the app's
frame; and the count, the card or rows and the table it holds always agree with the
click (with the card alone as the fragment, "Risk 2 of 12 · 0 rated" stayed on screen
after risk 2 was rated).
"""

from datetime import date

import streamlit as st

from riskkit.charts import reading_in_words
from riskkit.errors import UnknownRisk
from riskkit.i18n import N_, format_datetime, format_number, ngettext, pgettext
from riskkit.i18n import gettext as _
from riskkit.models import AssessedRisk
from riskkit.plan import latest_readings
from riskkit.rules import assessed_risk, indicators_for, rating_summary, register
from ui import follow_up, state
from ui.levels import band_badge_styles, level_word
from ui.register import band_id, register_table
from ui.text import md_format, md_literal, shorten
from ui.widgets import band_badge, refusable, show_notice, unsaved_text

PICK_KEY = "assess.pick"
VIEW_KEY = "assess.view"
VIEWS = {"one": N_("One risk at a time"), "quick": N_("Quick rating")}
NEW = "assess.new"  # the add form, and the region its refusals are shown in

cat = state.catalogue()


def numbered(number: int, statement: str, own: bool) -> str:
    """A risk on one line as a list names it: its number, its statement, whether it is the team's own."""
    if own:
        return _("{number}. {statement} (your own)").format(number=number, statement=statement)
    return _("{number}. {statement}").format(number=number, statement=statement)


# Each callback names its edit; the region it passes is where a refusal is shown.

def _rate_likelihood(number: int, key: str, where: str) -> None:
    state.commit(lambda a: a.rate(cat, number, likelihood=st.session_state[key]), where)


def _rate_impact(number: int, key: str, where: str) -> None:
    state.commit(lambda a: a.rate(cat, number, impact=st.session_state[key]), where)


def _write_strategy(number: int, key: str) -> None:
    state.commit_typed(key, lambda a: a.write_strategy(cat, number, st.session_state[key] or ""))


def _write_notes(number: int, key: str) -> None:
    state.commit_typed(key, lambda a: a.write_notes(cat, number, st.session_state[key] or ""))


def _start_from_example(number: int, example: str) -> None:
    state.commit(lambda a: a.write_strategy(cat, number, example), f"card.{number}")


def _references(text: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (text or "").split(",") if part.strip())


def _restate(number: int, key: str) -> None:
    state.commit_typed(key, lambda a: a.restate_own_risk(number, st.session_state[key] or ""))


def _cite(number: int, key: str) -> None:
    state.commit_typed(key, lambda a: a.cite_references(number, _references(st.session_state[key])))


def _link(number: int, key: str) -> None:
    state.commit(lambda a: a.link_indicators(number, tuple(st.session_state[key])), f"card.{number}")


def _keep_internal(number: int, key: str) -> None:
    state.commit(lambda a: a.keep_internal(number, bool(st.session_state[key])), f"card.{number}")


def _delete_own(number: int) -> None:
    state.commit(lambda a: a.remove_own_risk(number))


def _picked() -> None:
    state.choose_risk(st.session_state[PICK_KEY])


def _view_chosen() -> None:
    state.choose_assess_view(st.session_state[VIEW_KEY])


def _add_own_risk() -> None:
    statement = st.session_state[f"{NEW}.statement"]
    references = _references(st.session_state[f"{NEW}.references"])
    indicator_ids = tuple(st.session_state[f"{NEW}.indicators"])
    added: list[int] = []

    def add(a):
        updated, number = a.add_own_risk(cat, statement, references, indicator_ids)
        added.append(number)
        return updated

    if state.commit(add, NEW):  # the new risk's card opens where the form was
        state.choose_risk(added[0])
        state.choose_assess_view("one")
        state.stop_adding_risk()


def _pickers(risk: AssessedRisk, prefix: str, where: str) -> None:
    """The likelihood and impact pickers of a risk, side by side; each click saves."""
    left, right = st.columns(2)
    for column, field, label, level, changed in (
            (left, "likelihood", _("Likelihood"), risk.likelihood, _rate_likelihood),
            (right, "impact", _("Impact"), risk.impact, _rate_impact)):
        key = f"{prefix}.{risk.number}.{field}"
        state.seed(key, level)
        column.segmented_control(md_literal(label), cat.scale.levels, key=key, format_func=level_word,
                                 on_change=refusable(changed, where), args=(risk.number, key, where))


def _strategy(risk: AssessedRisk) -> None:
    key = f"assess.{risk.number}.strategy"
    state.seed(key, risk.strategy)
    if risk.example_strategy:
        mine, example = st.columns(2)
        with example:
            st.markdown(_("**Example strategy (toolkit)**"))
            st.text(risk.example_strategy)
            if not risk.strategy.strip():
                st.button(_("Start from the example"), key=f"assess.{risk.number}.use_example",
                          on_click=refusable(_start_from_example, f"card.{risk.number}"),
                          args=(risk.number, risk.example_strategy))
    else:
        mine = st.container()
    with mine:
        st.text_area(_("Risk mitigation strategy"), key=key, height=150,
                     on_change=refusable(_write_strategy, key), args=(risk.number, key),
                     placeholder=_("How will this risk be mitigated here?"))
        unsaved_text(key, risk.strategy, lambda: _write_strategy(risk.number, key))


def indicator_label(indicator_id: str, limit: int) -> str:
    """An indicator as a list names it: its id and its wording, shortened to `limit` characters."""
    wording = shorten(state.indicators().get(indicator_id).wording, limit)
    return _("{indicator}: {wording}").format(indicator=indicator_id, wording=wording)


def _indicator_links(risk: AssessedRisk) -> None:
    indicator_set = state.indicators()
    ids = indicators_for(risk, indicator_set)
    if not ids:
        st.caption(_("No monitoring indicator linked yet."))
        return
    st.markdown(_("**Monitored by**"))
    latest = dict(latest_readings(risk, state.snapshot().assessment, indicator_set))
    for indicator_id in ids:
        st.page_link("pages/indicators.py", query_params={"risk": str(risk.number)},
                     label=md_literal(indicator_label(indicator_id, 90)))
        if indicator_id in latest:  # what the indicator said last, so the card shows where the risk stands
            st.caption(md_format(_("Latest value: {reading}"), reading=reading_in_words(latest[indicator_id])))


def _own_fields(risk: AssessedRisk) -> None:
    where = f"card.{risk.number}"
    with st.expander(_("Edit or delete this risk")):
        key = f"assess.{risk.number}.statement"
        state.seed(key, risk.statement)
        st.text_area(_("Identified risk"), key=key, on_change=refusable(_restate, key), args=(risk.number, key))
        unsaved_text(key, risk.statement, lambda: _restate(risk.number, key))
        key = f"assess.{risk.number}.references"
        state.seed(key, ", ".join(risk.references))
        st.text_input(_("Toolkit references (comma-separated, e.g. 1.6, 1.7)"), key=key,
                      on_change=refusable(_cite, key), args=(risk.number, key))
        unsaved_text(key, ", ".join(risk.references), lambda: _cite(risk.number, key))
        key = f"assess.{risk.number}.indicator_ids"
        indicator_set = state.indicators()
        state.seed(key, [i for i in risk.indicator_ids if i in indicator_set.ids()])
        st.multiselect(_("Monitoring indicators"), indicator_set.ids(), key=key, placeholder=_("Choose indicators"),
                       format_func=lambda i: indicator_label(i, 80),
                       on_change=refusable(_link, where), args=(risk.number, key))
        key = f"assess.{risk.number}.internal"
        state.seed(key, risk.internal)
        st.checkbox(_("Internal: leave this risk out of shareable briefings"), key=key,
                    on_change=refusable(_keep_internal, where), args=(risk.number, key))
        with st.popover(_("Delete this risk")):
            st.write(_("Delete this risk with its rating, strategy and notes?"))
            st.button(_("Yes, delete"), key=f"assess.{risk.number}.delete", type="primary",
                      on_click=refusable(_delete_own), args=(risk.number,))


def risk_card(number: int) -> None:
    try:
        risk = assessed_risk(cat, state.assessment(), number)
    except UnknownRisk:  # deleted meanwhile: the picker falls back to the first risk
        return
    with st.container(border=True, key=f"card-{number}"):
        show_notice(f"card.{number}")  # a refused rating, example, link, action or restore of this card
        heading, history = st.columns([3, 1], vertical_alignment="center")
        heading.markdown("#### " + md_format(_("Risk {number} · your own") if risk.own else _("Risk {number}"),
                                             number=number))
        with history:
            follow_up.history(cat, number)
        st.text(risk.statement)
        if risk.references:
            st.caption(md_format(_("Toolkit sections: {sections}"), sections=", ".join(risk.references)))
        _pickers(risk, "assess", f"card.{number}")
        badge, summary = st.columns([1, 7], vertical_alignment="center")
        with badge:
            band_badge(cat, band_id(cat, risk), f"card-{number}")
        with summary:
            st.markdown(md_literal(rating_summary(cat, state.assessment(), risk)))
        if risk.room is not None:
            st.caption(md_format(_("Group rating recorded {when}, {votes}."),
                                 when=format_datetime(risk.room.recorded_at.astimezone(), "short"),
                                 votes=risk.room.describe(cat.scale.levels)))
        _strategy(risk)
        follow_up.plan(cat, risk, date.today())
        follow_up.residual(cat, risk)
        follow_up.review(cat, risk)
        key = f"assess.{number}.notes"
        state.seed(key, risk.notes)
        st.text_area(_("Notes"), key=key, height=80, on_change=refusable(_write_notes, key), args=(number, key))
        unsaved_text(key, risk.notes, lambda: _write_notes(number, key))
        _indicator_links(risk)
        if risk.own:
            _own_fields(risk)


def one_at_a_time(rows: tuple[AssessedRisk, ...]) -> None:
    numbers = [r.number for r in rows]
    statements = {r.number: r.statement for r in rows}
    current = state.current_risk(numbers)
    position = numbers.index(current)
    state.seed(PICK_KEY, current)
    pick, back, forward = st.columns([5, 1.6, 1.6], vertical_alignment="bottom")
    pick.selectbox(_("Risk"), numbers, key=PICK_KEY, on_change=refusable(_picked),
                   format_func=lambda n: numbered(n, shorten(statements[n], 100), n >= cat.first_own_number))
    back.button(_("← Previous"), key="assess.previous", disabled=position == 0, width="stretch",
                on_click=refusable(state.choose_risk), args=(numbers[max(position - 1, 0)],))
    forward.button(_("Next →"), key="assess.next", disabled=position == len(numbers) - 1, width="stretch",
                   on_click=refusable(state.choose_risk), args=(numbers[min(position + 1, len(numbers) - 1)],))
    rated = sum(r.rated for r in rows)
    st.caption(md_format(ngettext("Risk {position} of {count} · {rated} rated",
                                  "Risk {position} of {count} · {rated} rated", rated),
                         position=format_number(position + 1), count=format_number(len(numbers)),
                         rated=format_number(rated)))
    risk_card(current)


def quick_rating(rows: tuple[AssessedRisk, ...]) -> None:
    """Every risk as a row: its statement in full, its two pickers and its band."""
    rated = sum(r.rated for r in rows)
    st.caption(md_format(ngettext("{rated} of {count} rated · each choice is saved at once; open a risk in “{view}” "
                                  "for its strategy and notes",
                                  "{rated} of {count} rated · each choice is saved at once; open a risk in “{view}” "
                                  "for its strategy and notes", rated),
                         rated=format_number(rated), count=format_number(len(rows)), view=_(VIEWS["one"])))
    for risk in rows:
        where = f"quick.{risk.number}"
        with st.container(border=True, key=f"quick-{risk.number}"):
            show_notice(where)
            st.text(numbered(risk.number, risk.statement, risk.own))
            pickers, band = st.columns([4, 1], vertical_alignment="bottom")
            with pickers:
                _pickers(risk, "quick", where)
            with band:
                band_badge(cat, band_id(cat, risk), f"quick-{risk.number}")


def add_form() -> None:
    with st.form(NEW, border=True):
        st.markdown(md_format(_("**{heading}: add a risk**"), heading=cat.additional_risks_heading))
        show_notice(NEW)
        st.text_area(_("Identified risk"), key=f"{NEW}.statement")
        st.text_input(_("Toolkit references (comma-separated, optional)"), key=f"{NEW}.references")
        st.multiselect(_("Monitoring indicators"), state.indicators().ids(), key=f"{NEW}.indicators",
                       placeholder=_("Choose indicators"), format_func=lambda i: indicator_label(i, 80))
        add, cancel = st.columns(2)
        add.form_submit_button(_("Add risk"), type="primary", on_click=refusable(_add_own_risk, NEW), width="stretch")
        cancel.form_submit_button(_("Cancel"), on_click=refusable(state.stop_adding_risk, NEW), width="stretch")


@st.fragment
def workspace() -> None:
    show_notice()  # refusals of actions whose region is gone (a deleted risk), or from the address
    rows = register(cat, state.assessment())
    view, add = st.columns(2, vertical_alignment="bottom")  # room for the add button's words in French
    state.seed(VIEW_KEY, state.assess_view())
    view.segmented_control(pgettext("how Assess shows the risks", "View"), list(VIEWS), key=VIEW_KEY,
                           format_func=lambda v: _(VIEWS[v]),
                           on_change=refusable(_view_chosen))
    if state.adding_risk():
        add_form()
    else:
        add.button(_("Add a risk you have identified"), key="assess.add", icon=":material/add:", width="stretch",
                   on_click=refusable(state.start_adding_risk))
        if state.assess_view() == "quick":
            quick_rating(rows)
        else:
            one_at_a_time(rows)
    if st.toggle(_("Show the whole register as a table"), key="assess.show_table", persist_state="session"):
        st.table(register_table(cat, rows), alt=_("The risk register: each risk with its likelihood, impact, "
                                                  "band and mitigation strategy"))


st.title(_("Assess the risks"))
st.caption(md_literal(cat.instructions))
st.html(band_badge_styles(cat))
everything = register(cat, state.assessment())
arrived_for = state.risk_from_address([r.number for r in everything])
if arrived_for is not None:  # a link to one risk (from the gaps, the indicators) opens its card
    state.choose_risk(arrived_for)
    state.choose_assess_view("one")
workspace()
