import re
from pathlib import Path

import pytest
import yaml

from riskkit.catalogue import CATALOGUE_PATH, load_catalogue, load_indicators, parse_indicator_upload
from riskkit.errors import CatalogueError, IndicatorFileError

SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / "000_b9712fefc57e7d56.txt"


def test_the_catalogue_has_the_sections_twelve_risks_with_their_references(catalogue):
    assert (catalogue.section.number, catalogue.section.title) == (
        "3.6", "Protection and assistance risk assessment and mitigation")
    assert [r.number for r in catalogue.risks] == list(range(1, 13))
    refs = {r.number: r.references for r in catalogue.risks}
    assert refs[2] == ("1.6", "1.7") and refs[1] == ("1.6",) and refs[12] == ("1.6",)
    assert refs[9] == () and refs[11] == ()
    assert [g.name for g in catalogue.goals] == ["Protection and assistance goal", "HRBA / Gender goal"]
    assert catalogue.monitoring.section == "4.3.5"
    assert catalogue.scale.levels == ("Low", "Medium", "High")


def test_paragraph_breaks_of_the_seed_are_kept_and_markup_removed(catalogue):
    nine = catalogue.risk(9).example_strategy
    assert nine.count("\n\n") == 2 and "<p>" not in nine
    assert all("<a" not in r.statement and "href" not in r.statement for r in catalogue.risks)


@pytest.mark.skipif(not SEED.exists(), reason="the shared seed is not beside this checkout")
def test_every_statement_and_example_strategy_is_verbatim_from_the_seed(catalogue):
    seed = SEED.read_text(encoding="utf-8")
    flat_seed = re.sub(r"<[^>]+>", " ", seed)
    flat_seed = " ".join(flat_seed.split())
    for risk in catalogue.risks:
        assert " ".join(risk.statement.split()) in flat_seed, risk.number
        for paragraph in risk.example_strategy.split("\n\n"):
            assert " ".join(paragraph.split()) in flat_seed, risk.number
    for goal in catalogue.goals:
        assert goal.text in seed
    assert catalogue.instructions in seed


def write_catalogue(tmp_path, mutate) -> Path:
    raw = yaml.safe_load(CATALOGUE_PATH.read_text(encoding="utf-8"))
    mutate(raw)
    path = tmp_path / "catalogue.yaml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    return path


def test_a_risk_without_a_statement_fails_naming_the_file_and_field(tmp_path):
    path = write_catalogue(tmp_path, lambda raw: raw["risks"][3].pop("statement"))
    with pytest.raises(CatalogueError) as error:
        load_catalogue(path)
    assert str(path) in str(error.value) and "risks.3.statement" in str(error.value)


def test_a_band_grid_with_an_unknown_band_fails(tmp_path):
    def mutate(raw):
        raw["bands"]["grid"]["High"]["High"] = "extreme"
    with pytest.raises(CatalogueError, match="extreme"):
        load_catalogue(write_catalogue(tmp_path, mutate))


def test_a_policy_threshold_off_the_scale_fails(tmp_path):
    def mutate(raw):
        raw["policies"]["options"]["both"]["threshold"] = "Severe"
    with pytest.raises(CatalogueError, match="Severe"):
        load_catalogue(write_catalogue(tmp_path, mutate))


def test_duplicate_risk_numbers_fail(tmp_path):
    def mutate(raw):
        raw["risks"][1]["number"] = 1
    with pytest.raises(CatalogueError, match="unique"):
        load_catalogue(write_catalogue(tmp_path, mutate))


def test_a_file_that_is_not_yaml_fails_clearly(tmp_path):
    path = tmp_path / "catalogue.yaml"
    path.write_text("risks: [unclosed", encoding="utf-8")
    with pytest.raises(CatalogueError, match="not readable as YAML"):
        load_catalogue(path)


def test_a_missing_file_fails_naming_it(tmp_path):
    with pytest.raises(CatalogueError, match="nothere.yaml"):
        load_catalogue(tmp_path / "nothere.yaml")


# --- indicators -----------------------------------------------------------------


def test_the_draft_indicators_monitor_every_risk_and_say_they_are_a_draft(catalogue, indicators):
    assert indicators.draft and "draft" in indicators.notice.lower() and "4.3.5" in indicators.notice
    assert 12 <= len(indicators.indicators) <= 20
    for risk in catalogue.risks:
        assert indicators.monitoring(risk.number), f"risk {risk.number} has no indicator"
    assert {i.kind for i in indicators.indicators} == {"output", "outcome"}


GOOD_CSV = (
    "id,wording,kind,disaggregation,risks\n"
    "X-1,Number of victims referred,output,sex;age,1;2\n"
    "X-2,Share of children treated as children,outcome,age,10\n"
)


def test_a_csv_indicator_list_replaces_the_draft(catalogue):
    own = parse_indicator_upload("ours.csv", GOOD_CSV.encode(), catalogue)
    assert not own.draft and own.ids() == ("X-1", "X-2")
    assert own.indicators[0].disaggregation == ("sex", "age") and own.indicators[0].risks == (1, 2)


def test_a_yaml_indicator_list_replaces_the_draft(catalogue):
    text = "indicators:\n  - {id: Y-1, wording: Shelters inspected, kind: output, risks: [5]}\n"
    own = parse_indicator_upload("ours.yaml", text.encode(), catalogue)
    assert own.ids() == ("Y-1",) and own.title == "Indicators from ours.yaml"


@pytest.mark.parametrize(("name", "content", "message"), [
    ("ours.csv", b"id,wording\nX,y\n", "missing column"),
    ("ours.csv", GOOD_CSV.replace("output", "activity").encode(), "kind"),
    ("ours.csv", GOOD_CSV.replace("1;2", "one").encode(), "line 2, column 'risks'"),
    ("ours.csv", GOOD_CSV.replace("1;2", "1;42").encode(), "42 not in the catalogue"),
    ("ours.csv", GOOD_CSV.replace("X-2", "X-1").encode(), "repeated: X-1"),
    ("ours.csv", b"id,wording,kind,disaggregation,risks\n", "no indicators"),
    ("ours.yaml", b"indicators: [unclosed", "not readable as YAML"),
    ("ours.yaml", b"- just a list", "mapping"),
    ("ours.xlsx", b"PK\x03\x04", ".csv or .yaml"),
    ("ours.csv", b"\xff\xfe\x00bad", "not a text file"),
    ("ours.csv", b"x" * 1_000_001, "larger than 1 MB"),
])
def test_a_bad_indicator_file_gets_a_clear_message(catalogue, name, content, message):
    with pytest.raises(IndicatorFileError, match=re.escape(message)):
        parse_indicator_upload(name, content, catalogue)


def test_the_shipped_indicator_file_is_checked_against_the_catalogue(tmp_path, catalogue):
    path = tmp_path / "indicators.yaml"
    path.write_text("title: t\nindicators:\n  - {id: A, wording: w, kind: output, risks: [77]}\n")
    with pytest.raises(CatalogueError, match="77"):
        load_indicators(path, catalogue)
