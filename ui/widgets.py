"""Widgets used on more than one page."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, ParamSpec

import streamlit as st

from riskkit.errors import RiskkitError
from riskkit.rules import Progress
from ui import state
from ui.text import md_literal, show_error

P = ParamSpec("P")
log = logging.getLogger("riskkit.ui")


def show_notice() -> None:
    """The last refused action's message, where the user acted (callbacks cannot draw)."""
    message = state.take_notice()
    if message:
        show_error(message)


def refusable(action: Callable[P, Any]) -> Callable[P, None]:
    """A widget callback whose refusal (a RiskkitError) or failure is said on the page
    with show_notice, never raised into Streamlit."""

    @functools.wraps(action)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            action(*args, **kwargs)
        except RiskkitError as exc:
            state.notify(str(exc))
        except Exception:
            log.exception("action %s failed", action.__name__)
            state.notify("Something went wrong and nothing was changed. Try again; if it happens again, tell "
                         "whoever runs riskkit.")

    return run


def download(where: Any, label: str, build: Callable[..., bytes], *args: Any, file_name: str, mime: str,
             key: str, **options: Any) -> None:
    """A download button whose file is built from arguments given now, when the button is
    drawn for this person. Streamlit builds the file later, outside this session's run,
    where session state belongs to nobody: reading it there gave one person another's
    assessment. So the builder gets everything it needs as arguments, never from state."""
    where.download_button(md_literal(label), data=functools.partial(build, *args), file_name=file_name,
                          mime=mime, key=key, on_click="ignore", **options)


def unsaved_text(key: str, saved: str, save_again: Callable[[], None]) -> None:
    """Under a text box whose text could not be saved: say so, show the saved text beside it,
    and offer to save the typed text again or take the saved one."""
    typed = state.unsaved(key)
    if typed is None or typed == saved:
        state.drop_unsaved(key)
        return
    with st.container(border=True, key=f"unsaved-{key.replace('.', '-')}"):
        st.markdown("**Not saved.** What you typed is still in the box above. The text saved now is:")
        st.text(saved or "(empty)")
        left, right = st.columns(2)
        left.button("Save what I typed", key=f"{key}.save_again", on_click=refusable(save_again),
                    icon=":material/save:")
        right.button("Use the saved text", key=f"{key}.drop", on_click=state.drop_unsaved, args=(key,))


def policy_picker(key: str) -> None:
    """Choose the mitigation policy in force; every gap count names it."""
    cat = state.catalogue()
    options = list(cat.policies.options)
    state.seed(key, state.assessment().policy)

    def changed() -> None:
        chosen = st.session_state[key]
        state.commit(lambda a: a.choose_policy(cat, chosen))  # commit says any refusal itself

    st.radio("Mitigation required when…", options, key=key, on_change=changed,
             format_func=lambda name: cat.policies.options[name].label)


def progress_metrics(p: Progress) -> None:
    c1, c2, c3 = st.columns(3)
    c1.metric("Rated", f"{p.rated} of {p.total}")
    c2.metric("Require a strategy", p.requiring_mitigation)
    c3.metric("Strategies missing", p.missing_strategies)
    st.caption(md_literal(f"Policy in force: {p.policy_label}"))


def saved_status() -> None:
    """In the sidebar: which assessment is open, and that everything is saved."""
    summary = state.snapshot().summary
    name = summary.title + (f" · {summary.context}" if summary.context else "")
    saved = summary.updated_at.astimezone().strftime("%H:%M:%S")
    st.sidebar.caption("**" + md_literal(name) + "**  \n" + md_literal(
        f"Every change is saved as you make it (last at {saved}). Bookmark or share this page's address to "
        "come back to this assessment."))
