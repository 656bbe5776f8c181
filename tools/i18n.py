"""Refresh the translation sources: ``python tools/i18n.py update``.

pylupdate5 files free ``tr("...")`` calls under the context ``@default``; the plugin
translates with the single context ``EIT`` (see ``eit_plugin/i18n.py``). This script keeps
the two in step: it renames the context around the pylupdate5 run so that existing
translations are kept, then ``make i18n-build`` compiles the .qm with lrelease.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("fr",)
CONTEXT = "EIT"


def sources() -> list:
    files = [p for p in sorted((ROOT / "eit_plugin").rglob("*.py")) if "__pycache__" not in p.parts]
    files += sorted((ROOT / "eit_plugin").rglob("*.ui"))
    return [str(p.relative_to(ROOT)) for p in files]


def rename_context(ts: Path, old: str, new: str) -> None:
    if ts.exists():
        text = ts.read_text(encoding="utf-8")
        ts.write_text(text.replace("<name>{}</name>".format(old), "<name>{}</name>".format(new)), encoding="utf-8")


def update() -> None:
    for lang in LANGUAGES:
        ts = ROOT / "i18n" / "eit_{}.ts".format(lang)
        rename_context(ts, CONTEXT, "@default")
        subprocess.run(["pylupdate5", "-noobsolete", *sources(), "-ts", str(ts.relative_to(ROOT))], cwd=ROOT, check=True)
        rename_context(ts, "@default", CONTEXT)
        text = ts.read_text(encoding="utf-8")
        total = text.count("<source>")
        unfinished = text.count('type="unfinished"')
        print("{}: {} strings, {} untranslated".format(ts.name, total, unfinished))


if __name__ == "__main__":
    if sys.argv[1:] == ["update"]:
        update()
    else:
        sys.exit("usage: python tools/i18n.py update")
