"""`riskkit plan` and `riskkit values` on a saved assessment (the test's own SQLite file)."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest

from riskkit.cli import main
from riskkit.store import Store


@pytest.fixture
def saved(catalogue):
    store = Store()
    made = store.create("Kenya follow-up", catalogue.policies.default)
    snapshot = store.load(made)
    a, _ = snapshot.assessment.add_action(catalogue, 3, "Map the shelters", "IOM", date.today() + timedelta(days=30))
    a, _ = a.add_action(catalogue, 7, "Train the police", "Ministry", date.today() - timedelta(days=3))
    store.save(snapshot, a)
    yield store, made
    store.engine.dispose()


def test_riskkit_plan_prints_the_overdue_action_first(saved, capsys):
    _store, made = saved
    assert main(["plan", made]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("OVERDUE ") and "risk 7  Ministry: Train the police" in lines[0]
    assert "risk 3  IOM: Map the shelters" in lines[1] and len(lines) == 2


def test_riskkit_plan_csv_has_a_row_per_action(saved, capsys):
    _store, made = saved
    assert main(["plan", "Kenya follow-up", "--csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert [(r[0], r[2], r[6]) for r in rows[1:]] == [("7", "Train the police", "overdue"),
                                                       ("3", "Map the shelters", "")]


def test_riskkit_values_records_a_file_of_values(saved, tmp_path, capsys):
    store, made = saved
    values = tmp_path / "values.csv"
    values.write_text("Indicator id;Date;Value;Source\nPA-01;2026-03-31;12,5;MoJ\nPA-01;target;40\n")
    assert main(["values", made, str(values)]) == 0
    assert "recorded 1 value" in capsys.readouterr().out
    track = store.load(made).assessment.track("PA-01")
    assert (track.target, track.latest.value, track.latest.source) == (40, 12.5, "MoJ")


def test_riskkit_values_refuses_a_bad_file_and_saves_nothing(saved, tmp_path, capsys):
    store, made = saved
    before = store.load(made)
    values = tmp_path / "values.csv"
    values.write_text("Indicator id,Date,Value\nPA-01,2026-03-31,12\nPA-01,next week,3\n")
    assert main(["values", made, str(values)]) == 2
    assert "values.csv, row 3, column Date: 'next week' is not a date" in capsys.readouterr().err
    assert store.load(made).assessment == before.assessment
    assert main(["values", made, str(tmp_path / "missing.csv")]) == 2
    assert "could not read" in capsys.readouterr().err


@pytest.fixture
def english_terminal(monkeypatch):
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")


def test_riskkit_plan_is_written_in_the_assessments_language(saved, english_terminal, capsys):
    store, made = saved
    store.rename(made, "Kenya follow-up", language="fr")
    assert main(["plan", made]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith("EN RETARD ") and "risque 7  Ministry : Train the police" in first
    assert main(["plan", made, "--csv"]) == 0
    french = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert main(["plan", made, "--csv", "--language", "en"]) == 0
    english = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert french[1][6] == "en retard" and english[1][6] == "overdue"
    assert (french[0][1], english[0][1]) == ("Risque identifié", "Identified risk")


def test_riskkit_plan_language_option_wins_over_the_assessments(saved, english_terminal, capsys):
    store, made = saved
    store.rename(made, "Kenya follow-up", language="fr")
    assert main(["plan", made, "--csv", "--language", "es"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[1][6] == "vencida"
    assert main(["plan", made, "--language", "en"]) == 0
    assert capsys.readouterr().out.startswith("OVERDUE ")


def test_the_commands_own_messages_follow_the_terminals_language(saved, monkeypatch, capsys):
    _store, made = saved
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "es_ES.UTF-8")
    assert main(["plan", "no-such-assessment"]) == 2
    assert "riskkit: Ninguna evaluación" in capsys.readouterr().err
    assert main(["plan", made]) == 0  # the plan itself keeps its assessment's language: English here
    assert capsys.readouterr().out.startswith("OVERDUE ")
    monkeypatch.setenv("LC_ALL", "fr_FR.UTF-8")
    with pytest.raises(SystemExit):
        main(["plan", "--help"])
    out = capsys.readouterr().out
    assert "l'id de l'évaluation" in out and "the assessment's id" not in out
