"""The text boundary, checked in the source: every Streamlit call that renders Markdown
gets a string literal or md_literal(...), so no text from outside (typed, imported,
uploaded, from an address, quoted in an error) can form a link, an image or HTML; and no
download builds its file from session state after the run (which leaked one person's
assessment into another's download)."""

from __future__ import annotations

import ast
import html
import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from ui.text import md_literal

REPO = Path(__file__).resolve().parents[2]
SOURCES = [REPO / "app.py", *sorted((REPO / "pages").glob("*.py")), *sorted((REPO / "ui").glob("*.py"))]

# Streamlit calls whose first argument (or these keywords) is rendered as Markdown.
MARKDOWN_CALLS = {
    "markdown", "caption", "write", "error", "warning", "info", "success", "toast", "title", "header",
    "subheader", "page_link", "button", "download_button", "link_button", "expander", "popover", "metric",
    "text_input", "text_area", "selectbox", "multiselect", "radio", "checkbox", "toggle", "segmented_control",
    "pills", "file_uploader", "date_input", "number_input", "slider", "select_slider", "form_submit_button",
    "progress", "status", "tabs",
}
MARKDOWN_KEYWORDS = {"label", "help", "text", "body", "placeholder"}
SAFE_FUNCTIONS = {"md_literal"}
# A message from the catalogue is our own source in any language, when its id is a literal:
# how many leading arguments must be literals (ngettext's count picks a form, is not shown).
MESSAGES = {"_": 1, "gettext": 1, "pgettext": 2, "ngettext": 2, "npgettext": 3}
FIRST_ARG_IS_NOT_TEXT = {"page_link", "progress"}  # page_link(page, label=...), progress(value, text=...)


def _safe(node: ast.AST) -> bool:
    """A string literal, md_literal(...), or text built only from those."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, (str, int, float)) or node.value is None
    if isinstance(node, ast.Call):
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
        if name in MESSAGES:  # _("…"): our words; _(variable) could be anything
            literal = node.args[:MESSAGES[name]]
            return len(literal) == MESSAGES[name] and all(
                isinstance(a, ast.Constant) and isinstance(a.value, str) for a in literal)
        if name == "md_format":  # our message, every value escaped by md_format itself
            return bool(node.args) and _safe(node.args[0])
        return name in SAFE_FUNCTIONS
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _safe(node.left) and _safe(node.right)
    if isinstance(node, ast.IfExp):
        return _safe(node.body) and _safe(node.orelse)
    if isinstance(node, ast.JoinedStr):
        return all(isinstance(v, ast.Constant) or _safe(v.value) for v in node.values)
    return False


def _markdown_arguments(tree: ast.AST):
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        name = node.func.attr
        if name not in MARKDOWN_CALLS:
            continue
        if node.args and name not in FIRST_ARG_IS_NOT_TEXT:
            yield name, node.args[0]
        for keyword in node.keywords:
            if keyword.arg in MARKDOWN_KEYWORDS:
                yield name, keyword.value


def _unsafe_calls(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    return [f"{path.relative_to(REPO)}:{arg.lineno}: {name}({ast.unparse(arg)[:70]})"
            for name, arg in _markdown_arguments(tree) if not _safe(arg)]


def test_every_markdown_rendering_call_takes_a_literal_or_escaped_text():
    unsafe = [line for path in SOURCES for line in _unsafe_calls(path)]
    assert unsafe == [], "Markdown from outside our source:\n" + "\n".join(unsafe)


def test_the_boundary_check_catches_unescaped_text(tmp_path):
    sample = tmp_path / "page.py"
    sample.write_text("import streamlit as st\nst.error(str(exc))\nst.caption(f'{title}')\n"
                      "st.caption(md_literal(title))\nst.error('fixed words')\nst.info(_('Saved.'))\n"
                      "st.info(_(title))\nst.info(_('{t} saved.').format(t=title))\n"
                      "st.info(md_format(_('{t} saved.'), t=title))\nst.info(md_format(title, t=1))\n")
    assert [line.split(": ", 1)[1] for line in _unsafe_calls_in(sample)] == [
        "error(str(exc))", "caption(f'{title}')", "info(_(title))", "info(_('{t} saved.').format(t=title))",
        "info(md_format(title, t=1))"]


def _unsafe_calls_in(path: Path) -> list[str]:
    tree = ast.parse(path.read_text())
    return [f"{arg.lineno}: {name}({ast.unparse(arg)})" for name, arg in _markdown_arguments(tree) if not _safe(arg)]


def test_no_download_builds_its_file_from_a_lambda():
    """A lambda given as `data` runs after the run, outside the session: it must not be there."""
    found = []
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "download_button":
                data = next((k.value for k in node.keywords if k.arg == "data"), None)
                if data is None or not (isinstance(data, ast.Call) and ast.unparse(data.func).endswith("partial")):
                    found.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert found == [], f"download buttons not built from arguments bound when drawn: {found}"


HOSTILE = [
    "[Session expired: sign in](http://attacker.example/login)",
    "![tracking](http://attacker.example/pixel.png)",
    "<img src=x onerror=alert(1)>", "<script>alert(1)</script>", "**bold** _em_ `code`",
    ":red[alarm] :material/warning: $x^2$", "# Heading\n- item\n1. item", "| a | b |\n|---|---|",
    "<http://attacker.example>", "http://attacker.example/auto-link", "\u202eevil\u202c", "&lt;b&gt; &amp;",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_escaped_text_renders_as_the_same_characters_in_a_paragraph_and_nothing_else(text):
    """Rendered by a CommonMark parser (with GFM tables and strikethrough): only
    paragraphs and line breaks come out, and their text is what was typed."""
    rendered = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(md_literal(text))
    tags = set(re.findall(r"</?([a-z0-9]+)", rendered))
    assert tags <= {"p", "br"}, rendered
    shown = html.unescape(re.sub(r"<[^>]+>", "", rendered)).replace("\u200b", "").strip()
    visible = "".join(ch for ch in text if ch not in "\u202e\u202c")
    assert " ".join(shown.split()) == " ".join(visible.split())


@pytest.mark.parametrize("address", ["http://attacker.example/x", "HTTPS://attacker.example", "www.attacker.example",
                                     "someone@attacker.example", "mailto:someone@attacker.example"])
def test_bare_addresses_are_kept_from_becoming_links(address):
    """Streamlit links bare addresses in the text it is left with after escapes (GFM autolink
    literals): the patterns it looks for must not be in that text."""
    rendered = MarkdownIt("commonmark").render(md_literal(address))
    text = html.unescape(re.sub(r"<[^>]+>", "", rendered))
    assert not re.search(r"(?i)https?://|www\.|[\w.+-]@[\w-]", text)
    assert text.replace("\u200b", "").strip() == address


def test_escaping_is_needed_the_same_text_unescaped_forms_links_and_images():
    rendered = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(HOSTILE[0] + " " + HOSTILE[1])
    assert "<a href" in rendered and "<img" in rendered
