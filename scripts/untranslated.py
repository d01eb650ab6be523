"""What is left to translate: refresh the template from the code, bring every language's
.po up to date with it, and list each language's untranslated and fuzzy messages.

    .venv/bin/python scripts/untranslated.py            # extract, update, list
    .venv/bin/python scripts/untranslated.py --check    # the same, exit 1 if anything is left
    .venv/bin/python scripts/untranslated.py --no-update  # only list (the files as they are)

Fuzzy entries are pybabel's guesses from a similar old message: riskkit ignores them at run
time, so each one needs a translator's look (fix the text, remove the `#, fuzzy` line).
docs/messages.md describes the whole cycle.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "riskkit" / "locale"
POT = LOCALE / "riskkit.pot"
PYBABEL = str(Path(sys.executable).parent / "pybabel")
# The same command as docs/messages.md and the freshness test in tests/unit/test_words.py.
EXTRACT = [PYBABEL, "-q", "extract", "-F", "babel.cfg", "-k", "NP_:1c,2", "--no-location", "--sort-output",
           "--project", "riskkit", "--copyright-holder", "riskkit", "-o", str(POT.relative_to(ROOT)), "."]


def languages() -> list[str]:
    return sorted(p.parent.parent.name for p in LOCALE.glob("*/LC_MESSAGES/riskkit.po"))


def refresh() -> None:
    subprocess.run(EXTRACT, cwd=ROOT, check=True)
    for language in languages():
        subprocess.run([PYBABEL, "-q", "update", "-D", "riskkit", "-i", str(POT), "-d", str(LOCALE), "-l", language,
                        "--ignore-obsolete"], cwd=ROOT, check=True)


def read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as source:
        return read_po(source, locale=locale)


def untranslated(message: Message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return not all(strings)


def describe(message: Message) -> str:
    text = message.id[0] if isinstance(message.id, tuple) else message.id
    where = f"[{message.context}] " if message.context else ""
    return f"{where}{text}"


def left_to_do(language: str) -> tuple[list[Message], list[Message]]:
    catalog = read(LOCALE / language / "LC_MESSAGES" / "riskkit.po", language)
    messages = [m for m in catalog if m.id]
    fuzzy = [m for m in messages if m.fuzzy]
    return [m for m in messages if untranslated(m) and not m.fuzzy], fuzzy


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--no-update", action="store_true", help="list only; do not extract or update")
    parser.add_argument("--check", action="store_true", help="exit 1 if any message is untranslated or fuzzy")
    options = parser.parse_args(argv)
    if not options.no_update:
        refresh()
    total = sum(1 for m in read(POT) if m.id)
    left = 0
    for language in languages():
        missing, fuzzy = left_to_do(language)
        left += len(missing) + len(fuzzy)
        print(f"{language}: {total - len(missing) - len(fuzzy)} of {total} translated, "
              f"{len(missing)} untranslated, {len(fuzzy)} fuzzy")
        for label, found in (("untranslated", missing), ("fuzzy", fuzzy)):
            for message in found:
                print(f"  {label}: {describe(message)}")
    return 1 if options.check and left else 0


if __name__ == "__main__":
    sys.exit(main())
