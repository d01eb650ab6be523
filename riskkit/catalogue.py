"""Loading the catalogue and the indicator set shipped in data/ (or a user's upload).

Everything that enters from a file passes through pydantic here, and every
failure becomes a CatalogueError or IndicatorFileError naming the file and field.
"""

from __future__ import annotations

import csv
import io
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from riskkit import words
from riskkit.errors import CatalogueError, IndicatorFileError, RiskkitError
from riskkit.limits import file_label
from riskkit.locations import data_file
from riskkit.models import Catalogue, IndicatorSet, validated

CATALOGUE_PATH = data_file("catalogue.yaml")
INDICATORS_PATH = data_file("indicators.yaml")
MAX_INDICATOR_UPLOAD_BYTES = 1_000_000
CSV_COLUMNS = ("id", "wording", "kind", "disaggregation", "risks")

M = TypeVar("M", bound=BaseModel)


def describe(error: ValidationError, source: str) -> str:
    """One line per problem, each naming the file and the field's path."""
    lines = []
    for problem in error.errors()[:5]:
        where = ".".join(str(part) for part in problem["loc"]) or "(top level)"
        lines.append(f"{source}: field '{where}': {problem['msg']}")
    more = error.error_count() - len(lines)
    if more > 0:
        lines.append(f"... and {more} more problem(s)")
    return "\n".join(lines)


def _read_yaml(text: str, source: str, error: type[Exception]) -> Any:
    try:
        return yaml.safe_load(text)
    except RecursionError:
        raise error(f"{source}: nested far too deeply to be read.") from None
    except yaml.YAMLError as exc:
        raise error(f"{source}: not readable as YAML ({exc.__class__.__name__}).") from None


def _validate(model: type[M], raw: Any, source: str, error: type[Exception]) -> M:
    if not isinstance(raw, dict):
        raise error(f"{source}: expected a mapping of fields at the top level.")
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise error(describe(exc, source)) from None


def load_catalogue(path: Path | Traversable = CATALOGUE_PATH) -> Catalogue:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CatalogueError(f"{path}: cannot be read ({exc.strerror}).") from None
    catalogue = _validate(Catalogue, _read_yaml(text, str(path), CatalogueError), str(path), CatalogueError)
    words.check_vocabulary(catalogue.scale.levels, catalogue.bands.names, catalogue.policies.options, str(path))
    return catalogue


def load_indicators(path: Path | Traversable = INDICATORS_PATH, catalogue: Catalogue | None = None) -> IndicatorSet:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CatalogueError(f"{path}: cannot be read ({exc.strerror}).") from None
    indicators = _validate(IndicatorSet, _read_yaml(text, str(path), CatalogueError), str(path), CatalogueError)
    if catalogue is not None:
        _check_risk_numbers(indicators, catalogue, str(path), CatalogueError)
    return indicators


def parse_indicator_upload(name: str, content: bytes, catalogue: Catalogue) -> IndicatorSet:
    """A user's own indicator list (CSV or YAML, format in README) replacing the draft set.
    Every limit of the models holds; any refusal is an IndicatorFileError naming the file."""
    name = file_label(name)
    try:
        return _parse_indicator_upload(name, content, catalogue)
    except IndicatorFileError:
        raise
    except RiskkitError as exc:
        raise IndicatorFileError(f"{name}: {exc}") from None
    except (RecursionError, ValueError, TypeError, OverflowError):
        raise IndicatorFileError(f"{name}: the file cannot be read as an indicator list (see the README for the "
                                 "format).") from None


def _parse_indicator_upload(name: str, content: bytes, catalogue: Catalogue) -> IndicatorSet:
    if len(content) > MAX_INDICATOR_UPLOAD_BYTES:
        raise IndicatorFileError(f"{name}: the file is larger than 1 MB; an indicator list is far smaller.")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise IndicatorFileError(f"{name}: not a text file (save it as UTF-8 CSV or YAML).") from None
    suffix = Path(name).suffix.lower()
    if suffix == ".csv":
        raw: Any = {"title": f"Indicators from {name}", "indicators": _csv_rows(text, name)}
    elif suffix in (".yaml", ".yml"):
        raw = _read_yaml(text, name, IndicatorFileError)
        if isinstance(raw, dict):
            raw.setdefault("title", f"Indicators from {name}")
    else:
        raise IndicatorFileError(f"{name}: upload a .csv or .yaml file.")
    indicators = _validate(IndicatorSet, raw, name, IndicatorFileError)
    if not indicators.indicators:
        raise IndicatorFileError(f"{name}: the file lists no indicators.")
    _check_risk_numbers(indicators, catalogue, name, IndicatorFileError)
    return validated(IndicatorSet, {**dict(indicators), "draft": False})


def _csv_rows(text: str, name: str) -> list[dict[str, Any]]:
    reader = csv.DictReader(io.StringIO(text))
    header = tuple(h.strip().lower() for h in (reader.fieldnames or ()))
    missing = [c for c in CSV_COLUMNS if c not in header]
    if missing:
        raise IndicatorFileError(
            f"{name}: missing column(s) {', '.join(missing)}; the header must be {', '.join(CSV_COLUMNS)}."
        )
    rows = []
    for line, row in enumerate(reader, start=2):
        clean = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
        try:
            risks = [int(n) for n in _split(clean["risks"]) if n.isascii() and len(n) < 8]
            if len(risks) != len(_split(clean["risks"])):
                raise ValueError
        except ValueError:
            raise IndicatorFileError(
                f"{name}: line {line}, column 'risks': use risk numbers separated by ';' (e.g. 1;10)."
            ) from None
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
            raise error(f"{source}: indicator '{indicator.id}', field 'risks': "
                        f"{', '.join(map(str, unknown))} not in the catalogue (risks are 1 to {max(known)}).")
