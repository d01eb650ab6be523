"""Widgets used on more than one page."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, ParamSpec

import streamlit as st

from riskkit import words
from riskkit.i18n import format_datetime, format_number
from riskkit.i18n import gettext as _
from riskkit.models import Catalogue
from riskkit.rules import Progress
from ui import state
from ui.levels import band_word
from ui.text import md_format, md_literal, show_error

P = ParamSpec("P")


def show_notice(where: str = state.PAGE) -> None:
    """The message of a refused or failed action, drawn in the region the user acted in
    (callbacks cannot draw: they keep it with state.notify, the region shows it here)."""
    message = state.take_notice(where)
    if message:
        show_error(message)


def refusable(action: Callable[P, Any], where: str = state.PAGE) -> Callable[P, None]:
    """Every widget callback goes through this (tests/pages/test_one_error_path.py checks):
    a refusal (a RiskkitError) or a failure of `action` becomes a message for the region
    `where`, which the page draws beside the widget with show_notice; nothing is raised
    into Streamlit, so no traceback reaches the screen."""

    @functools.wraps(action)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        state.attempt(lambda: action(*args, **kwargs), where)

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
    show_notice(key)  # why it was not saved, under the box
    typed = state.unsaved(key)
    if typed is None or typed == saved:
        state.drop_unsaved(key)
        return
    with st.container(border=True, key=f"unsaved-{key.replace('.', '-')}"):
        st.markdown(_("**Not saved.** What you typed is still in the box above. The text saved now is:"))
        st.text(saved or _("(empty)"))
        left, right = st.columns(2)
        left.button(_("Save what I typed"), key=f"{key}.save_again", on_click=refusable(save_again, key),
                    icon=":material/save:")
        right.button(_("Use the saved text"), key=f"{key}.drop", on_click=refusable(state.drop_unsaved, key),
                     args=(key,))


def policy_picker(key: str) -> None:
    """Choose the mitigation policy in force; every gap count names it."""
    cat = state.catalogue()
    state.seed(key, state.assessment().policy)

    def changed() -> None:
        state.commit(lambda a: a.choose_policy(cat, st.session_state[key]), where=key)

    st.radio(_("Mitigation required when…"), list(cat.policies.options), key=key, on_change=refusable(changed, key),
             format_func=words.policy)
    show_notice(key)


def band_badge(catalogue: Catalogue, band: str | None, key: str) -> None:
    """A band in words on its palette colour (the page draws ui.levels.band_badge_styles once)."""
    with st.container(key=f"bandis-{band or 'none'}-{key}"):
        st.markdown(md_format("**{band}**", band=band_word(band)) if band else _("Not rated"))


def progress_metrics(p: Progress) -> None:
    # At their own width, side by side while they fit: a French or Spanish label or "13 sur 13"
    # moves to the next line rather than being cut in a third of a narrow column.
    with st.container(horizontal=True, gap="large", key="progress-metrics"):
        st.metric(_("Rated"), _("{rated} of {total}").format(rated=format_number(p.rated),
                                                              total=format_number(p.total)), width="content")
        st.metric(_("Require a strategy"), format_number(p.requiring_mitigation), width="content")
        st.metric(_("Strategies missing"), format_number(p.missing_strategies), width="content")
    st.caption(md_format(_("Policy in force: {policy}"), policy=p.policy_label))


def saved_status() -> None:
    """In the sidebar: which assessment is open, and that everything is saved."""
    summary = state.snapshot().summary
    name = summary.title + (f" · {summary.context}" if summary.context else "")
    saved = format_datetime(summary.updated_at.astimezone(), "HH:mm:ss")
    st.sidebar.caption(md_format(_("**{name}**  \nEvery change is saved as you make it (last at {time}). Bookmark "
                                   "or share this page's address to come back to this assessment."),
                                 name=name, time=saved))


PERSON_KEY = "sidebar.person"


def _name_given() -> None:
    state.give_name(st.session_state.get(PERSON_KEY) or "")


def person_field() -> None:
    """In the sidebar, once per browser session: the name saved beside this person's changes.
    Optional; kept in ui.state (the widget is drawn again from it on every page)."""
    state.seed(PERSON_KEY, state.person())
    st.text_input(_("Your name, shown beside your changes"), key=PERSON_KEY, max_chars=100,
                  placeholder=_("optional: a name or initials"), on_change=refusable(_name_given, PERSON_KEY))
    show_notice(PERSON_KEY)
