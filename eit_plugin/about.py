"""Plugin identity read from metadata.txt, the one source of the version."""
from __future__ import annotations

import configparser
from functools import lru_cache

from .paths import METADATA_FILE


@lru_cache(maxsize=1)
def metadata() -> dict:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(METADATA_FILE, encoding="utf-8")
    return dict(parser["general"]) if parser.has_section("general") else {}


def version() -> str:
    return metadata().get("version", "0.0.0")


def name() -> str:
    return metadata().get("name", "EIT Savoie")
