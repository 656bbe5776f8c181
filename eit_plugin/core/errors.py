"""Errors the method raises for bad input: the message says what is wrong and how to fix it.

Processing algorithms turn them into ``QgsProcessingException``; the GUI shows them in the
message bar. Messages are already translated (built with ``tr(...).format(...)``).
"""
from __future__ import annotations


class EitError(Exception):
    """Base class: an error whose message is meant for the user."""


class EitInputError(EitError):
    """Input data the method cannot use (missing field, bad value, empty table...)."""


class EitCancelled(EitError):
    """The user cancelled the run."""


class EitDependencyError(EitError):
    """A Python module the plugin needs is missing."""
