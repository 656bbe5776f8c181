"""Build the zip QGIS installs ("Install from ZIP"), or deploy it into a QGIS profile.

The zip holds one folder, ``eit_plugin/``, with the code, metadata.txt, resources/ and the
compiled translations (i18n/*.qm): exactly what the plugin's ``paths`` module looks for.
"""
from __future__ import annotations

import argparse
import os
import shutil
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXCLUDED_DIRS = {"__pycache__", ".pytest_cache"}
EXCLUDED_SUFFIXES = {".pyc", ".pyo", ".ts", ".pro"}


def package_files():
    """(path on disk, path in the zip) for every file the plugin needs."""
    for base, arc_base in ((ROOT / "eit_plugin", "eit_plugin"),
                           (ROOT / "resources", "eit_plugin/resources"),
                           (ROOT / "i18n", "eit_plugin/i18n")):
        for path in sorted(base.rglob("*")):
            if path.is_dir() or EXCLUDED_DIRS.intersection(path.parts) or path.suffix in EXCLUDED_SUFFIXES:
                continue
            yield path, "{}/{}".format(arc_base, path.relative_to(base).as_posix())
    # The plugin repository refuses a zip without its licence: a missing file is an error.
    for name in ("metadata.txt", "README.md", "CHANGELOG.md", "LICENSE"):
        if not (ROOT / name).exists():
            raise FileNotFoundError("{} is missing: the package needs it".format(ROOT / name))
        yield ROOT / name, "eit_plugin/{}".format(name)


def build(output: Path) -> Path:
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_suffix(".zip.part")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, arcname in package_files():
            # Fixed timestamps: the same sources give the same zip.
            info = zipfile.ZipInfo(arcname, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes())
    os.replace(tmp, output)
    print("package: {} ({} kB)".format(output, output.stat().st_size // 1024))
    return output


def deploy(zip_path: Path, profile_dir: Path | None = None) -> Path:
    profile_dir = profile_dir or Path.home() / ".local/share/QGIS/QGIS3/profiles/default"
    plugins = profile_dir / "python" / "plugins"
    target = plugins / "eit_plugin"
    if target.exists():
        shutil.rmtree(target)
    plugins.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(plugins)
    print("deployed into {}".format(target))
    return target


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--output", type=Path, help="zip to build")
    parser.add_argument("--deploy", type=Path, help="zip to install into the user's QGIS profile")
    parser.add_argument("--profile", type=Path, help="QGIS profile folder (default: ~/.local/share/QGIS/QGIS3/profiles/default)")
    args = parser.parse_args()
    if args.output:
        build(args.output)
    if args.deploy:
        deploy(args.deploy, args.profile)


if __name__ == "__main__":
    main()
