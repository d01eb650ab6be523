"""Start riskkit: `riskkit serve [--room] [--server.port 8600 ...]` (or `python -m ui.serve ...`).

Runs web/asgi.py's app (Streamlit with riskkit's routes and middleware). Streamlit
options pass through as `--section.option value`. By default the server listens on
127.0.0.1 only: nobody else on the network can reach it. `--room` is for a workshop:
it listens on every interface so phones on the room's Wi-Fi can join, and requires an
editor key (RISKKIT_EDITOR_KEY, generated and printed when not set).
"""

from __future__ import annotations

import os
import secrets
import sys
from typing import Any

from riskkit.i18n import gettext as _
from riskkit.i18n import terminal_language, using


def usage() -> str:
    return _("Start riskkit: riskkit serve [--room] [--server.port 8600 ...]\n\n"
             "Streamlit options pass through as --section.option value. By default the server listens on "
             "127.0.0.1 only: nobody else on the network can reach it. --room is for a workshop: it listens on "
             "every interface so phones on the room's Wi-Fi can join, and requires an editor key "
             "(RISKKIT_EDITOR_KEY, generated and printed when not set).")


def parse_options(argv: list[str]) -> tuple[dict[str, Any], bool]:
    """`--server.port 8600 --server.headless=true --room` -> ({"server.port": 8600, ...}, room)."""
    options: dict[str, Any] = {}
    room = False
    items = list(argv)
    while items:
        item = items.pop(0)
        if item in ("-h", "--help"):
            print(usage())
            raise SystemExit(0)
        if item == "--room":
            room = True
            continue
        if not item.startswith("--") or "." not in item:
            raise SystemExit(_("riskkit: unknown option {option} (Streamlit options look like --server.port "
                               "8600)").format(option=repr(item)))
        name, given, value = item[2:].partition("=")
        if not given:
            if not items:
                raise SystemExit(_("riskkit: option {option} needs a value").format(option=item))
            value = items.pop(0)
        options[name] = _typed(value)
    return options, room


def _typed(value: str) -> Any:
    if value.lower() in ("true", "false"):
        return value.lower() == "true"
    if value.isdigit():
        return int(value)
    return value


def main(argv: list[str] | None = None) -> None:
    with using(terminal_language()):
        options, room = parse_options(sys.argv[1:] if argv is None else argv)
    if room:
        options.setdefault("server.address", "0.0.0.0")
        if not os.environ.get("RISKKIT_EDITOR_KEY"):
            os.environ["RISKKIT_EDITOR_KEY"] = "-".join(secrets.token_hex(3) for _part in range(4))
            with using(terminal_language()):
                said = _("riskkit room mode. Editor key (you need it to open anything but the join page):")
            print(f"\n  {said}\n\n      {os.environ['RISKKIT_EDITOR_KEY']}\n", flush=True)
    else:
        options.setdefault("server.address", "127.0.0.1")
    options.setdefault("server.headless", True)
    # Streamlit's file watcher is for editing the code while it runs: every session watches every
    # imported module and, after every run, walks them all again on the event loop (a third of the
    # server's time when a page opens). A server people use has no use for it; a developer who
    # wants reruns on save passes --server.fileWatcherType auto.
    options.setdefault("server.fileWatcherType", "none")
    # Import the heavy libraries once, before any session: several pages opening at once on a
    # fresh server raced inside plotly's lazy import of pandas/numpy ("partially initialized").
    import numpy  # noqa: F401
    import pandas  # noqa: F401
    import plotly.graph_objects  # noqa: F401

    from web.asgi import APP, app

    # Streamlit reads the script-level .streamlit/config.toml (riskkit's theme) beside the file
    # that launched it, as with `streamlit run app.py`. The entry file stands in as that file,
    # so an installed riskkit finds its config in site-packages whatever the working directory;
    # the options above are Streamlit's, not the script's.
    sys.argv = [str(APP)]
    app.run(config=options)


if __name__ == "__main__":
    main()
