"""Provenance of a run: versions, parameters, input hashes, date.

Written into every output (GeoPackage table ``provenance``, layer metadata, report) so that
a public planning file can say exactly what produced each figure. Same inputs and
parameters give the same ``run_key`` (the date is recorded but not part of the key).
"""
from __future__ import annotations

import hashlib
import json
import platform
import re
from datetime import datetime, timezone
from pathlib import Path

CHUNK = 1 << 20


def file_sha256(path) -> str:
    """SHA-256 of a file's bytes, streamed (national SIRENE files are several GB)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def input_hashes(paths: dict) -> dict:
    """``{parameter: sha256}`` for the parameters that are existing files (others skipped)."""
    hashes = {}
    for name in sorted(paths):
        value = paths[name]
        if value and isinstance(value, str):
            candidate = Path(value.split("|")[0])
            if candidate.is_file():
                hashes[name] = file_sha256(candidate)
    return hashes


# A password inside a data source URI (``password='…'``, ``password=…``, ``PG:… password=…``)
# or a connection URL (``postgresql://user:secret@host``): never written into an output.
_PASSWORD_RE = re.compile(r"""(password\s*=\s*)('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|[^\s'"]+)""", re.IGNORECASE)
_URL_PASSWORD_RE = re.compile(r"((?:postgres|postgresql|pg)://[^:/@\s]+:)[^@\s]+(@)", re.IGNORECASE)


def redact(value):
    """``value`` with any password in a connection string replaced by ``***`` (recursively in
    lists and dicts). Authentication configurations (``authcfg=…``) are ids, kept as they are."""
    if isinstance(value, str):
        return _URL_PASSWORD_RE.sub(r"\1***\2", _PASSWORD_RE.sub(r"\1***", value))
    if isinstance(value, (list, tuple)):
        return [redact(v) for v in value]
    if isinstance(value, dict):
        return {k: redact(v) for k, v in value.items()}
    return value


def _jsonable(value):
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, (int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in sorted(value.items())}
    return str(value)


def build(plugin_version: str, qgis_version: str, parameters: dict, hashes: dict, now=None) -> dict:
    """The provenance record of one run."""
    params = _jsonable(parameters)
    key_material = json.dumps({"plugin": plugin_version, "parameters": params, "inputs": hashes}, sort_keys=True)
    return {
        "plugin_version": plugin_version,
        "qgis_version": qgis_version,
        "python_version": platform.python_version(),
        "parameters": params,
        "input_sha256": dict(sorted(hashes.items())),
        "run_key": hashlib.sha256(key_material.encode("utf-8")).hexdigest()[:16],
        "run_date_utc": (now or datetime.now(timezone.utc)).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def as_rows(record: dict) -> list:
    """Flatten the record into (key, value) rows for a table."""
    rows = []
    for key, value in record.items():
        if isinstance(value, dict):
            for sub, sub_value in value.items():
                rows.append(("{}.{}".format(key, sub), json.dumps(sub_value, ensure_ascii=False) if not isinstance(sub_value, str) else sub_value))
        else:
            rows.append((key, str(value)))
    return rows


def as_text(record: dict) -> str:
    return "\n".join("{}: {}".format(k, v) for k, v in as_rows(record))


def public_value(value):
    """A parameter value fit for a public document: a file path becomes its file name (and
    layer name), so that no local folder is disclosed."""
    if isinstance(value, str) and ("/" in value or "\\" in value):
        path, _, layer = value.partition("|")
        name = path.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
        return "{}|{}".format(name, layer) if layer else name
    return value


def public(record: dict) -> dict:
    """The record with file names instead of local paths (hashes identify the files)."""
    out = dict(record)
    out["parameters"] = {k: public_value(v) for k, v in record.get("parameters", {}).items()}
    return out
