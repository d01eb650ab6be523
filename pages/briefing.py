"""Briefing: the heat map, a Word report, a slide pack and data files to download."""

import functools

import streamlit as st

from riskkit.charts import heatmap_figure
from riskkit.exchange import Exported
from riskkit.outputs import MIME, Format, build, file_name
from riskkit.rules import register, shareable_copy
from riskkit.templates import TemplateKind
from ui import state
from ui.text import md_literal
from ui.widgets import download, refusable, show_notice

TEMPLATES: dict[TemplateKind, tuple[str, list[str]]] = {
    "docx": ("Word template (.dotx or .docx)", ["dotx", "docx"]),
    "pptx": ("PowerPoint template (.potx or .pptx)", ["potx", "pptx"]),
}

cat = state.catalogue()
snapshot = state.snapshot()
summary = snapshot.summary
about = Exported(title=summary.title, context=summary.context, held_on=summary.held_on,
                 organisation=summary.organisation)

st.title("Briefing")
st.caption("Documents to send after a workshop: a Word annex, slides for a donor or ministry, "
           "images for an email, the register as a spreadsheet.")
shareable = st.toggle("Shareable version: leave out notes and the own risks marked internal",
                      key="briefing.shareable", persist_state="session")
assessment = shareable_copy(snapshot.assessment) if shareable else snapshot.assessment
st.plotly_chart(heatmap_figure(cat, register(cat, assessment), compact=True), key="briefing.preview",
                theme=None, config={"staticPlot": True, "displayModeBar": False})


def _keep_template(kind: TemplateKind) -> None:
    upload = st.session_state.get(f"briefing.template.{kind}.file")
    if upload is not None:  # a file that cannot be a template is refused in words, and nothing changes
        state.store().put_template(summary.id, kind, upload.name, upload.getvalue())


def _remove_template(kind: TemplateKind) -> None:
    state.store().remove_template(summary.id, kind)


templates = {kind: state.store().template(summary.id, kind) for kind in TEMPLATES}
with st.expander("Your organisation's templates", icon=":material/palette:",
                 expanded=any(t is not None for t in templates.values())):
    st.caption("The Word report takes its styles and paper from a Word template; the slides take their "
               "layouts from a PowerPoint template. They are kept with this assessment. Without one, riskkit's "
               "clean default is used.")
    for kind, (label, suffixes) in TEMPLATES.items():
        where = f"briefing.template.{kind}"
        kept = templates[kind]
        if kept is None:
            st.caption(md_literal(f"{label}: none, the default house style is used."))
        else:
            st.caption(md_literal(f"{label} in use: {kept.file_name}, uploaded "
                                  f"{kept.uploaded_at:%d %B %Y}."))
        st.file_uploader(md_literal(label), type=suffixes, key=f"{where}.file")
        left, right = st.columns(2)
        left.button("Use this template", key=f"{where}.keep", on_click=refusable(_keep_template, where),
                    args=(kind,), disabled=st.session_state.get(f"{where}.file") is None)
        if kept is not None:
            right.button("Remove template", key=f"{where}.remove", on_click=refusable(_remove_template, where),
                         args=(kind,))
        show_notice(where)

OUTPUTS: list[tuple[Format, str, str, str]] = [
    ("docx", "projector", "Word report", ":material/description:"),
    ("pptx", "projector", "PowerPoint briefing pack", ":material/slideshow:"),
    ("png", "projector", "Heat map image, 1920x1080", ":material/image:"),
    ("png", "email", "Heat map image for email, 960x540", ":material/image:"),
    ("png", "print", "Heat map image for print, 1920x1200 at 300 dpi", ":material/image:"),
    ("svg", "projector", "Heat map as SVG", ":material/image:"),
    ("xlsx", "projector", "Excel register", ":material/table:"),
    ("json", "projector", "JSON (every field)", ":material/data_object:"),
]
columns = st.columns(2)
in_use = state.indicators()  # this person's assessment and indicators, now: every file is built from these
word, slides = templates["docx"], templates["pptx"]
with_templates = functools.partial(build, report_template=word.content if word else None,
                                   slide_template=slides.content if slides else None)
for index, (fmt, size, label, icon) in enumerate(OUTPUTS):
    download(columns[index % 2], label, with_templates, fmt, about, snapshot.assessment, cat, in_use, shareable, size,
             file_name=file_name(summary.title, fmt, shareable, size), mime=MIME[fmt],
             key=f"briefing.{fmt}.{size}", icon=icon, width="stretch")
st.caption("The first image takes a few seconds while the drawing browser starts; later ones are quick. "
           "The same files come from the command line: `riskkit export ASSESSMENT --format docx --out "
           "report.docx` (see the README).")
st.page_link("pages/print.py", label="Open the print view (then print to PDF from the browser)",
             icon=":material/print:")
