"""The catalogue in three languages: the toolkit's English verbatim, riskkit's unofficial French
and Spanish beside it with exactly the same ids, and an official wording a user provides."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
import yaml

from riskkit import i18n
from riskkit.catalogue import (
    MAX_WORDING_UPLOAD_BYTES,
    WordingFileError,
    catalogue_in,
    indicators_in,
    parse_wording_upload,
    with_official_wording,
    wording_path,
)
from riskkit.i18n import accepted_language, pick_language, using
from riskkit.store import database_url, shared_store

TRANSLATED = ("fr", "es")


def wording_data(language: str) -> dict:
    return yaml.safe_load(wording_path(language).read_text(encoding="utf-8"))


def upload(data: object, name: str = "officiel.yaml", language: str = "fr"):
    content = data if isinstance(data, bytes) else yaml.safe_dump(data, allow_unicode=True).encode()
    return parse_wording_upload(name, content, language)


@pytest.mark.parametrize("language", TRANSLATED)
def test_a_translation_has_words_for_exactly_the_english_ids(catalogue, indicators, language):
    data = wording_data(language)
    assert set(data["risks"]) == {risk.number for risk in catalogue.risks}
    assert set(data["goals"]) == {goal.name for goal in catalogue.goals}
    translated = indicators_in(language)
    assert translated.ids() == indicators.ids()
    assert [i.risks for i in translated.indicators] == [i.risks for i in indicators.indicators]
    assert [i.kind for i in translated.indicators] == [i.kind for i in indicators.indicators]


@pytest.mark.parametrize("language", TRANSLATED)
def test_a_translated_catalogue_keeps_every_id_and_replaces_every_word(catalogue, language):
    translated = catalogue_in(language)
    assert translated.translation is not None
    assert (translated.translation.by, translated.translation.official) == ("riskkit", False)
    assert [(r.number, r.references) for r in translated.risks] == [(r.number, r.references) for r in catalogue.risks]
    assert (translated.scale, translated.bands, translated.policies) == (catalogue.scale, catalogue.bands,
                                                                         catalogue.policies)
    english = [catalogue.section.title, catalogue.instructions, catalogue.monitoring.text,
               catalogue.additional_risks_heading, *(g.text for g in catalogue.goals),
               *(r.statement for r in catalogue.risks), *(r.example_strategy for r in catalogue.risks)]
    words = [translated.section.title, translated.instructions, translated.monitoring.text,
             translated.additional_risks_heading, *(g.text for g in translated.goals),
             *(r.statement for r in translated.risks), *(r.example_strategy for r in translated.risks)]
    assert not set(english) & set(words)
    assert translated.risk(9).example_strategy.count("\n\n") == 2  # three paragraphs, as in the toolkit


def test_the_toolkits_english_is_unmarked_and_a_language_riskkit_lacks_is_english(catalogue):
    assert catalogue_in("en") == catalogue and catalogue.translation is None
    assert catalogue_in("de") == catalogue


def test_an_official_wording_replaces_riskkits_translation_and_says_where_it_came_from(catalogue):
    official = upload({**wording_data("fr"), "section_title": "Titre officiel"}, name="ONUDC 3.6 fr.yaml")
    shown = with_official_wording("fr", official)
    assert shown.section.title == "Titre officiel" and shown.translation is not None
    assert (shown.translation.by, shown.translation.official) == ("ONUDC 3.6 fr.yaml", True)
    assert with_official_wording("es", official) == catalogue_in("es")  # a French wording is not Spanish


def test_an_official_wording_may_come_as_json(catalogue):
    data = {key: value for key, value in wording_data("es").items() if key != "translation"}
    official = upload(json.dumps(data, ensure_ascii=False).encode(), name="oficial.json", language="es")
    assert official.translation is not None and official.translation.official


def without_risk(number: int) -> dict:
    data = wording_data("fr")
    return {**data, "risks": {n: r for n, r in data["risks"].items() if n != number}}


@pytest.mark.parametrize(("content", "name", "message"), [
    (without_risk(7), "f.yaml", "no words for risk\\(s\\) 7"),
    ({**wording_data("fr"), "risks": {**wording_data("fr")["risks"], 13: {"statement": "x"}}}, "f.yaml",
     "risk\\(s\\) 13 are not in the catalogue"),
    ({**wording_data("fr"), "goals": {"Protection and assistance goal": wording_data("fr")["goals"][
        "Protection and assistance goal"]}}, "f.yaml", "no words for the goal\\(s\\) 'HRBA / Gender goal'"),
    ({**wording_data("fr"), "risks": {**wording_data("fr")["risks"], 3: {"statement": "x"}}}, "f.yaml",
     "no example strategy for risk\\(s\\) 3"),
    ({**wording_data("fr"), "risks": {**wording_data("fr")["risks"], 1: {"statement": "x" * 2001}}}, "f.yaml",
     "Identified risk: 2,001 characters is more than the 2,000 allowed"),
    ({**wording_data("fr"), "section_title": "Titre\u202e"}, "f.yaml", "invisible control character"),
    ({**wording_data("fr"), "language": "es"}, "f.yaml", "says it is in 'es', not in Français"),
    ({**wording_data("fr"), "colour": "red"}, "f.yaml", "colour"),
    (wording_data("fr"), "f.docx", "upload a .yaml or .json file"),
    (b"risks: [unclosed", "f.yaml", "not readable as YAML"),
    (b"\xff\xfe\x00", "f.yaml", "not a text file"),
    (b"- just\n- a list\n", "f.yaml", "expected a mapping"),
    (b"x" * (MAX_WORDING_UPLOAD_BYTES + 1), "f.yaml", "larger than 1 MB"),
])
def test_a_bad_wording_file_is_refused_with_what_is_wrong(content, name, message):
    with pytest.raises(WordingFileError, match=message):
        upload(content, name=name)


def test_english_needs_no_official_wording():
    with pytest.raises(WordingFileError, match="French or Spanish"):
        upload(wording_data("fr"), language="en")


def test_an_official_wording_is_kept_with_its_assessment_and_can_be_removed(catalogue):
    store = shared_store(database_url())
    made = store.create("Atelier", catalogue.policies.default)
    official = upload(wording_data("fr"), name="officiel.yaml")
    store.templates.put_wording(made, official)
    assert store.templates.wording(made, "fr") == official and store.templates.wording(made, "es") is None
    assert store.templates.wording(store.duplicate(made, "Copie"), "fr") == official  # a copy keeps it
    assert store.templates.remove_wording(made, "fr") and store.templates.wording(made, "fr") is None


@pytest.mark.parametrize(("asked", "remembered", "browser", "chosen"), [
    (None, None, "fr-FR", "fr"), (None, None, "es-419", "es"), (None, None, "de-DE", "en"), (None, None, None, "en"),
    ("es", None, "fr-FR", "es"), (None, "es", "fr-FR", "es"), ("fr", "es", None, "fr"),
    ("<script>", None, "es-ES", "es"), ("xx", "fr", None, "fr"), ("FR", None, None, "en"),
    (None, None, "fr-FR\n<img>", "en"), (None, None, "f" * 500, "en"),
])
def test_the_language_comes_from_the_address_then_the_session_then_the_browser(asked, remembered, browser, chosen):
    assert pick_language(asked, remembered, browser) == chosen


def test_accept_language_weights_are_honoured():
    assert accepted_language("en;q=0.5, fr;q=0.8") == "fr"
    assert accepted_language("es, fr") == "es"


def test_dates_and_numbers_follow_the_locale():
    with using("fr"):
        assert i18n.format_date(date(2025, 3, 3), "long") == "3 mars 2025"
        assert i18n.format_number(1234.5) == "1\u202f234,5"
        assert i18n.format_datetime(datetime(2025, 3, 3, 14, 5, tzinfo=UTC), "short") == "03/03/2025 14:05"
    with using("es"):
        assert i18n.format_date(date(2025, 3, 3), "long") == "3 de marzo de 2025"
        assert i18n.format_number(1234.5, digits=2) == "1.234,50"
    with using("en"):
        assert i18n.format_number(1234.5, digits=0) == "1,234" and i18n.format_date(None) == ""


def test_names_sort_ignoring_accents_and_case():
    names = ["emma", "Élodie", "Eduardo", "Zoé", "ángel", "Nuria", "Ñandú", "Oscar"]
    with using("fr"):
        assert sorted(names, key=i18n.sort_key) == ["ángel", "Eduardo", "Élodie", "emma", "Ñandú", "Nuria",
                                                     "Oscar", "Zoé"]
    with using("es"):
        assert sorted(names, key=i18n.sort_key)[4:6] == ["Nuria", "Ñandú"]
