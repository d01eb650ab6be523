"""Shown to a session that arrived with a join code: the participants' page is elsewhere."""

import re

import streamlit as st

from riskkit.i18n import gettext as _

st.title(_("Rate the risk"))
code = st.query_params.get("code", "").strip().upper()
target = f"/join?code={code}" if re.fullmatch(r"[A-Z0-9]{4,12}", code) else "/join"
st.write(_("Participants rate on the join page."))
st.link_button(_("Open the join page"), target, type="primary", width="stretch")
