"""Indicators (4.3.5): the monitoring indicators and the risks each monitors."""

import math
from collections.abc import Sequence
from datetime import date

import pandas as pd
import streamlit as st

from riskkit import words
from riskkit.catalogue import parse_indicator_upload
from riskkit.charts import indicator_figure, number_in_words, reading_in_words
from riskkit.errors import InvalidEdit
from riskkit.i18n import format_number, long_date, ngettext
from riskkit.i18n import gettext as _
from riskkit.limits import file_label
from riskkit.models import Indicator, IndicatorSet
from riskkit.rules import indicators_for, register
from riskkit.tracks_file import read_tracks
from ui import language, state
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


# --- values over time: baseline, target, dated values, a chart each ---------------------------

VALUES = "indicators.values"  # where a refused or failed change of the values is said
PICK_KEY = f"{VALUES}.pick"
UPLOAD_VALUES_KEY = f"{VALUES}.upload"
RECORDED_KEY = f"{VALUES}.recorded"  # what the last upload recorded, said once
CHARTS_PAGE_KEY = f"{VALUES}.charts_page"
CHARTS_PER_PAGE = 6


def _set_bounds(indicator_id: str) -> None:
    baseline = st.session_state[f"{VALUES}.{indicator_id}.baseline"]
    target = st.session_state[f"{VALUES}.{indicator_id}.target"]
    state.commit(lambda a: a.set_baseline_and_target(indicator_id, None if baseline is None else float(baseline),
                                                     None if target is None else float(target)), VALUES)


def _add_value(indicator_id: str) -> None:
    form = f"{VALUES}.{indicator_id}.add"
    on, value = st.session_state[f"{form}.date"], st.session_state[f"{form}.value"]
    if on is None or value is None:
        raise InvalidEdit(_("A value needs the date it was measured on and the number measured."))
    source = st.session_state[f"{form}.source"] or ""
    state.commit(lambda a: a.record_reading(indicator_id, on, float(value), source), VALUES)


def _remove_value(indicator_id: str) -> None:
    chosen = st.session_state[f"{VALUES}.{indicator_id}.remove"]
    if chosen is None:
        raise InvalidEdit(_("Choose the value to remove first."))
    on, source = chosen
    state.commit(lambda a: a.remove_reading(indicator_id, date.fromisoformat(on), source), VALUES)


def _record_upload(indicators: IndicatorSet) -> None:
    upload = st.session_state[UPLOAD_VALUES_KEY]
    if upload is None:
        raise InvalidEdit(_("Choose a file of indicator values first."))
    tracks = read_tracks(upload.name, upload.getvalue(), indicators)  # a bad row is refused, naming it
    if state.commit(lambda a: a.record_tracks(tracks), VALUES):
        count = sum(len(t.readings) for t in tracks.values())
        st.session_state[RECORDED_KEY] = ngettext(
            "Recorded {count} value for {indicators} indicator(s) from {file}.",
            "Recorded {count} values for {indicators} indicator(s) from {file}.", count).format(
            count=count, indicators=len(tracks), file=file_label(upload.name))


def values_section(shown: Sequence[Indicator], monitored_by: dict[str, list[str]]) -> None:
    st.divider()
    st.subheader(md_literal(_("Values over time")))
    st.markdown(md_literal(_("For each indicator: where it started (baseline), where it should get to (target) "
                             "and the values measured, with their date and source.")))
    recorded = st.session_state.pop(RECORDED_KEY, None)
    if recorded:
        show_success(recorded)
    show_notice(VALUES)
    if not shown:
        return
    ids = [i.id for i in shown]
    by_id = {i.id: i for i in shown}
    if st.session_state.get(PICK_KEY) not in ids:
        with_values = [i for i in ids if assessment.track(i).readings]
        st.session_state[PICK_KEY] = (with_values or ids)[0]
    picked = st.selectbox(md_literal(_("Indicator")), ids, key=PICK_KEY,
                          format_func=lambda i: _("{id}: {wording}").format(
                              id=i, wording=shorten(by_id[i].wording, 90)))
    _editor(by_id[picked], monitored_by.get(picked, []))
    _charts([i for i in shown if assessment.track(i.id).readings])
    _upload()


def _editor(indicator: Indicator, risks: Sequence[str]) -> None:
    track = assessment.track(indicator.id)
    key = f"{VALUES}.{indicator.id}"
    with st.container(border=True, key="indicator-values-editor"):
        st.text(indicator.wording)
        st.caption(md_literal(_("Monitors risks: {numbers}").format(numbers=", ".join(risks))
                              if risks else _("Monitors no risk of this register.")))
        left, right = st.columns([2, 3])
        with left:
            state.seed(f"{key}.baseline", track.baseline)
            state.seed(f"{key}.target", track.target)
            first, second = st.columns(2)
            first.number_input(md_literal(_("Baseline")), key=f"{key}.baseline", value=None, format="%g",
                               on_change=refusable(_set_bounds, VALUES), args=(indicator.id,))
            second.number_input(md_literal(_("Target")), key=f"{key}.target", value=None, format="%g",
                                on_change=refusable(_set_bounds, VALUES), args=(indicator.id,))
            if track.readings:
                table = pd.DataFrame([{_("Date"): long_date(r.on, "medium"), _("Value"): number_in_words(r.value),
                                       _("Source"): r.source} for r in reversed(track.readings)])
                st.dataframe(table, hide_index=True, width="stretch", key=f"{key}.table", height="auto")
                options = [(r.on.isoformat(), r.source) for r in reversed(track.readings)]
                words_of = {(r.on.isoformat(), r.source): reading_in_words(r) for r in track.readings}
                st.selectbox(md_literal(_("Remove a value")), options, key=f"{key}.remove", index=None,
                             format_func=words_of.__getitem__, placeholder=md_literal(_("Choose a value")))
                st.button(md_literal(_("Remove this value")), key=f"{key}.remove_button", icon=":material/delete:",
                          on_click=refusable(_remove_value, VALUES), args=(indicator.id,))
            else:
                st.caption(md_literal(_("No value recorded yet.")))
        with right:
            if track.readings:
                st.plotly_chart(indicator_figure(indicator.id, track), key=f"{key}.chart", theme=None,
                                config={"displayModeBar": False, "scrollZoom": False})
            with st.form(f"{key}.add", border=True, clear_on_submit=True):
                st.markdown("**" + md_literal(_("Add a value")) + "**")
                when, value, source = st.columns([3, 2, 3])  # the date's box shows all of YYYY-MM-DD
                when.date_input(md_literal(_("Measured on")), key=f"{key}.add.date", value=None, format="YYYY-MM-DD")
                value.number_input(md_literal(_("Value")), key=f"{key}.add.value", value=None, format="%g")
                source.text_input(md_literal(_("Source")), key=f"{key}.add.source", max_chars=300,
                                  placeholder=_("e.g. police case records"))  # plain text, not Markdown
                st.form_submit_button(md_literal(_("Add the value")), on_click=refusable(_add_value, VALUES),
                                      args=(indicator.id,))


def _charts(with_values: Sequence[Indicator]) -> None:
    """Small charts of the indicators that have values, a few at a time."""
    if not with_values:
        return
    pages = math.ceil(len(with_values) / CHARTS_PER_PAGE)
    st.markdown("**" + md_literal(ngettext("{count} indicator has values", "{count} indicators have values",
                                           len(with_values)).format(count=len(with_values))) + "**")
    page = 1
    if pages > 1:
        page = int(st.number_input(md_literal(_("Charts page (of {pages})").format(pages=pages)), min_value=1,
                                   max_value=pages, step=1, key=CHARTS_PAGE_KEY))
    shown = with_values[(page - 1) * CHARTS_PER_PAGE: page * CHARTS_PER_PAGE]
    columns = st.columns(3)
    for index, indicator in enumerate(shown):
        with columns[index % 3]:
            st.plotly_chart(indicator_figure(indicator.id, assessment.track(indicator.id), height=220),
                            key=f"{VALUES}.small.{indicator.id}", theme=None,
                            config={"displayModeBar": False, "scrollZoom": False})
            st.caption(md_literal(shorten(indicator.wording, 110)))


def _upload() -> None:
    st.markdown("**" + md_literal(_("Upload values from a file")) + "**")
    st.caption(md_literal(_("A CSV or Excel sheet with one value per row and the columns id, date, value, source "
                            "(and baseline, target where you have them); the README shows the format. A file "
                            "with a bad row is refused, naming the row, and nothing is recorded.")))
    upload = st.file_uploader(md_literal(_("Indicator values (.csv or .xlsx)")), type=["csv", "xlsx"],
                              key=UPLOAD_VALUES_KEY)
    if upload is not None:
        st.button(md_literal(_("Record the values in this file")), key=f"{VALUES}.record",
                  on_click=refusable(_record_upload, VALUES), args=(state.indicators(),))


assessment = state.assessment()
rows = register(cat, assessment)
numbers = [r.number for r in rows]
statements = {r.number: r.statement for r in rows}

arrived_for = state.risk_from_address(numbers)
if arrived_for is not None:
    st.session_state[FILTER_KEY] = arrived_for

st.title(md_literal(_("Monitoring indicators ({section})").format(section=cat.monitoring.section)))
show_notice()
indicator_set = state.indicators()
if indicator_set.draft:
    show_warning(indicator_set.notice or _("These are draft indicators."))
else:
    show_success(_("Using your own indicator list: {title}").format(title=indicator_set.title))

if st.session_state.get(FILTER_KEY) not in numbers:
    st.session_state.pop(FILTER_KEY, None)
risk = st.selectbox(md_literal(_("Show the indicators monitoring")), numbers, key=FILTER_KEY, index=None,
                    placeholder=md_literal(_("All risks")),
                    format_func=lambda n: _("Risk {number}: {statement}").format(
                        number=n, statement=shorten(statements[n], 90)))

monitors = {r.number: set(indicators_for(r, indicator_set)) for r in rows}
shown = [i for i in indicator_set.indicators if risk is None or i.id in monitors[risk]]
if risk is None:
    counted = ngettext("{shown} of {count} indicator", "{shown} of {count} indicators",
                       len(indicator_set.indicators))
else:
    counted = ngettext("{shown} of {count} indicator monitor risk {risk}.",
                       "{shown} of {count} indicators monitor risk {risk}.", len(indicator_set.indicators))
st.caption(md_literal(counted.format(shown=format_number(len(shown)), count=format_number(
    len(indicator_set.indicators)), risk=risk)))
monitored_by: dict[str, list[str]] = {}
for number in numbers:
    for indicator_id in monitors[number]:
        monitored_by.setdefault(indicator_id, []).append(str(number))
INDICATOR = _("Indicator")
table = pd.DataFrame({
    _("Id"): [i.id for i in shown],
    INDICATOR: [i.wording for i in shown],
    _("Kind"): [words.indicator_kind(i.kind) for i in shown],
    _("Disaggregate by"): [", ".join(i.disaggregation) or "–" for i in shown],
    _("Monitors risks"): [", ".join(monitored_by.get(i.id, ())) or "–" for i in shown],
    _("Baseline"): [number_in_words(assessment.track(i.id).baseline) or "–" for i in shown],
    _("Target"): [number_in_words(assessment.track(i.id).target) or "–" for i in shown],
    _("Latest value"): [reading_in_words(assessment.track(i.id).latest) for i in shown],
})
if len(shown) <= TABLE_ROWS:
    # A table wraps long wordings so they read in full; it renders Markdown in its cells, and an
    # uploaded list is user text, so every cell is escaped.
    st.table(table.map(md_literal), hide_index=True)
else:
    # Thousands of rows: a data grid draws only the rows in view (and shows cells as plain text).
    st.caption(md_literal(_("A long list: shown as a grid you can scroll, sort and search ({count} rows).").format(
        count=format_number(len(shown)))))
    st.dataframe(table, hide_index=True, width="stretch", key="indicators.table",
                 column_config={INDICATOR: st.column_config.TextColumn(width="large")})

values_section(shown, monitored_by)

st.divider()
st.subheader(md_literal(_("Use your own indicator list")))
st.caption(md_literal(_("A CSV with the columns id, wording, kind, disaggregation, risks (lists separated by ';'), "
                        "or a YAML file in the format of data/indicators.yaml. See the README.")))
upload = st.file_uploader(md_literal(_("Indicator list (.csv or .yaml)")), type=["csv", "yaml", "yml"],
                          key=UPLOAD_KEY)
if upload is not None:
    st.button(md_literal(_("Replace the indicators with this list")), key="indicators.replace",
              on_click=refusable(_replace, HERE))
if not indicator_set.draft:
    st.button(md_literal(_("Go back to the draft indicators")), key="indicators.restore",
              on_click=refusable(_restore_draft, HERE))
show_notice(HERE)  # a refused list, or a save that failed, under the buttons

st.divider()
with st.expander(_("The catalogue's official wording in French or Spanish"), icon=":material/translate:"):
    language.wording_upload()
