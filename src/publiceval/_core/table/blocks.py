"""The validated table's parts: which column holds what, and answer blocks as numpy columns."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field

from ..survey import Item

__all__ = ["AnswerBlock", "ColumnMap"]


class ColumnMap(BaseModel):
    """Which data column holds what. Item columns default to the item id."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    respondent: str | None = "respondent"
    opd: str | None = "opd"
    weight: str | None = None
    stratum: str | None = None
    psu: str | None = None
    timestamp: str | None = None
    """When the form was submitted (finds a submission sent twice; dates the period)."""
    suggestions: str | None = None
    """Free-text *kritik dan saran* (criticism and suggestions), kept for the reports."""
    items: dict[str, str] = Field(default_factory=dict)

    def item_column(self, item: Item) -> str:
        """The column holding answers to ``item``."""
        return self.items.get(item.id, item.id)


@dataclass(frozen=True)
class AnswerBlock:
    """Answers of one scope as columns: ``values[r, j]`` is meaningful only where ``observed``."""

    items: tuple[str, ...]
    values: NDArray[np.int8]
    observed: NDArray[np.bool_]
    respondent: NDArray[np.int64]
    opd: NDArray[np.int32]
    weight: NDArray[np.float64]
    stratum: NDArray[np.int32] | None
    psu: NDArray[np.int32] | None
    source_row: NDArray[np.int64]
    notes: Mapping[str, NDArray[np.object_]] = dataclasses.field(default_factory=dict)
    """Text kept with each row for the reports (profile answers by question id, and
    ``"suggestions"``), as typed; ``None`` where the cell is empty."""

    @property
    def n_rows(self) -> int:
        """Rows in the block."""
        return int(self.values.shape[0])

    def take(self, rows: NDArray[Any]) -> AnswerBlock:
        """A block of the selected rows (a boolean mask or positions)."""
        return AnswerBlock(
            items=self.items,
            values=self.values[rows],
            observed=self.observed[rows],
            respondent=self.respondent[rows],
            opd=self.opd[rows],
            weight=self.weight[rows],
            stratum=None if self.stratum is None else self.stratum[rows],
            psu=None if self.psu is None else self.psu[rows],
            source_row=self.source_row[rows],
            notes={k: v[rows] for k, v in self.notes.items()},
        )

    def select(self, items: Sequence[str]) -> AnswerBlock:
        """A block with only the answer columns of ``items``, in that order (rows unchanged)."""
        pos = [self.items.index(i) for i in items]
        return dataclasses.replace(
            self,
            items=tuple(items),
            values=self.values[:, pos],
            observed=self.observed[:, pos],
        )


def empty_block(items: tuple[str, ...], designed: tuple[bool, bool]) -> AnswerBlock:
    """A block without rows (``designed``: whether it has stratum and PSU columns)."""
    return AnswerBlock(
        items=items,
        values=np.zeros((0, len(items)), np.int8),
        observed=np.zeros((0, len(items)), bool),
        respondent=np.zeros(0, np.int64),
        opd=np.zeros(0, np.int32),
        weight=np.zeros(0, np.float64),
        stratum=np.zeros(0, np.int32) if designed[0] else None,
        psu=np.zeros(0, np.int32) if designed[1] else None,
        source_row=np.zeros(0, np.int64),
    )
