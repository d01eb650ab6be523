"""Shown instead of the app when RISKKIT_EDITOR_KEY is set and this session has not given it."""

import streamlit as st

from riskkit.i18n import gettext as _
from ui import state

st.title("riskkit")
st.write(_("This riskkit is locked for editing. Workshop participants: scan the QR code on the projector, "
           "or open the join address shown there and type the code."))
with st.form("locked.form", border=True):
    given = st.text_input(_("Editor key"), type="password", key="locked.key")
    if st.form_submit_button(_("Open riskkit")):
        if state.unlock(given):
            st.rerun()
        st.error(_("That is not the editor key."))
