"""Run the packaged plugin through ``qgis_process.bin`` in a private QGIS profile.

Used by the package test, ``make demo`` and ``make bench``: it proves that the zip a user
installs loads and runs, with nothing borrowed from the source tree.

Debian's ``qgis_process`` wrapper passes an option 3.22 rejects, hence ``qgis_process.bin``.
``QGIS_CUSTOM_CONFIG_PATH`` points QGIS at a throw-away profile folder.
"""
from __future__ import annotations

import json
import os
import subprocess
import zipfile
from pathlib import Path

QGIS_PROCESS = os.environ.get("QGIS_PROCESS", "qgis_process.bin")


class QgisProcess:
    def __init__(self, config_dir: Path):
        self.config_dir = Path(config_dir)
        self.plugins_dir = self.config_dir / "profiles" / "default" / "python" / "plugins"

    def env(self) -> dict:
        env = dict(os.environ)
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
        env.setdefault("XDG_RUNTIME_DIR", "/tmp/runtime-{}".format(os.getuid()))
        Path(env["XDG_RUNTIME_DIR"]).mkdir(mode=0o700, exist_ok=True)
        env["QGIS_CUSTOM_CONFIG_PATH"] = str(self.config_dir)
        # The plugin must come from the profile only, not from a source checkout.
        env.pop("QGIS_PLUGINPATH", None)
        env["PYTHONPATH"] = "/usr/share/qgis/python/plugins"
        return env

    def install(self, package_zip: Path) -> Path:
        """Unpack the zip into the profile, as "Install from ZIP" does, and enable it."""
        self.plugins_dir.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(package_zip) as archive:
            archive.extractall(self.plugins_dir)
        self.call(["plugins", "enable", "eit_plugin"])
        return self.plugins_dir / "eit_plugin"

    def call(self, args, timeout=3600) -> subprocess.CompletedProcess:
        return subprocess.run(
            [QGIS_PROCESS, *args], env=self.env(), capture_output=True, text=True, timeout=timeout
        )

    def algorithms(self) -> list:
        result = self.call(["list"])
        return [line.strip().split()[0] for line in result.stdout.splitlines() if line.strip().startswith("eit:")]

    def run(self, algorithm: str, params: dict, timeout=3600) -> dict:
        """Run an algorithm; return qgis_process's JSON (``results``, ``log``...).

        Raises ``RuntimeError`` with qgis_process's own output when the run fails.
        """
        args = ["--json", "run", algorithm, "--"]
        for key, value in params.items():
            values = value if isinstance(value, (list, tuple)) else [value]
            for item in values:
                if isinstance(item, bool):
                    item = "true" if item else "false"
                args.append("{}={}".format(key, item))
        result = self.call(args, timeout=timeout)
        stdout = result.stdout
        start = stdout.find("{")
        if result.returncode != 0 or start < 0:
            raise RuntimeError(
                "qgis_process {} failed ({}):\n{}\n{}".format(algorithm, result.returncode, stdout[-4000:], result.stderr[-4000:])
            )
        return json.loads(stdout[start:])
