"""One error family, so callers catch ``PublicevalError`` and the CLI maps each kind to an exit code."""

from __future__ import annotations

__all__ = [
    "DataError",
    "GateError",
    "PluginClashError",
    "PluginError",
    "PublicevalError",
    "StudyError",
    "SurveyError",
]


class PublicevalError(Exception):
    """Base of every error publiceval raises on purpose.

    Messages say what was expected, what was found and where, so they can be shown
    to a person as they are.
    """

    exit_code = 1


class SurveyError(PublicevalError):
    """The survey definition (scales, items, OPDs, weights) is inconsistent."""

    exit_code = 3


class StudyError(PublicevalError):
    """The study file cannot be read or does not describe a valid study."""

    exit_code = 3


class DataError(PublicevalError):
    """A data file cannot be read at all (missing, empty, unreadable)."""

    exit_code = 4


class GateError(PublicevalError):
    """The data was read, but too much of it was lost for the result to be published as is:
    too many rejected rows, or an OPD of the study with no usable row."""

    exit_code = 6


class PluginError(PublicevalError):
    """A plugin is unknown, clashes with another, or failed while loading."""

    exit_code = 5


class PluginClashError(PluginError):
    """Two plugins register the same name, and a study or call uses that name.

    A clash is harmless until the name is used: the host keeps both and refuses only the lookup.
    """
