"""A risk's follow-up on its card: the plan (actions with who, when and status), the rating
expected once the strategy is in place, the risk's review date, and its saved history with
a way back to any earlier value.

Every edit is a named edit of riskkit.models saved through ui.state.commit; a refusal is
shown in the card (or in the action form, which stays open with what was typed).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, cast

import streamlit as st

from riskkit import words
from riskkit.i18n import N_, format_datetime, long_date
from riskkit.i18n import gettext as _
from riskkit.models import Action, ActionStatus, AssessedRisk, Catalogue
from riskkit.rules import band_of
from ui import state
from ui.levels import level_word
from ui.text import md_literal, shorten
from ui.widgets import band_badge, refusable, show_notice

if TYPE_CHECKING:
    from riskkit.snapshot import Change

HISTORY_SHOWN = 40  # the latest changes listed in a risk's history
VALUE_SHOWN = 120  # characters of a value before it is shortened

# the fields of a risk's entry as a person reads them in its history
FIELDS: Mapping[str, str] = {
    "likelihood": N_("Likelihood"), "impact": N_("Impact"), "strategy": N_("Risk mitigation strategy"),
    "notes": N_("Notes"), "room": N_("Group rating"), "residual_likelihood": N_("Expected likelihood"),
    "residual_impact": N_("Expected impact"), "review_on": N_("Review date"), "actions": N_("Actions"),
}
LEVEL_FIELDS = ("likelihood", "impact", "residual_likelihood", "residual_impact")
FORM_FIELDS = ("what", "who", "due", "status", "note")


def card_region(number: int) -> str:
    return f"card.{number}"


def form_key(number: int) -> str:
    return f"assess.{number}.action_form"


# --- words --------------------------------------------------------------------------------


def due_words(action: Action, today: date) -> str:
    if action.due is None:
        return _("no due date")
    if action.overdue(today):
        return _("was due {date}").format(date=long_date(action.due, "medium"))
    return _("due {date}").format(date=long_date(action.due, "medium"))


def action_line(action: Action, today: date) -> str:
    """Who, when and status of an action in one line (its description is shown on its own)."""
    who = action.who or _("no one named yet")
    return _("Who: {who} · {due} · {status}").format(who=who, due=due_words(action, today),
                                                    status=words.action_status(action.status))


def changed_at(at: datetime) -> str:
    """When a change was saved, in the reader's language and the server's time zone."""
    return format_datetime(at.astimezone(), "medium")


def field_word(field: str) -> str:
    return _(FIELDS[field]) if field in FIELDS else field


def shown_value(field: str, value: Any) -> str:
    """A saved value as plain text a person reads: a level's word, a date written out, an
    action list in brief, long text shortened."""
    if value is None or value == "" or value == [] or value == ():
        return _("(empty)")
    if field in LEVEL_FIELDS and isinstance(value, str):
        return level_word(value)
    if field == "review_on" and isinstance(value, str):
        try:
            return long_date(date.fromisoformat(value), "medium")
        except ValueError:
            return shorten(value, VALUE_SHOWN)
    if field == "actions" and isinstance(value, list):
        listed = "; ".join(f"{each.get('what', '')} ({words.action_status(each['status'])})"
                           if each.get("status") in words.ACTION_STATUSES else str(each.get("what", ""))
                           for each in value if isinstance(each, dict))
        return shorten(listed, VALUE_SHOWN)
    if field == "room":
        return _("a group rating")
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return shorten(text, VALUE_SHOWN)


# --- the plan -------------------------------------------------------------------------------


def _open_form(number: int, action: Action | None) -> None:
    """Open the action form, filled with the action's values (empty for a new one)."""
    key = form_key(number)
    values: dict[str, Any] = ({"what": action.what, "who": action.who, "due": action.due, "status": action.status,
                               "note": action.note} if action else
                              {"what": "", "who": "", "due": None, "status": "planned", "note": ""})
    for name in FORM_FIELDS:
        st.session_state[f"{key}.{name}"] = values[name]
    state.open_action_form(number, action.id if action else None)


def _close_form(number: int) -> None:
    for name in FORM_FIELDS:
        st.session_state.pop(f"{form_key(number)}.{name}", None)
    state.close_action_form()


def _save_action(catalogue: Catalogue, number: int, action_id: str | None) -> None:
    key = form_key(number)
    typed = {name: st.session_state.get(f"{key}.{name}") for name in FORM_FIELDS}
    what, who, note = (str(typed[name] or "") for name in ("what", "who", "note"))
    due = typed["due"] if isinstance(typed["due"], date) else None
    status = cast(ActionStatus, typed["status"] if typed["status"] in words.ACTION_STATUSES else "planned")
    if action_id is None:
        saved = state.commit(lambda a: a.add_action(catalogue, number, what, who.strip(), due, status,
                                                    note.strip())[0], key)
    else:
        saved = state.commit(lambda a: a.change_action(catalogue, number, action_id, what=what, who=who.strip(),
                                                       due=due, status=status, note=note.strip()), key)
    if saved:
        _close_form(number)


def _remove_action(catalogue: Catalogue, number: int, action_id: str) -> None:
    if state.commit(lambda a: a.remove_action(catalogue, number, action_id), card_region(number)):
        if state.action_form() == (number, action_id):
            _close_form(number)


def action_form(catalogue: Catalogue, number: int, action_id: str | None) -> None:
    """Add or edit one action: what, who, due date, status, note; Save or Cancel."""
    key = form_key(number)
    for name, blank in (("what", ""), ("who", ""), ("due", None), ("status", "planned"), ("note", "")):
        st.session_state.setdefault(f"{key}.{name}", blank)  # opened without _open_form (a page switch)
    with st.form(key, border=True):
        st.markdown("**" + md_literal(_("A new action") if action_id is None else _("Edit the action")) + "**")
        show_notice(key)
        st.text_input(md_literal(_("What is to be done")), key=f"{key}.what")
        who, due, status = st.columns(3)
        who.text_input(md_literal(_("Who (an organisation or a role)")), key=f"{key}.who")
        due.date_input(md_literal(_("Due by")), key=f"{key}.due", format="YYYY-MM-DD")
        status.selectbox(md_literal(_("Status")), list(words.ACTION_STATUSES), key=f"{key}.status",
                         format_func=words.action_status)
        st.text_area(md_literal(_("Note")), key=f"{key}.note", height=68)
        save, cancel = st.columns(2)
        save.form_submit_button(md_literal(_("Save action")), type="primary", width="stretch",
                                on_click=refusable(_save_action, key), args=(catalogue, number, action_id))
        cancel.form_submit_button(md_literal(_("Cancel")), width="stretch",
                                  on_click=refusable(_close_form, key), args=(number,))


def plan(catalogue: Catalogue, risk: AssessedRisk, today: date) -> None:
    """The risk's actions, each with its Edit and Remove, and the form to add or edit one."""
    number = risk.number
    st.markdown("**" + md_literal(_("The plan: who does what, by when")) + "**")
    opened = state.action_form()
    if opened is not None and opened[0] == number and opened[1] is not None \
            and opened[1] not in {a.id for a in risk.actions}:
        opened = None  # the action edited is gone (a colleague removed it): the form is closed
        state.close_action_form()
    editing = opened[1] if opened and opened[0] == number else None
    if not risk.actions:
        st.caption(md_literal(_("No action planned yet.")))
    for action in risk.actions:
        with st.container(border=True, key=f"action-{number}-{action.id}"):
            text, buttons = st.columns([3, 1], vertical_alignment="center")
            with text:
                st.text(action.what)
                st.caption(md_literal(action_line(action, today)))
                if action.overdue(today):
                    st.markdown(":material/schedule: **" + md_literal(_("Overdue")) + "**")
                if action.note:
                    st.caption(md_literal(_("Note: {note}").format(note=action.note)))
            with buttons:  # stacked, so their words fit beside a long description at 1280 px
                st.button(md_literal(_("Edit")), key=f"assess.{number}.action.{action.id}.edit",
                          icon=":material/edit:", width="stretch", disabled=editing == action.id,
                          on_click=refusable(_open_form, card_region(number)), args=(number, action))
                with st.popover(md_literal(_("Remove")), icon=":material/delete:", width="stretch",
                                key=f"assess.{number}.action.{action.id}.remove_menu"):
                    st.write(md_literal(_("Remove this action from the plan?")))
                    st.button(md_literal(_("Yes, remove")), type="primary",
                              key=f"assess.{number}.action.{action.id}.remove",
                              on_click=refusable(_remove_action, card_region(number)),
                              args=(catalogue, number, action.id))
        if opened == (number, action.id):
            action_form(catalogue, number, action.id)
    if opened == (number, None):
        action_form(catalogue, number, None)
    elif opened is None or opened[0] != number:
        st.button(md_literal(_("Add an action")), key=f"assess.{number}.action.add", icon=":material/add:",
                  on_click=refusable(_open_form, card_region(number)), args=(number, None))


# --- residual rating and review -----------------------------------------------------------------


def _rate_residual(catalogue: Catalogue, number: int, field: str, key: str) -> None:
    level = st.session_state[key]
    if field == "likelihood":
        state.commit(lambda a: a.rate_residual(catalogue, number, likelihood=level), card_region(number))
    else:
        state.commit(lambda a: a.rate_residual(catalogue, number, impact=level), card_region(number))


def _schedule_review(catalogue: Catalogue, number: int, key: str) -> None:
    day = st.session_state[key]
    state.commit(lambda a: a.schedule_risk_review(catalogue, number, day if isinstance(day, date) else None),
                 card_region(number))


def residual(catalogue: Catalogue, risk: AssessedRisk) -> None:
    """Likelihood and impact expected once the strategy is in place, on the same scale."""
    st.markdown("**" + md_literal(_("Expected once the strategy is in place")) + "**")
    pickers, band = st.columns([4, 1], vertical_alignment="bottom")
    with pickers:
        left, right = st.columns(2)
        for column, field, label, level in ((left, "likelihood", _("Expected likelihood"), risk.residual_likelihood),
                                            (right, "impact", _("Expected impact"), risk.residual_impact)):
            key = f"assess.{risk.number}.residual_{field}"
            state.seed(key, level)
            column.segmented_control(md_literal(label), catalogue.scale.levels, key=key, format_func=level_word,
                                     on_change=refusable(_rate_residual, card_region(risk.number)),
                                     args=(catalogue, risk.number, field, key))
    with band:
        expected = (band_of(catalogue, risk.residual_likelihood, risk.residual_impact)
                    if risk.residual_likelihood and risk.residual_impact else None)
        band_badge(catalogue, expected, f"residual-{risk.number}")


def review(catalogue: Catalogue, risk: AssessedRisk) -> None:
    key = f"assess.{risk.number}.review_on"
    state.seed(key, risk.review_on)
    st.date_input(md_literal(_("Review this risk by")), key=key, format="YYYY-MM-DD", width=220,
                  on_change=refusable(_schedule_review, card_region(risk.number)),
                  args=(catalogue, risk.number, key))


# --- history ----------------------------------------------------------------------------------


def _restore(catalogue: Catalogue, number: int, field: str, value: Any) -> None:
    state.commit(lambda a: a.restore_entry_value(catalogue, number, field, value), card_region(number))


def newest_first(changes: tuple[Change, ...]) -> list[Change]:
    return sorted(changes, key=lambda c: c.at, reverse=True)


def history(catalogue: Catalogue, number: int) -> None:
    """The risk's saved changes, newest first: when, who, which field, before → after; and a
    Restore per change that saves the earlier value again (so the restore is in history too)."""
    with st.popover(md_literal(_("History")), icon=":material/history:", key=f"assess.{number}.history"):
        changes = [c for c in newest_first(state.history(number)) if c.field in FIELDS]
        if not changes:
            st.caption(md_literal(_("No saved changes yet.")))
            return
        for index, change in enumerate(changes[:HISTORY_SHOWN]):
            with st.container(border=True, key=f"change-{number}-{index}"):
                who = change.by or _("no name given")
                st.caption(md_literal(_("{when} · {who} · {field}").format(
                    when=changed_at(change.at), who=who, field=field_word(change.field))))
                st.text(_("{before} → {after}").format(before=shown_value(change.field, change.before),
                                                        after=shown_value(change.field, change.after)))
                st.button(md_literal(_("Restore the earlier value")), icon=":material/undo:",
                          key=f"assess.{number}.history.{index}.restore",
                          on_click=refusable(_restore, card_region(number)),
                          args=(catalogue, number, change.field, change.before))
        if len(changes) > HISTORY_SHOWN:
            st.caption(md_literal(_("The latest {shown} of {count} changes are shown.").format(
                shown=HISTORY_SHOWN, count=len(changes))))
