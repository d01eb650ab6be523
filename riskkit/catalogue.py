"""Loading the catalogue and the indicator set shipped in data/ (or a user's upload).

Everything that enters from a file passes through pydantic here, and every
failure becomes a CatalogueError or IndicatorFileError naming the file and field.
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Callable
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from riskkit import words
from riskkit.errors import CatalogueError, IndicatorFileError, RiskkitError
from riskkit.i18n import LANGUAGES, SOURCE_LOCALE, ngettext
from riskkit.i18n import gettext as _
from riskkit.limits import (
    Disaggregation,
    IndicatorId,
    IndicatorNotice,
    IndicatorTitle,
    IndicatorWording,
    RiskNumber,
    Statement,
    Strategy,
    Title,
    file_label,
)
from riskkit.locations import data_file
from riskkit.models import Catalogue, IndicatorSet, validated

CATALOGUE_PATH = data_file("catalogue.yaml")
INDICATORS_PATH = data_file("indicators.yaml")
MAX_INDICATOR_UPLOAD_BYTES = 1_000_000
CSV_COLUMNS = ("id", "wording", "kind", "disaggregation", "risks")

M = TypeVar("M", bound=BaseModel)
U = TypeVar("U")


def describe(error: ValidationError, source: str) -> str:
    """One line per problem, each naming the file and the field's path."""
    lines = []
    for problem in error.errors()[:5]:
        where = ".".join(str(part) for part in problem["loc"]) or _("(top level)")
        lines.append(_("{source}: field '{field}': {problem}").format(source=source, field=where,
                                                                        problem=problem["msg"]))
    more = error.error_count() - len(lines)
    if more > 0:
        lines.append(ngettext("... and {count} more problem", "... and {count} more problems", more).format(count=more))
    return "\n".join(lines)


def _read_yaml(text: str, source: str, error: type[Exception]) -> Any:
    try:
        return yaml.safe_load(text)
    except RecursionError:
        raise error(_("{source}: nested far too deeply to be read.").format(source=source)) from None
    except yaml.YAMLError as exc:
        raise error(_("{source}: not readable as YAML ({problem}).").format(source=source,
                                                                           problem=exc.__class__.__name__)) from None


def _validate(model: type[M], raw: Any, source: str, error: type[Exception]) -> M:
    if not isinstance(raw, dict):
        raise error(_("{source}: expected a mapping of fields at the top level.").format(source=source))
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise error(describe(exc, source)) from None


def load_catalogue(path: Path | Traversable = CATALOGUE_PATH) -> Catalogue:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CatalogueError(_("{source}: cannot be read ({problem}).").format(source=path, problem=exc.strerror)) \
            from None
    catalogue = _validate(Catalogue, _read_yaml(text, str(path), CatalogueError), str(path), CatalogueError)
    words.check_vocabulary(catalogue.scale.levels, catalogue.bands.names, catalogue.policies.options, str(path))
    return catalogue


def load_indicators(path: Path | Traversable = INDICATORS_PATH, catalogue: Catalogue | None = None) -> IndicatorSet:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CatalogueError(_("{source}: cannot be read ({problem}).").format(source=path, problem=exc.strerror)) \
            from None
    indicators = _validate(IndicatorSet, _read_yaml(text, str(path), CatalogueError), str(path), CatalogueError)
    if catalogue is not None:
        _check_risk_numbers(indicators, catalogue, str(path), CatalogueError)
    return indicators


def parse_indicator_upload(name: str, content: bytes, catalogue: Catalogue) -> IndicatorSet:
    """A user's own indicator list (CSV or YAML, format in README) replacing the draft set.
    Every limit of the models holds; any refusal is an IndicatorFileError naming the file."""
    name = file_label(name)
    return _refusing(IndicatorFileError, name, _("{name}: the file cannot be read as an indicator list (see the "
                                                 "README for the format).").format(name=name),
                     lambda: _parse_indicator_upload(name, content, catalogue))


def _refusing(error: type[RiskkitError], name: str, unreadable: str, parse: Callable[[], U]) -> U:
    """An upload's parser, run so that every refusal is one `error` naming the file."""
    try:
        return parse()
    except error:
        raise
    except RiskkitError as exc:
        raise error(_("{name}: {problem}").format(name=name, problem=exc)) from None
    except (RecursionError, ValueError, TypeError, OverflowError):
        raise error(unreadable) from None


def _parse_indicator_upload(name: str, content: bytes, catalogue: Catalogue) -> IndicatorSet:
    if len(content) > MAX_INDICATOR_UPLOAD_BYTES:
        raise IndicatorFileError(_("{name}: the file is larger than 1 MB; an indicator list is far smaller.").format(
            name=name))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise IndicatorFileError(_("{name}: not a text file (save it as UTF-8 CSV or YAML).").format(
            name=name)) from None
    suffix = Path(name).suffix.lower()
    if suffix == ".csv":
        raw: Any = {"title": _("Indicators from {file}").format(file=name), "indicators": _csv_rows(text, name)}
    elif suffix in (".yaml", ".yml"):
        raw = _read_yaml(text, name, IndicatorFileError)
        if isinstance(raw, dict):
            raw.setdefault("title", _("Indicators from {file}").format(file=name))
    else:
        raise IndicatorFileError(_("{name}: upload a .csv or .yaml file.").format(name=name))
    indicators = _validate(IndicatorSet, raw, name, IndicatorFileError)
    if not indicators.indicators:
        raise IndicatorFileError(_("{name}: the file lists no indicators.").format(name=name))
    _check_risk_numbers(indicators, catalogue, name, IndicatorFileError)
    return validated(IndicatorSet, {**dict(indicators), "draft": False})


def _csv_rows(text: str, name: str) -> list[dict[str, Any]]:
    reader = csv.DictReader(io.StringIO(text))
    header = tuple(h.strip().lower() for h in (reader.fieldnames or ()))
    missing = [c for c in CSV_COLUMNS if c not in header]
    if missing:
        raise IndicatorFileError(ngettext("{name}: missing column {columns}; the header must be {header}.",
                                          "{name}: missing columns {columns}; the header must be {header}.",
                                          len(missing)).format(name=name, columns=", ".join(missing),
                                                               header=", ".join(CSV_COLUMNS)))
    rows = []
    for line, row in enumerate(reader, start=2):
        clean = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
        try:
            risks = [int(n) for n in _split(clean["risks"]) if n.isascii() and len(n) < 8]
            if len(risks) != len(_split(clean["risks"])):
                raise ValueError
        except ValueError:
            raise IndicatorFileError(_("{name}: line {line}, column 'risks': use risk numbers separated by ';' "
                                       "(e.g. 1;10).").format(name=name, line=line)) from None
        rows.append({"id": clean["id"], "wording": clean["wording"], "kind": clean["kind"].lower(),
                     "disaggregation": _split(clean["disaggregation"]), "risks": risks})
    return rows


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(";") if part.strip()]


def _check_risk_numbers(indicators: IndicatorSet, catalogue: Catalogue, source: str,
                        error: type[Exception]) -> None:
    known = {r.number for r in catalogue.risks}
    for indicator in indicators.indicators:
        unknown = sorted(set(indicator.risks) - known)
        if unknown:
            raise error(_("{source}: indicator '{id}', field 'risks': {numbers} not in the catalogue (risks are 1 "
                          "to {last}).").format(source=source, id=indicator.id, numbers=", ".join(map(str, unknown)),
                                                last=max(known)))


# --- the catalogue's words in other languages ---------------------------------------------
#
# Section 3.6 is English, verbatim, in data/catalogue.yaml. Its French and Spanish words sit
# beside it (data/catalogue.<lang>.yaml): riskkit's own, unofficial renderings, holding only
# text keyed by the English ids (risk number, goal name). An assessment may replace them with
# an official wording a user uploads, in the same shape (YAML or JSON). Ids never change.

MAX_WORDING_UPLOAD_BYTES = 1_000_000
RISKKIT = "riskkit"


class WordingFileError(RiskkitError):
    """A wording file (riskkit's own or an upload) that cannot be used; the message names
    the file and what is wrong."""


class GoalWording(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    name: Title = Field(min_length=1)
    text: Statement = Field(min_length=1)


class RiskWording(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    statement: Statement = Field(min_length=1)
    example_strategy: Strategy = ""


class WordingMarker(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    by: Title = Field(min_length=1)
    official: bool


class Wording(BaseModel):
    """The catalogue's words in one language, keyed by the English catalogue's ids."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    language: str
    translation: WordingMarker | None = None
    section_title: Title = Field(min_length=1)
    goals: dict[Title, GoalWording] = Field(max_length=50)
    instructions: Statement = Field(min_length=1)
    monitoring: Statement = Field(min_length=1)
    additional_risks_heading: Title = Field(min_length=1)
    risks: dict[RiskNumber, RiskWording] = Field(max_length=500)


class IndicatorWordings(BaseModel):
    """The draft indicators' words in one language, keyed by indicator id."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    language: str
    translation: WordingMarker
    title: IndicatorTitle = Field(min_length=1)
    notice: IndicatorNotice = ""
    disaggregation: dict[Disaggregation, Disaggregation] = {}
    indicators: dict[IndicatorId, IndicatorWording]


def translation_languages() -> tuple[str, ...]:
    """The languages other than the toolkit's English that riskkit offers."""
    return tuple(code for code in LANGUAGES if code != SOURCE_LOCALE)


def wording_path(language: str) -> Traversable:
    return data_file(f"catalogue.{language}.yaml")


def indicator_wording_path(language: str) -> Traversable:
    return data_file(f"indicators.{language}.yaml")


def load_wording(language: str, path: Path | Traversable | None = None) -> Wording:
    """riskkit's own rendering of the catalogue in `language`, checked against the English."""
    where = path or wording_path(language)
    source = str(where)
    try:
        text = where.read_text(encoding="utf-8")
    except OSError as exc:
        raise CatalogueError(_("{source}: cannot be read ({problem}).").format(source=source,
                                                                              problem=exc.strerror)) from None
    wording = _validate(Wording, _read_yaml(text, source, CatalogueError), source, CatalogueError)
    if wording.language != language or wording.translation is None:
        raise CatalogueError(f"{source}: must say 'language: {language}' and who translated it "
                             "('translation: {by: ..., official: ...}').")
    check_coverage(wording, load_catalogue(), source, CatalogueError)
    return wording


def check_coverage(wording: Wording, catalogue: Catalogue, source: str, error: type[Exception]) -> None:
    """The wording has words for exactly the catalogue's goals and risks: none missing, none
    the catalogue does not have, and an example strategy wherever the toolkit gives one."""
    problems: list[str] = []
    numbers = {risk.number for risk in catalogue.risks}
    goals = {goal.name for goal in catalogue.goals}
    missing, unknown = sorted(numbers - set(wording.risks)), sorted(set(wording.risks) - numbers)
    if missing:
        problems.append(_("no words for risk(s) {numbers}").format(numbers=", ".join(map(str, missing))))
    if unknown:
        problems.append(_("risk(s) {numbers} are not in the catalogue (its risks are {known})").format(
            numbers=", ".join(map(str, unknown[:10])), known=f"{min(numbers)}–{max(numbers)}"))
    if goals - set(wording.goals):
        problems.append(_("no words for the goal(s) {names}").format(
            names=", ".join(f"'{name}'" for name in sorted(goals - set(wording.goals)))))
    if set(wording.goals) - goals:
        problems.append(_("goal(s) {names} are not in the catalogue (its goals are {known})").format(
            names=", ".join(f"'{name}'" for name in sorted(set(wording.goals) - goals)[:10]),
            known=", ".join(f"'{name}'" for name in sorted(goals))))
    blank = [risk.number for risk in catalogue.risks
             if risk.example_strategy and risk.number in wording.risks
             and not wording.risks[risk.number].example_strategy]
    if blank:
        problems.append(_("no example strategy for risk(s) {numbers}").format(numbers=", ".join(map(str, blank))))
    if problems:
        raise error(_("{source}: {problems}.").format(source=source, problems="; ".join(problems)))


def translated(catalogue: Catalogue, wording: Wording) -> Catalogue:
    """The catalogue with its words replaced by `wording`'s and the translation marked; the
    ids (risk numbers, references, levels, bands, policies) stay as they are."""
    marker = wording.translation or WordingMarker(by=RISKKIT, official=False)
    data = catalogue.model_dump()
    data["section"]["title"] = wording.section_title
    data["goals"] = [{"name": wording.goals[goal.name].name, "text": wording.goals[goal.name].text}
                     for goal in catalogue.goals]
    data["instructions"] = wording.instructions
    data["monitoring"]["text"] = wording.monitoring
    data["additional_risks_heading"] = wording.additional_risks_heading
    data["risks"] = [{**risk, **wording.risks[risk["number"]].model_dump()} for risk in data["risks"]]
    data["translation"] = {"language": wording.language, "by": marker.by, "official": marker.official}
    return validated(Catalogue, data)


@functools.lru_cache(maxsize=8)
def catalogue_in(language: str) -> Catalogue:
    """The catalogue in `language`: the toolkit's English, or riskkit's unofficial rendering.
    A language riskkit has no words for is English. Cached: the values are frozen."""
    english = load_catalogue()
    if language not in translation_languages():
        return english
    return translated(english, load_wording(language))


def with_official_wording(language: str, official: Wording | None) -> Catalogue:
    """The catalogue in `language`, in the assessment's official wording when it has one."""
    if official is None or language == SOURCE_LOCALE or official.language != language:
        return catalogue_in(language)
    return translated(load_catalogue(), official)


@functools.lru_cache(maxsize=8)
def indicators_in(language: str) -> IndicatorSet:
    """riskkit's draft indicators in `language` (ids, kinds and linked risks as in English)."""
    english = load_indicators(catalogue=load_catalogue())
    if language not in translation_languages():
        return english
    path = indicator_wording_path(language)
    words = _validate(IndicatorWordings, _read_yaml(path.read_text(encoding="utf-8"), str(path), CatalogueError),
                      str(path), CatalogueError)
    ids = set(english.ids())
    if set(words.indicators) != ids or words.language != language:
        raise CatalogueError(f"{path}: must have words for exactly the indicators {', '.join(english.ids())}.")
    return validated(IndicatorSet, {
        "title": words.title, "draft": english.draft, "notice": words.notice,
        "indicators": [{**indicator.model_dump(), "wording": words.indicators[indicator.id],
                        "disaggregation": [words.disaggregation.get(d, d) for d in indicator.disaggregation]}
                       for indicator in english.indicators]})


def parse_wording_upload(name: str, content: bytes, language: str) -> Wording:
    """An official wording of the catalogue in `language` (YAML or JSON, the shape of
    data/catalogue.<language>.yaml) replacing riskkit's translation. Every risk and goal must
    have words; every text limit holds. Any refusal is a WordingFileError naming the file."""
    name = file_label(name)
    unreadable = _("{name}: the file cannot be read as a wording of the catalogue (see "
                   "data/catalogue.{language}.yaml for the shape).").format(name=name, language=language)
    return _refusing(WordingFileError, name, unreadable, lambda: _parse_wording_upload(name, content, language))


def _parse_wording_upload(name: str, content: bytes, language: str) -> Wording:
    if language not in translation_languages():
        raise WordingFileError(_("An official wording is for French or Spanish; English is the toolkit's own."))
    if len(content) > MAX_WORDING_UPLOAD_BYTES:
        raise WordingFileError(_("{name}: the file is larger than 1 MB; a wording of the catalogue is far "
                                 "smaller. Nothing was changed.").format(name=name))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise WordingFileError(_("{name}: not a text file (save it as UTF-8 YAML or JSON). Nothing was "
                                 "changed.").format(name=name)) from None
    if Path(name).suffix.lower() not in (".yaml", ".yml", ".json"):
        raise WordingFileError(_("{name}: upload a .yaml or .json file. Nothing was changed.").format(name=name))
    raw = _read_yaml(text, name, WordingFileError)  # JSON is YAML
    if isinstance(raw, dict):
        given = raw.get("language", language)
        if given != language:
            raise WordingFileError(_("{name}: the file says it is in '{given}', not in {language}. Nothing was "
                                     "changed.").format(name=name, given=str(given)[:20],
                                                        language=LANGUAGES[language]))
        raw = {**raw, "language": language, "translation": {"by": name, "official": True}}
    wording = _validate(Wording, raw, name, WordingFileError)
    check_coverage(wording, load_catalogue(), name, WordingFileError)
    return wording
