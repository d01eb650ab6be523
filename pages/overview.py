"""Overview: the section's goals and instructions, progress, a compact heat map, and the
follow-up: the register's review date, what is due for review and which actions are overdue."""

from datetime import date

import streamlit as st

from riskkit.charts import heatmap_figure
from riskkit.i18n import format_date, format_number, ngettext
from riskkit.i18n import gettext as _
from riskkit.plan import action_plan, reviews_due
from riskkit.rules import progress, register
from ui import state
from ui.text import md_format, md_literal, shorten, show_info
from ui.widgets import policy_picker, progress_metrics, refusable, show_notice

REVIEW_KEY = "overview.review_on"

cat = state.catalogue()
assessment = state.assessment()

st.title(md_literal(f"{cat.section.number} {cat.section.title}"))
show_notice()
goals = st.columns(len(cat.goals))
for column, goal in zip(goals, cat.goals, strict=True):
    with column.container(border=True):
        st.markdown("**" + md_literal(goal.name) + "**")
        st.text(goal.text)
show_info(cat.instructions)
st.caption(md_format(_("Monitoring and evaluation: {text}"), text=cat.monitoring.text))

left, right = st.columns([3, 2])
with left:
    st.subheader(_("Progress"))
    progress_metrics(progress(cat, assessment))
    policy_picker("overview.policy")
    st.page_link("pages/assess.py", label=_("Rate the risks"), icon=":material/edit_note:")
    st.page_link("pages/gaps.py", label=_("See the mitigation gaps"), icon=":material/report:")
with right:
    st.subheader(_("Heat map"))
    st.plotly_chart(heatmap_figure(cat, register(cat, assessment), compact=True), key="overview.heatmap", theme=None,
                    config={"staticPlot": True, "displayModeBar": False})
    st.page_link("pages/heatmap.py", label=_("Open the full heat map"), icon=":material/grid_on:")


def _schedule_review() -> None:
    day = st.session_state[REVIEW_KEY]
    state.commit(lambda a: a.schedule_review(day if isinstance(day, date) else None), REVIEW_KEY)


today = date.today()
st.subheader(_("Follow-up"))
when, due, late = st.columns([2, 3, 3])
with when:
    state.seed(REVIEW_KEY, assessment.review_on)
    st.date_input(_("Review the whole register by"), key=REVIEW_KEY, format="YYYY-MM-DD",
                  on_change=refusable(_schedule_review, REVIEW_KEY))
    show_notice(REVIEW_KEY)
with due.container(border=True, key="overview-reviews"):
    st.markdown("**" + _("Due for review") + "**")
    reviews = reviews_due(cat, assessment, today)
    if not reviews:
        st.caption(_("Nothing is due for review in the next 30 days."))
    for item in reviews:
        day = format_date(item.on)
        said = (_("overdue: was due {date}") if item.overdue else _("due {date}")).format(date=day)
        if item.number is None:
            st.markdown((":material/schedule: " if item.overdue else ":material/event: ")
                        + md_format(_("The whole register · {due}"), due=said))
        else:
            # A link's label stays on one line, cut to the column: the link names the risk, and when it
            # is due is said below it in full ("en retard : échéance le 17 nov. 2026" is longer than a third).
            st.page_link("pages/assess.py", query_params={"risk": str(item.number)},
                         icon=":material/schedule:" if item.overdue else ":material/event:",
                         label=md_format(_("Risk {number}"), number=item.number))
            st.markdown(md_literal(said))
            st.caption(md_literal(shorten(item.statement, 110)))
with late.container(border=True, key="overview-overdue"):
    st.markdown("**" + _("Overdue actions") + "**")
    overdue = [row for row in action_plan(cat, assessment, today) if row.overdue]
    if not overdue:
        st.caption(_("No action is overdue."))
    for row in overdue[:8]:
        st.markdown(":material/schedule: " + md_format(
            _("Risk {number}: {what} ({who}), was due {date}"), number=row.number, what=shorten(row.action.what, 70),
            who=row.action.who or _("no one named yet"), date=format_date(row.action.due)))
    if len(overdue) > 8:
        st.caption(md_format(ngettext("and {count} more", "and {count} more", len(overdue) - 8),
                             count=format_number(len(overdue) - 8)))
    st.page_link("pages/action_plan.py", label=_("Open the action plan"), icon=":material/checklist:")
