"""The user's EIT settings, persisted per QGIS profile (QgsSettings), restored on restart.

One dataclass, :class:`EitSettings`, holds every value the dock remembers; :func:`load`
reads it and :meth:`EitSettings.save` writes it, under the ``eit_plugin/`` section of the
QGIS settings (the pattern of geotribu's qtribu ``PlgOptionsManager``). Values missing from
the settings (first start) take the dataclass defaults; values of the wrong type are
ignored, never fatal.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields

from .core.catalogue import MIN_CLUSTER_MEMBERS, POOLING_DISTANCE_M

SECTION = "eit_plugin"
LANGUAGES = ("", "fr", "en")  # "" = follow the QGIS interface language


@dataclass
class EitSettings:
    """Everything the dock remembers between sessions."""

    cluster_distance_m: float = POOLING_DISTANCE_M
    max_distance_m: float = 0.0  # 0 = the per-resource distances of the taxonomy
    min_members: int = MIN_CLUSTER_MEMBERS
    public: bool = True  # apply the statistical secret (documents meant for the public)
    language: str = ""  # report/output language: "", "fr" or "en"
    last_output_folder: str = ""
    sirene_file: str = ""
    geolocation_file: str = ""
    last_layers: dict = field(default_factory=dict)  # role ("zones", "network"...) -> layer id

    def report_language(self) -> str:
        """``fr`` or ``en``: the chosen language, else the QGIS interface language."""
        if self.language in ("fr", "en"):
            return self.language
        from .plugin_locale import locale_code

        return "fr" if locale_code() == "fr" else "en"

    def save(self, settings=None) -> None:
        """Write every field to the QGIS settings (``settings``: a QgsSettings, for tests)."""
        settings = settings if settings is not None else _qgs_settings()
        for spec in fields(self):
            value = getattr(self, spec.name)
            if spec.name == "last_layers":
                value = json.dumps(value, sort_keys=True)
            settings.setValue(_key(spec.name), value)
        settings.sync()

    def as_dict(self) -> dict:
        return asdict(self)


def _key(name: str) -> str:
    return "{}/{}".format(SECTION, name)


def _qgs_settings():
    from qgis.core import QgsSettings

    return QgsSettings()


def _convert(value, default):
    """A settings value (often a string in the .ini) → the type of ``default``; None if unusable."""
    if value is None:
        return None
    try:
        if isinstance(default, bool):
            if isinstance(value, str):
                return value.strip().lower() in ("true", "1", "yes")
            return bool(value)
        if isinstance(default, int):
            return int(float(value))
        if isinstance(default, float):
            return float(value)
        if isinstance(default, dict):
            loaded = json.loads(value) if isinstance(value, str) else dict(value)
            return {str(k): str(v) for k, v in loaded.items()} if isinstance(loaded, dict) else None
        return str(value)
    except (TypeError, ValueError):
        return None


def load(settings=None) -> EitSettings:
    """The saved settings (defaults for anything never saved or unreadable)."""
    settings = settings if settings is not None else _qgs_settings()
    result = EitSettings()
    for spec in fields(result):
        default = getattr(result, spec.name)
        value = _convert(settings.value(_key(spec.name), None), default)
        if value is None:
            continue
        if spec.name == "language" and value not in LANGUAGES:
            continue
        if spec.name in ("cluster_distance_m", "min_members") and value <= 0:
            continue
        if spec.name == "max_distance_m" and value < 0:
            continue
        setattr(result, spec.name, value)
    return result


def reset(settings=None) -> EitSettings:
    """Forget the saved values; return the defaults."""
    settings = settings if settings is not None else _qgs_settings()
    settings.remove(SECTION)
    return EitSettings()
