"""Fill the .po catalogues from locale/strings/*.yml and compile them (a maintainer tool).

Usage: python scripts/translate.py   (after `manage.py makemessages -l fi -l ar -l zh_Hans`)
Each YAML file maps an English msgid to its fi/ar/zh_Hans translations. Entries already
translated in a .po file are left alone unless the YAML has a different text.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib
import yaml

ROOT = Path(__file__).resolve().parent.parent
LANGS = ("fi", "ar", "zh_Hans")


def load_strings() -> dict[str, dict[str, str]]:
    strings: dict[str, dict[str, str]] = {}
    for path in sorted((ROOT / "locale" / "strings").glob("*.yml")):
        strings.update(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
    return strings


def main() -> int:
    strings = load_strings()
    missing = 0
    for lang in LANGS:
        po_path = ROOT / "locale" / lang / "LC_MESSAGES" / "django.po"
        po = polib.pofile(str(po_path))
        po.metadata.update(
            {
                "Project-Id-Version": "helpdesk",
                "Language": lang,
                "Language-Team": f"helpdesk {lang}",
                "Last-Translator": "helpdesk maintainers",
                "PO-Revision-Date": po.metadata.get("POT-Creation-Date", ""),
            }
        )
        for entry in po:
            text = strings.get(entry.msgid, {}).get(lang)
            if text and entry.msgid_plural:
                forms = text if isinstance(text, list) else [text]
                entry.msgstr_plural = {i: form for i, form in enumerate(forms)}
            elif text:
                entry.msgstr = text
            if text and "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
                entry.previous_msgid = entry.previous_msgid_plural = None
            elif entry.msgid and "fuzzy" in entry.flags and not entry.obsolete:
                missing += 1  # a guess by makemessages is not a translation
                print(f"fuzzy {lang}: {entry.msgid!r}")
            elif not (entry.msgstr or any(entry.msgstr_plural.values())) and not entry.obsolete:
                missing += 1
                print(f"missing {lang}: {entry.msgid!r}")
        po.save()
        po.save_as_mofile(str(po_path.with_suffix(".mo")))
    print(f"{missing} untranslated strings")
    return 0


if __name__ == "__main__":
    sys.exit(main())
