"""French and Spanish on a projector: at 1280x720 every page of the sidebar opens in the
language asked for, nothing runs off the right edge (no sideways scrolling) and no button,
tab, metric or link has its words cut to an ellipsis. French and Spanish run 15 to 30% longer
than English, so a layout that fits in English can still cut them. One browser context per
language, on a register with something on every page (ratings, a plan with an overdue
action, residual ratings, indicator values, an own risk, an earlier copy to compare with)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import date, timedelta

import pytest
from playwright.sync_api import Browser, expect

from riskkit.catalogue import load_catalogue
from riskkit.i18n import gettext, using
from riskkit.store import Store

from .helpers import goto, new_page, open_from_sidebar

# The sidebar's pages (app.py) by address, with their English titles.
PAGES = {"assessments": "Assessments", "overview": "Overview", "assess": "Assess", "heatmap": "Heat map",
         "compare": "Compare", "gaps": "Mitigation gaps", "plan": "Action plan", "indicators": "Indicators (4.3.5)",
         "briefing": "Briefing", "print": "Print view", "present": "Present"}

# What a reader would see cut or pushed off screen: the page scrolls sideways, an element ends
# past the right edge, or the words of a button, tab, metric or link overflow their box
# (Streamlit ends them with an ellipsis). Visually hidden text (1 px wide) is not drawn; a data
# frame or a chart may scroll inside its own box.
LAYOUT = """
() => {
  const drawn = el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const wide = [...document.querySelectorAll('[data-testid=stMain] *, [data-testid=stSidebar] *')]
    .filter(el => drawn(el) && el.getBoundingClientRect().right > innerWidth + 1
      && !el.closest('[data-testid=stDataFrame], .js-plotly-plot'))  // these scroll inside their own box
    .map(el => el.tagName + ' ' + (el.innerText || '').slice(0, 60));
  const labels = 'button, [role=tab], [data-testid=stMetricLabel], [data-testid=stMetricValue], '
    + '[data-testid=stPageLink-NavLink], [data-testid=stWidgetLabel]';
  const cut = [...document.querySelectorAll(labels)].filter(drawn).filter(el =>
    [el, ...el.querySelectorAll('*')].some(e => e.clientWidth > 2 && e.scrollWidth > e.clientWidth + 1
      && !e.closest('[data-testid=stIconMaterial]')))
    .map(el => (el.innerText || '').replace(/\\s+/g, ' ').trim());
  return {sideways: document.scrollingElement.scrollWidth - innerWidth, wide, cut};
}
"""


def seed_register(store: Store, title: str) -> str:
    """A register part-way through its follow-up, and an earlier copy for Compare."""
    catalogue = load_catalogue()
    today = date.today()
    assessment_id = store.create(title, catalogue.policies.default, "Sénégal", today - timedelta(days=90))
    snapshot = store.load(assessment_id)
    a = snapshot.assessment
    for number in range(1, 13):
        a = a.rate(catalogue, number, likelihood="High", impact="Medium")
    a, _ = a.add_action(catalogue, 1, "Former les gardes-frontières", "Police des frontières",
                        today - timedelta(days=10), "in_progress")
    store.save(snapshot, a)
    store.duplicate(assessment_id, f"{title} (avant)")  # what Compare sets beside it
    snapshot = store.load(assessment_id)
    a = snapshot.assessment.rate(catalogue, 2, likelihood="Low").rate_residual(catalogue, 1, likelihood="Low",
                                                                                impact="Low")
    a = a.schedule_risk_review(catalogue, 1, today - timedelta(days=3)).write_strategy(catalogue, 1, "Former.")
    a, _ = a.add_action(catalogue, 1, "Ouvrir une ligne d'assistance", "ONG Espoir", today + timedelta(days=30))
    a, own = a.add_own_risk(catalogue, "Pas d'interprètes", ("1.6",), ("PA-03",))
    a = a.rate(catalogue, own, likelihood="High", impact="High")
    a = a.set_baseline_and_target("PA-01", 10.0, 80.0).record_reading("PA-01", today - timedelta(days=60), 12.0)
    a = a.record_reading("PA-01", today - timedelta(days=5), 41.5, "Rapport de la police")
    store.save(snapshot, a)
    return assessment_id


@pytest.fixture(scope="module")
def register_id(server_env: Mapping[str, str]) -> Iterator[Callable[[str], str]]:
    store = Store(server_env.get("RISKKIT_DATABASE_URL") or None)
    made: dict[str, str] = {}

    def make(language: str) -> str:
        made.setdefault(language, seed_register(store, f"Atelier {language}"))
        return made[language]
    yield make
    store.engine.dispose()


@pytest.mark.parametrize("language", ["fr", "es"])
def test_every_page_fits_a_projector_in_french_and_spanish(browser: Browser, server: str,
                                                         register_id: Callable[[str], str], language: str) -> None:
    page = new_page(browser, 1280, 720)
    with using(language):
        titles = [gettext(title) for title in PAGES.values()]
    try:
        found: dict[str, object] = {}
        goto(page, f"{server}/assessments?lang={language}&assessment={register_id(language)}")
        for path, title in zip(PAGES, titles, strict=True):
            if path != "assessments":
                open_from_sidebar(page, title)  # the sidebar's own link, in this language
            if path == "present":
                expect(page.locator("[data-testid=stMain] h2").first).to_be_visible()
            else:
                expect(page.locator("[data-testid=stMain] h1").first).to_be_visible()
                sidebar = page.locator("[data-testid=stSidebar] [data-testid=stPageLink-NavLink]").all_inner_texts()
                # each link reads "<icon name> <title>": the titles, in order, in this language
                assert [t.strip().endswith(title) for t, title in zip(sidebar, titles, strict=True)] == \
                    [True] * len(titles), f"{path}: the sidebar is not in {language}: {sidebar}"
            layout = page.evaluate(LAYOUT)
            if layout["sideways"] > 0 or layout["wide"] or layout["cut"]:
                found[path] = layout
        assert not found, f"in {language} at 1280x720, words are cut or off screen: {found}"
    finally:
        page.context.close()
