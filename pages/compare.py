"""Compare: two states of a register side by side (a snapshot and now, or two workshops), as a
follow-up workshop asks: which risks moved, which gaps opened or closed, what changed in the
strategies and the actions, and what the indicators said then and say now."""

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from riskkit import words
from riskkit.charts import arrows_figure, cell_in_words, movement, number_in_words, reading_in_words
from riskkit.compare import ActionChange, Comparison, IndicatorThenNow, compare
from riskkit.errors import RiskkitError
from riskkit.i18n import gettext as _
from riskkit.i18n import long_date
from riskkit.models import Action, AssessedRisk, IndicatorSet
from riskkit.rules import Cell, Gap
from riskkit.snapshot import Snapshot, Summary
from ui import state
from ui.text import md_literal, show_error, show_info, show_success, show_warning

THEN_KEY = "compare.then"
NOW_KEY = "compare.now"
CHART_KEY = "compare.moves_chart"

cat = state.catalogue()


def _name(summary: Summary) -> str:
    """'Workshop 2 · Kenya · 3 Mar 2025': the title, the context and the day it was held (or saved)."""
    day = (long_date(summary.held_on, "medium") if summary.held_on is not None
           else _("saved {day}").format(day=long_date(summary.updated_at.date(), "medium")))
    return " · ".join(part for part in (summary.title, summary.context, day) if part)


def _choose(summaries: Sequence[Summary]) -> tuple[str, str]:
    """The two assessments: by default the open one is "now" and the most recently saved other
    one (a snapshot just made with Assessments → Duplicate) is "then"."""
    ids = [s.id for s in summaries]
    names = {s.id: _name(s) for s in summaries}
    open_id = state.snapshot().summary.id
    if st.session_state.get(NOW_KEY) not in ids:
        st.session_state[NOW_KEY] = open_id if open_id in ids else ids[0]
    if st.session_state.get(THEN_KEY) not in ids:
        st.session_state[THEN_KEY] = next(i for i in ids if i != st.session_state[NOW_KEY])
    then_column, now_column = st.columns(2)
    then_id = then_column.selectbox(md_literal(_("Then")), ids, key=THEN_KEY, format_func=names.__getitem__)
    now_id = now_column.selectbox(md_literal(_("Now")), ids, key=NOW_KEY, format_func=names.__getitem__)
    return then_id, now_id


def _load(assessment_id: str) -> Snapshot:
    if assessment_id == state.snapshot().summary.id:
        return state.snapshot()
    return state.store().load(assessment_id)


def _indicators(snapshot: Snapshot) -> IndicatorSet:
    return snapshot.assessment.indicators or state.default_indicators()


def _risk(number: int, statement: str) -> str:
    return f"{number}. {' '.join(statement.split())}"


def _counts(result: Comparison) -> None:
    figures: tuple[tuple[str, int | str], ...] = (
        (_("Risks moved"), len(result.moved)), (_("Gaps opened"), len(result.gaps_opened)),
        (_("Gaps closed"), len(result.gaps_closed)), (_("Strategies changed"), len(result.strategies)),
        (_("Action changes"), len(result.actions)))
    with st.container(horizontal=True, gap="large", key="compare-counts"):  # wraps rather than cut a label
        for label, value in figures:
            st.metric(md_literal(label), value, width="content")


def _moved(result: Comparison) -> None:
    st.subheader(md_literal(_("Risks that moved ({count})").format(count=len(result.moved))))
    if not result.moved:
        st.caption(md_literal(_("Every risk is in the same cell of the heat map as before.")))
        return
    moved = movement(result.moved)
    chart, side = st.columns([5, 3])
    if moved.arrows:
        chart.plotly_chart(arrows_figure(cat, moved.arrows, start_name=_("Then"), end_name=_("Now"), height=460),
                           key=CHART_KEY, theme=None, config={"displayModeBar": False, "scrollZoom": False})
    with side.container(key="compare-moves-words"):
        st.markdown("**" + md_literal(_("Each arrow runs from a risk's cell then (white circle) to its cell now "
                                        "(black square).")) + "**")
        for numbers, said in ((moved.arrows and [a.number for a in moved.arrows], _("{numbers}: moved")),
                              (moved.start_only, _("{numbers}: rated then, not rated now")),
                              (moved.end_only, _("{numbers}: not rated then, rated now"))):
            if numbers:
                st.text(said.format(numbers=", ".join(str(n) for n in numbers)))
    table = pd.DataFrame([{_("Risk"): _risk(m.number, m.statement), _("Then"): cell_in_words(cat, m.before),
                           _("Now"): cell_in_words(cat, m.after)} for m in result.moved])
    st.dataframe(table, hide_index=True, width="stretch", key="compare.moves_table",
                 column_config={_("Risk"): st.column_config.TextColumn(width="large")})


def _cell(risk: AssessedRisk) -> Cell | None:
    return (risk.likelihood, risk.impact) if risk.likelihood is not None and risk.impact is not None else None


def _risks_table(risks: Sequence[AssessedRisk], key: str) -> None:
    table = pd.DataFrame([{_("Risk"): _risk(r.number, r.statement),
                           _("Rating"): cell_in_words(cat, _cell(r))}
                          for r in risks])
    st.dataframe(table, hide_index=True, width="stretch", key=key,
                 column_config={_("Risk"): st.column_config.TextColumn(width="large")})


def _added_and_removed(result: Comparison) -> None:
    if not (result.added_risks or result.removed_risks):
        return
    st.subheader(md_literal(_("Risks added ({added}) and removed ({removed})").format(
        added=len(result.added_risks), removed=len(result.removed_risks))))
    if result.added_risks:
        st.markdown("**" + md_literal(_("Added since then")) + "**")
        _risks_table(result.added_risks, "compare.added")
    if result.removed_risks:
        st.markdown("**" + md_literal(_("Removed since then")) + "**")
        _risks_table(result.removed_risks, "compare.removed")


def _gaps(result: Comparison) -> None:
    st.subheader(md_literal(_("Gaps opened ({opened}) and closed ({closed})").format(
        opened=len(result.gaps_opened), closed=len(result.gaps_closed))))
    if not (result.gaps_opened or result.gaps_closed):
        st.caption(md_literal(_("The same mitigation gaps as before.")))
        return

    def row(gap: Gap, change: str) -> dict[str, str]:
        return {_("Change"): change, _("Risk"): _risk(gap.number, gap.statement), _("Gap"): words.gap_kind(gap.kind),
                _("Why"): gap.explanation}

    table = pd.DataFrame([*(row(g, _("closed")) for g in result.gaps_closed),
                          *(row(g, _("opened")) for g in result.gaps_opened)])
    st.dataframe(table, hide_index=True, width="stretch", key="compare.gaps",
                 column_config={_("Risk"): st.column_config.TextColumn(width="large")})


def _strategies(result: Comparison) -> None:
    if not result.strategies:
        return
    st.subheader(md_literal(_("Strategies changed ({count})").format(count=len(result.strategies))))
    for change in result.strategies:
        with st.container(border=True, key=f"compare-strategy-{change.number}"):
            st.text(_risk(change.number, change.statement))
            before, after = st.columns(2)
            before.markdown("**" + md_literal(_("Then")) + "**")
            before.text(change.before or _("(no strategy)"))
            after.markdown("**" + md_literal(_("Now")) + "**")
            after.text(change.after or _("(no strategy)"))


def _action_words(action: Action | None) -> str:
    if action is None:
        return ""
    parts = [action.what, action.who, long_date(action.due, "medium"), words.action_status(action.status)]
    return " · ".join(part for part in parts if part)


def _action_change(change: ActionChange) -> str:
    if change.before is None:
        return _("added")
    if change.after is None:
        return _("removed")
    if change.before.status != change.after.status:
        return _("status: {before} → {after}").format(before=words.action_status(change.before.status),
                                                      after=words.action_status(change.after.status))
    return _("changed")


def _actions(result: Comparison) -> None:
    if not result.actions:
        return
    st.subheader(md_literal(_("Actions added, removed or changed ({count})").format(count=len(result.actions))))
    table = pd.DataFrame([{_("Risk"): _risk(c.number, c.statement), _("Change"): _action_change(c),
                           _("Then"): _action_words(c.before), _("Now"): _action_words(c.after)}
                          for c in result.actions])
    st.dataframe(table, hide_index=True, width="stretch", key="compare.actions",
                 column_config={_("Then"): st.column_config.TextColumn(width="large"),
                                _("Now"): st.column_config.TextColumn(width="large")})


def _indicator_values(rows: Sequence[IndicatorThenNow]) -> None:
    if not rows:
        return
    st.subheader(md_literal(_("Indicator values then and now ({count})").format(count=len(rows))))
    table = pd.DataFrame([{_("Indicator"): f"{i.indicator_id}: {' '.join(i.wording.split())}",
                           _("Then"): reading_in_words(i.before), _("Now"): reading_in_words(i.after),
                           _("Target"): number_in_words(i.target)} for i in rows])
    st.dataframe(table, hide_index=True, width="stretch", key="compare.indicators",
                 column_config={_("Indicator"): st.column_config.TextColumn(width="large")})


st.title(md_literal(_("Compare")))
st.caption(md_literal(_("Two assessments side by side: a snapshot made with Assessments → Duplicate and the "
                        "register now, or two workshops. Risks are matched by their number.")))
summaries = state.store().list()
if len(summaries) < 2:
    show_info(_("There is only one assessment, so nothing to compare with. Before a follow-up workshop, make a "
                "snapshot of it with Assessments → Duplicate; compare the snapshot with the register afterwards."))
    st.page_link("pages/assessments.py", label=md_literal(_("Open Assessments")), icon=":material/folder_open:")
    st.stop()

then_id, now_id = _choose(summaries)
if then_id == now_id:
    show_warning(_("Choose two different assessments to compare."))
    st.stop()
try:
    then, now = _load(then_id), _load(now_id)
except RiskkitError as exc:  # deleted meanwhile, or the database not answering
    show_error(str(exc))
    st.stop()
result = compare(cat, then.assessment, now.assessment, _indicators(then), _indicators(now))
if result.nothing_changed:
    show_success(_("Nothing changed between these two assessments: the same ratings, gaps, strategies, actions "
                   "and indicator values."))
else:
    _counts(result)
    _moved(result)
    _added_and_removed(result)
    _gaps(result)
    _strategies(result)
    _actions(result)
_indicator_values(result.indicators)
