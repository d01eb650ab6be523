"""Showing text a user (or an uploaded file) supplied, as text and nothing else."""

import string

_ESCAPES = str.maketrans({ch: "\\" + ch for ch in string.punctuation})


def md_literal(text: str) -> str:
    """Text for a place that only takes Markdown (labels): every ASCII punctuation mark
    is backslash-escaped, which CommonMark defines as 'show this character', so no
    link, image, HTML, emphasis or Streamlit directive can form."""
    return text.translate(_ESCAPES)


def shorten(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"
