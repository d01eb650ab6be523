"""The one way text reaches the screen: anything not written in our source (typed,
imported, uploaded, from an address, quoted in an error) is shown as text.

Streamlit renders Markdown in labels, captions, alerts, headings, toasts, help and
table cells. Every call of those in app.py, pages/ and ui/ takes a string literal, a
message from the catalogue (`_("…")`, our own words in any language), md_literal(...),
or md_format(_("…"), name=value) for a message with values in it:
tests/unit/test_text_boundary.py reads the source and fails on anything else, so the safe
path is the only path.
"""

import re
import string

import streamlit as st

from riskkit.limits import BIDI_CONTROLS

_ESCAPES = str.maketrans({**{ch: "\\" + ch for ch in string.punctuation},
                          **{ch: "" for ch in BIDI_CONTROLS}})


# Streamlit's Markdown also turns bare addresses into links (GFM "autolink literals", found in
# the text after escapes are read): a zero-width space after "://", "www" and "@" keeps
# them plain text and changes nothing a person sees.
_LINK_STARTS = re.compile(r"(?<=:)(?=//)|(?<=[wW]{3})(?=\.)|(?<=@)")
NO_LINK = "\u200b"


def md_literal(text: str) -> str:
    """Text for a place that only takes Markdown: every ASCII punctuation mark is
    backslash-escaped, which CommonMark defines as 'show this character', so no link,
    image, HTML, emphasis, table or Streamlit directive (:red[...], :material/...:,
    $maths$) can form, and bare addresses are kept from becoming links. Bidi controls are
    dropped so text cannot reverse what follows it; line breaks stay line breaks."""
    return _LINK_STARTS.sub(NO_LINK, str(text)).translate(_ESCAPES).replace("\n", "  \n")


def md_format(template: str, **values: object) -> str:
    """One of our messages (Markdown allowed: it is our source, in any language) with its
    {placeholders} filled in as text: every value goes through md_literal, so a title, a
    file name or an error quoted in it cannot form a link or HTML. Numbers and dates are
    given already written out (the reader's locale decides how)."""
    return template.format(**{name: md_literal(str(value)) for name, value in values.items()})


def shorten(text: str, limit: int) -> str:
    """Text on one line in at most `limit` characters, cut between words (never inside one,
    unless a single word is longer than the limit) and ended with an ellipsis."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    if flat[limit - 1] != " " and " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:") + "…"


def show_error(message: str) -> None:
    st.error(md_literal(message), icon=":material/error:")


def show_warning(message: str) -> None:
    st.warning(md_literal(message), icon=":material/warning:")


def show_info(message: str) -> None:
    st.info(md_literal(message), icon=":material/info:")


def show_success(message: str) -> None:
    st.success(md_literal(message), icon=":material/check_circle:")
