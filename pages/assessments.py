"""Assessments: create, open, rename, duplicate, delete (with undo), export and import."""

import functools
from datetime import date

import streamlit as st

from riskkit import i18n, words
from riskkit.exchange import Exported, FileRejected, from_json, from_xlsx
from riskkit.i18n import gettext as _
from riskkit.limits import file_label
from riskkit.outputs import build, words_for
from riskkit.snapshot import Summary
from ui import language, state
from ui.text import md_format, md_literal
from ui.widgets import download, refusable, show_notice

# Each assessment's buttons name it for a screen reader ("Open “Kenya workshop”"): the name is
# the label's emphasis (*…*), hidden on screen, where the row already shows the title. Our CSS.
NAMED_BUTTONS_CSS = """<style>
[class*="st-key-assessment-"] button em { position: absolute !important; width: 1px !important;
  height: 1px !important; overflow: hidden !important; clip-path: inset(50%) !important;
  white-space: nowrap !important; }
</style>"""
UNDO_KEY = "assessments.undo"
SHOWN = 40

cat = state.catalogue()
store = state.store()


NEW = "assessments.new"
IMPORT = "assessments.import"


def _create() -> None:
    """Create, open, and go to Assess: the next thing to do with a new assessment."""
    new_id = store.create(st.session_state[f"{NEW}.title"], st.session_state[f"{NEW}.policy"],
                          st.session_state[f"{NEW}.context"], st.session_state[f"{NEW}.date"],
                          organisation=st.session_state[f"{NEW}.organisation"])
    state.open_assessment(new_id)
    state.land_on("pages/assess.py")


def _rename(summary: Summary) -> None:
    """Guarded like every save: refused if someone renamed it since this list was drawn,
    with what was typed kept in the boxes."""
    keys = (f"assessments.{summary.id}.title", f"assessments.{summary.id}.context",
            f"assessments.{summary.id}.organisation", f"assessments.{summary.id}.language")
    typed = [st.session_state.get(key) for key in keys]
    try:
        store.rename(summary.id, str(typed[0] or ""), context=None if typed[1] is None else str(typed[1]),
                     seen=summary, organisation=None if typed[2] is None else str(typed[2]),
                     language=None if typed[3] is None else str(typed[3]))
    except Exception:
        st.session_state.setdefault(state.PENDING, {}).update(zip(keys, typed, strict=True))
        raise  # said by refusable, under this assessment
    for key in keys:
        state.drop_unsaved(key)


def _duplicate(summary: Summary) -> None:
    title = _("{title} (copy of {date})").format(title=summary.title, date=date.today().isoformat())
    store.duplicate(summary.id, title if len(title) <= 200 else summary.title)


def _delete(summary: Summary) -> None:
    store.delete(summary.id)
    st.session_state[UNDO_KEY] = summary
    if summary.id == state.snapshot().summary.id:
        st.session_state.pop(state.SNAPSHOT, None)
        st.query_params.pop(state.URL_PARAM, None)


def _restore(summary: Summary) -> None:
    store.restore(summary.id)
    st.session_state.pop(UNDO_KEY, None)


def _import() -> None:
    upload = st.session_state[f"{IMPORT}.file"]
    if upload is None:
        raise FileRejected(_("Choose a file to import first."))
    content = upload.getvalue()
    name = file_label(upload.name)
    if upload.name.lower().endswith(".json"):
        imported = from_json(content, cat, name)
    elif upload.name.lower().endswith(".xlsx"):
        imported = from_xlsx(content, cat, state.default_indicators(), name)
    else:
        raise FileRejected(_("{name}: import a .json or .xlsx file exported by riskkit.").format(name=name))
    about = imported.about
    new_id = store.create(about.title, imported.assessment.policy, about.context, about.held_on,
                          assessment=imported.assessment, organisation=about.organisation, language=about.language)
    state.open_assessment(new_id)


landing = state.take_landing()
if landing:  # created and opened: on to rating it
    st.switch_page(landing, query_params={state.URL_PARAM: state.snapshot().summary.id})

st.html(NAMED_BUTTONS_CSS)
st.title(_("Assessments"))
show_notice()
current = state.snapshot()
undo = st.session_state.get(UNDO_KEY)
if undo is not None:
    message, button = st.columns([5, 1], vertical_alignment="center")
    message.warning(md_format(_("Deleted “{title}”."), title=undo.title), icon=":material/delete:")
    button.button(_("Undo"), key="assessments.undo_button", on_click=refusable(_restore), args=(undo,),
                  width="stretch")

st.markdown(_("**Open now:**"))
st.text(current.summary.title + (f" · {current.summary.context}" if current.summary.context else ""))

about = Exported(title=current.summary.title, context=current.summary.context, held_on=current.summary.held_on,
                 organisation=current.summary.organisation, language=current.summary.language)
stem = "".join(ch if ch.isalnum() else "-" for ch in current.summary.title).strip("-")[:60] or "assessment"
opened = current.assessment  # this person's, now: the files are built from these
# in the assessment's language (chosen below or on Briefing), whatever this page is shown in
written_in = current.summary.language if current.summary.language in i18n.LANGUAGES else i18n.SOURCE_LOCALE
export_cat, export_indicators = words_for(written_in, language.official_wording(current.summary.id, written_in),
                                          opened)
in_language = functools.partial(build, language=written_in)
json_col, xlsx_col, csv_col = st.columns(3)
download(json_col, _("Export JSON"), in_language, "json", about, opened, export_cat, export_indicators,
         file_name=f"{stem}.json", mime="application/json", key="assessments.export.json",
         icon=":material/download:")
download(xlsx_col, _("Export Excel"), in_language, "xlsx", about, opened, export_cat, export_indicators,
         file_name=f"{stem}.xlsx", mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         key="assessments.export.xlsx", icon=":material/download:")
download(csv_col, _("Export register CSV"), in_language, "csv", about, opened, export_cat, export_indicators,
         file_name=f"{stem}-register.csv", mime="text/csv", key="assessments.export.csv",
         icon=":material/download:")

st.subheader(_("All assessments"))
summaries = store.list()
for summary in summaries[:SHOWN]:
    here = f"assessments.{summary.id}"  # a refused open, rename, copy or delete is said in this box
    with st.container(border=True, key=f"assessment-{summary.id}"):
        show_notice(here)
        name, actions = st.columns([1, 1], vertical_alignment="center")
        with name:
            st.text(_("{title}  (open now)").format(title=summary.title) if summary.id == current.summary.id
                    else summary.title)
            details = [summary.context, i18n.format_date(summary.held_on),
                       _("updated {when}").format(when=i18n.format_datetime(summary.updated_at.astimezone(),
                                                                            "short"))]
            st.caption(md_literal(" · ".join(d for d in details if d)))
        # each button names its assessment to a screen reader (NAMED_BUTTONS_CSS); side by side at
        # their own width, so a longer word (French, Spanish) is never cut, and wrapped when needed
        with actions, st.container(horizontal=True, horizontal_alignment="right", gap="small"):
            if summary.id != current.summary.id:
                st.button(md_format(_("Open *“{title}”*"), title=summary.title),
                          key=f"assessments.{summary.id}.open", on_click=refusable(state.open_assessment, here),
                          args=(summary.id,))
            with st.popover(md_format(_("Edit *“{title}”*"), title=summary.title),
                            help=_("Rename it or change its details")):
                state.seed(f"assessments.{summary.id}.title", summary.title)
                state.seed(f"assessments.{summary.id}.context", summary.context)
                state.seed(f"assessments.{summary.id}.organisation", summary.organisation)
                state.seed(f"assessments.{summary.id}.language", summary.language)
                st.text_input(_("Title"), key=f"assessments.{summary.id}.title")
                st.text_input(_("Country or project"), key=f"assessments.{summary.id}.context")
                st.text_input(_("Organisation"), key=f"assessments.{summary.id}.organisation")
                st.selectbox(_("Language of its exports"), list(i18n.LANGUAGES),
                             key=f"assessments.{summary.id}.language", format_func=i18n.LANGUAGES.__getitem__,
                             help=_("The Word report, the slides, the images and the Excel file are written in it"))
                st.button(_("Save"), key=f"assessments.{summary.id}.rename", on_click=refusable(_rename, here),
                          args=(summary,))
                if state.unsaved(f"assessments.{summary.id}.title") is not None:
                    st.caption(md_format(_("Not saved yet: the title saved now is “{title}”."), title=summary.title))
            st.button(md_format(_("Duplicate *“{title}”*"), title=summary.title),
                      key=f"assessments.{summary.id}.duplicate", on_click=refusable(_duplicate, here),
                      args=(summary,), help=_("A snapshot to compare with later"))
            with st.popover(md_format(_("Delete *“{title}”*"), title=summary.title)):
                st.write(md_format(_("Delete “{title}”? You can undo this."), title=summary.title))
                st.button(_("Yes, delete"), key=f"assessments.{summary.id}.delete", type="primary",
                          on_click=refusable(_delete, here), args=(summary,))
if len(summaries) > SHOWN:
    st.caption(md_format(_("The {shown} most recently changed of {count} are shown."), shown=SHOWN,
                         count=len(summaries)))

with st.expander(_("Create a new assessment")):
    with st.form(NEW, border=False):
        show_notice(NEW)
        st.text_input(_("Title"), key=f"{NEW}.title", placeholder=_("e.g. Kenya national workshop"))
        st.text_input(_("Country or project"), key=f"{NEW}.context")
        st.text_input(_("Organisation"), key=f"{NEW}.organisation", help=_("Shown on the cover of the Word report"))
        st.date_input(_("Date"), key=f"{NEW}.date", value=date.today())
        st.radio(_("Mitigation required when…"), list(cat.policies.options), key=f"{NEW}.policy",
                 format_func=words.policy)
        st.form_submit_button(_("Create and open"), on_click=refusable(_create, NEW),
                              help=_("Opens the new assessment on Assess, to rate its risks"))

with st.expander(_("Import an assessment (JSON or Excel exported by riskkit)")):
    st.caption(_("An import always becomes a new assessment; nothing already saved is changed."))
    show_notice(IMPORT)
    upload = st.file_uploader(_("File"), type=["json", "xlsx"], key=f"{IMPORT}.file")
    if upload is not None:
        st.button(_("Import as a new assessment"), key=f"{IMPORT}.go", on_click=refusable(_import, IMPORT))

deleted = store.list(deleted=True)
if deleted:
    with st.expander(md_format(_("Recently deleted ({count})"), count=len(deleted))):
        for summary in deleted[:SHOWN]:
            with st.container(key=f"assessment-deleted-{summary.id}"):
                left, right = st.columns([4, 1], vertical_alignment="center")
                left.text(summary.title)
                right.button(md_format(_("Restore *“{title}”*"), title=summary.title),
                             key=f"assessments.{summary.id}.restore", on_click=refusable(_restore), args=(summary,))
