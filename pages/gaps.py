"""Mitigation gaps: what the register still lacks under the policy in force."""

import pandas as pd
import streamlit as st

from riskkit import words
from riskkit.i18n import N_, ngettext
from riskkit.i18n import gettext as _
from riskkit.rules import GAP_ORDER, mitigation_gaps
from ui import state
from ui.text import md_format, md_literal, shorten
from ui.widgets import policy_picker, show_notice

HEADINGS = {  # by gap kind id
    "no_strategy": N_("Rated risks that require a strategy and have none"),
    "not_rated": N_("Risks not rated yet"),
    "example_as_is": N_("Strategies adopted as-is from the example, not yet tailored"),
    "no_indicator": N_("Your own risks with no monitoring indicator linked"),
}
OPEN_KEY = "gaps.open"

cat = state.catalogue()

st.title(_("Mitigation gaps"))
show_notice()
policy_picker("gaps.policy")
assessment = state.assessment()
gaps = mitigation_gaps(cat, assessment, state.indicators())
hard = sum(not g.soft for g in gaps)
st.markdown(md_format(ngettext("**{gaps} gap** and {flags} flag(s) under the policy in force: *{policy}*.",
                               "**{gaps} gaps** and {flags} flag(s) under the policy in force: *{policy}*.", hard),
                      gaps=hard, flags=len(gaps) - hard, policy=words.policy(assessment.policy)))

if not gaps:
    st.success(_("No gaps: every risk is rated and every required strategy is written."))
else:
    numbers = list(dict.fromkeys(g.number for g in gaps))
    statements = {g.number: g.statement for g in gaps}
    pick, go = st.columns([3, 2], vertical_alignment="bottom")  # room for the link in French and Spanish
    chosen = pick.selectbox(_("Open a risk in Assess"), numbers, key=OPEN_KEY,
                            format_func=lambda n: f"{n}. {shorten(statements[n], 90)}")
    go.page_link("pages/assess.py", label=md_format(_("Open risk {number} in Assess"), number=chosen),
                 icon=":material/edit_note:", query_params={"risk": str(chosen)})

for kind in GAP_ORDER:
    of_kind = [g for g in gaps if g.kind == kind]
    if not of_kind:
        continue
    st.subheader(md_format(_("{heading} ({count})"), heading=_(HEADINGS[kind]), count=len(of_kind)))
    # st.table renders Markdown in cells: every cell that can hold user text is escaped.
    st.table(pd.DataFrame({_("No."): [str(g.number) for g in of_kind],
                           _("Identified risk"): [md_literal(g.statement) for g in of_kind],
                           _("Why"): [md_literal(g.explanation) for g in of_kind]}),
             hide_index=True)
