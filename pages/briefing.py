"""Briefing: the heat map, a Word report, a slide pack and data files to download."""

import streamlit as st

from riskkit.charts import heatmap_figure
from riskkit.exchange import Exported
from riskkit.outputs import MIME, build, file_name
from riskkit.rules import register, shareable_copy
from ui import state
from ui.widgets import download

cat = state.catalogue()
snapshot = state.snapshot()
summary = snapshot.summary
about = Exported(title=summary.title, context=summary.context, held_on=summary.held_on)

st.title("Briefing")
st.caption("Documents to send after a workshop: a Word annex, slides for a donor or ministry, "
           "images for an email, the register as a spreadsheet.")
shareable = st.toggle("Shareable version: leave out notes and the own risks marked internal",
                      key="briefing.shareable", persist_state="session")
assessment = shareable_copy(snapshot.assessment) if shareable else snapshot.assessment
st.plotly_chart(heatmap_figure(cat, register(cat, assessment), compact=True), key="briefing.preview",
                theme=None, config={"staticPlot": True, "displayModeBar": False})

OUTPUTS = [
    ("docx", "projector", "Word report", ":material/description:"),
    ("pptx", "projector", "PowerPoint briefing pack", ":material/slideshow:"),
    ("png", "projector", "Heat map image, 1920x1080", ":material/image:"),
    ("png", "email", "Heat map image for email, 960x540", ":material/image:"),
    ("svg", "projector", "Heat map as SVG", ":material/image:"),
    ("xlsx", "projector", "Excel register", ":material/table:"),
    ("json", "projector", "JSON (every field)", ":material/data_object:"),
]
columns = st.columns(2)
in_use = state.indicators()  # this person's assessment and indicators, now: every file is built from these
for index, (fmt, size, label, icon) in enumerate(OUTPUTS):
    download(columns[index % 2], label, build, fmt, about, snapshot.assessment, cat, in_use, shareable, size,
             file_name=file_name(summary.title, fmt, shareable, size), mime=MIME[fmt],
             key=f"briefing.{fmt}.{size}", icon=icon, width="stretch")
st.caption("The first image takes a few seconds while the drawing browser starts; later ones are quick. "
           "The same files come from the command line: `riskkit export ASSESSMENT --format docx --out "
           "report.docx` (see the README).")
st.page_link("pages/print.py", label="Open the print view (then print to PDF from the browser)",
             icon=":material/print:")
