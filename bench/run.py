"""make bench: the EIT method at 10k, 100k and 1M establishments, against QGIS itself.

For each size N the harness

1. generates (once, cached under ``--cache``) a synthetic territory of N establishments with
   ``tools.generate_sample`` (SIRENE stock + geolocation CSV, survey CSV, GeoPackage with
   ``zone_urba``, ``housing``, ``heat_network``);
2. installs the packaged plugin (the zip a user installs) into a private QGIS profile and
   runs every algorithm as its own ``qgis_process.bin`` process, each on the outputs of the
   previous one (exactly the parameters ``eit:fullanalysis`` gives its steps), then
   ``eit:fullanalysis`` from the raw files to the GeoPackage and the report;
3. in the same run, times the references: ``native:joinattributesbylocation`` of the flow
   points and of the establishment points on the same zones (what ``eit:zoneoverlay``
   assigns), and the bare reading of the input features: a PyQGIS script run with
   ``/usr/bin/python3`` (no qgis_process) that starts QGIS and iterates every feature
   (attributes + geometry) of the establishments, flows and zones layers;
4. records per step the wall time, the CPU time (user + sys) and the peak resident memory
   of the child process (``os.wait4`` → ``ru_maxrss``), the load average of the machine
   while it ran, and the feature counts; writes ``results.json`` and ``results.md`` (a
   Markdown table with the ratios to the references and the targets) into ``--out``, and the
   table into README.md between the ``bench:begin``/``bench:end`` markers.

A run merges its sizes into the existing ``results.json`` (one entry per size; a run of some
steps only keeps the other steps of that size), so the 1M size can be run on its own
afterwards. Timings are only meaningful on an otherwise idle machine: the load average and
the CPU time are recorded next to every wall time for that reason. Each zip gets its own
profile folder (``profile-<sha256>``), so a long run is never disturbed by a rebuilt zip.

    .venv/bin/python bench/run.py --package dist/eit_plugin-0.1.0.zip \\
        [--sizes 10000,100000,1000000] [--steps import,flows,overlay,...] [--cache bench/cache]
        [--out bench/results] [--readme README.md | --readme ''] [--timeout 10800]
    .venv/bin/python bench/run.py --package ... --sizes 100000 --steps clusters --profile /tmp/prof
        # the step in one process under pyinstrument (pip install pyinstrument into .venv)
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools.qgisproc import QGIS_PROCESS, QgisProcess  # noqa: E402

SYSTEM_PYTHON = "/usr/bin/python3"
GEN_FILES = ("StockEtablissement_sample.csv", "GeolocalisationEtablissement_sample.csv",
             "flux_declares_enquete.csv", "metropole_savoie_sample.gpkg")

# (key, label, algorithm) in run order. "read", "native_*" and "startup" are the references
# (run last: at 1M the native joins are the slowest steps).
STEPS = (
    ("startup", "qgis_process start (help eit:zoneoverlay)", None),
    ("import", "eit:importestablishments", "eit:importestablishments"),
    ("flows", "eit:estimateflows", "eit:estimateflows"),
    ("overlay", "eit:zoneoverlay", "eit:zoneoverlay"),
    ("synergies", "eit:detectsynergies", "eit:detectsynergies"),
    ("clusters", "eit:detectclusters", "eit:detectclusters"),
    ("recommendations", "eit:recommendations", "eit:recommendations"),
    ("full", "eit:fullanalysis", "eit:fullanalysis"),
    ("read", "bare read of the features (PyQGIS)", None),
    ("native_join_est", "native:joinattributesbylocation (establishments)", "native:joinattributesbylocation"),
    ("native_join_flows", "native:joinattributesbylocation (flows)", "native:joinattributesbylocation"),
)
STEP_KEYS = [s[0] for s in STEPS]
METHOD_STEPS = ("import", "flows", "overlay", "synergies", "clusters", "recommendations", "full")

TARGETS = {
    "full_100k_s": 25.0,
    "full_1m_s": 240.0,
    "full_1m_peak_mb": 4096.0,
    "overlay_vs_native": 0.5,
    "scaling_1m_100k": 12.0,
}

READ_SCRIPT = r'''
import json, sys, time
t0 = time.perf_counter()
from qgis.core import QgsApplication, QgsVectorLayer, QgsFeatureRequest
app = QgsApplication([], False)
app.initQgis()
out = {"startup_s": round(time.perf_counter() - t0, 3), "layers": {}}
for name, uri in json.loads(sys.argv[1]).items():
    t = time.perf_counter()
    layer = QgsVectorLayer(uri, name, "ogr")
    n = 0
    for feature in layer.getFeatures(QgsFeatureRequest()):
        feature.attributes()
        feature.geometry()
        n += 1
    out["layers"][name] = {"features": n, "seconds": round(time.perf_counter() - t, 3)}
print(json.dumps(out), flush=True)
import os
os._exit(0)
'''

# --profile: the same step in one Python process (the plugin from the private profile, as
# installed from the zip) under pyinstrument (pip install pyinstrument into .venv: profiling
# only, not a dependency of the plugin).
PROFILE_SCRIPT = r'''
import json, sys, time
plugins, algorithm, params, out = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), sys.argv[4]
sys.path.insert(0, plugins)
sys.path.insert(0, "/usr/share/qgis/python/plugins")
from qgis.core import QgsApplication, QgsProcessingContext, QgsProcessingFeedback
app = QgsApplication([], False)
app.initQgis()
from processing.core.Processing import Processing
Processing.initialize()
from eit_plugin.processing.provider import EitProvider
provider = EitProvider()  # kept referenced: the registry does not own a Python provider
QgsApplication.processingRegistry().addProvider(provider)
from pyinstrument import Profiler
alg = QgsApplication.processingRegistry().createAlgorithmById(algorithm)
profiler = Profiler(interval=0.005)
t = time.perf_counter()
profiler.start()
results, ok = alg.run(params, QgsProcessingContext(), QgsProcessingFeedback())
profiler.stop()
print(json.dumps({"ok": ok, "seconds": round(time.perf_counter() - t, 2)}), flush=True)
open(out + ".txt", "w").write(profiler.output_text(unicode=True, color=False, show_all=False))
open(out + ".html", "w").write(profiler.output_html())
import os
os._exit(0)
'''


# ---------------------------------------------------------------------------------------------
# Territories
# ---------------------------------------------------------------------------------------------
def territory(cache: Path, size: int, log=print) -> Path:
    """The generated territory of ``size`` establishments (generated once, then cached)."""
    folder = cache / "t{}".format(size)
    done = folder / ".complete"
    if done.exists() and all((folder / f).exists() for f in GEN_FILES):
        return folder
    if folder.exists():
        shutil.rmtree(folder)
    log("generating a territory of {} establishments into {} …".format(size, folder))
    start = time.time()
    proc = subprocess.run([SYSTEM_PYTHON, "-m", "tools.generate_sample", "--size", str(size), "--out", str(folder)],
                          cwd=str(ROOT), capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError("generate_sample failed:\n{}".format(proc.stderr[-3000:]))
    done.write_text(json.dumps({"size": size, "seconds": round(time.time() - start, 1)}), encoding="utf-8")
    return folder


def layer_count(path: Path, table: str | None = None) -> int | None:
    """Number of rows of a GeoPackage layer (the first one when ``table`` is None)."""
    try:
        with sqlite3.connect("file:{}?mode=ro".format(path), uri=True) as db:
            if table is None:
                row = db.execute("SELECT table_name FROM gpkg_contents WHERE data_type IN ('features', 'attributes') "
                                 "ORDER BY data_type DESC, table_name LIMIT 1").fetchone()
                if row is None:
                    return None
                table = row[0]
            return int(db.execute('SELECT COUNT(*) FROM "{}"'.format(table)).fetchone()[0])
    except sqlite3.Error:
        return None


# ---------------------------------------------------------------------------------------------
# Measuring a child process
# ---------------------------------------------------------------------------------------------
def measure(args, env, log_path: Path, timeout: float) -> dict:
    """Run ``args``; wall time, CPU time and peak RSS of the child (``os.wait4``)."""
    load_before = os.getloadavg()[0]
    start = time.perf_counter()
    with open(log_path, "w", encoding="utf-8") as out:
        proc = subprocess.Popen(args, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=str(ROOT))
        status, usage, timed_out = None, None, False
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid == proc.pid:
                break
            if time.perf_counter() - start > timeout:
                timed_out = True
                os.kill(proc.pid, signal.SIGKILL)
                _, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.05)
        proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    return {"wall_s": round(wall, 2), "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
            "peak_mb": round(usage.ru_maxrss / 1024.0), "returncode": proc.returncode, "timed_out": timed_out,
            "load_avg": round((load_before + os.getloadavg()[0]) / 2.0, 1)}


def qgis_args(command: list) -> list:
    return [QGIS_PROCESS, *command]


def run_args(algorithm: str, params: dict) -> list:
    args = ["--json", "run", algorithm, "--"]
    for key, value in params.items():
        if value is None:
            continue
        if isinstance(value, bool):
            value = "true" if value else "false"
        args.append("{}={}".format(key, value))
    return qgis_args(args)


def parse_results(log_path: Path) -> dict:
    text = log_path.read_text(encoding="utf-8", errors="replace")
    start = text.find("{\n") if "{\n" in text else text.find("{")
    try:
        return json.loads(text[start:]).get("results", {})
    except (ValueError, AttributeError):
        return {}


# ---------------------------------------------------------------------------------------------
# The steps
# ---------------------------------------------------------------------------------------------
def step_parameters(key: str, terr: Path, work: Path) -> dict:
    """Parameters of each step, as ``processing/chain.step_parameters`` gives them."""
    gpkg = terr / "metropole_savoie_sample.gpkg"

    def w(name):
        return str(work / "{}.gpkg".format(name))

    zones = "{}|layername=zone_urba".format(gpkg)
    network = "{}|layername=heat_network".format(gpkg)
    if key == "import":
        return {"INPUT": str(terr / "StockEtablissement_sample.csv"),
                "GEOLOCATION": str(terr / "GeolocalisationEtablissement_sample.csv"),
                "ACTIVE_ONLY": True, "OUTPUT": w("establishments"), "SKIPPED": w("skipped")}
    if key == "flows":
        return {"INPUT": w("establishments"), "DECLARED": str(terr / "flux_declares_enquete.csv"), "OUTPUT": w("flows")}
    if key == "native_join_flows":
        return {"INPUT": w("flows"), "PREDICATE": 0, "JOIN": zones, "METHOD": 2, "DISCARD_NONMATCHING": False,
                "OUTPUT": w("native_join_flows")}
    if key == "native_join_est":
        return {"INPUT": w("establishments"), "PREDICATE": 0, "JOIN": zones, "METHOD": 2,
                "DISCARD_NONMATCHING": False, "OUTPUT": w("native_join_est")}
    if key == "overlay":
        return {"ZONES": zones, "FLOWS": w("flows"), "ESTABLISHMENTS": w("establishments"),
                "HOUSING": "{}|layername=housing".format(gpkg), "OUTPUT": w("zones"), "OUTPUT_COMMUNES": w("communes")}
    if key == "synergies":
        return {"FLOWS": w("flows"), "ZONES": w("zones"), "NETWORK": network, "MAX_DISTANCE_M": 0,
                "OUTPUT": w("synergies"), "ALTERNATIVES": w("synergy_alternatives")}
    if key == "clusters":
        return {"FLOWS": w("flows"), "SYNERGIES": w("synergies"), "ZONES": w("zones"), "NETWORK": network,
                "DISTANCE_M": 500, "MIN_MEMBERS": 3, "OUTPUT": w("clusters")}
    if key == "recommendations":
        return {"ZONES": w("zones"), "SYNERGIES": w("synergies"), "CLUSTERS": w("clusters"), "FLOWS": w("flows"),
                "PUBLIC": True, "OUTPUT": w("recommendations")}
    if key == "full":
        return {"SIRENE_FILE": str(terr / "StockEtablissement_sample.csv"),
                "GEOLOCATION": str(terr / "GeolocalisationEtablissement_sample.csv"),
                "DECLARED": str(terr / "flux_declares_enquete.csv"), "ZONES": zones,
                "HOUSING": "{}|layername=housing".format(gpkg), "NETWORK": network, "PUBLIC": True,
                "OUTPUT_GPKG": str(work / "full" / "eit_full.gpkg"), "REPORT": str(work / "full" / "rapport.html")}
    raise KeyError(key)


# Inputs each step needs from earlier steps (to say which step to run first when missing).
NEEDS = {"flows": ("establishments",), "native_join_flows": ("flows",), "native_join_est": ("establishments",),
         "read": ("establishments", "flows"), "overlay": ("establishments", "flows"),
         "synergies": ("flows", "zones"), "clusters": ("flows", "synergies", "zones"),
         "recommendations": ("zones", "synergies", "clusters", "flows")}
MADE_BY = {"establishments": "import", "flows": "flows", "zones": "overlay", "synergies": "synergies",
           "clusters": "clusters"}
OUTPUT_PARAMETERS = ("OUTPUT", "SKIPPED", "OUTPUT_COMMUNES", "ALTERNATIVES", "OUTPUT_GPKG", "REPORT")
OUTPUT_OF = {"import": "establishments", "flows": "flows", "native_join_flows": "native_join_flows",
             "native_join_est": "native_join_est", "overlay": "zones", "synergies": "synergies",
             "clusters": "clusters", "recommendations": "recommendations"}


def run_step(key: str, terr: Path, work: Path, qgis: QgisProcess, timeout: float, log=print) -> dict:
    for need in NEEDS.get(key, ()):
        if not (work / "{}.gpkg".format(need)).exists():
            raise RuntimeError("step {}: {} is missing; run step {} first (--steps {},{})".format(
                key, work / "{}.gpkg".format(need), MADE_BY[need], MADE_BY[need], key))
    env = qgis.env()
    log_path = work / "{}.log".format(key)
    if key == "startup":
        row = measure(qgis_args(["help", "eit:zoneoverlay"]), env, log_path, timeout)
    elif key == "read":
        gpkg = terr / "metropole_savoie_sample.gpkg"
        uris = {"establishments": str(work / "establishments.gpkg"), "flows": str(work / "flows.gpkg"),
                "zones": "{}|layername=zone_urba".format(gpkg)}
        renv = dict(env)
        renv.pop("QGIS_CUSTOM_CONFIG_PATH", None)
        row = measure([SYSTEM_PYTHON, "-c", READ_SCRIPT, json.dumps(uris)], renv, log_path, timeout)
        try:
            detail = json.loads(log_path.read_text(encoding="utf-8").strip().splitlines()[-1])
            row["detail"] = detail
        except (ValueError, IndexError):
            pass
    else:
        algorithm = dict((s[0], s[2]) for s in STEPS)[key]
        params = step_parameters(key, terr, work)
        for name in OUTPUT_PARAMETERS:  # outputs of a previous run would be appended to
            value = params.get(name)
            if isinstance(value, str) and value.startswith(str(work)):
                for suffix in ("", "-wal", "-shm"):
                    Path(value + suffix).unlink(missing_ok=True)
        if key == "full":
            (work / "full").mkdir(parents=True, exist_ok=True)
            for f in (work / "full").glob("*"):
                f.unlink()
        row = measure(run_args(algorithm, params), env, log_path, timeout)
        results = parse_results(log_path)
        row["results"] = {k: v for k, v in results.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}
        if key in OUTPUT_OF:
            row["features"] = layer_count(work / "{}.gpkg".format(OUTPUT_OF[key]))
    if row["returncode"] != 0:
        tail = log_path.read_text(encoding="utf-8", errors="replace")[-2000:]
        row["error"] = "timed out" if row["timed_out"] else tail.strip().splitlines()[-1] if tail.strip() else "failed"
        log("  {} FAILED ({}): see {}".format(key, row["error"], log_path))
    return row


# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------
def machine() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    free = subprocess.run(["free", "-h"], capture_output=True, text=True).stdout.strip("\n")
    qgis_version = subprocess.run([QGIS_PROCESS, "--version"], capture_output=True, text=True,
                                  env=dict(os.environ, QT_QPA_PLATFORM="offscreen")).stdout
    qgis_line = next((line.strip() for line in qgis_version.splitlines() if line.startswith("QGIS")), "")
    return {"nproc": os.cpu_count(), "cpu": cpu, "free_h": free, "os": platform.platform(),
            "qgis": qgis_line, "python": platform.python_version()}


def _fmt_s(value) -> str:
    if value is None:
        return "–"
    return "{:.1f}".format(value) if value < 100 else "{:.0f}".format(value)


def ratios(size_rows: dict) -> dict:
    """Ratios to the references for one size, on wall time and (``*_cpu``) on CPU time: on a
    busy machine the CPU ratio is the fairer one."""
    def value(key, what):
        row = size_rows.get(key)
        return row[what] if row and row.get("returncode") == 0 and row.get(what) else None

    out = {}
    for what, suffix in (("wall_s", ""), ("cpu_s", "_cpu")):
        ov, jf, je, rd = (value(k, what) for k in ("overlay", "native_join_flows", "native_join_est", "read"))
        if ov and jf and je:
            out["overlay_vs_native" + suffix] = round(ov / (jf + je), 2)
        if ov and jf:
            out["overlay_vs_native_flows" + suffix] = round(ov / jf, 2)
        if rd:
            for key in METHOD_STEPS:
                if value(key, what):
                    out["{}_vs_read{}".format(key, suffix)] = round(value(key, what) / rd, 1)
    return out


def targets(results: dict) -> list:
    """(target, measured, met?) for every target that the results allow to check."""
    sizes = results.get("sizes", {})
    checks = []

    def row(size, key):
        r = sizes.get(str(size), {}).get("steps", {}).get(key)
        return r if r and r.get("returncode") == 0 else None

    full = row(100000, "full")
    if full:
        checks.append(("full analysis, 100k ≤ {:.0f} s".format(TARGETS["full_100k_s"]), "{:.0f} s (CPU {:.0f} s)".format(full["wall_s"], full["cpu_s"]),
                       full["wall_s"] <= TARGETS["full_100k_s"]))
    full = row(1000000, "full")
    if full:
        checks.append(("full analysis, 1M ≤ {:.0f} min".format(TARGETS["full_1m_s"] / 60), "{:.1f} min (CPU {:.1f} min)".format(full["wall_s"] / 60, full["cpu_s"] / 60),
                       full["wall_s"] <= TARGETS["full_1m_s"]))
        checks.append(("full analysis, 1M ≤ {:.0f} GB peak".format(TARGETS["full_1m_peak_mb"] / 1024), "{:.1f} GB".format(full["peak_mb"] / 1024),
                       full["peak_mb"] <= TARGETS["full_1m_peak_mb"]))
    for size in sorted(int(s) for s in sizes):
        r = sizes[str(size)].get("ratios", {}).get("overlay_vs_native")
        if r is not None:
            cpu = sizes[str(size)].get("ratios", {}).get("overlay_vs_native_cpu")
            checks.append(("zone overlay ≤ {} × native join, {}".format(TARGETS["overlay_vs_native"], label(size)), "{:.2f} × (CPU {} ×)".format(r, cpu),
                           r <= TARGETS["overlay_vs_native"]))
    for key in METHOD_STEPS:
        a, b = row(100000, key), row(1000000, key)
        if a and b:
            r = b["wall_s"] / a["wall_s"]
            checks.append(("t(1M)/t(100k) ≤ 12, {}".format(key), "{:.1f} (CPU {:.1f})".format(r, b["cpu_s"] / a["cpu_s"]),
                           r <= TARGETS["scaling_1m_100k"]))
    return checks


def label(size: int) -> str:
    return "{}M".format(size // 1000000) if size >= 1000000 and size % 1000000 == 0 else "{}k".format(size // 1000)


def markdown(results: dict) -> str:
    sizes = sorted(int(s) for s in results.get("sizes", {}))
    lines = []
    head = "| step |" + "".join(" {} wall s | {} CPU s | {} peak MB |".format(label(n), label(n), label(n)) for n in sizes)
    lines.append(head)
    lines.append("|---|" + "---:|---:|---:|" * len(sizes))
    names = dict((s[0], s[1]) for s in STEPS)
    for key in STEP_KEYS:
        cells = []
        present = False
        for n in sizes:
            r = results["sizes"][str(n)]["steps"].get(key)
            if r is None:
                cells += ["", "", ""]
                continue
            present = True
            if r.get("returncode") != 0:
                cells += ["**{}**".format("timeout" if r.get("timed_out") else "failed"), _fmt_s(r["cpu_s"]),
                          str(r["peak_mb"])]
            else:
                cells += [_fmt_s(r["wall_s"]), _fmt_s(r["cpu_s"]), str(r["peak_mb"])]
        if present:
            lines.append("| {} | {} |".format(names[key], " | ".join(cells)))
    lines.append("")
    # counts
    lines.append("| size | establishments | flows | zones | synergies | clusters | recommendations | mean load |")
    lines.append("|---|---:|---:|---:|---:|---:|---:|---:|")
    for n in sizes:
        steps = results["sizes"][str(n)]["steps"]

        def feat(key, steps=steps):
            value = steps.get(key, {}).get("features")
            return "" if value is None else "{:,}".format(value).replace(",", " ")
        loads = [r.get("load_avg") for r in steps.values() if r.get("load_avg") is not None]
        load = "{:.1f}".format(sum(loads) / len(loads)) if loads else ""
        lines.append("| {} | {} | {} | {} | {} | {} | {} | {} |".format(
            label(n), feat("import"), feat("flows"), feat("overlay"), feat("synergies"), feat("clusters"),
            feat("recommendations"), load))
    lines.append("")
    # ratios
    lines.append("| ratio, wall time (CPU time) | " + " | ".join(label(n) for n in sizes) + " |")
    lines.append("|---|" + "---:|" * len(sizes))
    keys = ["overlay_vs_native", "overlay_vs_native_flows"] + ["{}_vs_read".format(k) for k in METHOD_STEPS]
    titles = {"overlay_vs_native": "eit:zoneoverlay ÷ native join (flows + establishments)",
              "overlay_vs_native_flows": "eit:zoneoverlay ÷ native join (flows only)"}
    for k in keys:
        vals = [results["sizes"][str(n)].get("ratios", {}) for n in sizes]
        if all(v.get(k) is None for v in vals):
            continue
        title = titles[k] if k in titles else "{} ÷ bare read".format(names[k[:-len("_vs_read")]])
        cells = ["" if v.get(k) is None else "{} × (CPU {} ×)".format(v[k], v.get(k + "_cpu", "–")) for v in vals]
        lines.append("| {} | {} |".format(title, " | ".join(cells)))
    scal = []
    for key in METHOD_STEPS:
        row = []
        for a, b in zip(sizes, sizes[1:]):
            ra = results["sizes"][str(a)]["steps"].get(key)
            rb = results["sizes"][str(b)]["steps"].get(key)
            ok = ra and rb and ra.get("returncode") == 0 and rb.get("returncode") == 0
            row.append("{:.1f}".format(rb["wall_s"] / ra["wall_s"]) if ok else "")
        if any(row):
            scal.append("| {} | {} |".format(names[key], " | ".join(row)))
    if scal:
        lines.append("")
        lines.append("| time ratio | " + " | ".join("t({})/t({})".format(label(b), label(a))
                                                  for a, b in zip(sizes, sizes[1:])) + " |")
        lines.append("|---|" + "---:|" * (len(sizes) - 1))
        lines += scal
    checks = targets(results)
    if checks:
        lines.append("")
        lines.append("| target | measured | met |")
        lines.append("|---|---:|:---:|")
        for name, value, ok in checks:
            lines.append("| {} | {} | {} |".format(name, value, "yes" if ok else "**no**"))
    m = results.get("machine", {})
    lines.append("")
    lines.append("Machine: {} CPU(s), {}; {}; {}; Python {}. Memory (`free -h`):".format(
        m.get("nproc"), m.get("cpu"), m.get("os"), m.get("qgis"), m.get("python")))
    lines.append("")
    lines.append("```")
    lines.append(m.get("free_h", ""))
    lines.append("```")
    lines.append("")
    runs = []
    for n in sizes:
        entry = results["sizes"][str(n)]
        packages = sorted({r.get("package_sha256", entry.get("package_sha256", "?"))[:10]
                           for r in entry["steps"].values()})
        runs.append("{} on {} (package {})".format(label(n), entry.get("date", ""), ", ".join(packages)))
    lines.append("Runs (UTC): {}. Wall = elapsed time of the `qgis_process.bin` process (QGIS start included); "
                 "CPU = user + sys of that process; peak = its maximum resident memory (`ru_maxrss`). "
                 "Bare read = `/usr/bin/python3` starting QGIS and iterating every feature of the "
                 "establishments, flows and zones layers. Mean load = load average of the machine during the "
                 "steps (2 = both cores busy with something else).".format("; ".join(runs)))
    return "\n".join(lines) + "\n"


README_BEGIN = "<!-- bench:begin -->"
README_END = "<!-- bench:end -->"


def update_readme(readme: Path, table: str) -> bool:
    """Replace the text between the bench markers of README.md; False when they are absent."""
    if not readme.exists():
        return False
    text = readme.read_text(encoding="utf-8")
    a, b = text.find(README_BEGIN), text.find(README_END)
    if a < 0 or b < a:
        return False
    text = text[:a + len(README_BEGIN)] + "\n" + table + text[b:]
    readme.write_text(text, encoding="utf-8")
    return True


def profile_step(key: str, terr: Path, work: Path, qgis: QgisProcess, folder: Path, timeout: float, log=print) -> dict:
    """Run one method step in-process under pyinstrument; write ``<folder>/<key>_<size>.txt/.html``."""
    algorithm = dict((s[0], s[2]) for s in STEPS)[key]
    params = step_parameters(key, terr, work)
    if key == "full":
        (work / "full").mkdir(parents=True, exist_ok=True)
    for name in OUTPUT_PARAMETERS:
        if isinstance(params.get(name), str):
            params[name] = params[name].replace(".gpkg", "_profiled.gpkg").replace(".html", "_profiled.html")
            Path(params[name]).unlink(missing_ok=True)
    folder.mkdir(parents=True, exist_ok=True)
    base = folder / "{}_{}".format(key, work.name.split("_")[-1])
    env = qgis.env()
    env["PYTHONPATH"] = "/usr/share/qgis/python/plugins"
    row = measure([sys.executable, "-c", PROFILE_SCRIPT, str(qgis.plugins_dir), algorithm, json.dumps(params), str(base)],
                  env, Path(str(base) + ".log"), timeout)
    log("  profile: {}.txt ({} s wall, {} MB peak)".format(base, row["wall_s"], row["peak_mb"]))
    return row


def save(json_path: Path, size: int, entry: dict, results: dict) -> dict:
    """Write this size's entry into results.json, re-reading the file first: another run
    (e.g. the long 1M one) may have written its own size in the meantime."""
    current = json.loads(json_path.read_text(encoding="utf-8")) if json_path.exists() else {}
    current.setdefault("sizes", {})[str(size)] = entry
    current["machine"], current["targets"] = results.get("machine"), results.get("targets")
    tmp = json_path.with_suffix(".json.part")
    tmp.write_text(json.dumps(current, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, json_path)
    return current


def install(qgis: QgisProcess, package: Path, log=print) -> None:
    """Install the zip into the private profile, unless this very zip is installed already."""
    digest = hashlib.sha256(package.read_bytes()).hexdigest()
    stamp = qgis.config_dir / "installed_zip.sha256"
    if stamp.exists() and stamp.read_text(encoding="utf-8").strip() == digest and (qgis.plugins_dir / "eit_plugin").exists():
        log("{} already installed in {}".format(package.name, qgis.config_dir))
        return
    log("installing {} into {}".format(package, qgis.config_dir))
    qgis.install(package)
    stamp.write_text(digest + "\n", encoding="utf-8")


# ---------------------------------------------------------------------------------------------
def parse_steps(value: str) -> list:
    if value in ("all", ""):
        return list(STEP_KEYS)
    wanted = [v.strip() for v in value.split(",") if v.strip()]
    unknown = [v for v in wanted if v not in STEP_KEYS]
    if unknown:
        raise SystemExit("unknown step(s) {}; choose among {}".format(", ".join(unknown), ", ".join(STEP_KEYS)))
    return [k for k in STEP_KEYS if k in wanted]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--package", type=Path, required=True, help="the plugin zip (make package)")
    parser.add_argument("--sizes", default="10000,100000,1000000", help="comma-separated numbers of establishments")
    parser.add_argument("--steps", default="all", help="comma-separated among: " + ", ".join(STEP_KEYS))
    parser.add_argument("--cache", type=Path, default=ROOT / "bench" / "cache",
                        help="generated territories, the QGIS profile and the step outputs")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results", help="results.json and results.md")
    parser.add_argument("--readme", default=str(ROOT / "README.md"),
                        help="README whose bench:begin/bench:end section gets the table ('' = none)")
    parser.add_argument("--profile", type=Path, metavar="DIR",
                        help="instead of timing, profile the eit steps in-process with pyinstrument into DIR")
    parser.add_argument("--timeout", type=float, default=3 * 3600, help="seconds per step before it is killed")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in str(args.sizes).split(",") if s.strip()]
    steps = parse_steps(args.steps)
    cache = args.cache.resolve()
    cache.mkdir(parents=True, exist_ok=True)
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    json_path = out / "results.json"
    results = json.loads(json_path.read_text(encoding="utf-8")) if json_path.exists() else {}
    results.setdefault("sizes", {})
    results["machine"] = machine()
    results["targets"] = TARGETS

    def log(message):
        print(message, flush=True)

    package = args.package.resolve()
    digest = hashlib.sha256(package.read_bytes()).hexdigest()
    # One profile per zip: a run with a rebuilt zip never disturbs a run still using the old one.
    qgis = QgisProcess(cache / "profile-{}".format(digest[:10]))
    install(qgis, package, log)
    failures = 0
    for size in sizes:
        terr = territory(cache, size, log)
        work = cache / "work_{}".format(size)
        work.mkdir(parents=True, exist_ok=True)
        if args.profile:
            for key in steps:
                if key in METHOD_STEPS:
                    log("[{}] profiling {} …".format(label(size), key))
                    profile_step(key, terr, work, qgis, args.profile.resolve(), args.timeout, log)
            continue
        entry = results["sizes"].get(str(size), {}) if set(steps) != set(STEP_KEYS) else {}
        entry.setdefault("steps", {})
        entry["date"] = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M")
        entry["territory"] = json.loads((terr / ".complete").read_text(encoding="utf-8"))
        entry["package_sha256"] = digest
        results["sizes"][str(size)] = entry
        for key in steps:
            log("[{}] {} …".format(label(size), key))
            try:
                row = run_step(key, terr, work, qgis, args.timeout, log)
            except RuntimeError as error:
                log("  skipped: {}".format(error))
                failures += 1
                continue
            failures += row["returncode"] != 0
            entry["steps"][key] = row
            log("  {wall_s} s wall, {cpu_s} s CPU, {peak_mb} MB peak, load {load_avg}{feat}".format(
                feat=", {} features".format(row["features"]) if row.get("features") is not None else "", **row))
            row["package_sha256"] = digest[:16]
            entry["ratios"] = ratios(entry["steps"])
            results = save(json_path, size, entry, results)
        entry["ratios"] = ratios(entry["steps"])
        results = save(json_path, size, entry, results)
    if args.profile:
        return 1 if failures else 0
    table = markdown(results)
    (out / "results.md").write_text(table, encoding="utf-8")
    if args.readme and update_readme(Path(args.readme), table):
        log("README table updated ({})".format(args.readme))
    log(table)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
