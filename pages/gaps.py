"""Mitigation gaps: what the register still lacks under the policy in force."""

import streamlit as st

from riskkit.rules import GAP_ORDER, mitigation_gaps, policy_in_force
from ui import state
from ui.widgets import policy_picker, show_notice

PER_PAGE = 25
HEADINGS = {
    "no strategy": "Rated risks that require a strategy and have none",
    "not rated": "Risks not rated yet",
    "example adopted as-is": "Strategies adopted as-is from the example, not yet tailored",
    "no indicator": "Your own risks with no monitoring indicator linked",
}

cat = state.catalogue()

st.title("Mitigation gaps")
show_notice()
policy_picker("gaps.policy")
assessment = state.assessment()
gaps = mitigation_gaps(cat, assessment, state.indicators())
policy = policy_in_force(cat, assessment)
hard = sum(not g.soft for g in gaps)
st.markdown(f"**{hard} gap(s)** and {len(gaps) - hard} flag(s) under the policy in force: "
            f"*{policy.label}*.")

kinds = [kind for kind in GAP_ORDER if any(g.kind == kind for g in gaps)]
if not kinds:
    st.success("No gaps: every risk is rated and every required strategy is written.")
for kind in kinds:
    of_kind = [g for g in gaps if g.kind == kind]
    st.subheader(f"{HEADINGS[kind]} ({len(of_kind)})")
    pages = max(1, -(-len(of_kind) // PER_PAGE))
    page = st.pagination(pages, key=f"gaps.page.{kind}") if pages > 1 else 1
    for gap in of_kind[(page - 1) * PER_PAGE: page * PER_PAGE]:
        with st.container(border=True):
            number, text, link = st.columns([1, 8, 2], vertical_alignment="center")
            number.markdown(f"**{gap.number}**")
            text.text(gap.statement)
            text.caption(gap.explanation)
            link.page_link("pages/assess.py", label="Open in Assess", query_params={"risk": str(gap.number)})
