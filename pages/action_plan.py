"""Action plan: every action of the open assessment, overdue first, by owner, due date and
status; filters; a status changed here is saved at once, as on the risk's card."""

from datetime import date
from typing import cast

import pandas as pd
import streamlit as st

from riskkit import words
from riskkit.i18n import format_date, format_number, ngettext, pgettext
from riskkit.i18n import gettext as _
from riskkit.models import ActionStatus
from riskkit.outputs import file_name, plan_csv, words_for
from riskkit.plan import PlannedAction, action_plan, filtered, owners
from ui import language, state
from ui.levels import NONE
from ui.text import md_format, md_literal, shorten
from ui.widgets import download, refusable, show_notice

WHO, STATUSES, OVERDUE = "plan.who", "plan.statuses", "plan.overdue_only"
PICK, STATUS = "plan.pick", "plan.status"
UPDATE = "plan.update"  # the region a refused status change is said in

cat = state.catalogue()
today = date.today()


def overdue_words(row: PlannedAction) -> str:
    return "⚠ " + _("Overdue") if row.overdue else ""


def plan_frame(rows: tuple[PlannedAction, ...]) -> pd.DataFrame:
    """The plan as a table a person reads, every cell escaped for st.table (it renders Markdown)."""
    columns = [_("No."), _("Risk"), _("Action"), _("Who"), _("Due"), _("Status"), _("Overdue")]
    cells = [(str(r.number), shorten(r.statement, 60), r.action.what, r.action.who or NONE,
              format_date(r.action.due) or NONE, words.action_status(r.action.status), overdue_words(r))
             for r in rows]
    return pd.DataFrame([[md_literal(cell) for cell in row] for row in cells], columns=columns)


def _row_id(row: PlannedAction) -> str:
    return f"{row.number}:{row.action.id}"


def _change_status(number: int, action_id: str) -> None:
    status = st.session_state[STATUS]
    if status in words.ACTION_STATUSES:  # a second click on the chosen status clears the control: keep it
        state.commit(lambda a: a.change_action(cat, number, action_id, status=cast(ActionStatus, status)), UPDATE)


def status_update(rows: tuple[PlannedAction, ...]) -> None:
    """Change one action's status without leaving the page."""
    by_id = {_row_id(r): r for r in rows}
    if st.session_state.get(PICK) not in by_id:
        st.session_state[PICK] = _row_id(rows[0])
    # One under the other: four statuses in French or Spanish are wider than two fifths of the page.
    st.selectbox(_("Action"), list(by_id), key=PICK,
                 format_func=lambda i: f"{by_id[i].number}. {shorten(by_id[i].action.what, 80)}")
    chosen = by_id[st.session_state[PICK]]
    state.seed(STATUS, chosen.action.status)
    st.segmented_control(_("Status"), list(words.ACTION_STATUSES), key=STATUS, format_func=words.action_status,
                         on_change=refusable(_change_status, UPDATE), args=(chosen.number, chosen.action.id))
    show_notice(UPDATE)


st.title(_("Action plan"))
show_notice()
everything = action_plan(cat, state.assessment(), today)
if not everything:
    st.info(_("No action is planned yet. Add actions on each risk's card in Assess: what is to be done, "
              "who does it and by when."), icon=":material/info:")
    st.page_link("pages/assess.py", label=_("Plan the actions on Assess"), icon=":material/edit_note:")
    st.stop()

counts = st.columns([2, 2, 2, 3], vertical_alignment="center")
written_in = state.snapshot().summary.language  # the assessment's language for its exports
download(counts[3], _("Download the plan (CSV)"), plan_csv, written_in,
         words_for(written_in, language.official_wording(state.snapshot().summary.id, written_in),
                   state.assessment())[0], state.assessment(), today,
         file_name=file_name(state.snapshot().summary.title, "csv").removesuffix(".csv") + "-action-plan.csv",
         mime="text/csv", key="plan.csv", icon=":material/download:")
counts[0].metric(_("Actions"), format_number(len(everything)))
# Counts of actions: the words agree with many ("Vencidas"), unlike a status or a column header.
counts[1].metric(pgettext("a count of actions", "Overdue"), format_number(sum(r.overdue for r in everything)))
counts[2].metric(pgettext("a count of actions", "Done"),
                 format_number(sum(r.action.status == "done" for r in everything)))

named = owners(everything)
st.session_state[WHO] = [w for w in st.session_state.get(WHO, []) if w in named]  # an owner renamed meanwhile
who, statuses, overdue_only = st.columns([5, 5, 4], vertical_alignment="bottom")  # "En retard uniquement"
who.multiselect(_("Who"), named, key=WHO, placeholder=_("Everyone"))
statuses.multiselect(_("Status"), list(words.ACTION_STATUSES), key=STATUSES, format_func=words.action_status,
                     placeholder=_("Any status"))
overdue_only.toggle(_("Overdue only"), key=OVERDUE)
shown = filtered(everything, who=st.session_state[WHO], statuses=st.session_state[STATUSES],
                 overdue_only=st.session_state[OVERDUE])
st.caption(md_format(ngettext("{shown} of {total} action shown · overdue first, then by due date",
                              "{shown} of {total} actions shown · overdue first, then by due date", len(everything)),
                     shown=format_number(len(shown)), total=format_number(len(everything))))
if shown:
    st.table(plan_frame(shown), alt=_("The action plan: each action with its risk, who does it, its due date, "
                                      "its status and whether it is overdue"))
    with st.expander(_("Change the status of an action"), icon=":material/edit:"):
        status_update(shown)
else:
    st.caption(_("No action matches these filters."))
