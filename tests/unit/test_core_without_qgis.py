"""core/ imports and runs without QGIS: it is shared by Processing, GUI and scripts."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_core_modules_import_with_qgis_blocked():
    modules = sorted(p.stem for p in (ROOT / "eit_plugin" / "core").glob("*.py") if p.stem != "__init__")
    code = (
        "import sys\n"
        "sys.modules['qgis'] = None\n"  # any 'import qgis...' now raises ImportError
        "import importlib\n"
        "for m in {!r}:\n"
        "    importlib.import_module('eit_plugin.core.' + m)\n"
        "print('ok', len({!r}))\n"
    ).format(modules, modules)
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok")
