"""The language is chosen from the address on first load, shown in the sidebar's switch, and a
translated catalogue always says whose translation it is."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from riskkit.i18n import gettext as _
from riskkit.i18n import using
from tests.pages.conftest import APP

NOTICE = "riskkit's unofficial translation — the toolkit's English wording is authoritative."


def first_run(lang: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize(("lang", "goal"), [("fr", "Objectif de protection"), ("es", "Objetivo de protección")])
def test_a_link_with_a_language_opens_the_catalogue_in_it_marked_unofficial(lang, goal):
    at = first_run(lang)
    assert at.selectbox(key="language.select").value == lang
    assert any(goal in m.value for m in at.markdown)
    with using(lang):
        notice = _(NOTICE)
    assert notice in [c.value for c in at.sidebar.caption]


def test_a_made_up_language_in_the_address_is_ignored():
    at = first_run("<img src=x>")
    assert at.selectbox(key="language.select").value == "en"
    assert any("Protection and assistance goal" in m.value for m in at.markdown)
    assert not any("unofficial translation" in c.value for c in at.sidebar.caption)
    assert NOTICE not in [c.value for c in at.sidebar.caption]
