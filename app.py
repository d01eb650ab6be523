"""riskkit: the entry file sets up the page, the state and the routes, nothing else."""

import logging
from importlib import resources

import streamlit as st

from riskkit.errors import RiskkitError
from riskkit.i18n import gettext as _
from ui import language, state
from ui.text import md_literal, show_error
from ui.widgets import person_field, saved_status

log = logging.getLogger("riskkit")
# Our own icon, served by this server: a Material icon as page_icon is fetched from another host.
# It ships in the ui package, so it is found wherever riskkit is installed.
ICON = str(resources.files("ui") / "icon.png")
language.start()  # this run's language (address, session, browser), before anything is drawn

if state.is_participant():
    # Phones rate on riskkit's own page (/join, web/room.py), never in a session of the app: an
    # address with a join code that reached the app gets the way there and nothing else.
    st.set_page_config(page_title=_("riskkit · rate"), page_icon=ICON, layout="centered")
    st.navigation([st.Page("pages/to_join.py", title=_("Rate"), default=True)], position="hidden").run()
    st.stop()

if not state.unlocked():
    st.set_page_config(page_title="riskkit", page_icon=ICON, layout="centered")
    st.navigation([st.Page("pages/locked.py", title="riskkit", default=True)], position="hidden").run()
    st.stop()

st.set_page_config(page_title=_("riskkit · 3.6 risk register"), page_icon=ICON, layout="wide")

# Titles in this run's language: the sidebar and the browser's tab show them.
PAGES = [
    st.Page("pages/assessments.py", title=_("Assessments"), icon=":material/folder_open:", url_path="assessments"),
    st.Page("pages/overview.py", title=_("Overview"), icon=":material/home:", url_path="overview"),
    st.Page("pages/assess.py", title=_("Assess"), icon=":material/edit_note:", url_path="assess"),
    st.Page("pages/heatmap.py", title=_("Heat map"), icon=":material/grid_on:", url_path="heatmap"),
    st.Page("pages/compare.py", title=_("Compare"), icon=":material/compare_arrows:", url_path="compare"),
    st.Page("pages/gaps.py", title=_("Mitigation gaps"), icon=":material/report:", url_path="gaps"),
    st.Page("pages/action_plan.py", title=_("Action plan"), icon=":material/checklist:", url_path="plan"),
    st.Page("pages/indicators.py", title=_("Indicators (4.3.5)"), icon=":material/monitoring:", url_path="indicators"),
    st.Page("pages/briefing.py", title=_("Briefing"), icon=":material/slideshow:", url_path="briefing"),
    st.Page("pages/print.py", title=_("Print view"), icon=":material/print:", url_path="print"),
    st.Page("pages/present.py", title=_("Present"), icon=":material/co_present:", url_path="present"),
]
OVERVIEW = PAGES[1]
# The default page always lives at "/" and cannot also answer its own url_path, so "/" is
# a page of its own that opens Overview: /overview (bookmarked, in the README) works too.
HOME = st.Page(lambda: st.switch_page(OVERVIEW, query_params=st.query_params.to_dict()), title="riskkit",
               url_path="home", default=True)
page = st.navigation([HOME, *PAGES], position="hidden")

try:
    state.init()
except RiskkitError as exc:  # the database is not answering, or refused: say so, show nothing stale
    log.warning("could not open an assessment: %s", exc)
    show_error(str(exc))
    st.stop()

# The sidebar's links carry the open assessment, so the address always names it.
with st.sidebar:
    opened = {state.URL_PARAM: state.snapshot().summary.id}
    for entry in PAGES:
        st.page_link(entry, label=md_literal(entry.title), icon=entry.icon, query_params=opened)
    language.selector()
    language.translation_notice(state.catalogue())
    saved_status()
    person_field()

try:
    page.run()
except RiskkitError as exc:  # a refusal a page did not expect: the words, not a traceback
    log.warning("refused on %s: %s", page.url_path, exc)
    show_error(str(exc))
except Exception:
    log.exception("unhandled error on page %s", page.url_path)
    show_error(_("Something went wrong on this page, and nothing was changed. Your saved work is safe. Reload "
                 "the page; if it happens again, tell whoever runs riskkit (the details are in the server's log)."))
