"""The language a person reads riskkit in: chosen per session, shown on every page.

It comes from the address (?lang=fr, so a reload or a shared link keeps it), else from what
this session chose before, else from the browser (st.context.locale), else English
(riskkit.i18n.pick_language decides). The entry file calls `start` before drawing anything
and `selector` in the sidebar. The catalogue's words follow the language: riskkit's
unofficial French and Spanish, or the open assessment's official wording if someone
uploaded one (`wording_upload`, for a page to place), always with `translation_notice`.
"""

from __future__ import annotations

import logging

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from riskkit import i18n
from riskkit.catalogue import (
    Wording,
    indicators_in,
    parse_wording_upload,
    translation_languages,
    with_official_wording,
)
from riskkit.errors import RiskkitError
from riskkit.i18n import LANGUAGES, SOURCE_LOCALE, current_locale, pick_language
from riskkit.i18n import gettext as _
from riskkit.models import Catalogue, IndicatorSet
from ui import state
from ui.text import md_format, show_info, show_success
from ui.widgets import refusable, show_notice

log = logging.getLogger("riskkit.ui")

LANG_PARAM = "lang"
CURRENT = "language.current"  # the language of this session's runs
CHOSEN = "language.chosen"  # set once the person (or the address) chose one: then kept in the address
SELECT = "language.select"
OFFICIAL = "language.official"  # (assessment id, language) -> its official Wording or None, read once per run
UPLOAD = "language.upload"
WORDING = "language.wording"  # the region where a refused upload is explained
DONE = "language.done"  # ... and where a kept one is confirmed


def _session_language() -> str | None:
    """The session's language for a run that did not set one (a callback, a fragment)."""
    if get_script_run_ctx(suppress_warning=True) is None:
        return None
    found = st.session_state.get(CURRENT)
    return found if isinstance(found, str) else None


i18n.use_fallback(_session_language)


def browser_locale() -> str | None:
    try:
        return st.context.locale
    except Exception:  # a test harness or an old frontend without it: English
        return None


def start() -> str:
    """Set this run's language before anything is drawn; keep a chosen one in the address.
    A `lang` the address gives that riskkit does not offer is ignored and removed."""
    asked = st.query_params.get(LANG_PARAM)
    if asked is not None and asked not in LANGUAGES:
        log.info("ignored a language the address asked for")
        del st.query_params[LANG_PARAM]
        asked = None
    if asked is not None:
        st.session_state[CHOSEN] = asked
    language = pick_language(asked, st.session_state.get(CHOSEN), browser_locale())
    st.session_state[CURRENT] = language
    if st.session_state.get(CHOSEN) and asked != language:
        st.query_params[LANG_PARAM] = language  # a page link dropped it: put it back
    i18n.set_locale(language)
    st.session_state.pop(OFFICIAL, None)  # read a colleague's newly uploaded wording again
    return language


def _choose() -> None:
    picked = st.session_state.get(SELECT)
    if picked in LANGUAGES:
        st.session_state[CHOSEN] = st.session_state[CURRENT] = picked
        st.query_params[LANG_PARAM] = picked
        i18n.set_locale(picked)


def selector() -> None:
    """The language switch, each language named in its own words."""
    st.session_state[SELECT] = current_locale() if current_locale() in LANGUAGES else SOURCE_LOCALE
    st.selectbox(_(":material/language: Language"), options=list(LANGUAGES), format_func=LANGUAGES.__getitem__,
                 key=SELECT, on_change=refusable(_choose))


# --- the catalogue in the reader's language ----------------------------------------------------


def official_wording(assessment_id: str | None, language: str) -> Wording | None:
    """The assessment's official wording in `language`, read from the store once per run."""
    if assessment_id is None or language not in translation_languages():
        return None
    held: dict[tuple[str, str], Wording | None] = st.session_state.setdefault(OFFICIAL, {})
    if (assessment_id, language) not in held:
        try:
            held[(assessment_id, language)] = state.store().templates.wording(assessment_id, language)
        except RiskkitError as exc:  # not answering: riskkit's translation, and the log says why
            log.warning("could not read the official wording: %s", exc)
            return None
    return held[(assessment_id, language)]


def catalogue() -> Catalogue:
    """The catalogue in this run's language, in the open assessment's official wording if it has one."""
    snapshot = st.session_state.get(state.SNAPSHOT)
    language = current_locale()
    return with_official_wording(language, official_wording(snapshot.summary.id if snapshot else None, language))


def draft_indicators() -> IndicatorSet:
    """riskkit's draft indicators in this run's language."""
    return indicators_in(current_locale())


def translation_notice(shown: Catalogue) -> None:
    """Under a translated catalogue: whose words these are, and that the English is authoritative."""
    marker = shown.translation
    if marker is None:
        return
    if marker.official:
        show_info(_("Official wording, provided by {file}.").format(file=marker.by))
    else:
        st.caption(_("riskkit's unofficial translation — the toolkit's English wording is authoritative."))


# --- an official wording, replacing riskkit's translation ------------------------------------


def wording_upload() -> None:
    """Where a person gives the catalogue's official wording in French or Spanish (YAML or
    JSON, the shape of data/catalogue.fr.yaml) for the open assessment, or goes back to
    riskkit's translation. A refused file gets a message under the buttons and changes nothing.
    For a page to call (the Indicators page)."""
    languages = translation_languages()
    st.subheader(_("Official wording of the catalogue"))
    st.caption(_("riskkit's French and Spanish words for section 3.6 are its own, unofficial translation. If "
                 "you have an official wording, upload it here as YAML or JSON in the shape of "
                 "data/catalogue.fr.yaml: it replaces riskkit's translation for this assessment."))
    language = st.selectbox(_("Language of the wording"), options=list(languages),
                            format_func=LANGUAGES.__getitem__, key=f"{UPLOAD}.language")
    upload = st.file_uploader(_("Wording file (.yaml or .json)"), type=["yaml", "yml", "json"], key=UPLOAD)
    if upload is not None:
        st.button(_("Use this wording"), key=f"{UPLOAD}.use",
                  on_click=refusable(_use_wording, WORDING), args=(language,))
    kept = official_wording(state.snapshot().summary.id, language)
    if kept is not None and kept.translation is not None:
        st.caption(md_format(_("In use for {language}: official wording, provided by {file}."),
                             language=LANGUAGES[language], file=kept.translation.by))
        st.button(_("Go back to riskkit's translation"), key=f"{UPLOAD}.remove",
                  on_click=refusable(_remove_wording, WORDING), args=(language,))
    done = state.take_notice(DONE)
    if done:
        show_success(done)
    show_notice(WORDING)


def _use_wording(language: str) -> None:
    upload = st.session_state.get(UPLOAD)
    if upload is None:
        return
    wording = parse_wording_upload(upload.name, upload.getvalue(), language)  # refused: nothing is kept
    assessment_id = state.snapshot().summary.id
    state.store().templates.put_wording(assessment_id, wording)
    st.session_state.pop(OFFICIAL, None)
    state.notify(_("The official wording from {file} is now used for {language}.").format(
        file=wording.translation.by if wording.translation else "", language=LANGUAGES[language]), DONE)


def _remove_wording(language: str) -> None:
    state.store().templates.remove_wording(state.snapshot().summary.id, language)
    st.session_state.pop(OFFICIAL, None)
    state.notify(_("riskkit's translation is used again for {language}.").format(language=LANGUAGES[language]),
                 DONE)
