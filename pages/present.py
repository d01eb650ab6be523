"""Present: one risk per screen for the projector, and group rating from phones.

The facilitator's controls (reveal, record, move the room) need the facilitator
key in this page's address; it is created with the rating session and checked
by the store on every action.
"""

import io

import segno
import streamlit as st

from riskkit.charts import heatmap_figure
from riskkit.rules import band_of, register
from riskkit.errors import RiskkitError
from riskkit.store import RatingSession
from riskkit.workshop import tally
from ui import state
from ui.addresses import join_base
from ui.text import md_literal, show_error, show_info, show_warning
from ui.widgets import refusable, show_notice

END = "present.end"
CONTRAST_CSS = """<style>
[data-testid="stMain"], [data-testid="stMain"] * { background-color: #000 !important; color: #fff !important; }
[data-testid="stMain"] button { border: 2px solid #fff !important; }
</style>"""

cat = state.catalogue()
store = state.store()
snapshot = state.snapshot()
rows = register(cat, snapshot.assessment)
numbers = [r.number for r in rows]
by_number = {r.number: r for r in rows}

token = st.query_params.get("key", "")
rating: RatingSession | None = None
if token:
    try:
        rating = store.rating_for_facilitator(token)
    except RiskkitError as exc:
        show_error(str(exc))
    if rating is not None and rating.closed:
        show_info("This group rating has ended: phones can no longer join or vote. Start a new one to rate "
                  "with the room again.")
        st.query_params.pop("key", None)
        rating, token = None, ""
show_notice()
if rating is not None and rating.assessment_id != snapshot.summary.id:
    state.open_assessment(rating.assessment_id)
    st.rerun()


@refusable
def _go(number: int) -> None:
    st.session_state[END] = False
    state.choose_risk(number)
    if rating is not None:
        store.show_risk(token, number)


def _end() -> None:
    st.session_state[END] = True


@refusable
def _record(number: int, likelihood: str, impact: str, shown_count: int) -> None:
    """Record what the facilitator was shown: if the votes changed since, say so and record nothing."""
    live = store.votes_for_facilitator(token, number)
    now = tally(cat, live)
    if now.count != shown_count or now.suggested != (likelihood, impact):
        state.notify("The votes changed after they were shown, so nothing was recorded. Look at the votes "
                     "again, then record.")
        return
    state.commit(lambda a: a.with_entry(cat, number, likelihood=likelihood, impact=impact))


@refusable
def _start_rating(number: int) -> None:
    _session, new_token = store.open_rating(snapshot.summary.id, number)
    st.query_params["key"] = new_token


@refusable
def _close_rating() -> None:
    store.close_rating(token)
    st.query_params.pop("key", None)


current = rating.current_risk if rating is not None and rating.current_risk in numbers \
    else state.current_risk(numbers)
position = numbers.index(current)
at_end = st.session_state.get(END, False)

if st.toggle("High contrast", key="present.contrast", persist_state="session"):
    st.html(CONTRAST_CSS)  # our own static CSS, no user text

stage, side = st.columns([2, 1]) if rating is not None else (st.container(), None)
with stage:
    back, progress, forward = st.columns([1.4, 3, 1.4], vertical_alignment="center")
    back.button("Previous", key="present.previous", shortcut="Left",
                disabled=position == 0 and not at_end, width="stretch",
                on_click=_go, args=(numbers[position if at_end else max(position - 1, 0)],))
    progress.progress((len(numbers) if at_end else position + 1) / len(numbers),
                      text="Heat map" if at_end else md_literal(f"Risk {position + 1} of {len(numbers)}"))
    if position == len(numbers) - 1 or at_end:
        forward.button("Heat map", key="present.next", shortcut="Right",
                       disabled=at_end, width="stretch", on_click=_end)
    else:
        forward.button("Next", key="present.next", shortcut="Right",
                       width="stretch", on_click=_go, args=(numbers[position + 1],))

    if at_end:
        st.header("Where the risks fall", anchor=False)
        st.plotly_chart(heatmap_figure(cat, rows), key="present.heatmap", theme=None,
                        config={"staticPlot": True, "displayModeBar": False})
    else:
        risk = by_number[current]
        st.header(md_literal(f"{risk.number}. {risk.statement}"), anchor=False)
        if risk.references:
            st.subheader(md_literal("Toolkit sections: " + ", ".join(risk.references)), anchor=False)
        if risk.rated:
            band = band_of(cat, risk.likelihood, risk.impact)  # type: ignore[arg-type]
            st.subheader(md_literal(f"Rated: likelihood {risk.likelihood} · impact {risk.impact} · "
                                    f"{band.upper()} band"), anchor=False)
        else:
            st.subheader("Not rated yet", anchor=False)
        if risk.example_strategy:
            st.markdown("**Example strategy (toolkit)**")
            st.text(risk.example_strategy)
        if rating is None:
            st.button("Start group rating: the room votes from their phones", icon=":material/groups:",
                      key="present.start", on_click=_start_rating, args=(current,))

if side is not None and rating is not None:
    with side:
        base, warning = join_base(st.context.url or "", str(st.get_option("server.address") or ""))
        join_link = f"{base}/join?code={rating.join_code}"
        st.subheader(md_literal(f"Join: code {rating.join_code}"), anchor=False)
        if warning:
            show_warning(warning)
        qr = io.BytesIO()
        segno.make(join_link, error="m").save(qr, kind="png", scale=10, border=2)
        st.image(qr.getvalue(), width=300)  # 300 px of a 720 px projector: scanned from the back rows
        st.caption("Scan, or open this address and type the code:")
        st.text(join_link)

        @st.fragment(run_every=0.5)
        def room() -> None:
            try:
                live = store.rating_for_facilitator(token)
            except RiskkitError as exc:
                show_error(str(exc))
                return
            if live.closed:
                st.rerun(scope="app")
            if at_end:
                st.caption("Go back to a risk to rate it with the room.")
                return
            if live.current_risk != current:  # moved from another tab: redraw the whole page
                st.rerun(scope="app")
            count = store.vote_count(live.id, current)
            st.metric("Votes in", count)
            if not live.revealed:
                st.button("Reveal the votes", key="present.reveal", type="primary", disabled=count == 0,
                          on_click=refusable(store.reveal), args=(token,))
                return
            result = tally(cat, store.votes_for_facilitator(token, current))
            levels = list(reversed(cat.scale.levels))
            grid = {"L \\ I": levels}  # rows: likelihood, columns: impact
            for impact in cat.scale.levels:
                grid[impact] = [str(result.cells[(lk, impact)]) for lk in levels]
            st.caption("Votes by likelihood (rows) and impact (columns)")
            st.table(grid, hide_index=True)
            if result.disagreement:
                st.warning("The room disagrees: some rated Low, others High. Talk it through.",
                           icon=":material/forum:")
            if result.suggested:
                likelihood, impact = result.suggested
                if st.button(md_literal(f"Record the median: {likelihood} / {impact}"), key="present.record",
                             type="primary", width="stretch"):
                    _record(current, likelihood, impact, result.count)
                    st.rerun()  # the whole page: the risk now shows its recorded rating

        room()
        st.caption("Use full screen (F11): the address bar carries your facilitator key.")
        st.button("End group rating", key="present.close", on_click=_close_rating)
