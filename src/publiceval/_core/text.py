"""Bilingual text: every user-facing label exists in Indonesian (``id``) and English (``en``)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, model_validator

__all__ = ["Lang", "Text", "format_number"]

Lang = Literal["id", "en"]


class Text(BaseModel):
    """A label in Indonesian and English.

    A bare string is accepted and used for both languages, so a study file can say
    ``text = "Persyaratan"`` when no translation is at hand.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    en: str

    @model_validator(mode="before")
    @classmethod
    def _from_plain_string(cls, data: object) -> object:
        if isinstance(data, str):
            return {"id": data, "en": data}
        if isinstance(data, dict) and ("id" in data) != ("en" in data):
            only = data.get("id", data.get("en"))
            return {**data, "id": data.get("id", only), "en": data.get("en", only)}
        return data

    def get(self, lang: Lang) -> str:
        """The text in ``lang``."""
        return self.id if lang == "id" else self.en

    def __str__(self) -> str:
        return self.id


def format_number(value: float | None, lang: Lang, decimals: int = 2) -> str:
    """A number as the locale writes it: ``3,07`` in Indonesian, ``3.07`` in English."""
    if value is None or value != value:
        return "–"
    text = f"{value:,.{decimals}f}"
    if lang == "id":
        return text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text
