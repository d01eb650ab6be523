"""The one owner of session state: typed accessors over namespaced keys.

State holds domain objects (the Assessment, the indicator set) and ids, never
widget values; widgets are seeded from the Assessment on every run and write
back through `commit`, so a rating survives a page switch.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from riskkit.catalogue import load_catalogue, load_indicators
from riskkit.errors import RiskkitError
from riskkit.models import Assessment, Catalogue, IndicatorSet

ASSESSMENT = "riskkit.assessment"
INDICATORS = "riskkit.indicators"
NOTICE = "riskkit.notice"
HEATMAP_CELLS = "heatmap.cells"
CURRENT_RISK = "assess.current"


@st.cache_resource(show_spinner=False)
def catalogue() -> Catalogue:
    """Loaded once per process; frozen, so sharing it between sessions is safe."""
    return load_catalogue()


@st.cache_resource(show_spinner=False)
def default_indicators() -> IndicatorSet:
    return load_indicators(catalogue=catalogue())


def init() -> None:
    if ASSESSMENT not in st.session_state:
        st.session_state[ASSESSMENT] = Assessment(policy=catalogue().policies.default)


def assessment() -> Assessment:
    init()
    return st.session_state[ASSESSMENT]


def commit(change: Callable[[Assessment], Assessment]) -> bool:
    """Apply an edit to the assessment; a user's error is shown and changes nothing."""
    try:
        updated = change(assessment())
    except RiskkitError as exc:
        st.session_state[NOTICE] = str(exc)
        return False
    st.session_state[ASSESSMENT] = updated
    return True


def take_notice() -> str | None:
    """The last refused edit's message, once (callbacks cannot draw, so pages show it)."""
    return st.session_state.pop(NOTICE, None)


def indicators() -> IndicatorSet:
    return st.session_state.get(INDICATORS) or default_indicators()


def use_indicators(indicator_set: IndicatorSet | None) -> None:
    """Replace the draft set with a user's own (None restores the draft)."""
    if indicator_set is None:
        st.session_state.pop(INDICATORS, None)
    else:
        st.session_state[INDICATORS] = indicator_set


def seed(key: str, value: Any) -> None:
    """Give a widget its value from the domain before it is drawn."""
    st.session_state[key] = value


def selected_cells() -> tuple[tuple[str, str], ...]:
    return st.session_state.get(HEATMAP_CELLS, ())


def select_cells(cells: tuple[tuple[str, str], ...]) -> None:
    st.session_state[HEATMAP_CELLS] = cells


def current_risk(numbers: list[int]) -> int:
    """The risk open on Assess: the one last chosen, else the first."""
    chosen = st.session_state.get(CURRENT_RISK)
    return chosen if chosen in numbers else numbers[0]


def choose_risk(number: int) -> None:
    st.session_state[CURRENT_RISK] = number
