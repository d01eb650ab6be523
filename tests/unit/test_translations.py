"""The French and Spanish catalogues: a translation says the same thing with the same
values in it (the same {placeholders}, every plural form), and, once the final pass is
done, every message has one.

The completeness test is marked `translations_complete`: while messages are being added
it fails by design; `scripts/untranslated.py` lists what is left. Run it alone with
    .venv/bin/python -m pytest -m translations_complete tests/unit/test_translations.py
"""

from __future__ import annotations

import string
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from riskkit import i18n
from riskkit.limits import InvalidText, checked_text
from ui.text import md_format

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "riskkit" / "locale"
POT = LOCALE / "riskkit.pot"
LANGUAGES = ("fr", "es")


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as source:
        return read_po(source, locale=locale)


@pytest.fixture(scope="module", params=LANGUAGES)
def language(request: pytest.FixtureRequest) -> tuple[str, Catalog]:
    return request.param, _read(LOCALE / request.param / "LC_MESSAGES" / "riskkit.po", request.param)


def _forms(value: str | tuple[str, ...] | None) -> tuple[str, ...]:
    return value if isinstance(value, tuple) else (value or "",)


def placeholders(text: str) -> Counter[str]:
    """The {fields} of a message with their format specs: '{count:,}' is not '{count}'."""
    found: Counter[str] = Counter()
    for _literal, field, spec, conversion in string.Formatter().parse(text):
        if field is not None:
            found[f"{{{field}{'!' + conversion if conversion else ''}{':' + spec if spec else ''}}}"] += 1
    return found


def _translated(catalog: Catalog) -> list[Message]:
    return [m for m in catalog if m.id and not m.fuzzy and any(_forms(m.string))]


def test_a_translation_keeps_exactly_the_placeholders_of_its_message(language):
    """The same fields, each as often, with the same format spec: a dropped {title} loses what a
    person typed, an added {name} is a KeyError on screen. A plural's singular may say 'one'
    where its plural says {count}; the other forms use exactly the plural's fields."""
    code, catalog = language
    wrong = []
    for message in _translated(catalog):
        ids = _forms(message.id)
        forms = _forms(message.string)
        for number, form in enumerate(forms):
            if len(ids) == 1 or number > 0:
                good = placeholders(form) == placeholders(ids[-1])
            else:
                shared = set(placeholders(ids[0])) & set(placeholders(ids[1]))
                good = shared <= set(placeholders(form)) <= set(placeholders(ids[0])) | set(placeholders(ids[1]))
            if form and not good:
                wrong.append(f"{ids[0]!r} -> {form!r}")
    assert wrong == [], f"{code}: placeholders changed in translation:\n" + "\n".join(wrong)


def test_a_plural_message_has_every_form_of_the_language(language):
    code, catalog = language
    assert catalog.num_plurals == 2, f"{code}: riskkit writes two plural forms (one, other)"
    short = [m.id[0] for m in _translated(catalog) if isinstance(m.id, tuple)
             and (len(_forms(m.string)) != catalog.num_plurals or not all(_forms(m.string)))]
    assert short == [], f"{code}: plural messages missing a form: {short}"


def test_a_translation_keeps_the_markdown_emphasis_of_its_message(language):
    """'**Our strategy**' bold in English is bold in French: the same number of * and of line
    breaks, so a translation cannot leave an emphasis open across the page (or show on screen
    the part of a button's name only a screen reader reads: 'Open *“{title}”*')."""
    code, catalog = language
    wrong = [f"{m.id!r} -> {form!r}" for m in _translated(catalog) for form in _forms(m.string)
             if form and (form.count("*") != _forms(m.id)[0].count("*")
                          or form.count("\n") != _forms(m.id)[0].count("\n"))]
    assert wrong == [], f"{code}: emphasis or lines changed:\n" + "\n".join(wrong)


def test_the_languages_are_read_at_run_time_from_their_po_files():
    assert {"fr", "es"} <= set(i18n.available_locales())
    with i18n.using("fr"):
        assert i18n.gettext("Assessments") == "Évaluations"
    with i18n.using("es"):
        assert i18n.gettext("Assessments") == "Evaluaciones"


def test_a_translated_message_still_shows_what_a_person_typed_as_text():
    with i18n.using("fr"):
        shown = md_format(i18n.gettext("Deleted “{title}”."), title="[click](http://x.example) **now**")
    assert shown.startswith("Évaluation « ") and "\\[click\\]" in shown and "\\*\\*now\\*\\*" in shown
    assert "](" not in shown


def test_a_refused_text_is_explained_in_the_readers_language_with_its_numbers_written_as_there():
    with i18n.using("fr"), pytest.raises(InvalidText) as refused:
        checked_text("strategy", "x" * 20_001)
    assert str(refused.value).startswith("Stratégie d'atténuation des risques : 20\u202f001 caractères")
    assert "32 767 caractères d'une cellule Excel" in str(refused.value)
    with i18n.using("es"), pytest.raises(InvalidText, match=r"^Título: contiene un salto de línea"):
        checked_text("title", "one\ntwo")


@pytest.mark.translations_complete
def test_every_message_of_the_template_is_translated_in_french_and_spanish():
    """Fails while messages are being added; scripts/untranslated.py refreshes and lists them."""
    wanted = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in _read(POT) if m.id}
    missing: dict[str, list[str]] = {}
    for code in LANGUAGES:
        catalog = _read(LOCALE / code / "LC_MESSAGES" / "riskkit.po", code)
        done = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in _translated(catalog)
                if all(_forms(m.string))}
        left = sorted(text for _context, text in wanted - done)
        if left:
            missing[code] = left
    assert not missing, "untranslated (run scripts/untranslated.py): " + "; ".join(
        f"{code}: {len(left)}, e.g. {left[:3]}" for code, left in missing.items())
