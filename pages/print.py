"""Print view: the heat map and the register laid out for the browser's print to PDF."""

import pandas as pd
import streamlit as st

from riskkit.charts import heatmap_figure
from riskkit.i18n import gettext as _
from riskkit.rules import register
from ui import state
from ui.levels import band_word, level_word
from ui.register import band_id
from ui.text import md_literal

# Static CSS of ours (no user text): when printing, drop the app's chrome and widgets
# and start the register on a page of its own.
st.html("""<style>
@page { size: A4; margin: 15mm; }
@media print {
  /* Streamlit scrolls inside fixed-height boxes; a printer needs one long, breakable page */
  [data-testid="stApp"], [data-testid="stAppViewContainer"], [data-testid="stMain"],
  [data-testid="stTable"], [data-testid="stTable"] > div {
    overflow: visible !important; height: auto !important; position: static !important;
    display: block !important; }
  /* an inline table cannot be split across pages: make it a block-level table */
  [data-testid="stTable"] table { display: table !important; width: 100% !important; }
  .st-key-print-hint, [data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"],
  [data-testid="stDecoration"], [data-testid="stPageLink"], [data-testid="stElementToolbar"],
  [data-testid="stSidebarCollapsedControl"], .stButton { display: none !important; }
  [data-testid="stMainBlockContainer"] { padding: 0 !important; max-width: 100% !important; }
  .riskkit-page-break { break-before: page; page-break-before: always; }
  tr { break-inside: avoid; }
}
</style>""")

cat = state.catalogue()
snapshot = state.snapshot()
rows = register(cat, snapshot.assessment)
summary = snapshot.summary

st.title(md_literal(summary.title))
details = [summary.context, summary.held_on.isoformat() if summary.held_on else "",
           _("Toolkit section {number}: {title}").format(number=cat.section.number, title=cat.section.title)]
st.caption(md_literal(" · ".join(d for d in details if d)))
st.container(key="print-hint").caption(
    _("Use the browser's Print (Ctrl+P) and choose 'Save as PDF'. The heat map prints on the first page, "
      "the register from the second."))
# A fixed width: printing does not redraw the chart, so it must fit A4 whatever the window's width.
figure = heatmap_figure(cat, rows)
figure.update_layout(width=700, autosize=False)
st.plotly_chart(figure, key="print.heatmap", theme=None, width="content",
                config={"staticPlot": True, "displayModeBar": False})
st.html('<div class="riskkit-page-break"></div>')
st.subheader(_("Risk register"))
st.table(pd.DataFrame({
    _("Identified risk"): [md_literal(f"{r.number}. {r.statement}" + (f" ({', '.join(r.references)})"
                                                                      if r.references else "")) for r in rows],
    _("Likelihood"): [level_word(r.likelihood) for r in rows],
    _("Impact"): [level_word(r.impact) for r in rows],
    _("Band"): [band_word(band_id(cat, r)) for r in rows],
    _("Risk mitigation strategy"): [md_literal(r.strategy) or "–" for r in rows],
}), hide_index=True)
