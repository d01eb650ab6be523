"""The one way text reaches the screen: anything not written in our source (typed,
imported, uploaded, from an address, quoted in an error) is shown as text.

Streamlit renders Markdown in labels, captions, alerts, headings, toasts, help and
table cells. Every call of those in app.py, pages/ and ui/ takes either a string
literal or md_literal(...): tests/unit/test_text_boundary.py reads the source and
fails on anything else, so the safe path is the only path.
"""

import string

import streamlit as st

from riskkit.limits import BIDI_CONTROLS

_ESCAPES = str.maketrans({**{ch: "\\" + ch for ch in string.punctuation},
                          **{ch: "" for ch in BIDI_CONTROLS}})


def md_literal(text: str) -> str:
    """Text for a place that only takes Markdown: every ASCII punctuation mark is
    backslash-escaped, which CommonMark defines as 'show this character', so no link,
    image, HTML, emphasis, table or Streamlit directive (:red[...], :material/...:,
    $maths$) can form. Bidi controls are dropped so text cannot reverse what follows it;
    line breaks stay line breaks."""
    return str(text).translate(_ESCAPES).replace("\n", "  \n")


def shorten(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def show_error(message: str) -> None:
    st.error(md_literal(message), icon=":material/error:")


def show_warning(message: str) -> None:
    st.warning(md_literal(message), icon=":material/warning:")


def show_info(message: str) -> None:
    st.info(md_literal(message), icon=":material/info:")


def show_success(message: str) -> None:
    st.success(md_literal(message), icon=":material/check_circle:")
