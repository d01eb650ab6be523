"""Overview: the section's goals and instructions, progress, and a compact heat map."""

import streamlit as st

from riskkit.charts import heatmap_figure
from riskkit.rules import progress, register
from ui import state
from ui.text import md_literal, show_info
from ui.widgets import policy_picker, progress_metrics, show_notice

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
st.caption(md_literal(f"Monitoring and evaluation: {cat.monitoring.text}"))

left, right = st.columns([3, 2])
with left:
    st.subheader("Progress")
    progress_metrics(progress(cat, assessment))
    policy_picker("overview.policy")
    st.page_link("pages/assess.py", label="Rate the risks", icon=":material/edit_note:")
    st.page_link("pages/gaps.py", label="See the mitigation gaps", icon=":material/report:")
with right:
    st.subheader("Heat map")
    st.plotly_chart(heatmap_figure(cat, register(cat, assessment), compact=True), key="overview.heatmap", theme=None,
                    config={"staticPlot": True, "displayModeBar": False})
    st.page_link("pages/heatmap.py", label="Open the full heat map", icon=":material/grid_on:")
