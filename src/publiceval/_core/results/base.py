"""The version of the JSON shape, and the configuration every result model shares."""

from __future__ import annotations

from pydantic import ConfigDict

#: Version of the JSON shape of :class:`Evaluation`: the minor part rises when fields are added,
#: the major part on any incompatible change.
SCHEMA_VERSION = "1.2"
"""1.1 added ``period_start``/``period_end``, ``schemes``, ``reliability``, component titles and
a typed ``uncertainty``; 1.2 added ``profile``, ``suggestions`` and a reject's ``scope``. Every
1.0 and 1.1 document still loads."""


FROZEN = ConfigDict(frozen=True, extra="forbid")
