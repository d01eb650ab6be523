"""The register's vocabulary: stable ids (stored, exported, read back) and the words a
person reads for them, from the message catalogue.

A level is stored as its id ('High'); what a screen, a Word file or an Excel cell
shows is `level(id)` in the reader's language. Reading a file back accepts an id
or the word in any language riskkit has, so a French export imports anywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from riskkit.errors import CatalogueError
from riskkit.i18n import N_, NP_, available_locales, pgettext, using
from riskkit.i18n import gettext as _

# ids as the catalogue data names them -> (context, English word)
LEVELS: Mapping[str, tuple[str, str]] = {
    "Low": NP_("level", "Low"), "Medium": NP_("level", "Medium"), "High": NP_("level", "High"),
}
BANDS: Mapping[str, tuple[str, str]] = {
    "low": NP_("band", "Low"), "medium": NP_("band", "Medium"), "high": NP_("band", "High"),
}
POLICIES: Mapping[str, str] = {
    "both": N_("Toolkit reading: likelihood and impact both Medium or High"),
    "either": N_("Cautious: likelihood or impact Medium or High"),
}
GAP_KINDS: Mapping[str, str] = {
    "no_strategy": N_("no strategy"),
    "not_rated": N_("not rated"),
    "example_as_is": N_("example adopted as-is"),
    "no_indicator": N_("no indicator"),
}
INDICATOR_KINDS: Mapping[str, str] = {"output": N_("output"), "outcome": N_("outcome")}
ACTION_STATUSES: Mapping[str, str] = {
    "planned": N_("planned"), "in_progress": N_("in progress"), "done": N_("done"), "dropped": N_("dropped"),
}

# columns of the register as exported (Excel, CSV): id -> header
REGISTER_COLUMNS: Mapping[str, str] = {
    "number": N_("No."),
    "statement": N_("Identified risk"),
    "likelihood": N_("Likelihood"),
    "impact": N_("Impact"),
    "strategy": N_("Risk mitigation strategy"),
    "residual_likelihood": N_("Residual likelihood"),
    "residual_impact": N_("Residual impact"),
    "review_on": N_("Review date"),
    "references": N_("References"),
    "indicators": N_("Indicators"),
    "notes": N_("Notes"),
    "internal": N_("Internal"),
    "example_strategy": N_("Example strategy (toolkit)"),
}
INDICATOR_COLUMNS: Mapping[str, str] = {
    "id": N_("Id"), "wording": N_("Indicator"), "kind": N_("Kind"), "disaggregation": N_("Disaggregation"),
    "risks": N_("Risks"),
}
# columns of the Excel action plan: id -> header
ACTION_COLUMNS: Mapping[str, str] = {
    "number": N_("No."), "statement": N_("Identified risk"), "what": N_("Action"), "who": N_("Who"),
    "due": N_("Due date"), "status": N_("Status"), "overdue": N_("Overdue"), "note": N_("Note"), "id": N_("Id"),
}
# columns of an indicator values file (an upload, or the Excel sheet): id -> header
VALUE_COLUMNS: Mapping[str, str] = {
    "id": N_("Indicator id"), "wording": N_("Indicator"), "baseline": N_("Baseline"), "target": N_("Target"),
    "date": N_("Date"), "value": N_("Value"), "source": N_("Source"),
}
# what a values file may put in its Date column instead of a date: the row gives a baseline or target
VALUE_ROW_KINDS: Mapping[str, str] = {"baseline": N_("baseline"), "target": N_("target")}
# the Legend sheet's labels that an import reads back
LEGEND_LABELS: Mapping[str, str] = {
    "title": N_("riskkit assessment"),
    "context": N_("Country or project"),
    "held_on": N_("Date"),
    "policy": N_("Policy"),
}
YES: tuple[str, ...] = ("yes", "y", "true", "x", "1")


def level(level_id: str) -> str:
    context, word = LEVELS[level_id]
    return pgettext(context, word)


def band(band_id: str) -> str:
    context, word = BANDS[band_id]
    return pgettext(context, word)


def policy(policy_id: str) -> str:
    return _(POLICIES[policy_id])


def gap_kind(kind_id: str) -> str:
    return _(GAP_KINDS[kind_id])


def indicator_kind(kind_id: str) -> str:
    return _(INDICATOR_KINDS[kind_id])


def action_status(status_id: str) -> str:
    return _(ACTION_STATUSES[status_id])


def header(columns: Mapping[str, str], column_id: str) -> str:
    return _(columns[column_id])


def yes() -> str:
    return _("yes")


def id_from_text(text: str, vocabulary: Mapping[str, str | tuple[str, str]]) -> str | None:
    """The id a person's text stands for: the id itself, or its word in any language riskkit
    has, ignoring case and surrounding blanks. None when nothing matches."""
    wanted = " ".join(text.split()).casefold()
    if not wanted:
        return None
    for each in vocabulary:
        if each.casefold() == wanted:
            return each
    for locale in available_locales():
        with using(locale):
            for each, word in vocabulary.items():
                shown = pgettext(*word) if isinstance(word, tuple) else _(word)
                if " ".join(shown.split()).casefold() == wanted:
                    return each
    return None


def is_yes(text: str) -> bool:
    """'yes' in any language riskkit has, or y / true / x / 1."""
    cleaned = text.strip().casefold()
    if cleaned in YES:
        return True
    for locale in available_locales():
        with using(locale):
            if cleaned == _("yes").casefold():
                return True
    return False


def check_vocabulary(level_ids: Iterable[str], band_ids: Iterable[str], policy_ids: Iterable[str],
                     source: str) -> None:
    """Every id the catalogue data uses has words here, so nothing shows an id to a person."""
    for kind, ids, known in (("level", level_ids, LEVELS), ("band", band_ids, BANDS),
                             ("policy", policy_ids, POLICIES)):
        missing = [i for i in ids if i not in known]
        if missing:
            raise CatalogueError(f"{source}: {kind} id(s) {', '.join(missing)} have no words in riskkit/words.py; "
                                 "add them there (and to the message catalogue) first.")
