"""riskkit on the command line: `riskkit serve`, `riskkit list`,
`riskkit export ASSESSMENT --format docx --out report.docx`, `riskkit plan ASSESSMENT [--csv]`
(the action plan, overdue first) and `riskkit values ASSESSMENT FILE` (indicator values from a
CSV or Excel file, all or nothing).

What the command itself says (help, messages, errors) is in the terminal's language (LC_ALL,
LC_MESSAGES, LANG); a file or plan it writes is in the assessment's language, or --language's.

Uses the same database as the app (riskkit.locations: RISKKIT_DATABASE_URL, else a SQLite
file in the user's data directory).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from datetime import date
from pathlib import Path
from typing import get_args

from riskkit import words
from riskkit.catalogue import load_catalogue, load_indicators, translation_languages
from riskkit.errors import RiskkitError
from riskkit.exchange import Exported
from riskkit.i18n import LANGUAGES, format_number, ngettext, terminal_language, using
from riskkit.i18n import gettext as _
from riskkit.images import SIZES
from riskkit.models import Catalogue
from riskkit.outputs import Format, build, plan_csv, words_for
from riskkit.plan import action_plan
from riskkit.snapshot import Snapshot
from riskkit.store import Store
from riskkit.tracks_file import read_tracks


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["serve"]:  # its options are Streamlit's (--server.port 8600): ui.serve reads them
        return _serve(argv[1:])
    with using(terminal_language()):
        return _run(argv)


def _parser() -> argparse.ArgumentParser:
    """The commands and their options, described in the current language."""
    parser = argparse.ArgumentParser(prog="riskkit", description=_("riskkit: the section 3.6 risk register."))
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("serve", help=_("start the app (--room for a workshop; `riskkit serve --help`)"))
    commands.add_parser("list", help=_("list the saved assessments with their ids"))
    which = _("the assessment's id (see `riskkit list`) or its exact title")
    language = _("the language of the words (default: the assessment's, set in the app)")
    export = commands.add_parser("export", help=_("write a report, slides, image or data file"))
    export.add_argument("assessment", help=which)
    export.add_argument("--format", required=True, choices=get_args(Format))
    export.add_argument("--out", required=True, type=Path, help=_("the file to write"))
    export.add_argument("--shareable", action="store_true", help=_("leave out notes and risks marked internal"))
    export.add_argument("--size", choices=list(SIZES), default="projector",
                        help=_("PNG size: 1920x1080 (projector), 960x540 (email) or 1920x1200 at 300 dpi (print)"))
    export.add_argument("--language", choices=list(LANGUAGES), help=language)
    plan = commands.add_parser("plan", help=_("print the action plan, overdue first"))
    plan.add_argument("assessment", help=which)
    plan.add_argument("--csv", action="store_true", help=_("as CSV (one row per action) instead of a list"))
    plan.add_argument("--language", choices=list(LANGUAGES), help=language)
    values = commands.add_parser("values", help=_("record indicator values from a CSV or Excel file "
                                                  "(docs/indicator-values.md)"))
    values.add_argument("assessment", help=which)
    values.add_argument("file", type=Path, help=_("the .csv or .xlsx file of values"))
    return parser


def _run(argv: list[str]) -> int:
    logging.basicConfig(level=logging.WARNING, format="riskkit: %(message)s")
    args = _parser().parse_args(argv)
    try:
        store = Store()
        if args.command == "list":
            for summary in store.list():
                print(f"{summary.id}  {summary.updated_at:%Y-%m-%d %H:%M}  {summary.title}")
            return 0
        snapshot = store.load(_resolve(store, args.assessment))
        if args.command == "values":
            return _record_values(store, load_catalogue(), snapshot, args.file)
        language = args.language or snapshot.summary.language
        official = store.templates.wording(snapshot.summary.id, language) if language in translation_languages() \
            else None
        catalogue, indicators = words_for(language, official, snapshot.assessment)
        if args.command == "plan":
            _print_plan(language, catalogue, snapshot, args.csv)
            return 0
        about = Exported(title=snapshot.summary.title, context=snapshot.summary.context,
                         held_on=snapshot.summary.held_on, organisation=snapshot.summary.organisation,
                         language=snapshot.summary.language)
        word, slides = (store.template(snapshot.summary.id, kind) for kind in ("docx", "pptx"))  # kept with it
        data = build(args.format, about, snapshot.assessment, catalogue, indicators, args.shareable, args.size,
                     slide_template=slides.content if slides else None,
                     report_template=word.content if word else None, language=language)
        args.out.write_bytes(data)
        print(_("wrote {file} ({size} bytes)").format(file=args.out, size=format_number(len(data))))
        return 0
    except RiskkitError as exc:
        print(f"riskkit: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # the file to write, or the database's folder
        where = exc.filename or getattr(args, "out", "a file")
        print(_("riskkit: could not write {file}: {problem}").format(file=where, problem=exc.strerror or exc),
              file=sys.stderr)
        return 2
    except Exception as exc:  # never a traceback for a person at a terminal; the details go to the log
        logging.getLogger("riskkit.cli").debug("export failed", exc_info=True)
        print(_("riskkit: the {format} file could not be made ({problem}). Run with RISKKIT_DEBUG=1 to see the "
                "details.").format(format=getattr(args, "format", ""), problem=type(exc).__name__), file=sys.stderr)
        if os.environ.get("RISKKIT_DEBUG"):
            raise
        return 1
    finally:
        from riskkit import images

        images.stop()


def _print_plan(language: str, catalogue: Catalogue, snapshot: Snapshot, as_csv: bool) -> None:
    """The action plan in `language` (the assessment's, or --language's): CSV, or a line per action."""
    today = date.today()
    if as_csv:
        sys.stdout.write(plan_csv(language, catalogue, snapshot.assessment, today).decode("utf-8-sig"))
        return
    with using(language):
        for line in _plan_lines(catalogue, snapshot, today):
            print(line)


def _plan_lines(catalogue: Catalogue, snapshot: Snapshot, today: date) -> list[str]:
    rows = action_plan(catalogue, snapshot.assessment, today)
    if not rows:
        return [_("{title}: no actions planned yet.").format(title=snapshot.summary.title)]
    return [_("{overdue}{due}  {status}  risk {number}  {who}: {what}").format(
        overdue=(_("OVERDUE") + " ") if row.overdue else "", due=row.action.due.isoformat() if row.action.due
        else _("no date"), status=words.action_status(row.action.status), number=row.number,
        who=row.action.who or _("no one named"), what=" ".join(row.action.what.split())) for row in rows]


def _record_values(store: Store, catalogue: Catalogue, snapshot: Snapshot, file: Path) -> int:
    """The file's values recorded in the assessment, or, for a bad file, a message and nothing saved."""
    try:
        content = file.read_bytes()
    except OSError as exc:
        print(_("riskkit: could not read {file}: {problem}").format(file=file, problem=exc.strerror or exc),
              file=sys.stderr)
        return 2
    indicators = snapshot.assessment.indicators or load_indicators(catalogue=catalogue)
    tracks = read_tracks(file.name, content, indicators)
    store.save(snapshot, snapshot.assessment.record_tracks(tracks))
    count = sum(len(track.readings) for track in tracks.values())
    print(ngettext("{title}: recorded {count} value for {indicators} indicator(s) from {file}.",
                   "{title}: recorded {count} values for {indicators} indicator(s) from {file}.", count)
          .format(title=snapshot.summary.title, count=count, indicators=len(tracks), file=file.name))
    return 0


def _serve(options: list[str]) -> int:
    """The app's server, as `make run` starts it. The command line is one of the app's entry
    points, so this is where the domain package hands over to the Streamlit side."""
    from ui.serve import main as serve

    serve(options)
    return 0


def _resolve(store: Store, wanted: str) -> str:
    matches = [s.id for s in store.list() if wanted in (s.id, s.title)]
    if len(matches) > 1:
        raise RiskkitError(_("{count} assessments are titled '{title}': use the id (see `riskkit list`).").format(
            count=len(matches), title=wanted))
    return matches[0] if matches else wanted


if __name__ == "__main__":
    raise SystemExit(main())
