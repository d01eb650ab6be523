"""Briefing: the heat map, a Word report, a slide pack and data files to download; with an
earlier assessment chosen, the report and the slides say what changed since."""

import functools

import streamlit as st

from riskkit.briefing import Earlier
from riskkit.charts import heatmap_figure
from riskkit.exchange import Exported
from riskkit.i18n import LANGUAGES, SOURCE_LOCALE, long_date
from riskkit.i18n import gettext as _
from riskkit.outputs import MIME, Format, build, file_name, words_for
from riskkit.rules import register, shareable_copy
from riskkit.snapshot import Summary
from riskkit.templates import TemplateKind
from ui import language, state
from ui.text import md_format, md_literal
from ui.widgets import download, refusable, show_notice

COMPARE_KEY = "briefing.compare"
LANGUAGE_KEY = "briefing.language"
TEMPLATES: dict[TemplateKind, tuple[str, list[str]]] = {
    "docx": (_("Word template (.dotx or .docx)"), ["dotx", "docx"]),
    "pptx": (_("PowerPoint template (.potx or .pptx)"), ["potx", "pptx"]),
}

cat = state.catalogue()
snapshot = state.snapshot()
summary = snapshot.summary
about = Exported(title=summary.title, context=summary.context, held_on=summary.held_on,
                 organisation=summary.organisation, language=summary.language)
# Every file is written in the assessment's language (set here or on Assessments), whatever the
# reader's: its own words, and the catalogue in riskkit's translation or the official wording.
written_in = summary.language if summary.language in LANGUAGES else SOURCE_LOCALE
export_cat, export_indicators = words_for(written_in, language.official_wording(summary.id, written_in),
                                          snapshot.assessment)

st.title(_("Briefing"))
st.caption(_("Documents to send after a workshop: a Word annex, slides for a donor or ministry, "
             "images for an email, the register as a spreadsheet."))
shareable = st.toggle(_("Shareable version: leave out notes and the own risks marked internal"),
                      key="briefing.shareable", persist_state="session")
assessment = shareable_copy(snapshot.assessment) if shareable else snapshot.assessment
st.plotly_chart(heatmap_figure(cat, register(cat, assessment), compact=True), key="briefing.preview",
                theme=None, config={"staticPlot": True, "displayModeBar": False})


def _named(other: Summary) -> str:
    """'Kenya workshop, May · Kenya · 28 May 2026': the title, the context, the day it was held (or saved)."""
    day = long_date(other.held_on, "medium") if other.held_on is not None else _("saved {day}").format(
        day=long_date(other.updated_at.date(), "medium"))
    return " · ".join(part for part in (other.title, other.context, day) if part)


def _earlier(chosen: str | None, others: dict[str, Summary]) -> Earlier | None:
    """The assessment to compare with, read now; None when none is chosen or it cannot be read
    (then the reason is said under the choice and the files are built without a comparison)."""
    if chosen is None or chosen not in others:
        return None
    found: list[Earlier] = []

    def read() -> None:
        then = state.store().load(chosen)
        then_about = Exported(title=then.summary.title, context=then.summary.context,
                              held_on=then.summary.held_on, organisation=then.summary.organisation)
        found.append(Earlier(about=then_about, assessment=then.assessment,
                             indicators=words_for(written_in, None, then.assessment)[1]))

    state.attempt(read, COMPARE_KEY)
    return found[0] if found else None


others = {other.id: other for other in state.store().list() if other.id != summary.id}
if st.session_state.get(COMPARE_KEY) not in (None, *others):  # deleted since it was chosen
    st.session_state[COMPARE_KEY] = None
compare_with = st.selectbox(
    _("Compare with"), [None, *others], key=COMPARE_KEY,
    format_func=lambda chosen: _("No comparison") if chosen is None else _named(others[chosen]),
    help=_("Another assessment, such as a snapshot made earlier with Assessments → Duplicate: the Word report "
           "and the slides then say what changed since (risks that moved, gaps, strategies, actions, "
           "indicator values)."))
earlier = _earlier(compare_with, others)
show_notice(COMPARE_KEY)


def _keep_template(kind: TemplateKind) -> None:
    upload = st.session_state.get(f"briefing.template.{kind}.file")
    if upload is not None:  # a file that cannot be a template is refused in words, and nothing changes
        state.store().put_template(summary.id, kind, upload.name, upload.getvalue())


def _remove_template(kind: TemplateKind) -> None:
    state.store().remove_template(summary.id, kind)


templates = {kind: state.store().template(summary.id, kind) for kind in TEMPLATES}
with st.expander(_("Your organisation's templates"), icon=":material/palette:",
                 expanded=any(t is not None for t in templates.values())):
    st.caption(_("The Word report takes its styles and paper from a Word template; the slides take their "
                 "layouts from a PowerPoint template. They are kept with this assessment. Without one, riskkit's "
                 "clean default is used."))
    for kind, (label, suffixes) in TEMPLATES.items():
        where = f"briefing.template.{kind}"
        kept = templates[kind]
        if kept is None:
            st.caption(md_literal(_("{label}: none, the default house style is used.").format(label=label)))
        else:
            st.caption(md_literal(_("{label} in use: {file}, uploaded {day}.").format(
                label=label, file=kept.file_name, day=long_date(kept.uploaded_at.date(), "d MMMM y"))))
        st.file_uploader(md_literal(label), type=suffixes, key=f"{where}.file")
        left, right = st.columns(2)
        left.button(_("Use this template"), key=f"{where}.keep", on_click=refusable(_keep_template, where),
                    args=(kind,), disabled=st.session_state.get(f"{where}.file") is None)
        if kept is not None:
            right.button(_("Remove template"), key=f"{where}.remove", on_click=refusable(_remove_template, where),
                         args=(kind,))
        show_notice(where)



def _write_in() -> None:
    """The files' language is the assessment's, saved as on Assessments for everyone who opens it."""
    picked = st.session_state.get(LANGUAGE_KEY)
    if picked in LANGUAGES and picked != summary.language:
        state.store().rename(summary.id, summary.title, seen=summary, language=str(picked))
        state.open_assessment(summary.id)


st.subheader(_("Files to send"))
st.session_state[LANGUAGE_KEY] = written_in
st.selectbox(_("Language of the files"), list(LANGUAGES), key=LANGUAGE_KEY, format_func=LANGUAGES.__getitem__,
             on_change=refusable(_write_in, LANGUAGE_KEY),
             help=_("Saved with this assessment, for everyone who exports it (also set on Assessments)"))
st.caption(md_format(_("The files below are written in **{language}**, this assessment's language for its "
                       "exports, whatever language this page is shown in."), language=LANGUAGES[written_in]))
show_notice(LANGUAGE_KEY)

OUTPUTS: list[tuple[Format, str, str, str]] = [
    ("docx", "projector", _("Word report"), ":material/description:"),
    ("pptx", "projector", _("PowerPoint briefing pack"), ":material/slideshow:"),
    ("png", "projector", _("Heat map image, 1920x1080"), ":material/image:"),
    ("png", "email", _("Heat map image for email, 960x540"), ":material/image:"),
    ("png", "print", _("Heat map image for print, 1920x1200 at 300 dpi"), ":material/image:"),
    ("svg", "projector", _("Heat map as SVG"), ":material/image:"),
    ("xlsx", "projector", _("Excel register"), ":material/table:"),
    ("json", "projector", _("JSON (every field)"), ":material/data_object:"),
]
if earlier is not None:
    st.caption(md_literal(_("The Word report and the slides include the changes since {earlier}.").format(
        earlier=_named(others[compare_with]) if compare_with else "")))
# each button at its own width, wrapped to the next line when needed: a longer French or Spanish
# label is never cut (two fixed columns cut them at 1280x720)
buttons = st.container(horizontal=True, gap="small", key="briefing-downloads")
word, slides = templates["docx"], templates["pptx"]
with_templates = functools.partial(build, report_template=word.content if word else None,
                                   slide_template=slides.content if slides else None, earlier=earlier,
                                   language=written_in)
for fmt, size, label, icon in OUTPUTS:
    download(buttons, label, with_templates, fmt, about, snapshot.assessment, export_cat,
             export_indicators, shareable, size,
             file_name=file_name(summary.title, fmt, shareable, size), mime=MIME[fmt],
             key=f"briefing.{fmt}.{size}", icon=icon, width="content")
st.caption(_("The first image takes a few seconds while the drawing browser starts; later ones are quick. "
             "The same files come from the command line: `riskkit export ASSESSMENT --format docx --out "
             "report.docx` (see the README)."))
st.page_link("pages/print.py", label=_("Open the print view (then print to PDF from the browser)"),
             icon=":material/print:")
