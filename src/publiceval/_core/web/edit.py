"""Corrections made on the review page, applied to the inference and written as ``study.toml``.

The study file is written again from the corrected inference (the same writer as ``init
--from``), so its comments keep saying why, item ids keep following the elements (``u8`` is
always the complaints element) and the checklist at its end stays true. A correction that makes
an invalid study is refused with the loader's own message and the old file is kept.
"""

from __future__ import annotations

import re
import secrets
from collections import Counter
from collections.abc import Mapping
from typing import Any

from ..errors import StudyError
from ..infer.api import choose_method, scheme_options_for  # the same choice as init --from
from ..infer.checks import element_checks
from ..infer.model import Inference, ItemGuess, OPDGuess, ScaleGuess
from ..infer.write import study_from_inference
from ..presets import SKM_ELEMENTS
from ..study import load_study
from ..text import Lang, Text
from .workspace import StudyFolder

__all__ = ["Corrections", "apply_corrections", "save_study", "state_inference"]

_OPD_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")
_BY_HAND = Text(id="dipilih di aplikasi web", en="chosen in the web app")

Corrections = Mapping[str, str | list[str]]


def state_inference(state: Mapping[str, Any]) -> Inference:
    """The inference kept in the study's state."""
    return Inference.model_validate(state["inference"])


def _text(form: Corrections, name: str) -> str:
    value = form.get(name, "")
    if isinstance(value, list):
        value = value[-1] if value else ""
    return " ".join(value.split())


def _opds(inf: Inference, form: Corrections) -> tuple[OPDGuess, ...]:
    out = []
    for k, opd in enumerate(inf.opds):
        new_id = _text(form, f"opd-{k}-id").lower() or opd.id
        if not _OPD_ID.match(new_id):
            raise StudyError(
                f"OPD {opd.name!r}: id {new_id!r} is not usable; expected lower-case letters, "
                "digits and '-' (e.g. 'dinkes')"
            )
        name = _text(form, f"opd-{k}-name") or opd.name
        short = _text(form, f"opd-{k}-short") or None
        aliases = opd.aliases
        if f"opd-{k}-aliases" in form:  # one wording a line (or separated by ';')
            given = re.split(r"[;\n]", str(form[f"opd-{k}-aliases"]))
            aliases = tuple(dict.fromkeys(w for a in given if (w := " ".join(a.split()))))
        if name != opd.name:  # the form's wording still names this OPD
            aliases = (opd.name, *aliases)
        aliases = tuple(a for a in dict.fromkeys(aliases) if a != name)
        update = {"id": new_id, "name": name, "short_name": short, "aliases": aliases}
        out.append(opd.model_copy(update=update))
    out = _merged(out, [_text(form, f"opd-{k}-merge") for k in range(len(out))])
    ids = Counter(o.id for o in out)
    twice = sorted(i for i, n in ids.items() if n > 1)
    if twice:
        raise StudyError(f"OPD id(s) {', '.join(map(repr, twice))} given to more than one OPD")
    return tuple(out)


def _merged(opds: list[OPDGuess], into: list[str]) -> list[OPDGuess]:
    """Two OPDs that are one: each marked one becomes wordings (aliases) of the one chosen."""
    targets = {k: int(t) for k, t in enumerate(into) if t.isdigit() and int(t) < len(opds)}
    for k, t in targets.items():
        if t == k or t in targets:
            raise StudyError(
                f"OPD {opds[k].name!r}: merge it into an OPD that stays (not itself, nor one "
                "merged into another)"
            )
    out = list(opds)
    for k, t in targets.items():
        gone, keep = opds[k], out[t]
        words = (*keep.aliases, gone.name, *gone.aliases)
        out[t] = keep.model_copy(
            update={
                "aliases": tuple(w for w in dict.fromkeys(words) if w != keep.name),
                "rows": keep.rows + gone.rows,
            }
        )
    return [o for k, o in enumerate(out) if k not in targets]


def _items(inf: Inference, form: Corrections) -> tuple[ItemGuess, ...]:
    """Each question's element as chosen, with ids and names recomputed like ``init --from``."""
    chosen: list[tuple[ItemGuess, int | None, bool]] = []
    names = [name for _, name, _ in SKM_ELEMENTS]
    for k, item in enumerate(inf.items):
        raw = _text(form, f"item-{k}-element")
        before = names.index(item.element) if item.element in names else None
        if raw == "":
            element = before
        elif raw == "none":
            element = None
        elif raw.isdigit() and int(raw) < len(names):
            element = int(raw)
        else:
            raise StudyError(f"question {item.column!r}: unknown element {raw!r}")
        chosen.append((item, element, element != before))
    per_element: Counter[int] = Counter()
    out: list[ItemGuess] = []
    for n, (item, element, changed) in enumerate(chosen, 1):
        why = _BY_HAND if changed else item.why
        confidence = "high" if changed else item.confidence
        if element is None:
            out.append(
                item.model_copy(
                    update={
                        "id": f"q{n}",
                        "element": None,
                        "text": Text(id=item.column, en=item.column),
                        "why": why,
                        "confidence": confidence,
                    }
                )
            )
            continue
        per_element[element] += 1
        code, name_id, name_en = SKM_ELEMENTS[element]
        count = per_element[element]
        update = {
            "id": code if count == 1 else f"{code}-{count}",
            "element": name_id,
            "text": Text(id=name_id, en=name_en),
            "why": why,
            "confidence": confidence,
        }
        out.append(item.model_copy(update=update))
    order = {code: k for k, (code, _, _) in enumerate(SKM_ELEMENTS)}
    out.sort(key=lambda i: (order.get(i.id.split("-")[0], len(order)), i.id))
    return tuple(out)


def _scales(inf: Inference, form: Corrections) -> tuple[tuple[ScaleGuess, ...], set[str]]:
    """Accept the typos ticked on the page: each becomes an alias of the point it resembles."""
    out, accepted = [], set()
    for s, guess in enumerate(inf.scales):
        taken = {
            answer: point
            for t, (answer, point) in enumerate(sorted(guess.suggestions.items()))
            if _text(form, f"typo-{s}-{t}") == "1"
        }
        if not taken:
            out.append(guess)
            continue
        accepted |= set(taken)
        scale = guess.scale.model_copy(update={"aliases": {**guess.scale.aliases, **taken}})
        left = {a: p for a, p in guess.suggestions.items() if a not in taken}
        unknown = {a: n for a, n in guess.unknown.items() if a not in taken}
        out.append(
            guess.model_copy(update={"scale": scale, "suggestions": left, "unknown": unknown})
        )
    return tuple(out), accepted


def _meta(state: Mapping[str, Any], form: Corrections) -> dict[str, Any]:
    year_text = _text(form, "year")
    year: int | None = state.get("year")
    if year_text:
        if not year_text.isdigit() or not 1900 <= int(year_text) <= 2200:
            raise StudyError(f"year: expected a year such as 2026; found {year_text!r}")
        year = int(year_text)
    return {
        "title": _text(form, "title") or state.get("title"),
        "city": _text(form, "city") or state.get("city"),
        "year": year,
    }


def apply_corrections(state: Mapping[str, Any], form: Corrections) -> dict[str, Any]:
    """The state after the review form: a corrected inference and the survey's title, city, year."""
    inf = state_inference(state)
    items = _items(inf, form)
    scales, accepted = _scales(inf, form)
    method, scheme, method_why = choose_method(list(items), list(scales))
    kept = [
        c
        for c in inf.checks
        if c.code not in ("elements-missing", "question-unplaced", "element-uncertain")
        and not (c.code == "answer-typo" and any(f"'{a}'" in c.message.en for a in accepted))
    ]
    fixed = inf.model_copy(
        update={
            "opds": _opds(inf, form),
            "items": items,
            "scales": scales,
            "method": method,
            "scheme": scheme,
            "scheme_options": scheme_options_for(scheme, list(scales)),
            "method_why": method_why,
            "checks": tuple(element_checks(list(items)) + kept),
        }
    )
    return {**state, **_meta(state, form), "inference": fixed.model_dump(mode="json")}


def save_study(study: StudyFolder, state: Mapping[str, Any], lang: Lang) -> None:
    """Write ``study.toml`` from ``state``, only if the result loads as a study."""
    inf = state_inference(state)
    text = study_from_inference(
        inf,
        data_file=str(state["data_file"]),
        lang=lang,
        city=state.get("city"),
        year=state.get("year"),
        title=state.get("title"),
    )
    trial = study.folder / f".{study.study.name}.{secrets.token_hex(4)}.new"
    trial.write_text(text, encoding="utf-8")
    try:
        load_study(trial)
    except Exception:
        trial.unlink()
        raise
    trial.replace(study.study)
    study.forget_evaluation()
