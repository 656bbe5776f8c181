"""A minimal progress/feedback protocol so that core never imports QGIS.

Processing passes a ``QgsProcessingFeedback``-backed adapter; tests pass ``Feedback()``
(which records messages) or nothing.
"""
from __future__ import annotations

from .errors import EitCancelled


class Feedback:
    """Collects messages; subclasses forward them to QGIS."""

    def __init__(self) -> None:
        self.infos: list = []
        self.warnings: list = []
        self.progress = 0.0

    def info(self, message: str) -> None:
        self.infos.append(message)

    def warning(self, message: str) -> None:
        self.warnings.append(message)

    def set_progress(self, percent: float) -> None:
        self.progress = percent

    def is_cancelled(self) -> bool:
        return False

    def check_cancelled(self) -> None:
        """Raise ``EitCancelled`` if the user asked to stop; call it inside long loops."""
        if self.is_cancelled():
            raise EitCancelled("cancelled")


NULL_FEEDBACK = Feedback()
