"""Indicators (4.3.5): the monitoring indicators and the risks each monitors."""

import pandas as pd
import streamlit as st

from riskkit.catalogue import parse_indicator_upload
from riskkit.rules import indicators_for, register
from ui import state
from ui.text import md_literal, shorten, show_success, show_warning
from ui.widgets import refusable, show_notice

FILTER_KEY = "indicators.risk"
UPLOAD_KEY = "indicators.upload"
HERE = "indicators.list"  # where a refused or failed change of the list is said
TABLE_ROWS = 200

cat = state.catalogue()


def _replace() -> None:
    upload = st.session_state[UPLOAD_KEY]
    if upload is not None:  # parse errors (a missing column, a bad id) are refused in words
        state.use_indicators(parse_indicator_upload(upload.name, upload.getvalue(), cat), HERE)


def _restore_draft() -> None:
    state.use_indicators(None, HERE)


rows = register(cat, state.assessment())
numbers = [r.number for r in rows]
statements = {r.number: r.statement for r in rows}

arrived_for = state.risk_from_address(numbers)
if arrived_for is not None:
    st.session_state[FILTER_KEY] = arrived_for

st.title(md_literal(f"Monitoring indicators ({cat.monitoring.section})"))
show_notice()
indicator_set = state.indicators()
if indicator_set.draft:
    show_warning(indicator_set.notice or "These are draft indicators.")
else:
    show_success(f"Using your own indicator list: {indicator_set.title}")

if st.session_state.get(FILTER_KEY) not in numbers:
    st.session_state.pop(FILTER_KEY, None)
risk = st.selectbox("Show the indicators monitoring", numbers, key=FILTER_KEY, index=None,
                    placeholder="All risks", format_func=lambda n: f"Risk {n}: {shorten(statements[n], 90)}")

monitors = {r.number: set(indicators_for(r, indicator_set)) for r in rows}
shown = [i for i in indicator_set.indicators if risk is None or i.id in monitors[risk]]
st.caption(md_literal(f"{len(shown)} of {len(indicator_set.indicators)} indicators"
                      + (f" monitor risk {risk}." if risk is not None else ".")))
monitored_by: dict[str, list[str]] = {}
for number in numbers:
    for indicator_id in monitors[number]:
        monitored_by.setdefault(indicator_id, []).append(str(number))
table = pd.DataFrame({
    "Id": [i.id for i in shown],
    "Indicator": [i.wording for i in shown],
    "Kind": [i.kind for i in shown],
    "Disaggregate by": [", ".join(i.disaggregation) or "–" for i in shown],
    "Monitors risks": [", ".join(monitored_by.get(i.id, ())) or "–" for i in shown],
})
if len(shown) <= TABLE_ROWS:
    # A table wraps long wordings so they read in full; it renders Markdown in its cells, and an
    # uploaded list is user text, so every cell is escaped.
    st.table(table.map(md_literal), hide_index=True)
else:
    # Thousands of rows: a data grid draws only the rows in view (and shows cells as plain text).
    st.caption(md_literal(f"A long list: shown as a grid you can scroll, sort and search ({len(shown):,} rows)."))
    st.dataframe(table, hide_index=True, width="stretch", key="indicators.table",
                 column_config={"Indicator": st.column_config.TextColumn(width="large")})

st.divider()
st.subheader("Use your own indicator list")
st.caption("A CSV with the columns id, wording, kind, disaggregation, risks (lists separated by ';'), "
           "or a YAML file in the format of data/indicators.yaml. See the README.")
upload = st.file_uploader("Indicator list (.csv or .yaml)", type=["csv", "yaml", "yml"], key=UPLOAD_KEY)
if upload is not None:
    st.button("Replace the indicators with this list", key="indicators.replace",
              on_click=refusable(_replace, HERE))
if not indicator_set.draft:
    st.button("Go back to the draft indicators", key="indicators.restore",
              on_click=refusable(_restore_draft, HERE))
show_notice(HERE)  # a refused list, or a save that failed, under the buttons
