"""Widgets used on more than one page."""

from __future__ import annotations

import streamlit as st

from riskkit.rules import Progress
from ui import state
from ui.text import md_literal


def show_notice() -> None:
    message = state.take_notice()
    if message:
        st.error(message)


def policy_picker(key: str) -> None:
    """Choose the mitigation policy in force; every gap count names it."""
    cat = state.catalogue()
    options = list(cat.policies.options)
    state.seed(key, state.assessment().policy)

    def changed() -> None:
        chosen = st.session_state[key]
        state.commit(lambda a: a.with_policy(cat, chosen))

    st.radio("Mitigation required when…", options, key=key, on_change=changed,
             format_func=lambda name: cat.policies.options[name].label)


def progress_metrics(p: Progress) -> None:
    c1, c2, c3 = st.columns(3)
    c1.metric("Rated", f"{p.rated} of {p.total}")
    c2.metric("Require a strategy", p.requiring_mitigation)
    c3.metric("Strategies missing", p.missing_strategies)
    st.caption(f"Policy in force: {p.policy_label}")


def saved_status() -> None:
    """In the sidebar: which assessment is open, and that everything is saved."""
    summary = state.snapshot().summary
    name = summary.title + (f" · {summary.context}" if summary.context else "")
    saved = summary.updated_at.astimezone().strftime("%H:%M:%S")
    st.sidebar.caption(f"**{md_literal(name)}**  \nEvery change is saved as you make it (last at {saved}). "
                       "Bookmark or share this page's address to come back to this assessment.")
