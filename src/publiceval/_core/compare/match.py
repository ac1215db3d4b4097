"""Before comparing: the instruments must agree, and OPDs are paired across periods.

A change is only a change when the same thing was measured the same way. Two evaluations are
comparable when their per-OPD items (ids, SKM elements, scale ranges, roles), their scoring
method and options, their score scale and their main category scheme agree; otherwise the
comparison stops with one error naming every difference. Survey-wide questions may come and
go: only those asked in both periods (on the same scale) are compared.

OPDs are paired by an explicit mapping first (``old id → new id``), then by id, then by name
(ignoring case, spacing and punctuation), then by a short name or alias of the other period.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from ..errors import StudyError
from ..profile import name_key
from ..results import Evaluation, ItemInfo, OPDResult

__all__ = ["OPDPair", "check_instruments", "pair_opds"]

MatchKind = Literal["id", "mapping", "name", "alias"]


def _item_diff(a: ItemInfo, b: ItemInfo) -> list[tuple[str, str, str]]:
    """(what, in a, in b) for each property of an item that differs."""
    fields = (
        ("scale", f"{a.scale_min}-{a.scale_max}", f"{b.scale_min}-{b.scale_max}"),
        ("element", repr(a.element), repr(b.element)),
        ("role", a.role, b.role),
        ("reverse-keyed", str(a.reverse).lower(), str(b.reverse).lower()),
    )
    return [f for f in fields if f[1] != f[2]]


def check_instruments(
    a: Evaluation, b: Evaluation, label_a: str, label_b: str, *, same_scheme: bool = True
) -> None:
    """Raise one :class:`StudyError` naming every difference that makes the scores incomparable.

    ``same_scheme=False`` (cities) lets each evaluation keep its own category scheme: the
    scores stay comparable, each city's categories are its own."""
    problems: list[str] = []
    items_a = {i.id: i for i in a.items if i.scope == "opd"}
    items_b = {i.id: i for i in b.items if i.scope == "opd"}
    for only, there, missing in ((items_a, label_a, label_b), (items_b, label_b, label_a)):
        other = items_b if only is items_a else items_a
        gone = sorted(set(only) - set(other))
        if gone:
            problems.append(
                f"per-OPD item(s) {', '.join(map(repr, gone))} in {there} but not in {missing}"
            )
    for key in sorted(set(items_a) & set(items_b)):
        for what, va, vb in _item_diff(items_a[key], items_b[key]):
            problems.append(f"item {key!r}: {what} {va} in {label_a}, {vb} in {label_b}")
    for key in sorted(
        {i.id for i in a.items if i.scope == "survey"}
        & {i.id for i in b.items if i.scope == "survey"}
    ):
        ia = next(i for i in a.items if i.id == key)
        ib = next(i for i in b.items if i.id == key)
        if (ia.scale_min, ia.scale_max) != (ib.scale_min, ib.scale_max):
            problems.append(
                f"survey-wide item {key!r}: scale {ia.scale_min}-{ia.scale_max} in "
                f"{label_a}, {ib.scale_min}-{ib.scale_max} in {label_b}"
            )
    ma, mb = a.provenance.method, b.provenance.method
    if (ma.name, ma.options) != (mb.name, mb.options):
        problems.append(
            f"scoring method {ma.name!r} {ma.options} in {label_a}, {mb.name!r} "
            f"{mb.options} in {label_b}"
        )
    sa, sb = a.provenance.scheme, b.provenance.scheme
    key_a = (sa.name, sa.options) if sa else None
    key_b = (sb.name, sb.options) if sb else None
    if same_scheme and key_a != key_b:
        problems.append(
            f"category scheme {sa.name if sa else None!r} in {label_a}, "
            f"{sb.name if sb else None!r} in {label_b}"
        )
    scale_a = a.opds[0].score.scale if a.opds else None
    scale_b = b.opds[0].score.scale if b.opds else None
    if scale_a and scale_b and scale_a != scale_b:
        problems.append(
            f"score scale {scale_a.low:g}-{scale_a.high:g} ({scale_a.unit}) in "
            f"{label_a}, {scale_b.low:g}-{scale_b.high:g} ({scale_b.unit}) in "
            f"{label_b}"
        )
    if problems:
        raise StudyError(
            f"cannot compare {label_a} with {label_b}: the instruments differ, so a change in "
            f"score would not be a change in service: {'; '.join(problems)}"
        )


@dataclass(frozen=True)
class OPDPair:
    """An OPD of the earlier period paired with one of the later period."""

    before: OPDResult
    after: OPDResult
    matched_by: MatchKind


def _keys(opd: OPDResult, aliases: Mapping[str, Sequence[str]]) -> set[str]:
    words = [opd.short_name or "", *aliases.get(opd.opd, ())]
    return {name_key(w) for w in words if w.strip()}


def pair_opds(
    a: Evaluation,
    b: Evaluation,
    mapping: Mapping[str, str] | None = None,
    aliases_a: Mapping[str, Sequence[str]] | None = None,
    aliases_b: Mapping[str, Sequence[str]] | None = None,
) -> tuple[list[OPDPair], list[OPDResult], list[OPDResult]]:
    """Pairs, OPDs only in ``a`` (disappeared) and only in ``b`` (appeared).

    ``mapping`` maps an earlier id to a later id (a renamed or merged OPD); an id it names that
    is not in its period is an error, so a typo cannot silently unpair an OPD.
    """
    mapping = dict(mapping or {})
    by_id_a = {r.opd: r for r in a.opds}
    by_id_b = {r.opd: r for r in b.opds}
    for old, new in mapping.items():
        if old not in by_id_a or new not in by_id_b:
            where = (
                f"{old!r} is not an OPD of the earlier period"
                if old not in by_id_a
                else (f"{new!r} is not an OPD of the later period")
            )
            raise StudyError(f"OPD mapping {old} = {new}: {where}")
    pairs: list[OPDPair] = []
    left_a = dict(by_id_a)
    left_b = dict(by_id_b)

    def take(old: str, new: str, kind: MatchKind) -> None:
        pairs.append(OPDPair(left_a.pop(old), left_b.pop(new), kind))

    for old, new in mapping.items():
        take(old, new, "mapping")
    for key in [k for k in left_a if k in left_b]:
        take(key, key, "id")
    names_b = {name_key(r.name): r.opd for r in left_b.values()}
    for key, r in list(left_a.items()):
        hit = names_b.get(name_key(r.name))
        if hit is not None and hit in left_b:
            take(key, hit, "name")
    for key, r in list(left_a.items()):
        mine = _keys(r, aliases_a or {}) | {name_key(r.name)}
        hits = [
            o.opd
            for o in left_b.values()
            if mine & (_keys(o, aliases_b or {}) | {name_key(o.name)})
        ]
        if len(hits) == 1:
            take(key, hits[0], "alias")
    return pairs, list(left_a.values()), list(left_b.values())
