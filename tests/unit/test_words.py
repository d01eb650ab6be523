"""Ids apart from words: what is stored and read back is an id; what a person reads comes
from the message catalogue, so a label can change or be translated without breaking a file."""

from __future__ import annotations

import subprocess
import sys
import threading
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from openpyxl import load_workbook

from riskkit import i18n, words
from riskkit.catalogue import CATALOGUE_PATH, load_catalogue
from riskkit.errors import CatalogueError
from riskkit.exchange import Exported, from_xlsx, to_csv, to_xlsx
from riskkit.rules import mitigation_gaps
from tests.pseudo import write_pseudo_locale

ROOT = Path(__file__).resolve().parents[2]
POT = ROOT / "riskkit" / "locale" / "riskkit.pot"


def _ids(pot: Path) -> set[tuple[str | None, str]]:
    with pot.open("rb") as source:
        catalog = read_po(source)
    return {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in catalog if m.id}


def test_the_message_catalogue_lists_every_word_the_code_marks(tmp_path):
    fresh = tmp_path / "fresh.pot"
    subprocess.run([str(Path(sys.executable).parent / "pybabel"), "-q", "extract", "-F", "babel.cfg",
                    "-k", "NP_:1c,2", "--no-location", "-o", str(fresh), "."], cwd=ROOT, check=True)
    missing = _ids(fresh) - _ids(POT)
    stale = _ids(POT) - _ids(fresh)
    assert not missing and not stale, (f"riskkit/locale/riskkit.pot is out of date (see docs/messages.md): "
                                       f"missing {sorted(missing)[:5]}, no longer used {sorted(stale)[:5]}")


@pytest.fixture
def pseudo(tmp_path, monkeypatch):
    """A made-up language 'xx' whose every word differs from English: '‹Low›' for 'Low'."""
    folder = write_pseudo_locale(tmp_path / "locale", "xx", lambda message: f"‹{message}›")
    monkeypatch.setattr(i18n, "locale_dir", lambda: folder)
    i18n.translations.cache_clear()
    yield "xx"
    i18n.translations.cache_clear()
    i18n._LOCALES.clear()


def test_a_word_comes_from_the_readers_language_and_the_id_stays(pseudo):
    with i18n.using(pseudo):
        assert words.level("High") == "‹High›"
        assert words.band("high") == "‹High›"
        assert words.gap_kind("no_strategy") == "‹no strategy›"
    assert words.level("High") == "High"  # English elsewhere, in the same thread


def test_an_export_in_another_language_imports_back_in_english(catalogue, indicators, blank, pseudo):
    own, number = blank.add_own_risk(catalogue, "Interpreters unavailable")
    assessment = (own.rate(catalogue, 1, likelihood="High", impact="Medium").write_strategy(catalogue, 1, "Screen")
                  .rate(catalogue, number, likelihood="Low", impact="High").keep_internal(number, True))
    with i18n.using(pseudo):
        content = to_xlsx(Exported(title="Atelier"), assessment, catalogue, indicators)
        csv_text = to_csv(assessment, catalogue, indicators).decode("utf-8-sig")
    sheet = load_workbook(BytesIO(content))["‹Register›"]
    assert sheet["A1"].value == "‹No.›" and sheet["C2"].value == "‹High›"  # the reader's words, not ids
    assert "‹Likelihood›" in csv_text.splitlines()[0]
    back = from_xlsx(content, catalogue, indicators, name="atelier.xlsx")  # read in English
    assert back.assessment == assessment
    assert back.about.title == "Atelier"


def test_gaps_are_kinds_by_id_with_words_to_show(catalogue, indicators, blank):
    kinds = {g.kind for g in mitigation_gaps(catalogue, blank, indicators)}
    assert kinds == {"not_rated"} and all(k in words.GAP_KINDS for k in kinds)


def test_a_catalogue_level_without_words_is_refused_by_name(tmp_path):
    text = CATALOGUE_PATH.read_text(encoding="utf-8").replace("- High\n", "- Very high\n", 1)
    text = text.replace("    High:\n", "    Very high:\n").replace("      High: ", "      Very high: ")
    text = text.replace("threshold: High", "threshold: Very high")
    broken = tmp_path / "catalogue.yaml"
    broken.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogueError, match="Very high.*riskkit/words.py"):
        load_catalogue(broken)


def test_two_readers_in_two_languages_at_once_keep_their_own_words(pseudo):
    seen: dict[str, list[str]] = {"en": [], pseudo: []}
    barrier = threading.Barrier(2)

    def read(locale: str) -> None:
        i18n.set_locale(locale)
        for _ in range(200):
            barrier.wait(timeout=5) if _ == 0 else None
            seen[locale].append(words.level("Low"))

    threads = [threading.Thread(target=read, args=(loc,)) for loc in seen]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert set(seen["en"]) == {"Low"} and set(seen[pseudo]) == {"‹Low›"}
