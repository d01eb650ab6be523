"""Start the app: `python -m ui.serve [streamlit options]` is `streamlit run app.py`,
in the same process, with one correction.

Streamlit treats a folder named pages/ beside the entry file as a legacy
multipage folder until the first session calls st.navigation. So the first
deep link after a (re)start, say /heatmap, would run pages/heatmap.py bare,
outside app.py's frame. A facilitator's bookmarked link after a restart must
open the real app, so the legacy mode is switched off before the server starts.
tests/browser checks this against a freshly started server.
"""

from __future__ import annotations

import sys
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

APP = Path(__file__).resolve().parent.parent / "app.py"


def main(argv: list[str] | None = None) -> None:
    PagesManager.uses_pages_directory = False
    # Import the heavy libraries once, before any session: several pages opening at once on a
    # fresh server raced inside plotly's lazy import of pandas/numpy ("partially initialized").
    import numpy  # noqa: F401
    import pandas  # noqa: F401
    import plotly.graph_objects  # noqa: F401
    sys.argv = ["streamlit", "run", str(APP), *(sys.argv[1:] if argv is None else argv)]
    cli.main()


if __name__ == "__main__":
    main()
